#!/usr/bin/env bash
#
# Boot each in-guest test kernel as dom0 of Mica under QEMU and judge it.
#
#   run.sh [--kvm] [--timeout S] [test names...]     (default: all tests)
#
# Exit-code contract with the hypervisor (isa-debug-exit at port 0xf4;
# QEMU exits with (value << 1) | 1):
#   0x10 dom0 powered off -> 33    0x11 dom0 rebooted   -> 35
#   0x12 dom0 crashed     -> 37    0x13 hypervisor panic -> 39
#
# A test whose `expect` file says SUCCESS (the default) passes iff QEMU
# exits 33 and the log holds exactly one "Test result:" line, reading
# SUCCESS (SKIP counts as skipped).  A test expecting `crash` passes iff
# QEMU exits 37 and the log contains "domain 0 crashed".  An optional
# `cmdline` file adds to the hypervisor command line; an `initrd` file
# becomes dom0's ramdisk module; an `input` file is typed into the serial
# line.  Logs go to
# $BUILD/test/guests/logs/<name>.log.  Set MICA_ACCEL=kvm as an
# alternative to --kvm.
#
# Several domains: an optional `domains` file adds boot-time domUs, one
# per line, domain 1 first:
#
#     <expect> <kernel> [module words]
#
# <kernel> is a test name or `self` (this test's kernel); the module words
# follow Mica's module syntax (docs/domains.md), and the runner appends
# "id=N" for domain N and "domus=N" to dom0's.  <expect> is SUCCESS (the
# domU prints its own SUCCESS result line), crash (the log must say
# "domain N crashed") or none (no result expected, e.g. it spins forever).
# Dom0 still decides the end: the test passes iff QEMU exits 33 and the
# log holds 1 + (domUs expecting SUCCESS) result lines, all SUCCESS.
# A line "ramdisk <kernel>" is no domain: that kernel goes to dom0 as its
# ramdisk (start_info mod_start/mod_len), for tests that build domains.

set -u

cd "$(dirname "$0")/../.." || exit 2

BUILD=${BUILD:-build}
HYPERVISOR=$BUILD/hypervisor/mica.elf
GUEST_DIR=$BUILD/test/guests
LOG_DIR=$GUEST_DIR/logs
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=60
ACCEL=${MICA_ACCEL:-tcg}

usage()
{
    echo "usage: $0 [--kvm] [--timeout S] [test names...]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
    --kvm) ACCEL=kvm; shift ;;
    --timeout) [ $# -ge 2 ] || usage; TIMEOUT=$2; shift 2 ;;
    --timeout=*) TIMEOUT=${1#--timeout=}; shift ;;
    -h|--help) usage ;;
    -*) echo "$0: unknown option $1" >&2; usage ;;
    *) break ;;
    esac
done

if [ ! -f "$HYPERVISOR" ]; then
    echo "$0: hypervisor $HYPERVISOR not found; build it first with 'make'" >&2
    exit 2
fi
if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "$0: $QEMU not found; install QEMU ('make deps')" >&2
    exit 2
fi

if [ $# -gt 0 ]; then
    TESTS=("$@")
else
    TESTS=()
    for main in test/guests/*/main.c; do
        name=${main#test/guests/}
        TESTS+=("${name%/main.c}")
    done
fi

mkdir -p "$LOG_DIR"
passed=0
failed=0
skipped=0

# fail NAME REASON... LOG: say why NAME failed and show the end of LOG.
fail()
{
    local name=$1 log=${!#} reason

    reason=$(echo "${@:2:$#-2}")

    echo "FAIL $name: $reason"
    if [ -f "$log" ]; then
        echo "---- last 40 lines of $log ----"
        tail -n 40 "$log"
        echo "---- end of $log ----"
    fi
    failed=$((failed + 1))
}

# Judge a test expected to finish with one result line and poweroff.
judge_success()
{
    local name=$1 rc=$2 log=$3 results result

    results=$(grep -c 'Test result: ' "$log")
    result=$(grep -o 'Test result: [A-Z]*' "$log" | head -n 1)
    result=${result#Test result: }

    if [ "$results" -ne 1 ]; then
        fail "$name" "expected one 'Test result:' line, found $results" \
            "(QEMU exit $rc)" "$log"
    elif [ "$rc" -ne 33 ]; then
        fail "$name" "result $result but QEMU exit $rc, expected 33" \
            "(poweroff)" "$log"
    elif [ "$result" = SUCCESS ]; then
        echo "PASS $name"
        passed=$((passed + 1))
    elif [ "$result" = SKIP ]; then
        echo "SKIP $name"
        skipped=$((skipped + 1))
    else
        fail "$name" "Test result: $result" "$log"
    fi
}

# Judge a test that must get its domain crashed by the hypervisor.
judge_crash()
{
    local name=$1 rc=$2 log=$3

    if [ "$rc" -eq 37 ] && grep -q 'domain 0 crashed' "$log"; then
        echo "PASS $name (crashed as expected)"
        passed=$((passed + 1))
    elif [ "$rc" -eq 37 ]; then
        fail "$name" "QEMU exit 37 but no 'domain 0 crashed' in the log" "$log"
    else
        fail "$name" "expected a domain crash (QEMU exit 37), got $rc" "$log"
    fi
}

# Judge a test with boot-time domUs (see the header for the rules).
judge_multi()
{
    local name=$1 rc=$2 log=$3 want=$4 crashes=$5 results bad id

    results=$(grep -c 'Test result: ' "$log")
    bad=$(grep 'Test result: ' "$log" | grep -vc 'Test result: SUCCESS')
    if [ "$rc" -ne 33 ]; then
        fail "$name" "QEMU exit $rc, expected 33 (dom0 poweroff)" "$log"
        return
    fi
    if [ "$results" -ne "$want" ] || [ "$bad" -ne 0 ]; then
        fail "$name" "expected $want SUCCESS result lines, found $results" \
            "($bad not SUCCESS)" "$log"
        return
    fi
    for id in $crashes; do
        if ! grep -q "domain $id crashed" "$log"; then
            fail "$name" "expected domain $id to crash" "$log"
            return
        fi
    done
    echo "PASS $name ($want domains reported)"
    passed=$((passed + 1))
}

# Build the -initrd module list for a test with a `domains` file; sets
# MODULES, WANT (result lines expected) and CRASHES (domain ids). Every
# domain's command line gets "domus=N", domain N's also "id=N".
multi_modules()
{
    local name=$1 elf=$2 id=0 exp kernel words kelf i ramdisk=""
    local -a kelfs=() args=()

    WANT=1
    CRASHES=""
    while read -r exp kernel words; do
        [ -z "$exp" ] && continue
        case "$exp" in '#'*) continue ;; esac
        [ "$kernel" = self ] && kernel=$name
        if [ "$exp" = ramdisk ]; then
            ramdisk=",$GUEST_DIR/$kernel.elf ramdisk"
            continue
        fi
        id=$((id + 1))
        kelfs+=("$GUEST_DIR/$kernel.elf")
        args+=("$words")
        case "$exp" in
        SUCCESS) WANT=$((WANT + 1)) ;;
        crash) CRASHES="$CRASHES $id" ;;
        none) ;;
        *) echo "bad expectation '$exp' in test/guests/$name/domains" >&2 ;;
        esac
    done < "test/guests/$name/domains"
    MODULES="$elf $name domus=$id$ramdisk"
    for i in "${!kelfs[@]}"; do
        MODULES="$MODULES,${kelfs[$i]} ${args[$i]} id=$((i + 1)) domus=$id"
    done
}

run_one()
{
    local name=$1 elf=$GUEST_DIR/$1.elf log=$LOG_DIR/$1.log
    local expect=SUCCESS extra="" accel=() machine=() rc modules="$elf $1" serial

    if [ ! -d "test/guests/$name" ]; then
        fail "$name" "no such test (test/guests/$name)" ""
        return
    fi
    if [ ! -f "$elf" ]; then
        fail "$name" "$elf not built; run 'make'" ""
        return
    fi
    [ -f "test/guests/$name/expect" ] &&
        expect=$(tr -d '[:space:]' < "test/guests/$name/expect")
    [ -f "test/guests/$name/cmdline" ] &&
        extra=$(tr '\n' ' ' < "test/guests/$name/cmdline")
    machine=(-machine pc -m 512)
    [ -f "test/guests/$name/machine" ] &&
        read -r -a machine < "test/guests/$name/machine"
    [ -f "test/guests/$name/initrd" ] &&
        modules="$modules,test/guests/$name/initrd"
    [ "$ACCEL" = kvm ] && accel=(-accel kvm)
    if [ -f "test/guests/$name/domains" ]; then
        multi_modules "$name" "$elf"
        modules=$MODULES
        expect=multi
    fi

    # An `input` file is typed into the serial line.
    serial=(-serial "file:$log")
    [ -f "test/guests/$name/input" ] &&
        serial=(-chardev "file,id=con,path=$log,input-path=test/guests/$name/input"
                -serial chardev:con)

    rm -f "$log"
    timeout --foreground -k 5 "$TIMEOUT" \
        "$QEMU" "${machine[@]}" -cpu max -display none -no-reboot \
        "${accel[@]}" \
        "${serial[@]}" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$HYPERVISOR" \
        -append "console=com1 loglvl=all noreboot $extra" \
        -initrd "$modules" \
        </dev/null >"$log.qemu" 2>&1
    rc=$?
    [ -f "$log" ] || touch "$log"

    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        fail "$name" "timed out after ${TIMEOUT}s" "$log"
        return
    fi
    if [ -s "$log.qemu" ]; then
        sed 's/^/qemu: /' "$log.qemu" >> "$log"
    fi
    rm -f "$log.qemu"

    case "$expect" in
    SUCCESS) judge_success "$name" "$rc" "$log" ;;
    crash) judge_crash "$name" "$rc" "$log" ;;
    multi) judge_multi "$name" "$rc" "$log" "$WANT" "$CRASHES" ;;
    *) fail "$name" "bad expect file: '$expect'" "$log" ;;
    esac
}

for t in "${TESTS[@]}"; do
    run_one "$t"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
