# The ring benchmark (bench/ringbuf/): a host program, not a guest kernel,
# so its main file is not bench/ringbuf/main.c, which bench.mk would take
# for one. Included from ringbuf/ringbuf.mk; `make bench` runs it first.

RINGBENCH_SRCS := bench/ringbuf/ringbench.c bench/ringbuf/streampair.c \
    ringbuf/test/ringpair.c
RINGBENCH := $(BUILD)/bench/ringbuf/ringbench

$(RINGBENCH): $(call userlib_objs,$(RINGBENCH_SRCS),opt) \
    $(BUILD)/ringbuf/libmica-ringbuf.a $(BUILD)/event-channel/libmica-evtchn.a
	$(Q)$(CC) -o $@ $^ -pthread

ringbuf-bench: $(RINGBENCH)
	@echo "== ringbuf"
	$(Q)$(RINGBENCH)

bench: ringbuf-bench
.PHONY: ringbuf-bench
