# Contention: init (which writes the sysrq) on CPU 0; on the churn CPU (the
# last) two shells register and unregister user blocks in a loop next to the
# module's churn threads; on CPU 0 a process holds blocks of known contents.
# Simulates race all of it for a moment.
taskset -p 1 1 > /dev/null || exit 1
cpus=$(grep -c '^processor' /proc/cpuinfo)
mask=$(printf '%x' $((1 << (cpus - 1))))
for i in 1 2; do
	taskset "$mask" sh -c 'while :; do bugcheck-blocks hold -n 2 -s 4096 -S 5 -t 0 > /dev/null 2>&1; done' &
done
taskset 1 sh -c 'exec bugcheck-blocks hold -n 3 -s 8192 -S 9' > $OUT/stable.txt 2>&1 &
echo $! > $OUT/stable-pid
i=0
while ! grep -q '^ready$' $OUT/stable.txt; do
	[ $i -lt 300 ] || { echo "the stable holder is not ready"; cat $OUT/stable.txt; exit 1; }
	sleep 0.1
	i=$((i + 1))
done
n=0
while [ $n -lt 20 ]; do
	echo 1 > /sys/kernel/debug/bugcheck/simulate || { echo "simulate $n failed"; exit 1; }
	n=$((n + 1))
done
echo $n > $OUT/simulates
sleep 2
p=/sys/module/bugcheck_test_contend/parameters
cat /sys/kernel/debug/bugcheck/devices > $OUT/devices.txt
cat $p/churn > $OUT/churn
cat $p/pm_cycles > $OUT/pm_cycles
echo "churn $(cat $OUT/churn) pm_cycles $(cat $OUT/pm_cycles) (last registration error $(cat $p/pm_error)) simulates $n"
