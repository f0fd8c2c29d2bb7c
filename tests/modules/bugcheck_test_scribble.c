// SPDX-License-Identifier: GPL-2.0
/*
 * Test client that corrupts the finished record: a dump-I/O sink that, at
 * COMPLETE, flips bytes inside the first section's payload through the
 * pointer the HEADER write handed it.  Readers must report the damage (CRC)
 * and still show what survived, never crash.
 */

#include <linux/module.h>

#include "bugcheck.h"
#include "uapi/bugcheck_record.h"

static struct bugcheck_reason_callback_record scribble_rec;
static u8 *record_base;

static void scribble_callback(enum bugcheck_callback_reason reason,
			      struct bugcheck_reason_callback_record *rec,
			      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_dump_io *d = reason_data;
	const struct bugcheck_record_header *h;

	if (d->type == BUGCHECK_DUMP_IO_HEADER && d->offset == 0) {
		record_base = (u8 *)d->buffer;
		return;
	}
	if (d->type != BUGCHECK_DUMP_IO_COMPLETE || !record_base)
		return;
	h = (const struct bugcheck_record_header *)record_base;
	if (h->nr_sections &&
	    h->sections_offset + sizeof(struct bugcheck_record_section) + 8 <=
		    h->used)
		record_base[h->sections_offset +
			    sizeof(struct bugcheck_record_section) + 4] ^= 0xff;
}

static int __init test_scribble_init(void)
{
	return bugcheck_register_reason_callback(&scribble_rec,
						 scribble_callback,
						 BUGCHECK_CALLBACK_DUMP_IO,
						 "test-scribble");
}

static void __exit test_scribble_exit(void)
{
	bugcheck_deregister_reason_callback(&scribble_rec);
}

module_init(test_scribble_init);
module_exit(test_scribble_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck test client: corrupts the finished record");
