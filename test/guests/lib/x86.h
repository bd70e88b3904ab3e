/*
 * Small x86 helpers for a PV guest kernel.  The guest kernel runs in
 * ring 3, so MSR and control-register accesses here trap to the hypervisor,
 * which emulates them; cpuid() uses the forced-emulation prefix so it sees
 * the hypervisor's CPUID policy rather than the raw host values.
 */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#include <stdint.h>

#define X86_EFLAGS_CF   0x00000001UL
#define X86_EFLAGS_PF   0x00000004UL
#define X86_EFLAGS_ZF   0x00000040UL
#define X86_EFLAGS_SF   0x00000080UL
#define X86_EFLAGS_TF   0x00000100UL
#define X86_EFLAGS_IF   0x00000200UL
#define X86_EFLAGS_DF   0x00000400UL
#define X86_EFLAGS_OF   0x00000800UL
#define X86_EFLAGS_IOPL 0x00003000UL

#define X86_CR0_TS      0x00000008UL
#define X86_CR0_CD      0x40000000UL

/* #PF error code bits. */
#define PFEC_PRESENT    0x01
#define PFEC_WRITE      0x02
#define PFEC_USER       0x04
#define PFEC_INSN       0x10

/* Selector error code of a #GP raised by `int $n` through an IDT gate. */
#define GP_EC_IDT(n)    (((n) << 3) | 2)

#define MSR_IA32_APIC_BASE   0x0000001b
#define MSR_IA32_CR_PAT      0x00000277
#define MSR_EFER             0xc0000080
#define MSR_FS_BASE          0xc0000100
#define MSR_GS_BASE          0xc0000101
#define MSR_SHADOW_GS_BASE   0xc0000102

#define EFER_SCE        (1UL << 0)
#define EFER_LME        (1UL << 8)
#define EFER_LMA        (1UL << 10)
#define EFER_NXE        (1UL << 11)

struct cpuid_regs {
    uint32_t a, b, c, d;
};

/* CPUID through the hypervisor: ud2; "xen"; cpuid. */
static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
    struct cpuid_regs r;

    asm volatile ( "ud2; .ascii \"xen\"; cpuid"
                   : "=a" (r.a), "=b" (r.b), "=c" (r.c), "=d" (r.d)
                   : "a" (leaf), "c" (sub) );
    return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    asm volatile ( "wrmsr"
                   :: "c" (msr), "a" ((uint32_t)val),
                      "d" ((uint32_t)(val >> 32))
                   : "memory" );
}

static inline uint64_t read_cr0(void)
{
    uint64_t v;

    asm volatile ( "mov %%cr0, %0" : "=r" (v) );
    return v;
}

static inline void write_cr0(uint64_t v)
{
    asm volatile ( "mov %0, %%cr0" :: "r" (v) : "memory" );
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;

    asm volatile ( "mov %%cr2, %0" : "=r" (v) );
    return v;
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;

    asm volatile ( "mov %%cr4, %0" : "=r" (v) );
    return v;
}

static inline uint64_t read_rflags(void)
{
    uint64_t v;

    asm volatile ( "pushf; pop %0" : "=r" (v) );
    return v;
}

static inline void clts(void)
{
    asm volatile ( "clts" ::: "memory" );
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

/* For timing: not before earlier instructions have completed. */
static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    asm volatile ( "lfence; rdtsc" : "=a" (lo), "=d" (hi) :: "memory" );
    return ((uint64_t)hi << 32) | lo;
}

#endif /* GUEST_X86_H */
