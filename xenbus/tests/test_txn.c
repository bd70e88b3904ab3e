/*
 * Suites "txn" and "watch": transaction isolation, conflicts, quotas in
 * transactions; watch firing, filtering and special paths.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct xsd *xsd;
static struct xsd_conn *d0, *d0b;

static void setup(void)
{
    xsd = th_new();
    d0 = th_conn(xsd, 0);
    d0b = th_conn(xsd, 0);
}

static void teardown(void)
{
    xsd_destroy(xsd);
}

START_TEST(txn_isolation_and_commit)
{
    char buf[64];
    uint32_t t = th_txn_start(d0);

    ck_assert_uint_ne(t, 0);
    ck_assert_int_eq(th_write(d0, t, "/t/a", "in-tx"), 0);
    ck_assert_int_eq(th_read(d0, t, "/t/a", buf), 0);
    ck_assert_str_eq(buf, "in-tx");
    ck_assert_int_eq(th_read(d0b, 0, "/t/a", NULL), ENOENT);
    ck_assert_int_eq(th_txn_end(d0, t, true), 0);
    ck_assert_int_eq(th_read(d0b, 0, "/t/a", buf), 0);
    ck_assert_str_eq(buf, "in-tx");
    /* Ended: the id is gone. */
    ck_assert_int_eq(th_read(d0, t, "/t/a", NULL), ENOENT);
    ck_assert_int_eq(th_txn_end(d0, t, true), ENOENT);
}
END_TEST

START_TEST(txn_abort)
{
    uint32_t t = th_txn_start(d0);

    ck_assert_int_eq(th_write(d0, t, "/ab", "x"), 0);
    ck_assert_int_eq(th_rm(d0, t, "/tool"), 0);
    ck_assert_int_eq(th_txn_end(d0, t, false), 0);
    ck_assert_int_eq(th_read(d0, 0, "/ab", NULL), ENOENT);
    ck_assert_int_eq(th_read(d0, 0, "/tool/xenstored", NULL), 0);
}
END_TEST

START_TEST(txn_conflict)
{
    uint32_t t1, t2;

    ck_assert_int_eq(th_write(d0, 0, "/c/x", "0"), 0);
    t1 = th_txn_start(d0);
    t2 = th_txn_start(d0b);
    ck_assert_int_eq(th_read(d0, t1, "/c/x", NULL), 0);
    ck_assert_int_eq(th_write(d0, t1, "/c/y", "1"), 0);
    ck_assert_int_eq(th_read(d0b, t2, "/c/y", NULL), ENOENT);
    ck_assert_int_eq(th_write(d0b, t2, "/c/x", "2"), 0);
    /* Plain write to what t1 read: t1 must retry. */
    ck_assert_int_eq(th_write(d0b, 0, "/c/x", "3"), 0);
    ck_assert_int_eq(th_txn_end(d0, t1, true), EAGAIN);
    ck_assert_int_eq(th_read(d0, 0, "/c/y", NULL), ENOENT);
    /* t2 touched /c/x, changed since: EAGAIN as well. */
    ck_assert_int_eq(th_txn_end(d0b, t2, true), EAGAIN);
    /* Disjoint transactions both commit. */
    t1 = th_txn_start(d0);
    t2 = th_txn_start(d0b);
    ck_assert_int_eq(th_write(d0, t1, "/c/x", "a"), 0);
    ck_assert_int_eq(th_write(d0b, t2, "/d/q", "b"), 0);
    ck_assert_int_eq(th_txn_end(d0, t1, true), 0);
    ck_assert_int_eq(th_txn_end(d0b, t2, true), 0);
}
END_TEST

START_TEST(txn_conflict_on_delete_and_create)
{
    uint32_t t;

    ck_assert_int_eq(th_write(d0, 0, "/e/x", "0"), 0);
    t = th_txn_start(d0);
    ck_assert_int_eq(th_read(d0, t, "/e/x", NULL), 0);
    ck_assert_int_eq(th_rm(d0b, 0, "/e/x"), 0);
    ck_assert_int_eq(th_txn_end(d0, t, true), EAGAIN);
    t = th_txn_start(d0);
    ck_assert_int_eq(th_read(d0, t, "/e/x", NULL), ENOENT);
    ck_assert_int_eq(th_write(d0b, 0, "/e/x", "new"), 0);
    ck_assert_int_eq(th_txn_end(d0, t, true), EAGAIN);
}
END_TEST

START_TEST(txn_nested_changes)
{
    char buf[64];
    struct th_msg m;
    uint32_t t = th_txn_start(d0);

    ck_assert_int_eq(th_write(d0, t, "/n/a/b", "1"), 0);
    ck_assert_int_eq(th_write(d0, t, "/n/a/c", "2"), 0);
    ck_assert_int_eq(th_rm(d0, t, "/n/a/b"), 0);
    ck_assert_int_eq(th_write(d0, t, "/n/a/b/deeper", "3"), 0);
    ck_assert_int_eq(th_rm(d0, t, "/n/a/c"), 0);
    ck_assert_int_eq(th_do(d0, XSW_DIRECTORY, t, "/n/a", NULL, &m), 0);
    ck_assert_uint_eq(m.hdr.len, 2);
    ck_assert_str_eq(m.data, "b");
    ck_assert_int_eq(th_txn_end(d0, t, true), 0);
    ck_assert_int_eq(th_read(d0, 0, "/n/a/b/deeper", buf), 0);
    ck_assert_str_eq(buf, "3");
    ck_assert_int_eq(th_read(d0, 0, "/n/a/c", NULL), ENOENT);
    ck_assert_int_eq(th_read(d0, 0, "/n/a/b", buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_uint_eq(xsd->owned[0], 3 + 4);
}
END_TEST

START_TEST(txn_errors)
{
    uint32_t t = th_txn_start(d0);

    /* A transaction cannot start inside one. */
    ck_assert_int_eq(th_do(d0, XSW_TRANSACTION_START, t, "", NULL, NULL),
                     EBUSY);
    ck_assert_int_eq(th_do(d0, XSW_TRANSACTION_END, t, "X", NULL, NULL),
                     EINVAL);
    ck_assert_int_eq(th_do(d0, XSW_TRANSACTION_END, 0, "T", NULL, NULL),
                     ENOENT);
    ck_assert_int_eq(th_read(d0, 9999, "/tool", NULL), ENOENT);
    /* Another connection cannot use our id. */
    ck_assert_int_eq(th_read(d0b, t, "/tool", NULL), ENOENT);
    ck_assert_int_eq(th_txn_end(d0, t, true), 0);
}
END_TEST

START_TEST(txn_quotas)
{
    struct xsd_conn *u = th_conn(xsd, 5);
    uint32_t ids[12], t;
    char path[32];
    int i;

    ck_assert_int_eq(th_mkdir(d0, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5", "n5"), 0);
    for ( i = 0; i < 10; i++ )
        ids[i] = th_txn_start(u);
    ck_assert_int_eq(th_do(u, XSW_TRANSACTION_START, 0, "", NULL, NULL),
                     ENOSPC);
    ck_assert_int_eq(th_txn_end(u, ids[0], false), 0);
    ids[0] = th_txn_start(u);
    for ( i = 0; i < 10; i++ )
        ck_assert_int_eq(th_txn_end(u, ids[i], false), 0);
    /* Nodes quota holds inside a transaction and at commit. */
    ck_assert_int_eq(th_mkdir(u, 0, "o"), 0);
    xsd->quota.nodes = 5;
    t = th_txn_start(u);
    for ( i = 0; i < 3; i++ )
    {
        snprintf(path, sizeof(path), "q%d", i);
        ck_assert_int_eq(th_write(u, t, path, "x"), 0);
    }
    ck_assert_int_eq(th_write(u, t, "q3/q4", "x"), ENOSPC);
    /* Outside, under a node the transaction never touched. */
    ck_assert_int_eq(th_write(u, 0, "o/1", "x"), 0);
    ck_assert_int_eq(th_txn_end(u, t, true), ENOSPC);
    ck_assert_uint_eq(xsd->owned[5], 3);
    /* transaction-nodes: how many nodes one transaction may touch. */
    xsd->quota.nodes = 0;
    xsd->quota.txn_nodes = 8;
    t = th_txn_start(u);
    for ( i = 0; i < 6; i++ )
    {
        snprintf(path, sizeof(path), "r%d", i);
        ck_assert_int_eq(th_write(u, t, path, "x"), 0);
    }
    ck_assert_int_eq(th_write(u, t, "r6", "x"), 0);
    ck_assert_int_eq(th_write(u, t, "r7", "x"), ENOSPC);
    ck_assert_int_eq(th_txn_end(u, t, false), 0);
}
END_TEST

START_TEST(watch_first_fire_and_changes)
{
    char p[XSW_PAYLOAD_MAX], tok[XSW_PAYLOAD_MAX];

    ck_assert_int_eq(th_watch(d0, "/w", "tok"), 0);
    ck_assert_int_eq(th_event(d0, p, tok), 1);
    ck_assert_str_eq(p, "/w");
    ck_assert_str_eq(tok, "tok");
    ck_assert_int_eq(th_watch(d0, "/w", "tok"), EEXIST);
    ck_assert_int_eq(th_write(d0b, 0, "/w/x/y", "1"), 0);
    ck_assert_int_eq(th_event(d0, p, NULL), 1);
    ck_assert_str_eq(p, "/w/x/y");
    ck_assert_int_eq(th_write(d0b, 0, "/wx", "1"), 0); /* not below /w */
    ck_assert_int_eq(th_event_count(d0), 0);
    ck_assert_int_eq(th_do(d0, XSW_UNWATCH, 0, "/w", "tok", NULL), EINVAL);
    ck_assert_int_eq(th_req(d0, XSW_UNWATCH, 0, "/w\0tok", 7, NULL), 0);
    ck_assert_int_eq(th_write(d0b, 0, "/w/x/y", "2"), 0);
    ck_assert_int_eq(th_event_count(d0), 0);
    ck_assert_int_eq(th_req(d0, XSW_UNWATCH, 0, "/w\0tok", 7, NULL), 0);
}
END_TEST

START_TEST(watch_deleted_parent)
{
    char p[XSW_PAYLOAD_MAX];

    ck_assert_int_eq(th_write(d0, 0, "/dp/a/b", "1"), 0);
    ck_assert_int_eq(th_watch(d0b, "/dp/a/b", "t1"), 0);
    ck_assert_int_eq(th_watch(d0b, "/dp/none", "t2"), 0);
    th_drop_events(d0b);
    ck_assert_int_eq(th_rm(d0, 0, "/dp"), 0);
    ck_assert_int_eq(th_event(d0b, p, NULL), 1);
    ck_assert_str_eq(p, "/dp/a/b");
    ck_assert_int_eq(th_event_count(d0b), 0);
}
END_TEST

START_TEST(watch_transactions_and_perms)
{
    struct xsd_conn *u = th_conn(xsd, 5);
    char p[XSW_PAYLOAD_MAX];
    uint32_t t;

    ck_assert_int_eq(th_write(d0, 0, "/local/domain/5/v", "1"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5", "n5"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5/v", "n0"), 0);
    /* Relative watch: relative event paths. */
    ck_assert_int_eq(th_watch(u, "v", "rel"), 0);
    ck_assert_int_eq(th_event(u, p, NULL), 1);
    ck_assert_str_eq(p, "v");
    /* dom5 cannot read v but can read its parent: it hears of it. */
    ck_assert_int_eq(th_write(d0, 0, "/local/domain/5/v", "2"), 0);
    ck_assert_int_eq(th_event(u, p, NULL), 1);
    ck_assert_str_eq(p, "v");
    ck_assert_int_eq(th_watch(u, "/secret", "s"), 0);
    th_drop_events(u);
    ck_assert_int_eq(th_write(d0, 0, "/secret/x", "1"), 0);
    ck_assert_int_eq(th_event_count(u), 0);
    /* Transactional writes fire at commit only, and not on abort. */
    ck_assert_int_eq(th_watch(d0b, "/tw", "t"), 0);
    th_drop_events(d0b);
    t = th_txn_start(d0);
    ck_assert_int_eq(th_write(d0, t, "/tw/a", "1"), 0);
    ck_assert_int_eq(th_event_count(d0b), 0);
    ck_assert_int_eq(th_txn_end(d0, t, true), 0);
    ck_assert_int_eq(th_event(d0b, p, NULL), 1);
    ck_assert_str_eq(p, "/tw/a");
    t = th_txn_start(d0);
    ck_assert_int_eq(th_write(d0, t, "/tw/b", "1"), 0);
    ck_assert_int_eq(th_txn_end(d0, t, false), 0);
    ck_assert_int_eq(th_event_count(d0b), 0);
}
END_TEST

START_TEST(watch_special_paths)
{
    struct xsd_conn *u = th_conn(xsd, 5);
    char p[XSW_PAYLOAD_MAX];

    ck_assert_int_eq(th_watch(d0, "@introduceDomain", "i"), 0);
    ck_assert_int_eq(th_watch(d0, "@releaseDomain", "r"), 0);
    ck_assert_int_eq(th_watch(u, "@releaseDomain", "r5"), 0);
    th_drop_events(d0);
    th_drop_events(u);
    ck_assert_int_eq(th_do(d0, XSW_INTRODUCE, 0, "9", NULL, NULL), EINVAL);
    ck_assert_int_eq(th_req(d0, XSW_INTRODUCE, 0, "9\0-1\0003", 7, NULL), 0);
    ck_assert_int_eq(th_event(d0, p, NULL), 1);
    ck_assert_str_eq(p, "@introduceDomain");
    ck_assert_int_eq(th_do(d0, XSW_RELEASE, 0, "9", NULL, NULL), 0);
    ck_assert_int_eq(th_event(d0, p, NULL), 1);
    ck_assert_str_eq(p, "@releaseDomain");
    /* dom5 may not hear of it until dom0 lets it. */
    ck_assert_int_eq(th_event_count(u), 0);
    ck_assert_int_eq(th_chmod(u, 0, "@releaseDomain", "r5"), EACCES);
    ck_assert_int_eq(th_chmod(d0, 0, "@releaseDomain", "n0 r5"), 0);
    ck_assert_int_eq(th_req(d0, XSW_INTRODUCE, 0, "9\0-1\0003", 7, NULL), 0);
    ck_assert_int_eq(th_do(d0, XSW_RELEASE, 0, "9", NULL, NULL), 0);
    ck_assert_int_eq(th_event(u, p, NULL), 1);
    ck_assert_str_eq(p, "@releaseDomain");
    ck_assert_int_eq(th_chmod(d0, 0, "@other", "n0"), EINVAL);
}
END_TEST

START_TEST(watch_quota_and_reset)
{
    struct xsd_conn *u = th_conn(xsd, 5);
    char path[32];
    int i;

    for ( i = 0; i < 128; i++ )
    {
        snprintf(path, sizeof(path), "/q%d", i);
        ck_assert_int_eq(th_watch(u, path, "t"), 0);
    }
    ck_assert_int_eq(th_watch(u, "/one-more", "t"), E2BIG);
    th_drop_events(u);
    ck_assert_int_eq(th_do(u, XSW_RESET_WATCHES, 0, "", NULL, NULL), 0);
    ck_assert_uint_eq(u->nwatches, 0);
    ck_assert_int_eq(th_watch(u, "/one-more", "t"), 0);
    ck_assert_int_eq(th_watch(d0, "bad//path", "t"), EINVAL);
    ck_assert_int_eq(th_req(d0, XSW_WATCH, 0, "/a\0t\0x", 7, NULL), 0);
}
END_TEST

Suite *suite_txn(void)
{
    TH_SUITE("txn", setup, teardown, txn_isolation_and_commit, txn_abort,
             txn_conflict, txn_conflict_on_delete_and_create,
             txn_nested_changes, txn_errors, txn_quotas);
}

Suite *suite_watch(void)
{
    TH_SUITE("watch", setup, teardown, watch_first_fire_and_changes,
             watch_deleted_parent, watch_transactions_and_perms,
             watch_special_paths, watch_quota_and_reset);
}
