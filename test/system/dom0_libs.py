#!/usr/bin/env python3
"""System test: our xenstored and ring libraries inside Linux dom0 on Mica.

    python3 test/system/dom0_libs.py [--build build] [--boot-timeout 600]

Boots QEMU (software emulation unless MICA_ACCEL=kvm) with the hypervisor,
build/linux/vmlinux and build/dom0-libs/dom0-libs-initramfs.cpio (`make
dom0-libs-initramfs`: dom0's initramfs plus our static xenstored and
ringbuf-stress and Debian's xenstore tools), waits for dom0's shell and
drives it over the serial console (dom0_shell.py's Console):

Issue 7, xenstored in dom0:
  - dom0's kernel runs without a store (store_evtchn 0): it made its own
    page and port, shown in /proc/xen/xsd_kva and xsd_port;
  - `xenstored -R` maps that page and binds that port; dom0's kernel then
    connects by itself and writes its control/feature-* nodes, read back
    through the daemon's socket (so no tool went through the kernel);
  - Debian's xenstore-ls shows the tree; xenstore-write/read/list/exists/
    rm work over the socket and over /dev/xen/xenbus (the kernel's ring),
    each side seeing the other's writes; xenstore-watch fires;
  - a write to control/sysrq reaches the kernel's own watch (dmesg shows
    the SysRq help and the kernel clears the node again);
Issue 8, the ring and event-channel libraries over the real devices:
  - ringbuf-stress -x: two dom0 processes exchange numbered, checksummed
    requests over pages granted with /dev/xen/gntalloc and mapped with
    /dev/xen/gntdev, woken through /dev/xen/evtchn; nothing lost,
    duplicated, reordered or corrupt, no wait of a second for an event;
and at the end: the daemon logged no warning or error, dmesg has no BUG,
Oops or WARNING, and poweroff powers the machine off (QEMU exit 33).

The serial log is build/test/system/dom0_libs.log. Exit status 0 when
every step passed.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dom0_shell import (PROMPT, Failure, check_dmesg,  # noqa: E402
                        power_off, run_test)

XSD_LOG = "/tmp/xenstored.log"
# Runs of the stress test: (arguments, what they show). Sized for software
# emulation: together about 20 s.
STRESS_RUNS = [
    ("-x -p 4 500000", "batched, 4-page ring"),
    ("-x 100000", "batched, 1-page ring"),
    ("-x -w 1 5000", "one request at a time (a wake-up each)"),
]


def qemu_command(build):
    hv = os.path.join(build, "hypervisor/mica.elf")
    kernel = os.path.join(build, "linux/vmlinux")
    initrd = os.path.join(build, "dom0-libs/dom0-libs-initramfs.cpio")
    for f in (hv, kernel, initrd):
        if not os.path.exists(f):
            raise Failure("%s is missing: run 'make', 'make linux' and "
                          "'make dom0-libs-initramfs'" % f)
    accel = os.environ.get("MICA_ACCEL", "tcg")
    return ["qemu-system-x86_64", "-machine", "pc", "-accel", accel,
            "-cpu", "max", "-m", "512", "-display", "none", "-no-reboot",
            "-monitor", "none", "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", hv, "-append", "console=com1 loglvl=all noreboot",
            "-initrd", "%s console=hvc0 earlyprintk=xen,%s" % (kernel, initrd)]


def ok(what):
    print("ok: %s" % what)
    sys.stdout.flush()


def check_equal(con, command, want, what):
    got = con.run(command).strip()
    if got != want:
        raise Failure("%s: %r printed %r, expected %r" % (what, command, got,
                                                         want))


def wait_for(con, command, want, seconds, what):
    """Run `command` until it prints `want` (at most `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        got = con.run(command).strip()
        if got == want:
            return
        if time.monotonic() > deadline:
            raise Failure("%s: %r still printed %r after %d s, expected %r"
                          % (what, command, got, seconds, want))
        time.sleep(1)


def kernel_waits_for_store(con):
    port = con.run("cat /proc/xen/xsd_port").strip()
    kva = con.run("cat /proc/xen/xsd_kva").strip()
    if not port.isdigit() or int(port) == 0 or not kva.startswith("0x"):
        raise Failure("dom0's kernel has no local store: xsd_port %r, "
                      "xsd_kva %r" % (port, kva))
    ok("dom0's kernel made its own store page and port %s" % port)


def start_xenstored(con):
    con.run("xenstored -R -F /tmp/xenstored.pid -L %s" % XSD_LOG)
    log = con.run("sleep 1; cat %s" % XSD_LOG)
    if "serving dom0's kernel" not in log:
        raise Failure("xenstored did not take dom0's ring:\n" + log)
    ok("xenstored serves dom0's kernel and /var/run/xenstored/socket")
    # Through the socket only: the kernel writes these once it has probed.
    wait_for(con, "xenstore-read /local/domain/0/control/feature-poweroff",
             "1", 30, "dom0's kernel connecting to xenstored")
    ok("dom0's kernel connected by itself (control/feature-poweroff = 1)")


def stock_tools(con):
    tree = con.run("xenstore-ls")
    for line in ("tool = \"\"", "local = \"\"", "  0 = \"\"",
                 "    feature-poweroff = \"1\""):
        if line not in tree.splitlines():
            raise Failure("xenstore-ls lacks %r:\n%s" % (line, tree))
    ok("xenstore-ls shows the tree (%d lines)" % len(tree.splitlines()))
    kdev = "XENSTORED_PATH=/dev/xen/xenbus "
    con.run("xenstore-write /mica/sock from-socket")
    con.run(kdev + "xenstore-write /mica/kern from-kernel")
    check_equal(con, kdev + "xenstore-read /mica/sock", "from-socket",
                "a socket write read through /dev/xen/xenbus")
    check_equal(con, "xenstore-read /mica/kern", "from-kernel",
                "a /dev/xen/xenbus write read through the socket")
    check_equal(con, "xenstore-list /mica | sort", "kern\nsock",
                "xenstore-list")
    ok("xenstore-write/read/list over the socket and /dev/xen/xenbus")
    con.run("xenstore-rm /mica/kern")
    check_equal(con, "xenstore-exists /mica/kern; echo $?", "1",
                "xenstore-exists after xenstore-rm")
    check_equal(con, kdev + "xenstore-exists /mica/sock; echo $?", "0",
                "xenstore-exists")
    ok("xenstore-rm and xenstore-exists")
    con.run("xenstore-watch -n 2 /mica/watched > /tmp/watch.out 2>&1 & "
            "sleep 1; xenstore-write /mica/watched now; sleep 1")
    check_equal(con, "cat /tmp/watch.out", "/mica/watched\n/mica/watched",
                "xenstore-watch (first firing, then the write)")
    ok("xenstore-watch fires")


def kernel_watch(con):
    con.run("xenstore-write /local/domain/0/control/sysrq h")
    wait_for(con, "dmesg | grep -c 'sysrq: HELP'", "1", 10,
             "dom0's kernel answering its control/sysrq watch")
    wait_for(con, "xenstore-read /local/domain/0/control/sysrq", "", 10,
             "dom0's kernel clearing control/sysrq")
    ok("dom0's kernel got its control/sysrq watch and cleared the node")


def ring_stress(con):
    for args, what in STRESS_RUNS:
        t = time.monotonic()
        out = con.run("ringbuf-stress %s 2>&1; echo rc=$?" % args,
                      timeout=180)
        if not out.rstrip().endswith("rc=0"):
            raise Failure("ringbuf-stress %s failed:\n%s" % (args, out))
        ok("ring stress, %s (%.1f s):\n%s"
           % (what, time.monotonic() - t, out.rstrip()[:-len("rc=0")]
              .rstrip()))


def finish(con):
    bad = con.run("grep -E 'warn|error' %s | head -5" % XSD_LOG)
    if bad.strip():
        raise Failure("xenstored logged problems:\n" + bad)
    ok("xenstored logged no warning or error")
    check_dmesg(con)
    power_off(con)


def steps(con, boot_timeout):
    t0 = time.monotonic()
    con.expect(re.escape(PROMPT), boot_timeout, "boot to dom0's shell")
    ok("dom0 shell prompt after %.1f s" % (time.monotonic() - t0))
    con.run("export PATH=/usr/bin:/usr/sbin:$PATH")
    kernel_waits_for_store(con)
    start_xenstored(con)
    stock_tools(con)
    kernel_watch(con)
    ring_stress(con)
    finish(con)
    print("total %.1f s" % (time.monotonic() - t0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--boot-timeout", type=int, default=600)
    args = ap.parse_args()
    return run_test("dom0_libs", args.build, qemu_command(args.build),
                    lambda con: steps(con, args.boot_timeout))


if __name__ == "__main__":
    sys.exit(main())
