/*
 * Console backend for boot-time domUs.
 *
 * Ring protocol (public/io/console.h): the guest writes out[] and then
 * advances out_prod; we read out[out_cons..out_prod) and then advance
 * out_cons. The indices are free-running 32-bit counters. We read
 * out_prod once, fence so the bytes are read after it (pairs with the
 * guest's write barrier before its producer update), and never trust a
 * producer more than the ring size ahead: a guest that lies about it
 * loses its output, nothing else. Partial lines wait in the domain's
 * line buffer until a newline, a full buffer or the domain stopping.
 */
#include <asm/page.h>
#include <asm/page_type.h>
#include <mica/console_ring.h>
#include <mica/event.h>
#include <mica/lib.h>
#include <public/io/console.h>

int console_ring_attach(struct domain *d, unsigned long mfn)
{
    int port;

    /*
     * We write out_cons through the direct map: the writable type, held
     * for good, keeps the guest from turning the page into a page table
     * whose entries we would then be writing.
     */
    if ( get_page_and_type(mfn, d->domain_id, PGT_writable) )
        return -EINVAL;
    port = evtchn_alloc_xen_bound(d->evtchn, 0);
    if ( port < 0 )
    {
        put_page_and_type(mfn);
        return port;
    }
    d->console.mfn = mfn;
    d->console.port = port;
    d->console.len = 0;
    return port;
}

static void flush_line(struct domain *d)
{
    struct domain_console *c = &d->console;

    if ( !c->len )
        return;
    printk("(d%u) %.*s\n", d->domain_id, (int)c->len, c->line);
    c->len = 0;
}

static void put_char(struct domain *d, char ch)
{
    struct domain_console *c = &d->console;

    if ( ch == '\n' )
    {
        if ( !c->len )
            c->line[c->len++] = ' ';
        flush_line(d);
        return;
    }
    if ( ch == '\r' )
        return;
    c->line[c->len++] = ch;
    if ( c->len == sizeof(c->line) )
        flush_line(d);
}

void console_ring_drain(struct domain *d)
{
    volatile struct xencons_interface *ring;
    XENCONS_RING_IDX cons, prod;

    if ( !d->console.port )
        return;
    ring = mfn_to_virt(d->console.mfn);
    cons = ring->out_cons;
    prod = ring->out_prod;
    asm volatile ( "lfence" ::: "memory" );
    if ( prod - cons > XENCONS_OUT_SIZE )
        cons = prod;            /* a lying producer: skip what it claims */
    while ( cons != prod )
    {
        put_char(d, ring->out[MASK_XENCONS_IDX(cons, XENCONS_OUT_SIZE)]);
        cons++;
    }
    asm volatile ( "" ::: "memory" );   /* bytes read before we free them */
    ring->out_cons = cons;
    if ( d->is_shutting_down )
        flush_line(d);
}

void console_ring_detach(struct domain *d)
{
    if ( !d->console.port )
        return;
    console_ring_drain(d);
    flush_line(d);
    put_page_and_type(d->console.mfn);
    d->console.port = 0;
    d->console.mfn = 0;
}
