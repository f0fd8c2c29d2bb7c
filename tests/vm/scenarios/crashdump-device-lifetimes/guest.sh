# Three ways a registration outlives what it points to, then the panic.
# 1. A bus of a module: bugcheck_test_pmbus registers its bus's device and
#    goes, twice; bugcheck then unloads (and loads again), which would touch
#    the gone bus if its notifier were still counted on it.
# 2. A driver unbound (through sysfs) without deregistering its device.
# 3. A module unloaded without deregistering the driverless device it
#    registered with its hook.
d=/sys/kernel/debug/bugcheck
m=/bugcheck/modules
p=/sys/module/bugcheck_test_pmhost/parameters

run() { "$@" || { echo "failed: $*"; exit 1; }; }

run insmod $m/bugcheck_test_pmbus.ko
cat $d/devices > $OUT/devices-bus.txt
run rmmod bugcheck_test_pmbus
run insmod $m/bugcheck_test_pmbus.ko
run rmmod bugcheck_test_pmbus
cat $d/devices > $OUT/devices-bus-gone.txt
run rmmod bugcheck
run insmod $m/bugcheck.ko

run insmod $m/bugcheck_test_pmhost.ko
run insmod $m/bugcheck_test_pmdrv.ko
cat $d/devices > $OUT/devices-loaded.txt
run sh -c 'echo bugcheck-test-pmdrv.0 > /sys/bus/platform/drivers/bugcheck-test-pmdrv/unbind'
cat $d/devices > $OUT/devices-unbound.txt
run rmmod bugcheck_test_pmdrv
cat $d/devices > $OUT/devices-unloaded.txt
echo "resumes $(cat $p/resumes)" > $OUT/counters-before.txt
dmesg > $OUT/dmesg-lifetimes.txt
exit 0
