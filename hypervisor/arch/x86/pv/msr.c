/*
 * The MSR policy of a PV guest, used when its kernel executes RDMSR or
 * WRMSR (which fault in ring 3).
 *
 *   FS_BASE, GS_BASE, SHADOW_GS_BASE  read/write the vCPU's bases, as
 *                                     set_segment_base does
 *   EFER                              read: LME|LMA|SCE|NXE as the host;
 *                                     write: only the same value
 *   APIC_BASE                         read: default base, enabled, BSP
 *                                     on vCPU 0
 *   PAT                               read: the PAT the hypervisor uses;
 *                                     write: only the same value
 *   MISC_ENABLE                       read: BTS/PEBS unavailable;
 *                                     write: only the same value
 *   everything else                   #GP, as Xen 4.17 does by default
 *
 * Returns 0, or -1 meaning "inject #GP(0)".
 */
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <mica/hypercall.h>
#include <public/arch-x86_64.h>

#define HYPERVISOR_PAT 0x0000050100070406UL
#define MISC_ENABLE_VALUE 0x1800UL  /* BTS and PEBS unavailable */

static uint64_t guest_efer(void)
{
    return rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
}

int pv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch ( msr )
    {
    case MSR_FS_BASE:
        *val = v->arch.fs_base;
        return 0;
    case MSR_GS_BASE:
        *val = v->arch.kernel_mode ? v->arch.gs_base_kernel
                                   : v->arch.gs_base_user;
        return 0;
    case MSR_SHADOW_GS_BASE:
        *val = v->arch.kernel_mode ? v->arch.gs_base_user
                                   : v->arch.gs_base_kernel;
        return 0;
    case MSR_EFER:
        *val = guest_efer();
        return 0;
    case MSR_IA32_PAT:
        *val = HYPERVISOR_PAT;
        return 0;
    case MSR_IA32_APIC_BASE:
        *val = 0xfee00000UL | (1UL << 11) | (v->vcpu_id ? 0 : 1UL << 8);
        return 0;
    case MSR_IA32_MISC_ENABLE:
        *val = MISC_ENABLE_VALUE;
        return 0;
    default:
        return -1;
    }
}

/* Only the guest kernel executes emulated WRMSR (see emulate.c). */
int pv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch ( msr )
    {
    case MSR_FS_BASE:
        return do_set_segment_base(SEGBASE_FS, val, 0, 0, 0) ? -1 : 0;
    case MSR_GS_BASE:
        return do_set_segment_base(SEGBASE_GS_KERNEL, val, 0, 0, 0) ? -1 : 0;
    case MSR_SHADOW_GS_BASE:
        return do_set_segment_base(SEGBASE_GS_USER, val, 0, 0, 0) ? -1 : 0;
    case MSR_EFER:
        return val == guest_efer() ? 0 : -1;
    case MSR_IA32_PAT:
        return val == HYPERVISOR_PAT ? 0 : -1;
    case MSR_IA32_MISC_ENABLE:
        return val == MISC_ENABLE_VALUE ? 0 : -1;
    default:
        return -1;
    }
}
