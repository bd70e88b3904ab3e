/*
 * printk and the console.
 *
 * A message may start with a LOG_* marker (see env.h); messages above the
 * configured level are dropped. Every line the hypervisor prints gets the
 * "(MICA) " prefix so hypervisor output can be told apart from a guest's in
 * the serial log. Dom0's console_io output goes out raw; when it stops in
 * the middle of a line (a shell prompt, a line written in pieces) and the
 * hypervisor then prints, a newline comes first, so that every hypervisor
 * line, a domU's "(dN) ..." console lines among them, starts a line of
 * its own with its prefix. Everything printed also goes into a ring
 * buffer that a privileged domain can read back later.
 */
#include <stdarg.h>
#include <asm/processor.h>
#include <asm/serial.h>
#include <asm/time.h>
#include <mica/console.h>
#include <mica/lib.h>
#include <mica/timer.h>

#define RING_SIZE 16384
#define INPUT_SIZE 256
#define SERIAL_IRQ 4

static enum log_level loglvl = LOGLVL_INFO;
static bool serial_on = true;
static bool at_line_start = true;
static bool raw_line_open;      /* dom0's raw output stopped mid-line */

static char ring[RING_SIZE];
static size_t ring_prod;

static char input[INPUT_SIZE];
static unsigned int input_prod, input_cons;

static const struct
{
    const char *name;
    enum log_level lvl;
} levels[] = {
    { "none", LOGLVL_NONE },
    { "error", LOGLVL_ERR },
    { "warning", LOGLVL_WARN },
    { "info", LOGLVL_INFO },
    { "debug", LOGLVL_DEBUG },
    { "all", LOGLVL_DEBUG },
};

int console_set_loglvl(const char *spec)
{
    for ( size_t i = 0; i < ARRAY_SIZE(levels); i++ )
    {
        if ( !strcmp(spec, levels[i].name) )
        {
            loglvl = levels[i].lvl;
            return 0;
        }
    }
    return -1;
}

int console_set_sinks(const char *spec)
{
    if ( !strcmp(spec, "com1") || !strcmp(spec, "serial") )
        serial_on = true;
    else if ( !strcmp(spec, "none") )
        serial_on = false;
    else
        return -1;
    return 0;
}

static void emit(char c)
{
    ring[ring_prod++ % RING_SIZE] = c;
    if ( serial_on )
        serial_putc(c);
}

void console_write_raw(const char *s, size_t n)
{
    for ( size_t i = 0; i < n; i++ )
        emit(s[i]);
    if ( n )
    {
        at_line_start = s[n - 1] == '\n';
        raw_line_open = !at_line_start;
    }
}

static void emit_prefixed(const char *s)
{
    if ( raw_line_open && *s )
    {
        emit('\n');
        at_line_start = true;
        raw_line_open = false;
    }
    for ( ; *s; s++ )
    {
        if ( at_line_start )
        {
            for ( const char *p = "(MICA) "; *p; p++ )
                emit(*p);
            at_line_start = false;
        }
        emit(*s);
        if ( *s == '\n' )
            at_line_start = true;
    }
}

int printk(const char *fmt, ...)
{
    char buf[512];
    enum log_level lvl = LOGLVL_INFO;
    va_list ap;
    int n;

    if ( fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '3' )
    {
        lvl = fmt[1] - '0';
        fmt += 2;
    }
    if ( lvl > loglvl )
        return 0;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    emit_prefixed(buf);
    return n;
}

void console_input_char(char c)
{
    if ( input_prod - input_cons < INPUT_SIZE )
        input[input_prod++ % INPUT_SIZE] = c;
}

/*
 * Serial input. Once console_rx_enable() has run, the UART raises IRQ 4
 * when a character arrives; the handler moves what the UART holds into
 * `input` and raises SOFTIRQ_CONSOLE, which tells dom0 (VIRQ_CONSOLE,
 * console_io.c), whose CONSOLEIO_read takes it from here. Nothing is
 * dropped: when `input` is full the interrupt is switched off and the
 * rest waits in the UART, whose full FIFO holds the sender back, until a
 * read makes room. Interrupts are on during hypercalls, so the reader
 * shuts them out while it touches the buffer.
 */
static bool rx_enabled;

static bool drain_uart(void)
{
    bool got = false;
    int c;

    while ( input_prod - input_cons < INPUT_SIZE && (c = serial_getc()) >= 0 )
    {
        input[input_prod++ % INPUT_SIZE] = c;
        got = true;
    }
    return got;
}

/* Drain, then keep the interrupt on only while there is room. */
static void rx_refill(void)
{
    if ( drain_uart() )
        raise_softirq(SOFTIRQ_CONSOLE);
    serial_rx_irq(input_prod - input_cons < INPUT_SIZE);
}

void console_rx_enable(void)
{
    rx_enabled = true;
    rx_refill();
    pic_unmask(SERIAL_IRQ);
}

void console_rx_interrupt(void)
{
    rx_refill();
}

size_t console_read_input(char *buf, size_t n)
{
    unsigned long flags = irq_save();
    size_t i = 0;

    drain_uart();
    while ( i < n && input_cons != input_prod )
        buf[i++] = input[input_cons++ % INPUT_SIZE];
    if ( rx_enabled )
        rx_refill();
    irq_restore(flags);
    return i;
}

size_t console_ring_copy(char *buf, size_t n, size_t offset)
{
    size_t start = ring_prod > RING_SIZE ? ring_prod - RING_SIZE : 0;
    size_t i;

    if ( offset < start )
        offset = start;
    for ( i = 0; i < n && offset + i < ring_prod; i++ )
        buf[i] = ring[(offset + i) % RING_SIZE];
    return i;
}
