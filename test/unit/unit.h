/*
 * Shared by the unit-test suites: the suite constructors main() runs, and
 * the log that the host printk() fills so tests can check what was said.
 */
#ifndef MICA_TEST_UNIT_H
#define MICA_TEST_UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <check.h>

Suite *cmdline_suite(void);
Suite *elf_suite(void);
Suite *event_channel_suite(void);
Suite *grant_table_suite(void);
Suite *memop_suite(void);
Suite *page_alloc_suite(void);
Suite *page_type_suite(void);
Suite *page_type_random_suite(void);
Suite *ptwr_insn_suite(void);
Suite *p2m_layout_suite(void);
Suite *sched_credit_suite(void);
Suite *domctl_suite(void);
Suite *domlist_suite(void);

/*
 * Check's ck_assert*() records a checkpoint, a write to a pipe, on every
 * call that passes; in loops of millions that dominates the run time.
 * FAST_ASSERT costs nothing until it fails.
 */
#define FAST_ASSERT(expr)                                                     \
    do {                                                                      \
        if ( !(expr) )                                                        \
            ck_abort_msg("%s:%d: '%s' failed", __FILE__, __LINE__, #expr);    \
    } while ( 0 )

/* xorshift64: the next pseudo-random number from *state (never 0). */
static inline uint64_t xorshift64(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* Forget everything printk() has logged so far. */
void test_log_reset(void);

/* Has printk() logged `text` (anywhere in a message) since the reset? */
bool test_log_contains(const char *text);

#endif /* MICA_TEST_UNIT_H */
