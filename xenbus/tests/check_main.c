/* Runs every xenbus Check suite; the exit status says whether all passed. */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_path());
    int failed;

    srunner_add_suite(sr, suite_store());
    srunner_add_suite(sr, suite_perms());
    srunner_add_suite(sr, suite_txn());
    srunner_add_suite(sr, suite_watch());
    srunner_add_suite(sr, suite_proto());
    srunner_add_suite(sr, suite_domain());
    srunner_add_suite(sr, suite_ring());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
