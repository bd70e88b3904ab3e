/* Guest memory access with fault recovery, and *_safe MSR accessors. */
#include <asm/extable.h>
#include <asm/processor.h>
#include <mica/guest_access.h>
#include <public/arch-x86_64.h>

struct extable_entry
{
    unsigned long insn, fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

unsigned long search_exception_table(unsigned long rip)
{
    for ( const struct extable_entry *e = __ex_table_start;
          e < __ex_table_end; e++ )
        if ( e->insn == rip )
            return e->fixup;
    return 0;
}

bool guest_range_ok(uint64_t va, size_t len)
{
    uint64_t end = va + len;

    if ( end < va )
        return false;
    if ( !len )
        return is_canonical(va);
    /* Both ends canonical and on the same side of the hole. */
    if ( !is_canonical(va) || !is_canonical(end - 1) ||
         ((va ^ (end - 1)) >> 63) )
        return false;
    return end <= HYPERVISOR_VIRT_START || va >= HYPERVISOR_VIRT_END;
}

/* rep movsb; on a fault the remaining count is left in %rcx. */
static size_t copy_with_fixup(void *dst, const void *src, size_t len)
{
    asm volatile ( "1: rep movsb\n"
                   "2:\n"
                   _ASM_EXTABLE(1b, 2b)
                   : "+D" (dst), "+S" (src), "+c" (len) :: "memory" );
    return len;
}

size_t raw_copy_from_guest(void *dst, uint64_t src, size_t len)
{
    if ( !guest_range_ok(src, len) )
        return len;
    return copy_with_fixup(dst, (const void *)src, len);
}

size_t raw_copy_to_guest(uint64_t dst, const void *src, size_t len)
{
    if ( !guest_range_ok(dst, len) )
        return len;
    return copy_with_fixup((void *)dst, src, len);
}

int rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;
    int rc = 0;

    asm volatile ( "1: rdmsr\n"
                   "2:\n"
                   ".pushsection .fixup, \"ax\"\n"
                   "3: mov $-1, %2\n"
                   "   jmp 2b\n"
                   ".popsection\n"
                   _ASM_EXTABLE(1b, 3b)
                   : "=a" (lo), "=d" (hi), "+r" (rc) : "c" (msr) );
    *val = ((uint64_t)hi << 32) | lo;
    return rc;
}

int wrmsr_safe(uint32_t msr, uint64_t val)
{
    int rc = 0;

    asm volatile ( "1: wrmsr\n"
                   "2:\n"
                   ".pushsection .fixup, \"ax\"\n"
                   "3: mov $-1, %0\n"
                   "   jmp 2b\n"
                   ".popsection\n"
                   _ASM_EXTABLE(1b, 3b)
                   : "+r" (rc) : "c" (msr), "a" ((uint32_t)val),
                     "d" ((uint32_t)(val >> 32)) );
    return rc;
}
