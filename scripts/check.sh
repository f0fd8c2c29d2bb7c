#!/usr/bin/env bash
# `make check`: every stage CI runs, each timed; a failing stage fails the whole run
# (later independent stages still run so one report shows everything that is wrong).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

results=()
failed=0
passed=0
t_all=$(date +%s)

# stage NAME COMMAND...: run, time and record one stage.
stage() {
	local name=$1 t0 rc
	shift
	printf '\n==> %s\n' "$name"
	t0=$(date +%s)
	"$@"
	rc=$?
	local secs=$(($(date +%s) - t0))
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		results+=("$(printf '  %-28s ok    %5d s' "$name" "$secs")")
	else
		failed=$((failed + 1))
		results+=("$(printf '  %-28s FAIL  %5d s' "$name" "$secs")")
	fi
	return $rc
}

# The in-tree build must be warning-free at W=1 (make's arguments: KDIR=...).
build_w1() {
	local log
	log=$(mktemp)
	make -C "$top" clean-modules >/dev/null 2>&1
	if ! make -C "$top" W=1 "$@" >"$log" 2>&1; then
		cat "$log"
		rm -f "$log"
		return 1
	fi
	if grep -E 'warning:' "$log"; then
		echo "make W=1 produced warnings"
		rm -f "$log"
		return 1
	fi
	grep -E '^\s+LD \[M\]' "$log"
	rm -f "$log"
}

userspace_tests() {
	if [ -f "$top/userspace/Makefile" ]; then
		make -C "$top/userspace" check
	else
		echo "skipped: no user-space components yet (userspace/Makefile absent)"
	fi
}

# summary [WHY]: the table and the closing line, on every way out.
summary() {
	printf '\nmake check summary (%d s in all):\n' "$(($(date +%s) - t_all))"
	printf '%s\n' "${results[@]}"
	[ -z "${1:-}" ] || echo "stopped early: $1"
	echo "check: $passed passed, $failed failed"
	[ $failed -eq 0 ] && [ -z "${1:-}" ]
	exit $?
}

stage "dependencies" "$top/scripts/deps.sh" all || summary "packages could not be installed"
rel612=$("$top/scripts/deps.sh" build-stock-6.12 --print-release) || summary "no Linux 6.12 headers"
# 6.12 first, so the tree is left with the stock (6.1) objects as `make` makes them.
stage "build (W=1, stock-6.12 kernel)" build_w1 KDIR="/lib/modules/$rel612/build" ||
	summary "nothing to test without a build"
stage "build (W=1, stock kernel)" build_w1 || summary "nothing to test without a build"
# checkpatch and clang-format come from linux-source-6.1; no kernel is built for them.
stage "style" "$top/scripts/style.sh"
stage "user-space tests" userspace_tests
stage "install (DESTDIR, SDK client)" "$top/tests/install/run"
stage "fresh machine (bare root)" "$top/tests/fresh/run"
stage "real Debian image (kdump-tools)" "$top/tests/image/run"
stage "debug kernel (cached)" "$top/scripts/debug-kernel.sh" || summary "no debug kernel for KUnit and debug scenarios"
stage "debug kernel 6.12 (cached)" "$top/scripts/debug-kernel.sh" --series 6.12 ||
	summary "no 6.12 debug kernel for KUnit and debug-6.12 scenarios"
tree=$("$top/scripts/debug-kernel.sh" --print-dir)
stage "harness self-test" "$top/tests/selftest/run" --kernel-tree "$tree"
stage "KUnit (debug kernel)" "$top/tests/kunit/run"
stage "KUnit (debug-6.12 kernel)" "$top/tests/kunit/run" --kernel debug-6.12
stage "e2e scenarios (stock)" "$top/tests/vm/run-all" --kernel stock
stage "e2e scenarios (stock-6.12)" "$top/tests/vm/run-all" --kernel stock-6.12
stage "e2e scenarios (debug)" "$top/tests/vm/run-all" --kernel debug
stage "e2e scenarios (debug-6.12)" "$top/tests/vm/run-all" --kernel debug-6.12

summary
