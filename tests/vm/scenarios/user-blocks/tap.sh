# shellcheck shell=bash
# expect_tap TAP RC NAME: a guest TAP run is whole and passed: exit status 0,
# no "Bail out!", a plan 1..N as the last result line with N results numbered
# 1..N in order, no "not ok".  SKIPs are listed with their reasons.
expect_tap() {
	local tap=$1 rc=$2 name=$3 n plan
	if [ ! -s "$tap" ]; then
		not_ok "$name ran" "$(basename "$tap") is missing or empty"
		return
	fi
	expect_eq "$(cat "$rc" 2>/dev/null)" 0 "$name exited 0"
	expect_no_match "$tap" '^Bail out!' "$name did not bail out"
	expect_no_match "$tap" '^not ok ' "$name: no test failed"
	n=$(grep -cE '^(not )?ok [0-9]+ ' "$tap")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$tap" | tail -n 1)
	if [ -z "$plan" ]; then
		not_ok "$name printed its plan" "no 1..N line (it stopped early)"
	else
		expect_eq "$n" "$plan" "$name: plan 1..$plan, $n results"
	fi
	if grep -E '^(not )?ok [0-9]+ ' "$tap" | awk '{ n = ($1 == "not") ? $3 : $2; if (n != NR) bad = 1 } END { exit bad }'; then
		ok "$name: results numbered 1..$n in order"
	else
		not_ok "$name: results numbered 1..$n in order" "a number is missing or repeated"
	fi
	[ "$n" -gt 0 ] || not_ok "$name ran tests" "no results"
	grep -E '^ok [0-9]+ .*# SKIP' "$tap" | sed 's/^ok [0-9]* - /  skipped: /'
	grep -E '^not ok ' "$tap" | head -n 20
}
