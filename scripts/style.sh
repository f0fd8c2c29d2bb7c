#!/usr/bin/env bash
# `make style`: checkpatch (from the debug kernel tree) and clang-format (kernel style) on
# the project's C sources, or on those under the PATHs given:
#
#   scripts/style.sh [PATH...]      e.g. scripts/style.sh userspace tests/tools
#
# Exits non-zero on any complaint.  User space (userspace/, tests/vm/guest/) is held to
# the same rules except the ones that only make sense inside the kernel: its types are
# uint32_t and friends, it has no __printf(), ARRAY_SIZE() or BIT() of the kernel's, and
# the names of the system's headers it uses (Elf64_Ehdr, zlib's uLong) are not its own.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tree=$("$top/scripts/debug-kernel.sh" --print-dir) || exit 1
if [ $# -gt 0 ]; then
	for p in "$@"; do
		[ -e "$p" ] || { echo "style.sh: $p: no such file or folder"; exit 2; }
	done
	mapfile -t files < <(git ls-files -- "${@/%//*.c}" "${@/%//*.h}" "$@" | grep -E '\.[ch]$' | sort -u)
else
	mapfile -t files < <(git ls-files '*.c' '*.h')
fi
[ ${#files[@]} -gt 0 ] || { echo "no C sources"; exit 0; }
kernel=() user=()
for f in "${files[@]}"; do
	case $f in
	userspace/* | tests/vm/guest/*) user+=("$f") ;;
	*) kernel+=("$f") ;;
	esac
done
rc=0
ignore=FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE
user_ignore=$ignore,PREFER_KERNEL_TYPES,PREFER_DEFINED_ATTRIBUTE_MACRO,ARRAY_SIZE,BIT_MACRO,CAMELCASE
if [ ${#kernel[@]} -gt 0 ]; then
	"$tree/scripts/checkpatch.pl" --no-tree --quiet --strict --show-types \
		--ignore "$ignore" -f "${kernel[@]}" || rc=1
fi
if [ ${#user[@]} -gt 0 ]; then
	"$tree/scripts/checkpatch.pl" --no-tree --quiet --strict --show-types \
		--ignore "$user_ignore" -f "${user[@]}" || rc=1
fi
for f in "${files[@]}"; do
	if ! clang-format --style="file:$tree/.clang-format" "$f" | diff -q "$f" - >/dev/null; then
		echo "clang-format: $f differs from kernel style (clang-format --style=file:$tree/.clang-format -i $f)"
		rc=1
	fi
done
exit $rc
