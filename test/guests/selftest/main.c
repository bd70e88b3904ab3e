/*
 * Selftest: the runtime itself works on this hypervisor.
 *
 * Covers console output, both hypercall transports (raw SYSCALL and the
 * hypercall page), register preservation across a hypercall, unknown
 * hypercall numbers, start_info sanity, an expected trap round trip and
 * the printf used for every report.
 */
#include "test.h"

const char test_title[] = "selftest";

static void test_console(void)
{
    static const char msg[] = "selftest: console_io write via raw syscall\n";
    static const char msg2[] = "selftest: console_io write via page\n";

    CHECK_RC(hypercall_raw(__HYPERVISOR_console_io, CONSOLEIO_write,
                           sizeof(msg) - 1, GADDR(msg), 0, 0), 0);

    if ( (uintptr_t)hypercall_page & (PAGE_SIZE - 1) )
        test_error("hypercall page %p is not page aligned",
                   (void *)hypercall_page);

    /* An unfilled page is all int3: fail instead of trapping. */
    if ( hypercall_page[0] == 0xcc )
    {
        test_fail("hypercall page was not filled in");
        return;
    }
    CHECK_RC(hypercall_page_call(__HYPERVISOR_console_io, CONSOLEIO_write,
                                 sizeof(msg2) - 1, GADDR(msg2), 0, 0), 0);
}

static void test_both_paths(void)
{
    long raw = hypercall_raw(__HYPERVISOR_xen_version, XENVER_version,
                             0, 0, 0, 0);
    long page;

    if ( hypercall_page[0] == 0xcc )
        return;
    page = hypercall_page_call(__HYPERVISOR_xen_version, XENVER_version,
                               0, 0, 0, 0);
    if ( raw <= 0 || raw != page )
        test_fail("xen_version: raw %#lx, page %#lx", raw, page);
    printk("selftest: Xen ABI version %lu.%lu\n",
           (unsigned long)raw >> 16, (unsigned long)raw & 0xffff);

    /* The typed wrappers honour hypercall_use_page. */
    hypercall_use_page = true;
    CHECK_RC(HYPERVISOR_xen_version(XENVER_version, NULL), raw);
    hypercall_use_page = false;
}

/*
 * A hypercall may clobber RAX and the five argument registers; RBX, RBP,
 * R9, R12-R15 must survive, and RCX/R11 are restored by the push/pop
 * around SYSCALL.  Fill them with patterns and compare afterwards.  The
 * asm names the arrays by symbol, as no general register is free.
 */
uint64_t selftest_before[8], selftest_after[8];

#define SAVE_REGS(arr)                                                      \
    "mov %%rbx, " arr "+0(%%rip); mov %%rbp, " arr "+8(%%rip)\n\t"         \
    "mov %%r9, " arr "+16(%%rip); mov %%r12, " arr "+24(%%rip)\n\t"        \
    "mov %%r13, " arr "+32(%%rip); mov %%r14, " arr "+40(%%rip)\n\t"       \
    "mov %%r15, " arr "+48(%%rip); mov %%rcx, " arr "+56(%%rip)\n\t"

static void test_preserved_regs(void)
{
    static const char *const names[] = {
        "rbx", "rbp", "r9", "r12", "r13", "r14", "r15", "rcx",
    };
    unsigned int i;
    long rc;

    asm volatile ( "push %%rbp\n\t"
                   "mov $0x1111111111111111, %%rbx\n\t"
                   "mov $0x2222222222222222, %%rbp\n\t"
                   "mov $0x9999999999999999, %%r9\n\t"
                   "mov $0x1212121212121212, %%r12\n\t"
                   "mov $0x1313131313131313, %%r13\n\t"
                   "mov $0x1414141414141414, %%r14\n\t"
                   "mov $0x1515151515151515, %%r15\n\t"
                   "mov $0xcccccccccccccccc, %%rcx\n\t"
                   SAVE_REGS("selftest_before")
                   "mov $17, %%eax\n\t"         /* xen_version */
                   "xor %%edi, %%edi\n\t"
                   "xor %%esi, %%esi\n\t"
                   "push %%rcx; push %%r11; syscall; pop %%r11; pop %%rcx\n\t"
                   SAVE_REGS("selftest_after")
                   "pop %%rbp"
                   : "=a" (rc)
                   :
                   : "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10",
                     "r11", "r12", "r13", "r14", "r15", "memory" );

    if ( rc <= 0 )
        test_fail("xen_version in register test returned %ld", rc);
    for ( i = 0; i < ARRAY_SIZE(names); i++ )
        if ( selftest_before[i] != selftest_after[i] )
            test_fail("%s changed across a hypercall: %#lx -> %#lx",
                      names[i], selftest_before[i], selftest_after[i]);
}

/*
 * Numbers with no hypercall behind them: Xen's generated dispatcher
 * (call_handlers_pv64, from xen/scripts/gen_hypercall.awk) answers
 * -ENOSYS.  63 is left out on purpose: Mica uses it as a null hypercall
 * for benchmarks.
 */
static void test_unknown_hypercalls(void)
{
    static const unsigned long nrs[] = { 11, 43, 47, 56, 64, 127, 1000 };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(nrs); i++ )
    {
        long rc = hypercall_raw(nrs[i], 0, 0, 0, 0, 0);

        if ( rc != -XEN_ENOSYS )
            test_fail("hypercall %lu: got %ld (%s), expected -ENOSYS",
                      nrs[i], rc, xen_errno_name(rc));
    }
}

static void test_start_info(void)
{
    const struct start_info *si = start_info;

    printk("selftest: start_info at %p: magic \"%.32s\" nr_pages %lu "
           "flags %#x\n", (const void *)si, si->magic, si->nr_pages,
           si->flags);
    printk("selftest: pt_base %#lx nr_pt_frames %lu mfn_list %#lx "
           "cmdline \"%s\"\n", si->pt_base, si->nr_pt_frames, si->mfn_list,
           (const char *)si->cmd_line);

    if ( strncmp(si->magic, "xen-3.0-x86_64", 14) )
        test_fail("start_info magic \"%.32s\"", si->magic);
    if ( si->nr_pages == 0 )
        test_fail("start_info nr_pages is 0");
    if ( (si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) !=
         (SIF_PRIVILEGED | SIF_INITDOMAIN) )
        test_fail("dom0 start_info flags %#x lack PRIVILEGED|INITDOMAIN",
                  si->flags);
    if ( si->pt_base < VIRT_BASE || (si->pt_base & (PAGE_SIZE - 1)) )
        test_fail("pt_base %#lx not a page in the initial mapping",
                  si->pt_base);
    if ( si->mfn_list < VIRT_BASE )
        test_fail("mfn_list %#lx outside the initial mapping", si->mfn_list);
    if ( (uintptr_t)si < VIRT_BASE || ((uintptr_t)si & (PAGE_SIZE - 1)) )
        test_fail("start_info %p not page aligned in the initial mapping",
                  (const void *)si);
    if ( si->shared_info & (PAGE_SIZE - 1) )
        test_fail("shared_info machine address %#lx not page aligned",
                  si->shared_info);
}

static void test_trap_roundtrip(void)
{
    const struct trap_record *t = expect_trap_insn(X86_EXC_UD, "ud2");

    if ( !t )
        test_fail("ud2 did not reach the #UD handler");
    else if ( t->rip != trap_expect_insn )
        test_fail("#UD reported RIP %#lx, expected %#lx",
                  t->rip, trap_expect_insn);

    t = expect_trap_insn(X86_EXC_BP, "int3");
    if ( !t )
        test_fail("int3 did not reach the #BP handler");
    else if ( t->rip != trap_expect_resume )
        test_fail("#BP reported RIP %#lx, expected %#lx (after int3)",
                  t->rip, trap_expect_resume);
}

static void test_printf(void)
{
    char buf[128];

    snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lx|%#x|%s|%c|%.3s|%%",
             -42, 7u, 0xabu, 0x1234UL, 0x10u, "str", 'c', "abcdef");
    if ( strcmp(buf, "-42|    7|ab  |00001234|0x10|str|c|abc|%") )
        test_fail("snprintf produced \"%s\"", buf);
}

void test_main(void)
{
    test_console();
    test_both_paths();
    test_preserved_regs();
    test_unknown_hypercalls();
    test_start_info();
    test_trap_roundtrip();
    test_printf();
    test_success();
}
