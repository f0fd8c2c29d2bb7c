#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_man.sh - the man pages are lint-clean, have the sections a reader
# looks for, and carry the version of the top-level VERSION file.
#
#   [VERSION=X.Y.Z] test_man.sh PAGE...
#
# PAGE is a built page (userspace/Makefile puts VERSION into the sources'
# @VERSION@).  Each page must make `groff -man -ww -z` print nothing (groff
# exits 0 on warnings, so its output is what counts), have NAME, SYNOPSIS,
# DESCRIPTION and SEE ALSO (section 3 pages also RETURN VALUE and ERRORS),
# and name the version on its .TH line as "bugcheck VERSION" or
# "libbugcheck VERSION".  GROFF and VERSION are taken from the environment,
# VERSION by default from the VERSION file.  Exit status 1 if any page
# failed.

set -u
GROFF=${GROFF:-groff}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VERSION=${VERSION:-$(cat "$here/../../VERSION")}
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
	# .TH title section date "source version" "manual"
	source=$(sed -nE 's/^\.TH +[^ ]+ +[^ ]+ +[^ ]+ +"([^"]*)".*/\1/p' "$page" | head -n1)
	if [[ ! $source =~ ^(lib)?bugcheck\ (.*)$ ]]; then
		problems+=(".TH names no bugcheck version: \"$source\"")
	elif [[ ${BASH_REMATCH[2]} != "$VERSION" ]]; then
		problems+=(".TH says version ${BASH_REMATCH[2]}, VERSION says $VERSION")
	fi
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
