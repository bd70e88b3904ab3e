# xenbus/: xenstored, libmicastore and their tests.  Included by the
# top-level Makefile, which defines BUILD and Q.
#
#   make xenstored        build the daemon      ($(BUILD)/xenbus/xenstored)
#   make libmicastore     the client library    (.so and .a)
#   make xenbus-test      Check suites, interop with xenstore-utils,
#                         hostile clients, a short fuzz run (in make test)
#   make fuzz             a longer fuzz run (FUZZ_SECONDS, default 600)

XB       := $(BUILD)/xenbus
XB_WARN  := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wvla -Wundef
XB_INC   := -Ixenbus/include -Ixenbus/xenstored -Ixenbus/lib
XB_CFLAGS := -std=gnu11 -O2 -g -fno-strict-aliasing $(XB_WARN) $(XB_INC) \
             -MMD -MP
XB_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer

# The daemon's pure logic (no OS calls beyond malloc and stdio).
XSD_CORE := table path perms store conn req op_read op_write op_perms \
            watch op_watch txn domain control log xsd ring
XSD_OS   := sock ring_linux main
XSD_CORE_SRCS := $(patsubst %,xenbus/xenstored/%.c,$(XSD_CORE))
XSD_OS_SRCS   := $(patsubst %,xenbus/xenstored/%.c,$(XSD_OS))

XSD_BIN := $(XB)/xenstored
XSD_OBJS := $(patsubst %.c,$(XB)/obj/%.o,$(XSD_CORE_SRCS) $(XSD_OS_SRCS))

$(XB)/obj/%.o: %.c xenbus/xenbus.mk
	@mkdir -p $(dir $@)
	$(Q)gcc $(XB_CFLAGS) -c $< -o $@

$(XB)/san/%.o: %.c xenbus/xenbus.mk
	@mkdir -p $(dir $@)
	$(Q)gcc $(XB_CFLAGS) -O1 $(XB_SAN) $(shell pkg-config --cflags check) \
	    -c $< -o $@

$(XSD_BIN): $(XSD_OBJS)
	$(Q)gcc -o $@ $^

.PHONY: xenstored libmicastore xenbus-test fuzz
xenstored: $(XSD_BIN)
all: $(XSD_BIN)

include xenbus/lib/lib.mk
-include xenbus/tests/tests.mk
-include xenbus/tests/fuzz.mk
-include bench/xenstore.mk
