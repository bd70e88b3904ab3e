/*
 * C entry of a test kernel: called by _start on our own stack with the
 * builder's start_info.  Installs traps and callbacks, runs the test and
 * reports.  Hypercalls use the raw SYSCALL path throughout, so the runtime
 * keeps working even if the hypercall page was not filled in.
 */
#include "test.h"

struct start_info *start_info;
bool hypercall_use_page;

void __noreturn runtime_start(struct start_info *si);
void __noreturn runtime_start(struct start_info *si)
{
    start_info = si;

    printk("--- Mica test: %s ---\n", test_title);
    traps_init();

    test_main();
    test_finish();
}
