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

/* Everything but the selectors, which the two callers rule on apart. */
static int fields_check(const struct mica_vcpu_context *c)
{
    if ( c->cb_flags & ~(MICA_CBF_failsafe_mask | MICA_CBF_syscall_mask) )
        return -EINVAL;
    if ( c->event_mask > 1 || !c->kernel_l4_mfn )
        return -EINVAL;
    if ( !addresses_ok(c) || !gdt_ok(c) ||
         !vcpu_ldt_args_ok(c->ldt_base, c->ldt_ents) )
        return -EINVAL;
    return 0;
}

int vcpu_context_check(const struct mica_vcpu_context *c)
{
    if ( c->regs.cs != FLAT_KERNEL_CS || c->regs.ss != FLAT_KERNEL_SS )
        return -EINVAL;
    return fields_check(c);
}

/*
 * Xen raises a 64-bit PV guest's selector RPLs to 3 (its kernel runs in
 * ring 3); a selector that then does not load is the guest's problem,
 * met at the IRET that first enters the vCPU (see pv_iret_faulted).
 */
static uint16_t fixup_sel(uint64_t sel)
{
    return (uint16_t)sel | 3;
}

static void regs_from_xen(struct mica_vcpu_regs *d,
                          const struct cpu_user_regs *s)
{
    d->r15 = s->r15; d->r14 = s->r14; d->r13 = s->r13; d->r12 = s->r12;
    d->rbp = s->rbp; d->rbx = s->rbx; d->r11 = s->r11; d->r10 = s->r10;
    d->r9 = s->r9; d->r8 = s->r8; d->rax = s->rax; d->rcx = s->rcx;
    d->rdx = s->rdx; d->rsi = s->rsi; d->rdi = s->rdi;
    d->rip = s->rip;
    d->rflags = s->rflags;
    d->rsp = s->rsp;
    d->cs = fixup_sel(s->cs);
    d->ss = fixup_sel(s->ss);
    d->ds = s->ds; d->es = s->es; d->fs = s->fs; d->gs = s->gs;
}

/* The checks of Xen's arch_set_info_guest that need the raw fields. */
static bool xen_only_ok(const struct vcpu_guest_context *g)
{
    if ( (g->ldt_base & 0xfff) || g->ldt_ents > 8192 ||
         (g->ldt_base >= HYPERVISOR_VIRT_START &&
          g->ldt_base < HYPERVISOR_VIRT_END) )
        return false;
    if ( g->gdt_ents > FIRST_RESERVED_GDT_ENTRY )
        return false;
    /* Starting in user mode needs a user page table. */
    return (g->flags & VGCF_in_kernel) || g->ctrlreg[1];
}

int vcpu_context_from_xen(const struct vcpu_guest_context *g,
                          uint8_t event_mask, struct mica_vcpu_context *c)
{
    unsigned int nr_gdt;

    if ( !xen_only_ok(g) )
        return -EINVAL;
    memset(c, 0, sizeof(*c));
    regs_from_xen(&c->regs, &g->user_regs);
    c->kernel_l4_mfn = g->ctrlreg[3] >> PAGE_SHIFT;
    c->user_l4_mfn = g->ctrlreg[1] >> PAGE_SHIFT;
    nr_gdt = vcpu_context_gdt_frames(g->gdt_ents);
    for ( unsigned int i = 0; i < nr_gdt; i++ )
        c->gdt_frames[i] = g->gdt_frames[i];
    c->gdt_ents = g->gdt_ents;
    c->cb_flags =
        (g->flags & VGCF_failsafe_disables_events ? MICA_CBF_failsafe_mask
                                                  : 0) |
        (g->flags & VGCF_syscall_disables_events ? MICA_CBF_syscall_mask : 0);
    c->kernel_ss = fixup_sel(g->kernel_ss);
    c->kernel_sp = g->kernel_sp;
    c->event_callback = g->event_callback_eip;
    c->failsafe_callback = g->failsafe_callback_eip;
    c->syscall_callback = g->syscall_callback_eip;
    c->fs_base = g->fs_base;
    c->gs_base_kernel = g->gs_base_kernel;
    c->gs_base_user = g->gs_base_user;
    c->event_mask = event_mask;
    c->ldt_ents = g->ldt_ents;
    c->ldt_base = g->ldt_ents ? g->ldt_base : 0;
    for ( unsigned int i = 0; i < 256; i++ )
    {
        c->traps[i].address = g->trap_ctxt[i].address;
        c->traps[i].cs = fixup_sel(g->trap_ctxt[i].cs);
        c->traps[i].flags = g->trap_ctxt[i].flags;
    }
    return fields_check(c);
}
