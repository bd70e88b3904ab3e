#!/bin/sh
# Boot Mica in QEMU with a dom0 kernel, the serial console on this terminal.
#
#   KERNEL        dom0 kernel: linux (the default) boots Debian's kernel
#                 from `make linux` with its dom0 initramfs to a shell
#                 (docs/linux.md); test boots the selftest PV test kernel;
#                 anything else is the path of an ELF with Xen notes
#   DOMU          linux: also boot the same Linux kernel as domain 1 with
#                 its own initramfs (it runs the work script and powers
#                 itself off; its output shows as "(d1) ..." lines)
#   DOM0_CMDLINE  dom0's command line
#   INITRD        optional dom0 initial ramdisk
#   DOMUS         boot-time domUs: further modules, comma-separated, e.g.
#                 "path/to/domU.elf memory=16 -- console=hvc0"
#                 (syntax in docs/domains.md)
#   MICA_CMDLINE  hypervisor command line (default: console=com1
#                 loglvl=all; for Linux console=com1, which leaves out
#                 the debug trace of every failing hypercall)
#   VCPUS         vCPUs of dom0 (dom0_max_vcpus=) and of the DOMU=linux
#                 domain (vcpus=); default 1 (docs/domains.md)
#   MICA_ACCEL    tcg (default) or kvm
#   MEM           guest RAM in MiB (default 512; 768 with DOMU=linux)
#
# Quit QEMU with Ctrl-a x, or type poweroff -f in Linux dom0's shell.
set -eu
build=${BUILD:-build}
kernel=${KERNEL:-linux}
mica_cmdline=${MICA_CMDLINE:-console=com1 loglvl=all}
mem=${MEM:-512}
case $kernel in
    test)
        kernel=$build/test/guests/selftest.elf ;;
    linux)
        kernel=$build/linux/vmlinux
        INITRD=${INITRD:-$build/linux/dom0-initramfs.cpio}
        DOM0_CMDLINE=${DOM0_CMDLINE:-console=hvc0 earlyprintk=xen}
        mica_cmdline=${MICA_CMDLINE:-console=com1} ;;
esac
vcpus=${VCPUS:-1}
mica_cmdline="$mica_cmdline dom0_max_vcpus=$vcpus"
if [ "${DOMU:-}" = linux ]; then
    domU="$build/linux/vmlinux memory=192 vcpus=$vcpus -- console=hvc0"
    domU="$domU,$build/linux/domU-initramfs.cpio"
    DOMUS=${DOMUS:+$DOMUS,}$domU
    mem=${MEM:-768}
fi
accel=${MICA_ACCEL:-tcg}

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
