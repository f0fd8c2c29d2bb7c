#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_man.sh - the man pages are lint-clean and have the sections a reader
# looks for.
#
#   test_man.sh PAGE...
#
# Each page must make `groff -man -ww -z` print nothing (groff exits 0 on
# warnings, so its output is what counts) and have NAME, SYNOPSIS,
# DESCRIPTION and SEE ALSO; section 3 pages also RETURN VALUE and ERRORS.
# GROFF is taken from the environment.  Exit status 1 if any page failed.

set -u
GROFF=${GROFF:-groff}
passed=0
failed=0

if [[ $# -eq 0 ]]; then
	echo "FAIL: no man pages given"
	exit 1
fi

for page in "$@"; do
	name=${page##*/}
	problems=()
	out=$(LC_ALL=C.UTF-8 $GROFF -man -ww -z "$page" 2>&1) || problems+=("groff failed")
	[[ -n $out ]] && problems+=("groff: $out")
	want=(NAME SYNOPSIS DESCRIPTION "SEE ALSO")
	[[ $name == *.3 ]] && want+=("RETURN VALUE" ERRORS)
	for sec in "${want[@]}"; do
		grep -Eq "^\.SH \"?$sec\"?\$" "$page" || problems+=("no $sec section")
	done
	if [[ ${#problems[@]} -eq 0 ]]; then
		passed=$((passed + 1))
		echo "ok: $name"
	else
		failed=$((failed + 1))
		echo "FAIL: $name"
		printf '    %s\n' "${problems[@]}"
	fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
