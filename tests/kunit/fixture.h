/* SPDX-License-Identifier: GPL-2.0 */
/* Test-managed fixtures for the bugcheck KUnit suites: areas, pages, registrations. */
#ifndef BUGCHECK_KUNIT_FIXTURE_H
#define BUGCHECK_KUNIT_FIXTURE_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include "bugcheck.h"
#include "internal.h"
#include "record_walk.h"

/*
 * All suites share bugcheck.ko's one registry, so whatever a test registers
 * must be gone when the test ends, however it ends.  KUnit frees a test's
 * resources in reverse order of creation, after the test function returned
 * or aborted on a failed ASSERT: a record guarded with fx_guard() after it
 * was allocated is therefore deregistered before its memory is freed.
 */

/* The area the suites collect into (bigger than the 16 KiB minimum). */
#define FX_AREA_SIZE SZ_64K

static inline void fx_vfree(struct kunit_resource *res)
{
	vfree(res->data);
}

/* vmalloc() freed at the end of the test; NULL on failure. */
static inline void *fx_vmalloc(struct kunit *test, size_t size)
{
	void *p = vmalloc(size);

	if (p && !kunit_alloc_resource(test, NULL, fx_vfree, GFP_KERNEL, p)) {
		vfree(p);
		return NULL;
	}
	return p;
}

static inline void fx_free_page(struct kunit_resource *res)
{
	__free_page(res->data);
}

/* One page freed at the end of the test; NULL on failure. */
static inline struct page *fx_alloc_page(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (page &&
	    !kunit_alloc_resource(test, NULL, fx_free_page, GFP_KERNEL, page)) {
		__free_page(page);
		return NULL;
	}
	return page;
}

/* Deregister whichever way @rec is registered; no-op when it is not. */
static inline void fx_deregister(struct kunit_resource *res)
{
	struct bugcheck_reason_callback_record *rec = res->data;

	if (bugcheck_deregister_reason_callback(rec) == -ENOENT)
		bugcheck_deregister_callback(container_of(
			rec, struct bugcheck_callback_record, core));
}

/**
 * fx_guard() - make sure @rec is deregistered when the test ends
 * @test: the test
 * @rec: a record that outlives the test function (kunit_kzalloc'ed before
 *	this call, or static)
 *
 * Call before registering @rec, so no failure path can leave it registered.
 *
 * Return: 0, or -ENOMEM.
 */
static inline int fx_guard(struct kunit *test,
			   struct bugcheck_reason_callback_record *rec)
{
	return kunit_alloc_resource(test, NULL, fx_deregister, GFP_KERNEL,
				    rec) ?
		       0 :
		       -ENOMEM;
}

/* Collect a simulated record into a fresh area; ASSERTs it is well formed. */
static inline const struct bugcheck_record_header *
fx_collect(struct kunit *test, void *area, u32 size)
{
	static const unsigned long param[4] = { 1, 2, 3, 4 };
	const struct bugcheck_record_header *h;

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_collect_into(area, size,
					      BUGCHECK_CODE_SIMULATED, param));
	h = rw_header(area, size);
	KUNIT_ASSERT_NOT_NULL_MSG(test, h, "record header malformed");
	return h;
}

/* Callbacks that do nothing, for tests that only register. */
static inline void fx_noop_cb(enum bugcheck_callback_reason reason,
			      struct bugcheck_reason_callback_record *rec,
			      void *reason_data, size_t reason_data_len)
{
}

static inline void fx_noop_legacy(void *buf, size_t len)
{
}

/* A zeroed reason record, deregistered when the test ends. */
static inline struct bugcheck_reason_callback_record *
fx_new_rec(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec;

	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, rec));
	return rec;
}

/* A zeroed legacy record, deregistered when the test ends. */
static inline struct bugcheck_callback_record *fx_new_legacy(struct kunit *test)
{
	struct bugcheck_callback_record *rec;

	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, &rec->core));
	return rec;
}

#endif /* BUGCHECK_KUNIT_FIXTURE_H */
