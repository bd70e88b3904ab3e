/*
 * Suites "path", "store" and "perms": node paths, the basic requests and
 * the permission rules, each through the request path a client uses.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct xsd *xsd;
static struct xsd_conn *d0;

static void setup(void)
{
    xsd = th_new();
    d0 = th_conn(xsd, 0);
}

static void teardown(void)
{
    xsd_destroy(xsd);
}

START_TEST(path_validity)
{
    char big[XSW_ABS_PATH_MAX + 100];

    ck_assert(xsd_path_valid(xsd, "/"));
    ck_assert(xsd_path_valid(xsd, "/a/b-c_d@e/0"));
    ck_assert(!xsd_path_valid(xsd, "a"));
    ck_assert(!xsd_path_valid(xsd, "/a/"));
    ck_assert(!xsd_path_valid(xsd, "/a//b"));
    ck_assert(!xsd_path_valid(xsd, "/a b"));
    ck_assert(!xsd_path_valid(xsd, "/a.b"));
    ck_assert(!xsd_path_valid(xsd, ""));
    memset(big, 'x', sizeof(big));
    big[0] = '/';
    big[XSW_REL_PATH_MAX + 1] = '\0';
    ck_assert(!xsd_path_valid(xsd, big));
    big[XSW_REL_PATH_MAX] = '\0';
    ck_assert(xsd_path_valid(xsd, big));
    /* Under a domain's home the limit counts from below the prefix. */
    memset(big, 'x', sizeof(big));
    memcpy(big, "/local/domain/12/", 17);
    big[17 + XSW_REL_PATH_MAX] = '\0';
    ck_assert(xsd_path_valid(xsd, big));
    big[17 + XSW_REL_PATH_MAX] = 'x';
    big[18 + XSW_REL_PATH_MAX] = '\0';
    ck_assert(!xsd_path_valid(xsd, big));
}
END_TEST

START_TEST(path_helpers)
{
    char out[64];
    struct xsd_conn *c = th_conn(xsd, 7);

    xsd_parent("/a/b/c", out);
    ck_assert_str_eq(out, "/a/b");
    xsd_parent("/a", out);
    ck_assert_str_eq(out, "/");
    ck_assert_str_eq(xsd_basename("/a/b"), "b");
    ck_assert(xsd_path_within("/a/b", "/a"));
    ck_assert(xsd_path_within("/a", "/a"));
    ck_assert(!xsd_path_within("/ab", "/a"));
    ck_assert(xsd_path_within("/x", "/"));
    ck_assert_int_eq(xsd_canonical(c, "data/x", out, sizeof(out)), 0);
    ck_assert_str_eq(out, "/local/domain/7/data/x");
    ck_assert_int_eq(xsd_canonical(c, "@releaseDomain", out, sizeof(out)), 0);
    ck_assert_str_eq(out, "@releaseDomain");
    ck_assert_int_eq(xsd_canonical(c, "/x", out, 2), -EINVAL);
}
END_TEST

START_TEST(path_errors_on_wire)
{
    ck_assert_int_eq(th_write(d0, 0, "/a//b", "x"), EINVAL);
    ck_assert_int_eq(th_write(d0, 0, "/a/", "x"), EINVAL);
    ck_assert_int_eq(th_read(d0, 0, "/a b", NULL), EINVAL);
    /* Relative paths of dom0's tools resolve under /local/domain/0. */
    ck_assert_int_eq(th_write(d0, 0, "rel", "v"), 0);
    ck_assert_int_eq(th_read(d0, 0, "/local/domain/0/rel", NULL), 0);
}
END_TEST

START_TEST(store_write_read)
{
    char buf[XSW_PAYLOAD_MAX + 1];
    struct th_msg m;

    ck_assert_int_eq(th_write(d0, 0, "/a/b/c", "value"), 0);
    ck_assert_int_eq(th_read(d0, 0, "/a/b/c", buf), 0);
    ck_assert_str_eq(buf, "value");
    /* Missing parents exist now, with empty values. */
    ck_assert_int_eq(th_read(d0, 0, "/a/b", buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(th_do(d0, XSW_DIRECTORY, 0, "/a", NULL, &m), 0);
    ck_assert_uint_eq(m.hdr.len, 2);
    ck_assert_str_eq(m.data, "b");
    ck_assert_int_eq(th_read(d0, 0, "/nope", NULL), ENOENT);
    /* Values are bytes: no NUL added, embedded NULs kept. */
    ck_assert_int_eq(th_req(d0, XSW_WRITE, 0, "/bin\0a\0b", 8, &m), 0);
    ck_assert_int_eq(th_errno(&m), 0);
    ck_assert_int_eq(th_req(d0, XSW_READ, 0, "/bin", 5, &m), 0);
    ck_assert_uint_eq(m.hdr.len, 3);
    ck_assert_int_eq(memcmp(m.data, "a\0b", 3), 0);
    ck_assert_str_eq(m.data - 0, "a");
}
END_TEST

START_TEST(store_mkdir_rm)
{
    struct th_msg m;

    ck_assert_int_eq(th_mkdir(d0, 0, "/m/n"), 0);
    ck_assert_int_eq(th_mkdir(d0, 0, "/m/n"), 0); /* exists: fine */
    ck_assert_int_eq(th_write(d0, 0, "/m/n/o", "1"), 0);
    ck_assert_int_eq(th_rm(d0, 0, "/m"), 0);
    ck_assert_int_eq(th_read(d0, 0, "/m/n/o", NULL), ENOENT);
    ck_assert_int_eq(th_read(d0, 0, "/m", NULL), ENOENT);
    ck_assert_int_eq(th_rm(d0, 0, "/m"), 0); /* gone, parent there: ok */
    ck_assert_int_eq(th_rm(d0, 0, "/m/n"), ENOENT);
    ck_assert_int_eq(th_rm(d0, 0, "/"), EINVAL);
    ck_assert_int_eq(th_do(d0, XSW_DIRECTORY, 0, "/", NULL, &m), 0);
    ck_assert_int_eq(memcmp(m.data, "tool", 5), 0);
    ck_assert_uint_eq(m.hdr.len, 5);
    ck_assert_uint_eq(xsd->owned[0], 3);
}
END_TEST

START_TEST(store_directory_part)
{
    char name[64];
    struct th_msg m;
    char args[64];
    unsigned int i, off = 0, seen = 0;

    for ( i = 0; i < 400; i++ )
    {
        snprintf(name, sizeof(name), "/big/child-with-a-long-name-%03u", i);
        ck_assert_int_eq(th_write(d0, 0, name, ""), 0);
    }
    for ( ;; )
    {
        size_t len = snprintf(args, sizeof(args), "/big%c%u", 0, off) + 1;
        const char *p;

        ck_assert_int_eq(th_req(d0, XSW_DIRECTORY_PART, 0, args, len, &m), 0);
        ck_assert_int_eq(th_errno(&m), 0);
        p = m.data + strlen(m.data) + 1; /* skip the generation */
        if ( !*p )
            break;
        while ( p < m.data + m.hdr.len && *p )
        {
            seen++;
            off += strlen(p) + 1;
            p += strlen(p) + 1;
        }
        if ( p < m.data + m.hdr.len )
            break; /* the closing empty string */
    }
    ck_assert_uint_eq(seen, 400);
    ck_assert_int_eq(th_req(d0, XSW_DIRECTORY_PART, 0, "/big", 5, &m), 0);
    ck_assert_int_eq(th_errno(&m), EINVAL);
}
END_TEST

START_TEST(store_reply_too_big)
{
    char name[64];
    unsigned int i;
    struct th_msg m;

    for ( i = 0; i < 200; i++ )
    {
        snprintf(name, sizeof(name), "/wide/a-rather-long-child-name-%03u", i);
        ck_assert_int_eq(th_write(d0, 0, name, ""), 0);
    }
    ck_assert_int_eq(th_do(d0, XSW_DIRECTORY, 0, "/wide", NULL, &m), E2BIG);
}
END_TEST

START_TEST(perms_parse_format)
{
    struct xsd_perm p[4];
    char out[64];

    ck_assert_int_eq(xsd_perms_parse("n5\0r0\0b7\0w9", 12, p, 4), 4);
    ck_assert_uint_eq(p[0].id, 5);
    ck_assert_uint_eq(p[0].mode, XSD_PERM_NONE);
    ck_assert_uint_eq(p[2].mode, XSD_PERM_READ | XSD_PERM_WRITE);
    ck_assert_uint_eq(xsd_perms_format(p, 4, out, sizeof(out)), 12);
    ck_assert_int_eq(memcmp(out, "n5\0r0\0b7\0w9", 12), 0);
    ck_assert_int_eq(xsd_perms_parse("x5", 3, p, 4), -EINVAL);
    ck_assert_int_eq(xsd_perms_parse("r", 2, p, 4), -EINVAL);
    ck_assert_int_eq(xsd_perms_parse("r5x", 4, p, 4), -EINVAL);
    ck_assert_int_eq(xsd_perms_parse("r99999", 7, p, 4), -EINVAL);
    ck_assert_int_eq(xsd_perms_parse("r1\0r2\0r3", 9, p, 2), -ENOSPC);
}
END_TEST

START_TEST(perms_rules)
{
    struct xsd_conn *u = th_conn(xsd, 5), *v = th_conn(xsd, 6);
    char buf[64];

    ck_assert_int_eq(th_write(d0, 0, "/local/domain/5/x", "1"), 0);
    /* Owned by dom0, default none: dom5 sees nothing, not even ENOENT. */
    ck_assert_int_eq(th_read(u, 0, "x", NULL), EACCES);
    ck_assert_int_eq(th_read(u, 0, "nothere", NULL), EACCES);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5", "n0 b5"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5/x", "n0 r5"), 0);
    ck_assert_int_eq(th_read(u, 0, "x", buf), 0);
    ck_assert_int_eq(th_write(u, 0, "x", "2"), EACCES);
    ck_assert_int_eq(th_read(u, 0, "nothere", NULL), ENOENT);
    ck_assert_int_eq(th_read(v, 0, "/local/domain/5/x", NULL), EACCES);
    /* Created by dom5: inherits the parent's list, dom5 as owner. */
    ck_assert_int_eq(th_write(u, 0, "data/y", "3"), 0);
    {
        struct th_msg m;

        ck_assert_int_eq(
            th_do(d0, XSW_GET_PERMS, 0, "/local/domain/5/data", NULL, &m), 0);
        ck_assert_uint_eq(m.hdr.len, 6);
        ck_assert_int_eq(memcmp(m.data, "n5\0b5", 6), 0);
    }
    ck_assert_uint_eq(xsd->owned[5], 2);
    /* The owner may chmod but not give the node away. */
    ck_assert_int_eq(th_chmod(u, 0, "data/y", "r5 b6"), 0);
    ck_assert_int_eq(th_read(v, 0, "/local/domain/5/data/y", buf), 0);
    ck_assert_int_eq(th_write(v, 0, "/local/domain/5/data/y", "6"), 0);
    ck_assert_int_eq(th_chmod(v, 0, "/local/domain/5/data/y", "b6"), EACCES);
    ck_assert_int_eq(th_chmod(u, 0, "data/y", "b6"), EPERM);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5/data/y", "b6"), 0);
    ck_assert_uint_eq(xsd->owned[5], 1);
    ck_assert_uint_eq(xsd->owned[6], 1);
    /* Default letter of entry 0 is what others get. */
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5/x", "r0"), 0);
    ck_assert_int_eq(th_read(v, 0, "/local/domain/5/x", NULL), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5/x", "rx"), EINVAL);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5/x", ""), EINVAL);
}
END_TEST

START_TEST(perms_quota)
{
    struct xsd_conn *u = th_conn(xsd, 5);

    ck_assert_int_eq(th_mkdir(d0, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5", "n5"), 0);
    ck_assert_int_eq(th_write(u, 0, "p", ""), 0);
    ck_assert_int_eq(th_chmod(u, 0, "p", "n5 r1 r2 r3 r4"), 0);
    ck_assert_int_eq(th_chmod(u, 0, "p", "n5 r1 r2 r3 r4 r6"), ENOSPC);
    ck_assert_int_eq(
        th_chmod(d0, 0, "/local/domain/5/p", "n5 r1 r2 r3 r4 r6 r7"), 0);
}
END_TEST

START_TEST(perms_node_quotas)
{
    struct xsd_conn *u = th_conn(xsd, 5);
    char path[64], big[3000];
    int i;

    ck_assert_int_eq(th_mkdir(d0, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_chmod(d0, 0, "/local/domain/5", "n5"), 0);
    xsd->quota.nodes = 10;
    /* The home itself is dom5's now: it counts as one. */
    for ( i = 0; i < 9; i++ )
    {
        snprintf(path, sizeof(path), "n%d", i);
        ck_assert_int_eq(th_write(u, 0, path, "x"), 0);
    }
    ck_assert_int_eq(th_write(u, 0, "n10", "x"), ENOSPC);
    ck_assert_int_eq(th_write(u, 0, "n0", "rewrite is fine"), 0);
    ck_assert_int_eq(th_rm(u, 0, "n0"), 0);
    ck_assert_int_eq(th_write(u, 0, "deep/er", "x"), ENOSPC);
    ck_assert_int_eq(th_write(u, 0, "n10", "x"), 0);
    /* node-size: value + children + perms. */
    memset(big, 'v', sizeof(big));
    big[2100] = '\0';
    ck_assert_int_eq(th_write(u, 0, "n1", big), ENOSPC);
    big[2000] = '\0';
    ck_assert_int_eq(th_write(u, 0, "n1", big), 0);
    big[2100] = 'v';
    big[2999] = '\0';
    ck_assert_int_eq(th_write(d0, 0, "/local/domain/5/n1", big), 0);
}
END_TEST

Suite *suite_path(void)
{
    TH_SUITE("path", setup, teardown, path_validity, path_helpers,
             path_errors_on_wire);
}

Suite *suite_store(void)
{
    TH_SUITE("store", setup, teardown, store_write_read, store_mkdir_rm,
             store_directory_part, store_reply_too_big);
}

Suite *suite_perms(void)
{
    TH_SUITE("perms", setup, teardown, perms_parse_format, perms_rules,
             perms_quota, perms_node_quotas);
}
