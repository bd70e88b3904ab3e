/*
 * Mica's control ABI, per-domain half: HYPERVISOR_domctl (number 36).
 *
 * This interface is Mica's own (not Xen's domctl): a privileged domain's
 * toolstack creates, builds, runs, inspects and destroys other domains
 * with it. It is reached like Xen's, as hypercall 36 with one argument,
 * the guest address of a struct mica_domctl, so Linux's
 * IOCTL_PRIVCMD_HYPERCALL passes it through unchanged. Host-wide queries
 * live in sysctl.h (hypercall 35).
 *
 * Every call carries MICA_CTL_INTERFACE_VERSION; any other value is
 * refused with -EACCES before anything else is looked at, so a toolstack
 * built against another layout fails cleanly. Only privileged domains may
 * call (-EPERM otherwise, checked by the dispatcher before the version).
 * `domain` names the target: an existing domain id (not DOMID_SELF or any
 * other reserved id: -ESRCH). The struct is copied back to the caller
 * after a successful call, so OUT fields in the union arrive in place.
 * docs/domctl.md documents every sub-op with its IN/OUT fields and errors.
 *
 * Pointers ("handles") are guest virtual addresses in uint64_t.
 */
#ifndef MICA_PUBLIC_DOMCTL_H
#define MICA_PUBLIC_DOMCTL_H

#include <stdint.h>
#include "abi-check.h"
#include "xen.h"

/* Raised whenever any struct in domctl.h or sysctl.h changes. */
#define MICA_CTL_INTERFACE_VERSION 0x4d430001U     /* "MC", 1 */

#define MICA_DOMCTL_create             1
#define MICA_DOMCTL_destroy            2
#define MICA_DOMCTL_pause              3
#define MICA_DOMCTL_unpause            4
#define MICA_DOMCTL_getdomaininfo      5
#define MICA_DOMCTL_max_mem            6
#define MICA_DOMCTL_max_vcpus          7
#define MICA_DOMCTL_populate           8
#define MICA_DOMCTL_setvcpucontext     9
#define MICA_DOMCTL_getvcpucontext    10
#define MICA_DOMCTL_settimeoffset     11
#define MICA_DOMCTL_set_max_evtchn    12
#define MICA_DOMCTL_getpageframeinfo  13
#define MICA_DOMCTL_logdirty          14
#define MICA_DOMCTL_hypercall_init    15
#define MICA_DOMCTL_getvcpuinfo       16

/* Limits of this version. */
#define MICA_MAX_VCPUS_PER_DOMAIN     32   /* XEN_LEGACY_MAX_VCPUS */
#define MICA_POPULATE_MAX           1024   /* frames per populate call */
#define MICA_PAGEINFO_MAX           1024   /* frames per getpageframeinfo */

/*
 * create. IN: handle (an opaque UUID the toolstack chooses), flags (0:
 * none defined yet), max_vcpus (1 .. MICA_MAX_VCPUS_PER_DOMAIN, else
 * -EINVAL), max_memkb (KiB, a ceiling for populate). OUT: the struct's
 * `domain` field holds the new domain id. The domain starts paused once
 * by the controller, without memory and with every vCPU down: vCPU 0
 * comes up with its first setvcpucontext, the others when the guest
 * brings them up (VCPUOP_initialise and VCPUOP_up) or the toolstack
 * gives them a context.
 */
struct mica_domctl_create {
    uint8_t handle[16];
    uint32_t flags;
    uint32_t max_vcpus;
    uint64_t max_memkb;
};
MICA_ABI_SIZE(struct mica_domctl_create, 32);

/* getdomaininfo (one domain) and sysctl getdomaininfolist (many). */
#define MICA_DOMINF_dying       (1U << 0)   /* destroyed; frames still held */
#define MICA_DOMINF_shutdown    (1U << 1)   /* shutdown_reason is valid */
#define MICA_DOMINF_paused      (1U << 2)   /* paused by the controller */
#define MICA_DOMINF_blocked     (1U << 3)   /* every online vCPU blocked */
#define MICA_DOMINF_running     (1U << 4)   /* some vCPU runs or may run */
#define MICA_DOMINF_privileged  (1U << 5)
#define MICA_DOMINF_crashed     (1U << 6)   /* killed by the hypervisor */
#define MICA_DOMINF_logdirty    (1U << 7)   /* log-dirty mode is on */
#define MICA_DOMINF_logdirty_exact (1U << 8) /* ... and sees every store */

struct mica_domaininfo {
    uint16_t domain;
    uint16_t pad0;
    uint32_t flags;             /* MICA_DOMINF_* */
    uint32_t shutdown_reason;   /* SHUTDOWN_*, valid with _shutdown */
    uint32_t nr_online_vcpus;   /* vCPUs up (not down or stopped) */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    uint64_t tot_pages;         /* frames the domain holds */
    uint64_t max_pages;
    uint64_t shared_info_mfn;
    uint64_t cpu_time;          /* ns its vCPUs ran, in total */
    uint8_t handle[16];
};
MICA_ABI_SIZE(struct mica_domaininfo, 72);
MICA_ABI_OFFSET(struct mica_domaininfo, tot_pages, 24);
MICA_ABI_OFFSET(struct mica_domaininfo, handle, 56);

/* max_mem. IN: max_memkb. May go below tot_pages (blocks new frames). */
struct mica_domctl_max_mem {
    uint64_t max_memkb;
};

/*
 * max_vcpus. IN: max. The count is fixed at create: the current value
 * answers 0, a smaller one (or one above MICA_MAX_VCPUS_PER_DOMAIN)
 * -EINVAL, a larger one -EBUSY (Xen's rules).
 */
struct mica_domctl_max_vcpus {
    uint32_t max;
    uint32_t pad;
};

/*
 * populate. IN: first_pfn, nr (<= MICA_POPULATE_MAX), mfns (address of
 * nr uint64_t). Allocates nr zeroed frames for the domain, all or none,
 * records pfn first_pfn + i for the i-th in the machine-to-phys table,
 * and OUT: writes the i-th frame's mfn to mfns[i].
 */
struct mica_domctl_populate {
    uint64_t first_pfn;
    uint64_t mfns;
    uint32_t nr;
    uint32_t pad;
};
MICA_ABI_SIZE(struct mica_domctl_populate, 24);

/* A trap-table entry of a vCPU context; address 0 means no handler. */
struct mica_trap_entry {
    uint64_t address;
    uint16_t cs;
    uint8_t flags;              /* TI_* of public/arch-x86_64.h */
    uint8_t pad[5];
};
MICA_ABI_SIZE(struct mica_trap_entry, 16);

struct mica_vcpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t rip, rflags, rsp;
    uint16_t cs, ss, ds, es, fs, gs;
    uint32_t pad;
};
MICA_ABI_SIZE(struct mica_vcpu_regs, 160);

#define MICA_GDT_FRAMES 14      /* FIRST_RESERVED_GDT_PAGE */

/* Callbacks: CALLBACKF_mask_events in cb_flags' bit per callback. */
#define MICA_CBF_failsafe_mask  (1U << 0)
#define MICA_CBF_syscall_mask   (1U << 1)

/*
 * A vCPU's full context (setvcpucontext IN, getvcpucontext OUT). The vCPU
 * starts in guest-kernel mode with cs = FLAT_KERNEL_CS and ss =
 * FLAT_KERNEL_SS; RFLAGS keeps only the arithmetic flags and DF, and IF
 * is forced on (events are governed by event_mask). ldt_base/ldt_ents
 * follow MMUEXT_SET_LDT (at most 8192 entries, base page-aligned; the
 * pages are mapped on first use). kernel_l4_mfn must be
 * an L4 of the domain that validates (it takes a base reference, as
 * MMUEXT_NEW_BASEPTR does); user_l4_mfn likewise or 0. gdt_frames[0 ..
 * (gdt_ents + 511) / 512) become descriptor tables. Every address must be
 * canonical; rsp and kernel_sp must lie outside the hypervisor's range.
 */
struct mica_vcpu_context {
    struct mica_vcpu_regs regs;
    uint64_t kernel_l4_mfn;
    uint64_t user_l4_mfn;
    uint64_t gdt_frames[MICA_GDT_FRAMES];
    uint32_t gdt_ents;
    uint32_t cb_flags;          /* MICA_CBF_* */
    uint64_t kernel_ss, kernel_sp;
    uint64_t event_callback, failsafe_callback, syscall_callback;
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint8_t event_mask;         /* vcpu_info.evtchn_upcall_mask */
    uint8_t pad[3];
    uint32_t ldt_ents;          /* 0: no LDT (MMUEXT_SET_LDT's rules) */
    uint64_t ldt_base;
    struct mica_trap_entry traps[256];
};
MICA_ABI_SIZE(struct mica_vcpu_context, 4472);
MICA_ABI_OFFSET(struct mica_vcpu_context, kernel_l4_mfn, 160);
MICA_ABI_OFFSET(struct mica_vcpu_context, gdt_ents, 288);
MICA_ABI_OFFSET(struct mica_vcpu_context, ldt_ents, 364);
MICA_ABI_OFFSET(struct mica_vcpu_context, traps, 376);

/* set/getvcpucontext. IN: vcpu, ctxt (address of the context). */
struct mica_domctl_vcpucontext {
    uint32_t vcpu;
    uint32_t pad;
    uint64_t ctxt;
};

/* settimeoffset. IN: seconds added to the wall clock the domain sees. */
struct mica_domctl_settimeoffset {
    int64_t seconds;
};

/* set_max_evtchn. IN: the highest port number the domain may allocate. */
struct mica_domctl_set_max_evtchn {
    uint32_t max_port;
    uint32_t pad;
};

/*
 * getpageframeinfo. IN: nr (<= MICA_PAGEINFO_MAX), mfns (address of nr
 * uint64_t). OUT: types (address of nr uint32_t): for each frame one
 * MICA_PAGEINFO_* value, with MICA_PAGEINFO_pinned added to pinned tables.
 * A frame the domain does not hold reads MICA_PAGEINFO_invalid.
 */
#define MICA_PAGEINFO_notab     0U      /* ordinary memory */
#define MICA_PAGEINFO_l1        1U
#define MICA_PAGEINFO_l2        2U
#define MICA_PAGEINFO_l3        3U
#define MICA_PAGEINFO_l4        4U
#define MICA_PAGEINFO_desc      5U      /* a descriptor (GDT) table */
#define MICA_PAGEINFO_invalid   0xfU
#define MICA_PAGEINFO_type_mask 0xfU
#define MICA_PAGEINFO_pinned    0x10U

struct mica_domctl_pageframeinfo {
    uint64_t mfns;
    uint64_t types;
    uint32_t nr;
    uint32_t pad;
};
MICA_ABI_SIZE(struct mica_domctl_pageframeinfo, 24);

/*
 * logdirty. op:
 *  enable: IN nr_pfns: pfns 0 .. nr_pfns - 1 get a bit (<= 1 << 24).
 *  clean:  OUT bitmap (nr_pfns bits at `bitmap`, IN nr_pfns its size),
 *          dirty_count; then clears it. With MICA_DOMINF_logdirty_exact
 *          the next round reports the frames written in it; without
 *          (no protection keys), frames still mapped writable are
 *          marked again at once (see docs/domctl.md). The domain is
 *          paused while its mappings are re-armed; this may take several
 *          continuations of the same call.
 *  peek:   as clean without clearing.
 *  disable: frees the bitmap and removes the marks.
 *  A call while another caller's enable/clean/disable of the same
 *  domain is part-way answers -EBUSY.
 * OUT overflow: dirty frames whose pfn lay outside the bitmap since the
 * last clean (the toolstack must then resend everything).
 */
#define MICA_LOGDIRTY_enable    0
#define MICA_LOGDIRTY_disable   1
#define MICA_LOGDIRTY_clean     2
#define MICA_LOGDIRTY_peek      3
#define MICA_LOGDIRTY_MAX_PFNS  (1U << 24)

struct mica_domctl_logdirty {
    uint32_t op;
    uint32_t nr_pfns;
    uint64_t bitmap;
    uint32_t dirty_count;
    uint32_t overflow;
};
MICA_ABI_SIZE(struct mica_domctl_logdirty, 24);

/*
 * getvcpuinfo. IN: vcpu (< max_vcpus, else -EINVAL). OUT: online (up),
 * blocked (waiting for an event), running (on the CPU now), cpu (the
 * physical CPU, always 0), cpu_time (ns it ran).
 */
struct mica_domctl_vcpuinfo {
    uint32_t vcpu;
    uint8_t online, blocked, running, pad;
    uint64_t cpu_time;
    uint32_t cpu;
    uint32_t pad2;
};
MICA_ABI_SIZE(struct mica_domctl_vcpuinfo, 24);

/* hypercall_init. IN: mfn of a domain frame to fill with stubs. */
struct mica_domctl_hypercall_init {
    uint64_t mfn;
};

struct mica_domctl {
    uint32_t cmd;               /* MICA_DOMCTL_* */
    uint32_t interface_version; /* MICA_CTL_INTERFACE_VERSION */
    uint16_t domain;            /* IN: target; OUT (create): new id */
    uint16_t pad[3];
    union {
        struct mica_domctl_create create;
        struct mica_domaininfo info;
        struct mica_domctl_max_mem max_mem;
        struct mica_domctl_max_vcpus max_vcpus;
        struct mica_domctl_populate populate;
        struct mica_domctl_vcpucontext vcpucontext;
        struct mica_domctl_settimeoffset settimeoffset;
        struct mica_domctl_set_max_evtchn set_max_evtchn;
        struct mica_domctl_pageframeinfo pageframeinfo;
        struct mica_domctl_logdirty logdirty;
        struct mica_domctl_hypercall_init hypercall_init;
        struct mica_domctl_vcpuinfo vcpuinfo;
        uint8_t pad[112];
    } u;
};
MICA_ABI_SIZE(struct mica_domctl, 128);
MICA_ABI_OFFSET(struct mica_domctl, domain, 8);
MICA_ABI_OFFSET(struct mica_domctl, u, 16);

#endif /* MICA_PUBLIC_DOMCTL_H */
