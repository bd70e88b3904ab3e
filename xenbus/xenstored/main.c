/*
 * xenstored: command line, then the loop.  Options are table-driven; the
 * short letters follow Xen's C daemon where it has them (-N no fork,
 * -F pid file, -E/-W/-t/-S/-M/-A/-Q quotas), so existing init scripts
 * keep working.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xsd_os.h"

#define DEFAULT_RUNDIR "/var/run/xenstored"

struct opts
{
    bool foreground;
    const char *socket;
    const char *pidfile;
    const char *logfile;
    bool dom0_ring;
};

static const struct option longopts[] = {
    {"foreground", no_argument, NULL, 'N'},
    {"no-fork", no_argument, NULL, 'N'},
    {"socket", required_argument, NULL, 's'},
    {"pid-file", required_argument, NULL, 'F'},
    {"log-level", required_argument, NULL, 'l'},
    {"log-file", required_argument, NULL, 'L'},
    {"quota", required_argument, NULL, 'Q'},
    {"entry-nb", required_argument, NULL, 'E'},
    {"watch-nb", required_argument, NULL, 'W'},
    {"transaction", required_argument, NULL, 't'},
    {"entry-size", required_argument, NULL, 'S'},
    {"path-max", required_argument, NULL, 'M'},
    {"perm-nb", required_argument, NULL, 'A'},
    {"dom0-ring", no_argument, NULL, 'R'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Short quota letters and the quota each sets. */
static const struct
{
    int letter;
    const char *quota;
} quota_letters[] = {
    {'E', "nodes"},     {'W', "watches"},  {'t', "transactions"},
    {'S', "node-size"}, {'M', "path-max"}, {'A', "permissions"},
};

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: xenstored [options]\n"
        "  -N, --no-fork, --foreground  stay in the foreground\n"
        "  -s, --socket PATH         unix socket (default: $XENSTORED_PATH,\n"
        "                            else $XENSTORED_RUNDIR/socket, else\n"
        "                            " DEFAULT_RUNDIR "/socket)\n"
        "  -F, --pid-file FILE       write the daemon's pid there\n"
        "  -l, --log-level LEVEL     error, warn, info (default), debug\n"
        "  -L, --log-file FILE       log there instead of stderr\n"
        "  -Q, --quota NAME=VALUE    set a quota (xenstore-control quota\n"
        "                            lists them); 0 disables one\n"
        "  -E/-W/-t/-S/-M/-A N       nodes, watches, transactions,\n"
        "                            node-size, path-max, permissions\n"
        "  -R, --dom0-ring           serve dom0's kernel through\n"
        "                            /proc/xen/xsd_kva and xsd_port\n");
}

static const char *default_socket(char *buf, size_t len)
{
    const char *p = getenv("XENSTORED_PATH");
    const char *dir = getenv("XENSTORED_RUNDIR");

    if ( p && *p )
        return p;
    snprintf(buf, len, "%s/socket", dir && *dir ? dir : DEFAULT_RUNDIR);
    return buf;
}

static int quota_opt(struct xsd *xsd, int c, const char *arg)
{
    char name[64];
    const char *eq;
    size_t i;

    for ( i = 0; i < sizeof(quota_letters) / sizeof(quota_letters[0]); i++ )
        if ( quota_letters[i].letter == c )
            return xsd_quota_set(xsd, quota_letters[i].quota, arg);
    eq = strchr(arg, '=');
    if ( !eq || (size_t)(eq - arg) >= sizeof(name) )
        return -EINVAL;
    memcpy(name, arg, eq - arg);
    name[eq - arg] = '\0';
    return xsd_quota_set(xsd, name, eq + 1);
}

static int parse(int argc, char **argv, struct xsd *xsd, struct opts *o)
{
    int c, l;

    while ( (c = getopt_long(argc, argv, "NF:s:l:L:Q:E:W:t:S:M:A:Rh", longopts,
                             NULL)) != -1 )
    {
        switch ( c )
        {
        case 'N':
            o->foreground = true;
            break;
        case 's':
            o->socket = optarg;
            break;
        case 'F':
            o->pidfile = optarg;
            break;
        case 'L':
            o->logfile = optarg;
            break;
        case 'R':
            o->dom0_ring = true;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case 'l':
            if ( (l = xsd_log_level_parse(optarg)) < 0 )
            {
                fprintf(stderr,
                        "xenstored: unknown log level '%s'; use "
                        "error, warn, info or debug\n",
                        optarg);
                return -1;
            }
            xsd_log_set_level(l);
            break;
        case 'Q':
        case 'E':
        case 'W':
        case 't':
        case 'S':
        case 'M':
        case 'A':
            if ( quota_opt(xsd, c, optarg) )
            {
                fprintf(stderr,
                        "xenstored: bad quota '%s'; give NAME=N "
                        "with a name from 'xenstore-control quota'\n",
                        optarg);
                return -1;
            }
            break;
        default:
            usage(stderr);
            return -1;
        }
    }
    return optind == argc ? 0 : -1;
}

static int write_pidfile(const char *file)
{
    FILE *f = fopen(file, "w");

    if ( !f )
        return -1;
    fprintf(f, "%ld\n", (long)getpid());
    return fclose(f);
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    struct xsd *xsd = xsd_create(NULL);
    struct xsd_server *s;
    char buf[256];
    int lfd, rc;

    if ( !xsd || parse(argc, argv, xsd, &o) )
        return 2;
    if ( !o.socket )
        o.socket = default_socket(buf, sizeof(buf));
    if ( o.logfile && xsd_log_open(o.logfile) )
    {
        fprintf(stderr, "xenstored: cannot open log file %s: %s\n", o.logfile,
                strerror(errno));
        return 1;
    }
    lfd = xsd_sock_listen(o.socket);
    if ( lfd < 0 )
    {
        fprintf(stderr,
                "xenstored: cannot listen on %s: %s; is another "
                "xenstored running, or does its directory exist?\n",
                o.socket, strerror(-lfd));
        return 1;
    }
    s = xsd_server_new(xsd, lfd, o.socket);
    if ( s && !o.dom0_ring && xsd_ring_os_try(xsd, s) )
        xsd_log(XSD_LOG_INFO, "no /dev/xen/evtchn: guests cannot connect");
    if ( !s || (o.dom0_ring && xsd_ring_dom0_attach(xsd, s)) )
    {
        fprintf(stderr, "xenstored: cannot set up %s\n",
                s ? "dom0's ring (is xenfs mounted on /proc/xen?)"
                  : "the server (out of memory)");
        return 1;
    }
    if ( !o.foreground && daemon(0, o.logfile ? 0 : 1) )
        return 1;
    if ( o.pidfile && write_pidfile(o.pidfile) )
        xsd_log(XSD_LOG_WARN, "cannot write pid file %s", o.pidfile);
    xsd_log(XSD_LOG_INFO, "listening on %s", o.socket);
    rc = xsd_server_run(s);
    xsd_server_free(s);
    xsd_destroy(xsd);
    return rc ? 1 : 0;
}
