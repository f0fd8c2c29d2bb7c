# Make error reports of report_target with /dev/bugcheck loaded, in every
# way, and leave them in $OUT for the host's check (gdb runs there).
R=bugcheck-report
T=report_target
S=$OUT/store
mkdir -p $S $OUT/crash $OUT/cp
log() { echo "$*" >> $OUT/guest-steps.txt; }

# start NAME ARGS...: the target with stdin on a fifo (fd 3 keeps it open).
start() {
	name=$1
	shift
	mkfifo /tmp/$name.in
	"$@" < /tmp/$name.in > $OUT/$name.out 2>&1 &
	exec 3> /tmp/$name.in
	for i in $(seq 100); do
		grep -q '^ready' $OUT/$name.out && break
		sleep 0.1
	done
	PID=$(sed -n 's/.* pid=\([0-9]*\).*/\1/p' $OUT/$name.out)
	TA=$(sed -n 's/.* tid_a=\([0-9]*\).*/\1/p' $OUT/$name.out)
}

# report NAME ARGS...: a live report; its folder's path into $OUT/NAME.path
report() {
	name=$1
	shift
	if $R "$@" --store $S > $OUT/$name.rep 2> $OUT/$name.err; then
		head -n 1 $OUT/$name.rep > $OUT/$name.path
	else
		log "report $name failed: $(cat $OUT/$name.err)"
	fi
}

# --- live, each type, with and without the registered blocks ----------------
start live $T
echo step >&3
report micro-noreg $PID --tid $TA --type micro
report micro-reg $PID --tid $TA --type micro --add-registered
report mini-noreg $PID --tid $TA --type mini
report mini-reg $PID --tid $TA --type mini --add-registered
report heap $PID --tid $TA --type heap
report heap-queued $PID --tid $TA --type heap --queue
echo step >&3
sleep 0.3
kill -0 $PID && log "live target still running after 6 reports"
exec 3>&-
wait $PID
echo $? > $OUT/live.rc
$R list --store $S > $OUT/list.txt

# --- the crash handler, each type (blocks added: its default) ------------------
for t in micro mini heap; do
	mkdir -p $OUT/crash/$t
	$T --handler $t --reporter /usr/local/bin/$R --store $OUT/crash/$t --crash segv \
		< /dev/null > $OUT/crash-$t.out 2>&1
	echo $? > $OUT/crash-$t.rc
done

# --- Yama: ptrace_scope 1 --------------------------------------------------------
if [ -f /proc/sys/kernel/yama/ptrace_scope ]; then
	old=$(cat /proc/sys/kernel/yama/ptrace_scope)
	echo 1 > /proc/sys/kernel/yama/ptrace_scope
	mkdir -p $OUT/yama && chmod 0777 $OUT/yama
	as_user 65534 65534 sleep 30 &
	victim=$!
	sleep 0.3
	as_user 65534 65534 $R $victim --store $OUT/yama \
		> $OUT/yama-live.out 2> $OUT/yama-live.err
	echo $? > $OUT/yama-live.rc
	kill $victim
	mkdir -p $OUT/yama/crash && chmod 0777 $OUT/yama/crash
	as_user 65534 65534 $T --handler mini \
		--reporter /usr/local/bin/$R --store $OUT/yama/crash --crash segv \
		< /dev/null > $OUT/yama-crash.out 2>&1
	echo $? > $OUT/yama-crash.rc
	echo $old > /proc/sys/kernel/yama/ptrace_scope
else
	echo "no Yama in this kernel" > $OUT/yama-absent.txt
fi

# --- core_pattern: chained to a previous pipe, then to a file pattern ------------
cat > /tmp/prev.sh <<'PREV'
#!/bin/sh
cat > /tmp/prev-core.$1
echo "$@" > /tmp/prev-args.$1
PREV
chmod +x /tmp/prev.sh
echo '|/tmp/prev.sh %p %s' > /proc/sys/kernel/core_pattern
cat /proc/sys/kernel/core_pattern > $OUT/cp-before.txt
for t in micro mini heap; do
	$R core-pattern install --type $t --store $OUT/cp > $OUT/cp-install-$t.txt 2>&1
	echo $? >> $OUT/cp-install.rc
	$T --crash segv < /dev/null > $OUT/cp-$t.out 2>&1
	echo $? > $OUT/cp-$t.rc
	sleep 1
done
cat /proc/sys/kernel/core_pattern > $OUT/cp-during.txt
$R core-pattern status > $OUT/cp-status.txt 2>&1
$R core-pattern remove > $OUT/cp-remove.txt 2>&1
echo $? > $OUT/cp-remove.rc
cat /proc/sys/kernel/core_pattern > $OUT/cp-after.txt
ls -l /tmp/prev-core.* > $OUT/cp-prev-cores.txt 2>&1
for f in /tmp/prev-core.*; do
	head -c 4 $f | od -An -c | tr -d ' ' >> $OUT/cp-prev-magic.txt
done
cat /tmp/prev-args.* > $OUT/cp-prev-args.txt 2>&1

mkdir -p /tmp/cores
echo '/tmp/cores/core.%p' > /proc/sys/kernel/core_pattern
$R core-pattern install --type mini --store $OUT/cp > $OUT/cp-install-file.txt 2>&1
ulimit -c unlimited
$T --crash abort < /dev/null > $OUT/cp-file.out 2>&1
echo $? > $OUT/cp-file.rc
sleep 1
$R core-pattern remove >> $OUT/cp-remove.txt 2>&1
cat /proc/sys/kernel/core_pattern > $OUT/cp-file-after.txt
ls -l /tmp/cores > $OUT/cp-file-cores.txt 2>&1
dmesg | grep bugcheck-report > $OUT/cp-dmesg.txt
exit 0
