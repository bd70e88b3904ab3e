/*
 * The unit-test program: runs every suite and provides what the host
 * environment (test/unit/env/mica/env.h) promises the hypervisor files,
 * printk() and assert_failed().
 *
 * printk() appends to an in-memory log instead of printing, so that the
 * expected warnings of hostile-input tests do not bury the results; set
 * UNIT_VERBOSE=1 to see them on stderr as well.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mica/env.h>
#include <public/errno.h>

#include "unit.h"

/* The host's error numbers stand in for Xen's: they must be the same. */
_Static_assert(EPERM == XEN_EPERM && ENOENT == XEN_ENOENT &&
               E2BIG == XEN_E2BIG && ENOEXEC == XEN_ENOEXEC &&
               EAGAIN == XEN_EAGAIN && ENOMEM == XEN_ENOMEM &&
               EFAULT == XEN_EFAULT && EBUSY == XEN_EBUSY &&
               EEXIST == XEN_EEXIST && EINVAL == XEN_EINVAL &&
               ENOSPC == XEN_ENOSPC && ERANGE == XEN_ERANGE &&
               ENOSYS == XEN_ENOSYS && EOVERFLOW == XEN_EOVERFLOW && ESRCH == XEN_ESRCH &&
               ENOENT == XEN_ENOENT && EACCES == XEN_EACCES &&
               EOPNOTSUPP == XEN_EOPNOTSUPP,
               "host errno values differ from Xen's");

#define LOG_SIZE 65536

static char log_buf[LOG_SIZE];
static size_t log_len;

void test_log_reset(void)
{
    log_len = 0;
    log_buf[0] = '\0';
}

bool test_log_contains(const char *text)
{
    return strstr(log_buf, text) != NULL;
}

int printk(const char *fmt, ...)
{
    char msg[1024];
    const char *text = msg;
    va_list ap;
    size_t len;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    /* Drop the LOG_* level marker ("\001" and a digit). */
    if ( text[0] == '\001' && text[1] != '\0' )
        text += 2;

    if ( getenv("UNIT_VERBOSE") )
        fputs(text, stderr);

    /* When full, keep the newest: start again rather than stop logging. */
    len = strlen(text);
    if ( len >= LOG_SIZE - log_len )
        test_log_reset();
    memcpy(log_buf + log_len, text, len + 1);
    log_len += len;

    return len;
}

void assert_failed(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion '%s' failed\n", file, line, expr);
    abort();
}

int main(void)
{
    SRunner *sr = srunner_create(cmdline_suite());
    int failed;

    srunner_add_suite(sr, elf_suite());
    srunner_add_suite(sr, event_channel_suite());
    srunner_add_suite(sr, grant_table_suite());
    srunner_add_suite(sr, memop_suite());
    srunner_add_suite(sr, page_alloc_suite());
    srunner_add_suite(sr, page_type_suite());
    srunner_add_suite(sr, page_type_random_suite());
    srunner_add_suite(sr, ptwr_insn_suite());
    srunner_add_suite(sr, p2m_layout_suite());
    srunner_add_suite(sr, sched_credit_suite());
    srunner_add_suite(sr, domctl_suite());
    srunner_add_suite(sr, domlist_suite());

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
