#!/bin/sh
# Fetch Debian's Xen 4.17 hypervisor into OUTDIR (default build/xen), the
# baseline of `make bench` (docs/linux.md), never installing it:
#
#   1. apt-get download xen-hypervisor-4.17-amd64, unless a .deb of the
#      version apt would pick is already here;
#   2. unpack it with dpkg-deb -x into OUTDIR/pkg;
#   3. gunzip boot/xen-4.17-amd64.gz into OUTDIR/xen.elf.
#
# QEMU's -kernel takes that file as it is: a 32-bit ELF carrying a
# multiboot (v1) header, which QEMU's multiboot loader accepts (it
# refuses 64-bit ELFs and does not gunzip). Idempotent.
set -eu
out=${1:-build/xen}
pkg=xen-hypervisor-4.17-amd64

fail() { echo "xen-fetch: $*" >&2; exit 1; }

ver=$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
    fail "apt-cache knows no $pkg: run apt-get update"
fi
mkdir -p "$out"
# Debian's file names spell the version's epoch colon as %3a.
deb="$out/${pkg}_$(echo "$ver" | sed 's/:/%3a/')_amd64.deb"
if [ -f "$out/xen.elf" ] && [ -f "$out/version" ] &&
   [ "$(cat "$out/version")" = "$ver" ]; then
    exit 0
fi

echo "xen-fetch: $pkg $ver"
if [ ! -f "$deb" ]; then
    # apt's sandbox user may not write into the build tree (as in
    # scripts/linux-fetch.sh): download into a directory it may write.
    tmp=$(mktemp -d)
    chmod 777 "$tmp"
    (cd "$tmp" && apt-get download -q "$pkg=$ver") ||
        fail "apt-get download $pkg=$ver failed"
    mv "$tmp"/*.deb "$deb"
    rm -rf "$tmp"
fi
rm -rf "$out/pkg"
dpkg-deb -x "$deb" "$out/pkg"
gz="$out/pkg/boot/xen-4.17-amd64.gz"
[ -f "$gz" ] || fail "$deb has no boot/xen-4.17-amd64.gz"
gunzip -c "$gz" > "$out/xen.elf.tmp"
# The multiboot magic must lie in the first 8 KiB, 4-byte aligned.
python3 - "$out/xen.elf.tmp" <<'EOF' || fail "$gz holds no multiboot image"
import struct, sys
head = open(sys.argv[1], "rb").read(8192)
ok = any(struct.unpack_from("<I", head, i)[0] == 0x1BADB002
         for i in range(0, len(head) - 3, 4))
sys.exit(0 if head[:4] == b"\x7fELF" and head[4] == 1 and ok else 1)
EOF
mv "$out/xen.elf.tmp" "$out/xen.elf"
echo "$ver" > "$out/version"
