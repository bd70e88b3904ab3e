# The in-dom0 tests of xenstored and the ring libraries (issues 7 and 8;
# docs/xenstored.md and docs/ringbuf.md, "In dom0").
#
#   make dom0-libs-initramfs   dom0's initramfs plus a second archive with
#                              our xenstored, the ring stress test (static)
#                              and Debian's xenstore-* tools
#   make dom0-libs-test        boot it and drive both tests through dom0's
#                              shell (test/system/dom0_libs.py); in make test
#
# Included after dom0/dom0.mk (LINUX_INITRD), ringbuf/ and xenbus/.

DOM0_LIBS_OUT    := $(BUILD)/dom0-libs
DOM0_LIBS_INITRD := $(DOM0_LIBS_OUT)/dom0-libs-initramfs.cpio
# dom0's userland is Debian's, but nothing of ours should depend on which
# libraries the archive carries: link our programs statically.
DOM0_LIBS_BINS   := $(DOM0_LIBS_OUT)/xenstored $(DOM0_LIBS_OUT)/ringbuf-stress

$(DOM0_LIBS_OUT)/xenstored: $(XSD_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -static -o $@ $^

$(DOM0_LIBS_OUT)/ringbuf-stress: \
    $(call userlib_objs,$(RINGBUF_STRESS_SRCS),opt) \
    $(RINGBUF_DIR)/libmica-ringbuf.a $(BUILD)/event-channel/libmica-evtchn.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) -static -o $@ $^ -pthread

$(DOM0_LIBS_INITRD): $(LINUX_INITRD) $(DOM0_LIBS_BINS) \
                     scripts/dom0-libs-initramfs.sh
	@echo "  CPIO    $@"
	$(Q)sh scripts/dom0-libs-initramfs.sh $(LINUX_INITRD) $@ $(DOM0_LIBS_BINS)

.PHONY: dom0-libs-initramfs dom0-libs-test
dom0-libs-initramfs: $(DOM0_LIBS_INITRD)

dom0-libs-test: all
	$(Q)$(MAKE) --no-print-directory linux
	$(Q)$(MAKE) --no-print-directory dom0-libs-initramfs
	$(Q)python3 test/system/dom0_libs.py --build $(BUILD)

# After system-test (dom0.mk): the plain dom0 boot is checked first. About
# 30-45 s under software emulation (boot ~15-25 s, the checks ~20 s).
TEST_STEPS += dom0-libs-test
