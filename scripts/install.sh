#!/usr/bin/env bash
# make install / make uninstall: lay out (or remove) everything the project
# installs, and keep the list of what was laid in a manifest.
#
# Usage: scripts/install.sh install|uninstall
# Environment (from the Makefile): KDIR (the kernel bugcheck.ko was built
# for), DESTDIR, PREFIX, SDKDIR, MAKE, and whatever userspace/Makefile takes
# (LIBDIR, BINDIR, SBINDIR, MANDIR, CRASH_EXTDIR, SYSTEMDUNITDIR, ...).
#
# install stages everything in a scratch folder first (bugcheck.ko under
# /lib/modules/RELEASE/extra, the SDK, and make -C userspace install), lists
# the staged files and links as the manifest PREFIX/share/bugcheck/manifest,
# then copies exactly those into DESTDIR and runs depmod (not under DESTDIR:
# a package's postinst does that).  A previous install's manifest is
# uninstalled first.  uninstall removes every file the manifest lists, then
# the project's own folders once empty (any folder with "bugcheck" in its
# name); folders shared with other software are left.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$top/VERSION")
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
SDKDIR=${SDKDIR:-/usr/src/bugcheck-$version}
MAKE=${MAKE:-make}
manifest=$PREFIX/share/bugcheck/manifest
log() { printf 'install: %s\n' "$*" >&2; }

# The release modules are installed for (Debian's include/config/kernel.release
# is the upstream version; utsrelease.h has what uname -r says).
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h"
}

uninstall() {
	local m=$DESTDIR$manifest f d depmod_rel= list
	if [ ! -f "$m" ]; then
		log "nothing to uninstall: no $m"
		return 0
	fi
	list=$(cat "$m")	# it lists itself
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		case "$f" in /lib/modules/*/bugcheck.ko) depmod_rel=${f#/lib/modules/}; depmod_rel=${depmod_rel%%/*} ;; esac
		rm -f "$DESTDIR$f"
	done <<<"$list"
	# The project's own folders, once empty.
	sed 's|/[^/]*$||' <<<"$list" | sort -ur | while IFS= read -r d; do
		while [ -n "$d" ] && [ "$d" != / ]; do
			case "$d" in *bugcheck*) ;; *) break ;; esac
			rmdir "$DESTDIR$d" 2>/dev/null || break
			d=${d%/*}
		done
	done
	[ -L "$DESTDIR/usr/src/bugcheck" ] && [ ! -e "$DESTDIR/usr/src/bugcheck" ] && rm -f "$DESTDIR/usr/src/bugcheck"
	if [ -n "$depmod_rel" ] && [ -z "$DESTDIR" ] && command -v depmod >/dev/null; then
		depmod -a "$depmod_rel"
	fi
	log "removed what $m listed"
}

install_all() {
	local rel f
	rel=$(kernel_release "$KDIR")
	[ -f "$top/bugcheck.ko" ] || { log "no bugcheck.ko: run make first"; exit 1; }
	stage=$(mktemp -d)
	trap 'rm -rf "$stage" "$stage.list"' EXIT

	# The module, where kbuild puts external modules.
	install -D -m 0644 "$top/bugcheck.ko" "$stage/lib/modules/$rel/extra/bugcheck.ko"

	# The SDK: the exported API, the uapi headers, and bugcheck's exports for
	# this kernel (only bugcheck's lines: the tree's list has the samples' too).
	install -D -m 0644 "$top/module/include/bugcheck.h" "$stage$SDKDIR/module/include/bugcheck.h"
	for f in "$top"/module/include/uapi/*.h; do
		install -D -m 0644 "$f" "$stage$SDKDIR/module/include/uapi/${f##*/}"
	done
	mkdir -p "$stage$SDKDIR/symvers/$rel"
	awk -F'\t' -v OFS='\t' '$3 ~ /(^|\/)bugcheck$/ { $3 = "bugcheck"; print }' "$top/Module.symvers" >"$stage$SDKDIR/symvers/$rel/Module.symvers"
	[ -s "$stage$SDKDIR/symvers/$rel/Module.symvers" ] || { log "no bugcheck exports in Module.symvers"; exit 1; }
	mkdir -p "$stage/usr/src"
	[ "${SDKDIR%/*}" = /usr/src ] && ln -s "${SDKDIR##*/}" "$stage/usr/src/bugcheck"

	# libbugcheck, the tools, man pages, the crash extension, the capture unit.
	"$MAKE" -s -C "$top/userspace" install DESTDIR="$stage" >&2

	mkdir -p "$stage${manifest%/*}"
	(cd "$stage" && find . \( -type f -o -type l \) -printf '/%P\n'; echo "$manifest") |
		sort -u >"$stage.list"
	mv "$stage.list" "$stage$manifest"

	uninstall
	while IFS= read -r f; do
		mkdir -p "$DESTDIR${f%/*}"
		cp -P --preserve=mode,timestamps "$stage$f" "$DESTDIR$f"
	done < "$stage$manifest"
	log "$(wc -l <"$stage$manifest") files laid under ${DESTDIR:-/}; list: $DESTDIR$manifest"
	if [ -z "$DESTDIR" ] && command -v depmod >/dev/null; then
		depmod -a "$rel"
		log "depmod -a $rel"
	else
		log "DESTDIR set: depmod -a $rel left to the package's postinst"
	fi
}

case "${1:-}" in
install) install_all ;;
uninstall) uninstall ;;
*) echo "usage: scripts/install.sh install|uninstall" >&2; exit 2 ;;
esac
