// SPDX-License-Identifier: GPL-2.0
/*
 * bcrecord.c - decode, validate and print bugcheck records (bcrecord.h).
 *
 * Everything here works on a buffer the caller owns and trusts none of it:
 * bcr_open() checks every offset, size and count with 64-bit arithmetic
 * before anything is dereferenced and records what it validated in struct
 * bcr; every other function only walks what bcr_open() accepted.  So a
 * hostile or half-written record can make a reader print "DAMAGED", never
 * read outside [buf, buf + len).  No allocation: a record can be decoded in
 * the capture kernel's initramfs as well as inside crash.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "bcrecord.h"

#define HDR_SIZE	sizeof(struct bugcheck_record_header)
#define CB_SIZE		sizeof(struct bugcheck_record_callback)
#define SEC_SIZE	sizeof(struct bugcheck_record_section)
#define IO_SIZE		sizeof(struct bugcheck_record_io_status)
#define CRC_OFFSET	offsetof(struct bugcheck_record_header, crc32)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* From the kernel-only bugcheck.h: enum bugcheck_callback_reason and _state. */
#define REASON_DUMP_IO	2
#define STATE_STARTED	2

/* The record is little-endian and read in place. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian hosts only");
_Static_assert(sizeof(struct bugcheck_record_header) == 320, "header layout");
_Static_assert(sizeof(struct bugcheck_record_callback) == 120, "callback layout");
_Static_assert(sizeof(struct bugcheck_record_section) == 64, "section layout");
_Static_assert(sizeof(struct bugcheck_record_io_status) == 16, "io status layout");
_Static_assert(sizeof(struct bugcheck_record_device) == 192, "device layout");
_Static_assert(sizeof(struct bugcheck_record_user_block) == 48, "user block layout");

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320): zlib's crc32(). */
static const uint32_t crc_table[256] = {
	0x00000000, 0x77073096, 0xee0e612c, 0x990951ba, 0x076dc419, 0x706af48f,
	0xe963a535, 0x9e6495a3, 0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
	0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91, 0x1db71064, 0x6ab020f2,
	0xf3b97148, 0x84be41de, 0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
	0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec, 0x14015c4f, 0x63066cd9,
	0xfa0f3d63, 0x8d080df5, 0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
	0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b, 0x35b5a8fa, 0x42b2986c,
	0xdbbbc9d6, 0xacbcf940, 0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
	0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116, 0x21b4f4b5, 0x56b3c423,
	0xcfba9599, 0xb8bda50f, 0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
	0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d, 0x76dc4190, 0x01db7106,
	0x98d220bc, 0xefd5102a, 0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
	0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818, 0x7f6a0dbb, 0x086d3d2d,
	0x91646c97, 0xe6635c01, 0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
	0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457, 0x65b0d9c6, 0x12b7e950,
	0x8bbeb8ea, 0xfcb9887c, 0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
	0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2, 0x4adfa541, 0x3dd895d7,
	0xa4d1c46d, 0xd3d6f4fb, 0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
	0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9, 0x5005713c, 0x270241aa,
	0xbe0b1010, 0xc90c2086, 0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
	0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4, 0x59b33d17, 0x2eb40d81,
	0xb7bd5c3b, 0xc0ba6cad, 0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
	0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683, 0xe3630b12, 0x94643b84,
	0x0d6d6a3e, 0x7a6a5aa8, 0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
	0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe, 0xf762575d, 0x806567cb,
	0x196c3671, 0x6e6b06e7, 0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
	0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5, 0xd6d6a3e8, 0xa1d1937e,
	0x38d8c2c4, 0x4fdff252, 0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
	0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60, 0xdf60efc3, 0xa867df55,
	0x316e8eef, 0x4669be79, 0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
	0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f, 0xc5ba3bbe, 0xb2bd0b28,
	0x2bb45a92, 0x5cb36a04, 0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
	0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a, 0x9c0906a9, 0xeb0e363f,
	0x72076785, 0x05005713, 0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
	0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21, 0x86d3d2d4, 0xf1d4e242,
	0x68ddb3f8, 0x1fda836e, 0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
	0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c, 0x8f659eff, 0xf862ae69,
	0x616bffd3, 0x166ccf45, 0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
	0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db, 0xaed16a4a, 0xd9d65adc,
	0x40df0b66, 0x37d83bf0, 0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
	0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6, 0xbad03605, 0xcdd70693,
	0x54de5729, 0x23d967bf, 0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
	0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

uint32_t bcr_crc32(const void *data, size_t len)
{
	return ~crc_update(~0U, data, len);
}

/* The header's CRC: [0, used) with the crc32 field taken as zero. */
static uint32_t record_crc(const uint8_t *buf, uint32_t used)
{
	static const uint8_t zero[4];
	uint32_t crc;

	crc = crc_update(~0U, buf, CRC_OFFSET);
	crc = crc_update(crc, zero, sizeof(zero));
	crc = crc_update(crc, buf + CRC_OFFSET + 4, used - CRC_OFFSET - 4);
	return ~crc;
}

/*
 * Note an error.  The first one is r->error; later ones are appended to
 * r->why when they fit whole, so "CRC mismatch" does not hide which section
 * is bad.
 */
__attribute__((format(printf, 3, 4)))
static int fail(struct bcr *r, int error, const char *fmt, ...)
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

static int all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return 0;
	return 1;
}

static const struct bugcheck_record_section *section_at(const struct bcr *r, uint64_t off)
{
	return (const struct bugcheck_record_section *)(r->buf + off);
}

/* Walk and check the section chain inside [0, limit); returns where it ended. */
static uint64_t check_sections(struct bcr *r, uint64_t limit)
{
	const struct bugcheck_record_header *h = r->hdr;
	uint64_t off = h->sections_offset;
	uint32_t n;

	for (n = 0; n < h->nr_sections; n++) {
		const struct bugcheck_record_section *s;
		uint32_t crc;

		if (off + SEC_SIZE > limit) {
			fail(r, BCR_E_SECTION,
			     "section %u at offset %llu: header runs past the end of the record (%llu)",
			     n, (unsigned long long)off, (unsigned long long)limit);
			break;
		}
		s = section_at(r, off);
		if (s->size % 8 || s->size < SEC_SIZE + (uint64_t)s->length) {
			fail(r, BCR_E_SECTION, "section %u at offset %llu: bad size %u (length %u)",
			     n, (unsigned long long)off, s->size, s->length);
			break;
		}
		if (off + s->size > limit) {
			fail(r, BCR_E_SECTION,
			     "section %u at offset %llu: size %u runs past the end of the record (%llu)",
			     n, (unsigned long long)off, s->size, (unsigned long long)limit);
			break;
		}
		crc = bcr_crc32(s + 1, s->length);
		if (crc != s->payload_crc32) {
			/*
			 * Only this payload is bad; the size chain still holds, so
			 * the sections after it stay readable (marked per section).
			 */
			fail(r, BCR_E_SECTION,
			     "section %u at offset %llu: payload CRC %08x, expected %08x",
			     n, (unsigned long long)off, crc, s->payload_crc32);
			if (r->damaged_section < 0)
				r->damaged_section = (int)n;
			r->nr_damaged++;
		}
		off += s->size;
	}
	r->nr_sections = n;
	if (n < h->nr_sections && r->damaged_section < 0)
		r->damaged_section = (int)n;
	return off;
}

int bcr_open(struct bcr *r, const void *buf, size_t len)
{
	const struct bugcheck_record_header *h = buf;
	uint64_t limit, cb_end, end;
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
		return fail(r, BCR_E_ARG, "buffer at %p is not 8-byte aligned", buf);
	if (len < HDR_SIZE)
		return fail(r, BCR_E_SHORT, "%zu bytes, shorter than the %zu-byte header", len,
			    HDR_SIZE);
	if (memcmp(h->magic, BUGCHECK_RECORD_MAGIC, sizeof(h->magic))) {
		if (all_zero(buf, HDR_SIZE))
			return fail(r, BCR_E_MAGIC, "no record: the header is all zeros "
				    "(no bugcheck ran before the dump)");
		return fail(r, BCR_E_MAGIC,
			    "bad magic %02x %02x %02x %02x %02x %02x %02x %02x (not \"BUGCHECK\")",
			    h->magic[0], h->magic[1], h->magic[2], h->magic[3], h->magic[4],
			    h->magic[5], h->magic[6], h->magic[7]);
	}
	if (h->version != BUGCHECK_RECORD_VERSION)
		return fail(r, BCR_E_VERSION, "unknown record version %u (this reader knows %u)",
			    h->version, BUGCHECK_RECORD_VERSION);

	/* From here on the fixed header fields can be shown, whatever else is wrong. */
	r->hdr = h;
	if (h->header_size < HDR_SIZE)
		return fail(r, BCR_E_LAYOUT, "header_size %u is smaller than %zu", h->header_size,
			    HDR_SIZE);
	if (h->header_size > len)
		return fail(r, BCR_E_SHORT, "header_size %u is beyond the %zu bytes read",
			    h->header_size, len);
	if (h->callback_size < CB_SIZE || h->callback_size % 8)
		return fail(r, BCR_E_LAYOUT,
			    "callback_size %u is not a multiple of 8 of at least %zu",
			    h->callback_size, CB_SIZE);

	used_ok = 0;
	if (!(h->flags & BUGCHECK_RECORD_F_COMPLETE))
		fail(r, BCR_E_INCOMPLETE,
		     "record not COMPLETE: the bugcheck died while building it");
	else if (h->used > len)
		fail(r, BCR_E_SHORT, "used %u is beyond the %zu bytes read", h->used, len);
	else if (h->used < h->header_size || h->used > h->area_size)
		fail(r, BCR_E_LAYOUT, "used %u is outside [header_size %u, area_size %u]", h->used,
		     h->header_size, h->area_size);
	else
		used_ok = 1;

	if (used_ok) {
		uint32_t crc = record_crc(buf, h->used);

		limit = h->used;
		if (crc != h->crc32)
			fail(r, BCR_E_CRC, "header CRC %08x over %u bytes, expected %08x", crc,
			     h->used, h->crc32);
	} else {
		/* Show what fits, bounded as an incomplete record is. */
		limit = len < h->area_size ? len : h->area_size;
	}

	cb_end = (uint64_t)h->callbacks_offset + (uint64_t)h->nr_callbacks * h->callback_size;
	if (h->callbacks_offset < h->header_size || h->callbacks_offset % 8)
		return fail(r, BCR_E_LAYOUT,
			    "callbacks_offset %u is misaligned or inside the header",
			    h->callbacks_offset);
	if (h->sections_offset % 8 || h->sections_offset > limit)
		return fail(r, BCR_E_LAYOUT,
			    "sections_offset %u is misaligned or beyond the end of the record (%llu)",
			    h->sections_offset, (unsigned long long)limit);
	if (cb_end > h->sections_offset)
		return fail(r, BCR_E_LAYOUT,
			    "callback table (%u entries of %u bytes at %u) overlaps the sections at %u",
			    h->nr_callbacks, h->callback_size, h->callbacks_offset,
			    h->sections_offset);
	r->callbacks = (const struct bugcheck_record_callback *)(r->buf + h->callbacks_offset);
	r->nr_callbacks = h->nr_callbacks;
	r->callback_size = h->callback_size;

	end = check_sections(r, limit);
	if (used_ok && r->nr_sections == h->nr_sections && end != h->used)
		fail(r, BCR_E_LAYOUT, "%u sections end at %llu, used is %u", h->nr_sections,
		     (unsigned long long)end, h->used);

	/* Outside the stream: a dump-I/O mirror copy ends at used without it. */
	if (used_ok && h->nr_io_status) {
		uint64_t io_end = (uint64_t)h->io_status_offset +
				  (uint64_t)h->nr_io_status * IO_SIZE;

		if (h->io_status_offset >= h->used && h->io_status_offset % 8 == 0 &&
		    io_end <= len && io_end <= h->area_size) {
			r->io = (const struct bugcheck_record_io_status *)(r->buf +
									   h->io_status_offset);
			r->nr_io = h->nr_io_status;
		}
	}
	return r->error;
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
	}
	return "unknown error";
}

const struct bugcheck_record_callback *bcr_callback(const struct bcr *r, uint32_t i)
{
	if (!r || !r->callbacks || i >= r->nr_callbacks)
		return NULL;
	return (const struct bugcheck_record_callback *)((const uint8_t *)r->callbacks +
							  (size_t)i * r->callback_size);
}

int bcr_next_section(const struct bcr *r, struct bcr_section *it)
{
	uint64_t off;
	uint32_t next;

	if (!r || !r->hdr || !it)
		return 0;
	next = it->index == UINT32_MAX ? 0 : it->index + 1;
	if (next >= r->nr_sections)
		return 0;
	if (next == 0)
		off = r->hdr->sections_offset;
	else
		off = (uint64_t)it->offset + section_at(r, it->offset)->size;
	it->index = next;
	it->offset = (uint32_t)off;
	it->sec = section_at(r, off);
	it->payload = (const uint8_t *)(it->sec + 1);
	it->damaged = bcr_crc32(it->payload, it->sec->length) != it->sec->payload_crc32;
	return 1;
}

/* Names */

static const char *const reason_names[] = {
	[1] = "secondary",
	[2] = "dump-io",
	[3] = "add-pages",
	[4] = "multipart",
	[5] = "remove-pages",
	[6] = "triage",
	[BUGCHECK_RECORD_REASON_LEGACY] = "legacy",
	[BUGCHECK_RECORD_REASON_DEVICES] = "devices",
	[BUGCHECK_RECORD_REASON_USER_BLOCKS] = "user-blocks",
};

static const char *const state_names[] = {
	"none", "inserted", "started", "finished", "incomplete", "failed", "skipped",
};

static const char *const section_names[] = {
	[BUGCHECK_SECTION_SECONDARY] = "secondary",
	[BUGCHECK_SECTION_MULTIPART] = "multipart",
	[BUGCHECK_SECTION_ADDED_PAGES] = "added-pages",
	[BUGCHECK_SECTION_REMOVED_PAGES] = "removed-pages",
	[BUGCHECK_SECTION_TRIAGE] = "triage",
	[BUGCHECK_SECTION_LEGACY] = "legacy",
	[BUGCHECK_SECTION_DEVICE] = "device",
	[BUGCHECK_SECTION_USER_BLOCK] = "user-block",
};

static const char *const code_names[] = {
	[1] = "PANIC", [2] = "OOPS", [3] = "DIE", [4] = "SIMULATED",
};

static const char *const dump_type_names[] = {
	[1] = "kdump", [2] = "none", [3] = "simulated",
};

#define LOOKUP(table, v) ((v) < ARRAY_SIZE(table) ? (table)[v] : NULL)

const char *bcr_reason_name(uint32_t reason)
{
	const char *name = LOOKUP(reason_names, reason);

	return name ? name : "unknown";
}

const char *bcr_state_name(uint32_t state)
{
	const char *name = LOOKUP(state_names, state);

	return name ? name : "unknown";
}

const char *bcr_section_type_name(uint32_t type)
{
	const char *name = LOOKUP(section_names, type);

	return name ? name : "unknown";
}

const char *bcr_code_name(uint32_t code)
{
	const char *name = LOOKUP(code_names, code);

	return name ? name : "UNKNOWN";
}

/* @name, or @v as a number in @buf: readers show unknown values as numbers. */
static const char *name_or_number(const char *name, uint32_t v, char *buf, size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "%u", v);
	return buf;
}

struct flag_name {
	uint32_t bit;
	const char *name;
};

static const struct flag_name cb_flag_names[] = {
	{ BUGCHECK_CB_F_CLAMPED, "CLAMPED" },
	{ BUGCHECK_CB_F_OVERRUN, "OVERRUN" },
	{ BUGCHECK_CB_F_NO_SPACE, "NO_SPACE" },
	{ BUGCHECK_CB_F_READ_ERROR, "READ_ERROR" },
	{ BUGCHECK_CB_F_BAD_RESULT, "BAD_RESULT" },
	{ BUGCHECK_CB_F_DUPLICATE_GUID, "DUPLICATE_GUID" },
	{ BUGCHECK_CB_F_TOO_MANY_CALLS, "TOO_MANY_CALLS" },
	{ BUGCHECK_CB_F_NOT_SCRUBBED, "NOT_SCRUBBED" },
	{ BUGCHECK_SECTION_F_PHYSICAL, "PHYSICAL" },
	{ BUGCHECK_SECTION_F_VIRTUAL, "VIRTUAL" },
};

static const struct flag_name record_flag_names[] = {
	{ BUGCHECK_RECORD_F_COMPLETE, "COMPLETE" },
	{ BUGCHECK_RECORD_F_TRUNCATED, "TRUNCATED" },
	{ BUGCHECK_RECORD_F_SIMULATED, "SIMULATED" },
	{ BUGCHECK_RECORD_F_REENTERED, "REENTERED" },
	{ BUGCHECK_RECORD_F_LIST_CORRUPT, "LIST_CORRUPT" },
	{ BUGCHECK_RECORD_F_TABLE_FULL, "TABLE_FULL" },
};

/* Append "<sep>text" (or "text" at the start) to @buf, cutting at @size. */
static void append(char *buf, size_t size, size_t *pos, char sep, const char *text)
{
	size_t n;

	if (*pos && *pos + 1 < size)
		buf[(*pos)++] = sep;
	n = strlen(text);
	if (*pos + n >= size)
		n = *pos < size - 1 ? size - 1 - *pos : 0;
	memcpy(buf + *pos, text, n);
	*pos += n;
	buf[*pos] = '\0';
}

static const char *flags_str(const struct flag_name *names, size_t nr, uint32_t flags,
			     char *buf, size_t size)
{
	size_t i, pos = 0;

	if (!buf || !size)
		return "";
	buf[0] = '\0';
	if (!flags) {
		append(buf, size, &pos, '|', "-");
		return buf;
	}
	for (i = 0; i < nr; i++) {
		if (flags & names[i].bit) {
			append(buf, size, &pos, '|', names[i].name);
			flags &= ~names[i].bit;
		}
	}
	if (flags) {
		char rest[16];

		snprintf(rest, sizeof(rest), "0x%x", flags);
		append(buf, size, &pos, '|', rest);
	}
	return buf;
}

const char *bcr_flags_str(uint32_t flags, char *buf, size_t size)
{
	return flags_str(cb_flag_names, ARRAY_SIZE(cb_flag_names), flags, buf, size);
}

const char *bcr_record_flags_str(uint32_t flags, char *buf, size_t size)
{
	return flags_str(record_flag_names, ARRAY_SIZE(record_flag_names), flags, buf, size);
}

/* GUIDs: text order of the 16 guid_t bytes (first three fields little-endian). */
static const uint8_t guid_text_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

void bcr_guid_str(const uint8_t guid[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, pos = 0;

	for (i = 0; i < 16; i++) {
		uint8_t b = guid[guid_text_order[i]];

		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[pos++] = '-';
		out[pos++] = hex[b >> 4];
		out[pos++] = hex[b & 15];
	}
	out[pos] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", optionally in braces as the printers show it. */
int bcr_guid_parse(const char *text, uint8_t guid[16])
{
	uint8_t g[16];
	size_t len, i, pos = 0;

	if (!text || !guid)
		return BCR_E_ARG;
	len = strlen(text);
	if (len == 38 && text[0] == '{' && text[37] == '}') {
		text++;
		len = 36;
	}
	if (len != 36)
		return BCR_E_ARG;
	for (i = 0; i < 16; i++) {
		int hi, lo;

		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (text[pos++] != '-')
				return BCR_E_ARG;
		}
		hi = hex_value(text[pos++]);
		lo = hex_value(text[pos++]);
		if (hi < 0 || lo < 0)
			return BCR_E_ARG;
		g[guid_text_order[i]] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(guid, g, sizeof(g));
	return 0;
}

/* Tagged data */

static int is_tagged(const struct bugcheck_record_section *s)
{
	return s->type == BUGCHECK_SECTION_SECONDARY || s->type == BUGCHECK_SECTION_MULTIPART;
}

/* The first tagged section carrying @guid, in record order: the block that ran first. */
static int first_tagged(const struct bcr *r, const uint8_t *guid, struct bcr_section *it)
{
	it->index = UINT32_MAX;
	while (bcr_next_section(r, it))
		if (is_tagged(it->sec) && !memcmp(it->sec->guid, guid, sizeof(it->sec->guid)))
			return 1;
	return 0;
}

/* Both parts of one multipart blob: same callback, same GUID. */
static int same_blob(const struct bugcheck_record_section *a,
		     const struct bugcheck_record_section *b)
{
	return a->type == BUGCHECK_SECTION_MULTIPART && b->type == BUGCHECK_SECTION_MULTIPART &&
	       a->callback == b->callback && !memcmp(a->guid, b->guid, sizeof(a->guid));
}

/*
 * The parts of @first's blob in part order (equal part numbers in record
 * order); start with it->index = UINT32_MAX.  The writer numbers parts in
 * record order, but a reader must not depend on it.
 */
static int next_part(const struct bcr *r, const struct bugcheck_record_section *first,
		     struct bcr_section *it)
{
	struct bcr_section cur = { .index = UINT32_MAX }, best = { 0 };
	uint64_t min_key = 0, best_key = UINT64_MAX;
	int found = 0;

	if (it->index != UINT32_MAX)
		min_key = ((uint64_t)it->sec->part << 32 | it->index) + 1;
	while (bcr_next_section(r, &cur)) {
		uint64_t key;

		if (!same_blob(cur.sec, first))
			continue;
		key = (uint64_t)cur.sec->part << 32 | cur.index;
		if (key >= min_key && (!found || key < best_key)) {
			best = cur;
			best_key = key;
			found = 1;
		}
	}
	if (found)
		*it = best;
	return found;
}

/* Is @s the first section, in record order, of its multipart blob? */
static int first_of_blob(const struct bcr *r, const struct bcr_section *s)
{
	struct bcr_section cur = { .index = UINT32_MAX };

	while (bcr_next_section(r, &cur) && cur.index < s->index)
		if (same_blob(cur.sec, s->sec))
			return 0;
	return 1;
}

static void copy_at(void *out, size_t out_size, size_t pos, const void *src, size_t len)
{
	if (pos >= out_size)
		return;
	if (len > out_size - pos)
		len = out_size - pos;
	memcpy((uint8_t *)out + pos, src, len);
}

long bcr_tag_read(const struct bcr *r, const uint8_t guid[16], void *out, size_t out_size)
{
	struct bcr_section first, part = { .index = UINT32_MAX };
	size_t total = 0;

	if (!r || !guid || (!out && out_size))
		return BCR_E_ARG;
	if (!first_tagged(r, guid, &first))
		return BCR_E_NOTFOUND;
	/* Damaged bytes are never handed out as if they were the blob. */
	if (first.sec->type == BUGCHECK_SECTION_SECONDARY) {
		if (first.damaged)
			return BCR_E_SECTION;
		copy_at(out, out_size, 0, first.payload, first.sec->length);
		return first.sec->length;
	}
	while (next_part(r, first.sec, &part)) {
		if (part.damaged)
			return BCR_E_SECTION;
		copy_at(out, out_size, total, part.payload, part.sec->length);
		total += part.sec->length;
	}
	return (long)total;
}

const struct bugcheck_record_section *bcr_find_page(const struct bcr *r, uint64_t addr,
						    uint32_t *offset_in_payload)
{
	struct bcr_section it = { .index = UINT32_MAX };

	if (!r)
		return NULL;
	while (bcr_next_section(r, &it)) {
		const struct bugcheck_record_section *s = it.sec;

		if (s->type != BUGCHECK_SECTION_ADDED_PAGES || addr < s->address ||
		    addr - s->address >= s->length)
			continue;
		if (offset_in_payload)
			*offset_in_payload = (uint32_t)(addr - s->address);
		return s;
	}
	return NULL;
}

/* Printers */

struct hexdump {
	FILE *f;
	uint64_t addr;		/* address of row[0] */
	uint8_t row[16];
	size_t fill;
};

static void hex_row(struct hexdump *d)
{
	static const char hex[] = "0123456789abcdef";
	char line[96];
	size_t i;
	int pos;

	if (!d->fill)
		return;
	pos = snprintf(line, sizeof(line), "%016llx:  ", (unsigned long long)d->addr);
	for (i = 0; i < 16; i++) {
		if (i < d->fill) {
			line[pos++] = hex[d->row[i] >> 4];
			line[pos++] = hex[d->row[i] & 15];
		} else {
			line[pos++] = ' ';
			line[pos++] = ' ';
		}
		line[pos++] = ' ';
		if (i == 7)
			line[pos++] = ' ';
	}
	line[pos++] = ' ';
	for (i = 0; i < d->fill; i++)
		line[pos++] = d->row[i] >= 0x20 && d->row[i] < 0x7f ? (char)d->row[i] : '.';
	line[pos++] = '\n';
	line[pos] = '\0';
	fputs(line, d->f);
	d->addr += 16;
	d->fill = 0;
}

/* Feed bytes in pieces (multipart parts) and still get whole 16-byte rows. */
static void hex_feed(struct hexdump *d, const uint8_t *p, size_t len)
{
	while (len) {
		size_t n = sizeof(d->row) - d->fill;

		if (n > len)
			n = len;
		memcpy(d->row + d->fill, p, n);
		d->fill += n;
		p += n;
		len -= n;
		if (d->fill == sizeof(d->row))
			hex_row(d);
	}
}

void bcr_hexdump(FILE *f, const void *data, size_t len, uint64_t base)
{
	struct hexdump d = { .f = f, .addr = base };

	if (!f || !data)
		return;
	hex_feed(&d, data, len);
	hex_row(&d);
}

/* A string field that may lack its NUL, made printable for a table. */
static const char *field(const char *src, size_t size, char *out, size_t out_size)
{
	size_t i;

	for (i = 0; i < size && i + 1 < out_size && src[i]; i++) {
		unsigned char c = (unsigned char)src[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[i] = '\0';
	return out;
}

/* A string field in double quotes, C escapes for anything unprintable. */
static void print_quoted(FILE *f, const char *src, size_t size)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < size && src[i]; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('"', f);
}

#define NAME_LEN 64

static const char *component_of(const struct bcr *r, uint32_t index, char *out, size_t size)
{
	const struct bugcheck_record_callback *e = bcr_callback(r, index);

	if (e)
		return field(e->component, sizeof(e->component), out, size);
	if (index == UINT32_MAX)
		snprintf(out, size, "(no table slot)");
	else
		snprintf(out, size, "(callback %u?)", index);
	return out;
}

static void print_damage(FILE *f, const struct bcr *r)
{
	if (r->error)
		fprintf(f, "DAMAGED: %s\n", r->why[0] ? r->why : bcr_strerror(r->error));
}

/* Common start of every printer: NULL unless there is a header to show. */
static const struct bugcheck_record_header *begin(FILE *f, const struct bcr *r)
{
	if (!f || !r)
		return NULL;
	print_damage(f, r);
	return r->hdr;
}

static int end(FILE *f)
{
	return ferror(f) ? BCR_E_IO : 0;
}

static int no_header(const struct bcr *r)
{
	return !r ? BCR_E_ARG : r->error ? r->error : BCR_E_ARG;
}

static const char *time_str(uint64_t ns, char *out, size_t size)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&s, &tm) || !(n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(out, size, "%llu ns", (unsigned long long)ns);
		return out;
	}
	snprintf(out + n, size - n, ".%09lluZ", (unsigned long long)(ns % 1000000000));
	return out;
}

static void print_record_line(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = r->hdr;
	char flags[128], secs[48], crc[64], num[16];
	const char *dump = name_or_number(LOOKUP(dump_type_names, h->dump_type), h->dump_type,
					  num, sizeof(num));

	bcr_record_flags_str(h->flags, flags, sizeof(flags));
	if (r->nr_sections == h->nr_sections && r->nr_damaged)
		snprintf(secs, sizeof(secs), "%u sections (%u damaged)", h->nr_sections,
			 r->nr_damaged);
	else if (r->nr_sections == h->nr_sections)
		snprintf(secs, sizeof(secs), "%u sections", h->nr_sections);
	else
		snprintf(secs, sizeof(secs), "%u of %u sections readable", r->nr_sections,
			 h->nr_sections);
	if (!(h->flags & BUGCHECK_RECORD_F_COMPLETE)) {
		/* used and crc32 are only written once the record is finished. */
		fprintf(f, "RECORD: incomplete, area %u bytes, %s, flags %s, no CRC, dump type %s\n",
			h->area_size, secs, flags, dump);
		return;
	}
	if (h->used < HDR_SIZE || h->used > r->len) {
		snprintf(crc, sizeof(crc), "CRC %08x not checked", h->crc32);
	} else {
		uint32_t sum = record_crc(r->buf, h->used);

		if (sum == h->crc32)
			snprintf(crc, sizeof(crc), "CRC %08x ok", h->crc32);
		else
			snprintf(crc, sizeof(crc), "CRC %08x BAD (computed %08x)", h->crc32, sum);
	}
	fprintf(f, "RECORD: %u of %u bytes, %s, flags %s, %s, dump type %s\n", h->used,
		h->area_size, secs, flags, crc, dump);
}

static void print_callbacks(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = r->hdr;
	char comp[NAME_LEN], mod[NAME_LEN], flags[128], rn[16], sn[16];
	uint32_t i;

	if (!r->callbacks) {
		fprintf(f, "CALLBACKS: %u, table unreadable\n", h->nr_callbacks);
		return;
	}
	fprintf(f, "%3s  %-24s %-13s %-11s %-24s %6s  %s\n", "#", "COMPONENT", "REASON", "STATE",
		"MODULE", "BYTES", "FLAGS");
	for (i = 0; i < r->nr_callbacks; i++) {
		const struct bugcheck_record_callback *e = bcr_callback(r, i);
		int running;

		if (!e)
			break;
		/* In an incomplete record, the STARTED entry is what was running. */
		running = !(h->flags & BUGCHECK_RECORD_F_COMPLETE) && e->state == STATE_STARTED &&
			  e->reason != REASON_DUMP_IO;
		fprintf(f, "%3u  %-24s %-13s %-11s %-24s %6u  %s%s\n", i,
			field(e->component, sizeof(e->component), comp, sizeof(comp)),
			name_or_number(LOOKUP(reason_names, e->reason), e->reason, rn, sizeof(rn)),
			name_or_number(LOOKUP(state_names, e->state), e->state, sn, sizeof(sn)),
			e->module[0] ? field(e->module, sizeof(e->module), mod, sizeof(mod)) : "-",
			e->bytes, bcr_flags_str(e->flags, flags, sizeof(flags)),
			running ? "  <- running when the record stopped" : "");
	}
	if (!r->nr_callbacks)
		fprintf(f, "%3s  (no callbacks ran)\n", "");
}

static void print_io(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = r->hdr;
	char comp[NAME_LEN], sn[16];
	uint32_t k;

	if (!r->nr_io) {
		if (h->nr_io_status && (h->flags & BUGCHECK_RECORD_F_COMPLETE))
			fprintf(f, "\nDUMP I/O: status table (%u expected) not in this copy "
				"of the record\n", h->nr_io_status);
		return;
	}
	fprintf(f, "\nDUMP I/O: (the table above shows dump-io callbacks as started)\n");
	fprintf(f, "%3s  %-24s %-11s %10s %10s\n", "#", "COMPONENT", "STATE", "WRITES", "BYTES");
	for (k = 0; k < r->nr_io; k++) {
		const struct bugcheck_record_io_status *io = &r->io[k];

		fprintf(f, "%3u  %-24s %-11s %10u %10u\n", io->callback,
			component_of(r, io->callback, comp, sizeof(comp)),
			name_or_number(LOOKUP(state_names, io->state), io->state, sn, sizeof(sn)),
			io->writes, io->bytes);
	}
}

int bcr_print_summary(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = begin(f, r);
	char when[64], rel[sizeof(h->release) + 1];

	if (!h)
		return no_header(r);
	fprintf(f, "BUGCHECK_CODE: %s (0x%x)   PARAMETERS: %016llx %016llx %016llx %016llx\n",
		bcr_code_name(h->bugcheck_code), h->bugcheck_code,
		(unsigned long long)h->bugcheck_parameter[0],
		(unsigned long long)h->bugcheck_parameter[1],
		(unsigned long long)h->bugcheck_parameter[2],
		(unsigned long long)h->bugcheck_parameter[3]);
	fputs("MESSAGE: ", f);
	print_quoted(f, h->message, sizeof(h->message));
	fprintf(f, "   CPU: %u   TIME: %s   KERNEL: %s\n", h->panic_cpu,
		time_str(h->time_ns, when, sizeof(when)),
		field(h->release, sizeof(h->release), rel, sizeof(rel)));
	print_record_line(f, r);
	if (h->reentries)
		fprintf(f, "REENTRIES: %u (callbacks that faulted or panicked)\n", h->reentries);
	if (h->dropped_sections || h->dropped_bytes)
		fprintf(f, "DROPPED: %u sections, %u bytes\n", h->dropped_sections,
			h->dropped_bytes);
	fputc('\n', f);
	print_callbacks(f, r);
	print_io(f, r);
	return end(f);
}

static void print_guid(FILE *f, const uint8_t *guid)
{
	char text[37];

	if (all_zero(guid, 16)) {
		fputs("-", f);
		return;
	}
	bcr_guid_str(guid, text);
	fprintf(f, "{%s}", text);
}

/* One tagged block: a SECONDARY section or the multipart blob @s starts. */
static void print_tag(FILE *f, const struct bcr *r, const struct bcr_section *s, int no_data)
{
	struct bcr_section first, part = { .index = UINT32_MAX };
	char comp[NAME_LEN], flags[128], text[37];
	uint32_t nr_parts = 0, sflags = 0;
	uint64_t total = 0;

	if (s->sec->type == BUGCHECK_SECTION_MULTIPART) {
		while (next_part(r, s->sec, &part)) {
			nr_parts++;
			total += part.sec->length;
			sflags |= part.sec->flags;
		}
	} else {
		total = s->sec->length;
		sflags = s->sec->flags;
	}
	bcr_guid_str(s->sec->guid, text);
	fprintf(f, "{%s}  %llu bytes  %s", text, (unsigned long long)total,
		component_of(r, s->sec->callback, comp, sizeof(comp)));
	if (s->sec->type == BUGCHECK_SECTION_MULTIPART)
		fprintf(f, "  multipart, %u part%s", nr_parts, nr_parts == 1 ? "" : "s");
	if (sflags)
		fprintf(f, "  flags %s", bcr_flags_str(sflags, flags, sizeof(flags)));
	if (!first_tagged(r, s->sec->guid, &first) || first.index != s->index)
		fputs("  (duplicate, ignored by readers)", f);
	fputc('\n', f);
	if (no_data)
		return;
	if (s->sec->type == BUGCHECK_SECTION_MULTIPART) {
		struct hexdump d = { .f = f };

		part.index = UINT32_MAX;
		while (next_part(r, s->sec, &part))
			hex_feed(&d, part.payload, part.sec->length);
		hex_row(&d);
	} else {
		bcr_hexdump(f, s->payload, s->sec->length, 0);
	}
	fputc('\n', f);
}

int bcr_print_tags(FILE *f, const struct bcr *r, const uint8_t *guid, int no_data)
{
	const struct bugcheck_record_header *h = begin(f, r);
	struct bcr_section it = { .index = UINT32_MAX };
	char text[37];
	int found = 0;

	if (!h)
		return no_header(r);
	if (guid) {
		if (first_tagged(r, guid, &it)) {
			print_tag(f, r, &it, no_data);
			return end(f);
		}
		bcr_guid_str(guid, text);
		fprintf(f, "no block tagged {%s}\n", text);
		return BCR_E_NOTFOUND;
	}
	while (bcr_next_section(r, &it)) {
		if (!is_tagged(it.sec))
			continue;
		if (it.sec->type == BUGCHECK_SECTION_MULTIPART && !first_of_blob(r, &it))
			continue;
		print_tag(f, r, &it, no_data);
		found = 1;
	}
	if (!found)
		fputs("no tagged blocks\n", f);
	return end(f);
}

int bcr_print_pages(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = begin(f, r);
	const uint32_t kinds = BUGCHECK_SECTION_F_PHYSICAL | BUGCHECK_SECTION_F_VIRTUAL;
	struct bcr_section it = { .index = UINT32_MAX };
	char comp[NAME_LEN], flags[128];
	int found = 0;

	if (!h)
		return no_header(r);
	fprintf(f, "%-16s  %-4s  %5s  %-24s  %s\n", "ORIGINAL ADDRESS", "KIND", "PAGES",
		"COMPONENT", "FLAGS");
	while (bcr_next_section(r, &it)) {
		const struct bugcheck_record_section *s = it.sec;
		uint32_t kind = s->flags & kinds, rest = s->flags & ~kinds;
		int removed = s->type == BUGCHECK_SECTION_REMOVED_PAGES;

		if (!removed && s->type != BUGCHECK_SECTION_ADDED_PAGES)
			continue;
		fprintf(f, "%016llx  %-4s  %5llu  %-24s  %s%s%s\n",
			(unsigned long long)s->address,
			kind == BUGCHECK_SECTION_F_PHYSICAL ? "phys" :
			kind == BUGCHECK_SECTION_F_VIRTUAL ? "virt" : "?",
			(unsigned long long)s->count,
			component_of(r, s->callback, comp, sizeof(comp)),
			removed ? "removed" : "", removed && rest ? ", " : "",
			removed && !rest ? "" : bcr_flags_str(rest, flags, sizeof(flags)));
		found = 1;
	}
	if (!found)
		fputs("(no page ranges)\n", f);
	return end(f);
}

static int print_user_block_fields(FILE *f, const struct bcr_section *it);

static int component_is(const struct bugcheck_record_callback *e, const char *name)
{
	size_t len = strnlen(e->component, sizeof(e->component));

	return len == strlen(name) && !memcmp(e->component, name, len);
}

int bcr_print_component(FILE *f, const struct bcr *r, const char *component)
{
	const struct bugcheck_record_header *h;
	struct bcr_section it = { .index = UINT32_MAX };
	char comp[NAME_LEN], mod[NAME_LEN], flags[128], rn[16], sn[16], tn[16];
	uint32_t i, matches = 0;

	if (!component)
		return BCR_E_ARG;
	h = begin(f, r);
	if (!h)
		return no_header(r);
	for (i = 0; i < r->nr_callbacks; i++) {
		const struct bugcheck_record_callback *e = bcr_callback(r, i);

		if (!e || !component_is(e, component))
			continue;
		matches++;
		fprintf(f, "CALLBACK %u: %s  module %s  reason %s  state %s  calls %u  "
			"bytes %u  sections %u  flags %s  function %016llx\n", i,
			field(e->component, sizeof(e->component), comp, sizeof(comp)),
			e->module[0] ? field(e->module, sizeof(e->module), mod, sizeof(mod)) : "-",
			name_or_number(LOOKUP(reason_names, e->reason), e->reason, rn, sizeof(rn)),
			name_or_number(LOOKUP(state_names, e->state), e->state, sn, sizeof(sn)),
			e->calls, e->bytes, e->sections,
			bcr_flags_str(e->flags, flags, sizeof(flags)),
			(unsigned long long)e->callback);
	}
	if (!matches)
		return BCR_E_NOTFOUND;
	while (bcr_next_section(r, &it)) {
		const struct bugcheck_record_section *s = it.sec;
		const struct bugcheck_record_callback *e = bcr_callback(r, s->callback);
		int addressed = s->type == BUGCHECK_SECTION_ADDED_PAGES ||
				s->type == BUGCHECK_SECTION_TRIAGE ||
				s->type == BUGCHECK_SECTION_LEGACY;

		if (!e || !component_is(e, component))
			continue;
		fprintf(f, "\nSECTION %u: %s  part %u  guid ", it.index,
			name_or_number(LOOKUP(section_names, s->type), s->type, tn, sizeof(tn)),
			s->part);
		print_guid(f, s->guid);
		fprintf(f, "  address %016llx  length %u  count %llu  flags %s%s\n",
			(unsigned long long)s->address, s->length, (unsigned long long)s->count,
			bcr_flags_str(s->flags, flags, sizeof(flags)),
			it.damaged ? "  PAYLOAD DAMAGED (CRC mismatch)" : "");
		if (s->type == BUGCHECK_SECTION_USER_BLOCK && print_user_block_fields(f, &it))
			continue;
		bcr_hexdump(f, it.payload, s->length, addressed ? s->address : 0);
	}
	return end(f);
}

/* Crash-dump devices */

static const char *const device_status_names[] = {
	[BUGCHECK_DEVICE_RPM_ACTIVE] = "active",
	[BUGCHECK_DEVICE_RPM_RESUMING] = "resuming",
	[BUGCHECK_DEVICE_RPM_SUSPENDED] = "suspended",
	[BUGCHECK_DEVICE_RPM_SUSPENDING] = "suspending",
};

static const char *const device_method_names[] = {
	[BUGCHECK_DEVICE_METHOD_NONE] = "none",
	[BUGCHECK_DEVICE_METHOD_RUNTIME_PM] = "runtime-pm",
	[BUGCHECK_DEVICE_METHOD_HOOK] = "hook",
	[BUGCHECK_DEVICE_METHOD_ALREADY_ON] = "already-on",
};

/*
 * The crashed kernel's errno values (include/uapi/asm-generic/errno*.h and
 * include/linux/errno.h), spelled out: the host reading the record may have
 * other numbers, and the kernel-internal ones are in no libc.
 */
static const struct {
	int value;
	const char *name;
} kernel_errnos[] = {
	{ 1, "EPERM" },		{ 2, "ENOENT" },	{ 4, "EINTR" },
	{ 5, "EIO" },		{ 6, "ENXIO" },		{ 11, "EAGAIN" },
	{ 12, "ENOMEM" },	{ 13, "EACCES" },	{ 14, "EFAULT" },
	{ 16, "EBUSY" },	{ 19, "ENODEV" },	{ 22, "EINVAL" },
	{ 28, "ENOSPC" },	{ 35, "EDEADLK" },	{ 38, "ENOSYS" },
	{ 61, "ENODATA" },	{ 62, "ETIME" },	{ 95, "EOPNOTSUPP" },
	{ 108, "ESHUTDOWN" },	{ 110, "ETIMEDOUT" },	{ 114, "EALREADY" },
	{ 115, "EINPROGRESS" },	{ 121, "EREMOTEIO" },	{ 125, "ECANCELED" },
	{ 512, "ERESTARTSYS" },	{ 517, "EPROBE_DEFER" },	{ 524, "ENOTSUPP" },
};

/* "0", "-EAGAIN", or the number when it has no name. */
static const char *result_str(int32_t result, char *buf, size_t size)
{
	size_t i;

	if (result < 0 && result != INT32_MIN) {
		for (i = 0; i < ARRAY_SIZE(kernel_errnos); i++) {
			if (kernel_errnos[i].value == -result) {
				snprintf(buf, size, "-%s", kernel_errnos[i].name);
				return buf;
			}
		}
	}
	snprintf(buf, size, "%d", result);
	return buf;
}

/* Is there a NUL in @src[0, size)? */
static int terminated(const char *src, size_t size)
{
	return memchr(src, '\0', size) != NULL;
}

#define DEV_ROW "%-24s %-22s %-10s %5s  %-10s %-10s %-10s  %-12s %5s"

/* One row; returns 1 when a string lacks its NUL (shown cut at its array's end). */
static int print_device(FILE *f, const struct bcr_section *it)
{
	struct bugcheck_record_device d;
	char name[sizeof(d.name) + 1], driver[sizeof(d.driver) + 1], parent[sizeof(d.parent) + 1];
	char depth[16], before[16], after[16], method[16], result[24], usage[16];
	int malformed;

	/* The caller checked the length; fields beyond it (a newer writer's) are ignored. */
	memcpy(&d, it->payload, sizeof(d));
	malformed = !terminated(d.name, sizeof(d.name)) || !terminated(d.driver, sizeof(d.driver)) ||
		    !terminated(d.parent, sizeof(d.parent));
	field(d.name, sizeof(d.name), name, sizeof(name));
	field(d.driver, sizeof(d.driver), driver, sizeof(driver));
	field(d.parent, sizeof(d.parent), parent, sizeof(parent));
	snprintf(depth, sizeof(depth), "%u", d.depth);
	snprintf(usage, sizeof(usage), "%u", d.usage_count);
	fprintf(f, DEV_ROW, name[0] ? name : "-", driver[0] ? driver : "-",
		parent[0] ? parent : "-", depth,
		name_or_number(LOOKUP(device_status_names, d.before), d.before, before,
			       sizeof(before)),
		name_or_number(LOOKUP(device_status_names, d.after), d.after, after, sizeof(after)),
		name_or_number(LOOKUP(device_method_names, d.method), d.method, method,
			       sizeof(method)),
		result_str(d.result, result, sizeof(result)), usage);
	if (malformed)
		fputs("  MALFORMED: unterminated string", f);
	if (it->damaged)
		fputs("  PAYLOAD DAMAGED (CRC mismatch)", f);
	fputc('\n', f);
	return malformed;
}

int bcr_print_devices(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = begin(f, r);
	struct bcr_section it = { .index = UINT32_MAX };
	int found = 0, malformed = 0;

	if (!h)
		return no_header(r);
	while (bcr_next_section(r, &it)) {
		if (it.sec->type != BUGCHECK_SECTION_DEVICE)
			continue;
		if (!found++) {
			if (h->flags & BUGCHECK_RECORD_F_SIMULATED)
				fputs("(simulated bugcheck: no device was powered)\n", f);
			fprintf(f, DEV_ROW "\n", "DEVICE", "DRIVER", "PARENT", "DEPTH", "BEFORE",
				"AFTER", "METHOD", "RESULT", "USAGE");
		}
		if (it.sec->length < sizeof(struct bugcheck_record_device)) {
			fprintf(f, "(section %u: MALFORMED device section, %u bytes, expected %zu)\n",
				it.index, it.sec->length, sizeof(struct bugcheck_record_device));
			malformed = 1;
			continue;
		}
		malformed |= print_device(f, &it);
	}
	if (!found)
		fprintf(f, "no crash-dump devices in this record%s\n",
			r->error ? " (or in what survived of it)" : "");
	if (ferror(f))
		return BCR_E_IO;
	return malformed ? BCR_E_SECTION : 0;
}

/* User blocks */

#define UB_SIZE sizeof(struct bugcheck_record_user_block)

static const struct flag_name user_block_flag_words[] = {
	{ BUGCHECK_USER_BLOCK_F_UNMAPPED, "unmapped" },
};

/* The section flags a user block can carry, in the same style. */
static const struct flag_name section_flag_words[] = {
	{ BUGCHECK_CB_F_CLAMPED, "clamped" },
	{ BUGCHECK_CB_F_OVERRUN, "overrun" },
	{ BUGCHECK_CB_F_NO_SPACE, "no-space" },
	{ BUGCHECK_CB_F_READ_ERROR, "read-error" },
	{ BUGCHECK_CB_F_BAD_RESULT, "bad-result" },
	{ BUGCHECK_CB_F_DUPLICATE_GUID, "duplicate-guid" },
	{ BUGCHECK_CB_F_TOO_MANY_CALLS, "too-many-calls" },
	{ BUGCHECK_CB_F_NOT_SCRUBBED, "not-scrubbed" },
	{ BUGCHECK_SECTION_F_PHYSICAL, "physical" },
	{ BUGCHECK_SECTION_F_VIRTUAL, "virtual" },
};

int bcr_user_block(const struct bcr_section *it, struct bcr_user_block *ub)
{
	const struct bugcheck_record_section *s;
	struct bugcheck_record_user_block b;

	if (!it || !it->sec || !it->payload || !ub || it->sec->type != BUGCHECK_SECTION_USER_BLOCK)
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
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "%u-byte payload, shorter than the %zu-byte block header", s->length,
			 UB_SIZE);
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
	field(b.comm, sizeof(b.comm), ub->comm, sizeof(ub->comm));
	if (b.copied != s->length - UB_SIZE)
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "copied %u, but %zu bytes follow the block header", b.copied,
			 (size_t)(s->length - UB_SIZE));
	else if (b.copied > b.size)
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "copied %u, more than the size %llu", b.copied,
			 (unsigned long long)b.size);
	else if (s->address != b.address || s->count != b.size)
		snprintf(ub->malformed, sizeof(ub->malformed),
			 "section address %llx count %llu are not the block's",
			 (unsigned long long)s->address, (unsigned long long)s->count);
	else if (!terminated(b.comm, sizeof(b.comm)))
		snprintf(ub->malformed, sizeof(ub->malformed), "comm not NUL-terminated");
	if (ub->malformed[0])
		return BCR_E_SECTION;
	ub->contents = it->payload + UB_SIZE;
	return 0;
}

int bcr_find_user_block(const struct bcr *r, int32_t pid, uint64_t address,
			struct bcr_user_block *ub)
{
	struct bcr_section it = { .index = UINT32_MAX };
	int ret;

	if (!r || !ub)
		return BCR_E_ARG;
	while (bcr_next_section(r, &it)) {
		if (it.sec->type != BUGCHECK_SECTION_USER_BLOCK || it.sec->length < UB_SIZE)
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

long bcr_user_block_write(FILE *out, const struct bcr_user_block *ub)
{
	if (!out || !ub)
		return BCR_E_ARG;
	/* Only bytes that are exactly what the kernel copied. */
	if (ub->malformed[0] || ub->damaged || (ub->copied && !ub->contents))
		return BCR_E_SECTION;
	if (ub->copied && fwrite(ub->contents, 1, ub->copied, out) != ub->copied)
		return BCR_E_IO;
	return (long)ub->copied;
}

/* Known bits of @flags as words after @pos, the rest as @prefix"0x..". */
static void words(char *buf, size_t size, size_t *pos, const struct flag_name *names, size_t nr,
		  uint32_t flags, const char *prefix)
{
	char rest[32];
	size_t i;

	for (i = 0; i < nr; i++) {
		if (flags & names[i].bit) {
			append(buf, size, pos, ',', names[i].name);
			flags &= ~names[i].bit;
		}
	}
	if (flags) {
		snprintf(rest, sizeof(rest), "%s0x%x", prefix, flags);
		append(buf, size, pos, ',', rest);
	}
}

const char *bcr_user_block_flags_str(const struct bcr_user_block *ub, char *buf, size_t size)
{
	size_t pos = 0;

	if (!buf || !size)
		return "";
	buf[0] = '\0';
	if (!ub)
		return buf;
	words(buf, size, &pos, user_block_flag_words, ARRAY_SIZE(user_block_flag_words),
	      ub->flags, "");
	words(buf, size, &pos, section_flag_words, ARRAY_SIZE(section_flag_words), ub->sec_flags,
	      "section-");
	if (!pos)
		append(buf, size, &pos, ',', "-");
	return buf;
}

/* bugdump COMPONENT: a readable block's fields, then its contents at its addresses. */
static int print_user_block_fields(FILE *f, const struct bcr_section *it)
{
	struct bcr_user_block ub;
	char flags[160];

	if (bcr_user_block(it, &ub)) {
		/* The caller dumps the raw payload. */
		fprintf(f, "USER BLOCK: MALFORMED: %s\n", ub.malformed);
		return 0;
	}
	fprintf(f, "USER BLOCK: pid %d  uid %u  comm %s  address %016llx  size %llu  copied %u  "
		"flags %s\n", ub.pid, ub.uid, ub.comm[0] ? ub.comm : "-",
		(unsigned long long)ub.address, (unsigned long long)ub.size, ub.copied,
		bcr_user_block_flags_str(&ub, flags, sizeof(flags)));
	bcr_hexdump(f, ub.contents, ub.copied, ub.address);
	return 1;
}

#define UB_ROW "%7s  %-16s  %-16s  %10s  %10s  %s"

static void print_user_block_row(FILE *f, const struct bcr_user_block *ub)
{
	char pid[16], address[24], size[24], copied[16], flags[160];

	snprintf(pid, sizeof(pid), "%d", ub->pid);
	snprintf(address, sizeof(address), "%016llx", (unsigned long long)ub->address);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)ub->size);
	snprintf(copied, sizeof(copied), "%u", ub->copied);
	fprintf(f, UB_ROW, pid, ub->comm[0] ? ub->comm : "-", address, size, copied,
		bcr_user_block_flags_str(ub, flags, sizeof(flags)));
	if (ub->malformed[0])
		fprintf(f, "  MALFORMED: %s", ub->malformed);
	if (ub->damaged)
		fputs("  PAYLOAD DAMAGED (CRC mismatch)", f);
	fputc('\n', f);
}

/* Blocks that did not fit at all leave no section, only the header's count. */
static void print_user_blocks_dropped(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = r->hdr;
	uint32_t i;

	if (!h->dropped_sections)
		return;
	for (i = 0; i < r->nr_callbacks; i++) {
		const struct bugcheck_record_callback *e = bcr_callback(r, i);

		if (e && e->reason == BUGCHECK_RECORD_REASON_USER_BLOCKS &&
		    (e->flags & BUGCHECK_CB_F_NO_SPACE)) {
			fprintf(f, "(the record ran out of room: %u sections, %u bytes dropped in "
				"all; blocks not listed did not fit)\n", h->dropped_sections,
				h->dropped_bytes);
			return;
		}
	}
}

int bcr_print_user_blocks(FILE *f, const struct bcr *r, const int32_t *pid, int hexdump)
{
	const struct bugcheck_record_header *h = begin(f, r);
	struct bcr_section it = { .index = UINT32_MAX };
	int any = 0, shown = 0, matched = 0, malformed = 0;
	struct bcr_user_block ub;

	if (!h)
		return no_header(r);
	while (bcr_next_section(r, &it)) {
		int ret, readable;

		if (it.sec->type != BUGCHECK_SECTION_USER_BLOCK)
			continue;
		any = 1;
		ret = bcr_user_block(&it, &ub);
		readable = it.sec->length >= UB_SIZE;
		/* A block too short to have a pid could be anyone's: always shown. */
		if (pid && readable && ub.pid != *pid)
			continue;
		if (!shown++)
			fprintf(f, UB_ROW "\n", "PID", "COMM", "ADDRESS", "SIZE", "COPIED",
				"FLAGS");
		if (ret)
			malformed = 1;
		if (readable) {
			matched++;
			print_user_block_row(f, &ub);
		} else {
			fprintf(f, "(section %u: MALFORMED user block: %s)\n", it.index,
				ub.malformed);
		}
		if (!hexdump)
			continue;
		/* Every block then ends with a blank line, with or without contents. */
		if (ub.contents)
			bcr_hexdump(f, ub.contents, ub.copied, ub.address);
		fputc('\n', f);
	}
	if (!any)
		fprintf(f, "no user blocks in this record%s\n",
			r->error ? " (or in what survived of it)" : "");
	else if (pid && !matched)
		fprintf(f, "no user blocks of pid %d in this record%s\n", *pid,
			r->error ? " (or in what survived of it)" : "");
	print_user_blocks_dropped(f, r);
	if (ferror(f))
		return BCR_E_IO;
	if (malformed)
		return BCR_E_SECTION;
	return pid && !matched ? BCR_E_NOTFOUND : 0;
}
