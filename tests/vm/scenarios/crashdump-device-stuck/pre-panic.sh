# The oops in bugcheck-test-pmstuck.1's suspend callback must panic.
echo 1 > /proc/sys/kernel/panic_on_oops || exit 1
