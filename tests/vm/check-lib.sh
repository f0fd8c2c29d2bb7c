# shellcheck shell=bash
# Assertions for a scenario's host-side `check`: each prints "ok - WHAT" or
# "FAIL WHAT: why" and remembers the failure; `finish` exits non-zero if any failed.
# A check runs with RUN_DIR (the run's folder: console.log, guest.log, crash.out,
# out-first/, out-capture/, vmcore), SCENARIO_DIR, KERNEL_FLAVOUR, KERNEL_TREE,
# VMLINUX, MODULE_SRC and TOP in its environment.

check_failed=0
check_count=0

ok() { check_count=$((check_count + 1)); echo "ok - $1"; }
not_ok() { check_count=$((check_count + 1)); check_failed=$((check_failed + 1)); echo "FAIL $1: $2"; }

# expect_match FILE REGEX WHAT: FILE has a line matching the extended REGEX.
expect_match() {
	if [ ! -f "$1" ]; then
		not_ok "$3" "$(basename "$1") was not produced"
	elif grep -qE -- "$2" "$1"; then
		ok "$3"
	else
		not_ok "$3" "no line matching /$2/ in $(basename "$1")"
	fi
}

# expect_no_match FILE REGEX WHAT: FILE has no line matching REGEX.
expect_no_match() {
	if [ ! -f "$1" ]; then
		not_ok "$3" "$(basename "$1") was not produced"
	elif grep -qE -- "$2" "$1"; then
		not_ok "$3" "unexpected line: $(grep -m1 -E -- "$2" "$1")"
	else
		ok "$3"
	fi
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got '$1', expected '$2'"; fi
}

finish() {
	echo "$((check_count - check_failed)) passed, $check_failed failed"
	[ "$check_failed" -eq 0 ]
	exit $?
}
