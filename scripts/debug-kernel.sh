#!/usr/bin/env bash
# Build (or reuse) bugcheck's debug test kernel from Debian's linux-source-6.1.
#
# Usage: scripts/debug-kernel.sh [--print-dir]
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
frag="$top/tests/kernel/debug.config"
tarball=/usr/src/linux-source-6.1.tar.xz
log() { printf 'debug-kernel: %s\n' "$*" >&2; }
RECIPE="x86_64_defconfig kvm_guest.config bzImage modules v1"

"$top/scripts/deps.sh" debug-kernel

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( (cat "$frag"; echo "$RECIPE") | sha256sum | cut -c1-12)
tree="$cache/linux-$srcver-$key"

if [ -f "$tree/.bugcheck-built" ]; then
	[ "${1:-}" = --print-dir ] && printf '%s\n' "$tree"
	exit 0
fi

mkdir -p "$cache"
# Only one build at a time per cache; a second caller waits for the first.
exec 9>"$cache/.debug-kernel.lock"
flock 9
if [ -f "$tree/.bugcheck-built" ]; then
	[ "${1:-}" = --print-dir ] && printf '%s\n' "$tree"
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
if [ ! -f .config ] || ! cmp -s "$frag" .bugcheck-fragment; then
	log "configuring (x86_64_defconfig + kvm_guest.config + $(basename "$frag"))"
	make -s x86_64_defconfig >&2
	make -s kvm_guest.config >&2
	scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
	make -s olddefconfig >&2
	# Every option the fragment asks for must have survived olddefconfig.
	bad=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*=n) opt=${line%=n}
			grep -q "^$opt=" .config && { log "wanted $line, got $(grep "^$opt=" .config)"; bad=1; } ;;
		CONFIG_*=*) grep -qx "$line" .config || { log "wanted $line, got: $(grep "^${line%%=*}[= ]" .config || echo unset)"; bad=1; } ;;
		esac
	done < "$frag"
	[ $bad -eq 0 ] || { log "config fragment not honoured; fix $frag"; exit 1; }
	cp "$frag" .bugcheck-fragment
fi

log "building bzImage and modules with -j$(nproc) (about 15 min the first time)"
if ! make -j"$(nproc)" bzImage modules > build.log 2>&1; then
	tail -n 40 build.log >&2
	log "kernel build failed; full log: $tree/build.log"
	exit 1
fi
touch .bugcheck-built
log "built in $(( $(date +%s) - start )) s: $tree"
[ "${1:-}" = --print-dir ] && printf '%s\n' "$tree"
exit 0
