# Unload the leaky client without it deregistering; bugcheck must drop its record.
rmmod bugcheck_test_leak || { echo "rmmod bugcheck_test_leak failed"; exit 1; }
dmesg | grep 'unloaded without deregistering' > $OUT/leak-warning
cat /sys/kernel/debug/bugcheck/callbacks > $OUT/callbacks.txt
