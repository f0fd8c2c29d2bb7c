# Three processes hold user blocks across the panic: bugcheck-blocks as root
# (aligned 4 KiB blocks), bugcheck-blocks as nobody (64 KiB blocks, 100 bytes
# into their mappings) and hold_unmapped (a block whose memory is gone).
# What the guest knows of them goes to $OUT; the host check recomputes the
# bytes from the parameters below, never from the programs' output.

# Tell the capture kernel where the record's locator is, for bugcheck-save.
echo "bugcheck_locator=$(cat /sys/module/bugcheck/parameters/locator)" > /tmp/capture-append

# NAME USER SEED COUNT SIZE UNALIGNED (the inputs the check reads back)
cat > $OUT/params <<'PARAMS'
root root 11 3 4096 0
nobody nobody 23 2 65536 1
PARAMS
UNMAPPED_SIZE=3000
echo "unmapped root - 1 $UNMAPPED_SIZE 0" >> $OUT/params

while read -r name user seed count size unaligned; do
	[ "$name" = unmapped ] && continue
	u=""
	[ "$unaligned" = 1 ] && u=-u
	cmd="exec /usr/local/bin/bugcheck-blocks hold -n $count -s $size -S $seed $u"
	if [ "$user" = root ]; then
		sh -c "$cmd" > $OUT/hold-$name.txt 2>&1 &
	else
		su -s /bin/sh "$user" -c "$cmd" > $OUT/hold-$name.txt 2>&1 &
	fi
	echo $! > $OUT/pid-$name
done < $OUT/params
hold_unmapped $UNMAPPED_SIZE > $OUT/hold-unmapped.txt 2>&1 &
echo $! > $OUT/pid-unmapped

for name in root nobody unmapped; do
	i=0
	while ! grep -q '^ready$' $OUT/hold-$name.txt 2>/dev/null; do
		if [ $i -ge 300 ]; then
			echo "hold-$name: not ready after 30 s:"
			cat $OUT/hold-$name.txt
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	pid=$(cat $OUT/pid-$name)
	cat /proc/$pid/comm > $OUT/comm-$name
	awk '/^Uid:/ { print $2 }' /proc/$pid/status > $OUT/uid-$name
done
cat /sys/kernel/debug/bugcheck/blocks > $OUT/debugfs-blocks.txt
cat $OUT/hold-*.txt $OUT/debugfs-blocks.txt
