// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client with a soft dependency: it loads and works where bugcheck.ko
 * is absent, and adds one tagged block to the record where it is loaded.
 *
 * Only the bugcheck_soft_*() wrappers of <bugcheck.h> are used, so the
 * module has no link-time reference to bugcheck.ko (modinfo: no "depends:
 * bugcheck") and builds without bugcheck's Module.symvers.  The
 * soft-dependency scenario loads it with and without bugcheck.ko.
 */

#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/string.h>
#include <bugcheck.h>

#include "sample_patterns.h"

static struct bugcheck_reason_callback_record soft_rec;
static bool registered;
static u8 soft_image[BUGCHECK_SAMPLE_SOFT_LEN];

/**
 * soft_cb() - write the "sample-soft" block into the record
 * @reason: BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA
 * @rec: our registration
 * @reason_data: &struct bugcheck_secondary_dump_data
 * @reason_data_len: its size
 *
 * Context: panic context; copies from a buffer built at load time.
 */
static void soft_cb(enum bugcheck_callback_reason reason,
		    struct bugcheck_reason_callback_record *rec,
		    void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;
	u32 len;

	if (reason != BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA ||
	    reason_data_len < sizeof(*d))
		return;
	d->guid = BUGCHECK_SAMPLE_SOFT_GUID;
	if (!d->out_buffer) {
		d->out_buffer_length = sizeof(soft_image);
		return;
	}
	len = min_t(u32, sizeof(soft_image), d->in_buffer_length);
	memcpy(d->in_buffer, soft_image, len);
	d->out_buffer_length = len;
}

static int __init sample_soft_init(void)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(soft_image); i++)
		soft_image[i] = bugcheck_sample_soft_byte(i);
	ret = bugcheck_soft_register_reason_callback(
		&soft_rec, soft_cb, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		"sample-soft");
	if (ret == -ENODEV) {
		pr_info("bugcheck.ko is not loaded: running without crash-time data\n");
		return 0;
	}
	if (ret) {
		pr_err("cannot register sample-soft: %d\n", ret);
		return ret;
	}
	registered = true;
	pr_info("registered sample-soft with bugcheck\n");
	return 0;
}

static void __exit sample_soft_exit(void)
{
	if (registered)
		bugcheck_soft_deregister_reason_callback(&soft_rec);
}

module_init(sample_soft_init);
module_exit(sample_soft_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck sample: a client with a soft dependency on bugcheck.ko");
