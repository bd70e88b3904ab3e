#!/bin/sh
# Build the benchmark initramfs: dom0's archive with a second newc archive
# appended. The kernel unpacks concatenated archives in order and a later
# file replaces an earlier one, so dom0's /init (owned by dom0/) is left as
# it is in the first archive and ours wins.
#
#   initramfs.sh DOM0_CPIO INIT LMBENCH OUTPUT
set -eu
dom0=$1
init=$2
lmbench=$3
out=$4

fail() { echo "bench-initramfs: $*" >&2; exit 1; }
[ -f "$dom0" ] || fail "no dom0 initramfs at $dom0: run 'make linux'"

stage=$out.stage
rm -rf "$stage"
mkdir -p "$stage/bin"
cp "$init" "$stage/init"
cp "$lmbench" "$stage/bin/lmbench"
chmod 755 "$stage/init" "$stage/bin/lmbench"
# Each archive ends with its own TRAILER!!! entry; the kernel's unpacker
# carries on after one, which is what makes appending work.
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --quiet) > "$stage.cpio"
cat "$dom0" "$stage.cpio" > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage" "$stage.cpio"
