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

all: $(RINGBUF_LIBS)

ringbuf-test: $(RINGBUF_UNIT) $(RINGBUF_LIBS) mica-ringbuf-exports
	@echo "== ringbuf: unit tests (ASan/UBSan)"
	$(Q)CK_FORK=yes $(RINGBUF_UNIT)

.PHONY: ringbuf-test
TEST_STEPS += ringbuf-test
