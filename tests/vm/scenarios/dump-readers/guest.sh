# Tell the capture kernel where the record's locator is (the fast path).
echo "bugcheck_locator=$(cat /sys/module/bugcheck/parameters/locator)" > /tmp/capture-append
cat /tmp/capture-append > $OUT/capture-append
