/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernel series bugcheck builds against (6.1 and
 * 6.12), in one place: each helper is keyed on the feature where a macro
 * tells, on LINUX_VERSION_CODE only where nothing better exists.
 */
#ifndef BUGCHECK_COMPAT_H
#define BUGCHECK_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

struct kmsg_dumper;
struct kmsg_dump_detail;
struct platform_device;

/*
 * pin_user_pages() lost its vmas argument in 6.5 (no macro marks it).
 *
 * Context: the caller holds @mm's mmap lock, as pin_user_pages() requires.
 * Return: pages pinned (possibly fewer than @nr_pages), or -errno.
 */
static inline long bugcheck_pin_user_pages(unsigned long start,
					   unsigned long nr_pages,
					   unsigned int gup_flags,
					   struct page **pages)
{
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
	return pin_user_pages(start, nr_pages, gup_flags, pages);
#else
	return pin_user_pages(start, nr_pages, gup_flags, pages, NULL);
#endif
}

/*
 * platform_driver::remove returns int before 6.11 and void from 6.11 on (no
 * macro marks it).  A driver writes its remove as a void function FN and
 * sets .remove = FN##_compat, which this defines with the kernel's type.
 */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define BUGCHECK_PLATFORM_REMOVE(fn)                          \
	static void fn##_compat(struct platform_device *pdev) \
	{                                                     \
		fn(pdev);                                     \
	}
#else
#define BUGCHECK_PLATFORM_REMOVE(fn)                         \
	static int fn##_compat(struct platform_device *pdev) \
	{                                                    \
		fn(pdev);                                    \
		return 0;                                    \
	}
#endif

/*
 * kmsg_dumper::dump is handed a struct kmsg_dump_detail from 6.12 on, the
 * reason before (no macro marks it).  A dumper writes FN(enum
 * kmsg_dump_reason) and sets .dump = FN##_compat, defined by this.
 */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
#define BUGCHECK_KMSG_DUMP(fn)                                   \
	static void fn##_compat(struct kmsg_dumper *dumper,      \
				struct kmsg_dump_detail *detail) \
	{                                                        \
		fn(detail->reason);                              \
	}
#else
#define BUGCHECK_KMSG_DUMP(fn)                                \
	static void fn##_compat(struct kmsg_dumper *dumper,   \
				enum kmsg_dump_reason reason) \
	{                                                     \
		fn(reason);                                   \
	}
#endif

/* A sysrq handler's key is a u8 from 6.7 on, an int before (no macro marks it). */
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
typedef u8 bugcheck_sysrq_key_t;
#else
typedef int bugcheck_sysrq_key_t;
#endif

#endif /* BUGCHECK_COMPAT_H */
