/*
 * A domain maps pages it granted to itself.
 *
 * This is what two processes of one Linux domain do when one allocates
 * a ring with /dev/xen/gntalloc for its own domain id and the other maps
 * it with /dev/xen/gntdev (ringbuf-stress -x in dom0, docs/ringbuf.md):
 * GNTTABOP_map_grant_ref with dom = the caller's own id, by virtual
 * address and, as Linux's gntdev does in a PV domain, by the machine
 * address of a PTE with GNTMAP_application_map.
 *
 * Xen 4.17's map_grant_ref (xen/common/grant_table.c) looks the granting
 * domain up by id and never refuses the caller itself (it only skips the
 * IOMMU work when ld == rd); DOMID_SELF is not an id there
 * (GNTST_bad_domain). The grant must still name the mapper: a grant to
 * another domain is GNTST_general_error, and a read-only grant mapped
 * writable is too. While mapped, the entry shows GTF_reading and
 * GTF_writing; unmapping clears them.
 */
#include "test.h"
#include "grant.h"

const char test_title[] = "gnttab_self";

#define SELF    0      /* the test runs as dom0 */

#define REF_RW    8     /* page, writable, to ourselves */
#define REF_RO    9     /* page, read-only, to ourselves */
#define REF_OTHER 10    /* page, to domain 5 */

static uint8_t page[4096] __page_aligned_bss;
static uint8_t window[2][4096] __page_aligned_bss;
static uint8_t table_page[4096] __page_aligned_bss;
static volatile grant_entry_v1_t *gt;

static void restore_window(unsigned int i)
{
    CHECK_RC(restore_own_frame(window[i]), 0);
}

static void grant(grant_ref_t ref, domid_t to, uint16_t flags)
{
    gt[ref].domid = to;
    gt[ref].frame = virt_to_mfn(page);
    __atomic_store_n(&gt[ref].flags, flags, __ATOMIC_RELEASE);
}

static bool setup(void)
{
    if ( !(gt = gnt_map_own_table(table_page)) )
        return false;
    memcpy(page, "self:page", 10);
    grant(REF_RW, SELF, GTF_permit_access);
    grant(REF_RO, SELF, GTF_permit_access | GTF_readonly);
    grant(REF_OTHER, 5, GTF_permit_access);
    return true;
}

/* Map by address, then by PTE as gntdev does; both alias the page. */
static void map_writable(void)
{
    const uint16_t busy = GTF_permit_access | GTF_reading | GTF_writing;
    uint64_t pte = gnt_l1e_maddr(window[1]);
    grant_handle_t h0 = ~0u, h1 = ~0u;

    if ( !pte )
        return test_error("no L1 entry for window 1");
    if ( !CHECK_RC(gnt_map(SELF, REF_RW, GADDR(window[0]), GNTMAP_host_map, &h0,
                           NULL), GNTST_okay) )
        return;
    if ( memcmp(window[0], "self:page", 10) )
        test_fail("the mapping reads \"%.16s\"", (char *)window[0]);
    if ( gt[REF_RW].flags != busy )
        test_fail("flags while mapped: %#x", gt[REF_RW].flags);
    if ( CHECK_RC(gnt_map(SELF, REF_RW, pte, GNTMAP_host_map |
                          GNTMAP_application_map | GNTMAP_contains_pte,
                          &h1, NULL), GNTST_okay) )
    {
        memcpy(&window[1][2048], "via-pte", 8);
        if ( memcmp(&page[2048], "via-pte", 8) ||
             memcmp(&window[0][2048], "via-pte", 8) )
            test_fail("a write through the PTE mapping is not in the page");
        CHECK_RC(gnt_unmap(pte, h1), GNTST_okay);
        restore_window(1);
    }
    CHECK_RC(gnt_unmap(GADDR(window[0]), h0), GNTST_okay);
    restore_window(0);
    if ( gt[REF_RW].flags != GTF_permit_access )
        test_fail("flags after unmapping: %#x", gt[REF_RW].flags);
}

static void map_refused(void)
{
    grant_handle_t h = ~0u;

    CHECK_RC(gnt_map(DOMID_SELF, REF_RW, GADDR(window[0]), GNTMAP_host_map, &h,
                     NULL), GNTST_bad_domain);
    CHECK_RC(gnt_map(SELF, REF_OTHER, GADDR(window[0]), GNTMAP_host_map, &h,
                     NULL), GNTST_general_error);
    CHECK_RC(gnt_map(SELF, REF_RO, GADDR(window[0]), GNTMAP_host_map, &h, NULL),
             GNTST_general_error);
    if ( CHECK_RC(gnt_map(SELF, REF_RO, GADDR(window[0]),
                          GNTMAP_host_map | GNTMAP_readonly, &h, NULL),
                  GNTST_okay) )
    {
        if ( gt[REF_RO].flags != (GTF_permit_access | GTF_readonly |
                                  GTF_reading) )
            test_fail("read-only flags while mapped: %#x", gt[REF_RO].flags);
        CHECK_RC(gnt_unmap(GADDR(window[0]), h), GNTST_okay);
        restore_window(0);
    }
}

void test_main(void)
{
    if ( !setup() )
        return;
    map_writable();
    map_refused();
    test_success();
}
