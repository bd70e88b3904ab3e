#!/bin/sh
# Run the hostile clients against a sanitizer build of xenstored with a
# small memory quota; fail if a client check fails or the daemon trips
# a sanitizer.  Usage: hostile.sh <xenstored> <hostile>
set -u
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
"$1" -F -s "$dir/socket" -l warn --quota memory=65536 2>"$dir/log" &
pid=$!
i=0
while [ ! -S "$dir/socket" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$2" "$dir/socket"
rc=$?
kill -0 $pid 2>/dev/null || { echo "hostile: daemon died"; rc=1; }
kill $pid; wait $pid
if grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$dir/log"; then
    cat "$dir/log"; rc=1
fi
exit $rc
