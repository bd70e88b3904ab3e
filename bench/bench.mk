# Benchmarks: kernels built with the in-guest test runtime, run by bench/run.sh.

BENCH_NAMES := $(patsubst bench/%/main.c,%,$(wildcard bench/*/main.c))
BENCH_ELFS  := $(patsubst %,$(BUILD)/bench/%.elf,$(BENCH_NAMES))

.SECONDARY: $(patsubst %,$(BUILD)/bench/%/main.o,$(BENCH_NAMES))

$(BUILD)/bench/%/main.o: bench/%/main.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/bench/%.elf: $(BUILD)/bench/%/main.o $(GUEST_LIB_OBJS) $(GUEST_LDS)
	$(Q)$(LD) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJS)

bench: deps
	$(Q)$(MAKE) --no-print-directory $(HV_ELF) $(BENCH_ELFS)
	$(Q)BUILD=$(BUILD) sh bench/run.sh $(BENCH_NAMES)

# Linux dom0 on Mica against native Linux and Xen 4.17 (bench/linux/).
-include bench/linux/linux.mk
