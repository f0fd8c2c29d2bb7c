# In the capture kernel: carve the record out of /proc/vmcore for
# bugcheck-record on the host.
bugcheck-save $OUT/record.bin > $OUT/save.log 2>&1
echo $? > $OUT/save.rc
exit 0
