# bugcheckctl against the real module: raw ioctls first (test_ctl), then the
# tool's three commands, the last ones under kernel lockdown.  Every result
# goes to $OUT for the host check.
. /scenario/env
step() { echo "== $*"; }

step test_ctl
test_ctl > $OUT/test_ctl.tap 2>&1
echo $? > $OUT/test_ctl.rc
cat $OUT/test_ctl.tap

# No capture kernel yet, and crash_kexec_post_notifiers as the module left it.
cat /sys/module/kernel/parameters/crash_kexec_post_notifiers > $OUT/post_before
step "status (no crash kernel)"
bugcheckctl status > $OUT/status-nocrash.txt 2>&1
echo $? > $OUT/status-nocrash.rc
cat $OUT/status-nocrash.txt

step "setup and simulate as nobody"
test_ctl nobody bugcheckctl setup > $OUT/setup-nobody.txt 2>&1
echo $? > $OUT/setup-nobody.rc
test_ctl nobody bugcheckctl simulate > $OUT/simulate-nobody.txt 2>&1
echo $? > $OUT/simulate-nobody.rc
test_ctl nobody bugcheckctl status > $OUT/status-nobody.txt 2>&1
echo $? > $OUT/status-nobody.rc
cat $OUT/setup-nobody.txt $OUT/simulate-nobody.txt

# Off, so that setup has something to turn on and status a reason to refuse.
echo N > /sys/module/kernel/parameters/crash_kexec_post_notifiers
echo 0 > /proc/sys/kernel/panic_on_oops
step "status (post notifiers off, crash kernel loaded)"
kexec -p /kdump/vmlinuz --initrd=/kdump/initrd.img --append="console=ttyS0 nr_cpus=1 reset_devices" \
	> $OUT/kexec.txt 2>&1
cat /sys/kernel/kexec_crash_loaded > $OUT/crash_loaded
bugcheckctl status > $OUT/status-nopost.txt 2>&1
echo $? > $OUT/status-nopost.rc
cat $OUT/status-nopost.txt

step "setup as root"
bugcheckctl setup > $OUT/setup.txt 2>&1
echo $? > $OUT/setup.rc
cat $OUT/setup.txt
cat /sys/module/kernel/parameters/crash_kexec_post_notifiers > $OUT/post_after
cat /proc/sys/kernel/panic_on_oops > $OUT/oops_after
step "status (ready)"
bugcheckctl status > $OUT/status-ready.txt 2>&1
echo $? > $OUT/status-ready.rc
cat $OUT/status-ready.txt
kexec -p -u

step "lockdown"
mkdir -p /sys/kernel/security
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if [ -e /sys/kernel/security/lockdown ]; then
	echo integrity > /sys/kernel/security/lockdown
	cat /sys/kernel/security/lockdown > $OUT/lockdown
else
	echo "no lockdown LSM in this kernel" > $OUT/lockdown
fi
if echo 1 > /sys/kernel/debug/bugcheck/simulate 2> $OUT/debugfs-write.err; then
	echo 0 > $OUT/debugfs-write.rc
else
	echo 1 > $OUT/debugfs-write.rc
fi
bugcheckctl simulate -o $OUT/simulated.rec 1 2 3 4 > $OUT/simulate-o.txt 2>&1
echo $? > $OUT/simulate-o.rc
bugcheckctl simulate > $OUT/simulate.txt 2>&1
echo $? > $OUT/simulate.rc
cat $OUT/debugfs-write.err $OUT/simulate-o.txt $OUT/simulate.txt
bugcheckctl status > $OUT/status-after-sim.txt 2>&1
cat $OUT/status-after-sim.txt
exit 0
