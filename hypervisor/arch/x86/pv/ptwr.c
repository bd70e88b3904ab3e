/*
 * Writable page tables (VMASST_TYPE_writable_pagetables): a guest kernel
 * may write its own L1 entries with ordinary instructions.
 *
 * Its L1 tables are mapped read-only (they hold an L1 type, so no
 * writable mapping can exist), so such a write faults. If the fault is a
 * write by the guest kernel to a present read-only mapping of one of its
 * own L1 tables in use, we decode the instruction (ptwr_insn.c), work out
 * the new 8-byte entry (merging a narrower store into it) and apply it
 * through pt_update_entry, with exactly the checks mmu_update makes. Then
 * the guest continues after the instruction as if its write had happened.
 *
 * Anything else, or an update the rules refuse, is reflected to the
 * guest as the page fault it was: Xen 4.17 does the same
 * (xen/arch/x86/pv/ro-page-fault.c), and Linux then reports the bad
 * write itself. The write must be naturally aligned and inside the page
 * that faulted; like Xen, it may name another entry of that table.
 *
 * One CPU: nothing else can change the entry between reading it and
 * writing it, so CMPXCHG is a compare then a validated write. SMP needs
 * the final write to be a compare-exchange on the entry.
 */
#include <asm/current.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <asm/ptwr_insn.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <mica/guest_access.h>
#include <mica/lib.h>
#include <public/xen.h>

#include "mm.h"

/* Is this fault the kind writable page tables may explain? */
static bool ptwr_candidate(const struct vcpu *v, uint64_t addr, long ec)
{
    return v->arch.kernel_mode &&
           (v->domain->arch.vm_assist &
            (1UL << VMASST_TYPE_writable_pagetables)) &&
           (ec & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD | PFEC_FETCH)) ==
               (PFEC_PRESENT | PFEC_WRITE) &&
           guest_range_ok(addr, 1);
}

/*
 * The frame addr's read-only mapping points at, if it is one of d's L1
 * tables in use; a general reference is taken on it. 0 otherwise.
 */
static unsigned long ptwr_target(const struct vcpu *v, uint64_t addr)
{
    struct domain *d = v->domain;
    unsigned long l1 = pv_find_l1(v, addr), mfn;
    pte_t e;

    if ( !l1 )
        return 0;
    e = pt_env_map(l1)[l1_index(addr)];
    if ( (e & (_PAGE_PRESENT | _PAGE_RW)) != _PAGE_PRESENT )
        return 0;
    mfn = pte_mfn(e);
    if ( !get_page(mfn, d->domain_id) )
        return 0;
    if ( pgt_level(mfn_to_page(mfn)->type_info) != 1 ||
         !(mfn_to_page(mfn)->type_info & PGT_validated) )
    {
        put_page(mfn);
        return 0;
    }
    return mfn;
}

/* Up to PTWR_INSN_MAX bytes at RIP; how many could be read. */
static unsigned int fetch_insn(const struct cpu_regs *regs, uint8_t *buf)
{
    unsigned int n = PTWR_INSN_MAX;
    unsigned int to_page_end = PAGE_SIZE - (regs->rip & ~PAGE_MASK);

    if ( raw_copy_from_guest(buf, regs->rip, n) == 0 )
        return n;
    /* The next page may be unmapped: an instruction can still fit. */
    if ( to_page_end < n &&
         raw_copy_from_guest(buf, regs->rip, to_page_end) == 0 )
        return to_page_end;
    return 0;
}

static void gpr_table(struct cpu_regs *r, uint64_t *gpr[16])
{
    uint64_t *t[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp,
                        &r->rbp, &r->rsi, &r->rdi, &r->r8, &r->r9,
                        &r->r10, &r->r11, &r->r12, &r->r13, &r->r14,
                        &r->r15 };

    memcpy(gpr, t, sizeof(t));
}

/*
 * Carry out the decoded write to table `mfn`. Returns false, with
 * nothing changed, if it is not an aligned write into the faulting page
 * or the new entry breaks a rule.
 */
static bool ptwr_apply(struct cpu_regs *regs, const struct ptwr_insn *in,
                       unsigned long mfn, uint64_t cr2)
{
    struct domain *d = current->domain;
    struct pt_ctx ctx = { d->domain_id, d->domain_id };
    uint64_t *gpr[16], addr, src, wmask, entry, merged;
    struct ptwr_result res;
    unsigned int slot, shift;
    int rc;

    gpr_table(regs, gpr);
    src = ptwr_operands(in, gpr, regs->rip, &addr);
    /* In 64-bit mode only FS and GS have a base; the guest's is loaded. */
    if ( in->seg == 4 )
        addr += rdmsr(MSR_FS_BASE);
    else if ( in->seg == 5 )
        addr += rdmsr(MSR_GS_BASE);
    if ( ((addr ^ cr2) & PAGE_MASK) || (addr & (in->width - 1)) )
    {
        printk(LOG_DEBUG "d%u: ptwr: %u-byte write to %lx is misaligned or "
               "outside the page of the fault at %lx\n", d->domain_id,
               in->width, addr, cr2);
        return false;
    }

    slot = (addr & ~PAGE_MASK) / sizeof(pte_t);
    shift = (addr & (sizeof(pte_t) - 1)) * 8;
    wmask = in->width == 8 ? ~0UL : ((1UL << (in->width * 8)) - 1) << shift;
    entry = pt_env_map(mfn)[slot];
    ptwr_execute(in, entry >> shift, src, regs->rax, regs->rflags, &res);

    if ( res.write_mem )
    {
        merged = (entry & ~wmask) | ((res.mem << shift) & wmask);
        rc = pt_update_entry(mfn, slot, merged, &ctx, false);
        if ( rc )
        {
            printk(LOG_DEBUG "d%u: ptwr: L1 %lx entry %u := %016lx refused "
                   "(%d)\n", d->domain_id, mfn, slot, merged, rc);
            return false;
        }
    }
    if ( res.reg_out != PTWR_REG_NONE )
        ptwr_reg_set(gpr, in, res.reg_out, in->width, res.reg_val);
    regs->rflags = res.flags;
    regs->rip += in->len;
    return true;
}

bool pv_ptwr_fault(struct cpu_regs *regs, uint64_t cr2, long ec)
{
    struct vcpu *v = current;
    struct ptwr_insn in;
    uint8_t buf[PTWR_INSN_MAX] = { 0 };
    unsigned int n;
    unsigned long mfn;
    bool done;

    if ( !ptwr_candidate(v, cr2, ec) )
        return false;
    mfn = ptwr_target(v, cr2);
    if ( !mfn )
        return false;
    n = fetch_insn(regs, buf);
    if ( ptwr_decode(buf, n, &in) )
    {
        printk(LOG_DEBUG "d%u: ptwr: cannot emulate the write at %lx "
               "(%02x %02x %02x %02x)\n", v->domain->domain_id, regs->rip,
               buf[0], buf[1], buf[2], buf[3]);
        put_page(mfn);
        return false;
    }
    done = ptwr_apply(regs, &in, mfn, cr2);
    put_page(mfn);
    if ( done && (regs->rflags & X86_EFLAGS_TF) )
    {
        /* The instruction completed under single-step: report it. */
        v->arch.debugreg[6] |= X86_DR6_BS;
        pv_inject_exception(regs, X86_EXC_DB, -1);
    }
    return done;
}
