// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: name two small blocks for the record's triage section,
 * the few structures a triager wants first (here a static one and an
 * allocated one).
 *
 * The block array and both blocks are allocated and filled at load time;
 * the callback resets the array and names the blocks, which allocates
 * nothing.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <bugcheck.h>

#include "sample_patterns.h"

/* Room for two blocks and two spare, the size bugcheck is told. */
#define TRIAGE_BLOCKS 4
#define TRIAGE_ARRAY_SIZE                                           \
	(offsetof(struct bugcheck_triage_dump_data_array, blocks) + \
	 TRIAGE_BLOCKS * sizeof(triage_array->blocks[0]))

static struct bugcheck_reason_callback_record triage_rec;
static struct bugcheck_triage_dump_data_array *triage_array;
static u8 block_a[BUGCHECK_SAMPLE_TRIAGE_A_LEN];
static u8 *block_b;

/**
 * triage_cb() - name blocks A and B for the triage section
 * @reason: BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA
 * @rec: our registration
 * @reason_data: &struct bugcheck_triage_dump_data
 * @reason_data_len: its size
 *
 * The array is set up afresh on every call so that blocks named by an
 * earlier (simulated) bugcheck do not pile up.  A block that does not fit
 * marks the array truncated, which bugcheck reports; nothing to do here.
 *
 * Context: panic context; uses only memory allocated at load time.
 */
static void triage_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_triage_dump_data *d = reason_data;

	if (reason != BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA ||
	    reason_data_len < sizeof(*d))
		return;

	if (bugcheck_init_triage_dump_data_array(triage_array,
						 TRIAGE_ARRAY_SIZE))
		return;
	bugcheck_add_triage_dump_data_block(triage_array, block_a,
					    sizeof(block_a));
	bugcheck_add_triage_dump_data_block(triage_array, block_b,
					    BUGCHECK_SAMPLE_TRIAGE_B_LEN);
	d->data_array = triage_array;
}

static int __init sample_triage_init(void)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(block_a); i++)
		block_a[i] = bugcheck_sample_triage_a_byte(i);

	block_b = kmalloc(BUGCHECK_SAMPLE_TRIAGE_B_LEN, GFP_KERNEL);
	if (!block_b)
		return -ENOMEM;
	for (i = 0; i < BUGCHECK_SAMPLE_TRIAGE_B_LEN; i++)
		block_b[i] = bugcheck_sample_triage_b_byte(i);

	triage_array = kmalloc(TRIAGE_ARRAY_SIZE, GFP_KERNEL);
	if (!triage_array) {
		ret = -ENOMEM;
		goto free_block_b;
	}

	ret = bugcheck_register_reason_callback(
		&triage_rec, triage_cb, BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA,
		"sample-triage");
	if (ret) {
		pr_err("cannot register sample-triage: %d\n", ret);
		goto free_array;
	}
	return 0;

free_array:
	kfree(triage_array);
free_block_b:
	kfree(block_b);
	return ret;
}
module_init(sample_triage_init);

static void __exit sample_triage_exit(void)
{
	bugcheck_deregister_reason_callback(&triage_rec);
	kfree(triage_array);
	kfree(block_b);
}
module_exit(sample_triage_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: name two blocks for the triage section");
