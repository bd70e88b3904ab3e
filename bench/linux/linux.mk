# make bench, Linux part (included from bench/bench.mk; docs/linux.md):
# Debian's kernel as dom0 on Mica against the same kernel and initramfs
# booted natively (the bzImage, and the ELF through its PVH entry) and as
# dom0 on Debian's Xen 4.17, in the same QEMU.
#
#   make linux-bench    the four boots and the table (bench/linux/boot.py)
#   make xen-fetch      Debian's Xen 4.17 into build/xen/ (never installed)
#
# LINUX_BENCH_BOOTS=N boots each configuration N times (default 3).

LINUX_BENCH_BOOTS ?= 3
LBENCH_OUT     := $(BUILD)/bench/linux
LBENCH_PROG    := $(LBENCH_OUT)/lmbench
LBENCH_INITRD  := $(LBENCH_OUT)/initramfs.cpio
# dom0/dom0.mk builds it; it is included after us, so name the file.
LBENCH_DOM0_INITRD := $(BUILD)/linux/dom0-initramfs.cpio

.PHONY: linux-bench xen-fetch

# Static with the host's libc: the initramfs has busybox and no libraries.
$(LBENCH_PROG): bench/linux/lmbench.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)gcc -static -O2 -std=gnu11 -Wall -Wextra -Werror -o $@ $<

$(LBENCH_INITRD): $(LBENCH_DOM0_INITRD) $(LBENCH_PROG) bench/linux/init \
                  bench/linux/initramfs.sh
	@echo "  CPIO    $@"
	$(Q)sh bench/linux/initramfs.sh $(LBENCH_DOM0_INITRD) bench/linux/init \
	    $(LBENCH_PROG) $@

xen-fetch:
	$(Q)sh scripts/xen-fetch.sh $(BUILD)/xen

linux-bench: deps
	$(Q)$(MAKE) --no-print-directory $(HV_ELF) linux xen-fetch
	$(Q)$(MAKE) --no-print-directory $(LBENCH_INITRD)
	@echo "== linux (dom0 boot and lmbench: Mica, native, native-elf, Xen 4.17)"
	$(Q)python3 bench/linux/boot.py --build $(BUILD) \
	    --boots $(LINUX_BENCH_BOOTS)

bench: linux-bench
