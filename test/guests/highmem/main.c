/*
 * RAM above 4 GiB: the machine has 1 GiB below 4 GiB and 512 MiB above
 * (test/guests/highmem/machine), and dom0 gets all of it, so some of our
 * frames live above 4 GiB. The hypervisor must reach them through its
 * direct map wherever it touches guest memory: zeroing them for us at
 * build time, validating a page table in one, writing an entry into it,
 * clearing and copying pages, updating the M2P for them.
 */
#include "test.h"

const char test_title[] = "highmem";

#define P  0x001ULL
#define RW 0x002ULL
#define HIGH_MFN 0x100000ULL            /* 4 GiB */
#define M2P ((const uint64_t *)0xffff800000000000ULL)

/* The i-th spare frame above 4 GiB, or 0. */
static uint64_t high_spare(unsigned int i)
{
    for ( unsigned int n = 0; n < 4096; n++ )
        if ( spare_mfn(n) >= HIGH_MFN && i-- == 0 )
            return spare_mfn(n);
    return 0;
}

static long mmuext(unsigned int cmd, uint64_t mfn, uint64_t src)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn,
                            .arg2.src_mfn = src };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

void test_main(void)
{
    uint64_t table = high_spare(0), data = high_spare(1), copy = high_spare(2);
    uint64_t *p, zero_words = 0;
    struct mmu_update u;

    if ( !table || !data || !copy )
        return test_error("no frames above 4 GiB among our last pfns "
                          "(last mfn %#lx)", spare_mfn(0));
    if ( M2P[table] >= start_info->nr_pages )
        test_fail("M2P[%#lx] = %#lx is not one of our pfns", table,
                  M2P[table]);

    /* Frames were zeroed for us by the builder, through the direct map. */
    if ( !(p = scratch_map(data, P)) )
        return;
    for ( unsigned int i = 0; i < 512; i++ )
        zero_words += p[i] == 0;
    scratch_unmap();
    if ( zero_words != 512 )
        test_fail("frame %#lx above 4 GiB was not zeroed", data);

    /* A page table above 4 GiB: validated and written by the hypervisor. */
    if ( !(p = scratch_map(data, P | RW)) )
        return;
    p[0] = 0x1234567890abcdefULL;
    scratch_unmap();
    CHECK_RC(mmuext(MMUEXT_PIN_L1_TABLE, table, 0), 0);
    u.ptr = (table << 12) + 8;
    u.val = (data << 12) | P;
    CHECK_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
    if ( !(p = scratch_map(table, P)) )
        return;
    if ( (p[1] & 0x000ffffffffff000ULL) != data << 12 )
        test_fail("entry written above 4 GiB reads %#lx", p[1]);
    scratch_unmap();
    CHECK_RC(mmuext(MMUEXT_UNPIN_TABLE, table, 0), 0);

    /* Clear and copy pages above 4 GiB. */
    CHECK_RC(mmuext(MMUEXT_COPY_PAGE, copy, data), 0);
    if ( !(p = scratch_map(copy, P)) )
        return;
    if ( p[0] != 0x1234567890abcdefULL )
        test_fail("COPY_PAGE above 4 GiB: %#lx", p[0]);
    scratch_unmap();
    CHECK_RC(mmuext(MMUEXT_CLEAR_PAGE, copy, 0), 0);
    if ( !(p = scratch_map(copy, P)) )
        return;
    if ( p[0] != 0 )
        test_fail("CLEAR_PAGE above 4 GiB: %#lx", p[0]);
    scratch_unmap();
    test_success();
}
