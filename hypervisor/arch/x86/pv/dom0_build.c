/*
 * Building the boot-time domains, following Xen's start-of-day rules for
 * x86-64 PV: dom0 and any boot-time domUs (boot_domains.c decides which
 * modules make up each, see docs/domains.md).
 *
 * Each domain's kernel is an ELF with Xen notes, optionally with an
 * initial ramdisk. A domain gets nr_pages frames; pseudo-physical frame
 * (pfn) i is the i-th frame we allocated, and the p2m list we hand it
 * says which machine frame that is. The bootstrap region [VIRT_BASE,
 * v_end) maps pfns 0.. one to one with 4 KiB pages, and holds in order:
 * the kernel, the ramdisk, the p2m list, start_info, for a domU its
 * console ring page, the bootstrap page tables (mapped read-only) and a
 * stack page, then at least 512 KiB of slack up to a 4 MiB boundary.
 * Linux takes over only the one L2 of this region, so it must fit in
 * 1 GiB. Only dom0 gets SIF_PRIVILEGED|SIF_INITDOMAIN; a domU gets its
 * console ring and port instead, and store_mfn = store_evtchn = 0 so that
 * Linux does not wait for a xenstore that is not there.
 *
 * Two ELF notes move things out of that region, as Xen's dom0 builder
 * does. MOD_START_PFN: the ramdisk is left unmapped, in the pfns right
 * after the region, and start_info gives its first pfn (SIF_MOD_START_PFN).
 * INIT_P2M: the p2m list is mapped at the virtual address the note names,
 * through page tables of its own under the bootstrap L4; its table and
 * data frames take the pfns after the ramdisk, and start_info says which
 * (first_p2m_pfn, nr_p2m_frames) so the kernel can reclaim them. This is
 * what lets a large domain's p2m list stay out of the 1 GiB.
 *
 * Page tables are L4 -> L3 -> L2 -> L1s; the L4 is pinned and is dom0's
 * kernel page table. Every mapping carries _PAGE_USER since the guest
 * kernel runs in ring 3. The hypervisor's own L4 slots are copied in.
 */
#include <asm/current.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/time.h>
#include <mica/domain.h>
#include <mica/domain_page.h>
#include <mica/elf.h>
#include <mica/lib.h>
#include <mica/console_ring.h>
#include <mica/p2m_layout.h>
#include <mica/page_alloc.h>
#include <mica/sched.h>
#include <mica/setup.h>
#include <mica/vtime.h>
#include <public/arch-x86_64.h>
#include <public/xen.h>

#define MB(x) ((uint64_t)(x) << 20)
#define L1_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_USER)
#define UPPER_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | \
                    _PAGE_USER)

struct layout
{
    uint64_t v_start, v_kend;
    uint64_t v_initrd, initrd_len;  /* v_initrd 0: unmapped, at pfn_initrd */
    uint64_t v_p2m, v_start_info, v_console, v_pt, v_stack, v_end;
    unsigned long nr_pt, nr_pages;
    bool p2m_outside;               /* INIT_P2M: v_p2m is outside */
    unsigned long pfn_initrd;       /* first pfn after the region */
    unsigned long pfn_p2m, nr_p2m_frames, nr_p2m_tables;
};

struct builder
{
    struct domain *d;
    const struct domain_spec *spec;
    struct elf_image img;
    struct layout l;
    unsigned long *p2m;         /* hypervisor copy, nr_pages entries */
    long p2m_buf;               /* mfn of that buffer */
    unsigned int p2m_order;
};

static unsigned long va_to_pfn(const struct layout *l, uint64_t va)
{
    return (va - l->v_start) >> PAGE_SHIFT;
}

static void *pfn_virt(const struct builder *b, unsigned long pfn)
{
    return mfn_to_virt(b->p2m[pfn]);
}

/*
 * The pfns after the region: the unmapped ramdisk, then the separately
 * mapped p2m list (its page tables first, then its data pages).
 */
static int place_outside(struct builder *b)
{
    struct layout *l = &b->l;
    unsigned long pfn = (l->v_end - l->v_start) >> PAGE_SHIFT;
    uint64_t p2m_end = l->v_p2m + ROUNDUP(l->nr_pages * 8, PAGE_SIZE);
    const char *why;

    l->pfn_initrd = pfn;
    if ( !l->v_initrd )
        pfn += ROUNDUP(l->initrd_len, PAGE_SIZE) >> PAGE_SHIFT;
    l->pfn_p2m = pfn;
    l->nr_p2m_frames = l->nr_p2m_tables = 0;
    if ( l->p2m_outside )
    {
        if ( p2m_check_range(l->v_p2m, l->nr_pages, l->v_start, l->v_end,
                             &why) )
        {
            printk(LOG_ERR "d%u kernel refused: %s\n", b->d->domain_id, why);
            return -EINVAL;
        }
        l->nr_p2m_tables = p2m_table_frames(l->v_p2m, p2m_end, l->v_start,
                                            l->v_end);
        l->nr_p2m_frames = l->nr_p2m_tables +
                           ((p2m_end - l->v_p2m) >> PAGE_SHIFT);
    }
    return pfn + l->nr_p2m_frames > l->nr_pages ? -ENOMEM : 0;
}

/* Work out where everything goes; the page-table count depends on v_end. */
static int compute_layout(struct builder *b, unsigned long nr_pages)
{
    struct layout *l = &b->l;
    uint64_t v = ROUNDUP(b->img.virt_kend, PAGE_SIZE);

    l->v_start = b->img.notes.virt_base;
    l->v_kend = v;
    l->v_initrd = 0;
    if ( !b->img.notes.mod_start_pfn )
    {
        l->v_initrd = v;
        v += ROUNDUP(l->initrd_len, PAGE_SIZE);
    }
    l->p2m_outside = b->img.notes.has_init_p2m;
    l->v_p2m = l->p2m_outside ? b->img.notes.init_p2m : v;
    if ( !l->p2m_outside )
        v += ROUNDUP(nr_pages * 8, PAGE_SIZE);
    l->v_start_info = v;
    v += PAGE_SIZE;
    l->v_console = 0;
    if ( !b->d->is_privileged )
    {
        l->v_console = v;
        v += PAGE_SIZE;
    }
    l->v_pt = v;
    for ( l->nr_pt = 4; ; l->nr_pt++ )
    {
        uint64_t end = l->v_pt + (l->nr_pt + 1) * PAGE_SIZE;

        l->v_end = ROUNDUP(end + 512 * 1024, MB(4));
        if ( 3 + (l->v_end - l->v_start + MB(2) - 1) / MB(2) <= l->nr_pt )
            break;
    }
    l->v_stack = l->v_pt + l->nr_pt * PAGE_SIZE;
    l->nr_pages = nr_pages;
    if ( l->v_end - l->v_start > (1UL << 30) ||
         l3_index(l->v_start) != l3_index(l->v_end - 1) )
        return -E2BIG;
    return place_outside(b);
}

static int allocate_memory(struct builder *b)
{
    unsigned long need = b->l.nr_pages, done = 0;

    b->p2m_order = 0;
    while ( (PAGE_SIZE << b->p2m_order) < need * sizeof(unsigned long) )
        b->p2m_order++;
    b->p2m_buf = page_alloc(b->p2m_order, PAGE_OWNER_XEN);
    if ( b->p2m_buf < 0 )
        return -ENOMEM;
    b->p2m = mfn_to_virt(b->p2m_buf);

    b->d->max_pages = need;
    while ( done < need )
    {
        unsigned int order = 0;
        long mfn;

        while ( order < 9 && (2UL << order) <= need - done )
            order++;
        while ( (mfn = domain_alloc_pages(b->d, order)) < 0 && order )
            order--;
        if ( mfn < 0 )
            return -ENOMEM;
        for ( unsigned long i = 0; i < (1UL << order); i++ )
        {
            m2p_set(mfn + i, done);
            b->p2m[done++] = mfn + i;
        }
    }
    return 0;
}

/* Copy into dom0's pseudo-physical memory at byte offset `off`. */
static void write_guest_phys(struct builder *b, uint64_t off,
                             const void *src, uint64_t len)
{
    const uint8_t *s = src;

    while ( len )
    {
        uint64_t in_page = off & ~PAGE_MASK;
        uint64_t n = MIN(len, PAGE_SIZE - in_page);

        memcpy((uint8_t *)pfn_virt(b, off >> PAGE_SHIFT) + in_page, s, n);
        off += n;
        s += n;
        len -= n;
    }
}

static void load_kernel(struct builder *b)
{
    const struct elf_xen_notes *n = &b->img.notes;

    for ( unsigned int i = 0; i < b->img.nr_segments; i++ )
    {
        const struct elf_segment *s = &b->img.seg[i];
        uint64_t va = n->virt_base + s->paddr - n->paddr_offset;

        write_guest_phys(b, va - b->l.v_start, b->img.data + s->offset,
                         s->filesz);
    }
    if ( n->has_hypercall_page )
        pv_fill_hypercall_page(pfn_virt(b, va_to_pfn(&b->l,
                                                     n->hypercall_page)));
}

/* The entry at `idx` of table `t`, pointing at a fresh table if empty. */
static pte_t *next_level(struct builder *b, pte_t *t, unsigned int idx,
                         unsigned long *table_pfn)
{
    if ( !(t[idx] & _PAGE_PRESENT) )
    {
        unsigned long pfn = (*table_pfn)++;

        memset(pfn_virt(b, pfn), 0, PAGE_SIZE);
        t[idx] = mfn_pte(b->p2m[pfn], UPPER_PROT);
    }
    return mfn_to_virt(pte_mfn(t[idx]));
}

/*
 * INIT_P2M: map the p2m list's data pages (pfns after its tables) at
 * v_p2m, writable, with 4 KiB pages under the bootstrap L4.
 */
static void map_p2m_outside(struct builder *b, pte_t *l4)
{
    const struct layout *l = &b->l;
    unsigned long table_pfn = l->pfn_p2m;
    unsigned long data_pfn = l->pfn_p2m + l->nr_p2m_tables;
    unsigned long nr_data = l->nr_p2m_frames - l->nr_p2m_tables;

    for ( unsigned long i = 0; i < nr_data; i++ )
    {
        uint64_t va = l->v_p2m + i * PAGE_SIZE;
        pte_t *l3 = next_level(b, l4, l4_index(va), &table_pfn);
        pte_t *l2 = next_level(b, l3, l3_index(va), &table_pfn);
        pte_t *l1 = next_level(b, l2, l2_index(va), &table_pfn);

        l1[l1_index(va)] = mfn_pte(b->p2m[data_pfn + i],
                                   L1_PROT | _PAGE_DIRTY);
    }
    if ( table_pfn != l->pfn_p2m + l->nr_p2m_tables )
        panic("d%u: p2m mapping used %lu tables, planned %lu",
              b->d->domain_id, table_pfn - l->pfn_p2m, l->nr_p2m_tables);
}

static void build_page_tables(struct builder *b)
{
    const struct layout *l = &b->l;
    unsigned long pt = va_to_pfn(l, l->v_pt);
    unsigned long nr_l1 = l->nr_pt - 3;
    pte_t *l4 = pfn_virt(b, pt), *l3 = pfn_virt(b, pt + 1);
    pte_t *l2 = pfn_virt(b, pt + 2);
    unsigned long mapped = (l->v_end - l->v_start) >> PAGE_SHIFT;

    l4[l4_index(l->v_start)] = mfn_pte(b->p2m[pt + 1], UPPER_PROT);
    l3[l3_index(l->v_start)] = mfn_pte(b->p2m[pt + 2], UPPER_PROT);
    for ( unsigned long i = 0; i < nr_l1; i++ )
        l2[l2_index(l->v_start) + i] = mfn_pte(b->p2m[pt + 3 + i],
                                               UPPER_PROT);
    for ( unsigned long pfn = 0; pfn < mapped; pfn++ )
    {
        pte_t *l1 = pfn_virt(b, pt + 3 + pfn / 512);
        bool is_pt = pfn >= pt && pfn < pt + l->nr_pt;

        l1[pfn % 512] = mfn_pte(b->p2m[pfn], is_pt ? L1_PROT & ~_PAGE_RW
                                                   : L1_PROT);
    }
    if ( l->p2m_outside )
        map_p2m_outside(b, l4);
    /*
     * The type system checks our work like a guest's: pinning the L4
     * validates the whole tree and takes every reference it needs; the
     * vCPU's base pointer takes one more on the L4.
     */
    if ( pt_pin(b->p2m[pt], b->d->domain_id, 4) ||
         get_page_and_type(b->p2m[pt], b->d->domain_id, PGT_l4) )
        panic("dom0: its bootstrap page tables fail validation");
}

/* A domU's console ring: the page after start_info, and a port to us. */
static int attach_console(struct builder *b)
{
    int port;

    if ( !b->l.v_console )
        return 0;
    port = console_ring_attach(b->d,
                               b->p2m[va_to_pfn(&b->l, b->l.v_console)]);
    return port < 0 ? port : 0;
}

static void write_start_info(struct builder *b, const char *cmdline)
{
    const struct layout *l = &b->l;
    struct start_info *si = pfn_virt(b, va_to_pfn(l, l->v_start_info));

    memset(si, 0, sizeof(*si));
    strlcpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic));
    si->nr_pages = l->nr_pages;
    si->shared_info = (uint64_t)b->d->shared_info_mfn << PAGE_SHIFT;
    if ( b->d->is_privileged )
        si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    else
    {
        si->console.domU.mfn = b->d->console.mfn;
        si->console.domU.evtchn = b->d->console.port;
    }
    /* No xenstore yet: store_mfn = store_evtchn = 0 (memset above). */
    si->pt_base = l->v_pt;
    si->nr_pt_frames = l->nr_pt;
    si->mfn_list = l->v_p2m;
    if ( l->p2m_outside )
    {
        si->first_p2m_pfn = l->pfn_p2m;
        si->nr_p2m_frames = l->nr_p2m_frames;
    }
    si->mod_start = !l->initrd_len ? 0 : l->v_initrd ? l->v_initrd
                                                     : l->pfn_initrd;
    if ( l->initrd_len && !l->v_initrd )
        si->flags |= SIF_MOD_START_PFN;
    si->mod_len = l->initrd_len;
    strlcpy((char *)si->cmd_line, cmdline, sizeof(si->cmd_line));
    write_guest_phys(b, l->p2m_outside
                        ? (l->pfn_p2m + l->nr_p2m_tables) << PAGE_SHIFT
                        : l->v_p2m - l->v_start,
                     b->p2m, l->nr_pages * sizeof(unsigned long));
}

/* The vCPU's first frame; the scheduler loads it when it first runs. */
static void init_vcpu(struct builder *b, struct vcpu *v)
{
    struct cpu_regs *regs = &v->arch.user_regs;
    const struct layout *l = &b->l;

    v->arch.guest_table = b->p2m[va_to_pfn(l, l->v_pt)];
    v->arch.kernel_ss = FLAT_KERNEL_SS;
    memset(regs, 0, sizeof(*regs));
    regs->rip = b->img.notes.entry;
    regs->rsp = l->v_stack + PAGE_SIZE;
    regs->rsi = l->v_start_info;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rflags = X86_EFLAGS_IF | X86_EFLAGS_MBS;
}

/* Dom0 by default gets all but a reserve and what the domUs will need. */
static unsigned long default_dom0_pages(unsigned long domu_pages)
{
    unsigned long avail = page_alloc_free_count() - domu_pages;
    unsigned long reserve = MIN(avail / 16, (unsigned long)(MB(128) >> 12));

    if ( domu_pages > page_alloc_free_count() )
        return 0;
    if ( opt_dom0_mem )
        return MIN(opt_dom0_mem >> PAGE_SHIFT, avail - 64);
    return avail - reserve;
}

/* Is the kernel image one we can load? Says why not. */
static int check_kernel(struct builder *b)
{
    const struct boot_module *k = b->spec->kernel;
    const struct elf_image *img = &b->img;
    unsigned int id = b->d->domain_id;
    const char *why = NULL;
    int rc;

    rc = elf_parse(&b->img, maddr_to_virt(k->start), k->size, &why);
    if ( !rc && elf_check_xen_notes(&b->img, true, &why) )
        rc = -EINVAL;
    if ( rc )
    {
        printk(LOG_ERR "d%u kernel refused: %s (%d)\n", id, why, rc);
        return rc;
    }
    if ( img->virt_kstart < img->notes.virt_base )
        why = "it loads below its VIRT_BASE";
    else if ( img->notes.has_hypercall_page &&
              (img->notes.hypercall_page < img->virt_kstart ||
               img->notes.hypercall_page + PAGE_SIZE > img->virt_kend ||
               (img->notes.hypercall_page & ~PAGE_MASK)) )
        why = "its HYPERCALL_PAGE is not a page of the image";
    if ( why )
    {
        printk(LOG_ERR "d%u kernel refused: %s\n", id, why);
        return -EINVAL;
    }
    return 0;
}

/* Plan the layout and allocate the memory; messages name the domain. */
static int prepare(struct builder *b)
{
    unsigned int id = b->d->domain_id;
    unsigned long pages = b->spec->nr_pages;
    int rc = check_kernel(b);

    if ( rc )
        return rc;
    b->l.initrd_len = b->spec->initrd ? b->spec->initrd->size : 0;
    rc = compute_layout(b, pages ? pages
                                 : default_dom0_pages(b->spec->reserve_pages));
    if ( rc == -ENOMEM )
        printk(LOG_ERR "d%u: %lu KiB of memory is less than its %lu KiB "
               "initial region, ramdisk and p2m list: raise %s\n", id,
               b->l.nr_pages * 4,
               (b->l.pfn_p2m + b->l.nr_p2m_frames) << (PAGE_SHIFT - 10),
               id ? "memory=" : "dom0_mem");
    else if ( rc == -E2BIG )
        printk(LOG_ERR "d%u: initial region of %lu MiB does not fit in the "
               "1 GiB Linux adopts: kernel plus ramdisk too large\n", id,
               (b->l.v_end - b->l.v_start) >> 20);
    else if ( !rc && b->l.nr_pages > page_alloc_free_count() )
    {
        printk(LOG_ERR "d%u: %lu pages wanted, only %lu free: lower its "
               "memory or the others'\n", id, b->l.nr_pages,
               page_alloc_free_count());
        rc = -ENOMEM;
    }
    return rc ? rc : allocate_memory(b);
}

int construct_domain(const struct domain_spec *spec)
{
    static struct builder b;
    struct vcpu *v;
    int rc;

    memset(&b, 0, sizeof(b));
    b.spec = spec;
    b.d = domain_create(spec->id, spec->id == 0);
    if ( !b.d || !(v = vcpu_create(b.d, 0)) )
    {
        printk(LOG_ERR "cannot create d%u\n", spec->id);
        return -ENOMEM;
    }
    b.d->weight = spec->weight ? spec->weight : CSCHED_DEFAULT_WEIGHT;
    b.d->cap = spec->cap;
    rc = prepare(&b);
    if ( rc )
        return rc;
    load_kernel(&b);
    if ( b.l.initrd_len )
        write_guest_phys(&b, b.l.v_initrd ? b.l.v_initrd - b.l.v_start
                                          : b.l.pfn_initrd << PAGE_SHIFT,
                         maddr_to_virt(spec->initrd->start), b.l.initrd_len);
    build_page_tables(&b);
    rc = attach_console(&b);
    if ( rc )
        return rc;
    write_start_info(&b, spec->cmdline);
    strlcpy(b.d->cmdline, spec->cmdline, sizeof(b.d->cmdline));
    printk("d%u: %lu pages, kernel %016lx-%016lx, entry %016lx, "
           "initial region ends %016lx, weight %u cap %u\n", spec->id,
           b.l.nr_pages, b.img.virt_kstart, b.img.virt_kend,
           b.img.notes.entry, b.l.v_end, b.d->weight, b.d->cap);
    if ( b.l.p2m_outside )
        printk("d%u: p2m list at %016lx, pfns %lx+%lx\n", spec->id,
               b.l.v_p2m, b.l.pfn_p2m, b.l.nr_p2m_frames);
    if ( b.l.initrd_len && !b.l.v_initrd )
        printk("d%u: ramdisk unmapped at pfn %lx\n", spec->id,
               b.l.pfn_initrd);
    page_free(b.p2m_buf, b.p2m_order);
    vtime_domain_init(b.d);
    init_vcpu(&b, v);
    rc = sched_add_vcpu(v);
    if ( !rc && spec->nr_vcpus > 1 )
    {
        rc = domain_add_vcpus(b.d, spec->nr_vcpus);
        printk("d%u: %u vCPUs (vCPU 0 up, the guest brings up the rest)\n",
               spec->id, b.d->max_vcpus);
    }
    return rc;
}
