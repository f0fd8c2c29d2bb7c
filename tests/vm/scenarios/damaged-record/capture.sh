bugcheck-save $OUT/record.bin > $OUT/save.log 2>&1
echo $? > $OUT/save.rc
exit 0
