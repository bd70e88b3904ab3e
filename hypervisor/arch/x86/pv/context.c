/*
 * Switching the physical CPU from one PV vCPU to another.
 *
 * What a vCPU keeps in hardware while it runs, and where it goes while
 * it does not:
 *   general registers, RIP, RFLAGS, RSP  per-CPU guest frame <-> user_regs
 *   DS ES FS GS selectors                segment registers   <-> seg_sel[]
 *   FS base, GS base, shadow GS base     MSRs <-> fs_base, gs_base_kernel,
 *                                        gs_base_user (which of the two GS
 *                                        bases is live follows kernel_mode:
 *                                        the guest's swapgs state)
 *   FPU/SSE state                        fxsave/fxrstor <-> fpu_ctxt
 *   CR0.TS                               the guest's virtual TS (virt_ts)
 *   DR0-3, DR6, DR7                      debugreg[] (kept current by
 *                                        set_debugreg and #DB)
 *   CR3, GDT window                      from guest_table(_user), gdt_frames
 * A selector that no longer loads (its descriptor changed while the vCPU
 * was out) is replaced by NULL and reported through the guest's failsafe
 * callback, as Xen does.
 * The guest's kernel stack (kernel_ss/sp) never lives in the TSS: every
 * vCPU enters the hypervisor on the per-CPU stack, and bounces read
 * kernel_sp from the vCPU. The FPU is switched eagerly: simple, and the
 * guests we run use it rarely enough that fxsave/fxrstor per switch is
 * cheap next to the rest of the switch.
 */
#include <asm/current.h>
#include <asm/extable.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <mica/lib.h>
#include <mica/logdirty.h>

/* fninit's state in fxsave layout: FCW 0x37f, MXCSR 0x1f80. */
static const uint8_t fpu_init_image[512] __attribute__((aligned(16))) = {
    [0] = 0x7f, [1] = 0x03, [24] = 0x80, [25] = 0x1f,
};

static void save_fpu(struct vcpu *v)
{
    clts();
    asm volatile ( "fxsave64 %0" : "=m" (v->arch.fpu_ctxt) );
    v->arch.fpu_initialised = true;
}

static void load_fpu(const struct vcpu *v)
{
    const void *img = v->arch.fpu_initialised ? v->arch.fpu_ctxt
                                              : fpu_init_image;

    clts();
    asm volatile ( "fxrstor64 %0" :: "m" (*(const uint8_t (*)[512])img) );
}

static uint16_t read_sel(unsigned int which)
{
    uint16_t s = 0;

    switch ( which )
    {
    case 0: asm volatile ( "mov %%ds, %0" : "=r" (s) ); break;
    case 1: asm volatile ( "mov %%es, %0" : "=r" (s) ); break;
    case 2: asm volatile ( "mov %%fs, %0" : "=r" (s) ); break;
    case 3: asm volatile ( "mov %%gs, %0" : "=r" (s) ); break;
    }
    return s;
}

/*
 * Load a selector the guest chose; one that faults loads NULL instead
 * and leaves val 0 (a NULL selector cannot fault, so a non-zero selector
 * turned 0 is how the caller sees the failure).
 */
#define LOAD_SEG(seg, val)                                                    \
    asm volatile ( "1: mov %w0, %%" seg "\n"                                  \
                   "2:\n"                                                     \
                   ".pushsection .fixup, \"ax\"\n"                            \
                   "3: xor %k0, %k0\n"                                        \
                   "   mov %w0, %%" seg "\n"                                  \
                   "   jmp 2b\n"                                              \
                   ".popsection\n"                                            \
                   _ASM_EXTABLE(1b, 3b)                                       \
                   : "+r" (val) )

/* False if a selector would not load (its register now holds NULL). */
static bool load_segments(const struct vcpu *v)
{
    unsigned long ds = v->arch.seg_sel[0], es = v->arch.seg_sel[1];
    unsigned long fs = v->arch.seg_sel[2], gs = v->arch.seg_sel[3];

    LOAD_SEG("ds", ds);
    LOAD_SEG("es", es);
    LOAD_SEG("fs", fs);
    LOAD_SEG("gs", gs);
    return ds == v->arch.seg_sel[0] && es == v->arch.seg_sel[1] &&
           fs == v->arch.seg_sel[2] && gs == v->arch.seg_sel[3];
}

static void save_segments(struct vcpu *v)
{
    uint64_t gs = rdmsr(MSR_GS_BASE), shadow = rdmsr(MSR_SHADOW_GS_BASE);

    for ( unsigned int i = 0; i < 4; i++ )
        v->arch.seg_sel[i] = read_sel(i);
    v->arch.fs_base = rdmsr(MSR_FS_BASE);
    v->arch.gs_base_kernel = v->arch.kernel_mode ? gs : shadow;
    v->arch.gs_base_user = v->arch.kernel_mode ? shadow : gs;
}

/* DR7 off first, so no breakpoint of either vCPU fires half-loaded. */
static void load_debugregs(const struct vcpu *prev, const struct vcpu *next)
{
    if ( !(prev && prev->arch.debugreg[7]) && !next->arch.debugreg[7] )
        return;
    write_debugreg(7, 0);
    for ( unsigned int i = 0; i < 4; i++ )
        write_debugreg(i, next->arch.debugreg[i]);
    write_debugreg(6, next->arch.debugreg[6] ? next->arch.debugreg[6]
                                              : 0xffff0ff0UL);
    write_debugreg(7, next->arch.debugreg[7]);
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next,
                         struct cpu_regs *regs)
{
    bool segs_ok;

    if ( prev )
    {
        prev->arch.user_regs = *regs;
        save_segments(prev);
        save_fpu(prev);
    }
    *regs = next->arch.user_regs;
    get_cpu_info()->current_vcpu = next;
    gdt_window_map(next->arch.gdt_frames, GDT_GUEST_FRAMES);
    ldt_window_map(next->arch.ldt_frames);
    ldt_load(next->arch.ldt_ents);
    segs_ok = load_segments(next);
    load_fpu(next);
    load_debugregs(prev, next);
    logdirty_load(next);
    pv_vcpu_load(next);     /* bases after selectors; CR0.TS; CR3 last */
    /* On its own page tables now, the guest can take a frame. */
    if ( !segs_ok )
        pv_inject_failsafe(regs, next->arch.seg_sel);
}
