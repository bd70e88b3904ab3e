/*
 * set_trap_table: valid tables, bad pointers, bad handler addresses,
 * clearing, and what delivery through an entry looks like.
 *
 * Expected behaviour is Xen 4.17's do_set_trap_table()
 * (xen/arch/x86/pv/callback.c):
 *   - a NULL handle clears all 256 entries and returns 0;
 *   - entries are read one by one until address == 0; each is installed
 *     as soon as it has been checked, so a later bad entry leaves the
 *     earlier ones in place;
 *   - a faulting read -> -EFAULT;
 *   - a non-canonical handler -> -EINVAL;
 *   - a canonical handler inside the hypervisor range is NOT rejected.
 * Delivery (xen/arch/x86/x86_64/entry.S create_bounce_frame,
 * xen/arch/x86/traps.c do_general_protection): `int $n` reaches entry n
 * only if its DPL is 3, else #GP with error code (n << 3) | 2; the frame's
 * CS slot has RPL 0 in kernel context and the saved event mask in bits
 * 32-39; flags bit 2 (TI_IF) masks events on delivery.
 */
#include "test.h"

const char test_title[] = "set_trap_table";

#define V_A 0x90
#define V_B 0x91
#define V_C 0x92

static long stt(uint64_t table)
{
    return hypercall1(__HYPERVISOR_set_trap_table, table);
}

static void set_entry(struct trap_info *ti, unsigned int v,
                      unsigned int flags, uint64_t address)
{
    ti->vector = v;
    ti->flags = flags;
    ti->cs = FLAT_KERNEL_CS;
    ti->address = address;
}

/* `int $v` reaches vector v (true) or raises #GP for it (false). */
static bool int_delivered(unsigned int v)
{
    const struct trap_record *t;

    trap_expect(v);
    switch ( v )
    {
    case V_A: asm volatile ( TRAP_ASM_BEGIN "int $0x90" TRAP_ASM_END
                             : TRAP_ASM_OUTPUTS :: "memory" ); break;
    case V_B: asm volatile ( TRAP_ASM_BEGIN "int $0x91" TRAP_ASM_END
                             : TRAP_ASM_OUTPUTS :: "memory" ); break;
    case V_C: asm volatile ( TRAP_ASM_BEGIN "int $0x92" TRAP_ASM_END
                             : TRAP_ASM_OUTPUTS :: "memory" ); break;
    }
    t = trap_done();
    if ( t )
    {
        if ( t->rip != trap_expect_resume )
            test_fail("int $%#x delivered with RIP %#lx, expected %#lx",
                      v, t->rip, trap_expect_resume);
        return true;
    }
    test_fail("int $%#x: not delivered", v);
    return false;
}

static bool int_gp(unsigned int v)
{
    const struct trap_record *t;

    trap_expect(X86_EXC_GP);
    switch ( v )
    {
    case V_A: asm volatile ( TRAP_ASM_BEGIN "int $0x90" TRAP_ASM_END
                             : TRAP_ASM_OUTPUTS :: "memory" ); break;
    case V_B: asm volatile ( TRAP_ASM_BEGIN "int $0x91" TRAP_ASM_END
                             : TRAP_ASM_OUTPUTS :: "memory" ); break;
    case V_C: asm volatile ( TRAP_ASM_BEGIN "int $0x92" TRAP_ASM_END
                             : TRAP_ASM_OUTPUTS :: "memory" ); break;
    }
    t = trap_done();
    if ( !t )
    {
        test_fail("int $%#x: no #GP", v);
        return false;
    }
    if ( t->error_code != GP_EC_IDT(v) || t->rip != trap_expect_insn )
        test_fail("int $%#x: #GP ec %#lx rip %#lx, expected ec %#x rip %#lx",
                  v, t->error_code, t->rip, GP_EC_IDT(v), trap_expect_insn);
    return true;
}

static void test_valid(void)
{
    static struct trap_info table[3];

    set_entry(&table[0], V_A, 3, trap_stub(V_A));
    set_entry(&table[1], V_B, 0, trap_stub(V_B));
    memset(&table[2], 0, sizeof(table[2]));
    if ( !CHECK_RC(stt(GADDR(table)), 0) )
        return;

    int_delivered(V_A);
    int_gp(V_B);            /* DPL 0: `int` from the guest kernel faults */

    /* Replacing one entry leaves the others alone. */
    CHECK_RC(trap_set_entry(V_B, 3), 0);
    int_delivered(V_B);
    int_delivered(V_A);

    /* The frame: kernel CS with RPL 0, saved event mask in bits 32-39. */
    trap_expect(V_A);
    asm volatile ( TRAP_ASM_BEGIN "int $0x90" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS :: "memory" );
    {
        const struct trap_record *t = trap_done();

        if ( t && (t->cs & 0xffff) != (FLAT_KERNEL_CS & ~3) )
            test_fail("frame CS %#lx, expected selector %#x", t->cs,
                      FLAT_KERNEL_CS & ~3);
        if ( t && ((t->cs >> 32) & 0xff) != 1 )
            test_fail("frame CS %#lx: saved mask should be 1 (masked)",
                      t->cs);
        if ( t && (t->ss & 0xffff) != FLAT_KERNEL_SS )
            test_fail("frame SS %#lx, expected %#x", t->ss, FLAT_KERNEL_SS);
    }
}

static void test_bad_pointer(void)
{
    CHECK_RC(stt(BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(stt(BAD_HYPERVISOR), -XEN_EFAULT);
    CHECK_RC(stt(BAD_UNMAPPED), -XEN_EFAULT);
}

static void test_bad_handler(void)
{
    static struct trap_info table[3];

    /* V_C goes in before the non-canonical V_B entry is refused. */
    CHECK_RC(trap_set_entry(V_B, 0), 0);
    set_entry(&table[0], V_C, 3, trap_stub(V_C));
    set_entry(&table[1], V_B, 3, 0x0000800000000000ULL);
    memset(&table[2], 0, sizeof(table[2]));
    CHECK_RC(stt(GADDR(table)), -XEN_EINVAL);
    int_delivered(V_C);
    int_gp(V_B);            /* unchanged: still DPL 0 */

    set_entry(&table[0], V_B, 3, 0xfffe000000000000ULL);
    memset(&table[1], 0, sizeof(table[1]));
    CHECK_RC(stt(GADDR(table)), -XEN_EINVAL);

    /* Canonical but inside the hypervisor's range: Xen accepts it. */
    set_entry(&table[0], V_B, 0, HYPERVISOR_VIRT_START + 0x1000);
    CHECK_RC(stt(GADDR(table)), 0);
    set_entry(&table[0], V_B, 0, HYPERVISOR_VIRT_END - 8);
    CHECK_RC(stt(GADDR(table)), 0);
    CHECK_RC(trap_set_entry(V_B, 0), 0);
}

static void test_terminator(void)
{
    static struct trap_info table[3];

    /* An address of 0 ends the list: the entry after it is ignored. */
    CHECK_RC(stt(0), 0);
    if ( !CHECK_RC(traps_install_boot_table(), 0) )
        return;
    set_entry(&table[0], V_A, 3, 0);
    set_entry(&table[1], V_C, 3, trap_stub(V_C));
    memset(&table[2], 0, sizeof(table[2]));
    CHECK_RC(stt(GADDR(table)), 0);
    int_gp(V_C);
}

static void test_clear(void)
{
    /* NULL clears every entry; put the boot table back straight after. */
    CHECK_RC(trap_set_entry(V_A, 3), 0);
    CHECK_RC(stt(0), 0);
    if ( !CHECK_RC(traps_install_boot_table(), 0) )
        return;
    int_gp(V_A);
}

/* flags bit 2: events masked on entry, restored by the iret. */
static void test_interrupt_gate(void)
{
    struct vcpu_info *vi;
    const struct trap_record *t;

    if ( !map_shared_info() )
        return;
    vi = vcpu0_info();
    CHECK_RC(trap_set_entry(V_A, 3 | TI_IF), 0);

    vi->evtchn_upcall_pending = 0;
    vi->evtchn_upcall_mask = 0;
    trap_expect(V_A);
    asm volatile ( TRAP_ASM_BEGIN "int $0x90" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS :: "memory" );
    t = trap_done();
    vi->evtchn_upcall_mask = 1;

    if ( !t )
        test_fail("int $0x90 with TI_IF not delivered");
    else
    {
        if ( t->upcall_mask != 1 )
            test_fail("TI_IF entry: mask in handler %d, expected 1",
                      t->upcall_mask);
        if ( (t->cs >> 32) & 0xff )
            test_fail("TI_IF entry: saved mask %lu, expected 0",
                      (t->cs >> 32) & 0xff);
        if ( !(t->rflags & X86_EFLAGS_IF) )
            test_fail("frame RFLAGS %#lx: IF should mirror unmasked events",
                      t->rflags);
    }

    CHECK_RC(trap_set_entry(V_A, 3), 0);
    vi->evtchn_upcall_mask = 0;
    trap_expect(V_A);
    asm volatile ( TRAP_ASM_BEGIN "int $0x90" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS :: "memory" );
    t = trap_done();
    vi->evtchn_upcall_mask = 1;
    if ( t && t->upcall_mask != 0 )
        test_fail("entry without TI_IF: mask in handler %d, expected 0",
                  t->upcall_mask);
}

void test_main(void)
{
    test_valid();
    test_bad_pointer();
    test_bad_handler();
    test_terminator();
    test_clear();
    test_interrupt_gate();
    test_success();
}
