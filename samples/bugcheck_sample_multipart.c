// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: one tagged blob delivered in three parts, as a driver
 * does when its state is too big to hand over in one block.
 *
 * The parts are built at load time; at the bugcheck each call copies the
 * next one.  Which part is next is kept in the context pointer bugcheck
 * preserves between the calls of one bugcheck and clears before the first.
 */

#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/string.h>
#include <bugcheck.h>

#include "sample_patterns.h"

#define NR_PARTS BUGCHECK_SAMPLE_MULTIPART_PARTS

static struct bugcheck_reason_callback_record multipart_rec;
static u8 parts[NR_PARTS][BUGCHECK_SAMPLE_MULTIPART_PART_LEN];

/**
 * multipart_cb() - write the next part of the "sample-multipart" blob
 * @reason: BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA
 * @rec: our registration
 * @reason_data: &struct bugcheck_secondary_dump_data_ex
 * @reason_data_len: its size
 *
 * The context holds the number of parts already written, so NULL (the
 * first call of a bugcheck) means part 0.  Every part but the last asks to
 * be called again.
 *
 * Context: panic context; copies from buffers built at load time.
 */
static void multipart_cb(enum bugcheck_callback_reason reason,
			 struct bugcheck_reason_callback_record *rec,
			 void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data_ex *d = reason_data;
	uintptr_t n;
	u32 len;

	if (reason != BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA ||
	    reason_data_len < sizeof(*d))
		return;

	n = (uintptr_t)d->context;
	if (n >= NR_PARTS || !d->in_buffer) {
		d->out_buffer_length = 0;
		return;
	}

	d->guid = BUGCHECK_SAMPLE_MULTIPART_GUID;
	len = min_t(u32, sizeof(parts[n]), d->in_buffer_length);
	memcpy(d->in_buffer, parts[n], len);
	d->out_buffer_length = len;
	d->context = (void *)(n + 1);
	if (n + 1 < NR_PARTS)
		d->flags |= BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA;
}

static int __init sample_multipart_init(void)
{
	unsigned int n;
	size_t i;
	int ret;

	for (n = 0; n < NR_PARTS; n++)
		for (i = 0; i < sizeof(parts[n]); i++)
			parts[n][i] = bugcheck_sample_multipart_byte(n, i);

	ret = bugcheck_register_reason_callback(
		&multipart_rec, multipart_cb,
		BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA,
		"sample-multipart");
	if (ret)
		pr_err("cannot register sample-multipart: %d\n", ret);
	return ret;
}
module_init(sample_multipart_init);

static void __exit sample_multipart_exit(void)
{
	bugcheck_deregister_reason_callback(&multipart_rec);
}
module_exit(sample_multipart_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: a secondary data blob in three parts");
