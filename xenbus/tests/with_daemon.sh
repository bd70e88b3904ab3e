#!/bin/sh
# Start xenstored on a private socket, run a command with XENSTORED_PATH
# pointing at it, stop the daemon and fail if the command failed, the
# daemon died or a sanitizer spoke up.
# Usage: with_daemon.sh <xenstored> "<daemon options>" <command> [args]
set -u
daemon=$1 opts=$2
shift 2
dir=$(mktemp -d)
export XENSTORED_PATH=$dir/socket
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
# shellcheck disable=SC2086
"$daemon" -N -s "$XENSTORED_PATH" -l warn $opts 2>"$dir/log" &
pid=$!
i=0
while [ ! -S "$XENSTORED_PATH" ] && [ $i -lt 100 ]; do
    sleep 0.05; i=$((i + 1))
done
"$@"
rc=$?
kill -0 $pid 2>/dev/null || { echo "$0: xenstored died"; rc=1; }
kill $pid; wait $pid
if grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$dir/log"; then
    cat "$dir/log"; rc=1
fi
exit $rc
