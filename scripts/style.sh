#!/usr/bin/env bash
# `make style`: checkpatch (from the debug kernel tree) and clang-format (kernel style) on
# the project's C sources.  Exits non-zero on any complaint.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tree=$("$top/scripts/debug-kernel.sh" --print-dir) || exit 1
mapfile -t files < <(git ls-files '*.c' '*.h')
[ ${#files[@]} -gt 0 ] || { echo "no C sources"; exit 0; }
rc=0
"$tree/scripts/checkpatch.pl" --no-tree --quiet --strict --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE \
	-f "${files[@]}" || rc=1
for f in "${files[@]}"; do
	if ! clang-format --style="file:$tree/.clang-format" "$f" | diff -q "$f" - >/dev/null; then
		echo "clang-format: $f differs from kernel style (clang-format --style=file:$tree/.clang-format -i $f)"
		rc=1
	fi
done
exit $rc
