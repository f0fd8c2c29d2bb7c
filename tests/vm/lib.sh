# shellcheck shell=bash
# Host-side helpers of the VM harness: kernels, module builds, initramfs, QEMU,
# stage analysis.  Sourced by run-scenario, run-all and the make targets.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../.." && pwd)
BUILD=${BUGCHECK_BUILD:-$TOP/build}

# The order in which a run can get stuck; run-scenario names the first one missing.
STAGES_PANIC="first-boot modules guest-script kexec-load panic capture-boot makedumpfile capture-done"
STAGES_LIVE="first-boot modules guest-script live-done"
STAGES_KUNIT="first-boot modules kunit-done guest-script live-done"

# Lines that mean the kernel caught a bug; any of them fails the run unless the
# scenario's SPLAT_ALLOW regex matches the line.
SPLAT_RE='BUG: (sleeping function called from invalid context|scheduling while atomic|KASAN|KFENCE|spinlock|unable to handle|kernel NULL pointer|Bad page|workqueue lockup|soft lockup)|WARNING: (possible circular locking|possible recursive locking|inconsistent lock state|bad unlock balance|suspicious RCU usage|lock held when returning|held lock freed|possible irq lock inversion|CPU: [0-9]+ PID)|INFO: (possible irq lock inversion|task .* blocked for more than)|general protection fault|kernel BUG at|UBSAN:|Oops: |list_(add|del) corruption|DEBUG_LOCKS_WARN_ON'

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

# The kernels a scenario can run on.  stock and debug are Linux 6.1 (Debian 12's
# default); the -6.12 ones are Debian 12's 6.12 cloud kernel and a debug kernel
# built from linux-source-6.12.
KERNEL_FLAVOURS="stock stock-6.12 debug debug-6.12"

# The virtio stack the disks need, in load order; kernel_setup keeps the ones
# the kernel builds as modules (6.1 cloud: all; 6.12 cloud: virtio_blk only).
VIRTIO_ORDER="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk"

# kernel_setup FLAVOUR: sets K_IMAGE K_VMLINUX K_KDIR K_RELEASE K_MEM K_CRASHKERNEL K_VIRTIO
# K_SERIES (6.1 or 6.12) and K_FLAVOUR.
kernel_setup() {
	local profile=vm series=6.1 m f
	case "$1" in
	stock | stock-6.12)
		[ "$1" = stock-6.12 ] && profile=vm-6.12 series=6.12
		K_RELEASE=$("$TOP/scripts/deps.sh" "$profile" --print-release) || die "$1 kernel packages unavailable"
		K_IMAGE=/boot/vmlinuz-$K_RELEASE
		K_VMLINUX=/usr/lib/debug/boot/vmlinux-$K_RELEASE
		K_KDIR=/lib/modules/$K_RELEASE/build
		K_MEM=1024
		K_CRASHKERNEL=256M
		K_VIRTIO=""
		for m in $VIRTIO_ORDER; do
			f=$(modinfo -k "$K_RELEASE" -n "$m" 2>/dev/null) || die "$1 kernel $K_RELEASE has no $m"
			[ "$f" = "(builtin)" ] || K_VIRTIO+=" $m"
		done
		;;
	debug | debug-6.12)
		[ "$1" = debug-6.12 ] && series=6.12
		"$TOP/scripts/deps.sh" vm >/dev/null || die "VM packages unavailable"
		local tree
		tree=$("$TOP/scripts/debug-kernel.sh" --series "$series" --print-dir) || die "$1 kernel build failed"
		K_RELEASE=$(cat "$tree/include/config/kernel.release")
		K_IMAGE=$tree/arch/x86/boot/bzImage
		K_VMLINUX=$tree/vmlinux
		K_KDIR=$tree
		K_MEM=2048
		K_CRASHKERNEL=384M
		K_VIRTIO=""
		;;
	*) die "unknown kernel '$1' (one of: $KERNEL_FLAVOURS)" ;;
	esac
	K_SERIES=$series
	K_FLAVOUR=$1
	K_CRASH_WHY=$(crash_cannot_read "$series")
}

# crash_cannot_read SERIES: empty when the host's crash opens vmcores of that
# series, else why not.  Measured with Debian 12's crash 8.0.2 on 6.12: it
# finds KASLR by the symbol module_load_offset, which Linux 6.10 removed
# (crash 8.0.6 looks for kaslr_get_random_long instead), so it reads every
# kernel address at the unrelocated place and stops ("page excluded ...
# page_offset_base" in a filtered dump, "vmlinux and vmcore do not match" in
# a full one); with --kaslr auto it then fails on the module layout of 6.4
# (module_core_size, fixed in 8.0.3), and with --no_modules its gdb faults.
crash_cannot_read() {
	[ "$1" = 6.12 ] || return 0
	local v
	v=$(crash --version 2>/dev/null | sed -n 's/^crash \([0-9][0-9.]*\).*/\1/p' | head -n 1)
	if [ -z "$v" ] || ! printf '%s\n%s\n' 8.0.6 "$v" | sort -C -V; then
		echo "crash ${v:-(none)} cannot open Linux 6.10+ vmcores (KASLR detection, fixed in 8.0.6)"
	fi
}

# build_modules: builds the tree's modules for the kernel kernel_setup chose in a shadow copy
# (build/FLAVOUR/src), so stock and debug objects never overwrite each other or the
# user's in-tree build.  Prints the shadow directory.
build_modules() {
	local src=$BUILD/$K_FLAVOUR/src
	mkdir -p "$src"
	rsync -a --delete \
		--include=/Kbuild --include=/VERSION --include='/module/***' --include='/samples/***' \
		--include=/tests/ --include='/tests/kunit/***' --include='/tests/modules/***' --include='/tests/bench/***' --exclude='*' \
		"$TOP/" "$src/"
	if ! make -C "$K_KDIR" M="$src" W=1 modules >"$BUILD/$K_FLAVOUR/kbuild.log" 2>&1; then
		grep -E 'error|warning' "$BUILD/$K_FLAVOUR/kbuild.log" >&2 || tail -n 30 "$BUILD/$K_FLAVOUR/kbuild.log" >&2
		die "module build for the $K_FLAVOUR kernel failed (log: $BUILD/$K_FLAVOUR/kbuild.log)"
	fi
	if grep -q 'warning:' "$BUILD/$K_FLAVOUR/kbuild.log"; then
		grep 'warning:' "$BUILD/$K_FLAVOUR/kbuild.log" >&2
		die "module build for the $K_FLAVOUR kernel has warnings (W=1 must be clean)"
	fi
	printf '%s\n' "$src"
}

# build_userspace: the user-space tools (bugcheck-save, bugcheck-record, the
# crash extension) into $BUILD/userspace; prints that folder.
build_userspace() {
	local out=$BUILD/userspace
	if ! make -C "$TOP/userspace" O="$out" >"$BUILD/userspace.log" 2>&1; then
		tail -n 30 "$BUILD/userspace.log" >&2
		die "user-space build failed (log: $BUILD/userspace.log)"
	fi
	printf '%s\n' "$out"
}

# copy_binary FILE ROOT [DEST]: copy an ELF file and the shared libraries it needs
# into ROOT at the same paths (DEST overrides the file's own path).
copy_binary() {
	local f=$1 root=$2 dest=${3:-$1} lib
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$f" "$root$dest"
	if file -L "$f" | grep -q 'dynamically linked'; then
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	fi
}

# copy_ko FILE DEST: copy a kernel module, decompressing .ko.xz/.ko.zst.
copy_ko() {
	case "$1" in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# build_initramfs SCENARIO_DIR SHADOW_SRC RUN_DIR: writes RUN_DIR/capture.cpio (the
# kdump initrd) and RUN_DIR/boot.cpio (capture.cpio + a second archive that carries
# the kernel and capture.cpio for kexec -p).
build_initramfs() {
	local scen=$1 src=$2 run=$3 root=$3/initramfs
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc/bugcheck,proc,sys,dev,tmp,out,scenario,bugcheck/modules,bugcheck/kunit,lib/virtio,kdump}

	cp /bin/busybox "$root/bin/busybox"
	local app
	for app in $(/bin/busybox --list); do
		[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
	done
	copy_binary "$(command -v kexec)" "$root" /sbin/kexec
	copy_binary "$(command -v makedumpfile)" "$root" /usr/sbin/makedumpfile
	install -m 0755 "$VM_DIR/init" "$root/init"
	echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
	echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/sh" >>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

	local m
	for m in $K_VIRTIO; do
		copy_ko "$(modinfo -k "$K_RELEASE" -n "$m")" "$root/lib/virtio/$m.ko"
		echo "$m.ko" >>"$root/etc/bugcheck/virtio-modules"
	done

	# The project's modules (all of them: scenarios pick by name) and KUnit suites.
	local ko
	while IFS= read -r ko; do
		case "$ko" in
		"$src"/tests/kunit/*) cp "$ko" "$root/bugcheck/kunit/" ;;
		*) cp "$ko" "$root/bugcheck/modules/" ;;
		esac
	done < <(find "$src" -name '*.ko')
	# Modules and programs built outside the tree.
	for ko in "${EXTRA_KOS[@]}"; do
		[ -f "$ko" ] || die "extra module $ko not found"
		cp "$ko" "$root/bugcheck/modules/"
	done
	local prog
	# The project's own guest tools, when built.
	for prog in bugcheck-save bugcheck-record; do
		[ -x "$USERSPACE/$prog" ] && copy_binary "$USERSPACE/$prog" "$root" "/usr/local/bin/$prog"
	done
	# The guest programs (tests, benchmarks, bugcheck-blocks), when built.
	for prog in "$USERSPACE"/guest/*; do
		[ -f "$prog" ] && [ -x "$prog" ] && copy_binary "$prog" "$root" "/usr/local/bin/$(basename "$prog")"
	done
	for prog in "${EXTRA_PROGS[@]}"; do
		[ -f "$prog" ] || die "extra program $prog not found"
		copy_binary "$prog" "$root" "/usr/local/bin/$(basename "$prog")"
	done

	local f
	for f in guest.sh pre-panic.sh capture.sh; do
		[ -f "$scen/$f" ] && cp "$scen/$f" "$root/scenario/"
	done
	printf '%s\n' "${MODULES[@]}" >"$root/scenario/modules.list"
	{
		printf 'MODE=%q\n' "$MODE"
		printf 'DUMP_OPTS=%q\n' "$DUMP_OPTS"
		printf 'UNLOAD=%q\n' "$UNLOAD"
		printf 'PANIC_TRIGGER=%q\n' "$PANIC_TRIGGER"
		printf 'CAPTURE_CMDLINE=%q\n' "console=ttyS0 irqpoll nr_cpus=1 reset_devices panic=5 no_timer_check $CAPTURE_APPEND"
		printf 'KERNEL_FLAVOUR=%q\n' "$K_FLAVOUR"
	} >"$root/scenario/env"

	(cd "$root" && find . -path ./kdump -prune -o -print | LC_ALL=C sort |
		cpio -o -H newc --quiet >"$run/capture.cpio")
	# Second archive: the kernel and the capture initrd, for kexec -p.
	local kd=$run/kdump-layer
	rm -rf "$kd"
	mkdir -p "$kd/kdump"
	cp "$K_IMAGE" "$kd/kdump/vmlinuz"
	cp "$run/capture.cpio" "$kd/kdump/initrd.img"
	(cd "$kd" && printf '%s\n' kdump kdump/vmlinuz kdump/initrd.img |
		cpio -o -H newc --quiet >"$run/kdump-layer.cpio")
	cat "$run/capture.cpio" "$run/kdump-layer.cpio" >"$run/boot.cpio"
	rm -rf "$kd" "$run/kdump-layer.cpio"
}

# run_qemu RUN_DIR TIMEOUT: boots the first kernel; the capture kernel (if any) runs in
# the same QEMU process.  Returns QEMU's status (124 on timeout).
run_qemu() {
	local run=$1 timeout=$2 accel=tcg
	[ "${BUGCHECK_KVM:-0}" = 1 ] && accel=kvm
	truncate -s 0 "$run/vmcore.disk" "$run/out-first.disk" "$run/out-capture.disk"
	truncate -s 3G "$run/vmcore.disk"
	truncate -s 256M "$run/out-first.disk" "$run/out-capture.disk"
	# no_timer_check: under TCG on a busy host the IO-APIC timer check can
	# miss its ticks and panic the boot ("IO-APIC + timer doesn't work!").
	local append="console=ttyS0 crashkernel=$K_CRASHKERNEL panic=5 no_timer_check $FIRST_APPEND"
	local monitor=none watcher=
	if [ "${PANIC_TRIGGER:-}" = nmi ] || [ -n "${NMI_WHEN:-}" ]; then
		# The guest asks for the NMI on its log; the monitor injects it.
		monitor="unix:$run/monitor.sock,server=on,wait=off"
		rm -f "$run/monitor.sock"
		nmi_when_asked "$run" "$timeout" &
		watcher=$!
	fi
	timeout --foreground "$timeout" qemu-system-x86_64 \
		-accel "$accel" -m "$K_MEM" -smp 2 \
		-display none -no-reboot -monitor "$monitor" \
		-serial "file:$run/console.log" -serial "file:$run/guest.log" \
		-kernel "$K_IMAGE" -initrd "$run/boot.cpio" -append "$append" \
		-drive "file=$run/vmcore.disk,if=virtio,format=raw" \
		-drive "file=$run/out-first.disk,if=virtio,format=raw" \
		-drive "file=$run/out-capture.disk,if=virtio,format=raw" \
		</dev/null >"$run/qemu.log" 2>&1
	local rc=$?
	[ -z "$watcher" ] || { kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null; }
	return $rc
}

# nmi_when_asked RUN_DIR TIMEOUT: once the guest logs "@@ NMI please" (or,
# with NMI_WHEN set, once the console shows a line matching that regex: a
# hung kernel cannot ask), send QEMU's monitor the nmi command (an NMI on
# every guest CPU).
nmi_when_asked() {
	local run=$1 deadline=$(($(date +%s) + $2))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		if { [ -z "${NMI_WHEN:-}" ] && grep -q '^@@ NMI please' "$run/guest.log" 2>/dev/null; } ||
			{ [ -n "${NMI_WHEN:-}" ] && grep -qE "$NMI_WHEN" "$run/console.log" 2>/dev/null; }; then
			python3 - "$run/monitor.sock" <<'PY' && echo "nmi injected at $(date +%T)" >"$run/nmi.log"
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(5)
try:
    s.recv(4096)            # the monitor's banner
except OSError:
    pass
s.sendall(b"nmi\n")
time.sleep(1)
PY
			return
		fi
		sleep 0.5
	done
}

# stages_reached RUN_DIR: the stage markers the guest wrote, in order.
stages_reached() {
	sed -n 's/^@@ STAGE \([a-z-]*\).*/\1/p' "$1/guest.log" | tr -d '\r'
}

# first_missing_stage RUN_DIR "STAGES": the first expected stage not reached.
first_missing_stage() {
	local reached s
	reached=" $(stages_reached "$1" | tr '\n' ' ') "
	for s in $2; do
		case "$reached" in *" $s "*) ;; *) printf '%s\n' "$s"; return ;; esac
	done
}

# splats RUN_DIR ALLOW_RE: lockdep/KASAN/atomic-sleep/WARN/oops lines in the console.
splats() {
	local lines
	lines=$(tr -d '\r' <"$1/console.log" | grep -E "$SPLAT_RE" || true)
	if [ -n "$2" ] && [ -n "$lines" ]; then
		lines=$(grep -Ev "$2" <<<"$lines" || true)
	fi
	printf '%s' "$lines"
}
