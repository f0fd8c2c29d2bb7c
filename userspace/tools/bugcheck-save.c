// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck-save: in the kdump capture kernel, carve the bugcheck record out
 * of /proc/vmcore into a small file - for when the whole vmcore is too big to
 * keep.  Needs no debuginfo: the record is found through its locator
 * (uapi/bugcheck_record.h), whose physical address comes from the capture
 * kernel's command line (bugcheck_locator=<addr>, the fast path) or, failing
 * that, from a scan of page starts for the locator's magic.
 *
 *   bugcheck-save [-v VMCORE] [-l ADDR | -s] [-q] OUTFILE
 *
 * Exit status: 0 a valid record was saved; 1 a record was saved but it is
 * damaged or incomplete (what survived is kept); 2 usage; 3 I/O error;
 * 4 no locator or record found.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bcrecord.h"

#define MAX_AREA (64u << 20)
#define MAX_SEGMENTS 4096

struct segment {
	uint64_t paddr, offset, size;
};

static struct segment segs[MAX_SEGMENTS];
static int nr_segs;
static int vmcore_fd = -1;
static int quiet;

#define say(...) do { if (!quiet) fprintf(stderr, "bugcheck-save: " __VA_ARGS__); } while (0)

static int load_segments(const char *path)
{
	Elf64_Ehdr eh;
	int i;

	vmcore_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (vmcore_fd < 0) {
		fprintf(stderr, "bugcheck-save: %s: %s\n", path, strerror(errno));
		return 3;
	}
	if (pread(vmcore_fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr)) {
		fprintf(stderr, "bugcheck-save: %s is not a 64-bit ELF vmcore\n", path);
		return 3;
	}
	for (i = 0; i < eh.e_phnum && nr_segs < MAX_SEGMENTS; i++) {
		Elf64_Phdr ph;

		if (pread(vmcore_fd, &ph, sizeof(ph), eh.e_phoff + (uint64_t)i * sizeof(ph)) !=
		    sizeof(ph)) {
			fprintf(stderr, "bugcheck-save: %s: short program header %d\n", path, i);
			return 3;
		}
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		segs[nr_segs++] = (struct segment){ ph.p_paddr, ph.p_offset, ph.p_filesz };
	}
	if (!nr_segs) {
		fprintf(stderr, "bugcheck-save: %s has no memory segments\n", path);
		return 3;
	}
	return 0;
}

/* Read @len bytes of physical memory at @paddr; 0 or -1 (not in the dump). */
static int phys_read(uint64_t paddr, void *buf, size_t len)
{
	int i;

	for (i = 0; i < nr_segs; i++) {
		const struct segment *s = &segs[i];

		if (paddr >= s->paddr && paddr - s->paddr <= s->size &&
		    len <= s->size - (paddr - s->paddr))
			return pread(vmcore_fd, buf, len, s->offset + (paddr - s->paddr)) ==
			       (ssize_t)len ? 0 : -1;
	}
	return -1;
}

/* A locator at @paddr, validated; returns malloc'ed copy or NULL. */
static struct bugcheck_locator *locator_at(uint64_t paddr)
{
	struct bugcheck_locator head, *l;
	uint32_t crc;
	size_t size;

	if (phys_read(paddr, &head, sizeof(head)) ||
	    memcmp(head.magic, BUGCHECK_LOCATOR_MAGIC, sizeof(head.magic)) ||
	    head.version != BUGCHECK_LOCATOR_VERSION || head.page_size < 4096 ||
	    head.page_size > (1u << 21) || !head.nr_pages ||
	    head.area_size > MAX_AREA || (uint64_t)head.nr_pages * head.page_size != head.area_size)
		return NULL;
	size = sizeof(head) + (size_t)head.nr_pages * sizeof(head.pfn[0]);
	if (head.size != size)
		return NULL;
	l = malloc(size);
	if (!l)
		return NULL;
	if (phys_read(paddr, l, size)) {
		free(l);
		return NULL;
	}
	crc = l->crc32;
	l->crc32 = 0;
	if (bcr_crc32(l, size) != crc) {
		free(l);
		return NULL;
	}
	l->crc32 = crc;
	return l;
}

static int cmdline_locator(uint64_t *addr)
{
	char buf[4096], *p;
	FILE *f = fopen("/proc/cmdline", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, "bugcheck_locator=")); p++) {
		if (p != buf && p[-1] != ' ')
			continue;
		*addr = strtoull(p + strlen("bugcheck_locator="), NULL, 0);
		return 0;
	}
	return -1;
}

/*
 * The fallback: look at the first 8 bytes of every page, segment by segment,
 * in 1 MiB reads.  Bounded by the dump's size; the first locator whose own
 * CRC and sizes check out wins (the record itself is validated afterwards).
 */
static struct bugcheck_locator *scan_locator(uint64_t *found)
{
	static uint8_t chunk[1 << 20];
	int i;

	for (i = 0; i < nr_segs; i++) {
		uint64_t off;

		for (off = 0; off < segs[i].size; off += sizeof(chunk)) {
			size_t len = segs[i].size - off < sizeof(chunk) ? segs[i].size - off :
									  sizeof(chunk);
			size_t p;

			if (pread(vmcore_fd, chunk, len, segs[i].offset + off) != (ssize_t)len)
				break;
			for (p = (4096 - (segs[i].paddr + off) % 4096) % 4096; p + 8 <= len;
			     p += 4096) {
				struct bugcheck_locator *l;

				if (memcmp(chunk + p, BUGCHECK_LOCATOR_MAGIC, 8))
					continue;
				l = locator_at(segs[i].paddr + off + p);
				if (l) {
					*found = segs[i].paddr + off + p;
					return l;
				}
			}
		}
	}
	return NULL;
}

static int usage(FILE *f, int status)
{
	fprintf(f,
		"usage: bugcheck-save [-v VMCORE] [-l ADDR | -s] [-q] OUTFILE\n"
		"  Save the bugcheck record from a vmcore (default /proc/vmcore) to OUTFILE.\n"
		"  -l ADDR  physical address of the locator (default: bugcheck_locator= on\n"
		"           /proc/cmdline, else a scan)\n"
		"  -s       scan for the locator even if the command line names one\n"
		"  -q       quiet\n"
		"exit: 0 saved, 1 saved but damaged, 2 usage, 3 I/O error, 4 not found\n");
	return status;
}

int main(int argc, char **argv)
{
	const char *vmcore = "/proc/vmcore", *out;
	struct bugcheck_locator *l = NULL;
	uint64_t addr = 0, have_addr = 0;
	int opt, force_scan = 0, ret, fd;
	uint8_t *area;
	struct bcr r;
	size_t save;
	uint32_t i;

	while ((opt = getopt(argc, argv, "v:l:sqh")) != -1) {
		switch (opt) {
		case 'v': vmcore = optarg; break;
		case 'l': addr = strtoull(optarg, NULL, 0); have_addr = 1; break;
		case 's': force_scan = 1; break;
		case 'q': quiet = 1; break;
		case 'h': return usage(stdout, 0);
		default: return usage(stderr, 2);
		}
	}
	if (optind != argc - 1)
		return usage(stderr, 2);
	out = argv[optind];
	ret = load_segments(vmcore);
	if (ret)
		return ret;

	if (!force_scan && (have_addr || !cmdline_locator(&addr))) {
		l = locator_at(addr);
		if (!l)
			say("no valid locator at %#" PRIx64 ", scanning\n", addr);
	}
	if (!l) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		l = scan_locator(&addr);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		say("scan took %.2f s\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	if (!l) {
		fprintf(stderr, "bugcheck-save: no bugcheck locator in %s (bugcheck.ko not loaded?)\n",
			vmcore);
		return 4;
	}
	say("locator at %#" PRIx64 ": %u pages of %u bytes\n", addr, l->nr_pages, l->page_size);

	area = calloc(1, l->area_size);
	if (!area)
		return 3;
	for (i = 0; i < l->nr_pages; i++)
		if (phys_read(l->pfn[i] * l->page_size, area + (size_t)i * l->page_size,
			      l->page_size))
			/* Excluded (zero) pages are not in a filtered dump: zeros. */
			memset(area + (size_t)i * l->page_size, 0, l->page_size);

	ret = bcr_open(&r, area, l->area_size);
	if (!r.hdr) {
		fprintf(stderr, "bugcheck-save: no record in the area: %s\n", r.why);
		return 4;
	}
	/*
	 * A complete record ends at 'used' (plus the dump-I/O status); one the
	 * bugcheck never finished has used == 0 but may hold a callback table
	 * and sections a reader can still walk: keep the whole area then.
	 */
	if (!(r.hdr->flags & BUGCHECK_RECORD_F_COMPLETE))
		save = l->area_size;
	else if (r.io)
		save = r.hdr->io_status_offset + (size_t)r.nr_io * sizeof(*r.io);
	else
		save = r.hdr->used > sizeof(*r.hdr) ? r.hdr->used : sizeof(*r.hdr);
	if (save > l->area_size)
		save = l->area_size;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, area, save) != (ssize_t)save || fsync(fd) || close(fd)) {
		fprintf(stderr, "bugcheck-save: %s: %s\n", out, strerror(errno));
		return 3;
	}
	if (ret) {
		fprintf(stderr, "bugcheck-save: saved %zu bytes to %s, but the record is damaged: %s\n",
			save, out, r.why);
		return 1;
	}
	say("saved a %s record of %zu bytes to %s\n", bcr_code_name(r.hdr->bugcheck_code), save,
	    out);
	free(area);
	free(l);
	return 0;
}
