/*
 * The instruction side of writable page-table emulation: decode one
 * memory-writing instruction and compute its effects. See
 * asm/ptwr_insn.h. The flag rules are the Intel SDM's; where it calls a
 * flag undefined (AF after AND/OR/XOR, all but CF after BTS/BTR/BTC) we
 * clear it or leave it alone, which guests must not depend on anyway.
 */
#include <asm/ptwr_insn.h>

#define FL_CF 0x001UL
#define FL_PF 0x004UL
#define FL_AF 0x010UL
#define FL_ZF 0x040UL
#define FL_SF 0x080UL
#define FL_OF 0x800UL

/* ---- decoding ---------------------------------------------------------- */

struct cursor
{
    const uint8_t *buf;
    unsigned int avail, pos;
    bool short_read;
};

static uint8_t next_byte(struct cursor *c)
{
    if ( c->pos >= c->avail )
    {
        c->short_read = true;
        return 0;
    }
    return c->buf[c->pos++];
}

/* A little-endian immediate or displacement of n bytes, sign-extended. */
static int64_t next_signed(struct cursor *c, unsigned int n)
{
    uint64_t v = 0;

    for ( unsigned int i = 0; i < n; i++ )
        v |= (uint64_t)next_byte(c) << (8 * i);
    if ( n < 8 && (v >> (8 * n - 1)) & 1 )
        v |= ~0UL << (8 * n);
    return (int64_t)v;
}

/*
 * ModRM, SIB and displacement. Returns the ModRM reg field (0-7, before
 * REX.R) or -1 if the operand is a register: we only emulate writes to
 * memory.
 */
static int decode_modrm(struct cursor *c, uint8_t rex, struct ptwr_insn *in)
{
    uint8_t modrm = next_byte(c), mod = modrm >> 6, rm = modrm & 7;
    uint8_t field = (modrm >> 3) & 7;

    in->reg = field | (rex & 4 ? 8 : 0);
    if ( mod == 3 )
        return -1;
    in->base = PTWR_REG_NONE;
    in->index = PTWR_REG_NONE;
    in->scale = 1;
    if ( rm == 4 )
    {
        uint8_t sib = next_byte(c);
        uint8_t index = ((sib >> 3) & 7) | (rex & 2 ? 8 : 0);

        if ( index != 4 )           /* 4 without REX.X: no index */
        {
            in->index = index;
            in->scale = 1 << (sib >> 6);
        }
        if ( (sib & 7) == 5 && mod == 0 )
            in->disp = next_signed(c, 4);      /* no base */
        else
            in->base = (sib & 7) | (rex & 1 ? 8 : 0);
    }
    else if ( rm == 5 && mod == 0 )
    {
        in->base = PTWR_REG_RIP;
        in->disp = next_signed(c, 4);
    }
    else
        in->base = rm | (rex & 1 ? 8 : 0);
    if ( mod == 1 )
        in->disp = next_signed(c, 1);
    else if ( mod == 2 )
        in->disp = next_signed(c, 4);
    return field;
}

/* Bytes of a "z" immediate: 16 bits with 66, otherwise 32 (extended). */
static unsigned int imm_z(unsigned int width)
{
    return width == 2 ? 2 : 4;
}

/* The one-byte opcodes (after prefixes). -1: not ours. */
static int decode_one_byte(struct cursor *c, uint8_t b, uint8_t rex,
                           struct ptwr_insn *in)
{
    bool byte = !(b & 1);
    int f;

    if ( b < 0x40 && (b & 7) <= 1 && (b >> 3) <= 6 )
    {
        /* ADD OR ADC SBB AND SUB XOR r/m, reg (CMP, /7, does not write). */
        in->op = b >> 3;
        in->src = PTWR_SRC_REG;
        if ( byte )
            in->width = 1;
        return decode_modrm(c, rex, in) < 0 ? -1 : 0;
    }

    switch ( b )
    {
    case 0x80: case 0x81: case 0x83:
        f = decode_modrm(c, rex, in);
        if ( f < 0 || f == 7 )
            return -1;
        in->op = f;
        in->src = PTWR_SRC_IMM;
        if ( b == 0x80 )
            in->width = 1;
        in->imm = next_signed(c, b == 0x81 ? imm_z(in->width) : 1);
        return 0;
    case 0x86: case 0x87:
    case 0x88: case 0x89:
        in->op = b <= 0x87 ? PTWR_XCHG : PTWR_MOV;
        in->src = PTWR_SRC_REG;
        if ( byte )
            in->width = 1;
        return decode_modrm(c, rex, in) < 0 ? -1 : 0;
    case 0xc6: case 0xc7:
        if ( decode_modrm(c, rex, in) != 0 )
            return -1;
        in->op = PTWR_MOV;
        in->src = PTWR_SRC_IMM;
        if ( byte )
            in->width = 1;
        in->imm = next_signed(c, byte ? 1 : imm_z(in->width));
        return 0;
    case 0xfe: case 0xff:
        f = decode_modrm(c, rex, in);
        if ( f != 0 && f != 1 )
            return -1;
        in->op = f ? PTWR_DEC : PTWR_INC;
        if ( byte )
            in->width = 1;
        return 0;
    case 0xf6: case 0xf7:
        f = decode_modrm(c, rex, in);
        if ( f != 2 && f != 3 )
            return -1;
        in->op = f == 2 ? PTWR_NOT : PTWR_NEG;
        if ( byte )
            in->width = 1;
        return 0;
    default:
        return -1;
    }
}

/* The two-byte opcodes 0F xx. */
static int decode_two_byte(struct cursor *c, uint8_t rex,
                           struct ptwr_insn *in)
{
    uint8_t b = next_byte(c);
    int f;

    switch ( b )
    {
    case 0xb0: case 0xb1:
    case 0xc0: case 0xc1:
        in->op = b <= 0xb1 ? PTWR_CMPXCHG : PTWR_XADD;
        in->src = PTWR_SRC_REG;
        if ( !(b & 1) )
            in->width = 1;
        return decode_modrm(c, rex, in) < 0 ? -1 : 0;
    case 0xab: case 0xb3: case 0xbb:
        in->op = b == 0xab ? PTWR_BTS : b == 0xb3 ? PTWR_BTR : PTWR_BTC;
        in->src = PTWR_SRC_REG;
        return decode_modrm(c, rex, in) < 0 ? -1 : 0;
    case 0xba:
        f = decode_modrm(c, rex, in);
        if ( f < 5 )                /* /4 is BT, which only reads */
            return -1;
        in->op = f == 5 ? PTWR_BTS : f == 6 ? PTWR_BTR : PTWR_BTC;
        in->src = PTWR_SRC_IMM;
        in->imm = next_byte(c);
        return 0;
    default:
        return -1;
    }
}

static bool lockable(unsigned int op)
{
    return op != PTWR_MOV;
}

int ptwr_decode(const uint8_t *buf, unsigned int avail,
                struct ptwr_insn *in)
{
    struct cursor c = { .buf = buf,
                        .avail = avail < PTWR_INSN_MAX ? avail : PTWR_INSN_MAX };
    uint8_t b, rex = 0;
    bool opsize = false;
    int rc;

    memset(in, 0, sizeof(*in));
    for ( ;; )
    {
        b = next_byte(&c);
        if ( c.short_read )
            return -1;
        if ( b >= 0x40 && b <= 0x4f )
        {
            rex = b;
            continue;
        }
        /* A legacy prefix after REX makes the REX void. */
        if ( b == 0xf0 )
            in->lock = true;
        else if ( b == 0x66 )
            opsize = true;
        else if ( b == 0x64 || b == 0x65 )
            in->seg = b - 0x60;
        else if ( b != 0x26 && b != 0x2e && b != 0x36 && b != 0x3e )
            break;                  /* F2, F3, 67 and others: not ours */
        rex = 0;
    }

    in->rex = rex != 0;
    in->width = rex & 8 ? 8 : opsize ? 2 : 4;
    if ( b == 0x0f )
        rc = decode_two_byte(&c, rex, in);
    else
        rc = decode_one_byte(&c, b, rex, in);
    if ( rc || c.short_read || (in->lock && !lockable(in->op)) )
        return -1;
    in->len = c.pos;
    return 0;
}

/* ---- execution --------------------------------------------------------- */

static uint64_t width_mask(unsigned int width)
{
    return width == 8 ? ~0UL : (1UL << (8 * width)) - 1;
}

static uint64_t sign_bit(unsigned int width)
{
    return 1UL << (8 * width - 1);
}

/* SF, ZF and PF (even parity of the low byte) of a result. */
static uint64_t flags_szp(uint64_t r, unsigned int width)
{
    uint64_t f = 0, p = r & 0xff;

    r &= width_mask(width);
    if ( !r )
        f |= FL_ZF;
    if ( r & sign_bit(width) )
        f |= FL_SF;
    p ^= p >> 4;
    p ^= p >> 2;
    p ^= p >> 1;
    if ( !(p & 1) )
        f |= FL_PF;
    return f;
}

/* a + b + carry at width; the result and all six flags. */
static uint64_t do_add(uint64_t a, uint64_t b, unsigned int carry,
                       unsigned int width, uint64_t *f)
{
    uint64_t m = width_mask(width), r;
    bool cf;

    a &= m;
    b &= m;
    r = (a + b + carry) & m;
    if ( width == 8 )
        cf = carry ? r <= a : r < a;
    else
        cf = a + b + carry > m;
    *f = flags_szp(r, width) | (cf ? FL_CF : 0) |
         ((a ^ b ^ r) & FL_AF) |
         ((a ^ r) & (b ^ r) & sign_bit(width) ? FL_OF : 0);
    return r;
}

/* a - b - borrow at width; the result and all six flags. */
static uint64_t do_sub(uint64_t a, uint64_t b, unsigned int borrow,
                       unsigned int width, uint64_t *f)
{
    uint64_t m = width_mask(width), r;
    bool cf;

    a &= m;
    b &= m;
    r = (a - b - borrow) & m;
    cf = borrow ? a <= b : a < b;
    *f = flags_szp(r, width) | (cf ? FL_CF : 0) |
         ((a ^ b ^ r) & FL_AF) |
         ((a ^ b) & (a ^ r) & sign_bit(width) ? FL_OF : 0);
    return r;
}

static uint64_t do_logic(unsigned int op, uint64_t a, uint64_t b,
                         unsigned int width, uint64_t *f)
{
    uint64_t r = op == PTWR_AND ? a & b : op == PTWR_OR ? a | b : a ^ b;

    r &= width_mask(width);
    *f = flags_szp(r, width);
    return r;
}

/*
 * BTS/BTR/BTC with a register bit offset: how many bytes the memory
 * operand moves (a multiple of width, possibly negative), and the bit
 * number within the word found there.
 */
static int64_t bit_displacement(unsigned int width, uint64_t offset,
                                unsigned int *bit)
{
    unsigned int bits = 8 * width;
    int64_t off = (int64_t)offset;

    /* The register offset is a signed number of operand-size bits. */
    if ( width < 8 )
        off = (int64_t)(offset << (64 - bits)) >> (64 - bits);
    *bit = off & (bits - 1);
    /* An arithmetic shift: floor division, also for negative offsets. */
    return (off >> (__builtin_ctz(bits))) * (int64_t)width;
}

static void do_bitop(const struct ptwr_insn *in, uint64_t old, uint64_t src,
                     uint64_t *flags, struct ptwr_result *res)
{
    uint64_t mask = 1UL << (src & (8 * in->width - 1));

    *flags = (*flags & ~FL_CF) | (old & mask ? FL_CF : 0);
    res->mem = in->op == PTWR_BTS ? old | mask :
               in->op == PTWR_BTR ? old & ~mask : old ^ mask;
}

void ptwr_execute(const struct ptwr_insn *in, uint64_t old, uint64_t src,
                  uint64_t rax, uint64_t flags, struct ptwr_result *res)
{
    unsigned int w = in->width, cf = flags & FL_CF;
    uint64_t m = width_mask(w), f = 0;
    uint64_t keep = ~PTWR_FLAGS_ARITH;  /* flags the result leaves alone */

    old &= m;
    src &= m;
    res->write_mem = true;
    res->reg_out = PTWR_REG_NONE;
    switch ( in->op )
    {
    case PTWR_ADD: case PTWR_ADC:
        res->mem = do_add(old, src, in->op == PTWR_ADC ? cf : 0, w, &f);
        break;
    case PTWR_SUB: case PTWR_SBB:
        res->mem = do_sub(old, src, in->op == PTWR_SBB ? cf : 0, w, &f);
        break;
    case PTWR_AND: case PTWR_OR: case PTWR_XOR:
        res->mem = do_logic(in->op, old, src, w, &f);
        break;
    case PTWR_MOV:
        res->mem = src;
        keep = ~0UL;
        break;
    case PTWR_XCHG:
        res->mem = src;
        res->reg_out = in->reg;
        res->reg_val = old;
        keep = ~0UL;
        break;
    case PTWR_XADD:
        res->mem = do_add(old, src, 0, w, &f);
        res->reg_out = in->reg;
        res->reg_val = old;
        break;
    case PTWR_CMPXCHG:
        do_sub(rax, old, 0, w, &f);
        if ( (rax & m) == old )
            res->mem = src;
        else
        {
            res->write_mem = false;
            res->mem = old;
            res->reg_out = 0;       /* the accumulator gets the value */
            res->reg_val = old;
        }
        break;
    case PTWR_INC: case PTWR_DEC:
        res->mem = in->op == PTWR_INC ? do_add(old, 1, 0, w, &f)
                                      : do_sub(old, 1, 0, w, &f);
        keep |= FL_CF;
        f &= ~FL_CF;
        break;
    case PTWR_NOT:
        res->mem = ~old & m;
        keep = ~0UL;
        break;
    case PTWR_NEG:
        res->mem = do_sub(0, old, 0, w, &f);
        break;
    default:                        /* BTS, BTR, BTC */
        f = flags;
        do_bitop(in, old, src, &f, res);
        keep = ~FL_CF;
        f &= FL_CF;
        break;
    }
    res->flags = (flags & keep) | (f & ~keep);
}

/* ---- operands ---------------------------------------------------------- */

uint64_t ptwr_operands(const struct ptwr_insn *in, uint64_t *const gpr[16],
                       uint64_t rip, uint64_t *addr)
{
    uint64_t a = (uint64_t)(int64_t)in->disp, src;
    unsigned int bit;

    if ( in->base == PTWR_REG_RIP )
        a += rip + in->len;
    else if ( in->base != PTWR_REG_NONE )
        a += *gpr[in->base];
    if ( in->index != PTWR_REG_NONE )
        a += *gpr[in->index] * in->scale;
    *addr = a;

    if ( in->src == PTWR_SRC_IMM )
        return (uint64_t)in->imm;
    if ( in->src == PTWR_SRC_NONE )
        return 0;
    src = ptwr_reg_get(gpr, in, in->reg, in->width);
    if ( in->op >= PTWR_BTS )
    {
        /* A register bit offset may reach outside the addressed word. */
        *addr += bit_displacement(in->width, src, &bit);
        src = bit;
    }
    return src;
}

/* ---- register operands ------------------------------------------------- */

/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
static bool high_byte(const struct ptwr_insn *in, unsigned int reg,
                      unsigned int width)
{
    return width == 1 && !in->rex && reg >= 4 && reg < 8;
}

uint64_t ptwr_reg_get(uint64_t *const gpr[16], const struct ptwr_insn *in,
                      unsigned int reg, unsigned int width)
{
    if ( high_byte(in, reg, width) )
        return (*gpr[reg - 4] >> 8) & 0xff;
    return *gpr[reg] & width_mask(width);
}

void ptwr_reg_set(uint64_t *const gpr[16], const struct ptwr_insn *in,
                  unsigned int reg, unsigned int width, uint64_t val)
{
    uint64_t m = width_mask(width);

    if ( high_byte(in, reg, width) )
        *gpr[reg - 4] = (*gpr[reg - 4] & ~0xff00UL) | ((val & 0xff) << 8);
    else if ( width == 4 )
        *gpr[reg] = val & m;        /* 32-bit writes zero the top half */
    else
        *gpr[reg] = (*gpr[reg] & ~m) | (val & m);
}
