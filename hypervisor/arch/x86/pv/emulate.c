/*
 * Instructions a PV guest kernel may use although it runs in ring 3.
 *
 * #GP: RDMSR/WRMSR (through the MSR policy), CLTS (the virtual CR0.TS),
 * and INT n whose gate in our IDT is DPL 0 but whose entry in the guest's
 * trap table allows the caller: the CPU reports those with error code
 * (n << 3) | 2. #UD: the forced-emulation prefix "ud2; .ascii \"xen\"",
 * followed by CPUID, runs CPUID through the guest's CPUID policy. We read
 * the instruction bytes from guest memory; if we cannot, nothing is
 * emulated and the guest gets its exception.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <mica/guest_access.h>
#include <mica/lib.h>

static bool fetch(const struct cpu_regs *regs, uint8_t *buf, size_t n)
{
    return raw_copy_from_guest(buf, regs->rip, n) == 0;
}

static bool emulate_msr(struct cpu_regs *regs, bool write)
{
    struct vcpu *v = current;
    uint32_t msr = regs->rcx;
    uint64_t val;

    if ( write )
    {
        val = (regs->rdx << 32) | (uint32_t)regs->rax;
        if ( pv_wrmsr(v, msr, val) )
            return false;
    }
    else
    {
        if ( pv_rdmsr(v, msr, &val) )
            return false;
        regs->rax = (uint32_t)val;
        regs->rdx = val >> 32;
    }
    regs->rip += 2;
    return true;
}

static bool emulate_softint(struct cpu_regs *regs, unsigned int vector)
{
    struct vcpu *v = current;
    unsigned int dpl = v->arch.traps[vector].flags & TI_DPL_MASK;

    /* Guest kernel counts as ring 1 here, guest user as ring 3. */
    if ( dpl < (v->arch.kernel_mode ? 1u : 3u) )
        return false;
    regs->rip += 2;
    pv_inject_exception(regs, vector, -1);
    return true;
}

bool pv_emulate_gp(struct cpu_regs *regs)
{
    uint8_t insn[2];

    if ( (regs->error_code & 7) == 2 )
    {
        unsigned int vector = regs->error_code >> 3;

        if ( !fetch(regs, insn, 2) || insn[0] != 0xcd || insn[1] != vector )
            return false;
        return emulate_softint(regs, vector);
    }
    if ( regs->error_code || !current->arch.kernel_mode ||
         !fetch(regs, insn, 2) || insn[0] != 0x0f )
        return false;
    switch ( insn[1] )
    {
    case 0x32:
        return emulate_msr(regs, false);
    case 0x30:
        return emulate_msr(regs, true);
    case 0x06:
        current->arch.virt_ts = false;
        clts();
        regs->rip += 2;
        return true;
    default:
        return false;
    }
}

bool pv_emulate_forced(struct cpu_regs *regs)
{
    static const uint8_t sig[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    uint8_t insn[sizeof(sig)];
    uint32_t res[4];

    if ( !fetch(regs, insn, sizeof(insn)) || memcmp(insn, sig, sizeof(sig)) )
        return false;
    pv_cpuid(current, regs->rax, regs->rcx, res);
    regs->rax = res[0];
    regs->rbx = res[1];
    regs->rcx = res[2];
    regs->rdx = res[3];
    regs->rip += sizeof(sig);
    return true;
}
