#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_libbugcheck.sh - libbugcheck as a program outside the tree sees it:
# exports equal to the version script, `make install` honouring PREFIX and
# DESTDIR, a program found through pkg-config building (shared and --static)
# and running, `make uninstall` leaving nothing; bugcheck-blocks' exit codes.
#
#   test_libbugcheck.sh [BUILD_DIR]
#
# BUILD_DIR is the O= of a finished `make -C userspace` (default
# build/userspace of this tree).  MAKE, CC, NM, PKG_CONFIG are taken from
# the environment.  Exit status 1 if any case failed.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
O=$(cd "${1:-$src/../build/userspace}" && pwd) || exit 1
MAKE=${MAKE:-make}
CC=${CC:-cc}
NM=${NM:-nm}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
MAP=$src/lib/bugcheck/libbugcheck.map
VERSION=$(cat "$src/../VERSION")
MAJOR=${VERSION%%.*}
SO=libbugcheck.so.$VERSION
SONAME=libbugcheck.so.$MAJOR

passed=0
failed=0

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check NAME CMD...: CMD must succeed; its output is shown if it does not.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		fail "$name"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
}

# expect NAME STATUS PATTERN CMD...: CMD exits with STATUS and its stderr
# matches the extended regex PATTERN ("" matches anything).
expect() {
	local name=$1 want=$2 pattern=$3 rc
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [[ $rc -ne $want ]]; then
		fail "$name: exit status $rc, want $want"
		sed 's/^/    /' "$tmp/err"
	elif [[ -n $pattern ]] && ! grep -Eq -- "$pattern" "$tmp/err"; then
		fail "$name: stderr does not match '$pattern'"
		sed 's/^/    /' "$tmp/err"
	else
		ok "$name"
	fi
}

# The global names of the version script, sorted.
map_globals() {
	sed -n '/global:/,/local:/p' "$MAP" | grep -Eo '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*;' |
		tr -d ' \t;' | sort
}

# same_list NAME FILE_A FILE_B: the two lists are equal.
same_list() {
	if diff -u "$2" "$3" >"$tmp/diff"; then
		ok "$1"
	else
		fail "$1"
		sed 's/^/    /' "$tmp/diff"
	fi
}

is_static() {
	[[ -f $1 ]] && ! readelf -d "$1" 2>/dev/null | grep -q NEEDED
}

# --- the built library -------------------------------------------------------

map_globals >"$tmp/map"
if [[ ! -s $tmp/map ]]; then
	fail "no global symbols found in $MAP"
fi

# Every defined dynamic symbol is a map global, at version LIBBUGCHECK_1
# (plus the version node's own absolute symbol).
$NM -D --defined-only "$O/$SO" | awk '$2 != "A" { print $3 }' | sort >"$tmp/so"
sed 's/$/@@LIBBUGCHECK_1/' "$tmp/map" >"$tmp/map-versioned"
same_list "$SO exports exactly the version script's globals" "$tmp/map-versioned" "$tmp/so"

# The archive: the same visible globals; its internals (shared by its units
# and bugcheck-report) are hidden and named bugcheck__*.
readelf -sW "$O/libbugcheck.a" | awk '$5 == "GLOBAL" && $7 != "UND" && $6 == "DEFAULT" { print $8 }' |
	sort -u >"$tmp/a"
same_list "libbugcheck.a's visible globals are exactly the version script's" "$tmp/map" "$tmp/a"
readelf -sW "$O/libbugcheck.a" | awk '$5 == "GLOBAL" && $7 != "UND" && $6 != "DEFAULT" { print $6, $8 }' |
	grep -v '^HIDDEN bugcheck__' >"$tmp/a-other"
same_list "libbugcheck.a's other globals are hidden and named bugcheck__*" /dev/null "$tmp/a-other"

check "the library is $SO (VERSION), its soname $SONAME" \
	bash -c "readelf -d '$O/$SO' | grep -q 'SONAME.*\\[$SONAME\\]'"
check "$SONAME -> $SO, libbugcheck.so -> $SONAME" \
	test "$(readlink "$O/$SONAME")" = "$SO" -a "$(readlink "$O/libbugcheck.so")" = "$SONAME"
check "libbugcheck_version.h says VERSION" \
	bash -c "grep -q '^#define LIBBUGCHECK_VERSION_MAJOR $MAJOR\$' '$O/include/libbugcheck_version.h' &&
		 grep -q '^#define LIBBUGCHECK_VERSION \"$VERSION\"\$' '$O/include/libbugcheck_version.h'"

# The public header stands alone, in strict C99, and does not drag the uapi in.
printf '#include <libbugcheck.h>\nint main(void) { return bugcheck_get_limits(0) == 0; }\n' >"$tmp/hdr.c"
check "libbugcheck.h compiles alone (-std=c99 -pedantic)" \
	$CC -std=c99 -pedantic -Wall -Wextra -Werror -I"$src/include" -I"$O/include" -c -o "$tmp/hdr.o" "$tmp/hdr.c"
check "libbugcheck.h does not include the uapi header" \
	bash -c "! grep -q '#include.*bugcheck_dev' '$src/include/libbugcheck.h'"

# --- install, pkg-config, uninstall -----------------------------------------

cat >"$tmp/consumer.c" <<'EOF'
#include <errno.h>
#include <stdio.h>
#include <libbugcheck.h>

int main(void)
{
	struct bugcheck_limits limits;
	int ret = bugcheck_get_limits(&limits);

	printf("bugcheck_get_limits: %d\n", ret);
	return ret == 0 || ret == -ENODEV ? 0 : 1;
}
EOF

# pc PKG_CONFIG_LIBDIR [SYSROOT] ARGS...: pkg-config on that folder only.
pc() {
	local dir=$1 sysroot=$2
	shift 2
	PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=$dir PKG_CONFIG_SYSROOT_DIR=$sysroot \
		$PKG_CONFIG "$@" libbugcheck
}

prefix=$tmp/usr
if $MAKE -s -C "$src" O="$O" PREFIX="$prefix" install >"$tmp/install.log" 2>&1; then
	ok "make install PREFIX=..."
else
	fail "make install PREFIX=..."
	sed 's/^/    /' "$tmp/install.log"
fi
missing=
for f in lib/$SO lib/$SONAME lib/libbugcheck.so lib/libbugcheck.a lib/pkgconfig/libbugcheck.pc \
	include/libbugcheck.h include/libbugcheck_version.h bin/bugcheck-blocks bin/bugcheck-record \
	bin/bugcheck-report sbin/bugcheck-save share/man/man1/bugcheck-report.1 \
	share/man/man3/bugcheck_report_submit.3 share/man/man3/bugcheck_install_crash_handler.3 \
	share/man/man3/bugcheck_register_memory_block.3 share/man/man3/bugcheck_unregister_memory_block.3 \
	share/man/man3/bugcheck_list_memory_blocks.3 share/man/man3/bugcheck_get_limits.3 \
	share/man/man7/libbugcheck.7 share/man/man1/bugcheck-blocks.1; do
	[[ -e $prefix/$f ]] || missing+=" $f"
done
[[ -z $missing ]] && ok "install put every file in place" || fail "not installed:$missing"

pcdir=$prefix/lib/pkgconfig
check "pkg-config --modversion" pc "$pcdir" "" --modversion
if cflags=$(pc "$pcdir" "" --cflags) && libs=$(pc "$pcdir" "" --libs) &&
	$CC -Wall -Werror $cflags -o "$tmp/consumer" "$tmp/consumer.c" $libs 2>"$tmp/err"; then
	ok "a program found libbugcheck through pkg-config (shared)"
	check "it needs $SONAME" \
		bash -c "readelf -d '$tmp/consumer' | grep -q 'NEEDED.*\\[$SONAME\\]'"
	check "it runs against the installed library" \
		env LD_LIBRARY_PATH="$prefix/lib" "$tmp/consumer"
else
	fail "a program found libbugcheck through pkg-config (shared)"
	sed 's/^/    /' "$tmp/err"
fi
if cflags=$(pc "$pcdir" "" --cflags) && libs=$(pc "$pcdir" "" --libs --static) &&
	$CC -Wall -Werror $cflags -static -o "$tmp/consumer-static" "$tmp/consumer.c" $libs 2>"$tmp/err"; then
	ok "a program found libbugcheck through pkg-config (--static)"
	check "it is static" is_static "$tmp/consumer-static"
	check "it runs" "$tmp/consumer-static"
else
	fail "a program found libbugcheck through pkg-config (--static)"
	sed 's/^/    /' "$tmp/err"
fi

# A packager's install: the .pc names PREFIX, never DESTDIR; pkg-config's
# sysroot finds it under DESTDIR; uninstall removes every file again.
dest=$tmp/dest
if $MAKE -s -C "$src" O="$O" DESTDIR="$dest" PREFIX=/opt/bc install >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/opt/bc"
else
	fail "make install DESTDIR=... PREFIX=/opt/bc"
	sed 's/^/    /' "$tmp/install.log"
fi
pcfile=$dest/opt/bc/lib/pkgconfig/libbugcheck.pc
check ".pc says prefix=/opt/bc" grep -qx 'prefix=/opt/bc' "$pcfile"
check ".pc does not mention DESTDIR" bash -c "! grep -q '$dest' '$pcfile'"
if cflags=$(pc "${pcfile%/*}" "$dest" --cflags) && libs=$(pc "${pcfile%/*}" "$dest" --libs --static) &&
	$CC -Wall -Werror $cflags -static -o "$tmp/consumer-sysroot" "$tmp/consumer.c" $libs 2>"$tmp/err"; then
	ok "a program built through pkg-config with PKG_CONFIG_SYSROOT_DIR=DESTDIR"
else
	fail "a program built through pkg-config with PKG_CONFIG_SYSROOT_DIR=DESTDIR"
	sed 's/^/    /' "$tmp/err"
fi
$MAKE -s -C "$src" O="$O" DESTDIR="$dest" PREFIX=/opt/bc uninstall >"$tmp/install.log" 2>&1 ||
	fail "make uninstall"
left=$(find "$dest" \( -type f -o -type l \) | sed "s|^$dest||")
[[ -z $left ]] && ok "uninstall removed every file" || fail "left after uninstall: $left"

# --- bugcheck-blocks ---------------------------------------------------------

for bin in "$O/bugcheck-blocks" "$O/guest/bugcheck-blocks"; do
	n=${bin#"$O"/}
	expect "$n: no arguments" 2 usage "$bin"
	expect "$n: unknown command" 2 "unknown command" "$bin" frob
	expect "$n: info with an argument" 2 usage "$bin" info extra
	expect "$n: hold -x" 2 usage "$bin" hold -x
	expect "$n: hold -n abc" 2 "bad value" "$bin" hold -n abc
	expect "$n: hold -s -1" 2 "bad value" "$bin" hold -s -1
	expect "$n: hold -t" 2 usage "$bin" hold -t
	expect "$n: hold with a stray argument" 2 "unexpected argument" "$bin" hold 3
	expect "$n: -h" 0 "" "$bin" -h
	expect "$n: hold -n 0 -t 0 (nothing to register)" 0 "" "$bin" hold -n 0 -t 0
	grep -qx ready "$tmp/out" && ok "$n: says ready" || fail "$n: no 'ready' line"
	if [[ -e /dev/bugcheck ]]; then
		echo "skipped: /dev/bugcheck exists: $n without the device not run"
	else
		expect "$n: info without the device" 1 "^bugcheck-blocks: bugcheck_get_limits: No such device$" \
			"$bin" info
		expect "$n: hold without the device" 1 \
			"^bugcheck-blocks: bugcheck_register_memory_block: No such device$" "$bin" hold -t 0
		[[ ! -s $tmp/out ]] && ok "$n: no 'ready' after a failed registration" ||
			fail "$n: printed after a failed registration: $(cat "$tmp/out")"
	fi
done

# bugcheck-blocks' contract with the tests that use it (output lines, the
# pattern, waiting for SIGTERM, unregistering), without the module: built
# against a stand-in library that logs what it is given.
cat >"$tmp/stub.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libbugcheck.h>

static FILE *out(void)
{
	static FILE *f;

	if (!f)
		f = fopen(getenv("STUB_LOG"), "w");
	return f;
}

int bugcheck_register_memory_block(const void *addr, size_t size)
{
	const unsigned char *p = addr;
	size_t i;

	if (getenv("STUB_FAIL"))
		return atoi(getenv("STUB_FAIL"));
	fprintf(out(), "register 0x%lx %zu ", (unsigned long)addr, size);
	for (i = 0; i < size; i++)
		fprintf(out(), "%02x", p[i]);
	fprintf(out(), "\n");
	return fflush(out()) ? -5 : 0;
}

int bugcheck_unregister_memory_block(const void *addr)
{
	fprintf(out(), "unregister 0x%lx\n", (unsigned long)addr);
	return fflush(out()) ? -5 : 0;
}

int bugcheck_list_memory_blocks(struct bugcheck_memory_block *blocks, size_t capacity)
{
	(void)blocks;
	(void)capacity;
	return 0;
}

int bugcheck_get_limits(struct bugcheck_limits *l)
{
	l->block_size_max = 65536;
	l->blocks_per_process = 512;
	l->blocks_max = 2048;
	l->blocks_registered = 1;
	l->blocks_total = 7;
	l->pinned_pages = 3;
	return 0;
}
EOF

# check_hold OUT LOG SEED SIZE COUNT UNALIGNED: what hold printed and what it
# registered agree with each other and with the documented pattern,
# recomputed here: byte i of block b = (SEED*131 + b*37 + i*7 + (i>>8)) % 256.
check_hold() {
	python3 - "$@" <<'EOF'
import re, sys
out, log, seed, size, count, unaligned = sys.argv[1:]
seed, size, count, unaligned = int(seed), int(size), int(count), unaligned == "1"
lines = open(out).read().splitlines()
assert len(lines) == count + 1 and lines[-1] == "ready", lines
addrs = []
for b, line in enumerate(lines[:-1]):
    m = re.fullmatch(r"block (\d+) pid (\d+) addr 0x([0-9a-f]+) size (\d+)", line)
    assert m and int(m[1]) == b and int(m[4]) == size, line
    addrs.append(int(m[3], 16))
    assert addrs[-1] % 4096 == (100 if unaligned else 0), line
reg = [l.split() for l in open(log).read().splitlines()]
assert len(reg) == 2 * count, reg
for b, (word, addr, sz, data) in enumerate(reg[:count]):
    assert word == "register" and int(addr, 16) == addrs[b] and int(sz) == size
    want = bytes((seed * 131 + b * 37 + i * 7 + (i >> 8)) % 256 for i in range(size))
    assert bytes.fromhex(data) == want, "block %d: contents differ from the pattern" % b
assert sorted(int(a, 16) for _, a in reg[count:]) == sorted(addrs), "not all unregistered"
EOF
}

if ! command -v python3 >/dev/null; then
	echo "skipped: no python3: bugcheck-blocks against a stand-in library not run"
elif ! $CC -Wall -Werror -I"$src/include" -I"$O/include" -o "$tmp/blocks-stub" "$src/tools/bugcheck-blocks.c" \
	"$tmp/stub.c" 2>"$tmp/err"; then
	fail "bugcheck-blocks against a stand-in library does not build"
	sed 's/^/    /' "$tmp/err"
else
	export STUB_LOG=$tmp/stub.log
	expect "info prints the limits" 0 "" "$tmp/blocks-stub" info
	printf '%s\n' "block_size_max 65536" "blocks_per_process 512" "blocks_max 2048" \
		"blocks_registered 1" "blocks_total 7" "pinned_pages 3" >"$tmp/want"
	same_list "info: one 'name value' line each, in order" "$tmp/want" "$tmp/out"

	# hold, stopped by SIGTERM once it says ready
	"$tmp/blocks-stub" hold -n 3 -s 1000 -S 5 -u >"$tmp/hold.out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 100); do
		grep -qx ready "$tmp/hold.out" 2>/dev/null && break
		sleep 0.1
	done
	kill -TERM $pid 2>/dev/null
	wait $pid
	rc=$?
	[[ $rc -eq 0 ]] && ok "hold: exits 0 on SIGTERM" || fail "hold: exit status $rc on SIGTERM"
	check "hold -u -S 5: lines, addresses and pattern as documented" \
		check_hold "$tmp/hold.out" "$STUB_LOG" 5 1000 3 1

	expect "hold -t 0 (defaults)" 0 "" "$tmp/blocks-stub" hold -t 0
	check "hold defaults: 3 aligned blocks of 4096, seed 1" \
		check_hold "$tmp/out" "$STUB_LOG" 1 4096 3 0

	STUB_FAIL=-17 expect "hold: a failed registration" 1 \
		"^bugcheck-blocks: bugcheck_register_memory_block: File exists$" "$tmp/blocks-stub" hold -t 0
	unset STUB_LOG
fi

# --- guest programs: static, for a VM without shared libraries ----------------

for bin in "$O"/guest/*; do
	[[ -f $bin ]] || continue
	check "guest/${bin##*/} is linked statically" is_static "$bin"
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
