/*
 * The mini builder (see builder.h): ELF and Xen notes, layout, memory,
 * contents written through foreign mappings, page tables pinned through
 * mmuext_op on the child's behalf, and the first vCPU context.
 */
#include "test.h"
#include "builder.h"
#include <public/elfnote.h>

#define MB(x) ((uint64_t)(x) << 20)
#define ROUNDUP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define PT_LOAD 1
#define PT_NOTE 4
#define L1_PROT 0x027ULL            /* P RW U A */
#define UPPER_PROT 0x067ULL         /* P RW U A D */
#define RO_PROT 0x025ULL            /* P U A */

struct ehdr
{
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr
{
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct image
{
    const uint8_t *elf;
    size_t len;
    const struct phdr *ph;
    unsigned int phnum;
    uint64_t entry, virt_base, paddr_offset, hypercall_page, kend;
};

uint64_t child_p2m[CHILD_MAX_PAGES];
static struct mica_vcpu_context ctx;
static uint8_t page_buf[4096] __aligned(4096);
static uint8_t ring_page[4096] __page_aligned_bss;

static uint64_t note_value(const uint8_t *desc, uint32_t size)
{
    uint64_t v = 0;

    memcpy(&v, desc, size < 8 ? size : 8);
    return v;
}

static void read_notes(struct image *im, const struct phdr *p)
{
    const uint8_t *n = im->elf + p->offset, *end = n + p->filesz;

    while ( n + 12 <= end )
    {
        uint32_t namesz = ((const uint32_t *)n)[0];
        uint32_t descsz = ((const uint32_t *)n)[1];
        uint32_t type = ((const uint32_t *)n)[2];
        const uint8_t *desc = n + 12 + ROUNDUP(namesz, 4);

        if ( desc + descsz > end )
            break;
        if ( namesz == 4 && !memcmp(n + 12, "Xen", 4) )
        {
            if ( type == XEN_ELFNOTE_VIRT_BASE )
                im->virt_base = note_value(desc, descsz);
            else if ( type == XEN_ELFNOTE_PADDR_OFFSET )
                im->paddr_offset = note_value(desc, descsz);
            else if ( type == XEN_ELFNOTE_HYPERCALL_PAGE )
                im->hypercall_page = note_value(desc, descsz);
            else if ( type == XEN_ELFNOTE_ENTRY )
                im->entry = note_value(desc, descsz);
        }
        n = desc + ROUNDUP(descsz, 4);
    }
}

static uint64_t seg_va(const struct image *im, const struct phdr *p)
{
    return im->virt_base + p->paddr - im->paddr_offset;
}

static long parse_elf(struct image *im, const void *elf, size_t len)
{
    const struct ehdr *eh = elf;

    memset(im, 0, sizeof(*im));
    im->elf = elf;
    im->len = len;
    if ( len < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) ||
         eh->ident[4] != 2 || eh->phentsize != sizeof(struct phdr) ||
         eh->phoff + (uint64_t)eh->phnum * sizeof(struct phdr) > len )
        return -XEN_EINVAL;
    im->ph = (const struct phdr *)(im->elf + eh->phoff);
    im->phnum = eh->phnum;
    im->entry = eh->entry;
    for ( unsigned int i = 0; i < im->phnum; i++ )
        if ( im->ph[i].type == PT_NOTE && im->ph[i].offset +
             im->ph[i].filesz <= len )
            read_notes(im, &im->ph[i]);
    for ( unsigned int i = 0; i < im->phnum; i++ )
    {
        const struct phdr *p = &im->ph[i];

        if ( p->type != PT_LOAD )
            continue;
        if ( p->offset + p->filesz > len )
            return -XEN_EINVAL;
        if ( seg_va(im, p) + p->memsz > im->kend )
            im->kend = seg_va(im, p) + p->memsz;
    }
    return im->virt_base && im->kend ? 0 : -XEN_EINVAL;
}

/* Where everything goes; the same rules as the hypervisor's builder. */
static long layout(struct child *c, const struct image *im, uint64_t *v_pt,
                   uint64_t *nr_pt)
{
    uint64_t v = ROUNDUP(im->kend, 4096);

    c->v_start = im->virt_base;
    v += ROUNDUP(c->nr_pages * 8, 4096);       /* p2m */
    c->v_start_info = v;
    v += 2 * 4096;                              /* start_info, console */
    *v_pt = v;
    for ( *nr_pt = 4; ; (*nr_pt)++ )
    {
        c->v_end = ROUNDUP(*v_pt + (*nr_pt + 1) * 4096 + 512 * 1024, MB(4));
        if ( 3 + (c->v_end - c->v_start + MB(2) - 1) / MB(2) <= *nr_pt )
            break;
    }
    c->v_stack = *v_pt + *nr_pt * 4096;
    if ( (c->v_end - c->v_start) / 4096 > c->nr_pages )
        return -XEN_ENOMEM;
    return 0;
}

/* Write into the child's pseudo-physical memory at byte offset `off`. */
static long write_child(struct child *c, uint64_t off, const void *src,
                        uint64_t len)
{
    const uint8_t *s = src;

    while ( len )
    {
        uint64_t pfn = off / 4096, in = off % 4096;
        uint64_t pages = (in + len + 4095) / 4096, n;
        long rc;

        pages = pages > FOREIGN_SLOTS ? FOREIGN_SLOTS : pages;
        n = pages * 4096 - in;
        n = n > len ? len : n;
        rc = foreign_map(c->id, &child_p2m[pfn], pages, true);
        if ( rc )
            return rc;
        memcpy(foreign_window() + in, s, n);
        foreign_unmap(pages);
        off += n;
        s += n;
        len -= n;
    }
    return 0;
}

static long load_kernel(struct child *c, const struct image *im)
{
    for ( unsigned int i = 0; i < im->phnum; i++ )
    {
        const struct phdr *p = &im->ph[i];
        long rc;

        if ( p->type != PT_LOAD || !p->filesz )
            continue;
        rc = write_child(c, seg_va(im, p) - c->v_start, im->elf + p->offset,
                         p->filesz);
        if ( rc )
            return rc;
    }
    return 0;
}

static long populate_all(struct child *c)
{
    for ( uint64_t pfn = 0; pfn < c->nr_pages; pfn += MICA_POPULATE_MAX )
    {
        uint64_t n = c->nr_pages - pfn;
        long rc;

        n = n > MICA_POPULATE_MAX ? MICA_POPULATE_MAX : n;
        rc = ctl_populate(c->id, pfn, n, &child_p2m[pfn]);
        if ( rc )
            return rc;
    }
    return 0;
}

static uint64_t pfn_of(const struct child *c, uint64_t va)
{
    return (va - c->v_start) / 4096;
}

/* One page-table page at a time, through page_buf. */
static long write_tables(struct child *c, uint64_t v_pt, uint64_t nr_pt)
{
    uint64_t pt = pfn_of(c, v_pt), mapped = (c->v_end - c->v_start) / 4096;
    uint64_t *e = (uint64_t *)page_buf;
    long rc = 0;

    for ( uint64_t t = 0; t < nr_pt && !rc; t++ )
    {
        memset(page_buf, 0, sizeof(page_buf));
        if ( t == 0 )
            e[(c->v_start >> 39) & 511] = (child_p2m[pt + 1] << 12) |
                                          UPPER_PROT;
        else if ( t == 1 )
            e[(c->v_start >> 30) & 511] = (child_p2m[pt + 2] << 12) |
                                          UPPER_PROT;
        else if ( t == 2 )
            for ( uint64_t i = 0; i + 3 < nr_pt; i++ )
                e[((c->v_start >> 21) & 511) + i] =
                    (child_p2m[pt + 3 + i] << 12) | UPPER_PROT;
        else
            for ( uint64_t i = 0; i < 512; i++ )
            {
                uint64_t pfn = (t - 3) * 512 + i;

                if ( pfn >= mapped )
                    break;
                e[i] = (child_p2m[pfn] << 12) |
                       (pfn >= pt && pfn < pt + nr_pt ? RO_PROT : L1_PROT);
            }
        rc = write_child(c, (pt + t) * 4096, page_buf, 4096);
    }
    return rc;
}

static long write_start_info(struct child *c, uint64_t v_pt, uint64_t nr_pt,
                             const char *cmdline)
{
    struct start_info *si = (struct start_info *)page_buf;
    struct mica_domaininfo info;
    long rc = ctl_getinfo(c->id, &info);

    if ( rc )
        return rc;
    memset(page_buf, 0, sizeof(page_buf));
    memcpy(si->magic, "xen-3.0-x86_64", 15);
    si->nr_pages = c->nr_pages;
    si->shared_info = info.shared_info_mfn << 12;
    si->console.domU.mfn = c->console_mfn;
    si->console.domU.evtchn = c->child_port;
    si->pt_base = v_pt;
    si->nr_pt_frames = nr_pt;
    si->mfn_list = c->v_start_info - ROUNDUP(c->nr_pages * 8, 4096);
    memcpy(si->cmd_line, cmdline, strnlen(cmdline, MAX_GUEST_CMDLINE - 1));
    rc = write_child(c, si->mfn_list - c->v_start, child_p2m,
                     c->nr_pages * 8);
    return rc ? rc : write_child(c, c->v_start_info - c->v_start, page_buf,
                                 4096);
}

static long pin_and_start(struct child *c, const struct image *im)
{
    struct mmuext_op pin = { .cmd = MMUEXT_PIN_L4_TABLE };
    struct mica_domctl op = { .cmd = MICA_DOMCTL_hypercall_init,
                              .domain = c->id };
    long rc;

    pin.arg1.mfn = c->l4_mfn;
    rc = HYPERVISOR_mmuext_op(&pin, 1, NULL, c->id);
    if ( rc )
        return rc;
    if ( im->hypercall_page )
    {
        op.u.hypercall_init.mfn = child_p2m[pfn_of(c, im->hypercall_page)];
        rc = domctl(&op);
        if ( rc )
            return rc;
    }
    memset(&ctx, 0, sizeof(ctx));
    ctx.regs.rip = im->entry;
    ctx.regs.rsp = c->v_stack + 4096;
    ctx.regs.rsi = c->v_start_info;
    ctx.regs.cs = FLAT_KERNEL_CS;
    ctx.regs.ss = FLAT_KERNEL_SS;
    ctx.regs.rflags = 0x200;
    ctx.kernel_l4_mfn = c->l4_mfn;
    ctx.kernel_ss = FLAT_KERNEL_SS;
    ctx.event_mask = 1;
    return ctl_setcontext(c->id, &ctx);
}

static long build(struct child *c, const struct image *im,
                  const char *cmdline)
{
    uint64_t v_pt, nr_pt;
    long rc = layout(c, im, &v_pt, &nr_pt);

    if ( !rc )
        rc = populate_all(c);
    if ( rc )
        return rc;
    c->l4_mfn = child_p2m[pfn_of(c, v_pt)];
    c->console_mfn = child_p2m[pfn_of(c, c->v_start_info) + 1];
    rc = evtchn_alloc_unbound(c->id, 0);
    if ( rc < 0 )
        return rc;
    c->child_port = rc;
    rc = load_kernel(c, im);
    if ( !rc )
        rc = write_tables(c, v_pt, nr_pt);
    if ( !rc )
        rc = write_start_info(c, v_pt, nr_pt, cmdline);
    return rc ? rc : pin_and_start(c, im);
}

long child_build(struct child *c, const void *elf, size_t len,
                 uint64_t nr_pages, const char *cmdline)
{
    struct image im;
    long rc;

    memset(c, 0, sizeof(*c));
    c->nr_pages = nr_pages;
    if ( nr_pages > CHILD_MAX_PAGES )
        return -XEN_EINVAL;
    rc = parse_elf(&im, elf, len);
    if ( rc )
    {
        test_error("child kernel: not an ELF with Xen notes");
        return rc;
    }
    c->entry = im.entry;
    rc = ctl_create(nr_pages * 4, &c->id);
    if ( rc )
    {
        test_error("create: %ld (%s)", rc, xen_errno_name(rc));
        return rc;
    }
    rc = build(c, &im, cmdline);
    if ( rc )
    {
        test_error("building d%u: %ld (%s)", c->id, rc, xen_errno_name(rc));
        domctl_simple(MICA_DOMCTL_destroy, c->id);
    }
    return rc;
}

long child_attach_console(struct child *c)
{
    long rc = hypercall4(__HYPERVISOR_update_va_mapping_otherdomain,
                         GADDR(ring_page),
                         (c->console_mfn << 12) | 0x63ULL,
                         UVMF_INVLPG | UVMF_LOCAL, c->id);

    if ( rc )
        return rc;
    c->ring = (volatile struct xencons_interface *)ring_page;
    rc = evtchn_bind_interdomain(c->id, c->child_port);
    if ( rc < 0 )
        return rc;
    c->console_port = rc;
    evtchn_test_and_clear(c->console_port);
    return 0;
}

void child_drain_console(struct child *c)
{
    XENCONS_RING_IDX cons = c->ring->out_cons, prod = c->ring->out_prod;

    asm volatile ( "lfence" ::: "memory" );     /* index before bytes */
    if ( prod - cons > XENCONS_OUT_SIZE )
        cons = prod - XENCONS_OUT_SIZE;
    for ( ; cons != prod; cons++ )
        if ( c->out_len + 1 < sizeof(c->out) )
            c->out[c->out_len++] =
                c->ring->out[MASK_XENCONS_IDX(cons, XENCONS_OUT_SIZE)];
    c->out[c->out_len] = '\0';
    asm volatile ( "" ::: "memory" );           /* bytes before the index */
    c->ring->out_cons = prod;
}

long child_run(struct child *c, uint64_t timeout)
{
    uint64_t end = system_time() + timeout;
    struct mica_domaininfo info;
    long rc = domctl_simple(MICA_DOMCTL_unpause, c->id);

    while ( !rc )
    {
        child_drain_console(c);
        rc = ctl_getinfo(c->id, &info);
        if ( rc || (info.flags & MICA_DOMINF_shutdown) )
            break;
        if ( system_time() >= end )
            return -XEN_ETIMEDOUT;
        poll_ports(&c->console_port, 1, 5 * MS);
        evtchn_test_and_clear(c->console_port);
    }
    child_drain_console(c);
    return rc;
}

long child_destroy(struct child *c)
{
    if ( c->ring )
        HYPERVISOR_update_va_mapping(GADDR(ring_page), 0,
                                     UVMF_INVLPG | UVMF_LOCAL);
    c->ring = NULL;
    if ( c->console_port )
        evtchn_close(c->console_port);
    c->console_port = 0;
    return domctl_simple(MICA_DOMCTL_destroy, c->id);
}
