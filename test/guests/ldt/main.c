/*
 * MMUEXT_SET_LDT with descriptors: the LDT is mapped on demand when the
 * CPU first reads it, its frames take the seg_desc type (so they cannot
 * be mapped writable while in use), and it is dropped when the guest
 * removes a mapping of a descriptor page or switches kernel page tables.
 * A page that cannot be mapped gives the guest a #PF at the descriptor's
 * address. Xen 4.17: do_mmuext_op MMUEXT_SET_LDT (xen/arch/x86/mm.c),
 * pv_map_ldt_shadow_page (pv/mm.c), handle_ldt_mapping_fault (traps.c),
 * put_page_from_l1e's "blow the entire shadow LDT" (mm.c).
 */
#include "test.h"
#include "events.h"

const char test_title[] = "ldt";

#define P  0x001ULL
#define RW 0x002ULL
#define A  0x020ULL
#define D  0x040ULL

#define FLAT_DATA   0x00cff3000000ffffULL   /* DPL 3, writable, present */
#define SEL(i)      (((i) << 3) | 4 | 3)    /* LDT selector, RPL 3 */

static uint64_t ldt[512] __page_aligned_bss;

static long set_ldt(uint64_t base, unsigned int ents)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT,
                            .arg1.linear_addr = base,
                            .arg2.nr_ents = ents };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long remap_ldt(uint64_t flags)
{
    return HYPERVISOR_update_va_mapping((uintptr_t)ldt,
                                        flags ? (virt_to_mfn(ldt) << 12) |
                                                flags : 0,
                                        UVMF_INVLPG | UVMF_LOCAL);
}

/*
 * Load sel into FS, expecting `vector` (or no trap if < 0); any other
 * trap ends the test as unexpected. The error code when one came.
 */
static bool load_fs(uint16_t sel, int vector, uint64_t *ec)
{
    const struct trap_record *t;

    if ( vector < 0 )
    {
        asm volatile ( "mov %w0, %%fs" :: "r" (sel) : "memory" );
        return true;
    }
    trap_expect(vector);
    asm volatile ( TRAP_ASM_BEGIN "mov %w[s], %%fs" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [s] "r" (sel) : "memory" );
    t = trap_done();
    if ( t )
        *ec = t->error_code;
    return t != NULL;
}

static uint16_t read_fs(void)
{
    uint16_t s;

    asm volatile ( "mov %%fs, %w0" : "=r" (s) );
    return s;
}

static void expect_load(const char *what, uint16_t sel, int vector,
                        uint64_t want_ec)
{
    uint64_t ec = 0;

    if ( !load_fs(sel, vector, &ec) )
        test_fail("%s: selector %#x did not raise %d", what, sel, vector);
    else if ( vector >= 0 && vector != X86_EXC_PF && ec != want_ec )
        test_fail("%s: selector %#x raised %d with ec %#lx, want %#lx",
                  what, sel, vector, ec, want_ec);
}

static void test_arguments(void)
{
    CHECK_RC(set_ldt((uintptr_t)ldt + 8, 4), -XEN_EINVAL);
    CHECK_RC(set_ldt((uintptr_t)ldt, 8193), -XEN_EINVAL);
    CHECK_RC(set_ldt(0xffff800000000000ULL, 4), -XEN_EINVAL);
    CHECK_RC(set_ldt(0x0000800000000000ULL, 4), -XEN_EINVAL);
    /* Only the base is checked, as in Xen: the end may be anything. */
    CHECK_RC(set_ldt(0x00007ffffffff000ULL, 8192), 0);
    CHECK_RC(set_ldt(0, 0), 0);
}

static void test_use(void)
{
    /* Descriptor 1 flat data, 2 not present, 3 empty. */
    ldt[1] = FLAT_DATA;
    ldt[2] = FLAT_DATA & ~(1ULL << 47);
    ldt[3] = 0;
    /* Descriptor pages may not be mapped writable while in use. */
    CHECK_RC(remap_ldt(P | A), 0);
    CHECK_RC(set_ldt((uintptr_t)ldt, 4), 0);

    expect_load("flat data", SEL(1), -1, 0);
    if ( read_fs() != SEL(1) )
        test_fail("FS reads %#x after loading %#x", read_fs(), SEL(1));
    expect_load("not present", SEL(2), X86_EXC_NP, SEL(2) & ~3);
    expect_load("empty descriptor", SEL(3), X86_EXC_GP, SEL(3) & ~3);
    expect_load("beyond the limit", SEL(4), X86_EXC_GP, SEL(4) & ~3);

    /* In use: a writable mapping is refused, update_descriptor works. */
    CHECK_RC(remap_ldt(P | RW | A | D), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_update_descriptor(virt_to_maddr(&ldt[2]),
                                          FLAT_DATA), 0);
    expect_load("updated descriptor", SEL(2), -1, 0);
    /* A TSS descriptor is no descriptor a guest may have. */
    CHECK_RC(HYPERVISOR_update_descriptor(virt_to_maddr(&ldt[3]),
                                          0x0000890000000067ULL),
             -XEN_EINVAL);

    /* A larger LDT from the same page: reloaded, same frame. */
    CHECK_RC(set_ldt((uintptr_t)ldt, 8), 0);
    expect_load("after SET_LDT", SEL(1), -1, 0);
}

/* Our FS holds an LDT selector while the hypervisor switches us out. */
static void test_context_switch(void)
{
    uint64_t until = system_time() + 20 * MS;

    expect_load("before the switch", SEL(1), -1, 0);
    /*
     * Removing any mapping of the page (here a second, read-only alias)
     * forgets the mapped LDT page, while ours stays: the guest may be
     * switched out at any moment with FS holding an LDT selector, ...
     */
    if ( !scratch_map(virt_to_mfn(ldt), P | A) )
        return;
    scratch_unmap();
    /* ... and reloading FS after a switch maps it in hypervisor mode. */
    while ( system_time() < until )
        poll_ports(NULL, 0, 2 * MS);    /* d1 spins meanwhile */
    if ( read_fs() != SEL(1) )
        test_fail("FS is %#x after a context switch, want %#x", read_fs(),
                  SEL(1));
}

static void test_unmapped(void)
{
    const struct trap_record *t;

    /*
     * No mapping at all: #PF at the descriptor's guest address. FS must
     * not hold an LDT selector meanwhile: a switch-in would not reload it
     * and the guest would get a (correct) failsafe callback.
     */
    asm volatile ( "mov %w0, %%fs" :: "r" (0) );
    CHECK_RC(remap_ldt(0), 0);
    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "mov %w[s], %%fs" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [s] "r" (SEL(1)) : "memory" );
    t = trap_done();
    if ( !t || t->cr2 != (uintptr_t)&ldt[1] )
        test_fail("unmapped LDT page: trap %d cr2 %#lx, want #PF at %p",
                  t ? (int)t->vector : -1, t ? t->cr2 : 0, &ldt[1]);
    CHECK_RC(remap_ldt(P | A), 0);
    expect_load("mapped again", SEL(1), -1, 0);

    /* A page that is a page table cannot become an LDT: #PF. */
    asm volatile ( "mov %w0, %%fs" :: "r" (0) );     /* as above */
    CHECK_RC(set_ldt(start_info->pt_base, 4), 0);
    expect_load("LDT on the L4", SEL(1), X86_EXC_PF, 0);
}

/* d1: keeps the CPU busy so that dom0's polls are context switches. */
static void spinner_main(void)
{
    uint64_t until = system_time() + 200 * MS;

    while ( system_time() < until )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    test_success();
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid != 0 )
        return spinner_main();
    test_arguments();
    test_use();
    test_context_switch();
    test_unmapped();

    /* Without an LDT the page is plain memory again. */
    asm volatile ( "mov %w0, %%fs" :: "r" (0) );
    CHECK_RC(set_ldt(0, 0), 0);
    CHECK_RC(remap_ldt(P | RW | A | D), 0);
    ldt[1] = 0;
    if ( !multi_wait_done(1, 5000 * MS) )
        return test_fail("d1 did not finish");
    test_success();
}
