// SPDX-License-Identifier: GPL-2.0
/*
 * Test clients whose secondary-data callbacks fail in their data phase: the
 * bugcheck must abandon each one, mark it FAILED with a FAULT section, and
 * still record everyone else's data.
 *
 *   modes=read,bug,panic,...   one callback per entry (at most 16): "read"
 *                              reads through a bad pointer, "bug" hits BUG(),
 *                              "panic" calls panic(), "hang" never returns
 *                              (it says so on the console first)
 *
 * The first callback is "test-fault", the others "test-fault-N".
 */

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bugcheck.h"

#define MAX_FAULTERS 16

static char *modes = "read";
module_param(modes, charp, 0444);
MODULE_PARM_DESC(
	modes,
	"Comma-separated list of read, bug, panic, hang: one failing callback each");

static unsigned long fault_address = 0x10;
module_param(fault_address, ulong, 0444);
MODULE_PARM_DESC(fault_address,
		 "Address the \"read\" callbacks read in their data phase");

enum fault_mode { FAULT_READ, FAULT_BUG, FAULT_PANIC, FAULT_HANG };

static struct faulter {
	struct bugcheck_reason_callback_record rec;
	enum fault_mode mode;
	char name[24];
} faulters[MAX_FAULTERS];
static int nr_faulters;

static void fault_callback(enum bugcheck_callback_reason reason,
			   struct bugcheck_reason_callback_record *rec,
			   void *reason_data, size_t reason_data_len)
{
	struct faulter *f = container_of(rec, struct faulter, rec);
	struct bugcheck_secondary_dump_data *d = reason_data;

	if (!d->out_buffer) {
		d->out_buffer_length = 64;
		return;
	}
	/* The data phase: fail the way a buggy driver would. */
	switch (f->mode) {
	case FAULT_READ:
		d->out_buffer_length = READ_ONCE(*(u32 *)fault_address);
		break;
	case FAULT_BUG:
		BUG();
	case FAULT_PANIC:
		panic("test-fault: %s gives up", f->name);
	case FAULT_HANG:
		pr_emerg("%s hangs\n", f->name);
		for (;;)
			cpu_relax();
	}
}

static int __init test_fault_init(void)
{
	char *list = kstrdup(modes, GFP_KERNEL), *p = list, *m;
	int ret = 0;

	if (!list)
		return -ENOMEM;
	while ((m = strsep(&p, ",")) && nr_faulters < MAX_FAULTERS) {
		struct faulter *f = &faulters[nr_faulters];

		if (!strcmp(m, "read")) {
			f->mode = FAULT_READ;
		} else if (!strcmp(m, "bug")) {
			f->mode = FAULT_BUG;
		} else if (!strcmp(m, "panic")) {
			f->mode = FAULT_PANIC;
		} else if (!strcmp(m, "hang")) {
			f->mode = FAULT_HANG;
		} else {
			pr_err("unknown mode '%s'\n", m);
			ret = -EINVAL;
			break;
		}
		if (nr_faulters)
			snprintf(f->name, sizeof(f->name), "test-fault-%d",
				 nr_faulters);
		else
			strscpy(f->name, "test-fault", sizeof(f->name));
		ret = bugcheck_register_reason_callback(
			&f->rec, fault_callback,
			BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, f->name);
		if (ret)
			break;
		nr_faulters++;
	}
	kfree(list);
	if (ret)
		while (nr_faulters--)
			bugcheck_deregister_reason_callback(
				&faulters[nr_faulters].rec);
	return ret;
}

static void __exit test_fault_exit(void)
{
	while (nr_faulters--)
		bugcheck_deregister_reason_callback(&faulters[nr_faulters].rec);
}

module_init(test_fault_init);
module_exit(test_fault_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck test: callbacks that fault, BUG() or panic()");
