#!/bin/sh
# Install, from Debian, everything Mica's build and tests need. Idempotent:
# a second run with everything present does no network work at all.
set -eu

# One package per line, so additions from different work merge cleanly.
packages="
build-essential
gcc
make
binutils
check
pkg-config
libxml2-dev
uuid-dev
zlib1g-dev
liblzma-dev
busybox-static
cpio
xz-utils
python3
expect
linux-libc-dev
xenstore-utils
clang
"

# QEMU must come from bookworm-backports: 7.2's software emulation delivers
# `int n` from ring 3 with a wrong error code (fixed in 8.0).
backports_qemu="qemu-system-x86"

sudo_cmd=""
if [ "$(id -u)" != 0 ]; then
    sudo_cmd="sudo"
fi

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done

qemu_ok=0
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    major=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
    [ "${major:-0}" -ge 8 ] && qemu_ok=1
fi

if [ -z "$missing" ] && [ "$qemu_ok" = 1 ]; then
    exit 0
fi

if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deps: adding bookworm-backports to apt sources"
    echo "deb http://deb.debian.org/debian bookworm-backports main" |
        $sudo_cmd tee /etc/apt/sources.list.d/mica-backports.list >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    # shellcheck disable=SC2086
    $sudo_cmd apt-get install -y -qq --no-install-recommends $missing
fi
if [ "$qemu_ok" != 1 ]; then
    echo "deps: installing QEMU from bookworm-backports"
    $sudo_cmd apt-get install -y -qq --no-install-recommends \
        -t bookworm-backports $backports_qemu
fi
