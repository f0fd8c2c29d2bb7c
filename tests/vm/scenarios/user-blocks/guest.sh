# Run test_blocks as root; its TAP goes to $OUT for the host check.
# An ext2 file system on a loop device gives it a non-tmpfs disk file system
# for the MAP_SHARED-of-a-file case; without one that case reports SKIP.
disk=""
[ -f /bugcheck/modules/loop.ko ] && insmod /bugcheck/modules/loop.ko
if dd if=/dev/zero of=/tmp/ext2.img bs=1M count=8 2>/dev/null &&
	dev=$(losetup -f) && losetup "$dev" /tmp/ext2.img &&
	mke2fs -q "$dev" >/dev/null 2>&1 && mkdir -p /mnt/disk &&
	mount -t ext4 "$dev" /mnt/disk; then
	disk=/mnt/disk
	grep ' /mnt/disk ' /proc/mounts > $OUT/disk-mount.txt
else
	echo "no disk file system for test_blocks -d (loop/ext2 unavailable)" > $OUT/disk-mount.txt
fi
test_blocks ${disk:+-d $disk} > $OUT/test_blocks.tap 2>&1
echo $? > $OUT/test_blocks.rc
cat $OUT/test_blocks.tap
if [ -n "$disk" ]; then
	umount /mnt/disk
	losetup -d "$dev"
fi
exit 0
