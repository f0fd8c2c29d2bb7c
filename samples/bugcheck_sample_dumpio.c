// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: a dump-I/O sink that mirrors the record stream into its
 * own buffer, as a driver writing the record to a second device would.
 *
 * The mirror is allocated at load time; at the bugcheck the callback only
 * copies each write to its offset and counts.  Writing every write at its
 * offset yields a byte-identical copy of the record.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <bugcheck.h>

#include "sample_patterns.h"

static unsigned int mirror_size = SZ_1M;
module_param(mirror_size, uint, 0444);
MODULE_PARM_DESC(mirror_size, "Bytes the record mirror holds (default 1 MiB)");

/*
 * State of the mirror, for the samples-panic scenario to read from the
 * vmcore by symbol; not exported.  All but the buffer are reset by the
 * HEADER write, so they describe the last stream:
 * @bugcheck_sample_mirror_len: the stream length, set by COMPLETE (0 until
 *	then, so a cut stream shows as 0)
 * @bugcheck_sample_mirror_writes: data writes received (HEADER, BODY,
 *	SECONDARY_DATA), copied or not
 * @bugcheck_sample_mirror_overflows: data writes not copied because they
 *	ended past mirror_size
 */
void *bugcheck_sample_mirror;
u64 bugcheck_sample_mirror_len;
u32 bugcheck_sample_mirror_writes;
u32 bugcheck_sample_mirror_overflows;

static struct bugcheck_reason_callback_record mirror_rec;

/* Copy one data write to its offset if it fits, else count an overflow. */
static void mirror_write(const struct bugcheck_dump_io *io)
{
	bugcheck_sample_mirror_writes++;
	/* Written so that a (u64)-1 "sequential" offset cannot wrap. */
	if (!io->buffer || io->offset > mirror_size ||
	    io->buffer_length > mirror_size - io->offset) {
		bugcheck_sample_mirror_overflows++;
		return;
	}
	memcpy(bugcheck_sample_mirror + io->offset, io->buffer,
	       io->buffer_length);
}

/**
 * mirror_cb() - take one write of the record stream
 * @reason: BUGCHECK_CALLBACK_DUMP_IO
 * @rec: our registration
 * @reason_data: &struct bugcheck_dump_io
 * @reason_data_len: its size
 *
 * Context: panic context; writes only to the mirror allocated at load time.
 */
static void mirror_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	const struct bugcheck_dump_io *io = reason_data;

	if (reason != BUGCHECK_CALLBACK_DUMP_IO ||
	    reason_data_len < sizeof(*io))
		return;

	switch (io->type) {
	case BUGCHECK_DUMP_IO_HEADER:
		/* A new stream (a simulate may have run before the panic). */
		bugcheck_sample_mirror_len = 0;
		bugcheck_sample_mirror_writes = 0;
		bugcheck_sample_mirror_overflows = 0;
		mirror_write(io);
		break;
	case BUGCHECK_DUMP_IO_BODY:
	case BUGCHECK_DUMP_IO_SECONDARY_DATA:
		mirror_write(io);
		break;
	case BUGCHECK_DUMP_IO_COMPLETE:
		/* COMPLETE's offset is where the stream ends: its length. */
		bugcheck_sample_mirror_len = io->offset;
		break;
	}
}

static int __init sample_dumpio_init(void)
{
	int ret;

	if (!mirror_size)
		return -EINVAL;

	bugcheck_sample_mirror = vzalloc(mirror_size);
	if (!bugcheck_sample_mirror)
		return -ENOMEM;

	ret = bugcheck_register_reason_callback(&mirror_rec, mirror_cb,
						BUGCHECK_CALLBACK_DUMP_IO,
						"sample-mirror");
	if (ret) {
		pr_err("cannot register sample-mirror: %d\n", ret);
		goto free_mirror;
	}
	return 0;

free_mirror:
	vfree(bugcheck_sample_mirror);
	bugcheck_sample_mirror = NULL;
	return ret;
}
module_init(sample_dumpio_init);

static void __exit sample_dumpio_exit(void)
{
	bugcheck_deregister_reason_callback(&mirror_rec);
	vfree(bugcheck_sample_mirror);
	bugcheck_sample_mirror = NULL;
}
module_exit(sample_dumpio_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: mirror the dump-I/O stream in memory");
