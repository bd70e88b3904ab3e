/*
 * Decoding and executing the memory-writing instructions a PV guest uses
 * on its own page-table entries (writable page-table emulation).
 *
 * A guest kernel maps its L1 tables read-only; a store to one faults and
 * the hypervisor carries it out as a validated update. This file is the
 * pure part: it turns instruction bytes into a description of one memory
 * write (ptwr_decode) and computes what that write and its side effects
 * are from the old memory value (ptwr_execute). It knows nothing about
 * page tables or guests, so the unit tests check it against the host CPU.
 *
 * Only 64-bit mode and only instructions whose destination is memory:
 * MOV, XCHG, CMPXCHG, XADD, ADD/OR/ADC/SBB/AND/SUB/XOR, INC/DEC, NOT/NEG,
 * BTS/BTR/BTC. Everything else is "not ours" and the fault is reflected.
 */
#ifndef ASM_PTWR_INSN_H
#define ASM_PTWR_INSN_H

#include <mica/env.h>

#define PTWR_INSN_MAX 15            /* the architectural length limit */

/* Registers in ModRM/SIB numbering; the two pseudo-registers below. */
#define PTWR_REG_NONE 0xff
#define PTWR_REG_RIP  0xfe

enum ptwr_op
{
    PTWR_ADD, PTWR_OR, PTWR_ADC, PTWR_SBB,      /* ALU order: /0 ... /6 */
    PTWR_AND, PTWR_SUB, PTWR_XOR,
    PTWR_MOV, PTWR_XCHG, PTWR_CMPXCHG, PTWR_XADD,
    PTWR_INC, PTWR_DEC, PTWR_NOT, PTWR_NEG,
    PTWR_BTS, PTWR_BTR, PTWR_BTC,
};

enum ptwr_src
{
    PTWR_SRC_NONE,      /* INC, DEC, NOT, NEG */
    PTWR_SRC_REG,       /* the ModRM reg field */
    PTWR_SRC_IMM,
};

struct ptwr_insn
{
    uint8_t len;            /* bytes, prefixes included */
    uint8_t op;             /* enum ptwr_op */
    uint8_t width;          /* operand size in bytes: 1, 2, 4 or 8 */
    uint8_t seg;            /* 0, or 4 (FS) / 5 (GS) for an override */
    bool lock;
    bool rex;               /* any REX prefix: byte regs 4-7 are SPL... */
    /* The memory operand: base + index * scale + disp (+ next RIP). */
    uint8_t base, index;    /* register numbers, or PTWR_REG_* */
    uint8_t scale;
    int32_t disp;
    /* The other operand. */
    uint8_t src;            /* enum ptwr_src */
    uint8_t reg;            /* ModRM reg (0-15) when src is REG */
    int64_t imm;            /* sign-extended as the encoding says */
};

/*
 * Decode the instruction in buf[0..avail). 0 and *insn filled, or -1 if
 * it is not one of ours, is malformed, or needs more than avail bytes.
 */
int ptwr_decode(const uint8_t *buf, unsigned int avail,
                struct ptwr_insn *insn);

/* Arithmetic flags an emulated instruction may change. */
#define PTWR_FLAGS_ARITH 0x8d5UL    /* OF SF ZF AF PF CF */

struct ptwr_result
{
    uint64_t mem;           /* the new memory operand (width bytes) */
    bool write_mem;         /* false: memory stays as it was */
    uint64_t reg_val;       /* width bytes for register `reg_out` */
    uint8_t reg_out;        /* ModRM reg, 0 (RAX), or PTWR_REG_NONE */
    uint64_t flags;         /* new RFLAGS (only arithmetic bits change) */
};

/*
 * Execute insn on the memory value `old` (width bytes). `src` is the
 * source register's or immediate's value, rax the accumulator (CMPXCHG),
 * flags the guest's RFLAGS. For the bit operations the caller has
 * already moved the memory operand to the word holding the bit; `src`
 * is then the bit number within it.
 */
void ptwr_execute(const struct ptwr_insn *insn, uint64_t old, uint64_t src,
                  uint64_t rax, uint64_t flags, struct ptwr_result *res);

/*
 * The instruction's register operand `reg` at `width` bytes, with the
 * 16 general registers given in ModRM order. Setting follows the CPU:
 * 32-bit writes clear bits 32-63, 8- and 16-bit writes merge, and
 * without a REX prefix byte registers 4-7 are AH, CH, DH and BH.
 */
uint64_t ptwr_reg_get(uint64_t *const gpr[16], const struct ptwr_insn *insn,
                      unsigned int reg, unsigned int width);
void ptwr_reg_set(uint64_t *const gpr[16], const struct ptwr_insn *insn,
                  unsigned int reg, unsigned int width, uint64_t val);

/*
 * The memory operand's address (without any FS/GS base) for an
 * instruction at rip, and the source operand's value. For BTS/BTR/BTC
 * with a register bit offset, the address is that of the word holding
 * the bit and the value returned is the bit number within it.
 */
uint64_t ptwr_operands(const struct ptwr_insn *insn, uint64_t *const gpr[16],
                       uint64_t rip, uint64_t *addr);

#endif /* ASM_PTWR_INSN_H */
