#!/usr/bin/env python3
"""System test: Mica with Debian's Linux as dom0, driven over the serial line.

    python3 test/system/dom0_shell.py [--build build] [--boot-timeout 600]

Boots QEMU (software emulation unless MICA_ACCEL=kvm) with the hypervisor,
build/linux/vmlinux and build/linux/dom0-initramfs.cpio (from `make
linux`), waits for dom0's shell prompt on the serial console and runs a
few commands, each with its own timeout:

  - /proc/xen/capabilities says control_d (xenfs mounted, dom0);
  - /dev/xen/privcmd and /dev/xen/evtchn exist (modules loaded);
  - dmesg has no BUG, Oops or WARNING;
  - poweroff powers the machine off (QEMU exits 33 through Mica).

Everything the serial line says goes to build/test/system/dom0_shell.log.
On failure it prints why, the last lines of that log and the first RIP
Linux reported; scripts/linux-kallsyms.py --lookup names other addresses.
Exit status 0 when every step passed.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import time

PROMPT = "dom0# "
TAIL = 40


class Failure(Exception):
    pass


class Console:
    """The serial line of a QEMU process: a log, expect() and send()."""

    def __init__(self, cmd, log_path):
        self.log = open(log_path, "w", buffering=1, errors="replace")
        self.buf = ""
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)

    def _read(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return True
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        text = data.decode("utf-8", "replace").replace("\r", "")
        self.log.write(text)
        self.buf = (self.buf + text)[-(1 << 20):]
        return True

    def _drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end and self._read(0.2):
            pass

    def expect(self, pattern, timeout, what):
        """Wait for regex `pattern`; return its match, consuming up to it."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            dead = re.search(r"domain 0 (crashed|shut down)|Kernel panic|"
                             r"hypervisor panicked|\(MICA\) PANIC|"
                             r"Oops: [0-9a-f]+ \[#|BUG: |"
                             # Linux halting its only vCPU (VCPUOP_down)
                             r"d0 hypercall 24\(2, 0, ", self.buf)
            if dead:
                self._drain(3.0)    # the rest of the report
                raise Failure("%s: the guest or hypervisor died (%s)"
                              % (what, dead.group(0)))
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("%s: nothing matching %r after %ds"
                              % (what, pattern, timeout))
            if not self._read(min(left, 1.0)):
                raise Failure("%s: QEMU exited (status %s)"
                              % (what, self.proc.wait()))

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def run(self, command, timeout=60):
        """Run a shell command; return its output (without the echo).

        The output is what comes between two marker lines the command
        itself prints: the terminal may echo the command line more than
        once (typed ahead, then redrawn by the shell), and those echoes
        hold the markers only after "echo ", never alone on a line.
        """
        tag = int(time.monotonic() * 1000)
        begin, done = "__begin_%d__" % tag, "__done_%d__" % tag
        self.send("echo %s; %s; echo %s" % (begin, command, done))
        m = self.expect(r"(?s)\n%s\r?\n(.*?)%s\r?\n" % (begin, done),
                        timeout, command)
        return m.group(1)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def qemu_command(build):
    hv = os.path.join(build, "hypervisor/mica.elf")
    kernel = os.path.join(build, "linux/vmlinux")
    initrd = os.path.join(build, "linux/dom0-initramfs.cpio")
    for f in (hv, kernel, initrd):
        if not os.path.exists(f):
            raise Failure("%s is missing: run 'make' and 'make linux'" % f)
    accel = os.environ.get("MICA_ACCEL", "tcg")
    return ["qemu-system-x86_64", "-machine", "pc", "-accel", accel,
            "-cpu", "max", "-m", "512", "-display", "none", "-no-reboot",
            "-monitor", "none", "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", hv, "-append", "console=com1 loglvl=all noreboot",
            "-initrd", "%s console=hvc0 earlyprintk=xen,%s" % (kernel, initrd)]


def steps(con, boot_timeout):
    con.expect(re.escape(PROMPT), boot_timeout, "boot to dom0's shell")
    print("ok: dom0 shell prompt")
    caps = con.run("cat /proc/xen/capabilities")
    if "control_d" not in caps:
        raise Failure("/proc/xen/capabilities: %r, expected control_d" % caps)
    print("ok: /proc/xen/capabilities = control_d")
    devs = con.run("ls /dev/xen")
    for dev in ("privcmd", "evtchn"):
        if dev not in devs.split():
            raise Failure("/dev/xen/%s missing (ls: %r)" % (dev, devs))
    print("ok: /dev/xen/privcmd and /dev/xen/evtchn")
    bad = con.run("dmesg | grep -E 'BUG|Oops|WARNING' | head -5")
    if bad.strip():
        raise Failure("dmesg reports problems:\n" + bad)
    print("ok: dmesg clean")
    con.send("poweroff -f")
    try:
        rc = con.proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        raise Failure("poweroff: QEMU still running after 120 s")
    if rc != 33:
        raise Failure("poweroff: QEMU exited %d, expected 33 (Mica's "
                      "clean power-off)" % rc)
    print("ok: powered off")


def explain(log_path):
    lines = open(log_path, errors="replace").read().splitlines()
    runs = []                       # [line, count]: repeats folded
    for line in lines:
        if runs and runs[-1][0] == line:
            runs[-1][1] += 1
        else:
            runs.append([line, 1])
    print("---- last %d lines of %s (repeats folded) ----" % (TAIL, log_path))
    for line, count in runs[-TAIL:]:
        print(line if count == 1 else "%s   [%d times]" % (line, count))
    rips = [m.group(1) for line in lines
            for m in [re.search(r"RIP: e030:(\S+)", line)] if m]
    if rips:
        print("first guest RIP reported by Linux: %s" % rips[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--boot-timeout", type=int, default=600)
    args = ap.parse_args()
    log_dir = os.path.join(args.build, "test/system")
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, "dom0_shell.log")
    con = None
    try:
        con = Console(qemu_command(args.build), log_path)
        steps(con, args.boot_timeout)
    except Failure as e:
        print("FAIL dom0_shell: %s" % e)
        if con:
            con.close()
            explain(log_path)
        return 1
    finally:
        if con:
            con.close()
    print("PASS dom0_shell")
    return 0


if __name__ == "__main__":
    sys.exit(main())
