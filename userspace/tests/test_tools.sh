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
# There is no user-space writer of records, so the cases that need a valid
# record use real ones: BUGCHECK_RECORD_SAMPLES names a record file (or a
# directory of *record*.bin files) pulled out of a vmcore by an e2e run.  Without
# one those cases are skipped; the damaged-input cases then run on made-up
# bytes only.  Exit status 1 if any case failed.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${BUGCHECK_RECORD:-${1:-${O:-$here/../../build/userspace}}/bugcheck-record}
SAMPLES=${BUGCHECK_RECORD_SAMPLES:-}

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
	expect "--help" 0 "^Usage: bugcheck-record" "$BIN" --help
	expect "-h" 0 "exit status" "$BIN" -h
	expect "--version" 0 "^bugcheck-record [0-9]" "$BIN" --version
}

io_tests() {
	local cmd

	for cmd in show pages check; do
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

	for cmd in check show pages; do
		expect "$cmd of random bytes" 1 "damaged" \
			"$BIN" $cmd "$tmp/random.bin"
	done
	expect "tags of random bytes" 1 "damaged" \
		"$BIN" tags "$tmp/random.bin" -x
	expect "extract from random bytes" 1 "damaged" "$BIN" extract \
		"$tmp/random.bin" 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50 \
		"$tmp/out"
	expect "check of an empty file" 1 "damaged" "$BIN" check \
		"$tmp/empty.bin"
	expect "show of an empty file" 1 "damaged" "$BIN" show \
		"$tmp/empty.bin"
	expect "check of an all-zero area" 1 "damaged" "$BIN" check \
		"$tmp/zeros.bin"
	expect "check of random bytes on stdin" 1 "damaged" \
		"$BIN" check - <"$tmp/random.bin"
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

usage_tests
io_tests
damaged_input_tests

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
