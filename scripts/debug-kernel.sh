#!/usr/bin/env bash
# Build (or reuse) bugcheck's debug test kernel from Debian's linux-source-6.1 or -6.12.
#
# Usage: scripts/debug-kernel.sh [--series 6.1|6.12] [--print-dir]
#
# --series picks the source package (default 6.1).  Both series use the one
# fragment tests/kernel/debug.config; a series may add tests/kernel/debug-SERIES.config
# on top of it (merged after it, and part of that series' key).
#
# The tree lives outside the work tree, under $BUGCHECK_CACHE (default
# /var/cache/bugcheck), in a folder keyed by the source package version, the
# config fragment and RECIPE below, so a rebuild happens only when one of those
# changes.  Bump RECIPE when a change here alters what gets built.  A finished build is marked by a .bugcheck-built stamp;
# an interrupted one is resumed (make is incremental).  --print-dir prints the
# tree's path on stdout (after building it if needed); all logs go to stderr.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BUGCHECK_CACHE:-/var/cache/bugcheck}
log() { printf 'debug-kernel: %s\n' "$*" >&2; }
RECIPE="x86_64_defconfig kvm_guest.config bzImage modules v1"

series=6.1
print_dir=
while [ $# -gt 0 ]; do
	case "$1" in
	--series) series=${2:-}; shift 2 || { log "--series needs a value"; exit 2; } ;;
	--print-dir) print_dir=1; shift ;;
	*) log "unknown argument '$1'"; exit 2 ;;
	esac
done
case "$series" in
6.1) "$top/scripts/deps.sh" debug-kernel ;;
6.12) "$top/scripts/deps.sh" debug-kernel-6.12 ;;
*) log "unknown series '$series' (6.1 or 6.12)"; exit 2 ;;
esac
tarball=/usr/src/linux-source-$series.tar.xz
frags=("$top/tests/kernel/debug.config")
[ -f "$top/tests/kernel/debug-$series.config" ] && frags+=("$top/tests/kernel/debug-$series.config")

srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
# The 6.1 key is the fragment followed by RECIPE; a series delta, when there is
# one, goes between the two.
key=$( (cat "${frags[@]}"; echo "$RECIPE") | sha256sum | cut -c1-12)
tree="$cache/linux-$srcver-$key"

if [ -f "$tree/.bugcheck-built" ]; then
	[ -n "$print_dir" ] && printf '%s\n' "$tree"
	exit 0
fi

mkdir -p "$cache"
# Only one build at a time per cache; a second caller waits for the first.
exec 9>"$cache/.debug-kernel.lock"
flock 9
if [ -f "$tree/.bugcheck-built" ]; then
	[ -n "$print_dir" ] && printf '%s\n' "$tree"
	exit 0
fi

start=$(date +%s)
if [ ! -f "$tree/Makefile" ]; then
	log "extracting linux-source $srcver into $tree"
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xJf "$tarball" -C "$tree.tmp" --strip-components=1
	mv "$tree.tmp" "$tree"
fi

cd "$tree"
if [ ! -f .config ] || ! cat "${frags[@]}" | cmp -s - .bugcheck-fragment; then
	log "configuring (x86_64_defconfig + kvm_guest.config + ${frags[*]##*/})"
	make -s x86_64_defconfig >&2
	make -s kvm_guest.config >&2
	scripts/kconfig/merge_config.sh -m .config "${frags[@]}" >/dev/null
	make -s olddefconfig >&2
	# Every option the fragments ask for (the delta's word wins) must have
	# survived olddefconfig.
	bad=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*=n) opt=${line%=n}
			grep -q "^$opt=" .config && { log "wanted $line, got $(grep "^$opt=" .config)"; bad=1; } ;;
		CONFIG_*=*) grep -qx "$line" .config || { log "wanted $line, got: $(grep "^${line%%=*}[= ]" .config || echo unset)"; bad=1; } ;;
		esac
	done < <(cat "${frags[@]}" | awk -F= '/^CONFIG_/ { if (!($1 in v)) k[n++] = $1; v[$1] = $0 }
		END { for (i = 0; i < n; i++) print v[k[i]] }')
	[ $bad -eq 0 ] || { log "config fragment not honoured; fix ${frags[*]}"; exit 1; }
	cat "${frags[@]}" > .bugcheck-fragment
fi

log "building bzImage and modules with -j$(nproc) (about 15 min the first time)"
if ! make -j"$(nproc)" bzImage modules > build.log 2>&1; then
	tail -n 40 build.log >&2
	log "kernel build failed; full log: $tree/build.log"
	exit 1
fi
touch .bugcheck-built
log "built in $(( $(date +%s) - start )) s: $tree"
[ -n "$print_dir" ] && printf '%s\n' "$tree"
exit 0
