#!/bin/sh
# Assemble dom0's initramfs (a newc cpio archive) from busybox-static, our
# /init and the Xen modules of the unpacked Debian kernel package.
#
#   linux-initramfs.sh MODDIR INIT OUTPUT [MODULES [FILE=DEST...]]
#
# MODDIR is the package's lib/modules/<version>. MODULES (one word,
# space-separated; default: dom0's Xen drivers; "" for none) and
# everything they depend on (the depends= field of each module's .modinfo)
# are copied with their paths, and busybox's depmod writes modules.dep so
# that /init can use modprobe. Each FILE=DEST copies a further file
# (executable) to DEST in the archive, e.g. bin/mica-work.
# No device nodes and no root needed: /init mounts devtmpfs itself.
set -eu
moddir=$(cd -P "$1" && pwd)
init=$2
out=$3
kver=$(basename "$moddir")
modules=${4-"xenfs xen-evtchn xen-privcmd xen-gntdev xen-gntalloc"}
[ $# -ge 4 ] && shift 4 || shift 3
busybox=/bin/busybox

fail() { echo "linux-initramfs: $*" >&2; exit 1; }
[ -d "$moddir/kernel" ] || fail "no kernel modules in $moddir"
[ -x "$busybox" ] || fail "no $busybox: install busybox-static (make deps)"

stage=$out.stage
rm -rf "$stage"
mkdir -p "$stage"
for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp root \
         "lib/modules/$kver"; do
    mkdir -p "$stage/$d"
done
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list-full); do
    [ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
cp "$init" "$stage/init"
chmod 755 "$stage/init"
for pair in "$@"; do
    src=${pair%%=*}
    dest=${pair#*=}
    [ -f "$src" ] || fail "no file $src"
    mkdir -p "$(dirname "$stage/$dest")"
    rm -f "$stage/$dest"
    cp "$src" "$stage/$dest"
    chmod 755 "$stage/$dest"
done

# Module file for a name; names treat '-' and '_' alike, as the kernel does.
module_path() {
    pattern=$(echo "$1" | sed 's/[-_]/[-_]/g')
    find "$moddir/kernel" -name "$pattern.ko" | head -n 1
}

module_deps() {
    objcopy -O binary -j .modinfo "$1" "$stage/.modinfo"
    tr '\0' '\n' < "$stage/.modinfo" | sed -n 's/^depends=//p' | tr ',' ' '
    rm -f "$stage/.modinfo"
}

copy_module() {
    path=$(module_path "$1")
    [ -n "$path" ] || fail "module $1 is not in $moddir"
    rel=${path#"$moddir"/}
    [ -e "$stage/lib/modules/$kver/$rel" ] && return 0
    mkdir -p "$(dirname "$stage/lib/modules/$kver/$rel")"
    cp "$path" "$stage/lib/modules/$kver/$rel"
    for dep in $(module_deps "$path"); do
        copy_module "$dep"
    done
}

for m in $modules; do
    copy_module "$m"
done
if [ -n "$modules" ]; then
    cp "$moddir/modules.order" "$moddir/modules.builtin" \
        "$stage/lib/modules/$kver/"
    "$busybox" depmod -b "$stage" "$kver"
fi

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage"
