#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_report.sh - error reports without the module: live reports of each
# type of a running three-thread process and crash-handler reports, read
# back with gdb; the store, its queue and the bad inputs.  Registered blocks
# need /dev/bugcheck and are tested in the error-reports VM scenario.
#
#   test_report.sh [BUILD_DIR]
#
# Needs root (the "no permission" and "store not writable" cases run the
# reporter as nobody, the "full store" case mounts a small tmpfs), gdb,
# readelf, xxd and setpriv.  Exit status 1 if any case failed.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
O=$(cd "${1:-$src/../build/userspace}" && pwd) || exit 1
REP=$O/bugcheck-report
TGT=$O/guest/report_target
. "$here/report-lib.sh"

passed=0
failed=0
skipped=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }

for tool in gdb readelf xxd setpriv; do
	command -v $tool >/dev/null || { echo "FAIL: $tool is missing (scripts/deps.sh user)"; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "FAIL: test_report.sh needs root"; exit 1; }

tmp=$(mktemp -d) || exit 1
chmod 0755 "$tmp"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	mountpoint -q "$tmp/full" && umount "$tmp/full"
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_target NAME [ARGS...]: report_target with its stdin on a fifo; sets
# T_PID T_MAIN T_A T_B T_HEAP T_DD from its "ready" line.
start_target() {
	local name=$1 i
	shift
	mkfifo "$tmp/$name.in"
	"$@" <"$tmp/$name.in" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pids+=($!)
	exec {fd}>"$tmp/$name.in"
	eval "FD_$name=$fd"
	for i in $(seq 100); do
		grep -q '^ready' "$tmp/$name.out" 2>/dev/null && break
		sleep 0.05
	done
	local r
	r=$(grep '^ready' "$tmp/$name.out") || { fail "$name: no ready line"; return 1; }
	T_PID=$(sed 's/.* pid=\([0-9]*\).*/\1/' <<<"$r")
	T_MAIN=$(sed 's/.* tid_main=\([0-9]*\).*/\1/' <<<"$r")
	T_A=$(sed 's/.* tid_a=\([0-9]*\).*/\1/' <<<"$r")
	T_B=$(sed 's/.* tid_b=\([0-9]*\).*/\1/' <<<"$r")
	T_HEAP=$(sed 's/.* heap_marker=\(0x[0-9a-f]*\).*/\1/' <<<"$r")
	T_DD=$(sed 's/.* block_dd=\(0x[0-9a-f]*\).*/\1/' <<<"$r")
}

# steps NAME N: N "step" lines to the target.
steps() {
	local fdv=FD_$1 i
	for i in $(seq "$2"); do echo step >&"${!fdv}"; done
}

stop_target() {
	local fdv=FD_$1
	eval "exec ${!fdv}>&-"
	wait "$2" 2>/dev/null
}

report_dir() { sed -n 1p "$1"; }

# expect_fail NAME PATTERN CMD...: CMD exits 1 and says PATTERN on stderr.
expect_fail() {
	local name=$1 pat=$2 rc
	shift 2
	"$@" >"$tmp/x.out" 2>"$tmp/x.err"
	rc=$?
	if [[ $rc -eq 1 ]] && grep -Eq -- "$pat" "$tmp/x.err"; then
		ok "$name ($(head -c 150 "$tmp/x.err"))"
	else
		fail "$name: exit $rc, stderr: $(cat "$tmp/x.err")"
	fi
}

no_leftovers() {
	if compgen -G "$1/.tmp-*" >/dev/null; then
		fail "$2: a temporary folder is left in $1"
	else
		ok "$2: nothing half-written in the store"
	fi
}

# --- live reports of each type ------------------------------------------------

store=$tmp/store
mkdir -p "$store"
start_target live "$TGT" || exit 1
steps live 3
declare -A size
for type in micro mini heap; do
	if ! "$REP" "$T_PID" --tid "$T_A" --type $type --store "$store" --event hang \
		--report-type hang >"$tmp/$type.rep" 2>"$tmp/$type.err"; then
		fail "live $type report: $(cat "$tmp/$type.err")"
		continue
	fi
	dir=$(report_dir "$tmp/$type.rep")
	core=$(ls "$dir"/dump1.$type.core 2>/dev/null)
	[[ -f $dir/report.txt && -n $core ]] && ok "live $type: $dir has report.txt and dump1.$type.core" ||
		{ fail "live $type: no report folder"; continue; }
	size[$type]=$(stat -c %s "$core")
	bt=$(gdb_bt "$TGT" "$core")
	a=$(thread_frames "$bt" "$T_A" | tr '\n' ' ')
	[[ $a == *"worker_a_inner worker_a_outer"* ]] &&
		ok "live $type: gdb shows thread $T_A in worker_a_inner <- worker_a_outer" ||
		fail "live $type: thread $T_A frames '$a'"
	main=$(thread_frames "$bt" "$T_MAIN" | tr '\n' ' ')
	b=$(thread_frames "$bt" "$T_B" | tr '\n' ' ')
	if [[ $type == micro ]]; then
		# gdb may list the main thread it finds in memory, without registers
		[[ $main != *main_loop* && -z $b && $(threads_in "$bt") -le 2 ]] &&
			ok "live micro: only the given thread's registers and stack" ||
			fail "live micro: $(threads_in "$bt") threads, main '$main' b '$b'"
	else
		[[ $main == *"main_loop main"* && $b == *"worker_b_inner worker_b_outer"* ]] &&
			ok "live $type: every thread's frames (main_loop <- main, worker_b_inner)" ||
			fail "live $type: main '$main' b '$b'"
	fi
	[[ $(note_field "$core" dump_type) == "$type" && $(note_field "$core" pid) == "$T_PID" &&
		$(note_field "$core" comm) == report_target && $(note_field "$core" event) == hang &&
		$(note_field "$core" report_type) == hang && -n $(note_field "$core" time_utc) ]] &&
		ok "live $type: the BUGCHECK note names the report" ||
		fail "live $type: note: $(note_text "$core" | tr '\n' ' ')"
	[[ $(note_field "$core" registered_blocks) == unavailable* ]] &&
		ok "live $type: no /dev/bugcheck: the note says the blocks are unavailable" ||
		fail "live $type: registered_blocks=$(note_field "$core" registered_blocks)"
	x=$(gdb_x "$TGT" "$core" "$T_HEAP")
	if [[ $type == heap ]]; then
		[[ $x == *'"HEAP-ONLY-MARKER'* ]] && ok "heap: gdb x shows the heap's bytes" ||
			fail "heap: x at the heap marker: $x"
	else
		[[ $x == *"Cannot access memory"* ]] && ok "$type: the heap is not in it" ||
			fail "$type: x at the heap marker: $x"
	fi
	x=$(gdb_x "$TGT" "$core" "$T_DD")
	[[ $x == *"Cannot access memory"* ]] && ok "$type: MADV_DONTDUMP memory is not in it" ||
		fail "$type: x at the MADV_DONTDUMP page: $x"
done
if [[ -n ${size[micro]:-} && -n ${size[mini]:-} && -n ${size[heap]:-} &&
	${size[micro]} -lt ${size[mini]} && ${size[mini]} -lt ${size[heap]} ]]; then
	ok "sizes: micro ${size[micro]} < mini ${size[mini]} < heap ${size[heap]}"
else
	fail "sizes: micro ${size[micro]:-?} mini ${size[mini]:-?} heap ${size[heap]:-?}"
fi

# The target ran on, and its output is what a run without reports prints.
steps live 3
kill -0 "$T_PID" 2>/dev/null && ok "after the reports the target still runs" ||
	fail "the target died"
live_pid=$T_PID
stop_target live "$live_pid"
start_target base "$TGT" && steps base 6
stop_target base "$T_PID"
if grep -q '^step 6 ' "$tmp/live.out" && diff <(grep '^step\|^done' "$tmp/live.out") \
	<(grep '^step\|^done' "$tmp/base.out") >/dev/null; then
	ok "the reported target's output equals an unreported run's (6 steps, done)"
else
	fail "output differs: $(grep '^step\|^done' "$tmp/live.out" | tr '\n' ' ')"
fi

# --- the queue -------------------------------------------------------------------

out=$("$REP" list --store "$store")
[[ $(grep -c ' hang ' <<<"$out") -eq 3 && $out == *"total: 3 reports"* ]] &&
	ok "list: the 3 reports" || fail "list: $out"
id=$(basename "$(report_dir "$tmp/micro.rep")")
"$REP" remove --store "$store" "$id" >/dev/null && [[ ! -e $store/$id ]] &&
	ok "remove ID: gone" || fail "remove $id"
expect_fail "remove of an unknown id" "no report" "$REP" remove --store "$store" nosuch
"$REP" remove --store "$store" --all >/dev/null &&
	[[ $("$REP" list --store "$store") == *"total: 0 reports"* ]] &&
	ok "remove --all: the store is empty" || fail "remove --all"

# --- the crash handler -------------------------------------------------------------

for type in micro mini heap; do
	cs=$tmp/crash-$type
	mkdir -p "$cs"
	"$TGT" --handler $type --reporter "$REP" --store "$cs" --crash segv \
		</dev/null >"$tmp/crash.out" 2>&1
	rc=$?
	[[ $rc -eq 139 ]] && ok "crash handler ($type): the process still dies of SIGSEGV" ||
		fail "crash handler ($type): exit status $rc"
	core=$(ls "$cs"/*/dump1.$type.core 2>/dev/null | head -n 1)
	[[ -n $core ]] || { fail "crash handler ($type): no report in $cs"; continue; }
	tid=$(note_field "$core" tid)
	bt=$(gdb_bt "$TGT" "$core")
	f=$(thread_frames "$bt" "$tid" | tr '\n' ' ')
	[[ $f == "crash_here crash_level2 crash_level1 main "* ]] &&
		ok "crash handler ($type): gdb shows crash_here <- crash_level2 <- crash_level1 <- main" ||
		fail "crash handler ($type): crashing thread's frames '$f'"
	if [[ $type != micro ]]; then
		[[ $(threads_in "$bt") -eq 3 && $bt == *worker_b_inner* ]] &&
			ok "crash handler ($type): all 3 threads" ||
			fail "crash handler ($type): $(threads_in "$bt") threads"
	fi
	[[ $(gdb_eval "$TGT" "$core" '$_siginfo.si_signo') == *"= 11" &&
		$(note_field "$core" signal) == 11 && $(note_field "$core" event) == crash ]] &&
		ok "crash handler ($type): NT_SIGINFO and the note say SIGSEGV" ||
		fail "crash handler ($type): siginfo $(gdb_eval "$TGT" "$core" '$_siginfo.si_signo')"
	grep -q '^status=queued' "$(dirname "$core")/report.txt" &&
		ok "crash handler ($type): the report is queued" || fail "crash handler ($type): not queued"
done
cs=$tmp/crash-abort
mkdir -p "$cs"
"$TGT" --handler mini --reporter "$REP" --store "$cs" --crash abort </dev/null >/dev/null 2>&1
rc=$?
core=$(ls "$cs"/*/dump1.mini.core 2>/dev/null | head -n 1)
f=$([[ -n $core ]] && thread_frames "$(gdb_bt "$TGT" "$core")" "$(note_field "$core" tid)" | tr '\n' ' ')
[[ $rc -eq 134 && $f == *"abort crash_here crash_level2 crash_level1 main"* ]] &&
	ok "crash handler (abort): dies of SIGABRT, gdb shows abort <- crash_here <- ... <- main" ||
	fail "crash handler (abort): exit $rc, frames '$f'"

# --- bad input ----------------------------------------------------------------------

store=$tmp/bad
mkdir -p "$store"
start_target bad "$TGT" || exit 1
expect_fail "a pid no process has" "no process" "$REP" 2147483646 --store "$store"
expect_fail "a tid not in the pid" "is not a thread of process" \
	"$REP" "$T_PID" --tid $$ --store "$store"
expect_fail "micro without a tid" "give its tid" "$REP" "$T_PID" --type micro --store "$store"
bash -c 'sleep 0.1 & exec sleep 5' &
zparent=$!
pids+=($zparent)
sleep 0.5
zombie=$(ps -o pid= --ppid $zparent | tr -d ' ')
if [[ -n $zombie && $(ps -o stat= -p "$zombie") == Z* ]]; then
	expect_fail "a zombie" "zombie" "$REP" "$zombie" --store "$store"
else
	fail "could not make a zombie (child '$zombie')"
fi
kill $zparent 2>/dev/null
expect_fail "no permission: nobody against root's process" "belongs to uid 0" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$REP" "$T_PID" --store /tmp
mkdir -p "$tmp/ro"
setpriv --reuid=65534 --regid=65534 --clear-groups sleep 30 &
pids+=($!)
sleep 0.3
expect_fail "a store that is not writable" "not writable" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$REP" $! --store "$tmp/ro"
no_leftovers "$tmp/ro" "not writable"
mkdir -p "$tmp/full"
if mount -t tmpfs -o size=256k tmpfs "$tmp/full" 2>/dev/null; then
	expect_fail "a full store (256 KiB tmpfs, heap dump)" "is full" \
		"$REP" "$T_PID" --type heap --store "$tmp/full"
	no_leftovers "$tmp/full" "full store"
	[[ -z $(ls "$tmp/full") ]] && ok "full store: no report folder" ||
		fail "full store: $(ls "$tmp/full")"
	umount "$tmp/full"
else
	skip "a full store: cannot mount a tmpfs here"
fi
[[ -z $(ls "$store") ]] && ok "bad input: nothing in the store" || fail "store: $(ls "$store")"
stop_target bad "$T_PID"

# A process killed while its heap is being dumped: an error, no half report.
vs=$tmp/vanish
mkdir -p "$vs"
start_target vanish "$TGT" --heap 256 || exit 1
vpid=$T_PID
"$REP" "$vpid" --type heap --store "$vs" >"$tmp/vanish.rep" 2>"$tmp/vanish.err" &
rpid=$!
for _ in $(seq 500); do
	c=$(ls "$vs"/.tmp-*/dump1.heap.core 2>/dev/null | head -n 1)
	[[ -n $c && $(stat -c %s "$c" 2>/dev/null || echo 0) -gt 16777216 ]] && break
	sleep 0.01
done
kill -9 "$vpid"
wait $rpid
rc=$?
if [[ $rc -eq 1 ]] && grep -q "went away while it was being dumped" "$tmp/vanish.err"; then
	ok "killed mid-dump: $(cat "$tmp/vanish.err")"
else
	fail "killed mid-dump: exit $rc, $(cat "$tmp/vanish.err") (the dump may have ended before the kill)"
fi
[[ -z $(ls -A "$vs") ]] && ok "killed mid-dump: nothing in the store" || fail "killed mid-dump: $(ls -A "$vs")"
stop_target vanish "$vpid"

# A process name with a newline cannot add lines to report.txt or the note.
evil=$tmp/$'x\nstatus=forged'
ln -s "$TGT" "$evil"
start_target evil "$evil" || exit 1
if "$REP" "$T_PID" --store "$store" >"$tmp/evil.rep" 2>"$tmp/evil.err"; then
	dir=$(report_dir "$tmp/evil.rep")
	[[ $(grep -c '^status=' "$dir/report.txt") -eq 1 && $(grep '^comm=' "$dir/report.txt") == 'comm=x?status=forged' &&
		$(note_field "$dir/dump1.mini.core" comm) == 'x?status=forged' ]] &&
		ok "a comm with a newline is written as x?status=forged" ||
		fail "comm: $(grep -E '^(comm|status)=' "$dir/report.txt" | tr '\n' ' ')"
else
	fail "report of the oddly named process: $(cat "$tmp/evil.err")"
fi
stop_target evil "$T_PID"

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
