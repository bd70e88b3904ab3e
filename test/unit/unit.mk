# Unit tests: the hypervisor's pure-logic files, unmodified, compiled for
# the host against test/unit/env/mica/env.h and linked with Check suites.
# Included by the top-level Makefile, which defines BUILD, Q and CONFIG_H.
#
#   make unit-test                  build and run every suite
#   UNIT_VERBOSE=1 make unit-test   also show what the code printk()ed
#   CK_RUN_SUITE=elf make unit-test run one suite (Check's own variable)

UNIT_DIR := $(BUILD)/test/unit
UNIT_BIN := $(UNIT_DIR)/unit-tests

# The hypervisor files under test, and the suites (one per module).
UNIT_HV_SRCS := \
    hypervisor/common/cmdline.c \
    hypervisor/common/elf.c \
    hypervisor/common/event_channel.c \
    hypervisor/common/grant_table.c \
    hypervisor/common/memop.c \
    hypervisor/common/page_alloc.c \
    hypervisor/common/p2m_layout.c \
    hypervisor/common/sched_credit.c \
    hypervisor/arch/x86/mm/e820.c \
    hypervisor/arch/x86/mm/page_type.c \
    hypervisor/arch/x86/mm/pt_entry.c \
    hypervisor/arch/x86/pv/ptwr_insn.c \
    hypervisor/arch/x86/mm/reservation.c \
    hypervisor/arch/x86/mm/pageinfo.c \
    hypervisor/arch/x86/pv/vcpu_context_check.c \
    hypervisor/common/logdirty_bitmap.c

# dom0's tools: their pure parts.
UNIT_DOM0_SRCS := \
    dom0/tools/domlist.c

UNIT_TEST_SRCS := \
    test/unit/main.c \
    test/unit/test_cmdline.c \
    test/unit/test_elf.c \
    test/unit/test_event_channel.c \
    test/unit/test_grant_table.c \
    test/unit/test_memop.c \
    test/unit/test_page_alloc.c \
    test/unit/test_p2m_layout.c \
    test/unit/test_sched_credit.c \
    test/unit/test_page_type.c \
    test/unit/test_page_type_random.c \
    test/unit/test_domctl.c \
    test/unit/test_ptwr_insn.c \
    test/unit/test_domlist.c \
    test/unit/pt_sim.c

UNIT_OBJS := $(patsubst %.c,$(UNIT_DIR)/%.o,$(UNIT_HV_SRCS) $(UNIT_DOM0_SRCS) \
                                             $(UNIT_TEST_SRCS))

# A PV kernel-shaped ELF linked by the host toolchain, for the ELF suite.
UNIT_FIXTURE := $(UNIT_DIR)/xen-notes.elf

# The order matters: the host env.h must shadow the hypervisor's.
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
    -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer -MMD -MP \
    -Itest/unit/env -Ihypervisor/include -Ihypervisor/arch/x86/include \
    -I$(BUILD)/include -Iinclude \
    $(shell pkg-config --cflags check 2>/dev/null)
UNIT_LDFLAGS := -fsanitize=address,undefined
UNIT_LDLIBS := $(shell pkg-config --libs check 2>/dev/null)

$(UNIT_OBJS): $(UNIT_DIR)/%.o: %.c $(CONFIG_H) test/unit/unit.mk
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS)
	$(Q)gcc $(UNIT_LDFLAGS) -o $@ $(UNIT_OBJS) $(UNIT_LDLIBS)

$(UNIT_FIXTURE): test/unit/fixtures/xen-notes.S
	$(Q)mkdir -p $(dir $@)
	$(Q)gcc -nostdlib -static -no-pie -o $@ $<

unit-test: $(UNIT_BIN) $(UNIT_FIXTURE)
	$(Q)MICA_FIXTURE_ELF=$(UNIT_FIXTURE) \
	    MICA_SELFTEST_ELF=$(BUILD)/test/guests/selftest.elf $(UNIT_BIN)
