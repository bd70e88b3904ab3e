/*
 * Permissions.  A node carries a list of (domid, mode) entries.  Entry 0
 * names the owner, who may do everything, and its mode is what every
 * domain not listed later gets.  Later entries grant their mode to one
 * domain each; the first match wins.  A privileged connection (dom0's
 * tools, dom0's kernel) bypasses all of it, and a device-model domain
 * given a target by SET_TARGET acts with its target's rights as well.
 * On the wire an entry is a letter (n none, r read, w write, b both)
 * followed by the domid in decimal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define ALL (XSD_PERM_READ | XSD_PERM_WRITE | XSD_PERM_OWNER)

static bool acts_as(const struct xsd_conn *conn, uint32_t id)
{
    return id == conn->domid || (conn->has_target && id == conn->target);
}

unsigned int xsd_perm_for(const struct xsd_conn *conn, const struct xsd_perm *p,
                          uint32_t num)
{
    uint32_t i;

    if ( conn->privileged || (num && acts_as(conn, p[0].id)) )
        return ALL;
    if ( !num )
        return XSD_PERM_NONE;
    for ( i = 1; i < num; i++ )
        if ( acts_as(conn, p[i].id) )
            return p[i].mode;
    return p[0].mode;
}

static int parse_one(const char *s, struct xsd_perm *out)
{
    char *end;
    unsigned long id;

    switch ( s[0] )
    {
    case 'n':
        out->mode = XSD_PERM_NONE;
        break;
    case 'r':
        out->mode = XSD_PERM_READ;
        break;
    case 'w':
        out->mode = XSD_PERM_WRITE;
        break;
    case 'b':
        out->mode = XSD_PERM_READ | XSD_PERM_WRITE;
        break;
    default:
        return -EINVAL;
    }
    if ( s[1] < '0' || s[1] > '9' )
        return -EINVAL;
    id = strtoul(s + 1, &end, 10);
    if ( *end || id > 0xffff )
        return -EINVAL;
    out->id = id;
    return 0;
}

/*
 * Parse len bytes of NUL-terminated entries into at most max entries.
 * Returns the number parsed, -EINVAL on a bad entry, -ENOSPC past max.
 */
int xsd_perms_parse(const char *s, size_t len, struct xsd_perm *out,
                    uint32_t max)
{
    size_t off = 0;
    uint32_t n = 0;
    int rc;

    while ( off < len )
    {
        const char *nul = memchr(s + off, '\0', len - off);

        if ( !nul )
            return -EINVAL;
        if ( n == max )
            return -ENOSPC;
        rc = parse_one(s + off, &out[n]);
        if ( rc )
            return rc;
        n++;
        off = nul - s + 1;
    }
    return n;
}

size_t xsd_perms_format(const struct xsd_perm *p, uint32_t num, char *out,
                        size_t outlen)
{
    static const char letter[] = {'n', 'r', 'w', 'b'};
    size_t used = 0;
    uint32_t i;

    for ( i = 0; i < num; i++ )
    {
        int n = snprintf(out + used, outlen - used, "%c%u",
                         letter[p[i].mode & 3], p[i].id);

        if ( n < 0 || used + n + 1 > outlen )
            break;
        used += n + 1;
    }
    return used;
}
