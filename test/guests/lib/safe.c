/*
 * Privileged instructions that may legitimately fault.  Each arms a #GP
 * expectation around the instruction, so a #GP comes back as a false
 * return instead of ending the test; the caller decides whether that is
 * a failure.  Any other trap is still unexpected.
 */
#include "test.h"

bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;

    trap_expect(X86_EXC_GP);
    asm volatile ( TRAP_ASM_BEGIN "rdmsr" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS, "+a" (lo), "+d" (hi)
                   : "c" (msr)
                   : "memory" );
    if ( trap_done() )
        return false;
    *val = ((uint64_t)hi << 32) | lo;
    return true;
}

bool wrmsr_safe(uint32_t msr, uint64_t val)
{
    trap_expect(X86_EXC_GP);
    asm volatile ( TRAP_ASM_BEGIN "wrmsr" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS
                   : "c" (msr), "a" ((uint32_t)val),
                     "d" ((uint32_t)(val >> 32))
                   : "memory" );
    return !trap_done();
}

bool read_cr_safe(unsigned int cr, uint64_t *val)
{
    uint64_t v = 0;

    trap_expect(X86_EXC_GP);
    switch ( cr )
    {
    case 0:
        asm volatile ( TRAP_ASM_BEGIN "mov %%cr0, %[v]" TRAP_ASM_END
                       : TRAP_ASM_OUTPUTS, [v] "+r" (v) :: "memory" );
        break;
    case 2:
        asm volatile ( TRAP_ASM_BEGIN "mov %%cr2, %[v]" TRAP_ASM_END
                       : TRAP_ASM_OUTPUTS, [v] "+r" (v) :: "memory" );
        break;
    case 3:
        asm volatile ( TRAP_ASM_BEGIN "mov %%cr3, %[v]" TRAP_ASM_END
                       : TRAP_ASM_OUTPUTS, [v] "+r" (v) :: "memory" );
        break;
    case 4:
        asm volatile ( TRAP_ASM_BEGIN "mov %%cr4, %[v]" TRAP_ASM_END
                       : TRAP_ASM_OUTPUTS, [v] "+r" (v) :: "memory" );
        break;
    default:
        trap_done();
        return false;
    }
    if ( trap_done() )
        return false;
    *val = v;
    return true;
}

bool write_cr0_safe(uint64_t val)
{
    trap_expect(X86_EXC_GP);
    asm volatile ( TRAP_ASM_BEGIN "mov %[v], %%cr0" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [v] "r" (val) : "memory" );
    return !trap_done();
}

bool clts_safe(void)
{
    return !expect_trap_insn(X86_EXC_GP, "clts");
}
