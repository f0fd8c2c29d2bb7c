# One soak cycle in the first kernel: start the plan's user processes, each
# holding blocks through /dev/bugcheck, and unload the clients that leave
# without deregistering.  What the guest did goes to $OUT for the check.
users=$(sed -n 's/.*soak_users=\([^ ]*\).*/\1/p' /proc/cmdline)
: > $OUT/users
n=0
for spec in $(echo "$users" | tr ',' ' '); do
	# shellcheck disable=SC2046
	set -- $(echo "$spec" | tr ':' ' ')
	u=""
	[ "$5" = 1 ] && u=-u
	cmd="exec /usr/local/bin/bugcheck-blocks hold -n $3 -s $4 -S $2 $u"
	if [ "$1" = root ]; then
		sh -c "$cmd" > $OUT/hold-$n.txt 2>&1 &
	else
		su -s /bin/sh "$1" -c "$cmd" > $OUT/hold-$n.txt 2>&1 &
	fi
	echo "$n $! $1 $2 $3 $4 $5" >> $OUT/users
	n=$((n + 1))
done
while read -r n pid user seed count size unaligned; do
	i=0
	while ! grep -q '^ready$' $OUT/hold-$n.txt 2>/dev/null; do
		if [ $i -ge 300 ]; then
			echo "user process $n: not ready after 30 s:"
			cat $OUT/hold-$n.txt
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "$n $(cat /proc/$pid/comm) $(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" >> $OUT/users-seen
done < $OUT/users
if [ -d /sys/module/bugcheck_test_soak_gone ]; then
	rmmod bugcheck_test_soak_gone || { echo "rmmod bugcheck_test_soak_gone failed"; exit 1; }
fi
dmesg | grep 'unloaded without deregistering' > $OUT/gone-warnings
cat /sys/kernel/debug/bugcheck/callbacks > $OUT/callbacks.txt
cat $OUT/users $OUT/gone-warnings
