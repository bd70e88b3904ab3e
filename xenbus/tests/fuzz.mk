# libFuzzer target over xenstored's parser and handlers (clang).
#   make xenbus-fuzz-short   ~30 s, part of make test
#   make fuzz                FUZZ_SECONDS (default 600)

FUZZ_SECONDS ?= 600
XB_FUZZ_BIN  := $(XB)/fuzz/xsd-fuzz
XB_FUZZ_CORPUS := $(XB)/fuzz/corpus
XB_FUZZ_FLAGS := -std=gnu11 -g -O1 $(XB_WARN) $(XB_INC) \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(XB_FUZZ_BIN): xenbus/tests/fuzz.c $(XSD_CORE_SRCS) $(wildcard xenbus/xenstored/*.h)
	@mkdir -p $(dir $@) $(XB_FUZZ_CORPUS)
	$(Q)clang $(XB_FUZZ_FLAGS) -o $@ xenbus/tests/fuzz.c $(XSD_CORE_SRCS)

# $(1): seconds
define xb_fuzz_run
	@mkdir -p $(XB_FUZZ_CORPUS)
	$(Q)$(XB_FUZZ_BIN) -max_total_time=$(1) -timeout=10 -rss_limit_mb=2048 \
	    -max_len=8192 -dict=xenbus/tests/fuzz.dict -print_final_stats=1 \
	    -artifact_prefix=$(XB)/fuzz/ $(XB_FUZZ_CORPUS) 2>$(XB)/fuzz/last.log \
	    || { tail -60 $(XB)/fuzz/last.log; exit 1; }
	$(Q)grep -E 'stat::number_of_executed_units|stat::peak_rss' \
	    $(XB)/fuzz/last.log | sed 's/^/xenbus-fuzz: /'
endef

.PHONY: xenbus-fuzz-short
xenbus-fuzz-short: $(XB_FUZZ_BIN)
	$(call xb_fuzz_run,30)

fuzz: $(XB_FUZZ_BIN)
	$(call xb_fuzz_run,$(FUZZ_SECONDS))

TEST_STEPS += xenbus-fuzz-short
