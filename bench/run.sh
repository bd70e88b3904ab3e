#!/bin/sh
# Run each benchmark kernel as dom0 and print its "bench:" lines, then the
# hypervisor's size and source lines. A bench/<name>/domains file adds
# boot-time domUs, one per line: "<kernel|self> [module words]"; each
# gets "id=N domus=M" appended, dom0 "domus=M" (as test/guests/run.sh).
# Optional: bench/<name>/ramdisk names a kernel (or "self") handed to
# dom0 as its ramdisk, bench/<name>/cmdline adds hypervisor options.
set -eu
build=${BUILD:-build}
modules_for()
{
    name=$1
    mods=""
    n=0
    if [ -f "bench/$name/domains" ]; then
        n=$(grep -cv '^[[:space:]]*\(#\|$\)' "bench/$name/domains")
        i=0
        while read -r kernel words; do
            case "$kernel" in ''|'#'*) continue ;; esac
            i=$((i + 1))
            [ "$kernel" = self ] && kernel=$name
            mods="$mods,$build/bench/$kernel.elf $words id=$i domus=$n"
        done < "bench/$name/domains"
    fi
    if [ -f "bench/$name/ramdisk" ]; then
        kernel=$(cat "bench/$name/ramdisk")
        [ "$kernel" = self ] && kernel=$name
        mods=",$build/bench/$kernel.elf ramdisk$mods"
    fi
    echo "$build/bench/$name.elf $name domus=$n$mods"
}

for name in "$@"; do
    log=$build/bench/$name.log
    echo "== $name"
    timeout 300 qemu-system-x86_64 -machine pc -cpu max -m 512 \
        -display none -no-reboot -serial "file:$log" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$build/hypervisor/mica.elf" \
        -append "console=com1 $(cat "bench/$name/cmdline" 2>/dev/null)" \
        -initrd "$(modules_for "$name")" || true
    grep -a "bench:" "$log" | sed 's/^/  /'
    grep -aq "Test result: SUCCESS" "$log" ||
        { echo "  $name did not finish: see $log"; exit 1; }
done
echo "== size"
size "$build/hypervisor/mica.elf" | awk 'NR == 2 {
    printf "  hypervisor text %d bytes, data %d bytes (bss %d)\n", $1, $2, $3 }'
printf "  hypervisor source: %s lines of C and assembly\n" \
    "$(cat $(find hypervisor -name '*.[chS]') | wc -l)"
