/*
 * The x86-64 PV execution model: the contract between the low-level entry
 * code and the PV half of the hypervisor.
 */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <asm/regs.h>
#include <mica/domain.h>

/* Entry points called from entry.S / traps.c. */
void do_syscall(struct cpu_regs *regs);
void prepare_return_to_guest(struct cpu_regs *regs);
void pv_do_exception(struct cpu_regs *regs);
void pv_iret_faulted(struct cpu_regs *regs) __attribute__((noreturn));

/* Load a prepared frame and run the current vCPU; never returns. */
void enter_guest(void) __attribute__((noreturn));

/*
 * Deliver exception `vector` (with error code `ec`, or none when ec < 0)
 * to the current vCPU's registered handler. A vCPU with no handler, or
 * whose stack cannot take the frame, is crashed.
 */
void pv_inject_exception(struct cpu_regs *regs, unsigned int vector, long ec);

/*
 * Enter a registered callback (event, syscall) the way exceptions are
 * delivered, without an error code.
 */
void pv_inject_callback(struct cpu_regs *regs, const struct pv_callback *cb);
/* Enter the failsafe callback: selectors DS, ES, FS, GS failed to load. */
void pv_inject_failsafe(struct cpu_regs *regs, const uint16_t sel[4]);

/* Switch the vCPU between guest-kernel and guest-user mode. */
void pv_toggle_guest_mode(struct vcpu *v);
/* Load the page tables for the vCPU's current mode. */
void pv_load_cr3(struct vcpu *v);

/* Emulation of what a guest kernel may not execute in ring 3. */
bool pv_emulate_gp(struct cpu_regs *regs);
bool pv_emulate_forced(struct cpu_regs *regs);
/* IN/OUT at regs->rip (bytes in insn[0, len)): emulated if permitted. */
bool pv_emulate_io(struct cpu_regs *regs, const uint8_t *insn, size_t len);
/* CLI/STI (opcode 0xfa/0xfb) at regs->rip: no-ops if the IOPL allows. */
bool pv_emulate_cli_sti(struct cpu_regs *regs, uint8_t opcode);
void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf,
              uint32_t res[4]);
/*
 * Writable page tables: if the page fault at cr2 (error code ec) is the
 * guest kernel writing one of its L1 tables, apply the write as a
 * validated update and step over the instruction. False: reflect it.
 */
bool pv_ptwr_fault(struct cpu_regs *regs, uint64_t cr2, long ec);
/* MMUEXT_SET_LDT, and dropping the LDT frames a vCPU has mapped. */
int pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents);
void pv_destroy_ldt(struct vcpu *v);
/*
 * A #PF at cr2 in the LDT window: map the guest's LDT page on demand.
 * True if handled (mapped, or the fault reflected to the guest when ec,
 * its error code, is >= 0); false for the hypervisor's own access (ec
 * < 0) that cannot be mapped, or an address outside the window.
 */
bool pv_ldt_fault(struct cpu_regs *regs, uint64_t cr2, long ec);
int pv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int pv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);

/*
 * Per-vCPU state that the hardware holds while the vCPU runs: FS/GS
 * bases, CR0.TS, CR3. The GDT window and the selectors come first (see
 * arch_context_switch): loading a selector resets its base.
 */
void pv_vcpu_load(struct vcpu *v);

/*
 * Put `next` on the CPU in place of `prev` (NULL at the first switch):
 * `regs` is the per-CPU guest frame, prev's on entry and next's on exit.
 */
void arch_context_switch(struct vcpu *prev, struct vcpu *next,
                         struct cpu_regs *regs);

/* The hypercall page for kernels that ask for one (ELF note). */
void pv_fill_hypercall_page(void *page);

#endif /* ASM_PV_H */
