# Public ABI headers (include/public/).
#
# check-headers compiles every public header on its own, once as C99 and
# once as C++11, so each one is self-contained and usable from both.  The
# empty stamp files only record that a header passed.

PUBLIC_HEADERS := $(wildcard include/public/*.h include/public/io/*.h)
HEADER_STAMPS := $(patsubst include/public/%.h,$(BUILD)/include/check/%.c.ok,\
                     $(PUBLIC_HEADERS)) \
                 $(patsubst include/public/%.h,$(BUILD)/include/check/%.cxx.ok,\
                     $(PUBLIC_HEADERS))

HEADER_CHECK_FLAGS := -Wall -Wextra -Werror -Iinclude -fsyntax-only

check-headers: $(HEADER_STAMPS)

$(BUILD)/include/check/%.c.ok: include/public/%.h $(PUBLIC_HEADERS)
	@mkdir -p $(dir $@)
	$(Q)gcc -std=c99 $(HEADER_CHECK_FLAGS) -x c $<
	@touch $@

$(BUILD)/include/check/%.cxx.ok: include/public/%.h $(PUBLIC_HEADERS)
	@mkdir -p $(dir $@)
	$(Q)g++ -std=c++11 $(HEADER_CHECK_FLAGS) -x c++ $<
	@touch $@
