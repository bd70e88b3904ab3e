/*
 * rdmsr/wrmsr from the guest kernel (ring 3), emulated by the hypervisor.
 *
 * Expected behaviour is Xen 4.17's read_msr()/write_msr()
 * (xen/arch/x86/pv/emul-priv-op.c):
 *   - FS_BASE, GS_BASE, SHADOW_GS_BASE: reads return the live bases (the
 *     shadow one is the user GS base that set_segment_base(GS_USER)
 *     sets); writes of a canonical value load it, else #GP(0);
 *   - EFER reads the host's long-mode bits (guest_efer); writing back the
 *     same value is allowed, any other value #GP(0);
 *   - APIC_BASE reads 0xfee00000 | ENABLE | BSP (vCPU 0);
 *   - PAT reads Xen's fixed 0x0000050100070406;
 *   - unknown MSRs: #GP(0) once the guest has a #GP handler (without one
 *     Xen fakes a read of 0 if the host MSR exists).
 */
#include "test.h"

const char test_title[] = "msr";

#define MSR_UNKNOWN 0x00001234

static uint64_t fs_word = 0xaaaabbbbccccddddULL;
static uint64_t gs_word = 0x1111222233334444ULL;

static bool read_ok(const char *name, uint32_t msr, uint64_t *val)
{
    if ( rdmsr_safe(msr, val) )
        return true;
    test_fail("rdmsr %s (%#x) raised #GP", name, msr);
    return false;
}

static void expect_read(const char *name, uint32_t msr, uint64_t expected)
{
    uint64_t v;

    if ( read_ok(name, msr, &v) && v != expected )
        test_fail("rdmsr %s: %#lx, expected %#lx", name, v, expected);
}

static void expect_write(const char *name, uint32_t msr, uint64_t val,
                         bool ok)
{
    if ( wrmsr_safe(msr, val) != ok )
        test_fail("wrmsr %s (%#x) = %#lx: %s", name, msr, val,
                  ok ? "raised #GP" : "no #GP");
}

static void test_fs_gs(void)
{
    uint64_t v;

    expect_write("FS_BASE", MSR_FS_BASE, GADDR(&fs_word), true);
    asm volatile ( "mov %%fs:0, %0" : "=r" (v) :: "memory" );
    if ( v != fs_word )
        test_fail("%%fs:0 after wrmsr FS_BASE: %#lx", v);
    expect_read("FS_BASE", MSR_FS_BASE, GADDR(&fs_word));
    expect_write("FS_BASE", MSR_FS_BASE, BAD_NONCANONICAL, false);
    expect_read("FS_BASE", MSR_FS_BASE, GADDR(&fs_word));
    expect_write("FS_BASE", MSR_FS_BASE, 0, true);

    expect_write("GS_BASE", MSR_GS_BASE, GADDR(&gs_word), true);
    asm volatile ( "mov %%gs:0, %0" : "=r" (v) :: "memory" );
    if ( v != gs_word )
        test_fail("%%gs:0 after wrmsr GS_BASE: %#lx", v);
    expect_read("GS_BASE", MSR_GS_BASE, GADDR(&gs_word));
    expect_write("GS_BASE", MSR_GS_BASE, 0x0000800000000000ULL, false);
    expect_write("GS_BASE", MSR_GS_BASE, 0, true);

    /* The shadow (user) base and set_segment_base(GS_USER) are one. */
    expect_write("SHADOW_GS_BASE", MSR_SHADOW_GS_BASE, 0x00007f0000001000ULL,
                 true);
    expect_read("SHADOW_GS_BASE", MSR_SHADOW_GS_BASE, 0x00007f0000001000ULL);
    CHECK_RC(HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                         0x00007f0000002000ULL), 0);
    expect_read("SHADOW_GS_BASE", MSR_SHADOW_GS_BASE, 0x00007f0000002000ULL);
    expect_write("SHADOW_GS_BASE", MSR_SHADOW_GS_BASE, BAD_NONCANONICAL,
                 false);
    expect_write("SHADOW_GS_BASE", MSR_SHADOW_GS_BASE, 0, true);
}

static void test_efer(void)
{
    uint64_t efer;

    if ( !read_ok("EFER", MSR_EFER, &efer) )
        return;
    printk("EFER %#lx\n", efer);
    if ( (efer & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA) )
        test_fail("EFER %#lx: LME/LMA clear", efer);
    expect_write("EFER (unchanged)", MSR_EFER, efer, true);
    /* A reserved bit: refused by the emulator, never reaches hardware. */
    expect_write("EFER (changed)", MSR_EFER, efer | (1ULL << 63), false);
    expect_read("EFER", MSR_EFER, efer);
}

static void test_fixed_values(void)
{
    expect_read("APIC_BASE", MSR_IA32_APIC_BASE, 0xfee00900ULL);
    expect_read("PAT", MSR_IA32_CR_PAT, 0x0000050100070406ULL);
}

static void test_unknown(void)
{
    uint64_t v;
    const struct trap_record *t;

    if ( rdmsr_safe(MSR_UNKNOWN, &v) )
        test_fail("rdmsr %#x (unknown) returned %#lx, expected #GP",
                  MSR_UNKNOWN, v);
    if ( wrmsr_safe(MSR_UNKNOWN, 0) )
        test_fail("wrmsr %#x (unknown) succeeded, expected #GP",
                  MSR_UNKNOWN);

    /* The #GP is a fault with error code 0 at the rdmsr. */
    t = ({
        uint32_t lo, hi;

        trap_expect(X86_EXC_GP);
        asm volatile ( TRAP_ASM_BEGIN "rdmsr" TRAP_ASM_END
                       : TRAP_ASM_OUTPUTS, "=a" (lo), "=d" (hi)
                       : "c" (MSR_UNKNOWN) : "memory" );
        (void)lo;
        (void)hi;
        trap_done();
    });
    if ( t && (t->error_code != 0 || t->rip != trap_expect_insn) )
        test_fail("rdmsr unknown: #GP ec %#lx rip %#lx, expected 0 at %#lx",
                  t->error_code, t->rip, trap_expect_insn);
}

void test_main(void)
{
    test_fs_gs();
    test_efer();
    test_fixed_values();
    test_unknown();
    test_success();
}
