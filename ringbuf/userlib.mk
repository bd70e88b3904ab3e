# Userland libraries (ringbuf/, event-channel/) and their tests: flags and
# rules shared by both fragments. Every source compiles in three flavours:
#
#   $(BUILD)/<path>.opt.o   -O2, position-independent: the shipped libraries
#   $(BUILD)/<path>.asan.o  AddressSanitizer + UndefinedBehaviorSanitizer
#   $(BUILD)/<path>.tsan.o  ThreadSanitizer
#
# $(call USERLIB,name,dir,sources) adds lib<name>.a and lib<name>.so (opt,
# exports limited by <dir>/lib<name>.map), lib<name>-asan.a and
# lib<name>-tsan.a for tests, and the target <name>-exports, which fails if
# the shared library exports anything its version script does not list, and
# <name>-headers, which compiles each public header on its own (C11).
ifndef USERLIB_MK
USERLIB_MK := 1

USERLIB_FLAVOURS := opt asan tsan

USERLIB_CFLAGS := -std=gnu11 -g -Wall -Wextra -Werror -Wstrict-prototypes \
    -Wmissing-prototypes -Wshadow -Wpointer-arith -Wundef -Wvla -MMD -MP \
    -D_GNU_SOURCE -Iringbuf/include -Ievent-channel/include \
    $(shell pkg-config --cflags check 2>/dev/null)
USERLIB_CFLAGS_opt := -O2 -fPIC
USERLIB_CFLAGS_asan := -O1 -fsanitize=address,undefined \
    -fno-sanitize-recover=all -fno-omit-frame-pointer
USERLIB_CFLAGS_tsan := -O1 -fsanitize=thread -fno-omit-frame-pointer
USERLIB_LDFLAGS_opt :=
USERLIB_LDFLAGS_asan := -fsanitize=address,undefined
USERLIB_LDFLAGS_tsan := -fsanitize=thread
USERLIB_CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

define USERLIB_FLAVOUR_RULE
$$(BUILD)/%.$(1).o: %.c
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(USERLIB_CFLAGS) $$(USERLIB_CFLAGS_$(1)) -c $$< -o $$@
endef
$(foreach f,$(USERLIB_FLAVOURS),$(eval $(call USERLIB_FLAVOUR_RULE,$(f))))

userlib_objs = $(patsubst %.c,$(BUILD)/%.$(2).o,$(1))

define USERLIB
$$(BUILD)/$(2)/lib$(1).a: $(call userlib_objs,$(3),opt)
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
$$(BUILD)/$(2)/lib$(1)-asan.a: $(call userlib_objs,$(3),asan)
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
$$(BUILD)/$(2)/lib$(1)-tsan.a: $(call userlib_objs,$(3),tsan)
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
$$(BUILD)/$(2)/lib$(1).so: $(call userlib_objs,$(3),opt) $(2)/lib$(1).map
	$$(Q)$$(CC) -shared -Wl,--no-undefined -Wl,-soname,lib$(1).so.0 \
	    -Wl,--version-script=$(2)/lib$(1).map -o $$@ $$(filter %.o,$$^)
$(1)-exports: $$(BUILD)/$(2)/lib$(1).so
	$$(Q)nm -D --defined-only $$< | awk '$$$$2 == "T" { print $$$$3 }' | \
	    sed 's/@.*//' | sort > $$(BUILD)/$(2)/exports.txt
	$$(Q)sed -n 's/^ *\(mica_[a-z0-9_]*\);$$$$/\1/p' $(2)/lib$(1).map | \
	    sort > $$(BUILD)/$(2)/exports.want
	$$(Q)diff -u $$(BUILD)/$(2)/exports.want $$(BUILD)/$(2)/exports.txt || \
	    { echo "$(2): lib$(1).so exports differ from lib$(1).map"; exit 1; }
$(1)-headers:
	$$(Q)for h in $(wildcard $(2)/include/mica/*.h); do \
	    $$(CC) -std=c11 -pedantic -Wall -Wextra -Werror -I$(2)/include \
	        -fsyntax-only -x c $$$$h || exit 1; done
.PHONY: $(1)-exports $(1)-headers
endef

endif
