/*
 * multicall: a batch of hypercalls in one entry. Each entry's result is
 * written back into the entry; the batch itself returns 0 unless the list
 * cannot be read or written, which ends it with -EFAULT.
 */
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <public/xen.h>

long do_multicall(unsigned long list, unsigned long nr, unsigned long a3,
                  unsigned long a4, unsigned long a5)
{
    struct multicall_entry mc;
    unsigned long args[5];

    nr = (uint32_t)nr;
    if ( !guest_range_ok(list, nr * sizeof(mc)) )
        return -EFAULT;
    for ( unsigned long i = 0; i < nr; i++ )
    {
        uint64_t at = list + i * sizeof(mc);

        if ( copy_from_guest(&mc, at, sizeof(mc)) )
            return -EFAULT;
        for ( unsigned int j = 0; j < 5; j++ )
            args[j] = mc.args[j];
        mc.result = hypercall_dispatch_one(mc.op, args, true);
        if ( copy_to_guest(at + __builtin_offsetof(struct multicall_entry,
                                                   result),
                           &mc.result, sizeof(mc.result)) )
            return -EFAULT;
    }
    return 0;
}
