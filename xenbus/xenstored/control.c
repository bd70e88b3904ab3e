/*
 * CONTROL (also called DEBUG): <command> [<arg>...], dom0 only.  What
 * xenstore-control sends.  Commands: "log [<level>|on|off]" shows or sets
 * the log level; "quota" lists the limits, "quota set <name> <value>"
 * changes one, "quota <domid>" shows what a domain uses; "print <text>"
 * writes a line to the log; "check" is accepted; "help" lists commands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define MAXARGS 8

static const struct
{
    const char *name;
    size_t offset;
    const char *what;
} quotas[] = {
    {"nodes", offsetof(struct xsd_quota, nodes), "Nodes per domain"},
    {"watches", offsetof(struct xsd_quota, watches), "Watches per domain"},
    {"transactions", offsetof(struct xsd_quota, transactions),
     "Transactions per domain"},
    {"outstanding", offsetof(struct xsd_quota, outstanding),
     "Outstanding requests per domain"},
    {"transaction-nodes", offsetof(struct xsd_quota, txn_nodes),
     "Nodes touched per transaction"},
    {"memory", offsetof(struct xsd_quota, memory),
     "Bytes of unread output per domain"},
    {"node-size", offsetof(struct xsd_quota, node_size), "Max. size of a node"},
    {"path-max", offsetof(struct xsd_quota, path_max),
     "Max. length of a node path"},
    {"permissions", offsetof(struct xsd_quota, permissions),
     "Max. number of permissions per node"},
};

#define NQUOTAS (sizeof(quotas) / sizeof(quotas[0]))

static int *quota_ptr(struct xsd_quota *q, size_t i)
{
    return (int *)((char *)q + quotas[i].offset);
}

/* value: decimal, 0 disables; path-max is capped at the protocol's. */
int xsd_quota_set(struct xsd *xsd, const char *name, const char *value)
{
    char *end;
    long v = strtol(value, &end, 10);
    size_t i;

    if ( *value < '0' || *value > '9' || *end || v < 0 || v > 1L << 30 )
        return -EINVAL;
    for ( i = 0; i < NQUOTAS; i++ )
        if ( !strcmp(name, quotas[i].name) )
        {
            if ( !strcmp(name, "path-max") && v > XSW_REL_PATH_MAX )
                v = XSW_REL_PATH_MAX;
            *quota_ptr(&xsd->quota, i) = v;
            xsd_log(XSD_LOG_INFO, "quota %s set to %ld", name, v);
            return 0;
        }
    return -EINVAL;
}

size_t xsd_quota_show(const struct xsd *xsd, char *out, size_t outlen)
{
    size_t used = 0, i;

    used += snprintf(out, outlen, "Quota settings:\n");
    for ( i = 0; i < NQUOTAS && used < outlen; i++ )
        used += snprintf(
            out + used, outlen - used, "%-17s: %8d %s\n", quotas[i].name,
            *quota_ptr((struct xsd_quota *)&xsd->quota, i), quotas[i].what);
    return used < outlen ? used : outlen - 1;
}

static int reply_text(struct xsd_req *req, const char *text, size_t len)
{
    return xsd_reply(req, XSW_CONTROL, text, len + 1);
}

static int ctl_quota(struct xsd_req *req, const char **av, unsigned int ac)
{
    struct xsd *xsd = req->conn->xsd;
    char out[XSW_PAYLOAD_MAX];
    unsigned int domid, nw = 0, nt = 0;
    struct xsd_domain *d;
    int rc;

    if ( ac == 0 )
        return reply_text(req, out, xsd_quota_show(xsd, out, sizeof(out)));
    if ( !strcmp(av[0], "set") )
    {
        if ( ac != 3 )
            return -EINVAL;
        rc = xsd_quota_set(xsd, av[1], av[2]);
        return rc ? rc : xsd_ack(req);
    }
    if ( ac != 1 || xsd_parse_domid(av[0], &domid) )
        return -EINVAL;
    d = xsd_domain_find(xsd, domid);
    if ( !d && domid )
        return -ENOENT;
    if ( d && d->conn )
    {
        nw = d->conn->nwatches;
        nt = d->conn->ntxns;
    }
    snprintf(out, sizeof(out),
             "Domain %u:\nnodes       : %u\nwatches     : %u\n"
             "transactions: %u\n",
             domid, xsd->owned[domid], nw, nt);
    return reply_text(req, out, strlen(out));
}

static int ctl_log(struct xsd_req *req, const char **av, unsigned int ac)
{
    char out[64];
    int l;

    if ( ac == 0 )
    {
        snprintf(out, sizeof(out), "%s\n",
                 xsd_log_level_name(xsd_log_get_level()));
        return reply_text(req, out, strlen(out));
    }
    if ( ac != 1 )
        return -EINVAL;
    if ( !strcmp(av[0], "on") )
        l = XSD_LOG_DEBUG;
    else if ( !strcmp(av[0], "off") )
        l = XSD_LOG_ERR;
    else if ( (l = xsd_log_level_parse(av[0])) < 0 )
        return -EINVAL;
    xsd_log_set_level(l);
    xsd_log(XSD_LOG_INFO, "log level set to %s", xsd_log_level_name(l));
    return xsd_ack(req);
}

static int ctl_print(struct xsd_req *req, const char **av, unsigned int ac)
{
    if ( ac != 1 )
        return -EINVAL;
    xsd_log(XSD_LOG_ERR, "control: %s", av[0]);
    return xsd_ack(req);
}

static int ctl_check(struct xsd_req *req, const char **av, unsigned int ac)
{
    (void)av;
    return ac ? -EINVAL : xsd_ack(req);
}

static int ctl_help(struct xsd_req *req, const char **av, unsigned int ac);

static const struct
{
    const char *name;
    int (*fn)(struct xsd_req *req, const char **av, unsigned int ac);
    const char *usage;
} cmds[] = {
    {"check", ctl_check, ""},
    {"log", ctl_log, "[error|warn|info|debug|on|off]"},
    {"print", ctl_print, "<string>"},
    {"quota", ctl_quota, "[set <name> <val>|<domid>]"},
    {"help", ctl_help, ""},
};

static int ctl_help(struct xsd_req *req, const char **av, unsigned int ac)
{
    char out[1024];
    size_t used = 0, i;

    (void)av;
    (void)ac;
    used += snprintf(out, sizeof(out), "Available commands:\n");
    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
        used += snprintf(out + used, sizeof(out) - used, "%s %s\n",
                         cmds[i].name, cmds[i].usage);
    return reply_text(req, out, used);
}

int xsd_op_control(struct xsd_req *req)
{
    const char *av[MAXARGS];
    unsigned int ac = xsd_req_strings(req, av, MAXARGS);
    size_t i;

    if ( ac == 0 || ac > MAXARGS )
        return -EINVAL;
    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
        if ( !strcmp(av[0], cmds[i].name) )
            return cmds[i].fn(req, av + 1, ac - 1);
    return -EINVAL;
}
