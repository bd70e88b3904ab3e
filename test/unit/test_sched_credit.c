/*
 * The credit scheduler's accounting, driven by a simulated clock: the
 * caller's loop "runs" whoever csched_schedule() picks for the slice it
 * returns, exactly as the hypervisor's glue does with a one-shot timer.
 */
#include <mica/sched_credit.h>

#include "unit.h"

#define SEC 1000000000ULL

static struct csched_cpu cpu;
static struct csched_unit units[4];
static uint64_t now;

/* Run the CPU until `until`; units in `blocks` block for `off` of every
 * `period` ns of simulated time (0: never block). */
static void run_for(uint64_t until, struct csched_unit *blocker,
                    uint64_t period, uint64_t on)
{
    while ( now < until )
    {
        uint64_t slice;

        if ( blocker && period )
        {
            bool want = now % period < on;

            if ( want && !blocker->runnable )
                csched_wake(&cpu, blocker, now);
            else if ( !want && blocker->runnable )
                csched_sleep(&cpu, blocker);
        }
        csched_schedule(&cpu, now, false, &slice);
        if ( blocker && period )
            slice = MIN(slice, period - now % period);
        now += slice;
    }
}

static void start(unsigned int n, const uint32_t *weights,
                  const uint32_t *caps)
{
    now = 0;
    csched_init(&cpu, now);
    for ( unsigned int i = 0; i < n; i++ )
    {
        ck_assert_int_eq(csched_add(&cpu, &units[i], NULL, weights[i],
                                    caps ? caps[i] : 0), 0);
        csched_wake(&cpu, &units[i], now);
    }
}

static double share(unsigned int i, unsigned int n)
{
    uint64_t total = 0;

    for ( unsigned int j = 0; j < n; j++ )
        total += units[j].total_ns;
    return (double)units[i].total_ns / (double)total;
}

START_TEST(weights_1_2_4_get_their_shares)
{
    static const uint32_t w[] = { 1, 2, 4 };

    start(3, w, NULL);
    run_for(600 * SEC, NULL, 0, 0);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        double want = w[i] / 7.0, got = share(i, 3);

        ck_assert_msg(got > want * 0.95 && got < want * 1.05,
                      "unit %u: share %.4f, expected %.4f", i, got, want);
    }
}
END_TEST

START_TEST(equal_weights_share_equally)
{
    static const uint32_t w[] = { 256, 256, 256, 256 };

    start(4, w, NULL);
    run_for(60 * SEC, NULL, 0, 0);
    for ( unsigned int i = 0; i < 4; i++ )
        ck_assert_msg(share(i, 4) > 0.2375 && share(i, 4) < 0.2625,
                      "unit %u: share %.4f", i, share(i, 4));
}
END_TEST

START_TEST(cap_limits_even_an_idle_cpu)
{
    static const uint32_t w[] = { 256 }, cap[] = { 25 };

    start(1, w, cap);
    run_for(60 * SEC, NULL, 0, 0);
    ck_assert_msg(units[0].total_ns > 60 * SEC / 4 * 95 / 100 &&
                  units[0].total_ns < 60 * SEC / 4 * 105 / 100,
                  "capped unit ran %lu ns of %llu", units[0].total_ns,
                  60 * SEC);
}
END_TEST

START_TEST(capped_unit_leaves_the_rest_to_others)
{
    static const uint32_t w[] = { 256, 256 }, cap[] = { 10, 0 };

    start(2, w, cap);
    run_for(60 * SEC, NULL, 0, 0);
    ck_assert_msg(share(0, 2) > 0.095 && share(0, 2) < 0.105,
                  "capped share %.4f", share(0, 2));
}
END_TEST

START_TEST(blocked_unit_gives_its_time_away)
{
    static const uint32_t w[] = { 256, 256 };

    start(2, w, NULL);
    csched_sleep(&cpu, &units[1]);
    run_for(10 * SEC, NULL, 0, 0);
    ck_assert_uint_eq(units[1].total_ns, 0);
    ck_assert_uint_ge(units[0].total_ns, 10 * SEC - CSCHED_SLICE_NS);
    /* Back again: both busy, equal shares from here on. */
    csched_wake(&cpu, &units[1], now);
    run_for(70 * SEC, NULL, 0, 0);
    ck_assert_msg(units[1].total_ns > 28 * SEC && units[1].total_ns < 32 * SEC,
                  "woken unit ran %lu ns of 60 s", units[1].total_ns);
}
END_TEST

START_TEST(spinner_cannot_starve_a_light_unit)
{
    static const uint32_t w[] = { 256, 256 };

    /* Unit 1 wants 1 ms of every 20 ms; unit 0 spins all the time. */
    start(2, w, NULL);
    run_for(30 * SEC, &units[1], 20000000ULL, 1000000ULL);
    ck_assert_msg(units[1].total_ns > 30 * SEC / 20 * 90 / 100,
                  "light unit ran only %lu ns", units[1].total_ns);
}
END_TEST

START_TEST(boost_preempts_on_wake)
{
    static const uint32_t w[] = { 256, 256 };
    uint64_t slice;

    start(2, w, NULL);
    csched_sleep(&cpu, &units[1]);
    run_for(100000000ULL, NULL, 0, 0);      /* unit 1 idle, holds credit */
    units[1].credit = 1000000;
    ck_assert(csched_wake(&cpu, &units[1], now));
    ck_assert_ptr_eq(csched_schedule(&cpu, now, false, &slice), &units[1]);
    ck_assert_uint_eq(units[1].pri, CSCHED_PRI_BOOST);
}
END_TEST

START_TEST(idle_when_nothing_runs)
{
    static const uint32_t w[] = { 256 };
    uint64_t slice;

    start(1, w, NULL);
    csched_sleep(&cpu, &units[0]);
    ck_assert_ptr_null(csched_schedule(&cpu, now, false, &slice));
    ck_assert_uint_ge(slice, CSCHED_MIN_SLICE_NS);
    ck_assert_int_eq(csched_set_params(&units[0], 0, 0), -EINVAL);
    ck_assert_int_eq(csched_set_params(&units[0], 1, 101), -EINVAL);
}
END_TEST

Suite *sched_credit_suite(void)
{
    Suite *s = suite_create("sched_credit");
    TCase *tc = tcase_create("accounting");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, weights_1_2_4_get_their_shares);
    tcase_add_test(tc, equal_weights_share_equally);
    tcase_add_test(tc, cap_limits_even_an_idle_cpu);
    tcase_add_test(tc, capped_unit_leaves_the_rest_to_others);
    tcase_add_test(tc, blocked_unit_gives_its_time_away);
    tcase_add_test(tc, spinner_cannot_starve_a_light_unit);
    tcase_add_test(tc, boost_preempts_on_wake);
    tcase_add_test(tc, idle_when_nothing_runs);
    suite_add_tcase(s, tc);
    return s;
}
