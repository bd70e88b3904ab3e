/*
 * A front and a back end on one area, driven step by step: empty and full
 * rings, traffic across the index wrap, multi-page rings, the notification
 * hand-shake, and a peer that publishes impossible indices.
 */
#include <stdint.h>
#include <stdlib.h>

#include "suites.h"

#define PAGE 4096u

/* A fresh ring of `pages` pages with both ends attached at `idx`. */
struct pair
{
    void *area;
    size_t size;
    struct test_front f;
    struct test_back b;
};

static void pair_open(struct pair *p, size_t pages, uint32_t idx)
{
    struct mica_sring_header *s;

    p->size = pages * PAGE;
    p->area = aligned_alloc(PAGE, p->size);
    ck_assert_ptr_nonnull(p->area);
    s = p->area;
    mica_sring_init(s);
    s->req_prod = s->rsp_prod = idx;
    s->req_event = s->rsp_event = idx + 1;
    ck_assert_int_eq(test_front_attach(&p->f, p->area, p->size, idx), 0);
    ck_assert_int_eq(test_back_attach(&p->b, p->area, p->size, idx), 0);
}

static struct test_req req_for(uint64_t seq)
{
    struct test_req r = {.seq = seq, .data = seq * 0x9e3779b97f4a7c15ull};

    return r;
}

/* Send `n` requests from seq, answer them all, take the answers back. */
static void exchange(struct pair *p, uint64_t seq, uint32_t n)
{
    struct test_req req, got;
    struct test_rsp rsp;
    uint32_t i;

    for ( i = 0; i < n; i++ )
    {
        req = req_for(seq + i);
        FAST_ASSERT(test_front_put(&p->f, &req) == 0);
    }
    test_front_push(&p->f);
    for ( i = 0; i < n; i++ )
    {
        FAST_ASSERT(test_back_get(&p->b, &got) == 1);
        FAST_ASSERT(got.seq == seq + i && got.data == req_for(seq + i).data);
        rsp = (struct test_rsp){.seq = got.seq, .status = 7};
        FAST_ASSERT(test_back_put(&p->b, &rsp) == 0);
    }
    FAST_ASSERT(test_back_get(&p->b, &got) == 0);
    test_back_push(&p->b);
    for ( i = 0; i < n; i++ )
    {
        FAST_ASSERT(test_front_get(&p->f, &rsp) == 1);
        FAST_ASSERT(rsp.seq == seq + i && rsp.status == 7);
    }
    FAST_ASSERT(test_front_get(&p->f, &rsp) == 0);
}

START_TEST(empty_ring_has_nothing)
{
    struct pair p;
    struct test_req req;
    struct test_rsp rsp = {0};

    pair_open(&p, 1, 0);
    ck_assert_uint_eq(test_front_free(&p.f), 128);
    ck_assert_int_eq(test_back_get(&p.b, &req), 0);
    ck_assert_int_eq(test_front_get(&p.f, &rsp), 0);
    ck_assert_int_eq(test_back_unconsumed(&p.b), 0);
    /* Nothing taken, so nothing to answer. */
    ck_assert_int_eq(test_back_put(&p.b, &rsp), -ENOSPC);
    ck_assert_int_eq(test_back_final_check(&p.b), 0);
    ck_assert_int_eq(test_front_final_check(&p.f), 0);
    free(p.area);
}
END_TEST

START_TEST(full_ring_refuses_requests)
{
    struct pair p;
    struct test_req req = req_for(0);
    struct test_rsp rsp = {0};
    uint32_t i;

    pair_open(&p, 1, 0);
    for ( i = 0; i < 128; i++ )
        ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    ck_assert_uint_eq(test_front_free(&p.f), 0);
    ck_assert_int_eq(test_front_put(&p.f, &req), -ENOSPC);
    test_front_push(&p.f);
    ck_assert_int_eq(test_back_unconsumed(&p.b), 128);
    /* Taken but unanswered requests still occupy their slots. */
    for ( i = 0; i < 128; i++ )
        ck_assert_int_eq(test_back_get(&p.b, &req), 1);
    ck_assert_int_eq(test_front_put(&p.f, &req), -ENOSPC);
    /* Answered but untaken responses do too. */
    for ( i = 0; i < 128; i++ )
        ck_assert_int_eq(test_back_put(&p.b, &rsp), 0);
    ck_assert_int_eq(test_back_put(&p.b, &rsp), -ENOSPC);
    test_back_push(&p.b);
    ck_assert_int_eq(test_front_put(&p.f, &req), -ENOSPC);
    ck_assert_int_eq(test_front_get(&p.f, &rsp), 1);
    ck_assert_uint_eq(test_front_free(&p.f), 1);
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    free(p.area);
}
END_TEST

START_TEST(traffic_across_the_wrap)
{
    struct pair p;
    uint64_t seq = 0;
    uint32_t n;

    /* Start 40 short of 2^32 and go round the ring many times. */
    pair_open(&p, 1, 0xffffffff - 40);
    for ( n = 1; n <= 128; n += 9 )
    {
        exchange(&p, seq, n);
        seq += n;
    }
    ck_assert_uint_eq(p.f.r.rsp_cons, (uint32_t)(0xffffffff - 40 + seq));
    ck_assert_uint_lt(p.f.r.rsp_cons, 0x1000);
    exchange(&p, seq, 128);
    free(p.area);
}
END_TEST

START_TEST(multi_page_ring_of_small_slots)
{
    struct pair p;
    uint64_t seq;

    pair_open(&p, 4, 0);
    ck_assert_uint_eq(p.f.r.a.nr_ents, 512);
    ck_assert_uint_eq(test_front_free(&p.f), 512);
    for ( seq = 0; seq < 4 * 512; seq += 512 )
        exchange(&p, seq, 512);
    free(p.area);
}
END_TEST

/* blkif-sized slots: 4 pages hold 145, rounded to 128, the last in page 4. */
struct big_req
{
    uint64_t seq;
    uint8_t body[104];
};

MICA_RING_DEFINE(big, struct big_req, struct test_rsp);

START_TEST(multi_page_ring_of_large_slots)
{
    unsigned char *area = aligned_alloc(PAGE, 4 * PAGE);
    struct big_front f;
    struct big_back b;
    struct big_req req = {0};
    struct test_rsp rsp = {0};
    uint32_t i, round;

    ck_assert_ptr_nonnull(area);
    mica_sring_init((struct mica_sring_header *)area);
    ck_assert_int_eq(big_front_attach(&f, area, 4 * PAGE, 0), 0);
    ck_assert_int_eq(big_back_attach(&b, area, 4 * PAGE, 0), 0);
    ck_assert_uint_eq(f.r.a.nr_ents, 128);
    ck_assert_uint_eq(
        (size_t)((unsigned char *)mica_ring_slot(&f.r.a, 127) - area) / PAGE,
        3);
    for ( round = 0; round < 3; round++ )
    {
        for ( i = 0; i < 128; i++ )
        {
            req.seq = round * 128 + i;
            req.body[103] = (uint8_t)i;
            FAST_ASSERT(big_front_put(&f, &req) == 0);
        }
        big_front_push(&f);
        for ( i = 0; i < 128; i++ )
        {
            FAST_ASSERT(big_back_get(&b, &req) == 1);
            FAST_ASSERT(req.seq == round * 128 + i && req.body[103] == i);
            rsp.seq = req.seq;
            FAST_ASSERT(big_back_put(&b, &rsp) == 0);
        }
        big_back_push(&b);
        for ( i = 0; i < 128; i++ )
            FAST_ASSERT(big_front_get(&f, &rsp) == 1 &&
                        rsp.seq == round * 128 + i);
    }
    free(area);
}
END_TEST

START_TEST(request_notification_handshake)
{
    struct pair p;
    struct test_req req = req_for(1);

    pair_open(&p, 1, 0);
    /* A fresh ring asks to hear about the first request. */
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    ck_assert(test_front_push(&p.f));
    /* The back end has not looked again: no second notification. */
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    ck_assert(!test_front_push(&p.f));
    ck_assert_int_eq(test_back_get(&p.b, &req), 1);
    ck_assert_int_eq(test_back_get(&p.b, &req), 1);
    /* Going to sleep re-arms req_event for the next request. */
    ck_assert_int_eq(test_back_final_check(&p.b), 0);
    ck_assert_uint_eq(p.b.r.a.sring->req_event, 3);
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    ck_assert(test_front_push(&p.f));
    /* A push that races the final check is seen by it. */
    ck_assert_int_eq(test_back_get(&p.b, &req), 1);
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    ck_assert(!test_front_push(&p.f));
    ck_assert_int_eq(test_back_final_check(&p.b), 1);
    /* Pushing nothing never notifies. */
    ck_assert(!test_front_push(&p.f));
    free(p.area);
}
END_TEST

START_TEST(response_notification_handshake)
{
    struct pair p;
    struct test_req req = req_for(1);
    struct test_rsp rsp = {.seq = 1};
    int i;

    pair_open(&p, 1, 0);
    for ( i = 0; i < 3; i++ )
        ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    test_front_push(&p.f);
    for ( i = 0; i < 3; i++ )
        ck_assert_int_eq(test_back_get(&p.b, &req), 1);
    ck_assert_int_eq(test_front_final_check(&p.f), 0);
    ck_assert_int_eq(test_back_put(&p.b, &rsp), 0);
    ck_assert(test_back_push(&p.b));
    ck_assert_int_eq(test_back_put(&p.b, &rsp), 0);
    ck_assert(!test_back_push(&p.b));
    ck_assert_int_eq(test_front_final_check(&p.f), 1);
    ck_assert_int_eq(test_front_get(&p.f, &rsp), 1);
    ck_assert_int_eq(test_front_get(&p.f, &rsp), 1);
    ck_assert_int_eq(test_front_final_check(&p.f), 0);
    ck_assert_int_eq(test_back_put(&p.b, &rsp), 0);
    ck_assert(test_back_push(&p.b));
    free(p.area);
}
END_TEST

START_TEST(request_is_copied_out)
{
    struct pair p;
    struct test_req req = req_for(5), got;
    struct test_sring *s;

    pair_open(&p, 1, 0);
    s = p.area;
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    test_front_push(&p.f);
    ck_assert_int_eq(test_back_get(&p.b, &got), 1);
    /* A peer rewriting the slot afterwards does not reach our copy. */
    s->ring[0].req.seq = 666;
    ck_assert_uint_eq(got.seq, 5);
    free(p.area);
}
END_TEST

/* Front end publishes an impossible req_prod: the back end must refuse. */
START_TEST(back_detects_request_overflow)
{
    static const uint32_t starts[] = {0, 0xffffffff - 3};
    struct pair p;
    struct test_req req;
    uint32_t idx = starts[_i];

    pair_open(&p, 1, idx);
    p.b.r.a.sring->req_prod = idx + 129;
    ck_assert_int_eq(test_back_get(&p.b, &req), -EIO);
    ck_assert_int_eq(test_back_unconsumed(&p.b), -EIO);
    ck_assert_int_eq(test_back_final_check(&p.b), -EIO);
    ck_assert_uint_eq(p.b.r.req_cons, idx);
    /* Exactly a ring's worth is legal. */
    p.b.r.a.sring->req_prod = idx + 128;
    ck_assert_int_eq(test_back_unconsumed(&p.b), 128);
    ck_assert_int_eq(test_back_get(&p.b, &req), 1);
    /* Moving back behind what we took is not. */
    p.b.r.a.sring->req_prod = idx;
    ck_assert_int_eq(test_back_get(&p.b, &req), -EIO);
    p.b.r.a.sring->req_prod = 0x80000000u + idx;
    ck_assert_int_eq(test_back_get(&p.b, &req), -EIO);
    free(p.area);
}
END_TEST

/* Back end publishes more responses than requests: the front must refuse. */
START_TEST(front_detects_response_overflow)
{
    static const uint32_t starts[] = {0, 0xffffffff - 1};
    struct pair p;
    struct test_req req = req_for(0);
    struct test_rsp rsp;
    uint32_t idx = starts[_i];

    pair_open(&p, 1, idx);
    p.f.r.a.sring->rsp_prod = idx + 1; /* nothing was ever requested */
    ck_assert_int_eq(test_front_get(&p.f, &rsp), -EIO);
    ck_assert_int_eq(test_front_final_check(&p.f), -EIO);
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    ck_assert_int_eq(test_front_put(&p.f, &req), 0);
    /* Put but not pushed: the back end cannot have answered them. */
    ck_assert_int_eq(test_front_get(&p.f, &rsp), -EIO);
    test_front_push(&p.f);
    ck_assert_int_eq(test_front_get(&p.f, &rsp), 1);
    p.f.r.a.sring->rsp_prod = idx + 3;
    ck_assert_int_eq(test_front_get(&p.f, &rsp), -EIO);
    p.f.r.a.sring->rsp_prod = idx; /* back behind what we took */
    ck_assert_int_eq(test_front_get(&p.f, &rsp), -EIO);
    ck_assert_uint_eq(p.f.r.rsp_cons, idx + 1);
    free(p.area);
}
END_TEST

Suite *ring_flow_suite(void)
{
    Suite *s = suite_create("ring_flow");
    TCase *tc = tcase_create("flow");

    tcase_add_test(tc, empty_ring_has_nothing);
    tcase_add_test(tc, full_ring_refuses_requests);
    tcase_add_test(tc, traffic_across_the_wrap);
    tcase_add_test(tc, multi_page_ring_of_small_slots);
    tcase_add_test(tc, multi_page_ring_of_large_slots);
    tcase_add_test(tc, request_notification_handshake);
    tcase_add_test(tc, response_notification_handshake);
    tcase_add_test(tc, request_is_copied_out);
    tcase_add_loop_test(tc, back_detects_request_overflow, 0, 2);
    tcase_add_loop_test(tc, front_detects_response_overflow, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
