// SPDX-License-Identifier: GPL-2.0
/*
 * The bugcheck itself: runs the registered callbacks in a fixed order and
 * builds the record (docs/record-format.md).
 *
 * Runs on one CPU with interrupts off while the other CPUs are stopped (a
 * panic) or while bugcheck_registry_lock is held (simulate).  So: no
 * allocation, no sleeping, no lock; every loop has a bound; a registration
 * is copied with copy_from_kernel_nofault() and validated before anything in
 * it is used; every pointer a callback hands back is read or written with the
 * *_nofault helpers.  A callback that faults or panics re-enters
 * bugcheck_collect() through panic() (see hooks.c); the collector then marks
 * it FAILED and carries on where it was.
 */

#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <kunit/visibility.h>

#include "internal.h"
#include "uapi/bugcheck_dev.h"

/* Bytes one callback may add to the record. */
unsigned int bugcheck_callback_max = 256 * SZ_1K;
module_param_named(callback_max, bugcheck_callback_max, uint, 0644);
MODULE_PARM_DESC(callback_max, "Most bytes one callback may add to the bugcheck record");

/*
 * Run order between reasons: crash-dump devices are powered on first (the
 * callbacks and the dump itself may need them); then small, high-value data;
 * REMOVE_PAGES before ADD_PAGES so scrubbed memory is never copied; user
 * processes' memory blocks after the kernel's own data, which matters more
 * when room runs out; DUMP_IO last, as it streams the finished record.  Within a reason: last
 * registered first.
 */
static const u32 bugcheck_run_order[] = {
	BUGCHECK_RECORD_REASON_DEVICES,
	BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA,
	BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
	BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA,
	BUGCHECK_CALLBACK_REMOVE_PAGES,
	BUGCHECK_CALLBACK_ADD_PAGES,
	BUGCHECK_REASON_LEGACY,
	BUGCHECK_RECORD_REASON_USER_BLOCKS,
	BUGCHECK_CALLBACK_DUMP_IO,
};

/*
 * Zero-fill @len bytes (a multiple of 8) at kernel address @dst without
 * faulting: false if any of it is not writable.  copy_to_kernel_nofault() is
 * not exported to modules.
 */
static bool scrub_nofault(void *dst, size_t len)
{
	unsigned long a = (unsigned long)dst;
	u64 zero = 0, *p = dst;
	size_t i;

	if (a < TASK_SIZE_MAX || a + len < a)
		return false;
	pagefault_disable();
	for (i = 0; i < len / 8; i++)
		__put_kernel_nofault(p + i, &zero, u64, fault);
	pagefault_enable();
	return true;
fault:
	pagefault_enable();
	return false;
}

/* strncpy_from_kernel_nofault() is not exported: byte by byte, then. */
static bool strscpy_nofault(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i < size - 1; i++) {
		if (copy_from_kernel_nofault(&dst[i], &src[i], 1))
			break;
		if (!dst[i])
			return true;
	}
	dst[i] = '\0';
	return i > 0;
}

#define CB_ERRORS_FAILED (BUGCHECK_CB_F_OVERRUN | BUGCHECK_CB_F_BAD_RESULT)
#define CB_ERRORS_INCOMPLETE \
	(BUGCHECK_CB_F_CLAMPED | BUGCHECK_CB_F_NO_SPACE | \
	 BUGCHECK_CB_F_READ_ERROR | BUGCHECK_CB_F_TOO_MANY_CALLS)

static inline struct bugcheck_record_header *hdr(struct bugcheck_collector *c)
{
	return (struct bugcheck_record_header *)c->base;
}

static struct bugcheck_record_callback *entry(struct bugcheck_collector *c,
					      u32 index)
{
	return (struct bugcheck_record_callback *)(c->base +
		hdr(c)->callbacks_offset) + index;
}

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

/* Payload room left, after a section header, in whole 8-byte units. */
static u32 room(struct bugcheck_collector *c, u32 extra)
{
	u32 need = sizeof(struct bugcheck_record_section) + extra;

	if (c->cursor + need >= c->size)
		return 0;
	return round_down(c->size - c->cursor - need, 8);
}

/* Bytes @e may still add, as limited by the per-callback cap and the area. */
static u32 budget(struct bugcheck_collector *c,
		  struct bugcheck_record_callback *e, u32 extra)
{
	u32 cap = READ_ONCE(bugcheck_callback_max);
	u32 left = e->bytes < cap ? cap - e->bytes : 0;

	return min(left, room(c, extra));
}

static struct bugcheck_record_section *section_at_cursor(struct bugcheck_collector *c)
{
	struct bugcheck_record_section *s = (void *)(c->base + c->cursor);

	memset(s, 0, sizeof(*s));
	return s;
}

static void section_commit(struct bugcheck_collector *c,
			   struct bugcheck_record_section *s, u32 type,
			   u32 len, u32 flags, struct bugcheck_record_callback *e)
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
	s->payload_crc32 = ~crc32_le(~0U, payload, len);
	c->cursor += s->size;
	hdr(c)->nr_sections++;
	e->bytes += len;
	e->sections++;
}

/* Account for @bytes of data that were cut off: the record is truncated. */
static void cut(struct bugcheck_collector *c, u64 bytes)
{
	hdr(c)->flags |= BUGCHECK_RECORD_F_TRUNCATED;
	hdr(c)->dropped_bytes += min_t(u64, bytes, U32_MAX);
}

/* Account for a whole section that could not be stored. */
static void dropped(struct bugcheck_collector *c, struct bugcheck_record_callback *e,
		    u64 bytes)
{
	cut(c, bytes);
	hdr(c)->dropped_sections++;
	e->flags |= BUGCHECK_CB_F_NO_SPACE;
}

static bool guard_intact(const u8 *guard)
{
	return !memchr_inv(guard, BUGCHECK_GUARD_BYTE, BUGCHECK_GUARD_BYTES);
}

/* Is @guid already the tag of an earlier block? Only our own area is read. */
static bool guid_seen(struct bugcheck_collector *c, const guid_t *guid)
{
	u32 off = hdr(c)->sections_offset;
	u32 n;

	for (n = 0; n < hdr(c)->nr_sections && off < c->cursor; n++) {
		const struct bugcheck_record_section *s = (void *)(c->base + off);

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
	if (copy_from_kernel_nofault(payload, out_buffer, out_len)) {
		*flags |= BUGCHECK_CB_F_READ_ERROR;
		return 0;
	}
	return out_len;
}

static u32 run_secondary(struct bugcheck_collector *c,
			 struct bugcheck_reason_callback_record *rec,
			 bugcheck_reason_callback_fn fn,
			 struct bugcheck_record_callback *e)
{
	struct bugcheck_secondary_dump_data d = {};
	struct bugcheck_record_section *s;
	u32 want, avail, len, flags = 0;
	u8 *payload;

	/* Size phase. */
	d.maximum_allowed = budget(c, e, BUGCHECK_GUARD_BYTES);
	e->calls++;
	fn(BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, rec, &d, sizeof(d));
	want = d.out_buffer_length;
	if (!want)
		return 0;
	avail = budget(c, e, BUGCHECK_GUARD_BYTES);
	if (want > avail) {
		if (!avail) {
			dropped(c, e, want);
			return 0;
		}
		/* Marked on the section too: a reader of the block sees it was cut. */
		flags |= want > d.maximum_allowed ? BUGCHECK_CB_F_CLAMPED :
						    BUGCHECK_CB_F_NO_SPACE;
		cut(c, want - avail);
		want = avail;
	}

	/* Data phase, straight into the section's payload. */
	s = section_at_cursor(c);
	payload = (u8 *)(s + 1);
	memset(payload + want, BUGCHECK_GUARD_BYTE, BUGCHECK_GUARD_BYTES);
	d.in_buffer = payload;
	d.in_buffer_length = want;
	d.maximum_allowed = want;
	d.out_buffer = payload;
	d.out_buffer_length = 0;
	e->calls++;
	fn(BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, rec, &d, sizeof(d));
	len = take_block(c, payload, want, d.out_buffer, d.out_buffer_length, &flags);
	memcpy(s->guid, &d.guid, sizeof(s->guid));
	if (guid_seen(c, &d.guid))
		flags |= BUGCHECK_CB_F_DUPLICATE_GUID;
	section_commit(c, s, BUGCHECK_SECTION_SECONDARY, len, flags, e);
	return flags;
}

static u32 run_multipart(struct bugcheck_collector *c,
			 struct bugcheck_reason_callback_record *rec,
			 bugcheck_reason_callback_fn fn,
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

		avail = budget(c, e, BUGCHECK_GUARD_BYTES);
		if (!avail) {
			/* Ask anyway? No: there is nowhere to put the answer. */
			dropped(c, e, 0);
			return all | BUGCHECK_CB_F_NO_SPACE;
		}
		s = section_at_cursor(c);
		payload = (u8 *)(s + 1);
		memset(payload + avail, BUGCHECK_GUARD_BYTE, BUGCHECK_GUARD_BYTES);
		d.in_buffer = payload;
		d.in_buffer_length = avail;
		d.maximum_allowed = avail;
		d.out_buffer = payload;
		d.out_buffer_length = 0;
		d.flags = 0;
		d.context = rec->context;
		e->calls++;
		fn(BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA, rec, &d, sizeof(d));
		rec->context = d.context;
		len = take_block(c, payload, avail, d.out_buffer,
				 d.out_buffer_length, &flags);
		memcpy(s->guid, &d.guid, sizeof(s->guid));
		if (part == 0 && guid_seen(c, &d.guid))
			flags |= BUGCHECK_CB_F_DUPLICATE_GUID;
		s->part = part;
		if (len || flags)
			section_commit(c, s, BUGCHECK_SECTION_MULTIPART, len, flags, e);
		all |= flags;
		if (!(d.flags & BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA))
			return all;
	}
	return all | BUGCHECK_CB_F_TOO_MANY_CALLS;
}

#define RANGE_VIRT BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS
#define RANGE_PHYS BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS
#define RANGE_MORE BUGCHECK_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST

/*
 * ADD_PAGES and REMOVE_PAGES share one protocol: their reason structures have
 * the same fields and flag values (checked here), so one helper asks either
 * kind of callback for its next range.
 *
 * Return: 1 for a valid range in @d, 0 for "no range this time", -1 for an
 * invalid one (not exactly one address kind, unaligned, absurd count, wrap).
 */
static int ask_range(struct bugcheck_collector *c,
		     struct bugcheck_reason_callback_record *rec,
		     bugcheck_reason_callback_fn fn, struct bugcheck_record_callback *e,
		     enum bugcheck_callback_reason reason, struct bugcheck_add_pages *d)
{
#define SAME_FIELD(f) \
	BUILD_BUG_ON(offsetof(struct bugcheck_add_pages, f) != \
		     offsetof(struct bugcheck_remove_pages, f))
	BUILD_BUG_ON(sizeof(struct bugcheck_add_pages) != sizeof(struct bugcheck_remove_pages));
	SAME_FIELD(context);
	SAME_FIELD(flags);
	SAME_FIELD(bugcheck_code);
	SAME_FIELD(address);
	SAME_FIELD(count);
#undef SAME_FIELD
	BUILD_BUG_ON(RANGE_VIRT != BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS);
	BUILD_BUG_ON(RANGE_PHYS != BUGCHECK_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS);
	BUILD_BUG_ON(RANGE_MORE != BUGCHECK_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST);

	d->flags = 0;
	d->address = 0;
	d->count = 0;
	d->bugcheck_code = c->code;
	d->context = rec->context;
	e->calls++;
	fn(reason, rec, d, sizeof(*d));
	rec->context = d->context;
	if (!(d->flags & ~RANGE_MORE) && !d->count)
		return 0;
	if (!(d->flags & RANGE_VIRT) == !(d->flags & RANGE_PHYS))
		return -1;
	if (!PAGE_ALIGNED(d->address) || !d->count || d->count > totalram_pages())
		return -1;
	return d->address + (d->count << PAGE_SHIFT) - 1 > d->address ? 1 : -1; /* no wrap */
}

/* Kernel virtual address of page @i of a range, or NULL (non-RAM physical). */
static void *range_page(bool phys, unsigned long addr, unsigned long i)
{
	if (!phys)
		return (void *)(addr + (i << PAGE_SHIFT));
	if (!pfn_valid(PHYS_PFN(addr) + i))
		return NULL;
	return pfn_to_kaddr(PHYS_PFN(addr) + i);
}

static u32 run_remove_pages(struct bugcheck_collector *c,
			    struct bugcheck_reason_callback_record *rec,
			    bugcheck_reason_callback_fn fn,
			    struct bugcheck_record_callback *e)
{
	struct bugcheck_add_pages d = {};	/* same layout, see ask_range() */
	u32 call, all = 0;

	for (call = 0; call < BUGCHECK_MAX_CALLS; call++) {
		struct bugcheck_record_section *s;
		u32 flags = 0;
		unsigned long i;
		bool phys;
		int ret;

		ret = ask_range(c, rec, fn, e, BUGCHECK_CALLBACK_REMOVE_PAGES, &d);
		if (ret < 0)
			all |= BUGCHECK_CB_F_BAD_RESULT;
		if (ret <= 0)
			goto next;
		phys = d.flags & RANGE_PHYS;
		flags = phys ? BUGCHECK_SECTION_F_PHYSICAL : BUGCHECK_SECTION_F_VIRTUAL;
		if (c->simulate) {
			flags |= BUGCHECK_CB_F_NOT_SCRUBBED;
		} else {
			for (i = 0; i < d.count; i++) {
				void *p = range_page(phys, d.address, i);

				if (!p || !scrub_nofault(p, PAGE_SIZE))
					flags |= BUGCHECK_CB_F_READ_ERROR;
			}
		}
		if (room(c, 0) < 8) {
			dropped(c, e, 0);
		} else {
			s = section_at_cursor(c);
			s->address = d.address;
			s->count = d.count;
			s->part = call;
			section_commit(c, s, BUGCHECK_SECTION_REMOVED_PAGES, 0, flags, e);
		}
		all |= flags & ~(BUGCHECK_SECTION_F_PHYSICAL | BUGCHECK_SECTION_F_VIRTUAL |
				 BUGCHECK_CB_F_NOT_SCRUBBED);
next:
		if (!(d.flags & RANGE_MORE))
			return all;
	}
	return all | BUGCHECK_CB_F_TOO_MANY_CALLS;
}

static u32 run_add_pages(struct bugcheck_collector *c,
			 struct bugcheck_reason_callback_record *rec,
			 bugcheck_reason_callback_fn fn,
			 struct bugcheck_record_callback *e)
{
	struct bugcheck_add_pages d = {};
	u32 call, all = 0;

	for (call = 0; call < BUGCHECK_MAX_CALLS; call++) {
		struct bugcheck_record_section *s;
		unsigned long i, count, fit;
		u32 flags;
		u8 *dst;
		bool phys;
		int ret;

		ret = ask_range(c, rec, fn, e, BUGCHECK_CALLBACK_ADD_PAGES, &d);
		if (ret < 0)
			all |= BUGCHECK_CB_F_BAD_RESULT;
		if (ret <= 0)
			goto next;
		phys = d.flags & RANGE_PHYS;
		flags = phys ? BUGCHECK_SECTION_F_PHYSICAL : BUGCHECK_SECTION_F_VIRTUAL;
		count = d.count;
		fit = budget(c, e, 0) >> PAGE_SHIFT;
		if (count > fit) {
			flags |= room(c, 0) >> PAGE_SHIFT < count ?
				BUGCHECK_CB_F_NO_SPACE : BUGCHECK_CB_F_CLAMPED;
			cut(c, (u64)(count - fit) << PAGE_SHIFT);
			count = fit;
		}
		if (!count) {
			dropped(c, e, 0);
			all |= flags & ~(BUGCHECK_SECTION_F_PHYSICAL |
					 BUGCHECK_SECTION_F_VIRTUAL);
			goto next;
		}
		s = section_at_cursor(c);
		dst = (u8 *)(s + 1);
		for (i = 0; i < count; i++, dst += PAGE_SIZE) {
			void *p = range_page(phys, d.address, i);

			if (!p || copy_from_kernel_nofault(dst, p, PAGE_SIZE)) {
				memset(dst, 0, PAGE_SIZE);
				flags |= BUGCHECK_CB_F_READ_ERROR;
			}
		}
		s->address = d.address;
		s->count = count;
		s->part = call;
		section_commit(c, s, BUGCHECK_SECTION_ADDED_PAGES, count << PAGE_SHIFT,
			       flags, e);
		all |= flags & ~(BUGCHECK_SECTION_F_PHYSICAL | BUGCHECK_SECTION_F_VIRTUAL);
next:
		if (!(d.flags & RANGE_MORE))
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
	u32 flags = 0, avail = budget(c, e, 0);

	if (!avail) {
		dropped(c, e, len);
		return BUGCHECK_CB_F_NO_SPACE;
	}
	if (len > avail) {
		flags |= BUGCHECK_CB_F_CLAMPED;
		cut(c, len - avail);
		len = avail;
	}
	s = section_at_cursor(c);
	if (copy_from_kernel_nofault(s + 1, src, len)) {
		flags |= BUGCHECK_CB_F_READ_ERROR;
		len = 0;
	}
	s->address = (unsigned long)src;
	s->part = part;
	section_commit(c, s, type, len, flags, e);
	return flags;
}

static u32 run_triage(struct bugcheck_collector *c,
		      struct bugcheck_reason_callback_record *rec,
		      bugcheck_reason_callback_fn fn,
		      struct bugcheck_record_callback *e)
{
	struct bugcheck_triage_dump_data d = {};
	struct bugcheck_triage_dump_data_array head;
	u32 i, flags = 0, left;

	d.max_size = budget(c, e, 0);
	d.bugcheck_code = c->code;
	memcpy(d.bugcheck_parameter, c->param, sizeof(d.bugcheck_parameter));
	e->calls++;
	fn(BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA, rec, &d, sizeof(d));
	if (!d.data_array)
		return 0;
	if (copy_from_kernel_nofault(&head, d.data_array, sizeof(head)) ||
	    head.magic != BUGCHECK_TRIAGE_MAGIC || head.count > head.capacity)
		return BUGCHECK_CB_F_BAD_RESULT;
	if (head.flags & BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED)
		flags |= BUGCHECK_CB_F_CLAMPED;
	left = d.max_size;
	for (i = 0; i < head.count; i++) {
		struct { const void *address; size_t size; } b;
		u64 len;

		if (copy_from_kernel_nofault(&b, &d.data_array->blocks[i], sizeof(b)))
			return flags | BUGCHECK_CB_F_BAD_RESULT;
		len = b.size;
		if (len > left) {
			flags |= BUGCHECK_CB_F_CLAMPED;
			len = left;
		}
		if (!len)
			break;
		flags |= copy_section(c, e, BUGCHECK_SECTION_TRIAGE, b.address, len, i);
		left -= len;
	}
	return flags;
}

static u32 run_legacy(struct bugcheck_collector *c,
		      const struct bugcheck_reason_callback_record *copy,
		      struct bugcheck_record_callback *e)
{
	void (*fn)(void *buf, size_t len) = copy->callback;

	e->calls++;
	fn(copy->buffer, copy->length);
	if (!copy->length)
		return 0;
	return copy_section(c, e, BUGCHECK_SECTION_LEGACY, copy->buffer,
			    copy->length, 0);
}

/* A new callback table entry, or a scratch one when the table is full. */
static struct bugcheck_record_callback *
new_entry(struct bugcheck_collector *c, const struct bugcheck_reason_callback_record *copy,
	  u32 state)
{
	static struct bugcheck_record_callback overflow;
	struct bugcheck_record_callback *e;
	struct module *owner = copy->owner;

	if (hdr(c)->nr_callbacks >= c->table_slots) {
		hdr(c)->flags |= BUGCHECK_RECORD_F_TABLE_FULL;
		c->current_index = U32_MAX;
		memset(&overflow, 0, sizeof(overflow));
		return &overflow;
	}
	c->current_index = hdr(c)->nr_callbacks++;
	e = entry(c, c->current_index);
	if (!strscpy_nofault(e->component, copy->component, sizeof(e->component)))
		strscpy(e->component, "?", sizeof(e->component));
	if (owner && !strscpy_nofault(e->module, owner->name, sizeof(e->module)))
		strscpy(e->module, "?", sizeof(e->module));
	e->reason = copy->reason;
	e->state = state;
	e->callback = (unsigned long)copy->callback;
	return e;
}

static void set_state(struct bugcheck_reason_callback_record *rec,
		      struct bugcheck_record_callback *e, u32 state)
{
	e->state = state;
	rec->state = state;
	rec->flags = e->flags;
	rec->bytes = e->bytes;
}

static void run_one(struct bugcheck_collector *c,
		    struct bugcheck_reason_callback_record *rec,
		    const struct bugcheck_reason_callback_record *copy)
{
	bugcheck_reason_callback_fn fn = copy->callback;
	struct bugcheck_record_callback *e;
	u32 flags = 0;

	e = new_entry(c, copy, BUGCHECK_STATE_STARTED);
	if (copy->reason != BUGCHECK_CALLBACK_REMOVE_PAGES && !room(c, 0)) {
		e->flags |= BUGCHECK_CB_F_NO_SPACE;
		hdr(c)->flags |= BUGCHECK_RECORD_F_TRUNCATED;
		set_state(rec, e, BUGCHECK_STATE_SKIPPED);
		return;
	}
	rec->state = BUGCHECK_STATE_STARTED;
	rec->context = NULL;
	c->current_rec = rec;
	switch (copy->reason) {
	case BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA:
		flags = run_secondary(c, rec, fn, e);
		break;
	case BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA:
		flags = run_multipart(c, rec, fn, e);
		break;
	case BUGCHECK_CALLBACK_REMOVE_PAGES:
		flags = run_remove_pages(c, rec, fn, e);
		break;
	case BUGCHECK_CALLBACK_ADD_PAGES:
		flags = run_add_pages(c, rec, fn, e);
		break;
	case BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA:
		flags = run_triage(c, rec, fn, e);
		break;
	case BUGCHECK_REASON_LEGACY:
		flags = run_legacy(c, copy, e);
		break;
	}
	c->current_rec = NULL;
	e->flags |= flags;
	if (e->flags & CB_ERRORS_FAILED)
		set_state(rec, e, BUGCHECK_STATE_FAILED);
	else if (e->flags & CB_ERRORS_INCOMPLETE)
		set_state(rec, e, BUGCHECK_STATE_INCOMPLETE);
	else
		set_state(rec, e, BUGCHECK_STATE_FINISHED);
}

/* Copy and check a list node before anything in it is trusted. */
static bool fetch(struct list_head *node, u32 reason,
		  struct bugcheck_reason_callback_record *copy)
{
	struct bugcheck_reason_callback_record *rec =
		container_of(node, struct bugcheck_reason_callback_record, node);

	if (copy_from_kernel_nofault(copy, rec, sizeof(*copy)))
		return false;
	return copy->magic == BUGCHECK_REC_MAGIC && copy->reason == reason &&
	       copy->callback && copy->checksum == bugcheck_rec_checksum(copy);
}

/*
 * Walk one reason's list from where the collector stopped; @visit runs each
 * valid registration.  The walk ends at the head, at the count bound, or at
 * the first node that fails validation (its next pointer is not trusted).
 */
static void walk(struct bugcheck_collector *c, u32 reason,
		 void (*visit)(struct bugcheck_collector *c,
			       struct bugcheck_reason_callback_record *rec,
			       const struct bugcheck_reason_callback_record *copy))
{
	struct list_head *head = &bugcheck_lists[reason];
	u32 bound = atomic_read(&bugcheck_counts[reason]) + BUGCHECK_LIST_SLACK;
	struct list_head *node = c->pos ? c->pos_next : READ_ONCE(head->next);
	struct bugcheck_reason_callback_record copy;

	while (node != head) {
		if (c->walked++ >= bound || !fetch(node, reason, &copy)) {
			hdr(c)->flags |= BUGCHECK_RECORD_F_LIST_CORRUPT;
			return;
		}
		c->pos = container_of(node, struct bugcheck_reason_callback_record, node);
		c->pos_next = copy.node.next;
		visit(c, c->pos, &copy);
		node = c->pos_next;
	}
}

static void visit_run(struct bugcheck_collector *c,
		      struct bugcheck_reason_callback_record *rec,
		      const struct bugcheck_reason_callback_record *copy)
{
	if (c->reentries > BUGCHECK_MAX_REENTRIES) {
		set_state(rec, new_entry(c, copy, BUGCHECK_STATE_SKIPPED),
			  BUGCHECK_STATE_SKIPPED);
		return;
	}
	run_one(c, rec, copy);
}

/* DUMP_IO pre-pass: give every sink its table entry before the CRC is taken. */
static void visit_io_entry(struct bugcheck_collector *c,
			   struct bugcheck_reason_callback_record *rec,
			   const struct bugcheck_reason_callback_record *copy)
{
	new_entry(c, copy, BUGCHECK_STATE_STARTED);
	if (c->nr_io == 0)
		c->io_first_index = c->current_index;
	c->nr_io++;
}

static struct bugcheck_record_io_status *io_status(struct bugcheck_collector *c, u32 k)
{
	if (k >= hdr(c)->nr_io_status)
		return NULL;
	return (struct bugcheck_record_io_status *)(c->base +
		hdr(c)->io_status_offset) + k;
}

static void io_write(struct bugcheck_collector *c,
		     struct bugcheck_reason_callback_record *rec,
		     bugcheck_reason_callback_fn fn,
		     struct bugcheck_record_io_status *st, u32 type, u32 off, u32 len)
{
	struct bugcheck_dump_io d = {
		.offset = off,
		.buffer = len ? c->base + off : NULL,
		.buffer_length = len,
		.type = type,
	};

	fn(BUGCHECK_CALLBACK_DUMP_IO, rec, &d, sizeof(d));
	if (st) {
		st->writes++;
		st->bytes += len;
	}
}

/* Stream the finished record to one sink: header, body, secondary, complete. */
static void visit_io_stream(struct bugcheck_collector *c,
			    struct bugcheck_reason_callback_record *rec,
			    const struct bugcheck_reason_callback_record *copy)
{
	struct bugcheck_record_io_status *st = io_status(c, c->io_k);
	bugcheck_reason_callback_fn fn = copy->callback;
	u32 pass, n, off;

	c->current_rec = rec;
	rec->state = BUGCHECK_STATE_STARTED;
	if (st)
		st->state = BUGCHECK_STATE_STARTED;
	if (c->reentries > BUGCHECK_MAX_REENTRIES) {
		rec->state = BUGCHECK_STATE_SKIPPED;
		if (st)
			st->state = BUGCHECK_STATE_SKIPPED;
		goto out;
	}
	io_write(c, rec, fn, st, BUGCHECK_DUMP_IO_HEADER, 0,
		 hdr(c)->sections_offset);
	for (pass = 0; pass < 2; pass++) {
		off = hdr(c)->sections_offset;
		for (n = 0; n < hdr(c)->nr_sections && off < hdr(c)->used; n++) {
			const struct bugcheck_record_section *s = (void *)(c->base + off);
			bool body = s->type == BUGCHECK_SECTION_ADDED_PAGES;

			if (body == (pass == 0))
				io_write(c, rec, fn, st,
					 body ? BUGCHECK_DUMP_IO_BODY :
						BUGCHECK_DUMP_IO_SECONDARY_DATA,
					 off, s->size);
			off += s->size;
		}
	}
	io_write(c, rec, fn, st, BUGCHECK_DUMP_IO_COMPLETE, hdr(c)->used, 0);
	rec->state = BUGCHECK_STATE_FINISHED;
	if (st)
		st->state = BUGCHECK_STATE_FINISHED;
out:
	c->current_rec = NULL;
	c->io_k++;
}

static void finalize(struct bugcheck_collector *c)
{
	struct bugcheck_record_header *h = hdr(c);
	u32 io_off = ALIGN(c->cursor, 8);
	u32 io_len = c->nr_io * sizeof(struct bugcheck_record_io_status);
	u32 k;

	h->used = c->cursor;
	/* Sinks without a table slot (table full) get no status entry either. */
	if (c->nr_io && c->io_first_index != U32_MAX && io_off + io_len <= c->size) {
		h->io_status_offset = io_off;
		h->nr_io_status = c->nr_io;
		memset(c->base + io_off, 0, io_len);
		for (k = 0; k < c->nr_io; k++)
			io_status(c, k)->callback = c->io_first_index + k;
	}
	h->flags |= BUGCHECK_RECORD_F_COMPLETE;
	h->crc32 = bugcheck_record_crc(c->base, h->used);
	c->finalized = true;
}

static void start(struct bugcheck_collector *c)
{
	struct bugcheck_record_header *h = hdr(c);
	u32 i, total = 0, max_slots;

	BUILD_BUG_ON(sizeof(struct bugcheck_record_header) % 8);
	BUILD_BUG_ON(sizeof(struct bugcheck_record_callback) % 8);
	BUILD_BUG_ON(sizeof(struct bugcheck_record_section) % 8);

	/*
	 * Only the header and the callback table are cleared: sections are
	 * written whole (header, payload, padding) and nothing past the cursor
	 * is part of the record, so clearing a large area would only cost time
	 * at the worst moment.
	 */
	for (i = 1; i < BUGCHECK_NR_REASONS; i++)
		total += atomic_read(&bugcheck_counts[i]);
	max_slots = (c->size / 2 - sizeof(*h)) / sizeof(struct bugcheck_record_callback);
	c->table_slots = min(total + BUGCHECK_LIST_SLACK, max_slots);
	memset(c->base, 0, sizeof(*h) +
	       c->table_slots * sizeof(struct bugcheck_record_callback));
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
		strscpy_nofault(h->message, c->message, sizeof(h->message));
	strscpy(h->release, init_utsname()->release, sizeof(h->release));

	/* The table got a slot per registration, capped at half the area. */
	h->callbacks_offset = sizeof(*h);
	h->callback_size = sizeof(struct bugcheck_record_callback);
	h->sections_offset = h->callbacks_offset +
			     c->table_slots * sizeof(struct bugcheck_record_callback);
	c->cursor = h->sections_offset;
	c->phase = 0;
	c->pos = NULL;
	c->walked = 0;
	c->io_k = 0;
	c->nr_io = 0;
	c->finalized = false;
	c->pm_next = 0;
	c->pm_entry = U32_MAX;
	c->in_devices = false;
	c->ub_pos = NULL;
	c->ub_walked = 0;
	c->ub_entry = U32_MAX;
	c->ub_index = 0;
	c->in_ublocks = false;
}

/* Write device @index's entry into the record. */
static void device_section(struct bugcheck_collector *c, const struct bugcheck_record_device *d,
			   u32 index)
{
	struct bugcheck_record_callback *e = entry(c, c->pm_entry);
	struct bugcheck_record_section *s;

	if (room(c, 0) < sizeof(*d)) {
		dropped(c, e, sizeof(*d));
		return;
	}
	s = section_at_cursor(c);
	memcpy(s + 1, d, sizeof(*d));
	s->part = index;
	section_commit(c, s, BUGCHECK_SECTION_DEVICE, sizeof(*d), 0, e);
	if (d->result < 0 && !c->simulate)
		e->state = BUGCHECK_STATE_INCOMPLETE;
}

/*
 * The device phase: one DEVICE section per registered crash-dump device,
 * parents first, under one table entry of bugcheck's own.  Resumable: a
 * device whose power_on hook faults is recorded as failed on re-entry.
 */
static void run_devices(struct bugcheck_collector *c)
{
	const struct bugcheck_reason_callback_record self = {
		.component = "crashdump-devices",
		.owner = THIS_MODULE,
		.reason = BUGCHECK_RECORD_REASON_DEVICES,
	};
	u32 bound = bugcheck_pm_count() + BUGCHECK_LIST_SLACK;
	struct bugcheck_record_device d;

	if (c->pm_entry == U32_MAX) {
		if (!bugcheck_pm_count())
			return;
		new_entry(c, &self, BUGCHECK_STATE_STARTED);
		if (c->current_index == U32_MAX)
			return;
		c->pm_entry = c->current_index;
	}
	for (; c->pm_next < bound; c->pm_next++) {
		c->in_devices = true;
		if (bugcheck_pm_bugcheck(c->pm_next, &d, c->simulate))
			break;
		c->in_devices = false;
		c->current_index = c->pm_entry;
		device_section(c, &d, c->pm_next);
	}
	c->in_devices = false;
	if (entry(c, c->pm_entry)->state == BUGCHECK_STATE_STARTED)
		entry(c, c->pm_entry)->state = BUGCHECK_STATE_FINISHED;
}

/*
 * One USER_BLOCK section: the block's description, then as much of its
 * contents as fits (none once it was unmapped).  Copied from the pages
 * pinned at registration, so the process's page tables are never walked.
 */
static void user_block_section(struct bugcheck_collector *c, struct bugcheck_record_callback *e,
			       const struct bugcheck_ublock_view *v)
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
	BUILD_BUG_ON(BUGCHECK_USER_BLOCK_F_UNMAPPED != BUGCHECK_BLOCK_F_UNMAPPED);
	memcpy(ub.comm, v->comm, sizeof(ub.comm));
	if (room(c, 0) < sizeof(ub)) {
		dropped(c, e, sizeof(ub) + want);
		return;
	}
	n = min_t(u64, want, room(c, sizeof(ub)));
	if (n < want) {
		flags |= BUGCHECK_CB_F_NO_SPACE;
		cut(c, want - n);
	}
	s = section_at_cursor(c);
	payload = (u8 *)(s + 1);
	c->in_ublocks = true;
	ub.copied = bugcheck_ublock_copy(v, payload + sizeof(ub), n);
	c->in_ublocks = false;
	if (ub.copied < n)
		flags |= BUGCHECK_CB_F_READ_ERROR;
	memcpy(payload, &ub, sizeof(ub));
	s->address = v->addr;
	s->count = v->size;
	s->part = c->ub_index;
	section_commit(c, s, BUGCHECK_SECTION_USER_BLOCK, sizeof(ub) + ub.copied, flags, e);
	e->flags |= flags;
}

/*
 * The user-block phase: one USER_BLOCK section per block registered through
 * /dev/bugcheck, in registration order, under one table entry of bugcheck's
 * own.  Resumable: the walk position moves past a block before it is copied.
 */
static void run_user_blocks(struct bugcheck_collector *c)
{
	const struct bugcheck_reason_callback_record self = {
		.component = "user-blocks",
		.owner = THIS_MODULE,
		.reason = BUGCHECK_RECORD_REASON_USER_BLOCKS,
	};
	struct bugcheck_record_callback *e;
	struct bugcheck_ublock_view v;
	int ret;

	if (c->ub_entry == U32_MAX) {
		if (!bugcheck_ublock_count())
			return;
		new_entry(c, &self, BUGCHECK_STATE_STARTED);
		if (c->current_index == U32_MAX)
			return;
		c->ub_entry = c->current_index;
	}
	e = entry(c, c->ub_entry);
	while ((ret = bugcheck_ublock_next(&c->ub_pos, &c->ub_walked, &v)) > 0) {
		c->current_index = c->ub_entry;
		e->calls++;
		user_block_section(c, e, &v);
		c->ub_index++;
	}
	if (ret < 0) {
		hdr(c)->flags |= BUGCHECK_RECORD_F_LIST_CORRUPT;
		e->state = BUGCHECK_STATE_INCOMPLETE;
	}
	if (e->state == BUGCHECK_STATE_STARTED)
		e->state = BUGCHECK_STATE_FINISHED;
}

/* Re-entered on the same CPU: whatever was running failed. */
static void reentered(struct bugcheck_collector *c)
{
	struct bugcheck_record_io_status *st;

	c->reentries++;
	if (c->finalized) {
		/* Only dump-I/O sinks run after finalize; the record stays intact. */
		st = io_status(c, c->io_k);
		if (st)
			st->state = BUGCHECK_STATE_FAILED;
		if (c->current_rec)
			c->current_rec->state = BUGCHECK_STATE_FAILED;
		c->current_rec = NULL;
		c->io_k++;
		return;
	}
	hdr(c)->flags |= BUGCHECK_RECORD_F_REENTERED;
	hdr(c)->reentries = c->reentries;
	if (c->in_devices) {
		struct bugcheck_record_device d;

		/* A device's power_on hook faulted: describe it, mark it, move on. */
		c->in_devices = false;
		if (!bugcheck_pm_bugcheck(c->pm_next, &d, true)) {
			d.result = -EFAULT;
			d.method = BUGCHECK_DEVICE_METHOD_HOOK;
			c->current_index = c->pm_entry;
			device_section(c, &d, c->pm_next);
			entry(c, c->pm_entry)->state = BUGCHECK_STATE_INCOMPLETE;
		}
		c->pm_next++;
		return;
	}
	if (c->in_ublocks) {
		struct bugcheck_record_callback *e = entry(c, c->ub_entry);

		/* Copying a user block faulted: that block is lost, the rest follow. */
		c->in_ublocks = false;
		e->flags |= BUGCHECK_CB_F_READ_ERROR;
		e->state = BUGCHECK_STATE_INCOMPLETE;
		c->ub_index++;
		return;
	}
	if (c->current_rec && c->current_index != U32_MAX) {
		struct bugcheck_record_callback *e = entry(c, c->current_index);

		set_state(c->current_rec, e, BUGCHECK_STATE_FAILED);
	}
	c->current_rec = NULL;
}

/**
 * bugcheck_collect() - build (or finish building) a record with @c
 * @c: collector with base, size, code, param, dump_type, simulate and
 *	message set; active/cpu are managed here
 *
 * Called again on the same CPU while active (a callback faulted and panic()
 * came back here), it marks the failed callback and resumes after it; past
 * BUGCHECK_MAX_REENTRIES the remaining callbacks are only marked SKIPPED, and
 * a further re-entry returns at once so a fault in the collector itself
 * cannot recurse without end.
 *
 * Context: interrupts off, the only running CPU or under
 * bugcheck_registry_lock; see the top of this file.
 */
void bugcheck_collect(struct bugcheck_collector *c)
{
	if (c->active) {
		if (c->cpu != raw_smp_processor_id())
			return;
		if (c->reentries > BUGCHECK_MAX_REENTRIES + 1)
			return;
		reentered(c);
	} else {
		c->active = true;
		c->cpu = raw_smp_processor_id();
		c->reentries = 0;
		start(c);
	}

	for (; c->phase < ARRAY_SIZE(bugcheck_run_order);
	     c->phase++, c->pos = NULL, c->walked = 0) {
		u32 reason = bugcheck_run_order[c->phase];

		if (reason == BUGCHECK_RECORD_REASON_DEVICES) {
			run_devices(c);
			continue;
		}
		if (reason == BUGCHECK_RECORD_REASON_USER_BLOCKS) {
			run_user_blocks(c);
			continue;
		}
		if (reason != BUGCHECK_CALLBACK_DUMP_IO) {
			walk(c, reason, visit_run);
			continue;
		}
		if (!c->finalized) {
			walk(c, reason, visit_io_entry);
			finalize(c);
			c->pos = NULL;
			c->walked = 0;
		}
		walk(c, reason, visit_io_stream);
	}
	if (!c->finalized)
		finalize(c);
	c->active = false;
}
