// SPDX-License-Identifier: GPL-2.0
/*
 * Test code that faults in the panic AFTER the bugcheck record is complete:
 * a panic notifier behind bugcheck's (where=notifier) or a kmsg dumper
 * (where=dumper).  With crash_kexec_post_notifiers on and the default
 * panic_on_oops=0, a stock kernel loses the dump there: die() kills the
 * panicking task with every other CPU stopped.  With bugcheck loaded the
 * fault must become a panic that goes straight to the capture kernel.
 */

#include <linux/kmsg_dump.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/string.h>

#include "compat.h"

static char *where = "notifier";
module_param(where, charp, 0444);
MODULE_PARM_DESC(where, "notifier or dumper: where the late fault happens");

static unsigned long fault_address = 0x18;
module_param(fault_address, ulong, 0444);
MODULE_PARM_DESC(fault_address, "Address the late notifier or dumper reads");

static int late_panic_notify(struct notifier_block *nb, unsigned long event,
			     void *msg)
{
	return READ_ONCE(*(int *)fault_address);
}

static struct notifier_block late_nb = {
	.notifier_call = late_panic_notify,
	.priority = 0, /* after bugcheck's (INT_MAX) */
};

static void late_fault(enum kmsg_dump_reason reason)
{
	/* Oopses call kmsg dumpers too (Linux 6.12): fault at the panic only. */
	if (reason == KMSG_DUMP_PANIC)
		(void)READ_ONCE(*(int *)fault_address);
}

/* Linux 6.12 hands dumpers a struct kmsg_dump_detail instead of the reason. */
BUGCHECK_KMSG_DUMP(late_fault)

static struct kmsg_dumper late_dumper = {
	.dump = late_fault_compat,
	.max_reason = KMSG_DUMP_PANIC,
};

static bool use_dumper;

static int __init test_late_init(void)
{
	if (!strcmp(where, "dumper")) {
		use_dumper = true;
		return kmsg_dump_register(&late_dumper);
	}
	if (strcmp(where, "notifier"))
		return -EINVAL;
	atomic_notifier_chain_register(&panic_notifier_list, &late_nb);
	return 0;
}

static void __exit test_late_exit(void)
{
	if (use_dumper)
		kmsg_dump_unregister(&late_dumper);
	else
		atomic_notifier_chain_unregister(&panic_notifier_list,
						 &late_nb);
}

module_init(test_late_init);
module_exit(test_late_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck test: a fault in the panic after the record is complete");
