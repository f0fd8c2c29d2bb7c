// SPDX-License-Identifier: GPL-2.0
/*
 * Test client that unloads without deregistering: bugcheck's module notifier
 * must drop its registration (with a warning) so it is never called.
 */

#include <linux/module.h>

#include "bugcheck.h"

static struct bugcheck_reason_callback_record leak_rec;

static void leak_callback(enum bugcheck_callback_reason reason,
			  struct bugcheck_reason_callback_record *rec,
			  void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;

	d->out_buffer_length = 0;
}

static int __init test_leak_init(void)
{
	return bugcheck_register_reason_callback(
		&leak_rec, leak_callback, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		"test-leak");
}

/* Deliberately no deregistration. */
static void __exit test_leak_exit(void)
{
}

module_init(test_leak_init);
module_exit(test_leak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck test client: unloads without deregistering");
