#!/usr/bin/env python3
"""Extract the ELF vmlinux from an XZ-compressed x86 bzImage.

    extract-vmlinux.py BZIMAGE OUTPUT

Mica's boot-time builder loads an ELF kernel, and decompressing XZ inside
the hypervisor costs seconds under software emulation, so the build does
it once here.

The x86 boot protocol (Documentation/x86/boot.rst) says where the payload
is: the setup header starts at 0x1f1; setup_sects (0x1f1) counts the
512-byte sectors of real-mode setup code after the boot sector (0 means
4); from protocol 2.08 on, payload_offset (0x248) and payload_length
(0x24c) locate the compressed kernel inside the protected-mode part,
which starts after those sectors. The payload is an XZ stream (Debian
builds with CONFIG_KERNEL_XZ) followed by four bytes holding the
uncompressed size, which the decoder leaves unused.
"""
import lzma
import os
import struct
import sys

HDR_MAGIC = b"HdrS"
XZ_MAGIC = b"\xfd7zXZ\x00"
ELF_MAGIC = b"\x7fELF"


def fail(msg):
    sys.exit("extract-vmlinux: " + msg)


def payload(image):
    if len(image) < 0x250 or image[0x202:0x206] != HDR_MAGIC:
        fail("not a bzImage (no 'HdrS' setup header at 0x202)")
    version = struct.unpack_from("<H", image, 0x206)[0]
    if version < 0x208:
        fail("boot protocol %#x is older than 2.08: no payload fields"
             % version)
    setup_sects = image[0x1f1] or 4
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    if start + length > len(image):
        fail("payload %#x+%#x runs past the end of the file" % (start, length))
    data = image[start:start + length]
    if not data.startswith(XZ_MAGIC):
        fail("payload at %#x is not XZ (starts %s); only XZ kernels are "
             "handled" % (start, data[:6].hex()))
    return data


def main():
    if len(sys.argv) != 3:
        fail("usage: extract-vmlinux.py BZIMAGE OUTPUT")
    with open(sys.argv[1], "rb") as f:
        image = f.read()
    dec = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    try:
        elf = dec.decompress(payload(image))
    except lzma.LZMAError as e:
        fail("XZ payload does not decode: %s" % e)
    if not dec.eof:
        fail("XZ payload is truncated")
    if not elf.startswith(ELF_MAGIC):
        fail("decompressed payload is not an ELF file")
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(elf)
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
