#!/bin/sh
# A second dom0 initramfs for the in-dom0 tests of xenstored and the ring
# libraries (docs/xenstored.md, docs/ringbuf.md): dom0's own initramfs with
# a second newc archive appended. Linux unpacks concatenated archives in
# order, so the first one (busybox, /init, the Xen modules) stays exactly as
# `make linux` built it and the second only adds files.
#
#   dom0-libs-initramfs.sh BASE OUTPUT FILE...
#
# Each FILE is a program to put in /usr/bin under its own name. Dynamic
# programs bring the shared libraries ldd names, at the same paths, and the
# dynamic loader; ldconfig writes the archive's ld.so.cache. Debian's
# xenstore-utils (the multi-call /usr/bin/xenstore, its xenstore-* names,
# and xenstore-control) are added the same way: they are what the tests
# drive our daemon with. Nothing needs root.
set -eu
base=$1
out=$2
shift 2

fail() { echo "dom0-libs-initramfs: $*" >&2; exit 1; }
[ -f "$base" ] || fail "no base initramfs $base: run 'make linux'"
[ -x /usr/bin/xenstore ] ||
    fail "no /usr/bin/xenstore: install xenstore-utils (make deps)"

ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
stage=$out.stage
rm -rf "$stage"
mkdir -p "$stage/usr/bin" "$stage/etc" "$stage/var/run/xenstored"

# Copy a file to the same path in the stage, following symlinks.
copy_path() {
    mkdir -p "$stage$(dirname "$1")"
    cp -L "$1" "$stage$1"
}

# The libraries and loader a dynamic program needs ("not a dynamic
# executable" for static ones prints nothing here).
copy_libs() {
    ldd "$1" 2>/dev/null | awk '
        $2 == "=>" && $3 ~ /^\// { print $3 }
        $1 ~ /^\// { print $1 }' |
    while read -r lib; do
        [ -e "$stage$lib" ] || copy_path "$lib"
    done
}

for f in "$@"; do
    [ -x "$f" ] || fail "$f is not an executable: build it first"
    cp "$f" "$stage/usr/bin/$(basename "$f")"
    copy_libs "$f"
done

cp /usr/bin/xenstore "$stage/usr/bin/xenstore"
copy_libs /usr/bin/xenstore
for name in ls read write rm list exists watch chmod; do
    ln -s xenstore "$stage/usr/bin/xenstore-$name"
done
# glibc loads libgcc_s when a thread is cancelled (libxenstore cancels its
# reader thread on close, e.g. when xenstore-watch -n exits); ldd cannot
# see that.
gcc_s=$(ldconfig_p=$("$ldconfig" -p) &&
    echo "$ldconfig_p" | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
[ -n "$gcc_s" ] || fail "no libgcc_s.so.1 on this host"
copy_path "$gcc_s"
if [ -x /usr/bin/xenstore-control ]; then
    cp /usr/bin/xenstore-control "$stage/usr/bin/"
    copy_libs /usr/bin/xenstore-control
fi

# The copied libraries live in the multiarch directories; a cache makes the
# loader find them whatever its built-in search path.
"$ldconfig" -r "$stage" 2>/dev/null ||
    fail "ldconfig -r $stage failed"

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --quiet) > "$out.add"
cat "$base" "$out.add" > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage" "$out.add"
