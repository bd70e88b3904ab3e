/*
 * The control interface against bad requests, and the sub-ops the
 * builder test does not reach. Expected answers follow Xen 4.17 where
 * Xen has the same operation (xen/common/domctl.c do_domctl: -EACCES for
 * a version mismatch, -ESRCH for an unknown domain, -EINVAL for pausing
 * or loading the context of the caller itself, unpause without a pause
 * -EINVAL; domain_kill on the caller -EINVAL; getvcpucontext before any
 * context -ENODATA; arch_set_info_guest -EINVAL for a non-canonical
 * address or a CR3 that does not validate) and Mica's documented choices
 * elsewhere (docs/domctl.md): populate beyond the maximum -ENOMEM, more
 * than MICA_POPULATE_MAX frames -E2BIG, a kernel stack inside the
 * hypervisor's range -EINVAL.
 */
#include "test.h"

const char test_title[] = "domctl_hostile";

static struct mica_vcpu_context ctx;
static uint64_t mfns[MICA_POPULATE_MAX + 1];
static uint32_t types[8];

static long domctl_version(uint32_t cmd, domid_t dom, uint32_t version)
{
    struct mica_domctl op = { .cmd = cmd, .interface_version = version,
                              .domain = dom };

    return HYPERVISOR_domctl(&op);
}

static void framing(void)
{
    struct mica_sysctl sop = { .cmd = MICA_SYSCTL_physinfo,
                               .interface_version = 1 };
    struct mica_domctl op = { .cmd = 99 };

    CHECK_RC(domctl_version(MICA_DOMCTL_getdomaininfo, 0, 0), -XEN_EACCES);
    CHECK_RC(domctl_version(MICA_DOMCTL_getdomaininfo, 0,
                            MICA_CTL_INTERFACE_VERSION + 1), -XEN_EACCES);
    CHECK_RC(HYPERVISOR_sysctl(&sop), -XEN_EACCES);
    CHECK_RC(hypercall1(__HYPERVISOR_domctl, BAD_UNMAPPED), -XEN_EFAULT);
    CHECK_RC(hypercall1(__HYPERVISOR_sysctl, BAD_NONCANONICAL), -XEN_EFAULT);
    CHECK_RC(domctl(&op), -XEN_ENOSYS);
    sop.cmd = 99;
    CHECK_RC(sysctl(&sop), -XEN_ENOSYS);
}

static void bad_targets(void)
{
    static const domid_t bad[] = { 63, 1000, DOMID_SELF, DOMID_IO,
                                   DOMID_XEN, DOMID_IDLE };
    struct mica_domaininfo info;

    for ( unsigned int i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        CHECK_RC(ctl_getinfo(bad[i], &info), -XEN_ESRCH);
        CHECK_RC(domctl_simple(MICA_DOMCTL_pause, bad[i]), -XEN_ESRCH);
        CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, bad[i]), -XEN_ESRCH);
    }
    /* Ourselves, dom0: never paused, stopped or destroyed this way. */
    CHECK_RC(domctl_simple(MICA_DOMCTL_pause, 0), -XEN_EINVAL);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, 0), -XEN_EINVAL);
    CHECK_RC(ctl_setcontext(0, &ctx), -XEN_EINVAL);
    CHECK_RC(ctl_populate(0, 0, 1, mfns), -XEN_EINVAL);
    if ( CHECK_RC(ctl_getinfo(0, &info), 0) &&
         (!(info.flags & MICA_DOMINF_privileged) || info.domain != 0 ||
          info.tot_pages != start_info->nr_pages) )
        test_fail("dom0's info: flags %#x tot %lu", info.flags,
                  (unsigned long)info.tot_pages);
}

static void create_rules(domid_t existing)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_create };

    op.u.create.max_vcpus = 1;
    op.u.create.flags = 1;
    CHECK_RC(domctl(&op), -XEN_EINVAL);
    op.u.create.flags = 0;
    op.u.create.max_vcpus = 0;
    CHECK_RC(domctl(&op), -XEN_EINVAL);
    op.u.create.max_vcpus = MICA_MAX_VCPUS_PER_DOMAIN + 1;
    CHECK_RC(domctl(&op), -XEN_EINVAL);
    op.u.create.max_vcpus = 1;
    op.domain = existing;
    CHECK_RC(domctl(&op), -XEN_EEXIST);
}

static void memory_limits(domid_t d)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_max_mem, .domain = d };
    struct mica_domaininfo info;

    CHECK_RC(ctl_populate(d, 0, 8, mfns), 0);
    CHECK_RC(ctl_populate(d, 8, 1, mfns + 8), -XEN_ENOMEM);  /* max 32 KiB */
    op.u.max_mem.max_memkb = 64;
    CHECK_RC(domctl(&op), 0);
    CHECK_RC(ctl_populate(d, 8, MICA_POPULATE_MAX + 1, mfns), -XEN_E2BIG);
    CHECK_RC(ctl_populate(d, 8, 8, (uint64_t *)BAD_HYPERVISOR), -XEN_EFAULT);
    CHECK_RC(ctl_populate(d, 8, 9, mfns + 8), -XEN_ENOMEM);
    CHECK_RC(ctl_populate(d, 8, 8, mfns + 8), 0);
    if ( CHECK_RC(ctl_getinfo(d, &info), 0) &&
         (info.tot_pages != 16 || info.max_pages != 16) )
        test_fail("d%u holds %lu of %lu pages, expected 16 of 16", d,
                  (unsigned long)info.tot_pages,
                  (unsigned long)info.max_pages);
}

static void good_context(void)
{
    memset(&ctx, 0, sizeof(ctx));
    ctx.regs.rip = 0xffffffff80100000ULL;
    ctx.regs.rsp = 0xffffffff80200000ULL;
    ctx.regs.cs = FLAT_KERNEL_CS;
    ctx.regs.ss = FLAT_KERNEL_SS;
    ctx.regs.rflags = 0x3cd5;       /* IOPL and NT must not survive */
    ctx.regs.rax = 0x1234;
    ctx.kernel_ss = FLAT_KERNEL_SS;
    ctx.kernel_sp = 0xffffffff80200000ULL;
    ctx.kernel_l4_mfn = mfns[0];
    ctx.event_callback = 0xffffffff80101000ULL;
    ctx.traps[14].address = 0xffffffff80102000ULL;
    ctx.traps[14].cs = FLAT_KERNEL_CS;
    ctx.event_mask = 1;
}

/* Fill frame mfn of d with a byte pattern through a foreign mapping. */
static void fill_frame(domid_t d, uint64_t mfn, uint8_t byte)
{
    if ( foreign_map(d, &mfn, 1, true) )
        return test_fail("cannot map d%u's mfn %#lx", d, (unsigned long)mfn);
    memset(foreign_window(), byte, 4096);
    foreign_unmap(1);
}

static void bad_contexts(domid_t d)
{
    CHECK_RC(ctl_getcontext(d, &ctx), -XEN_ENODATA);
    good_context();
    ctx.regs.rip = 0x0000800000000000ULL;           /* non-canonical */
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL);
    good_context();
    ctx.kernel_sp = 0xffff830000001000ULL;          /* hypervisor's */
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL);
    good_context();
    ctx.regs.rsp = 0xffff800000000000ULL;
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL);
    good_context();
    ctx.traps[3].address = 0x8000000000000000ULL;
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL);
    good_context();
    ctx.regs.cs = 0x10;                             /* ring 0 */
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL);
    good_context();
    ctx.gdt_ents = 513;                             /* needs 2 frames */
    ctx.gdt_frames[0] = mfns[3];
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL);
    good_context();
    ctx.kernel_l4_mfn = virt_to_mfn((void *)start_info->pt_base);
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL); /* dom0's own L4 */
    good_context();
    ctx.kernel_l4_mfn = mfns[1];    /* garbage: present entries, bad bits */
    fill_frame(d, mfns[1], 0xff);
    CHECK_RC(ctl_setcontext(d, &ctx), -XEN_EINVAL);
    CHECK_RC(ctl_getcontext(d, &ctx), -XEN_ENODATA);
}

static void context_round_trip(domid_t d)
{
    struct mica_domaininfo info;

    good_context();
    CHECK_RC(ctl_setcontext(d, &ctx), 0);
    memset(&ctx, 0, sizeof(ctx));
    CHECK_RC(ctl_getcontext(d, &ctx), 0);
    if ( ctx.regs.rip != 0xffffffff80100000ULL || ctx.regs.rax != 0x1234 ||
         ctx.regs.rflags != 0xed7 || ctx.kernel_l4_mfn != mfns[0] ||
         ctx.traps[14].address != 0xffffffff80102000ULL ||
         ctx.event_callback != 0xffffffff80101000ULL || ctx.event_mask != 1 )
        test_fail("context read back: rip %#lx rflags %#lx l4 %#lx",
                  (unsigned long)ctx.regs.rip, (unsigned long)ctx.regs.rflags,
                  (unsigned long)ctx.kernel_l4_mfn);
    /* The L4 is now a validated table: no longer a hypercall page. */
    {
        struct mica_domctl op = { .cmd = MICA_DOMCTL_hypercall_init,
                                  .domain = d };

        op.u.hypercall_init.mfn = mfns[0];
        CHECK_RC(domctl(&op), -XEN_EINVAL);
        op.u.hypercall_init.mfn = virt_to_mfn(&ctx);  /* ours, not d's */
        CHECK_RC(domctl(&op), -XEN_EINVAL);
        op.u.hypercall_init.mfn = mfns[2];
        CHECK_RC(domctl(&op), 0);
    }
    if ( CHECK_RC(ctl_getinfo(d, &info), 0) &&
         (info.nr_online_vcpus != 1 || !(info.flags & MICA_DOMINF_paused) ||
          (info.flags & MICA_DOMINF_running)) )
        test_fail("after setvcpucontext: flags %#x online %u", info.flags,
                  info.nr_online_vcpus);
}

static void page_types(domid_t d)
{
    struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE };
    uint64_t list[5] = { mfns[0], mfns[4], mfns[5], mfns[1],
                         virt_to_mfn(&ctx) };

    pin.arg1.mfn = mfns[4];
    CHECK_RC(HYPERVISOR_mmuext_op(&pin, 1, NULL, d), 0);
    CHECK_RC(ctl_pageinfo(d, list, types, 5), 0);
    if ( types[0] != MICA_PAGEINFO_l4 ||
         types[1] != (MICA_PAGEINFO_l1 | MICA_PAGEINFO_pinned) ||
         types[2] != MICA_PAGEINFO_notab || types[3] != MICA_PAGEINFO_notab ||
         types[4] != MICA_PAGEINFO_invalid )
        test_fail("page types %#x %#x %#x %#x %#x", types[0], types[1],
                  types[2], types[3], types[4]);
    CHECK_RC(ctl_pageinfo(d, list, types, MICA_PAGEINFO_MAX + 1), -XEN_E2BIG);
    CHECK_RC(ctl_pageinfo(d, (uint64_t *)BAD_UNMAPPED, types, 1),
             -XEN_EFAULT);
}

static void pause_and_limits(domid_t d)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_max_vcpus, .domain = d };
    struct mica_domaininfo info;

    CHECK_RC(domctl_simple(MICA_DOMCTL_pause, d), 0);     /* count 2 */
    CHECK_RC(domctl_simple(MICA_DOMCTL_unpause, d), 0);
    CHECK_RC(ctl_getinfo(d, &info), 0);
    if ( !(info.flags & MICA_DOMINF_paused) )
        test_fail("one pause left, but not paused: %#x", info.flags);
    /* Xen's max_vcpus: no growing once set, no shrinking, <= 32. */
    op.u.max_vcpus.max = 2;
    CHECK_RC(domctl(&op), -XEN_EBUSY);
    op.u.max_vcpus.max = 0;
    CHECK_RC(domctl(&op), -XEN_EINVAL);
    op.u.max_vcpus.max = MICA_MAX_VCPUS_PER_DOMAIN + 1;
    CHECK_RC(domctl(&op), -XEN_EINVAL);
    op.u.max_vcpus.max = 1;
    CHECK_RC(domctl(&op), 0);
    op.cmd = MICA_DOMCTL_set_max_evtchn;
    op.u.set_max_evtchn.max_port = 2;
    CHECK_RC(domctl(&op), 0);
    CHECK_RC(evtchn_alloc_unbound(d, 0), 1);   /* on d's behalf */
    CHECK_RC(evtchn_alloc_unbound(d, 0), 2);
    CHECK_RC(evtchn_alloc_unbound(d, 0), -XEN_ENOSPC);
}

static void time_offset(domid_t d)
{
    struct mica_domctl op = { .cmd = MICA_DOMCTL_settimeoffset, .domain = d };
    struct mica_domaininfo info;
    const struct shared_info *si = (const void *)foreign_window();

    op.u.settimeoffset.seconds = 1000;
    CHECK_RC(domctl(&op), 0);
    op.u.settimeoffset.seconds = -(1LL << 40);
    CHECK_RC(domctl(&op), -XEN_EINVAL);
    if ( !CHECK_RC(ctl_getinfo(d, &info), 0) ||
         foreign_map(d, &info.shared_info_mfn, 1, false) )
        return test_fail("cannot map d%u's shared_info", d);
    if ( si->wc_sec != shared_info->wc_sec + 1000 ||
         si->wc_nsec != shared_info->wc_nsec )
        test_fail("d%u's wall clock %u.%09u, ours %u.%09u: offset not 1000 s",
                  d, si->wc_sec, si->wc_nsec, shared_info->wc_sec,
                  shared_info->wc_nsec);
    foreign_unmap(1);
}

static void listing(domid_t d)
{
    static struct mica_domaininfo list[4];
    struct mica_sysctl op = { .cmd = MICA_SYSCTL_getdomaininfolist };
    struct mica_sysctl_physinfo pi;

    op.u.domaininfolist.max_domains = 4;
    op.u.domaininfolist.buffer = GADDR(list);
    if ( CHECK_RC(sysctl(&op), 0) &&
         (op.u.domaininfolist.num_domains != 2 || list[0].domain != 0 ||
          list[1].domain != d || list[1].handle[0] != 0xa0) )
        test_fail("domain list: %u entries, ids %u %u",
                  op.u.domaininfolist.num_domains, list[0].domain,
                  list[1].domain);
    op.u.domaininfolist.first_domain = 1;
    op.u.domaininfolist.buffer = BAD_HYPERVISOR;
    CHECK_RC(sysctl(&op), -XEN_EFAULT);
    if ( CHECK_RC(ctl_physinfo(&pi), 0) &&
         (pi.nr_cpus != 1 || !pi.cpu_khz || !pi.free_pages ||
          pi.free_pages > pi.total_pages) )
        test_fail("physinfo: %u cpus, %u kHz, %lu of %lu free", pi.nr_cpus,
                  pi.cpu_khz, (unsigned long)pi.free_pages,
                  (unsigned long)pi.total_pages);
}

void test_main(void)
{
    uint64_t free0;
    domid_t d;

    if ( !map_shared_info() )
        return;
    free0 = ctl_free_pages();
    framing();
    bad_targets();
    if ( !CHECK_RC(ctl_create(32, &d), 0) )
        return test_error("cannot create a domain");
    create_rules(d);
    memory_limits(d);
    bad_contexts(d);
    context_round_trip(d);
    page_types(d);
    pause_and_limits(d);
    time_offset(d);
    listing(d);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, d), 0);
    CHECK_RC(domctl_simple(MICA_DOMCTL_destroy, d), -XEN_ESRCH);
    CHECK_RC(domctl_simple(MICA_DOMCTL_unpause, d), -XEN_ESRCH);
    if ( ctl_free_pages() != free0 )
        test_fail("%lu frames free after destroy, %lu before",
                  (unsigned long)ctl_free_pages(), (unsigned long)free0);
    test_success();
}
