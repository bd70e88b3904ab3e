/*
 * The hypercall table and dispatcher.
 *
 * The table alone says which numbers exist and which need a privileged
 * caller; the dispatcher alone enforces it, so a handler never checks
 * privilege for its whole family again. Holes answer -ENOSYS. In debug
 * builds every failing hypercall is logged at debug level with its
 * number and arguments (loglvl=all shows them; runs of the same failure
 * are folded, see trace_failure), and number 63 returns
 * at once: it measures the bare entry/exit path for the benchmarks.
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/time.h>
#include <mica/hypercall.h>
#include <mica/event.h>
#include <mica/grant_table.h>
#include <mica/lib.h>
#include <mica/timer.h>
#include <mica/vtime.h>
#include <public/xen.h>

#define HYPERCALL_NULL 63

struct hypercall_entry
{
    hypercall_fn_t *fn;
    bool privileged;
};

static const struct hypercall_entry table[] = {
    [__HYPERVISOR_set_trap_table]   = { do_set_trap_table, false },
    [__HYPERVISOR_mmu_update]       = { do_mmu_update, false },
    [__HYPERVISOR_set_gdt]          = { do_set_gdt, false },
    [__HYPERVISOR_stack_switch]     = { do_stack_switch, false },
    [__HYPERVISOR_set_callbacks]    = { do_set_callbacks, false },
    [__HYPERVISOR_fpu_taskswitch]   = { do_fpu_taskswitch, false },
    [__HYPERVISOR_platform_op]      = { do_platform_op, true },
    [__HYPERVISOR_set_debugreg]     = { do_set_debugreg, false },
    [__HYPERVISOR_get_debugreg]     = { do_get_debugreg, false },
    [__HYPERVISOR_update_descriptor] = { do_update_descriptor, false },
    [__HYPERVISOR_memory_op]        = { do_memory_op, false },
    [__HYPERVISOR_multicall]        = { do_multicall, false },
    [__HYPERVISOR_update_va_mapping] = { do_update_va_mapping, false },
    [__HYPERVISOR_set_timer_op]     = { do_set_timer_op, false },
    [__HYPERVISOR_xen_version]      = { do_xen_version, false },
    [__HYPERVISOR_console_io]       = { do_console_io, false },
    [__HYPERVISOR_grant_table_op]   = { do_grant_table_op, false },
    [__HYPERVISOR_update_va_mapping_otherdomain] =
                                      { do_update_va_mapping_otherdomain,
                                        false },
    [__HYPERVISOR_vm_assist]        = { do_vm_assist, false },
    [__HYPERVISOR_iret]             = { do_iret, false },
    [__HYPERVISOR_vcpu_op]          = { do_vcpu_op, false },
    [__HYPERVISOR_set_segment_base] = { do_set_segment_base, false },
    [__HYPERVISOR_mmuext_op]        = { do_mmuext_op, false },
    [__HYPERVISOR_sched_op]         = { do_sched_op, false },
    [__HYPERVISOR_callback_op]      = { do_callback_op, false },
    [__HYPERVISOR_event_channel_op] = { do_event_channel_op, false },
    [__HYPERVISOR_sysctl]           = { do_sysctl, true },
    [__HYPERVISOR_domctl]           = { do_domctl, true },
    [__HYPERVISOR_physdev_op]       = { do_physdev_op, false },
    [__HYPERVISOR_xenpmu_op]        = { do_xenpmu_op, false },
};

/*
 * Preemption: a long batch stops between two items when a softirq
 * (a timer, a reschedule) is pending, an event waits for the guest or
 * the call has run for a millisecond, and is re-entered later
 * through a continuation (the guest re-executes its SYSCALL with the
 * arguments we leave in its registers). Inside a multicall there is no
 * way to resume in the middle, so batches there run to the end.
 */
static struct
{
    uint64_t start_tsc;
    bool in_multicall;
    bool continued;
} hc;

bool hypercall_preempt_check(void)
{
    const struct vcpu_info *vi = current->vcpu_info;

    if ( hc.in_multicall )
        return false;
    /* tsc_khz() cycles make a millisecond. */
    return softirq_pending() || rdtsc() - hc.start_tsc > tsc_khz() ||
           (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask);
}

long hypercall_create_continuation(unsigned long nr, unsigned long a0,
                                   unsigned long a1, unsigned long a2,
                                   unsigned long a3)
{
    struct cpu_regs *regs = guest_cpu_regs();

    regs->rip -= 2;                 /* back onto the SYSCALL */
    regs->rax = nr;
    regs->rdi = a0;
    regs->rsi = a1;
    regs->rdx = a2;
    regs->r10 = a3;
    hc.continued = true;
    return nr;
}

long hypercall_dispatch_one(unsigned long nr, const unsigned long a[5],
                            bool in_multicall)
{
    const struct hypercall_entry *e;
    long rc;

    if ( nr >= ARRAY_SIZE(table) || !table[nr].fn )
        return -ENOSYS;
    e = &table[nr];
    if ( e->privileged && !current->domain->is_privileged )
        return -EPERM;
    /* These change the vCPU's frame or flow: never inside a batch. */
    if ( in_multicall && (nr == __HYPERVISOR_iret ||
                          nr == __HYPERVISOR_multicall) )
        return -EINVAL;
    hc.in_multicall = in_multicall;
    rc = e->fn(a[0], a[1], a[2], a[3], a[4]);
    hc.in_multicall = false;
    return rc;
}

/*
 * The debug trace of failing hypercalls folds runs of the same failure
 * (domain, number, first argument, result): Linux asks VCPUOP_is_up for
 * each of its 8192 possible CPUs, 8191 lines per boot through a UART
 * that costs an exit per byte under emulation. The first of a run is
 * printed, then how many followed, when a different failure comes. One
 * record for the machine: with several CPUs, one per CPU.
 */
static struct
{
    domid_t dom;
    unsigned long nr, arg0, repeats;
    long rc;
} last_failure = { .dom = DOMID_INVALID };

static void trace_failure(unsigned long nr, const unsigned long a[5], long rc)
{
    domid_t dom = current->domain->domain_id;

    if ( dom == last_failure.dom && nr == last_failure.nr &&
         a[0] == last_failure.arg0 && rc == last_failure.rc )
    {
        last_failure.repeats++;
        return;
    }
    if ( last_failure.repeats )
        printk(LOG_DEBUG "d%u hypercall %lu(%lx, ...) = %ld: %lu more\n",
               last_failure.dom, last_failure.nr, last_failure.arg0,
               last_failure.rc, last_failure.repeats);
    printk(LOG_DEBUG "d%u hypercall %lu(%lx, %lx, %lx, %lx, %lx) = %ld\n",
           dom, nr, a[0], a[1], a[2], a[3], a[4], rc);
    last_failure.dom = dom;
    last_failure.nr = nr;
    last_failure.arg0 = a[0];
    last_failure.rc = rc;
    last_failure.repeats = 0;
}

void do_hypercall(struct cpu_regs *regs)
{
    unsigned long nr = regs->rax;
    unsigned long args[5] = { regs->rdi, regs->rsi, regs->rdx, regs->r10,
                              regs->r8 };
    long rc;

    if ( IS_ENABLED(CONFIG_DEBUG) && nr == HYPERCALL_NULL )
    {
        regs->rax = 0;
        return;
    }
    hc.start_tsc = rdtsc();
    rc = hypercall_dispatch_one(nr, args, false);
    if ( hc.continued )
    {
        hc.continued = false;       /* RAX already holds the number */
        return;
    }
    regs->rax = rc;
    /* iret's "result" is the guest's own RAX: not an error to trace. */
    if ( IS_ENABLED(CONFIG_DEBUG) && rc < 0 && nr != __HYPERVISOR_iret )
        trace_failure(nr, args, rc);
}

/*
 * The legacy hypercall page: 128 stubs of 32 bytes. Stub i saves RCX and
 * R11 (SYSCALL clobbers them), loads i into EAX and enters us; the iret
 * stub also pushes RAX to complete struct iret_context and never returns.
 */
void pv_fill_hypercall_page(void *page)
{
    uint8_t *p = page;

    memset(page, 0xcc, PAGE_SIZE);                 /* int3 padding */
    for ( unsigned int i = 0; i < 128; i++, p += 32 )
    {
        unsigned int n = 0;

        p[n++] = 0x51;                             /* push %rcx */
        p[n++] = 0x41; p[n++] = 0x53;              /* push %r11 */
        if ( i == __HYPERVISOR_iret )
            p[n++] = 0x50;                         /* push %rax */
        p[n++] = 0xb8;                             /* mov $i, %eax */
        p[n++] = i; p[n++] = 0; p[n++] = 0; p[n++] = 0;
        p[n++] = 0x0f; p[n++] = 0x05;              /* syscall */
        if ( i == __HYPERVISOR_iret )
            continue;
        p[n++] = 0x41; p[n++] = 0x5b;              /* pop %r11 */
        p[n++] = 0x59;                             /* pop %rcx */
        p[n++] = 0xc3;                             /* ret */
    }
}
