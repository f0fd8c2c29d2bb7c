// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck-record: show, list and extract what a saved bugcheck record holds.
 *
 * The input is a record file: what bugcheck-save carved out of a vmcore,
 * `cat /sys/kernel/debug/bugcheck/record`, or `rd -r` of the record area in
 * crash.  Decoding and printing are the bcrecord library's, shared with the
 * crash extension, so `bugcheck-record show` prints what `bugdump` prints.
 *
 * Exit status: 0 ok; 1 damaged record (after printing what survived);
 * 2 usage error; 3 I/O error; 4 component, GUID or user block not found.
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
#include <unistd.h>

#include "bcrecord.h"

#ifndef BUGCHECK_VERSION
#error "BUGCHECK_VERSION comes from the top-level VERSION file (userspace/Makefile)"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define EXIT_DAMAGED 1
#define EXIT_USAGE 2
#define EXIT_IO 3
#define EXIT_NOTFOUND 4

/* An area is at most 64 MiB; twice that leaves room for odd captures. */
#define FILE_MAX (128UL << 20)

static const char usage_text[] =
	"Usage: bugcheck-record COMMAND FILE [ARGS]\n"
	"\n"
	"Decode a bugcheck record saved to FILE (\"-\" reads standard input).\n"
	"\n"
	"Commands:\n"
	"  show FILE [COMPONENT]     the record's summary: bugcheck code and\n"
	"                            parameters, flags, one line per callback,\n"
	"                            dump-I/O status; with COMPONENT, every\n"
	"                            section it saved, as hex and ASCII\n"
	"  tags FILE [-g GUID] [-x]  the tagged blocks (multipart parts joined):\n"
	"                            GUID, size and data; -g only the first block\n"
	"                            tagged GUID, -x without the data\n"
	"  extract FILE GUID OUT     write the raw bytes of the first block tagged\n"
	"                            GUID to OUT (\"-\": standard output)\n"
	"  pages FILE                the page ranges added to and removed from\n"
	"                            the dump\n"
	"  devices FILE              the crash-dump devices powered on at the\n"
	"                            bugcheck: status before and after, method,\n"
	"                            result\n"
	"  blocks FILE [-p PID] [-x] [-a ADDR -o OUT]\n"
	"                            the memory blocks user processes registered:\n"
	"                            pid, name, address, size, bytes copied,\n"
	"                            flags; -p only those of PID, -x with their\n"
	"                            contents; -p PID -a ADDR -o OUT writes the\n"
	"                            contents of PID's block at ADDR (hex) to OUT\n"
	"                            (\"-\": standard output)\n"
	"  check FILE                validate only: prints \"valid\" or\n"
	"                            \"damaged: <why>\"\n"
	"\n"
	"Options:\n"
	"  -h, --help                show this help and exit\n"
	"  -V, --version             show the version and exit\n"
	"\n"
	"A damaged record is reported (DAMAGED: <why>) and what survived of it is\n"
	"still shown.  The format is docs/record-format.md.\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  the record is damaged or incomplete, or a device or user block\n"
	"     entry is malformed (what survived was printed)\n"
	"  2  usage error\n"
	"  3  I/O error\n"
	"  4  component, GUID or user block not in the record\n"
	"\n"
	"Examples:\n"
	"  bugcheck-record show record.bin\n"
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

/* Read all of @path (at most FILE_MAX bytes) into *@bufp. Returns 0 or EXIT_IO. */
static int read_file(const char *path, uint8_t **bufp, size_t *lenp)
{
	size_t len = 0, size = 1 << 20;
	uint8_t *buf, *grown;
	int fd, err = 0;
	ssize_t n;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		fprintf(stderr, "bugcheck-record: %s: %s\n", path,
			strerror(errno));
		return EXIT_IO;
	}
	buf = malloc(size);
	if (!buf) {
		err = errno;
		goto close;
	}
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
				err = errno;
				break;
			}
			buf = grown;
		}
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		if (!n)
			break;
		len += n;
	}
close:
	if (fd)
		close(fd);
	if (err) {
		fprintf(stderr, "bugcheck-record: %s: %s\n", path,
			strerror(err));
		free(buf);
		return EXIT_IO;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* A decoded record file. */
struct record {
	const char *path;
	uint8_t *buf;
	size_t len;
	struct bcr r;
	int error; /* bcr_open() */
};

static int record_open(struct record *rec, const char *path)
{
	int ret;

	memset(rec, 0, sizeof(*rec));
	rec->path = path;
	ret = read_file(path, &rec->buf, &rec->len);
	if (ret)
		return ret;
	rec->error = bcr_open(&rec->r, rec->buf, rec->len);
	return 0;
}

static void record_close(struct record *rec)
{
	free(rec->buf);
	rec->buf = NULL;
}

static const char *record_why(const struct record *rec)
{
	return rec->r.why[0] ? rec->r.why : bcr_strerror(rec->error);
}

/* The printers report damage themselves; extract has no printer. */
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
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "bugcheck-record: standard output: %s\n",
			strerror(errno ? errno : EIO));
		return EXIT_IO;
	}
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

static int cmd_tags(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "guid", required_argument, NULL, 'g' },
		{ "no-data", no_argument, NULL, 'x' },
		{}
	};
	const char *gtext = NULL;
	uint8_t guid[16];
	struct record rec;
	int c, no_data = 0, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "g:x", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			gtext = optarg;
			break;
		case 'x':
			no_data = 1;
			break;
		default:
			return usage_error("%s: expected FILE [-g GUID] [-x]",
					   "tags");
		}
	}
	if (argc - optind != 1)
		return usage_error("%s: expected FILE [-g GUID] [-x]", "tags");
	if (gtext && bcr_guid_parse(gtext, guid))
		return usage_error("invalid GUID \"%s\"", gtext);

	ret = record_open(&rec, argv[optind]);
	if (ret)
		return ret;
	/* The printer says "no block tagged" itself. */
	ret = bcr_print_tags(stdout, &rec.r, gtext ? guid : NULL, no_data);
	ret = status(&rec, ret);
	record_close(&rec);
	return finish(ret);
}

static int write_out(const char *path, const void *data, size_t len)
{
	FILE *out = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	int err = 0;

	if (!out) {
		err = errno;
	} else {
		if (len && fwrite(data, 1, len, out) != len)
			err = errno ? errno : EIO;
		if ((out == stdout ? fflush(out) : fclose(out)) && !err)
			err = errno;
	}
	if (err) {
		fprintf(stderr, "bugcheck-record: %s: %s\n", path,
			strerror(err));
		return EXIT_IO;
	}
	return 0;
}

static int cmd_extract(int argc, char **argv)
{
	const char *gtext, *outpath;
	uint8_t guid[16], *data;
	struct record rec;
	long n;
	int ret;

	if (argc != 4)
		return usage_error("%s: expected FILE GUID OUTFILE", "extract");
	gtext = argv[2];
	outpath = argv[3];
	if (bcr_guid_parse(gtext, guid))
		return usage_error("invalid GUID \"%s\"", gtext);

	ret = record_open(&rec, argv[1]);
	if (ret)
		return ret;
	note_damage(&rec);
	/* A blob is made of record bytes, so it is never longer than them. */
	data = malloc(rec.len ? rec.len : 1);
	if (!data) {
		fprintf(stderr, "bugcheck-record: %s\n", strerror(errno));
		ret = EXIT_IO;
		goto close;
	}
	n = bcr_tag_read(&rec.r, guid, data, rec.len);
	if (n < 0) {
		if (n == BCR_E_NOTFOUND)
			fprintf(stderr,
				"bugcheck-record: no block tagged %s in %s\n",
				gtext, rec.path);
		else
			fprintf(stderr, "bugcheck-record: %s: %s\n", gtext,
				bcr_strerror(n));
		ret = status(&rec, n);
		goto free_data;
	}
	if ((size_t)n > rec.len) /* cannot happen: see above */
		n = rec.len;
	ret = write_out(outpath, data, n);
	if (!ret && strcmp(outpath, "-"))
		printf("%ld bytes written to %s\n", n, outpath);
	if (!ret)
		ret = status(&rec, 0);
free_data:
	free(data);
close:
	record_close(&rec);
	return finish(ret);
}

static int cmd_pages(int argc, char **argv)
{
	struct record rec;
	int ret;

	if (argc != 2)
		return usage_error("%s: expected FILE", "pages");
	ret = record_open(&rec, argv[1]);
	if (ret)
		return ret;
	ret = bcr_print_pages(stdout, &rec.r);
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
		fprintf(stderr, "bugcheck-record: user block of pid %d at %llx: %s%s\n",
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
			       bcr_user_block_flags_str(&ub, flags, sizeof(flags)));
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
	unsigned long long addr = 0;
	struct record rec;
	int c, hexdump = 0, ret;
	int32_t pid = 0;
	char *end;
	long v;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:xa:o:", longopts, NULL)) != -1) {
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
		return usage_error("blocks: -a ADDR -o OUT needs -p PID, and no -x");
	if (ptext) {
		errno = 0;
		v = strtol(ptext, &end, 10);
		if (errno || end == ptext || *end || v < 0 || v > INT32_MAX)
			return usage_error("invalid pid \"%s\"", ptext);
		pid = (int32_t)v;
	}
	if (atext) {
		errno = 0;
		addr = strtoull(atext, &end, 16);
		if (errno || end == atext || *end)
			return usage_error("invalid address \"%s\" (hexadecimal)",
					   atext);
	}

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
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return usage_error("unknown command \"%s\"", argv[1]);
}
