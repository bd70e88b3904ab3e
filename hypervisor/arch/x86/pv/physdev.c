/*
 * physdev_op: a PV domain's view of physical devices.
 *
 * Mica gives no domain any hardware: no I/O ports, no physical IRQs, no
 * PCI devices. What every PV kernel still asks for at boot is answered
 * as Xen 4.17 answers it (do_physdev_op in xen/arch/x86/physdev.c):
 *
 *   set_iopl        the vCPU's virtual IOPL (0-3, else -EINVAL); with
 *                   it the kernel's IN/OUT are emulated (ioport.c)
 *                   instead of raising #GP
 *   set_iobitmap    a guest I/O permission bitmap, checked the same way
 *                   (-EINVAL if its 8 KiB are not guest addresses or it
 *                   claims more than 65536 ports)
 *   irq_status_query, eoi
 *                   -EINVAL: no pirq exists (the domain has 0 pirqs)
 *   pirq_eoi_gmfn_v1/v2
 *                   the page of "needs EOI" bits is accepted once: the
 *                   frame must be the domain's and able to take the
 *                   writable type (else -EINVAL), which it then keeps
 *                   for good; a second registration is -EBUSY. With no
 *                   pirqs, no bit is ever set
 *
 * The rest (pirq mapping, PCI and MSI management) are
 * about hardware we do not pass through and answer -ENOSYS; Linux
 * tolerates that for each of them.
 */
#include <asm/current.h>
#include <asm/page_type.h>
#include <mica/guest_access.h>
#include <mica/domain.h>
#include <mica/hypercall.h>
#include <public/physdev.h>

#define IOBMP_BYTES (65536 / 8)

static long set_iopl(unsigned long arg)
{
    struct physdev_set_iopl op;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.iopl > 3 )
        return -EINVAL;
    current->arch.iopl = op.iopl;
    return 0;
}

static long set_iobitmap(unsigned long arg)
{
    struct physdev_set_iobitmap op;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( !guest_range_ok(op.bitmap, IOBMP_BYTES) || op.nr_ports > 65536 )
        return -EINVAL;
    current->arch.iobmp = op.bitmap;
    current->arch.iobmp_limit = op.nr_ports;
    return 0;
}

/* Every pirq number is out of range: the domain has none. */
static long pirq_op(unsigned long arg, size_t size)
{
    uint8_t buf[sizeof(struct physdev_irq_status_query)];

    if ( copy_from_guest(buf, arg, size) )
        return -EFAULT;
    return -EINVAL;
}

static long pirq_eoi_gmfn(unsigned long arg, bool v1)
{
    struct domain *d = current->domain;
    struct physdev_pirq_eoi_gmfn op;

    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( get_page_and_type(op.gmfn, d->domain_id, PGT_writable) )
        return -EINVAL;
    if ( d->arch.pirq_eoi_mfn )
    {
        put_page_and_type(op.gmfn);
        return -EBUSY;
    }
    d->arch.pirq_eoi_mfn = op.gmfn;
    d->arch.pirq_auto_unmask = v1;
    return 0;
}

long do_physdev_op(unsigned long cmd, unsigned long arg, unsigned long a3,
                   unsigned long a4, unsigned long a5)
{
    switch ( (int)cmd )
    {
    case PHYSDEVOP_set_iopl:
        return set_iopl(arg);
    case PHYSDEVOP_set_iobitmap:
        return set_iobitmap(arg);
    case PHYSDEVOP_eoi:
        return pirq_op(arg, sizeof(struct physdev_eoi));
    case PHYSDEVOP_irq_status_query:
        return pirq_op(arg, sizeof(struct physdev_irq_status_query));
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
    case PHYSDEVOP_pirq_eoi_gmfn_v2:
        return pirq_eoi_gmfn(arg, cmd == PHYSDEVOP_pirq_eoi_gmfn_v1);
    default:
        return -ENOSYS;
    }
}
