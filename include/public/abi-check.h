/*
 * Compile-time layout checks for the public ABI headers.
 *
 * Every struct in include/public/ is followed by assertions on its size and
 * on the offsets guests depend on, so a layout slip fails the build instead
 * of corrupting a guest.  The headers must compile as C99 and as C++11, which
 * spell the assertion differently; offsetof comes from the compiler builtin
 * so that nothing beyond <stdint.h> is needed.
 */
#ifndef MICA_PUBLIC_ABI_CHECK_H
#define MICA_PUBLIC_ABI_CHECK_H

#ifdef __cplusplus
#define MICA_ABI_CHECK(cond, msg) static_assert(cond, msg)
#else
#define MICA_ABI_CHECK(cond, msg) _Static_assert(cond, msg)
#endif

#define MICA_ABI_SIZE(type, size) \
    MICA_ABI_CHECK(sizeof(type) == (size), #type " size")

#define MICA_ABI_OFFSET(type, field, off) \
    MICA_ABI_CHECK(__builtin_offsetof(type, field) == (off), \
                   #type "." #field " offset")

#endif /* MICA_PUBLIC_ABI_CHECK_H */
