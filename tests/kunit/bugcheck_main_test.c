// SPDX-License-Identifier: GPL-2.0
/* KUnit suite for bugcheck.ko's load-time parameters. */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void record_size_accepts_bounds(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MIN));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MAX));
	KUNIT_EXPECT_EQ(
		test, 0,
		bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_DEFAULT));
}

static void record_size_rejects_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_record_size_valid(0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MIN -
						   PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MAX +
						   PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_record_size_valid(ULONG_MAX));
}

static void record_size_rejects_unaligned(struct kunit *test)
{
	KUNIT_EXPECT_EQ(
		test, -EINVAL,
		bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_MIN + 1));
	KUNIT_EXPECT_EQ(
		test, -EINVAL,
		bugcheck_record_size_valid(BUGCHECK_RECORD_SIZE_DEFAULT - 8));
}

static void parse_accepts_decimal_and_hex(struct kunit *test)
{
	unsigned int size = 0;

	KUNIT_EXPECT_EQ(test, 0, bugcheck_parse_record_size("65536", &size));
	KUNIT_EXPECT_EQ(test, 65536U, size);
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_parse_record_size("0x20000\n", &size));
	KUNIT_EXPECT_EQ(test, 0x20000U, size);
}

static void parse_rejects_garbage_and_keeps_value(struct kunit *test)
{
	unsigned int size = 12345;

	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_parse_record_size("", &size));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_parse_record_size("64k", &size));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_parse_record_size("-4096", &size));
	KUNIT_EXPECT_EQ(test, -ERANGE,
			bugcheck_parse_record_size("99999999999999999999",
						   &size));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_parse_record_size("4097", &size));
	KUNIT_EXPECT_EQ(test, 12345U, size);
}

/* The oops a "Fatal exception" panic is reported as: the newest of its task. */
static void die_lookup_is_per_task(struct kunit *test)
{
	static const char str1[] = "Oops", str2[] = "invalid opcode";
	unsigned long param[4];
	u32 code = 0;
	int i;

	bugcheck_die_record(current, BUGCHECK_CODE_OOPS, NULL, 14, 2, str1);
	bugcheck_die_record(&init_task, BUGCHECK_CODE_DIE, NULL, 13, 0, str2);
	bugcheck_die_record(current, BUGCHECK_CODE_DIE, NULL, 6, 0, str2);
	KUNIT_ASSERT_TRUE(test, bugcheck_die_lookup(current, &code, param));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CODE_DIE, code);
	KUNIT_EXPECT_EQ(test, 6UL, param[1]);
	KUNIT_EXPECT_EQ(test, (unsigned long)str2, param[3]);

	/* Another task's oops is not this task's. */
	for (i = 0; i < 16; i++)
		bugcheck_die_record(&init_task, BUGCHECK_CODE_OOPS, NULL, 14, 0,
				    str1);
	KUNIT_EXPECT_FALSE(test, bugcheck_die_lookup(current, &code, param));
	KUNIT_EXPECT_TRUE(test, bugcheck_die_lookup(&init_task, &code, param));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CODE_OOPS, code);
}

static struct kunit_case bugcheck_main_test_cases[] = {
	KUNIT_CASE(record_size_accepts_bounds),
	KUNIT_CASE(record_size_rejects_out_of_range),
	KUNIT_CASE(record_size_rejects_unaligned),
	KUNIT_CASE(parse_accepts_decimal_and_hex),
	KUNIT_CASE(parse_rejects_garbage_and_keeps_value),
	KUNIT_CASE(die_lookup_is_per_task),
	{}
};

static struct kunit_suite bugcheck_main_test_suite = {
	.name = "bugcheck_main",
	.test_cases = bugcheck_main_test_cases,
};

kunit_test_suites(&bugcheck_main_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for bugcheck.ko parameters");
