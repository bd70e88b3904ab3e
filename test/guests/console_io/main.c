/*
 * console_io: write and read as dom0, bad buffers, bad commands.
 *
 * Expected behaviour is Xen 4.17's do_console_io() and
 * guest_console_write() (xen/drivers/char/console.c):
 *   - write copies `count` bytes in chunks and returns 0; a fault in the
 *     copy gives -EFAULT; count 0 copies nothing and returns 0;
 *   - count is an `unsigned int`: the upper half of the register is
 *     ignored;
 *   - read returns the number of bytes taken from the serial input ring
 *     (0 when it is empty, as under the test runner), -E2BIG for a count
 *     above INT_MAX; the buffer is only touched when input is pending;
 *   - any other command is -ENOSYS.
 * xsm_console_io() lets the hardware domain use both commands.
 */
#include "test.h"

const char test_title[] = "console_io";

static long cio(uint64_t cmd, uint64_t count, uint64_t buf)
{
    return hypercall3(__HYPERVISOR_console_io, cmd, count, buf);
}

static void test_write(void)
{
    static const char msg[] = "console_io: plain write\n";
    static char big[600];
    unsigned int i;

    CHECK_RC(cio(CONSOLEIO_write, sizeof(msg) - 1, GADDR(msg)), 0);
    CHECK_RC(cio(CONSOLEIO_write, 0, GADDR(msg)), 0);
    CHECK_RC(cio(CONSOLEIO_write, 0, 0), 0);

    /* Longer than Xen's 128-byte chunk: must all come out. */
    for ( i = 0; i < sizeof(big) - 1; i++ )
        big[i] = 'a' + i % 26;
    big[sizeof(big) - 2] = '\n';
    CHECK_RC(cio(CONSOLEIO_write, sizeof(big) - 1, GADDR(big)), 0);

    /* Only the low 32 bits of count count: 1 << 32 is a zero count. */
    CHECK_RC(cio(CONSOLEIO_write, 1ULL << 32, BAD_NONCANONICAL), 0);
}

static void test_write_bad(void)
{
    CHECK_RC(cio(CONSOLEIO_write, 16, BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(cio(CONSOLEIO_write, 16, BAD_HYPERVISOR), -XEN_EFAULT);
    CHECK_RC(cio(CONSOLEIO_write, 16, BAD_UNMAPPED), -XEN_EFAULT);
    CHECK_RC(cio(CONSOLEIO_write, 16, 0), -XEN_EFAULT);
}

static void test_read(void)
{
    static char buf[64];
    long rc = cio(CONSOLEIO_read, sizeof(buf), GADDR(buf));

    if ( rc < 0 || rc > (long)sizeof(buf) )
        test_fail("CONSOLEIO_read: got %ld (%s), expected 0..%zu", rc,
                  xen_errno_name(rc), sizeof(buf));

    CHECK_RC(cio(CONSOLEIO_read, 0, GADDR(buf)), 0);
    CHECK_RC(cio(CONSOLEIO_read, 0x80000000U, GADDR(buf)), -XEN_E2BIG);
    CHECK_RC(cio(CONSOLEIO_read, 0xffffffffU, GADDR(buf)), -XEN_E2BIG);

    /* Nothing is pending, so a bad buffer is never touched. */
    rc = cio(CONSOLEIO_read, 16, BAD_NONCANONICAL);
    if ( rc != 0 && rc != -XEN_EFAULT )
        test_fail("CONSOLEIO_read to a bad buffer: got %ld (%s)", rc,
                  xen_errno_name(rc));
}

static void test_bad_cmd(void)
{
    static const char msg[] = "x";
    static const uint64_t cmds[] = { 2, 3, 0xffffffff, 0x7fffffff };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
        long rc = cio(cmds[i], 1, GADDR(msg));

        if ( rc != -XEN_ENOSYS )
            test_fail("console_io(cmd %#lx): got %ld (%s), expected -ENOSYS",
                      cmds[i], rc, xen_errno_name(rc));
    }
}

void test_main(void)
{
    test_write();
    test_write_bad();
    test_read();
    test_bad_cmd();
    test_success();
}
