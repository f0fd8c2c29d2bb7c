# The benchmark measures at load; unload it afterwards.
echo 67108864 > /sys/module/bugcheck/parameters/callback_max || exit 1
insmod /bugcheck/modules/bugcheck_bench.ko max_mib=16 || exit 1
rmmod bugcheck_bench || exit 1
dmesg | grep 'bugcheck_bench:' > $OUT/bench.txt
# User blocks: register+unregister of 64 KiB against mlock+munlock of it.
bench_blocks > $OUT/bench-blocks.txt 2>&1 || { cat $OUT/bench-blocks.txt; exit 1; }
