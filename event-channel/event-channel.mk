# event-channel/: libmica-evtchn, event channels over /dev/xen/evtchn or
# over eventfds between processes of one host, and its tests. Included by
# the top-level Makefile, which defines BUILD and Q.
#
#   make event-channel-test   Check suite (ASan/UBSan), exported symbols

include ringbuf/userlib.mk

EVTCHN_SRCS := event-channel/core.c event-channel/evtchn-linux.c \
    event-channel/evtchn-eventfd.c
EVTCHN_DIR := $(BUILD)/event-channel
$(eval $(call USERLIB,mica-evtchn,event-channel,$(EVTCHN_SRCS)))

EVTCHN_LIBS := $(EVTCHN_DIR)/libmica-evtchn.a $(EVTCHN_DIR)/libmica-evtchn.so

EVTCHN_UNIT_SRCS := event-channel/test/test_evtchn.c
EVTCHN_UNIT := $(EVTCHN_DIR)/test/evtchn-unit

$(EVTCHN_UNIT): $(call userlib_objs,$(EVTCHN_UNIT_SRCS),asan) \
    $(EVTCHN_DIR)/libmica-evtchn-asan.a
	$(Q)$(CC) $(USERLIB_LDFLAGS_asan) -o $@ $^ $(USERLIB_CHECK_LIBS)

all: $(EVTCHN_LIBS)

event-channel-test: $(EVTCHN_UNIT) $(EVTCHN_LIBS) mica-evtchn-exports \
    mica-evtchn-headers
	@echo "== event-channel: unit tests (ASan/UBSan)"
	$(Q)CK_FORK=yes $(EVTCHN_UNIT)

.PHONY: event-channel-test
TEST_STEPS += event-channel-test
