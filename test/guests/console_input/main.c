/*
 * Serial input reaches dom0 as it does under Xen 4.17: dom0 binds
 * VIRQ_CONSOLE (a global VIRQ: vCPU 0 only, else -EINVAL, as
 * evtchn_bind_virq in xen/common/event_channel.c), the hypervisor raises
 * it when characters arrive, and CONSOLEIO_read hands them over in order
 * (do_console_io in xen/drivers/char/console.c returns the count read).
 *
 * The runner feeds this directory's `input` file (900 bytes: "line 000"
 * to "line 099") into the serial port. That is more than the
 * hypervisor's input buffer, so all of it can only arrive if reading
 * makes room and more input then raises VIRQ_CONSOLE. What reaches us
 * must be the file without gaps; only a few bytes that arrived before the
 * hypervisor set up the UART may be missing from its start.
 */
#include "test.h"

const char test_title[] = "console_input";

#define INPUT_LEN 900
#define WAIT_STEP (200 * MS)

static char got[INPUT_LEN + 64];

static char expected_at(unsigned int i)
{
    static char line[16];

    snprintf(line, sizeof(line), "line %03u\n", i / 9);
    return line[i % 9];
}

void test_main(void)
{
    unsigned int len = 0, events = 0, idle = 0, skip;
    long port;

    if ( !map_shared_info() )
        return;
    CHECK_RC(evtchn_bind_virq(VIRQ_CONSOLE, 1), -XEN_EINVAL);
    port = evtchn_bind_virq(VIRQ_CONSOLE, 0);
    if ( port <= 0 )
    {
        test_error("bind_virq(VIRQ_CONSOLE): %ld", port);
        return;
    }

    /* Read until the input is complete or nothing comes for 5 s. */
    while ( len < INPUT_LEN && idle < 25 )
    {
        long n = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(got) - len,
                                       got + len);

        if ( n < 0 )
        {
            test_fail("CONSOLEIO_read: %ld", n);
            break;
        }
        len += n;
        if ( n )
            continue;
        if ( wait_port(port, WAIT_STEP) )
        {
            events++;
            idle = 0;
        }
        else
            idle++;
    }

    printk("read %u bytes, %u VIRQ_CONSOLE events\n", len, events);
    if ( len > INPUT_LEN || len < INPUT_LEN - 32 )
    {
        test_fail("read %u bytes of a %u-byte input", len, INPUT_LEN);
        return;
    }
    skip = INPUT_LEN - len;
    for ( unsigned int i = 0; i < len; i++ )
        if ( got[i] != expected_at(skip + i) )
        {
            test_fail("byte %u: %#x, expected %#x (input %u)", i, got[i],
                      expected_at(skip + i), skip + i);
            break;
        }
    if ( !events )
        test_fail("no VIRQ_CONSOLE although input kept arriving");
    test_success();
}
