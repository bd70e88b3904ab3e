/*
 * The ringbuf Check suites, and the request/response types they share.
 */
#ifndef MICA_RINGBUF_TEST_SUITES_H
#define MICA_RINGBUF_TEST_SUITES_H

#include <check.h>
#include <stdint.h>

#include <mica/ringbuf.h>

struct test_req
{
    uint64_t seq;
    uint64_t data;
};

struct test_rsp
{
    uint64_t seq;
    uint32_t status;
    uint32_t pad;
};

MICA_RING_DEFINE(test, struct test_req, struct test_rsp);

/* Fails the test without the cost of ck_assert() in long loops. */
#define FAST_ASSERT(expr)                                                      \
    do                                                                         \
    {                                                                          \
        if ( !(expr) )                                                         \
            ck_abort_msg("%s:%d: '%s' failed", __FILE__, __LINE__, #expr);     \
    } while ( 0 )

Suite *ring_index_suite(void);
Suite *ring_flow_suite(void);
Suite *shmem_suite(void);

#endif /* MICA_RINGBUF_TEST_SUITES_H */
