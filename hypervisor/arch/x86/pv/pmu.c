/*
 * xenpmu_op: the virtual PMU interface. Mica offers no virtual PMU, which
 * is what Xen 4.17 does by default (vpmu is off unless "vpmu=" is on its
 * command line): every sub-op then answers -EOPNOTSUPP before looking at
 * its argument (do_xenpmu_op, xen/arch/x86/cpu/vpmu.c). A hole in the
 * table would answer -ENOSYS instead; Linux treats both as "no VPMU",
 * but tools and tests that check the code see Xen's.
 */
#include <mica/hypercall.h>
#include <mica/lib.h>

long do_xenpmu_op(unsigned long op, unsigned long arg, unsigned long a3,
                  unsigned long a4, unsigned long a5)
{
    return -EOPNOTSUPP;
}
