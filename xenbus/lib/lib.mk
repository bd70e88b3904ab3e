# libmicastore: shared (with a version script) and static.

MSTORE_SRCS := $(patsubst %,xenbus/lib/%.c,micastore perms_txn os_linux)
MSTORE_PIC  := $(patsubst %.c,$(XB)/pic/%.o,$(MSTORE_SRCS))
MSTORE_SO   := $(XB)/libmicastore.so.1
MSTORE_A    := $(XB)/libmicastore.a

$(XB)/pic/%.o: %.c xenbus/xenbus.mk
	@mkdir -p $(dir $@)
	$(Q)gcc $(XB_CFLAGS) -fPIC -fvisibility=default -c $< -o $@

$(MSTORE_SO): $(MSTORE_PIC) xenbus/lib/micastore.map
	$(Q)gcc -shared -Wl,-soname,libmicastore.so.1 \
	    -Wl,--version-script=xenbus/lib/micastore.map -o $@ $(MSTORE_PIC)
	$(Q)ln -sf libmicastore.so.1 $(XB)/libmicastore.so

$(MSTORE_A): $(MSTORE_PIC)
	$(Q)rm -f $@ && ar rcs $@ $^

libmicastore: $(MSTORE_SO) $(MSTORE_A)
all: libmicastore
