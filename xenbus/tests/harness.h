/*
 * Test harness: a daemon state in memory, connections without any
 * transport, and helpers that send one request and collect the reply and
 * any watch events, exactly as a client would see them on the wire.
 */
#ifndef XB_HARNESS_H
#define XB_HARNESS_H

#include <check.h>

#include "xsd.h"

struct th_msg
{
    struct xsw_msg hdr;
    char data[XSW_PAYLOAD_MAX + 1];
};

struct xsd *th_new(void);
struct xsd_conn *th_conn(struct xsd *xsd, unsigned int domid);
/* Feed raw bytes; returns what xsd_conn_input returned. */
long th_feed(struct xsd_conn *c, const void *bytes, size_t len);
/* Send a message; 0 and *reply filled if a reply came, -1 otherwise. */
int th_req(struct xsd_conn *c, uint32_t type, uint32_t tx, const void *payload,
           size_t len, struct th_msg *reply);
/* The reply's errno (EINVAL, ...) if it is an error, else 0. */
int th_errno(const struct th_msg *m);
/* Request with payload a\0 (and b appended raw if b); errno or 0. */
int th_do(struct xsd_conn *c, uint32_t type, uint32_t tx, const char *a,
          const char *b, struct th_msg *reply);
int th_write(struct xsd_conn *c, uint32_t tx, const char *path,
             const char *value);
/* Value read into buf (NUL-terminated); errno or 0. */
int th_read(struct xsd_conn *c, uint32_t tx, const char *path, char *buf);
int th_rm(struct xsd_conn *c, uint32_t tx, const char *path);
int th_mkdir(struct xsd_conn *c, uint32_t tx, const char *path);
/* perms: entries separated by spaces, e.g. "n5 r0". */
int th_chmod(struct xsd_conn *c, uint32_t tx, const char *path,
             const char *perms);
int th_watch(struct xsd_conn *c, const char *path, const char *token);
uint32_t th_txn_start(struct xsd_conn *c);
int th_txn_end(struct xsd_conn *c, uint32_t tx, bool commit);
/* Pop one event of c: 1 and path/token filled, 0 if none pending. */
int th_event(struct xsd_conn *c, char *path, char *token);
int th_event_count(struct xsd_conn *c);
void th_drop_events(struct xsd_conn *c);

/* A suite of one test case running tests between setup and teardown. */
Suite *th_suite(const char *name, const TTest *const *tests, size_t n,
                void (*setup)(void), void (*teardown)(void));
#define TH_SUITE(name, setup, teardown, ...)                                   \
    do                                                                         \
    {                                                                          \
        const TTest *const t_[] = {__VA_ARGS__};                               \
        return th_suite(name, t_, sizeof(t_) / sizeof(t_[0]), setup,           \
                        teardown);                                             \
    } while ( 0 )

Suite *suite_path(void);
Suite *suite_store(void);
Suite *suite_perms(void);
Suite *suite_txn(void);
Suite *suite_watch(void);
Suite *suite_proto(void);
Suite *suite_domain(void);
Suite *suite_ring(void);

#endif /* XB_HARNESS_H */
