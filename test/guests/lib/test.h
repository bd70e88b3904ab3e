/*
 * Everything a test kernel includes.  A test provides
 *
 *     const char test_title[] = "...";
 *     void test_main(void);
 *
 * and reports through test_success/test_skip/test_error/test_fail; the
 * runtime prints the single "Test result:" line after test_main returns
 * (or at the first unexpected trap) and powers the domain off.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>
#include <public/sched.h>
#include <public/callback.h>
#include <public/vcpu.h>
#include <public/cpuid.h>

#include "hypercall.h"
#include "traps.h"
#include "x86.h"

#define VIRT_BASE 0xffffffff80000000ULL
#define PAGE_SIZE 4096UL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define __aligned(n) __attribute__((__aligned__(n)))
#define __page_aligned_bss __attribute__((__section__(".bss.page_aligned"), \
                                          __aligned__(4096)))
#define __noreturn __attribute__((__noreturn__))
#define __printf(f, a) __attribute__((__format__(__printf__, f, a)))

/* Addresses no hypercall may accept as a buffer. */
#define BAD_NONCANONICAL  0x8000000000000000ULL
#define BAD_HYPERVISOR    0xffff830000000000ULL  /* inside Xen's range */
#define BAD_UNMAPPED      0x0000000000001000ULL  /* user half, unmapped */

/* Provided by each test. */
extern const char test_title[];
void test_main(void);

/* Runtime state. */
extern struct start_info *start_info;

/* report.c */
void test_success(void);
void test_skip(const char *fmt, ...) __printf(1, 2);
void test_error(const char *fmt, ...) __printf(1, 2);
void test_fail(const char *fmt, ...) __printf(1, 2);
void __noreturn test_finish(void);
/* Called once after the result line is printed, before shutting down. */
extern void (*test_finish_hook)(void);
const char *xen_errno_name(long rc);
/* test_fail unless rc == expected; returns whether it matched. */
bool check_rc(const char *what, long rc, long expected);
#define CHECK_RC(expr, expected) check_rc(#expr, (expr), (expected))

/* console.c */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
void printk(const char *fmt, ...) __printf(1, 2);
void console_write(const char *s, size_t len);
/* A domU's console ring (NULL in dom0); see console.c. */
volatile struct xencons_interface *console_ring(void);

/* string.c */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

/* safe.c: false if the instruction raised #GP. */
bool rdmsr_safe(uint32_t msr, uint64_t *val);
bool wrmsr_safe(uint32_t msr, uint64_t val);
bool read_cr_safe(unsigned int cr, uint64_t *val);
bool write_cr0_safe(uint64_t val);
bool clts_safe(void);

/* mm.c */
uint64_t virt_to_pfn(const void *va);
uint64_t pfn_to_mfn(uint64_t pfn);
uint64_t virt_to_mfn(const void *va);
uint64_t virt_to_maddr(const void *va);
/* Map shared_info (once); NULL and a test_error if that fails. */
struct shared_info *map_shared_info(void);

/* Present, writable, accessed, dirty: a kernel mapping of a data page. */
#define PTE_KERNEL_RW 0x63ULL
/* Map mfn with flags at `page`, a page of our image; 0 or -XEN_E*. */
long map_frame_at(void *page, uint64_t mfn, uint64_t flags);
/* Put our own frame back at `page` after map_frame_at; 0 or -XEN_E*. */
long restore_own_frame(void *page);

/* Page-table tests: the i-th frame nothing maps; a one-page window. */
uint64_t spare_mfn(unsigned int i);
void *scratch_map(uint64_t mfn, uint64_t flags);   /* NULL: test_error */
void scratch_unmap(void);
extern struct shared_info *shared_info;     /* NULL until mapped */
struct vcpu_info *vcpu0_info(void);        /* needs map_shared_info() */

#include "events.h"
#include "ctl.h"

#endif /* GUEST_TEST_H */
