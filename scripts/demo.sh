#!/usr/bin/env bash
# `make demo`: boot the stock kernel in a VM, load the modules tests/vm/demo names,
# panic with sysrq, capture the vmcore with kdump and print the crash session.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
demo=$top/tests/vm/demo
out=${BUGCHECK_BUILD:-$top/build}/runs/demo

"$top/tests/vm/run-scenario" "$demo" --kernel stock --out "$out"

echo
echo "crash session on $out/vmcore:"
echo
cat "$out/crash.out"
