/*
 * Reading a PV guest kernel image and its Xen ELF notes.
 *
 * The image comes from a boot module or, later, from dom0's toolstack, so
 * every byte of it is hostile. The rules this file keeps:
 *
 *  - Headers are copied out of the image with memcpy before use: the image
 *    need not be aligned, and a copy cannot change between check and use.
 *    Fields are little-endian, which the x86-64 host and hypervisor are.
 *  - Every (offset, length) pair is checked with range_ok() against what
 *    contains it (the file, or the note segment) in a form that cannot
 *    overflow; every address sum is checked for wrap before it is used.
 *  - Checking comes first and produces only the result struct, so a
 *    failure leaves nothing half done for the caller to undo.
 *
 * The note rules are Xen's (xen/common/libelf/libelf-dominfo.c): notes
 * named "Xen" in PT_NOTE segments, each name and description padded to 4
 * bytes; numeric notes 1, 2, 4 or 8 bytes long; FEATURES a '|'-separated
 * list where "!name" marks a feature the kernel requires; absent VIRT_BASE
 * and PADDR_OFFSET mean 0 and absent ENTRY means e_entry. Where Xen reads
 * a numeric note of a bad size as 0, Mica rejects the image; a string
 * note is never read past its description, NUL or not.
 */
#include <mica/env.h>
#include <mica/elf.h>

#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define EM_X86_64       62
#define PN_XNUM         0xffff
#define PT_LOAD         1
#define PT_NOTE         4

#define NOTE_ALIGN      4

struct elf64_ehdr
{
    uint8_t ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff;
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header size");

struct elf64_phdr
{
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header size");

struct elf_note_hdr
{
    uint32_t namesz;
    uint32_t descsz;
    uint32_t type;
};
_Static_assert(sizeof(struct elf_note_hdr) == 12, "ELF note header size");

/* The names of public/features.h, indexed by XENFEAT number. */
static const char *const feature_names[] = {
    "writable_page_tables", "writable_descriptor_tables",
    "auto_translated_physmap", "supervisor_mode_kernel",
    "pae_pgdir_above_4gb", "mmu_pt_update_preserve_ad", "highmem_assist",
    "gnttab_map_avail_bits", "hvm_callback_vector", "hvm_safe_pvclock",
    "hvm_pirqs", "dom0", "grant_map_identity", "memory_op_vnode_supported",
    "ARM_SMCCC_supported", "linux_rsdp_unrestricted", "not_direct_mapped",
    "direct_mapped",
};
_Static_assert(ARRAY_SIZE(feature_names) <= 32, "features fit one submap");

/* Is [off, off + len) inside [0, size)? Cannot overflow. */
static bool range_ok(uint64_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

static int fail(const char **why, int rc, const char *reason)
{
    *why = reason;
    return rc;
}

static int check_ehdr(const struct elf64_ehdr *eh, const char **why)
{
    if ( memcmp(eh->ident, "\177ELF", 4) != 0 )
        return fail(why, -ENOEXEC, "not an ELF file");
    if ( eh->ident[EI_CLASS] != ELFCLASS64 )
        return fail(why, -ENOEXEC, "not a 64-bit ELF file");
    if ( eh->ident[EI_DATA] != ELFDATA2LSB )
        return fail(why, -ENOEXEC, "not a little-endian ELF file");
    if ( eh->ident[EI_VERSION] != EV_CURRENT || eh->version != EV_CURRENT )
        return fail(why, -ENOEXEC, "unknown ELF version");
    if ( eh->machine != EM_X86_64 )
        return fail(why, -ENOEXEC, "not an x86-64 ELF file");
    if ( eh->type != ET_EXEC )
        return fail(why, -ENOEXEC, "not an ELF executable (ET_EXEC)");

    if ( eh->phentsize != sizeof(struct elf64_phdr) )
        return fail(why, -EINVAL, "bad program header size");
    if ( eh->phnum == 0 || eh->phnum == PN_XNUM )
        return fail(why, -EINVAL, "bad program header count");

    return 0;
}

static void read_phdr(const struct elf_image *img, uint64_t phoff,
                      unsigned int i, struct elf64_phdr *ph)
{
    memcpy(ph, img->data + phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

static int add_load_segment(struct elf_image *img, const struct elf64_phdr *ph,
                            const char **why)
{
    const uint64_t limit = UINT64_MAX - (PAGE_SIZE - 1);
    struct elf_segment *seg;

    if ( !range_ok(img->size, ph->offset, ph->filesz) )
        return fail(why, -EINVAL, "segment runs past the end of the file");
    if ( ph->filesz > ph->memsz )
        return fail(why, -EINVAL, "segment's filesz exceeds its memsz");
    /* The end, rounded up to a page, must not wrap. */
    if ( ph->paddr > limit || ph->memsz > limit - ph->paddr )
        return fail(why, -EINVAL, "segment wraps the address space");

    if ( ph->memsz == 0 )
        return 0;
    if ( img->nr_segments == ELF_MAX_SEGMENTS )
        return fail(why, -E2BIG, "too many loadable segments");

    seg = &img->seg[img->nr_segments++];
    seg->offset = ph->offset;
    seg->vaddr = ph->vaddr;
    seg->paddr = ph->paddr;
    seg->filesz = ph->filesz;
    seg->memsz = ph->memsz;
    seg->flags = ph->flags;
    return 0;
}

static bool segments_overlap(const struct elf_segment *a,
                             const struct elf_segment *b)
{
    return a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz;
}

/* After all segments are in: no overlap, then the physical extent. */
static int finish_segments(struct elf_image *img, const char **why)
{
    unsigned int i, j;
    uint64_t lo = UINT64_MAX, hi = 0;

    if ( img->nr_segments == 0 )
        return fail(why, -EINVAL, "no loadable segment");

    for ( i = 0; i < img->nr_segments; i++ )
        for ( j = i + 1; j < img->nr_segments; j++ )
            if ( segments_overlap(&img->seg[i], &img->seg[j]) )
                return fail(why, -EINVAL, "loadable segments overlap");

    for ( i = 0; i < img->nr_segments; i++ )
    {
        lo = MIN(lo, img->seg[i].paddr);
        hi = MAX(hi, img->seg[i].paddr + img->seg[i].memsz);
    }

    img->pstart = ROUNDDOWN(lo, PAGE_SIZE);
    img->pend = ROUNDUP(hi, PAGE_SIZE);
    return 0;
}

/* A numeric note: Xen accepts 1, 2, 4 or 8 little-endian bytes. */
static int note_number(const uint8_t *desc, uint32_t descsz, uint64_t *val)
{
    uint8_t buf[8] = { 0 };

    if ( descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8 )
        return -EINVAL;

    memcpy(buf, desc, descsz);
    memcpy(val, buf, sizeof(*val));
    return 0;
}

/*
 * A string note ends at its first NUL or at the end of its description:
 * Linux's FEATURES note has no NUL of its own (Xen reads on into the
 * padding), so a string that fills the description is taken as it is.
 */
static void note_string(const uint8_t *desc, uint32_t descsz, char *dst,
                        size_t dstsz)
{
    size_t len = strnlen((const char *)desc, descsz);

    len = MIN(len, dstsz - 1);
    memcpy(dst, desc, len);
    dst[len] = '\0';
}

int elf_feature_from_name(const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(feature_names); i++ )
        if ( strlen(feature_names[i]) == len &&
             memcmp(feature_names[i], name, len) == 0 )
            return i;

    return -1;
}

/* Copy untrusted text for the console, control characters made '?'. */
static void printable_copy(char *dst, size_t dstsz, const char *s,
                           size_t len)
{
    size_t i;

    len = MIN(len, dstsz - 1);
    for ( i = 0; i < len; i++ )
        dst[i] = (s[i] >= ' ' && s[i] <= '~') ? s[i] : '?';
    dst[len] = '\0';
}

static void note_feature(struct elf_xen_notes *n, const char *s, size_t len)
{
    bool required = len > 0 && s[0] == '!';
    int nr;

    if ( required )
    {
        s++;
        len--;
    }

    nr = elf_feature_from_name(s, len);
    if ( nr < 0 )
    {
        /* Unknown optional features are fine; unknown needs are not. */
        if ( required )
        {
            char shown[ELF_NOTE_STRING_MAX];

            printable_copy(shown, sizeof(shown), s, len);
            printk(LOG_WARN "elf: kernel requires unknown feature \"%s\"\n",
                   shown);
            n->unknown_required = true;
        }
        return;
    }

    n->features_supported[0] |= 1u << nr;
    if ( required )
        n->features_required[0] |= 1u << nr;
}

/* FEATURES: "name|!name|...", '!' marking what the kernel requires. */
static void note_features(struct elf_xen_notes *n, const uint8_t *desc,
                          uint32_t descsz)
{
    const char *s = (const char *)desc;
    size_t len = strnlen(s, descsz), start = 0, i;

    for ( i = 0; i <= len; i++ )
    {
        if ( i < len && s[i] != '|' )
            continue;
        note_feature(n, s + start, i - start);
        start = i + 1;
    }
}

/* SUPPORTED_FEATURES: an array of 32-bit submaps; we have one. */
static int note_supported(struct elf_xen_notes *n, const uint8_t *desc,
                          uint32_t descsz)
{
    uint32_t map;

    if ( descsz == 0 || descsz % sizeof(map) != 0 )
        return -EINVAL;

    memcpy(&map, desc, sizeof(map));
    n->features_supported[0] |= map;
    n->has_supported_features = true;
    return 0;
}

/* Where a numeric note's value goes, or NULL if `type` is not one. */
static uint64_t *numeric_field(struct elf_xen_notes *n, uint32_t type,
                               bool **has)
{
    switch ( type )
    {
    case ELF_XEN_NOTE_ENTRY:
        *has = &n->has_entry;
        return &n->entry;
    case ELF_XEN_NOTE_HYPERCALL_PAGE:
        *has = &n->has_hypercall_page;
        return &n->hypercall_page;
    case ELF_XEN_NOTE_VIRT_BASE:
        *has = &n->has_virt_base;
        return &n->virt_base;
    case ELF_XEN_NOTE_PADDR_OFFSET:
        *has = &n->has_paddr_offset;
        return &n->paddr_offset;
    case ELF_XEN_NOTE_HV_START_LOW:
        *has = &n->has_hv_start_low;
        return &n->hv_start_low;
    case ELF_XEN_NOTE_INIT_P2M:
        *has = &n->has_init_p2m;
        return &n->init_p2m;
    }

    return NULL;
}

/* The numeric notes; returns 1 if `type` is not one of them. */
static int note_numeric(struct elf_xen_notes *n, uint32_t type,
                        const uint8_t *desc, uint32_t descsz)
{
    uint64_t *field, val;
    bool *has;

    if ( type == ELF_XEN_NOTE_MOD_START_PFN )
    {
        if ( note_number(desc, descsz, &val) )
            return -EINVAL;
        n->mod_start_pfn = val != 0;
        return 0;
    }

    field = numeric_field(n, type, &has);
    if ( field == NULL )
        return 1;
    if ( note_number(desc, descsz, field) )
        return -EINVAL;

    *has = true;
    return 0;
}

/*
 * One note named "Xen". Types Mica has no use for (GUEST_VERSION,
 * PAE_MODE, BSD_SYMTAB, L1_MFN_VALID, SUSPEND_CANCEL, PHYS32_ENTRY) and
 * unknown ones are skipped, as Xen skips unknown ones.
 */
static int xen_note(struct elf_xen_notes *n, uint32_t type,
                    const uint8_t *desc, uint32_t descsz)
{
    int rc = note_numeric(n, type, desc, descsz);

    if ( rc <= 0 )
        return rc;

    switch ( type )
    {
    case ELF_XEN_NOTE_XEN_VERSION:
        note_string(desc, descsz, n->xen_version, sizeof(n->xen_version));
        break;
    case ELF_XEN_NOTE_GUEST_OS:
        note_string(desc, descsz, n->guest_os, sizeof(n->guest_os));
        break;
    case ELF_XEN_NOTE_LOADER:
        note_string(desc, descsz, n->loader, sizeof(n->loader));
        break;
    case ELF_XEN_NOTE_FEATURES:
        note_features(n, desc, descsz);
        break;
    case ELF_XEN_NOTE_SUPPORTED_FEATURES:
        return note_supported(n, desc, descsz);
    }

    return 0;
}

/* Walk the notes in data[off, off + len), already known inside the file. */
static int parse_notes(struct elf_image *img, uint64_t off, uint64_t len,
                       const char **why)
{
    const uint8_t *seg = img->data + off;
    struct elf_note_hdr nh;
    uint64_t pos = 0, name, desc;

    while ( pos < len )
    {
        if ( len - pos < sizeof(nh) )
            return fail(why, -EINVAL, "truncated note header");
        memcpy(&nh, seg + pos, sizeof(nh));

        name = pos + sizeof(nh);
        desc = name + ROUNDUP((uint64_t)nh.namesz, NOTE_ALIGN);
        if ( !range_ok(len, name, desc - name) ||
             !range_ok(len, desc, nh.descsz) )
            return fail(why, -EINVAL, "note runs past its segment");

        if ( nh.namesz == 4 && memcmp(seg + name, "Xen", 4) == 0 )
        {
            img->notes.nr_notes++;
            if ( xen_note(&img->notes, nh.type, seg + desc, nh.descsz) )
                return fail(why, -EINVAL, "malformed Xen note");
        }

        /* The last description's padding may be missing: loop ends. */
        pos = desc + ROUNDUP((uint64_t)nh.descsz, NOTE_ALIGN);
    }

    return 0;
}

static int note_segment(struct elf_image *img, const struct elf64_phdr *ph,
                        const char **why)
{
    /* Some binutils leave p_offset 0 in note headers; Xen skips them. */
    if ( ph->offset == 0 )
        return 0;

    if ( !range_ok(img->size, ph->offset, ph->filesz) )
        return fail(why, -EINVAL, "note segment runs past the end of file");
    if ( ph->offset % NOTE_ALIGN != 0 )
        return fail(why, -EINVAL, "note segment misaligned");

    return parse_notes(img, ph->offset, ph->filesz, why);
}

/* Xen's defaults for absent notes, and the kernel's virtual range. */
static void finish_notes(struct elf_image *img)
{
    struct elf_xen_notes *n = &img->notes;
    uint64_t offset;

    if ( !n->has_entry )
        n->entry = img->entry;
    if ( !n->has_virt_base )
        n->virt_base = 0;
    if ( !n->has_paddr_offset )
        n->paddr_offset = 0;

    offset = n->virt_base - n->paddr_offset;
    img->virt_kstart = img->pstart + offset;
    img->virt_kend = img->pend + offset;
}

static int scan_phdrs(struct elf_image *img, const struct elf64_ehdr *eh,
                      const char **why)
{
    struct elf64_phdr ph;
    unsigned int i;
    int rc = 0;

    if ( !range_ok(img->size, eh->phoff,
                   (uint64_t)eh->phnum * sizeof(struct elf64_phdr)) )
        return fail(why, -EINVAL, "program headers run past the end of file");

    for ( i = 0; i < eh->phnum && rc == 0; i++ )
    {
        read_phdr(img, eh->phoff, i, &ph);
        if ( ph.type == PT_LOAD )
            rc = add_load_segment(img, &ph, why);
        else if ( ph.type == PT_NOTE )
            rc = note_segment(img, &ph, why);
    }

    return rc;
}

int elf_parse(struct elf_image *img, const void *data, size_t size,
              const char **why)
{
    struct elf64_ehdr eh;
    const char *ignored;
    int rc;

    if ( why == NULL )
        why = &ignored;
    *why = NULL;
    memset(img, 0, sizeof(*img));

    if ( size < sizeof(eh) )
        return fail(why, -ENOEXEC, "file shorter than an ELF header");
    memcpy(&eh, data, sizeof(eh));

    rc = check_ehdr(&eh, why);
    if ( rc )
        return rc;

    img->data = data;
    img->size = size;
    img->entry = eh.entry;

    rc = scan_phdrs(img, &eh, why);
    if ( rc == 0 )
        rc = finish_segments(img, why);
    if ( rc )
    {
        /* Leave nothing half-parsed for a careless caller to use. */
        memset(img, 0, sizeof(*img));
        return rc;
    }

    finish_notes(img);
    return 0;
}

static int check_identity(const struct elf_xen_notes *n, const char **why)
{
    if ( n->nr_notes == 0 )
        return fail(why, -EINVAL, "no Xen ELF notes: not a Xen PV kernel");
    if ( strncmp(n->loader, "generic", 7) != 0 &&
         strncmp(n->guest_os, "linux", 5) != 0 )
        return fail(why, -EINVAL,
                    "neither LOADER \"generic\" nor GUEST_OS \"linux\"");
    if ( strncmp(n->xen_version, "xen-3.0", 7) != 0 )
        return fail(why, -EINVAL, "XEN_VERSION does not start \"xen-3.0\"");
    return 0;
}

static int check_features(const struct elf_xen_notes *n, bool dom0,
                          const char **why)
{
    uint32_t dom0_bit = 1u << ELF_XENFEAT_DOM0;
    uint32_t required = n->features_required[0];

    if ( n->unknown_required )
        return fail(why, -EINVAL, "kernel requires an unknown feature");
    if ( dom0 && n->has_supported_features &&
         !(n->features_supported[0] & dom0_bit) )
        return fail(why, -EINVAL, "kernel does not support dom0 operation");
    if ( !dom0 && (required & dom0_bit) )
        return fail(why, -EINVAL, "kernel only runs as dom0");
    if ( required & ~ELF_XENFEAT_REQUIRABLE )
        return fail(why, -EINVAL, "kernel requires a feature Mica lacks");
    return 0;
}

static int check_addresses(const struct elf_image *img, const char **why)
{
    const struct elf_xen_notes *n = &img->notes;

    if ( n->has_paddr_offset && !n->has_virt_base )
        return fail(why, -EINVAL, "PADDR_OFFSET set without VIRT_BASE");
    if ( img->virt_kstart > img->virt_kend )
        return fail(why, -EINVAL, "kernel's virtual range wraps");
    if ( n->entry < img->virt_kstart || n->entry > img->virt_kend )
        return fail(why, -EINVAL, "entry point outside the kernel");
    if ( n->virt_base > img->virt_kstart )
        return fail(why, -EINVAL, "VIRT_BASE above the kernel's start");
    if ( n->has_init_p2m && n->init_p2m >= img->virt_kstart &&
         n->init_p2m < img->virt_kend )
        return fail(why, -EINVAL, "INIT_P2M inside the kernel");
    return 0;
}

int elf_check_xen_notes(const struct elf_image *img, bool dom0,
                        const char **why)
{
    const char *ignored;
    int rc;

    if ( why == NULL )
        why = &ignored;
    *why = NULL;

    rc = check_identity(&img->notes, why);
    if ( rc == 0 )
        rc = check_features(&img->notes, dom0, why);
    if ( rc == 0 )
        rc = check_addresses(img, why);

    return rc;
}
