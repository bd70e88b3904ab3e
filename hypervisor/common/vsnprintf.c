/*
 * A small vsnprintf: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' '#',
 * width and precision (also '*'), length modifiers hh h l ll z t.
 * Output is always NUL-terminated; the return value is the length the
 * full output would have had, as in C99.
 */
#include <mica/lib.h>

struct out
{
    char *buf;
    size_t size;
    size_t len;
};

struct spec
{
    bool left, zero, alt;
    int width, prec;
};

static void put(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while ( n-- > 0 )
        put(o, c);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
    int len;

    if ( !s )
        s = "(null)";
    len = sp->prec >= 0 ? (int)strnlen(s, sp->prec) : (int)strlen(s);
    if ( !sp->left )
        pad(o, ' ', sp->width - len);
    for ( int i = 0; i < len; i++ )
        put(o, s[i]);
    if ( sp->left )
        pad(o, ' ', sp->width - len);
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned int base,
                    bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, prefix = 0, zeros, total;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while ( v );
    if ( sp->alt && base == 16 )
        prefix = 2;
    zeros = sp->prec > n ? sp->prec - n : 0;
    total = n + zeros + prefix + (neg ? 1 : 0);
    if ( sp->zero && !sp->left && sp->prec < 0 && sp->width > total )
    {
        zeros += sp->width - total;
        total = sp->width;
    }
    if ( !sp->left )
        pad(o, ' ', sp->width - total);
    if ( neg )
        put(o, '-');
    if ( prefix )
    {
        put(o, '0');
        put(o, upper ? 'X' : 'x');
    }
    pad(o, '0', zeros);
    while ( n )
        put(o, tmp[--n]);
    if ( sp->left )
        pad(o, ' ', sp->width - total);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    sp->left = sp->zero = sp->alt = false;
    sp->width = 0;
    sp->prec = -1;
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
    if ( *f == '*' )
    {
        sp->width = va_arg(*ap, int);
        f++;
    }
    while ( *f >= '0' && *f <= '9' )
        sp->width = sp->width * 10 + (*f++ - '0');
    if ( *f == '.' )
    {
        f++;
        sp->prec = 0;
        if ( *f == '*' )
        {
            sp->prec = va_arg(*ap, int);
            f++;
        }
        while ( *f >= '0' && *f <= '9' )
            sp->prec = sp->prec * 10 + (*f++ - '0');
    }
    return f;
}

/* Returns the number of 'l'-class modifiers: 0 int, 1 long, -1 char/short. */
static const char *parse_length(const char *f, int *len)
{
    *len = 0;
    while ( *f == 'l' || *f == 'z' || *f == 't' || *f == 'h' )
    {
        *len = *f == 'h' ? -1 : 1;
        f++;
    }
    return f;
}

static void format_one(struct out *o, char conv, int len,
                       const struct spec *sp, va_list *ap)
{
    uint64_t u;
    int64_t s;

    switch ( conv )
    {
    case 'd': case 'i':
        s = len > 0 ? va_arg(*ap, long) : va_arg(*ap, int);
        put_num(o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, false, sp);
        break;
    case 'u': case 'x': case 'X': case 'o':
        u = len > 0 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
        put_num(o, u, false, conv == 'u' ? 10 : conv == 'o' ? 8 : 16,
                conv == 'X', sp);
        break;
    case 'p':
    {
        struct spec p = *sp;

        p.alt = true;
        p.zero = true;
        p.width = 18;
        put_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, &p);
        break;
    }
    case 's':
        put_str(o, va_arg(*ap, const char *), sp);
        break;
    case 'c':
        put(o, (char)va_arg(*ap, int));
        break;
    default:
        put(o, '%');
        put(o, conv);
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list aq;

    va_copy(aq, ap);
    while ( *fmt )
    {
        struct spec sp;
        int len;

        if ( *fmt != '%' )
        {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        if ( *fmt == '%' )
        {
            put(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt, &sp, &aq);
        fmt = parse_length(fmt, &len);
        if ( !*fmt )
            break;
        format_one(&o, *fmt++, len, &sp, &aq);
    }
    va_end(aq);
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
