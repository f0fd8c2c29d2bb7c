/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcr.h - libbcr, the one reader of the bugcheck record format, shared by
 * the crash extension (bugcheck.so), bugcheck-record and bugcheck-save.
 *
 * The record layout is module/include/uapi/bugcheck_record.h, described in
 * docs/record-format.md.  The library validates everything it walks: a
 * record is only ever read inside the buffer the caller handed over, every
 * offset and count is checked before use, and a damaged record yields an
 * error code and a message instead of a crash.
 *
 * Units: crc.c (the CRC-32, PCLMULQDQ folding where the CPU has it),
 * decode.c (bcr_open() and the walks, no I/O), names.c (names and text
 * forms), print.c (the printers, on stdio), dump.c (pulling the record out
 * of a vmcore through its locator).
 *
 * bcr_open() validates the record and indexes its sections in one pass over
 * the bytes (every payload CRC is computed once), so every walk below costs
 * what it shows: linear in the record's size, whatever the number of
 * sections or multipart parts.
 *
 * Errors are negative BCR_E_* values; bcr_strerror() names them and
 * bcr->why says exactly what was wrong.
 */
#ifndef BCR_H
#define BCR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uapi/bugcheck_record.h"

enum bcr_error {
	BCR_OK = 0,
	BCR_E_SHORT = -1, /* buffer shorter than the header or than 'used' */
	BCR_E_MAGIC = -2, /* not a bugcheck record */
	BCR_E_VERSION = -3, /* unknown version */
	BCR_E_INCOMPLETE =
		-4, /* COMPLETE flag not set: the bugcheck died building it */
	BCR_E_CRC = -5, /* header CRC mismatch */
	BCR_E_LAYOUT =
		-6, /* sizes/offsets/counts inconsistent or out of bounds */
	BCR_E_SECTION =
		-7, /* a section is malformed or its payload CRC is wrong */
	BCR_E_NOTFOUND = -8, /* no such component / GUID / address */
	BCR_E_IO = -9, /* reading or writing a file failed (errno kept) */
	BCR_E_ARG = -10, /* bad argument (e.g. malformed GUID string) */
	BCR_E_NOMEM = -11, /* no memory for the index or a copy */
	BCR_E_NOTRECORD = -12, /* the input is something else (a vmcore, ...) */
};

struct bcr_entry;
struct bcr_tag;

/* A decoded record: pointers into the caller's buffer, which must outlive it. */
struct bcr {
	const uint8_t *buf;
	size_t len;
	const struct bugcheck_record_header *hdr;
	/* nr_callbacks entries, stride callback_size */
	const struct bugcheck_record_callback *callbacks;
	uint32_t nr_callbacks;
	uint32_t callback_size;
	uint32_t nr_sections; /* sections whose size chain holds, in order */
	uint32_t nr_damaged; /* of those, sections with a bad payload CRC */
	/* NULL when absent or outside buf */
	const struct bugcheck_record_io_status *io;
	uint32_t nr_io;
	int error; /* first error found (0 if none) */
	int damaged_section; /* index of the first bad section, or -1 */
	char why[160]; /* human-readable reason for 'error' */
	/* private: the index bcr_open() built */
	int crc_checked; /* the header CRC was computed: crc_computed */
	uint32_t crc_computed;
	struct bcr_entry *entries; /* nr_sections */
	struct bcr_tag *tags; /* tagged sections' keys, sorted by tag */
	uint32_t nr_tags;
	void *owned; /* bcr_open()'s allocation, for bcr_close() */
};

/*
 * One section, as iterated.  Zero it (BCR_SECTION_INIT) to start from
 * section 0; setting @index to UINT32_MAX restarts it.  The iterator reads
 * only through the index bcr_open() built, never at an offset it was
 * handed, so no value of it can make a walk read outside the buffer.
 */
struct bcr_section {
	uint32_t index; /* 0-based position in the record */
	uint32_t offset; /* byte offset of the section header */
	const struct bugcheck_record_section *sec;
	const uint8_t *payload; /* sec->length bytes */
	int damaged; /* payload CRC mismatch: bytes not trustworthy */
	uint32_t next; /* private: the position bcr_next_section() returns */
};

#define BCR_SECTION_INIT \
	{                \
		0        \
	}

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
 *
 * bcr_open() allocates the index (bcr_index_size() bytes, with malloc) and
 * returns BCR_E_NOMEM if it cannot; free it with bcr_close().
 * bcr_open_in() uses the caller's @index of @index_size bytes (4-byte
 * aligned, at least bcr_index_size(buf, len)) and allocates nothing, for
 * callers with their own allocator (crash's GETBUF) or none.  bcr_close()
 * is then a no-op, and @index must outlive @r.
 */
int bcr_open(struct bcr *r, const void *buf, size_t len);
int bcr_open_in(struct bcr *r, const void *buf, size_t len, void *index,
		size_t index_size);
size_t bcr_index_size(const void *buf, size_t len);
void bcr_close(struct bcr *r);
const char *bcr_strerror(int error);

/* Callback table entry @i (0 <= i < r->nr_callbacks). */
const struct bugcheck_record_callback *bcr_callback(const struct bcr *r,
						    uint32_t i);
/*
 * Iterate the sections whose size chain holds, in record order (see struct
 * bcr_section for the start); returns 1 while there is one, and stays at
 * the end.  Constant time per step.
 */
int bcr_next_section(const struct bcr *r, struct bcr_section *it);
/* Section @index into @it: 1, or 0 when there is no such section. */
int bcr_section_at(const struct bcr *r, uint32_t index, struct bcr_section *it);

/*
 * How many bytes of @r's area a copy must keep to hold the whole record:
 * the stream and the dump-I/O status table after it, or the whole area
 * (at most @area_len) for a record the bugcheck never finished.  Never
 * less than the header, never more than @area_len.
 */
size_t bcr_record_extent(const struct bugcheck_record_header *hdr,
			 size_t area_len);

/*
 * Names for display, one for every value of the uapi header (test_print.c
 * checks that against the header itself): reasons "secondary", ...,
 * "devices", "user-blocks"; states "none", "inserted", ..., "skipped";
 * section types "secondary", ..., "user-block", "fault"; codes "PANIC",
 * "OOPS", "DIE", "SIMULATED"; dump types "kdump", "none", "simulated";
 * fault traps "page fault", "general protection", "invalid opcode", ...
 * (the x86 trap numbers) and "panic" (BUGCHECK_FAULT_TRAP_PANIC); device
 * methods "none", "runtime-pm", ..., "busy" and runtime-PM statuses
 * "active", ..., "suspending".  "unknown" (or "UNKNOWN") for a value this
 * reader does not know.
 */
const char *bcr_reason_name(uint32_t reason);
const char *bcr_state_name(uint32_t state);
const char *bcr_section_type_name(uint32_t type);
const char *bcr_code_name(uint32_t code);
const char *bcr_dump_type_name(uint32_t type);
const char *bcr_trap_name(uint32_t trap);
const char *bcr_device_method_name(uint32_t method);
const char *bcr_device_status_name(uint32_t status);
/*
 * Flag words as "CLAMPED|OVERRUN" (or "-" for none) into @buf of @size
 * bytes: bcr_flags_str() for callback and section flags (BUGCHECK_CB_F_*,
 * BUGCHECK_SECTION_F_*), bcr_record_flags_str() for the header's
 * (BUGCHECK_RECORD_F_*).  Bits without a name are shown as "0x...".
 */
const char *bcr_flags_str(uint32_t flags, char *buf, size_t size);
const char *bcr_record_flags_str(uint32_t flags, char *buf, size_t size);

/* GUIDs in guid_t byte order (first three fields little-endian), text as
 * "8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50".
 */
void bcr_guid_str(const uint8_t guid[16], char out[37]);
int bcr_guid_parse(const char *text, uint8_t guid[16]); /* 0 or BCR_E_ARG */

/* CRC-32 as the record uses it: the value of zlib's crc32(0, data, len). */
uint32_t bcr_crc32(const void *data, size_t len);

/*
 * Find the first block tagged @guid (SECONDARY, or every MULTIPART part of
 * the first callback that used it, concatenated in part order) and copy it
 * into @out (at most @out_size bytes).  Returns the blob's full length,
 * BCR_E_NOTFOUND, or BCR_E_SECTION when any part of it is damaged.  First
 * wins: the block that ran first, as readers of duplicate GUIDs must choose.
 */
long bcr_tag_read(const struct bcr *r, const uint8_t guid[16], void *out,
		  size_t out_size);

/*
 * The added-pages section holding original address @addr, into @it, with
 * the offset of @addr in its payload.  Returns 0 or BCR_E_NOTFOUND.
 */
int bcr_find_page(const struct bcr *r, uint64_t addr, struct bcr_section *it,
		  uint32_t *offset_in_payload);

/*
 * Printers shared by the crash extension and bugcheck-record, so both show
 * the same thing.  All write to @f and return 0 or a BCR_E_* error.
 */
/*
 * Code, parameters, flags, and one line per callback (component, reason,
 * state, owner, bytes), each callback that faulted or panicked followed by
 * a line saying how (its FAULT section, bcr_fault()):
 *
 *	     fault: page fault (trap 14, error 0x0) at ffffffffc0a01234 "Oops"
 *	     fault: panic "test-fault: test-fault-2 gives up"
 *
 * FAULT sections that name no callback in the table, or come out of run
 * order, get a line of their own after the table ("FAULT in bugcheck's own
 * code: ...", "FAULT of callback N ...").  Then the dump-I/O status.  With
 * a damaged record, a "DAMAGED: <why>" line first and whatever survived
 * after it.  A malformed FAULT section is shown as "fault: MALFORMED:
 * <why>" and makes it return BCR_E_SECTION after everything was printed.
 */
int bcr_print_summary(FILE *f, const struct bcr *r);
/* Every section of @component (by name), each as hex + ASCII rows; a user
 * block's fields decoded first and its contents labelled with its addresses,
 * a FAULT section's decoded first as the summary shows it (BCR_E_SECTION
 * after printing when one is malformed).
 */
int bcr_print_component(FILE *f, const struct bcr *r, const char *component);
/* Every tagged block: "GUID size" then (unless @no_data) hex + ASCII rows;
 * with @guid only the first block with that tag (multipart parts joined).
 */
int bcr_print_tags(FILE *f, const struct bcr *r, const uint8_t *guid,
		   int no_data);
/* Added and removed page ranges: original address, physical/virtual,
 * pages, component, flags.
 */
int bcr_print_pages(FILE *f, const struct bcr *r);
/*
 * The copied page holding original address @addr: one line naming the
 * component, the range and the section, then the page as hex + ASCII rows
 * labelled with its original addresses.  Returns 0, BCR_E_NOTFOUND (no
 * added range holds @addr; nothing printed) or BCR_E_SECTION (the section's
 * length is no whole number of pages).  No DAMAGED line: the caller says
 * it (bcr_print_damage()); a damaged section is marked on the first line.
 */
int bcr_print_page(FILE *f, const struct bcr *r, uint64_t addr);
/* "DAMAGED: <why>" on its own line when bcr_open() found damage. */
void bcr_print_damage(FILE *f, const struct bcr *r);
/*
 * The crash-dump devices bugcheck powered on, one row per DEVICE section in
 * power-on order (parents first): name, driver, parent, depth, runtime-PM
 * status before and after, method ("none", "runtime-pm", "hook",
 * "already-on", "not-requested", "busy"), result (0 or -ENAME) and usage
 * count; or "no crash-dump devices in this record".  A DEVICE section
 * shorter than struct bugcheck_record_device, or with a string missing its
 * NUL, is shown as MALFORMED (never read past its payload) and makes it
 * return BCR_E_SECTION after the other rows were printed.
 */
int bcr_print_devices(FILE *f, const struct bcr *r);

/* A USER_BLOCK section, decoded and checked by bcr_user_block(). */
struct bcr_user_block {
	uint32_t index; /* the section's position in the record */
	uint32_t part; /* the block's index in the user-blocks entry */
	uint32_t sec_flags; /* the section's BUGCHECK_CB_F_* (NO_SPACE: cut) */
	uint64_t address; /* in the process's address space */
	uint64_t size; /* bytes registered */
	int32_t pid;
	uint32_t uid;
	uint32_t flags; /* BUGCHECK_USER_BLOCK_F_*, unknown bits kept */
	uint32_t copied; /* bytes of contents in the record */
	/* printable (others as '?'), always terminated */
	char comm[17];
	/* @copied bytes in the record; NULL if malformed */
	const uint8_t *contents;
	int damaged; /* payload CRC mismatch: bytes not trustworthy */
	char malformed[80]; /* "" or why the section cannot be trusted */
};

/*
 * Decode the USER_BLOCK section @it into @ub.  Returns 0, BCR_E_SECTION when
 * it is malformed (payload shorter than struct bugcheck_record_user_block,
 * copied not the rest of the payload or more than size, comm without its
 * NUL, section address or count not the block's: @ub->malformed says which,
 * the fields that could be read are filled in, @ub->contents is NULL), or
 * BCR_E_ARG when @it is not a USER_BLOCK section.  Unknown flags are kept,
 * not rejected.  A payload CRC mismatch only sets @ub->damaged.
 */
int bcr_user_block(const struct bcr_section *it, struct bcr_user_block *ub);
/*
 * The first user block of process @pid registered at @address (its start,
 * as listed), in record order, into @ub.  Returns 0, BCR_E_NOTFOUND, or
 * BCR_E_SECTION when that block is malformed or its payload damaged: @ub is
 * then filled in as far as it could be read (@ub->malformed, @ub->damaged),
 * so that a reader says why instead of "not found".
 */
int bcr_find_user_block(const struct bcr *r, int32_t pid, uint64_t address,
			struct bcr_user_block *ub);
/*
 * Write @ub's contents (@ub->copied bytes, byte for byte as the record holds
 * them) to @out.  Returns the number of bytes written, BCR_E_SECTION for a
 * malformed or damaged block (nothing written), or BCR_E_IO.
 */
long bcr_user_block_write(FILE *out, const struct bcr_user_block *ub);
/* A user block's flags as words, "unmapped,no-space" (or "-"), into @buf. */
const char *bcr_user_block_flags_str(const struct bcr_user_block *ub, char *buf,
				     size_t size);
/*
 * The memory blocks user processes registered through /dev/bugcheck, one
 * row per USER_BLOCK section in record order:
 *
 *	    PID  COMM              ADDRESS                 SIZE      COPIED  FLAGS
 *	   4242  bcblock-test      00007f3a5c021000        4096        4096  -
 *
 * only those of process *@pid when @pid is not NULL, each followed by its
 * contents as hex + ASCII rows labelled with the block's addresses when
 * @hexdump is set.  Flags are words: "unmapped" (no contents), "no-space"
 * (cut: the record ran out of room), other section flags in the same style
 * and unknown bits in hex.  Says "no user blocks in this record" when there
 * are none.  A malformed block is shown as MALFORMED with the reason (its
 * contents never; one too short to hold a pid is shown whatever @pid), the
 * walk goes on, and it returns BCR_E_SECTION after the other rows;
 * BCR_E_NOTFOUND when @pid matched no block.  Blocks that did not fit at
 * all leave no section: when the user-blocks entry has NO_SPACE, a last line
 * gives the record's dropped counts.
 */
int bcr_print_user_blocks(FILE *f, const struct bcr *r, const int32_t *pid,
			  int hexdump);
/* A FAULT section, decoded and checked by bcr_fault(). */
struct bcr_fault {
	uint32_t index; /* the section's position in the record */
	/* the abandoned callback's index, UINT32_MAX for bugcheck's own code */
	uint32_t callback;
	uint64_t ip; /* the faulting instruction; 0 for a panic() call */
	uint32_t trap; /* x86 trap number, or BUGCHECK_FAULT_TRAP_PANIC */
	uint32_t error_code;
	/* die() string or panic message as the record holds it (escape it) */
	char what[sizeof(((struct bugcheck_record_fault *)0)->what)];
	int damaged; /* payload CRC mismatch: bytes not trustworthy */
	char malformed[80]; /* "" or why the section cannot be trusted */
};

/*
 * Decode the FAULT section @it into @fault.  Returns 0, BCR_E_SECTION when
 * it is malformed (payload shorter than struct bugcheck_record_fault, what
 * without its NUL, or a section address that is not the fault's ip:
 * @fault->malformed says which, the fields that could be read are filled
 * in), or BCR_E_ARG when @it is not a FAULT section.  Bytes past the
 * structure (a newer writer's) are ignored.  A payload CRC mismatch only
 * sets @fault->damaged.
 */
int bcr_fault(const struct bcr_section *it, struct bcr_fault *fault);

/* Hex + ASCII rows of @len bytes, addresses starting at @base. */
void bcr_hexdump(FILE *f, const void *data, size_t len, uint64_t base);

/*
 * What a file is, from its first bytes (dump.c): a record, a vmcore of one
 * of the formats below, or something else.  bcr_file_kind() needs at most
 * BCR_KIND_PROBE bytes of the file's start (fewer for a shorter file).
 */
enum bcr_file_kind {
	BCR_FILE_EMPTY, /* no bytes at all */
	BCR_FILE_RECORD, /* starts with the record's magic */
	BCR_FILE_ZEROS, /* a record area no bugcheck wrote: all zeros */
	BCR_FILE_ELF_VMCORE, /* ELF core file: /proc/vmcore, makedumpfile -E */
	BCR_FILE_ELF_OTHER, /* ELF, but no 64-bit little-endian core file */
	BCR_FILE_KDUMP, /* kdump-compressed (makedumpfile -c/-l/-p/-z) */
	BCR_FILE_FLATTENED, /* makedumpfile -F output: needs makedumpfile -R */
	BCR_FILE_DISKDUMP, /* the old diskdump format */
	BCR_FILE_UNKNOWN,
};

#define BCR_KIND_PROBE 4096

enum bcr_file_kind bcr_file_kind(const void *head, size_t len);
/* "an ELF vmcore", "a kdump-compressed vmcore", ... */
const char *bcr_file_kind_name(enum bcr_file_kind kind);

struct bcr_dump_segment {
	uint64_t paddr, offset, filesz, memsz;
};

/*
 * A vmcore opened for physical reads: an ELF core file, or a
 * kdump-compressed file (pages compressed with zlib or stored raw; other
 * compressions are refused with a reason).
 */
struct bcr_dump {
	int fd;
	enum bcr_file_kind kind;
	uint32_t page_size;
	/* ELF: the PT_LOAD segments */
	struct bcr_dump_segment *segs;
	uint32_t nr_segs;
	/* kdump-compressed: the dumpable-page bitmap and the page descriptors */
	uint64_t max_mapnr;
	uint8_t *bitmap; /* 2nd bitmap: max_mapnr bits */
	uint64_t *rank; /* set bits before each 4096-bit block */
	uint64_t desc_offset; /* file offset of the first page descriptor */
	uint32_t status; /* the header's DUMP_DH_* flags */
	uint8_t *zbuf; /* one compressed page */
	uint64_t cached_pfn; /* the page in page, or UINT64_MAX */
	uint8_t *page;
	char why[160];
};

/*
 * Open the vmcore on @fd (not closed by bcr_dump_close()).  Returns 0, or
 * BCR_E_NOTRECORD when it is no vmcore this library reads, BCR_E_LAYOUT
 * when its headers are inconsistent, BCR_E_IO or BCR_E_NOMEM; d->why then
 * says why.
 */
int bcr_dump_open(struct bcr_dump *d, int fd);
void bcr_dump_close(struct bcr_dump *d);
/*
 * Read @len bytes of the crashed machine's physical memory at @paddr, all
 * in one page.  Returns 0, BCR_E_NOTFOUND when the page is not in the dump
 * (a memory hole, or excluded by makedumpfile: @buf is then zeros), or
 * BCR_E_IO / BCR_E_SECTION (a page that does not decompress).
 */
int bcr_dump_read(struct bcr_dump *d, uint64_t paddr, void *buf, size_t len);

/* Where bcr_dump_find_record() found the record. */
struct bcr_found {
	uint64_t locator; /* physical address of the locator used */
	int scanned; /* found by scanning page starts */
	uint32_t nr_locators; /* valid locators tried */
	uint32_t nr_pages; /* pages of the area */
	uint32_t missing; /* of which not in the dump (read as zeros) */
	uint32_t page_size;
};

/*
 * Find the record through its locator and copy the record area out of @d
 * into *@area (malloc'ed, *@len bytes: the whole area; free() it).  The
 * locator at *@hint is tried first when @hint is not NULL; then, or if it
 * is not a valid locator or its area holds no valid record, every valid
 * locator found by scanning page starts, in address order.  The first
 * whose area holds a valid record wins; when none does, the first area
 * that holds a damaged record.  Returns 0 with the area copied (decode it
 * with bcr_open()), BCR_E_NOTFOUND (no valid locator, or no record behind
 * any: d->why says which), BCR_E_IO or BCR_E_NOMEM.
 */
int bcr_dump_find_record(struct bcr_dump *d, const uint64_t *hint,
			 uint8_t **area, size_t *len, struct bcr_found *found);

#endif /* BCR_H */
