# The hypervisor: every .c and .S under hypervisor/, linked into one ELF.

HV_SRCS := $(wildcard hypervisor/common/*.c) \
           $(wildcard hypervisor/arch/x86/*.c) \
           $(wildcard hypervisor/arch/x86/pv/*.c) \
           $(wildcard hypervisor/arch/x86/mm/*.c) \
           $(wildcard hypervisor/arch/x86/*.S) \
           $(wildcard hypervisor/arch/x86/boot/*.S)
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(HV_SRCS)))
HV_ELF  := $(BUILD)/hypervisor/mica.elf
HV_LDS  := hypervisor/arch/x86/mica.lds

# Position-independent code: every access to our own symbols is
# RIP-relative, so the image can live at 0xffff82d040000000 without the
# large code model; the final link resolves absolute addresses in data.
HV_CFLAGS := $(FREESTANDING_CFLAGS) -fpie -fno-plt -MMD -MP \
    -Ihypervisor/include -Ihypervisor/arch/x86/include -I$(BUILD)/include \
    -Iinclude

all: $(HV_ELF)

$(BUILD)/hypervisor/%.o: hypervisor/%.c $(CONFIG_H)
	$(Q)mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/hypervisor/%.o: hypervisor/%.S $(CONFIG_H)
	$(Q)mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(HV_ELF): $(HV_OBJS) $(HV_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) -T $(HV_LDS) -z max-page-size=4096 -z noexecstack \
	    --no-warn-rwx-segments --build-id=sha1 -o $@ $(HV_OBJS)
	$(Q)size $@ | tail -1 | awk '{ printf "  SIZE    text %d data %d bss %d\n", $$1, $$2, $$3 }'
