#!/usr/bin/env python3
"""Linux on Mica against Linux native and Linux on Xen 4.17, in one run.

    python3 bench/linux/boot.py [--build build] [--boots N]
                                [--only mica,native,native-elf,xen]

Boots the same Debian kernel with the same benchmark initramfs
(bench/linux/initramfs.sh) four ways, in the same QEMU (software
emulation, -cpu max, -m 512):

  mica    Mica (build/hypervisor/mica.elf) with vmlinux and the initramfs
          as dom0's modules, dom0 console=hvc0;
  native  no hypervisor: QEMU -kernel on the bzImage, -initrd the
          initramfs, console=ttyS0;
  native-elf  the same, but QEMU -kernel on the ELF vmlinux Mica and Xen
          load, entered through its PVH note (XEN_ELFNOTE_PHYS32_ENTRY;
          Debian builds CONFIG_PVH): no decompression, so its boot time
          compares with the hypervisors' like for like;
  xen     Debian's Xen 4.17 (build/xen/xen.elf) with the same modules as
          Mica, dom0 console=hvc0.

For each boot it takes, from the serial line, the time from starting QEMU
to the first line the initramfs's /init prints (its userspace), on the
hypervisors also to the first line Linux prints (so the hypervisor's own
boot and dom0's build are told apart from Linux's boot), and the
lmbench figures /init's program prints (bench/linux/lmbench.c). With
--boots N (default 3) every configuration boots N times, interleaved so
that a burst of other work on the host hits all of them alike. It prints
a table of the medians over the boots with the ratios Mica/native,
Mica/native-elf and Mica/Xen, then one of the best boots. Xen's dom0 gets
the memory Mica gave its dom0. A boot that dies, hangs or stops short is
reported with the reason and the tail of its log (build/bench/linux/),
the other columns are still printed, and the exit status is 1.
"""
import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import time

MEM_MB = 512
BOOT_TIMEOUT = 300          # QEMU start to /init's first line
RUN_TIMEOUT = 300           # /init's first line to its last
POWEROFF_TIMEOUT = 30
TAIL = 25
# Mica's dom0 out of 512 MiB (105116 pages, its log's "d0: N pages"); Xen's
# dom0 gets as much, or what Mica's boot in the same run says.
DOM0_KIB = 105116 * 4

# What the serial line says when a boot cannot go on.
DEATH = re.compile(r"Kernel panic|\(XEN\) Panic|\(XEN\) \*\*\*\*+|"
                   r"hypervisor panicked|\(MICA\) PANIC|domain 0 crashed|"
                   r"Oops: [0-9a-f]+ \[#|BUG: |mica-bench: error .*")

# The first words of Linux as a PV guest, written through console_io early
# in xen_start_kernel (before it builds its own page tables): by then the
# hypervisor has booted and built dom0.
DOM0_FIRST_WORDS = re.compile(r"^mapping kernel into physical memory")

FIGURES = [  # (key, label, unit)
    ("dom0_start", "QEMU start to dom0's first words", "s"),
    ("userspace", "QEMU start to dom0 userspace", "s"),
    ("userspace_cpu", "  QEMU's CPU time until then", "s"),
    ("null_syscall", "null syscall, getppid", "us"),
    ("fork_exit", "fork+exit", "us"),
    ("fork_exec_exit", "fork+exec+exit", "us"),
    ("pipe_round_trip", "pipe ping-pong round trip", "us"),
]


class BootFailed(Exception):
    pass


def qemu_base():
    accel = os.environ.get("MICA_ACCEL", "tcg")
    return ["qemu-system-x86_64", "-machine", "pc", "-accel", accel,
            "-cpu", "max", "-m", str(MEM_MB), "-display", "none",
            "-no-reboot", "-monitor", "none", "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def configs(build, dom0_kib):
    """name -> (description, files that must exist, QEMU command).

    Xen's dom0 gets dom0_kib, what Mica gave its dom0 in the same run
    (Xen's default would be all memory less a reserve, another size).
    """
    linux = os.path.join(build, "linux")
    vmlinux = os.path.join(linux, "vmlinux")
    bzimage = os.path.join(linux, "vmlinuz")
    initrd = os.path.join(build, "bench/linux/initramfs.cpio")
    mica = os.path.join(build, "hypervisor/mica.elf")
    xen = os.path.join(build, "xen/xen.elf")
    dom0_mods = "%s console=hvc0,%s" % (vmlinux, initrd)
    return {
        "mica": ("Mica, Linux as dom0", [mica, vmlinux, initrd],
                 qemu_base() + ["-kernel", mica, "-append", "console=com1",
                                "-initrd", dom0_mods]),
        "native": ("Linux without hypervisor", [bzimage, initrd],
                   qemu_base() + ["-kernel", bzimage, "-initrd", initrd,
                                  "-append", "console=ttyS0"]),
        "native-elf": ("Linux without hypervisor, ELF through PVH entry",
                       [vmlinux, initrd],
                       qemu_base() + ["-kernel", vmlinux, "-initrd", initrd,
                                      "-append", "console=ttyS0"]),
        "xen": ("Debian's Xen 4.17, Linux as dom0", [xen, vmlinux, initrd],
                qemu_base() + ["-kernel", xen, "-append",
                               "console=com1 com1=115200,8n1 noreboot "
                               "dom0_mem=%dK,max:%dK" % (dom0_kib, dom0_kib),
                               "-initrd", dom0_mods]),
    }


class Serial:
    """QEMU's serial line as lines, each stamped with its arrival time."""

    def __init__(self, cmd, log_path):
        self.log = open(log_path, "w", buffering=1, errors="replace")
        self.start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.partial = ""
        self.lines = []             # (seconds since start, text)
        self.dom0_start = None      # stamp of DOM0_FIRST_WORDS, if seen

    def _read(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return True
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        stamp = time.monotonic() - self.start
        text = data.decode("utf-8", "replace").replace("\r", "")
        self.log.write(text)
        *done, self.partial = (self.partial + text).split("\n")
        self.lines.extend((stamp, line) for line in done)
        if self.dom0_start is None and any(DOM0_FIRST_WORDS.search(line)
                                           for line in done):
            self.dom0_start = stamp
        return True

    def expect(self, pattern, timeout, what):
        """Wait for a line matching `pattern`; return (stamp, match)."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for stamp, line in self.lines[seen:]:
                seen += 1
                m = rx.search(line)
                if m:
                    self.lines = self.lines[seen:]
                    return stamp, m
                dead = DEATH.search(line)
                if dead:
                    raise BootFailed("%s: %s" % (what, dead.group(0)))
            left = deadline - time.monotonic()
            if left <= 0:
                raise BootFailed("%s: nothing after %d s" % (what, timeout))
            if not self._read(min(left, 1.0)):
                raise BootFailed("%s: QEMU exited with status %s"
                                 % (what, self.proc.wait()))

    def cpu_seconds(self):
        """QEMU's user+system time so far, all its threads.

        Unlike the wall clock it does not grow while other work on the
        host has QEMU's core, so it is the steadier boot figure on a
        shared machine.
        """
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def finish(self):
        """Let QEMU power off; kill it if it does not. Returns a note."""
        deadline = time.monotonic() + POWEROFF_TIMEOUT
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.5)
        if self.proc.poll() is None:
            self.close()
            return "did not power off within %d s (killed)" % POWEROFF_TIMEOUT
        return None

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def one_boot(cmd, log_path):
    """Boot once; return {figure: value} and notes."""
    serial = Serial(cmd, log_path)
    figures, notes = {}, []
    try:
        stamp, _ = serial.expect(r"^mica-bench: userspace", BOOT_TIMEOUT,
                                 "boot to userspace")
        figures["userspace"] = stamp
        figures["userspace_cpu"] = serial.cpu_seconds()
        if serial.dom0_start is not None:
            figures["dom0_start"] = serial.dom0_start
        _, m = serial.expect(r"^mica-bench: kernel (.*)", 60, "first commands")
        notes.append(m.group(1).strip())
        host0, _ = serial.expect(r"^mica-bench: lmbench start", 60,
                                 "start lmbench")
        cpu0 = serial.cpu_seconds()
        while True:
            stamp, m = serial.expect(r"^mica-bench: (result|clock) (.*)",
                                     RUN_TIMEOUT, "lmbench")
            words = m.group(2).split()
            if m.group(1) == "clock":
                break
            figures[words[0]] = float(words[1])
        guest = float(words[0])
        drift = guest / (stamp - host0) if stamp > host0 else 0.0
        figures["clock"] = drift
        if stamp > host0:
            figures["cpu_share"] = (serial.cpu_seconds() - cpu0) / (
                stamp - host0)
        serial.expect(r"^mica-bench: done", 60, "finish")
        note = serial.finish()
        if note:
            notes.append(note)
    finally:
        serial.close()
    return figures, notes


def mica_dom0_kib(log_path, default):
    """The memory Mica's builder gave dom0, from its log."""
    m = re.search(r"\(MICA\) d0: (\d+) pages",
                  open(log_path, errors="replace").read())
    return int(m.group(1)) * 4 if m else default


def explain(log_path):
    lines = open(log_path, errors="replace").read().splitlines()
    print("    ---- last %d lines of %s ----" % (TAIL, log_path))
    for line in lines[-TAIL:]:
        print("    " + line)


def run_all(args):
    build = args.build
    out_dir = os.path.join(build, "bench/linux")
    os.makedirs(out_dir, exist_ok=True)
    names = args.only.split(",")
    runs = {name: [] for name in names}
    failed = {}
    dom0_kib = DOM0_KIB
    for boot in range(args.boots):
        for name in names:
            if name in failed:
                continue
            desc, files, cmd = configs(build, dom0_kib)[name]
            missing = [f for f in files if not os.path.exists(f)]
            if missing:
                failed[name] = "missing %s (make linux, make xen-fetch)" \
                    % ", ".join(missing)
                print("  %s: %s" % (name, failed[name]))
                continue
            log_path = os.path.join(out_dir, "%s-%d.log" % (name, boot + 1))
            print("  %s boot %d/%d (%s) ..." % (name, boot + 1, args.boots,
                                               desc), flush=True)
            try:
                figures, notes = one_boot(cmd, log_path)
            except BootFailed as e:
                failed[name] = str(e)
                print("  %s FAILED: %s" % (name, e))
                explain(log_path)
                continue
            runs[name].append(figures)
            if name == "mica":
                dom0_kib = mica_dom0_kib(log_path, dom0_kib)
            first = figures.get("dom0_start")
            print("    %suserspace after %.2f s (QEMU CPU %.2f s); %s" % (
                "Linux's first words after %.2f s, " % first if first else "",
                figures["userspace"], figures["userspace_cpu"],
                "; ".join(notes)), flush=True)
    return runs, failed


def aggregate(runs, key, how):
    values = [r[key] for r in runs if key in r]
    return how(values) if values else None


def fmt(value, width, digits=2):
    if value is None:
        return "%*s" % (width, "n/a")
    return "%*.*f" % (width, digits, value)


def ratio(a, b):
    return a / b if a is not None and b else None


def print_table(runs, names, title, how):
    med = {n: {k: aggregate(runs[n], k, how) for k, _, _ in FIGURES}
           for n in names}
    for n in names:             # checks on the run, not figures: medians
        for k in ("clock", "cpu_share"):
            med[n][k] = aggregate(runs[n], k, statistics.median)
    print("== Linux dom0, %s, QEMU TCG -cpu max -m %d" % (title, MEM_MB))
    header = "  %-38s" % "figure" + "".join("%11s" % n for n in names)
    if "mica" in names:
        header += "".join("%16s" % ("mica/" + n) for n in names
                          if n != "mica")
    print(header)
    for key, label, unit in FIGURES:
        row = "  %-38s" % ("%s (%s)" % (label, unit))
        row += "".join(fmt(med[n][key], 11, 3 if unit == "us" else 2)
                       for n in names)
        if "mica" in names:
            row += "".join(fmt(ratio(med["mica"][key], med[n][key]), 16)
                           for n in names if n != "mica")
        print(row)
    row = "  %-38s" % "guest clock / host clock"
    row += "".join(fmt(med[n]["clock"], 11, 3) for n in names)
    print(row)
    # Near 1 (or above: QEMU's I/O thread) when QEMU had a core to itself.
    row = "  %-38s" % "QEMU CPU time / wall time in lmbench"
    row += "".join(fmt(med[n]["cpu_share"], 11, 3) for n in names)
    print(row)
    for n in names:
        c = med[n]["clock"]
        if c is not None and abs(c - 1.0) > 0.1:
            print("  warning: %s's clock ran %.2fx the host's: its lmbench "
                  "figures are off by as much" % (n, c))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--boots", type=int,
                    default=int(os.environ.get("LINUX_BENCH_BOOTS", "3")))
    ap.add_argument("--only", default="mica,native,native-elf,xen")
    args = ap.parse_args()
    names = args.only.split(",")
    for n in names:
        if n not in ("mica", "native", "native-elf", "xen"):
            ap.error("unknown configuration %r" % n)
    load_before = os.getloadavg()[0]
    runs, failed = run_all(args)
    load_after = os.getloadavg()[0]
    print_table(runs, names, "median of %d boot(s) each" % args.boots,
                statistics.median)
    if args.boots > 1:
        # Other work on the host only ever adds time: the best boot is the
        # figure least disturbed by it.
        print_table(runs, names, "best of %d boots each" % args.boots, min)
    # QEMU's software emulation takes a whole core; anything else running
    # on the host stretches every figure (in our runs the PV ones most).
    cores = os.cpu_count() or 1
    print("  host: %d cores, load average %.2f before and %.2f after%s"
          % (cores, load_before, load_after,
             "" if max(load_before, load_after) < cores else
             " (other work was running: the figures are disturbed)"))
    for name, why in failed.items():
        print("  %s did not complete: %s" % (name, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
