/* Thin wrappers around x86 instructions the hypervisor needs. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdint.h>
#include <asm/page.h>

#define X86_CR0_TS 0x00000008UL
#define X86_CR0_WP 0x00010000UL
#define X86_CR4_PSE 0x00000010UL
#define X86_CR4_PAE 0x00000020UL
#define X86_CR4_PGE 0x00000080UL
#define X86_CR4_OSFXSR 0x00000200UL
#define X86_CR4_OSXMMEXCPT 0x00000400UL
#define X86_CR4_FSGSBASE 0x00010000UL
#define X86_CR4_OSXSAVE 0x00040000UL
#define X86_CR4_SMEP 0x00100000UL

#define X86_EFLAGS_CF 0x00000001UL
#define X86_EFLAGS_MBS 0x00000002UL /* must be set */
#define X86_EFLAGS_TF 0x00000100UL
#define X86_DR6_BS    (1UL << 14)   /* single-step trap */
#define X86_EFLAGS_IF 0x00000200UL
#define X86_EFLAGS_DF 0x00000400UL
#define X86_EFLAGS_IOPL 0x00003000UL
#define X86_EFLAGS_NT 0x00004000UL
#define X86_EFLAGS_RF 0x00010000UL
#define X86_EFLAGS_VM 0x00020000UL
#define X86_EFLAGS_AC 0x00040000UL
#define X86_EFLAGS_VIF 0x00080000UL
#define X86_EFLAGS_VIP 0x00100000UL
#define X86_EFLAGS_ID 0x00200000UL

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_IA32_APIC_BASE 0x1b
#define MSR_IA32_PAT 0x277
#define MSR_IA32_TSC 0x10

#define EFER_SCE 0x001
#define EFER_LME 0x100
#define EFER_LMA 0x400
#define EFER_NXE 0x800

static inline unsigned long read_cr0(void)
{
    unsigned long v;
    asm volatile ( "mov %%cr0, %0" : "=r" (v) );
    return v;
}

static inline void write_cr0(unsigned long v)
{
    asm volatile ( "mov %0, %%cr0" :: "r" (v) : "memory" );
}

static inline unsigned long read_cr2(void)
{
    unsigned long v;
    asm volatile ( "mov %%cr2, %0" : "=r" (v) );
    return v;
}

static inline unsigned long read_cr3(void)
{
    unsigned long v;
    asm volatile ( "mov %%cr3, %0" : "=r" (v) );
    return v;
}

static inline void write_cr3(unsigned long v)
{
    asm volatile ( "mov %0, %%cr3" :: "r" (v) : "memory" );
}

static inline unsigned long read_cr4(void)
{
    unsigned long v;
    asm volatile ( "mov %%cr4, %0" : "=r" (v) );
    return v;
}

static inline void write_cr4(unsigned long v)
{
    asm volatile ( "mov %0, %%cr4" :: "r" (v) : "memory" );
}

static inline unsigned long read_dr6(void)
{
    unsigned long v;
    asm volatile ( "mov %%db6, %0" : "=r" (v) );
    return v;
}

static inline void write_dr6(unsigned long v)
{
    asm volatile ( "mov %0, %%db6" :: "r" (v) );
}

/* Debug register reg (0-3, 6 or 7; others are ignored) := val. */
static inline void write_debugreg(unsigned int reg, unsigned long val)
{
    switch ( reg )
    {
    case 0: asm volatile ( "mov %0, %%db0" :: "r" (val) ); break;
    case 1: asm volatile ( "mov %0, %%db1" :: "r" (val) ); break;
    case 2: asm volatile ( "mov %0, %%db2" :: "r" (val) ); break;
    case 3: asm volatile ( "mov %0, %%db3" :: "r" (val) ); break;
    case 6: write_dr6(val); break;
    case 7: asm volatile ( "mov %0, %%db7" :: "r" (val) ); break;
    }
}

static inline void clts(void)
{
    asm volatile ( "clts" ::: "memory" );
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile ( "wrmsr" :: "c" (msr), "a" ((uint32_t)v),
                   "d" ((uint32_t)(v >> 32)) : "memory" );
}

/* rdmsr that returns -1 instead of faulting on an MSR the CPU lacks. */
int rdmsr_safe(uint32_t msr, uint64_t *val);
int wrmsr_safe(uint32_t msr, uint64_t val);

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
                               uint32_t *b, uint32_t *c, uint32_t *d)
{
    asm volatile ( "cpuid" : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
                   : "0" (leaf), "2" (sub) );
}

static inline void outb(uint8_t v, uint16_t port)
{
    asm volatile ( "outb %0, %1" :: "a" (v), "Nd" (port) );
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile ( "inb %1, %0" : "=a" (v) : "Nd" (port) );
    return v;
}

static inline void outw(uint16_t v, uint16_t port)
{
    asm volatile ( "outw %0, %1" :: "a" (v), "Nd" (port) );
}

static inline void outl(uint32_t v, uint16_t port)
{
    asm volatile ( "outl %0, %1" :: "a" (v), "Nd" (port) );
}

static inline void local_irq_disable(void)
{
    asm volatile ( "cli" ::: "memory" );
}

static inline void local_irq_enable(void)
{
    asm volatile ( "sti" ::: "memory" );
}

static inline unsigned long local_save_flags(void)
{
    unsigned long f;
    asm volatile ( "pushf; pop %0" : "=r" (f) );
    return f;
}

/* Disable interrupts; returns the flags to hand to irq_restore(). */
static inline unsigned long irq_save(void)
{
    unsigned long f = local_save_flags();

    local_irq_disable();
    return f;
}

static inline void irq_restore(unsigned long f)
{
    if ( f & X86_EFLAGS_IF )
        local_irq_enable();
}

static inline void halt(void)
{
    asm volatile ( "hlt" ::: "memory" );
}

static inline void cpu_relax(void)
{
    asm volatile ( "pause" ::: "memory" );
}

static inline void invlpg(unsigned long va)
{
    asm volatile ( "invlpg (%0)" :: "r" (va) : "memory" );
}

static inline void wbinvd(void)
{
    asm volatile ( "wbinvd" ::: "memory" );
}

static inline void flush_tlb_local(void)
{
    write_cr3(read_cr3());
}

static inline void write_fs_base(unsigned long v)
{
    wrmsr(MSR_FS_BASE, v);
}

static inline void write_gs_base(unsigned long v)
{
    wrmsr(MSR_GS_BASE, v);
}

static inline void write_shadow_gs_base(unsigned long v)
{
    wrmsr(MSR_SHADOW_GS_BASE, v);
}

#endif /* ASM_PROCESSOR_H */
