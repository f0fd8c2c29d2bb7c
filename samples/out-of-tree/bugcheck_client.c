// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal out-of-tree client of bugcheck.ko, built from the installed SDK
 * alone: one tagged block in the bugcheck record.  Copy it, change the GUID
 * (uuidgen) and what the callback writes.
 */
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uuid.h>
#include <bugcheck.h>

/* 0b6f2e1c-5d4a-4f3b-8e2d-1c0b9a8f7e6d */
static const guid_t client_guid = GUID_INIT(0x0b6f2e1c, 0x5d4a, 0x4f3b, 0x8e,
					    0x2d, 0x1c, 0x0b, 0x9a, 0x8f, 0x7e,
					    0x6d);
static const char client_state[] = "bugcheck_client: state a triager wants";
static struct bugcheck_reason_callback_record client_rec;

/* Context: panic context: no sleeping, no allocation, no locks. */
static void client_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;

	if (reason != BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA ||
	    reason_data_len < sizeof(*d))
		return;
	d->guid = client_guid;
	if (!d->out_buffer) {
		d->out_buffer_length = sizeof(client_state);
		return;
	}
	d->out_buffer_length =
		min_t(u32, sizeof(client_state), d->in_buffer_length);
	memcpy(d->in_buffer, client_state, d->out_buffer_length);
}

static int __init client_init(void)
{
	return bugcheck_register_reason_callback(
		&client_rec, client_cb, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		"bugcheck-client");
}

static void __exit client_exit(void)
{
	bugcheck_deregister_reason_callback(&client_rec);
}

module_init(client_init);
module_exit(client_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A bugcheck client built from the installed SDK");
