# Before the panic: the four devices as registered, and the driver's counters.
d=/sys/kernel/debug/bugcheck
p=/sys/module/bugcheck_test_pmstuck/parameters
cat $d/devices > $OUT/devices.txt || exit 1
for f in /sys/bus/platform/devices/bugcheck-test-pmstuck.*/power/runtime_status; do
	echo "${f#/sys/bus/platform/devices/} $(cat $f)"
done > $OUT/runtime_status.txt
for c in resumes hook_calls; do echo "$c $(cat $p/$c)"; done > $OUT/counters-before.txt
exit 0
