/*
 * HYPERVISOR_physdev_op(cmd, arg): a PV domain's access to physical
 * devices: I/O privilege, physical IRQs (pirqs), PCI. Numbers and layouts
 * are Xen's (public/physdev.h). Mica hands no hardware to any domain, so
 * what it implements is the part every PV kernel uses at boot: the
 * virtual I/O privilege level and the I/O permission bitmap, and the pirq
 * queries, which fail because there are no pirqs.
 */
#ifndef MICA_PUBLIC_PHYSDEV_H
#define MICA_PUBLIC_PHYSDEV_H

#include <stdint.h>
#include "abi-check.h"

/* Acknowledge physical IRQ `irq`. */
#define PHYSDEVOP_eoi                   12
struct physdev_eoi {
    uint32_t irq;
};
MICA_ABI_SIZE(struct physdev_eoi, 4);

/* Ask how physical IRQ `irq` must be acknowledged (OUT flags). */
#define PHYSDEVOP_irq_status_query      5
struct physdev_irq_status_query {
    uint32_t irq;                   /* IN */
    uint32_t flags;                 /* OUT: XENIRQSTAT_* */
};
MICA_ABI_SIZE(struct physdev_irq_status_query, 8);
#define XENIRQSTAT_needs_eoi  (1U << 0)
#define XENIRQSTAT_shared     (1U << 1)

/*
 * The vCPU's virtual I/O privilege level, 0-3. The guest kernel counts as
 * ring 1 (ring 0 with VMASST_TYPE_architectural_iopl) and guest user as
 * ring 3: port I/O is allowed where that ring <= iopl.
 */
#define PHYSDEVOP_set_iopl              6
struct physdev_set_iopl {
    uint32_t iopl;
};
MICA_ABI_SIZE(struct physdev_set_iopl, 4);

/*
 * An I/O permission bitmap in guest memory, as in a TSS: bit n clear
 * allows port n, for the first nr_ports ports; the bitmap must be
 * readable for all of its 8 KiB.
 */
#define PHYSDEVOP_set_iobitmap          7
struct physdev_set_iobitmap {
    uint64_t bitmap;                /* guest virtual address */
    uint32_t nr_ports;
    uint32_t pad;
};
MICA_ABI_SIZE(struct physdev_set_iobitmap, 16);
MICA_ABI_OFFSET(struct physdev_set_iobitmap, nr_ports, 8);

/*
 * Register a page of "pirq needs EOI" bits that the hypervisor keeps up
 * to date (v1 also unmasks a pirq's event channel on EOI; v2 does not).
 */
#define PHYSDEVOP_pirq_eoi_gmfn_v1      17
#define PHYSDEVOP_pirq_eoi_gmfn_v2      28
struct physdev_pirq_eoi_gmfn {
    uint64_t gmfn;                  /* IN: a frame of the caller's */
};
MICA_ABI_SIZE(struct physdev_pirq_eoi_gmfn, 8);

#endif /* MICA_PUBLIC_PHYSDEV_H */
