/*
 * Which boot modules make up which domain, and with what settings.
 *
 * Every module whose contents start with the ELF magic is a kernel and
 * starts a new domain: the first is dom0, the next domain 1, and so on.
 * A module that is not an ELF belongs to the kernel before it as its
 * initial ramdisk (one at most); so does an ELF whose string has the word
 * "ramdisk" before any "--" (a kernel that dom0 is to load into a domain
 * it builds itself, say). A kernel module's string is
 *
 *     <image> [memory=MiB] [vcpus=N] [weight=N] [cap=PCT] -- <guest cmdline>
 *
 * as in Xen, where " -- " separates the hypervisor's words from dom0's:
 * words before "--" are for Mica, the rest is the guest's command line.
 * Without "--" the whole string is the guest's. memory, vcpus, weight
 * and cap are xl.cfg's names and units; memory defaults to dom0_mem for
 * dom0 and domU_mem for the others, vcpus to dom0_max_vcpus for dom0 and
 * 1 for the others (vCPU 0 starts, the guest brings up the rest).
 * Everything is copied before any domain is built, since the boot
 * loader's strings live in memory we hand out.
 */
#include <asm/page.h>
#include <mica/cmdline.h>
#include <mica/lib.h>
#include <mica/page_alloc.h>
#include <mica/sched.h>
#include <mica/setup.h>

#define DOMU_OVERHEAD_PAGES 64  /* shared_info, event ports, build buffers */

static struct domain_spec specs[MAX_BOOT_MODULES];
static char cmdlines[MAX_BOOT_MODULES][MAX_GUEST_CMDLINE];
static unsigned int nr_specs;

static bool is_elf(const struct boot_module *m)
{
    const uint8_t *p = maddr_to_virt(m->start);

    return m->size >= 4 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' &&
           p[3] == 'F';
}

/* Where " -- " (or a leading "-- ") ends Mica's words, or NULL. */
static const char *find_separator(const char *s)
{
    for ( const char *p = s; *p; p++ )
        if ( (p == s || p[-1] == ' ') && p[0] == '-' && p[1] == '-' &&
             (p[2] == ' ' || p[2] == '\0') )
            return p;
    return NULL;
}

static void parse_module_string(struct domain_spec *spec, char *buf,
                                const char *s)
{
    const char *sep = find_separator(s);
    uint64_t memory = 0, vcpus = 0, weight = 0, cap = 0;
    char opts[256];
    const struct param params[] = {
        { "memory", PARAM_UINT, &memory, sizeof(memory), NULL },
        { "vcpus", PARAM_UINT, &vcpus, sizeof(vcpus), NULL },
        { "weight", PARAM_UINT, &weight, sizeof(weight), NULL },
        { "cap", PARAM_UINT, &cap, sizeof(cap), NULL },
    };

    strlcpy(buf, s, MAX_GUEST_CMDLINE);
    spec->cmdline = buf;
    if ( !sep )
        return;
    strlcpy(opts, s, MIN(sizeof(opts), (size_t)(sep - s) + 1));
    if ( cmdline_parse(opts, params, ARRAY_SIZE(params)) )
        printk(LOG_WARN "d%u: module options '%s': see docs/domains.md\n",
               spec->id, opts);
    sep += 2;
    while ( *sep == ' ' )
        sep++;
    strlcpy(buf, sep, MAX_GUEST_CMDLINE);
    spec->nr_pages = memory << (20 - PAGE_SHIFT);
    spec->nr_vcpus = vcpus;
    spec->weight = weight;
    spec->cap = cap;
}

/* Does the word "ramdisk" come before any "--" in the module string? */
static bool wants_ramdisk(const char *s)
{
    const char *sep = find_separator(s), *end = sep ? sep : s + strlen(s);

    for ( const char *p = s; p + 7 <= end; p++ )
        if ( (p == s || p[-1] == ' ') && !strncmp(p, "ramdisk", 7) &&
             (p + 7 == end || p[7] == ' ') )
            return true;
    return false;
}

static void plan_domains(void)
{
    for ( unsigned int i = 0; i < nr_boot_modules; i++ )
    {
        struct domain_spec *spec = &specs[nr_specs];

        if ( !is_elf(&boot_modules[i]) ||
             wants_ramdisk(boot_modules[i].cmdline) )
        {
            if ( nr_specs && !specs[nr_specs - 1].initrd )
                specs[nr_specs - 1].initrd = &boot_modules[i];
            else
                printk(LOG_WARN "boot module %u is neither a kernel nor "
                       "the first ramdisk after one: ignored\n", i);
            continue;
        }
        spec->id = nr_specs;
        spec->kernel = &boot_modules[i];
        parse_module_string(spec, cmdlines[nr_specs],
                            boot_modules[i].cmdline);
        if ( spec->id && !spec->nr_pages )
            spec->nr_pages = opt_domU_mem >> PAGE_SHIFT;
        if ( !spec->nr_vcpus )
            spec->nr_vcpus = spec->id ? 1 : opt_dom0_max_vcpus;
        if ( spec->nr_vcpus < 1 || spec->nr_vcpus > MAX_VCPUS )
        {
            printk(LOG_WARN "d%u: %u vCPUs is not 1-%u: using 1\n",
                   spec->id, spec->nr_vcpus, MAX_VCPUS);
            spec->nr_vcpus = 1;
        }
        nr_specs++;
    }
}

void start_boot_domains(void)
{
    unsigned long domu_pages = 0;

    plan_domains();
    if ( nr_specs == 0 )
        panic("no dom0 kernel: pass an ELF kernel as the first module");
    for ( unsigned int i = 1; i < nr_specs; i++ )
        domu_pages += specs[i].nr_pages + DOMU_OVERHEAD_PAGES;
    specs[0].reserve_pages = domu_pages;
    for ( unsigned int i = 0; i < nr_specs; i++ )
    {
        int rc = construct_domain(&specs[i]);

        if ( rc && i == 0 )
            panic("dom0 could not be built (%d): see the messages above", rc);
        if ( rc )
            printk(LOG_ERR "d%u not started (%d); the others run on\n", i,
                   rc);
    }
    printk("%u domain%s built; scheduling\n", nr_specs,
           nr_specs == 1 ? "" : "s");
    scheduler_start();
}
