/* Unit tests for hypervisor/common/cmdline.c. */
#include <stdlib.h>
#include <string.h>

#include <mica/env.h>
#include <mica/cmdline.h>

#include "unit.h"

static bool opt_flag;
static uint8_t opt_byte;
static uint16_t opt_small;
static uint32_t opt_count;
static uint64_t opt_big;
static uint64_t opt_mem;
static uint32_t opt_mem32;

/* A canary after the string shows that truncation stays inside it. */
static struct
{
    char console[8];
    char canary[8];
} opt_str;

static char custom_value[256];
static int custom_calls;

static int custom_hook(const char *value)
{
    custom_calls++;
    snprintf(custom_value, sizeof(custom_value), "%s", value);
    return strcmp(value, "bad") == 0 ? -EINVAL : 0;
}

static const struct param params[] = {
    { "flag", PARAM_BOOL, &opt_flag, sizeof(opt_flag), NULL },
    { "noreboot", PARAM_BOOL, &opt_byte, sizeof(opt_byte), NULL },
    { "small", PARAM_UINT, &opt_small, sizeof(opt_small), NULL },
    { "count", PARAM_UINT, &opt_count, sizeof(opt_count), NULL },
    { "big", PARAM_UINT, &opt_big, sizeof(opt_big), NULL },
    { "dom0_mem", PARAM_SIZE, &opt_mem, sizeof(opt_mem), NULL },
    { "mem32", PARAM_SIZE, &opt_mem32, sizeof(opt_mem32), NULL },
    { "console", PARAM_STRING, opt_str.console, sizeof(opt_str.console),
      NULL },
    { "hook", PARAM_CUSTOM, NULL, 0, custom_hook },
    { "oddsize", PARAM_UINT, &opt_big, 3, NULL },
    { "nohandler", PARAM_CUSTOM, NULL, 0, NULL },
};

static unsigned int parse(const char *line)
{
    return cmdline_parse(line, params, ARRAY_SIZE(params));
}

static void setup(void)
{
    opt_flag = false;
    opt_byte = 0;
    opt_small = 0;
    opt_count = 7;
    opt_big = 0;
    opt_mem = 0;
    opt_mem32 = 0;
    memset(&opt_str, 0, sizeof(opt_str));
    memset(opt_str.canary, 0x5a, sizeof(opt_str.canary));
    custom_value[0] = '\0';
    custom_calls = 0;
    test_log_reset();
}

START_TEST(test_bool_forms)
{
    static const struct
    {
        const char *line;
        bool want;
    } cases[] = {
        { "flag", true }, { "no-flag", false },
        { "flag=1", true }, { "flag=0", false },
        { "flag=yes", true }, { "flag=no", false },
        { "flag=on", true }, { "flag=off", false },
        { "flag=true", true }, { "flag=false", false },
        { "flag=enable", true }, { "flag=disable", false },
        { "no-flag=yes", false }, { "no-flag=no", true },
        { "no-flag=0", true }, { "flag=", true },
    };
    size_t i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        opt_flag = !cases[i].want;
        ck_assert_uint_eq(parse(cases[i].line), 0);
        ck_assert_msg(opt_flag == cases[i].want, "%s", cases[i].line);
    }

    ck_assert_uint_eq(parse("noreboot"), 0);
    ck_assert_uint_eq(opt_byte, 1);
    ck_assert_uint_eq(parse("no-noreboot"), 0);
    ck_assert_uint_eq(opt_byte, 0);
}
END_TEST

START_TEST(test_bool_bad_words)
{
    static const char *const bad[] = {
        "flag=maybe", "flag=YES", "flag=On", "flag=2", "flag=yess",
        "flag=1 ", /* fine: the blank ends the value */
    };
    size_t i;

    for ( i = 0; i + 1 < ARRAY_SIZE(bad); i++ )
    {
        opt_flag = true;
        ck_assert_msg(parse(bad[i]) == 1, "%s", bad[i]);
        ck_assert_msg(opt_flag, "%s changed the flag", bad[i]);
    }
    ck_assert_uint_eq(parse(bad[i]), 0);
    ck_assert(test_log_contains("flag=maybe"));
}
END_TEST

START_TEST(test_parse_bool)
{
    static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    static const char *const neither[] = {
        "", "2", "y", "n", "ye", "of", "enabled", "disabled", "TRUE", " 1",
    };
    size_t i;

    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
        ck_assert_int_eq(parse_bool(yes[i]), 1);
    for ( i = 0; i < ARRAY_SIZE(no); i++ )
        ck_assert_int_eq(parse_bool(no[i]), 0);
    for ( i = 0; i < ARRAY_SIZE(neither); i++ )
        ck_assert_msg(parse_bool(neither[i]) == -1, "'%s'", neither[i]);
}
END_TEST

START_TEST(test_parse_size_suffixes)
{
    static const struct
    {
        const char *s;
        uint64_t want;
    } cases[] = {
        { "123", 123ULL << 10 },            /* bare number: KiB, as Xen */
        { "0", 0 },
        { "512b", 512 }, { "512B", 512 },
        { "4096k", 4ULL << 20 }, { "4096K", 4ULL << 20 },
        { "256m", 256ULL << 20 }, { "256M", 256ULL << 20 },
        { "1g", 1ULL << 30 }, { "1G", 1ULL << 30 },
        { "2t", 2ULL << 40 }, { "2T", 2ULL << 40 },
        { "0x10M", 16ULL << 20 }, { "0X10m", 16ULL << 20 },
        { "0x1B", 0x1BULL << 10 },          /* B is a hex digit there */
        { "18446744073709551615B", UINT64_MAX },
        { "16777215T", 16777215ULL << 40 },
    };
    uint64_t v;
    size_t i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        v = 1;
        ck_assert_msg(parse_size(cases[i].s, NULL, &v) == 0, "%s",
                      cases[i].s);
        ck_assert_msg(v == cases[i].want, "%s gave %llu", cases[i].s,
                      (unsigned long long)v);
    }
}
END_TEST

START_TEST(test_parse_size_errors)
{
    const char *end = NULL;
    uint64_t v = 99;

    ck_assert_int_eq(parse_size("", NULL, &v), -EINVAL);
    ck_assert_int_eq(parse_size("M", NULL, &v), -EINVAL);
    ck_assert_int_eq(parse_size("-1M", NULL, &v), -EINVAL);
    ck_assert_int_eq(parse_size("0x", NULL, &v), -EINVAL);
    ck_assert_int_eq(parse_size("12Mx", NULL, &v), -EINVAL);
    ck_assert_int_eq(parse_size("16777216T", NULL, &v), -ERANGE);
    ck_assert_int_eq(parse_size("18014398509481984", NULL, &v), -ERANGE);
    ck_assert_int_eq(parse_size("18446744073709551616B", NULL, &v), -ERANGE);
    ck_assert_int_eq(parse_size("99999999999999999999999", NULL, &v),
                     -ERANGE);
    ck_assert_uint_eq(v, 99);

    ck_assert_int_eq(parse_size("8Mfoo", &end, &v), 0);
    ck_assert_uint_eq(v, 8ULL << 20);
    ck_assert_str_eq(end, "foo");
    ck_assert_int_eq(parse_size("8 M", &end, &v), 0);
    ck_assert_uint_eq(v, 8ULL << 10);
    ck_assert_str_eq(end, " M");
}
END_TEST

START_TEST(test_size_options)
{
    ck_assert_uint_eq(parse("dom0_mem=256M"), 0);
    ck_assert_uint_eq(opt_mem, 256ULL << 20);
    ck_assert_uint_eq(parse("dom0_mem=1024"), 0);
    ck_assert_uint_eq(opt_mem, 1ULL << 20);
    ck_assert_uint_eq(parse("mem32=4095M"), 0);
    ck_assert_uint_eq(opt_mem32, 4095UL << 20);

    ck_assert_uint_eq(parse("mem32=4G"), 1);          /* does not fit */
    ck_assert_uint_eq(opt_mem32, 4095UL << 20);
    ck_assert_uint_eq(parse("dom0_mem=256MB"), 1);    /* trailing junk */
    ck_assert_uint_eq(parse("dom0_mem=16777216T"), 1);
    ck_assert_uint_eq(parse("dom0_mem="), 1);
    ck_assert_uint_eq(parse("dom0_mem"), 1);
    ck_assert_uint_eq(parse("no-dom0_mem=1G"), 1);
    ck_assert_uint_eq(opt_mem, 1ULL << 20);
}
END_TEST

START_TEST(test_uint_options)
{
    ck_assert_uint_eq(parse("count=42"), 0);
    ck_assert_uint_eq(opt_count, 42);
    ck_assert_uint_eq(parse("count=0x2A"), 0);
    ck_assert_uint_eq(opt_count, 42);
    ck_assert_uint_eq(parse("count=0Xff"), 0);
    ck_assert_uint_eq(opt_count, 255);
    ck_assert_uint_eq(parse("count=010"), 0);         /* decimal, not octal */
    ck_assert_uint_eq(opt_count, 10);
    ck_assert_uint_eq(parse("small=65535"), 0);
    ck_assert_uint_eq(opt_small, 65535);
    ck_assert_uint_eq(parse("big=18446744073709551615"), 0);
    ck_assert_uint_eq(opt_big, UINT64_MAX);

    opt_count = 7;
    ck_assert_uint_eq(parse("count=42x count= count=-1 count=1M count"), 5);
    ck_assert_uint_eq(parse("count=4294967296 no-count=1"), 2);
    ck_assert_uint_eq(opt_count, 7);
    ck_assert_uint_eq(parse("small=65536"), 1);
    ck_assert_uint_eq(opt_small, 65535);
    ck_assert_uint_eq(parse("big=18446744073709551616"), 1);
    ck_assert_uint_eq(opt_big, UINT64_MAX);
    ck_assert_uint_eq(parse("oddsize=1"), 1);
}
END_TEST

START_TEST(test_unknown_counted)
{
    ck_assert_uint_eq(parse("foo flag bar=1 no-baz =5 count=3"), 4);
    ck_assert(opt_flag);
    ck_assert_uint_eq(opt_count, 3);
    ck_assert(test_log_contains("\"foo\""));
    ck_assert(test_log_contains("\"bar=1\""));
    ck_assert(test_log_contains("\"no-baz\""));
    ck_assert(test_log_contains("\"=5\""));
    /* A prefix or extension of a name is not the name. */
    ck_assert_uint_eq(parse("fla flags flag-"), 3);
}
END_TEST

START_TEST(test_string_truncated)
{
    static const uint8_t canary[8] = {
        0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
    };

    ck_assert_uint_eq(parse("console=com1"), 0);
    ck_assert_str_eq(opt_str.console, "com1");
    ck_assert_uint_eq(parse("console=abcdefghijklmnopqrstuvwxyz"), 0);
    ck_assert_str_eq(opt_str.console, "abcdefg");
    ck_assert_mem_eq(opt_str.canary, canary, sizeof(canary));
    ck_assert(test_log_contains("cut to 7"));
    ck_assert_uint_eq(parse("console=abcdefg"), 0);
    ck_assert_str_eq(opt_str.console, "abcdefg");
    ck_assert_uint_eq(parse("console="), 0);
    ck_assert_str_eq(opt_str.console, "");
    ck_assert_uint_eq(parse("console=a=b,c"), 0);
    ck_assert_str_eq(opt_str.console, "a=b,c");
    ck_assert_uint_eq(parse("no-console=com1 no-console"), 2);
    ck_assert_str_eq(opt_str.console, "a=b,c");
}
END_TEST

START_TEST(test_empty_lines)
{
    ck_assert_uint_eq(cmdline_parse(NULL, params, ARRAY_SIZE(params)), 0);
    ck_assert_uint_eq(parse(""), 0);
    ck_assert_uint_eq(parse(" "), 0);
    ck_assert_uint_eq(parse("   \t \n \r  "), 0);
    ck_assert_uint_eq(opt_count, 7);
    ck_assert_uint_eq(parse("  flag \t count=5\n"), 0);
    ck_assert(opt_flag);
    ck_assert_uint_eq(opt_count, 5);
    ck_assert_uint_eq(cmdline_parse("flag", params, 0), 1);
}
END_TEST

START_TEST(test_repeated_last_wins)
{
    ck_assert_uint_eq(parse("count=1 count=2 count=3"), 0);
    ck_assert_uint_eq(opt_count, 3);
    ck_assert_uint_eq(parse("flag no-flag flag=0 flag"), 0);
    ck_assert(opt_flag);
    ck_assert_uint_eq(parse("console=com1 console=vga"), 0);
    ck_assert_str_eq(opt_str.console, "vga");
    ck_assert_uint_eq(parse("count=9 count=bad"), 1);  /* bad one skipped */
    ck_assert_uint_eq(opt_count, 9);
}
END_TEST

START_TEST(test_custom)
{
    char long_line[300];

    ck_assert_uint_eq(parse("hook=com1,vga"), 0);
    ck_assert_str_eq(custom_value, "com1,vga");
    ck_assert_uint_eq(parse("hook"), 0);
    ck_assert_str_eq(custom_value, "");
    ck_assert_uint_eq(parse("no-hook"), 0);
    ck_assert_str_eq(custom_value, "no");
    ck_assert_int_eq(custom_calls, 3);

    ck_assert_uint_eq(parse("no-hook=x"), 1);
    ck_assert_uint_eq(parse("hook=bad"), 1);
    ck_assert_int_eq(custom_calls, 4);
    ck_assert_uint_eq(parse("nohandler=1"), 1);

    /* 127 characters fit the handler's buffer; 128 do not. */
    strcpy(long_line, "hook=");
    memset(long_line + 5, 'v', 127);
    long_line[5 + 127] = '\0';
    ck_assert_uint_eq(parse(long_line), 0);
    ck_assert_uint_eq(strlen(custom_value), 127);
    memset(long_line + 5, 'w', 128);
    long_line[5 + 128] = '\0';
    ck_assert_uint_eq(parse(long_line), 1);
    ck_assert_int_eq(custom_calls, 5);
}
END_TEST

START_TEST(test_input_untouched)
{
    static const char line[] =
        "console=com1 flag no-noreboot count=0x10 dom0_mem=1G hook=x foo";
    char *copy = strdup(line);

    ck_assert_ptr_nonnull(copy);
    ck_assert_uint_eq(parse(copy), 1);
    ck_assert_str_eq(copy, line);
    ck_assert_str_eq(opt_str.console, "com1");
    ck_assert_uint_eq(opt_count, 16);
    ck_assert_uint_eq(opt_mem, 1ULL << 30);
    free(copy);
}
END_TEST

START_TEST(test_long_unknown_logged_bounded)
{
    char line[1000];

    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    ck_assert_uint_eq(parse(line), 1);
    ck_assert(test_log_contains("unknown option"));
}
END_TEST

Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_bool_forms);
    tcase_add_test(tc, test_bool_bad_words);
    tcase_add_test(tc, test_parse_bool);
    tcase_add_test(tc, test_parse_size_suffixes);
    tcase_add_test(tc, test_parse_size_errors);
    tcase_add_test(tc, test_size_options);
    tcase_add_test(tc, test_uint_options);
    tcase_add_test(tc, test_unknown_counted);
    tcase_add_test(tc, test_string_truncated);
    tcase_add_test(tc, test_empty_lines);
    tcase_add_test(tc, test_repeated_last_wins);
    tcase_add_test(tc, test_custom);
    tcase_add_test(tc, test_input_untouched);
    tcase_add_test(tc, test_long_unknown_logged_bounded);
    suite_add_tcase(s, tc);

    return s;
}
