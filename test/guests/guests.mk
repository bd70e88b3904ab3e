# In-guest test kernels (test/guests/).
#
# Every directory test/guests/<name>/ with a main.c becomes
# $(BUILD)/test/guests/<name>.elf: its objects linked with the runtime in
# test/guests/lib/ by lib/link.ld.  `make guest-test` boots each one as
# dom0 under QEMU (test/guests/run.sh) and prints a summary.

GUEST_SRC := test/guests
GUEST_OUT := $(BUILD)/test/guests

GUEST_NAMES := $(patsubst $(GUEST_SRC)/%/main.c,%,\
                   $(wildcard $(GUEST_SRC)/*/main.c))
GUEST_ELFS := $(patsubst %,$(GUEST_OUT)/%.elf,$(GUEST_NAMES))

GUEST_LIB_SRCS := $(wildcard $(GUEST_SRC)/lib/*.c $(GUEST_SRC)/lib/*.S)
GUEST_LIB_OBJS := $(patsubst $(GUEST_SRC)/%,$(GUEST_OUT)/%.o,\
                      $(basename $(GUEST_LIB_SRCS)))

# Pure logic shared with the hypervisor rather than copied: its string
# routines and vsnprintf, built with the guest flags.
GUEST_SHARED_SRCS := hypervisor/common/string.c hypervisor/common/vsnprintf.c
GUEST_SHARED_OBJS := $(patsubst hypervisor/common/%.c,$(GUEST_OUT)/shared/%.o,\
                         $(GUEST_SHARED_SRCS))
GUEST_LIB_OBJS += $(GUEST_SHARED_OBJS)
GUEST_MAIN_OBJS := $(patsubst %,$(GUEST_OUT)/%/main.o,$(GUEST_NAMES))
GUEST_LDS := $(GUEST_SRC)/lib/link.ld

# Keep the objects: they are intermediate only in make's eyes.
.SECONDARY: $(GUEST_LIB_OBJS) $(GUEST_MAIN_OBJS)

# Guest kernel code: no libc, no red zone (the hypervisor pushes exception
# frames onto the current stack), no SSE in generated code, top-2GiB model.
GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -fno-pic \
    -fno-pie -mcmodel=kernel -mno-red-zone -mno-sse -mno-mmx \
    -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fcf-protection=none -nostdlib -Wall -Wextra -Werror \
    -Iinclude -I$(GUEST_SRC)/lib -MMD -MP
GUEST_LDFLAGS := -T $(GUEST_LDS) -z max-page-size=4096 -nostdlib -static

all: $(GUEST_ELFS)

$(GUEST_OUT)/shared/%.o: hypervisor/common/%.c $(CONFIG_H)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -Ihypervisor/include -I$(BUILD)/include \
	    -c $< -o $@

$(GUEST_OUT)/%.o: $(GUEST_SRC)/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.o: $(GUEST_SRC)/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/%/main.o $(GUEST_LIB_OBJS) $(GUEST_LDS)
	$(Q)$(LD) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJS)

.PHONY: guest-test
guest-test: $(BUILD)/hypervisor/mica.elf $(GUEST_ELFS)
	$(Q)BUILD=$(BUILD) bash $(GUEST_SRC)/run.sh
