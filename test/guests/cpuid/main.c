/*
 * CPUID as a PV guest kernel sees it through the forced-emulation prefix.
 *
 * Expected behaviour (Xen 4.17):
 *   - hypervisor leaves (cpuid_hypervisor_leaves, xen/arch/x86/traps.c):
 *     0x40000000 = { base + 5, "XenVMMXenVMM" }; 0x40000001.eax = the
 *     XENVER_version value; 0x40000002 = { 1 hypercall page, MSR base
 *     0x40000000, ecx bit 0 MMU_PT_UPDATE_PRESERVE_AD for PV }; leaves past
 *     the maximum are all zero;
 *   - the PV policy (annotations in xen/include/public/arch-x86/
 *     cpufeatureset.h: features without 'A' are not offered to PV) hides
 *     VME, PSE, PSE36, PGE, MTRR (leaf 1 edx), MONITOR, VMX, X2APIC,
 *     TSC_DEADLINE (leaf 1 ecx), PAGE1GB and SVM (0x80000001), SMEP, SMAP
 *     (leaf 7 ebx) and PKU (leaf 7 ecx), and sets HYPERVISOR (leaf 1
 *     ecx[31]);
 *   - OSXSAVE (guest_cpuid, xen/arch/x86/cpuid.c) is dynamic and never
 *     set without XSAVE;
 *   - Mica hides XSAVE (FPU state is switched with FXSAVE), so the
 *     features xen/tools/gen-cpuid.py makes depend on it must be hidden
 *     as well: AVX, FMA, F16C, AVX2, AVX-512F, VAES, VPCLMULQDQ, XOP,
 *     FMA4, LWP; and leaf 0xd must be empty.
 */
#include "test.h"

const char test_title[] = "cpuid";

#define BIT(n) (1U << (n))

struct hidden {
    uint32_t leaf;
    char reg;
    unsigned int bit;
    const char *name;
};

static const struct hidden hidden[] = {
    { 1, 'd', 1, "VME" },        { 1, 'd', 3, "PSE" },
    { 1, 'd', 12, "MTRR" },      { 1, 'd', 13, "PGE" },
    { 1, 'd', 17, "PSE36" },     { 1, 'c', 3, "MONITOR" },
    { 1, 'c', 5, "VMX" },        { 1, 'c', 21, "X2APIC" },
    { 1, 'c', 24, "TSC_DEADLINE" },
    { 0x80000001, 'd', 26, "PAGE1GB" },
    { 0x80000001, 'c', 2, "SVM" },
    { 7, 'b', 7, "SMEP" },       { 7, 'b', 20, "SMAP" },
    { 7, 'c', 3, "PKU" },        { 1, 'c', 2, "DTES64" },
    { 1, 'c', 14, "XTPR" },
};

/* Features that need XSAVE state, hidden when XSAVE is. */
static const struct hidden xsave_deps[] = {
    { 1, 'c', 28, "AVX" },       { 1, 'c', 12, "FMA" },
    { 1, 'c', 29, "F16C" },      { 7, 'b', 5, "AVX2" },
    { 7, 'b', 16, "AVX512F" },   { 7, 'b', 31, "AVX512VL" },
    { 7, 'c', 9, "VAES" },       { 7, 'c', 10, "VPCLMULQDQ" },
    { 7, 'd', 22, "AMX_BF16" },  { 7, 'd', 24, "AMX_TILE" },
    { 0x80000001, 'c', 11, "XOP" },
    { 0x80000001, 'c', 16, "FMA4" },
    { 0x80000001, 'c', 15, "LWP" },
};

static uint32_t reg_of(const struct cpuid_regs *r, char reg)
{
    switch ( reg )
    {
    case 'a': return r->a;
    case 'b': return r->b;
    case 'c': return r->c;
    default:  return r->d;
    }
}

static void test_xen_leaves(void)
{
    struct cpuid_regs r = cpuid(XEN_CPUID_FIRST_LEAF);
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);
    uint32_t max = r.a;

    printk("leaf 0x40000000: max %#x \"%.4s%.4s%.4s\"\n", r.a,
           (char *)&r.b, (char *)&r.c, (char *)&r.d);
    if ( r.b != XEN_CPUID_SIGNATURE_EBX || r.c != XEN_CPUID_SIGNATURE_ECX ||
         r.d != XEN_CPUID_SIGNATURE_EDX )
        test_fail("leaf 0x40000000 signature %#x %#x %#x", r.b, r.c, r.d);
    if ( max < XEN_CPUID_LEAF(2) || max > XEN_CPUID_LEAF(0xff) )
    {
        test_fail("leaf 0x40000000 eax %#x, expected >= 0x40000002", max);
        return;
    }

    r = cpuid(XEN_CPUID_LEAF(1));
    if ( r.a != (uint32_t)version )
        test_fail("leaf 0x40000001 eax %#x, XENVER_version %#lx", r.a,
                  version);

    r = cpuid(XEN_CPUID_LEAF(2));
    if ( r.a != 1 || r.b != XEN_CPUID_FIRST_LEAF ||
         !(r.c & XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD) )
        test_fail("leaf 0x40000002: %#x %#x %#x, expected 1, 0x40000000, "
                  "ecx bit 0", r.a, r.b, r.c);

    r = cpuid(max + 1);
    if ( r.a || r.b || r.c || r.d )
        test_fail("leaf %#x past the maximum: %#x %#x %#x %#x", max + 1,
                  r.a, r.b, r.c, r.d);
}

static void check_hidden(const struct hidden *h, unsigned int n,
                         const char *why)
{
    uint32_t max_basic = cpuid(0).a;
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        struct cpuid_regs r;

        if ( h[i].leaf < 0x80000000 && h[i].leaf > max_basic )
            continue;
        r = cpuid_count(h[i].leaf, 0);
        if ( reg_of(&r, h[i].reg) & BIT(h[i].bit) )
            test_fail("leaf %#x e%cx bit %u (%s) visible to PV%s",
                      h[i].leaf, h[i].reg, h[i].bit, h[i].name, why);
    }
}

static void test_hidden(void)
{
    struct cpuid_regs d;

    check_hidden(hidden, ARRAY_SIZE(hidden), "");
    if ( cpuid(1).c & BIT(26) )
        return;                     /* XSAVE offered: nothing to follow */
    check_hidden(xsave_deps, ARRAY_SIZE(xsave_deps), " without XSAVE");
    if ( cpuid(0).a >= 0xd )
    {
        d = cpuid_count(0xd, 0);
        if ( d.a || d.b || d.c || d.d )
            test_fail("leaf 0xd without XSAVE: %#x %#x %#x %#x", d.a, d.b,
                      d.c, d.d);
    }
}

static void test_visible(void)
{
    struct cpuid_regs r0 = cpuid(0), r1 = cpuid(1);
    struct cpuid_regs e = cpuid(0x80000001);

    printk("vendor \"%.4s%.4s%.4s\" max basic leaf %#x, leaf 1 ecx %#x "
           "edx %#x\n", (char *)&r0.b, (char *)&r0.d, (char *)&r0.c, r0.a,
           r1.c, r1.d);
    if ( r0.a < 1 )
        test_fail("max basic leaf %#x", r0.a);
    if ( !(r1.c & BIT(31)) )
        test_fail("leaf 1 ecx %#x: HYPERVISOR bit clear", r1.c);
    if ( (r1.c & BIT(27)) && !(r1.c & BIT(26)) )
        test_fail("leaf 1 ecx %#x: OSXSAVE without XSAVE", r1.c);
    if ( !(e.d & BIT(29)) || !(e.d & BIT(11)) )
        test_fail("leaf 0x80000001 edx %#x: LM or SYSCALL missing", e.d);
}

void test_main(void)
{
    test_xen_leaves();
    test_hidden();
    test_visible();
    test_success();
}
