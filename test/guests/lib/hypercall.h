/*
 * Hypercalls from a 64-bit PV guest kernel.
 *
 * Two transports, both with Xen's register convention (RAX = number; RDI,
 * RSI, RDX, R10, R8 = arguments; RAX = result, negative XEN_E* on error):
 *
 *   hypercall_raw*()  a bare SYSCALL bracketed by push/pop of RCX and R11,
 *                     which SYSCALL/SYSRET clobber (what Linux does now);
 *   hypercall_page*() a call into stub nr of the hypercall page the
 *                     hypervisor filled in at build time.
 *
 * The argument registers are declared clobbered (Xen may scribble on them
 * in debug builds); everything else must survive.  The typed HYPERVISOR_*
 * wrappers use the raw path unless hypercall_use_page is set.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen.h>
#include <public/version.h>
#include <public/sched.h>
#include <public/callback.h>
#include <public/vcpu.h>
#include <public/physdev.h>
#include <public/platform.h>

extern uint8_t hypercall_page[4096];
extern bool hypercall_use_page;

static inline long hypercall_raw(unsigned long nr, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    long ret = (long)nr;

    asm volatile ( "push %%rcx\n\t"
                   "push %%r11\n\t"
                   "syscall\n\t"
                   "pop %%r11\n\t"
                   "pop %%rcx"
                   : "+a" (ret), "+D" (a1), "+S" (a2), "+d" (a3),
                     "+r" (r10), "+r" (r8)
                   :
                   : "memory" );
    return ret;
}

static inline long hypercall_page_call(unsigned long nr, uint64_t a1,
                                       uint64_t a2, uint64_t a3, uint64_t a4,
                                       uint64_t a5)
{
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    void *stub = hypercall_page + nr * HYPERCALL_STUB_SIZE;
    long ret;

    asm volatile ( "call *%[stub]"
                   : "=a" (ret), "+D" (a1), "+S" (a2), "+d" (a3),
                     "+r" (r10), "+r" (r8)
                   : [stub] "r" (stub)
                   : "memory" );
    return ret;
}

static inline long hypercall(unsigned long nr, uint64_t a1, uint64_t a2,
                             uint64_t a3, uint64_t a4, uint64_t a5)
{
    if ( hypercall_use_page )
        return hypercall_page_call(nr, a1, a2, a3, a4, a5);
    return hypercall_raw(nr, a1, a2, a3, a4, a5);
}

#define hypercall0(nr)                 hypercall(nr, 0, 0, 0, 0, 0)
#define hypercall1(nr, a)              hypercall(nr, (uint64_t)(a), 0, 0, 0, 0)
#define hypercall2(nr, a, b) \
    hypercall(nr, (uint64_t)(a), (uint64_t)(b), 0, 0, 0)
#define hypercall3(nr, a, b, c) \
    hypercall(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0)
#define hypercall4(nr, a, b, c, d) \
    hypercall(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), \
              (uint64_t)(d), 0)

/* Typed wrappers.  Pointers go out as guest virtual addresses. */
#define GADDR(p) ((uint64_t)(uintptr_t)(p))

static inline long HYPERVISOR_set_trap_table(const struct trap_info *t)
{
    return hypercall1(__HYPERVISOR_set_trap_table, GADDR(t));
}

static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
                                         unsigned int count,
                                         unsigned int *done, domid_t dom)
{
    return hypercall4(__HYPERVISOR_mmu_update, GADDR(req), count,
                      GADDR(done), dom);
}

static inline long HYPERVISOR_set_gdt(const uint64_t *frames,
                                      unsigned int entries)
{
    return hypercall2(__HYPERVISOR_set_gdt, GADDR(frames), entries);
}

static inline long HYPERVISOR_stack_switch(uint64_t ss, uint64_t sp)
{
    return hypercall2(__HYPERVISOR_stack_switch, ss, sp);
}

static inline long HYPERVISOR_set_callbacks(uint64_t event,
                                            uint64_t failsafe,
                                            uint64_t syscall)
{
    return hypercall3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}

static inline long HYPERVISOR_fpu_taskswitch(int set)
{
    return hypercall1(__HYPERVISOR_fpu_taskswitch, set);
}

static inline long HYPERVISOR_set_debugreg(unsigned int reg, uint64_t val)
{
    return hypercall2(__HYPERVISOR_set_debugreg, reg, val);
}

static inline long HYPERVISOR_get_debugreg(unsigned int reg)
{
    return hypercall1(__HYPERVISOR_get_debugreg, reg);
}

static inline long HYPERVISOR_update_descriptor(uint64_t maddr,
                                                uint64_t desc)
{
    return hypercall2(__HYPERVISOR_update_descriptor, maddr, desc);
}

static inline long HYPERVISOR_multicall(struct multicall_entry *calls,
                                        unsigned int nr)
{
    return hypercall2(__HYPERVISOR_multicall, GADDR(calls), nr);
}

static inline long HYPERVISOR_update_va_mapping(uint64_t va, uint64_t pte,
                                                uint64_t flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, cmd, GADDR(arg));
}

static inline long HYPERVISOR_console_io(int cmd, unsigned int count,
                                         const void *buf)
{
    return hypercall3(__HYPERVISOR_console_io, cmd, count, GADDR(buf));
}

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return hypercall2(__HYPERVISOR_vm_assist, cmd, type);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, GADDR(arg));
}

static inline long HYPERVISOR_set_segment_base(unsigned int which,
                                               uint64_t base)
{
    return hypercall2(__HYPERVISOR_set_segment_base, which, base);
}

static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *op,
                                        unsigned int count,
                                        unsigned int *done, domid_t dom)
{
    return hypercall4(__HYPERVISOR_mmuext_op, GADDR(op), count,
                      GADDR(done), dom);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, cmd, GADDR(arg));
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_callback_op, cmd, GADDR(arg));
}

static inline long HYPERVISOR_physdev_op(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_physdev_op, cmd, GADDR(arg));
}

static inline long HYPERVISOR_platform_op(void *op)
{
    return hypercall1(__HYPERVISOR_platform_op, GADDR(op));
}

#endif /* GUEST_HYPERCALL_H */
