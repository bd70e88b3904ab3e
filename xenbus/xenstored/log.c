/*
 * Logging: one line per event, a level name in front, to stderr or to a
 * file given by --log-file.  Quota denials always log at "warn" with the
 * domain, the quota's name and its limit, because a silent ENOSPC is the
 * hardest failure for a guest's owner to diagnose.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "xsd.h"

static int level = XSD_LOG_INFO;
static FILE *logfile;

static const char *const names[] = {"error", "warn", "info", "debug"};

const char *xsd_log_level_name(int l)
{
    if ( l < 0 || l > XSD_LOG_DEBUG )
        return "?";
    return names[l];
}

int xsd_log_level_parse(const char *name)
{
    int i;

    for ( i = 0; i <= XSD_LOG_DEBUG; i++ )
        if ( !strcasecmp(name, names[i]) )
            return i;
    return -1;
}

void xsd_log_set_level(int l)
{
    level = l;
}

int xsd_log_get_level(void)
{
    return level;
}

int xsd_log_open(const char *file)
{
    FILE *f = fopen(file, "a");

    if ( !f )
        return -1;
    setvbuf(f, NULL, _IOLBF, 0);
    if ( logfile )
        fclose(logfile);
    logfile = f;
    return 0;
}

void xsd_log(int l, const char *fmt, ...)
{
    FILE *f = logfile ? logfile : stderr;
    va_list ap;

    if ( l > level )
        return;
    fprintf(f, "xenstored: %s: ", names[l]);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

void xsd_quota_denied(const struct xsd_conn *conn, const char *quota, int limit,
                      const char *what)
{
    xsd_log(XSD_LOG_WARN,
            "quota: domain %u hit %s (limit %d) on %s; raise it with "
            "--quota %s=N or 'xenstore-control quota set %s N'",
            conn->domid, quota, limit, what, quota, quota);
}
