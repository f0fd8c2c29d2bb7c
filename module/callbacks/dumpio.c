// SPDX-License-Identifier: GPL-2.0
/*
 * DUMP_IO: the finished record, streamed to each sink as header, body
 * (added pages), secondary data (every other section) and a COMPLETE call,
 * so that writing each buffer at its offset yields a byte-identical copy.
 *
 * Every sink gets its callback table entry before the record is finished
 * (the table is part of the CRC'd stream); what happened to it afterwards is
 * written to the dump-I/O status table, which lies outside the stream.
 */

#include <linux/kernel.h>
#include <linux/string.h>

#include "internal.h"

static struct bugcheck_record_io_status *io_status(struct bugcheck_collector *c,
						   u32 k)
{
	struct bugcheck_record_header *h = bugcheck_hdr(c);

	if (k >= h->nr_io_status)
		return NULL;
	return (struct bugcheck_record_io_status *)(c->base +
						    h->io_status_offset) +
	       k;
}

/**
 * bugcheck_dumpio_prepare() - give every sink its table entry
 * @c: the collector, before the record is finished
 */
void bugcheck_dumpio_prepare(struct bugcheck_collector *c)
{
	struct bugcheck_walk w;
	struct bugcheck_reg reg;
	int ret;

	bugcheck_walk_start(&w, BUGCHECK_CALLBACK_DUMP_IO, c->simulate);
	while ((ret = bugcheck_walk_next(&w, &reg)) > 0) {
		bugcheck_new_entry(c, reg.component, reg.owner, reg.reason,
				   reg.callback, BUGCHECK_STATE_STARTED);
		bugcheck_walk_step_done(&w);
		if (c->current_index == U32_MAX)
			continue;
		if (c->nr_io == 0)
			c->io_first_index = c->current_index;
		c->nr_io++;
	}
	if (ret < 0)
		bugcheck_hdr(c)->flags |= BUGCHECK_RECORD_F_LIST_CORRUPT;
}

/* One write; false when the sink faulted. */
static bool io_write(struct bugcheck_collector *c,
		     const struct bugcheck_reg *reg,
		     struct bugcheck_record_callback *e,
		     struct bugcheck_record_io_status *st, u32 type, u32 off,
		     u32 len)
{
	struct bugcheck_dump_io d = {
		.offset = off,
		.buffer = len ? c->base + off : NULL,
		.buffer_length = len,
		.type = type,
	};

	if (bugcheck_call(c, reg, e, BUGCHECK_CALLBACK_DUMP_IO, &d, sizeof(d)))
		return false;
	if (st) {
		st->writes++;
		st->bytes += len;
	}
	return true;
}

/* Header, body, secondary, complete; false when the sink faulted. */
static bool stream(struct bugcheck_collector *c, const struct bugcheck_reg *reg,
		   struct bugcheck_record_io_status *st)
{
	const struct bugcheck_record_header *h = bugcheck_hdr(c);
	struct bugcheck_record_callback scratch = {};
	u32 pass, n, off;

	/* The table entry is in the CRC'd stream: counts go to a scratch one. */
	if (!io_write(c, reg, &scratch, st, BUGCHECK_DUMP_IO_HEADER, 0,
		      h->sections_offset))
		return false;
	for (pass = 0; pass < 2; pass++) {
		off = h->sections_offset;
		for (n = 0; n < h->nr_sections && off < h->used; n++) {
			const struct bugcheck_record_section *s =
				(void *)(c->base + off);
			bool body = s->type == BUGCHECK_SECTION_ADDED_PAGES;

			if (body == !pass &&
			    !io_write(c, reg, &scratch, st,
				      body ? BUGCHECK_DUMP_IO_BODY :
					     BUGCHECK_DUMP_IO_SECONDARY_DATA,
				      off, s->size))
				return false;
			off += s->size;
		}
	}
	return io_write(c, reg, &scratch, st, BUGCHECK_DUMP_IO_COMPLETE,
			h->used, 0);
}

/*
 * The status entry of the sink @reg: the next one, at or after *@k, whose
 * table entry names its function.  A simulate walks the list twice with the
 * lock free in between, so a sink may have gone (its entry stays STARTED) or
 * come (it has no entry and is not streamed to).
 */
static struct bugcheck_record_io_status *
find_status(struct bugcheck_collector *c, const struct bugcheck_reg *reg,
	    u32 *k)
{
	struct bugcheck_record_io_status *st;

	for (; (st = io_status(c, *k)); (*k)++)
		if (bugcheck_entry(c, st->callback)->callback ==
		    (unsigned long)reg->callback)
			return st;
	return NULL;
}

/**
 * bugcheck_dumpio_stream() - stream the finished record to every sink
 * @c: the collector, after bugcheck_record_finalize()
 */
void bugcheck_dumpio_stream(struct bugcheck_collector *c)
{
	struct bugcheck_walk w;
	struct bugcheck_reg reg;
	u32 k = 0;
	int ret;

	bugcheck_walk_start(&w, BUGCHECK_CALLBACK_DUMP_IO, c->simulate);
	while ((ret = bugcheck_walk_next(&w, &reg)) > 0) {
		struct bugcheck_record_io_status *st = find_status(c, &reg, &k);
		u32 state;

		if (!st) {
			bugcheck_walk_step_done(&w);
			continue;
		}
		k++;
		st->state = BUGCHECK_STATE_STARTED;
		bugcheck_mirror_result(&reg, BUGCHECK_STATE_STARTED, 0, 0);
		if (c->faults >= BUGCHECK_MAX_FAULTS)
			state = BUGCHECK_STATE_SKIPPED;
		else if (stream(c, &reg, st))
			state = BUGCHECK_STATE_FINISHED;
		else
			state = BUGCHECK_STATE_FAILED;
		st->state = state;
		bugcheck_mirror_result(&reg, state,
				       state == BUGCHECK_STATE_FAILED ?
					       BUGCHECK_CB_F_FAULTED :
					       0,
				       st->bytes);
		bugcheck_walk_step_done(&w);
	}
}
