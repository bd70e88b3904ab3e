/*
 * xen_version: every sub-op 0-10, bad buffers, unknown sub-ops.
 *
 * Expected behaviour is Xen 4.17's do_xen_version() (xen/common/kernel.c)
 * with the XSM dummy policy (xsm_xen_version in xen/include/xsm/dummy.h),
 * as seen by dom0, which passes every XSM check:
 *   - each buffer sub-op copies its whole fixed-size object, -EFAULT if
 *     the copy faults;
 *   - get_features answers submap 0 only (-EINVAL otherwise);
 *   - pagesize returns 4096 for a NULL argument and -EINVAL otherwise;
 *   - build_id: NULL -> size (or the error of xen_build_id(), -ENODATA
 *     without one), len 0 -> -EINVAL, too small -> -ENOBUFS;
 *   - anything else -> -ENOSYS.
 */
#include "test.h"

const char test_title[] = "xen_version";

static const uint64_t bad_ptrs[] = {
    BAD_NONCANONICAL, BAD_HYPERVISOR, BAD_UNMAPPED,
};

static long xv(int cmd, uint64_t arg)
{
    return hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

/* Every buffer sub-op: -EFAULT for every bad pointer. */
static void test_bad_buffers(void)
{
    static const int cmds[] = {
        XENVER_extraversion, XENVER_compile_info, XENVER_capabilities,
        XENVER_changeset, XENVER_platform_parameters, XENVER_get_features,
        XENVER_guest_handle, XENVER_commandline, XENVER_build_id,
    };
    unsigned int i, j;

    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
        for ( j = 0; j < ARRAY_SIZE(bad_ptrs); j++ )
        {
            long rc = xv(cmds[i], bad_ptrs[j]);

            if ( rc != -XEN_EFAULT )
                test_fail("xen_version(%d, %#lx): got %ld (%s), "
                          "expected -EFAULT", cmds[i], bad_ptrs[j], rc,
                          xen_errno_name(rc));
        }

    /*
     * A mapped but read-only buffer: the builder maps our page tables
     * read-only, so copying out to the L4 must fault, not write.
     */
    CHECK_RC(xv(XENVER_extraversion, start_info->pt_base), -XEN_EFAULT);
}

static void test_version(void)
{
    long v = xv(XENVER_version, 0);
    long v2 = xv(XENVER_version, BAD_NONCANONICAL); /* arg is ignored */

    printk("version %lu.%lu\n", (unsigned long)v >> 16,
           (unsigned long)v & 0xffff);
    if ( v < (4L << 16) )
        test_fail("XENVER_version %#lx: expected major >= 4", v);
    if ( v2 != v )
        test_fail("XENVER_version with junk arg: %#lx, expected %#lx",
                  v2, v);
}

/* A string sub-op: success, NUL-terminated within its fixed size. */
static void check_string(const char *name, int cmd, char *buf, size_t size)
{
    memset(buf, 0xff, size);
    if ( !check_rc(name, xv(cmd, GADDR(buf)), 0) )
        return;
    if ( strnlen(buf, size) == size )
        test_fail("%s: no NUL within %zu bytes", name, size);
    else
        printk("%s: \"%s\"\n", name, buf);
}

static void test_strings(void)
{
    static xen_extraversion_t extra;
    static struct xen_compile_info ci;
    static xen_capabilities_info_t caps;
    static xen_changeset_info_t cs;
    static xen_commandline_t cmdline;

    check_string("extraversion", XENVER_extraversion, extra, sizeof(extra));
    check_string("capabilities", XENVER_capabilities, caps, sizeof(caps));
    check_string("changeset", XENVER_changeset, cs, sizeof(cs));
    check_string("commandline", XENVER_commandline, cmdline,
                 sizeof(cmdline));

    if ( !strstr(caps, "xen-3.0-x86_64") )
        test_fail("capabilities \"%s\" lack xen-3.0-x86_64", caps);

    memset(&ci, 0xff, sizeof(ci));
    if ( CHECK_RC(xv(XENVER_compile_info, GADDR(&ci)), 0) )
    {
        if ( strnlen(ci.compiler, sizeof(ci.compiler)) == sizeof(ci.compiler)
             || strnlen(ci.compile_by, sizeof(ci.compile_by)) ==
                sizeof(ci.compile_by)
             || strnlen(ci.compile_domain, sizeof(ci.compile_domain)) ==
                sizeof(ci.compile_domain)
             || strnlen(ci.compile_date, sizeof(ci.compile_date)) ==
                sizeof(ci.compile_date) )
            test_fail("compile_info field not NUL-terminated");
        else
            printk("compile_info: \"%s\" \"%s\" \"%s\" \"%s\"\n",
                   ci.compiler, ci.compile_by, ci.compile_domain,
                   ci.compile_date);
    }
}

static void test_platform_parameters(void)
{
    static struct xen_platform_parameters pp;

    pp.virt_start = 0;
    if ( CHECK_RC(xv(XENVER_platform_parameters, GADDR(&pp)), 0) &&
         pp.virt_start != HYPERVISOR_VIRT_START )
        test_fail("platform_parameters.virt_start %#lx, expected %#llx",
                  pp.virt_start, HYPERVISOR_VIRT_START);
}

/*
 * Submap 0 for a 64-bit PV hardware domain: preserve_ad (5), highmem
 * assist (6), gnttab_map_avail_bits (7), dom0 (11), vnode (13),
 * direct_mapped (17); never auto_translated_physmap (2) or
 * supervisor_mode_kernel (3).  Linux panics without 5 and 7.
 */
static void test_features(void)
{
    static struct xen_feature_info fi;
    static const unsigned int must[] = {
        XENFEAT_mmu_pt_update_preserve_ad, XENFEAT_gnttab_map_avail_bits,
        XENFEAT_dom0,
    };
    static const unsigned int must_not[] = {
        XENFEAT_writable_page_tables, XENFEAT_auto_translated_physmap,
        XENFEAT_supervisor_mode_kernel, XENFEAT_hvm_callback_vector,
        XENFEAT_hvm_safe_pvclock, XENFEAT_hvm_pirqs,
        XENFEAT_not_direct_mapped,
    };
    unsigned int i;

    fi.submap_idx = 0;
    fi.submap = 0xdeadbeef;
    if ( !CHECK_RC(xv(XENVER_get_features, GADDR(&fi)), 0) )
        return;
    printk("features submap 0: %#x\n", fi.submap);
    if ( fi.submap_idx != 0 )
        test_fail("get_features changed submap_idx to %u", fi.submap_idx);
    for ( i = 0; i < ARRAY_SIZE(must); i++ )
        if ( !(fi.submap & (1U << must[i])) )
            test_fail("feature bit %u missing from submap 0", must[i]);
    for ( i = 0; i < ARRAY_SIZE(must_not); i++ )
        if ( fi.submap & (1U << must_not[i]) )
            test_fail("feature bit %u set in submap 0", must_not[i]);

    fi.submap_idx = XENFEAT_NR_SUBMAPS;
    CHECK_RC(xv(XENVER_get_features, GADDR(&fi)), -XEN_EINVAL);
    fi.submap_idx = 0xffffffff;
    CHECK_RC(xv(XENVER_get_features, GADDR(&fi)), -XEN_EINVAL);
}

static void test_small_ops(void)
{
    static uint8_t handle[16];

    CHECK_RC(xv(XENVER_pagesize, 0), 4096);
    CHECK_RC(xv(XENVER_pagesize, GADDR(handle)), -XEN_EINVAL);

    memset(handle, 0xff, sizeof(handle));
    CHECK_RC(xv(XENVER_guest_handle, GADDR(handle)), 0);
}

static void test_build_id(void)
{
    static struct {
        struct xen_build_id id;
        unsigned char buf[256];
    } b;
    long size = xv(XENVER_build_id, 0);

    if ( size == -XEN_ENODATA )
        printk("build_id: none (-ENODATA)\n");
    else if ( size <= 0 || size > (long)sizeof(b.buf) )
    {
        test_fail("build_id size query: %ld (%s)", size,
                  xen_errno_name(size));
        return;
    }

    b.id.len = 0;
    CHECK_RC(xv(XENVER_build_id, GADDR(&b)), -XEN_EINVAL);

    if ( size == -XEN_ENODATA )
        return;

    b.id.len = size - 1;
    CHECK_RC(xv(XENVER_build_id, GADDR(&b)), -XEN_ENOBUFS);
    b.id.len = sizeof(b.buf);
    CHECK_RC(xv(XENVER_build_id, GADDR(&b)), size);
}

static void test_unknown(void)
{
    static const int cmds[] = { 11, 12, 100, 0x7fffffff, -1 };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
        long rc = xv(cmds[i], 0);

        if ( rc != -XEN_ENOSYS )
            test_fail("xen_version(%d): got %ld (%s), expected -ENOSYS",
                      cmds[i], rc, xen_errno_name(rc));
    }
}

void test_main(void)
{
    test_version();
    test_strings();
    test_platform_parameters();
    test_features();
    test_small_ops();
    test_build_id();
    test_unknown();
    test_bad_buffers();
    test_success();
}
