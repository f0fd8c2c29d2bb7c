#!/usr/bin/env bash
# Install the Debian packages a bugcheck target needs; silent and fast when all are present.
#
# Usage: scripts/deps.sh PROFILE [--print-release]
#   build         compiler and kbuild tools (for a user-supplied KDIR)
#   build-stock   build + headers of Debian's stock cloud kernel (the default KDIR)
#   user          build + what the user-space library, tools and their tests need
#   vm            build-stock + user + the VM/kdump harness: qemu, kexec, makedumpfile,
#                 crash, busybox, the stock kernel image and its -dbg symbols
#   debug-kernel  build + linux-source-6.1 and what building it needs
#   style         what scripts/style.sh needs: linux-source-6.1 (checkpatch, .clang-format),
#                 clang-format, perl
#   dkms          dkms
#   build-stock-6.12   build + headers of Debian 12's Linux 6.12 cloud kernel
#   vm-6.12            vm + the 6.12 cloud kernel image, headers and -dbg symbols
#   debug-kernel-6.12  build + linux-source-6.12 and what building it needs
#   fresh         what the fresh-machine and real-image tests need on the host: mmdebstrap
#                 (a Debian root from this machine's apt sources), git, e2fsprogs (mkfs.ext4 -d,
#                 debugfs)
#   all           everything above (what `make check` needs)
#   --print-release  print the stock cloud kernel release (e.g. 6.1.0-56-cloud-amd64); with
#                 a -6.12 profile, the 6.12 one (e.g. 6.12.NNN+deb12-cloud-amd64)
#
# The stock release is read from the linux-image-cloud-amd64 metapackage at run time
# (installed one first, so an existing setup keeps working offline), never hard-coded.
set -euo pipefail

log() { printf 'deps: %s\n' "$*" >&2; }

profile=${1:-all}
print_release=
[ "${2:-}" = --print-release ] && print_release=1

P_BUILD=(build-essential kmod)
P_USER=(valgrind pkg-config python3 crash groff-base zlib1g-dev gdb xxd procps)	# crash: defs.h for the extension; groff: man lint; zlib: libbcr (CRCs, kdump-compressed pages; libz.a for the static bugcheck-save); gdb, xxd, procps (ps): error reports
P_VM=(qemu-system-x86 kexec-tools makedumpfile crash busybox-static cpio python3 file rsync xz-utils zstd gdb xxd)
P_DEBUG=(linux-source-6.1 bc bison flex libelf-dev libssl-dev dwarves rsync xz-utils python3)
P_DEBUG_612=(linux-source-6.12 "${P_DEBUG[@]:1}")
P_FRESH=(mmdebstrap git e2fsprogs)
P_STYLE=(linux-source-6.1 xz-utils clang-format perl)

want=()
stock=
stock612=
case "$profile" in
build) want=("${P_BUILD[@]}") ;;
build-stock) want=("${P_BUILD[@]}"); stock=headers ;;
user) want=("${P_BUILD[@]}" "${P_USER[@]}") ;;
vm) want=("${P_BUILD[@]}" "${P_USER[@]}" "${P_VM[@]}"); stock=full ;;
debug-kernel) want=("${P_BUILD[@]}" "${P_DEBUG[@]}") ;;
dkms) want=(dkms) ;;
build-stock-6.12) want=("${P_BUILD[@]}"); stock612=headers ;;
vm-6.12) want=("${P_BUILD[@]}" "${P_USER[@]}" "${P_VM[@]}"); stock612=full ;;
debug-kernel-6.12) want=("${P_BUILD[@]}" "${P_DEBUG_612[@]}") ;;
fresh) want=("${P_FRESH[@]}") ;;
style) want=("${P_STYLE[@]}") ;;
all) want=("${P_BUILD[@]}" "${P_USER[@]}" "${P_VM[@]}" "${P_DEBUG[@]}" "${P_DEBUG_612[@]}" "${P_FRESH[@]}" "${P_STYLE[@]}")
	stock=full; stock612=full ;;
*) log "unknown profile '$profile'"; exit 2 ;;
esac
[ -n "$stock" ] && want+=(linux-image-cloud-amd64 linux-headers-cloud-amd64)

# One dpkg-query for the whole list keeps the all-present case cheap.  It exits
# 1 when any name is unknown to dpkg (never installed), which is exactly the
# case that matters, so its status is ignored and only its output is read.
missing_of() {
	local have
	have=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null |
		awk '$2 == "installed" {print $1}') || true
	for p in "$@"; do
		grep -qx -- "$p" <<<"$have" || printf '%s\n' "$p"
	done
}

apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return 0
	log "apt-get update"
	apt-get update -qq >&2
	apt_updated=1
}

apt_install() {
	if [ "$(id -u)" -ne 0 ]; then
		log "missing packages: $*"
		log "run as root (or install them) to continue"
		exit 1
	fi
	apt_update_once
	log "installing: $*"
	local out
	out=$(mktemp)
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >"$out" 2>&1; then
		cat "$out" >&2
		rm -f "$out"
		log "apt-get install failed"
		exit 1
	fi
	rm -f "$out"
}

stock_release() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' linux-image-cloud-amd64 2>/dev/null || true)
	if [ -z "$dep" ]; then
		apt_update_once
		dep=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends:/ {print $2; exit}')
	fi
	dep=${dep%%[ ,]*}
	dep=${dep#linux-image-}
	[ -n "$dep" ] || { log "cannot resolve the linux-image-cloud-amd64 release"; exit 1; }
	printf '%s\n' "$dep"
}

# Not a process substitution: its failure would go unnoticed and read as "nothing missing".
list=$(missing_of "${want[@]}") || { log "cannot ask dpkg what is installed"; exit 1; }
mapfile -t missing <<<"$list"
[ -n "$list" ] || missing=()
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

if [ -n "$stock" ] || { [ -n "$print_release" ] && [ "${profile%-6.12}" = "$profile" ]; }; then
	rel=$(stock_release)
	kp=("linux-headers-$rel")
	files=("/lib/modules/$rel/build/Makefile")
	if [ "$stock" = full ]; then
		kp+=("linux-image-$rel" "linux-image-$rel-dbg")
		files+=("/boot/vmlinuz-$rel" "/usr/lib/debug/boot/vmlinux-$rel")
	fi
	list=$(missing_of "${kp[@]}") || { log "cannot ask dpkg what is installed"; exit 1; }
	mapfile -t missing <<<"$list"
	[ -n "$list" ] || missing=()
	[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
	for f in "${files[@]}"; do
		[ -e "$f" ] || { log "expected $f after install, not found"; exit 1; }
	done
	[ -n "$print_release" ] && [ "${profile%-6.12}" = "$profile" ] && printf '%s\n' "$rel"
fi

# Linux 6.12 beside 6.1.  Debian 12's archive carries the 6.12 cloud flavour;
# the release comes from the linux-image-6.12-cloud-amd64 metapackage (installed
# one first), which points at the signed image.  The -dbg metapackage can be a
# release ahead of it, so the headers and -dbg of exactly that release are
# installed by name.
META_612=linux-image-6.12-cloud-amd64
if [ -n "$stock612" ] || { [ -n "$print_release" ] && [ "${profile%-6.12}" != "$profile" ]; }; then
	list=$(missing_of "$META_612") || { log "cannot ask dpkg what is installed"; exit 1; }
	[ -z "$list" ] || apt_install "$META_612"
	dep=$(dpkg-query -W -f='${Depends}' "$META_612" 2>/dev/null || true)
	dep=${dep%%[ ,]*}
	rel612=${dep#linux-image-}
	[ -n "$rel612" ] || { log "cannot resolve the $META_612 release"; exit 1; }
	kp=("linux-headers-$rel612")
	files=("/lib/modules/$rel612/build/Makefile")
	if [ "$stock612" = full ]; then
		kp+=("linux-image-$rel612-dbg")
		files+=("/boot/vmlinuz-$rel612" "/usr/lib/debug/boot/vmlinux-$rel612")
	fi
	list=$(missing_of "${kp[@]}") || { log "cannot ask dpkg what is installed"; exit 1; }
	mapfile -t missing <<<"$list"
	[ -n "$list" ] || missing=()
	[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
	for f in "${files[@]}"; do
		[ -e "$f" ] || { log "expected $f after install, not found"; exit 1; }
	done
	[ -n "$print_release" ] && [ "${profile%-6.12}" != "$profile" ] && printf '%s\n' "$rel612"
fi
exit 0
