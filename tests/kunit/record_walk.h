/* SPDX-License-Identifier: GPL-2.0 */
/* Bounded, validating readers of a bugcheck record, for the KUnit suites. */
#ifndef BUGCHECK_KUNIT_RECORD_WALK_H
#define BUGCHECK_KUNIT_RECORD_WALK_H

#include <linux/crc32.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uuid.h>

#include "uapi/bugcheck_record.h"

/*
 * Every reader trusts nothing in the record: a helper either returns
 * something that lies wholly inside the record (or the area, for the
 * dump-I/O status table) or NULL, so a broken writer makes a test fail
 * instead of making it read out of bounds.
 */

/**
 * rw_header() - the record's header, once its layout checks out
 * @area: the record area
 * @size: bytes at @area
 *
 * Return: the header, or NULL when magic, version, sizes or offsets are off.
 */
static inline const struct bugcheck_record_header *rw_header(const void *area,
							     size_t size)
{
	const struct bugcheck_record_header *h = area;
	u64 table_end;

	if (!area || size < sizeof(*h))
		return NULL;
	if (memcmp(h->magic, BUGCHECK_RECORD_MAGIC, sizeof(h->magic)) ||
	    h->version != BUGCHECK_RECORD_VERSION ||
	    h->header_size != sizeof(*h) ||
	    h->callback_size != sizeof(struct bugcheck_record_callback))
		return NULL;
	if (h->used < sizeof(*h) || h->used > size)
		return NULL;
	table_end =
		(u64)h->callbacks_offset +
		(u64)h->nr_callbacks * sizeof(struct bugcheck_record_callback);
	if (h->callbacks_offset < sizeof(*h) || h->callbacks_offset % 8 ||
	    h->sections_offset % 8 || table_end > h->sections_offset ||
	    h->sections_offset > h->used)
		return NULL;
	return h;
}

/* Callback table entry @i, or NULL past nr_callbacks. */
static inline const struct bugcheck_record_callback *
rw_entry(const struct bugcheck_record_header *h, u32 i)
{
	if (i >= h->nr_callbacks)
		return NULL;
	return (const struct bugcheck_record_callback *)((const u8 *)h +
							 h->callbacks_offset) +
	       i;
}

/* Table index of the (first) entry named @component, or -1. */
static inline int rw_find_entry(const struct bugcheck_record_header *h,
				const char *component)
{
	const struct bugcheck_record_callback *e;
	u32 i;

	for (i = 0; i < h->nr_callbacks && i < INT_MAX; i++) {
		e = rw_entry(h, i);
		if (memchr(e->component, '\0', sizeof(e->component)) &&
		    !strcmp(e->component, component))
			return i;
	}
	return -1;
}

/**
 * struct rw_iter - position in the section chain
 * @base: the record
 * @used: its stream length
 * @off: offset of the next section
 * @n: sections returned so far
 * @nr: sections the header announces
 * @bad: the walk stopped at a malformed section
 */
struct rw_iter {
	const u8 *base;
	u32 used;
	u32 off;
	u32 n;
	u32 nr;
	bool bad;
};

static inline void rw_iter_init(struct rw_iter *it,
				const struct bugcheck_record_header *h)
{
	it->base = (const u8 *)h;
	it->used = h->used;
	it->off = h->sections_offset;
	it->n = 0;
	it->nr = h->nr_sections;
	it->bad = false;
}

/*
 * The next section, or NULL at the announced count; a section that is
 * misaligned, too short for its payload or runs past @used also ends the
 * walk, with @bad set.
 */
static inline const struct bugcheck_record_section *
rw_next_section(struct rw_iter *it)
{
	const struct bugcheck_record_section *s;

	if (it->bad || it->n >= it->nr)
		return NULL;
	if (it->off % 8 || it->off > it->used ||
	    it->used - it->off < sizeof(*s)) {
		it->bad = true;
		return NULL;
	}
	s = (const struct bugcheck_record_section *)(it->base + it->off);
	if (s->size % 8 || s->size < sizeof(*s) ||
	    s->length > s->size - sizeof(*s) || s->size > it->used - it->off) {
		it->bad = true;
		return NULL;
	}
	it->off += s->size;
	it->n++;
	return s;
}

#define rw_for_each_section(s, it, h) \
	for (rw_iter_init(it, h); ((s) = rw_next_section(it)) != NULL;)

static inline const u8 *rw_payload(const struct bugcheck_record_section *s)
{
	return (const u8 *)(s + 1);
}

/* CRC-32 as the record format defines it (IEEE, ~0 in and out). */
static inline u32 rw_crc32(const void *p, size_t len)
{
	return ~crc32_le(~0U, p, len);
}

/* The @nth section of @type produced by table entry @cb, or NULL. */
static inline const struct bugcheck_record_section *
rw_find_section(const struct bugcheck_record_header *h, u32 cb, u32 type,
		u32 nth)
{
	const struct bugcheck_record_section *s;
	struct rw_iter it;

	rw_for_each_section(s, &it, h) {
		if (s->callback == cb && s->type == type && nth-- == 0)
			return s;
	}
	return NULL;
}

/* Number of sections of @type produced by table entry @cb. */
static inline u32 rw_count_sections(const struct bugcheck_record_header *h,
				    u32 cb, u32 type)
{
	const struct bugcheck_record_section *s;
	struct rw_iter it;
	u32 n = 0;

	rw_for_each_section(s, &it, h)
		n += s->callback == cb && s->type == type;
	return n;
}

/* The @nth section tagged @guid (SECONDARY or MULTIPART), or NULL. */
static inline const struct bugcheck_record_section *
rw_find_section_by_guid(const struct bugcheck_record_header *h,
			const guid_t *guid, u32 nth)
{
	const struct bugcheck_record_section *s;
	struct rw_iter it;

	rw_for_each_section(s, &it, h) {
		if ((s->type == BUGCHECK_SECTION_SECONDARY ||
		     s->type == BUGCHECK_SECTION_MULTIPART) &&
		    !memcmp(s->guid, guid, sizeof(s->guid)) && nth-- == 0)
			return s;
	}
	return NULL;
}

/* Dump-I/O status entry of table entry @cb, inside an area of @size; or NULL. */
static inline const struct bugcheck_record_io_status *
rw_io_status(const struct bugcheck_record_header *h, size_t size, u32 cb)
{
	const struct bugcheck_record_io_status *st;
	u64 end = (u64)h->io_status_offset + (u64)h->nr_io_status * sizeof(*st);
	u32 k;

	if (h->io_status_offset < h->used || h->io_status_offset % 8 ||
	    end > size)
		return NULL;
	st = (const void *)((const u8 *)h + h->io_status_offset);
	for (k = 0; k < h->nr_io_status; k++)
		if (st[k].callback == cb)
			return &st[k];
	return NULL;
}

/* Fill @len bytes with a pattern that differs per @seed and per offset. */
static inline void rw_fill(void *buf, size_t len, u8 seed)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = seed + i * 7 + (i >> 8);
}

/* Does @buf hold rw_fill(@seed)'s pattern? */
static inline bool rw_check(const void *buf, size_t len, u8 seed)
{
	const u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(seed + i * 7 + (i >> 8)))
			return false;
	return true;
}

#endif /* BUGCHECK_KUNIT_RECORD_WALK_H */
