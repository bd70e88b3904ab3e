/*
 * The boot-time builder honours the INIT_P2M and MOD_START_PFN notes the
 * way Xen 4.17's dom0 builder does (dom0_construct and setup_pv_physmap
 * in xen/arch/x86/pv/dom0_build.c), which Linux relies on:
 *   - MOD_START_PFN: the ramdisk (this test's `initrd` file) is not
 *     mapped; start_info.flags has SIF_MOD_START_PFN and mod_start is its
 *     first pfn, the first after the initial region; its frames hold the
 *     file;
 *   - INIT_P2M: mfn_list is the note's address; the whole p2m list is
 *     readable there and writable up to its page end (Linux fills the tail
 *     with ~0); first_p2m_pfn follows the ramdisk; nr_p2m_frames counts
 *     the p2m's own page tables (one L3, one L2, one L1 per 512 data pages
 *     here) and its data pages; those tables are typed page tables, so
 *     they cannot be mapped writable.
 */
#include "test.h"

const char test_title[] = "builder_notes";

#define INIT_P2M_VA 0x0000008000000000ULL

/* The extra notes, in the runtime's .note.Xen section. */
asm ( ".pushsection .note.Xen, \"a\", @note\n"
      ".balign 4\n"
      ".long 4, 8, 15\n .asciz \"Xen\"\n .balign 4\n"
      ".quad 0x0000008000000000\n"
      ".balign 4\n"
      ".long 4, 4, 16\n .asciz \"Xen\"\n .balign 4\n"
      ".long 1\n"
      ".popsection\n" );

static const char ramdisk[] =
    "Mica builder_notes ramdisk: left unmapped, found by its pfn.\n";

static const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;

static void test_ramdisk(void)
{
    const char *p;

    if ( !(start_info->flags & SIF_MOD_START_PFN) )
        test_fail("SIF_MOD_START_PFN not set (flags %#x)", start_info->flags);
    if ( start_info->mod_len != sizeof(ramdisk) - 1 )
        test_fail("mod_len %lu, expected %zu", start_info->mod_len,
                  sizeof(ramdisk) - 1);
    if ( start_info->mod_start < virt_to_pfn((void *)start_info->pt_base) ||
         start_info->mod_start >= start_info->nr_pages )
    {
        test_fail("mod_start %#lx is not a pfn after the region",
                  start_info->mod_start);
        return;
    }
    if ( m2p[pfn_to_mfn(start_info->mod_start)] != start_info->mod_start )
        test_fail("M2P of the ramdisk's frame is not its pfn");
    p = scratch_map(pfn_to_mfn(start_info->mod_start), 0x1 /* P, RO */);
    if ( !p )
        return;
    if ( memcmp(p, ramdisk, sizeof(ramdisk) - 1) )
        test_fail("the ramdisk's first frame does not hold the file");
    scratch_unmap();
}

static void test_p2m(void)
{
    uint64_t *p2m = (uint64_t *)start_info->mfn_list;
    uint64_t n = start_info->nr_pages, data = (n * 8 + 4095) / 4096;
    uint64_t tables = 2 + (data + 511) / 512, i, bad = 0;
    uint64_t first = start_info->mod_start +
                     (start_info->mod_len + 4095) / 4096;
    long rc;

    if ( start_info->mfn_list != INIT_P2M_VA )
    {
        test_fail("mfn_list %#lx, expected INIT_P2M %#llx",
                  start_info->mfn_list, INIT_P2M_VA);
        return;
    }
    for ( i = 0; i < n; i++ )
        bad += m2p[p2m[i]] != i;
    if ( bad )
        test_fail("%lu p2m entries disagree with the M2P", bad);
    for ( i = n; i < data * 512; i++ )
        p2m[i] = ~0ULL;                 /* must not fault */
    if ( start_info->first_p2m_pfn != first )
        test_fail("first_p2m_pfn %#lx, expected %#lx after the ramdisk",
                  start_info->first_p2m_pfn, first);
    if ( start_info->nr_p2m_frames != tables + data )
        test_fail("nr_p2m_frames %lu, expected %lu tables + %lu data",
                  start_info->nr_p2m_frames, tables, data);
    for ( i = 0; i < start_info->nr_p2m_frames; i++ )
        if ( m2p[p2m[start_info->first_p2m_pfn + i]] !=
             start_info->first_p2m_pfn + i )
            bad++;
    if ( bad )
        test_fail("%lu p2m frames have a wrong M2P entry", bad);

    /* The first p2m frame is its L3: in use as a table, never writable. */
    rc = HYPERVISOR_update_va_mapping(
        (uintptr_t)scratch_map(pfn_to_mfn(start_info->nr_pages - 1), 0x3),
        (pfn_to_mfn(start_info->first_p2m_pfn) << 12) | 0x3,
        UVMF_INVLPG | UVMF_LOCAL);
    if ( rc != -XEN_EINVAL )
        test_fail("writable mapping of the p2m's L3: %ld, expected %d", rc,
                  -XEN_EINVAL);
    scratch_unmap();
}

void test_main(void)
{
    test_ramdisk();
    test_p2m();
    test_success();
}
