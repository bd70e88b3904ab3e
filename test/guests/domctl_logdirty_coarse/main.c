/*
 * domctl_logdirty with the hypervisor told not to use protection keys
 * (cmdline: logdirty=coarse): the fallback must still report every frame
 * written, as a superset.
 */
#define TEST_TITLE "domctl_logdirty_coarse"
#define EXPECT_EXACT 0
#include "../domctl_logdirty/main.c"
