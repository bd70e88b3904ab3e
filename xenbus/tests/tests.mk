# xenbus tests: Check suites over the daemon's pure logic (ASan+UBSan),
# interop with Debian's xenstore-utils, hostile socket clients.

XB_CHECK_SRCS := $(patsubst %,xenbus/tests/%.c,check_main harness \
                   test_store test_txn test_proto)
XB_CHECK_OBJS := $(patsubst %.c,$(XB)/san/%.o,$(XB_CHECK_SRCS) \
                   $(XSD_CORE_SRCS))
XB_CHECK_BIN  := $(XB)/xenbus-check

# The daemon built with sanitizers, for the socket-level tests.
XSD_SAN_BIN := $(XB)/xenstored-san
XSD_SAN_OBJS := $(patsubst %.c,$(XB)/san/%.o,$(XSD_CORE_SRCS) $(XSD_OS_SRCS))

$(XB_CHECK_BIN): $(XB_CHECK_OBJS)
	$(Q)gcc $(XB_SAN) -o $@ $^ $(shell pkg-config --libs check)

$(XSD_SAN_BIN): $(XSD_SAN_OBJS)
	$(Q)gcc $(XB_SAN) -o $@ $^

.PHONY: xenbus-check
xenbus-check: $(XB_CHECK_BIN)
	$(Q)$(XB_CHECK_BIN)

TEST_STEPS += xenbus-check

XB_HOSTILE := $(XB)/hostile
$(XB_HOSTILE): xenbus/tests/hostile.c xenbus/include/xenstore_wire.h
	$(Q)gcc -std=gnu11 -O2 $(XB_WARN) -Ixenbus/include -o $@ $<

.PHONY: xenbus-interop xenbus-hostile
xenbus-interop: $(XSD_SAN_BIN)
	$(Q)sh xenbus/tests/interop.sh $(XSD_SAN_BIN)

xenbus-hostile: $(XSD_SAN_BIN) $(XB_HOSTILE)
	$(Q)sh xenbus/tests/with_daemon.sh $(XSD_SAN_BIN) "--quota memory=65536" \
	    sh -c '$(XB_HOSTILE) $$XENSTORED_PATH'

# libmicastore, compiled with sanitizers into its test.
XB_LIBTEST := $(XB)/lib-test
XB_LIBTEST_OBJS := $(patsubst %.c,$(XB)/san/%.o,xenbus/tests/lib_test.c \
                     $(MSTORE_SRCS))

$(XB_LIBTEST): $(XB_LIBTEST_OBJS)
	$(Q)gcc $(XB_SAN) -o $@ $^ $(shell pkg-config --libs check)

.PHONY: xenbus-lib-test
xenbus-lib-test: $(XSD_SAN_BIN) $(XB_LIBTEST) $(MSTORE_SO) $(MSTORE_A)
	$(Q)sh xenbus/tests/with_daemon.sh $(XSD_SAN_BIN) "" $(XB_LIBTEST)

TEST_STEPS += xenbus-interop xenbus-hostile xenbus-lib-test
