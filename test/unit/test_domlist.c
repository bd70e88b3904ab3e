/*
 * mica-list's table (dom0/tools/domlist.c): state letters from the
 * domain-info flags, names, memory in MiB, CPU time in tenths of seconds.
 */
#include <stdio.h>
#include <string.h>

#include <public/sched.h>

#include "../../dom0/tools/domlist.h"
#include "unit.h"

static struct mica_domaininfo info(uint16_t id, uint32_t flags)
{
    struct mica_domaininfo i;

    memset(&i, 0, sizeof(i));
    i.domain = id;
    i.flags = flags;
    i.nr_online_vcpus = 1;
    i.max_vcpus = 1;
    return i;
}

static const char *state_of(struct mica_domaininfo i)
{
    static char s[DOMLIST_STATE_LEN];

    domlist_state(&i, s);
    return s;
}

START_TEST(state_letters)
{
    struct mica_domaininfo i = info(1, MICA_DOMINF_shutdown);

    ck_assert_str_eq(state_of(info(0, 0)), "------");
    ck_assert_str_eq(state_of(info(0, MICA_DOMINF_running)), "r-----");
    ck_assert_str_eq(state_of(info(1, MICA_DOMINF_blocked)), "-b----");
    ck_assert_str_eq(state_of(info(1, MICA_DOMINF_paused |
                                      MICA_DOMINF_blocked)), "-bp---");
    i.shutdown_reason = SHUTDOWN_poweroff;
    ck_assert_str_eq(state_of(i), "---s--");
    /* A guest that asks for a crash shutdown shows 'c', not 's'. */
    i.shutdown_reason = SHUTDOWN_crash;
    ck_assert_str_eq(state_of(i), "----c-");
    /* So does one the hypervisor killed, shut down or not. */
    ck_assert_str_eq(state_of(info(2, MICA_DOMINF_crashed)), "----c-");
    ck_assert_str_eq(state_of(info(2, MICA_DOMINF_crashed |
                                      MICA_DOMINF_dying)), "----cd");
    /* A reason without the shutdown flag means nothing. */
    i = info(3, MICA_DOMINF_running);
    i.shutdown_reason = SHUTDOWN_crash;
    ck_assert_str_eq(state_of(i), "r-----");
}
END_TEST

START_TEST(rows)
{
    struct mica_domaininfo d0 = info(0, MICA_DOMINF_running |
                                        MICA_DOMINF_privileged);
    struct mica_domaininfo d7 = info(7, MICA_DOMINF_blocked);
    char row[128];
    char exp[128];

    d0.tot_pages = 43605;                   /* 170.3 MiB: 170 */
    d0.cpu_time = 12345678901ULL;           /* 12.3 s */
    ck_assert_int_eq(domlist_row(&d0, row, sizeof(row)), (int)strlen(row));
    snprintf(exp, sizeof(exp), "%-32s %5d %5d %5d  %s %9s", "Domain-0", 0,
             170, 1, "r-----", "12.3");
    ck_assert_str_eq(row, exp);

    d7.tot_pages = 256;
    d7.cpu_time = 99999999;                 /* just under 0.1 s */
    d7.nr_online_vcpus = 0;
    domlist_row(&d7, row, sizeof(row));
    snprintf(exp, sizeof(exp), "%-32s %5d %5d %5d  %s %9s", "d7", 7, 1, 0,
             "-b----", "0.0");
    ck_assert_str_eq(row, exp);

    /* The header's columns line up with the rows'. */
    ck_assert_uint_eq(strlen(domlist_header()), strlen(row));
    ck_assert_ptr_eq(strstr(domlist_header(), "ID") + 2 - domlist_header()
                     + row, strstr(row, " 7 ") + 2);
}
END_TEST

START_TEST(row_truncated)
{
    struct mica_domaininfo d = info(5, 0);
    char small[10];
    int n = domlist_row(&d, small, sizeof(small));

    ck_assert_int_gt(n, (int)sizeof(small) - 1);
    ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
}
END_TEST

Suite *domlist_suite(void)
{
    Suite *s = suite_create("domlist");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, state_letters);
    tcase_add_test(tc, rows);
    tcase_add_test(tc, row_truncated);
    suite_add_tcase(s, tc);
    return s;
}
