/*
 * Writable page tables: with VMASST_TYPE_writable_pagetables on, the
 * guest kernel writes entries of its own L1 tables (mapped read-only)
 * with ordinary instructions, and the hypervisor applies each write as a
 * validated update, then resumes after the instruction. Writes the rules
 * refuse, writes that straddle two entries, writes to other levels and
 * every write with the assist off are reflected as the #PF they were.
 * Xen 4.17: xen/arch/x86/pv/ro-page-fault.c (pv_ro_page_fault,
 * ptwr_emulated_update) and fixup_page_fault in xen/arch/x86/traps.c.
 *
 * The L1 used is a live one: the bootstrap table that maps `window`, a
 * page of our own .bss, which the builder mapped read-only in the
 * initial mapping like every bootstrap table.
 */
#include "test.h"

const char test_title[] = "ptwr";

#define P   0x001ULL
#define RW  0x002ULL
#define A   0x020ULL
#define U   0x004ULL
#define D   0x040ULL
#define NX  (1ULL << 63)
#define M2P ((const uint64_t *)0xffff800000000000ULL)
#define ADDR_MASK 0x000ffffffffff000ULL

static uint8_t window[4096] __page_aligned_bss;
static volatile uint64_t *pte;          /* window's entry, read-only map */
static uint64_t pte_orig, l1_mfn, data, data2;

static void *mfn_to_virt(uint64_t mfn)
{
    return (void *)(uintptr_t)(VIRT_BASE + (M2P[mfn] << 12));
}

/* The read-only mapping of the table at `level` below entry e. */
static uint64_t *next_table(uint64_t e)
{
    return mfn_to_virt((e & ADDR_MASK) >> 12);
}

static bool find_pte(void)
{
    uint64_t va = (uintptr_t)window, *t;

    t = (uint64_t *)(uintptr_t)start_info->pt_base;
    t = next_table(t[(va >> 39) & 511]);
    t = next_table(t[(va >> 30) & 511]);
    l1_mfn = (t[(va >> 21) & 511] & ADDR_MASK) >> 12;
    t = next_table(t[(va >> 21) & 511]);
    pte = &t[(va >> 12) & 511];
    pte_orig = *pte;
    return (pte_orig & ADDR_MASK) >> 12 == virt_to_mfn(window);
}

static void flush(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL,
                            .arg1.linear_addr = (uintptr_t)window };

    (void)HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* Write a word through a scratch mapping; read window's first word. */
static void fill(uint64_t mfn, uint64_t v)
{
    uint64_t *p = scratch_map(mfn, P | RW | U | A | D);

    if ( p )
        p[0] = v;
    scratch_unmap();
}

static uint64_t window_word(void)
{
    flush();
    return *(volatile uint64_t *)window;
}

/* Does a store to window fault? (After a flush.) */
static bool window_write_faults(void)
{
    flush();
    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "movb $0, (%[w])" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [w] "r" (window) : "memory" );
    return trap_done() != NULL;
}

static void test_plain_stores(void)
{
    uint64_t v = (data << 12) | P | RW | U | A | D;

    *pte = v;                                   /* mov r64, m64 */
    if ( *pte != v || window_word() != 0x1111 )
        test_fail("64-bit store: entry %#lx, window %#lx", *pte,
                  window_word());
    /* A 32-bit store of the low half moves the mapping to data2. */
    asm volatile ( "movl %k1, (%0)"
                   :: "r" (pte), "r" ((data2 << 12) | P | RW | U | A | D)
                   : "memory" );
    if ( window_word() != 0x2222 )
        test_fail("32-bit store: entry %#lx", *pte);
    /* A byte store of the top byte sets NX, nothing else. */
    asm volatile ( "movb $0x80, 7(%0)" :: "r" (pte) : "memory" );
    if ( *pte != ((data2 << 12) | P | RW | U | A | D | NX) )
        test_fail("byte store: entry %#lx", *pte);
    asm volatile ( "movq $0, (%0)" :: "r" (pte) : "memory" );
    if ( *pte != 0 )
        test_fail("zeroing store: entry %#lx", *pte);
}

static void test_atomics(void)
{
    uint64_t v = (data << 12) | P | RW | U | A | D, old = 0;
    uint8_t zf;

    old = v;
    asm volatile ( "xchg %0, (%1)" : "+r" (old) : "r" (pte) : "memory" );
    if ( old != 0 || *pte != v )
        test_fail("xchg: got %#lx, entry %#lx", old, *pte);

    /* cmpxchg that matches: ZF set, entry replaced. */
    old = v;
    asm volatile ( "lock cmpxchgq %3, (%2); sete %1"
                   : "+a" (old), "=q" (zf)
                   : "r" (pte), "r" ((data2 << 12) | P | RW | U | A | D)
                   : "memory", "cc" );
    if ( !zf || old != v || window_word() != 0x2222 )
        test_fail("cmpxchg (match): zf %u rax %#lx entry %#lx", zf, old,
                  *pte);
    /* cmpxchg that does not: ZF clear, RAX = entry, entry unchanged. */
    old = v;
    asm volatile ( "lock cmpxchgq %3, (%2); sete %1"
                   : "+a" (old), "=q" (zf)
                   : "r" (pte), "r" (0UL) : "memory", "cc" );
    if ( zf || old != ((data2 << 12) | P | RW | U | A | D) ||
         window_word() != 0x2222 )
        test_fail("cmpxchg (mismatch): zf %u rax %#lx entry %#lx", zf, old,
                  *pte);
}

static void test_bit_operations(void)
{
    uint8_t cf;

    /* clear_bit(_PAGE_BIT_RW) as Linux writes it with a constant. */
    asm volatile ( "lock andb $0xfd, (%0)" :: "r" (pte) : "memory" );
    if ( !window_write_faults() || window_word() != 0x2222 )
        test_fail("lock and: entry %#lx still writable", *pte);
    asm volatile ( "lock orb $0x02, (%0)" :: "r" (pte) : "memory" );
    if ( window_write_faults() )
        test_fail("lock or: entry %#lx not writable again", *pte);
    /* test_and_clear_bit(_PAGE_BIT_ACCESSED): CF is the old bit. */
    asm volatile ( "lock btrq $5, (%1); setc %0"
                   : "=q" (cf) : "r" (pte) : "memory", "cc" );
    if ( !cf || (*pte & A) )
        test_fail("lock btr: cf %u entry %#lx", cf, *pte);
    asm volatile ( "lock btsq %2, (%1); setc %0"
                   : "=q" (cf) : "r" (pte), "r" (1UL) : "memory", "cc" );
    if ( !cf || !(*pte & RW) )
        test_fail("lock bts: cf %u entry %#lx", cf, *pte);
}

/* A store that must fault, leaving the entry as it was. */
static void expect_refused(const char *what, uint64_t val)
{
    uint64_t before = *pte;
    const struct trap_record *t;

    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "movq %[v], (%[p])" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [p] "r" (pte), [v] "r" (val)
                   : "memory" );
    t = trap_done();
    if ( !t )
        test_fail("%s: store of %#lx was not refused", what, val);
    else if ( t->cr2 != (uintptr_t)pte || !(t->error_code & 2) )
        test_fail("%s: #PF cr2 %#lx ec %#lx", what, t->cr2, t->error_code);
    if ( *pte != before )
        test_fail("%s: entry changed to %#lx", what, *pte);
}

static void test_hostile(void)
{
    uint64_t l4 = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);
    const struct trap_record *t;

    expect_refused("own L1 writable", (l1_mfn << 12) | P | RW);
    expect_refused("own L4 writable", (l4 << 12) | P | RW);
    expect_refused("hypervisor frame", (0x200ULL << 12) | P);
    expect_refused("reserved bit 51", (data << 12) | P | (1ULL << 51));

    /* Eight bytes across two entries: not one entry's update. */
    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "movq %[v], 4(%[p])" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [p] "r" (pte), [v] "r" (0UL)
                   : "memory" );
    if ( !trap_done() )
        test_fail("a misaligned store was emulated");

    /* Higher levels are never emulated: a store to the L4 faults. */
    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "movq %[v], 8(%[p])" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS
                   : [p] "r" (start_info->pt_base), [v] "r" (0UL)
                   : "memory" );
    t = trap_done();
    if ( !t || t->cr2 != start_info->pt_base + 8 )
        test_fail("a store to the L4 was not reflected");

    /* With the assist off, the same good store is reflected. */
    CHECK_RC(HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                  VMASST_TYPE_writable_pagetables), 0);
    expect_refused("assist off", *pte);
    CHECK_RC(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                  VMASST_TYPE_writable_pagetables), 0);
}

/* A read-only mapping of a frame that is no table: just a fault. */
static void test_not_a_table(void)
{
    uint64_t v = (data << 12) | P | U | A;

    *pte = v;
    if ( !window_write_faults() )
        test_fail("a read-only data page took a write");
    if ( *pte != v || window_word() != 0x1111 )
        test_fail("read-only data page changed: %#lx", window_word());
}

void test_main(void)
{
    map_shared_info();
    data = spare_mfn(0);
    data2 = spare_mfn(1);
    fill(data, 0x1111);
    fill(data2, 0x2222);
    if ( !find_pte() )
    {
        test_error("cannot find the entry that maps window");
        return;
    }
    CHECK_RC(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                  VMASST_TYPE_writable_pagetables), 0);

    test_plain_stores();
    test_atomics();
    test_bit_operations();
    test_hostile();
    test_not_a_table();

    *pte = pte_orig;
    flush();
    if ( *pte != pte_orig )
        test_fail("could not restore window's entry");
    test_success();
}
