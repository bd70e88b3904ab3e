#!/bin/sh
# Drive our xenstored with Debian's stock xenstore-utils over a temporary
# socket (found through XENSTORED_PATH, as libxenstore 4.17 does) and
# check what the tools print.  Usage: interop.sh <xenstored binary>
set -u

daemon=$1
dir=$(mktemp -d)
export XENSTORED_PATH=$dir/socket
pass=0
fail=0

cleanup() {
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

for t in xenstore-read xenstore-write xenstore-ls xenstore-rm \
         xenstore-watch xenstore-chmod xenstore-list xenstore-exists; do
    if ! command -v "$t" >/dev/null 2>&1; then
        echo "interop: $t missing; install xenstore-utils (make deps)"
        exit 1
    fi
done

"$daemon" -N -s "$XENSTORED_PATH" -l warn 2>"$dir/log" &
pid=$!
i=0
while [ ! -S "$XENSTORED_PATH" ] && [ $i -lt 100 ]; do
    sleep 0.05; i=$((i + 1))
done

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        printf 'interop: FAIL %s\n--- expected\n%s\n--- got\n%s\n' "$1" "$2" "$3"
    fi
}

check write "" "$(xenstore-write /vm/1/name guest-one /vm/1/memory 512 2>&1)"
check read "guest-one" "$(xenstore-read /vm/1/name 2>&1)"
check read-two "$(printf 'guest-one\n512')" \
    "$(xenstore-read /vm/1/name /vm/1/memory 2>&1)"
check read-missing "xenstore-read: couldn't read path /vm/2" \
    "$(xenstore-read /vm/2 2>&1)"
xenstore-read /vm/2 >/dev/null 2>&1
check read-missing-status 1 $?
check ls "$(printf '1 = ""\n name = "guest-one"\n memory = "512"')" \
    "$(xenstore-ls /vm 2>&1)"
check ls-root "$(printf 'tool = ""\n xenstored = ""\nvm = ""')" \
    "$(xenstore-ls 2>&1 | sed -n 1,3p)"
check ls-full "/vm/1/name = \"guest-one\"" \
    "$(xenstore-ls -f /vm | grep name)"
check chmod "" "$(xenstore-chmod /vm/1/name n0 r5 b7 2>&1)"
check ls-perms "1" \
    "$(xenstore-ls -p /vm/1 | grep -c 'name = "guest-one".*(n0,r5,b7)')"
check chmod-bad "1" "$(xenstore-chmod /vm/1/name x0 2>&1 | grep -c .)"
check list "$(printf 'name\nmemory')" "$(xenstore-list /vm/1 2>&1)"
check exists 0 "$(xenstore-exists /vm/1; echo $?)"
check exists-not 1 "$(xenstore-exists /vm/9 2>/dev/null; echo $?)"
check rm "" "$(xenstore-rm /vm/1/memory 2>&1)"
check rm-gone "name" "$(xenstore-list /vm/1 2>&1)"
check rm-missing-ok "" "$(xenstore-rm /vm/1/memory 2>&1)"
check rm-tree "" "$(xenstore-rm /vm 2>&1)"
check rm-tree-gone 1 "$(xenstore-exists /vm 2>/dev/null; echo $?)"

# Watches: the first event fires at once, then one per change.
xenstore-watch -n 3 /w >"$dir/watch" 2>&1 &
wpid=$!
sleep 0.3
xenstore-write /w/a 1
xenstore-write /w/b 2
i=0
while kill -0 $wpid 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.05; i=$((i + 1))
done
kill $wpid 2>/dev/null
check watch "$(printf '/w\n/w/a\n/w/b')" "$(cat "$dir/watch")"

# Special paths and a value with spaces.
xenstore-watch -n 1 @introduceDomain >"$dir/w2" 2>&1 &
wpid=$!
sleep 0.3
wait $wpid
check watch-special "@introduceDomain" "$(cat "$dir/w2")"
xenstore-write /s "a value with spaces"
check spaces "a value with spaces" "$(xenstore-read /s)"

kill "$pid"
wait "$pid"
rc=$?
pid=
check daemon-clean-exit 0 $rc
if grep -q 'ERROR: AddressSanitizer\|runtime error' "$dir/log"; then
    fail=$((fail + 1))
    cat "$dir/log"
fi
echo "interop: $pass passed, $fail failed"
[ $fail -eq 0 ]
