#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench_report.sh - report time and core size per dump type against gdb's
# gcore of the same process, a report_target with 256 MiB of touched heap,
# measured in the same run.  Prints one "figure:" line per type (goal: mini
# <= 0.05x gcore's time, heap <= 1x); fails only when it cannot measure.
#
#   bench_report.sh [BUILD_DIR] [HEAP_MIB]

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
O=$(cd "${1:-$src/../build/userspace}" && pwd) || exit 1
MIB=${2:-256}
REP=$O/bugcheck-report
TGT=$O/guest/report_target
RUNS=5

command -v gcore >/dev/null || { echo "FAIL: no gcore (gdb; scripts/deps.sh user)"; exit 1; }
tmp=$(mktemp -d -p "${TMPDIR:-/tmp}") || exit 1
tpid=
trap '[ -n "$tpid" ] && kill -9 $tpid 2>/dev/null; rm -rf "$tmp"' EXIT

mkfifo "$tmp/in"
"$TGT" --heap "$MIB" <"$tmp/in" >"$tmp/out" 2>&1 &
tpid=$!
exec 3>"$tmp/in"
for _ in $(seq 600); do
	grep -q '^ready' "$tmp/out" && break
	sleep 0.05
done
grep -q '^ready' "$tmp/out" || { echo "FAIL: the target did not start"; exit 1; }
tid=$(sed 's/.* tid_a=\([0-9]*\).*/\1/' <"$tmp/out" | head -n 1)

now_us() { echo $(($(date +%s%N) / 1000)); }

# median of the arguments
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

# time_report TYPE: median microseconds of RUNS reports; the core's size
# into $tmp/bytes
time_report() {
	local t=() i s e dir
	for i in $(seq $RUNS); do
		mkdir "$tmp/s$i"
		s=$(now_us)
		"$REP" "$tpid" --tid "$tid" --type "$1" --store "$tmp/s$i" --quiet || return 1
		e=$(now_us)
		t+=($((e - s)))
		dir=$(ls -d "$tmp/s$i"/*/)
		stat -c %s "$dir"/dump1.*.core >"$tmp/bytes"
		rm -rf "$tmp/s$i"
	done
	median "${t[@]}"
}

g=()
for i in $(seq $RUNS); do
	s=$(now_us)
	gcore -o "$tmp/gcore" "$tpid" >/dev/null 2>&1 || { echo "FAIL: gcore failed"; exit 1; }
	e=$(now_us)
	g+=($((e - s)))
	gbytes=$(stat -c %s "$tmp/gcore.$tpid")
	rm -f "$tmp/gcore.$tpid"
done
gus=$(median "${g[@]}")
echo "gcore of a $MIB MiB process: $gus us, $gbytes bytes (median of $RUNS)"
for type in micro mini heap; do
	us=$(time_report $type) || { echo "FAIL: $type report failed"; exit 1; }
	BYTES=$(cat "$tmp/bytes")
	awk -v t=$type -v us=$us -v g=$gus -v b=$BYTES -v gb=$gbytes -v m=$MIB 'BEGIN {
		printf "figure: %s report of a %d MiB process: %d us, %d bytes; gcore %d us, %d bytes; time ratio %.3f, size ratio %.3f\n",
			t, m, us, b, g, gb, us / g, b / gb }'
done
echo step >&3
sleep 0.2
kill -0 $tpid 2>/dev/null || { echo "FAIL: the target died"; exit 1; }
echo "goal: mini <= 0.05x gcore's time, heap <= 1x (the figures above)"
