/*
 * Unit tests for hypervisor/common/elf.c.
 *
 * Images are built in memory by small emitters (struct builder), then
 * parsed from a heap copy of exactly the image's size, so that
 * AddressSanitizer reports any read past the end of the file.
 */
#include <stdlib.h>
#include <string.h>

#include <mica/env.h>
#include <mica/elf.h>

#include "unit.h"

#define IMAGE_MAX       0x2000
#define PHOFF           64
#define NOTE_OFF        0x200
#define TEXT_OFF        0x1000
#define PERCPU_OFF      0x1100
#define GOOD_SIZE       0x1200

#define VIRT_BASE       0xffffffff80000000ULL
#define TEXT_PADDR      0x1000000ULL
#define TEXT_VADDR      (VIRT_BASE + TEXT_PADDR)
#define PERCPU_PADDR    0x1002000ULL
#define ENTRY           (TEXT_VADDR + 0x40)

#define PT_LOAD         1
#define PT_NOTE         4
#define PF_X            1
#define PF_W            2
#define PF_R            4

struct builder
{
    uint8_t buf[IMAGE_MAX];
    size_t size;
    unsigned int phnum;
    size_t note_start;          /* where the notes go, and how far */
    size_t note_end;
};

static void put(struct builder *b, size_t off, uint64_t val, size_t len)
{
    ck_assert_uint_le(off + len, IMAGE_MAX);
    memcpy(b->buf + off, &val, len);    /* the host is little-endian */
}

static void emit_ehdr(struct builder *b, uint64_t entry)
{
    static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

    memcpy(b->buf, ident, sizeof(ident));
    put(b, 16, 2, 2);                   /* e_type: ET_EXEC */
    put(b, 18, 62, 2);                  /* e_machine: EM_X86_64 */
    put(b, 20, 1, 4);                   /* e_version */
    put(b, 24, entry, 8);
    put(b, 32, PHOFF, 8);               /* e_phoff */
    put(b, 52, 64, 2);                  /* e_ehsize */
    put(b, 54, 56, 2);                  /* e_phentsize */
    put(b, 56, b->phnum, 2);
}

static void emit_phdr(struct builder *b, uint32_t type, uint32_t flags,
                      uint64_t offset, uint64_t vaddr, uint64_t paddr,
                      uint64_t filesz, uint64_t memsz)
{
    size_t at = PHOFF + b->phnum * 56;

    put(b, at, type, 4);
    put(b, at + 4, flags, 4);
    put(b, at + 8, offset, 8);
    put(b, at + 16, vaddr, 8);
    put(b, at + 24, paddr, 8);
    put(b, at + 32, filesz, 8);
    put(b, at + 40, memsz, 8);
    put(b, at + 48, 0x1000, 8);
    b->phnum++;
    put(b, 56, b->phnum, 2);
}

/* Patch field `field_off` of program header `i`. */
static void patch_phdr(struct builder *b, unsigned int i, size_t field_off,
                       uint64_t val, size_t len)
{
    put(b, PHOFF + i * 56 + field_off, val, len);
}

static void emit_note(struct builder *b, const char *name, uint32_t type,
                      const void *desc, uint32_t descsz)
{
    uint32_t namesz = strlen(name) + 1;
    size_t at = b->note_end;

    put(b, at, namesz, 4);
    put(b, at + 4, descsz, 4);
    put(b, at + 8, type, 4);
    at += 12;
    memcpy(b->buf + at, name, namesz);
    at += ROUNDUP(namesz, 4);
    memcpy(b->buf + at, desc, descsz);
    b->note_end = at + ROUNDUP(descsz, 4);
    ck_assert_uint_le(b->note_end, TEXT_OFF);
}

static void note_num(struct builder *b, uint32_t type, uint64_t val,
                     uint32_t size)
{
    emit_note(b, "Xen", type, &val, size);
}

static void note_str(struct builder *b, uint32_t type, const char *s)
{
    emit_note(b, "Xen", type, s, strlen(s) + 1);
}

/* Everything but the note segment's header, which needs note_end. */
static void start_image(struct builder *b, uint64_t entry)
{
    memset(b, 0, sizeof(*b));
    b->size = GOOD_SIZE;
    b->note_start = b->note_end = NOTE_OFF;
    emit_phdr(b, PT_LOAD, PF_R | PF_X, TEXT_OFF, TEXT_VADDR, TEXT_PADDR,
              0x100, 0x2000);
    /* Like Linux's .data..percpu: virtual address 0. */
    emit_phdr(b, PT_LOAD, PF_R | PF_W, PERCPU_OFF, 0, PERCPU_PADDR, 0x40,
              0x1000);
    emit_ehdr(b, entry);
    memset(b->buf + TEXT_OFF, 0x90, 0x100);
}

static void finish_image(struct builder *b)
{
    emit_phdr(b, PT_NOTE, PF_R, b->note_start, 0, 0,
              b->note_end - b->note_start, b->note_end - b->note_start);
}

static void common_notes(struct builder *b)
{
    static const uint8_t build_id[20] = { 1, 2, 3 };

    note_str(b, ELF_XEN_NOTE_GUEST_OS, "linux");
    note_str(b, ELF_XEN_NOTE_GUEST_VERSION, "2.6");
    note_str(b, ELF_XEN_NOTE_XEN_VERSION, "xen-3.0");
    emit_note(b, "GNU", 3, build_id, sizeof(build_id));
    note_num(b, ELF_XEN_NOTE_VIRT_BASE, VIRT_BASE, 8);
    note_num(b, ELF_XEN_NOTE_PADDR_OFFSET, 0, 8);
    note_num(b, ELF_XEN_NOTE_ENTRY, ENTRY, 8);
    note_str(b, ELF_XEN_NOTE_LOADER, "generic");
}

/* The notes of a Linux 6.1 kernel, near enough. */
static void good_image(struct builder *b)
{
    static const uint64_t l1_mfn_valid[2] = { 1, 1 };

    start_image(b, TEXT_PADDR);
    common_notes(b);
    note_num(b, ELF_XEN_NOTE_HYPERCALL_PAGE, TEXT_VADDR + 0x80, 8);
    note_str(b, ELF_XEN_NOTE_FEATURES,
             "!writable_page_tables|pae_pgdir_above_4gb");
    note_num(b, ELF_XEN_NOTE_SUPPORTED_FEATURES, 0x8801, 4);
    note_str(b, ELF_XEN_NOTE_PAE_MODE, "yes");
    emit_note(b, "Xen", ELF_XEN_NOTE_L1_MFN_VALID, l1_mfn_valid,
              sizeof(l1_mfn_valid));
    note_num(b, ELF_XEN_NOTE_SUSPEND_CANCEL, 1, 4);
    note_num(b, ELF_XEN_NOTE_MOD_START_PFN, 1, 4);
    note_num(b, ELF_XEN_NOTE_HV_START_LOW, 0xffff800000000000ULL, 8);
    note_num(b, ELF_XEN_NOTE_INIT_P2M, 0x8000000000ULL, 8);
    note_num(b, ELF_XEN_NOTE_PHYS32_ENTRY, 0x1000850, 4);
    note_num(b, 99, 0, 4);                  /* unknown: skipped */
    finish_image(b);
}

/* Parse b->buf[0, size) from a heap block of exactly that size. */
static int parse_sized(const struct builder *b, size_t size,
                       struct elf_image *img, const char **why)
{
    void *copy = malloc(size ? size : 1);
    int rc;

    FAST_ASSERT(copy != NULL);
    memcpy(copy, b->buf, size);
    rc = elf_parse(img, copy, size, why);
    /* img->data now dangles; the tests only read what elf_parse copied. */
    free(copy);
    return rc;
}

static int parse(const struct builder *b, struct elf_image *img)
{
    const char *why = NULL;
    int rc = parse_sized(b, b->size, img, &why);

    FAST_ASSERT(rc == 0 ? why == NULL : why != NULL);
    return rc;
}

static struct builder b;
static struct elf_image img;

static void setup(void)
{
    test_log_reset();
    good_image(&b);
}

START_TEST(test_good_image)
{
    const struct elf_xen_notes *n = &img.notes;
    const char *why = "unset";

    ck_assert_int_eq(parse(&b, &img), 0);
    ck_assert_uint_eq(img.entry, TEXT_PADDR);
    ck_assert_uint_eq(img.nr_segments, 2);
    ck_assert_uint_eq(img.seg[0].offset, TEXT_OFF);
    ck_assert_uint_eq(img.seg[0].vaddr, TEXT_VADDR);
    ck_assert_uint_eq(img.seg[0].paddr, TEXT_PADDR);
    ck_assert_uint_eq(img.seg[0].filesz, 0x100);
    ck_assert_uint_eq(img.seg[0].memsz, 0x2000);
    ck_assert_uint_eq(img.seg[0].flags, PF_R | PF_X);
    ck_assert_uint_eq(img.seg[1].vaddr, 0);
    ck_assert_uint_eq(img.seg[1].paddr, PERCPU_PADDR);
    ck_assert_uint_eq(img.pstart, TEXT_PADDR);
    ck_assert_uint_eq(img.pend, PERCPU_PADDR + 0x1000);
    ck_assert_uint_eq(img.virt_kstart, TEXT_VADDR);
    ck_assert_uint_eq(img.virt_kend, VIRT_BASE + PERCPU_PADDR + 0x1000);

    ck_assert_uint_eq(n->nr_notes, 18);
    ck_assert(n->has_entry && n->has_virt_base && n->has_paddr_offset);
    ck_assert(n->has_hypercall_page && n->has_init_p2m);
    ck_assert(n->has_hv_start_low && n->has_supported_features);
    ck_assert(n->mod_start_pfn);
    ck_assert(!n->unknown_required);
    ck_assert_uint_eq(n->entry, ENTRY);
    ck_assert_uint_eq(n->virt_base, VIRT_BASE);
    ck_assert_uint_eq(n->paddr_offset, 0);
    ck_assert_uint_eq(n->hypercall_page, TEXT_VADDR + 0x80);
    ck_assert_uint_eq(n->init_p2m, 0x8000000000ULL);
    ck_assert_uint_eq(n->hv_start_low, 0xffff800000000000ULL);
    ck_assert_uint_eq(n->features_required[0], 1u << 0);
    ck_assert_uint_eq(n->features_supported[0], 0x8801 | (1u << 4));
    ck_assert_str_eq(n->guest_os, "linux");
    ck_assert_str_eq(n->loader, "generic");
    ck_assert_str_eq(n->xen_version, "xen-3.0");

    ck_assert_int_eq(elf_check_xen_notes(&img, true, &why), 0);
    ck_assert_ptr_null(why);
    ck_assert_int_eq(elf_check_xen_notes(&img, false, NULL), 0);
}
END_TEST

START_TEST(test_truncated)
{
    size_t len;

    /* Every length short of the whole: never a read past the end. */
    for ( len = 0; len < b.size; len++ )
    {
        int rc = parse_sized(&b, len, &img, NULL);

        if ( len < TEXT_OFF + 0x100 )
            ck_assert_msg(rc < 0, "accepted %zu bytes", len);
        else if ( len < PERCPU_OFF + 0x40 )
            ck_assert_msg(rc == -EINVAL, "accepted %zu bytes", len);
    }
    ck_assert_int_eq(parse_sized(&b, 63, &img, NULL), -ENOEXEC);
    ck_assert_int_eq(parse_sized(&b, PHOFF + 10, &img, NULL), -EINVAL);
}
END_TEST

START_TEST(test_bad_ident)
{
    static const struct
    {
        size_t off, len;
        uint64_t val;
        int rc;
    } cases[] = {
        { 0, 1, 0x7e, -ENOEXEC },           /* magic */
        { 4, 1, 1, -ENOEXEC },              /* ELFCLASS32 */
        { 5, 1, 2, -ENOEXEC },              /* big-endian */
        { 6, 1, 0, -ENOEXEC },              /* ident version */
        { 16, 2, 3, -ENOEXEC },             /* ET_DYN */
        { 18, 2, 3, -ENOEXEC },             /* EM_386 */
        { 18, 2, 183, -ENOEXEC },           /* EM_AARCH64 */
        { 20, 4, 2, -ENOEXEC },             /* e_version */
        { 54, 2, 64, -EINVAL },             /* e_phentsize */
        { 56, 2, 0, -EINVAL },              /* no program headers */
        { 56, 2, 0xffff, -EINVAL },         /* PN_XNUM */
    };
    struct builder bad;
    size_t i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        bad = b;
        put(&bad, cases[i].off, cases[i].val, cases[i].len);
        ck_assert_msg(parse(&bad, &img) == cases[i].rc, "case %zu", i);
    }
}
END_TEST

START_TEST(test_phdrs_out_of_range)
{
    struct builder bad = b;

    put(&bad, 32, b.size, 8);                       /* phoff at the end */
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);
    put(&bad, 32, b.size - 56 * 3 + 1, 8);          /* last one cut */
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);
    put(&bad, 32, UINT64_MAX - 10, 8);              /* phoff + size wraps */
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);
    put(&bad, 32, PHOFF, 8);
    put(&bad, 56, 0xfffe, 2);                       /* phnum * 56 huge */
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);
}
END_TEST

START_TEST(test_segment_bounds)
{
    struct builder bad;

    bad = b;        /* offset + filesz beyond the file */
    patch_phdr(&bad, 1, 32, b.size - PERCPU_OFF + 1, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* offset + filesz wraps */
    patch_phdr(&bad, 1, 8, UINT64_MAX - 8, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* offset beyond the file, filesz 0 */
    patch_phdr(&bad, 1, 8, b.size + 1, 8);
    patch_phdr(&bad, 1, 32, 0, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* filesz > memsz */
    patch_phdr(&bad, 0, 40, 0x80, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* paddr + memsz wraps */
    patch_phdr(&bad, 1, 24, UINT64_MAX - 0x100, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* end rounds up past the top */
    patch_phdr(&bad, 1, 24, UINT64_MAX - 0x1800, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* overlapping physical ranges */
    patch_phdr(&bad, 1, 24, TEXT_PADDR + 0x1fff, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* touching is fine */
    patch_phdr(&bad, 1, 24, TEXT_PADDR + 0x2000, 8);
    ck_assert_int_eq(parse(&bad, &img), 0);
    ck_assert_uint_eq(img.pend, TEXT_PADDR + 0x3000);
}
END_TEST

START_TEST(test_segment_count)
{
    struct builder many;
    unsigned int i;

    /* No loadable segment at all. */
    many = b;
    patch_phdr(&many, 0, 0, 6, 4);      /* PT_PHDR */
    patch_phdr(&many, 1, 0, 0, 4);      /* PT_NULL */
    ck_assert_int_eq(parse(&many, &img), -EINVAL);

    /* A zero-sized PT_LOAD is checked but not kept. */
    many = b;
    patch_phdr(&many, 1, 32, 0, 8);
    patch_phdr(&many, 1, 40, 0, 8);
    ck_assert_int_eq(parse(&many, &img), 0);
    ck_assert_uint_eq(img.nr_segments, 1);

    /* ELF_MAX_SEGMENTS is accepted, one more is not. */
    memset(&many, 0, sizeof(many));
    many.size = GOOD_SIZE;
    for ( i = 0; i < ELF_MAX_SEGMENTS + 1; i++ )
        emit_phdr(&many, PT_LOAD, PF_R, TEXT_OFF, 0, i * 0x1000, 0x10, 0x10);
    emit_ehdr(&many, 0);
    ck_assert_int_eq(parse(&many, &img), -E2BIG);
    put(&many, 56, ELF_MAX_SEGMENTS, 2);
    ck_assert_int_eq(parse(&many, &img), 0);
    ck_assert_uint_eq(img.nr_segments, ELF_MAX_SEGMENTS);
    ck_assert_uint_eq(img.notes.nr_notes, 0);
}
END_TEST

START_TEST(test_note_bounds)
{
    size_t first = NOTE_OFF;        /* the GUEST_OS note: name "Xen" */
    struct builder bad;

    bad = b;        /* namesz past the segment */
    put(&bad, first, 0x1000, 4);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* namesz so big the padding would wrap 32 bits */
    put(&bad, first, 0xffffffff, 4);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* descsz past the segment */
    put(&bad, first + 4, b.note_end - NOTE_OFF, 4);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;
    put(&bad, first + 4, 0xfffffffd, 4);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* segment ends inside a note header */
    patch_phdr(&bad, 2, 32, b.note_end - NOTE_OFF + 5, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* segment ends inside a description */
    patch_phdr(&bad, 2, 32, b.note_end - NOTE_OFF - 2, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* note segment beyond the file */
    patch_phdr(&bad, 2, 8, b.size - 8, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);

    bad = b;        /* misaligned note segment */
    memmove(bad.buf + NOTE_OFF + 1, b.buf + NOTE_OFF, b.note_end - NOTE_OFF);
    patch_phdr(&bad, 2, 8, NOTE_OFF + 1, 8);
    ck_assert_int_eq(parse(&bad, &img), -EINVAL);
}
END_TEST

START_TEST(test_note_offset_zero_skipped)
{
    struct builder skip = b;
    const char *why;

    /* Xen skips note segments with p_offset 0 (a binutils quirk). */
    patch_phdr(&skip, 2, 8, 0, 8);
    ck_assert_int_eq(parse(&skip, &img), 0);
    ck_assert_uint_eq(img.notes.nr_notes, 0);
    ck_assert_int_eq(elf_check_xen_notes(&img, false, &why), -EINVAL);
    ck_assert_ptr_nonnull(why);
    ck_assert(strstr(why, "no Xen ELF notes") != NULL);
}
END_TEST

/* Build an image whose notes are common_notes() plus one more. */
static void image_with(struct builder *nb, uint32_t type, const void *desc,
                       uint32_t descsz)
{
    start_image(nb, TEXT_PADDR);
    common_notes(nb);
    emit_note(nb, "Xen", type, desc, descsz);
    finish_image(nb);
}

static void image_with_str(struct builder *nb, uint32_t type, const char *str)
{
    image_with(nb, type, str, strlen(str) + 1);
}

START_TEST(test_malformed_notes)
{
    static const char unterminated[4] = { 'x', 'e', 'n', '-' };
    static const uint8_t three[3] = { 1, 2, 3 };
    struct builder nb;

    image_with(&nb, ELF_XEN_NOTE_ENTRY, three, sizeof(three));
    ck_assert_int_eq(parse(&nb, &img), -EINVAL);
    image_with(&nb, ELF_XEN_NOTE_VIRT_BASE, three, 0);
    ck_assert_int_eq(parse(&nb, &img), -EINVAL);
    image_with(&nb, ELF_XEN_NOTE_SUPPORTED_FEATURES, three, 3);
    ck_assert_int_eq(parse(&nb, &img), -EINVAL);

    /* Numbers of 1, 2 and 4 bytes are fine, as in Xen. */
    image_with(&nb, ELF_XEN_NOTE_HV_START_LOW, three, 2);
    ck_assert_int_eq(parse(&nb, &img), 0);
    ck_assert_uint_eq(img.notes.hv_start_low, 0x0201);
    image_with(&nb, ELF_XEN_NOTE_HV_START_LOW, three, 1);
    ck_assert_int_eq(parse(&nb, &img), 0);
    ck_assert_uint_eq(img.notes.hv_start_low, 1);

    /*
     * A string with no NUL ends with its description (Linux's FEATURES
     * note is like that), even when the padding after it is not zero.
     */
    image_with(&nb, ELF_XEN_NOTE_XEN_VERSION, unterminated, 4);
    put(&nb, nb.note_end, 0x41414141, 4);           /* past the segment */
    ck_assert_int_eq(parse(&nb, &img), 0);
    ck_assert_str_eq(img.notes.xen_version, "xen-");
    image_with(&nb, ELF_XEN_NOTE_FEATURES, "!dom0", 5);
    nb.buf[nb.note_end - 3] = 'X';                  /* the padding */
    ck_assert_int_eq(parse(&nb, &img), 0);
    ck_assert_uint_eq(img.notes.features_required[0], 1u << 11);

    /* Types Mica ignores are not parsed, so cannot be malformed. */
    image_with(&nb, ELF_XEN_NOTE_SUSPEND_CANCEL, three, 3);
    ck_assert_int_eq(parse(&nb, &img), 0);

    /* A name that is not exactly "Xen\0" is another vendor's note. */
    start_image(&nb, TEXT_PADDR);
    common_notes(&nb);
    emit_note(&nb, "Xenon", ELF_XEN_NOTE_ENTRY, three, 3);
    emit_note(&nb, "Xe", ELF_XEN_NOTE_ENTRY, three, 3);
    finish_image(&nb);
    ck_assert_int_eq(parse(&nb, &img), 0);
    ck_assert_uint_eq(img.notes.entry, ENTRY);
}
END_TEST

static int check_notes(const struct builder *nb, bool dom0, const char **why)
{
    ck_assert_int_eq(parse(nb, &img), 0);
    return elf_check_xen_notes(&img, dom0, why);
}

START_TEST(test_accept_dom0_bit)
{
    uint32_t map = 1;       /* writable_page_tables only: no dom0 */
    struct builder nb;
    const char *why;

    image_with(&nb, ELF_XEN_NOTE_SUPPORTED_FEATURES, &map, 4);
    ck_assert_int_eq(check_notes(&nb, true, &why), -EINVAL);
    ck_assert(strstr(why, "dom0") != NULL);
    ck_assert_int_eq(check_notes(&nb, false, &why), 0);

    /* Xen checks the dom0 bit only when the note is there at all. */
    image_with_str(&nb, ELF_XEN_NOTE_GUEST_VERSION, "2.6");
    ck_assert_int_eq(check_notes(&nb, true, &why), 0);

    /* A kernel requiring dom0 cannot be a domU. */
    image_with_str(&nb, ELF_XEN_NOTE_FEATURES, "!dom0");
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
    ck_assert_int_eq(check_notes(&nb, true, &why), 0);
}
END_TEST

START_TEST(test_accept_identity)
{
    struct builder nb;
    const char *why;

    image_with_str(&nb, ELF_XEN_NOTE_XEN_VERSION, "xen-2.0");
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
    ck_assert(strstr(why, "xen-3.0") != NULL);
    image_with_str(&nb, ELF_XEN_NOTE_XEN_VERSION, "xen-3.0-x86_64");
    ck_assert_int_eq(check_notes(&nb, false, &why), 0);
    image_with_str(&nb, ELF_XEN_NOTE_XEN_VERSION, "");
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);

    /* Neither the generic loader nor Linux. */
    image_with_str(&nb, ELF_XEN_NOTE_LOADER, "elfboot");
    put(&nb, NOTE_OFF + 16, 'L', 1);    /* GUEST_OS "linux" -> "Linux" */
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
    ck_assert(strstr(why, "generic") != NULL);

    /* Either one is enough. */
    image_with_str(&nb, ELF_XEN_NOTE_LOADER, "elfboot");
    ck_assert_int_eq(check_notes(&nb, false, &why), 0);
    image_with_str(&nb, ELF_XEN_NOTE_LOADER, "generic");
    put(&nb, NOTE_OFF + 16, 'L', 1);
    ck_assert_int_eq(check_notes(&nb, false, &why), 0);
}
END_TEST

START_TEST(test_accept_features)
{
    struct builder nb;
    const char *why;

    image_with_str(&nb, ELF_XEN_NOTE_FEATURES, "!frobnicate");
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
    ck_assert(img.notes.unknown_required);
    ck_assert(test_log_contains("frobnicate"));

    image_with_str(&nb, ELF_XEN_NOTE_FEATURES, "frobnicate|dom0");
    ck_assert_int_eq(check_notes(&nb, true, &why), 0);
    ck_assert_uint_eq(img.notes.features_supported[0], 1u << 11);
    ck_assert_uint_eq(img.notes.features_required[0], 0);

    image_with_str(&nb, ELF_XEN_NOTE_FEATURES, "!writable_descriptor_tables");
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
    ck_assert(strstr(why, "lacks") != NULL);

    image_with_str(&nb, ELF_XEN_NOTE_FEATURES, "||!pae_pgdir_above_4gb|");
    ck_assert_int_eq(check_notes(&nb, false, &why), 0);
    ck_assert_uint_eq(img.notes.features_required[0], 1u << 4);
}
END_TEST

START_TEST(test_accept_addresses)
{
    uint64_t v;
    struct builder nb;
    const char *why;

    /* No ENTRY note: e_entry (physical here) is outside the kernel. */
    start_image(&nb, TEXT_PADDR);
    note_str(&nb, ELF_XEN_NOTE_GUEST_OS, "linux");
    note_str(&nb, ELF_XEN_NOTE_XEN_VERSION, "xen-3.0");
    note_num(&nb, ELF_XEN_NOTE_VIRT_BASE, VIRT_BASE, 8);
    finish_image(&nb);
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
    ck_assert_uint_eq(img.notes.entry, TEXT_PADDR);
    ck_assert(!img.notes.has_entry);

    /* No VIRT_BASE either: 0, and e_entry is right. */
    start_image(&nb, TEXT_PADDR + 0x10);
    note_str(&nb, ELF_XEN_NOTE_GUEST_OS, "linux");
    note_str(&nb, ELF_XEN_NOTE_XEN_VERSION, "xen-3.0");
    finish_image(&nb);
    ck_assert_int_eq(check_notes(&nb, false, &why), 0);
    ck_assert_uint_eq(img.notes.virt_base, 0);
    ck_assert_uint_eq(img.notes.paddr_offset, 0);
    ck_assert_uint_eq(img.virt_kstart, TEXT_PADDR);

    /* PADDR_OFFSET needs VIRT_BASE. */
    start_image(&nb, TEXT_PADDR + 0x10);
    note_str(&nb, ELF_XEN_NOTE_GUEST_OS, "linux");
    note_str(&nb, ELF_XEN_NOTE_XEN_VERSION, "xen-3.0");
    note_num(&nb, ELF_XEN_NOTE_PADDR_OFFSET, 0, 8);
    finish_image(&nb);
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);

    /* An offset that puts VIRT_BASE above the kernel's start. */
    v = TEXT_PADDR * 2;
    image_with(&nb, ELF_XEN_NOTE_PADDR_OFFSET, &v, 8);
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);

    /* INIT_P2M inside the kernel, then just past it. */
    v = TEXT_VADDR + 0x1000;
    image_with(&nb, ELF_XEN_NOTE_INIT_P2M, &v, 8);
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
    v = VIRT_BASE + PERCPU_PADDR + 0x1000;
    image_with(&nb, ELF_XEN_NOTE_INIT_P2M, &v, 8);
    ck_assert_int_eq(check_notes(&nb, false, &why), 0);

    /* ENTRY past the end. */
    v = VIRT_BASE + PERCPU_PADDR + 0x1001;
    image_with(&nb, ELF_XEN_NOTE_ENTRY, &v, 8);
    ck_assert_int_eq(check_notes(&nb, false, &why), -EINVAL);
}
END_TEST

START_TEST(test_feature_names)
{
    static const struct
    {
        const char *name;
        int nr;
    } cases[] = {
        { "writable_page_tables", 0 }, { "writable_descriptor_tables", 1 },
        { "auto_translated_physmap", 2 }, { "supervisor_mode_kernel", 3 },
        { "pae_pgdir_above_4gb", 4 }, { "mmu_pt_update_preserve_ad", 5 },
        { "highmem_assist", 6 }, { "gnttab_map_avail_bits", 7 },
        { "hvm_callback_vector", 8 }, { "hvm_safe_pvclock", 9 },
        { "hvm_pirqs", 10 }, { "dom0", 11 }, { "grant_map_identity", 12 },
        { "memory_op_vnode_supported", 13 }, { "ARM_SMCCC_supported", 14 },
        { "linux_rsdp_unrestricted", 15 }, { "not_direct_mapped", 16 },
        { "direct_mapped", 17 },
        { "", -1 }, { "dom", -1 }, { "dom0x", -1 }, { "DOM0", -1 },
        { "!dom0", -1 },
    };
    size_t i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
        ck_assert_msg(elf_feature_from_name(cases[i].name,
                                            strlen(cases[i].name)) ==
                      cases[i].nr, "%s", cases[i].name);
    ck_assert_int_eq(elf_feature_from_name("dom0_extra", 4), 11);
}
END_TEST

/* Random corruption must never make the parser read out of bounds. */
START_TEST(test_random_corruption)
{
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    struct builder bad;
    unsigned int i, j, accepted = 0;

    for ( i = 0; i < 20000; i++ )
    {
        bad = b;
        for ( j = 0; j < 1 + i % 4; j++ )
        {
            size_t off;

            xorshift64(&seed);
            /* Mostly the headers and notes, where the structure is. */
            off = (seed >> 8) % (i % 2 ? b.note_end : bad.size);
            bad.buf[off] = seed >> 40;
        }
        if ( parse(&bad, &img) == 0 )
        {
            accepted++;
            elf_check_xen_notes(&img, i & 1, NULL);
        }
    }
    ck_assert_uint_gt(accepted, 0);
}
END_TEST

/* A whole file in a heap block of its size, or NULL if it is missing. */
static uint8_t *load_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long len;

    if ( f == NULL )
    {
        printf("test_elf: %s not found, skipped\n", path);
        return NULL;
    }
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    ck_assert_int_gt(len, 0);
    rewind(f);
    data = malloc(len);
    ck_assert_ptr_nonnull(data);
    ck_assert_uint_eq(fread(data, 1, len, f), (size_t)len);
    fclose(f);

    *size = len;
    return data;
}

/* A kernel built by a real toolchain must parse and pass as dom0. */
static uint8_t *parse_file(const char *path, struct elf_image *fimg)
{
    const char *why = NULL;
    size_t size;
    uint8_t *data = load_file(path, &size);

    if ( data == NULL )
        return NULL;
    ck_assert_msg(elf_parse(fimg, data, size, &why) == 0, "%s: %s", path,
                  why);
    ck_assert_uint_gt(fimg->nr_segments, 0);
    ck_assert_msg(elf_check_xen_notes(fimg, true, &why) == 0, "%s: %s",
                  path, why);
    return data;
}

START_TEST(test_linked_fixture)
{
    const char *path = getenv("MICA_FIXTURE_ELF");
    struct elf_image fimg;
    uint8_t *data;

    if ( path == NULL )
    {
        printf("test_elf: MICA_FIXTURE_ELF unset, fixture skipped\n");
        return;
    }
    data = parse_file(path, &fimg);
    ck_assert_ptr_nonnull(data);

    /* What test/unit/fixtures/xen-notes.S says. */
    ck_assert_uint_eq(fimg.notes.nr_notes, 10);
    ck_assert_str_eq(fimg.notes.guest_os, "linux");
    ck_assert_str_eq(fimg.notes.loader, "generic");
    ck_assert_str_eq(fimg.notes.xen_version, "xen-3.0");
    ck_assert_uint_eq(fimg.notes.features_supported[0], 0x8811);
    ck_assert_uint_eq(fimg.notes.features_required[0], 1);
    ck_assert(fimg.notes.has_entry && fimg.notes.has_hypercall_page);
    ck_assert_uint_eq(fimg.notes.hypercall_page % 4096, 0);
    ck_assert_uint_ge(fimg.notes.entry, fimg.virt_kstart);
    ck_assert_uint_lt(fimg.notes.entry, fimg.virt_kend);
    ck_assert_uint_ge(fimg.notes.hypercall_page, fimg.virt_kstart);
    ck_assert_uint_lt(fimg.notes.hypercall_page, fimg.virt_kend);
    free(data);
}
END_TEST

/*
 * A Linux vmlinux extracted from Debian's bzImage, when the build (or the
 * person running the tests) has one: MICA_LINUX_ELF=path.
 */
START_TEST(test_linux_kernel)
{
    const char *path = getenv("MICA_LINUX_ELF");
    struct elf_image fimg;
    uint8_t *data;
    unsigned int i;

    if ( path == NULL )
    {
        printf("test_elf: MICA_LINUX_ELF unset, Linux kernel skipped\n");
        return;
    }
    data = parse_file(path, &fimg);
    ck_assert_ptr_nonnull(data);

    /* Facts every Linux 6.1 PV kernel shares (see linux-pv-abi.md). */
    ck_assert_str_eq(fimg.notes.guest_os, "linux");
    ck_assert_str_eq(fimg.notes.loader, "generic");
    ck_assert_uint_eq(fimg.notes.virt_base, 0xffffffff80000000ULL);
    ck_assert(fimg.notes.has_entry);
    ck_assert_uint_eq(fimg.notes.features_required[0], 1);
    ck_assert(fimg.notes.features_supported[0] & (1u << 11));
    ck_assert(fimg.notes.has_init_p2m && fimg.notes.mod_start_pfn);
    ck_assert_uint_eq(fimg.pstart, 0x1000000);
    for ( i = 0; i < fimg.nr_segments; i++ )
        printf("test_elf: %s: paddr %#lx memsz %#lx vaddr %#lx\n", path,
               (unsigned long)fimg.seg[i].paddr,
               (unsigned long)fimg.seg[i].memsz,
               (unsigned long)fimg.seg[i].vaddr);
    free(data);
}
END_TEST

START_TEST(test_selftest_kernel)
{
    const char *path = getenv("MICA_SELFTEST_ELF");
    struct elf_image fimg;

    free(parse_file(path ? path : "build/test/guests/selftest.elf", &fimg));
}
END_TEST

Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_good_image);
    tcase_add_test(tc, test_truncated);
    tcase_add_test(tc, test_bad_ident);
    tcase_add_test(tc, test_phdrs_out_of_range);
    tcase_add_test(tc, test_segment_bounds);
    tcase_add_test(tc, test_segment_count);
    tcase_add_test(tc, test_note_bounds);
    tcase_add_test(tc, test_note_offset_zero_skipped);
    tcase_add_test(tc, test_malformed_notes);
    tcase_add_test(tc, test_accept_dom0_bit);
    tcase_add_test(tc, test_accept_identity);
    tcase_add_test(tc, test_accept_features);
    tcase_add_test(tc, test_accept_addresses);
    tcase_add_test(tc, test_feature_names);
    tcase_add_test(tc, test_random_corruption);
    tcase_add_test(tc, test_linked_fixture);
    tcase_add_test(tc, test_linux_kernel);
    tcase_add_test(tc, test_selftest_kernel);
    suite_add_tcase(s, tc);

    return s;
}
