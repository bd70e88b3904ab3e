/*
 * Loading and reading a PV vCPU's context for the toolstack
 * (MICA_DOMCTL_set/getvcpucontext). vcpu_context_check() has already
 * vetted every plain field; here the frames are checked by the type
 * system exactly as the guest's own hypercalls would: the L4s take a
 * base reference (validating the whole tree, as MMUEXT_NEW_BASEPTR), the
 * GDT frames a descriptor-table reference (as set_gdt). All references
 * are taken before anything changes, so a refused context leaves the
 * vCPU exactly as it was; the old references go only after the new ones
 * are held. The vCPU is not running (the caller is, on our one CPU), so
 * its state lives in struct vcpu and is loaded at its next switch-in.
 *
 * VCPUOP_initialise (arch_initialise_vcpu) is the guest's own way to the
 * same loader: its Xen-format context is converted and checked by
 * vcpu_context_from_xen first, and a vCPU takes a context only once.
 */
#include <asm/page_type.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <mica/domctl.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <mica/vcpu_context.h>
#include <public/arch-x86_64.h>

struct refs
{
    unsigned long l4, user_l4;
    unsigned long gdt[GDT_GUEST_FRAMES];
    unsigned int nr_gdt;
};

static void put_refs(const struct refs *r)
{
    if ( r->l4 )
        put_page_and_type(r->l4);
    if ( r->user_l4 )
        put_page_and_type(r->user_l4);
    for ( unsigned int i = 0; i < r->nr_gdt; i++ )
        put_page_and_type(r->gdt[i]);
}

static int get_refs(struct refs *r, domid_t id,
                    const struct mica_vcpu_context *c)
{
    unsigned int nr = vcpu_context_gdt_frames(c->gdt_ents);

    memset(r, 0, sizeof(*r));
    if ( get_page_and_type(c->kernel_l4_mfn, id, PGT_l4) )
        return -EINVAL;
    r->l4 = c->kernel_l4_mfn;
    if ( c->user_l4_mfn )
    {
        if ( get_page_and_type(c->user_l4_mfn, id, PGT_l4) )
            goto fail;
        r->user_l4 = c->user_l4_mfn;
    }
    for ( ; r->nr_gdt < nr; r->nr_gdt++ )
    {
        if ( get_page_and_type(c->gdt_frames[r->nr_gdt], id, PGT_seg_desc) )
            goto fail;
        r->gdt[r->nr_gdt] = c->gdt_frames[r->nr_gdt];
    }
    return 0;

 fail:
    put_refs(r);
    return -EINVAL;
}

/* Install the new references, then drop the ones they replace. */
static void swap_refs(struct arch_vcpu *a, const struct refs *r,
                      uint32_t gdt_ents)
{
    struct refs old = { a->guest_table, a->guest_table_user, {0}, 0 };

    for ( unsigned int i = 0; i < GDT_GUEST_FRAMES; i++ )
    {
        if ( a->gdt_frames[i] )
            old.gdt[old.nr_gdt++] = a->gdt_frames[i];
        a->gdt_frames[i] = i < r->nr_gdt ? r->gdt[i] : 0;
    }
    a->guest_table = r->l4;
    a->guest_table_user = r->user_l4;
    a->gdt_ents = gdt_ents;
    put_refs(&old);
}

static void load_regs(struct cpu_regs *d, const struct mica_vcpu_regs *s)
{
    memset(d, 0, sizeof(*d));
    d->r15 = s->r15; d->r14 = s->r14; d->r13 = s->r13; d->r12 = s->r12;
    d->rbp = s->rbp; d->rbx = s->rbx; d->r11 = s->r11; d->r10 = s->r10;
    d->r9 = s->r9; d->r8 = s->r8; d->rax = s->rax; d->rcx = s->rcx;
    d->rdx = s->rdx; d->rsi = s->rsi; d->rdi = s->rdi;
    d->rip = s->rip;
    d->rsp = s->rsp;
    d->cs = s->cs | 3;              /* checked: flat ones from domctl */
    d->ss = s->ss | 3;
    d->rflags = vcpu_context_rflags(s->rflags);
}

static void load_traps(struct arch_vcpu *a, const struct mica_vcpu_context *c)
{
    for ( unsigned int i = 0; i < 256; i++ )
    {
        a->traps[i].address = c->traps[i].address;
        a->traps[i].cs = c->traps[i].cs | 3;
        a->traps[i].flags = c->traps[i].flags & (TI_DPL_MASK | TI_IF);
    }
}

int arch_set_vcpu_context(struct vcpu *v, const struct mica_vcpu_context *c)
{
    struct arch_vcpu *a = &v->arch;
    struct refs r;

    if ( get_refs(&r, v->domain->domain_id, c) )
        return -EINVAL;
    swap_refs(a, &r, c->gdt_ents);
    pv_destroy_ldt(v);          /* not current: the window is not touched */
    a->ldt_base = c->ldt_ents ? c->ldt_base : 0;
    a->ldt_ents = c->ldt_ents;
    load_regs(&a->user_regs, &c->regs);
    a->seg_sel[0] = c->regs.ds;
    a->seg_sel[1] = c->regs.es;
    a->seg_sel[2] = c->regs.fs;
    a->seg_sel[3] = c->regs.gs;
    load_traps(a, c);
    a->event_cb = (struct pv_callback){ c->event_callback, true };
    a->failsafe_cb = (struct pv_callback){
        c->failsafe_callback, c->cb_flags & MICA_CBF_failsafe_mask };
    a->syscall_cb = (struct pv_callback){
        c->syscall_callback, c->cb_flags & MICA_CBF_syscall_mask };
    a->kernel_ss = c->kernel_ss | 3;
    a->kernel_sp = c->kernel_sp;
    a->fs_base = c->fs_base;
    a->gs_base_kernel = c->gs_base_kernel;
    a->gs_base_user = c->gs_base_user;
    a->gs_sel_user = 0;
    a->kernel_mode = true;
    a->virt_ts = false;
    a->cr2 = 0;
    memset(a->debugreg, 0, sizeof(a->debugreg));
    a->fpu_initialised = false;
    v->vcpu_info->evtchn_upcall_mask = c->event_mask;
    return 0;
}

static void save_regs(struct mica_vcpu_regs *d, const struct cpu_regs *s)
{
    d->r15 = s->r15; d->r14 = s->r14; d->r13 = s->r13; d->r12 = s->r12;
    d->rbp = s->rbp; d->rbx = s->rbx; d->r11 = s->r11; d->r10 = s->r10;
    d->r9 = s->r9; d->r8 = s->r8; d->rax = s->rax; d->rcx = s->rcx;
    d->rdx = s->rdx; d->rsi = s->rsi; d->rdi = s->rdi;
    d->rip = s->rip;
    d->rflags = s->rflags;
    d->rsp = s->rsp;
    d->cs = s->cs;
    d->ss = s->ss;
}

void arch_get_vcpu_context(const struct vcpu *v, struct mica_vcpu_context *c)
{
    const struct arch_vcpu *a = &v->arch;

    memset(c, 0, sizeof(*c));
    save_regs(&c->regs, &a->user_regs);
    c->regs.ds = a->seg_sel[0];
    c->regs.es = a->seg_sel[1];
    c->regs.fs = a->seg_sel[2];
    c->regs.gs = a->seg_sel[3];
    c->kernel_l4_mfn = a->guest_table;
    c->user_l4_mfn = a->guest_table_user;
    for ( unsigned int i = 0; i < GDT_GUEST_FRAMES; i++ )
        c->gdt_frames[i] = a->gdt_frames[i];
    c->gdt_ents = a->gdt_ents;
    c->cb_flags = (a->failsafe_cb.mask_events ? MICA_CBF_failsafe_mask : 0) |
                  (a->syscall_cb.mask_events ? MICA_CBF_syscall_mask : 0);
    c->kernel_ss = a->kernel_ss;
    c->kernel_sp = a->kernel_sp;
    c->event_callback = a->event_cb.address;
    c->failsafe_callback = a->failsafe_cb.address;
    c->syscall_callback = a->syscall_cb.address;
    c->fs_base = a->fs_base;
    c->gs_base_kernel = a->gs_base_kernel;
    c->gs_base_user = a->gs_base_user;
    c->event_mask = v->vcpu_info->evtchn_upcall_mask;
    c->ldt_base = a->ldt_base;
    c->ldt_ents = a->ldt_ents;
    for ( unsigned int i = 0; i < 256; i++ )
    {
        c->traps[i].address = a->traps[i].address;
        c->traps[i].cs = a->traps[i].cs;
        c->traps[i].flags = a->traps[i].flags;
    }
}

/* One CPU, and the hypercall neither blocks nor is preempted. */
static struct vcpu_guest_context xen_ctx;
static struct mica_vcpu_context init_ctx;

int arch_initialise_vcpu(struct vcpu *v, unsigned long arg)
{
    struct arch_vcpu *a = &v->arch;
    int rc;

    if ( copy_from_guest(&xen_ctx, arg, sizeof(xen_ctx)) )
        return -EFAULT;
    if ( v->initialised )
        return -EEXIST;
    rc = vcpu_context_from_xen(&xen_ctx, v->vcpu_info->evtchn_upcall_mask,
                               &init_ctx);
    if ( !rc )
        rc = arch_set_vcpu_context(v, &init_ctx);
    if ( rc )
        return rc;
    a->kernel_mode = xen_ctx.flags & VGCF_in_kernel;
    a->iopl = (xen_ctx.user_regs.rflags >> 12) & 3;    /* virtualised */
    if ( xen_ctx.flags & VGCF_i387_valid )
    {
        memcpy(a->fpu_ctxt, xen_ctx.fpu_ctxt, sizeof(a->fpu_ctxt));
        a->fpu_initialised = true;
    }
    v->initialised = true;
    return !!(xen_ctx.flags & VGCF_online);
}
