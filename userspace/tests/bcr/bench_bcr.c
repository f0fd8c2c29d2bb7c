// SPDX-License-Identifier: GPL-2.0
/*
 * bench_bcr.c - how fast libbcr reads a record, against reading the same
 * bytes from a file in the same run.  Prints figures, passes or fails
 * nothing:
 *
 *	bench_bcr DIR
 *
 * For records of 1, 64 and 4096 sections (SECONDARY blocks) and 4096
 * multipart parts of 200 bytes (about 1 MiB each), and a 64 MiB record of
 * 1024 sections: the time per MiB to read the file (DIR/bench-record.bin,
 * from the page cache) and to decode it as the readers do (bcr_open() and
 * the largest block extracted as bcextract does), their ratio, and the time
 * to list every tag as bctags -x does (one printed line per block).  The goal: within
 * 3x of the read, flat in the number of sections or parts.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define REPS 5

#define FIGURE_LINE \
	"figure: bcr %-22s %6.2f MiB  read %6.3f ms/MiB  decode %6.3f ms/MiB  ratio %5.2f  list %6.3f ms/MiB\n"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double read_file(const char *path, uint8_t *buf, size_t len)
{
	double t0 = now();
	size_t got = 0;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += (size_t)n;
	close(fd);
	return now() - t0;
}

/* Decode (validate, index, extract the block) and list (bctags -x). */
static void decode(const uint8_t *buf, size_t len, uint8_t *out,
		   const uint8_t *guid, double *t_decode, double *t_list)
{
	double t0 = now(), t1;
	struct bcr r;

	if (bcr_open(&r, buf, len)) {
		fprintf(stderr, "bench_bcr: %s\n", r.why);
		exit(1);
	}
	if (bcr_tag_read(&r, guid, out, len) < 0) {
		fprintf(stderr, "bench_bcr: tag not found\n");
		exit(1);
	}
	t1 = now();
	bcr_print_tags(devnull, &r, NULL, 1);
	*t_list = now() - t1;
	*t_decode = t1 - t0;
	bcr_close(&r);
}

static void run(const char *dir, const char *name, uint32_t area, uint32_t nr,
		uint32_t part_len, int secondary)
{
	uint8_t *rec = aligned_alloc(8, area), *buf = aligned_alloc(8, area);
	uint8_t *out = malloc(area), guid[16];
	double best_read = 1e9, best_decode = 1e9, best_list = 1e9, mib;
	char path[4096];
	size_t len;
	int i;

	if (!rec || !buf || !out)
		abort();
	len = build_parts(rec, area, nr, part_len, 0, secondary);
	snprintf(path, sizeof(path), "%s/bench-record.bin", dir);
	if (write_file(dir, "bench-record.bin", rec, len))
		exit(1);
	/* The first SECONDARY block's GUID, or the blob's. */
	memcpy(guid, G2, 16);
	if (secondary)
		memset(guid, 0, 4);
	for (i = 0; i < REPS; i++) {
		double t = read_file(path, buf, len), t_list;

		if (t < best_read)
			best_read = t;
		decode(buf, len, out, guid, &t, &t_list);
		if (t < best_decode)
			best_decode = t;
		if (t_list < best_list)
			best_list = t_list;
	}
	unlink(path);
	mib = len / 1048576.0;
	printf(FIGURE_LINE, name, mib, best_read * 1e3 / mib,
	       best_decode * 1e3 / mib, best_decode / best_read,
	       best_list * 1e3 / mib);
	free(rec);
	free(buf);
	free(out);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_bcr DIR\n");
		return 2;
	}
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		return 1;
	run(argv[1], "1 section", 2u << 20, 1, 1u << 20, 1);
	run(argv[1], "64 sections", 2u << 20, 64, 16384, 1);
	run(argv[1], "4096 sections", 2u << 20, 4096, 200, 1);
	run(argv[1], "4096 multipart parts", 2u << 20, 4096, 200, 0);
	run(argv[1], "64 MiB, 1024 sections", 64u << 20, 1024,
	    (64u << 20) / 1024 - 4096, 1);
	fclose(devnull);
	return 0;
}
