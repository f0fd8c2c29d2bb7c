# SPDX-License-Identifier: GPL-2.0
# report-lib.sh - reading error reports' cores for tests (sourced by
# test_report.sh on the host and by the error-reports VM scenario's check).

# note_text CORE: the text of the core's BUGCHECK note, or nothing.
note_text() {
	readelf -nW "$1" 2>/dev/null | awk '
		/^ *BUGCHECK / && /description data:/ {
			sub(/.*description data: /, ""); print; exit
		}' | xxd -r -p | tr -d '\0'
}

# note_field CORE KEY: one KEY=value of the note.
note_field() {
	note_text "$1" | sed -n "s/^$2=//p" | head -n 1
}

# gdb_bt BINARY CORE: every thread's backtrace, as gdb prints it.
gdb_bt() {
	timeout 120 gdb -nx -batch -ex 'set debuginfod enabled off' \
		-ex 'thread apply all bt' "$1" "$2" 2>&1
}

# gdb_x BINARY CORE ADDRESS: 16 bytes at ADDRESS as a string.
gdb_x() {
	timeout 120 gdb -nx -batch -ex 'set debuginfod enabled off' \
		-ex "x/s $3" "$1" "$2" 2>&1 | tail -n 1
}

# gdb_eval BINARY CORE EXPR: print EXPR.
gdb_eval() {
	timeout 120 gdb -nx -batch -ex 'set debuginfod enabled off' \
		-ex "print $3" "$1" "$2" 2>&1 | tail -n 1
}

# thread_frames BT TID: the function names of thread TID's frames, one a line.
thread_frames() {
	printf '%s\n' "$1" | awk -v tid="$2" '
		/^Thread [0-9]+ / { on = ($0 ~ "LWP " tid "\\)"); next }
		on && /^#[0-9]+ / {
			for (i = 2; i <= NF; i++) if ($i == "in") { print $(i + 1); break }
			if ($0 !~ / in /) print $2
		}'
}

# threads_in BT: how many threads gdb lists.
threads_in() {
	printf '%s\n' "$1" | grep -c '^Thread [0-9]* '
}
