// SPDX-License-Identifier: GPL-2.0
/* KUnit suite for bugcheck.ko's load-time parameters and module presence. */

#include <kunit/test.h>
#include <linux/module.h>

#include "internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void record_size_accepts_bounds(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0, bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MIN));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MAX));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_DEFAULT));
}

static void record_size_rejects_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_record_size_valid(0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MIN - PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MAX + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_record_size_valid(ULONG_MAX));
}

static void record_size_rejects_unaligned(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MIN + 1));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_DEFAULT - 8));
}

/* The suite imports bugcheck's symbols, so bugcheck.ko must be live and pinned. */
static void module_is_live(struct kunit *test)
{
	struct module *mod;

	mutex_lock(&module_mutex);
	mod = find_module("bugcheck");
	KUNIT_EXPECT_NOT_NULL(test, mod);
	if (mod) {
		KUNIT_EXPECT_EQ(test, MODULE_STATE_LIVE, mod->state);
		KUNIT_EXPECT_GT(test, module_refcount(mod), 0);
	}
	mutex_unlock(&module_mutex);
}

static struct kunit_case bugcheck_main_test_cases[] = {
	KUNIT_CASE(record_size_accepts_bounds),
	KUNIT_CASE(record_size_rejects_out_of_range),
	KUNIT_CASE(record_size_rejects_unaligned),
	KUNIT_CASE(module_is_live),
	{}
};

static struct kunit_suite bugcheck_main_test_suite = {
	.name = "bugcheck_main",
	.test_cases = bugcheck_main_test_cases,
};
kunit_test_suites(&bugcheck_main_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for bugcheck.ko parameters");
