/*
 * Ring arithmetic on its own: the shared layout, how many slots fit, the
 * notification rule against a truth table, and the producer-index checks,
 * including across the 2^32 wrap.
 */
#include <stdbool.h>
#include <stdint.h>

#include "suites.h"

START_TEST(header_layout_matches_xen)
{
    /* Xen's sring: four indices, 4 private bytes, 44 of padding, slots. */
    ck_assert_uint_eq(sizeof(struct mica_sring_header), 64);
    ck_assert_uint_eq(offsetof(struct mica_sring_header, req_prod), 0);
    ck_assert_uint_eq(offsetof(struct mica_sring_header, req_event), 4);
    ck_assert_uint_eq(offsetof(struct mica_sring_header, rsp_prod), 8);
    ck_assert_uint_eq(offsetof(struct mica_sring_header, rsp_event), 12);
    ck_assert_uint_eq(offsetof(struct test_sring, ring), 64);
    ck_assert_uint_eq(sizeof(union test_ring_entry), 16);
}
END_TEST

START_TEST(slot_counts_match_known_protocols)
{
    /* blkif: 112-byte slots, 32 per page; netif tx: 12 bytes, 256. */
    ck_assert_uint_eq(mica_ring_nr_ents(4096, 112), 32);
    ck_assert_uint_eq(mica_ring_nr_ents(4096, 12), 256);
    ck_assert_uint_eq(mica_ring_nr_ents(4096, 16), 128);
    /* Multi-page: 4 pages of 16-byte slots hold 1020, rounded to 512. */
    ck_assert_uint_eq(mica_ring_nr_ents(4 * 4096, 16), 512);
    ck_assert_uint_eq(mica_ring_nr_ents(64 + 16, 16), 1);
    ck_assert_uint_eq(mica_ring_nr_ents(64 + 15, 16), 0);
    ck_assert_uint_eq(mica_ring_nr_ents(4096, 0), 0);
    ck_assert_uint_eq(mica_ring_nr_ents(40, 16), 0);
}
END_TEST

START_TEST(attach_rejects_areas_without_a_slot)
{
    unsigned char area[64 + 15];
    struct test_front f;
    struct test_back b;

    ck_assert_int_eq(test_front_attach(&f, area, sizeof(area), 0), -EINVAL);
    ck_assert_int_eq(test_back_attach(&b, area, sizeof(area), 0), -EINVAL);
}
END_TEST

struct notify_row
{
    uint32_t old_prod, new_prod, event;
    bool notify;
};

/* Notify iff event lies in (old_prod, new_prod], modulo 2^32. */
static const struct notify_row notify_table[] = {
    {0, 1, 1, true},  /* consumer waits for exactly this one */
    {0, 1, 2, false}, /* ... for a later one */
    {0, 5, 3, true},  /* inside the batch */
    {0, 5, 5, true},  /* last of the batch */
    {0, 5, 6, false}, /* just past it */
    {0, 5, 0, false}, /* already passed before this push */
    {5, 5, 5, false}, /* nothing new pushed */
    {5, 5, 6, false},
    {10, 20, 11, true}, /* first of the batch */
    {10, 20, 10, false},
    {0xfffffffe, 2, 0xffffffff, true}, /* batch across the wrap */
    {0xfffffffe, 2, 0, true},
    {0xfffffffe, 2, 2, true},
    {0xfffffffe, 2, 3, false},
    {0xfffffffe, 2, 0xfffffffe, false},
    {0xffffffff, 0, 0, true}, /* single push onto the wrap */
    {0xffffffff, 0, 1, false},
    {100, 101, 50, false}, /* stale event far behind */
};

START_TEST(notify_truth_table)
{
    const struct notify_row *r = &notify_table[_i];

    ck_assert_msg(mica_ring_need_notify(r->old_prod, r->new_prod, r->event) ==
                      r->notify,
                  "row %d: old %u new %u event %u", _i, r->old_prod,
                  r->new_prod, r->event);
}
END_TEST

struct avail_row
{
    uint32_t prod, cons, base, limit;
    int avail;
};

static const struct avail_row avail_table[] = {
    {0, 0, 0, 32, 0},
    {5, 0, 0, 32, 5},
    {32, 0, 0, 32, 32},     /* every slot holds a request */
    {33, 0, 0, 32, -EIO},   /* one more than there are slots */
    {40, 30, 20, 32, 10},   /* base is the oldest slot still held */
    {53, 30, 20, 32, -EIO}, /* 33 past base */
    {25, 30, 20, 32, -EIO}, /* producer went back behind cons */
    {0xffffffff, 0, 0, 32, -EIO},
    {4, 0xfffffffe, 0xfffffff0, 32, 6}, /* across the wrap */
    {0x10, 0xfffffffe, 0xfffffff0, 32, 18},
    {0x11, 0xfffffffe, 0xfffffff0, 32, -EIO},
    {0xfffffffd, 0xfffffffe, 0xfffffff0, 32, -EIO},
    {7, 3, 3, 4, 4}, /* front: limit is what it pushed */
    {8, 3, 3, 4, -EIO},
};

START_TEST(avail_checks_producer_index)
{
    const struct avail_row *r = &avail_table[_i];

    ck_assert_msg(mica_ring_avail(r->prod, r->cons, r->base, r->limit) ==
                      r->avail,
                  "row %d: prod %u cons %u base %u limit %u", _i, r->prod,
                  r->cons, r->base, r->limit);
}
END_TEST

START_TEST(slot_index_masks_free_running_index)
{
    unsigned char slots[1];
    struct mica_ring_area a = {
        .slots = slots, .entry_size = 16, .nr_ents = 128};

    ck_assert_ptr_eq(mica_ring_slot(&a, 0), slots);
    ck_assert_ptr_eq(mica_ring_slot(&a, 128), slots);
    ck_assert_ptr_eq(mica_ring_slot(&a, 129), slots + 16);
    ck_assert_ptr_eq(mica_ring_slot(&a, 0xffffffff), slots + 127 * 16);
}
END_TEST

Suite *ring_index_suite(void)
{
    Suite *s = suite_create("ring_index");
    TCase *tc = tcase_create("index");

    tcase_add_test(tc, header_layout_matches_xen);
    tcase_add_test(tc, slot_counts_match_known_protocols);
    tcase_add_test(tc, attach_rejects_areas_without_a_slot);
    tcase_add_loop_test(tc, notify_truth_table, 0,
                        sizeof(notify_table) / sizeof(notify_table[0]));
    tcase_add_loop_test(tc, avail_checks_producer_index, 0,
                        sizeof(avail_table) / sizeof(avail_table[0]));
    tcase_add_test(tc, slot_index_masks_free_running_index);
    suite_add_tcase(s, tc);
    return s;
}
