# The soft client alone, then with bugcheck.ko; every result to $OUT.
m=/bugcheck/modules
rc() { echo $? > "$OUT/$1.rc"; }

echo "== without bugcheck.ko"
insmod $m/bugcheck_sample_soft.ko; rc alone-insmod
[ -d /sys/module/bugcheck ] && echo present > $OUT/alone-bugcheck || echo absent > $OUT/alone-bugcheck
dmesg | grep bugcheck_sample_soft > $OUT/alone-dmesg.txt
rmmod bugcheck_sample_soft; rc alone-rmmod

echo "== with bugcheck.ko"
insmod $m/bugcheck.ko; rc with-insmod-bugcheck
insmod $m/bugcheck_sample_soft.ko; rc with-insmod-soft
dmesg | grep bugcheck_sample_soft > $OUT/with-dmesg.txt
cat /sys/module/bugcheck/refcnt > $OUT/refcnt-registered
rmmod bugcheck 2> $OUT/rmmod-busy.err; rc rmmod-busy
bugcheckctl simulate -o $OUT/simulated.rec; rc simulate
rmmod bugcheck_sample_soft; rc with-rmmod-soft
cat /sys/module/bugcheck/refcnt > $OUT/refcnt-deregistered
bugcheckctl simulate -o $OUT/simulated-after.rec; rc simulate-after
rmmod bugcheck; rc rmmod-bugcheck
cat $OUT/*.rc $OUT/*dmesg.txt
exit 0
