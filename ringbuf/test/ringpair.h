/*
 * A front end and a back end exchanging numbered requests and responses
 * over a ring in shared pages, waking each other through the eventfd
 * event-channel backend: the body of the stress test and of the ring
 * benchmark.
 *
 * With cfg.xen the same exchange runs between two processes of one domain
 * over the real grant and event-channel devices instead.
 *
 * Every request carries its sequence number and a checksum; the back end
 * checks that requests arrive in order and intact and answers each with a
 * response the front end checks the same way. Either end fails the run if
 * it waits more than a second for an event (a missed wake-up) or if the
 * ring reports a malformed peer.
 */
#ifndef MICA_RINGBUF_TEST_RINGPAIR_H
#define MICA_RINGBUF_TEST_RINGPAIR_H

#include <stdbool.h>
#include <stdint.h>

struct rp_req
{
    uint64_t seq;
    uint64_t data;
    uint32_t csum;
    uint32_t pad;
};

struct rp_rsp
{
    uint64_t seq;
    uint64_t result;
    uint32_t csum;
    uint32_t pad;
};

/* Request number `seq`, checksummed. */
struct rp_req ringpair_request(uint64_t seq);

/*
 * Check that `req` is request number `seq`, intact, and make its response.
 * Returns 0, or -1 after saying on stderr what was wrong.
 */
int ringpair_answer(const struct rp_req *req, uint64_t seq, struct rp_rsp *rsp);

/* Check that `rsp` answers request number `seq`; 0, or -1 as above. */
int ringpair_check_response(const struct rp_rsp *rsp, uint64_t seq);

struct ringpair_cfg
{
    uint64_t count;      /* requests (and responses) to exchange */
    uint32_t window;     /* most requests in flight; 1 = one at a time */
    uint32_t ring_pages; /* size of the shared ring */
    uint32_t spin_ns;    /* poll the ring this long before sleeping */
    bool threads;        /* back end in a thread rather than a process */
    /*
     * Both ends in processes of one Xen (or Mica) domain whose id is
     * `domid`, through Linux's /dev/xen devices: the front end grants the
     * ring's pages (gntalloc) and the back end maps them (gntdev), and the
     * event channel is a real one (evtchn). Otherwise anonymous shared
     * memory and the eventfd backend.
     */
    bool xen;
    uint16_t domid;
};

struct ringpair_stats
{
    double seconds;        /* first request to last response */
    uint64_t front_notify; /* notifications the front end sent */
    uint64_t back_notify;  /* ... and the back end */
    uint64_t front_waits;  /* times the front end slept */
    uint64_t back_waits;
};

/*
 * Run one exchange. Returns 0, or -1 after printing to stderr what went
 * wrong (lost, duplicated or corrupt entry, stall, setup failure).
 */
int ringpair_run(const struct ringpair_cfg *cfg, struct ringpair_stats *st);

#endif /* MICA_RINGBUF_TEST_RINGPAIR_H */
