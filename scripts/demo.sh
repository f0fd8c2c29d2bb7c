#!/usr/bin/env bash
# `make demo`: boot the stock kernel in a VM, load bugcheck.ko (and the sample clients),
# panic with sysrq, capture the vmcore with kdump and print the crash session.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
demo=$top/tests/vm/demo
out=$top/build/runs/demo

"$top/tests/vm/run-scenario" "$demo" --kernel stock --out "$out"

echo
echo "crash session on $out/vmcore:"
echo
cat "$out/crash.out"
