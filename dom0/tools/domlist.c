/*
 * Formatting of mica-list's table (domlist.h). Boot-time domains have no
 * names (there is no xenstore to keep them), so dom0 is "Domain-0", as in
 * Xen, and every other domain is "d<id>", the name Mica's log uses.
 */
#include <stdio.h>

#include <public/sched.h>

#include "domlist.h"

#define NAME_WIDTH 32

const char *domlist_header(void)
{
    return "Name                                ID   Mem VCPUs  State    Time(s)";
}

static int crashed(const struct mica_domaininfo *info)
{
    if ( info->flags & MICA_DOMINF_crashed )
        return 1;
    return (info->flags & MICA_DOMINF_shutdown) &&
           info->shutdown_reason == SHUTDOWN_crash;
}

void domlist_state(const struct mica_domaininfo *info,
                   char out[DOMLIST_STATE_LEN])
{
    uint32_t f = info->flags;
    int crash = crashed(info);

    out[0] = (f & MICA_DOMINF_running) ? 'r' : '-';
    out[1] = (f & MICA_DOMINF_blocked) ? 'b' : '-';
    out[2] = (f & MICA_DOMINF_paused) ? 'p' : '-';
    /* A crash is its own letter; 's' is every other shutdown. */
    out[3] = ((f & MICA_DOMINF_shutdown) && !crash) ? 's' : '-';
    out[4] = crash ? 'c' : '-';
    out[5] = (f & MICA_DOMINF_dying) ? 'd' : '-';
    out[6] = '\0';
}

int domlist_row(const struct mica_domaininfo *info, char *out, size_t size)
{
    char name[NAME_WIDTH + 1];
    char state[DOMLIST_STATE_LEN];
    unsigned long long mib = info->tot_pages >> (20 - 12);
    /* Tenths of a second, rounded down, printed without floating point. */
    unsigned long long tenths = info->cpu_time / 100000000ULL;

    if ( info->domain == 0 )
        snprintf(name, sizeof(name), "Domain-0");
    else
        snprintf(name, sizeof(name), "d%u", (unsigned int)info->domain);
    domlist_state(info, state);
    return snprintf(out, size, "%-*s %5u %5llu %5u  %s %7llu.%llu",
                    NAME_WIDTH, name, (unsigned int)info->domain, mib,
                    (unsigned int)info->nr_online_vcpus, state,
                    tenths / 10, tenths % 10);
}
