# In the capture kernel: carve the record out of /proc/vmcore, by the command
# line's locator and by the scan fallback; save the exit codes.
bugcheck-save $OUT/record.bin > $OUT/save.log 2>&1
echo $? > $OUT/save.rc
bugcheck-save -s $OUT/record-scan.bin > $OUT/save-scan.log 2>&1
echo $? > $OUT/save-scan.rc
cat /proc/cmdline > $OUT/capture-cmdline
exit 0
