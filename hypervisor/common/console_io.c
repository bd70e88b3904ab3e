/*
 * console_io: dom0's console is the hypervisor's serial line. Writes from
 * dom0 go out as they are; writes from other domains (allowed for early
 * boot messages) get a "(dN) " prefix. Reading is for dom0 only, and
 * dom0 learns that there is something to read through VIRQ_CONSOLE, as
 * under Xen (Linux's hvc0 for dom0 binds it and reads when it fires).
 */
#include <asm/current.h>
#include <mica/console.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/xen.h>

#define CHUNK 128

static long console_write(unsigned long buf, unsigned long count)
{
    struct domain *d = current->domain;
    char kbuf[CHUNK + 8];

    while ( count )
    {
        size_t n = MIN(count, (unsigned long)CHUNK);

        if ( copy_from_guest(kbuf, buf, n) )
            return -EFAULT;
        if ( is_hardware_domain(d) )
            console_write_raw(kbuf, n);
        else
        {
            kbuf[n] = '\0';
            printk("(d%u) %s", d->domain_id, kbuf);
        }
        buf += n;
        count -= n;
    }
    return 0;
}

static long console_read(unsigned long buf, unsigned long count)
{
    char kbuf[CHUNK];
    long total = 0;

    while ( count )
    {
        size_t n = console_read_input(kbuf, MIN(count, (unsigned long)CHUNK));

        if ( !n )
            break;
        if ( copy_to_guest(buf, kbuf, n) )
            return -EFAULT;
        buf += n;
        count -= n;
        total += n;
    }
    return total;
}

long do_console_io(unsigned long cmd, unsigned long count, unsigned long buf,
                   unsigned long a4, unsigned long a5)
{
    count = (uint32_t)count;    /* the ABI's count is an unsigned int */
    switch ( cmd )
    {
    case CONSOLEIO_write:
        return console_write(buf, count);
    case CONSOLEIO_read:
        if ( !current->domain->is_privileged )
            return -EPERM;
        /* The result is a count or an error: keep the two apart. */
        if ( (int)count < 0 )
            return -E2BIG;
        return console_read(buf, count);
    default:
        return -ENOSYS;
    }
}

/* Serial input arrived (console.c): tell dom0, if it listens. */
void console_io_softirq(void)
{
    struct domain *d = domain_by_id(0);

    if ( d && d->evtchn )
        evtchn_send_virq(d->evtchn, 0, VIRQ_CONSOLE);
}
