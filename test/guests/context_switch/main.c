/*
 * Per-vCPU hardware state survives being switched out.
 *
 * dom0 and d1 each put their own values in the state a PV context switch
 * must save and restore: FS base (checked through a %fs-relative load,
 * so the hardware base is what is tested), XMM0, the x87 control word,
 * the general registers around the switch, and, in dom0 only, the guest's
 * virtual CR0.TS (fpu_taskswitch). Then they play ping-pong: every round
 * blocks one domain and runs the other, which overwrites the same
 * registers with its own values. After each round both check theirs.
 */
#include "test.h"

const char test_title[] = "context_switch";

#define ROUNDS 100
#define WAIT (5000 * MS)

static uint64_t fs_target;

static uint64_t read_fs0(void)
{
    uint64_t v;

    asm volatile ( "mov %%fs:0, %0" : "=r" (v) );
    return v;
}

static void set_xmm0(uint64_t v)
{
    asm volatile ( "movq %0, %%xmm0" :: "r" (v) );
}

static uint64_t get_xmm0(void)
{
    uint64_t v;

    asm volatile ( "movq %%xmm0, %0" : "=r" (v) );
    return v;
}

static void set_fcw(uint16_t cw)
{
    asm volatile ( "fldcw %0" :: "m" (cw) );
}

static uint16_t get_fcw(void)
{
    uint16_t cw;

    asm volatile ( "fnstcw %0" : "=m" (cw) );
    return cw;
}

static bool check_state(unsigned int round, uint64_t mine, uint16_t fcw)
{
    if ( read_fs0() != mine )
        test_fail("round %u: %%fs:0 reads %#lx, expected %#lx", round,
                  read_fs0(), mine);
    else if ( get_xmm0() != mine )
        test_fail("round %u: xmm0 %#lx, expected %#lx", round, get_xmm0(),
                  mine);
    else if ( get_fcw() != fcw )
        test_fail("round %u: x87 control word %#x, expected %#x", round,
                  get_fcw(), fcw);
    else
        return true;
    return false;
}

/* Both sides: `port` is the game channel, `first` whether we serve. */
static void play(uint32_t port, bool first)
{
    uint64_t mine = 0x1111111111111111ULL * (my_domid + 1);
    uint16_t fcw = my_domid ? 0x027f : 0x037f;
    uint64_t r12 = mine ^ 0x5a5a;

    fs_target = mine;
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_FS, GADDR(&fs_target)), 0);
    set_xmm0(mine);
    set_fcw(fcw);
    for ( unsigned int i = 0; i < ROUNDS; i++ )
    {
        if ( first || i )
            CHECK_RC(evtchn_send(port), 0);
        if ( !wait_port(port, WAIT) )
            return test_fail("round %u: no answer", i);
        if ( !check_state(i, mine, fcw) )
            return;
        asm volatile ( "" : "+r" (r12) );
    }
    if ( !first )
        CHECK_RC(evtchn_send(port), 0);
    if ( r12 != (mine ^ 0x5a5a) )
        test_fail("a callee-saved register changed across rounds");
}

static void dom0_main(void)
{
    long port = evtchn_alloc_unbound(DOMID_SELF, 1);
    const struct trap_record *t;

    if ( port <= 0 )
        return test_error("alloc_unbound: %ld", port);
    if ( !wait_port(port, WAIT) )
        return test_fail("d1 never bound");
    play(port, true);
    /* Virtual TS survives the switches too. */
    CHECK_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    CHECK_RC(evtchn_send(port), 0);
    if ( !wait_port(port, WAIT) )
        return test_fail("no answer with TS set");
    t = expect_trap_insn(X86_EXC_NM, "fnop");
    if ( !t )
        test_fail("virtual CR0.TS lost across a switch: no #NM");
    if ( !multi_wait_done(1, WAIT) )
        return test_fail("d1 did not finish");
    test_success();
}

static void worker_main(void)
{
    long port = evtchn_bind_retry(0, nr_domus + 1, 1000);

    if ( port < 0 )
        return test_error("bind: %ld", port);
    CHECK_RC(evtchn_send(port), 0);     /* tell dom0 we are bound */
    play(port, false);
    /* dom0 set its TS: ours must stay clear. */
    if ( !wait_port(port, WAIT) )
        return test_fail("no final ping");
    set_xmm0(1);
    CHECK_RC(evtchn_send(port), 0);
    test_success();
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid == 0 )
        dom0_main();
    else
        worker_main();
}
