// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck-record: show, list and extract what a bugcheck record holds.
 *
 * The input is a record file (what bugcheck-save carved out of a vmcore,
 * `cat /sys/kernel/debug/bugcheck/record`, or `rd -r` of the record area in
 * crash) or a vmcore itself, ELF or kdump-compressed, whose record is found
 * through its locator: no debuginfo and no crash needed.  Decoding and
 * printing are libbcr's, shared with the crash extension, so each command
 * prints what its crash twin prints (show = bcshow, tags = bctags, ...).
 *
 * Output: what the record says goes to standard output, a DAMAGED: line
 * first when it is damaged; what the tool itself has to say (usage, I/O,
 * not found, not a record) goes to standard error.  A command whose
 * standard output carries raw bytes (extract, blocks -o -) reports damage
 * on standard error.
 *
 * Exit status: 0 ok; 1 damaged record (after printing what survived);
 * 2 usage error; 3 I/O error; 4 component, GUID, page or user block not
 * found; 5 the input holds no record (not a record file, or a vmcore
 * without one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bcr.h"

#ifndef BUGCHECK_VERSION
#error "BUGCHECK_VERSION comes from the top-level VERSION file (userspace/Makefile)"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define EXIT_DAMAGED 1
#define EXIT_USAGE 2
#define EXIT_IO 3
#define EXIT_NOTFOUND 4
#define EXIT_NORECORD 5

/* An area is at most 64 MiB; twice that leaves room for odd captures. */
#define FILE_MAX (128UL << 20)

static const char usage_text[] =
	"Usage: bugcheck-record COMMAND FILE [ARGS]\n"
	"\n"
	"Decode the bugcheck record in FILE (\"-\" reads standard input): a\n"
	"record file (bugcheck-save's), or a vmcore (ELF, or kdump-compressed\n"
	"with zlib) whose record is found through its locator.\n"
	"\n"
	"Commands (the crash extension's twin in brackets):\n"
	"  show FILE [COMPONENT]     [bcshow, bugdump] the record's summary:\n"
	"                            bugcheck code and parameters, flags, one\n"
	"                            line per callback (and how it faulted,\n"
	"                            if it did), dump-I/O status; with\n"
	"                            COMPONENT, every section it saved, as hex\n"
	"                            and ASCII\n"
	"  tags FILE [-g GUID] [-x | -o OUT]\n"
	"                            [bctags, enumtag] the tagged blocks\n"
	"                            (multipart parts joined): GUID, size and\n"
	"                            data; -g only the first block tagged GUID,\n"
	"                            -x without the data, -o OUT (with -g) its\n"
	"                            raw bytes to OUT, as extract does\n"
	"  extract FILE GUID OUT     [bcextract] write the raw bytes of the\n"
	"                            first block tagged GUID to OUT (\"-\":\n"
	"                            standard output)\n"
	"  pages FILE [-a ADDR]      [bcpages] the page ranges added to and\n"
	"                            removed from the dump; -a the copied page\n"
	"                            holding ADDR (hex), as hex and ASCII\n"
	"  devices FILE              [bcdevices, bcdev] the crash-dump devices\n"
	"                            powered on at the bugcheck: status before\n"
	"                            and after, method, result\n"
	"  blocks FILE [-p PID] [-x] [-a ADDR -o OUT]\n"
	"                            [bcblocks] the memory blocks user processes\n"
	"                            registered: pid, name, address, size,\n"
	"                            bytes copied, flags; -p only those of PID,\n"
	"                            -x with their contents; -p PID -a ADDR\n"
	"                            -o OUT writes the contents of PID's block\n"
	"                            at ADDR (hex) to OUT (\"-\": standard\n"
	"                            output)\n"
	"  check FILE                [bccheck] validate only: prints \"valid\"\n"
	"                            or \"damaged: <why>\"\n"
	"\n"
	"Options:\n"
	"  -h, --help                show this help and exit (also after a\n"
	"                            command: bugcheck-record show -h)\n"
	"  -V, --version             show the version and exit\n"
	"\n"
	"What the record says goes to standard output; a damaged record is\n"
	"reported there first (DAMAGED: <why>) and what survived of it is still\n"
	"shown, each damaged section marked PAYLOAD DAMAGED.  The tool's own\n"
	"errors go to standard error, and so does DAMAGED when standard output\n"
	"carries raw bytes.  The format is docs/record-format.md.\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  the record is damaged or incomplete, or a device, user block or\n"
	"     fault entry is malformed (what survived was printed)\n"
	"  2  usage error\n"
	"  3  I/O error\n"
	"  4  component, GUID, page or user block not in the record\n"
	"  5  FILE holds no record: not a record file, or a vmcore without one\n"
	"\n"
	"Examples:\n"
	"  bugcheck-record show record.bin\n"
	"  bugcheck-record show /var/crash/202401011200/dump.202401011200\n"
	"  bugcheck-record tags record.bin -x\n"
	"  bugcheck-record extract record.bin \\\n"
	"          8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52 blob.bin\n"
	"  bugcheck-record blocks record.bin -p 1187 -a 7f3a5c021000 -o block.bin\n";

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bugcheck-record: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'bugcheck-record --help'.\n");
	return EXIT_USAGE;
}

/* A read error, with what errno says if it says anything. */
static int io_error(const char *path, int err)
{
	fprintf(stderr, "bugcheck-record: %s: %s\n", path,
		err ? strerror(err) : "read or write failed");
	return EXIT_IO;
}

/* Read all of @fd (at most FILE_MAX bytes) into *@bufp. Returns 0 or EXIT_IO. */
static int read_all(int fd, const char *path, uint8_t **bufp, size_t *lenp)
{
	size_t len = 0, size = 1 << 20;
	uint8_t *buf, *grown;
	ssize_t n;

	buf = malloc(size);
	if (!buf)
		return io_error(path, ENOMEM);
	for (;;) {
		if (len == size) {
			if (size == FILE_MAX) {
				fprintf(stderr,
					"bugcheck-record: %s: larger than %lu MiB, only the start was read\n",
					path, FILE_MAX >> 20);
				break;
			}
			size *= 2;
			grown = realloc(buf, size);
			if (!grown) {
				free(buf);
				return io_error(path, ENOMEM);
			}
			buf = grown;
		}
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			return io_error(path, err);
		}
		if (!n)
			break;
		len += n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* A decoded record, from a record file or out of a vmcore. */
struct record {
	const char *path;
	uint8_t *buf;
	size_t len;
	struct bcr r;
	int error; /* bcr_open() */
};

/* What the file is, when it is no record: say so, and where to go. */
static int not_a_record(const char *path, enum bcr_file_kind kind,
			const char *why)
{
	fprintf(stderr, "bugcheck-record: %s: %s, not a bugcheck record\n",
		path, why ? why : bcr_file_kind_name(kind));
	switch (kind) {
	case BCR_FILE_FLATTENED:
		fprintf(stderr,
			"bugcheck-record: reassemble it (makedumpfile -R OUT < %s) and read OUT\n",
			path);
		break;
	case BCR_FILE_ELF_OTHER:
	case BCR_FILE_DISKDUMP:
	case BCR_FILE_KDUMP:
	case BCR_FILE_ELF_VMCORE:
		fprintf(stderr,
			"bugcheck-record: read it with crash and the bugcheck extension (bcshow)\n");
		break;
	default:
		fprintf(stderr,
			"bugcheck-record: give it a record saved by bugcheck-save, or a vmcore\n");
	}
	return EXIT_NORECORD;
}

/* The record of the vmcore on @fd, found through its locator. */
static int record_from_vmcore(struct record *rec, int fd)
{
	const struct bugcheck_record_header *hdr;
	struct bcr_found found;
	struct bcr_dump d;
	uint8_t *area;
	size_t len;
	int ret;

	ret = bcr_dump_open(&d, fd);
	if (ret == BCR_E_NOTRECORD)
		return not_a_record(rec->path, d.kind, d.why);
	if (ret == BCR_E_LAYOUT) {
		fprintf(stderr, "bugcheck-record: %s: %s: %s\n", rec->path,
			bcr_file_kind_name(d.kind), d.why);
		return EXIT_NORECORD;
	}
	if (ret) {
		fprintf(stderr, "bugcheck-record: %s: %s\n", rec->path, d.why);
		return EXIT_IO;
	}
	ret = bcr_dump_find_record(&d, NULL, &area, &len, &found);
	if (ret == BCR_E_NOTFOUND) {
		fprintf(stderr, "bugcheck-record: %s: %s: %s\n", rec->path,
			bcr_file_kind_name(d.kind), d.why);
		bcr_dump_close(&d);
		return EXIT_NORECORD;
	}
	if (ret) {
		fprintf(stderr, "bugcheck-record: %s: %s\n", rec->path, d.why);
		bcr_dump_close(&d);
		return EXIT_IO;
	}
	fprintf(stderr,
		"bugcheck-record: %s: %s; record area of %u pages found through the locator at %#llx%s\n",
		rec->path, bcr_file_kind_name(d.kind), found.nr_pages,
		(unsigned long long)found.locator,
		found.missing ? " (pages missing from the dump read as zeros)" :
				"");
	bcr_dump_close(&d);
	/* Decode what a saved copy of the record would hold. */
	hdr = (const void *)area;
	rec->buf = area;
	rec->len = bcr_record_extent(hdr, len);
	return 0;
}

static int record_open(struct record *rec, const char *path)
{
	enum bcr_file_kind kind;
	uint8_t head[BCR_KIND_PROBE];
	int fd, ret;
	ssize_t n;

	memset(rec, 0, sizeof(*rec));
	rec->path = path;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return io_error(path, errno);
	if (fd) {
		do
			n = pread(fd, head, sizeof(head), 0);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			ret = io_error(path, errno);
			close(fd);
			return ret;
		}
		kind = bcr_file_kind(head, (size_t)n);
		if (kind == BCR_FILE_ELF_VMCORE || kind == BCR_FILE_KDUMP) {
			ret = record_from_vmcore(rec, fd);
			close(fd);
			if (ret)
				return ret;
			goto decode;
		}
	}
	ret = read_all(fd, path, &rec->buf, &rec->len);
	if (fd)
		close(fd);
	if (ret)
		return ret;
	kind = bcr_file_kind(rec->buf, rec->len < BCR_KIND_PROBE ?
					       rec->len :
					       BCR_KIND_PROBE);
	if (kind == BCR_FILE_ELF_VMCORE || kind == BCR_FILE_KDUMP) {
		free(rec->buf);
		rec->buf = NULL;
		fprintf(stderr,
			"bugcheck-record: %s: %s on standard input: give its path instead\n",
			path, bcr_file_kind_name(kind));
		return EXIT_NORECORD;
	}
	/*
	 * A record file starts with the magic; an all-zero area is a record
	 * no bugcheck wrote, which bcr_open() explains.  Anything else is not
	 * a record at all, not a damaged one.
	 */
	if (kind != BCR_FILE_RECORD && kind != BCR_FILE_ZEROS) {
		free(rec->buf);
		rec->buf = NULL;
		return not_a_record(path, kind, NULL);
	}
decode:
	rec->error = bcr_open(&rec->r, rec->buf, rec->len);
	if (rec->error == BCR_E_NOMEM) {
		free(rec->buf);
		rec->buf = NULL;
		return io_error(path, ENOMEM);
	}
	if (kind == BCR_FILE_ZEROS && !rec->r.hdr) {
		fprintf(stderr, "bugcheck-record: %s: %s\n", path, rec->r.why);
		bcr_close(&rec->r);
		free(rec->buf);
		rec->buf = NULL;
		return EXIT_NORECORD;
	}
	return 0;
}

static void record_close(struct record *rec)
{
	bcr_close(&rec->r);
	free(rec->buf);
	rec->buf = NULL;
}

static const char *record_why(const struct record *rec)
{
	return rec->r.why[0] ? rec->r.why : bcr_strerror(rec->error);
}

/* Damage, for commands whose standard output carries raw bytes. */
static void note_damage(const struct record *rec)
{
	if (rec->error)
		fprintf(stderr,
			"bugcheck-record: %s: DAMAGED: %s (using what survived)\n",
			rec->path, record_why(rec));
}

/* Exit status after printing: damage wins over "not found". */
static int status(const struct record *rec, int ret)
{
	if (rec->error)
		return EXIT_DAMAGED;
	if (ret == BCR_E_NOTFOUND)
		return EXIT_NOTFOUND;
	if (ret == BCR_E_IO)
		return EXIT_IO;
	return ret ? EXIT_DAMAGED : 0;
}

/* @ret, unless standard output could not be written: then EXIT_IO. */
static int finish(int ret)
{
	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		return io_error("standard output", errno);
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	const char *component;
	struct record rec;
	int ret;

	if (argc < 2 || argc > 3)
		return usage_error("%s: expected FILE [COMPONENT]", "show");
	component = argc == 3 ? argv[2] : NULL;
	ret = record_open(&rec, argv[1]);
	if (ret)
		return ret;
	if (component) {
		ret = bcr_print_component(stdout, &rec.r, component);
		if (ret == BCR_E_NOTFOUND)
			fprintf(stderr,
				"bugcheck-record: no component \"%s\" in %s\n",
				component, rec.path);
	} else {
		ret = bcr_print_summary(stdout, &rec.r);
	}
	ret = status(&rec, ret);
	record_close(&rec);
	return finish(ret);
}

/* @data to @path ("-": standard output). Returns 0 or EXIT_IO. */
static int write_out(const char *path, const void *data, size_t len)
{
	int err, regular;
	struct stat st;
	FILE *out;

	/* stdio does not promise errno on every failure: 0 says "unknown". */
	errno = 0;
	out = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!out)
		return io_error(path, errno);
	/* A regular file left with part of the bytes is removed; nothing else. */
	regular = out != stdout && !fstat(fileno(out), &st) &&
		  S_ISREG(st.st_mode);
	if (len && fwrite(data, 1, len, out) != len) {
		err = errno;
		if (out != stdout)
			fclose(out);
		if (regular)
			unlink(path);
		return io_error(path, err);
	}
	errno = 0;
	if (out == stdout ? fflush(out) : fclose(out)) {
		err = errno;
		if (regular)
			unlink(path);
		return io_error(path, err);
	}
	return 0;
}

/* The raw bytes of the first block tagged @guid, to @outpath. */
static int extract_tag(struct record *rec, const uint8_t guid[16],
		       const char *gtext, const char *outpath)
{
	uint8_t *data;
	long n;
	int ret;

	note_damage(rec);
	/* A blob is made of record bytes, so it is never longer than them. */
	data = malloc(rec->len ? rec->len : 1);
	if (!data)
		return io_error(rec->path, ENOMEM);
	n = bcr_tag_read(&rec->r, guid, data, rec->len);
	if (n < 0) {
		if (n == BCR_E_NOTFOUND)
			fprintf(stderr,
				"bugcheck-record: no block tagged %s in %s\n",
				gtext, rec->path);
		else
			fprintf(stderr, "bugcheck-record: %s: %s\n", gtext,
				bcr_strerror(n));
		free(data);
		return status(rec, n);
	}
	if ((size_t)n > rec->len) /* cannot happen: see above */
		n = rec->len;
	ret = write_out(outpath, data, n);
	if (!ret && strcmp(outpath, "-"))
		printf("%ld bytes written to %s\n", n, outpath);
	if (!ret)
		ret = status(rec, 0);
	free(data);
	return ret;
}

static int cmd_tags(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "guid", required_argument, NULL, 'g' },
		{ "no-data", no_argument, NULL, 'x' },
		{ "output", required_argument, NULL, 'o' },
		{}
	};
	static const char expected[] =
		"%s: expected FILE [-g GUID] [-x | -o OUT]";
	const char *gtext = NULL, *outpath = NULL;
	uint8_t guid[16];
	struct record rec;
	int c, no_data = 0, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "g:xo:", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			gtext = optarg;
			break;
		case 'x':
			no_data = 1;
			break;
		case 'o':
			outpath = optarg;
			break;
		default:
			return usage_error(expected, "tags");
		}
	}
	if (argc - optind != 1)
		return usage_error(expected, "tags");
	if (outpath && (!gtext || no_data))
		return usage_error("tags: -o OUT needs -g GUID, and no -x");
	if (gtext && bcr_guid_parse(gtext, guid))
		return usage_error("invalid GUID \"%s\"", gtext);

	ret = record_open(&rec, argv[optind]);
	if (ret)
		return ret;
	if (outpath) {
		ret = extract_tag(&rec, guid, gtext, outpath);
		record_close(&rec);
		return finish(ret);
	}
	/* The printer says "no block tagged" itself. */
	ret = bcr_print_tags(stdout, &rec.r, gtext ? guid : NULL, no_data);
	ret = status(&rec, ret);
	record_close(&rec);
	return finish(ret);
}

static int cmd_extract(int argc, char **argv)
{
	uint8_t guid[16];
	struct record rec;
	int ret;

	if (argc != 4)
		return usage_error("%s: expected FILE GUID OUTFILE", "extract");
	if (bcr_guid_parse(argv[2], guid))
		return usage_error("invalid GUID \"%s\"", argv[2]);
	ret = record_open(&rec, argv[1]);
	if (ret)
		return ret;
	ret = extract_tag(&rec, guid, argv[2], argv[3]);
	record_close(&rec);
	return finish(ret);
}

/* A hexadecimal address, with or without 0x. */
static int parse_addr(const char *text, uint64_t *addr)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 16);
	if (errno || end == text || *end || *text == '-')
		return -1;
	*addr = v;
	return 0;
}

static int cmd_pages(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "address", required_argument, NULL, 'a' }, {}
	};
	const char *atext = NULL;
	struct record rec;
	uint64_t addr = 0;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:", longopts, NULL)) != -1) {
		if (c != 'a')
			return usage_error("%s: expected FILE [-a ADDR]",
					   "pages");
		atext = optarg;
	}
	if (argc - optind != 1)
		return usage_error("%s: expected FILE [-a ADDR]", "pages");
	if (atext && parse_addr(atext, &addr))
		return usage_error("invalid address \"%s\" (hexadecimal)",
				   atext);
	ret = record_open(&rec, argv[optind]);
	if (ret)
		return ret;
	if (!atext) {
		ret = bcr_print_pages(stdout, &rec.r);
	} else {
		bcr_print_damage(stdout, &rec.r);
		ret = bcr_print_page(stdout, &rec.r, addr);
		if (ret == BCR_E_NOTFOUND)
			fprintf(stderr,
				"bugcheck-record: %llx is not in any page range added to %s\n",
				(unsigned long long)addr, rec.path);
		else if (ret == BCR_E_SECTION)
			fprintf(stderr,
				"bugcheck-record: the section holding %llx is inconsistent\n",
				(unsigned long long)addr);
	}
	ret = status(&rec, ret);
	record_close(&rec);
	return finish(ret);
}

static int cmd_devices(int argc, char **argv)
{
	struct record rec;
	int ret;

	if (argc != 2)
		return usage_error("%s: expected FILE", "devices");
	ret = record_open(&rec, argv[1]);
	if (ret)
		return ret;
	ret = bcr_print_devices(stdout, &rec.r);
	ret = status(&rec, ret);
	record_close(&rec);
	return finish(ret);
}

/* blocks -a ADDR -o OUT: one block's contents, byte for byte. */
static int blocks_extract(struct record *rec, int32_t pid, uint64_t addr,
			  const char *outpath)
{
	struct bcr_user_block ub;
	char flags[160];
	int ret;
	long n;

	note_damage(rec);
	ret = bcr_find_user_block(&rec->r, pid, addr, &ub);
	if (ret == BCR_E_NOTFOUND) {
		fprintf(stderr,
			"bugcheck-record: no user block of pid %d at %llx in %s\n",
			pid, (unsigned long long)addr, rec->path);
		return status(rec, ret);
	}
	if (ret) {
		/* Never a file of bytes that are not the block's. */
		fprintf(stderr,
			"bugcheck-record: user block of pid %d at %llx: %s%s\n",
			pid, (unsigned long long)addr,
			ub.malformed[0] ? "MALFORMED: " : "",
			ub.malformed[0] ? ub.malformed :
					  "payload damaged (CRC mismatch)");
		return EXIT_DAMAGED;
	}
	n = ub.copied;
	ret = write_out(outpath, ub.contents, ub.copied);
	if (ret)
		return ret;
	if (strcmp(outpath, "-")) {
		printf("%ld bytes written to %s", n, outpath);
		if (ub.copied < ub.size)
			printf(" (%u of %llu bytes registered: %s)", ub.copied,
			       (unsigned long long)ub.size,
			       bcr_user_block_flags_str(&ub, flags,
							sizeof(flags)));
		putchar('\n');
	}
	return status(rec, 0);
}

static int cmd_blocks(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "hexdump", no_argument, NULL, 'x' },
		{ "address", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{}
	};
	static const char expected[] =
		"%s: expected FILE [-p PID] [-x] [-a ADDR -o OUT]";
	const char *ptext = NULL, *atext = NULL, *outpath = NULL;
	uint64_t addr = 0;
	struct record rec;
	int c, hexdump = 0, ret;
	int32_t pid = 0;
	char *end;
	long v;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:xa:o:f:", longopts, NULL)) !=
	       -1) {
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
		case 'f': /* bcblocks' letter */
			outpath = optarg;
			break;
		default:
			return usage_error(expected, "blocks");
		}
	}
	if (argc - optind != 1)
		return usage_error(expected, "blocks");
	/* -a and -o go together, name one block (so need -p), and dump nothing. */
	if (!atext != !outpath)
		return usage_error("blocks: -a ADDR and -o OUT go together");
	if (outpath && (!ptext || hexdump))
		return usage_error("blocks: -a/-o needs -p PID, and no -x");
	if (ptext) {
		errno = 0;
		v = strtol(ptext, &end, 10);
		if (errno || end == ptext || *end || v < 0 || v > INT32_MAX)
			return usage_error("invalid pid \"%s\"", ptext);
		pid = (int32_t)v;
	}
	if (atext && parse_addr(atext, &addr))
		return usage_error("invalid address \"%s\" (hexadecimal)",
				   atext);

	ret = record_open(&rec, argv[optind]);
	if (ret)
		return ret;
	if (outpath) {
		ret = blocks_extract(&rec, pid, addr, outpath);
	} else {
		/* The printer says "no user blocks" and DAMAGED: itself. */
		ret = bcr_print_user_blocks(stdout, &rec.r, ptext ? &pid : NULL,
					    hexdump);
		ret = status(&rec, ret);
	}
	record_close(&rec);
	return finish(ret);
}

static int cmd_check(int argc, char **argv)
{
	struct record rec;
	int ret;

	if (argc != 2)
		return usage_error("%s: expected FILE", "check");
	ret = record_open(&rec, argv[1]);
	if (ret)
		return ret;
	if (rec.error)
		printf("damaged: %s\n", record_why(&rec));
	else
		printf("valid\n");
	ret = status(&rec, 0);
	record_close(&rec);
	return finish(ret);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command */
} commands[] = {
	{ .name = "show", .run = cmd_show },
	{ .name = "tags", .run = cmd_tags },
	{ .name = "extract", .run = cmd_extract },
	{ .name = "pages", .run = cmd_pages },
	{ .name = "devices", .run = cmd_devices },
	{ .name = "blocks", .run = cmd_blocks },
	{ .name = "check", .run = cmd_check },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage_error("missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return finish(0);
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("bugcheck-record %s (record format version %d)\n",
		       BUGCHECK_VERSION, BUGCHECK_RECORD_VERSION);
		return finish(0);
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		/* "show -h": help, not a file named -h. */
		if (argc > 2 &&
		    (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
			fputs(usage_text, stdout);
			return finish(0);
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	return usage_error("unknown command \"%s\"", argv[1]);
}
