// SPDX-License-Identifier: GPL-2.0
/*
 * The record writer: the header, the callback table and sections appended
 * at the cursor of the record area (docs/record-format.md).  It knows
 * nothing of callbacks or run order; collect.c and the reasons' runners
 * decide what goes in, this unit how it is laid out, bounded and checked.
 *
 * Everything here runs in the bugcheck (interrupts off, one CPU) and only
 * ever writes inside [base, base + size).
 */

#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <kunit/visibility.h>

#include "internal.h"

/* Bytes one callback may add to the record. */
unsigned int bugcheck_callback_max = 256 * SZ_1K;
module_param_named(callback_max, bugcheck_callback_max, uint, 0644);
MODULE_PARM_DESC(callback_max,
		 "Most bytes one callback may add to the bugcheck record");

/**
 * bugcheck_record_crc() - CRC-32 of a record stream, crc32 field as zero
 * @base: the record
 * @used: stream length (at least the header)
 *
 * Return: the CRC, as stored in bugcheck_record_header.crc32.
 */
u32 bugcheck_record_crc(const void *base, u32 used)
{
	static const u8 zero[4];
	const u8 *p = base;
	size_t off = offsetof(struct bugcheck_record_header, crc32);
	u32 crc;

	crc = crc32_le(~0U, p, off);
	crc = crc32_le(crc, zero, sizeof(zero));
	crc = crc32_le(crc, p + off + 4, used - off - 4);
	return ~crc;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_record_crc);

/**
 * bugcheck_record_valid() - is this a complete record with a good CRC?
 * @base: candidate record
 * @len: bytes readable at @base
 *
 * Return: true when magic, version, sizes, COMPLETE and CRC all check out.
 */
bool bugcheck_record_valid(const void *base, size_t len)
{
	const struct bugcheck_record_header *h = base;

	if (len < sizeof(*h) || memcmp(h->magic, BUGCHECK_RECORD_MAGIC, 8))
		return false;
	if (h->version != BUGCHECK_RECORD_VERSION || h->used > len ||
	    h->used < sizeof(*h) || !(h->flags & BUGCHECK_RECORD_F_COMPLETE))
		return false;
	return bugcheck_record_crc(base, h->used) == h->crc32;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_record_valid);

/**
 * bugcheck_entry() - callback table entry @index
 * @c: the collector
 * @index: an index below the header's nr_callbacks
 *
 * Return: the entry.
 */
struct bugcheck_record_callback *bugcheck_entry(struct bugcheck_collector *c,
						u32 index)
{
	return (struct bugcheck_record_callback
			*)(c->base + bugcheck_hdr(c)->callbacks_offset) +
	       index;
}

/**
 * bugcheck_new_entry() - a new callback table entry
 * @c: the collector
 * @component: the component name (bugcheck's own copy)
 * @owner: the owning module, or NULL
 * @reason: the reason recorded
 * @callback: the function, for the record
 * @state: its first state
 *
 * Sets @c->current_index to the entry's index, or U32_MAX when the table is
 * full; then the entry returned is a scratch one outside the record.
 *
 * Return: the entry.
 */
struct bugcheck_record_callback *
bugcheck_new_entry(struct bugcheck_collector *c, const char *component,
		   const struct module *owner, u32 reason, const void *callback,
		   u32 state)
{
	static struct bugcheck_record_callback overflow;
	struct bugcheck_record_header *h = bugcheck_hdr(c);
	struct bugcheck_record_callback *e;

	if (h->nr_callbacks >= c->table_slots) {
		h->flags |= BUGCHECK_RECORD_F_TABLE_FULL;
		c->current_index = U32_MAX;
		memset(&overflow, 0, sizeof(overflow));
		return &overflow;
	}
	c->current_index = h->nr_callbacks++;
	e = bugcheck_entry(c, c->current_index);
	strscpy(e->component, component, sizeof(e->component));
	if (owner && !bugcheck_strscpy_nofault(e->module, owner->name,
					       sizeof(e->module)))
		strscpy(e->module, "?", sizeof(e->module));
	e->reason = reason;
	e->state = state;
	e->callback = (unsigned long)callback;
	return e;
}

/**
 * bugcheck_room() - payload room left after a section header
 * @c: the collector
 * @extra: bytes to keep free beyond the section header
 *
 * Return: the room, in whole 8-byte units.
 */
u32 bugcheck_room(struct bugcheck_collector *c, u32 extra)
{
	u32 need = sizeof(struct bugcheck_record_section) + extra;

	if (c->cursor + need >= c->size)
		return 0;
	return round_down(c->size - c->cursor - need, 8);
}

/**
 * bugcheck_budget() - bytes @e may still add
 * @c: the collector
 * @e: the callback's entry
 * @extra: as for bugcheck_room()
 *
 * Return: the room, limited by the per-callback cap.
 */
u32 bugcheck_budget(struct bugcheck_collector *c,
		    struct bugcheck_record_callback *e, u32 extra)
{
	u32 cap = READ_ONCE(bugcheck_callback_max);
	u32 left = e->bytes < cap ? cap - e->bytes : 0;

	return min(left, bugcheck_room(c, extra));
}

/**
 * bugcheck_section_open() - a new section at the cursor, header cleared
 * @c: the collector; the caller checked the room first
 *
 * Return: the section; its payload follows it.
 */
struct bugcheck_record_section *
bugcheck_section_open(struct bugcheck_collector *c)
{
	struct bugcheck_record_section *s = (void *)(c->base + c->cursor);

	memset(s, 0, sizeof(*s));
	return s;
}

/**
 * bugcheck_section_commit_crc() - finish a section whose payload CRC is known
 * @c: the collector
 * @s: the section from bugcheck_section_open()
 * @type: BUGCHECK_SECTION_*
 * @len: payload bytes written
 * @flags: the section's flags
 * @e: the entry of the callback it belongs to (@c->current_index)
 * @crc: crc32_le(~0, payload, @len), computed while the payload was written
 */
void bugcheck_section_commit_crc(struct bugcheck_collector *c,
				 struct bugcheck_record_section *s, u32 type,
				 u32 len, u32 flags,
				 struct bugcheck_record_callback *e, u32 crc)
{
	u8 *payload = (u8 *)(s + 1);
	u32 padded = ALIGN(len, 8);

	memset(payload + len, 0, padded - len);
	s->type = type;
	s->flags = flags;
	s->length = len;
	s->size = sizeof(*s) + padded;
	s->callback = c->current_index;
	if (!s->count)
		s->count = len;
	s->payload_crc32 = ~crc;
	c->cursor += s->size;
	bugcheck_hdr(c)->nr_sections++;
	/* A FAULT section is bugcheck's note, not the callback's data. */
	if (type != BUGCHECK_SECTION_FAULT)
		e->bytes += len;
	e->sections++;
}

/**
 * bugcheck_section_commit() - finish a section and move the cursor past it
 * @c: the collector
 * @s: the section from bugcheck_section_open()
 * @type: BUGCHECK_SECTION_*
 * @len: payload bytes written
 * @flags: the section's flags
 * @e: the entry of the callback it belongs to (@c->current_index)
 */
void bugcheck_section_commit(struct bugcheck_collector *c,
			     struct bugcheck_record_section *s, u32 type,
			     u32 len, u32 flags,
			     struct bugcheck_record_callback *e)
{
	bugcheck_section_commit_crc(c, s, type, len, flags, e,
				    crc32_le(~0U, (u8 *)(s + 1), len));
}

/**
 * bugcheck_cut() - account for bytes that were cut off
 * @c: the collector
 * @bytes: how many
 */
void bugcheck_cut(struct bugcheck_collector *c, u64 bytes)
{
	bugcheck_hdr(c)->flags |= BUGCHECK_RECORD_F_TRUNCATED;
	bugcheck_hdr(c)->dropped_bytes += min_t(u64, bytes, U32_MAX);
}

/**
 * bugcheck_dropped() - account for a whole section that could not be stored
 * @c: the collector
 * @e: the entry of the callback it belonged to
 * @bytes: its payload bytes
 */
void bugcheck_dropped(struct bugcheck_collector *c,
		      struct bugcheck_record_callback *e, u64 bytes)
{
	bugcheck_cut(c, bytes);
	bugcheck_hdr(c)->dropped_sections++;
	e->flags |= BUGCHECK_CB_F_NO_SPACE;
}

/**
 * bugcheck_fault_section() - record how the running callback failed
 * @c: the collector
 * @e: its entry
 * @f: what happened
 */
void bugcheck_fault_section(struct bugcheck_collector *c,
			    struct bugcheck_record_callback *e,
			    const struct bugcheck_record_fault *f)
{
	struct bugcheck_record_section *s;

	BUILD_BUG_ON(sizeof(*f) % 8);
	e->flags |= BUGCHECK_CB_F_FAULTED;
	/* A sink faulting after the record is finished: the status table says it. */
	if (bugcheck_hdr(c)->flags & BUGCHECK_RECORD_F_COMPLETE)
		return;
	if (bugcheck_room(c, 0) < sizeof(*f)) {
		bugcheck_dropped(c, e, sizeof(*f));
		return;
	}
	s = bugcheck_section_open(c);
	memcpy(s + 1, f, sizeof(*f));
	((struct bugcheck_record_fault *)(s + 1))->what[sizeof(f->what) - 1] =
		'\0';
	s->address = f->ip;
	bugcheck_section_commit(c, s, BUGCHECK_SECTION_FAULT, sizeof(*f), 0, e);
}

/**
 * bugcheck_record_start() - lay out a new record: header and callback table
 * @c: the collector, with code, param, dump_type, message and simulate set
 */
void bugcheck_record_start(struct bugcheck_collector *c)
{
	struct bugcheck_record_header *h = bugcheck_hdr(c);
	u32 i, total = 0, max_slots;

	BUILD_BUG_ON(sizeof(struct bugcheck_record_header) % 8);
	BUILD_BUG_ON(sizeof(struct bugcheck_record_callback) % 8);
	BUILD_BUG_ON(sizeof(struct bugcheck_record_section) % 8);

	/*
	 * Only the header and the callback table are cleared: sections are
	 * written whole (header, payload, padding) and nothing past the cursor
	 * is part of the record, so clearing a large area would only cost time
	 * at the worst moment.  The table gets a slot per registration plus
	 * bugcheck's own entries (devices, user blocks), capped at half the
	 * area.
	 */
	for (i = 1; i < BUGCHECK_NR_REASONS; i++)
		total += bugcheck_registry_count(i);
	max_slots = (c->size / 2 - sizeof(*h)) /
		    sizeof(struct bugcheck_record_callback);
	c->table_slots = min(total + BUGCHECK_LIST_SLACK, max_slots);
	memset(c->base, 0,
	       sizeof(*h) + c->table_slots *
				    sizeof(struct bugcheck_record_callback));
	memcpy(h->magic, BUGCHECK_RECORD_MAGIC, sizeof(h->magic));
	h->version = BUGCHECK_RECORD_VERSION;
	h->header_size = sizeof(*h);
	h->area_size = c->size;
	h->bugcheck_code = c->code;
	h->panic_cpu = c->cpu;
	for (i = 0; i < 4; i++)
		h->bugcheck_parameter[i] = c->param[i];
	h->time_ns = ktime_get_real_fast_ns();
	h->dump_type = c->dump_type;
	if (c->simulate)
		h->flags |= BUGCHECK_RECORD_F_SIMULATED;
	if (c->message)
		strscpy(h->message, c->message, sizeof(h->message));
	strscpy(h->release, init_utsname()->release, sizeof(h->release));

	h->callbacks_offset = sizeof(*h);
	h->callback_size = sizeof(struct bugcheck_record_callback);
	h->sections_offset =
		h->callbacks_offset +
		c->table_slots * sizeof(struct bugcheck_record_callback);
	c->cursor = h->sections_offset;
	c->current_index = U32_MAX;
	c->nr_io = 0;
	c->io_first_index = U32_MAX;
}

static struct bugcheck_record_io_status *io_status(struct bugcheck_collector *c,
						   u32 k)
{
	return (struct bugcheck_record_io_status
			*)(c->base + bugcheck_hdr(c)->io_status_offset) +
	       k;
}

/*
 * The stream's CRC without reading the payloads again: each section's
 * stored payload CRC is folded in with crc32_le_combine().  crc32_le() is
 * linear in its seed, so the raw CRC of a payload seeded with 0 is its
 * stored (seeded ~0, inverted) CRC with the seed's contribution taken out.
 */
static u32 stream_crc(struct bugcheck_collector *c)
{
	const struct bugcheck_record_header *h = bugcheck_hdr(c);
	size_t off_crc = offsetof(struct bugcheck_record_header, crc32);
	static const u8 zero[4];
	u32 crc, off, n;

	crc = crc32_le(~0U, c->base, off_crc);
	crc = crc32_le(crc, zero, sizeof(zero));
	crc = crc32_le(crc, c->base + off_crc + 4,
		       h->sections_offset - off_crc - 4);
	off = h->sections_offset;
	for (n = 0; n < h->nr_sections && off < h->used; n++) {
		const struct bugcheck_record_section *s =
			(void *)(c->base + off);
		const u8 *pad = (const u8 *)(s + 1) + s->length;

		crc = crc32_le(crc, (const u8 *)s, sizeof(*s));
		crc = crc32_le_combine(
			crc, ~s->payload_crc32 ^ crc32_le_shift(~0U, s->length),
			s->length);
		crc = crc32_le(crc, pad, s->size - sizeof(*s) - s->length);
		off += s->size;
	}
	if (off != h->used)
		return bugcheck_record_crc(c->base, h->used);
	return ~crc;
}

/**
 * bugcheck_record_finalize() - close the stream: COMPLETE, CRC, dump-I/O table
 * @c: the collector
 *
 * The dump-I/O status table lies after the stream (outside the CRC), so the
 * sinks' progress can be written into it while they stream the record.
 */
void bugcheck_record_finalize(struct bugcheck_collector *c)
{
	struct bugcheck_record_header *h = bugcheck_hdr(c);
	u32 io_off = ALIGN(c->cursor, 8);
	u32 io_len = c->nr_io * sizeof(struct bugcheck_record_io_status);
	u32 k;

	h->used = c->cursor;
	h->reentries = c->faults;
	if (c->faults)
		h->flags |= BUGCHECK_RECORD_F_REENTERED;
	/* Sinks without a table slot (table full) get no status entry either. */
	if (c->nr_io && c->io_first_index != U32_MAX &&
	    io_off + io_len <= c->size) {
		h->io_status_offset = io_off;
		h->nr_io_status = c->nr_io;
		memset(c->base + io_off, 0, io_len);
		for (k = 0; k < c->nr_io; k++)
			io_status(c, k)->callback = c->io_first_index + k;
	}
	h->flags |= BUGCHECK_RECORD_F_COMPLETE;
	h->crc32 = stream_crc(c);
}
