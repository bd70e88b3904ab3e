/*
 * The hypervisor command line: a table of known options and a parser.
 *
 * Options are separated by blanks and take the forms Xen uses:
 *   name            a boolean set to true (a custom option gets "")
 *   no-name         a boolean set to false (a custom option gets "no")
 *   name=value      any type; booleans accept the words of parse_bool()
 *   no-name=value   a boolean set to the opposite of value
 * There is no quoting: a value ends at the next blank.
 */
#ifndef MICA_CMDLINE_H
#define MICA_CMDLINE_H

#include <mica/env.h>

enum param_type
{
    PARAM_BOOL,     /* var: integer of `size` bytes (bool, uint8_t...) */
    PARAM_UINT,     /* var: unsigned of `size` bytes; decimal or 0x hex */
    PARAM_SIZE,     /* var: unsigned of `size` bytes; see parse_size() */
    PARAM_STRING,   /* var: char[size]; truncated, always NUL-terminated */
    PARAM_CUSTOM,   /* custom(value) is called; var and size unused */
};

struct param
{
    const char *name;
    enum param_type type;
    void *var;
    size_t size;
    int (*custom)(const char *value);   /* returns 0 or -errno */
};

/*
 * Parse `cmdline` (may be NULL) and assign every option found in `params`.
 * Returns how many options were unknown or malformed; each is logged with
 * printk and skipped, the rest still take effect. A repeated option takes
 * its last value. Never writes past a variable's `size`; the input is not
 * modified. Malformed means: a value that does not parse or does not fit
 * the variable, "no-" on an option that is not boolean or custom, a custom
 * handler returning an error, or a table entry with an unusable size.
 */
unsigned int cmdline_parse(const char *cmdline, const struct param *params,
                           size_t nr);

/*
 * Parse a size: a decimal or 0x-hex number and an optional unit suffix,
 * B (bytes), K, M, G or T (powers of 1024), in either case. Without a
 * suffix the number counts KiB, as Xen's parse_size_and_unit does.
 * On success stores the byte count in *out, the first unparsed character
 * in *end (if end is not NULL) and returns 0. Returns -EINVAL if there are
 * no digits, or if end is NULL and characters follow the size; -ERANGE if
 * the result does not fit in 64 bits. *out and *end are written only on
 * success.
 */
int parse_size(const char *s, const char **end, uint64_t *out);

/*
 * 1 for "1", "yes", "on", "true", "enable"; 0 for "0", "no", "off",
 * "false", "disable"; -1 for anything else (case matters, as in Xen).
 */
int parse_bool(const char *s);

#endif /* MICA_CMDLINE_H */
