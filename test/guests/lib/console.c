/*
 * Console output through HYPERVISOR_console_io(CONSOLEIO_write), and a
 * small vsnprintf: %d %i %u %x %X %p %s %c %%, flags '-', '0', '#', a
 * field width, a precision for %s, and the length modifiers l, ll, z.
 */
#include "test.h"

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

struct spec {
    bool left;
    bool zero;
    bool alt;
    unsigned int width;
    int precision;          /* -1: none */
    unsigned int lng;       /* number of 'l' (z counts as 1) */
};

static void put_padded(struct out *o, const struct spec *sp,
                       const char *s, size_t len)
{
    size_t pad = sp->width > len ? sp->width - len : 0;

    if ( !sp->left )
        while ( pad-- )
            put(o, ' ');
    while ( len-- )
        put(o, *s++);
    if ( sp->left )
        while ( pad-- )
            put(o, ' ');
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v,
                       unsigned int base, bool neg, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0, total, width = sp->width;
    const char *prefix = neg ? "-" : (sp->alt && base == 16 ? "0x" : "");
    size_t plen = strlen(prefix);

    do
    {
        tmp[n++] = digits[v % base];
        v /= base;
    } while ( v );

    total = n + plen;
    if ( !sp->left && !sp->zero )
        for ( ; width > total; width-- )
            put(o, ' ');
    while ( *prefix )
        put(o, *prefix++);
    if ( !sp->left && sp->zero )
        for ( ; width > total; width-- )
            put(o, '0');
    while ( n )
        put(o, tmp[--n]);
    if ( sp->left )
        for ( ; width > total; width-- )
            put(o, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp)
{
    memset(sp, 0, sizeof(*sp));
    sp->precision = -1;

    for ( ;; f++ )
    {
        if ( *f == '-' )
            sp->left = true;
        else if ( *f == '0' )
            sp->zero = true;
        else if ( *f == '#' )
            sp->alt = true;
        else
            break;
    }
    while ( *f >= '0' && *f <= '9' )
        sp->width = sp->width * 10 + (*f++ - '0');
    if ( *f == '.' )
    {
        sp->precision = 0;
        for ( f++; *f >= '0' && *f <= '9'; f++ )
            sp->precision = sp->precision * 10 + (*f - '0');
    }
    for ( ; *f == 'l' || *f == 'z'; f++ )
        sp->lng++;
    return f;
}

static uint64_t get_unsigned(const struct spec *sp, va_list *ap)
{
    return sp->lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
}

static int64_t get_signed(const struct spec *sp, va_list *ap)
{
    return sp->lng ? va_arg(*ap, long) : va_arg(*ap, int);
}

static void format_one(struct out *o, char conv, struct spec *sp,
                       va_list *ap)
{
    const char *s;
    char c;
    int64_t sv;

    switch ( conv )
    {
    case 'd':
    case 'i':
        sv = get_signed(sp, ap);
        put_number(o, sp, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10,
                   sv < 0, false);
        break;
    case 'u':
        put_number(o, sp, get_unsigned(sp, ap), 10, false, false);
        break;
    case 'x':
    case 'X':
        put_number(o, sp, get_unsigned(sp, ap), 16, false, conv == 'X');
        break;
    case 'p':
        sp->alt = true;
        put_number(o, sp, (uintptr_t)va_arg(*ap, void *), 16, false, false);
        break;
    case 's':
        s = va_arg(*ap, const char *);
        if ( !s )
            s = "(null)";
        put_padded(o, sp, s, sp->precision >= 0
                   ? strnlen(s, sp->precision) : strlen(s));
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        put_padded(o, sp, &c, 1);
        break;
    default:
        put(o, '%');
        if ( conv )
            put(o, conv);
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { .buf = buf, .size = size };
    struct spec sp;
    va_list args;

    va_copy(args, ap);
    while ( *fmt )
    {
        if ( *fmt != '%' )
        {
            put(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp);
        if ( *fmt == '%' )
            put(&o, '%');
        else
            format_one(&o, *fmt, &sp, &args);
        if ( *fmt )
            fmt++;
    }
    va_end(args);

    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void console_write(const char *s, size_t len)
{
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
