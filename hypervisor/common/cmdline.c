/*
 * The hypervisor command line parser.
 *
 * The command line comes from the boot loader and is read once, early, by
 * code that has nothing but the stack to work with; so the parser never
 * copies the line and never modifies it. Each blank-separated token is
 * described by pointers and lengths into the original string (struct
 * option), looked up in the caller's table, and applied by its type.
 * Only a custom handler needs a NUL-terminated value, and it gets a
 * bounded copy on the stack.
 *
 * A bad option is never fatal: it is logged, counted and skipped, because
 * a typo on the command line should not stop the machine from booting.
 * The forms accepted are Xen's (xen/common/kernel.c, parse_params), so an
 * existing Xen command line means the same thing here, with two
 * deliberate differences: "no-" on a number, size or string option is an
 * error rather than silently ignored, and numbers are decimal or 0x hex
 * only (Xen would read a leading 0 as octal).
 */
#include <mica/env.h>
#include <mica/cmdline.h>

/* Longest value a custom handler can receive, NUL included (Xen's too). */
#define CMDLINE_VALUE_MAX 128

/* Longest piece of an option echoed back in a message. */
#define CMDLINE_SHOW_MAX 64

/* One token of the command line, as pointers into the original string. */
struct option
{
    const char *text;       /* the whole token, for messages */
    size_t text_len;
    const char *key;        /* the name, without any "no-" */
    size_t key_len;
    const char *value;      /* after '=', or empty */
    size_t value_len;
    bool has_value;         /* there was an '=' */
    bool negated;           /* the name had a "no-" prefix */
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t token_length(const char *s)
{
    size_t n = 0;

    while ( s[n] != '\0' && !is_blank(s[n]) )
        n++;

    return n;
}

static void split_option(const char *tok, size_t len, struct option *opt)
{
    size_t eq = 0;

    while ( eq < len && tok[eq] != '=' )
        eq++;

    opt->text = tok;
    opt->text_len = len;
    opt->key = tok;
    opt->key_len = eq;
    opt->has_value = eq < len;
    opt->value = opt->has_value ? tok + eq + 1 : tok + len;
    opt->value_len = opt->has_value ? len - eq - 1 : 0;

    opt->negated = eq >= 3 && memcmp(tok, "no-", 3) == 0;
    if ( opt->negated )
    {
        opt->key += 3;
        opt->key_len -= 3;
    }
}

/* A digit's value in bases up to 16, or -1. */
static int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'F' )
        return c - 'A' + 10;
    return -1;
}

/* A decimal or 0x-hex number; -EINVAL without digits, -ERANGE if too big. */
static int parse_number(const char *s, const char **end, uint64_t *out)
{
    unsigned int base = 10;
    uint64_t val = 0;
    int d;

    if ( s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
         digit_value(s[2]) >= 0 )
    {
        base = 16;
        s += 2;
    }

    d = digit_value(*s);
    if ( d < 0 || (unsigned int)d >= base )
        return -EINVAL;

    for ( ; (d = digit_value(*s)) >= 0 && (unsigned int)d < base; s++ )
    {
        if ( val > (UINT64_MAX - d) / base )
            return -ERANGE;
        val = val * base + d;
    }

    *out = val;
    *end = s;
    return 0;
}

/* The shift a unit suffix stands for, or -1 if `c` is not a unit. */
static int unit_shift(char c)
{
    switch ( c )
    {
    case 'T': case 't':
        return 40;
    case 'G': case 'g':
        return 30;
    case 'M': case 'm':
        return 20;
    case 'K': case 'k':
        return 10;
    case 'B': case 'b':
        return 0;
    }

    return -1;
}

int parse_size(const char *s, const char **end, uint64_t *out)
{
    const char *p;
    uint64_t val;
    int shift, rc = parse_number(s, &p, &val);

    if ( rc )
        return rc;

    shift = unit_shift(*p);
    if ( shift >= 0 )
        p++;
    else
        shift = 10;             /* a bare number counts KiB */

    if ( val > (UINT64_MAX >> shift) )
        return -ERANGE;
    if ( end == NULL && *p != '\0' )
        return -EINVAL;

    *out = val << shift;
    if ( end != NULL )
        *end = p;
    return 0;
}

static int bool_word(const char *s, size_t len)
{
    static const struct
    {
        const char *word;
        int value;
    } words[] = {
        { "1", 1 }, { "yes", 1 }, { "on", 1 }, { "true", 1 }, { "enable", 1 },
        { "0", 0 }, { "no", 0 }, { "off", 0 }, { "false", 0 },
        { "disable", 0 },
    };
    size_t i;

    for ( i = 0; i < ARRAY_SIZE(words); i++ )
        if ( strlen(words[i].word) == len &&
             memcmp(words[i].word, s, len) == 0 )
            return words[i].value;

    return -1;
}

int parse_bool(const char *s)
{
    return bool_word(s, strlen(s));
}

static bool int_size_ok(size_t size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Store `val` in an unsigned variable of `size` bytes, if it fits. */
static int store_uint(void *var, size_t size, uint64_t val)
{
    if ( !int_size_ok(size) )
        return -EINVAL;
    if ( size < 8 && (val >> (size * 8)) != 0 )
        return -ERANGE;

    switch ( size )
    {
    case 1: *(uint8_t *)var = val; break;
    case 2: *(uint16_t *)var = val; break;
    case 4: *(uint32_t *)var = val; break;
    case 8: *(uint64_t *)var = val; break;
    }

    return 0;
}

static int apply_bool(const struct param *p, const struct option *opt)
{
    /* "name" and "name=" both mean true, as in Xen. */
    int b = opt->value_len ? bool_word(opt->value, opt->value_len) : 1;

    if ( b < 0 )
        return -EINVAL;
    if ( opt->negated )
        b = !b;

    return store_uint(p->var, p->size, b);
}

/* PARAM_UINT and PARAM_SIZE: the whole value must parse. */
static int apply_number(const struct param *p, const struct option *opt)
{
    const char *end;
    uint64_t val;
    int rc;

    if ( opt->negated )
        return -EINVAL;
    if ( !int_size_ok(p->size) )
        return -EINVAL;

    if ( p->type == PARAM_SIZE )
        rc = parse_size(opt->value, &end, &val);
    else
        rc = parse_number(opt->value, &end, &val);
    if ( rc )
        return rc;
    if ( end != opt->value + opt->value_len )
        return -EINVAL;

    return store_uint(p->var, p->size, val);
}

static void show_option(char *buf, const char *s, size_t len)
{
    len = MIN(len, (size_t)CMDLINE_SHOW_MAX - 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
}

static int apply_string(const struct param *p, const struct option *opt)
{
    char *dst = p->var;
    size_t n;

    if ( opt->negated || p->size == 0 )
        return -EINVAL;

    n = MIN(opt->value_len, p->size - 1);
    memcpy(dst, opt->value, n);
    dst[n] = '\0';

    if ( n < opt->value_len )
    {
        char shown[CMDLINE_SHOW_MAX];

        show_option(shown, opt->text, opt->text_len);
        printk(LOG_WARN "cmdline: value of \"%s\" cut to %u characters\n",
               shown, (unsigned int)n);
    }

    return 0;
}

static int apply_custom(const struct param *p, const struct option *opt)
{
    char value[CMDLINE_VALUE_MAX];

    if ( p->custom == NULL )
        return -EINVAL;

    /* "no-name" hands the handler "no"; "no-name=x" has no meaning. */
    if ( opt->negated )
        return opt->value_len ? -EINVAL : p->custom("no");

    if ( opt->value_len >= sizeof(value) )
        return -EINVAL;
    memcpy(value, opt->value, opt->value_len);
    value[opt->value_len] = '\0';

    return p->custom(value);
}

static int apply_option(const struct param *p, const struct option *opt)
{
    switch ( p->type )
    {
    case PARAM_BOOL:
        return apply_bool(p, opt);
    case PARAM_UINT:
    case PARAM_SIZE:
        return apply_number(p, opt);
    case PARAM_STRING:
        return apply_string(p, opt);
    case PARAM_CUSTOM:
        return apply_custom(p, opt);
    }

    return -EINVAL;
}

static const struct param *find_param(const struct param *params, size_t nr,
                                      const char *key, size_t len)
{
    size_t i;

    for ( i = 0; i < nr; i++ )
        if ( strlen(params[i].name) == len &&
             memcmp(params[i].name, key, len) == 0 )
            return &params[i];

    return NULL;
}

/* Apply one token; returns 0, or -errno once the problem is logged. */
static int parse_one(const char *tok, size_t len, const struct param *params,
                     size_t nr)
{
    char shown[CMDLINE_SHOW_MAX];
    const struct param *p;
    struct option opt;
    int rc;

    split_option(tok, len, &opt);

    p = find_param(params, nr, opt.key, opt.key_len);
    if ( p == NULL )
    {
        show_option(shown, tok, len);
        printk(LOG_WARN "cmdline: unknown option \"%s\" ignored\n", shown);
        return -ENOENT;
    }

    rc = apply_option(p, &opt);
    if ( rc )
    {
        show_option(shown, tok, len);
        printk(LOG_WARN "cmdline: bad option \"%s\" ignored (error %d)\n",
               shown, rc);
    }

    return rc;
}

unsigned int cmdline_parse(const char *cmdline, const struct param *params,
                           size_t nr)
{
    unsigned int bad = 0;
    const char *p = cmdline;
    size_t len;

    if ( cmdline == NULL )
        return 0;

    for ( ; ; )
    {
        while ( is_blank(*p) )
            p++;
        if ( *p == '\0' )
            break;

        len = token_length(p);
        if ( parse_one(p, len, params, nr) )
            bad++;
        p += len;
    }

    return bad;
}
