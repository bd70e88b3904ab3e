# Debian's stock Linux kernel and dom0's initramfs (docs/linux.md).
#
#   make linux          fetch linux-image-amd64's image package into
#                       build/linux/ (never installed), extract an ELF
#                       vmlinux from its bzImage, build dom0's initramfs
#   make system-test    boot Mica + Linux dom0 in QEMU and drive its shell
#                       (test/system/dom0_shell.py); part of `make test`
#
# Everything is cached in build/linux/; a second run does no work.
# build/linux/package names the unpacked package and changes only when
# apt resolves a different one, which is what rebuilds the rest.

LINUX_OUT  := $(BUILD)/linux
LINUX_ELF  := $(LINUX_OUT)/vmlinux
LINUX_INITRD := $(LINUX_OUT)/dom0-initramfs.cpio
# The Linux domU's: busybox, its /init and the work script, no modules.
LINUX_DOMU_INITRD := $(LINUX_OUT)/domU-initramfs.cpio
# Debian's System.map is a placeholder: name addresses from kallsyms.
LINUX_MAP  := $(LINUX_OUT)/kallsyms.map

# dom0's own tools: static binaries built with the host's gcc and
# copied into dom0's initramfs.
DOM0_TOOLS_OUT := $(BUILD)/dom0/tools
MICA_LIST := $(DOM0_TOOLS_OUT)/mica-list
MICA_LIST_SRCS := dom0/tools/mica-list.c dom0/tools/domlist.c \
                  dom0/tools/privcmd.c
MICA_LOGDIRTY := $(DOM0_TOOLS_OUT)/mica-logdirty
MICA_LOGDIRTY_SRCS := dom0/tools/mica-logdirty.c dom0/tools/privcmd.c
DOM0_TOOLS_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -static

all: $(MICA_LIST) $(MICA_LOGDIRTY)

$(MICA_LIST): $(MICA_LIST_SRCS) $(wildcard dom0/tools/*.h include/public/*.h)
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(DOM0_TOOLS_CFLAGS) -o $@ $(MICA_LIST_SRCS)

$(MICA_LOGDIRTY): $(MICA_LOGDIRTY_SRCS) \
                  $(wildcard dom0/tools/*.h include/public/*.h)
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(DOM0_TOOLS_CFLAGS) -o $@ $(MICA_LOGDIRTY_SRCS)

.PHONY: linux linux-images system-test
linux:
	$(Q)sh scripts/linux-fetch.sh $(LINUX_OUT)
	$(Q)$(MAKE) --no-print-directory linux-images

linux-images: $(LINUX_ELF) $(LINUX_INITRD) $(LINUX_DOMU_INITRD) $(LINUX_MAP)

# The hypervisor loads an ELF; it must carry Xen's notes or Mica refuses it.
$(LINUX_ELF): $(LINUX_OUT)/package scripts/extract-vmlinux.py
	@echo "  VMLINUX $@"
	$(Q)python3 scripts/extract-vmlinux.py $(LINUX_OUT)/vmlinuz $@.tmp
	$(Q)readelf -n $@.tmp | grep -q '^ *Xen ' || \
	    { echo "$@: the kernel has no Xen ELF notes" >&2; rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@

$(LINUX_INITRD): $(LINUX_OUT)/package dom0/initramfs/init \
                 dom0/initramfs/mica-work $(MICA_LIST) $(MICA_LOGDIRTY) \
                 scripts/linux-initramfs.sh
	@echo "  CPIO    $@"
	$(Q)sh scripts/linux-initramfs.sh $(LINUX_OUT)/modules \
	    dom0/initramfs/init $@ \
	    "xenfs xen-evtchn xen-privcmd xen-gntdev xen-gntalloc" \
	    dom0/initramfs/mica-work=bin/mica-work $(MICA_LIST)=bin/mica-list \
	    $(MICA_LOGDIRTY)=bin/mica-logdirty

$(LINUX_DOMU_INITRD): $(LINUX_OUT)/package dom0/initramfs/domU-init \
                      dom0/initramfs/mica-work scripts/linux-initramfs.sh
	@echo "  CPIO    $@"
	$(Q)sh scripts/linux-initramfs.sh $(LINUX_OUT)/modules \
	    dom0/initramfs/domU-init $@ "" \
	    dom0/initramfs/mica-work=bin/mica-work

$(LINUX_MAP): $(LINUX_ELF) scripts/linux-kallsyms.py
	@echo "  KSYMS   $@"
	$(Q)python3 scripts/linux-kallsyms.py $(LINUX_ELF) $@

system-test: all
	$(Q)$(MAKE) --no-print-directory linux
	$(Q)python3 test/system/dom0_shell.py --build $(BUILD)

TEST_STEPS += system-test
