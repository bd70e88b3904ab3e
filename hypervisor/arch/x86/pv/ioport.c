/*
 * Port I/O by a PV guest: IN and OUT fault with #GP in ring 3, and we
 * emulate them when the guest may do port I/O at all, as Xen does
 * (guest_io_okay, guest_io_read/write in xen/arch/x86/pv/emul-priv-op.c):
 *
 *   permitted  if the virtual IOPL (physdev set_iopl) admits the guest's
 *              ring (kernel: 1, or 0 with VMASST_TYPE_architectural_iopl;
 *              user: 3), or the guest's I/O bitmap (set_iobitmap) has the
 *              ports' bits clear; otherwise the guest gets its #GP;
 *   effect     no domain owns a real port under Mica, so a read returns
 *              all ones and a write goes nowhere, except the PCI address
 *              register: a dword at 0xcf8 is latched per domain and reads
 *              back (Linux's type-1 probe checks that), while the data
 *              ports 0xcfc-0xcff read all ones (no device answers).
 *
 * Handled forms: IN/OUT with an imm8 port or DX, 8/16/32 bits (prefix
 * 0x66 for 16), REX ignored. String forms (INS/OUTS) are not emulated.
 * CLI/STI depend on the same virtual IOPL and live here too.
 */
#include <asm/current.h>
#include <asm/pv.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <public/xen.h>

#define PCI_CF8 0xcf8

struct io_insn
{
    bool in;
    unsigned int port, bytes, len;
};

/* Decode [0x66] [REX] E4-E7 ib | EC-EF; false if it is anything else. */
static bool decode(const struct cpu_regs *regs, const uint8_t *insn,
                   size_t n, struct io_insn *io)
{
    unsigned int i = 0, op;
    bool opsize = false;

    for ( ; i < n && (insn[i] == 0x66 || (insn[i] & 0xf0) == 0x40); i++ )
        opsize |= insn[i] == 0x66;
    if ( i >= n )
        return false;
    op = insn[i++];
    if ( op >= 0xe4 && op <= 0xe7 )
    {
        if ( i >= n )
            return false;
        io->port = insn[i++];
    }
    else if ( op >= 0xec && op <= 0xef )
        io->port = (uint16_t)regs->rdx;
    else
        return false;
    io->in = !(op & 2);
    io->bytes = !(op & 1) ? 1 : opsize ? 2 : 4;
    io->len = i;
    return true;
}

/* Bits of the guest's bitmap for [port, port + bytes); unreadable = 1s. */
static bool bitmap_allows(struct vcpu *v, unsigned int port,
                          unsigned int bytes)
{
    uint8_t b[2] = { 0xff, 0xff };
    bool user = !v->arch.kernel_mode;
    uint16_t mask;

    if ( port + bytes > v->arch.iobmp_limit )
        return false;
    /* The bitmap lives in the guest kernel's address space. */
    if ( user )
        pv_toggle_guest_mode(v);
    if ( raw_copy_from_guest(b, v->arch.iobmp + port / 8, 1) )
        b[0] = 0xff;
    else if ( raw_copy_from_guest(b + 1, v->arch.iobmp + port / 8 + 1, 1) )
        b[1] = 0xff;
    if ( user )
        pv_toggle_guest_mode(v);
    mask = b[0] | (b[1] << 8);
    return !(mask & (((1u << bytes) - 1) << (port & 7)));
}

/* The virtual IOPL admits the guest's ring (kernel 1, or 0; user 3). */
static bool iopl_ok(const struct vcpu *v)
{
    bool arch_iopl = v->domain->arch.vm_assist &
                     (1UL << VMASST_TYPE_architectural_iopl);
    unsigned int ring = v->arch.kernel_mode ? (arch_iopl ? 0 : 1) : 3;

    return ring <= v->arch.iopl;
}

static bool io_permitted(struct vcpu *v, unsigned int port,
                         unsigned int bytes)
{
    return iopl_ok(v) || bitmap_allows(v, port, bytes);
}

static uint32_t io_read(struct domain *d, const struct io_insn *io)
{
    if ( io->port == PCI_CF8 && io->bytes == 4 )
        return d->arch.pci_cf8;
    return ~0u;
}

static void io_write(struct domain *d, const struct io_insn *io,
                     uint32_t val)
{
    if ( io->port == PCI_CF8 && io->bytes == 4 )
        d->arch.pci_cf8 = val;
}

bool pv_emulate_io(struct cpu_regs *regs, const uint8_t *insn, size_t len)
{
    struct vcpu *v = current;
    struct io_insn io;

    if ( !decode(regs, insn, len, &io) ||
         !io_permitted(v, io.port, io.bytes) )
        return false;
    if ( !io.in )
        io_write(v->domain, &io, regs->rax);
    else if ( io.bytes == 4 )
        regs->rax = io_read(v->domain, &io);    /* zero-extends */
    else
    {
        uint64_t mask = io.bytes == 1 ? 0xff : 0xffff;

        regs->rax = (regs->rax & ~mask) | (io_read(v->domain, &io) & mask);
    }
    regs->rip += io.len;
    return true;
}

/*
 * CLI and STI under a sufficient virtual IOPL are accepted and do
 * nothing, as in Xen: the virtual interrupt flag is the event mask, and
 * letting CLI set it would leave a later POPF unable to clear it. Linux
 * runs a CLI this way before its alternatives are patched
 * (this_cpu_cmpxchg16b_emu, during kmem_cache_init).
 */
bool pv_emulate_cli_sti(struct cpu_regs *regs, uint8_t opcode)
{
    if ( (opcode != 0xfa && opcode != 0xfb) || !iopl_ok(current) )
        return false;
    regs->rip += 1;
    return true;
}
