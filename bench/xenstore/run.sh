#!/bin/sh
# make bench, xenstore part: ops/s for read-, write- and transaction-heavy
# mixes with 1 and 16 clients against our xenstored, then the baseline.
# Usage: run.sh <xenstored> <xsbench> [seconds per run]
set -u
ours=$1 bench=$2 secs=${3:-2}
dir=$(mktemp -d)
trap 'kill $pid $epid 2>/dev/null; rm -rf "$dir"' EXIT
pid= epid=

start() { # start <socket> <cmd...>: leaves the pid in $started
    sock=$1; shift
    "$@" >/dev/null 2>&1 &
    started=$!
    i=0
    while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

start "$dir/ours" "$ours" -N -s "$dir/ours" -l error
pid=$started
start "$dir/echo" "$bench" echo "$dir/echo"
epid=$started

echo "xenstore bench: ops/s over the unix socket, ${secs} s per run"
printf '%-10s %8s %12s %12s %7s\n' mix clients mica-xsd echo-floor ratio
for mix in read write txn; do
    for n in 1 16; do
        a=$("$bench" run "$dir/ours" $mix $n "$secs")
        b=$("$bench" run "$dir/echo" $mix $n "$secs")
        printf '%-10s %8s %12s %12s %7s\n' $mix $n "$a" "$b" \
            "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
    done
done
echo "memory: $("$bench" mem "$dir/ours" $pid) KiB of RSS per 10,000 nodes" \
     "(path /mem/domN/nodeM, 10-byte values)"

# Debian's C xenstored as a baseline, if it can run here.
xsd=${XSD_BASELINE:-/usr/lib/xen-4.17/bin/xenstored}
if [ ! -x "$xsd" ]; then
    echo "baseline: $xsd not installed (package xen-utils-4.17); set" \
         "XSD_BASELINE to try another build"
    exit 0
fi
mkdir -p "$dir/xen"
XENSTORED_RUNDIR=$dir/xen "$xsd" -N -D >"$dir/xen.log" 2>&1 &
xpid=$!
sleep 0.5
if XENSTORED_PATH=$dir/xen/socket xenstore-write /probe 1 2>/dev/null; then
    echo "baseline: Debian's xenstored answers; numbers:"
    for mix in read write txn; do
        for n in 1 16; do
            echo "  $mix $n: $("$bench" run "$dir/xen/socket" $mix $n "$secs")"
        done
    done
else
    sleep 0.2
    case $(ps -o stat= -p $xpid 2>/dev/null) in
    Z*|'')
        wait $xpid
        rc=$?
        why="it died (exit status $rc$([ $rc -gt 128 ] &&
             echo ", signal $((rc - 128))")) on its first request" ;;
    *) why="it runs but does not answer" ;;
    esac
    echo "baseline: Debian's xenstored (-N -D, no hypervisor) cannot serve" \
         "here: $why. $(tail -1 "$dir/xen.log")"
fi
kill $xpid 2>/dev/null
exit 0
