/*
 * Exceptions and interrupts on the physical CPU.
 *
 * Everything arrives in do_trap. Hardware interrupts are handled and
 * acknowledged here. An exception raised by a guest goes to the PV code,
 * which emulates, bounces it to the guest's own handler, or kills the
 * guest. An exception in the hypervisor itself is either expected (a
 * guest-memory copy, a probing MSR access: the exception table says where
 * to continue) or a bug, and then we print everything and stop.
 */
#include <asm/current.h>
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <mica/console.h>
#include <mica/lib.h>
#include <mica/logdirty.h>

_Static_assert(__builtin_offsetof(struct cpu_regs, vector) == 15 * 8,
               "entry.S frame layout");
_Static_assert(__builtin_offsetof(struct cpu_regs, cs) == 18 * 8,
               "entry.S frame layout");
_Static_assert(sizeof(struct cpu_regs) == 22 * 8, "entry.S frame layout");
_Static_assert(sizeof(struct cpu_info) == CPU_INFO_SIZE, "asm/config.h");
_Static_assert(__builtin_offsetof(struct cpu_info, syscall_rsp) == 22 * 8 + 16,
               "entry.S CPU_INFO_SYSCALL_RSP");

extern char exc_0[], exc_1[], exc_2[], exc_3[], exc_4[], exc_5[], exc_6[],
    exc_7[], exc_8[], exc_9[], exc_10[], exc_11[], exc_12[], exc_13[],
    exc_14[], exc_15[], exc_16[], exc_17[], exc_18[], exc_19[], exc_20[],
    exc_21[];
extern char irq_32[], irq_33[], irq_34[], irq_35[], irq_36[], irq_37[],
    irq_38[], irq_39[], irq_40[], irq_41[], irq_42[], irq_43[], irq_44[],
    irq_45[], irq_46[], irq_47[], irq_255[];
extern char syscall_entry[], guest_iret[];

static const char *const exc_names[] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range", "#UD invalid opcode",
    "#NM device not available", "#DF double fault", "coprocessor overrun",
    "#TS invalid TSS", "#NP segment not present", "#SS stack fault",
    "#GP general protection", "#PF page fault", "reserved",
    "#MF x87 error", "#AC alignment check", "#MC machine check",
    "#XM SIMD error", "#VE virtualisation", "#CP control protection",
};

void show_registers(const struct cpu_regs *r)
{
    printk(LOG_ERR "RIP: %04lx:%016lx RFLAGS: %016lx vector %lu error %lx\n",
           r->cs, r->rip, r->rflags, r->vector, r->error_code);
    printk(LOG_ERR "RSP: %04lx:%016lx CR2: %016lx CR3: %016lx\n",
           r->ss, r->rsp, read_cr2(), read_cr3());
    printk(LOG_ERR "RAX: %016lx RBX: %016lx RCX: %016lx\n",
           r->rax, r->rbx, r->rcx);
    printk(LOG_ERR "RDX: %016lx RSI: %016lx RDI: %016lx\n",
           r->rdx, r->rsi, r->rdi);
    printk(LOG_ERR "RBP: %016lx R8:  %016lx R9:  %016lx\n",
           r->rbp, r->r8, r->r9);
    printk(LOG_ERR "R10: %016lx R11: %016lx R12: %016lx\n",
           r->r10, r->r11, r->r12);
    printk(LOG_ERR "R13: %016lx R14: %016lx R15: %016lx\n",
           r->r13, r->r14, r->r15);
}

static void fatal_trap(const struct cpu_regs *regs)
{
    const char *name = regs->vector < ARRAY_SIZE(exc_names)
                       ? exc_names[regs->vector] : "interrupt";

    printk(LOG_ERR "FATAL TRAP in the hypervisor: vector %lu (%s)\n",
           regs->vector, name);
    show_registers(regs);
    panic("fatal trap %lu at %016lx", regs->vector, regs->rip);
}

static void do_irq(struct cpu_regs *regs)
{
    unsigned int irq = regs->vector - 32;

    if ( regs->vector == 255 )
        return;
    if ( irq == 0 )
        timer_interrupt();
    else if ( irq == 4 )
        console_rx_interrupt();
    pic_eoi(irq);
}

void do_trap(struct cpu_regs *regs)
{
    unsigned long fixup;

    if ( regs->vector >= 32 )
    {
        do_irq(regs);
        return;
    }
    if ( regs_from_guest(regs) )
    {
        pv_do_exception(regs);
        return;
    }
    if ( regs->vector == X86_EXC_DB )
    {
        /*
         * A guest's hardware breakpoint hit while we touched its memory
         * for it: not our business, but the guest sees the status in DR6.
         */
        if ( current )
            current->arch.debugreg[6] |= read_dr6() & ~0xffff0ff0UL;
        write_dr6(0xffff0ff0UL);
        return;
    }
    /* Our own first store to a page of a log-dirty guest. */
    if ( regs->vector == X86_EXC_PF &&
         logdirty_pk_fault(read_cr2(), regs->error_code) )
        return;
    /* Our own load of a guest selector may need its LDT page mapped. */
    if ( regs->vector == X86_EXC_PF && pv_ldt_fault(regs, read_cr2(), -1) )
        return;
    if ( regs->rip == (unsigned long)guest_iret )
        pv_iret_faulted(regs);
    fixup = search_exception_table(regs->rip);
    if ( fixup )
    {
        regs->rip = fixup;
        return;
    }
    fatal_trap(regs);
}

static void *const exc_stubs[] = {
    exc_0, exc_1, exc_2, exc_3, exc_4, exc_5, exc_6, exc_7, exc_8, exc_9,
    exc_10, exc_11, exc_12, exc_13, exc_14, exc_15, exc_16, exc_17, exc_18,
    exc_19, exc_20, exc_21,
};

static void *const irq_stubs[] = {
    irq_32, irq_33, irq_34, irq_35, irq_36, irq_37, irq_38, irq_39,
    irq_40, irq_41, irq_42, irq_43, irq_44, irq_45, irq_46, irq_47,
};

void traps_init(void)
{
    for ( unsigned int v = 0; v < ARRAY_SIZE(exc_stubs); v++ )
    {
        unsigned int ist = v == X86_EXC_DF ? IST_DF :
                           v == X86_EXC_NMI ? IST_NMI :
                           v == X86_EXC_MC ? IST_MCE : 0;
        /* int3 and into may be used directly by a guest. */
        unsigned int dpl = (v == X86_EXC_BP || v == X86_EXC_OF) ? 3 : 0;

        idt_set_gate(v, exc_stubs[v], dpl, ist);
    }
    for ( unsigned int i = 0; i < ARRAY_SIZE(irq_stubs); i++ )
        idt_set_gate(32 + i, irq_stubs[i], 0, 0);
    idt_set_gate(255, irq_255, 0, 0);

    /*
     * SYSCALL: hypervisor CS/SS from STAR[47:32], SYSRET would use the
     * guest's flat selectors from STAR[63:48]. IF, DF, TF, NT and AC are
     * cleared on entry.
     */
    wrmsr(MSR_STAR, ((uint64_t)(GUEST_CS32 & ~3) << 48) |
                    ((uint64_t)HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, (unsigned long)syscall_entry);
    /* No 32-bit guest code yet: compat SYSCALL takes the same path. */
    wrmsr(MSR_CSTAR, (unsigned long)syscall_entry);
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_TF |
                            X86_EFLAGS_NT | X86_EFLAGS_AC | X86_EFLAGS_IOPL);
}
