/*
 * Small per-vCPU state hypercalls: set_segment_base, fpu_taskswitch,
 * set_debugreg/get_debugreg and vm_assist. Each validates its argument
 * and writes the vCPU's state and, since the vCPU is running, the
 * hardware register that holds it.
 */
#include <asm/current.h>
#include <asm/extable.h>
#include <asm/processor.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/lib.h>
#include <public/arch-x86_64.h>

/* Load the guest user's %gs from a selector; a bad one loads NULL. */
static void load_user_gs_selector(struct vcpu *v, uint16_t sel)
{
    sel |= 3;
    asm volatile ( "swapgs\n"
                   "1: mov %w0, %%gs\n"
                   "2: swapgs\n"
                   ".pushsection .fixup, \"ax\"\n"
                   "3: xor %k0, %k0\n"
                   "   mov %w0, %%gs\n"
                   "   jmp 2b\n"
                   ".popsection\n"
                   _ASM_EXTABLE(1b, 3b)
                   : "+r" (sel) );
    v->arch.gs_sel_user = sel;
    v->arch.gs_base_user = rdmsr(MSR_SHADOW_GS_BASE);
}

long do_set_segment_base(unsigned long which, unsigned long base,
                         unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    if ( which == SEGBASE_GS_USER_SEL )
    {
        load_user_gs_selector(v, base);
        return 0;
    }
    if ( !is_canonical(base) )
        return -EINVAL;
    switch ( which )
    {
    case SEGBASE_FS:
        v->arch.fs_base = base;
        write_fs_base(base);
        return 0;
    case SEGBASE_GS_USER:
        v->arch.gs_base_user = base;
        write_shadow_gs_base(base);
        return 0;
    case SEGBASE_GS_KERNEL:
        v->arch.gs_base_kernel = base;
        write_gs_base(base);
        return 0;
    default:
        return -EINVAL;
    }
}

long do_fpu_taskswitch(unsigned long set, unsigned long a2, unsigned long a3,
                       unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    v->arch.virt_ts = set != 0;
    if ( set )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        clts();
    return 0;
}

#define DR6_RESERVED_ONE  0xffff0ff0UL
#define DR6_RESERVED_ZERO 0x00001000UL
#define DR7_RESERVED_ONE  0x00000400UL
#define DR7_RESERVED_ZERO 0x0000d800UL
#define DR7_GD            0x00002000UL

long do_set_debugreg(unsigned long reg, unsigned long value,
                     unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    if ( reg == 4 || reg == 5 )
        reg += 2;           /* aliases of DR6/DR7 while CR4.DE is clear */
    switch ( reg )
    {
    case 0: case 1: case 2: case 3:
        if ( !guest_range_ok(value, 1) )
            return -EPERM;
        break;
    case 6:
        if ( value >> 32 )
            return -EINVAL;
        value = (value | DR6_RESERVED_ONE) & ~DR6_RESERVED_ZERO;
        break;
    case 7:
        if ( value >> 32 )
            return -EINVAL;
        value = (value | DR7_RESERVED_ONE) & ~DR7_RESERVED_ZERO;
        if ( value & DR7_GD )
            return -EPERM;
        /* I/O breakpoints need CR4.DE, which a PV guest cannot set. */
        for ( unsigned int i = 0; i < 4; i++ )
            if ( ((value >> (16 + 4 * i)) & 3) == 2 )
                return -EPERM;
        break;
    default:
        return -ENODEV;
    }
    v->arch.debugreg[reg] = value;
    write_debugreg(reg, value);
    return 0;
}

long do_get_debugreg(unsigned long reg, unsigned long a2, unsigned long a3,
                     unsigned long a4, unsigned long a5)
{
    if ( reg == 4 || reg == 5 )
        reg += 2;
    if ( reg > 7 )
        return -ENODEV;
    return current->arch.debugreg[reg];
}

#define VM_ASSIST_VALID ((1UL << VMASST_TYPE_4gb_segments) |                  \
                         (1UL << VMASST_TYPE_4gb_segments_notify) |           \
                         (1UL << VMASST_TYPE_writable_pagetables) |           \
                         (1UL << VMASST_TYPE_pae_extended_cr3) |              \
                         (1UL << VMASST_TYPE_architectural_iopl) |            \
                         (1UL << VMASST_TYPE_runstate_update_flag) |          \
                         (1UL << VMASST_TYPE_m2p_strict))

long do_vm_assist(unsigned long cmd, unsigned long type, unsigned long a3,
                  unsigned long a4, unsigned long a5)
{
    struct domain *d = current->domain;

    if ( type >= 64 || !((VM_ASSIST_VALID >> type) & 1) )
        return -EINVAL;
    switch ( cmd )
    {
    case VMASST_CMD_enable:
        d->arch.vm_assist |= 1UL << type;
        return 0;
    case VMASST_CMD_disable:
        d->arch.vm_assist &= ~(1UL << type);
        return 0;
    default:
        return -ENOSYS;
    }
}
