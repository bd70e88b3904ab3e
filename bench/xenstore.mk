# make bench, xenstore part (included from xenbus/xenbus.mk): throughput
# of our xenstored over its socket, next to a store-less echo server and,
# if it can run, Debian's C xenstored (see bench/xenstore/run.sh).

XSBENCH := $(XB)/xsbench

$(XSBENCH): bench/xenstore/xsbench.c $(MSTORE_A)
	$(Q)gcc $(XB_CFLAGS) -o $@ $< $(MSTORE_A)

.PHONY: xenbus-bench
xenbus-bench: $(XSD_BIN) $(XSBENCH)
	$(Q)sh bench/xenstore/run.sh $(XSD_BIN) $(XSBENCH) $(XSBENCH_SECONDS)

bench: xenbus-bench
