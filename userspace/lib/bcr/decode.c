// SPDX-License-Identifier: GPL-2.0
/*
 * decode.c - validate and index a bugcheck record, and walk it (bcr.h).
 *
 * Everything here works on a buffer the caller owns and trusts none of it:
 * bcr_open() checks every offset, size and count with 64-bit arithmetic
 * before anything is dereferenced, and records what it validated in struct
 * bcr and its index; every other function only walks what bcr_open()
 * accepted, through that index.  So a hostile or half-written record can
 * make a reader print "DAMAGED", never read outside [buf, buf + len).
 *
 * One pass over the bytes: each payload's CRC is computed once (crc.c:
 * PCLMULQDQ folding where the CPU has it), and the header's CRC over the
 * whole stream is combined from those instead of being a second pass over
 * them.  The tagged sections' 32-byte keys, gathered on the way, are then
 * radix sorted (no allocation beyond the index, no recursion), which links
 * the parts of every multipart block and finds the first block of every
 * GUID.  No I/O happens here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The record is little-endian and read in place. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "little-endian hosts only");
_Static_assert(sizeof(struct bugcheck_record_header) == 320, "header layout");
_Static_assert(sizeof(struct bugcheck_record_callback) == 120,
	       "callback layout");
_Static_assert(sizeof(struct bugcheck_record_section) == 64, "section layout");
_Static_assert(sizeof(struct bugcheck_record_io_status) == 16,
	       "io status layout");
_Static_assert(sizeof(struct bugcheck_record_device) == 192, "device layout");
_Static_assert(sizeof(struct bugcheck_record_user_block) == 48,
	       "user block layout");
_Static_assert(sizeof(struct bugcheck_record_fault) == 64, "fault layout");
_Static_assert(sizeof(struct bcr_tag) == 32, "tag key layout");

/* Index storage per section: its entry, its tag key and room to sort it. */
#define INDEX_PER_SECTION \
	(sizeof(struct bcr_entry) + 2 * sizeof(struct bcr_tag))

/* The header's CRC: [0, used) with the crc32 field taken as zero. */
static uint32_t record_crc(const uint8_t *buf, uint32_t used)
{
	static const uint8_t zero[4];
	uint32_t crc;

	crc = bcr__crc32(0, buf, CRC_OFFSET);
	crc = bcr__crc32(crc, zero, sizeof(zero));
	return bcr__crc32(crc, buf + CRC_OFFSET + 4, used - CRC_OFFSET - 4);
}

/* Appending a block of known CRC to a running CRC, for the stream's CRC. */
struct combine {
	uint32_t len; /* the length @op was made for */
	uint64_t op;
	int have;
};

static uint32_t combine(struct combine *c, uint32_t crc, uint32_t block_crc,
			uint32_t len)
{
	/* Most multipart parts and pages share a length: reuse the operator. */
	if (!c->have || c->len != len) {
		c->op = bcr__crc32_combine_gen(len);
		c->len = len;
		c->have = 1;
	}
	return bcr__crc32_combine_op(crc, block_crc, c->op);
}

/*
 * Note an error.  The first one is r->error; later ones are appended to
 * r->why when they fit whole, so "CRC mismatch" does not hide which section
 * is bad.
 */
__attribute__((format(printf, 3, 4))) static int fail(struct bcr *r, int error,
						      const char *fmt, ...)
{
	char msg[sizeof(r->why)];
	size_t used, len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!r->error) {
		r->error = error;
		memcpy(r->why, msg, sizeof(msg));
		return error;
	}
	used = strlen(r->why);
	len = strlen(msg);
	if (used + 2 + len < sizeof(r->why)) {
		memcpy(r->why + used, "; ", 2);
		memcpy(r->why + used + 2, msg, len + 1);
	}
	return r->error;
}

int bcr__all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return 0;
	return 1;
}

int bcr__terminated(const char *src, size_t size)
{
	return !!memchr(src, '\0', size);
}

static const struct bugcheck_record_section *section_at(const struct bcr *r,
							uint64_t off)
{
	return (const struct bugcheck_record_section *)(r->buf + off);
}

size_t bcr_index_size(const void *buf, size_t len)
{
	const struct bugcheck_record_header *h = buf;
	uint64_t n;

	if (!buf || len < HDR_SIZE || (uintptr_t)buf % 8)
		return 0;
	/* Every section is at least a header: the buffer bounds the count. */
	n = h->nr_sections;
	if (n > len / SEC_SIZE)
		n = len / SEC_SIZE;
	return (size_t)n * INDEX_PER_SECTION;
}

/* Which key bytes differ between keys: OR and AND of every key's words. */
struct tag_spread {
	uint64_t any[4], all[4];
};

static void spread_add(struct tag_spread *sp, const struct bcr_tag *t)
{
	uint64_t w[4];
	int i;

	memcpy(w, t, sizeof(w));
	for (i = 0; i < 4; i++) {
		sp->any[i] |= w[i];
		sp->all[i] &= w[i];
	}
}

static int spread_varies(const struct tag_spread *sp, unsigned int byte)
{
	unsigned int w = byte / 8, shift = byte % 8 * 8;

	return !!(((sp->any[w] ^ sp->all[w]) >> shift) & 0xff);
}

/* Where the section walk stopped short, reported after the CRCs. */
struct walk_stop {
	int error;
	char why[sizeof(((struct bcr *)0)->why)];
};

__attribute__((format(printf, 2, 3))) static void stop(struct walk_stop *w,
						       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	w->error = BCR_E_SECTION;
}

/*
 * The stream's CRC, carried along the walk.  A payload's own CRC is
 * appended with a combine (no second pass over it); the bytes between
 * such payloads (section headers, small payloads, padding) are taken in one
 * CRC call each.  With a carry-less multiply a combine costs about what 64
 * bytes of CRC cost; zlib's bit loop costs what 2 KiB do.
 */
#define COMBINE_MIN_CLMUL 64
#define COMBINE_MIN_ZLIB 2048

struct stream {
	uint32_t crc;
	uint64_t done; /* the CRC covers [.., done) */
	uint32_t min; /* payloads from this length on are combined */
	struct combine comb;
};

static void stream_to(struct stream *st, const uint8_t *buf, uint64_t end)
{
	if (end > st->done)
		st->crc = bcr__crc32(st->crc, buf + st->done, end - st->done);
	st->done = end;
}

/*
 * Walk the section chain inside [0, limit), check each section, compute
 * its payload CRC and index it.  With @st, also carry the stream's CRC
 * along.  Returns where it ended.
 */
static uint64_t walk_sections(struct bcr *r, uint64_t limit, struct stream *st,
			      struct walk_stop *w, struct tag_spread *sp)
{
	const struct bugcheck_record_header *h = r->hdr;
	uint64_t off = h->sections_offset;
	uint32_t n;

	for (n = 0; n < h->nr_sections; n++) {
		const struct bugcheck_record_section *s;
		struct bcr_entry *e = &r->entries[n];
		uint32_t crc;

		if (off + SEC_SIZE > limit) {
			stop(w,
			     "section %u at offset %llu: header runs past the end of the record (%llu)",
			     n, (unsigned long long)off,
			     (unsigned long long)limit);
			break;
		}
		s = section_at(r, off);
		if (s->size % 8 || s->size < SEC_SIZE + (uint64_t)s->length) {
			stop(w,
			     "section %u at offset %llu: bad size %u (length %u)",
			     n, (unsigned long long)off, s->size, s->length);
			break;
		}
		if (off + s->size > limit) {
			stop(w,
			     "section %u at offset %llu: size %u runs past the end of the record (%llu)",
			     n, (unsigned long long)off, s->size,
			     (unsigned long long)limit);
			break;
		}
		crc = bcr_crc32(s + 1, s->length);
		e->offset = (uint32_t)off;
		e->flags = crc != s->payload_crc32 ? BCR_ENTRY_DAMAGED : 0;
		e->first = n;
		e->next = BCR_NONE;
		if (e->flags & BCR_ENTRY_DAMAGED) {
			/*
			 * Only this payload is bad; the size chain still holds,
			 * so the sections after it stay readable.
			 */
			if (r->damaged_section < 0)
				r->damaged_section = (int)n;
			r->nr_damaged++;
		}
		if (bcr__is_tagged(s)) {
			struct bcr_tag *t = &r->tags[r->nr_tags++];

			memcpy(t->guid, s->guid, sizeof(t->guid));
			t->callback = s->callback;
			t->type = s->type == BUGCHECK_SECTION_MULTIPART;
			t->part = s->part;
			t->index = n;
			spread_add(sp, t);
		}
		if (st && s->length >= st->min) {
			stream_to(st, r->buf, off + SEC_SIZE);
			st->crc = combine(&st->comb, st->crc, crc, s->length);
			st->done = off + SEC_SIZE + s->length;
		}
		off += s->size;
	}
	r->nr_sections = n;
	if (n < h->nr_sections && r->damaged_section < 0)
		r->damaged_section = (int)n;
	return off;
}

/*
 * The tag index: one 32-byte key per tagged section, gathered during the
 * walk and sorted by (GUID in memcmp() order, callback, type, part,
 * position) with an LSD radix sort, one byte a pass, skipping the bytes
 * that are the same in every key.  Linear in the number of sections
 * whatever their GUIDs, no recursion and no allocation beyond the index.
 */

/* Key bytes from least to most significant (index needs no pass: the keys
 * are gathered in record order and every pass is stable).
 */
static const uint8_t tag_digits[] = {
	24, 25, 26, 27, /* part, little-endian */
	20, 21, 22, 23, /* type */
	16, 17, 18, 19, /* callback */
	15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, /* GUID */
};

/* memcmp() order of two GUIDs, in two 8-byte loads. */
static int guid_cmp(const uint8_t *a, const uint8_t *b)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	if (x == y) {
		memcpy(&x, a + 8, 8);
		memcpy(&y, b + 8, 8);
		if (x == y)
			return 0;
	}
	x = __builtin_bswap64(x);
	y = __builtin_bswap64(y);
	return x < y ? -1 : 1;
}

static int tag_cmp(const struct bcr_tag *x, const struct bcr_tag *y)
{
	int c = guid_cmp(x->guid, y->guid);

	if (c)
		return c;
	if (x->callback != y->callback)
		return x->callback < y->callback ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Sort @n keys at @v (@tmp as room for as many); returns where they are. */
static struct bcr_tag *sort_tags(struct bcr_tag *v, struct bcr_tag *tmp,
				 size_t n, const struct tag_spread *sp)
{
	uint32_t count[256];
	size_t i, d;

	/* Writers emit parts in order: most records need no sorting. */
	for (i = 1; i < n && tag_cmp(&v[i - 1], &v[i]) < 0; i++)
		;
	if (i >= n)
		return v;
	for (d = 0; d < sizeof(tag_digits); d++) {
		unsigned int byte = tag_digits[d];
		uint32_t sum = 0;
		struct bcr_tag *t;

		if (!spread_varies(sp, byte))
			continue;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[((const uint8_t *)&v[i])[byte]]++;
		for (i = 0; i < 256; i++) {
			uint32_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[count[((const uint8_t *)&v[i])[byte]]++] = v[i];
		t = v;
		v = tmp;
		tmp = t;
	}
	return v;
}

/* Both parts of one multipart blob: same callback, same GUID. */
static int same_blob(const struct bcr_tag *x, const struct bcr_tag *y)
{
	return x->type && y->type && x->callback == y->callback &&
	       !guid_cmp(x->guid, y->guid);
}

/*
 * Link the tagged sections: every multipart block's parts in part order,
 * its first section in record order (BLOB_HEAD), and for every GUID the
 * section that comes first in the record (TAG_FIRST: the block readers
 * use).  A SECONDARY section is a block of its own.
 */
static void index_tags(struct bcr *r, struct bcr_tag *scratch,
		       const struct tag_spread *sp)
{
	struct bcr_tag *t;
	uint32_t i, j, k, m, n = r->nr_tags;

	t = sort_tags(r->tags, scratch, n, sp);
	r->tags = t;
	for (i = 0; i < n; i = j) {
		uint32_t min = t[i].index;

		/* [i, j): one GUID. */
		for (j = i + 1; j < n && !guid_cmp(t[i].guid, t[j].guid); j++)
			if (t[j].index < min)
				min = t[j].index;
		r->entries[min].flags |= BCR_ENTRY_TAG_FIRST;
		/* [k, m): one block, its parts in part order. */
		for (k = i; k < j; k = m) {
			uint32_t first = t[k].index, head = first;

			for (m = k + 1; m < j && same_blob(&t[m - 1], &t[m]);
			     m++) {
				r->entries[t[m - 1].index].next = t[m].index;
				r->entries[t[m].index].first = first;
				if (t[m].index < head)
					head = t[m].index;
			}
			r->entries[head].flags |= BCR_ENTRY_BLOB_HEAD;
		}
	}
}

static const char no_record[] =
	"no record: the header is all zeros (no bugcheck ran before the dump)";

static int open_record(struct bcr *r, const void *buf, size_t len, void *index,
		       size_t index_size)
{
	const struct bugcheck_record_header *h = buf;
	uint64_t limit, cb_end, end;
	struct tag_spread sp = { .all = { ~0ULL, ~0ULL, ~0ULL, ~0ULL } };
	struct bcr_tag *scratch = NULL;
	struct stream st = { 0 };
	struct walk_stop w = { 0 };
	int used_ok;

	if (!r)
		return BCR_E_ARG;
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = len;
	r->damaged_section = -1;
	if (!buf && len)
		return fail(r, BCR_E_ARG, "no buffer");
	/* The structures hold u64 fields and are read in place. */
	if ((uintptr_t)buf % 8)
		return fail(r, BCR_E_ARG, "buffer at %p is not 8-byte aligned",
			    buf);
	if (len < HDR_SIZE)
		return fail(r, BCR_E_SHORT,
			    "%zu bytes, shorter than the %zu-byte header", len,
			    HDR_SIZE);
	if (memcmp(h->magic, BUGCHECK_RECORD_MAGIC, sizeof(h->magic))) {
		if (bcr__all_zero(buf, HDR_SIZE))
			return fail(r, BCR_E_MAGIC, "%s", no_record);
		return fail(r, BCR_E_MAGIC,
			    "%s %02x %02x %02x %02x %02x %02x %02x %02x%s",
			    "bad magic", h->magic[0], h->magic[1], h->magic[2],
			    h->magic[3], h->magic[4], h->magic[5], h->magic[6],
			    h->magic[7], " (not \"BUGCHECK\")");
	}
	if (h->version != BUGCHECK_RECORD_VERSION)
		return fail(r, BCR_E_VERSION,
			    "unknown record version %u (this reader knows %u)",
			    h->version, BUGCHECK_RECORD_VERSION);

	/* From here on the fixed header fields can be shown, whatever else is wrong. */
	r->hdr = h;
	if (index_size < bcr_index_size(buf, len) || (uintptr_t)index % 4)
		return fail(r, BCR_E_ARG, "index of %zu bytes, %zu needed",
			    index_size, bcr_index_size(buf, len));
	if (index) {
		size_t slots = index_size / INDEX_PER_SECTION;

		r->entries = index;
		r->tags = (struct bcr_tag *)(r->entries + slots);
		scratch = r->tags + slots;
	}
	if (h->header_size < HDR_SIZE)
		return fail(r, BCR_E_LAYOUT,
			    "header_size %u is smaller than %zu",
			    h->header_size, HDR_SIZE);
	if (h->header_size > len)
		return fail(r, BCR_E_SHORT,
			    "header_size %u is beyond the %zu bytes read",
			    h->header_size, len);
	if (h->callback_size < CB_SIZE || h->callback_size % 8)
		return fail(r, BCR_E_LAYOUT,
			    "callback_size %u: not a multiple of 8 >= %zu",
			    h->callback_size, CB_SIZE);

	used_ok = 0;
	if (!(h->flags & BUGCHECK_RECORD_F_COMPLETE))
		fail(r, BCR_E_INCOMPLETE,
		     "record not COMPLETE: the bugcheck died while building it");
	else if (h->used > len)
		fail(r, BCR_E_SHORT, "used %u is beyond the %zu bytes read",
		     h->used, len);
	else if (h->used < h->header_size || h->used > h->area_size)
		fail(r, BCR_E_LAYOUT,
		     "used %u is outside [header_size %u, area_size %u]",
		     h->used, h->header_size, h->area_size);
	else
		used_ok = 1;
	if ((h->flags & BUGCHECK_RECORD_F_COMPLETE) && h->used >= HDR_SIZE &&
	    h->used <= len && !used_ok) {
		/* Not walkable as a stream, but a CRC the summary can show. */
		r->crc_computed = record_crc(buf, h->used);
		r->crc_checked = 1;
	}
	/* Show what fits, bounded as an incomplete record is. */
	limit = used_ok ? h->used : len < h->area_size ? len : h->area_size;

	cb_end = (uint64_t)h->callbacks_offset +
		 (uint64_t)h->nr_callbacks * h->callback_size;
	if (h->callbacks_offset < h->header_size || h->callbacks_offset % 8)
		return fail(r, BCR_E_LAYOUT,
			    "callbacks_offset %u: misaligned or in the header",
			    h->callbacks_offset);
	if (h->sections_offset % 8 || h->sections_offset > limit)
		goto bad_sections_offset;
	if (cb_end > h->sections_offset)
		goto bad_table;
	r->callbacks =
		(const struct bugcheck_record_callback *)(r->buf +
							  h->callbacks_offset);
	r->nr_callbacks = h->nr_callbacks;
	r->callback_size = h->callback_size;

	if (used_ok) {
		static const uint8_t zero[4];

		st.min = bcr__crc32_fast() ? COMBINE_MIN_CLMUL :
					     COMBINE_MIN_ZLIB;
		st.crc = bcr__crc32(0, buf, CRC_OFFSET);
		st.crc = bcr__crc32(st.crc, zero, sizeof(zero));
		st.done = CRC_OFFSET + 4;
	}
	end = walk_sections(r, limit, used_ok ? &st : NULL, &w, &sp);
	if (used_ok) {
		/* What the chain did not cover is still part of the stream. */
		stream_to(&st, buf, h->used);
		r->crc_computed = st.crc;
		r->crc_checked = 1;
		if (st.crc != h->crc32)
			fail(r, BCR_E_CRC,
			     "header CRC %08x over %u bytes, expected %08x",
			     st.crc, h->used, h->crc32);
	}
	if (r->nr_damaged) {
		uint32_t i;

		for (i = 0; i < r->nr_sections; i++) {
			const struct bugcheck_record_section *s;

			if (!(r->entries[i].flags & BCR_ENTRY_DAMAGED))
				continue;
			s = section_at(r, r->entries[i].offset);
			fail(r, BCR_E_SECTION,
			     "section %u at offset %u: payload CRC %08x, expected %08x",
			     i, r->entries[i].offset,
			     bcr_crc32(s + 1, s->length), s->payload_crc32);
			/* The message is full: the count says the rest. */
			if (strlen(r->why) + 60 >= sizeof(r->why))
				break;
		}
	}
	if (w.error)
		fail(r, w.error, "%s", w.why);
	index_tags(r, scratch, &sp);
	if (used_ok && r->nr_sections == h->nr_sections && end != h->used)
		fail(r, BCR_E_LAYOUT, "%u sections end at %llu, used is %u",
		     h->nr_sections, (unsigned long long)end, h->used);

	/* Outside the stream: a dump-I/O mirror copy ends at used without it. */
	if (used_ok && h->nr_io_status) {
		uint64_t io_end = (uint64_t)h->io_status_offset +
				  (uint64_t)h->nr_io_status * IO_SIZE;

		if (h->io_status_offset >= h->used &&
		    h->io_status_offset % 8 == 0 && io_end <= len &&
		    io_end <= h->area_size) {
			r->io = (const struct bugcheck_record_io_status
					 *)(r->buf + h->io_status_offset);
			r->nr_io = h->nr_io_status;
		}
	}
	return r->error;

bad_sections_offset:
	return fail(r, BCR_E_LAYOUT,
		    "sections_offset %u: misaligned or past the end (%llu)",
		    h->sections_offset, (unsigned long long)limit);
bad_table:
	return fail(r, BCR_E_LAYOUT,
		    "callback table (%u x %u at %u) overlaps sections at %u",
		    h->nr_callbacks, h->callback_size, h->callbacks_offset,
		    h->sections_offset);
}

int bcr_open_in(struct bcr *r, const void *buf, size_t len, void *index,
		size_t index_size)
{
	return open_record(r, buf, len, index, index_size);
}

int bcr_open(struct bcr *r, const void *buf, size_t len)
{
	size_t size = bcr_index_size(buf, len);
	void *index = NULL;
	int ret;

	if (r)
		memset(r, 0, sizeof(*r));
	if (size) {
		index = malloc(size);
		if (!index && r) {
			r->buf = buf;
			r->len = len;
			r->damaged_section = -1;
			return fail(r, BCR_E_NOMEM,
				    "no memory for the index of %zu bytes",
				    size);
		}
	}
	ret = open_record(r, buf, len, index, size);
	if (r)
		r->owned = index;
	else
		free(index);
	return ret;
}

void bcr_close(struct bcr *r)
{
	if (!r)
		return;
	free(r->owned);
	r->owned = NULL;
	r->entries = NULL;
	r->tags = NULL;
	r->nr_sections = 0;
	r->nr_tags = 0;
}

const char *bcr_strerror(int error)
{
	switch (error) {
	case BCR_OK:
		return "success";
	case BCR_E_SHORT:
		return "record truncated";
	case BCR_E_MAGIC:
		return "not a bugcheck record";
	case BCR_E_VERSION:
		return "unknown record version";
	case BCR_E_INCOMPLETE:
		return "record incomplete";
	case BCR_E_CRC:
		return "record CRC mismatch";
	case BCR_E_LAYOUT:
		return "record layout inconsistent";
	case BCR_E_SECTION:
		return "damaged section";
	case BCR_E_NOTFOUND:
		return "not found";
	case BCR_E_IO:
		return "I/O error";
	case BCR_E_ARG:
		return "invalid argument";
	case BCR_E_NOMEM:
		return "out of memory";
	case BCR_E_NOTRECORD:
		return "not a record";
	}
	return "unknown error";
}

const struct bugcheck_record_callback *bcr_callback(const struct bcr *r,
						    uint32_t i)
{
	if (!r || !r->callbacks || i >= r->nr_callbacks)
		return NULL;
	return (const struct bugcheck_record_callback
			*)((const uint8_t *)r->callbacks +
			   (size_t)i * r->callback_size);
}

int bcr_section_at(const struct bcr *r, uint32_t index, struct bcr_section *it)
{
	const struct bcr_entry *e;

	if (!r || !r->hdr || !it || !r->entries || index >= r->nr_sections)
		return 0;
	e = &r->entries[index];
	it->index = index;
	it->offset = e->offset;
	it->sec = section_at(r, e->offset);
	it->payload = (const uint8_t *)(it->sec + 1);
	it->damaged = !!(e->flags & BCR_ENTRY_DAMAGED);
	it->next = index + 1;
	return 1;
}

int bcr_next_section(const struct bcr *r, struct bcr_section *it)
{
	if (!it)
		return 0;
	/* Only it->next counts (and UINT32_MAX in it->index restarts). */
	if (it->index == UINT32_MAX)
		it->next = 0;
	return bcr_section_at(r, it->next, it);
}

uint32_t bcr__entry_flags(const struct bcr *r, uint32_t index)
{
	return index < r->nr_sections ? r->entries[index].flags : 0;
}

size_t bcr_record_extent(const struct bugcheck_record_header *hdr,
			 size_t area_len)
{
	uint64_t want, io_end;

	if (!hdr || area_len < HDR_SIZE)
		return area_len;
	want = hdr->used;
	io_end = (uint64_t)hdr->io_status_offset +
		 (uint64_t)hdr->nr_io_status * IO_SIZE;
	if (memcmp(hdr->magic, BUGCHECK_RECORD_MAGIC, sizeof(hdr->magic)))
		want = HDR_SIZE; /* not a record: the header says why */
	else if (!(hdr->flags & BUGCHECK_RECORD_F_COMPLETE))
		want = area_len; /* walked up to area_size: keep it all */
	else if (hdr->nr_io_status && io_end > want)
		want = io_end;
	if (want > area_len)
		want = area_len;
	if (want < HDR_SIZE)
		want = HDR_SIZE;
	return (size_t)want;
}

/* Tagged data */

int bcr__is_tagged(const struct bugcheck_record_section *s)
{
	return s->type == BUGCHECK_SECTION_SECONDARY ||
	       s->type == BUGCHECK_SECTION_MULTIPART;
}

int bcr__first_part(const struct bcr *r, uint32_t index, struct bcr_section *it)
{
	if (index >= r->nr_sections)
		return 0;
	return bcr_section_at(r, r->entries[index].first, it);
}

int bcr__next_part(const struct bcr *r, struct bcr_section *it)
{
	if (it->index >= r->nr_sections)
		return 0;
	return bcr_section_at(r, r->entries[it->index].next, it);
}

int bcr__first_tagged(const struct bcr *r, const uint8_t guid[16],
		      struct bcr_section *it)
{
	size_t lo = 0, hi = r->nr_tags;

	/* The first of the sorted tags with @guid, then that GUID's run. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(r->tags[mid].guid, guid, 16) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < r->nr_tags && !memcmp(r->tags[lo].guid, guid, 16); lo++) {
		uint32_t i = r->tags[lo].index;

		if (r->entries[i].flags & BCR_ENTRY_TAG_FIRST)
			return bcr__first_part(r, i, it);
	}
	return 0;
}

static void copy_at(void *out, size_t out_size, size_t pos, const void *src,
		    size_t len)
{
	if (pos >= out_size)
		return;
	if (len > out_size - pos)
		len = out_size - pos;
	memcpy((uint8_t *)out + pos, src, len);
}

long bcr_tag_read(const struct bcr *r, const uint8_t guid[16], void *out,
		  size_t out_size)
{
	struct bcr_section part;
	size_t total = 0;
	int more;

	if (!r || !guid || (!out && out_size))
		return BCR_E_ARG;
	if (!bcr__first_tagged(r, guid, &part))
		return BCR_E_NOTFOUND;
	/* Damaged bytes are never handed out as if they were the blob. */
	for (more = 1; more; more = bcr__next_part(r, &part)) {
		if (part.damaged)
			return BCR_E_SECTION;
		copy_at(out, out_size, total, part.payload, part.sec->length);
		total += part.sec->length;
	}
	return (long)total;
}

int bcr_find_page(const struct bcr *r, uint64_t addr, struct bcr_section *it,
		  uint32_t *offset_in_payload)
{
	struct bcr_section cur = BCR_SECTION_INIT;

	if (!r || !it)
		return BCR_E_ARG;
	while (bcr_next_section(r, &cur)) {
		const struct bugcheck_record_section *s = cur.sec;

		if (s->type != BUGCHECK_SECTION_ADDED_PAGES ||
		    addr < s->address || addr - s->address >= s->length)
			continue;
		if (offset_in_payload)
			*offset_in_payload = (uint32_t)(addr - s->address);
		*it = cur;
		return 0;
	}
	return BCR_E_NOTFOUND;
}

/* User blocks */

#define UB_SHORT "%u-byte payload, shorter than the %zu-byte block header"

int bcr_user_block(const struct bcr_section *it, struct bcr_user_block *ub)
{
	const struct bugcheck_record_section *s;
	struct bugcheck_record_user_block b;

	if (!it || !it->sec || !it->payload || !ub ||
	    it->sec->type != BUGCHECK_SECTION_USER_BLOCK)
		return BCR_E_ARG;
	s = it->sec;
	memset(ub, 0, sizeof(*ub));
	ub->index = it->index;
	ub->part = s->part;
	ub->sec_flags = s->flags;
	ub->damaged = it->damaged;
	/* What the section header says, until the payload can be read. */
	ub->address = s->address;
	ub->size = s->count;
	if (s->length < UB_SIZE) {
		snprintf(ub->malformed, sizeof(ub->malformed), UB_SHORT,
			 s->length, UB_SIZE);
		return BCR_E_SECTION;
	}
	/* bcr_open() checked that the payload lies inside the buffer. */
	memcpy(&b, it->payload, sizeof(b));
	ub->address = b.address;
	ub->size = b.size;
	ub->pid = b.pid;
	ub->uid = b.uid;
	ub->flags = b.flags;
	ub->copied = b.copied;
	bcr__field(b.comm, sizeof(b.comm), ub->comm, sizeof(ub->comm));
	if (b.copied != s->length - UB_SIZE)
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "copied %u, but %zu bytes follow the block header",
			 b.copied, (size_t)(s->length - UB_SIZE));
	else if (b.copied > b.size)
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "copied %u, more than the size %llu", b.copied,
			 (unsigned long long)b.size);
	else if (s->address != b.address || s->count != b.size)
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "section address %llx count %llu are not the block's",
			 (unsigned long long)s->address,
			 (unsigned long long)s->count);
	else if (!bcr__terminated(b.comm, sizeof(b.comm)))
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "comm not NUL-terminated");
	if (ub->malformed[0])
		return BCR_E_SECTION;
	ub->contents = it->payload + UB_SIZE;
	return 0;
}

int bcr_find_user_block(const struct bcr *r, int32_t pid, uint64_t address,
			struct bcr_user_block *ub)
{
	struct bcr_section it = BCR_SECTION_INIT;
	int ret;

	if (!r || !ub)
		return BCR_E_ARG;
	while (bcr_next_section(r, &it)) {
		if (it.sec->type != BUGCHECK_SECTION_USER_BLOCK ||
		    it.sec->length < UB_SIZE)
			continue;
		ret = bcr_user_block(&it, ub);
		if (ub->pid != pid || ub->address != address)
			continue;
		/* A bad block is reported as such, not skipped for a later twin. */
		return ret || ub->damaged ? BCR_E_SECTION : 0;
	}
	memset(ub, 0, sizeof(*ub));
	return BCR_E_NOTFOUND;
}

/* Faults */

#define FAULT_SHORT "%u-byte payload, shorter than the %zu-byte fault record"

int bcr_fault(const struct bcr_section *it, struct bcr_fault *fault)
{
	const struct bugcheck_record_section *s;
	struct bugcheck_record_fault b;

	if (!it || !it->sec || !it->payload || !fault ||
	    it->sec->type != BUGCHECK_SECTION_FAULT)
		return BCR_E_ARG;
	s = it->sec;
	memset(fault, 0, sizeof(*fault));
	fault->index = it->index;
	fault->callback = s->callback;
	fault->damaged = it->damaged;
	/* What the section header says, until the payload can be read. */
	fault->ip = s->address;
	if (s->length < sizeof(b)) {
		snprintf(fault->malformed, sizeof(fault->malformed),
			 FAULT_SHORT, s->length, sizeof(b));
		return BCR_E_SECTION;
	}
	/* bcr_open() checked that the payload lies inside the buffer. */
	memcpy(&b, it->payload, sizeof(b));
	fault->ip = b.ip;
	fault->trap = b.trap;
	fault->error_code = b.error_code;
	memcpy(fault->what, b.what, sizeof(fault->what));
	if (!bcr__terminated(b.what, sizeof(b.what)))
		snprintf(fault->malformed, sizeof(fault->malformed),
			 "what not NUL-terminated");
	else if (s->address != b.ip)
		snprintf(fault->malformed, sizeof(fault->malformed),
			 "section address %llx is not the fault's ip %llx",
			 (unsigned long long)s->address,
			 (unsigned long long)b.ip);
	return fault->malformed[0] ? BCR_E_SECTION : 0;
}
