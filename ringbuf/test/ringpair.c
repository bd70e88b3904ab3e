/*
 * The two ends of ringpair_run() (see ringpair.h).
 *
 * The front end (domain 1, the calling thread) keeps up to `window`
 * requests in flight; the back end (domain 2, a child process or a thread)
 * answers everything it finds and publishes responses every 64 so the front
 * end can refill early. Both follow the ring's sleep protocol: when a pass
 * makes no progress, optionally spin for a while, then do the final check
 * and only if that finds nothing sleep in poll() on the event channel. A
 * poll() that times out after one second means a wake-up was lost, and
 * fails the run.
 *
 * Setup hands the front end's unbound port to the back end through a pipe
 * (xenstore's job between real domains), and the back end says through a
 * second pipe when it has connected, so that the clock starts with both
 * ends running.
 *
 * Two ways to connect (struct ringpair_cfg's `xen`): on a plain host the
 * ring is anonymous shared memory made before fork() and the doorbell is
 * the eventfd backend, the ends playing domains 1 and 2; in a Xen domain
 * the front end grants fresh pages to its own domain through gntalloc,
 * sends their references with its port, and the back end maps them
 * through gntdev and binds a real interdomain channel (a loopback within
 * the domain, as between dom0's kernel and a dom0 xenstored).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mica/evtchn.h>
#include <mica/ringbuf.h>
#include <mica/shmem.h>

#include "ringpair.h"

#define DOM_FRONT       1
#define DOM_BACK        2
#define STALL_MS        1000
#define SETUP_MS        10000
#define BACK_PUSH_EVERY 64

MICA_RING_DEFINE(rp, struct rp_req, struct rp_rsp);

/* What the front end sends the back end: its port and the ring's grants. */
struct setup_msg
{
    int32_t port;
    uint32_t nr_refs;
    uint32_t refs[MICA_SHMEM_MAX_PAGES];
};
_Static_assert(sizeof(struct setup_msg) <= PIPE_BUF,
               "the setup message must reach the back end in one write");

/* What both ends share: set up before the back end starts. */
struct pair_ctx
{
    const struct ringpair_cfg *cfg;
    struct mica_shmem *ring; /* anonymous ring (not with cfg->xen) */
    struct mica_evtchn_host *host;
    int port_pipe[2];  /* front -> back: a struct setup_msg */
    int ready_pipe[2]; /* back -> front: connected */
    struct ringpair_stats *back_stats; /* in shared memory */
    struct mica_shmem *front_ring;     /* granted pages (cfg->xen) */
};

/* One end while it runs. */
struct end
{
    const struct ringpair_cfg *cfg;
    const char *name;
    struct mica_evtchn *h;
    uint32_t port;
    struct mica_shmem *ring; /* granted or mapped pages (cfg->xen) */
    uint64_t notifies, waits;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ull;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dull;
    return x ^ (x >> 33);
}

static uint32_t checksum(uint64_t seq, uint64_t value)
{
    return (uint32_t)(mix(seq ^ mix(value)) >> 16);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void kick(struct end *e)
{
    if ( mica_evtchn_notify(e->h, e->port) == 0 )
        e->notifies++;
}

/* Sleep until an event arrives; -1 if none does within STALL_MS. */
static int wait_event(struct end *e)
{
    struct pollfd pfd = {.fd = mica_evtchn_fd(e->h), .events = POLLIN};
    int rc = poll(&pfd, 1, STALL_MS);
    int port;

    if ( rc == 0 )
    {
        fprintf(stderr,
                "ringpair: %s end got no event for %d ms: a lost "
                "wake-up or a dead peer\n",
                e->name, STALL_MS);
        return -1;
    }
    if ( rc < 0 && errno != EINTR )
    {
        perror("ringpair: poll on the event channel");
        return -1;
    }
    /* Our only port: one pending() takes it, no need to ask again. */
    port = mica_evtchn_pending(e->h);
    if ( port >= 0 )
        mica_evtchn_unmask(e->h, (uint32_t)port);
    e->waits++;
    return 0;
}

/*
 * Nothing to do: spin up to spin_ns while `look(ring, false)` (entries
 * waiting) finds nothing, then `look(ring, true)` (the final check), then
 * sleep. Returns 0 to go round again, -1 on a stall or a malformed peer.
 */
static int end_idle(struct end *e, int (*look)(void *ring, bool final),
                    void *ring)
{
    double until = now() + e->cfg->spin_ns * 1e-9;
    int rc;

    while ( e->cfg->spin_ns && now() < until )
        if ( look(ring, false) != 0 )
            return 0;
    rc = look(ring, true);
    if ( rc < 0 )
        fprintf(stderr, "ringpair: %s end: peer index impossible (%d)\n",
                e->name, rc);
    if ( rc != 0 )
        return rc < 0 ? -1 : 0;
    return wait_event(e);
}

static int front_look(void *ring, bool final)
{
    struct rp_front *f = ring;

    return final ? rp_front_final_check(f) : mica_ring_front_unconsumed(&f->r);
}

static int back_look(void *ring, bool final)
{
    struct rp_back *b = ring;

    return final ? rp_back_final_check(b) : rp_back_unconsumed(b);
}

struct rp_req ringpair_request(uint64_t seq)
{
    struct rp_req r = {.seq = seq, .data = mix(seq)};

    r.csum = checksum(seq, r.data);
    return r;
}

int ringpair_check_response(const struct rp_rsp *rsp, uint64_t seq)
{
    if ( rsp->seq == seq && rsp->result == ~mix(rsp->seq) &&
         rsp->csum == checksum(rsp->seq, rsp->result) )
        return 0;
    fprintf(stderr,
            "ringpair: response %llu: got seq %llu, result %llx, "
            "csum %x\n",
            (unsigned long long)seq, (unsigned long long)rsp->seq,
            (unsigned long long)rsp->result, rsp->csum);
    return -1;
}

int ringpair_answer(const struct rp_req *req, uint64_t seq, struct rp_rsp *rsp)
{
    if ( req->seq != seq || req->data != mix(req->seq) ||
         req->csum != checksum(req->seq, req->data) )
    {
        fprintf(stderr,
                "ringpair: request %llu: got seq %llu, data %llx, "
                "csum %x\n",
                (unsigned long long)seq, (unsigned long long)req->seq,
                (unsigned long long)req->data, req->csum);
        return -1;
    }
    *rsp = (struct rp_rsp){.seq = req->seq, .result = ~mix(req->seq)};
    rsp->csum = checksum(rsp->seq, rsp->result);
    return 0;
}

/* Take every waiting response; the count, or -1 for a bad one. */
static int64_t take_responses(struct rp_front *f, uint64_t *recvd)
{
    struct rp_rsp rsp;
    int64_t n = 0;
    int rc;

    while ( (rc = rp_front_get(f, &rsp)) == 1 )
    {
        if ( ringpair_check_response(&rsp, *recvd) )
            return -1;
        ++*recvd;
        n++;
    }
    return rc < 0 ? -1 : n;
}

static int front_run(struct end *e, struct rp_front *f)
{
    uint64_t sent = 0, recvd = 0, count = e->cfg->count;
    struct rp_req req;
    int64_t taken;
    bool queued;

    while ( recvd < count )
    {
        queued = false;
        while ( sent < count && sent - recvd < e->cfg->window &&
                rp_front_free(f) )
        {
            req = ringpair_request(sent++);
            rp_front_put(f, &req);
            queued = true;
        }
        if ( queued && rp_front_push(f) )
            kick(e);
        taken = take_responses(f, &recvd);
        if ( taken < 0 )
            return -1;
        if ( !queued && taken == 0 && end_idle(e, front_look, f) )
            return -1;
    }
    return 0;
}

/* Check one request and put its response. */
static int answer(struct rp_back *b, const struct rp_req *req, uint64_t done)
{
    struct rp_rsp rsp;

    if ( ringpair_answer(req, done, &rsp) )
        return -1;
    return rp_back_put(b, &rsp);
}

static int back_run(struct end *e, struct rp_back *b)
{
    uint64_t done = 0, n;
    struct rp_req req;
    int rc;

    while ( done < e->cfg->count )
    {
        for ( n = 0; (rc = rp_back_get(b, &req)) == 1; n++ )
        {
            if ( answer(b, &req, done++) )
                return -1;
            if ( n % BACK_PUSH_EVERY == BACK_PUSH_EVERY - 1 && rp_back_push(b) )
                kick(e);
        }
        if ( rc < 0 )
        {
            fprintf(stderr, "ringpair: back end: request index impossible\n");
            return -1;
        }
        if ( n && rp_back_push(b) )
            kick(e);
        if ( n == 0 && end_idle(e, back_look, b) )
            return -1;
    }
    return 0;
}

static int setup_error(const char *end, const char *what, int rc)
{
    fprintf(stderr, "ringpair: %s end: %s: %s\n", end, what, strerror(-rc));
    return rc;
}

/* Open the front end's doorbell and ring; fills `msg`. 0 or -errno. */
static int front_connect(struct pair_ctx *ctx, struct end *e,
                         struct setup_msg *msg)
{
    const struct ringpair_cfg *cfg = ctx->cfg;
    int rc;

    if ( !cfg->xen )
        rc = mica_evtchn_open_host(ctx->host, DOM_FRONT, &e->h);
    else
        rc = mica_evtchn_open(&e->h);
    if ( rc )
        return setup_error("front", "opening the event channel", rc);
    if ( cfg->xen )
    {
        rc = mica_shmem_grant(cfg->domid, cfg->ring_pages, true, &e->ring);
        if ( rc )
            return setup_error("front", "granting the ring (gntalloc)", rc);
        mica_sring_init(mica_shmem_addr(e->ring));
        memcpy(msg->refs, mica_shmem_refs(e->ring),
               cfg->ring_pages * sizeof(msg->refs[0]));
        msg->nr_refs = cfg->ring_pages;
    }
    rc = mica_evtchn_bind_unbound(e->h, cfg->xen ? cfg->domid : DOM_BACK);
    if ( rc < 0 )
        return setup_error("front", "allocating an unbound port", rc);
    msg->port = rc;
    return 0;
}

/* Connect the back end to what `msg` names. 0 or -errno. */
static int back_connect(struct pair_ctx *ctx, struct end *e,
                        const struct setup_msg *msg)
{
    const struct ringpair_cfg *cfg = ctx->cfg;
    int rc;

    if ( !cfg->xen )
        rc = mica_evtchn_open_host(ctx->host, DOM_BACK, &e->h);
    else
        rc = mica_evtchn_open(&e->h);
    if ( rc )
        return setup_error("back", "opening the event channel", rc);
    rc = mica_evtchn_bind_interdomain(e->h, cfg->xen ? cfg->domid : DOM_FRONT,
                                      (uint32_t)msg->port);
    if ( rc < 0 )
        return setup_error("back", "binding the front end's port", rc);
    e->port = (uint32_t)rc;
    if ( cfg->xen && msg->nr_refs != cfg->ring_pages )
        return setup_error("back", "the front end's grants", -EPROTO);
    if ( cfg->xen )
    {
        rc = mica_shmem_map(cfg->domid, msg->refs, msg->nr_refs, true,
                            &e->ring);
        if ( rc )
            return setup_error("back", "mapping the ring (gntdev)", rc);
    }
    return 0;
}

/* The ring an end uses: its own pages, or the anonymous ones. */
static struct mica_shmem *end_ring(struct pair_ctx *ctx, struct end *e)
{
    return ctx->cfg->xen ? e->ring : ctx->ring;
}

/* The back end's side of setup, then its loop. 0 or -1. */
static int back_main(struct pair_ctx *ctx)
{
    struct end e = {.cfg = ctx->cfg, .name = "back"};
    struct setup_msg msg;
    struct rp_back b;
    int rc = -1;

    if ( read(ctx->port_pipe[0], &msg, sizeof(msg)) == sizeof(msg) &&
         back_connect(ctx, &e, &msg) == 0 &&
         rp_back_attach(&b, mica_shmem_addr(end_ring(ctx, &e)),
                        mica_shmem_size(end_ring(ctx, &e)), 0) == 0 &&
         write(ctx->ready_pipe[1], "r", 1) == 1 )
        rc = back_run(&e, &b);
    ctx->back_stats->back_notify = e.notifies;
    ctx->back_stats->back_waits = e.waits;
    /* Unmap before the front end may drop its grants. */
    mica_shmem_close(e.ring);
    mica_evtchn_close(e.h);
    return rc;
}

static void *back_thread(void *arg)
{
    return (void *)(intptr_t)back_main(arg);
}

/* Wait for the back end to connect, at most SETUP_MS. */
static int wait_ready(struct pair_ctx *ctx)
{
    struct pollfd pfd = {.fd = ctx->ready_pipe[0], .events = POLLIN};
    char c;

    if ( poll(&pfd, 1, SETUP_MS) != 1 || read(ctx->ready_pipe[0], &c, 1) != 1 )
    {
        fprintf(stderr, "ringpair: the back end did not connect\n");
        return -1;
    }
    return 0;
}

/* The front end's side of setup, then its loop, timed. */
static int front_main(struct pair_ctx *ctx, struct ringpair_stats *st)
{
    struct end e = {.cfg = ctx->cfg, .name = "front"};
    struct setup_msg msg = {0};
    struct rp_front f;
    double start;
    int rc = -1;

    if ( front_connect(ctx, &e, &msg) == 0 &&
         rp_front_attach(&f, mica_shmem_addr(end_ring(ctx, &e)),
                         mica_shmem_size(end_ring(ctx, &e)), 0) == 0 &&
         write(ctx->port_pipe[1], &msg, sizeof(msg)) == sizeof(msg) &&
         wait_ready(ctx) == 0 )
    {
        e.port = (uint32_t)msg.port;
        start = now();
        rc = front_run(&e, &f);
        st->seconds = now() - start;
    }
    else if ( ctx->port_pipe[1] >= 0 )
    {
        /* A back end thread waiting for the message sees end of file. */
        close(ctx->port_pipe[1]);
        ctx->port_pipe[1] = -1;
    }
    st->front_notify = e.notifies;
    st->front_waits = e.waits;
    mica_evtchn_close(e.h);
    /* The grants outlive this: the back end may still map them. */
    ctx->front_ring = e.ring;
    return rc;
}

/* Run the back end in a thread or a child, the front end here. */
static int run_ends(struct pair_ctx *ctx, struct ringpair_stats *st)
{
    pthread_t thread;
    void *back_rc;
    int rc, status;
    pid_t pid;

    if ( ctx->cfg->threads )
    {
        if ( pthread_create(&thread, NULL, back_thread, ctx) )
            return -1;
        rc = front_main(ctx, st);
        pthread_join(thread, &back_rc);
        return rc || back_rc ? -1 : 0;
    }
    pid = fork();
    if ( pid < 0 )
        return -1;
    if ( pid == 0 )
    {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        _exit(back_main(ctx) ? 1 : 0);
    }
    rc = front_main(ctx, st);
    if ( rc )
        kill(pid, SIGKILL);
    if ( waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
         WEXITSTATUS(status) != 0 )
    {
        fprintf(stderr, "ringpair: the back end process failed\n");
        rc = -1;
    }
    return rc;
}

static void close_pipes(struct pair_ctx *ctx)
{
    int i;

    for ( i = 0; i < 2; i++ )
    {
        if ( ctx->port_pipe[i] >= 0 )
            close(ctx->port_pipe[i]);
        if ( ctx->ready_pipe[i] >= 0 )
            close(ctx->ready_pipe[i]);
    }
}

int ringpair_run(const struct ringpair_cfg *cfg, struct ringpair_stats *st)
{
    struct pair_ctx ctx = {
        .cfg = cfg, .port_pipe = {-1, -1}, .ready_pipe = {-1, -1}};
    struct mica_shmem *ctl = NULL;
    int rc = -1;

    if ( cfg->ring_pages == 0 || cfg->ring_pages > MICA_SHMEM_MAX_PAGES )
        return -1;
    if ( !cfg->xen && mica_shmem_anon(cfg->ring_pages, &ctx.ring) )
        return -1;
    if ( mica_shmem_anon(1, &ctl) ||
         (!cfg->xen && mica_evtchn_host_create(4, &ctx.host)) )
        goto out_shm;
    if ( pipe(ctx.port_pipe) || pipe(ctx.ready_pipe) )
        goto out_pipes;
    ctx.back_stats = mica_shmem_addr(ctl);
    if ( ctx.ring )
        mica_sring_init(mica_shmem_addr(ctx.ring));
    memset(st, 0, sizeof(*st));
    rc = run_ends(&ctx, st);
    st->back_notify = ctx.back_stats->back_notify;
    st->back_waits = ctx.back_stats->back_waits;
out_pipes:
    close_pipes(&ctx);
    if ( ctx.host )
        mica_evtchn_host_destroy(ctx.host);
out_shm:
    mica_shmem_close(ctx.front_ring);
    mica_shmem_close(ctl);
    mica_shmem_close(ctx.ring);
    return rc;
}
