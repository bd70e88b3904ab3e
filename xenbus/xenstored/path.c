/*
 * Paths.  A valid node path starts with '/', has no empty component and
 * no trailing '/' (except the root itself), and uses only letters, digits
 * and "-/_@".  Relative paths are relative to the connection's home,
 * /local/domain/<domid>; special watch paths start with '@'.  The length
 * limit (path-max) counts from below a /local/domain/<id>/ prefix, so every
 * domain gets the same room under its home.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

int xsd_canonical(const struct xsd_conn *conn, const char *in, char *out,
                  size_t outlen)
{
    int n;

    if ( in[0] == '/' || in[0] == '@' )
        n = snprintf(out, outlen, "%s", in);
    else
        n = snprintf(out, outlen, "%s/%s", conn->home, in);
    if ( n < 0 || (size_t)n >= outlen )
        return -EINVAL;
    return 0;
}

static bool valid_chars(const char *p)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "abcdefghijklmnopqrstuvwxyz"
                             "0123456789-/_@";

    return p[strspn(p, ok)] == '\0';
}

/* Length of a leading "/local/domain/<digits>/", or 0. */
static size_t local_prefix(const char *path)
{
    static const char pre[] = "/local/domain/";
    size_t i = sizeof(pre) - 1, digits = 0;

    if ( strncmp(path, pre, i) )
        return 0;
    while ( path[i] >= '0' && path[i] <= '9' && digits < 5 )
    {
        i++;
        digits++;
    }
    if ( !digits || path[i] != '/' )
        return 0;
    return i + 1;
}

bool xsd_path_valid(const struct xsd *xsd, const char *path)
{
    size_t len = strlen(path);
    size_t max = xsd->quota.path_max;

    if ( path[0] != '/' )
        return false;
    if ( len > 1 && path[len - 1] == '/' )
        return false;
    if ( strstr(path, "//") )
        return false;
    if ( max && len > local_prefix(path) + max )
        return false;
    if ( len > XSW_ABS_PATH_MAX )
        return false;
    return valid_chars(path);
}

/* out must hold strlen(path) + 1 bytes; the parent of "/x" is "/". */
void xsd_parent(const char *path, char *out)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;

    if ( len == 0 )
    {
        strcpy(out, "/");
        return;
    }
    memcpy(out, path, len);
    out[len] = '\0';
}

const char *xsd_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* Is path the ancestor itself or below it?  Everything is below "/". */
bool xsd_path_within(const char *path, const char *ancestor)
{
    size_t len = strlen(ancestor);

    if ( !strcmp(ancestor, "/") )
        return path[0] == '/';
    if ( strncmp(path, ancestor, len) )
        return false;
    return path[len] == '/' || path[len] == '\0';
}
