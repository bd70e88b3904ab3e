/*
 * The writable page-table instruction emulator (ptwr_insn.c) against the
 * host CPU. Every template below is assembled by the host assembler, so
 * the bytes are real encodings. Each one is decoded (its length must
 * match), then run many times with random registers, flags and memory:
 * once natively on this CPU and once through ptwr_operands,
 * ptwr_execute and ptwr_reg_set. Registers, memory and the flags the SDM
 * defines for the instruction must come out the same.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <asm/ptwr_insn.h>

#include "unit.h"

/* A template: instruction bytes [start, end) and its text. */
struct tmpl
{
    const uint8_t *start, *end;
    const char *text;
};

#define TMPL(text)                                                            \
    __asm__ ( ".pushsection .rodata\n"                                        \
              "1: " text "\n"                                                 \
              "2:\n"                                                          \
              "3: .asciz \"" text "\"\n"                                      \
              ".popsection\n"                                                 \
              ".pushsection ptwr_tmpl, \"aw\"\n"                              \
              ".quad 1b, 2b, 3b\n"                                            \
              ".popsection\n" );

/*
 * Register roles: rdi and r8 point into the data buffer, rsi and r12
 * are small indexes, everything else is random. Memory operands must
 * land in the buffer or in the code page after the instruction.
 */
TMPL("movq %rax, (%rdi)")
TMPL("movl %ebx, 4(%rdi)")
TMPL("movw %dx, 2(%rdi,%rsi,8)")
TMPL("movb %ah, 1(%rdi)")
TMPL("movb %bpl, 3(%rdi)")
TMPL("movb %r9b, -1(%r8)")
TMPL("movq %r13, (%r8,%r12,8)")
TMPL("movq $-5, 8(%rdi)")
TMPL("movl $0x12345678, (%rdi,%rsi,4)")
TMPL("movw $0x1234, 0x100(%rdi)")
TMPL("movb $0x7f, (%rdi)")
TMPL("movq %rax, 0x40(%rip)")
TMPL("xchgq %rax, (%rdi)")
TMPL("xchgl %ecx, 4(%rdi)")
TMPL("xchgb %bh, 5(%rdi)")
TMPL("xchgw %r10w, (%r8)")
TMPL("lock cmpxchgq %rbx, (%rdi)")
TMPL("lock cmpxchgl %edx, 4(%rdi)")
TMPL("lock cmpxchgw %dx, (%rdi)")
TMPL("lock cmpxchgb %bh, 2(%rdi)")
TMPL("cmpxchgq %r11, 0x48(%rip)")
TMPL("lock xaddq %rdx, (%rdi)")
TMPL("lock xaddb %al, 7(%rdi)")
TMPL("xaddl %r14d, (%r8,%r12,4)")
TMPL("lock addq %rbx, (%rdi)")
TMPL("adcl %eax, 8(%rdi)")
TMPL("lock sbbw %dx, (%rdi)")
TMPL("lock andb %ch, (%rdi)")
TMPL("orq %r10, -8(%rdi,%rsi,8)")
TMPL("subl %r11d, (%rdi)")
TMPL("lock xorq %rax, (%rdi)")
TMPL("lock andb $0xfd, (%rdi)")
TMPL("lock orb $0x40, 1(%rdi)")
TMPL("lock andq $-3, (%rdi)")
TMPL("addq $0x7fffffff, (%rdi)")
TMPL("subw $0x7fff, (%rdi)")
TMPL("lock orl $0x80000000, 4(%rdi)")
TMPL("adcb $1, (%rdi)")
TMPL("adcq %rbx, (%rdi)")
TMPL("lock adcq $-1, 8(%rdi)")
TMPL("sbbq %rcx, (%rdi)")
TMPL("sbbq $-1, (%rdi)")
TMPL("xorl $-1, (%rdi)")
TMPL("lock orq $0x10, 0x50(%rip)")
TMPL("lock incq (%rdi)")
TMPL("decl 4(%rdi)")
TMPL("incb 6(%rdi)")
TMPL("lock notw (%rdi)")
TMPL("negb 3(%rdi)")
TMPL("lock negq (%rdi)")
TMPL("lock btsq %rdx, (%rdi)")
TMPL("lock btrq %rdx, (%rdi)")
TMPL("btcl %edx, (%rdi)")
TMPL("lock btrw %dx, (%rdi)")
TMPL("lock btsq $63, (%rdi)")
TMPL("lock btrq $5, 8(%rdi)")
TMPL("btcw $17, (%rdi)")
TMPL("lock btsl $31, (%rdi)")
TMPL("lock btrq %r9, (%r8)")

extern const struct tmpl __start_ptwr_tmpl[], __stop_ptwr_tmpl[];

/* The registers in ModRM order, then RFLAGS; shared with run_insn. */
struct state
{
    uint64_t gpr[16];
    uint64_t flags;
};

/*
 * run_insn(state, code): load every register but RSP and the flags from
 * *state, call code (the instruction followed by RET), store them back.
 */
void run_insn(struct state *st, const void *code);
__asm__ (
    ".pushsection .text\n"
    ".globl run_insn\n"
    "run_insn:\n"
    "    push %rbp\n push %rbx\n push %r12\n push %r13\n push %r14\n"
    "    push %r15\n"
    "    push %rdi\n"               /* the state, at 8(%rsp) */
    "    push %rsi\n"               /* the code, at 0(%rsp) */
    "    pushq 128(%rdi)\n popfq\n"
    "    mov 0(%rdi), %rax\n mov 8(%rdi), %rcx\n mov 16(%rdi), %rdx\n"
    "    mov 24(%rdi), %rbx\n mov 40(%rdi), %rbp\n mov 48(%rdi), %rsi\n"
    "    mov 64(%rdi), %r8\n mov 72(%rdi), %r9\n mov 80(%rdi), %r10\n"
    "    mov 88(%rdi), %r11\n mov 96(%rdi), %r12\n mov 104(%rdi), %r13\n"
    "    mov 112(%rdi), %r14\n mov 120(%rdi), %r15\n mov 56(%rdi), %rdi\n"
    "    call *(%rsp)\n"
    "    pushfq\n push %rdi\n"
    "    mov 24(%rsp), %rdi\n"
    "    mov %rax, 0(%rdi)\n mov %rcx, 8(%rdi)\n mov %rdx, 16(%rdi)\n"
    "    mov %rbx, 24(%rdi)\n mov %rbp, 40(%rdi)\n mov %rsi, 48(%rdi)\n"
    "    mov %r8, 64(%rdi)\n mov %r9, 72(%rdi)\n mov %r10, 80(%rdi)\n"
    "    mov %r11, 88(%rdi)\n mov %r12, 96(%rdi)\n mov %r13, 104(%rdi)\n"
    "    mov %r14, 112(%rdi)\n mov %r15, 120(%rdi)\n"
    "    pop %rax\n mov %rax, 56(%rdi)\n"
    "    pop %rax\n mov %rax, 128(%rdi)\n"
    "    add $16, %rsp\n"
    "    pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbx\n pop %rbp\n"
    "    ret\n"
    ".popsection\n" );

#define BUF_SIZE 1024
#define CODE_DATA 64            /* the code page's bytes from here are data */

static uint8_t buf[BUF_SIZE] __attribute__((aligned(64)));
static uint8_t *code;           /* one RWX page: instruction, RET, data */

static bool in_memory(uint64_t a, unsigned int width)
{
    uint64_t b = (uint64_t)buf, c = (uint64_t)code;

    return (a >= b && a + width <= b + BUF_SIZE) ||
           (a >= c + CODE_DATA && a + width <= c + 4096);
}

static void pointers(struct state *st, uint64_t *gpr[16])
{
    for ( unsigned int i = 0; i < 16; i++ )
        gpr[i] = &st->gpr[i];
}

/* The flags the SDM defines after op; the rest may differ. */
static uint64_t defined_flags(unsigned int op)
{
    switch ( op )
    {
    case PTWR_BTS: case PTWR_BTR: case PTWR_BTC:
        return 0x001 | 0x040;                   /* CF; ZF unchanged */
    case PTWR_AND: case PTWR_OR: case PTWR_XOR:
        return PTWR_FLAGS_ARITH & ~0x010UL;     /* AF undefined */
    default:
        return PTWR_FLAGS_ARITH;
    }
}

static void randomise(struct state *st, uint64_t *rng)
{
    for ( unsigned int i = 0; i < 16; i++ )
        st->gpr[i] = xorshift64(rng);
    /* Small values and sign changes find the carries and overflows. */
    for ( unsigned int i = 0; i < 16; i++ )
        if ( (xorshift64(rng) & 3) == 0 )
            st->gpr[i] = (xorshift64(rng) & 1 ? -1UL : 1UL) *
                         (xorshift64(rng) & 0x3ff);
    st->gpr[7] = (uint64_t)buf + BUF_SIZE / 2;          /* rdi */
    st->gpr[8] = (uint64_t)buf + BUF_SIZE / 2;          /* r8 */
    st->gpr[6] = xorshift64(rng) & 7;                   /* rsi */
    st->gpr[12] = xorshift64(rng) & 7;                  /* r12 */
    st->gpr[4] = 0;                                     /* rsp: unused */
    /* Bit offsets within +-255 bytes of the pointers. */
    st->gpr[2] = (int64_t)(xorshift64(rng) % 4096) - 2048;  /* rdx */
    st->gpr[9] = (int64_t)(xorshift64(rng) % 4096) - 2048;  /* r9 */
    st->flags = 0x202 | (xorshift64(rng) & PTWR_FLAGS_ARITH);
    for ( unsigned int i = 0; i < BUF_SIZE; i++ )
        buf[i] = xorshift64(rng);
    for ( unsigned int i = CODE_DATA; i < 4096; i++ )
        code[i] = xorshift64(rng);
}

/* Emulate one run; false if the operand is outside the test's memory. */
static bool emulate(const struct ptwr_insn *in, struct state *st)
{
    uint64_t *gpr[16], addr, src, old = 0;
    struct ptwr_result res;

    pointers(st, gpr);
    src = ptwr_operands(in, gpr, (uint64_t)code, &addr);
    if ( !in_memory(addr, in->width) )
        return false;
    memcpy(&old, (void *)addr, in->width);
    ptwr_execute(in, old, src, st->gpr[0], st->flags, &res);
    if ( res.write_mem )
        memcpy((void *)addr, &res.mem, in->width);
    if ( res.reg_out != PTWR_REG_NONE )
        ptwr_reg_set(gpr, in, res.reg_out, in->width, res.reg_val);
    st->flags = res.flags;
    return true;
}

/*
 * Random 64-bit operands almost never meet the edges where carries,
 * borrows and comparisons change, so often put one there: the memory
 * operand equal to the source or the accumulator, zero, all ones, or
 * the sign bit alone.
 */
static void edge_cases(const struct ptwr_insn *in, struct state *st,
                       uint64_t *rng)
{
    uint64_t *gpr[16], addr, src, v;
    unsigned int pick = xorshift64(rng) % 8;

    pointers(st, gpr);
    src = ptwr_operands(in, gpr, (uint64_t)code, &addr);
    if ( !in_memory(addr, in->width) )
        return;
    switch ( pick )
    {
    case 0: v = src; break;
    case 1: v = st->gpr[0]; break;
    case 2: v = 0; break;
    case 3: v = ~0UL; break;
    case 4: v = 1UL << (8 * in->width - 1); break;
    default: return;
    }
    memcpy((void *)addr, &v, in->width);
}

static void check_template(const struct tmpl *t, unsigned int runs,
                           uint64_t *rng)
{
    static uint8_t mem0[BUF_SIZE], code0[4096], mem1[BUF_SIZE];
    unsigned int len = t->end - t->start;
    struct ptwr_insn in;
    struct state st0, native, emul;

    ck_assert_msg(ptwr_decode(t->start, len, &in) == 0, "%s: not decoded",
                  t->text);
    ck_assert_msg(in.len == len, "%s: length %u, assembler says %u",
                  t->text, in.len, len);
    ck_assert_msg(ptwr_decode(t->start, len - 1, &in) != 0,
                  "%s: decoded from a truncated buffer", t->text);
    ptwr_decode(t->start, len, &in);

    memcpy(code, t->start, len);
    code[len] = 0xc3;                           /* ret */
    for ( unsigned int r = 0; r < runs; r++ )
    {
        randomise(&st0, rng);
        edge_cases(&in, &st0, rng);
        memcpy(mem0, buf, BUF_SIZE);
        memcpy(code0, code, 4096);

        native = st0;
        run_insn(&native, code);
        memcpy(mem1, buf, BUF_SIZE);

        memcpy(buf, mem0, BUF_SIZE);
        memcpy(code, code0, 4096);
        emul = st0;
        FAST_ASSERT(emulate(&in, &emul));

        for ( unsigned int i = 0; i < 16; i++ )
            if ( i != 4 && native.gpr[i] != emul.gpr[i] )
                ck_abort_msg("%s: register %u is %lx, CPU says %lx",
                             t->text, i, emul.gpr[i], native.gpr[i]);
        if ( (native.flags ^ emul.flags) & defined_flags(in.op) )
            ck_abort_msg("%s: flags %lx, CPU says %lx (before %lx)",
                         t->text, emul.flags, native.flags, st0.flags);
        if ( memcmp(buf, mem1, BUF_SIZE) )
            ck_abort_msg("%s: memory differs from the CPU's", t->text);
    }
}

START_TEST(test_against_cpu)
{
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    unsigned int n = 0;

    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(code != MAP_FAILED);
    for ( const struct tmpl *t = __start_ptwr_tmpl; t < __stop_ptwr_tmpl;
          t++, n++ )
        check_template(t, 5000, &rng);
    ck_assert_uint_ge(n, 50);
    munmap(code, 4096);
}
END_TEST

/* Instructions that do not write memory, or that we do not emulate. */
START_TEST(test_refused)
{
    static const struct { const char *what; uint8_t b[8]; unsigned int n; }
    cases[] = {
        { "mov (%rdi),%rax",    { 0x48, 0x8b, 0x07 }, 3 },
        { "cmp %rax,(%rdi)",    { 0x48, 0x39, 0x07 }, 3 },
        { "cmpb $1,(%rdi)",     { 0x80, 0x3f, 0x01 }, 3 },
        { "bt %rax,(%rdi)",     { 0x48, 0x0f, 0xa3, 0x07 }, 4 },
        { "btq $1,(%rdi)",      { 0x48, 0x0f, 0xba, 0x27, 0x01 }, 5 },
        { "mov %rax,%rbx",      { 0x48, 0x89, 0xc3 }, 3 },
        { "incq %rax",          { 0x48, 0xff, 0xc0 }, 3 },
        { "pushq (%rdi)",       { 0xff, 0x37 }, 2 },
        { "testb $1,(%rdi)",    { 0xf6, 0x07, 0x01 }, 3 },
        { "rep stosq",          { 0xf3, 0x48, 0xab }, 3 },
        { "movnti %rax,(%rdi)", { 0x48, 0x0f, 0xc3, 0x07 }, 4 },
        { "addr32 mov",         { 0x67, 0x89, 0x07 }, 3 },
        { "lock mov",           { 0xf0, 0x48, 0x89, 0x07 }, 4 },
        { "movq (no modrm)",    { 0x48, 0x89 }, 2 },
        { "c7 /1",              { 0xc7, 0x0f, 1, 2, 3, 4 }, 6 },
        { "16 prefixes",        { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                  0x66, 0x66 }, 8 },
    };
    struct ptwr_insn in;

    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
        ck_assert_msg(ptwr_decode(cases[i].b, cases[i].n, &in) != 0,
                      "%s was decoded", cases[i].what);
}
END_TEST

/* The architectural limit: 15 bytes, however they are made up. */
START_TEST(test_length_limit)
{
    uint8_t b[20];
    struct ptwr_insn in;

    /* 11 segment prefixes + REX.W 89 87 disp32 = 18 bytes: too long. */
    memset(b, 0x3e, 11);
    memcpy(b + 11, (uint8_t[]){ 0x48, 0x89, 0x87, 0, 0, 0, 0 }, 7);
    ck_assert_int_ne(ptwr_decode(b, sizeof(b), &in), 0);
    /* 8 of them: 15 bytes, accepted. */
    ck_assert_int_eq(ptwr_decode(b + 3, 15, &in), 0);
    ck_assert_uint_eq(in.len, 15);
    /* A REX followed by a legacy prefix is void: 32-bit store. */
    ck_assert_int_eq(ptwr_decode((uint8_t[]){ 0x48, 0x3e, 0x89, 0x07 }, 4,
                                 &in), 0);
    ck_assert_uint_eq(in.width, 4);
    ck_assert_uint_eq(in.seg, 0);
    ck_assert_int_eq(ptwr_decode((uint8_t[]){ 0x65, 0x48, 0x89, 0x07 }, 4,
                                 &in), 0);
    ck_assert_uint_eq(in.seg, 5);
    ck_assert_uint_eq(in.width, 8);
}
END_TEST

Suite *ptwr_insn_suite(void)
{
    Suite *s = suite_create("ptwr_insn");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_against_cpu);
    tcase_add_test(tc, test_refused);
    tcase_add_test(tc, test_length_limit);
    suite_add_tcase(s, tc);
    return s;
}
