#!/usr/bin/env python3
"""Write a System.map for a vmlinux from its embedded kallsyms tables.

    linux-kallsyms.py VMLINUX OUTPUT
    linux-kallsyms.py --lookup MAP ADDRESS...   (symbol+offset of each)

Debian's linux-image packages ship a placeholder System.map (the real one
is in the -dbg package, close to 1 GB) and a vmlinux without a symbol
table, yet the kernel carries every symbol for /proc/kallsyms. This reads
those tables so that an address in a Mica log (a guest RIP, a return
address on the guest stack) can be named.

Layout assumed, as scripts/kallsyms.c writes it for Linux 6.1 with
CONFIG_KALLSYMS_BASE_RELATIVE and CONFIG_KALLSYMS_ABSOLUTE_PERCPU, each
table 8-byte aligned, in this order: kallsyms_offsets (s32 per symbol),
kallsyms_relative_base (u64), kallsyms_num_syms (u32), kallsyms_names
(per symbol: a length of one byte, or two if the first has bit 7 set,
then that many token numbers), kallsyms_markers (u32 per 256 symbols),
in newer stable kernels kallsyms_seqs_of_names (3 bytes per symbol),
kallsyms_token_table (256 NUL-terminated strings) and
kallsyms_token_index (256 u16 offsets into the table).

The token table is found by its single-character tokens for '0'..'9',
which sit in order at their own byte values.
"""
import struct
import sys


def fail(msg):
    sys.exit("linux-kallsyms: " + msg)


def align8(x):
    return (x + 7) & ~7


def token_table(d):
    digits = b"".join(bytes([c]) + b"\0" for c in b"0123456789")
    at = d.find(digits)
    while at >= 0:
        start = at
        for _ in range(ord("0")):
            start = d.rfind(b"\0", 0, start - 1) + 1
        tokens, offs, p = [], [], start
        for _ in range(256):
            end = d.index(b"\0", p)
            offs.append(p - start)
            tokens.append(d[p:end])
            p = end + 1
        idx = align8(p)
        if list(struct.unpack_from("<256H", d, idx)) == offs:
            return start, tokens
        at = d.find(digits, at + 1)
    fail("no kallsyms token table found")


def entry_len(d, p):
    n = d[p]
    if n & 0x80:
        return (n & 0x7f) | (d[p + 1] << 7), 2
    return n, 1


def names_end(d, names, n):
    """Offset after n name entries, and of entry 256 (the second marker)."""
    q, second = names, None
    for i in range(n):
        if i == 256:
            second = q - names
        ln, hdr = entry_len(d, q)
        q += hdr + ln
    return q, second


def find_num_syms(d, table):
    """kallsyms_num_syms: preceded by a kernel-address relative base,
    followed by names whose markers (and, in kernels that have it, the
    3-byte-per-symbol kallsyms_seqs_of_names) end at the token table."""
    for pos in range(table & ~7, max(table - (64 << 20), 0), -8):
        n = struct.unpack_from("<I", d, pos)[0]
        base = struct.unpack_from("<Q", d, pos - 8)[0]
        if not 1000 < n < (1 << 22) or base >> 40 != 0xffffff:
            continue
        names = align8(pos + 4)
        try:
            end, second = names_end(d, names, n)
        except IndexError:
            continue
        markers = align8(end)
        nmark = (n + 255) // 256
        m = struct.unpack_from("<%dI" % min(nmark, 2), d, markers)
        if m[0] != 0 or (nmark > 1 and m[1] != second):
            continue
        after = markers + 4 * nmark
        if align8(after) == table or align8(align8(after) + 3 * n) == table:
            return pos, n, names
    fail("kallsyms_num_syms not found")


def lookup(path, words):
    import bisect
    syms = []
    for line in open(path):
        addr, _, name = line.split()[:3]
        syms.append((int(addr, 16), name))
    keys = [a for a, _ in syms]
    for w in words:
        try:
            x = int(w, 16)
        except ValueError:
            continue
        i = bisect.bisect_right(keys, x) - 1
        if x >= 0xffff800000000000 and i >= 0 and x - keys[i] < (1 << 20):
            print("%s %s+%#x" % (w, syms[i][1], x - keys[i]))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--lookup":
        lookup(sys.argv[2], sys.argv[3:])
        return
    if len(sys.argv) != 3:
        fail("usage: linux-kallsyms.py VMLINUX OUTPUT")
    d = open(sys.argv[1], "rb").read()
    table, tokens = token_table(d)
    pos, n, names = find_num_syms(d, table)
    base = struct.unpack_from("<Q", d, pos - 8)[0]
    offsets = pos - 8 - align8(4 * n)
    syms, q = [], names
    for i in range(n):
        ln, hdr = entry_len(d, q)
        q += hdr
        name = b"".join(tokens[t] for t in d[q:q + ln]).decode("ascii", "replace")
        q += ln
        off = struct.unpack_from("<i", d, offsets + 4 * i)[0]
        addr = off if off >= 0 else base - 1 - off
        syms.append((addr, name[0], name[1:]))
    with open(sys.argv[2], "w") as f:
        for addr, kind, name in sorted(syms):
            f.write("%016x %s %s\n" % (addr, kind, name))


if __name__ == "__main__":
    main()
