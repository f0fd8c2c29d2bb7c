# Runs in the guest (busybox sh). Loads bugcheck.ko by hand to exercise parameters.
ko=/bugcheck/modules/bugcheck.ko
if insmod $ko record_size=4097 2>/dev/null; then
	echo "record_size=4097 was accepted"
	exit 1
fi
echo "bad record_size refused"
insmod $ko record_size=65536 || exit 1
cat /sys/module/bugcheck/parameters/record_size > $OUT/record_size
rmmod bugcheck || exit 1
insmod $ko || exit 1
rmmod bugcheck || exit 1
grep -c bugcheck /proc/modules > $OUT/left-loaded || true
dmesg > $OUT/dmesg-guest.txt
