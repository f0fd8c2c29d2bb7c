# Before the panic: unload and reload the sample (its exit must deregister
# before removing the devices), then save the registered devices, their
# runtime status, the sample's counters, and a simulated bugcheck's record
# (which must power nothing).
d=/sys/kernel/debug/bugcheck
p=/sys/module/bugcheck_sample_pmdev/parameters

status() {
	for f in /sys/bus/platform/devices/bugcheck-sample-pmdev.*/power/runtime_status; do
		[ -e "$f" ] && echo "${f#/sys/bus/platform/devices/} $(cat $f)"
	done
}
counters() {
	for c in resumes suspends hook_calls; do echo "$c $(cat $p/$c)"; done
}

rmmod bugcheck_sample_pmdev || { echo "rmmod bugcheck_sample_pmdev failed"; exit 1; }
cat $d/devices > $OUT/devices-unloaded.txt || exit 1
status > $OUT/runtime_status-unloaded.txt
insmod /bugcheck/modules/bugcheck_sample_pmdev.ko || { echo "reload failed"; exit 1; }
dmesg | grep -E 'bugcheck-sample-pmdev|bugcheck_sample_pmdev|crash-dump device' > $OUT/dmesg-pmdev.txt

cat $d/devices > $OUT/devices.txt || exit 1
status > $OUT/runtime_status.txt
counters > $OUT/counters-before.txt
echo 1 > $d/simulate || { echo "simulate failed"; exit 1; }
cat $d/record > $OUT/simulated.rec || exit 1
counters > $OUT/counters-after-simulate.txt
status > $OUT/runtime_status-after-simulate.txt
exit 0
