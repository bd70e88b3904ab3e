/*
 * The ringbuf unit tests: ring arithmetic, flow and peer checks, and the
 * shared-pages API. Exits non-zero if any test fails.
 */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(ring_index_suite());
    int failed;

    srunner_add_suite(sr, ring_flow_suite());
    srunner_add_suite(sr, shmem_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
