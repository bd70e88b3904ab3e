/*
 * The credit scheduler's accounting and run-queue logic, per physical CPU.
 *
 * Pure logic: it knows units (one per vCPU), weights, caps, credit and
 * time in nanoseconds handed in by the caller; it never reads a clock or
 * touches a vCPU. The hypervisor's glue (common/schedule.c) calls it when
 * something changes and arms a timer for the returned slice; the unit
 * tests drive it with a simulated clock.
 */
#ifndef MICA_SCHED_CREDIT_H
#define MICA_SCHED_CREDIT_H

#include <mica/env.h>

#define CSCHED_PERIOD_NS    30000000ULL     /* credit is handed out per 30 ms */
#define CSCHED_SLICE_NS     10000000ULL     /* longest run without a check */
#define CSCHED_MIN_SLICE_NS   500000ULL     /* shortest slice we arm */
#define CSCHED_MAX_UNITS    256             /* vCPUs on the CPU, all domains */
#define CSCHED_DEFAULT_WEIGHT 256           /* Xen's default */

/* Priorities, highest first. */
#define CSCHED_PRI_BOOST 0      /* just woken with credit left */
#define CSCHED_PRI_UNDER 1      /* credit > 0 */
#define CSCHED_PRI_OVER  2      /* used up its share */

struct csched_unit
{
    struct csched_unit *next;   /* run-queue link */
    int64_t credit;             /* ns of CPU still owed to this unit */
    uint64_t period_used;       /* ns run in the current period (caps) */
    uint64_t total_ns;          /* ns run since creation */
    uint32_t weight;            /* relative share, > 0 */
    uint32_t cap;               /* % of one CPU; 0: no cap */
    uint8_t pri;
    bool runnable;              /* wants the CPU (queued or running) */
    bool queued;
    bool active;                /* ran or wanted to in this period */
    void *owner;                /* the vCPU, for the glue */
};

struct csched_cpu
{
    struct csched_unit *runq;   /* by priority, FIFO within one */
    struct csched_unit *curr;   /* NULL: idle */
    struct csched_unit *units[CSCHED_MAX_UNITS];
    unsigned int nr_units;
    uint64_t period_start;      /* ns */
    uint64_t curr_start;        /* when curr was last charged */
};

void csched_init(struct csched_cpu *c, uint64_t now);
/* Add a unit (not runnable yet); -ENOSPC when the CPU is full. */
int csched_add(struct csched_cpu *c, struct csched_unit *u, void *owner,
               uint32_t weight, uint32_t cap);
/* Forget a unit for good (its domain is gone). */
void csched_remove(struct csched_cpu *c, struct csched_unit *u, uint64_t now);
/* Set weight (> 0) and cap (0-100 per CPU); -EINVAL otherwise. */
int csched_set_params(struct csched_unit *u, uint32_t weight, uint32_t cap);

/*
 * A unit became runnable. Returns true if it should preempt the running
 * unit (the caller then reschedules soon).
 */
bool csched_wake(struct csched_cpu *c, struct csched_unit *u, uint64_t now);
/* A unit stopped being runnable (blocked, shut down). */
void csched_sleep(struct csched_cpu *c, struct csched_unit *u);

/*
 * Charge the running unit up to `now`, do the period's accounting when it
 * is due, and choose who runs next (NULL: idle). With `yield`, the
 * running unit goes behind every other unit of its priority. *slice is
 * set to how long the choice holds before the caller must call again.
 */
struct csched_unit *csched_schedule(struct csched_cpu *c, uint64_t now,
                                    bool yield, uint64_t *slice);

#endif /* MICA_SCHED_CREDIT_H */
