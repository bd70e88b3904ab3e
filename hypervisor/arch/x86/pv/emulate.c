/*
 * Instructions a PV guest kernel may use although it runs in ring 3.
 *
 * #GP: port I/O and CLI/STI (ioport.c), RDMSR/WRMSR (through the MSR policy), CLTS
 * and MOV to/from CR0 (the virtual CR0.TS), MOV from CR2/CR3/CR4 (the
 * guest's view), MOV to CR4 (accepted, ignored),
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

static uint64_t *gpr(struct cpu_regs *regs, unsigned int n)
{
    switch ( n )
    {
    case 0: return &regs->rax;
    case 1: return &regs->rcx;
    case 2: return &regs->rdx;
    case 3: return &regs->rbx;
    case 4: return &regs->rsp;
    case 5: return &regs->rbp;
    case 6: return &regs->rsi;
    case 7: return &regs->rdi;
    case 8: return &regs->r8;
    case 9: return &regs->r9;
    case 10: return &regs->r10;
    case 11: return &regs->r11;
    case 12: return &regs->r12;
    case 13: return &regs->r13;
    case 14: return &regs->r14;
    default: return &regs->r15;
    }
}

static uint64_t guest_cr0(const struct vcpu *v)
{
    return (read_cr0() & ~X86_CR0_TS) | (v->arch.virt_ts ? X86_CR0_TS : 0);
}

static bool read_cr(const struct vcpu *v, unsigned int cr, uint64_t *val)
{
    switch ( cr )
    {
    case 0:
        *val = guest_cr0(v);
        return true;
    case 2:
        *val = v->arch.cr2;
        return true;
    case 3:
        *val = (uint64_t)(v->arch.kernel_mode ? v->arch.guest_table
                                              : v->arch.guest_table_user)
               << PAGE_SHIFT;
        return true;
    case 4:
        *val = read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR |
                             X86_CR4_OSXMMEXCPT);
        return true;
    default:
        return false;
    }
}

/*
 * Only CR0.TS may change; everything else is the hypervisor's. A CR4
 * write never faults under Xen (pv_fixup_guest_cr4 keeps the bits the
 * guest may choose and drops the rest): Linux's secondary CPUs write
 * CR4 back unchanged in cr4_init. We offer none of those bits (TSD, DE,
 * FSGSBASE, OSXSAVE), so the write is accepted and changes nothing.
 */
static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    if ( cr == 4 )
        return true;
    if ( cr != 0 || ((val ^ guest_cr0(v)) & ~X86_CR0_TS) )
        return false;
    v->arch.virt_ts = val & X86_CR0_TS;
    if ( v->arch.virt_ts )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        clts();
    return true;
}

/* MOV to/from a control register: [REX] 0f 20|22 modrm(mod = 3). */
static bool emulate_mov_cr(struct cpu_regs *regs, const uint8_t *insn)
{
    struct vcpu *v = current;
    unsigned int rex = 0, i = 0, cr, reg;
    uint64_t val;

    if ( (insn[0] & 0xf0) == 0x40 )
        rex = insn[i++];
    if ( insn[i] != 0x0f || (insn[i + 1] != 0x20 && insn[i + 1] != 0x22) ||
         (insn[i + 2] >> 6) != 3 )
        return false;
    cr = ((insn[i + 2] >> 3) & 7) | ((rex & 4) << 1);
    reg = (insn[i + 2] & 7) | ((rex & 1) << 3);
    if ( insn[i + 1] == 0x20 )
    {
        if ( !read_cr(v, cr, &val) )
            return false;
        *gpr(regs, reg) = val;
    }
    else if ( !write_cr(v, cr, *gpr(regs, reg)) )
        return false;
    regs->rip += i + 3;
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
    uint8_t insn[4];
    size_t n;

    if ( (regs->error_code & 7) == 2 )
    {
        unsigned int vector = regs->error_code >> 3;

        if ( !fetch(regs, insn, 2) || insn[0] != 0xcd || insn[1] != vector )
            return false;
        return emulate_softint(regs, vector);
    }
    if ( regs->error_code )
        return false;
    /* Port I/O: the longest form, 66 REX E5 ib, is four bytes. */
    for ( n = 4; n && raw_copy_from_guest(insn, regs->rip, n); n-- )
        continue;
    if ( n && (pv_emulate_io(regs, insn, n) ||
               pv_emulate_cli_sti(regs, insn[0])) )
        return true;
    if ( !current->arch.kernel_mode )
        return false;
    if ( fetch(regs, insn, 4) && emulate_mov_cr(regs, insn) )
        return true;
    if ( !fetch(regs, insn, 2) || insn[0] != 0x0f )
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
