/*
 * The CPUID policy of a PV guest: the host's leaves with everything a PV
 * guest cannot use taken out, plus Xen's hypervisor leaves at 0x40000000.
 *
 * Large pages (PSE, PSE36, PAGE1GB) and global pages (PGE) must be hidden
 * or Linux builds mappings the PV MMU refuses. Features that need ring-0
 * control or hardware we do not virtualise (VME, VMX/SVM, MONITOR, MTRR,
 * APIC, x2APIC, TSC deadline, PCID/INVPCID, SMEP/SMAP/UMIP/PKU, LA57,
 * debug store, RDTSCP, CET) are hidden too, as is everything Xen's
 * cpufeatureset.h leaves unannotated (not for any guest).
 *
 * XSAVE is hidden: the hypervisor keeps CR4.OSXSAVE clear and switches
 * FPU state with FXSAVE (context.c), so a guest must not use XSETBV or
 * AVX state. Everything Xen's gen-cpuid.py makes depend on XSAVE goes
 * with it: AVX and, through it, FMA, F16C, AVX2, FMA4, XOP, every
 * AVX-512 and AMX feature, VAES, VPCLMULQDQ, LWP, and leaf 0xd. Linux
 * then uses FXSAVE for its tasks (xen_init_capabilities clears XSAVE and
 * OSXSAVE unless both are set). Bit 31 of leaf 1 ECX says "hypervisor".
 */
#include <asm/processor.h>
#include <asm/pv.h>
#include <mica/lib.h>
#include <public/cpuid.h>

#define BIT(n) (1u << (n))

#define LEAF1_ECX_HIDE (BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) |        \
                        BIT(7) | BIT(8) | BIT(12) | BIT(14) | BIT(15) |      \
                        BIT(17) | BIT(18) | BIT(21) | BIT(24) | BIT(26) |    \
                        BIT(27) | BIT(28) | BIT(29))
#define LEAF1_EDX_HIDE (BIT(1) | BIT(3) | BIT(7) | BIT(9) | BIT(12) |       \
                        BIT(13) | BIT(14) | BIT(17) | BIT(21) | BIT(22) |    \
                        BIT(29) | BIT(31))
#define LEAF7_EBX_HIDE (BIT(0) | BIT(1) | BIT(2) | BIT(5) | BIT(7) |        \
                        BIT(10) | BIT(12) | BIT(14) | BIT(15) | BIT(16) |    \
                        BIT(17) | BIT(20) | BIT(21) | BIT(25) | BIT(26) |    \
                        BIT(27) | BIT(28) | BIT(30) | BIT(31))
#define LEAF7_ECX_HIDE (BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) |        \
                        BIT(6) | BIT(7) | BIT(9) | BIT(10) | BIT(11) |       \
                        BIT(12) | BIT(14) | BIT(16) | BIT(29))
#define LEAF7_EDX_HIDE (BIT(2) | BIT(3) | BIT(8) | BIT(20) | BIT(22) |      \
                        BIT(23) | BIT(24) | BIT(25))
#define EXT1_ECX_HIDE  (BIT(2) | BIT(3) | BIT(9) | BIT(10) | BIT(11) |      \
                        BIT(12) | BIT(13) | BIT(15) | BIT(16) | BIT(19) |    \
                        BIT(22) | BIT(29))
#define EXT1_EDX_HIDE  (BIT(26) | BIT(27))

#define XEN_VERSION_MAJOR 4
#define XEN_VERSION_MINOR 17

static void hypervisor_leaf(uint32_t leaf, uint32_t res[4])
{
    uint32_t a, b, c, d;

    switch ( leaf - XEN_CPUID_FIRST_LEAF )
    {
    case 0:
        res[0] = XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES;
        res[1] = XEN_CPUID_SIGNATURE_EBX;
        res[2] = XEN_CPUID_SIGNATURE_ECX;
        res[3] = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        res[0] = (XEN_VERSION_MAJOR << 16) | XEN_VERSION_MINOR;
        break;
    case 2:
        res[0] = 1;                          /* hypercall pages */
        res[1] = 0x40000000;                 /* MSR to place them (HVM) */
        res[2] = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
        break;
    case 5:
        cpuid_count(0x80000008, 0, &a, &b, &c, &d);
        res[1] = a & XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK;
        break;
    }
}

void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t sub,
              uint32_t res[4])
{
    uint32_t max;

    memset(res, 0, 4 * sizeof(uint32_t));
    if ( leaf >= XEN_CPUID_FIRST_LEAF &&
         leaf <= XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES )
    {
        hypervisor_leaf(leaf, res);
        return;
    }
    cpuid_count(leaf & 0x80000000, 0, &max, &res[1], &res[2], &res[3]);
    memset(res, 0, 4 * sizeof(uint32_t));
    if ( leaf > max || (leaf >= 0x40000000 && leaf < 0x80000000) )
        return;
    cpuid_count(leaf, sub, &res[0], &res[1], &res[2], &res[3]);
    switch ( leaf )
    {
    case 0:
        res[0] = MIN(res[0], 0xdu);
        break;
    case 1:
        res[1] = (res[1] & 0x00ffffff) | (v->vcpu_id << 24);
        res[2] = (res[2] & ~LEAF1_ECX_HIDE) | BIT(31);
        res[3] &= ~LEAF1_EDX_HIDE;
        break;
    case 7:
        if ( sub == 0 )
        {
            res[0] = 0;
            res[1] &= ~LEAF7_EBX_HIDE;
            res[2] &= ~LEAF7_ECX_HIDE;
            res[3] &= ~LEAF7_EDX_HIDE;
        }
        else
            memset(res, 0, 4 * sizeof(uint32_t));
        break;
    case 0xd:
        memset(res, 0, 4 * sizeof(uint32_t));   /* no XSAVE yet */
        break;
    case 0x80000001:
        res[2] &= ~EXT1_ECX_HIDE;
        res[3] &= ~EXT1_EDX_HIDE;
        break;
    }
}
