// SPDX-License-Identifier: GPL-2.0
/*
 * A client written only from bugcheck.h and docs/api.md, built outside the
 * bugcheck tree: one registration per reason, each adding a small, known
 * block ("OUTSIDE-<reason>:" + 32 bytes of (i + reason) & 0xff) so the e2e
 * check can find every one in the vmcore.
 */

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "bugcheck.h"

#define TAG_LEN 44

static const guid_t outside_guid = GUID_INIT(0x0b5c1de0, 0x1111, 0x4222, 0x83,
					     0x33, 0x44, 0x44, 0x55, 0x55, 0x66,
					     0x66);
static const guid_t outside_multi_guid = GUID_INIT(0x0b5c1de0, 0x1111, 0x4222,
						   0x83, 0x33, 0x44, 0x44, 0x55,
						   0x55, 0x66, 0x67);

static struct bugcheck_reason_callback_record recs[6];
static struct bugcheck_callback_record legacy_rec;
static u8 tags[8][TAG_LEN]; /* [reason] */
static void *page_buf; /* one page, added by ADD_PAGES */
static struct bugcheck_triage_dump_data_array *triage;
static u8 mirror_bytes_seen; /* DUMP_IO saw the stream */

static void fill_tag(u8 *buf, int reason)
{
	int i;

	snprintf(buf, 13, "OUTSIDE-%d:", reason);
	for (i = 0; i < 32; i++)
		buf[12 + i] = (i + reason) & 0xff;
}

static void outside_cb(enum bugcheck_callback_reason reason,
		       struct bugcheck_reason_callback_record *rec, void *data,
		       size_t len)
{
	switch (reason) {
	case BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA: {
		struct bugcheck_secondary_dump_data *d = data;

		d->guid = outside_guid;
		if (!d->out_buffer) {
			d->out_buffer_length = TAG_LEN;
		} else {
			memcpy(d->in_buffer, tags[reason],
			       min_t(u32, TAG_LEN, d->in_buffer_length));
			d->out_buffer_length =
				min_t(u32, TAG_LEN, d->in_buffer_length);
		}
		break;
	}
	case BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA: {
		struct bugcheck_secondary_dump_data_ex *d = data;

		d->guid = outside_multi_guid;
		d->out_buffer = tags[reason];
		d->out_buffer_length = TAG_LEN;
		break;
	}
	case BUGCHECK_CALLBACK_ADD_PAGES: {
		struct bugcheck_add_pages *d = data;

		d->flags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
		d->address = (unsigned long)page_buf;
		d->count = 1;
		break;
	}
	case BUGCHECK_CALLBACK_REMOVE_PAGES:
		/* Nothing to remove this time: leave flags and count at 0. */
		break;
	case BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA: {
		struct bugcheck_triage_dump_data *d = data;

		bugcheck_init_triage_dump_data_array(
			triage, BUGCHECK_TRIAGE_ARRAY_SIZE(1));
		bugcheck_add_triage_dump_data_block(triage, tags[reason],
						    TAG_LEN);
		d->data_array = triage;
		break;
	}
	case BUGCHECK_CALLBACK_DUMP_IO: {
		struct bugcheck_dump_io *d = data;

		if (d->type == BUGCHECK_DUMP_IO_COMPLETE)
			mirror_bytes_seen = 1;
		break;
	}
	}
}

static void outside_legacy(void *buf, size_t len)
{
	fill_tag(buf, 7);
}

static int __init outside_init(void)
{
	static const char *const names[6] = {
		"outside-secondary", "outside-dumpio", "outside-pages",
		"outside-multipart", "outside-remove", "outside-triage",
	};
	int reason, ret;

	page_buf = vzalloc(PAGE_SIZE);
	triage = kzalloc(BUGCHECK_TRIAGE_ARRAY_SIZE(1), GFP_KERNEL);
	if (!page_buf || !triage) {
		ret = -ENOMEM;
		goto free;
	}
	for (reason = 1; reason <= 6; reason++)
		fill_tag(tags[reason], reason);
	fill_tag(page_buf, BUGCHECK_CALLBACK_ADD_PAGES);
	for (reason = 1; reason <= 6; reason++) {
		ret = bugcheck_register_reason_callback(&recs[reason - 1],
							outside_cb, reason,
							names[reason - 1]);
		if (ret)
			goto deregister;
	}
	ret = bugcheck_register_callback(&legacy_rec, outside_legacy, tags[7],
					 TAG_LEN, "outside-legacy");
	if (ret)
		goto deregister;
	return 0;

deregister:
	while (--reason >= 1)
		bugcheck_deregister_reason_callback(&recs[reason - 1]);
free:
	kfree(triage);
	vfree(page_buf);
	return ret;
}

static void __exit outside_exit(void)
{
	int i;

	bugcheck_deregister_callback(&legacy_rec);
	for (i = 0; i < 6; i++)
		bugcheck_deregister_reason_callback(&recs[i]);
	kfree(triage);
	vfree(page_buf);
}

module_init(outside_init);
module_exit(outside_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck client built outside the tree, one registration per reason");
