// SPDX-License-Identifier: GPL-2.0
/*
 * The user-block phase of the bugcheck: one USER_BLOCK section per block
 * registered through /dev/bugcheck, in registration order, under one
 * callback table entry of bugcheck's own ("user-blocks").  The contents are
 * copied from the pages pinned at registration (blocks.c), so no process's
 * page tables are walked.
 */

#include <linux/rcupdate.h>
#include <linux/string.h>

#include "internal.h"
#include "uapi/bugcheck_dev.h"

/*
 * One USER_BLOCK section: the block's description, then as much of its
 * contents as fits (none once it was unmapped).
 */
static void user_block_section(struct bugcheck_collector *c,
			       struct bugcheck_record_callback *e,
			       const struct bugcheck_ublock_view *v, u32 index)
{
	struct bugcheck_record_user_block ub = {
		.address = v->addr,
		.size = v->size,
		.pid = v->pid,
		.uid = v->uid,
		.flags = v->flags & BUGCHECK_USER_BLOCK_F_UNMAPPED,
	};
	u64 want = ub.flags & BUGCHECK_USER_BLOCK_F_UNMAPPED ? 0 : v->size;
	struct bugcheck_record_section *s;
	u32 n, flags = 0;
	u8 *payload;

	BUILD_BUG_ON(sizeof(ub) % 8);
	BUILD_BUG_ON(BUGCHECK_USER_BLOCK_F_UNMAPPED !=
		     BUGCHECK_BLOCK_F_UNMAPPED);
	memcpy(ub.comm, v->comm, sizeof(ub.comm));
	if (bugcheck_room(c, 0) < sizeof(ub)) {
		bugcheck_dropped(c, e, sizeof(ub) + want);
		return;
	}
	n = min_t(u64, want, bugcheck_room(c, sizeof(ub)));
	if (n < want) {
		flags |= BUGCHECK_CB_F_NO_SPACE;
		bugcheck_cut(c, want - n);
	}
	s = bugcheck_section_open(c);
	payload = (u8 *)(s + 1);
	ub.copied = bugcheck_ublock_copy(c, v, payload + sizeof(ub), n);
	if (ub.copied < n)
		flags |= BUGCHECK_CB_F_READ_ERROR;
	memcpy(payload, &ub, sizeof(ub));
	s->address = v->addr;
	s->count = v->size;
	s->part = index;
	bugcheck_section_commit(c, s, BUGCHECK_SECTION_USER_BLOCK,
				sizeof(ub) + ub.copied, flags, e);
	e->flags |= flags;
}

/**
 * bugcheck_user_blocks_phase() - record every process's registered blocks
 * @c: the collector
 *
 * At a bugcheck the block list is walked lock-free (the other CPUs are
 * stopped); under a simulate, inside an RCU read-side section, as blocks
 * are freed only after a grace period (blocks.c).
 */
void bugcheck_user_blocks_phase(struct bugcheck_collector *c)
{
	struct bugcheck_record_callback *e;
	struct bugcheck_ublock_view v;
	const void *pos = NULL;
	u32 walked = 0, index = 0, entry;
	int ret;

	if (!bugcheck_ublock_count())
		return;
	e = bugcheck_new_entry(c, "user-blocks", THIS_MODULE,
			       BUGCHECK_RECORD_REASON_USER_BLOCKS, NULL,
			       BUGCHECK_STATE_STARTED);
	entry = c->current_index;
	if (entry == U32_MAX)
		return;
	rcu_read_lock();
	while ((ret = bugcheck_ublock_next(&pos, &walked, &v)) > 0) {
		c->current_index = entry;
		e->calls++;
		user_block_section(c, e, &v, index++);
	}
	rcu_read_unlock();
	if (ret < 0) {
		bugcheck_hdr(c)->flags |= BUGCHECK_RECORD_F_LIST_CORRUPT;
		e->state = BUGCHECK_STATE_INCOMPLETE;
	}
	if (e->flags & (BUGCHECK_CB_F_READ_ERROR | BUGCHECK_CB_F_NO_SPACE))
		e->state = BUGCHECK_STATE_INCOMPLETE;
	if (e->state == BUGCHECK_STATE_STARTED)
		e->state = BUGCHECK_STATE_FINISHED;
}
