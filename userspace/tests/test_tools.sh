#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_tools.sh - bugcheck-record on bad arguments, bad files and real records.
#
#   BUGCHECK_RECORD=path/to/bugcheck-record \
#   BUGCHECK_RECORD_SAMPLES=path/to/record.bin test_tools.sh [BUILD_DIR]
#
# The binary is $BUGCHECK_RECORD, else BUILD_DIR/bugcheck-record (make check
# passes its O=), else build/userspace/bugcheck-record of this tree.
#
# The cases that need a valid record use real ones: BUGCHECK_RECORD_SAMPLES
# names a record file (or a directory of *record*.bin files) pulled out of a
# vmcore by an e2e run.  Without one those cases are skipped; the
# damaged-input cases then run on made-up bytes only.  The user-block cases
# use synthetic records written by the unit tests' record builder
# ($TEST_BCRECORD, else test_bcrecord next to the binary), skipped without
# it.  Exit status 1 if any case failed.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${BUGCHECK_RECORD:-${1:-${O:-$here/../../build/userspace}}/bugcheck-record}
SAMPLES=${BUGCHECK_RECORD_SAMPLES:-}
BUILDER=${TEST_BCRECORD:-$(dirname "$BIN")/bcr_samples}

passed=0
failed=0
skipped=0

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if [[ ! -x $BIN ]]; then
	echo "FAIL: $BIN is not an executable (build it: make -C userspace)"
	exit 1
fi

# expect NAME STATUS PATTERN CMD...: CMD must exit with STATUS and its
# output (stdout and stderr) must match the extended regex PATTERN, case
# ignored ("" matches anything).
expect() {
	local name=$1 want=$2 pattern=$3 out rc line
	shift 3

	out=$("$@" 2>&1)
	rc=$?
	if [[ $rc -ne $want ]]; then
		echo "FAIL: $name: exit status $rc, expected $want"
	elif [[ -n $pattern ]] && ! grep -Eiq -- "$pattern" <<<"$out"; then
		echo "FAIL: $name: output does not match /$pattern/"
	else
		echo "ok: $name"
		passed=$((passed + 1))
		return 0
	fi
	while IFS= read -r line; do
		echo "    | $line"
	done <<<"$out" | head -20
	failed=$((failed + 1))
	return 1
}

# check NAME CONDITION...: a plain assertion.
check() {
	local name=$1
	shift

	if "$@"; then
		echo "ok: $name"
		passed=$((passed + 1))
	else
		echo "FAIL: $name"
		failed=$((failed + 1))
	fi
}

# flip FILE OFFSET: invert every bit of the byte at OFFSET.
flip() {
	local byte

	byte=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	printf '%b' "$(printf '\\0%03o' $((byte ^ 0xff)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# u32 FILE OFFSET: the little-endian 32-bit word at OFFSET (tests only
# poke at the header; decoding is the tool's business).
u32() {
	od -An -tu4 --endian=little -j"$2" -N4 "$1" | tr -d ' '
}

usage_tests() {
	expect "no arguments" 2 "missing command" "$BIN"
	expect "unknown command" 2 "unknown command" "$BIN" frobnicate x
	expect "show without FILE" 2 "expected FILE" "$BIN" show
	expect "show with too many arguments" 2 "" "$BIN" show a b c
	expect "tags with an unknown option" 2 "" "$BIN" tags f -q
	expect "tags without FILE" 2 "" "$BIN" tags -x
	expect "tags with a malformed GUID" 2 "invalid GUID" \
		"$BIN" tags /nonexistent -g not-a-guid
	expect "extract without OUTFILE" 2 "" "$BIN" extract f \
		8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50
	expect "extract with a malformed GUID" 2 "invalid GUID" \
		"$BIN" extract f 8c9a1c6e-3a5e-4d2b-9f4e f.out
	expect "pages with too many arguments" 2 "" "$BIN" pages a b
	expect "check without FILE" 2 "" "$BIN" check
	expect "blocks without FILE" 2 "expected FILE" "$BIN" blocks
	expect "blocks with two files" 2 "" "$BIN" blocks a b
	expect "blocks with an unknown option" 2 "" "$BIN" blocks f -q
	expect "blocks -a without -o" 2 "go together" \
		"$BIN" blocks f -p 1 -a 1000
	expect "blocks -o without -a" 2 "go together" \
		"$BIN" blocks f -p 1 -o "$tmp/out"
	expect "blocks -a -o without -p" 2 "needs -p" \
		"$BIN" blocks f -a 1000 -o "$tmp/out"
	expect "blocks -a -o with -x" 2 "no -x" \
		"$BIN" blocks f -p 1 -x -a 1000 -o "$tmp/out"
	expect "blocks with a malformed pid" 2 "invalid pid" \
		"$BIN" blocks /nonexistent -p 12x
	expect "blocks with a negative pid" 2 "invalid pid" \
		"$BIN" blocks /nonexistent -p -1
	expect "blocks with a malformed address" 2 "invalid address" \
		"$BIN" blocks /nonexistent -p 1 -a 7fzz -o "$tmp/out"
	check "blocks: no file written on usage errors" test ! -e "$tmp/out"
	expect "--help" 0 "^Usage: bugcheck-record" "$BIN" --help
	expect "-h" 0 "exit status" "$BIN" -h
	expect "--version" 0 "^bugcheck-record [0-9]" "$BIN" --version
	for cmd in show tags extract pages devices blocks check; do
		expect "$cmd -h is help" 0 "^Usage: bugcheck-record" "$BIN" $cmd -h
	done
	expect "show --help is help" 0 "^Usage: bugcheck-record" "$BIN" show --help
	expect "tags -o without -g" 2 "needs -g" "$BIN" tags f -o "$tmp/out"
	expect "pages with a malformed address" 2 "invalid address" \
		"$BIN" pages /nonexistent -a xyz
}

io_tests() {
	local cmd

	for cmd in show pages check blocks; do
		expect "$cmd of a missing file" 3 "No such file" \
			"$BIN" $cmd "$tmp/missing"
	done
	expect "tags of a missing file" 3 "No such file" \
		"$BIN" tags "$tmp/missing" -x
	expect "extract of a missing file" 3 "No such file" "$BIN" extract \
		"$tmp/missing" 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50 "$tmp/out"
	expect "a directory as FILE" 3 "directory" "$BIN" check "$tmp"
}

damaged_input_tests() {
	local cmd

	head -c 65536 /dev/urandom >"$tmp/random.bin"
	: >"$tmp/empty.bin"
	head -c 1048576 /dev/zero >"$tmp/zeros.bin"

	# Not a record at all: said so, with its own status, not DAMAGED.
	for cmd in check show pages blocks devices; do
		expect "$cmd of random bytes" 5 "not a bugcheck record" \
			"$BIN" $cmd "$tmp/random.bin"
	done
	expect "random bytes: no DAMAGED line" 5 "^[^D]" \
		"$BIN" show "$tmp/random.bin"
	expect "blocks -a -o from random bytes" 5 "not a bugcheck record" \
		"$BIN" blocks "$tmp/random.bin" -p 1 -a 1000 -o "$tmp/out"
	check "blocks: no file written from random bytes" test ! -e "$tmp/out"
	expect "tags of random bytes" 5 "not a bugcheck record" \
		"$BIN" tags "$tmp/random.bin" -x
	expect "extract from random bytes" 5 "not a bugcheck record" \
		"$BIN" extract "$tmp/random.bin" \
		8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50 "$tmp/out"
	expect "check of an empty file" 5 "an empty file, not a bugcheck record" \
		"$BIN" check "$tmp/empty.bin"
	expect "show of an empty file" 5 "empty file" "$BIN" show \
		"$tmp/empty.bin"
	expect "check of an all-zero area" 5 "no record: the header is all zeros" \
		"$BIN" check "$tmp/zeros.bin"
	expect "check of random bytes on stdin" 5 "not a bugcheck record" \
		"$BIN" check - <"$tmp/random.bin"
	printf '\177ELF\002\001\001' >"$tmp/elf.bin"
	head -c 1000 /dev/zero >>"$tmp/elf.bin"
	expect "an ELF file that is no core file" 5 "ELF file that is no" \
		"$BIN" show "$tmp/elf.bin"
	printf 'makedumpfile' >"$tmp/flat.bin"
	head -c 1000 /dev/zero >>"$tmp/flat.bin"
	expect "a flattened vmcore" 5 "makedumpfile -R" \
		"$BIN" show "$tmp/flat.bin"
	# Where things go: the report on stdout, the tool's errors on stderr.
	check "not a record: nothing on standard output" \
		test -z "$("$BIN" show "$tmp/random.bin" 2>/dev/null)"
}

# sample_tests RECORD: a valid record, then damaged copies of it.
sample_tests() {
	local rec=$1 name used guid size out
	name=$(basename "$rec")

	expect "$name: check" 0 "^valid$" "$BIN" check "$rec" || return
	expect "$name: show" 0 "" "$BIN" show "$rec"
	expect "$name: show from stdin" 0 "" "$BIN" show - <"$rec"
	check "$name: show from stdin is show" \
		cmp -s <("$BIN" show "$rec") <("$BIN" show - <"$rec")
	expect "$name: pages" 0 "" "$BIN" pages "$rec"
	expect "$name: blocks" 0 "^ +PID  COMM|^no user blocks in this record$" \
		"$BIN" blocks "$rec"
	expect "$name: tags" 0 "" "$BIN" tags "$rec"
	expect "$name: tags -x" 0 "" "$BIN" tags "$rec" -x
	expect "$name: show of an unknown component" 4 "no component" \
		"$BIN" show "$rec" no-such-component
	expect "$name: tags -g of an unknown GUID" 4 "no block tagged" \
		"$BIN" tags "$rec" -g 00000000-0000-0000-0000-000000000000
	expect "$name: extract of an unknown GUID" 4 "no block tagged" \
		"$BIN" extract "$rec" 00000000-0000-0000-0000-000000000000 \
		"$tmp/none.bin"

	# The first tag listed: extract it and compare with its listed size.
	out=$("$BIN" tags "$rec" -x 2>&1)
	guid=$(grep -Eo -m1 '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}' \
		<<<"$out")
	if [[ -n $guid ]]; then
		size=$(grep -m1 -- "$guid" <<<"$out" |
		       grep -Eo '\b[0-9]+ bytes|\b[0-9]+$' | grep -Eo '[0-9]+' |
		       head -1)
		expect "$name: tags -g $guid -x" 0 "$guid" \
			"$BIN" tags "$rec" -g "$guid" -x
		expect "$name: extract $guid" 0 "bytes written to" \
			"$BIN" extract "$rec" "$guid" "$tmp/tag.bin"
		check "$name: extracted size is the listed size ($size)" \
			test "$(stat -c %s "$tmp/tag.bin")" = "${size:-?}"
		check "$name: extract to stdout is the same bytes" \
			cmp -s "$tmp/tag.bin" \
			<("$BIN" extract "$rec" "$guid" - 2>/dev/null)
	else
		echo "note: $name has no tagged block; extract not tested"
	fi

	used=$(u32 "$rec" 20)

	head -c 1024 "$rec" >"$tmp/truncated.bin"
	expect "$name: check of the first 1024 bytes" 1 "damaged" \
		"$BIN" check "$tmp/truncated.bin"
	head -c $((used - 1)) "$rec" >"$tmp/truncated.bin"
	expect "$name: check cut one byte short of used ($used)" 1 \
		"damaged" "$BIN" check "$tmp/truncated.bin"
	expect "$name: show cut one byte short" 1 "damaged" \
		"$BIN" show "$tmp/truncated.bin"

	# Offset 250: the tail of the panic message, covered by the CRC only.
	cp "$rec" "$tmp/flipped.bin"
	flip "$tmp/flipped.bin" 250
	expect "$name: check with a flipped message byte" 1 "CRC" \
		"$BIN" check "$tmp/flipped.bin"
	expect "$name: show with a flipped message byte" 1 "CRC" \
		"$BIN" show "$tmp/flipped.bin"

	# The last byte of the stream: padding or payload.
	cp "$rec" "$tmp/flipped.bin"
	flip "$tmp/flipped.bin" $((used - 1))
	expect "$name: check with the last stream byte flipped" 1 "CRC" \
		"$BIN" check "$tmp/flipped.bin"
	expect "$name: tags with the last stream byte flipped" 1 "" \
		"$BIN" tags "$tmp/flipped.bin" -x
}

# User blocks, on records built by the unit tests' writer: the blocks it
# put in (see build_user_blocks() in test_bcrecord.c) and their bytes.
user_block_tests() {
	local d=$tmp/ub rec out

	mkdir -p "$d"
	if [[ ! -x $BUILDER ]] || ! "$BUILDER" "$d"; then
		echo "skipped: no synthetic user-block records ($BUILDER)"
		skipped=$((skipped + 1))
		return
	fi
	rec=$d/user-blocks.bin

	expect "blocks: check" 0 "^valid$" "$BIN" check "$rec"
	expect "blocks: table" 0 \
		"^    PID  COMM              ADDRESS                 SIZE      COPIED  FLAGS$" \
		"$BIN" blocks "$rec"
	expect "blocks: a full block" 0 \
		"^   1187  bcblock-sample    00007f3a5c021000         100         100  -$" \
		"$BIN" blocks "$rec"
	expect "blocks: a clamped block" 0 "^ +1187 .* 4096 +40  no-space$" \
		"$BIN" blocks "$rec"
	expect "blocks: an unmapped block" 0 "^ +1190 .* 8192 +0  unmapped$" \
		"$BIN" blocks "$rec"
	expect "blocks: the blocks that did not fit" 0 \
		"ran out of room: 1 sections, 69592 bytes" "$BIN" blocks "$rec"
	check "blocks: from stdin is the same" \
		cmp -s <("$BIN" blocks "$rec") <("$BIN" blocks - <"$rec")
	out=$("$BIN" blocks "$rec" -p 4242 2>&1)
	check "blocks -p 4242: only that process" \
		test "$(grep -c '^ *[0-9]' <<<"$out")" = 1 -a \
		"$(grep -c '^   4242  worker ' <<<"$out")" = 1
	expect "blocks --pid=1187" 0 "00007f3a5c030000" \
		"$BIN" blocks "$rec" --pid=1187
	expect "blocks -p PID -x RECORD (options first)" 0 "state=RUNNING" \
		"$BIN" blocks -p 4242 -x "$rec"
	expect "blocks -p of another pid" 4 "^no user blocks of pid 9999 in this record$" \
		"$BIN" blocks "$rec" -p 9999
	expect "blocks -x: contents at the block's addresses" 0 \
		"^000055d0c0de0000:  73 74 61 74 65 3d 52 55  4e 4e 49 4e 47 20 71 75  state=RUNNING qu$" \
		"$BIN" blocks "$rec" -x
	expect "blocks of a record without user blocks" 0 \
		"^no user blocks in this record$" "$BIN" blocks "$d/standard.bin"
	expect "blocks -p of a record without user blocks" 4 \
		"^no user blocks in this record$" \
		"$BIN" blocks "$d/standard.bin" -p 1187

	# Extraction: the bytes the builder put in, exactly.
	expect "blocks -a -o: a full block" 0 "^100 bytes written to .*/b0.bin$" \
		"$BIN" blocks "$rec" -p 1187 -a 7f3a5c021000 -o "$d/b0.bin"
	check "blocks -a -o: a full block, byte for byte" \
		cmp -s "$d/b0.bin" "$d/block-1187-7f3a5c021000.bin"
	expect "blocks -a -o: 0x prefix" 0 "bytes written" \
		"$BIN" blocks "$rec" -p 4242 -a 0x55d0c0de0000 -o "$d/b3.bin"
	check "blocks -a -o: a text block, byte for byte" \
		cmp -s "$d/b3.bin" "$d/block-4242-55d0c0de0000.bin"
	expect "blocks -a -o: a clamped block" 0 \
		"^40 bytes written to .*/b1.bin \(40 of 4096 bytes registered: no-space\)$" \
		"$BIN" blocks "$rec" -p 1187 -a 7f3a5c030000 -o "$d/b1.bin"
	check "blocks -a -o: a clamped block, byte for byte" \
		cmp -s "$d/b1.bin" "$d/block-1187-7f3a5c030000.bin"
	expect "blocks -a -o: an unmapped block" 0 \
		"^0 bytes written to .*\(0 of 8192 bytes registered: unmapped\)$" \
		"$BIN" blocks "$rec" -p 1190 -a 7f1e2a400000 -o "$d/b2.bin"
	check "blocks -a -o: an unmapped block is an empty file" \
		test -f "$d/b2.bin" -a ! -s "$d/b2.bin"
	check "blocks -a -o -: the same bytes on stdout" \
		cmp -s "$d/block-1187-7f3a5c021000.bin" \
		<("$BIN" blocks "$rec" -p 1187 -a 7f3a5c021000 -o - 2>/dev/null)
	expect "blocks -a -o: another pid's block" 4 \
		"no user block of pid 1190 at 7f3a5c021000" \
		"$BIN" blocks "$rec" -p 1190 -a 7f3a5c021000 -o "$d/none.bin"
	expect "blocks -a -o: an address inside a block" 4 "no user block" \
		"$BIN" blocks "$rec" -p 1187 -a 7f3a5c021001 -o "$d/none.bin"
	expect "blocks -a -o: no user blocks at all" 4 "no user block" \
		"$BIN" blocks "$d/standard.bin" -p 1187 -a 7f3a5c021000 \
		-o "$d/none.bin"
	check "blocks -a -o: no file when not found" test ! -e "$d/none.bin"
	expect "blocks -a -o: to a directory" 3 "directory" \
		"$BIN" blocks "$rec" -p 1187 -a 7f3a5c021000 -o "$d"

	# The same record inside vmcores: found through the locator (past a
	# stale one), printed exactly as the record file.
	local f cmd
	for f in vmcore.elf vmcore.kdump; do
		for cmd in show pages tags devices check; do
			check "$f: $cmd prints what the record file prints" \
				cmp -s <("$BIN" $cmd "$d/standard.bin" 2>/dev/null) \
				<("$BIN" $cmd "$d/$f" 2>/dev/null)
		done
		expect "$f: says where the record came from" 0 "locator at 0x1e000" \
			"$BIN" check "$d/$f"
	done
	expect "a vmcore on stdin" 5 "give its path" "$BIN" show - <"$d/vmcore.elf"
	# A failed write removes a partial file, and only a regular one.
	if [[ -c /dev/full ]]; then
		expect "extract onto a full device" 3 "No space" "$BIN" extract \
			"$d/standard.bin" 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52 /dev/full
		check "extract: /dev/full is still a device" test -c /dev/full
	fi

	# The Python oracle of the e2e checks takes its values from the same
	# uapi header: it names every callback as the C reader does.
	local oracle=$here/../../tests/tools/bcrecord.py want got
	if command -v python3 >/dev/null; then
		want=$("$BIN" show "$d/standard.bin" |
		       awk '/^ +# +COMPONENT/ {t = 1; next} t && !NF {exit}
			    t {print $2, $3, $4}')
		got=$(python3 "$oracle" "$d/standard.bin" |
		      awk '$1 == "cb" {print $NF, $3, $4}' | sed 's|^[^/]*/||')
		check "bcrecord.py names reasons and states as bugcheck-record does" \
			test -n "$want" -a "$want" = "$got"
	else
		echo "skipped: no python3 for the oracle check"
		skipped=$((skipped + 1))
	fi

	# Faults: one line under each callback that faulted, in the words of
	# the oracle; a malformed FAULT section is marked and gives status 1.
	rec=$d/faults.bin
	expect "show: a fault under its callback" 0 \
		'^     fault: page fault \(trap 14, error 0x2\) at ffffffffc0a01234 "Oops"$' \
		"$BIN" show "$rec"
	expect "show: a panic under its callback" 0 \
		'^     fault: panic "test-fault: test-panic gives up"$' \
		"$BIN" show "$rec"
	expect "show: a fault in bugcheck's own code" 0 \
		"^FAULT in bugcheck's own code: general protection \(trap 13," \
		"$BIN" show "$rec"
	expect "show COMPONENT: its fault decoded" 0 \
		'^FAULT: page fault \(trap 14, error 0x2\)' \
		"$BIN" show "$rec" test-fault
	rec=$d/faults-malformed.bin
	expect "show: a short FAULT section" 1 \
		"^     fault: MALFORMED: 40-byte payload, shorter than the 64-byte" \
		"$BIN" show "$rec"
	expect "show: an unterminated fault" 1 \
		"^     fault: MALFORMED: what not NUL-terminated$" "$BIN" show "$rec"
	expect "show: a fault out of run order" 1 \
		"^FAULT of callback 1 \(section 4, out of run order\): invalid opcode" \
		"$BIN" show "$rec"
	expect "show: a fault of no callback" 1 \
		"^FAULT of callback 9 \(not in the table\): page fault" \
		"$BIN" show "$rec"
	expect "check: malformed faults are no damage to the record" 0 \
		"^valid$" "$BIN" check "$rec"
	if command -v python3 >/dev/null; then
		want=$("$BIN" show "$d/faults.bin" |
		       sed -nE 's/^(     fault|FAULT [^:]*): //p')
		got=$(python3 "$oracle" "$d/faults.bin" |
		      sed -nE 's/^ +fault: //p')
		check "bcrecord.py decodes the faults as bugcheck-record does" \
			test -n "$want" -a "$want" = "$got"
		expect "bcrecord.py refuses a malformed FAULT section" 1 \
			"section 0: fault payload of 40 bytes, shorter than 64" \
			python3 "$oracle" "$d/faults-malformed.bin"
	fi

	# Malformed entries: shown as such, never extracted.
	rec=$d/user-blocks-malformed.bin
	expect "blocks: malformed entries" 1 \
		"MALFORMED: copied 200, more than the size 100$" "$BIN" blocks "$rec"
	expect "blocks: the good ones around them" 1 "^ +108  good2 " \
		"$BIN" blocks "$rec"
	expect "blocks -a -o: a malformed block" 1 \
		"user block of pid 101 at 2000: MALFORMED: copied 200" \
		"$BIN" blocks "$rec" -p 101 -a 2000 -o "$d/bad.bin"
	check "blocks -a -o: no file for a malformed block" test ! -e "$d/bad.bin"
	expect "blocks -a -o: a good block next to them" 0 "^2 bytes written" \
		"$BIN" blocks "$rec" -p 108 -a 8000 -o "$d/good.bin"

	# A damaged record: what survived, status 1, and a damaged block is refused.
	cp "$d/user-blocks.bin" "$d/flipped.bin"
	flip "$d/flipped.bin" $(($(stat -c %s "$d/flipped.bin") - 8))
	expect "blocks of a damaged record" 1 "^DAMAGED: " \
		"$BIN" blocks "$d/flipped.bin"
	expect "blocks -a -o of a block in a damaged record" 1 "DAMAGED" \
		"$BIN" blocks "$d/flipped.bin" -p 4242 -a 55d0c0de0000 \
		-o "$d/damaged.bin"
	check "blocks -a -o: no file for a damaged block" \
		test ! -e "$d/damaged.bin"
}

# bugcheck-save on the synthetic vmcores: the scan tries every locator, a
# stale or wrong -l falls back to the scan, bad input has its own status,
# and the file appears whole or not at all.
save_tests() {
	local d=$tmp/save save=$(dirname "$BIN")/bugcheck-save

	if [[ ! -x $save ]]; then
		echo "FAIL: $save is not an executable"
		failed=$((failed + 1))
		return
	fi
	mkdir -p "$d"
	if [[ ! -x $BUILDER ]] || ! "$BUILDER" "$d"; then
		echo "skipped: no synthetic vmcores ($BUILDER)"
		skipped=$((skipped + 1))
		return
	fi
	expect "save: -l foo is an error" 2 "invalid locator address" \
		"$save" -v "$d/vmcore.elf" -l foo "$d/out.rec"
	expect "save: -l with -s is an error" 2 "usage" \
		"$save" -v "$d/vmcore.elf" -l 0x1e000 -s "$d/out.rec"
	check "save: no file on usage errors" test ! -e "$d/out.rec"
	expect "save: not an ELF vmcore" 5 "an ELF vmcore is needed" \
		"$save" -v "$d/standard.bin" "$d/out.rec"
	expect "save: a kdump-compressed file is not ELF" 5 "kdump-compressed" \
		"$save" -v "$d/vmcore.kdump" "$d/out.rec"
	expect "save: a missing vmcore" 3 "No such file" \
		"$save" -v "$d/missing" "$d/out.rec"
	expect "save -s: past the stale locator to the record" 0 "2 valid tried" \
		"$save" -v "$d/vmcore.elf" -s "$d/scan.rec"
	check "save -s: the record, byte for byte" cmp -s "$d/scan.rec" "$d/standard.bin"
	expect "save -l: the locator given" 0 "given, 1 valid tried" \
		"$save" -v "$d/vmcore.elf" -l 0x1e000 "$d/given.rec"
	check "save -l: the same bytes" cmp -s "$d/given.rec" "$d/standard.bin"
	expect "save -l of the stale locator: the scan finds the record" 0 \
		"found one by scanning" \
		"$save" -v "$d/vmcore.elf" -l 20480 "$d/stale.rec"
	check "save -l stale: the same bytes" cmp -s "$d/stale.rec" "$d/standard.bin"
	expect "save -l of no locator at all: the scan" 0 "found one by scanning" \
		"$save" -v "$d/vmcore.elf" -l 0x3000 "$d/wrong.rec"
	check "save: no temporary file left behind" \
		test -z "$(find "$d" -name '*.tmp.*')"
	expect "save: into a missing folder" 3 "No such file" \
		"$save" -q -v "$d/vmcore.elf" "$d/no/such/dir/out.rec"
	cp "$d/standard.bin" "$d/keep.rec"
	expect "save: onto a folder" 3 "" \
		"$save" -q -v "$d/vmcore.elf" "$d"
	check "save: an existing file is replaced whole" \
		cmp -s "$d/keep.rec" "$d/standard.bin"
	# A device is written in place, never renamed over.
	expect "save: onto /dev/null" 0 "" "$save" -q -v "$d/vmcore.elf" /dev/null
	check "save: /dev/null is still a device" test -c /dev/null
	if [[ -c /dev/full ]]; then
		expect "save: onto a full device" 3 "No space" \
			"$save" -q -v "$d/vmcore.elf" /dev/full
		check "save: /dev/full is still a device" test -c /dev/full
	fi
}

usage_tests
save_tests
io_tests
damaged_input_tests
user_block_tests

samples=()
if [[ -d $SAMPLES ]]; then
	samples=("$SAMPLES"/*record*.bin)
	[[ -e ${samples[0]} ]] || samples=()
elif [[ -n $SAMPLES ]]; then
	samples=("$SAMPLES")
fi
if ((${#samples[@]} == 0)); then
	echo "skipped: no sample record (set BUGCHECK_RECORD_SAMPLES)"
	skipped=$((skipped + 1))
fi
for rec in "${samples[@]}"; do
	if [[ ! -r $rec ]]; then
		echo "FAIL: sample record $rec is not readable"
		failed=$((failed + 1))
		continue
	fi
	sample_tests "$rec"
done

summary="$passed passed, $failed failed"
((skipped)) && summary+=", $skipped skipped"
echo "$summary"
((failed == 0))
