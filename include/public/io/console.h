/*
 * The PV console ring (Xen's io/console.h layout): one shared page, the
 * frame start_info.console.domU.mfn names. The guest produces into `out`
 * and the backend consumes; `in` flows the other way. Indices run freely
 * and are reduced modulo the ring size (a power of two) on use; each side
 * writes only its own producer or consumer index and signals the port in
 * start_info.console.domU.evtchn after moving it.
 */
#ifndef MICA_PUBLIC_IO_CONSOLE_H
#define MICA_PUBLIC_IO_CONSOLE_H

#include <stdint.h>
#include "../abi-check.h"

typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_SIZE  1024
#define XENCONS_OUT_SIZE 2048
#define MASK_XENCONS_IDX(idx, size) ((idx) & ((size) - 1))

struct xencons_interface {
    char in[XENCONS_IN_SIZE];
    char out[XENCONS_OUT_SIZE];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};
MICA_ABI_SIZE(struct xencons_interface, 3088);
MICA_ABI_OFFSET(struct xencons_interface, out, 1024);
MICA_ABI_OFFSET(struct xencons_interface, in_cons, 3072);
MICA_ABI_OFFSET(struct xencons_interface, out_cons, 3080);

#endif /* MICA_PUBLIC_IO_CONSOLE_H */
