# Fuzz /dev/bugcheck as nobody (fuzz_blocks drops to uid 65534 itself), then
# check that every FOLL_PIN pin and every block came back.  The seed and
# iteration count are fixed so a failure can be replayed; the iterations take
# about 1-2 minutes on the debug kernel under TCG.
SEED=20261121
ITERATIONS=${FUZZ_ITERATIONS:-100000}

# FOLL_PIN pins outstanding system-wide (per-cpu counts folded first).
pins() {
	echo 1 > /proc/sys/vm/stat_refresh
	awk '$1 == "nr_foll_pin_acquired" { a = $2 } $1 == "nr_foll_pin_released" { r = $2 }
		END { print a - r }' /proc/vmstat
}
blocks() { sed -n 's/^total: \([0-9]*\) blocks.*/\1/p' /sys/kernel/debug/bugcheck/blocks; }

echo "pins $(pins) blocks $(blocks)" > $OUT/baseline
start=$(date +%s)
fuzz_blocks $SEED $ITERATIONS > $OUT/fuzz.txt 2>&1
echo $? > $OUT/fuzz.rc
echo $(($(date +%s) - start)) > $OUT/fuzz.secs
# Release may trail the last exit a little: wait up to 5 s.
i=0
while [ "pins $(pins) blocks $(blocks)" != "$(cat $OUT/baseline)" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "pins $(pins) blocks $(blocks)" > $OUT/after
cat /sys/kernel/debug/bugcheck/blocks > $OUT/debugfs-blocks-after.txt
cat $OUT/fuzz.txt $OUT/baseline $OUT/after
exit 0
