# SPDX-License-Identifier: GPL-2.0
# Bare Debian roots laid with mmdebstrap from this machine's own apt sources,
# cached outside the tree, and chroots into copies of them.  Sourced by
# tests/fresh/run and tests/image/run; needs root.
#
#   debian_sources                the apt source files of this machine, one per line
#   debian_root_key RECIPE PKG... 12 hex digits naming a root of those packages
#   debian_root DIR RECIPE PKG... lay (or reuse) the cached root DIR; a caller's
#                                 debian_root_customize ROOT, if defined, then
#                                 runs with ROOT entered (part of the cached root)
#   chroot_enter ROOT             mount /proc, /sys, /dev (+pts) and resolv.conf
#   chroot_leave ROOT             unmount everything under ROOT
#   chroot_remove ROOT            chroot_leave, then delete ROOT (never across a mount)

cache=${BUGCHECK_CACHE:-/var/cache/bugcheck}

# apt reads sources.list and sources.list.d/*.list and *.sources; nothing else
# in that folder (a .disabled or .save file) is a source.  Never a host name of
# ours: the machine's own configuration is the only authority.
debian_sources() {
	local f
	if [ -f /etc/apt/sources.list ] && grep -qE '^[[:space:]]*deb ' /etc/apt/sources.list; then
		printf '%s\n' /etc/apt/sources.list
	fi
	for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -qE '^[[:space:]]*(deb |Types:)' "$f" && printf '%s\n' "$f"
	done
	return 0
}

# The key covers the sources, the recipe and the package list, so a change in
# any of them lays a new root (old ones are not removed).
debian_root_key() {
	local recipe=$1 f
	shift
	{
		echo "$recipe"
		printf '%s\n' "$@"
		while IFS= read -r f; do cat "$f"; done < <(debian_sources)
	} | sha256sum | cut -c1-12
}

# debian_root DIR RECIPE PKG...: mmdebstrap bookworm into DIR with the apt
# variant (Essential + apt) plus PKG..., unless DIR/.bugcheck-built exists.
# One build at a time per DIR; a second caller waits for the first.
debian_root() {
	local dir=$1 recipe=$2 src t0 lockfd
	shift 2
	[ -f "$dir/.bugcheck-built" ] && return 0
	mkdir -p "$(dirname "$dir")"
	exec {lockfd}>"$dir.lock"
	flock "$lockfd"
	if [ -f "$dir/.bugcheck-built" ]; then
		exec {lockfd}>&-
		return 0
	fi
	local srcs=()
	while IFS= read -r src; do srcs+=("$src"); done < <(debian_sources)
	if [ ${#srcs[@]} -eq 0 ]; then
		echo "no apt sources on this machine (/etc/apt/sources.list, sources.list.d/)" >&2
		exec {lockfd}>&-
		return 1
	fi
	local inc
	inc=$(IFS=,; echo "$*")
	# https sources need the CA bundle inside the root as well.
	if cat "${srcs[@]}" | grep -qE 'https://'; then
		inc="$inc,ca-certificates"
	fi
	echo "laying a Debian 12 root ($recipe) into $dir from ${srcs[*]}" >&2
	t0=$(date +%s)
	chroot_remove "$dir.tmp" 2>/dev/null
	if ! mmdebstrap --quiet --variant=apt --include="$inc" bookworm "$dir.tmp" \
		"${srcs[@]}" >"$dir.log" 2>&1; then
		tail -n 30 "$dir.log" >&2
		echo "mmdebstrap failed; full log: $dir.log" >&2
		chroot_remove "$dir.tmp" 2>/dev/null
		exec {lockfd}>&-
		return 1
	fi
	if declare -F debian_root_customize >/dev/null; then
		chroot_enter "$dir.tmp"
		if ! debian_root_customize "$dir.tmp" >>"$dir.log" 2>&1; then
			tail -n 30 "$dir.log" >&2
			echo "customizing the root failed; full log: $dir.log" >&2
			chroot_remove "$dir.tmp"
			exec {lockfd}>&-
			return 1
		fi
		chroot_leave "$dir.tmp"
		rm -f "$dir.tmp/usr/sbin/policy-rc.d" "$dir.tmp/etc/resolv.conf"
	fi
	touch "$dir.tmp/.bugcheck-built"
	mv "$dir.tmp" "$dir"
	echo "laid in $(($(date +%s) - t0)) s: $dir" >&2
	exec {lockfd}>&-
}

chroot_enter() {
	local root=$1
	mount -t proc proc "$root/proc"
	mount -t sysfs sysfs "$root/sys"
	mount --rbind /dev "$root/dev"
	mount --make-rslave "$root/dev"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	# No service of a package installed in the root may start on this machine.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 0755 "$root/usr/sbin/policy-rc.d"
}

chroot_leave() {
	local root=$1 m
	[ -d "$root" ] || return 0
	root=$(realpath "$root")
	# Deepest first.
	while IFS= read -r m; do
		umount -l "$m" 2>/dev/null || true
	done < <(findmnt -rn -o TARGET | awk -v r="$root" 'index($0, r "/") == 1' | sort -r)
	return 0
}

chroot_remove() {
	local root=$1
	[ -d "$root" ] || return 0
	chroot_leave "$root"
	if findmnt -rn -o TARGET | grep -q "^$(realpath "$root")/"; then
		echo "still mounted under $root: not deleting it" >&2
		return 1
	fi
	rm -rf --one-file-system "$root"
}
