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

# vmcore_extract SYMBOL[:SIZE]... : reads each 64-bit kernel or module symbol
# from $RUN_DIR/vmcore into VMCORE_PTR[SYMBOL] (hex); with :SIZE the value is
# a pointer and SIZE bytes at it are dumped into $RUN_DIR/SYMBOL.bin (pages
# makedumpfile excluded read as zeros).  Returns non-zero with the reason in
# VMCORE_ERR when a symbol cannot be resolved or read.  Do not call it in a
# subshell: VMCORE_PTR would be lost.
declare -A VMCORE_PTR
VMCORE_ERR=""
vmcore_extract() {
	local spec sym size out=$RUN_DIR/crash-extract
	{
		echo "set zero_excluded on"
		for spec in "$@"; do echo "rd -64 ${spec%%:*} 1"; done
		echo quit
	} >"$out-1.cmds"
	crash -s "$VMLINUX" "$RUN_DIR/vmcore" <"$out-1.cmds" >"$out-1.out" 2>&1
	mapfile -t vals < <(grep -E '^[0-9a-f]{16}:  [0-9a-f]{16}( |$)' "$out-1.out" | awk '{print $2}')
	if [ ${#vals[@]} -ne $# ]; then
		VMCORE_ERR="crash resolved ${#vals[@]} of $# symbols ($*): $(grep -m2 -E 'rd:|invalid' "$out-1.out" | tr '\n' ' ')"
		return 1
	fi
	local i=0
	{
		echo "set zero_excluded on"
		for spec in "$@"; do
			sym=${spec%%:*}
			VMCORE_PTR[$sym]=${vals[$i]}
			i=$((i + 1))
			[ "$spec" != "$sym" ] || continue
			rm -f "$RUN_DIR/$sym.bin"
			echo "rd -r $RUN_DIR/$sym.bin 0x${VMCORE_PTR[$sym]} ${spec#*:}"
		done
		echo quit
	} >"$out-2.cmds"
	crash -s "$VMLINUX" "$RUN_DIR/vmcore" <"$out-2.cmds" >"$out-2.out" 2>&1
	for spec in "$@"; do
		sym=${spec%%:*}
		[ "$spec" != "$sym" ] || continue
		[ -s "$RUN_DIR/$sym.bin" ] || { VMCORE_ERR="could not dump $sym: $(tail -n 2 "$out-2.out" | tr '\n' ' ')"; return 1; }
	done
}

# vmcore_record OUT: the record of $RUN_DIR/vmcore into OUT without crash (for
# kernels whose vmcores the host's crash cannot open: CRASH_READS=0), with the
# capture tools' own reader, bugcheck-save -v, which finds the locator by its
# scan.  That reader takes ELF vmcores only (DUMP_OPTS "-E ..."); a
# kdump-compressed one is refused.  Returns non-zero with the reason in
# VMCORE_ERR.
vmcore_record() {
	local out=$1 log=$RUN_DIR/vmcore-record.log
	if ! head -c 4 "$RUN_DIR/vmcore" 2>/dev/null | grep -q 'ELF'; then
		VMCORE_ERR="$RUN_DIR/vmcore is not an ELF vmcore (bugcheck-save -v reads ELF only)"
		return 1
	fi
	if ! "$USERSPACE/bugcheck-save" -v "$RUN_DIR/vmcore" -s "$out" >"$log" 2>&1; then
		VMCORE_ERR="bugcheck-save -v failed: $(tail -n 2 "$log" | tr '\n' ' ')"
		return 1
	fi
}
