/bin/spin announce
echo sh: not reached
