trap "echo sh: caught USR1" USR1
kill -USR1 $$
echo sh: after the trap
