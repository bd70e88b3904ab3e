/*
 * Event channels, 2-level ABI: the port state machine and delivery.
 *
 * Each domain has NR_EVENT_CHANNELS ports; port 0 is reserved. A port is
 *
 *   FREE -> UNBOUND (alloc_unbound) -> INTERDOMAIN (peer bind_interdomain)
 *   FREE -> INTERDOMAIN (bind_interdomain, the binding side)
 *   FREE -> VIRQ (bind_virq) | IPI (bind_ipi)
 *   any bound state -> FREE (close, reset)
 *
 * Invariants: an INTERDOMAIN port p of d names q of e, and q names p of d
 * (both ends change together); the one exception is a port whose peer is
 * the hypervisor itself (remote_dom == DOMID_XEN, the console). Closing
 * one end of a pair puts the other back to UNBOUND for the same peer, as
 * Xen does, so the survivor may be bound again. virq_to_port[v][virq] is
 * non-zero exactly while that port is a VIRQ port for (v, virq). A freed
 * port has its pending bit cleared, so a later binding starts clean.
 *
 * Delivery sets the port's bit in shared_info.evtchn_pending; if it was
 * clear and the port is unmasked, the word's bit in the target vCPU's
 * evtchn_pending_sel, and if that was clear, evtchn_upcall_pending, which
 * the exit path turns into an upcall. Unmask re-runs the second half. The
 * bitmaps are shared with the guest, so every change is one atomic RMW.
 *
 * Validation comes first in every operation; state changes only after the
 * last check, and never fail halfway.
 */
#include <mica/event.h>
#include <mica/guest_access.h>

#define BITS_PER_WORD 64

static bool test_and_set(uint64_t *word, unsigned int bit)
{
    uint64_t m = 1ULL << bit;

    return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear(uint64_t *word, unsigned int bit)
{
    uint64_t m = 1ULL << bit;

    return __atomic_fetch_and(word, ~m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit(const uint64_t *word, unsigned int bit)
{
    return (__atomic_load_n(word, __ATOMIC_SEQ_CST) >> bit) & 1;
}

static uint64_t *pending_word(const struct evtchn_domain *d, uint32_t port)
{
    return (uint64_t *)&d->shared->evtchn_pending[port / BITS_PER_WORD];
}

static uint64_t *mask_word(const struct evtchn_domain *d, uint32_t port)
{
    return (uint64_t *)&d->shared->evtchn_mask[port / BITS_PER_WORD];
}

static bool port_valid(uint32_t port)
{
    return port < NR_EVENT_CHANNELS;
}

void evtchn_domain_init(struct evtchn_domain *d, domid_t domid,
                        bool privileged, struct shared_info *shared)
{
    memset(d, 0, sizeof(*d));
    d->domid = domid;
    d->privileged = privileged;
    d->shared = shared;
    d->max_port = NR_EVENT_CHANNELS - 1;
    d->port[0].state = ECS_RESERVED;
}

bool evtchn_virq_is_global(uint32_t virq)
{
    switch ( virq )
    {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;        /* including x86's arch virqs */
    }
}

/* Tell vCPU `vcpu` that word `port / 64` has something for it. */
static void mark_selector(struct evtchn_domain *d, uint32_t vcpu,
                          uint32_t port)
{
    struct vcpu_info *vi = evtchn_env_vcpu_info(d, vcpu);

    if ( !vi )
        return;
    if ( test_and_set((uint64_t *)&vi->evtchn_pending_sel,
                      port / BITS_PER_WORD) )
        return;
    if ( __atomic_exchange_n(&vi->evtchn_upcall_pending, 1,
                             __ATOMIC_SEQ_CST) )
        return;
    evtchn_env_kick(d, vcpu);
}

static void set_pending(struct evtchn_domain *d, uint32_t port)
{
    if ( test_and_set(pending_word(d, port), port % BITS_PER_WORD) )
        return;
    if ( !test_bit(mask_word(d, port), port % BITS_PER_WORD) )
        mark_selector(d, d->port[port].notify_vcpu, port);
    evtchn_env_check_pollers(d, port);
}

bool evtchn_is_pending(const struct evtchn_domain *d, uint32_t port)
{
    return port_valid(port) &&
           test_bit(pending_word(d, port), port % BITS_PER_WORD);
}

/* Lowest free port, or -ENOSPC. */
static int get_free_port(const struct evtchn_domain *d)
{
    for ( uint32_t p = 1; p <= d->max_port && p < NR_EVENT_CHANNELS; p++ )
        if ( d->port[p].state == ECS_FREE )
            return p;
    return -ENOSPC;
}

static void free_port(struct evtchn_domain *d, uint32_t port)
{
    test_and_clear(pending_word(d, port), port % BITS_PER_WORD);
    memset(&d->port[port], 0, sizeof(d->port[port]));
}

/* A domain id from a guest: DOMID_SELF means the caller. */
static struct evtchn_domain *lookup(struct evtchn_domain *cur, domid_t id)
{
    return id == DOMID_SELF || id == cur->domid ? cur
                                                : evtchn_env_domain(id);
}

/* Xen's XSM "target" rule: oneself, or a privileged caller. */
static bool may_act_on(const struct evtchn_domain *cur,
                       const struct evtchn_domain *d)
{
    return cur == d || cur->privileged;
}

int evtchn_alloc_unbound(struct evtchn_domain *cur,
                         struct evtchn_alloc_unbound *a)
{
    struct evtchn_domain *d = lookup(cur, a->dom);
    int port;

    if ( !d )
        return -ESRCH;
    port = get_free_port(d);
    if ( port < 0 )
        return port;
    if ( !may_act_on(cur, d) )
        return -EPERM;
    d->port[port].state = ECS_UNBOUND;
    d->port[port].remote_dom = a->remote_dom == DOMID_SELF ? cur->domid
                                                           : a->remote_dom;
    a->port = port;
    return 0;
}

int evtchn_bind_interdomain(struct evtchn_domain *cur,
                            struct evtchn_bind_interdomain *b)
{
    struct evtchn_domain *rd = lookup(cur, b->remote_dom);
    struct evtchn *l, *r;
    int lport;

    if ( !rd )
        return -ESRCH;
    lport = get_free_port(cur);
    if ( lport < 0 )
        return lport;
    if ( !port_valid(b->remote_port) )
        return -EINVAL;
    r = &rd->port[b->remote_port];
    if ( r->state != ECS_UNBOUND || r->remote_dom != cur->domid )
        return -EINVAL;

    l = &cur->port[lport];
    l->state = ECS_INTERDOMAIN;
    l->remote_dom = rd->domid;
    l->remote_port = b->remote_port;
    r->state = ECS_INTERDOMAIN;
    r->remote_dom = cur->domid;
    r->remote_port = lport;
    /* Sends to the unbound remote end were dropped: report one, as Xen. */
    set_pending(cur, lport);
    b->local_port = lport;
    return 0;
}

int evtchn_bind_virq(struct evtchn_domain *cur, struct evtchn_bind_virq *b)
{
    int port;

    if ( b->virq >= NR_VIRQS )
        return -EINVAL;
    if ( evtchn_virq_is_global(b->virq) && b->vcpu != 0 )
        return -EINVAL;
    if ( b->vcpu >= EVTCHN_MAX_VCPUS || !evtchn_env_vcpu_info(cur, b->vcpu) )
        return -ENOENT;
    if ( cur->virq_to_port[b->vcpu][b->virq] )
        return -EEXIST;
    port = get_free_port(cur);
    if ( port < 0 )
        return port;
    cur->port[port].state = ECS_VIRQ;
    cur->port[port].notify_vcpu = b->vcpu;
    cur->port[port].remote_port = b->virq;
    cur->virq_to_port[b->vcpu][b->virq] = port;
    b->port = port;
    return 0;
}

int evtchn_bind_ipi(struct evtchn_domain *cur, struct evtchn_bind_ipi *b)
{
    int port;

    if ( b->vcpu >= EVTCHN_MAX_VCPUS || !evtchn_env_vcpu_info(cur, b->vcpu) )
        return -ENOENT;
    port = get_free_port(cur);
    if ( port < 0 )
        return port;
    cur->port[port].state = ECS_IPI;
    cur->port[port].notify_vcpu = b->vcpu;
    b->port = port;
    return 0;
}

int evtchn_alloc_xen_bound(struct evtchn_domain *d, uint32_t vcpu)
{
    int port = get_free_port(d);

    if ( port < 0 )
        return port;
    d->port[port].state = ECS_INTERDOMAIN;
    d->port[port].notify_vcpu = vcpu;
    d->port[port].remote_dom = DOMID_XEN;
    return port;
}

int evtchn_close(struct evtchn_domain *d, uint32_t port)
{
    struct evtchn *c;

    if ( !port_valid(port) )
        return -EINVAL;
    c = &d->port[port];
    switch ( c->state )
    {
    case ECS_FREE:
    case ECS_RESERVED:
        return -EINVAL;
    case ECS_VIRQ:
    {
        uint32_t v = evtchn_virq_is_global(c->remote_port) ? 0
                                                           : c->notify_vcpu;

        d->virq_to_port[v][c->remote_port] = 0;
        break;
    }
    case ECS_INTERDOMAIN:
    {
        struct evtchn_domain *rd = c->remote_dom == DOMID_XEN ? NULL
                                   : lookup(d, c->remote_dom);

        /* The far end goes back to waiting for us. */
        if ( rd )
        {
            struct evtchn *r = &rd->port[c->remote_port];

            r->state = ECS_UNBOUND;
            r->remote_dom = d->domid;
            r->remote_port = 0;
        }
        break;
    }
    default:
        break;
    }
    free_port(d, port);
    return 0;
}

int evtchn_send(struct evtchn_domain *d, uint32_t port)
{
    const struct evtchn *c;
    struct evtchn_domain *rd;

    if ( !port_valid(port) )
        return -EINVAL;
    c = &d->port[port];
    switch ( c->state )
    {
    case ECS_INTERDOMAIN:
        if ( c->remote_dom == DOMID_XEN )
        {
            evtchn_env_xen_notify(d, port);
            return 0;
        }
        rd = lookup(d, c->remote_dom);
        if ( rd )
            set_pending(rd, c->remote_port);
        return 0;
    case ECS_IPI:
        set_pending(d, port);
        return 0;
    case ECS_UNBOUND:
        return 0;               /* nobody listens yet: dropped */
    default:
        return -EINVAL;
    }
}

void evtchn_send_virq(struct evtchn_domain *d, uint32_t vcpu, uint32_t virq)
{
    uint32_t port;

    if ( virq >= NR_VIRQS || vcpu >= EVTCHN_MAX_VCPUS )
        return;
    port = d->virq_to_port[evtchn_virq_is_global(virq) ? 0 : vcpu][virq];
    if ( port )
        set_pending(d, port);
}

int evtchn_status(struct evtchn_domain *cur, struct evtchn_status *s)
{
    struct evtchn_domain *d = lookup(cur, s->dom);
    const struct evtchn *c;

    if ( !d )
        return -ESRCH;
    if ( !port_valid(s->port) )
        return -EINVAL;
    if ( !may_act_on(cur, d) )
        return -EPERM;
    c = &d->port[s->port];
    memset(&s->u, 0, sizeof(s->u));
    switch ( c->state )
    {
    case ECS_UNBOUND:
        s->status = EVTCHNSTAT_unbound;
        s->u.unbound.dom = c->remote_dom;
        break;
    case ECS_INTERDOMAIN:
        s->status = EVTCHNSTAT_interdomain;
        s->u.interdomain.dom = c->remote_dom;
        s->u.interdomain.port = c->remote_port;
        break;
    case ECS_VIRQ:
        s->status = EVTCHNSTAT_virq;
        s->u.virq = c->remote_port;
        break;
    case ECS_IPI:
        s->status = EVTCHNSTAT_ipi;
        break;
    default:
        s->status = EVTCHNSTAT_closed;
        break;
    }
    s->vcpu = c->notify_vcpu;
    return 0;
}

int evtchn_bind_vcpu(struct evtchn_domain *d, uint32_t port, uint32_t vcpu)
{
    struct evtchn *c;

    if ( vcpu >= EVTCHN_MAX_VCPUS || !evtchn_env_vcpu_info(d, vcpu) )
        return -ENOENT;
    if ( !port_valid(port) )
        return -EINVAL;
    c = &d->port[port];
    switch ( c->state )
    {
    case ECS_VIRQ:
        if ( !evtchn_virq_is_global(c->remote_port) )
            return -EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
        break;
    default:
        return -EINVAL;
    }
    c->notify_vcpu = vcpu;
    return 0;
}

int evtchn_unmask(struct evtchn_domain *d, uint32_t port)
{
    if ( !port_valid(port) )
        return -EINVAL;
    if ( test_and_clear(mask_word(d, port), port % BITS_PER_WORD) &&
         test_bit(pending_word(d, port), port % BITS_PER_WORD) )
        mark_selector(d, d->port[port].notify_vcpu, port);
    return 0;
}

int evtchn_reset(struct evtchn_domain *cur, domid_t dom)
{
    struct evtchn_domain *d = lookup(cur, dom);

    if ( !d )
        return -ESRCH;
    if ( !may_act_on(cur, d) )
        return -EPERM;
    for ( uint32_t p = 1; p < NR_EVENT_CHANNELS; p++ )
        if ( d->port[p].state != ECS_FREE &&
             !(d->port[p].state == ECS_INTERDOMAIN &&
               d->port[p].remote_dom == DOMID_XEN) )
            evtchn_close(d, p);
    return 0;
}

/* copy-in, worker, copy-out for the sub-ops that answer something. */
#define OP_INOUT(type, call)                                                  \
    do {                                                                      \
        struct type op_;                                                      \
        long rc_;                                                             \
                                                                              \
        if ( copy_from_guest(&op_, arg, sizeof(op_)) )                        \
            return -EFAULT;                                                   \
        rc_ = call(cur, &op_);                                                \
        if ( !rc_ && copy_to_guest(arg, &op_, sizeof(op_)) )                  \
            rc_ = -EFAULT;                                                    \
        return rc_;                                                           \
    } while ( 0 )

/* A sub-op whose argument is a single port. */
static long port_op(unsigned long arg, struct evtchn_domain *cur,
                    int (*fn)(struct evtchn_domain *, uint32_t))
{
    uint32_t port;

    if ( copy_from_guest(&port, arg, sizeof(port)) )
        return -EFAULT;
    return fn(cur, port);
}

static long fifo_op(unsigned long arg, size_t size, long rc)
{
    uint8_t buf[sizeof(struct evtchn_init_control)];

    if ( copy_from_guest(buf, arg, size) )
        return -EFAULT;
    return rc;
}

long do_event_channel_op(unsigned long cmd, unsigned long arg,
                         unsigned long a3, unsigned long a4,
                         unsigned long a5)
{
    struct evtchn_domain *cur = evtchn_env_current();

    switch ( cmd )
    {
    case EVTCHNOP_alloc_unbound:
        OP_INOUT(evtchn_alloc_unbound, evtchn_alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        OP_INOUT(evtchn_bind_interdomain, evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:
        OP_INOUT(evtchn_bind_virq, evtchn_bind_virq);
    case EVTCHNOP_bind_ipi:
        OP_INOUT(evtchn_bind_ipi, evtchn_bind_ipi);
    case EVTCHNOP_status:
        OP_INOUT(evtchn_status, evtchn_status);
    case EVTCHNOP_close:
        return port_op(arg, cur, evtchn_close);
    case EVTCHNOP_send:
        return port_op(arg, cur, evtchn_send);
    case EVTCHNOP_unmask:
        return port_op(arg, cur, evtchn_unmask);
    case EVTCHNOP_bind_vcpu:
    {
        struct evtchn_bind_vcpu b;

        if ( copy_from_guest(&b, arg, sizeof(b)) )
            return -EFAULT;
        return evtchn_bind_vcpu(cur, b.port, b.vcpu);
    }
    case EVTCHNOP_reset:
    {
        struct evtchn_reset r;

        if ( copy_from_guest(&r, arg, sizeof(r)) )
            return -EFAULT;
        return evtchn_reset(cur, r.dom);
    }
    case EVTCHNOP_bind_pirq:
        /* No physical IRQs are routed to guests yet. */
        return fifo_op(arg, sizeof(struct evtchn_bind_pirq), -EPERM);
    case EVTCHNOP_init_control:
        /* No FIFO ABI: answer as a Xen without it; Linux keeps 2-level. */
        return fifo_op(arg, sizeof(struct evtchn_init_control), -ENOSYS);
    case EVTCHNOP_expand_array:
        /* Xen 4.17's answer while FIFO is not set up for the domain. */
        return fifo_op(arg, sizeof(struct evtchn_expand_array), -EOPNOTSUPP);
    case EVTCHNOP_set_priority:
    {
        struct evtchn_set_priority sp;

        if ( copy_from_guest(&sp, arg, sizeof(sp)) )
            return -EFAULT;
        /* Xen 4.17 on a 2-level domain: a valid port has no priority. */
        return port_valid(sp.port) ? -ENOSYS : -EINVAL;
    }
    default:
        return -ENOSYS;
    }
}
