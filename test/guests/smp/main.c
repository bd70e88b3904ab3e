/*
 * Several vCPUs in one domain (booted with dom0_max_vcpus=3).
 *
 * vCPU 0 gives vCPUs 1 and 2 their own stacks and event callbacks with
 * VCPUOP_initialise and brings them up; each then serves commands that
 * vCPU 0 posts in a mailbox and signals over an IPI port, and answers
 * over another IPI port bound to vCPU 0. Xen 4.17's rules (common_vcpu_op
 * and default_initialise_vcpu in xen/common/domain.c, arch_set_info_guest
 * in xen/arch/x86/domain.c, evtchn_bind_ipi/evtchn_bind_vcpu in
 * xen/common/event_channel.c, map_vcpu_info):
 *   - a vCPU id beyond max_vcpus answers -ENOENT for every command;
 *   - vCPUs beyond 0 exist down: is_up 0, up without a context -EINVAL;
 *   - initialise: unreadable context -EFAULT, a second one -EEXIST,
 *     non-canonical RIP, no usable L4, too many GDT entries, a misaligned
 *     LDT base, user mode without a user L4: -EINVAL (and the vCPU stays
 *     without a context);
 *   - register_vcpu_info for another vCPU only while it is down;
 *   - IPIs and VIRQ_TIMER reach the bound vCPU's vcpu_info and wake it;
 *     bind_vcpu moves an interdomain port (not an IPI or per-vCPU VIRQ
 *     port: -EINVAL; a missing vCPU: -ENOENT);
 *   - a vCPU that downs itself stops until VCPUOP_up, then returns 0
 *     from the down; SCHEDOP_poll on another vCPU is woken by a send;
 *   - MMUEXT_TLB_FLUSH_MULTI / INVLPG_MULTI read the vCPU mask (-EINVAL
 *     for an unreadable one).
 * Also: a 4-vCPU domain made with domctl create shows its vCPUs down in
 * getvcpuinfo and gives back every frame when destroyed.
 */
#include "test.h"
#include <public/arch-x86_64.h>

const char test_title[] = "smp";

#define NR_VCPUS 3
#define AP_STACK_SIZE 8192
#define NR_TRACKED_PORTS 64
#define SECOND 1000000000ULL

enum { CMD_NONE, CMD_PING, CMD_TIMER, CMD_DOWN, CMD_POLL };

struct mailbox
{
    volatile unsigned int cmd;
    volatile long result;
};

static uint8_t ap_stacks[NR_VCPUS][AP_STACK_SIZE] __aligned(AP_STACK_SIZE);
static uint8_t vi_page[PAGE_SIZE] __page_aligned_bss;
static struct mailbox mbox[NR_VCPUS];
static struct vcpu_info *volatile ap_vi[NR_VCPUS];
static volatile unsigned int ap_started[NR_VCPUS];
static volatile unsigned int ap_hits[NR_VCPUS][NR_TRACKED_PORTS];
static volatile uint8_t port_owner[NR_TRACKED_PORTS];
static uint32_t ipi_port[NR_VCPUS], reply_port[NR_VCPUS];
static uint32_t timer_port[NR_VCPUS], poll_port[NR_VCPUS];
static struct vcpu_guest_context ctx;

void ap_event_callback(void);
void ap_upcall(uint64_t sp);
void ap_main(unsigned int id);
extern char hypercall_iret_frame[];

/* Xen's bounce frame: RCX, R11, then RIP..SS for HYPERVISOR_iret. */
asm ( ".text\n"
      ".globl ap_event_callback\n"
      "ap_event_callback:\n"
      "    pop %rcx\n pop %r11\n"
      "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
      "    push %r8\n push %r9\n push %r10\n push %r11\n"
      "    mov %rsp, %rdi\n"
      "    call ap_upcall\n"
      "    pop %r11\n pop %r10\n pop %r9\n pop %r8\n pop %rdi\n"
      "    pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
      "    jmp hypercall_iret_frame\n" );

/* Count the events of this vCPU's own ports, clearing them. */
void ap_upcall(uint64_t sp)
{
    unsigned int id = (sp - (uint64_t)ap_stacks) / AP_STACK_SIZE;
    struct vcpu_info *vi = ap_vi[id];
    uint64_t sel;

    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    if ( !(sel & 1) )
        return;                 /* our ports all live in word 0 */
    for ( uint32_t p = 1; p < NR_TRACKED_PORTS; p++ )
        if ( port_owner[p] == id && evtchn_pending(p) &&
             !(shared_info->evtchn_mask[0] & (1UL << p)) &&
             evtchn_test_and_clear(p) )
            ap_hits[id][p]++;
}

static void ap_timer(unsigned int id)
{
    struct vcpu_set_singleshot_timer ss = {
        .timeout_abs_ns = system_time() + 2 * MS };
    unsigned int before = ap_hits[id][timer_port[id]];
    uint64_t end = system_time() + SECOND;

    mbox[id].result = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, id,
                                         &ss);
    while ( ap_hits[id][timer_port[id]] == before && system_time() < end )
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    if ( ap_hits[id][timer_port[id]] == before )
        mbox[id].result = -1;
}

static void ap_poll(unsigned int id)
{
    struct sched_poll p = { .ports = GADDR(&poll_port[id]), .nr_ports = 1 };

    mbox[id].result = HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

void ap_main(unsigned int id)
{
    ap_started[id]++;
    for ( ;; )
    {
        unsigned int cmd = mbox[id].cmd;

        if ( cmd == CMD_NONE )
        {
            HYPERVISOR_sched_op(SCHEDOP_block, NULL);
            continue;
        }
        mbox[id].cmd = CMD_NONE;
        if ( cmd == CMD_TIMER )
            ap_timer(id);
        else if ( cmd == CMD_DOWN )
            mbox[id].result = HYPERVISOR_vcpu_op(VCPUOP_down, id, NULL);
        else if ( cmd == CMD_POLL )
            ap_poll(id);
        else
            mbox[id].result = 0;
        evtchn_send(reply_port[id]);
    }
}

static void base_context(unsigned int id)
{
    memset(&ctx, 0, sizeof(ctx));
    ctx.flags = VGCF_in_kernel;
    ctx.user_regs.rip = (uint64_t)ap_main;
    ctx.user_regs.rdi = id;
    ctx.user_regs.rsp = (uint64_t)ap_stacks[id + 1] - 8;
    ctx.user_regs.cs = FLAT_KERNEL_CS;
    ctx.user_regs.ss = FLAT_KERNEL_SS;
    ctx.user_regs.rflags = 0x200;
    ctx.kernel_ss = FLAT_KERNEL_SS;
    ctx.kernel_sp = ctx.user_regs.rsp;
    ctx.ctrlreg[3] = virt_to_mfn((void *)start_info->pt_base) << 12;
    ctx.event_callback_eip = (uint64_t)ap_event_callback;
    ctx.failsafe_callback_eip = (uint64_t)failsafe_callback_entry;
}

static long initialise(unsigned int id)
{
    return HYPERVISOR_vcpu_op(VCPUOP_initialise, id, &ctx);
}

/* Each broken context is refused and leaves the vCPU without one. */
static void hostile_contexts(unsigned int id)
{
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_initialise, id, (void *)BAD_UNMAPPED),
             -XEN_EFAULT);
    base_context(id);
    ctx.user_regs.rip = BAD_NONCANONICAL;
    CHECK_RC(initialise(id), -XEN_EINVAL);
    base_context(id);
    ctx.event_callback_eip = BAD_NONCANONICAL;
    CHECK_RC(initialise(id), -XEN_EINVAL);
    base_context(id);
    ctx.ctrlreg[3] = 0;
    CHECK_RC(initialise(id), -XEN_EINVAL);
    base_context(id);
    ctx.ctrlreg[3] = virt_to_mfn(vi_page) << 12;    /* not a page table */
    CHECK_RC(initialise(id), -XEN_EINVAL);
    base_context(id);
    ctx.gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
    CHECK_RC(initialise(id), -XEN_EINVAL);
    base_context(id);
    ctx.ldt_base = 0x1234;
    CHECK_RC(initialise(id), -XEN_EINVAL);
    base_context(id);
    ctx.flags = 0;                  /* user mode, but no user L4 */
    CHECK_RC(initialise(id), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 0);
}

static bool wait_reply(unsigned int id, const char *what)
{
    if ( wait_port(reply_port[id], SECOND) )
        return true;
    test_fail("vCPU %u: no answer to %s", id, what);
    return false;
}

static long command(unsigned int id, unsigned int cmd, const char *what)
{
    mbox[id].result = -999;
    mbox[id].cmd = cmd;
    CHECK_RC(evtchn_send(ipi_port[id]), 0);
    return wait_reply(id, what) ? mbox[id].result : -999;
}

static uint32_t own_port(long port, unsigned int id)
{
    if ( port <= 0 || port >= NR_TRACKED_PORTS )
    {
        test_error("binding a port for vCPU %u: %ld", id, port);
        test_finish();
    }
    port_owner[port] = id;
    return port;
}

static void bind_ports(unsigned int id)
{
    ipi_port[id] = own_port(evtchn_bind_ipi(id), id);
    poll_port[id] = own_port(evtchn_bind_ipi(id), id);
    timer_port[id] = own_port(evtchn_bind_virq(VIRQ_TIMER, id), id);
    reply_port[id] = own_port(evtchn_bind_ipi(0), 0);
}

static void register_info(unsigned int id)
{
    struct vcpu_register_vcpu_info r = {
        .mfn = virt_to_mfn(vi_page), .offset = id * 64 };

    /* vCPU 1 keeps its slot in shared_info, vCPU 2 moves to our page. */
    if ( id == 1 )
    {
        ap_vi[id] = &shared_info->vcpu_info[id];
        return;
    }
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, id, &r), 0);
    ap_vi[id] = (struct vcpu_info *)(vi_page + id * 64);
}

static void bring_up(unsigned int id)
{
    uint64_t end;

    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 0);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL), -XEN_EINVAL);
    bind_ports(id);
    register_info(id);
    hostile_contexts(id);
    base_context(id);
    CHECK_RC(initialise(id), 0);
    CHECK_RC(initialise(id), -XEN_EEXIST);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 0);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL), 0);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 1);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL), 0);   /* no-op */
    end = system_time() + SECOND;
    while ( !ap_started[id] && system_time() < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if ( ap_started[id] != 1 )
        test_fail("vCPU %u started %u times", id, ap_started[id]);
}

static void ipis_and_timers(unsigned int id)
{
    unsigned int ipis = ap_hits[id][ipi_port[id]];

    CHECK_RC(command(id, CMD_PING, "ping"), 0);
    if ( ap_hits[id][ipi_port[id]] <= ipis )
        test_fail("vCPU %u: its IPI never reached its callback", id);
    CHECK_RC(command(id, CMD_TIMER, "timer"), 0);
}

static unsigned int runstate_of(unsigned int id)
{
    struct vcpu_runstate_info r;

    if ( HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, id, &r) )
        return ~0u;
    return r.state;
}

/* Yield until `id` reaches `state` (or a second passes). */
static bool wait_state(unsigned int id, unsigned int state)
{
    uint64_t end = system_time() + SECOND;

    while ( runstate_of(id) != state && system_time() < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return runstate_of(id) == state;
}

static void down_and_up(unsigned int id)
{
    unsigned int hits;

    mbox[id].result = -999;
    mbox[id].cmd = CMD_DOWN;
    CHECK_RC(evtchn_send(ipi_port[id]), 0);
    if ( !wait_state(id, RUNSTATE_offline) )
        test_fail("vCPU %u did not go offline: state %u", id,
                  runstate_of(id));
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 0);
    hits = ap_hits[id][ipi_port[id]];
    CHECK_RC(evtchn_send(ipi_port[id]), 0);
    for ( unsigned int i = 0; i < 20; i++ )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if ( ap_hits[id][ipi_port[id]] != hits )
        test_fail("vCPU %u ran its callback while down", id);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL), 0);
    if ( wait_reply(id, "down") )
        CHECK_RC(mbox[id].result, 0);
    if ( ap_hits[id][ipi_port[id]] == hits )
        test_fail("vCPU %u: the IPI sent while down was lost", id);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 1);
}

static void poll_across(unsigned int id)
{
    mbox[id].result = -999;
    mbox[id].cmd = CMD_POLL;
    CHECK_RC(evtchn_send(ipi_port[id]), 0);
    if ( !wait_state(id, RUNSTATE_blocked) )
        test_fail("vCPU %u is not blocked in its poll", id);
    if ( wait_port(reply_port[id], 5 * MS) )
        test_fail("vCPU %u's poll returned before its port was sent", id);
    CHECK_RC(evtchn_send(poll_port[id]), 0);
    if ( wait_reply(id, "poll") )
        CHECK_RC(mbox[id].result, 0);
}

static void move_port(void)
{
    long a = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF), b;
    uint64_t end;

    b = evtchn_bind_interdomain(DOMID_SELF, a);
    if ( a <= 0 || b <= 0 || a >= NR_TRACKED_PORTS )
    {
        test_error("loopback channel: %ld %ld", a, b);
        return;
    }
    evtchn_test_and_clear(a);           /* the bind's own event */
    port_owner[a] = 1;
    struct evtchn_bind_vcpu bv = { .port = a, .vcpu = 1 };
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv), 0);
    CHECK_RC(evtchn_send(b), 0);
    end = system_time() + SECOND;
    while ( !ap_hits[1][a] && system_time() < end )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if ( ap_hits[1][a] != 1 )
        test_fail("a port moved to vCPU 1 was seen %u times there",
                  ap_hits[1][a]);
    bv.vcpu = NR_VCPUS;
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
             -XEN_ENOENT);
    bv = (struct evtchn_bind_vcpu){ .port = ipi_port[1], .vcpu = 2 };
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
             -XEN_EINVAL);
    bv.port = timer_port[1];
    CHECK_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
             -XEN_EINVAL);
}

static void id_rules(void)
{
    struct vcpu_register_vcpu_info r = { .mfn = virt_to_mfn(vi_page),
                                         .offset = 512 };

    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, NR_VCPUS, NULL), -XEN_ENOENT);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_initialise, NR_VCPUS, &ctx),
             -XEN_ENOENT);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_up, 32, NULL), -XEN_ENOENT);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_down, 32, NULL), -XEN_ENOENT);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_initialise, 0, &ctx), -XEN_EEXIST);
    /* vCPU 1 is up now: only it may move its own vcpu_info. */
    CHECK_RC(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 1, &r),
             -XEN_EINVAL);
    CHECK_RC(evtchn_bind_ipi(NR_VCPUS), -XEN_ENOENT);
    CHECK_RC(evtchn_bind_virq(VIRQ_TIMER, NR_VCPUS), -XEN_ENOENT);
}

static void flush_multi(void)
{
    uint64_t mask = 0x6;
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_MULTI };
    unsigned int done = 0;

    op.arg2.vcpumask = GADDR(&mask);
    CHECK_RC(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
    op.cmd = MMUEXT_INVLPG_MULTI;
    op.arg1.linear_addr = (uint64_t)vi_page;
    CHECK_RC(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
    op.arg2.vcpumask = BAD_UNMAPPED;
    CHECK_RC(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), -XEN_EINVAL);
}

static void control_domain(void)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_create };
    struct mica_domaininfo info;
    uint64_t free_before = ctl_free_pages();
    domid_t d;

    op.u.create.max_vcpus = 4;
    op.u.create.max_memkb = 4096;
    if ( !CHECK_RC(domctl(&op), 0) )
        return;
    d = op.domain;
    CHECK_RC(ctl_getinfo(d, &info), 0);
    if ( info.max_vcpus != 4 || info.nr_online_vcpus != 0 )
        test_fail("new domain: max_vcpus %u online %u", info.max_vcpus,
                  info.nr_online_vcpus);
    for ( uint32_t i = 0; i <= 4; i++ )
    {
        struct mica_domctl q = { .cmd = MICA_DOMCTL_getvcpuinfo,
                                 .domain = d };

        q.u.vcpuinfo.vcpu = i;
        q.u.vcpuinfo.online = 0xff;
        CHECK_RC(domctl(&q), i < 4 ? 0 : -XEN_EINVAL);
        if ( i < 4 && q.u.vcpuinfo.online != 0 )
            test_fail("d%u vCPU %u online before any context", d, i);
    }
    op = (struct mica_domctl){ .cmd = MICA_DOMCTL_max_vcpus, .domain = d };
    op.u.max_vcpus.max = 4;
    CHECK_RC(domctl(&op), 0);
    op.u.max_vcpus.max = 3;
    CHECK_RC(domctl(&op), -XEN_EINVAL);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, d), 0);
    if ( ctl_free_pages() != free_before )
        test_fail("free frames %lu after destroy, %lu before",
                  (unsigned long)ctl_free_pages(),
                  (unsigned long)free_before);
}

void test_main(void)
{
    if ( !map_shared_info() )
        return;
    for ( unsigned int id = 1; id < NR_VCPUS; id++ )
        bring_up(id);
    id_rules();
    for ( unsigned int id = 1; id < NR_VCPUS; id++ )
        ipis_and_timers(id);
    down_and_up(1);
    poll_across(2);
    move_port();
    flush_multi();
    control_domain();
    test_success();
}
