/*
 * Core of the PV guest ABI: hypercall numbers, the start-of-day structures
 * (start_info, shared_info, vcpu_info) and the arguments of the memory,
 * multicall, vm_assist and console hypercalls.
 *
 * Hypercall convention (64-bit): RAX = number, arguments in RDI, RSI, RDX,
 * R10, R8; the result comes back in RAX, a negative XEN_E* on failure.
 * Guest pointers ("handles") are plain guest virtual addresses in uint64_t.
 */
#ifndef MICA_PUBLIC_XEN_H
#define MICA_PUBLIC_XEN_H

#include <stdint.h>
#include "abi-check.h"
#include "arch-x86_64.h"

#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42
#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55

/* The hypercall page holds this many 32-byte stubs, one per number. */
#define HYPERCALL_PAGE_STUBS     128
#define HYPERCALL_STUB_SIZE      32

/* Virtual interrupts, bound with EVTCHNOP_bind_virq. */
#define VIRQ_TIMER       0
#define VIRQ_DEBUG       1
#define VIRQ_CONSOLE     2
#define VIRQ_DOM_EXC     3
#define VIRQ_TBUF        4
#define VIRQ_DEBUGGER    6
#define VIRQ_XENOPROF    7
#define VIRQ_CON_RING    8
#define VIRQ_PCPU_STATE  9
#define VIRQ_MEM_EVENT  10
#define VIRQ_ARGO       11
#define VIRQ_ENOMEM     12
#define VIRQ_XENPMU     13
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/*
 * HYPERVISOR_mmu_update(reqs, count, done, foreigndom).  The low two bits
 * of mmu_update.ptr select the command; the rest is a machine address.
 */
#define MMU_NORMAL_PT_UPDATE        0
#define MMU_MACHPHYS_UPDATE         1
#define MMU_PT_UPDATE_PRESERVE_AD   2
#define MMU_PT_UPDATE_NO_TRANSLATE  3

/*
 * Set in the count of a batch (mmu_update, mmuext_op) that the hypervisor
 * preempted and the guest re-issues; *done then holds the progress so far.
 */
#define MMU_UPDATE_PREEMPTED        (~(~0U >> 1))

struct mmu_update {
    uint64_t ptr;
    uint64_t val;
};
typedef struct mmu_update mmu_update_t;
MICA_ABI_SIZE(struct mmu_update, 16);

/* HYPERVISOR_mmuext_op(ops, count, done, foreigndom) commands. */
#define MMUEXT_PIN_L1_TABLE        0
#define MMUEXT_PIN_L2_TABLE        1
#define MMUEXT_PIN_L3_TABLE        2
#define MMUEXT_PIN_L4_TABLE        3
#define MMUEXT_UNPIN_TABLE         4
#define MMUEXT_NEW_BASEPTR         5
#define MMUEXT_TLB_FLUSH_LOCAL     6
#define MMUEXT_INVLPG_LOCAL        7
#define MMUEXT_TLB_FLUSH_MULTI     8
#define MMUEXT_INVLPG_MULTI        9
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13
#define MMUEXT_NEW_USER_BASEPTR   15
#define MMUEXT_CLEAR_PAGE         16
#define MMUEXT_COPY_PAGE          17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

/*
 * arg1 is a machine frame (pins, baseptrs, page ops) or a linear address
 * (invlpg, SET_LDT); arg2 is an entry count (SET_LDT), the guest address of
 * a vCPU bitmap (the *_MULTI flushes) or a source frame (COPY_PAGE).
 */
struct mmuext_op {
    uint32_t cmd;
    uint32_t _pad0;
    union {
        xen_pfn_t mfn;
        uint64_t linear_addr;
    } arg1;
    union {
        uint32_t nr_ents;
        uint64_t vcpumask;
        xen_pfn_t src_mfn;
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
MICA_ABI_SIZE(struct mmuext_op, 24);
MICA_ABI_OFFSET(struct mmuext_op, arg1, 8);
MICA_ABI_OFFSET(struct mmuext_op, arg2, 16);

/* HYPERVISOR_update_va_mapping flags. */
#define UVMF_NONE           0x0ULL
#define UVMF_TLB_FLUSH      0x1ULL
#define UVMF_INVLPG         0x2ULL
#define UVMF_FLUSHTYPE_MASK 0x3ULL
#define UVMF_MULTI          0x0ULL  /* otherwise: guest address of a bitmap */
#define UVMF_LOCAL          0x0ULL
#define UVMF_ALL            0x4ULL

/* HYPERVISOR_console_io(cmd, count, buffer). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* HYPERVISOR_vm_assist(cmd, type). */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0
#define VMASST_TYPE_4gb_segments_notify  1
#define VMASST_TYPE_writable_pagetables  2
#define VMASST_TYPE_pae_extended_cr3     3
#define VMASST_TYPE_architectural_iopl   4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict           32

/* Reserved domain identifiers. */
typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED 0x7ff0U
#define DOMID_SELF           0x7ff0U
#define DOMID_IO             0x7ff1U
#define DOMID_XEN            0x7ff2U
#define DOMID_COW            0x7ff3U
#define DOMID_INVALID        0x7ff4U
#define DOMID_IDLE           0x7fffU
#define DOMID_MASK           0x7fffU

/*
 * One call in a HYPERVISOR_multicall batch.  The hypervisor stores each
 * call's return value in result; the multicall itself returns 0.
 */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
MICA_ABI_SIZE(struct multicall_entry, 64);
MICA_ABI_OFFSET(struct multicall_entry, result, 8);
MICA_ABI_OFFSET(struct multicall_entry, args, 16);

/* Two-level event channels: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)
#define NR_EVENT_CHANNELS     EVTCHN_2L_NR_CHANNELS

/*
 * PV clock: system_time(now) = system_time +
 *     ((tsc - tsc_timestamp) shifted by tsc_shift) * tsc_to_system_mul >> 32.
 * version is odd while the hypervisor updates the record.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
MICA_ABI_SIZE(struct vcpu_time_info, 32);
MICA_ABI_OFFSET(struct vcpu_time_info, tsc_timestamp, 8);
MICA_ABI_OFFSET(struct vcpu_time_info, system_time, 16);
MICA_ABI_OFFSET(struct vcpu_time_info, tsc_to_system_mul, 24);
MICA_ABI_OFFSET(struct vcpu_time_info, tsc_shift, 28);
MICA_ABI_OFFSET(struct vcpu_time_info, flags, 29);

#define XEN_PVCLOCK_TSC_STABLE_BIT (1U << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1U << 1)

/*
 * Per-vCPU event state.  evtchn_upcall_mask is the virtual interrupt flag
 * (1 = events masked); evtchn_pending_sel has one bit per word of
 * shared_info.evtchn_pending that may hold pending ports.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad0[6];
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;
MICA_ABI_SIZE(struct vcpu_info, 64);
MICA_ABI_OFFSET(struct vcpu_info, evtchn_upcall_mask, 1);
MICA_ABI_OFFSET(struct vcpu_info, evtchn_pending_sel, 8);
MICA_ABI_OFFSET(struct vcpu_info, arch, 16);
MICA_ABI_OFFSET(struct vcpu_info, time, 32);

/* The page the hypervisor shares with each domain. */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
MICA_ABI_SIZE(struct shared_info, 3136);
MICA_ABI_OFFSET(struct shared_info, evtchn_pending, 0x800);
MICA_ABI_OFFSET(struct shared_info, evtchn_mask, 0xa00);
MICA_ABI_OFFSET(struct shared_info, wc_version, 0xc00);
MICA_ABI_OFFSET(struct shared_info, wc_sec_hi, 0xc0c);
MICA_ABI_OFFSET(struct shared_info, arch, 0xc10);

/*
 * start_info: the page the domain builder leaves for the kernel, whose
 * virtual address arrives in RSI.  shared_info is a machine address,
 * store_mfn and console.domU.mfn are machine frames, pt_base, mfn_list and
 * mod_start (unless SIF_MOD_START_PFN) are virtual addresses.
 */
#define MAX_GUEST_CMDLINE 1024

struct start_info {
    char magic[32];             /* "xen-3.0-x86_64" */
    uint64_t nr_pages;
    uint64_t shared_info;
    uint32_t flags;             /* SIF_* */
    uint32_t _pad0;
    xen_pfn_t store_mfn;
    uint32_t store_evtchn;
    uint32_t _pad1;
    union {
        struct {
            xen_pfn_t mfn;
            uint32_t evtchn;
            uint32_t _pad0;
        } domU;
        struct {
            uint32_t info_off;  /* offset of dom0_vga_console_info */
            uint32_t info_size;
        } dom0;
    } console;
    uint64_t pt_base;
    uint64_t nr_pt_frames;
    uint64_t mfn_list;
    uint64_t mod_start;
    uint64_t mod_len;
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    uint64_t first_p2m_pfn;
    uint64_t nr_p2m_frames;
};
typedef struct start_info start_info_t;
MICA_ABI_SIZE(struct start_info, 1168);
MICA_ABI_OFFSET(struct start_info, nr_pages, 32);
MICA_ABI_OFFSET(struct start_info, shared_info, 40);
MICA_ABI_OFFSET(struct start_info, flags, 48);
MICA_ABI_OFFSET(struct start_info, store_mfn, 56);
MICA_ABI_OFFSET(struct start_info, store_evtchn, 64);
MICA_ABI_OFFSET(struct start_info, console, 72);
MICA_ABI_OFFSET(struct start_info, pt_base, 88);
MICA_ABI_OFFSET(struct start_info, nr_pt_frames, 96);
MICA_ABI_OFFSET(struct start_info, mfn_list, 104);
MICA_ABI_OFFSET(struct start_info, mod_start, 112);
MICA_ABI_OFFSET(struct start_info, mod_len, 120);
MICA_ABI_OFFSET(struct start_info, cmd_line, 128);
MICA_ABI_OFFSET(struct start_info, first_p2m_pfn, 1152);
MICA_ABI_OFFSET(struct start_info, nr_p2m_frames, 1160);

#define SIF_PRIVILEGED      (1U << 0)
#define SIF_INITDOMAIN      (1U << 1)
#define SIF_MULTIBOOT_MOD   (1U << 2)
#define SIF_MOD_START_PFN   (1U << 3)
#define SIF_VIRT_P2M_4TOOLS (1U << 4)
#define SIF_PM_MASK         (0xffU << 8)

/* Boot console description that follows dom0's start_info. */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70

struct dom0_vga_console_info {
    uint8_t video_type;         /* XEN_VGATYPE_* */
    uint8_t _pad0[3];
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;
            uint32_t lfb_size;
            uint8_t  red_pos, red_size;
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;
            uint16_t mode_attrs;
            uint16_t pad;
            uint32_t ext_lfb_base;
        } vesa_lfb;
    } u;
};
typedef struct dom0_vga_console_info dom0_vga_console_info_t;
MICA_ABI_SIZE(struct dom0_vga_console_info, 40);
MICA_ABI_OFFSET(struct dom0_vga_console_info, u, 4);

#endif /* MICA_PUBLIC_XEN_H */
