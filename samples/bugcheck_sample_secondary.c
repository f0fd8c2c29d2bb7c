// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: two tagged (GUID) secondary blocks, one written into the
 * record's own buffer and one handed over from a buffer the driver owns.
 *
 * Both blocks are built at load time, so at the bugcheck the callbacks only
 * copy bytes or hand back a pointer: nothing is allocated or locked.
 */

#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <bugcheck.h>

#include "sample_patterns.h"

static struct bugcheck_reason_callback_record secondary_rec;
static struct bugcheck_reason_callback_record ownbuf_rec;

/* The "sample-secondary" block, prebuilt so the data phase is one memcpy. */
static u8 secondary_image[BUGCHECK_SAMPLE_SECONDARY_LEN];

/*
 * The "sample-ownbuf" block: lives in the driver's own memory, as a real
 * driver's state would, and bugcheck copies it from there.
 */
static u8 *ownbuf;

/**
 * secondary_cb() - write the "sample-secondary" block into the record
 * @reason: BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA
 * @rec: our registration
 * @reason_data: &struct bugcheck_secondary_dump_data
 * @reason_data_len: its size
 *
 * Size phase (out_buffer NULL): ask for the whole block.  Data phase: copy
 * what fits into in_buffer and leave out_buffer pointing there.
 *
 * Context: panic context; copies from a buffer built at load time.
 */
static void secondary_cb(enum bugcheck_callback_reason reason,
			 struct bugcheck_reason_callback_record *rec,
			 void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;
	u32 len;

	if (reason != BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA ||
	    reason_data_len < sizeof(*d))
		return;

	d->guid = BUGCHECK_SAMPLE_SECONDARY_GUID;
	if (!d->out_buffer) {
		d->out_buffer_length = sizeof(secondary_image);
		return;
	}
	len = min_t(u32, sizeof(secondary_image), d->in_buffer_length);
	memcpy(d->in_buffer, secondary_image, len);
	d->out_buffer_length = len;
}

/**
 * ownbuf_cb() - hand the "sample-ownbuf" block to bugcheck
 * @reason: BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA
 * @rec: our registration
 * @reason_data: &struct bugcheck_secondary_dump_data
 * @reason_data_len: its size
 *
 * Size phase: ask for the whole block.  Data phase: point out_buffer at our
 * own buffer and let bugcheck copy it; nothing is written to in_buffer.
 *
 * Context: panic context; only pointers and lengths are set.
 */
static void ownbuf_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;

	if (reason != BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA ||
	    reason_data_len < sizeof(*d))
		return;

	d->guid = BUGCHECK_SAMPLE_OWNBUF_GUID;
	if (d->out_buffer)
		d->out_buffer = ownbuf;
	d->out_buffer_length = BUGCHECK_SAMPLE_OWNBUF_LEN;
}

static int __init sample_secondary_init(void)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(secondary_image); i++)
		secondary_image[i] = bugcheck_sample_secondary_byte(i);

	ownbuf = kmalloc(BUGCHECK_SAMPLE_OWNBUF_LEN, GFP_KERNEL);
	if (!ownbuf)
		return -ENOMEM;
	for (i = 0; i < BUGCHECK_SAMPLE_OWNBUF_LEN; i++)
		ownbuf[i] = bugcheck_sample_ownbuf_byte(i);

	ret = bugcheck_register_reason_callback(
		&secondary_rec, secondary_cb,
		BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, "sample-secondary");
	if (ret) {
		pr_err("cannot register sample-secondary: %d\n", ret);
		goto free_ownbuf;
	}

	ret = bugcheck_register_reason_callback(
		&ownbuf_rec, ownbuf_cb, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		"sample-ownbuf");
	if (ret) {
		pr_err("cannot register sample-ownbuf: %d\n", ret);
		goto deregister_secondary;
	}
	return 0;

deregister_secondary:
	bugcheck_deregister_reason_callback(&secondary_rec);
free_ownbuf:
	kfree(ownbuf);
	return ret;
}
module_init(sample_secondary_init);

static void __exit sample_secondary_exit(void)
{
	bugcheck_deregister_reason_callback(&ownbuf_rec);
	bugcheck_deregister_reason_callback(&secondary_rec);
	kfree(ownbuf);
}
module_exit(sample_secondary_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: secondary dump data, two ways");
