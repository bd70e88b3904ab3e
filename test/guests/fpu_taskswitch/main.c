/*
 * fpu_taskswitch and the virtual CR0.TS.
 *
 * Expected behaviour (Xen 4.17):
 *   - do_fpu_taskswitch() (xen/arch/x86/pv/misc-hypercalls.c) sets or
 *     clears the virtual CR0.TS and always returns 0;
 *   - with TS set, the next FPU instruction raises #NM; Xen clears the
 *     virtual TS as it delivers it (do_device_not_available,
 *     xen/arch/x86/traps.c), so a retry runs without a second #NM;
 *   - reading CR0 (emulated, read_cr in xen/arch/x86/pv/emul-priv-op.c)
 *     shows the virtual TS; clts and a CR0 write that changes only TS
 *     are emulated as fpu_taskswitch (write_cr); a CR0 write that changes
 *     any other bit raises #GP.
 */
#include "test.h"

const char test_title[] = "fpu_taskswitch";

static const struct trap_record *fpu_insn(void)
{
    return expect_trap_insn(X86_EXC_NM, "fninit");
}

/* Virtual CR0.TS as the emulated `mov %cr0` shows it: 1, 0, or -1. */
static int cr0_ts(void)
{
    uint64_t cr0;

    if ( !read_cr_safe(0, &cr0) )
    {
        test_fail("mov from CR0 raised #GP (Xen emulates it)");
        return -1;
    }
    return !!(cr0 & X86_CR0_TS);
}

static void test_nm(void)
{
    const struct trap_record *t;

    CHECK_RC(HYPERVISOR_fpu_taskswitch(0), 0);
    if ( fpu_insn() )
        test_fail("#NM with TS clear");

    CHECK_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    t = fpu_insn();
    if ( !t )
        test_fail("no #NM after fpu_taskswitch(1)");
    else if ( t->rip != trap_expect_insn || t->error_code != 0 )
        test_fail("#NM at %#lx ec %#lx, expected %#lx ec 0", t->rip,
                  t->error_code, trap_expect_insn);

    /* Delivery cleared the virtual TS. */
    if ( fpu_insn() )
        test_fail("second #NM: delivery did not clear TS");

    /* Any non-zero argument sets. */
    CHECK_RC(HYPERVISOR_fpu_taskswitch(2), 0);
    if ( !fpu_insn() )
        test_fail("no #NM after fpu_taskswitch(2)");
    CHECK_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    CHECK_RC(HYPERVISOR_fpu_taskswitch(0), 0);
    if ( fpu_insn() )
        test_fail("#NM after fpu_taskswitch(0)");
}

static void test_cr0_view(void)
{
    CHECK_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    if ( cr0_ts() == 0 )
        test_fail("CR0.TS reads 0 after fpu_taskswitch(1)");
    if ( !fpu_insn() )
        test_fail("no #NM after fpu_taskswitch(1)");
    if ( cr0_ts() == 1 )
        test_fail("CR0.TS reads 1 after #NM delivery");
}

static void test_clts(void)
{
    CHECK_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    if ( !clts_safe() )
    {
        test_fail("clts raised #GP (Xen emulates it)");
        CHECK_RC(HYPERVISOR_fpu_taskswitch(0), 0);
        return;
    }
    if ( fpu_insn() )
        test_fail("#NM after clts");
}

static void test_cr0_write(void)
{
    uint64_t cr0;
    const struct trap_record *t;

    if ( !read_cr_safe(0, &cr0) )
        return;                         /* reported by test_cr0_view */
    cr0 &= ~X86_CR0_TS;

    if ( !write_cr0_safe(cr0 | X86_CR0_TS) )
        test_fail("CR0 write setting TS raised #GP");
    else if ( !fpu_insn() )
        test_fail("no #NM after writing CR0.TS");

    CHECK_RC(HYPERVISOR_fpu_taskswitch(1), 0);
    if ( !write_cr0_safe(cr0) )
        test_fail("CR0 write clearing TS raised #GP");
    else if ( fpu_insn() )
        test_fail("#NM after clearing CR0.TS by a CR0 write");

    trap_expect(X86_EXC_GP);
    asm volatile ( TRAP_ASM_BEGIN "mov %[v], %%cr0" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS : [v] "r" (cr0 ^ X86_CR0_CD)
                   : "memory" );
    t = trap_done();
    if ( !t )
        test_fail("CR0 write changing CD: no #GP");
    else if ( t->error_code != 0 || t->rip != trap_expect_insn )
        test_fail("CR0 write changing CD: #GP ec %#lx rip %#lx",
                  t->error_code, t->rip);
    CHECK_RC(HYPERVISOR_fpu_taskswitch(0), 0);
}

void test_main(void)
{
    test_nm();
    test_cr0_view();
    test_clts();
    test_cr0_write();
    test_success();
}
