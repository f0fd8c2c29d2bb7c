/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcrecord.h - the one decoder of the bugcheck record format, shared by the
 * crash extension (bugcheck.so), bugcheck-record and bugcheck-save.
 *
 * The record layout is module/include/uapi/bugcheck_record.h, described in
 * docs/record-format.md.  This library validates everything it walks: a
 * record is only ever read inside the buffer the caller handed over, every
 * offset and count is checked before use, and a damaged record yields an
 * error code and a message instead of a crash.
 *
 * Errors are negative BCR_E_* values; bcr_strerror() names them and
 * bcr->why says exactly what was wrong.
 */
#ifndef BCRECORD_H
#define BCRECORD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uapi/bugcheck_record.h"

enum bcr_error {
	BCR_OK = 0,
	BCR_E_SHORT = -1,	/* buffer shorter than the header or than 'used' */
	BCR_E_MAGIC = -2,	/* not a bugcheck record */
	BCR_E_VERSION = -3,	/* unknown version */
	BCR_E_INCOMPLETE = -4,	/* COMPLETE flag not set: the bugcheck died building it */
	BCR_E_CRC = -5,		/* header CRC mismatch */
	BCR_E_LAYOUT = -6,	/* sizes/offsets/counts inconsistent or out of bounds */
	BCR_E_SECTION = -7,	/* a section is malformed or its payload CRC is wrong */
	BCR_E_NOTFOUND = -8,	/* no such component / GUID / address */
	BCR_E_IO = -9,		/* reading or writing a file failed (errno kept) */
	BCR_E_ARG = -10,	/* bad argument (e.g. malformed GUID string) */
};

/* A decoded record: pointers into the caller's buffer, which must outlive it. */
struct bcr {
	const uint8_t *buf;
	size_t len;
	const struct bugcheck_record_header *hdr;
	const struct bugcheck_record_callback *callbacks;	/* nr_callbacks, stride callback_size */
	uint32_t nr_callbacks;
	uint32_t callback_size;
	uint32_t nr_sections;		/* sections whose size chain holds, in order */
	uint32_t nr_damaged;		/* of those, sections with a bad payload CRC */
	const struct bugcheck_record_io_status *io;	/* NULL when absent or outside buf */
	uint32_t nr_io;
	int error;			/* first error found (0 if none) */
	int damaged_section;		/* index of the first bad section, or -1 */
	char why[160];			/* human-readable reason for 'error' */
};

/* One section, as iterated. */
struct bcr_section {
	uint32_t index;			/* 0-based position in the record */
	uint32_t offset;		/* byte offset of the section header */
	const struct bugcheck_record_section *sec;
	const uint8_t *payload;		/* sec->length bytes */
	int damaged;			/* payload CRC mismatch: bytes not trustworthy */
};

/*
 * Decode @len bytes at @buf (8-byte aligned).  Returns 0 for a valid record,
 * or a BCR_E_* error.  On BCR_E_SECTION (or BCR_E_CRC, when the layout still
 * holds), the header, the callback table and every section whose size chain
 * holds remain iterable: r->hdr is set, r->nr_sections counts them, and a
 * section whose payload CRC is wrong is still walked but marked damaged, so a
 * damage report shows everything that survived.  r->hdr is NULL only when
 * there is no record at all (magic or version wrong, too short).  Printers
 * return 0 once they showed something, even for a damaged record: keep
 * bcr_open()'s result for an exit status.
 */
int bcr_open(struct bcr *r, const void *buf, size_t len);
const char *bcr_strerror(int error);

/* Callback table entry @i (0 <= i < r->nr_callbacks). */
const struct bugcheck_record_callback *bcr_callback(const struct bcr *r, uint32_t i);
/* Iterate good sections: start with it->index = UINT32_MAX; returns 1 while there is one. */
int bcr_next_section(const struct bcr *r, struct bcr_section *it);

/* Names for display. */
const char *bcr_reason_name(uint32_t reason);	/* "secondary", "dump-io", ..., "devices" */
const char *bcr_state_name(uint32_t state);	/* "none", "inserted", ..., "skipped" */
const char *bcr_section_type_name(uint32_t type);	/* "secondary", ..., "device" */
const char *bcr_code_name(uint32_t code);	/* "PANIC", "OOPS", "DIE", "SIMULATED" */
/* Flag words as "CLAMPED|OVERRUN" (or "-" for none) into @buf of @size bytes. */
const char *bcr_flags_str(uint32_t flags, char *buf, size_t size);
const char *bcr_record_flags_str(uint32_t flags, char *buf, size_t size);

/* GUIDs in guid_t byte order (first three fields little-endian), text as
 * "8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50". */
void bcr_guid_str(const uint8_t guid[16], char out[37]);
int bcr_guid_parse(const char *text, uint8_t guid[16]);	/* 0 or BCR_E_ARG */

/* CRC-32 as the record uses it (zlib's crc32 of the bytes). */
uint32_t bcr_crc32(const void *data, size_t len);

/*
 * Find the first block tagged @guid (SECONDARY, or every MULTIPART part of
 * the first callback that used it, concatenated in part order) and copy it
 * into @out (at most @out_size bytes).  Returns the blob's full length,
 * BCR_E_NOTFOUND, or BCR_E_SECTION when any part of it is damaged.  First wins: the block that ran first, as readers of
 * duplicate GUIDs must choose.
 */
long bcr_tag_read(const struct bcr *r, const uint8_t guid[16], void *out, size_t out_size);

/* The added-pages section holding original address @addr, or NULL. */
const struct bugcheck_record_section *bcr_find_page(const struct bcr *r, uint64_t addr,
						    uint32_t *offset_in_payload);

/*
 * Printers shared by the crash extension and bugcheck-record, so both show
 * the same thing.  All write to @f and return 0 or a BCR_E_* error.
 */
/* Code, parameters, flags, and one line per callback (component, reason,
 * state, owner, bytes); then the dump-I/O status.  With a damaged record,
 * a "DAMAGED: <why>" line first and whatever survived after it. */
int bcr_print_summary(FILE *f, const struct bcr *r);
/* Every section of @component (by name), each as hex + ASCII rows. */
int bcr_print_component(FILE *f, const struct bcr *r, const char *component);
/* Every tagged block: "GUID size" then (unless @no_data) hex + ASCII rows;
 * with @guid only the first block with that tag (multipart parts joined). */
int bcr_print_tags(FILE *f, const struct bcr *r, const uint8_t *guid, int no_data);
/* Added and removed page ranges: original address, physical/virtual,
 * pages, component, flags. */
int bcr_print_pages(FILE *f, const struct bcr *r);
/*
 * The crash-dump devices bugcheck powered on, one row per DEVICE section in
 * power-on order (parents first): name, driver, parent, depth, runtime-PM
 * status before and after, method ("none", "runtime-pm", "hook",
 * "already-on"), result (0 or -ENAME) and usage count; or "no crash-dump
 * devices in this record".  A DEVICE section shorter than struct
 * bugcheck_record_device, or with a string missing its NUL, is shown as
 * MALFORMED (never read past its payload) and makes it return BCR_E_SECTION
 * after the other rows were printed.
 */
int bcr_print_devices(FILE *f, const struct bcr *r);
/* Hex + ASCII rows of @len bytes, addresses starting at @base. */
void bcr_hexdump(FILE *f, const void *data, size_t len, uint64_t base);

#endif /* BCRECORD_H */
