// SPDX-License-Identifier: GPL-2.0
/*
 * Test client whose secondary-data callback faults in its data phase: the
 * bugcheck must mark it FAILED and still record everyone else's data.
 */

#include <linux/module.h>

#include "bugcheck.h"

static unsigned long fault_address = 0x10;
module_param(fault_address, ulong, 0444);
MODULE_PARM_DESC(fault_address, "Address the callback reads in its data phase");

static struct bugcheck_reason_callback_record fault_rec;

static void fault_callback(enum bugcheck_callback_reason reason,
			   struct bugcheck_reason_callback_record *rec,
			   void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;

	if (!d->out_buffer) {
		d->out_buffer_length = 64;
		return;
	}
	/* The data phase: read through a bad pointer, as a buggy driver would. */
	d->out_buffer_length = *(volatile u32 *)fault_address;
}

static int __init test_fault_init(void)
{
	return bugcheck_register_reason_callback(&fault_rec, fault_callback,
						 BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
						 "test-fault");
}

static void __exit test_fault_exit(void)
{
	bugcheck_deregister_reason_callback(&fault_rec);
}

module_init(test_fault_init);
module_exit(test_fault_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck test client: a callback that faults");
