/*
 * Event channels, pvclock time and the multi-domain protocol for test
 * kernels; see events.h.
 */
#include "test.h"

volatile unsigned int port_events[NR_EVENT_CHANNELS];
unsigned int my_domid, nr_domus;
uint32_t ctl_port[MAX_TEST_DOMUS + 1];

long evtchn_alloc_unbound(domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

    return rc ? rc : a.port;
}

long evtchn_bind_interdomain(domid_t remote, uint32_t remote_port)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote,
                                         .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);

    return rc ? rc : b.local_port;
}

long evtchn_bind_retry(domid_t remote, uint32_t remote_port,
                       unsigned int tries)
{
    long p = -XEN_EINVAL;

    for ( unsigned int i = 0; i < tries; i++ )
    {
        p = evtchn_bind_interdomain(remote, remote_port);
        if ( p > 0 )
        {
            evtchn_test_and_clear(p);   /* the bind's conservative event */
            return p;
        }
        poll_ports(NULL, 0, 1 * MS);
    }
    return p;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

    return rc ? rc : b.port;
}

long evtchn_bind_ipi(uint32_t vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);

    return rc ? rc : b.port;
}

long evtchn_send(uint32_t port)
{
    struct evtchn_send s = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

long evtchn_close(uint32_t port)
{
    struct evtchn_close c = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

long evtchn_unmask(uint32_t port)
{
    struct evtchn_unmask u = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
}

long evtchn_status(domid_t dom, uint32_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

bool evtchn_pending(uint32_t port)
{
    return (shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

bool evtchn_test_and_clear(uint32_t port)
{
    uint64_t m = 1ULL << (port % 64);

    return __atomic_fetch_and(&shared_info->evtchn_pending[port / 64], ~m,
                              __ATOMIC_SEQ_CST) & m;
}

void evtchn_set_mask(uint32_t port, bool masked)
{
    uint64_t m = 1ULL << (port % 64);

    if ( masked )
        __atomic_fetch_or(&shared_info->evtchn_mask[port / 64], m,
                          __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&shared_info->evtchn_mask[port / 64], ~m,
                           __ATOMIC_SEQ_CST);
}

/* The 2-level scan Linux does: selector word, then pending & ~mask. */
static void dispatch_2l(void)
{
    struct vcpu_info *vi = vcpu0_info();
    uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
                                       __ATOMIC_SEQ_CST);

    while ( sel )
    {
        unsigned int w = __builtin_ctzll(sel);
        uint64_t bits;

        sel &= sel - 1;
        bits = shared_info->evtchn_pending[w] & ~shared_info->evtchn_mask[w];
        while ( bits )
        {
            unsigned int b = __builtin_ctzll(bits);

            bits &= bits - 1;
            if ( evtchn_test_and_clear(w * 64 + b) )
                port_events[w * 64 + b]++;
        }
    }
}

void events_enable(void)
{
    struct vcpu_info *vi = vcpu0_info();

    event_hook = dispatch_2l;
    vi->evtchn_upcall_mask = 0;
    asm volatile ( "" ::: "memory" );
    /* As Linux does: an upcall already pending needs a hypercall to come. */
    if ( vi->evtchn_upcall_pending )
        HYPERVISOR_xen_version(0, NULL);
}

long poll_ports(const uint32_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll p = { .ports = GADDR(ports), .nr_ports = n,
                            .timeout = system_time() + timeout };

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

bool wait_port(uint32_t port, uint64_t timeout)
{
    uint64_t end = system_time() + timeout;

    for ( ;; )
    {
        if ( evtchn_test_and_clear(port) )
            return true;
        if ( system_time() >= end )
            return false;
        poll_ports(&port, 1, end - system_time());
    }
}

uint64_t tsc_khz(void)
{
    const struct vcpu_time_info *t = &vcpu0_info()->time;
    uint64_t khz = (1000000ULL << 32) / t->tsc_to_system_mul;

    /* ns = (cycles << shift) * mul >> 32, so a larger shift is fewer. */
    return t->tsc_shift < 0 ? khz << -t->tsc_shift : khz >> t->tsc_shift;
}

uint64_t system_time(void)
{
    volatile struct vcpu_time_info *t = &vcpu0_info()->time;
    uint32_t version;
    uint64_t stamp, base, delta;
    uint32_t mul;
    int8_t shift;

    do {
        version = t->version;
        asm volatile ( "" ::: "memory" );
        stamp = t->tsc_timestamp;
        base = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        delta = rdtsc() - stamp;
        asm volatile ( "" ::: "memory" );
    } while ( (version & 1) || version != t->version );
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    return base + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

static const char *cmdline_find(const char *key)
{
    const char *s = (const char *)start_info->cmd_line;
    size_t n = strlen(key);

    for ( const char *p = s; *p; p++ )
        if ( (p == s || p[-1] == ' ') && !strncmp(p, key, n) &&
             (p[n] == '=' || p[n] == ' ' || p[n] == '\0') )
            return p + n;
    return NULL;
}

unsigned long cmdline_uint(const char *key, unsigned long def)
{
    const char *p = cmdline_find(key);
    unsigned long v = 0;

    if ( !p || *p != '=' )
        return def;
    for ( p++; *p >= '0' && *p <= '9'; p++ )
        v = v * 10 + (*p - '0');
    return v;
}

bool cmdline_has(const char *word)
{
    return cmdline_find(word) != NULL;
}

static void signal_done(void)
{
    evtchn_send(ctl_port[0]);
}

bool multi_init(void)
{
    if ( !map_shared_info() )
        return false;
    my_domid = cmdline_uint("id", 0);
    nr_domus = cmdline_uint("domus", 0);
    if ( my_domid == 0 )
    {
        for ( unsigned int i = 1; i <= nr_domus && i <= MAX_TEST_DOMUS; i++ )
        {
            long p = evtchn_alloc_unbound(DOMID_SELF, i);

            if ( p != i )
            {
                test_error("control port for d%u: got %ld", i, p);
                return false;
            }
            ctl_port[i] = p;
        }
        return true;
    }
    {
        long p = evtchn_bind_retry(0, my_domid, 2000);

        if ( p > 0 )
        {
            ctl_port[0] = p;
            test_finish_hook = signal_done;
            return true;
        }
    }
    test_error("could not bind dom0's control port %u", my_domid);
    return false;
}

bool multi_wait_done(unsigned int domid, uint64_t timeout)
{
    return wait_port(ctl_port[domid], timeout);
}
