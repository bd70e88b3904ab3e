/*
 * Software timers on the physical CPU, in system time (ns since boot).
 *
 * A timer's function runs as a softirq on the way back to a guest or in
 * the idle loop, never inside the interrupt handler, so it may touch
 * event and scheduler state freely. The hardware is programmed for the
 * earliest pending deadline through arch_timer_program().
 */
#ifndef MICA_TIMER_H
#define MICA_TIMER_H

#include <mica/env.h>

struct timer
{
    struct timer *next;
    uint64_t expires;
    void (*fn)(void *data);
    void *data;
    bool active;
};

void timer_init(struct timer *t, void (*fn)(void *), void *data);
/* (Re)arm for `expires`; a deadline already past fires at the next softirq. */
void timer_set(struct timer *t, uint64_t expires);
void timer_stop(struct timer *t);

/* Run every expired timer and reprogram the hardware; softirq context. */
void timer_softirq(void);

/* Arch hook: raise the timer interrupt at (about) `deadline` ns. */
void arch_timer_program(uint64_t deadline);

/* Softirqs: set from anywhere (even interrupt handlers), run at exit. */
#define SOFTIRQ_TIMER    0
#define SOFTIRQ_SCHEDULE 1
#define SOFTIRQ_CONSOLE  2      /* serial input for dom0 (console_io.c) */
void raise_softirq(unsigned int nr);
bool softirq_pending(void);
/* Clear softirq `nr`; true if it was raised. */
bool softirq_take(unsigned int nr);

#endif /* MICA_TIMER_H */
