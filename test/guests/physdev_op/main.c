/*
 * physdev_op and the port I/O it unlocks, as Xen 4.17 does it
 * (do_physdev_op in xen/arch/x86/physdev.c; guest_io_okay and
 * guest_io_read/write in xen/arch/x86/pv/emul-priv-op.c):
 *   - set_iopl: iopl > 3 is -EINVAL, an unreadable argument -EFAULT;
 *   - with virtual IOPL 0 the kernel's IN/OUT raise #GP(0); with IOPL >= 1
 *     (the kernel counts as ring 1), or IOPL 0 under
 *     VMASST_TYPE_architectural_iopl (ring 0), they are emulated;
 *   - no port belongs to the domain: reads give all ones, writes vanish,
 *     except a dword at 0xcf8, which is latched and reads back;
 *   - set_iobitmap: a clear bit allows its port within nr_ports; a bitmap
 *     outside guest space or nr_ports > 65536 is -EINVAL;
 *   - CLI and STI follow the same IOPL: #GP(0) without it, no-ops with
 *     it (the virtual interrupt flag is the event mask, untouched);
 *   - irq_status_query and eoi: -EINVAL (no pirqs); map_pirq: -ENOSYS
 *     here (Mica passes no hardware through);
 *   - pirq_eoi_gmfn_v2/v1: an unreadable argument is -EFAULT; a frame
 *     that is not ours or cannot be writable (our L4) -EINVAL, checked
 *     before a second registration's -EBUSY; one of our pages: 0, once.
 */
#include "test.h"

const char test_title[] = "physdev_op";

static uint8_t iobitmap[8192] __attribute__((aligned(4096)));
static uint8_t eoi_page[4096] __attribute__((aligned(4096)));

static long set_iopl(uint32_t iopl)
{
    struct physdev_set_iopl op = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &op);
}

/* inb $0x80: the value, or -1 if it raised #GP. */
static long inb_80(void)
{
    uint64_t rax = 0x1122334455667788ULL;
    const struct trap_record *t;

    trap_expect(X86_EXC_GP);
    asm volatile ( TRAP_ASM_BEGIN "inb $0x80, %%al" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS, "+a" (rax) :: "memory" );
    t = trap_done();
    if ( t )
    {
        if ( t->error_code != 0 )
            test_fail("inb #GP error code %#lx", t->error_code);
        return -1;
    }
    if ( (rax & ~0xffULL) != 0x1122334455667700ULL )
        test_fail("inb changed more than AL: %#lx", rax);
    return rax & 0xff;
}

static long inb_dx(uint16_t port)
{
    uint64_t rax = 0;

    trap_expect(X86_EXC_GP);
    asm volatile ( TRAP_ASM_BEGIN "inb %%dx, %%al" TRAP_ASM_END
                   : TRAP_ASM_OUTPUTS, "+a" (rax) : "d" (port) : "memory" );
    return trap_done() ? -1 : (long)rax;
}

/* cli or sti: true if it ran, false if it raised #GP(0). */
static bool cli_sti(bool cli)
{
    const struct trap_record *t = cli ? expect_trap_insn(X86_EXC_GP, "cli")
                                      : expect_trap_insn(X86_EXC_GP, "sti");

    if ( t && t->error_code != 0 )
        test_fail("%s #GP error code %#lx", cli ? "cli" : "sti",
                  t->error_code);
    return !t;
}

static void test_cli_sti(bool allowed)
{
    uint8_t mask = vcpu0_info()->evtchn_upcall_mask;

    if ( cli_sti(true) != allowed )
        test_fail("cli with IOPL %s: %s", allowed ? "1" : "0",
                  allowed ? "#GP" : "no #GP");
    if ( cli_sti(false) != allowed )
        test_fail("sti with IOPL %s: %s", allowed ? "1" : "0",
                  allowed ? "#GP" : "no #GP");
    if ( vcpu0_info()->evtchn_upcall_mask != mask )
        test_fail("cli/sti changed the event mask");
}

static void test_set_iopl_errors(void)
{
    CHECK_RC(set_iopl(4), -XEN_EINVAL);
    CHECK_RC(set_iopl(0xffffffffu), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl,
                                   (void *)BAD_UNMAPPED), -XEN_EFAULT);
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl,
                                   (void *)BAD_HYPERVISOR), -XEN_EFAULT);
}

static void test_ports_with_iopl(void)
{
    uint64_t rax = 0xdeadbeef00000000ULL;
    uint16_t w = 0;

    asm volatile ( "inl %%dx, %%eax" : "+a" (rax) : "d" (0x3f8) );
    if ( rax != 0xffffffffULL )
        test_fail("inl 0x3f8: %#lx, expected 0xffffffff zero-extended", rax);
    asm volatile ( "inw %%dx, %%ax" : "+a" (w) : "d" (0x60) );
    if ( w != 0xffff )
        test_fail("inw 0x60: %#x", w);
    asm volatile ( "outb %%al, $0x80" :: "a" (0x55) );
    if ( inb_80() != 0xff )
        test_fail("a write to port 0x80 read back");

    /* The PCI address latch: a dword reads back, other sizes do not. */
    asm volatile ( "outl %%eax, %%dx" :: "a" (0x80001234u), "d" (0xcf8) );
    asm volatile ( "inl %%dx, %%eax" : "=a" (rax) : "d" (0xcf8) );
    if ( rax != 0x80001234u )
        test_fail("inl 0xcf8 after outl: %#lx", rax);
    asm volatile ( "inw %%dx, %%ax" : "=a" (w) : "d" (0xcf8) );
    if ( w != 0xffff )
        test_fail("inw 0xcf8: %#x, the latch is dword-only", w);
    asm volatile ( "inl %%dx, %%eax" : "=a" (rax) : "d" (0xcfc) );
    if ( rax != 0xffffffffu )
        test_fail("inl 0xcfc: %#lx, no device should answer", rax);
    asm volatile ( "outl %%eax, %%dx" :: "a" (0), "d" (0xcf8) );
}

static void test_iobitmap(void)
{
    struct physdev_set_iobitmap op = { .bitmap = GADDR(iobitmap),
                                       .nr_ports = 0x100 };

    memset(iobitmap, 0xff, sizeof(iobitmap));
    iobitmap[0x80 / 8] &= ~1;               /* port 0x80 only */
    iobitmap[0x200 / 8] = 0;                /* beyond nr_ports */
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &op), 0);
    if ( inb_80() != 0xff )
        test_fail("port 0x80 allowed by the bitmap: #GP");
    if ( inb_dx(0x81) != -1 )
        test_fail("port 0x81 denied by the bitmap: no #GP");
    if ( inb_dx(0x200) != -1 )
        test_fail("port 0x200 beyond nr_ports: no #GP");

    op.nr_ports = 65537;
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &op),
             -XEN_EINVAL);
    op.nr_ports = 0;
    op.bitmap = BAD_HYPERVISOR;
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &op),
             -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap,
                                   (void *)BAD_UNMAPPED), -XEN_EFAULT);
    op.bitmap = GADDR(iobitmap);
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &op), 0);
    if ( inb_80() != -1 )
        test_fail("nr_ports 0: port 0x80 still allowed");
}

static void test_pirqs(void)
{
    struct physdev_irq_status_query q = { .irq = 0 };
    struct physdev_eoi eoi = { .irq = 0 };

    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q),
             -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &eoi), -XEN_EINVAL);
    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_eoi, (void *)BAD_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC(HYPERVISOR_physdev_op(13 /* map_pirq */, &q), -XEN_ENOSYS);
}

static long eoi_gmfn(int cmd, uint64_t gmfn)
{
    struct physdev_pirq_eoi_gmfn op = { .gmfn = gmfn };

    return HYPERVISOR_physdev_op(cmd, &op);
}

static void test_pirq_eoi_gmfn(void)
{
    uint64_t l4 = virt_to_mfn((void *)start_info->pt_base);

    CHECK_RC(HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2,
                                   (void *)BAD_UNMAPPED), -XEN_EFAULT);
    CHECK_RC(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, 0xfffffffffULL),
             -XEN_EINVAL);
    CHECK_RC(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, l4), -XEN_EINVAL);
    CHECK_RC(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, virt_to_mfn(eoi_page)), 0);
    CHECK_RC(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v2, virt_to_mfn(iobitmap)),
             -XEN_EBUSY);
    CHECK_RC(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v1, virt_to_mfn(eoi_page)),
             -XEN_EBUSY);
    CHECK_RC(eoi_gmfn(PHYSDEVOP_pirq_eoi_gmfn_v1, l4), -XEN_EINVAL);
}

void test_main(void)
{
    if ( !map_shared_info() )
        return;
    test_set_iopl_errors();
    if ( inb_80() != -1 )
        test_fail("inb with virtual IOPL 0: no #GP");
    test_cli_sti(false);

    CHECK_RC(set_iopl(1), 0);
    if ( inb_80() != 0xff )
        test_fail("inb with virtual IOPL 1: not emulated as 0xff");
    test_ports_with_iopl();
    test_cli_sti(true);

    CHECK_RC(set_iopl(0), 0);
    if ( inb_80() != -1 )
        test_fail("inb after set_iopl(0): no #GP");
    CHECK_RC(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                  VMASST_TYPE_architectural_iopl), 0);
    if ( inb_80() != 0xff )
        test_fail("architectural_iopl: the kernel is ring 0, IOPL 0 admits it");
    CHECK_RC(HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                  VMASST_TYPE_architectural_iopl), 0);

    test_iobitmap();
    test_pirqs();
    test_pirq_eoi_gmfn();
    test_success();
}
