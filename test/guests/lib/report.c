/*
 * Test outcome.  Results only get worse: SUCCESS < SKIP < ERROR < FAILURE.
 * ERROR means the test or its environment broke (unexpected trap, a
 * prerequisite hypercall failed); FAILURE means the hypervisor behaved
 * differently from what the test checks.  Exactly one "Test result:" line
 * is printed, by test_finish(), which then powers the domain off.
 */
#include "test.h"

enum test_status {
    TEST_RUNNING,
    TEST_SUCCESS,
    TEST_SKIP,
    TEST_ERROR,
    TEST_FAILURE,
};

static enum test_status status = TEST_RUNNING;

void (*test_finish_hook)(void);

static const char *const status_names[] = {
    [TEST_RUNNING] = "RUNNING",
    [TEST_SUCCESS] = "SUCCESS",
    [TEST_SKIP] = "SKIP",
    [TEST_ERROR] = "ERROR",
    [TEST_FAILURE] = "FAILURE",
};

static void set_status(enum test_status s)
{
    if ( s > status )
        status = s;
}

static void report(enum test_status s, const char *prefix,
                   const char *fmt, va_list ap)
{
    char buf[256];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    printk("%s: %s\n", prefix, buf);
    set_status(s);
}

void test_success(void)
{
    set_status(TEST_SUCCESS);
}

void test_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(TEST_SKIP, "Skip", fmt, ap);
    va_end(ap);
}

void test_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(TEST_ERROR, "Error", fmt, ap);
    va_end(ap);
}

void test_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(TEST_FAILURE, "Failure", fmt, ap);
    va_end(ap);
}

void __noreturn test_finish(void)
{
    static bool finishing;
    struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };

    /* A trap while finishing must not print a second result line. */
    if ( !finishing )
    {
        finishing = true;
        if ( status == TEST_RUNNING )
        {
            printk("Error: test_main returned without reporting\n");
            status = TEST_ERROR;
        }
        printk("Test result: %s\n", status_names[status]);
        if ( test_finish_hook )
            test_finish_hook();
    }

    for ( ;; )
    {
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
        /* Still here: the shutdown was refused.  Keep trying, politely. */
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

static const struct {
    long value;
    const char *name;
} errno_names[] = {
    { XEN_EPERM, "EPERM" },     { XEN_ENOENT, "ENOENT" },
    { XEN_ESRCH, "ESRCH" },     { XEN_EINTR, "EINTR" },
    { XEN_EIO, "EIO" },         { XEN_ENXIO, "ENXIO" },
    { XEN_E2BIG, "E2BIG" },     { XEN_ENOEXEC, "ENOEXEC" },
    { XEN_EBADF, "EBADF" },     { XEN_ECHILD, "ECHILD" },
    { XEN_EAGAIN, "EAGAIN" },   { XEN_ENOMEM, "ENOMEM" },
    { XEN_EACCES, "EACCES" },   { XEN_EFAULT, "EFAULT" },
    { XEN_EBUSY, "EBUSY" },     { XEN_EEXIST, "EEXIST" },
    { XEN_EXDEV, "EXDEV" },     { XEN_ENODEV, "ENODEV" },
    { XEN_EINVAL, "EINVAL" },   { XEN_ENOSPC, "ENOSPC" },
    { XEN_ERANGE, "ERANGE" },   { XEN_EDEADLK, "EDEADLK" },
    { XEN_ENOSYS, "ENOSYS" },   { XEN_ENODATA, "ENODATA" },
    { XEN_ETIME, "ETIME" },     { XEN_EOVERFLOW, "EOVERFLOW" },
    { XEN_ERESTART, "ERESTART" }, { XEN_EOPNOTSUPP, "EOPNOTSUPP" },
    { XEN_ENOBUFS, "ENOBUFS" }, { XEN_ETIMEDOUT, "ETIMEDOUT" },
};

const char *xen_errno_name(long rc)
{
    unsigned int i;

    if ( rc == 0 )
        return "ok";
    if ( rc > 0 )
        return "positive";
    for ( i = 0; i < ARRAY_SIZE(errno_names); i++ )
        if ( errno_names[i].value == -rc )
            return errno_names[i].name;
    return "?";
}

bool check_rc(const char *what, long rc, long expected)
{
    if ( rc == expected )
        return true;

    test_fail("%s: got %ld (%s), expected %ld (%s)", what,
              rc, xen_errno_name(rc), expected, xen_errno_name(expected));
    return false;
}
