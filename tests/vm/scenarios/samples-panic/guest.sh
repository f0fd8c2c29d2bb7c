# Live checks before the panic: the debugfs view and a simulated bugcheck.
d=/sys/kernel/debug/bugcheck
cat $d/callbacks > $OUT/callbacks.txt || exit 1
echo 1 > $d/simulate || { echo "simulate failed"; exit 1; }
cat $d/record > $OUT/simulated.rec || exit 1
cat $d/callbacks > $OUT/callbacks-after-simulate.txt
cat /sys/module/kernel/parameters/crash_kexec_post_notifiers > $OUT/post_notifiers
