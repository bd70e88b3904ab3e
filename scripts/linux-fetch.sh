#!/bin/sh
# Fetch Debian's stock kernel into OUTDIR (default build/linux), never
# installing it on the host:
#
#   1. resolve the image package that linux-image-amd64 depends on
#      (bookworm: linux-image-6.1.0-N-amd64) with apt-cache;
#   2. apt-get download it, unless that exact .deb is already here;
#   3. unpack it with dpkg-deb -x into OUTDIR/pkg;
#   4. point OUTDIR/vmlinuz, System.map, config and modules at its files,
#      touching them only when the package changed, so make rebuilds
#      vmlinux and the initramfs only then.
#
# Idempotent: with the package already unpacked it does no network work.
set -eu
out=${1:-build/linux}
meta=linux-image-amd64

fail() { echo "linux-fetch: $*" >&2; exit 1; }

# apt's package lists may be missing or stale on a fresh machine: refresh
# them once (as root, like `make deps`) before giving up.
refresh_lists() {
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    echo "linux-fetch: refreshing apt's package lists"
    $sudo_cmd apt-get update -qq || fail "apt-get update failed"
}

resolve() {
    apt-cache depends "$meta" 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1
}

download() {
    (cd "$1" && apt-get download -q "$2")
}

pkg=$(resolve)
if [ -z "$pkg" ]; then
    refresh_lists
    pkg=$(resolve)
fi
[ -n "$pkg" ] || fail "apt-cache cannot resolve $meta's image package"
mkdir -p "$out"
if [ -f "$out/package" ] && [ "$(cat "$out/package")" = "$pkg" ] &&
   [ -d "$out/pkg/boot" ]; then
    exit 0
fi

echo "linux-fetch: $meta -> $pkg"
if ! ls "$out/${pkg}_"*.deb >/dev/null 2>&1; then
    # apt's sandbox user may not write into the build tree: fetch in a
    # temporary directory it owns, then move the file here.
    tmp=$(mktemp -d)
    chmod 777 "$tmp"
    if ! download "$tmp" "$pkg"; then
        refresh_lists
        pkg=$(resolve)
        download "$tmp" "$pkg" || fail "apt-get download $pkg failed"
    fi
    mv "$tmp"/*.deb "$out/"
    rm -rf "$tmp"
fi
deb=$(ls "$out/${pkg}_"*.deb | tail -n 1)
rm -rf "$out/pkg"
dpkg-deb -x "$deb" "$out/pkg"

kver=${pkg#linux-image-}
[ -f "$out/pkg/boot/vmlinuz-$kver" ] || fail "$deb has no boot/vmlinuz-$kver"
ln -sfn "pkg/boot/vmlinuz-$kver" "$out/vmlinuz"
ln -sfn "pkg/boot/System.map-$kver" "$out/System.map"
ln -sfn "pkg/boot/config-$kver" "$out/config"
ln -sfn "pkg/lib/modules/$kver" "$out/modules"
echo "$pkg" > "$out/package"
