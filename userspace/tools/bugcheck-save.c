// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck-save: in the kdump capture kernel, carve the bugcheck record out
 * of /proc/vmcore into a small file - for when the whole vmcore is too big to
 * keep.  Needs no debuginfo: libbcr finds the record through its locator
 * (uapi/bugcheck_record.h), whose physical address comes from the capture
 * kernel's command line (bugcheck_locator=<addr>, the fast path) or -l;
 * when that locator is missing, stale or wrong, every locator a scan of page
 * starts finds is tried in turn.
 *
 *   bugcheck-save [-v VMCORE] [-l ADDR | -s] [-q] OUTFILE
 *
 * The file is written whole or not at all: to a temporary file beside it,
 * fsync'ed, renamed over OUTFILE, and the folder fsync'ed, so a capture
 * kernel that dies half way (it may be run before makedumpfile) leaves
 * either the old file or the new one.
 *
 * Exit status: 0 a valid record was saved; 1 a record was saved but it is
 * damaged or incomplete (what survived is kept); 2 usage; 3 I/O error;
 * 4 no locator or record found; 5 VMCORE is not an ELF vmcore; 6 out of
 * memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bcr.h"

#define EXIT_DAMAGED 1
#define EXIT_USAGE 2
#define EXIT_IO 3
#define EXIT_NOTFOUND 4
#define EXIT_NOTVMCORE 5
#define EXIT_NOMEM 6

static int quiet;

#define say(...)                                                        \
	do {                                                            \
		if (!quiet)                                             \
			fprintf(stderr, "bugcheck-save: " __VA_ARGS__); \
	} while (0)

/* An address as the kernel prints it (decimal) or in hex with 0x. */
static int parse_addr(const char *text, uint64_t *addr)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || end == text || *end || *text == '-')
		return -1;
	*addr = v;
	return 0;
}

/* bugcheck_locator= on the capture kernel's command line: 0, -1 none, -2 bad. */
static int cmdline_locator(uint64_t *addr)
{
	static const char key[] = "bugcheck_locator=";
	char buf[4096], *p, *end;
	FILE *f = fopen("/proc/cmdline", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, key)); p++) {
		if (p != buf && p[-1] != ' ')
			continue;
		p += strlen(key);
		end = p + strcspn(p, " \t\n");
		*end = '\0';
		return parse_addr(p, addr) ? -2 : 0;
	}
	return -1;
}

/* All of @len bytes, whatever write() does short of an error. */
static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* @data to a device or pipe at @path, in place: it cannot be renamed over. */
static int write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) || (fsync(fd) && errno != EINVAL))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	errno = err;
	return err ? -1 : 0;
}

/*
 * @data to @path atomically: temp file, fsync, rename, fsync the folder.
 * An existing device or pipe is written in place instead: renaming over it
 * would replace the node.
 */
static int save_file(const char *path, const void *data, size_t len)
{
	char *tmp = NULL, *dir_copy = NULL;
	int fd = -1, dfd, err;
	struct stat st;

	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_in_place(path, data, len);

	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		tmp = NULL;
		errno = ENOMEM;
		goto fail;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	if (write_all(fd, data, len) || fsync(fd))
		goto unlink_tmp;
	if (close(fd)) {
		fd = -1;
		goto unlink_tmp;
	}
	fd = -1;
	if (rename(tmp, path))
		goto unlink_tmp;
	free(tmp);
	/* The rename itself must reach the disk before the machine resets. */
	dir_copy = strdup(path);
	if (!dir_copy) {
		errno = ENOMEM;
		return -1;
	}
	dfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir_copy);
	if (dfd < 0)
		return -1;
	err = fsync(dfd) ? errno : 0;
	close(dfd);
	errno = err;
	return err ? -1 : 0;

unlink_tmp:
	err = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = err;
fail:
	free(tmp);
	return -1;
}

static int show_usage(FILE *f, int status)
{
	fprintf(f,
		"usage: bugcheck-save [-v VMCORE] [-l ADDR | -s] [-q] OUTFILE\n"
		"  Save the bugcheck record from a vmcore (default /proc/vmcore) to OUTFILE.\n"
		"  -l ADDR  physical address of the locator, decimal or 0x-hex (default:\n"
		"           bugcheck_locator= on /proc/cmdline); when it is stale or\n"
		"           wrong, the locators a scan of page starts finds are tried\n"
		"  -s       scan for the locator even if the command line names one\n"
		"  -q       quiet\n"
		"exit: 0 saved, 1 saved but damaged, 2 usage, 3 I/O error, 4 not found,\n"
		"      5 not an ELF vmcore, 6 out of memory\n");
	return status;
}

/* libbcr's error as this tool's exit status. */
static int exit_of(int error)
{
	switch (error) {
	case BCR_E_NOMEM:
		return EXIT_NOMEM;
	case BCR_E_NOTFOUND:
		return EXIT_NOTFOUND;
	case BCR_E_NOTRECORD:
	case BCR_E_LAYOUT:
		return EXIT_NOTVMCORE;
	}
	return EXIT_IO;
}

int main(int argc, char **argv)
{
	const char *vmcore = "/proc/vmcore", *out;
	uint64_t addr = 0, *hint = NULL;
	int opt, force_scan = 0, ret, fd;
	struct timespec t0, t1;
	struct bcr_found found;
	struct bcr_dump d;
	uint8_t *area;
	size_t len, save;
	struct bcr r;

	while ((opt = getopt(argc, argv, "v:l:sqh")) != -1) {
		switch (opt) {
		case 'v':
			vmcore = optarg;
			break;
		case 'l':
			if (parse_addr(optarg, &addr)) {
				fprintf(stderr,
					"bugcheck-save: invalid locator address \"%s\"\n",
					optarg);
				return show_usage(stderr, EXIT_USAGE);
			}
			hint = &addr;
			break;
		case 's':
			force_scan = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			return show_usage(stdout, 0);
		default:
			return show_usage(stderr, EXIT_USAGE);
		}
	}
	if (optind != argc - 1 || (hint && force_scan))
		return show_usage(stderr, EXIT_USAGE);
	out = argv[optind];

	if (!hint && !force_scan) {
		ret = cmdline_locator(&addr);
		if (ret == -2)
			say("bugcheck_locator= on the command line is not an address, scanning\n");
		else if (!ret)
			hint = &addr;
	}

	fd = open(vmcore, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "bugcheck-save: %s: %s\n", vmcore,
			strerror(errno));
		return EXIT_IO;
	}
	ret = bcr_dump_open(&d, fd);
	if (!ret && d.kind != BCR_FILE_ELF_VMCORE) {
		ret = BCR_E_NOTRECORD;
		snprintf(d.why, sizeof(d.why), "%s",
			 bcr_file_kind_name(d.kind));
	}
	if (ret) {
		fprintf(stderr, "bugcheck-save: %s: %s%s\n", vmcore, d.why,
			ret == BCR_E_NOTRECORD || ret == BCR_E_LAYOUT ?
				" (an ELF vmcore is needed)" :
				"");
		bcr_dump_close(&d);
		close(fd);
		return exit_of(ret);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = bcr_dump_find_record(&d, hint, &area, &len, &found);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	bcr_dump_close(&d);
	close(fd);
	if (ret) {
		fprintf(stderr, "bugcheck-save: %s: %s\n", vmcore, d.why);
		return exit_of(ret);
	}
	if (hint && found.locator != *hint)
		say("no record behind the locator at %#" PRIx64
		    ", found one by scanning\n",
		    *hint);
	say("locator at %#" PRIx64
	    " (%s, %u valid tried, %.2f s): %u pages of %u bytes, %u missing\n",
	    found.locator, found.scanned ? "scan" : "given", found.nr_locators,
	    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    found.nr_pages, found.page_size, found.missing);

	ret = bcr_open(&r, area, len);
	if (ret == BCR_E_NOMEM) {
		fprintf(stderr, "bugcheck-save: %s\n", r.why);
		free(area);
		return EXIT_NOMEM;
	}
	if (!r.hdr) {
		fprintf(stderr, "bugcheck-save: no record in the area: %s\n",
			r.why);
		bcr_close(&r);
		free(area);
		return EXIT_NOTFOUND;
	}
	save = bcr_record_extent(r.hdr, len);
	if (save_file(out, area, save)) {
		fprintf(stderr, "bugcheck-save: %s: %s\n", out,
			errno ? strerror(errno) : "write failed");
		bcr_close(&r);
		free(area);
		return EXIT_IO;
	}
	if (ret) {
		fprintf(stderr,
			"bugcheck-save: saved %zu bytes to %s, but the record is damaged: %s\n",
			save, out, r.why);
		ret = EXIT_DAMAGED;
	} else {
		say("saved a %s record of %zu bytes to %s\n",
		    bcr_code_name(r.hdr->bugcheck_code), save, out);
	}
	bcr_close(&r);
	free(area);
	return ret;
}
