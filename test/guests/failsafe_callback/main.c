/*
 * The failsafe callback: a data selector that no longer loads when the
 * vCPU is switched back in is replaced by NULL and reported to the guest,
 * as Xen 4.17's load_segments (xen/arch/x86/domain.c) does: a frame of
 * RCX, R11, DS, ES, FS, GS, RIP, CS, RFLAGS, RSP, SS on the kernel stack,
 * the selectors being the ones the guest had, CS with RPL 0 for kernel
 * context, then the failsafe address with events masked if it was
 * registered with CALLBACKF_mask_events.
 *
 * dom0 builds a GDT with a ring-3 data descriptor at entry 1, loads %ds
 * with it, marks the descriptor not present (update_descriptor), and
 * yields to d1, which only yields back: reloading %ds faults.
 */
#include "test.h"

const char test_title[] = "failsafe_callback";

#define DATA_SEL   ((1 << 3) | 3)
#define DATA_DESC  0x00cff2000000ffffULL    /* flat, RW, DPL 3, present */
#define NP_DESC    (DATA_DESC & ~(1ULL << 47))

static uint64_t gdt[512] __page_aligned_bss;

uint64_t fs_frame[11];
volatile unsigned int fs_hits;
volatile uint8_t fs_mask;       /* evtchn_upcall_mask inside the callback */
uint8_t *fs_mask_ptr;

/*
 * Copy the frame aside without disturbing any register, then return to
 * the interrupted code through HYPERVISOR_iret as Linux does: pop RCX and
 * R11, drop the selectors, push an iret_context {rax, r11, rcx, flags}.
 */
asm ( ".pushsection .text\n"
      ".globl failsafe_stub\n"
      "failsafe_stub:\n"
      "  push %rax\n"
      "  .irp i, 0,1,2,3,4,5,6,7,8,9,10\n"
      "  mov 8+8*\\i(%rsp), %rax\n"
      "  mov %rax, fs_frame+8*\\i(%rip)\n"
      "  .endr\n"
      "  mov fs_mask_ptr(%rip), %rax\n"
      "  movb (%rax), %al\n"
      "  movb %al, fs_mask(%rip)\n"
      "  incl fs_hits(%rip)\n"
      "  pop %rax\n"
      "  pop %rcx\n"
      "  pop %r11\n"
      "  add $32, %rsp\n"
      "  pushq $0\n"
      "  push %rcx\n"
      "  push %r11\n"
      "  push %rax\n"
      "  mov $23, %eax\n"
      "  syscall\n"
      "  ud2\n"
      ".popsection\n" );
extern const char failsafe_stub[];

static uint16_t read_ds(void)
{
    uint16_t s;

    asm volatile ( "mov %%ds, %0" : "=r" (s) );
    return s;
}

static bool install_gdt(void)
{
    uint64_t frames[1] = { virt_to_mfn(gdt) };

    gdt[1] = DATA_DESC;
    if ( !CHECK_RC(HYPERVISOR_update_va_mapping(GADDR(gdt),
                                                virt_to_maddr(gdt) | 0x21,
                                                UVMF_INVLPG | UVMF_LOCAL), 0) )
        return false;
    return CHECK_RC(hypercall2(__HYPERVISOR_set_gdt, GADDR(frames), 512), 0);
}

static void dom0_main(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = GADDR(failsafe_stub),
    };
    uint16_t es, fs, gs;

    if ( !map_shared_info() || !install_gdt() )
        return;
    fs_mask_ptr = &vcpu0_info()->evtchn_upcall_mask;
    vcpu0_info()->evtchn_upcall_mask = 0;
    if ( !CHECK_RC(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0) )
        return;
    asm volatile ( "mov %w0, %%ds" :: "r" (DATA_SEL) );
    asm volatile ( "mov %%es, %0; mov %%fs, %1; mov %%gs, %2"
                   : "=r" (es), "=r" (fs), "=r" (gs) );
    CHECK_RC(HYPERVISOR_update_descriptor(virt_to_maddr(&gdt[1]), NP_DESC),
             0);
    if ( read_ds() != DATA_SEL )
        test_fail("%%ds changed before the switch");

    for ( unsigned int i = 0; i < 100 && !fs_hits; i++ )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    vcpu0_info()->evtchn_upcall_mask = 1;

    if ( fs_hits != 1 )
    {
        test_fail("failsafe callback ran %u times, expected once", fs_hits);
        return;
    }
    if ( fs_frame[2] != DATA_SEL || fs_frame[3] != es ||
         fs_frame[4] != fs || fs_frame[5] != gs )
        test_fail("frame selectors %#lx %#lx %#lx %#lx, expected %#x %#x "
                  "%#x %#x", fs_frame[2], fs_frame[3], fs_frame[4],
                  fs_frame[5], DATA_SEL, es, fs, gs);
    if ( (fs_frame[7] & 0xffff) != (FLAT_KERNEL_CS & ~3) )
        test_fail("frame CS %#lx, expected %#x (RPL 0: kernel context)",
                  fs_frame[7], FLAT_KERNEL_CS & ~3);
    if ( !(fs_frame[8] & (1 << 9)) )
        test_fail("frame RFLAGS %#lx: IF clear though events were on",
                  fs_frame[8]);
    if ( fs_mask != 1 )
        test_fail("events not masked in a CALLBACKF_mask_events callback");
    if ( read_ds() != 0 )
        test_fail("%%ds is %#x after the callback, expected NULL", read_ds());
    test_success();
}

void test_main(void)
{
    /* No multi_init here (my_domid stays 0): the role says who we are. */
    if ( !cmdline_has("role=yield") )
        dom0_main();
    else
        for ( ;; )
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}
