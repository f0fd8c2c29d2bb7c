/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sample_patterns.h - the tags, sizes and bytes the sample clients put in a
 * bugcheck record.
 *
 * These are contracts: the samples-panic scenario recomputes every byte
 * (tests/vm/scenarios/samples-panic/verify.py) and compares it with the
 * record it pulls out of the vmcore.  Change a formula here and there
 * together.  In every formula @i is a 0-based byte index and "& 0xff"
 * truncates to a byte.  Each *_byte() function gives byte @i of a whole
 * block, ASCII prefix included, so a sample fills its buffer with one loop.
 */
#ifndef _BUGCHECK_SAMPLE_PATTERNS_H
#define _BUGCHECK_SAMPLE_PATTERNS_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include <linux/uuid.h>

/*
 * GUIDs tagging the secondary and multipart blocks, in the kernel's guid_t
 * byte order (GUID_INIT: the first three fields little-endian), which is
 * how the record stores them and how readers print them.
 */
/* 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50: "sample-secondary" */
#define BUGCHECK_SAMPLE_SECONDARY_GUID                                      \
	GUID_INIT(0x8c9a1c6e, 0x3a5e, 0x4d2b, 0x9f, 0x4e, 0x0b, 0x1c, 0x2d, \
		  0x3e, 0x4f, 0x50)
/* 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f51: "sample-ownbuf" */
#define BUGCHECK_SAMPLE_OWNBUF_GUID                                         \
	GUID_INIT(0x8c9a1c6e, 0x3a5e, 0x4d2b, 0x9f, 0x4e, 0x0b, 0x1c, 0x2d, \
		  0x3e, 0x4f, 0x51)
/* 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52: "sample-multipart" */
#define BUGCHECK_SAMPLE_MULTIPART_GUID                                      \
	GUID_INIT(0x8c9a1c6e, 0x3a5e, 0x4d2b, 0x9f, 0x4e, 0x0b, 0x1c, 0x2d, \
		  0x3e, 0x4f, 0x52)

/*
 * "sample-secondary": 273 bytes = "SAMPLE-SECONDARY:" (17 bytes), then
 * 256 bytes ((i * 7 + 3) & 0xff), i = 0..255 counted after the prefix.
 */
#define BUGCHECK_SAMPLE_SECONDARY_LEN 273

static inline u8 bugcheck_sample_secondary_byte(size_t i)
{
	static const char prefix[] = "SAMPLE-SECONDARY:";

	static_assert(sizeof(prefix) - 1 + 256 ==
		      BUGCHECK_SAMPLE_SECONDARY_LEN);
	if (i < sizeof(prefix) - 1)
		return prefix[i];
	i -= sizeof(prefix) - 1;
	return (i * 7 + 3) & 0xff;
}

/*
 * "sample-ownbuf": 214 bytes = "SAMPLE-OWNBUF:" (14 bytes), then 200 bytes
 * ((i * 13 + 1) & 0xff), i = 0..199 counted after the prefix.
 */
#define BUGCHECK_SAMPLE_OWNBUF_LEN 214

static inline u8 bugcheck_sample_ownbuf_byte(size_t i)
{
	static const char prefix[] = "SAMPLE-OWNBUF:";

	static_assert(sizeof(prefix) - 1 + 200 == BUGCHECK_SAMPLE_OWNBUF_LEN);
	if (i < sizeof(prefix) - 1)
		return prefix[i];
	i -= sizeof(prefix) - 1;
	return (i * 13 + 1) & 0xff;
}

/*
 * "sample-multipart": 3 parts, n = 0..2, one blob under one GUID.  Part n is
 * 1006 bytes = "PART" + ('0' + n) + ":" (6 bytes), then 1000 bytes
 * ((n * 31 + i) & 0xff), i = 0..999 counted after the prefix.
 */
#define BUGCHECK_SAMPLE_MULTIPART_PARTS 3
#define BUGCHECK_SAMPLE_MULTIPART_PART_LEN 1006

static inline u8 bugcheck_sample_multipart_byte(unsigned int n, size_t i)
{
	static const char prefix[] = "PART?:"; /* '?': the part's digit */
	u8 digit = '0' + n;

	static_assert(sizeof(prefix) - 1 + 1000 ==
		      BUGCHECK_SAMPLE_MULTIPART_PART_LEN);
	if (i < sizeof(prefix) - 1)
		return prefix[i] == '?' ? digit : prefix[i];
	i -= sizeof(prefix) - 1;
	return (n * 31 + i) & 0xff;
}

/*
 * Page-sized buffers ("sample-pages", "sample-remove") are defined on
 * 4096-byte pages; a sample naming them as pages needs PAGE_SIZE to match.
 * Each page of "sample-pages" opens with an 8-byte tag: six letters, the
 * page number as one ASCII digit, '\n' ("RINGPG0\n", "RINGPG1\n", ...).
 */
#define BUGCHECK_SAMPLE_PAGE_BYTES 4096
#define BUGCHECK_SAMPLE_PAGE_TAG_LEN 8

/* Byte @off (< 8) of the tag opening page @page, @name being six letters. */
static inline u8 bugcheck_sample_page_tag(const char *name, size_t page,
					  size_t off)
{
	if (off < 6)
		return name[off];
	return off == 6 ? '0' + page : '\n';
}

/*
 * "sample-pages", first range: a 4-page (16 KiB) ring, named by virtual
 * address.  Byte i of the whole ring = (((i / 4096) * 17 + i * 3) & 0xff),
 * except the first 8 bytes of each page: "RINGPG" + ('0' + page) + "\n".
 */
#define BUGCHECK_SAMPLE_RING_PAGES 4

static inline u8 bugcheck_sample_ring_byte(size_t i)
{
	size_t page = i / BUGCHECK_SAMPLE_PAGE_BYTES;
	size_t off = i % BUGCHECK_SAMPLE_PAGE_BYTES;

	if (off < BUGCHECK_SAMPLE_PAGE_TAG_LEN)
		return bugcheck_sample_page_tag("RINGPG", page, off);
	return (page * 17 + i * 3) & 0xff;
}

/*
 * "sample-pages", second range: 2 pages (8 KiB, an order-1 allocation),
 * named by physical address.  Byte i = ((i * 11 + 5) & 0xff), except the
 * first 8 bytes of each page: "PHYSPG" + ('0' + page) + "\n".
 */
#define BUGCHECK_SAMPLE_PHYS_ORDER 1
#define BUGCHECK_SAMPLE_PHYS_PAGES BIT(BUGCHECK_SAMPLE_PHYS_ORDER)

static inline u8 bugcheck_sample_phys_byte(size_t i)
{
	size_t page = i / BUGCHECK_SAMPLE_PAGE_BYTES;
	size_t off = i % BUGCHECK_SAMPLE_PAGE_BYTES;

	if (off < BUGCHECK_SAMPLE_PAGE_TAG_LEN)
		return bugcheck_sample_page_tag("PHYSPG", page, off);
	return (i * 11 + 5) & 0xff;
}

/*
 * "sample-remove": one 4096-byte page = "TOPSECRET-" (10 bytes) repeated,
 * the last copy cut at byte 4096: byte i = "TOPSECRET-"[i % 10].  After a
 * real bugcheck the page must read as zeroes in the vmcore.
 */
static inline u8 bugcheck_sample_secret_byte(size_t i)
{
	static const char secret[] = "TOPSECRET-";

	return secret[i % (sizeof(secret) - 1)];
}

/*
 * "sample-triage", block A: 56 bytes = "TRIAGE-A" (8 bytes), then 48 bytes
 * ((i * 9 + 2) & 0xff), i = 0..47 counted after the prefix.
 */
#define BUGCHECK_SAMPLE_TRIAGE_A_LEN 56

static inline u8 bugcheck_sample_triage_a_byte(size_t i)
{
	static const char prefix[] = "TRIAGE-A";

	static_assert(sizeof(prefix) - 1 + 48 == BUGCHECK_SAMPLE_TRIAGE_A_LEN);
	if (i < sizeof(prefix) - 1)
		return prefix[i];
	i -= sizeof(prefix) - 1;
	return (i * 9 + 2) & 0xff;
}

/*
 * "sample-triage", block B: 100 bytes = "TRIAGE-B" (8 bytes), then 92 bytes
 * ((i * 5 + 7) & 0xff), i = 0..91 counted after the prefix.
 */
#define BUGCHECK_SAMPLE_TRIAGE_B_LEN 100

static inline u8 bugcheck_sample_triage_b_byte(size_t i)
{
	static const char prefix[] = "TRIAGE-B";

	static_assert(sizeof(prefix) - 1 + 92 == BUGCHECK_SAMPLE_TRIAGE_B_LEN);
	if (i < sizeof(prefix) - 1)
		return prefix[i];
	i -= sizeof(prefix) - 1;
	return (i * 5 + 7) & 0xff;
}

/*
 * "sample-legacy": 142 bytes = "LEGACY-BUFFER:" (14 bytes), then 128 bytes
 * ((i * 5) & 0xff), i = 0..127 counted after the prefix.
 */
#define BUGCHECK_SAMPLE_LEGACY_LEN 142

static inline u8 bugcheck_sample_legacy_byte(size_t i)
{
	static const char prefix[] = "LEGACY-BUFFER:";

	static_assert(sizeof(prefix) - 1 + 128 == BUGCHECK_SAMPLE_LEGACY_LEN);
	if (i < sizeof(prefix) - 1)
		return prefix[i];
	i -= sizeof(prefix) - 1;
	return (i * 5) & 0xff;
}

/*
 * Globals the samples-panic scenario reads from the vmcore by symbol name
 * (crash's "rd bugcheck_sample_mirror").  Not exported: declared here only
 * so that each is defined once, non-static, against a declaration.
 */

/* bugcheck_sample_pages: where its two ranges are. */
extern void *bugcheck_sample_ring;
extern phys_addr_t bugcheck_sample_phys_addr;

/* bugcheck_sample_remove: the page it names for scrubbing. */
extern void *bugcheck_sample_secret;

/* bugcheck_sample_dumpio: the mirror and what it saw of the last stream. */
extern void *bugcheck_sample_mirror;
extern u64 bugcheck_sample_mirror_len;
extern u32 bugcheck_sample_mirror_writes;
extern u32 bugcheck_sample_mirror_overflows;

/* 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f58: "sample-soft" (bugcheck_sample_soft) */
#define BUGCHECK_SAMPLE_SOFT_GUID                                           \
	GUID_INIT(0x8c9a1c6e, 0x3a5e, 0x4d2b, 0x9f, 0x4e, 0x0b, 0x1c, 0x2d, \
		  0x3e, 0x4f, 0x58)

/*
 * "sample-soft": 76 bytes = "SAMPLE-SOFT:" (12 bytes), then 64 bytes
 * ((i * 3 + 1) & 0xff), i = 0..63 counted after the prefix.
 */
#define BUGCHECK_SAMPLE_SOFT_LEN 76

static inline u8 bugcheck_sample_soft_byte(size_t i)
{
	static const char prefix[] = "SAMPLE-SOFT:";

	static_assert(sizeof(prefix) - 1 + 64 == BUGCHECK_SAMPLE_SOFT_LEN);
	if (i < sizeof(prefix) - 1)
		return prefix[i];
	i -= sizeof(prefix) - 1;
	return (i * 3 + 1) & 0xff;
}

#endif /* _BUGCHECK_SAMPLE_PATTERNS_H */
