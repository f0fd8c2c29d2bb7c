// SPDX-License-Identifier: GPL-2.0
/*
 * The data reasons: SECONDARY_DUMP_DATA (one tagged block, size then data
 * phase), SECONDARY_MULTIPART_DUMP_DATA (tagged parts, as long as the
 * callback asks), TRIAGE_DUMP_DATA (named blocks of memory) and the legacy
 * buffer callbacks.  docs/api.md#the-reasons is the protocol.
 *
 * A callback writes its block straight into the record, into a section's
 * payload followed by guard bytes; whatever it hands back instead (its own
 * buffer, lengths) is checked and read without faulting.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

static bool guard_intact(const u8 *guard)
{
	return !memchr_inv(guard, BUGCHECK_GUARD_BYTE, BUGCHECK_GUARD_BYTES);
}

/* Is @guid already the tag of an earlier block? Only our own area is read. */
static bool guid_seen(struct bugcheck_collector *c, const guid_t *guid)
{
	const struct bugcheck_record_header *h = bugcheck_hdr(c);
	u32 off = h->sections_offset;
	u32 n;

	for (n = 0; n < h->nr_sections && off < c->cursor; n++) {
		const struct bugcheck_record_section *s =
			(void *)(c->base + off);

		if ((s->type == BUGCHECK_SECTION_SECONDARY ||
		     s->type == BUGCHECK_SECTION_MULTIPART) &&
		    s->callback != c->current_index &&
		    !memcmp(s->guid, guid, sizeof(s->guid)))
			return true;
		off += s->size;
	}
	return false;
}

/*
 * Finish one block written at @payload (reserved @avail bytes, guard after
 * them): check the guard, clamp the length, copy a callback-owned buffer.
 * Returns the payload length to commit.
 */
static u32 take_block(struct bugcheck_collector *c, u8 *payload, u32 avail,
		      void *out_buffer, u32 out_len, u32 *flags)
{
	if (!guard_intact(payload + avail))
		*flags |= BUGCHECK_CB_F_OVERRUN;
	if (out_len > avail) {
		*flags |= BUGCHECK_CB_F_CLAMPED;
		out_len = avail;
	}
	if (out_buffer == payload || !out_len)
		return out_len;
	if (!out_buffer) {
		*flags |= BUGCHECK_CB_F_BAD_RESULT;
		return 0;
	}
	if (bugcheck_copy_kernel(c, payload, out_buffer, out_len) != out_len) {
		*flags |= BUGCHECK_CB_F_READ_ERROR;
		return 0;
	}
	return out_len;
}

/**
 * bugcheck_run_secondary() - run a SECONDARY_DUMP_DATA callback
 * @c: the collector
 * @reg: the registration
 * @e: its entry
 *
 * Return: the BUGCHECK_CB_F_* flags it earned.
 */
u32 bugcheck_run_secondary(struct bugcheck_collector *c,
			   const struct bugcheck_reg *reg,
			   struct bugcheck_record_callback *e)
{
	struct bugcheck_secondary_dump_data d = {};
	struct bugcheck_record_section *s;
	u32 want, avail, len, flags = 0;
	u8 *payload;

	/* Size phase. */
	d.maximum_allowed = bugcheck_budget(c, e, BUGCHECK_GUARD_BYTES);
	if (bugcheck_call(c, reg, e, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, &d,
			  sizeof(d)))
		return BUGCHECK_CB_F_FAULTED;
	want = d.out_buffer_length;
	if (!want)
		return 0;
	avail = bugcheck_budget(c, e, BUGCHECK_GUARD_BYTES);
	if (want > avail) {
		if (!avail) {
			bugcheck_dropped(c, e, want);
			return 0;
		}
		/* Marked on the section too: a reader of the block sees it was cut. */
		flags |= want > d.maximum_allowed ? BUGCHECK_CB_F_CLAMPED :
						    BUGCHECK_CB_F_NO_SPACE;
		bugcheck_cut(c, want - avail);
		want = avail;
	}

	/* Data phase, straight into the section's payload. */
	s = bugcheck_section_open(c);
	payload = (u8 *)(s + 1);
	memset(payload + want, BUGCHECK_GUARD_BYTE, BUGCHECK_GUARD_BYTES);
	d.in_buffer = payload;
	d.in_buffer_length = want;
	d.maximum_allowed = want;
	d.out_buffer = payload;
	d.out_buffer_length = 0;
	if (bugcheck_call(c, reg, e, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, &d,
			  sizeof(d)))
		return flags | BUGCHECK_CB_F_FAULTED;
	len = take_block(c, payload, want, d.out_buffer, d.out_buffer_length,
			 &flags);
	memcpy(s->guid, &d.guid, sizeof(s->guid));
	if (guid_seen(c, &d.guid))
		flags |= BUGCHECK_CB_F_DUPLICATE_GUID;
	bugcheck_section_commit(c, s, BUGCHECK_SECTION_SECONDARY, len, flags,
				e);
	return flags;
}

/**
 * bugcheck_run_multipart() - run a SECONDARY_MULTIPART_DUMP_DATA callback
 * @c: the collector
 * @reg: the registration
 * @e: its entry
 *
 * Return: the BUGCHECK_CB_F_* flags it earned.
 */
u32 bugcheck_run_multipart(struct bugcheck_collector *c,
			   const struct bugcheck_reg *reg,
			   struct bugcheck_record_callback *e)
{
	struct bugcheck_secondary_dump_data_ex d = {};
	u32 part, all = 0;

	d.dump_type = c->dump_type;
	d.bugcheck_code = c->code;
	memcpy(d.bugcheck_parameter, c->param, sizeof(d.bugcheck_parameter));
	for (part = 0; part < BUGCHECK_MAX_CALLS; part++) {
		struct bugcheck_record_section *s;
		u32 avail, len, flags = 0;
		u8 *payload;

		avail = bugcheck_budget(c, e, BUGCHECK_GUARD_BYTES);
		if (!avail) {
			/* Ask anyway? No: there is nowhere to put the answer. */
			bugcheck_dropped(c, e, 0);
			return all | BUGCHECK_CB_F_NO_SPACE;
		}
		s = bugcheck_section_open(c);
		payload = (u8 *)(s + 1);
		memset(payload + avail, BUGCHECK_GUARD_BYTE,
		       BUGCHECK_GUARD_BYTES);
		d.in_buffer = payload;
		d.in_buffer_length = avail;
		d.maximum_allowed = avail;
		d.out_buffer = payload;
		d.out_buffer_length = 0;
		d.flags = 0;
		d.context = c->context;
		if (bugcheck_call(
			    c, reg, e,
			    BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA, &d,
			    sizeof(d)))
			return all | BUGCHECK_CB_F_FAULTED;
		c->context = d.context;
		len = take_block(c, payload, avail, d.out_buffer,
				 d.out_buffer_length, &flags);
		memcpy(s->guid, &d.guid, sizeof(s->guid));
		if (part == 0 && guid_seen(c, &d.guid))
			flags |= BUGCHECK_CB_F_DUPLICATE_GUID;
		s->part = part;
		if (len || flags)
			bugcheck_section_commit(c, s,
						BUGCHECK_SECTION_MULTIPART, len,
						flags, e);
		all |= flags;
		if (!(d.flags & BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA))
			return all;
	}
	return all | BUGCHECK_CB_F_TOO_MANY_CALLS;
}

/* Copy @len bytes at @src into a new section; returns the flags it got. */
static u32 copy_section(struct bugcheck_collector *c,
			struct bugcheck_record_callback *e, u32 type,
			const void *src, u64 len, u32 part)
{
	struct bugcheck_record_section *s;
	u32 flags = 0, avail = bugcheck_budget(c, e, 0);

	if (!avail) {
		bugcheck_dropped(c, e, len);
		return BUGCHECK_CB_F_NO_SPACE;
	}
	if (len > avail) {
		flags |= BUGCHECK_CB_F_CLAMPED;
		bugcheck_cut(c, len - avail);
		len = avail;
	}
	s = bugcheck_section_open(c);
	if (bugcheck_copy_kernel(c, s + 1, src, len) != len) {
		flags |= BUGCHECK_CB_F_READ_ERROR;
		len = 0;
	}
	s->address = (unsigned long)src;
	s->part = part;
	bugcheck_section_commit(c, s, type, len, flags, e);
	return flags;
}

/**
 * bugcheck_run_triage() - run a TRIAGE_DUMP_DATA callback
 * @c: the collector
 * @reg: the registration
 * @e: its entry
 *
 * Return: the BUGCHECK_CB_F_* flags it earned.
 */
u32 bugcheck_run_triage(struct bugcheck_collector *c,
			const struct bugcheck_reg *reg,
			struct bugcheck_record_callback *e)
{
	struct bugcheck_triage_dump_data d = {};
	struct bugcheck_triage_dump_data_array head;
	u32 i, flags = 0, left;

	d.max_size = bugcheck_budget(c, e, 0);
	d.bugcheck_code = c->code;
	memcpy(d.bugcheck_parameter, c->param, sizeof(d.bugcheck_parameter));
	if (bugcheck_call(c, reg, e, BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA, &d,
			  sizeof(d)))
		return BUGCHECK_CB_F_FAULTED;
	if (!d.data_array)
		return 0;
	if (copy_from_kernel_nofault(&head, d.data_array, sizeof(head)) ||
	    head.magic != BUGCHECK_TRIAGE_MAGIC || head.count > head.capacity)
		return BUGCHECK_CB_F_BAD_RESULT;
	if (head.flags & BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED)
		flags |= BUGCHECK_CB_F_CLAMPED;
	left = d.max_size;
	for (i = 0; i < head.count; i++) {
		struct {
			const void *address;
			size_t size;
		} b;
		u64 len;

		if (copy_from_kernel_nofault(&b, &d.data_array->blocks[i],
					     sizeof(b)))
			return flags | BUGCHECK_CB_F_BAD_RESULT;
		len = b.size;
		if (len > left) {
			flags |= BUGCHECK_CB_F_CLAMPED;
			len = left;
		}
		if (!len)
			break;
		flags |= copy_section(c, e, BUGCHECK_SECTION_TRIAGE, b.address,
				      len, i);
		left -= len;
	}
	return flags;
}

/**
 * bugcheck_run_legacy() - run a legacy buffer callback, then copy its buffer
 * @c: the collector
 * @reg: the registration
 * @e: its entry
 *
 * Return: the BUGCHECK_CB_F_* flags it earned.
 */
u32 bugcheck_run_legacy(struct bugcheck_collector *c,
			const struct bugcheck_reg *reg,
			struct bugcheck_record_callback *e)
{
	if (bugcheck_call(c, reg, e, 0, NULL, 0))
		return BUGCHECK_CB_F_FAULTED;
	if (!reg->length)
		return 0;
	return copy_section(c, e, BUGCHECK_SECTION_LEGACY, reg->buffer,
			    reg->length, 0);
}
