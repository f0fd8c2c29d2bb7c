#!/usr/bin/env bash
# `make style`: checkpatch --strict and clang-format (kernel style) on the project's C
# sources, or on those under the PATHs given:
#
#   scripts/style.sh [PATH...]      e.g. scripts/style.sh userspace tests/tools
#
# Exits non-zero on any complaint.  User space (userspace/, tests/vm/guest/) is held to
# the same rules except the ones that only make sense inside the kernel: its types are
# uint32_t and friends, it has no __printf(), ARRAY_SIZE() or BIT() of the kernel's, and
# the names of the system's headers it uses (Elf64_Ehdr, zlib's uLong) are not its own.
#
# The kernel's checkpatch.pl (with spelling.txt and const_structs.checkpatch) and
# .clang-format come from Debian's linux-source-6.1 (`scripts/deps.sh style` installs
# it, with clang-format): extracted once into $BUGCHECK_CACHE/style-VERSION (default
# /var/cache/bugcheck), or copied from a debug kernel tree of that version when one is
# there.  No kernel is configured or built.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
cache=${BUGCHECK_CACHE:-/var/cache/bugcheck}
die() { echo "style.sh: $*" >&2; exit 2; }

command -v clang-format >/dev/null || die "clang-format is not installed: scripts/deps.sh style installs it"
tarball=/usr/src/linux-source-6.1.tar.xz
srcver=$(dpkg-query -W -f='${db:Status-Status} ${Version}' linux-source-6.1 2>/dev/null)
case $srcver in
"installed "*) srcver=${srcver#installed } ;;
*) srcver= ;;
esac
[ -n "$srcver" ] && [ -f "$tarball" ] ||
	die "checkpatch.pl and the kernel's .clang-format come from Debian's linux-source-6.1, which is not installed: scripts/deps.sh style installs it"

tools="$cache/style-$srcver"
need=(.clang-format scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch)
if [ ! -f "$tools/.bugcheck-extracted" ]; then
	mkdir -p "$cache" || die "cannot create $cache (set BUGCHECK_CACHE)"
	tmp=$(mktemp -d "$cache/.style-$srcver.XXXXXX") || die "cannot write to $cache"
	chmod 755 "$tmp"
	from=
	# scripts/debug-kernel.sh moves a tree into place only once it is fully extracted.
	for t in "$cache/linux-$srcver"-*/; do
		[ -f "$t/Makefile" ] && [ -f "$t/scripts/checkpatch.pl" ] && { from=$t; break; }
	done
	if [ -n "$from" ]; then
		(cd "$from" && cp --parents "${need[@]}" "$tmp/") || { rm -rf "$tmp"; die "cannot copy the tools from $from"; }
	else
		echo "style.sh: extracting checkpatch.pl and .clang-format from $tarball into $tools" >&2
		tar -xJf "$tarball" -C "$tmp" --strip-components=1 "${need[@]/#/linux-source-6.1/}" ||
			{ rm -rf "$tmp"; die "cannot extract ${need[*]} from $tarball"; }
	fi
	touch "$tmp/.bugcheck-extracted"
	# A parallel run may have won the race; its copy is as good as this one.
	mv -T "$tmp" "$tools" 2>/dev/null || rm -rf "$tmp"
	[ -f "$tools/.bugcheck-extracted" ] || die "no tools in $tools"
fi
checkpatch="$tools/scripts/checkpatch.pl"
# The kernel's ForEachMacros plus the project's own for_each macros, found the way
# the kernel's .clang-format says its list was made, so that clang-format formats
# their uses as loops.  The file is named after its content: parallel runs on
# different trees never overwrite each other's.
style_text=$(awk -v macros="$(git grep -h -E '^#define [^[:space:]]*for_each[^[:space:]]*\(' -- '*.c' '*.h' |
	sed -E 's/^#define ([^[:space:](]*).*/\1/' | LC_ALL=C sort -u | tr '\n' ' ')" '
	{ print }
	/^ForEachMacros:/ { n = split(macros, m, " "); for (i = 1; i <= n; i++) printf "  - '\''%s'\''\n", m[i] }' \
	"$tools/.clang-format")
style="$tools/clang-format-$(printf '%s\n' "$style_text" | sha256sum | cut -c1-12)"
if [ ! -f "$style" ]; then
	printf '%s\n' "$style_text" >"$style.$$" && mv -f "$style.$$" "$style" || die "cannot write $style"
fi

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
# Where a rule is wrong for one file, the file and the rule's checkpatch types, with
# why.  The rule stays on for every other file, and an entry that its file no longer
# needs is a complaint of its own, so the table cannot outlive its reasons.
exceptions=(
	"module/compat.h NEW_TYPEDEFS: a sysrq handler's key is an int before 6.7 and a u8 from 6.7 on; the typedef names that type once for both"
	"module/include/bugcheck.h MACRO_ARG_REUSE: fn is a symbol's name for symbol_get()/symbol_put(), never an expression"
	"module/callbacks/pages.c MACRO_ARG_REUSE: SAME_FIELD(f) takes a member name for offsetof(), never an expression"
	"module/internal.h IN_ATOMIC: bugcheck_cannot_sleep() tells the functions that may sleep (and power-on, which must then take the path that does not) that they are called in atomic context; in_atomic() is the only sign of a spinlock held, and the header says it needs CONFIG_PREEMPT_COUNT"
	"module/pm/crashdump.c USE_LOCKDEP: spin_is_locked() asks at a panic whether the PM core holds a device's lock (then the device is skipped), it asserts nothing"
	"tests/kunit/bugcheck_pm_test.c USE_LOCKDEP: the test checks that a stuck PM callback left the PM core's lock free, it asserts no lock of its own"
	"tests/kunit/record_walk.h MACRO_ARG_REUSE: rw_for_each_section()'s iterator is a loop cursor, set up once and advanced each turn, as list_for_each's are"
	"tests/modules/bugcheck_test_fault.c AVOID_BUG: the test module's job is to crash in a callback (the scenarios' planted BUG())"
	"tests/modules/bugcheck_test_nested.c AVOID_BUG: the test module's job is to crash in a dump-I/O sink and a power-on hook (nested-panics' planted BUG())"
	"tests/modules/bugcheck_test_pmstuck.c AVOID_BUG: the test module's job is to crash in a PM callback (the scenarios' planted BUG())"
)
declare -A excepted=()
for e in "${exceptions[@]}"; do
	f=${e%% *} t=${e#* }
	excepted[$f]=${t%%:*}
done

rc=0
# OPEN_ENDED_LINE is the awk check below instead: clang-format breaks after a call's
# '(' when the first argument does not fit, which checkpatch flags every time.
ignore=FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE,OPEN_ENDED_LINE
user_ignore=$ignore,PREFER_KERNEL_TYPES,PREFER_DEFINED_ATTRIBUTE_MACRO,ARRAY_SIZE,BIT_MACRO,CAMELCASE
# checkpatch IGNORE FILE...: the files with no exception in one run, then each
# excepted file on its own, with its types ignored and checked to be still needed.
checkpatch_run() {
	local ign=$1 f t plain=() found
	shift
	for f in "$@"; do
		[ -n "${excepted[$f]:-}" ] || plain+=("$f")
	done
	if [ ${#plain[@]} -gt 0 ]; then
		"$checkpatch" --no-tree --quiet --strict --show-types --ignore "$ign" -f "${plain[@]}" || rc=1
	fi
	for f in "$@"; do
		[ -n "${excepted[$f]:-}" ] || continue
		"$checkpatch" --no-tree --quiet --strict --show-types \
			--ignore "$ign,${excepted[$f]}" -f "$f" || rc=1
		found=$("$checkpatch" --no-tree --quiet --strict --show-types \
			--types "${excepted[$f]}" -f "$f" | sed -nE 's/^(ERROR|WARNING|CHECK):([A-Z_]+):.*/\2/p')
		for t in ${excepted[$f]//,/ }; do
			grep -qx "$t" <<<"$found" && continue
			echo "style.sh: $f: no $t left; remove it from the exceptions table in scripts/style.sh"
			rc=1
		done
	done
}
if [ $# -eq 0 ]; then
	for f in "${!excepted[@]}"; do
		git ls-files --error-unmatch -- "$f" >/dev/null 2>&1 && continue
		echo "style.sh: $f is in the exceptions table but not in the tree; remove it"
		rc=1
	done
fi
[ ${#kernel[@]} -eq 0 ] || checkpatch_run "$ignore" "${kernel[@]}"
[ ${#user[@]} -eq 0 ] || checkpatch_run "$user_ignore" "${user[@]}"

# checkpatch's OPEN_ENDED_LINE, less the breaks clang-format makes: a code line
# (not a comment or a string) may end with '(' only where it opens a call or a
# declaration's parameters (a name or a ')' before it), and never with '['.
open_ended=$(awk '
FNR == 1 { incomment = 0 }
{
	code = $0
	gsub(/"([^"\\]|\\.)*"|'\''([^'\''\\]|\\.)*'\''/, "\"\"", code)
	if (incomment) {
		if (code !~ /\*\//)
			next
		sub(/^.*\*\//, "", code)
		incomment = 0
	}
	gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", code)
	sub(/\/\/.*/, "", code)
	if (code ~ /\/\*/) {
		sub(/\/\*.*/, "", code)
		incomment = 1
	}
	sub(/[ \t]+$/, "", code)
	if (code ~ /\[$/ || (code ~ /\($/ && code !~ /[A-Za-z0-9_)]\($/))
		printf "OPEN_ENDED_LINE: %s:%d: line ends with '\''%s'\'' that opens no call\n", FILENAME, FNR, substr(code, length(code))
}' "${files[@]}")
if [ -n "$open_ended" ]; then
	printf '%s\n' "$open_ended"
	rc=1
fi
for f in "${files[@]}"; do
	if ! clang-format --style="file:$style" "$f" | diff -q "$f" - >/dev/null; then
		echo "clang-format: $f differs from kernel style (clang-format --style=file:$style -i $f)"
		rc=1
	fi
done
exit $rc
