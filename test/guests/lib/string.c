/*
 * String functions only the tests need. The usual ones (memcpy, memset,
 * strlen, ...) are the hypervisor's own, hypervisor/common/string.c,
 * linked in by guests.mk.
 */
#include "test.h"

char *strstr(const char *hay, const char *needle)
{
    size_t len = strlen(needle);

    for ( ; *hay; hay++ )
        if ( !strncmp(hay, needle, len) )
            return (char *)hay;
    return len ? NULL : (char *)hay;
}
