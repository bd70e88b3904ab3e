/*
 * The control interface's pure logic: vCPU context validation
 * (vcpu_context_check.c), the log-dirty bitmap (logdirty_bitmap.c) and
 * page-frame classification (pageinfo.c, over the simulated frame table
 * of the page-type suites), plus the page-type code's log-dirty hook.
 */
#include <stdlib.h>
#include <string.h>

#include <mica/logdirty.h>
#include <mica/vcpu_context.h>
#include <public/arch-x86_64.h>

#include "pt_sim.h"
#include "unit.h"

static struct mica_vcpu_context c;

static void good(void)
{
    memset(&c, 0, sizeof(c));
    c.regs.rip = 0xffffffff80100000ULL;
    c.regs.rsp = 0xffffffff80200000ULL;
    c.regs.cs = FLAT_KERNEL_CS;
    c.regs.ss = FLAT_KERNEL_SS;
    c.kernel_sp = 0x00007fffffffe000ULL;
    c.kernel_l4_mfn = 42;
}

START_TEST(context_good_passes)
{
    good();
    ck_assert_int_eq(vcpu_context_check(&c), 0);
    c.gdt_ents = 512;
    c.gdt_frames[0] = 7;
    ck_assert_int_eq(vcpu_context_check(&c), 0);
    c.gdt_ents = FIRST_RESERVED_GDT_ENTRY;
    for ( unsigned int i = 0; i < MICA_GDT_FRAMES; i++ )
        c.gdt_frames[i] = 7 + i;
    ck_assert_int_eq(vcpu_context_check(&c), 0);
}
END_TEST

START_TEST(context_noncanonical_refused)
{
    uint64_t *fields[] = { &c.regs.rip, &c.event_callback,
                           &c.failsafe_callback, &c.syscall_callback,
                           &c.fs_base, &c.gs_base_kernel, &c.gs_base_user,
                           &c.traps[255].address, &c.regs.rsp, &c.kernel_sp };

    for ( unsigned int i = 0; i < sizeof(fields) / sizeof(fields[0]); i++ )
    {
        good();
        *fields[i] = 0x0000800000000000ULL;
        ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
        *fields[i] = 0xffff7fffffffffffULL;
        ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    }
}
END_TEST

START_TEST(context_stack_in_hypervisor_refused)
{
    good();
    c.kernel_sp = HYPERVISOR_VIRT_START;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    c.kernel_sp = HYPERVISOR_VIRT_END - 8;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    c.kernel_sp = HYPERVISOR_VIRT_END;
    ck_assert_int_eq(vcpu_context_check(&c), 0);
    c.regs.rsp = HYPERVISOR_VIRT_START + 0x1000;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
}
END_TEST

START_TEST(context_fields_refused)
{
    good();
    c.regs.cs = 0x10;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.regs.ss = 0x18;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.kernel_l4_mfn = 0;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.cb_flags = 4;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.event_mask = 2;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.gdt_ents = 513;                   /* two frames, one given */
    c.gdt_frames[0] = 1;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.gdt_frames[3] = 1;                /* a frame beyond gdt_ents */
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    good();
    c.ldt_ents = 8192;
    c.ldt_base = 0x1000;
    ck_assert_int_eq(vcpu_context_check(&c), 0);
    c.ldt_ents = 8193;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    c.ldt_ents = 1;
    c.ldt_base = 0x1008;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
    c.ldt_base = HYPERVISOR_VIRT_START;
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
}
END_TEST

START_TEST(context_rflags_sanitised)
{
    ck_assert_uint_eq(vcpu_context_rflags(0), 0x202);
    ck_assert_uint_eq(vcpu_context_rflags(~0ULL), 0xed7);
    ck_assert_uint_eq(vcpu_context_gdt_frames(0), 0);
    ck_assert_uint_eq(vcpu_context_gdt_frames(1), 1);
    ck_assert_uint_eq(vcpu_context_gdt_frames(513), 2);
}
END_TEST

START_TEST(bitmap_marks_counts_overflows)
{
    uint64_t words[3];
    struct ld_bitmap b;
    uint8_t out[24];

    ck_assert_uint_eq(ld_bytes(129), 24);
    ld_init(&b, words, 129);
    ld_mark(&b, 0);
    ld_mark(&b, 128);
    ld_mark(&b, 128);
    ld_mark(&b, 129);
    ld_mark(&b, ~0ULL);
    ck_assert(ld_test(&b, 0) && ld_test(&b, 128) && !ld_test(&b, 1));
    ck_assert(!ld_test(&b, 129));
    ck_assert_uint_eq(b.dirty, 2);
    ck_assert_uint_eq(b.overflow, 2);
    memcpy(out, words, ld_copy_bytes(&b, 129));
    ck_assert_uint_eq(out[0], 1);
    ck_assert_uint_eq(out[16], 1);
    ck_assert_uint_eq(ld_copy_bytes(&b, 8), 1);
    ck_assert_uint_eq(ld_copy_bytes(&b, 100000), 24);
    ld_clear(&b);
    ck_assert(!ld_test(&b, 0) && !b.dirty && !b.overflow);
}
END_TEST

START_TEST(pageinfo_classifies)
{
    unsigned long l1, l2, data, ro;
    pte_t *t;

    pt_sim_reset();
    l1 = pt_sim_alloc(1);
    l2 = pt_sim_alloc(1);
    data = pt_sim_alloc(1);
    ro = pt_sim_alloc(1);
    t = pt_sim_frame(l1);
    t[0] = pte(data, P | RW);
    t[1] = pte(ro, P);
    ck_assert_int_eq(pt_pin(l1, 1, 1), 0);
    pt_sim_frame(l2)[0] = pte(l1, P | RW);
    ck_assert_int_eq(get_page_and_type(l2, 1, PGT_l2), 0);
    ck_assert_uint_eq(pageinfo_classify(l1, 1),
                      MICA_PAGEINFO_l1 | MICA_PAGEINFO_pinned);
    ck_assert_uint_eq(pageinfo_classify(l2, 1), MICA_PAGEINFO_l2);
    ck_assert_uint_eq(pageinfo_classify(data, 1), MICA_PAGEINFO_notab);
    ck_assert_uint_eq(pageinfo_classify(ro, 1), MICA_PAGEINFO_notab);
    ck_assert_uint_eq(pageinfo_classify(data, 2), MICA_PAGEINFO_invalid);
    ck_assert_uint_eq(pageinfo_classify(PT_SIM_FRAMES + 5, 1),
                      MICA_PAGEINFO_invalid);
    ck_assert_uint_eq(pageinfo_classify(90, 1), MICA_PAGEINFO_invalid);
}
END_TEST

/* The hook log-dirty relies on: first writable use, validation, updates. */
START_TEST(type_code_reports_changes)
{
    unsigned long l1, data, other;
    struct pt_ctx ctx = { 1, 1 };

    pt_sim_reset();
    l1 = pt_sim_alloc(1);
    data = pt_sim_alloc(1);
    other = pt_sim_alloc(1);
    ck_assert_int_eq(get_page_and_type(data, 1, PGT_writable), 0);
    ck_assert_uint_eq(sim.dirtied, 1);
    ck_assert_uint_eq(sim.last_dirty, data);
    ck_assert_int_eq(get_page_type(data, PGT_writable), 0);
    ck_assert_uint_eq(sim.dirtied, 1);      /* not the first use */
    ck_assert_int_eq(pt_pin(l1, 1, 1), 0);
    ck_assert_uint_eq(sim.last_dirty, l1);  /* validated */
    sim.dirtied = 0;
    ck_assert_int_eq(pt_update_entry(l1, 3, pte(other, P | RW), &ctx,
                                     false), 0);
    /* `other` became writable, and the table's entry changed. */
    ck_assert_uint_eq(sim.dirtied, 2);
    ck_assert_uint_eq(sim.last_dirty, l1);
    ck_assert_int_eq(pt_update_entry(l1, 3, pte(other, P | RW |
                                                _PAGE_DIRTY), &ctx, false),
                     0);
    ck_assert_uint_eq(sim.dirtied, 3);
}
END_TEST

/* VCPUOP_initialise's Xen-format context, as Linux's cpu_initialize_context
 * fills it: its own GDT selectors (RPL 0), one GDT frame, ctrlreg[3]. */
static struct vcpu_guest_context g;

static void good_xen(void)
{
    memset(&g, 0, sizeof(g));
    g.flags = VGCF_in_kernel;
    g.user_regs.rip = 0xffffffff81001b50ULL;
    g.user_regs.rsp = 0xffffc90040097f58ULL;
    g.user_regs.cs = 0x10;
    g.user_regs.ss = 0x18;
    g.user_regs.ds = 0x2b;
    g.user_regs.rdi = 1;
    g.user_regs.rflags = 0x1000;
    g.gdt_frames[0] = 0x1cb0b;
    g.gdt_frames[15] = 0xdead;      /* beyond gdt_ents: ignored */
    g.gdt_ents = 16;
    g.kernel_ss = 0x18;
    g.kernel_sp = 0xffffc90040098000ULL;
    g.ctrlreg[3] = 0x5c10000;
    g.event_callback_eip = 0xffffffff81002000ULL;
    g.failsafe_callback_eip = 0xffffffff81003000ULL;
    g.gs_base_kernel = 0xffff888027900000ULL;
    g.trap_ctxt[14].address = 0xffffffff81004000ULL;
    g.trap_ctxt[14].cs = 0x10;
    g.trap_ctxt[14].flags = 4;
}

START_TEST(xen_context_converts)
{
    good_xen();
    g.flags |= VGCF_failsafe_disables_events;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 1, &c), 0);
    ck_assert_uint_eq(c.regs.cs, 0x13);
    ck_assert_uint_eq(c.regs.ss, 0x1b);
    ck_assert_uint_eq(c.regs.ds, 0x2b);
    ck_assert_uint_eq(c.regs.rdi, 1);
    ck_assert_uint_eq(c.regs.rip, g.user_regs.rip);
    ck_assert_uint_eq(c.kernel_ss, 0x1b);
    ck_assert_uint_eq(c.kernel_sp, g.kernel_sp);
    ck_assert_uint_eq(c.kernel_l4_mfn, 0x5c10);
    ck_assert_uint_eq(c.user_l4_mfn, 0);
    ck_assert_uint_eq(c.gdt_ents, 16);
    ck_assert_uint_eq(c.gdt_frames[0], 0x1cb0b);
    ck_assert_uint_eq(c.gdt_frames[1], 0);
    ck_assert_uint_eq(c.cb_flags, MICA_CBF_failsafe_mask);
    ck_assert_uint_eq(c.event_callback, g.event_callback_eip);
    ck_assert_uint_eq(c.gs_base_kernel, g.gs_base_kernel);
    ck_assert_uint_eq(c.event_mask, 1);
    ck_assert_uint_eq(c.traps[14].address, g.trap_ctxt[14].address);
    ck_assert_uint_eq(c.traps[14].cs, 0x13);
    ck_assert_uint_eq(c.traps[14].flags, 4);
    /* The domctl rule (flat selectors only) is not VCPUOP_initialise's. */
    ck_assert_int_eq(vcpu_context_check(&c), -EINVAL);
}
END_TEST

START_TEST(xen_context_refused)
{
    good_xen();
    g.user_regs.rip = 0x0000800000000000ULL;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.syscall_callback_eip = 0xffff7fffffffffffULL;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.ctrlreg[3] = 0;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.gdt_frames[0] = 0;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.ldt_base = 0x1234;            /* misaligned, even with no entries */
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.ldt_base = HYPERVISOR_VIRT_START;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.ldt_ents = 8193;
    g.ldt_base = 0x10000;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    good_xen();
    g.flags = 0;                    /* user mode needs ctrlreg[1] */
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), -EINVAL);
    g.ctrlreg[1] = 0x5c11000;
    ck_assert_int_eq(vcpu_context_from_xen(&g, 0, &c), 0);
    ck_assert_uint_eq(c.user_l4_mfn, 0x5c11);
}
END_TEST

Suite *domctl_suite(void)
{
    Suite *s = suite_create("domctl");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, context_good_passes);
    tcase_add_test(tc, context_noncanonical_refused);
    tcase_add_test(tc, context_stack_in_hypervisor_refused);
    tcase_add_test(tc, context_fields_refused);
    tcase_add_test(tc, context_rflags_sanitised);
    tcase_add_test(tc, xen_context_converts);
    tcase_add_test(tc, xen_context_refused);
    tcase_add_test(tc, bitmap_marks_counts_overflows);
    tcase_add_test(tc, pageinfo_classifies);
    tcase_add_test(tc, type_code_reports_changes);
    suite_add_tcase(s, tc);
    return s;
}
