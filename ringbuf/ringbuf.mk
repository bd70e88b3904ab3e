# ringbuf/: the ring header (inline, nothing to build) and libmica-ringbuf,
# the shared-pages library; their unit tests and the two-process stress
# test. Included by the top-level Makefile, which defines BUILD and Q.
#
#   make ringbuf-test     unit tests (ASan/UBSan), then the stress runs
#
# The stress test also links libmica-evtchn, built by event-channel.mk.

include ringbuf/userlib.mk

RINGBUF_SRCS := ringbuf/shmem.c ringbuf/shmem-linux.c
RINGBUF_DIR := $(BUILD)/ringbuf
$(eval $(call USERLIB,mica-ringbuf,ringbuf,$(RINGBUF_SRCS)))

RINGBUF_LIBS := $(RINGBUF_DIR)/libmica-ringbuf.a \
    $(RINGBUF_DIR)/libmica-ringbuf.so

RINGBUF_UNIT_SRCS := ringbuf/test/main.c ringbuf/test/test_ring_index.c \
    ringbuf/test/test_ring_flow.c ringbuf/test/test_shmem.c
RINGBUF_UNIT := $(RINGBUF_DIR)/test/ringbuf-unit

$(RINGBUF_UNIT): $(call userlib_objs,$(RINGBUF_UNIT_SRCS),asan) \
    $(RINGBUF_DIR)/libmica-ringbuf-asan.a
	$(Q)$(CC) $(USERLIB_LDFLAGS_asan) -o $@ $^ $(USERLIB_CHECK_LIBS)

# The stress test, in each flavour, linked with both libraries.
RINGBUF_STRESS_SRCS := ringbuf/test/stress.c ringbuf/test/ringpair.c
define RINGBUF_STRESS_RULE
$$(RINGBUF_DIR)/test/ringbuf-stress-$(1): \
    $$(call userlib_objs,$$(RINGBUF_STRESS_SRCS),$(1)) \
    $$(RINGBUF_DIR)/libmica-ringbuf$(2).a \
    $$(BUILD)/event-channel/libmica-evtchn$(2).a
	$$(Q)$$(CC) $$(USERLIB_LDFLAGS_$(1)) -o $$@ $$^ -pthread
endef
$(eval $(call RINGBUF_STRESS_RULE,opt,))
$(eval $(call RINGBUF_STRESS_RULE,asan,-asan))
$(eval $(call RINGBUF_STRESS_RULE,tsan,-tsan))
RINGBUF_STRESS := $(RINGBUF_DIR)/test/ringbuf-stress

# Sized to keep this step well under a minute on two cores: 50 million
# exchanges in the optimised build (window = whole ring), fewer under the
# sanitizers; the -w 1 runs go one request at a time, so that nearly every
# exchange sleeps and is woken (about 5 us each); -s spins before sleeping.
RINGBUF_STRESS_RUNS_opt := "50000000" "-w 1 1000000"
RINGBUF_STRESS_RUNS_asan := "-p 4 10000000" "-w 1 200000"
RINGBUF_STRESS_RUNS_tsan := "-t 5000000" "-t -w 1 100000" \
    "-t -w 1 -s 20000 100000"

all: $(RINGBUF_LIBS)

ringbuf-test: $(RINGBUF_UNIT) $(RINGBUF_LIBS) mica-ringbuf-exports \
    mica-ringbuf-headers \
    $(RINGBUF_STRESS)-opt $(RINGBUF_STRESS)-asan $(RINGBUF_STRESS)-tsan
	@echo "== ringbuf: unit tests (ASan/UBSan)"
	$(Q)CK_FORK=yes $(RINGBUF_UNIT)
	@echo "== ringbuf: two-process stress (optimised, no sanitizers)"
	$(Q)for r in $(RINGBUF_STRESS_RUNS_opt); do \
	    $(RINGBUF_STRESS)-opt $$r || exit 1; done
	@echo "== ringbuf: two-process stress (ASan/UBSan)"
	$(Q)for r in $(RINGBUF_STRESS_RUNS_asan); do \
	    $(RINGBUF_STRESS)-asan $$r || exit 1; done
	@echo "== ringbuf: two-thread stress (ThreadSanitizer)"
	$(Q)for r in $(RINGBUF_STRESS_RUNS_tsan); do \
	    TSAN_OPTIONS=halt_on_error=1 $(RINGBUF_STRESS)-tsan $$r || exit 1; \
	done

.PHONY: ringbuf-test
TEST_STEPS += ringbuf-test

-include bench/ringbuf/ringbuf-bench.mk
