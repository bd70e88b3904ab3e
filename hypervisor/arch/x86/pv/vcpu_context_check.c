/*
 * Validation of a toolstack-supplied vCPU context, with no side effects.
 *
 * Whatever passes here is loaded into hardware state on the vCPU's next
 * switch-in (RIP and RSP through IRET, segment bases through WRMSR, the
 * callbacks and trap handlers on delivery), so every address must be
 * canonical or the hypervisor itself would fault. The stacks must also
 * lie outside the hypervisor's range: a bounce frame is written there,
 * and the guest could otherwise aim our own writes at our mappings (the
 * copy would fail, but the toolstack should hear about it at once). The
 * vCPU starts in guest-kernel mode, so only the flat kernel selectors
 * make sense; anything else is a toolstack bug worth reporting.
 */
#include <asm/page.h>
#include <mica/vcpu_context.h>
#include <public/arch-x86_64.h>

#define RFLAGS_KEPT 0xcd5UL     /* CF PF AF ZF SF DF OF */
#define RFLAGS_IF   0x200UL
#define RFLAGS_MBS  0x2UL

static bool stack_ok(uint64_t sp)
{
    return is_canonical(sp) &&
           (sp < HYPERVISOR_VIRT_START || sp >= HYPERVISOR_VIRT_END);
}

unsigned int vcpu_context_gdt_frames(uint32_t gdt_ents)
{
    return (gdt_ents + 511) / 512;
}

uint64_t vcpu_context_rflags(uint64_t rflags)
{
    return (rflags & RFLAGS_KEPT) | RFLAGS_IF | RFLAGS_MBS;
}

static bool addresses_ok(const struct mica_vcpu_context *c)
{
    const uint64_t addr[] = {
        c->regs.rip, c->event_callback, c->failsafe_callback,
        c->syscall_callback, c->fs_base, c->gs_base_kernel, c->gs_base_user,
    };

    for ( unsigned int i = 0; i < ARRAY_SIZE(addr); i++ )
        if ( !is_canonical(addr[i]) )
            return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(c->traps); i++ )
        if ( !is_canonical(c->traps[i].address) )
            return false;
    return stack_ok(c->regs.rsp) && stack_ok(c->kernel_sp);
}

static bool gdt_ok(const struct mica_vcpu_context *c)
{
    unsigned int nr;

    if ( c->gdt_ents > FIRST_RESERVED_GDT_ENTRY )
        return false;
    nr = vcpu_context_gdt_frames(c->gdt_ents);
    for ( unsigned int i = 0; i < MICA_GDT_FRAMES; i++ )
        if ( (i < nr) != (c->gdt_frames[i] != 0) )
            return false;
    return true;
}

bool vcpu_ldt_args_ok(uint64_t base, unsigned int ents)
{
    if ( !ents )
        return true;
    return ents <= 8192 && !(base & 0xfff) && is_canonical(base) &&
           (base < HYPERVISOR_VIRT_START || base >= HYPERVISOR_VIRT_END);
}

int vcpu_context_check(const struct mica_vcpu_context *c)
{
    if ( c->regs.cs != FLAT_KERNEL_CS || c->regs.ss != FLAT_KERNEL_SS )
        return -EINVAL;
    if ( c->cb_flags & ~(MICA_CBF_failsafe_mask | MICA_CBF_syscall_mask) )
        return -EINVAL;
    if ( c->event_mask > 1 || !c->kernel_l4_mfn )
        return -EINVAL;
    if ( !addresses_ok(c) || !gdt_ok(c) || !vcpu_ldt_args_ok(c->ldt_base, c->ldt_ents) )
        return -EINVAL;
    return 0;
}
