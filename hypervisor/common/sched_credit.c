/*
 * Credit scheduling for one physical CPU.
 *
 * Every CSCHED_PERIOD_NS the CPU's time is divided among the units that
 * were active in the period (running, queued, or parked by their cap), in
 * proportion to their weights, and added to each one's credit. Running
 * costs credit nanosecond for nanosecond. A unit with credit left is
 * UNDER, one without is OVER; UNDER units always run before OVER ones, so
 * over a few periods each busy unit gets its weight's share, and a unit
 * that spins forever sinks to OVER and cannot starve the others. A unit
 * woken from blocking with credit left is BOOSTed ahead of everyone until
 * it is next charged: interactive and I/O-bound vCPUs get low latency.
 *
 * A cap limits a unit to cap% of one CPU per period even when the CPU is
 * otherwise idle: once period_used reaches the limit the unit is parked
 * (runnable but not queued) until the next period.
 *
 * Invariants: a unit is queued only if it is runnable, not parked and not
 * running; the run queue is ordered by priority and FIFO within one;
 * credit stays within [-PERIOD, PERIOD] so neither a long sleep nor a
 * long overrun distorts later shares for more than about a period.
 */
#include <mica/sched_credit.h>

static int64_t clamp_credit(int64_t c)
{
    const int64_t lim = CSCHED_PERIOD_NS;

    return c > lim ? lim : c < -lim ? -lim : c;
}

static uint8_t credit_pri(const struct csched_unit *u)
{
    return u->credit > 0 ? CSCHED_PRI_UNDER : CSCHED_PRI_OVER;
}

static uint64_t cap_limit(const struct csched_unit *u)
{
    return CSCHED_PERIOD_NS * u->cap / 100;
}

static bool parked(const struct csched_unit *u)
{
    return u->cap && u->period_used >= cap_limit(u);
}

static void runq_remove(struct csched_cpu *c, struct csched_unit *u)
{
    struct csched_unit **pp = &c->runq;

    while ( *pp && *pp != u )
        pp = &(*pp)->next;
    if ( *pp )
        *pp = u->next;
    u->next = NULL;
    u->queued = false;
}

/* Behind every unit of the same or higher priority; parked units wait. */
static void runq_insert(struct csched_cpu *c, struct csched_unit *u)
{
    struct csched_unit **pp = &c->runq;

    if ( parked(u) )
        return;
    while ( *pp && (*pp)->pri <= u->pri )
        pp = &(*pp)->next;
    u->next = *pp;
    *pp = u;
    u->queued = true;
}

void csched_init(struct csched_cpu *c, uint64_t now)
{
    memset(c, 0, sizeof(*c));
    c->period_start = now;
    c->curr_start = now;
}

int csched_set_params(struct csched_unit *u, uint32_t weight, uint32_t cap)
{
    if ( weight == 0 || weight > 65535 || cap > 100 )
        return -EINVAL;
    u->weight = weight;
    u->cap = cap;
    return 0;
}

int csched_add(struct csched_cpu *c, struct csched_unit *u, void *owner,
               uint32_t weight, uint32_t cap)
{
    if ( c->nr_units >= CSCHED_MAX_UNITS )
        return -ENOSPC;
    memset(u, 0, sizeof(*u));
    if ( csched_set_params(u, weight, cap) )
        return -EINVAL;
    u->owner = owner;
    u->pri = CSCHED_PRI_OVER;
    c->units[c->nr_units++] = u;
    return 0;
}

void csched_sleep(struct csched_cpu *c, struct csched_unit *u)
{
    u->runnable = false;
    if ( u->queued )
        runq_remove(c, u);
}

bool csched_wake(struct csched_cpu *c, struct csched_unit *u, uint64_t now)
{
    if ( u->runnable )
        return false;
    u->runnable = true;
    u->active = true;
    u->pri = u->credit > 0 ? CSCHED_PRI_BOOST : CSCHED_PRI_OVER;
    if ( u == c->curr )
        return false;       /* blocked and woken before it was switched out */
    runq_insert(c, u);
    return u->queued && (!c->curr || u->pri < c->curr->pri);
}

static void charge(struct csched_cpu *c, uint64_t now)
{
    struct csched_unit *u = c->curr;
    uint64_t ran = now > c->curr_start ? now - c->curr_start : 0;

    c->curr_start = now;
    if ( !u )
        return;
    u->credit = clamp_credit(u->credit - (int64_t)ran);
    u->total_ns += ran;
    u->period_used += ran;
}

/* Re-sort the queue after priorities changed, keeping FIFO order. */
static void runq_rebuild(struct csched_cpu *c)
{
    struct csched_unit *list = c->runq, *u;

    c->runq = NULL;
    while ( (u = list) != NULL )
    {
        list = u->next;
        u->next = NULL;
        u->queued = false;
        runq_insert(c, u);
    }
}

static void account(struct csched_cpu *c, uint64_t now)
{
    uint64_t total_weight = 0;

    if ( now < c->period_start + CSCHED_PERIOD_NS )
        return;
    for ( unsigned int i = 0; i < c->nr_units; i++ )
        if ( c->units[i]->active || c->units[i]->runnable )
            total_weight += c->units[i]->weight;
    for ( unsigned int i = 0; i < c->nr_units; i++ )
    {
        struct csched_unit *u = c->units[i];
        bool was_parked = u->runnable && !u->queued && u != c->curr;

        if ( total_weight && (u->active || u->runnable) )
            u->credit = clamp_credit(u->credit + (int64_t)(
                CSCHED_PERIOD_NS * u->weight / total_weight));
        u->period_used = 0;
        u->active = u->runnable;
        if ( u->queued || u == c->curr )
            u->pri = credit_pri(u);
        if ( was_parked )
        {
            u->pri = credit_pri(u);
            runq_insert(c, u);
        }
    }
    runq_rebuild(c);
    /* After a long idle stretch, start a fresh period rather than many. */
    c->period_start += CSCHED_PERIOD_NS;
    if ( now >= c->period_start + CSCHED_PERIOD_NS )
        c->period_start = now;
}

static uint64_t slice_for(const struct csched_cpu *c, uint64_t now)
{
    const struct csched_unit *u = c->curr;
    uint64_t slice = c->period_start + CSCHED_PERIOD_NS - now;

    if ( u )
    {
        slice = MIN(slice, CSCHED_SLICE_NS);
        /* Stop when the credit is spent, so shares stay fine-grained. */
        if ( u->credit > 0 && c->runq )
            slice = MIN(slice, (uint64_t)u->credit);
        if ( u->cap )
            slice = MIN(slice, cap_limit(u) - u->period_used);
    }
    return MAX(slice, CSCHED_MIN_SLICE_NS);
}

struct csched_unit *csched_schedule(struct csched_cpu *c, uint64_t now,
                                    bool yield, uint64_t *slice)
{
    struct csched_unit *prev = c->curr;

    charge(c, now);
    account(c, now);
    /*
     * Back behind every unit of its priority: a slice that ran out and a
     * yield are the same here. Alone in its class, it runs again.
     */
    if ( prev && prev->runnable )
    {
        prev->pri = credit_pri(prev);
        runq_insert(c, prev);
    }
    c->curr = c->runq;
    if ( c->curr )
        runq_remove(c, c->curr);
    *slice = slice_for(c, now);
    return c->curr;
}

void csched_remove(struct csched_cpu *c, struct csched_unit *u, uint64_t now)
{
    if ( c->curr == u )
    {
        charge(c, now);
        c->curr = NULL;
    }
    csched_sleep(c, u);
    for ( unsigned int i = 0; i < c->nr_units; i++ )
        if ( c->units[i] == u )
        {
            c->units[i] = c->units[--c->nr_units];
            break;
        }
}
