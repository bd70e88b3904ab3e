/*
 * Grant tables v1 between three boot-time domains.
 *
 *   d1 (granter) sets up its table and grants pages: to dom0 writable,
 *      read-only, a spare frame, a page it later revokes, a copy target,
 *      a frame it does not own; and one page to d2.
 *   dom0 (mapper) maps them (by virtual address and by PTE machine
 *      address), sees d1's writes and makes its own, checks that the
 *      read-only map really faults on a write, tries every hostile case,
 *      copies in both directions, and runs the table-wide sub-ops.
 *   d2 maps the page granted to it and is refused dom0's grants and
 *      other domains' tables.
 * In between, d1 checks the status bits, that a frame mapped writable
 * cannot become its page table (and can once dom0 overwrote that PTE
 * itself, an "implicit unmap"), that Linux's
 * way of ending a grant fails while it is mapped, and that a grant it
 * clears by force stays mapped until dom0 unmaps it.
 *
 * dom0 and d1 take turns, each signalling the other over the control
 * channel and waiting for the answer, so no two signals ever merge.
 *
 * Expected codes are Xen 4.17's (xen/common/grant_table.c map_grant_ref,
 * unmap_common, gnttab_copy_one, gnttab_setup_table, gnttab_query_size,
 * gnttab_set_version, gnttab_get_status_frames; create_grant_pv_mapping
 * and replace_grant_pv_mapping in xen/arch/x86/pv/grant_table.c).
 */
#include "test.h"
#include "grant.h"

const char test_title[] = "gnttab";

#define WAIT (5000 * MS)

/* The grant references d1 fills (references below 8 are reserved). */
#define REF_RW       8      /* page 0, writable, to dom0 */
#define REF_RO       9      /* page 1, read-only, to dom0 */
#define REF_D2       10     /* page 2, to d2 */
#define REF_TABLE    11     /* a spare frame, to dom0 */
#define REF_REVOKE   12     /* page 3, to dom0, revoked while mapped */
#define REF_BADFRAME 13     /* a frame d1 does not own */
#define REF_COPY     14     /* page 4, to dom0, copied to and from */

static uint8_t pages[5][4096] __page_aligned_bss;       /* d1's */
static uint8_t window[4][4096] __page_aligned_bss;      /* mappers' */
static uint8_t table_page[4096] __page_aligned_bss;     /* d1's table */
static uint8_t buf[4096] __page_aligned_bss;            /* dom0's copies */

static uint32_t peer;   /* the control port to the other player */

static void signal_peer(void)
{
    CHECK_RC(evtchn_send(peer), 0);
}

static bool await_peer(const char *what)
{
    if ( wait_port(peer, WAIT) )
        return true;
    test_fail("timed out waiting for %s", what);
    return false;
}

/* Put our own frame back under a window a grant map replaced. */
static void restore_window(unsigned int i)
{
    CHECK_RC(restore_own_frame(window[i]), 0);
}

static void put_text(void *p, const char *text)
{
    memcpy(p, text, strlen(text) + 1);
}

static bool has_text(const void *p, const char *text)
{
    return !memcmp(p, text, strlen(text) + 1);
}

/* ---- d1, the granter ---- */

static volatile grant_entry_v1_t *gt;

static void grant(grant_ref_t ref, domid_t to, uint64_t frame, uint16_t fl)
{
    gt[ref].domid = to;
    gt[ref].frame = frame;
    __atomic_store_n(&gt[ref].flags, fl, __ATOMIC_RELEASE);
}

/* Linux's gnttab_end_foreign_access_ref: only if nobody uses it. */
static bool end_access(grant_ref_t ref)
{
    uint16_t flags = __atomic_load_n(&gt[ref].flags, __ATOMIC_ACQUIRE);

    do {
        if ( flags & (GTF_reading | GTF_writing) )
            return false;
    } while ( !__atomic_compare_exchange_n(&gt[ref].flags, &flags, 0, false,
                                           __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST) );
    return true;
}

static long pin_l1(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static bool granter_setup(void)
{
    if ( !(gt = gnt_map_own_table(table_page)) )
        return false;
    for ( unsigned int i = 0; i < 5; i++ )
    {
        snprintf((char *)pages[i], 64, "d1:page%u", i);
        *(uint64_t *)&pages[i][64] = virt_to_mfn(pages[i]);
    }
    grant(REF_RW, 0, virt_to_mfn(pages[0]), GTF_permit_access);
    grant(REF_RO, 0, virt_to_mfn(pages[1]),
          GTF_permit_access | GTF_readonly);
    grant(REF_D2, 2, virt_to_mfn(pages[2]), GTF_permit_access);
    grant(REF_TABLE, 0, spare_mfn(0), GTF_permit_access);
    grant(REF_REVOKE, 0, virt_to_mfn(pages[3]), GTF_permit_access);
    grant(REF_BADFRAME, 0, 0x200, GTF_permit_access);
    grant(REF_COPY, 0, virt_to_mfn(pages[4]), GTF_permit_access);
    return true;
}

/* dom0 holds REF_RW, REF_TABLE and REF_REVOKE mapped writable. */
static void granter_while_mapped(void)
{
    const uint16_t busy = GTF_permit_access | GTF_reading | GTF_writing;

    if ( !has_text(&pages[0][2048], "d0:page0") )
        test_fail("dom0's write to page 0 not seen: \"%.16s\"",
                  (char *)&pages[0][2048]);
    if ( gt[REF_RW].flags != busy || gt[REF_REVOKE].flags != busy )
        test_fail("status bits while mapped: %#x %#x", gt[REF_RW].flags,
                  gt[REF_REVOKE].flags);
    if ( gt[REF_RO].flags != (GTF_permit_access | GTF_readonly) )
        test_fail("unmapped read-only grant has flags %#x",
                  gt[REF_RO].flags);
    put_text((char *)&pages[0][1024], "d1:again");
    /* Mapped writable elsewhere: not a page table of ours. */
    CHECK_RC(pin_l1(MMUEXT_PIN_L1_TABLE, spare_mfn(0)), -XEN_EINVAL);
    /* Revoking: Linux's way is refused while mapped; by force, it sticks. */
    if ( end_access(REF_REVOKE) )
        test_fail("ended access to a mapped grant");
    gt[REF_REVOKE].flags = 0;
    put_text((char *)pages[3], "d1:revoked");
}

static void granter_after_unmap(void)
{
    uint64_t end = system_time() + WAIT;

    if ( !has_text(&pages[3][2048], "d0:still") )
        test_fail("dom0's write after revocation not seen");
    if ( gt[REF_REVOKE].flags != 0 )
        test_fail("revoked entry came back as %#x", gt[REF_REVOKE].flags);
    if ( gt[REF_RW].flags != GTF_permit_access )
        test_fail("REF_RW after unmap: flags %#x", gt[REF_RW].flags);
    if ( !end_access(REF_RW) )
        test_fail("cannot end access to REF_RW after its unmap");
    /* dom0 dropped its PTE without unmapping: the grant is still used. */
    if ( gt[REF_TABLE].flags !=
         (GTF_permit_access | GTF_reading | GTF_writing) )
        test_fail("implicitly unmapped grant: flags %#x",
                  gt[REF_TABLE].flags);
    /* But no mapping is left: the frame is ours to use as a table. */
    if ( CHECK_RC(pin_l1(MMUEXT_PIN_L1_TABLE, spare_mfn(0)), 0) )
        CHECK_RC(pin_l1(MMUEXT_UNPIN_TABLE, spare_mfn(0)), 0);
    if ( !has_text(&pages[4][100], "d0:copy") )
        test_fail("grant copy into page 4 not seen");
    /* d2 runs on its own schedule: give it time to write. */
    while ( !has_text(&pages[2][2048], "d2:page2") &&
            system_time() < end )
        poll_ports(NULL, 0, 1 * MS);
    if ( !has_text(&pages[2][2048], "d2:page2") )
        test_fail("d2's write to page 2 not seen");
}

static void granter_main(void)
{
    peer = ctl_port[0];
    if ( !granter_setup() )
        return;
    signal_peer();                                  /* 1: granted */
    if ( !await_peer("dom0's maps") )               /* 2 */
        return;
    granter_while_mapped();
    signal_peer();                                  /* 3 */
    if ( !await_peer("dom0's unmaps and copies") )  /* 4 */
        return;
    granter_after_unmap();
    signal_peer();                                  /* 5 */
    if ( await_peer("dom0's last word") )           /* 6 */
        test_success();
}

/* ---- dom0, the mapper ---- */

static grant_handle_t h_rw, h_table, h_revoke;

static void mapper_rw(void)
{
    grant_handle_t h2 = ~0u;
    uint64_t bus = 0, pte = gnt_l1e_maddr(window[1]);

    if ( !CHECK_RC(gnt_map(1, REF_RW, GADDR(window[0]), GNTMAP_host_map,
                           &h_rw, &bus), GNTST_okay) )
        return;
    if ( !has_text(window[0], "d1:page0") )
        test_fail("mapped page 0 reads \"%.16s\"", (char *)window[0]);
    if ( bus != *(uint64_t *)&window[0][64] << 12 )
        test_fail("dev_bus_addr %#lx is not d1's frame", bus);
    put_text((char *)&window[0][2048], "d0:page0");
    /* The same grant again, this time naming the PTE by its address. */
    if ( !pte )
        return test_error("no L1 entry for window 1");
    if ( CHECK_RC(gnt_map(1, REF_RW, pte, GNTMAP_host_map |
                          GNTMAP_contains_pte, &h2, NULL), GNTST_okay) )
    {
        if ( !has_text(&window[1][2048], "d0:page0") )
            test_fail("second mapping does not show the first's write");
        CHECK_RC(gnt_unmap(pte, h2), GNTST_okay);
        CHECK_RC(gnt_unmap(pte, h2), GNTST_bad_handle);
        restore_window(1);
    }
}

static void mapper_ro(void)
{
    grant_handle_t h = ~0u;
    const struct trap_record *t;
    volatile uint8_t *p = window[1];

    CHECK_RC(gnt_map(1, REF_RO, GADDR(window[1]), GNTMAP_host_map, &h, NULL),
             GNTST_general_error);
    if ( !CHECK_RC(gnt_map(1, REF_RO, GADDR(window[1]),
                           GNTMAP_host_map | GNTMAP_readonly, &h, NULL),
                   GNTST_okay) )
        return;
    if ( !has_text(window[1], "d1:page1") )
        test_fail("read-only page reads \"%.16s\"", (char *)window[1]);
    trap_expect(X86_EXC_PF);
    asm volatile ( TRAP_ASM_BEGIN "movb $1, (%[p])" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [p] "r" (p) : "memory" );
    t = trap_done();
    if ( !t || t->rip != trap_expect_insn )
        test_fail("a write through a read-only grant map did not fault");
    /* The access must match: unmapping checks RW against the map. */
    CHECK_RC(gnt_unmap(GADDR(window[1]), h), GNTST_okay);
    restore_window(1);
}

static void mapper_hostile(void)
{
    grant_handle_t h;
    uint64_t w2 = GADDR(window[2]);

    CHECK_RC(gnt_map(1, 512, w2, GNTMAP_host_map, &h, NULL),
             GNTST_bad_gntref);
    CHECK_RC(gnt_map(1, ~0u, w2, GNTMAP_host_map, &h, NULL),
             GNTST_bad_gntref);
    CHECK_RC(gnt_map(1, REF_D2, w2, GNTMAP_host_map, &h, NULL),
             GNTST_general_error);                  /* d2's grant */
    CHECK_RC(gnt_map(1, 100, w2, GNTMAP_host_map, &h, NULL),
             GNTST_general_error);                  /* never granted */
    CHECK_RC(gnt_map(1, REF_BADFRAME, w2, GNTMAP_host_map, &h, NULL),
             GNTST_bad_page);
    CHECK_RC(gnt_map(77, REF_RW, w2, GNTMAP_host_map, &h, NULL),
             GNTST_bad_domain);
    CHECK_RC(gnt_map(DOMID_SELF, REF_RW, w2, GNTMAP_host_map, &h, NULL),
             GNTST_bad_domain);
    CHECK_RC(gnt_map(1, REF_RW, w2, 0, &h, NULL), GNTST_bad_gntref);
    /* Addresses with no L1 entry, or not an L1 entry of ours. */
    CHECK_RC(gnt_map(1, REF_RW, BAD_UNMAPPED, GNTMAP_host_map, &h, NULL),
             GNTST_general_error);
    CHECK_RC(gnt_map(1, REF_RW, BAD_HYPERVISOR, GNTMAP_host_map, &h, NULL),
             GNTST_general_error);
    CHECK_RC(gnt_map(1, REF_RW, BAD_NONCANONICAL, GNTMAP_host_map, &h,
                     NULL), GNTST_general_error);
    CHECK_RC(gnt_map(1, REF_RW, gnt_l1e_maddr(window[2]) + 4,
                     GNTMAP_host_map | GNTMAP_contains_pte, &h, NULL),
             GNTST_general_error);
    CHECK_RC(gnt_map(1, REF_RW, virt_to_maddr(buf),
                     GNTMAP_host_map | GNTMAP_contains_pte, &h, NULL),
             GNTST_general_error);
    /* Handles: unknown, and right handle with the wrong address. */
    CHECK_RC(gnt_unmap(w2, 12345), GNTST_bad_handle);
    CHECK_RC(gnt_unmap(w2, ~0u), GNTST_bad_handle);
    CHECK_RC(gnt_unmap(w2, h_rw), GNTST_general_error);
    if ( !has_text(window[0], "d1:page0") )
        test_fail("a refused unmap took the mapping away");
    /* The array itself must be readable. */
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref,
                                       (void *)BAD_HYPERVISOR, 1),
             -XEN_EFAULT);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref,
                                       (void *)BAD_UNMAPPED, 1),
             -XEN_EFAULT);
}

static void mapper_table_ops(void)
{
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    uint64_t frames[2];
    struct gnttab_get_status_frames sf = {
        .nr_frames = 1, .dom = DOMID_SELF, .frame_list = GADDR(frames),
    };
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = 65, .frame_list = GADDR(frames),
    };

    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1), 0);
    if ( qs.status || qs.nr_frames != 1 || qs.max_nr_frames != 64 )
        test_fail("query_size: %d %u/%u", qs.status, qs.nr_frames,
                  qs.max_nr_frames);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 2),
             -XEN_EINVAL);
    qs.dom = 77;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_RC(qs.status, GNTST_bad_domain);
    /* Version 2 is not there; the answer says 1 is in force. */
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1),
             -XEN_ENOSYS);
    CHECK_RC(sv.version, 1);
    sv.version = 0;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1),
             -XEN_EINVAL);
    sv.version = 1;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1), 0);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), 0);
    CHECK_RC(gv.version, 1);
    gv.dom = 99;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1),
             -XEN_ESRCH);
    /* A version-1 table has no status frames. */
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &sf, 1),
             0);
    CHECK_RC(sf.status, GNTST_general_error);
    sf.nr_frames = 0;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &sf, 1),
             0);
    CHECK_RC(sf.status, GNTST_okay);
    /* Beyond the maximum; then growing to two frames is fine. */
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC(st.status, GNTST_general_error);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 2),
             -XEN_EINVAL);
    st.nr_frames = 2;
    st.frame_list = BAD_UNMAPPED;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC(st.status, GNTST_bad_virt_addr);
    qs.dom = DOMID_SELF;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_RC(qs.nr_frames, 2);
    /* Privileged: dom0 may look at d1's table. */
    qs.dom = 1;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_RC(qs.status, GNTST_okay);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_dump_table, &qs, 1),
             -XEN_ENOSYS);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size | (1 << 12),
                                       &qs, 1), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &qs,
                                       0x80000000u), -XEN_EINVAL);
}

static long copy1(struct gnttab_copy *op)
{
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);

    return rc ? rc : op->status;
}

static void mapper_copy(void)
{
    uint64_t mine = virt_to_mfn(buf);
    struct gnttab_copy to = {
        .source = { .u.gmfn = mine, .domid = DOMID_SELF, .offset = 0 },
        .dest = { .u.ref = REF_COPY, .domid = 1, .offset = 100 },
        .len = 64, .flags = GNTCOPY_dest_gref,
    }, from = {
        .source = { .u.ref = REF_COPY, .domid = 1, .offset = 0 },
        .dest = { .u.gmfn = mine, .domid = DOMID_SELF, .offset = 200 },
        .len = 16, .flags = GNTCOPY_source_gref,
    }, op, two[2];

    memset(buf, 0, sizeof(buf));
    put_text((char *)buf, "d0:copy");
    CHECK_RC(copy1(&to), GNTST_okay);
    CHECK_RC(copy1(&from), GNTST_okay);
    if ( !has_text(&buf[200], "d1:page4") )
        test_fail("copy from d1 reads \"%.16s\"", (char *)&buf[200]);
    /* Offsets and lengths inside the frame only. */
    op = to;
    op.dest.offset = 4000;
    op.len = 200;
    CHECK_RC(copy1(&op), GNTST_bad_copy_arg);
    op = from;
    op.source.offset = 4095;
    op.len = 2;
    CHECK_RC(copy1(&op), GNTST_bad_copy_arg);
    /* Frames by number: only our own. Grants: only ours to use. */
    op = to;
    op.source.domid = 1;
    CHECK_RC(copy1(&op), GNTST_permission_denied);
    op = to;
    op.source.u.gmfn = 0x200;
    CHECK_RC(copy1(&op), GNTST_bad_page);
    op = to;
    op.dest.domid = 77;
    CHECK_RC(copy1(&op), GNTST_bad_domain);
    op = to;
    op.dest.u.ref = 600;
    CHECK_RC(copy1(&op), GNTST_bad_gntref);
    op = to;
    op.dest.u.ref = REF_RO;                 /* read-only grant */
    CHECK_RC(copy1(&op), GNTST_general_error);
    op = to;
    op.dest.u.ref = REF_D2;                 /* d2's grant */
    CHECK_RC(copy1(&op), GNTST_general_error);
    /* Our own L4 is a page table: not a copy destination. */
    op = from;
    op.dest.u.gmfn = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);
    CHECK_RC(copy1(&op), GNTST_general_error);
    /* Each item of a batch has its own status. */
    two[0] = to;
    two[0].len = 5000;
    two[1] = from;
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_copy, two, 2), 0);
    CHECK_RC(two[0].status, GNTST_bad_copy_arg);
    CHECK_RC(two[1].status, GNTST_okay);
}

static void mapper_keep_mapped(void)
{
    CHECK_RC(gnt_map(1, REF_TABLE, GADDR(window[2]), GNTMAP_host_map,
                     &h_table, NULL), GNTST_okay);
    CHECK_RC(gnt_map(1, REF_REVOKE, GADDR(window[3]), GNTMAP_host_map,
                     &h_revoke, NULL), GNTST_okay);
}

static void mapper_unmap_all(void)
{
    grant_handle_t h;

    if ( !has_text(&window[0][1024], "d1:again") )
        test_fail("d1's write to page 0 not seen through the map");
    CHECK_RC(gnt_unmap(GADDR(window[0]), h_rw), GNTST_okay);
    restore_window(0);
    /* Revoked by force, still mapped: it works until we unmap it. */
    if ( !has_text(window[3], "d1:revoked") )
        test_fail("revoked page reads \"%.16s\"", (char *)window[3]);
    put_text((char *)&window[3][2048], "d0:still");
    CHECK_RC(gnt_unmap(GADDR(window[3]), h_revoke), GNTST_okay);
    restore_window(3);
    CHECK_RC(gnt_map(1, REF_REVOKE, GADDR(window[3]), GNTMAP_host_map, &h,
                     NULL), GNTST_general_error);
    /*
     * An implicit unmap: we overwrite the grant PTE ourselves. The
     * frame's references go with the entry (d1 may now make it a table);
     * the grant stays in use, and its handle no longer finds the entry.
     */
    restore_window(2);
    CHECK_RC(gnt_unmap(GADDR(window[2]), h_table), GNTST_general_error);
}

/*
 * Destroying a granter whose grant we still map: it stays dying, holding
 * the granted frame, our map keeps working, and unmapping releases it.
 * d2 goes first, and with it the map it never undid.
 */
static void mapper_destroy_granter(void)
{
    struct mica_domaininfo info;
    grant_handle_t h = 0;

    if ( !CHECK_RC(gnt_map(1, REF_RO, GADDR(window[1]),
                           GNTMAP_host_map | GNTMAP_readonly, &h, NULL),
                   GNTST_okay) )
        return;
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, 2), 0);
    CHECK_RC(ctl_getinfo(2, &info), -XEN_ESRCH);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, 1), 0);
    if ( CHECK_RC(ctl_getinfo(1, &info), 0) &&
         (!(info.flags & MICA_DOMINF_dying) || info.tot_pages != 1) )
        test_fail("d1 after destroy: flags %#x, %lu pages", info.flags,
                  (unsigned long)info.tot_pages);
    if ( !has_text(window[1], "d1:page1") )
        test_fail("the map of a dying granter reads \"%.16s\"",
                  (char *)window[1]);
    CHECK_RC(gnt_unmap(GADDR(window[1]), h), GNTST_okay);
    restore_window(1);
    CHECK_RC(ctl_getinfo(1, &info), -XEN_ESRCH);
    /* The handle of the implicitly unmapped grant went with d1. */
    CHECK_RC(gnt_unmap(GADDR(window[2]), h_table), GNTST_bad_handle);
}

static void mapper_main(void)
{
    peer = ctl_port[1];
    if ( !await_peer("d1's grants") )               /* 1 */
        return;
    mapper_rw();
    mapper_ro();
    mapper_hostile();
    mapper_table_ops();
    mapper_keep_mapped();
    signal_peer();                                  /* 2 */
    if ( !await_peer("d1's checks while mapped") )  /* 3 */
        return;
    mapper_unmap_all();
    mapper_copy();
    signal_peer();                                  /* 4 */
    if ( !await_peer("d1's checks after unmap") )   /* 5 */
        return;
    signal_peer();                                  /* 6 */
    if ( !multi_wait_done(1, WAIT) || !multi_wait_done(2, WAIT) )
        return test_fail("a domU did not finish");
    mapper_destroy_granter();
    test_success();
}

/* ---- d2 ---- */

static void bystander_main(void)
{
    struct gnttab_query_size qs = { .dom = 0 };
    struct gnttab_get_version gv = { .dom = 0 };
    uint64_t frame;
    struct gnttab_setup_table st = {
        .dom = 0, .nr_frames = 1, .frame_list = GADDR(&frame),
    };
    grant_handle_t h;
    long rc = GNTST_general_error;

    /* d1 may not have granted it yet. */
    for ( unsigned int i = 0; i < 5000 && rc == GNTST_general_error; i++ )
        if ( (rc = gnt_map(1, REF_D2, GADDR(window[0]), GNTMAP_host_map, &h,
                           NULL)) != GNTST_okay )
            poll_ports(NULL, 0, 1 * MS);
    if ( !CHECK_RC(rc, GNTST_okay) )
        return;
    if ( !has_text(window[0], "d1:page2") )
        test_fail("d2 reads \"%.16s\"", (char *)window[0]);
    put_text((char *)&window[0][2048], "d2:page2");
    CHECK_RC(gnt_map(1, REF_RW, GADDR(window[1]), GNTMAP_host_map, &h, NULL),
             GNTST_general_error);
    /* Other domains' tables are not ours to set up or look at. */
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_RC(qs.status, GNTST_permission_denied);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC(st.status, GNTST_permission_denied);
    CHECK_RC(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1),
             -XEN_EPERM);
    test_success();
}

void test_main(void)
{
    if ( !multi_init() )
        return;
    if ( my_domid == 0 )
        mapper_main();
    else if ( cmdline_has("role=granter") )
        granter_main();
    else
        bystander_main();
}
