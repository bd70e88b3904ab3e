/* Unit tests for hypervisor/common/p2m_layout.c. */
#include <mica/env.h>
#include <mica/p2m_layout.h>

#include "unit.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define VIRT_BASE 0xffffffff80000000ULL
#define INIT_P2M  0x0000008000000000ULL    /* Linux's: 512 GiB */

static const char *why;

/* Linux's case: 512 GiB, a slot of its own: 1 L3 + 1 L2 + L1s. */
START_TEST(test_own_slot)
{
    uint64_t end = INIT_P2M + 207 * 4096ULL;

    ck_assert_uint_eq(p2m_table_frames(INIT_P2M, end, VIRT_BASE,
                                       VIRT_BASE + 80 * MiB), 3);
    /* 2 MiB of p2m needs one L1 more than 2 MiB minus a page. */
    ck_assert_uint_eq(p2m_table_frames(INIT_P2M, INIT_P2M + 2 * MiB,
                                       VIRT_BASE, VIRT_BASE + 80 * MiB), 3);
    ck_assert_uint_eq(p2m_table_frames(INIT_P2M, INIT_P2M + 2 * MiB + 4096,
                                       VIRT_BASE, VIRT_BASE + 80 * MiB), 4);
    /* Crossing a 1 GiB line: a second L2 (and one more L1). */
    ck_assert_uint_eq(p2m_table_frames(INIT_P2M + GiB - 4096,
                                       INIT_P2M + GiB + 4096, VIRT_BASE,
                                       VIRT_BASE + 80 * MiB), 5);
}
END_TEST

/* Below the kernel in slot 511: the L3 is shared, the L2 is not. */
START_TEST(test_shares_l3)
{
    uint64_t va = VIRT_BASE - GiB;

    ck_assert_uint_eq(p2m_table_frames(va, va + 4096, VIRT_BASE,
                                       VIRT_BASE + 80 * MiB), 2);
}
END_TEST

/* Right after the region, in the same GiB: the L2 is shared too. */
START_TEST(test_shares_l2)
{
    uint64_t v_end = VIRT_BASE + 80 * MiB;

    ck_assert_uint_eq(p2m_table_frames(v_end, v_end + 4096, VIRT_BASE,
                                       v_end), 1);
    /* Starting inside the last 2 MiB block of the region: no table. */
    ck_assert_uint_eq(p2m_table_frames(v_end + 4096, v_end + 8192, VIRT_BASE,
                                       v_end + 4096), 0);
}
END_TEST

START_TEST(test_check_range)
{
    uint64_t v_end = VIRT_BASE + 80 * MiB;

    ck_assert_int_eq(p2m_check_range(INIT_P2M, 105596, VIRT_BASE, v_end,
                                     &why), 0);
    ck_assert_int_eq(p2m_check_range(INIT_P2M + 8, 1, VIRT_BASE, v_end,
                                     &why), -EINVAL);
    ck_assert_str_eq(why, "INIT_P2M is not page aligned");
    ck_assert_int_eq(p2m_check_range(0x00007ffffffff000ULL, 1024, VIRT_BASE,
                                     v_end, &why), -EINVAL);
    ck_assert_str_eq(why, "the p2m list at INIT_P2M is not canonical");
    ck_assert_int_eq(p2m_check_range(0x0000800000000000ULL, 1, VIRT_BASE,
                                     v_end, &why), -EINVAL);
    ck_assert_int_eq(p2m_check_range(0xffff87fffffff000ULL, 1, VIRT_BASE,
                                     v_end, &why), -EINVAL);
    ck_assert_str_eq(why, "the p2m list at INIT_P2M overlaps the hypervisor");
    ck_assert_int_eq(p2m_check_range(0xffff880000000000ULL, 1, VIRT_BASE,
                                     v_end, &why), 0);
    ck_assert_int_eq(p2m_check_range(VIRT_BASE - 4096, 1024, VIRT_BASE,
                                     v_end, &why), -EINVAL);
    ck_assert_str_eq(why,
                     "the p2m list at INIT_P2M overlaps the initial region");
    ck_assert_int_eq(p2m_check_range(VIRT_BASE - 4096, 512, VIRT_BASE,
                                     v_end, &why), 0);
    ck_assert_int_eq(p2m_check_range(INIT_P2M, 0, VIRT_BASE, v_end, &why),
                     -EINVAL);
    ck_assert_int_eq(p2m_check_range(0xfffffffffffff000ULL, 1024, VIRT_BASE,
                                     v_end, &why), -EINVAL);
}
END_TEST

Suite *p2m_layout_suite(void)
{
    Suite *s = suite_create("p2m_layout");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_own_slot);
    tcase_add_test(tc, test_shares_l3);
    tcase_add_test(tc, test_shares_l2);
    tcase_add_test(tc, test_check_range);
    suite_add_tcase(s, tc);
    return s;
}
