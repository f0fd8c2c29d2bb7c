// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck.c - crash extension showing the bugcheck record held in a vmcore.
 *
 *	crash> extend /path/to/bugcheck.so
 *	crash> bcshow
 *
 * Commands: bc<sub> is bugcheck-record's <sub>, with the same output:
 * bcshow, bctags, bcextract, bcpages, bcdevices, bcblocks, bccheck; and
 * the aliases bugdump (bcshow) and enumtag (bctags), WinDbg's names, and
 * bcdev (bcdevices).
 *
 * The record is found through the module symbol bugcheck_record (a pointer
 * to the vmalloc'ed record area, see docs/record-format.md), copied out of
 * the dump page by page and handed to libbcr, which is the only code that
 * interprets its bytes.  Pages missing from the dump (makedumpfile drops
 * all-zero pages) read as zeros, as the format requires.
 *
 * Nothing is cached: every command reads the record afresh, so the extension
 * holds no state that could go stale and nothing can leak between commands.
 * Buffers (the copy and libbcr's index) come from GETBUF(), which crash
 * releases even when a command is cut short (a broken pipe, an
 * error(FATAL) deep inside crash).
 *
 * Adding a command is one cmd_*() function, one help array and one line in
 * bugcheck_commands[]; bc_record_get() and bc_record_put() do all the
 * reading.
 *
 * Build: userspace/Makefile (crash's target architecture from the compiler,
 * as crash's own build takes it).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "defs.h"
#include "bcr.h"

#define BC_SYMBOL "bugcheck_record"
/* record_size is at most 64 MiB; a larger area_size is damage, not data. */
#define BC_AREA_MAX (64UL << 20)
#define BC_HDR_SIZE sizeof(struct bugcheck_record_header)

/* The record of one command: a copy of the area and its decoding. */
struct bc_record {
	ulong area; /* kernel virtual address of the area */
	uint8_t *buf; /* GETBUF'ed copy of [0, len) of the area */
	void *index; /* GETBUF'ed index for bcr_open_in() */
	size_t len;
	ulong pages; /* pages read */
	ulong unreadable; /* of which zero-filled */
	uint32_t area_size; /* as the header says, before clamping */
	struct bcr r;
	int error; /* bcr_open() result */
};

/*
 * Copy [0, rec->len) of the area, one page at a time so that one missing
 * page costs that page only.  readmem() fails quietly on a page that is not
 * in the dump (unless "set zero_excluded on", when it reads it as zeros).
 */
static void bc_read_area(struct bc_record *rec)
{
	size_t off = 0;

	while (off < rec->len) {
		ulong addr = rec->area + off;
		size_t chunk = PAGESIZE() - (addr & (PAGESIZE() - 1));

		if (chunk > rec->len - off)
			chunk = rec->len - off;
		rec->pages++;
		if (!readmem(addr, KVADDR, rec->buf + off, chunk,
			     "bugcheck record page", RETURN_ON_ERROR | QUIET)) {
			memset(rec->buf + off, 0, chunk);
			rec->unreadable++;
		}
		off += chunk;
	}
}

/*
 * Find, copy and decode the record.  Returns 0 with @rec filled in (the
 * record may still be damaged: rec->error) or -1 after saying why there is
 * nothing to decode.  Pair with bc_record_put().
 */
static int bc_record_get(struct bc_record *rec)
{
	struct bugcheck_record_header hdr;
	ulong sym, area = 0;
	size_t area_size, index_size;
	physaddr_t paddr;

	BZERO(rec, sizeof(*rec));
	if (!symbol_exists(BC_SYMBOL)) {
		error(INFO,
		      "bugcheck.ko is not loaded in this dump (no %s symbol)\n",
		      BC_SYMBOL);
		return -1;
	}
	sym = symbol_value(BC_SYMBOL);
	if (!readmem(sym, KVADDR, &area, sizeof(area), BC_SYMBOL " pointer",
		     RETURN_ON_ERROR | QUIET)) {
		error(INFO, "cannot read the %s pointer at %lx\n", BC_SYMBOL,
		      sym);
		return -1;
	}
	if (!area) {
		error(INFO,
		      "record area not allocated (%s is NULL: the module was loading or unloading)\n",
		      BC_SYMBOL);
		return -1;
	}
	if (!readmem(area, KVADDR, &hdr, sizeof(hdr), "bugcheck record header",
		     RETURN_ON_ERROR | QUIET)) {
		if (kvtop(NULL, area, &paddr, 0))
			/* makedumpfile drops all-zero pages (-d 1). */
			error(INFO,
			      "record header at %lx is not in the dump: no bugcheck ran before the dump was taken (\"set zero_excluded on\" reads it as zeros)\n",
			      area);
		else
			error(INFO,
			      "record header at %lx is unreadable: the address is not mapped in the dump\n",
			      area);
		return -1;
	}

	rec->area = area;
	rec->area_size = hdr.area_size;
	area_size = hdr.area_size;
	if (area_size > BC_AREA_MAX)
		area_size = BC_AREA_MAX;
	if (area_size < BC_HDR_SIZE)
		area_size = BC_HDR_SIZE;
	rec->len = bcr_record_extent(&hdr, area_size);
	rec->buf = (uint8_t *)GETBUF(rec->len);
	bc_read_area(rec);
	index_size = bcr_index_size(rec->buf, rec->len);
	if (index_size)
		rec->index = GETBUF(index_size);
	rec->error = bcr_open_in(&rec->r, rec->buf, rec->len, rec->index,
				 index_size);
	return 0;
}

static void bc_record_put(struct bc_record *rec)
{
	if (rec->index)
		FREEBUF(rec->index);
	if (rec->buf)
		FREEBUF(rec->buf);
	rec->index = NULL;
	rec->buf = NULL;
}

/* The caveats a reader must see next to the data they qualify. */
static void bc_note_reading(const struct bc_record *rec)
{
	if (rec->area_size > BC_AREA_MAX)
		fprintf(fp,
			"NOTE: header says area_size %u, read at most %lu\n",
			rec->area_size, BC_AREA_MAX);
	if (rec->unreadable)
		fprintf(fp,
			"NOTE: %lu pages unreadable, read as zeros (of %lu)\n",
			rec->unreadable, rec->pages);
}

/* The record's damage, for commands whose printer does not report it. */
static void bc_note_damage(const struct bc_record *rec)
{
	if (rec->error)
		fprintf(fp, "DAMAGED: %s (using what survived)\n",
			rec->r.why[0] ? rec->r.why : bcr_strerror(rec->error));
}

static void cmd_bugdump(void)
{
	struct bc_record rec;
	char *component = NULL;
	int c, ret;

	while ((c = getopt(argcnt, args, "")) != EOF) {
		switch (c) {
		default:
			cmd_usage(pc->curcmd, SYNOPSIS);
		}
	}
	if (args[optind])
		component = args[optind++];
	if (args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (bc_record_get(&rec))
		return;
	if (!component)
		fprintf(fp, "record area %lx, %zu bytes read\n", rec.area,
			rec.len);
	bc_note_reading(&rec);
	if (!component) {
		bcr_print_summary(fp, &rec.r);
	} else {
		ret = bcr_print_component(fp, &rec.r, component);
		if (ret == BCR_E_NOTFOUND)
			error(INFO, "no component \"%s\" in the record%s\n",
			      component,
			      rec.error ? " (or in what survived of it)" : "");
		else if (ret)
			error(INFO, "%s: %s\n", component, bcr_strerror(ret));
	}
	bc_record_put(&rec);
}

/*
 * @n bytes at @data to @path; says what went wrong.  stdio does not promise
 * errno on every failure, so errno is cleared first and 0 means "unknown".
 */
static int bc_write_file(const char *path, const void *data, size_t n)
{
	int err = 0, regular;
	struct stat st;
	FILE *out;

	errno = 0;
	out = fopen(path, "wb");
	if (!out) {
		err = errno;
		goto fail;
	}
	regular = !fstat(fileno(out), &st) && S_ISREG(st.st_mode);
	if (n && fwrite(data, 1, n, out) != n)
		err = errno ? errno : -1;
	errno = 0;
	if (fclose(out) && !err)
		err = errno ? errno : -1;
	if (!err)
		return 0;
	/* Never leave a regular file that holds only part of the bytes. */
	if (regular)
		unlink(path);
fail:
	error(INFO, "%s: %s\n", path, err > 0 ? strerror(err) : "write failed");
	return -1;
}

/* Write the blob tagged @guid to @path: enumtag -f. */
static void bc_tag_to_file(struct bc_record *rec, const uint8_t guid[16],
			   const char *gtext, const char *path)
{
	uint8_t *data;
	long n;

	/* A blob is made of record bytes, so it is never longer than them. */
	data = (uint8_t *)GETBUF(rec->len);
	n = bcr_tag_read(&rec->r, guid, data, rec->len);
	if (n == BCR_E_NOTFOUND) {
		error(INFO, "no block tagged %s in the record%s\n", gtext,
		      rec->error ? " (or in what survived of it)" : "");
		goto free_data;
	}
	if (n < 0) {
		error(INFO, "%s: %s\n", gtext, bcr_strerror(n));
		goto free_data;
	}
	if ((size_t)n > rec->len) /* cannot happen: see above */
		n = rec->len;

	if (!bc_write_file(path, data, n))
		fprintf(fp, "%ld bytes written to %s\n", n, path);
free_data:
	FREEBUF(data);
}

static void cmd_enumtag(void)
{
	struct bc_record rec;
	uint8_t guid[16];
	char *gtext = NULL, *path = NULL;
	int c, no_data = 0, ret;

	while ((c = getopt(argcnt, args, "g:xo:f:")) != EOF) {
		switch (c) {
		case 'g':
			gtext = optarg;
			break;
		case 'x':
			no_data = 1;
			break;
		case 'o':
		case 'f': /* enumtag's letter */
			path = optarg;
			break;
		default:
			cmd_usage(pc->curcmd, SYNOPSIS);
		}
	}
	if (args[optind] || (path && (no_data || !gtext)))
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (gtext && bcr_guid_parse(gtext, guid)) {
		error(INFO,
		      "invalid GUID \"%s\" (expected 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50)\n",
		      gtext);
		return;
	}

	if (bc_record_get(&rec))
		return;
	bc_note_reading(&rec);
	if (path) {
		bc_note_damage(&rec);
		bc_tag_to_file(&rec, guid, gtext, path);
	} else {
		/* The printer says "no block tagged" and DAMAGED: itself. */
		ret = bcr_print_tags(fp, &rec.r, gtext ? guid : NULL, no_data);
		if (ret && ret != BCR_E_NOTFOUND && ret != rec.error)
			error(INFO, "%s\n", bcr_strerror(ret));
	}
	bc_record_put(&rec);
}

/*
 * An address as crash takes one: hexadecimal, a symbol, or symbol+offset
 * (hexadecimal).  Returns 0, or -1 after saying why not.
 */
static int bc_parse_addr(char *text, uint64_t *addr)
{
	char *plus, name[BUFSIZE];
	struct syment *sp;
	ulonglong off = 0;
	int err = 0;

	if (hexadecimal(text, 0)) {
		*addr = htoll(text, RETURN_ON_ERROR | QUIET, &err);
		if (!err)
			return 0;
	}
	plus = strchr(text, '+');
	if ((size_t)(plus ? plus - text : strlen(text)) >= sizeof(name))
		goto bad;
	snprintf(name, sizeof(name), "%.*s",
		 (int)(plus ? plus - text : (long)strlen(text)), text);
	sp = symbol_search(name);
	if (!sp)
		goto bad;
	if (plus) {
		if (!hexadecimal(plus + 1, 0))
			goto bad;
		off = htoll(plus + 1, RETURN_ON_ERROR | QUIET, &err);
		if (err)
			goto bad;
	}
	*addr = sp->value + off;
	return 0;
bad:
	error(INFO,
	      "invalid address \"%s\" (hexadecimal, symbol or symbol+offset)\n",
	      text);
	return -1;
}

static void cmd_bcpages(void)
{
	struct bc_record rec;
	char *atext = NULL;
	uint64_t addr = 0;
	int c, ret;

	while ((c = getopt(argcnt, args, "a:")) != EOF) {
		switch (c) {
		case 'a':
			atext = optarg;
			break;
		default:
			cmd_usage(pc->curcmd, SYNOPSIS);
		}
	}
	if (args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (atext && bc_parse_addr(atext, &addr))
		return;

	if (bc_record_get(&rec))
		return;
	bc_note_reading(&rec);
	if (atext) {
		bcr_print_damage(fp, &rec.r);
		ret = bcr_print_page(fp, &rec.r, addr);
		if (ret == BCR_E_NOTFOUND)
			error(INFO,
			      "%llx is not in any page range added to the record%s\n",
			      (unsigned long long)addr,
			      rec.error ? " (or to what survived of it)" : "");
		else if (ret == BCR_E_SECTION)
			error(INFO,
			      "the section holding %llx is inconsistent\n",
			      (unsigned long long)addr);
	} else {
		bcr_print_pages(fp, &rec.r);
	}
	bc_record_put(&rec);
}

static void cmd_bcdev(void)
{
	struct bc_record rec;
	int c, ret;

	while ((c = getopt(argcnt, args, "")) != EOF) {
		switch (c) {
		default:
			cmd_usage(pc->curcmd, SYNOPSIS);
		}
	}
	if (args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (bc_record_get(&rec))
		return;
	bc_note_reading(&rec);
	/* The printer shows DAMAGED: and MALFORMED rows itself. */
	ret = bcr_print_devices(fp, &rec.r);
	if (ret == BCR_E_IO)
		error(INFO, "%s\n", bcr_strerror(ret));
	bc_record_put(&rec);
}

/* bcblocks -a ADDR -f FILE: one block's contents, byte for byte. */
static void bc_user_block_to_file(struct bc_record *rec, int32_t pid,
				  uint64_t addr, const char *path)
{
	struct bcr_user_block ub;
	char flags[160];
	long n;
	int ret;

	ret = bcr_find_user_block(&rec->r, pid, addr, &ub);
	if (ret == BCR_E_NOTFOUND) {
		error(INFO, "no user block of pid %d at %llx in the record%s\n",
		      pid, (unsigned long long)addr,
		      rec->error ? " (or in what survived of it)" : "");
		return;
	}
	if (ret) {
		/* Never a file of bytes that are not the block's. */
		error(INFO, "user block of pid %d at %llx: %s%s\n", pid,
		      (unsigned long long)addr,
		      ub.malformed[0] ? "MALFORMED: " : "",
		      ub.malformed[0] ? ub.malformed :
					"payload damaged (CRC mismatch)");
		return;
	}

	n = ub.copied;
	if (bc_write_file(path, ub.contents, ub.copied))
		return;
	fprintf(fp, "%ld bytes written to %s", n, path);
	if (ub.copied < ub.size)
		fprintf(fp, " (%u of %llu bytes registered: %s)", ub.copied,
			(unsigned long long)ub.size,
			bcr_user_block_flags_str(&ub, flags, sizeof(flags)));
	fputc('\n', fp);
}

static void cmd_bcblocks(void)
{
	struct bc_record rec;
	uint64_t addr = 0;
	char *end, *ptext = NULL, *atext = NULL, *path = NULL;
	int c, hexdump = 0, ret;
	long pid = 0;

	while ((c = getopt(argcnt, args, "p:xa:o:f:")) != EOF) {
		switch (c) {
		case 'p':
			ptext = optarg;
			break;
		case 'x':
			hexdump = 1;
			break;
		case 'a':
			atext = optarg;
			break;
		case 'o':
		case 'f': /* the letter bcblocks had first */
			path = optarg;
			break;
		default:
			cmd_usage(pc->curcmd, SYNOPSIS);
		}
	}
	/* -a and -o go together, name one block (so need -p), and dump nothing. */
	if (args[optind] || !atext != !path || (path && (!ptext || hexdump)))
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (ptext) {
		errno = 0;
		pid = strtol(ptext, &end, 10);
		if (errno || end == ptext || *end || pid < 0 ||
		    pid > INT32_MAX) {
			error(INFO, "invalid pid \"%s\"\n", ptext);
			return;
		}
	}
	if (atext && bc_parse_addr(atext, &addr))
		return;

	if (bc_record_get(&rec))
		return;
	bc_note_reading(&rec);
	if (path) {
		bc_note_damage(&rec);
		bc_user_block_to_file(&rec, (int32_t)pid, addr, path);
	} else {
		int32_t want = (int32_t)pid;

		/* The printer shows DAMAGED:, MALFORMED rows and "no user blocks". */
		ret = bcr_print_user_blocks(fp, &rec.r, ptext ? &want : NULL,
					    hexdump);
		if (ret == BCR_E_IO)
			error(INFO, "%s\n", bcr_strerror(ret));
	}
	bc_record_put(&rec);
}

/* bcextract GUID FILE: bugcheck-record extract, enumtag -g GUID -f FILE. */
static void cmd_bcextract(void)
{
	struct bc_record rec;
	uint8_t guid[16];
	int c;

	while ((c = getopt(argcnt, args, "")) != EOF)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (!args[optind] || !args[optind + 1] || args[optind + 2])
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (bcr_guid_parse(args[optind], guid)) {
		error(INFO,
		      "invalid GUID \"%s\" (expected 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50)\n",
		      args[optind]);
		return;
	}
	if (bc_record_get(&rec))
		return;
	bc_note_reading(&rec);
	bc_note_damage(&rec);
	bc_tag_to_file(&rec, guid, args[optind], args[optind + 1]);
	bc_record_put(&rec);
}

/* bccheck: bugcheck-record check. */
static void cmd_bccheck(void)
{
	struct bc_record rec;
	int c;

	while ((c = getopt(argcnt, args, "")) != EOF)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (bc_record_get(&rec))
		return;
	bc_note_reading(&rec);
	if (rec.error)
		fprintf(fp, "damaged: %s\n",
			rec.r.why[0] ? rec.r.why : bcr_strerror(rec.error));
	else
		fprintf(fp, "valid\n");
	bc_record_put(&rec);
}

static char *help_bcshow[] = {
	"bcshow",
	"show the bugcheck record of the dump (alias: bugdump)",
	"[component]",
	"  Reads the record bugcheck.ko wrote at the panic (found through the",
	"  module symbol bugcheck_record) and shows it.",
	"",
	"  Without an argument: the bugcheck code and its parameters, the record",
	"  flags, one line per callback (component, reason, state, owner, bytes),",
	"  under a callback that faulted or panicked a \"fault:\" line saying how",
	"  (trap, error code, instruction, die() string or panic message), and",
	"  how the dump-I/O callbacks fared.  A malformed FAULT section is shown",
	"  as MALFORMED.",
	"",
	"    component  show every section the named component put in the",
	"               record, as hex and ASCII.",
	"",
	"  A damaged record is reported on a DAMAGED: line, followed by whatever",
	"  part of it still validates.  Pages of the record area that are not in",
	"  the dump read as zeros (the dump tool drops all-zero pages); if any",
	"  does, a NOTE line says how many.",
	"",
	"\nEXAMPLE",
	"  Show the record:\n",
	"    %s> bcshow",
	"    record area ffffd36ac0520000, 32320 bytes read",
	"    BUGCHECK_CODE: PANIC (0x1)   PARAMETERS: ffffffff876ee8a0 ...",
	"    MESSAGE: \"sysrq triggered crash\"   CPU: 0   TIME: ...",
	"    RECORD: 32304 of 1048576 bytes, 11 sections, flags COMPLETE, ...",
	"    ...",
	"",
	"  Show what one component saved:\n",
	"    %s> bcshow sample-secondary",
	"",
	"  bugcheck-record show FILE [COMPONENT] prints the same from a saved",
	"  record or straight from the vmcore.",
	NULL
};

static char *help_bctags[] = {
	"bctags",
	"list or extract the tagged blocks of the bugcheck record (alias: enumtag)",
	"[-g GUID] [-x | -o FILE]",
	"  Shows the tagged (secondary and multipart) blocks of the bugcheck",
	"  record: each block's GUID and size, then its bytes as hex and ASCII.",
	"  A multipart blob is shown as one block, its parts joined in order.",
	"",
	"    -g GUID  only the block tagged GUID; if several blocks carry it,",
	"             the first one in the record (the one that ran first).",
	"    -x       GUID and size only, no data.",
	"    -o FILE  with -g: write the raw bytes of that block to FILE (as",
	"             bcextract does; -f is the same).",
	"",
	"  A block with a part whose bytes fail their CRC is marked",
	"  PAYLOAD DAMAGED; -o refuses to write it.",
	"",
	"\nEXAMPLE",
	"  List the tags:\n",
	"    %s> bctags -x",
	"",
	"  Save a multipart blob:\n",
	"    %s> bctags -g 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52 -o /tmp/mp.bin",
	"    3018 bytes written to /tmp/mp.bin",
	NULL
};

static char *help_bcpages[] = {
	"bcpages",
	"list or show the page ranges of the bugcheck record",
	"[-a address]",
	"  Without an argument: the page ranges callbacks added to the record",
	"  (copied pages) and removed from the dump (scrubbed pages), with their",
	"  original address, whether it is physical or virtual, the number of",
	"  pages, the component and flags.",
	"",
	"    -a address  show, as hex and ASCII, the copied page holding this",
	"                address (hexadecimal, symbol or symbol+offset), given",
	"                as the callback named the range: virtual or physical.",
	"                Rows are labelled with the page's original addresses,",
	"                so a page the dump tool dropped can still be read as",
	"                with rd.",
	"",
	"  A range whose section fails its CRC is marked PAYLOAD DAMAGED.",
	"",
	"\nEXAMPLE",
	"  List the ranges, then show one copied page:\n",
	"    %s> bcpages",
	"    ORIGINAL ADDRESS  KIND  PAGES  COMPONENT                 FLAGS",
	"    ffffd36ac046a000  virt      4  sample-pages              -",
	"    000000003ef40000  phys      2  sample-pages              -",
	"    %s> bcpages -a ffffd36ac046b010",
	"    sample-pages: page 1 of virtual range ffffd36ac046a000-ffffd36ac046dfff (4 pages, section 8, flags -)",
	"    ffffd36ac046b000:  52 49 4e 47 50 47 31 0a  29 2c 2f 32 35 38 3b 3e  RINGPG1.),/258;>",
	"    ...",
	NULL
};

static char *help_bcdevices[] = {
	"bcdevices",
	"show the crash-dump devices bugcheck powered on (alias: bcdev)",
	" ",
	"  Shows, from the bugcheck record, the devices drivers registered as",
	"  crash-dump devices and what bugcheck did to power each one on before",
	"  any callback ran, parents first: the device, its driver and parent,",
	"  its depth in the device tree, its runtime-PM status before and after,",
	"  the method and its result, and the runtime-PM usage count after.",
	"",
	"  Methods: runtime-pm (a synchronous resume of an irq-safe device),",
	"  hook (the driver's power_on), already-on (it was active), none (not",
	"  attempted: see the result, -EAGAIN for a simulated bugcheck).",
	"",
	"  A device entry too short or with an unterminated string is shown as",
	"  MALFORMED; a damaged record on a DAMAGED: line first.",
	"",
	"\nEXAMPLE",
	"  Show the devices:\n",
	"    %s> bcdevices",
	"    DEVICE                   DRIVER                 PARENT     DEPTH  BEFORE     AFTER      METHOD      RESULT       USAGE",
	"    bugcheck-sample-pmdev.0  bugcheck-sample-pmdev  platform       1  suspended  active     runtime-pm  0                1",
	"    bugcheck-sample-pmdev.1  bugcheck-sample-pmdev  platform       1  suspended  suspended  hook        0                0",
	NULL
};

static char *help_bcblocks[] = {
	"bcblocks",
	"list or extract the memory blocks user processes saved",
	"[-p pid] [-x] [-a address -o file]",
	"  Shows the blocks of their own memory that user processes registered",
	"  through /dev/bugcheck and that the bugcheck copied into the record:",
	"  one row per block with the process's pid and name (at registration),",
	"  the block's address in that process, its size, the bytes copied and",
	"  the flags:",
	"",
	"    unmapped    the process unmapped the memory after registering",
	"                it: nothing was copied.",
	"    no-space    the record ran out of room: only the first COPIED",
	"                bytes are in it.",
	"    read-error  copying the block failed part way: only the first",
	"                COPIED bytes are in the record.",
	"",
	"    -p pid      only the blocks of this process.",
	"    -x          each block's contents too, as hex and ASCII, rows",
	"                labelled with the block's addresses in the process.",
	"    -a address  with -p and -o: the block registered at this",
	"                (hexadecimal) address, as listed.",
	"    -o file     write that block's contents, byte for byte, to file",
	"                (-f is the same).",
	"",
	"  A block entry that does not hold together is shown as MALFORMED (its",
	"  contents never), a damaged record on a DAMAGED: line first.  Blocks",
	"  that did not fit at all leave no entry: a last line then gives the",
	"  record's dropped counts (bugdump's DROPPED line).",
	"",
	"\nEXAMPLE",
	"  List the blocks, then save one:\n",
	"    %s> bcblocks",
	"        PID  COMM              ADDRESS                 SIZE      COPIED  FLAGS",
	"       1187  bcblock-sample    00007f3a5c021000        4096        4096  -",
	"       1187  bcblock-sample    00007f3a5c030000      262144        7544  no-space",
	"       1190  bcblock-sample    00007f1e2a400000        8192           0  unmapped",
	"    (the record ran out of room: 2 sections, 520312 bytes dropped in all; blocks not listed did not fit)",
	"    %s> bcblocks -p 1187 -a 7f3a5c021000 -o /tmp/block.bin",
	"    4096 bytes written to /tmp/block.bin",
	NULL
};

static char *help_bcextract[] = {
	"bcextract",
	"write the raw bytes of a tagged block of the bugcheck record",
	"GUID file",
	"  Writes the bytes of the first block tagged GUID (multipart parts",
	"  joined in order) to file, as bctags -g GUID -o file does.  A block",
	"  with a damaged part is refused.",
	"",
	"\nEXAMPLE",
	"    %s> bcextract 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52 /tmp/mp.bin",
	"    3018 bytes written to /tmp/mp.bin",
	NULL
};

static char *help_bccheck[] = {
	"bccheck",
	"validate the bugcheck record",
	" ",
	"  Prints \"valid\" when the record passes every check of",
	"  docs/record-format.md, or \"damaged: \" and why.",
	"",
	"\nEXAMPLE",
	"    %s> bccheck",
	"    valid",
	NULL
};

/* The WinDbg names and the first name of bcdevices, kept as aliases. */
static char *help_bugdump[] = {
	"bugdump", "alias of bcshow", "[component]",
	"  The same command as bcshow (WinDbg's name); see \"help bcshow\".",
	NULL
};

static char *help_enumtag[] = {
	"enumtag", "alias of bctags", "[-g GUID] [-x | -o FILE]",
	"  The same command as bctags (WinDbg's name); see \"help bctags\".",
	NULL
};

static char *help_bcdev[] = {
	"bcdev", "alias of bcdevices", " ",
	"  The same command as bcdevices; see \"help bcdevices\".", NULL
};

/* One line per command: bc<sub> is bugcheck-record <sub>. */
static struct command_table_entry bugcheck_commands[] = {
	{ "bcshow", cmd_bugdump, help_bcshow, 0 },
	{ "bctags", cmd_enumtag, help_bctags, 0 },
	{ "bcextract", cmd_bcextract, help_bcextract, 0 },
	{ "bcpages", cmd_bcpages, help_bcpages, 0 },
	{ "bcdevices", cmd_bcdev, help_bcdevices, 0 },
	{ "bcblocks", cmd_bcblocks, help_bcblocks, 0 },
	{ "bccheck", cmd_bccheck, help_bccheck, 0 },
	{ "bugdump", cmd_bugdump, help_bugdump, 0 },
	{ "enumtag", cmd_enumtag, help_enumtag, 0 },
	{ "bcdev", cmd_bcdev, help_bcdev, 0 },
	{ NULL },
};

static void __attribute__((constructor)) bugcheck_init(void)
{
	register_extension(bugcheck_commands);
}
