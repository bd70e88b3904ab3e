/*
 * Trap table, expectations and the C side of every exception or callback.
 *
 * trap_dispatch() runs on the interrupted stack with the saved registers in
 * a struct cpu_regs it may edit.  Order of handling: callbacks first (they
 * are not exceptions), then a per-vector hook, then the one armed
 * expectation; anything left is an unexpected trap and ends the test.
 */
#include "test.h"

#define STUB_SIZE 16

extern const char trap_stubs[];

uint64_t trap_expect_insn;
uint64_t trap_expect_resume;

volatile unsigned int events_seen;
volatile unsigned int events_alt;
volatile int event_saved_mask = -1;
void (*event_hook)(void);
void (*event_frame_hook)(struct cpu_regs *regs);

static struct {
    bool armed;
    bool seen;
    unsigned int vector;
    struct trap_record rec;
} expectation;

static trap_hook_t hooks[256];
static trap_hook_t syscall_hook;

static const char *const vector_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#09", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

static const char *vector_name(unsigned int v)
{
    if ( v < 32 && vector_names[v] )
        return vector_names[v];
    return "int";
}

uint64_t trap_stub(unsigned int vector)
{
    return (uint64_t)(uintptr_t)trap_stubs + (uint64_t)vector * STUB_SIZE;
}

static void fill_trap_info(struct trap_info *ti, unsigned int vector,
                           unsigned int flags)
{
    ti->vector = vector;
    ti->flags = flags;
    ti->cs = FLAT_KERNEL_CS;
    ti->address = trap_stub(vector);
}

long traps_install_boot_table(void)
{
    static struct trap_info table[NR_BOOT_VECTORS + 1];
    unsigned int v;

    for ( v = 0; v < NR_BOOT_VECTORS; v++ )
    {
        /* As on hardware, int3 and into may be used from any ring. */
        unsigned int dpl = (v == X86_EXC_BP || v == X86_EXC_OF) ? 3 : 0;

        fill_trap_info(&table[v], v, dpl);
    }
    memset(&table[NR_BOOT_VECTORS], 0, sizeof(table[0]));

    return HYPERVISOR_set_trap_table(table);
}

long trap_set_entry(unsigned int vector, unsigned int flags)
{
    struct trap_info table[2];

    fill_trap_info(&table[0], vector, flags);
    memset(&table[1], 0, sizeof(table[1]));

    return HYPERVISOR_set_trap_table(table);
}

void trap_set_hook(unsigned int vector, trap_hook_t hook)
{
    hooks[vector & 0xff] = hook;
}

long callbacks_register_boot(void)
{
    struct callback_register cb = { .flags = CALLBACKF_mask_events };
    long rc;

    cb.type = CALLBACKTYPE_event;
    cb.address = (uint64_t)(uintptr_t)event_callback_entry;
    if ( (rc = HYPERVISOR_callback_op(CALLBACKOP_register, &cb)) )
        return rc;

    cb.type = CALLBACKTYPE_failsafe;
    cb.address = (uint64_t)(uintptr_t)failsafe_callback_entry;
    if ( (rc = HYPERVISOR_callback_op(CALLBACKOP_register, &cb)) )
        return rc;

    cb.type = CALLBACKTYPE_syscall;
    cb.address = (uint64_t)(uintptr_t)syscall_callback_entry;
    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

void trap_expect(unsigned int vector)
{
    memset(&expectation.rec, 0, sizeof(expectation.rec));
    expectation.vector = vector;
    expectation.seen = false;
    trap_expect_insn = 0;
    trap_expect_resume = 0;
    expectation.armed = true;
}

const struct trap_record *trap_done(void)
{
    expectation.armed = false;
    return expectation.seen ? &expectation.rec : NULL;
}

static void record_trap(const struct cpu_regs *regs)
{
    struct trap_record *rec = &expectation.rec;

    rec->vector = regs->vector;
    rec->error_code = regs->error_code;
    rec->rip = regs->rip;
    rec->cs = regs->cs;
    rec->rflags = regs->rflags;
    rec->rsp = regs->rsp;
    rec->ss = regs->ss;
    rec->cr2 = shared_info ? shared_info->vcpu_info[0].arch.cr2 : 0;
    rec->upcall_mask =
        shared_info ? shared_info->vcpu_info[0].evtchn_upcall_mask : -1;
}

static void handle_event(struct cpu_regs *regs)
{
    events_seen++;
    if ( regs->vector == VEC_EVENT_ALT )
        events_alt++;
    event_saved_mask = (regs->cs >> 32) & 0xff;

    if ( shared_info )
        shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
    if ( event_frame_hook )
        event_frame_hook(regs);
    /*
     * With a dispatcher installed (events_enable) return with events
     * enabled, as Linux does; otherwise with IF clear, so that
     * HYPERVISOR_iret leaves events masked.
     */
    if ( event_hook )
        event_hook();
    else
        regs->rflags &= ~X86_EFLAGS_IF;
}

static void __noreturn unexpected(const struct cpu_regs *regs)
{
    test_error("unexpected %s (vector %lu) error code %#lx at RIP %#lx",
               vector_name(regs->vector), regs->vector, regs->error_code,
               regs->rip);
    printk("  cs %#lx rflags %#lx rsp %#lx ss %#lx\n",
           regs->cs, regs->rflags, regs->rsp, regs->ss);
    printk("  rax %#lx rbx %#lx rcx %#lx rdx %#lx\n",
           regs->rax, regs->rbx, regs->rcx, regs->rdx);
    printk("  rsi %#lx rdi %#lx rbp %#lx\n", regs->rsi, regs->rdi, regs->rbp);
    if ( regs->vector == X86_EXC_PF && shared_info )
        printk("  cr2 %#lx\n", shared_info->vcpu_info[0].arch.cr2);
    test_finish();
}

void trap_set_syscall_hook(trap_hook_t hook)
{
    syscall_hook = hook;
}

void trap_dispatch(struct cpu_regs *regs);
void trap_dispatch(struct cpu_regs *regs)
{
    if ( regs->vector == VEC_EVENT || regs->vector == VEC_EVENT_ALT )
    {
        handle_event(regs);
        return;
    }

    if ( regs->vector == VEC_SYSCALL )
    {
        if ( syscall_hook && syscall_hook(regs) )
            return;
        test_error("syscall callback entered from guest user mode");
        test_finish();
    }

    if ( hooks[regs->vector & 0xff] && hooks[regs->vector & 0xff](regs) )
        return;

    if ( !expectation.armed || expectation.vector != regs->vector )
        unexpected(regs);

    record_trap(regs);
    expectation.seen = true;
    expectation.armed = false;

    if ( trap_expect_resume )
        regs->rip = trap_expect_resume;
    /* A single-step trap would recur on every instruction otherwise. */
    if ( regs->vector == X86_EXC_DB )
        regs->rflags &= ~X86_EFLAGS_TF;
}

void failsafe_dispatch(const uint64_t *frame);
void failsafe_dispatch(const uint64_t *frame)
{
    test_error("failsafe callback: ds %#lx es %#lx fs %#lx gs %#lx "
               "rip %#lx cs %#lx", frame[2], frame[3], frame[4], frame[5],
               frame[6], frame[7]);
    test_finish();
}

void traps_init(void)
{
    long rc = traps_install_boot_table();

    if ( rc )
    {
        test_error("set_trap_table at boot failed: %ld (%s)",
                   rc, xen_errno_name(rc));
        test_finish();
    }

    rc = callbacks_register_boot();
    if ( rc )
        printk("runtime: warning: callback_op register failed: %ld (%s)\n",
               rc, xen_errno_name(rc));
}
