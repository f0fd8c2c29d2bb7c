/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what libbcr's units share and no caller may use.
 */
#ifndef BCR_INTERNAL_H
#define BCR_INTERNAL_H

#include "bcr.h"

#define HDR_SIZE sizeof(struct bugcheck_record_header)
#define CB_SIZE sizeof(struct bugcheck_record_callback)
#define SEC_SIZE sizeof(struct bugcheck_record_section)
#define IO_SIZE sizeof(struct bugcheck_record_io_status)
#define UB_SIZE sizeof(struct bugcheck_record_user_block)
#define CRC_OFFSET offsetof(struct bugcheck_record_header, crc32)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* struct bcr_entry.flags */
#define BCR_ENTRY_DAMAGED 0x1 /* payload CRC mismatch */
#define BCR_ENTRY_BLOB_HEAD 0x2 /* first section of its block in record order */
#define BCR_ENTRY_TAG_FIRST 0x4 /* first block with its GUID: the one to use */

/*
 * One indexed section.  For a tagged section, @first and @next chain the
 * parts of its block in part order (equal part numbers in record order); a
 * SECONDARY section is a block of one part.
 */
struct bcr_entry {
	uint32_t offset; /* of the section header in the buffer */
	uint32_t flags; /* BCR_ENTRY_* */
	uint32_t first; /* tagged: the block's first part */
	uint32_t next; /* tagged: the next part, or UINT32_MAX */
};

#define BCR_NONE UINT32_MAX

/* One tagged section's key in the tag index (decode.c sorts them). */
struct bcr_tag {
	uint8_t guid[16];
	uint32_t callback;
	uint32_t type; /* 0 SECONDARY, 1 MULTIPART */
	uint32_t part;
	uint32_t index; /* of the section */
};

/* crc.c: zlib's crc32() semantics (@crc is a previous result, or 0) */
uint32_t bcr__crc32(uint32_t crc, const void *data, size_t len);
/* The same through zlib's tables only, whatever the CPU. */
uint32_t bcr__crc32_portable(uint32_t crc, const void *data, size_t len);
/* 1 when bcr__crc32() folds with PCLMULQDQ on this CPU. */
int bcr__crc32_fast(void);
/* Set by the tests: the portable code only, whatever the CPU. */
extern int bcr__crc32_no_clmul;
/*
 * zlib's crc32_combine_gen() and crc32_combine_op(): the CRC of A then B
 * from theirs and B's length, with a carry-less multiply where there is
 * one (a few nanoseconds, not zlib's bit loop).  The operator for a length
 * is computed once and reused.
 */
uint64_t bcr__crc32_combine_gen(uint64_t len);
uint32_t bcr__crc32_combine_op(uint32_t crc1, uint32_t crc2, uint64_t op);

/* decode.c */
int bcr__all_zero(const void *p, size_t len);
int bcr__terminated(const char *src, size_t size);
int bcr__is_tagged(const struct bugcheck_record_section *s);
/* The block readers use for @guid (its first part in part order), or 0. */
int bcr__first_tagged(const struct bcr *r, const uint8_t guid[16],
		      struct bcr_section *it);
/* The first part, in part order, of the block section @index belongs to. */
int bcr__first_part(const struct bcr *r, uint32_t index,
		    struct bcr_section *it);
/* The part after @it in its block: 1, or 0 at the end. */
int bcr__next_part(const struct bcr *r, struct bcr_section *it);
uint32_t bcr__entry_flags(const struct bcr *r, uint32_t index);

/* names.c */
const char *bcr__reason(uint32_t v); /* NULL when unknown */
const char *bcr__state(uint32_t v);
const char *bcr__section_type(uint32_t v);
const char *bcr__dump_type(uint32_t v);
const char *bcr__trap(uint32_t v);
const char *bcr__device_status(uint32_t v);
const char *bcr__device_method(uint32_t v);
/* @name, or @v as a number in @buf: readers show unknown values as numbers. */
const char *bcr__num(const char *name, uint32_t v, char *buf, size_t size);
/* "0", "-EAGAIN", or the number when it has no name. */
const char *bcr__result_str(int32_t result, char *buf, size_t size);
/* A string field that may lack its NUL, made printable: others as '?'. */
const char *bcr__field(const char *src, size_t size, char *out,
		       size_t out_size);
/* Append "<sep>text" (or "text" at the start) to @buf, cutting at @size. */
void bcr__append(char *buf, size_t size, size_t *pos, char sep,
		 const char *text);

#endif /* BCR_INTERNAL_H */
