/*
 * Console output. Dom0 writes through HYPERVISOR_console_io; a domU
 * writes into the console ring start_info names (the page lies in our
 * initial mapping: find its pfn in the p2m) and signals the port, as
 * Linux's hvc_xen does, so the ring backend is exercised by every
 * multi-domain test. vsnprintf and snprintf are the hypervisor's own
 * (hypervisor/common/vsnprintf.c), linked in by guests.mk.
 */
#include "test.h"
#include <public/event_channel.h>
#include <public/io/console.h>

static volatile struct xencons_interface *ring;
static uint32_t ring_port;

static void ring_init(void)
{
    static bool done;
    uint64_t mfn;

    if ( done || !start_info )
        return;
    done = true;
    mfn = start_info->console.domU.mfn;
    if ( (start_info->flags & SIF_INITDOMAIN) || !mfn )
        return;
    for ( uint64_t pfn = 0; pfn < start_info->nr_pages; pfn++ )
        if ( pfn_to_mfn(pfn) == mfn )
        {
            ring = (void *)(uintptr_t)(VIRT_BASE + pfn * PAGE_SIZE);
            ring_port = start_info->console.domU.evtchn;
            return;
        }
}

static void ring_notify(void)
{
    struct evtchn_send s = { .port = ring_port };

    hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, GADDR(&s));
}

static void ring_write(const char *s, size_t len)
{
    XENCONS_RING_IDX prod = ring->out_prod;

    for ( size_t i = 0; i < len; i++ )
    {
        /* Full: let the backend drain (it does so on our notify). */
        while ( prod - ring->out_cons >= XENCONS_OUT_SIZE )
        {
            ring->out_prod = prod;
            ring_notify();
        }
        ring->out[MASK_XENCONS_IDX(prod, XENCONS_OUT_SIZE)] = s[i];
        prod++;
    }
    asm volatile ( "" ::: "memory" );   /* bytes before the index */
    ring->out_prod = prod;
    ring_notify();
}

volatile struct xencons_interface *console_ring(void)
{
    ring_init();
    return ring;
}

void console_write(const char *s, size_t len)
{
    ring_init();
    if ( ring )
        ring_write(s, len);
    else
        HYPERVISOR_console_io(CONSOLEIO_write, len, s);
}

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);

    console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
