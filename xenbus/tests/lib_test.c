/*
 * Check suite "lib": libmicastore against a running xenstored found via
 * XENSTORED_PATH (run by with_daemon.sh).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "micastore.h"

static struct mstore *h, *h2;

static void setup(void)
{
    h = mstore_open(NULL, MSTORE_SOCKET_ONLY);
    h2 = mstore_open(NULL, MSTORE_SOCKET_ONLY);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(h2);
}

static void teardown(void)
{
    mstore_rm(h, MSTORE_NO_TXN, "/lib");
    mstore_close(h);
    mstore_close(h2);
}

START_TEST(lib_basic)
{
    char *v, **names;
    size_t len;
    unsigned int n;

    ck_assert_int_eq(mstore_write(h, 0, "/lib/a", "hello", 5), 0);
    ck_assert_int_eq(mstore_mkdir(h, 0, "/lib/b"), 0);
    ck_assert_int_eq(mstore_read(h, 0, "/lib/a", &v, &len), 0);
    ck_assert_uint_eq(len, 5);
    ck_assert_str_eq(v, "hello");
    free(v);
    ck_assert_int_eq(mstore_directory(h, 0, "/lib", &names, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(names[0], "a");
    ck_assert_str_eq(names[1], "b");
    ck_assert_ptr_null(names[2]);
    free(names);
    ck_assert_int_eq(mstore_read(h, 0, "/lib/none", &v, &len), -ENOENT);
    ck_assert_int_eq(mstore_write(h, 0, "bad//path", "", 0), -EINVAL);
    ck_assert_int_eq(mstore_rm(h, 0, "/lib/a"), 0);
    ck_assert_int_eq(mstore_read(h, 0, "/lib/a", &v, &len), -ENOENT);
    ck_assert_int_eq(mstore_get_domain_path(h, 3, &v), 0);
    ck_assert_str_eq(v, "/local/domain/3");
    free(v);
}
END_TEST

START_TEST(lib_perms)
{
    struct mstore_perm set[3] = {{5, MSTORE_PERM_NONE},
                                 {0, MSTORE_PERM_READ},
                                 {7, MSTORE_PERM_BOTH}},
                       *got;
    unsigned int n;

    ck_assert_int_eq(mstore_write(h, 0, "/lib/p", "", 0), 0);
    ck_assert_int_eq(mstore_set_perms(h, 0, "/lib/p", set, 3), 0);
    ck_assert_int_eq(mstore_get_perms(h, 0, "/lib/p", &got, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(memcmp(got, set, sizeof(set)), 0);
    free(got);
    ck_assert_int_eq(mstore_set_perms(h, 0, "/lib/p", set, 0), -EINVAL);
}
END_TEST

static int bump(struct mstore *hh, mstore_txn_t t, void *arg)
{
    int *calls = arg;
    char *v, buf[16];
    size_t len;
    int rc = mstore_read(hh, t, "/lib/counter", &v, &len);

    if ( rc )
        return rc;
    snprintf(buf, sizeof(buf), "%d", atoi(v) + 1);
    free(v);
    /* First time round, someone else changes the counter under us. */
    if ( (*calls)++ == 0 )
        mstore_write(h2, 0, "/lib/counter", "10", 2);
    return mstore_write(hh, t, "/lib/counter", buf, strlen(buf));
}

START_TEST(lib_transactions)
{
    mstore_txn_t t;
    int calls = 0;
    char *v;
    size_t len;

    ck_assert_int_eq(mstore_write(h, 0, "/lib/counter", "0", 1), 0);
    ck_assert_int_eq(mstore_transact(h, bump, &calls, 5), 0);
    ck_assert_int_eq(calls, 2);
    ck_assert_int_eq(mstore_read(h, 0, "/lib/counter", &v, &len), 0);
    ck_assert_str_eq(v, "11");
    free(v);
    ck_assert_int_eq(mstore_txn_start(h, &t), 0);
    ck_assert_int_eq(mstore_write(h, t, "/lib/tx", "1", 1), 0);
    ck_assert_int_eq(mstore_read(h2, 0, "/lib/tx", &v, &len), -ENOENT);
    ck_assert_int_eq(mstore_txn_end(h, t, false), 0);
    ck_assert_int_eq(mstore_read(h, 0, "/lib/tx", &v, &len), -ENOENT);
    calls = 1; /* no interference: one call */
    ck_assert_int_eq(mstore_transact(h, bump, &calls, 1), 0);
    ck_assert_int_eq(calls, 2);
}
END_TEST

START_TEST(lib_watches)
{
    struct pollfd pf = {mstore_watch_fd(h), POLLIN, 0};
    char *p, *t;
    int got = 0;

    ck_assert_int_ge(pf.fd, 0);
    ck_assert_int_eq(mstore_watch(h, "/lib/w", "tok"), 0);
    /* The first event arrived with the reply: the fd says so. */
    ck_assert_int_eq(poll(&pf, 1, 1000), 1);
    ck_assert_int_eq(mstore_read_watch(h, &p, &t), 0);
    ck_assert_str_eq(p, "/lib/w");
    ck_assert_str_eq(t, "tok");
    free(p);
    free(t);
    ck_assert_int_eq(mstore_read_watch(h, &p, &t), -EAGAIN);
    ck_assert_int_eq(mstore_write(h2, 0, "/lib/w/x", "1", 1), 0);
    while ( !got && poll(&pf, 1, 2000) == 1 )
    {
        int rc = mstore_read_watch(h, &p, &t);

        if ( rc == -EAGAIN )
            continue;
        ck_assert_int_eq(rc, 0);
        ck_assert_str_eq(p, "/lib/w/x");
        free(p);
        free(t);
        got = 1;
    }
    ck_assert_int_eq(got, 1);
    ck_assert_int_eq(mstore_unwatch(h, "/lib/w", "tok"), 0);
    ck_assert_int_eq(mstore_unwatch(h, "/lib/w", "tok"), -ENOENT);
}
END_TEST

START_TEST(lib_control_and_open_errors)
{
    const char *q[] = {"quota"};
    char *r;

    ck_assert_int_eq(mstore_control(h, q, 1, &r), 0);
    ck_assert_ptr_nonnull(strstr(r, "nodes"));
    free(r);
    ck_assert_ptr_null(mstore_open("/nonexistent/socket", MSTORE_SOCKET_ONLY));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_null(mstore_open("/nonexistent/dev", MSTORE_DEVICE_ONLY));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lib");
    TCase *t = tcase_create("lib");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, lib_basic);
    tcase_add_test(t, lib_perms);
    tcase_add_test(t, lib_transactions);
    tcase_add_test(t, lib_watches);
    tcase_add_test(t, lib_control_and_open_errors);
    suite_add_tcase(s, t);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
