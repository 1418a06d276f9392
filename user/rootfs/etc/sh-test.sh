echo sh: builtin echo
ls /etc
cat /proc/meminfo
echo sh: done $?
