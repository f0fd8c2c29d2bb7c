# An unknown NMI panics, as the hard-lockup detector's NMI would.
echo 1 > /proc/sys/kernel/unknown_nmi_panic
