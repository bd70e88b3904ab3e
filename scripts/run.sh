#!/bin/sh
# Boot Mica in QEMU with a dom0 kernel, the serial console on this terminal.
#
#   KERNEL        dom0 kernel (ELF with Xen notes); default: the selftest
#                 PV test kernel. KERNEL=linux boots Debian's kernel from
#                 `make linux` with its dom0 initramfs (docs/linux.md)
#   DOM0_CMDLINE  dom0's command line
#   INITRD        optional dom0 initial ramdisk
#   DOMUS         boot-time domUs: further modules, comma-separated, e.g.
#                 "path/to/domU.elf memory=16 -- console=hvc0"
#                 (syntax in docs/domains.md)
#   MICA_CMDLINE  hypervisor command line (default: console=com1 loglvl=all)
#   MICA_ACCEL    tcg (default) or kvm
#   MEM           guest RAM in MiB (default 512)
#
# Quit QEMU with Ctrl-a x.
set -eu
build=${BUILD:-build}
kernel=${KERNEL:-$build/test/guests/selftest.elf}
if [ "$kernel" = linux ]; then
    kernel=$build/linux/vmlinux
    INITRD=${INITRD:-$build/linux/dom0-initramfs.cpio}
    DOM0_CMDLINE=${DOM0_CMDLINE:-console=hvc0 earlyprintk=xen}
fi
mica_cmdline=${MICA_CMDLINE:-console=com1 loglvl=all}
accel=${MICA_ACCEL:-tcg}
mem=${MEM:-512}

if [ ! -f "$kernel" ]; then
    echo "run: no dom0 kernel at $kernel (set KERNEL=...)" >&2
    exit 1
fi
modules="$kernel ${DOM0_CMDLINE:-}"
if [ -n "${INITRD:-}" ]; then
    modules="$modules,$INITRD"
fi
if [ -n "${DOMUS:-}" ]; then
    modules="$modules,$DOMUS"
fi
rc=0
qemu-system-x86_64 -machine pc -accel "$accel" -cpu max -m "$mem" \
    -nographic -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$build/hypervisor/mica.elf" -append "$mica_cmdline" \
    -initrd "$modules" || rc=$?

# Mica's exit codes through isa-debug-exit: QEMU exits (code << 1) | 1.
case $rc in
    0|33) echo "run: dom0 powered off" ;;
    35) echo "run: dom0 rebooted" ;;
    37) echo "run: dom0 crashed (see the log above)"; exit 1 ;;
    39) echo "run: the hypervisor panicked (see the log above)"; exit 1 ;;
    *) echo "run: QEMU exited with $rc"; exit 1 ;;
esac
