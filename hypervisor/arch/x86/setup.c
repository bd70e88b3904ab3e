/*
 * From the first C instruction to dom0: read what the boot loader told
 * us (multiboot v1: command line, memory map, modules), parse our options,
 * build the frame table and the allocator, set up the CPU's descriptor
 * tables, interrupts and SYSCALL, then build dom0 and the boot-time
 * domUs and start scheduling them.
 */
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/serial.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <mica/cmdline.h>
#include <mica/console.h>
#include <mica/lib.h>
#include <mica/logdirty.h>
#include <mica/memop.h>
#include <mica/page_alloc.h>
#include <mica/setup.h>

#define MULTIBOOT_LOADER_MAGIC 0x2badb002
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)

struct mb_info
{
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module
{
    uint32_t start, end, string, reserved;
} __attribute__((packed));

struct mb_mmap
{
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

char hypervisor_cmdline[1024];
static char module_cmdlines[MAX_BOOT_MODULES][MAX_GUEST_CMDLINE];
struct boot_module boot_modules[MAX_BOOT_MODULES];
unsigned int nr_boot_modules;
uint64_t opt_dom0_mem;
uint64_t opt_domU_mem = 32UL << 20;
uint64_t opt_dom0_max_vcpus = 1;
bool opt_noreboot;

static struct e820_range e820[MAX_E820];
static unsigned int nr_e820;
static char opt_console[32] = "com1";
static char opt_loglvl[32] = "info";
static char opt_logdirty[16] = "pk";  /* "coarse": no protection keys */

static const struct param params[] = {
    { "console", PARAM_STRING, opt_console, sizeof(opt_console), NULL },
    { "loglvl", PARAM_STRING, opt_loglvl, sizeof(opt_loglvl), NULL },
    { "dom0_mem", PARAM_SIZE, &opt_dom0_mem, sizeof(opt_dom0_mem), NULL },
    { "domU_mem", PARAM_SIZE, &opt_domU_mem, sizeof(opt_domU_mem), NULL },
    { "dom0_max_vcpus", PARAM_UINT, &opt_dom0_max_vcpus,
      sizeof(opt_dom0_max_vcpus), NULL },
    { "noreboot", PARAM_BOOL, &opt_noreboot, sizeof(opt_noreboot), NULL },
    { "logdirty", PARAM_STRING, opt_logdirty, sizeof(opt_logdirty), NULL },
};

extern char __image_start[], __image_end[];

/* The loader puts the image's file name first; skip it (as Xen does). */
static const char *skip_first_word(const char *s)
{
    while ( *s == ' ' )
        s++;
    while ( *s && *s != ' ' )
        s++;
    while ( *s == ' ' )
        s++;
    return s;
}

static void parse_multiboot(uint32_t magic, uint32_t mbi_pa)
{
    const struct mb_info *mbi = maddr_to_virt(mbi_pa);

    if ( magic != MULTIBOOT_LOADER_MAGIC )
        panic("not started by a multiboot loader (magic %#x)", magic);
    if ( mbi->flags & MBI_CMDLINE )
        strlcpy(hypervisor_cmdline,
                skip_first_word(maddr_to_virt(mbi->cmdline)),
                sizeof(hypervisor_cmdline));
    if ( !(mbi->flags & MBI_MMAP) )
        panic("the boot loader gave no memory map");
    for ( uint32_t off = 0; off < mbi->mmap_length && nr_e820 < MAX_E820; )
    {
        const struct mb_mmap *m = maddr_to_virt(mbi->mmap_addr + off);

        e820[nr_e820++] = (struct e820_range){ m->addr, m->len, m->type };
        off += m->size + 4;
    }
    if ( !(mbi->flags & MBI_MODS) )
        return;
    for ( uint32_t i = 0; i < mbi->mods_count && i < MAX_BOOT_MODULES; i++ )
    {
        const struct mb_module *m = maddr_to_virt(mbi->mods_addr +
                                                  i * sizeof(*m));

        boot_modules[i].start = m->start;
        boot_modules[i].size = m->end - m->start;
        /* Copied: the multiboot area is handed to the allocator. */
        if ( m->string )
            strlcpy(module_cmdlines[i],
                    skip_first_word(maddr_to_virt(m->string)),
                    sizeof(module_cmdlines[i]));
        boot_modules[i].cmdline = module_cmdlines[i];
        nr_boot_modules++;
    }
}

const struct e820_range *machine_e820(unsigned int *nr)
{
    *nr = nr_e820;
    return e820;
}

static void apply_options(void)
{
    if ( console_set_sinks(opt_console) )
        printk(LOG_WARN "unknown console '%s'\n", opt_console);
    if ( console_set_loglvl(opt_loglvl) )
        printk(LOG_WARN "unknown loglvl '%s'\n", opt_loglvl);
}

static void print_e820(void)
{
    for ( unsigned int i = 0; i < nr_e820; i++ )
        printk(" %016lx - %016lx type %u\n", e820[i].addr,
               e820[i].addr + e820[i].len, e820[i].type);
}

/* Is [s, e) clear of everything we must not hand out? */
static bool range_is_free(uint64_t s, uint64_t e)
{
    uint64_t is = virt_to_maddr(__image_start), ie = virt_to_maddr(__image_end);

    if ( s < 0x100000 || (s < ie && e > is) )
        return false;
    for ( unsigned int i = 0; i < nr_boot_modules; i++ )
    {
        uint64_t ms = boot_modules[i].start & PAGE_MASK;
        uint64_t me = boot_modules[i].start + boot_modules[i].size;

        if ( s < me && e > ms )
            return false;
    }
    return true;
}

/* Find `size` bytes of free RAM below 4 GiB (direct-mapped at boot). */
static uint64_t find_boot_memory(uint64_t size)
{
    for ( unsigned int i = nr_e820; i-- > 0; )
    {
        uint64_t s, e = MIN(e820[i].addr + e820[i].len, 1UL << 32);

        if ( e820[i].type != 1 || e <= e820[i].addr + size )
            continue;
        for ( s = ROUNDDOWN(e - size, PAGE_SIZE); s >= e820[i].addr &&
              s >= 0x100000; s -= 0x100000 )
            if ( range_is_free(s, s + size) )
                return s;
    }
    panic("no room for %lu bytes of boot data", size);
}

/* Give [s, e) to the allocator, in runs, minus what is in use. */
static void add_free_ram(uint64_t s, uint64_t e, uint64_t ts, uint64_t te)
{
    uint64_t run = 0;
    bool in_run = false;

    for ( uint64_t p = s; p <= e; p += PAGE_SIZE )
    {
        bool ok = p < e && range_is_free(p, p + PAGE_SIZE) &&
                  (p < ts || p >= te);

        if ( ok && !in_run )
        {
            run = p;
            in_run = true;
        }
        else if ( !ok && in_run )
        {
            page_alloc_add_free_range(run >> PAGE_SHIFT,
                                      (p - run) >> PAGE_SHIFT);
            in_run = false;
        }
    }
}

static bool is_ram(unsigned long pfn)
{
    uint64_t a = (uint64_t)pfn << PAGE_SHIFT;

    for ( unsigned int i = 0; i < nr_e820; i++ )
        if ( e820[i].type == 1 && a >= e820[i].addr &&
             a + PAGE_SIZE <= e820[i].addr + e820[i].len )
            return true;
    return false;
}

/*
 * As in Xen, the first MiB and every frame the map does not call RAM
 * belong to DOMID_IO: a privileged domain may map them (Linux dom0 reads
 * the BIOS area and DMI tables there), others may not.
 */
static void mark_io_frames(unsigned long max_pfn)
{
    for ( unsigned long pfn = 0; pfn < max_pfn; pfn++ )
        if ( pfn < (0x100000 >> PAGE_SHIFT) || !is_ram(pfn) )
            mfn_to_page(pfn)->owner = PAGE_OWNER_IO;
}

static void memory_init(void)
{
    unsigned long max_pfn = 0, table_bytes, reach;
    uint64_t table_pa;

    for ( unsigned int i = 0; i < nr_e820; i++ )
        if ( e820[i].type == 1 )
            max_pfn = MAX(max_pfn, (e820[i].addr + e820[i].len) >> PAGE_SHIFT);
    if ( max_pfn > (unsigned long)CONFIG_MAX_FRAMES )
    {
        printk(LOG_WARN "using only the first %lu GiB of RAM (CONFIG_MAX_FRAMES)\n",
               (unsigned long)CONFIG_MAX_FRAMES >> 18);
        max_pfn = CONFIG_MAX_FRAMES;
    }
    reach = directmap_extend((uint64_t)max_pfn << PAGE_SHIFT) >> PAGE_SHIFT;
    if ( reach < max_pfn )
    {
        printk(LOG_WARN "using only the first %lu GiB of RAM: the direct map "
               "reaches no further (no 1 GiB pages?)\n", reach >> 18);
        max_pfn = reach;
    }
    table_bytes = ROUNDUP(max_pfn * sizeof(struct page_info), PAGE_SIZE);
    table_pa = find_boot_memory(table_bytes);
    page_alloc_init(maddr_to_virt(table_pa), max_pfn);

    for ( unsigned int i = 0; i < nr_e820; i++ )
    {
        uint64_t s = ROUNDUP(e820[i].addr, PAGE_SIZE);
        uint64_t e = ROUNDDOWN(e820[i].addr + e820[i].len, PAGE_SIZE);

        if ( e820[i].type != 1 )
            continue;
        e = MIN(e, (uint64_t)max_pfn << PAGE_SHIFT);
        add_free_ram(s, e, table_pa, table_pa + table_bytes);
    }
    for ( uint64_t p = virt_to_maddr(__image_start);
          p < virt_to_maddr(__image_end); p += PAGE_SIZE )
        mfn_to_page(p >> PAGE_SHIFT)->owner = PAGE_OWNER_XEN;
    mark_io_frames(max_pfn);
    printk("memory: %lu MiB usable, %lu MiB free, frame table %lu KiB\n",
           page_alloc_total_count() >> 8, page_alloc_free_count() >> 8,
           table_bytes >> 10);
}

static void cpu_init(void)
{
    uint32_t a, b, c, d;
    unsigned long cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    cpuid_count(7, 0, &a, &b, &c, &d);
    if ( b & (1u << 7) )
        cr4 |= X86_CR4_SMEP;     /* never execute guest pages in ring 0 */
    write_cr4(cr4 & ~(X86_CR4_PGE | X86_CR4_FSGSBASE));
    logdirty_cpu_init(strcmp(opt_logdirty, "coarse") != 0);
    wrmsr(MSR_IA32_PAT, 0x0000050100070406UL);
    desc_init();
    traps_init();
}

void start_mica(uint32_t magic, uint32_t mbi_pa);
void start_mica(uint32_t magic, uint32_t mbi_pa)
{
    serial_init();
    printk("Mica hypervisor starting\n");
    parse_multiboot(magic, mbi_pa);
    cmdline_parse(hypervisor_cmdline, params, ARRAY_SIZE(params));
    apply_options();
    printk("command line: %s\n", hypervisor_cmdline);
    print_e820();
    memory_init();
    cpu_init();
    m2p_init();
    time_init();
    console_rx_enable();
    start_boot_domains();
}
