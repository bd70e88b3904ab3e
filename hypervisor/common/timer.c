/*
 * Software timers: one sorted list per CPU (one CPU for now).
 *
 * Invariant: `head` is sorted by expiry and holds exactly the active
 * timers; the hardware is armed for head's deadline (or a safety tick
 * when the list is empty). Only softirq or hypercall context changes the
 * list, with interrupts off around each change: the timer interrupt
 * itself only raises SOFTIRQ_TIMER.
 */
#include <asm/processor.h>
#include <asm/time.h>
#include <mica/lib.h>
#include <mica/timer.h>

#define IDLE_TICK_NS 50000000ULL    /* re-check at least this often */

static struct timer *head;
static volatile unsigned long softirqs;

void raise_softirq(unsigned int nr)
{
    __atomic_fetch_or(&softirqs, 1UL << nr, __ATOMIC_SEQ_CST);
}

bool softirq_pending(void)
{
    return __atomic_load_n(&softirqs, __ATOMIC_SEQ_CST) != 0;
}

bool softirq_take(unsigned int nr)
{
    return __atomic_fetch_and(&softirqs, ~(1UL << nr), __ATOMIC_SEQ_CST) &
           (1UL << nr);
}

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
}

static void unlink(struct timer *t)
{
    struct timer **pp = &head;

    while ( *pp && *pp != t )
        pp = &(*pp)->next;
    if ( *pp )
        *pp = t->next;
    t->next = NULL;
    t->active = false;
}

static void reprogram(void)
{
    uint64_t now = now_ns();

    if ( head && head->expires <= now )
        raise_softirq(SOFTIRQ_TIMER);
    else
        arch_timer_program(head ? MIN(head->expires, now + IDLE_TICK_NS)
                                : now + IDLE_TICK_NS);
}

void timer_set(struct timer *t, uint64_t expires)
{
    unsigned long flags = irq_save();
    struct timer **pp = &head;

    if ( t->active )
        unlink(t);
    t->expires = expires;
    while ( *pp && (*pp)->expires <= expires )
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->active = true;
    if ( head == t )
        reprogram();
    irq_restore(flags);
}

void timer_stop(struct timer *t)
{
    unsigned long flags = irq_save();

    if ( t->active )
        unlink(t);
    irq_restore(flags);
}

void timer_softirq(void)
{
    uint64_t now = now_ns();

    while ( head && head->expires <= now )
    {
        struct timer *t = head;

        unlink(t);
        t->fn(t->data);
        now = now_ns();
    }
    reprogram();
}
