# Mica: one top-level Makefile. Every directory contributes a fragment
# (*.mk) that lists its objects; everything is built out of tree in build/.
#
#   make            build the hypervisor and the test kernels
#   make run        boot Mica in QEMU with Linux dom0 to a shell
#                   (KERNEL=test: a PV test kernel; DOMU=linux: a Linux domU)
#   make test       unit tests, then in-guest tests, under software emulation
#   make bench      benchmarks
#   make deps       install what the build needs from Debian (idempotent)

BUILD   ?= build
Q       ?= @
CC      := gcc
LD      := ld
OBJCOPY := objcopy

CONFIG_H := $(BUILD)/include/mica/config.h

# Flags for everything that runs in ring 0 or in a guest: no libc, no red
# zone (interrupts push onto the current stack), no SSE in generated code.
FREESTANDING_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin \
    -fno-stack-protector -fno-common -mno-red-zone -mno-mmx -mno-sse \
    -mno-sse2 -mno-avx -fno-asynchronous-unwind-tables -fcf-protection=none \
    -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
    -Wmissing-prototypes -Wshadow -Wpointer-arith -Wundef -Wvla

.PHONY: all deps run test unit-test guest-test system-test bench clean \
        check-headers format
all:

deps:
	$(Q)sh scripts/deps.sh

$(CONFIG_H): CONFIG scripts/genconfig.sh
	$(Q)mkdir -p $(dir $@)
	$(Q)sh scripts/genconfig.sh CONFIG > $@.tmp && mv $@.tmp $@

TEST_STEPS :=

include hypervisor/hypervisor.mk
-include test/unit/unit.mk
-include test/guests/guests.mk
-include bench/bench.mk
include include/include.mk
-include ringbuf/ringbuf.mk
-include event-channel/event-channel.mk
-include xenbus/xenbus.mk
-include dom0/dom0.mk
-include dom0/dom0-libs.mk

# Each fragment appends its own test target to TEST_STEPS; `make test`
# runs them in order and stops at the first failure.
TEST_STEPS := check-headers unit-test guest-test $(TEST_STEPS)

test: deps
	$(Q)set -e; for t in $(TEST_STEPS); do \
	    $(MAKE) --no-print-directory $$t; done

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(if $(filter linux,$(or $(KERNEL),linux) $(DOMU)),$(MAKE) --no-print-directory linux)
	$(Q)sh scripts/run.sh $(RUN_ARGS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
