// SPDX-License-Identifier: GPL-2.0
/*
 * dump.c - pull the bugcheck record out of a vmcore (bcr.h): tell what a
 * file is, read a vmcore's physical memory, and find the record through
 * its locator (uapi/bugcheck_record.h, docs/record-format.md).
 *
 * Two vmcore formats are read: ELF core files (/proc/vmcore in the capture
 * kernel, makedumpfile -E) and kdump-compressed files as makedumpfile
 * writes them (-c: zlib; or pages stored raw).  Neither needs the crashed
 * kernel's symbols or page tables: the locator lists the physical page
 * frames of the record area, so physical reads are all it takes.  Used by
 * bugcheck-save (in the capture kernel) and bugcheck-record (on the host).
 *
 * Everything read from the file is checked before use: segment and
 * descriptor offsets are bounded by the file, bitmap sizes by the header,
 * a page must decompress to exactly one page.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"

/* The record area is at most 64 MiB (record_size's limit). */
#define AREA_MAX (64u << 20)
#define SCAN_CHUNK (1u << 20)
#define MAX_SEGMENTS 65536

/* makedumpfile's kdump-compressed format (its IMPLEMENTATION file). */
#define KDUMP_SIGNATURE "KDUMP   "
#define DISKDUMP_SIGNATURE "DISKDUMP"
#define FLAT_SIGNATURE "makedumpfile"
#define DUMP_DH_COMPRESSED_ZLIB 0x1
#define DUMP_DH_COMPRESSED_LZO 0x2
#define DUMP_DH_COMPRESSED_SNAPPY 0x4
#define DUMP_DH_COMPRESSED_ZSTD 0x20
/* 64-bit struct disk_dump_header: fields after the 390-byte utsname */
#define DH_VERSION 8
#define DH_STATUS 424
#define DH_BLOCK_SIZE 428
#define DH_SUB_HDR_SIZE 432
#define DH_BITMAP_BLOCKS 436
#define DH_MAX_MAPNR 440
#define DH_SIZE 464
/* struct kdump_sub_header, 64-bit: max_mapnr_64 from header_version 6 */
#define SH_MAX_MAPNR_64 96
#define PD_SIZE 24 /* struct page_desc: offset, size, flags, page_flags */
#define RANK_BITS 4096

#define SEGMENT_OUTSIDE "segment %u (%llu bytes at %llu) is outside the file"
#define AREA_UNREADABLE "%u valid locator%s, but %s area could not be read"

static const char not_a_file[] =
	"a kdump-compressed vmcore must be a regular file";

__attribute__((format(printf, 3, 4))) static int
dfail(struct bcr_dump *d, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	return error;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

enum bcr_file_kind bcr_file_kind(const void *head, size_t len)
{
	const uint8_t *p = head;

	if (!len)
		return BCR_FILE_EMPTY;
	if (len >= 8 && !memcmp(p, BUGCHECK_RECORD_MAGIC, 8))
		return BCR_FILE_RECORD;
	if (len >= SELFMAG && !memcmp(p, ELFMAG, SELFMAG)) {
		const Elf64_Ehdr *eh = head;

		if (len >= sizeof(*eh) && p[EI_CLASS] == ELFCLASS64 &&
		    p[EI_DATA] == ELFDATA2LSB && eh->e_type == ET_CORE)
			return BCR_FILE_ELF_VMCORE;
		return BCR_FILE_ELF_OTHER;
	}
	if (len >= 8 && !memcmp(p, KDUMP_SIGNATURE, 8))
		return BCR_FILE_KDUMP;
	if (len >= 8 && !memcmp(p, DISKDUMP_SIGNATURE, 8))
		return BCR_FILE_DISKDUMP;
	if (len >= 12 && !memcmp(p, FLAT_SIGNATURE, 12))
		return BCR_FILE_FLATTENED;
	if (bcr__all_zero(p, len))
		return BCR_FILE_ZEROS;
	return BCR_FILE_UNKNOWN;
}

const char *bcr_file_kind_name(enum bcr_file_kind kind)
{
	switch (kind) {
	case BCR_FILE_EMPTY:
		return "an empty file";
	case BCR_FILE_RECORD:
		return "a bugcheck record";
	case BCR_FILE_ZEROS:
		return "all zeros (a record area no bugcheck wrote)";
	case BCR_FILE_ELF_VMCORE:
		return "an ELF vmcore";
	case BCR_FILE_ELF_OTHER:
		return "an ELF file that is no 64-bit little-endian core file";
	case BCR_FILE_KDUMP:
		return "a kdump-compressed vmcore";
	case BCR_FILE_FLATTENED:
		return "a flattened vmcore (makedumpfile -F; makedumpfile -R reassembles it)";
	case BCR_FILE_DISKDUMP:
		return "a diskdump vmcore";
	case BCR_FILE_UNKNOWN:
		break;
	}
	return "no record magic and no vmcore header";
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int open_elf(struct bcr_dump *d, uint64_t file_size)
{
	Elf64_Ehdr eh;
	uint32_t i, n = 0;

	if (read_at(d->fd, &eh, sizeof(eh), 0))
		return dfail(d, BCR_E_IO, "cannot read the ELF header");
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum)
		return dfail(d, BCR_E_LAYOUT,
			     "ELF header: %u program headers of %u bytes",
			     eh.e_phnum, eh.e_phentsize);
	d->segs = calloc(eh.e_phnum, sizeof(*d->segs));
	if (!d->segs)
		return dfail(d, BCR_E_NOMEM, "no memory for %u segments",
			     eh.e_phnum);
	for (i = 0; i < eh.e_phnum && n < MAX_SEGMENTS; i++) {
		Elf64_Phdr ph;

		if (read_at(d->fd, &ph, sizeof(ph),
			    eh.e_phoff + (uint64_t)i * sizeof(ph)))
			return dfail(d, BCR_E_IO, "short program header %u", i);
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		/* /proc/vmcore has no file size: trust only bounded segments. */
		if (ph.p_filesz > ph.p_memsz ||
		    (file_size && (ph.p_offset > file_size ||
				   ph.p_filesz > file_size - ph.p_offset)))
			return dfail(d, BCR_E_LAYOUT, SEGMENT_OUTSIDE, i,
				     (unsigned long long)ph.p_filesz,
				     (unsigned long long)ph.p_offset);
		d->segs[n++] = (struct bcr_dump_segment){
			.paddr = ph.p_paddr,
			.offset = ph.p_offset,
			.filesz = ph.p_filesz,
			.memsz = ph.p_memsz,
		};
	}
	d->nr_segs = n;
	if (!n)
		return dfail(d, BCR_E_LAYOUT, "no memory segments (PT_LOAD)");
	d->page_size = 4096;
	return 0;
}

static const char only_zlib[] = {
	"this reader knows zlib (makedumpfile -c) and uncompressed pages only; use crash, or makedumpfile -E to convert"
};

static int open_kdump(struct bcr_dump *d, uint64_t file_size)
{
	uint8_t dh[DH_SIZE], sh[SH_MAX_MAPNR_64 + 8];
	uint64_t bitmap_off, bitmap_len, half, i, max_mapnr, count;
	uint32_t version, block, sub_blocks, bitmap_blocks;

	if (read_at(d->fd, dh, sizeof(dh), 0))
		return dfail(d, BCR_E_IO, "cannot read the kdump header");
	version = get32(dh + DH_VERSION);
	block = get32(dh + DH_BLOCK_SIZE);
	sub_blocks = get32(dh + DH_SUB_HDR_SIZE);
	bitmap_blocks = get32(dh + DH_BITMAP_BLOCKS);
	max_mapnr = get32(dh + DH_MAX_MAPNR);
	d->status = get32(dh + DH_STATUS);
	if (block < 4096 || block > (1u << 21) || block & (block - 1))
		return dfail(d, BCR_E_LAYOUT, "kdump header: block size %u",
			     block);
	if (version >= 6) {
		if (read_at(d->fd, sh, sizeof(sh), block))
			return dfail(d, BCR_E_IO,
				     "cannot read the kdump sub-header");
		max_mapnr = get64(sh + SH_MAX_MAPNR_64);
	}
	if (d->status & (DUMP_DH_COMPRESSED_LZO | DUMP_DH_COMPRESSED_SNAPPY |
			 DUMP_DH_COMPRESSED_ZSTD))
		return dfail(d, BCR_E_NOTRECORD, "pages compressed with %s: %s",
			     d->status & DUMP_DH_COMPRESSED_LZO	   ? "lzo" :
			     d->status & DUMP_DH_COMPRESSED_SNAPPY ? "snappy" :
								     "zstd",
			     only_zlib);
	/* Two bitmaps of bitmap_blocks / 2 blocks each; the 2nd is the one. */
	half = (uint64_t)bitmap_blocks / 2 * block;
	bitmap_off = (1 + (uint64_t)sub_blocks) * block;
	bitmap_len = (max_mapnr + 7) / 8;
	if (!max_mapnr || bitmap_len > half ||
	    bitmap_off + 2 * half > file_size)
		return dfail(d, BCR_E_LAYOUT,
			     "kdump header: %llu pages, a %u-block bitmap",
			     (unsigned long long)max_mapnr, bitmap_blocks);
	d->max_mapnr = max_mapnr;
	d->page_size = block;
	d->desc_offset = bitmap_off + 2 * half;
	d->bitmap = malloc(bitmap_len);
	d->rank = malloc((max_mapnr + RANK_BITS - 1) / RANK_BITS *
			 sizeof(*d->rank));
	d->zbuf = malloc(block);
	d->page = malloc(block);
	if (!d->bitmap || !d->rank || !d->zbuf || !d->page)
		return dfail(d, BCR_E_NOMEM, "no memory for the page bitmap");
	if (read_at(d->fd, d->bitmap, bitmap_len, bitmap_off + half))
		return dfail(d, BCR_E_IO, "cannot read the page bitmap");
	/* Page descriptors exist for dumpable pages only: count them once. */
	for (i = 0, count = 0; i < max_mapnr; i += 8) {
		if (i % RANK_BITS == 0)
			d->rank[i / RANK_BITS] = count;
		count += (uint64_t)__builtin_popcount(d->bitmap[i / 8]);
	}
	d->cached_pfn = UINT64_MAX;
	return 0;
}

int bcr_dump_open(struct bcr_dump *d, int fd)
{
	uint8_t head[BCR_KIND_PROBE];
	uint64_t file_size = 0;
	struct stat st;
	ssize_t n;
	int ret;

	if (!d)
		return BCR_E_ARG;
	memset(d, 0, sizeof(*d));
	d->fd = fd;
	do
		n = pread(fd, head, sizeof(head), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return dfail(d, BCR_E_IO, "%s", strerror(errno));
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size)
		file_size = (uint64_t)st.st_size;
	d->kind = bcr_file_kind(head, (size_t)n);
	switch (d->kind) {
	case BCR_FILE_ELF_VMCORE:
		ret = open_elf(d, file_size);
		break;
	case BCR_FILE_KDUMP:
		if (!file_size)
			return dfail(d, BCR_E_NOTRECORD, "%s", not_a_file);
		ret = open_kdump(d, file_size);
		break;
	default:
		return dfail(d, BCR_E_NOTRECORD,
			     "%s, not a vmcore this reader knows",
			     bcr_file_kind_name(d->kind));
	}
	if (ret)
		bcr_dump_close(d);
	return ret;
}

void bcr_dump_close(struct bcr_dump *d)
{
	if (!d)
		return;
	free(d->segs);
	free(d->bitmap);
	free(d->rank);
	free(d->zbuf);
	free(d->page);
	d->segs = NULL;
	d->bitmap = NULL;
	d->rank = NULL;
	d->zbuf = NULL;
	d->page = NULL;
	d->nr_segs = 0;
}

static int elf_read(struct bcr_dump *d, uint64_t paddr, void *buf, size_t len)
{
	uint32_t i;

	for (i = 0; i < d->nr_segs; i++) {
		const struct bcr_dump_segment *s = &d->segs[i];
		uint64_t off;

		if (paddr < s->paddr || paddr - s->paddr >= s->memsz ||
		    len > s->memsz - (paddr - s->paddr))
			continue;
		off = paddr - s->paddr;
		/* Past p_filesz the segment reads as zeros. */
		if (off >= s->filesz || len > s->filesz - off)
			break;
		return read_at(d->fd, buf, len, s->offset + off) ? BCR_E_IO : 0;
	}
	memset(buf, 0, len);
	return BCR_E_NOTFOUND;
}

static int kdump_page(struct bcr_dump *d, uint64_t pfn)
{
	uint64_t idx, i, data;
	uint8_t pd[PD_SIZE];
	uint32_t size, flags;
	uLongf out_len;

	if (pfn == d->cached_pfn)
		return 0;
	if (pfn >= d->max_mapnr || !(d->bitmap[pfn / 8] & (1u << (pfn % 8))))
		return BCR_E_NOTFOUND;
	/* The descriptor's index: dumpable pages before @pfn. */
	idx = d->rank[pfn / RANK_BITS];
	for (i = pfn / RANK_BITS * RANK_BITS; i < pfn; i++)
		idx += (d->bitmap[i / 8] >> (i % 8)) & 1;
	if (read_at(d->fd, pd, sizeof(pd), d->desc_offset + idx * PD_SIZE))
		return BCR_E_IO;
	data = get64(pd);
	size = get32(pd + 8);
	flags = get32(pd + 12);
	if (size > d->page_size || !size)
		return BCR_E_SECTION;
	if (read_at(d->fd, d->zbuf, size, data))
		return BCR_E_IO;
	if (flags & DUMP_DH_COMPRESSED_ZLIB) {
		out_len = d->page_size;
		if (uncompress(d->page, &out_len, d->zbuf, size) != Z_OK ||
		    out_len != d->page_size)
			return BCR_E_SECTION;
	} else if (flags) {
		return BCR_E_SECTION; /* another compression, page by page */
	}
	if (!(flags & DUMP_DH_COMPRESSED_ZLIB)) {
		if (size != d->page_size)
			return BCR_E_SECTION;
		memcpy(d->page, d->zbuf, size);
	}
	d->cached_pfn = pfn;
	return 0;
}

int bcr_dump_read(struct bcr_dump *d, uint64_t paddr, void *buf, size_t len)
{
	uint64_t in_page;
	int ret;

	if (!d || (!buf && len) || !d->page_size)
		return BCR_E_ARG;
	in_page = paddr % d->page_size;
	if (len > d->page_size - in_page)
		return BCR_E_ARG;
	if (d->kind == BCR_FILE_ELF_VMCORE)
		return elf_read(d, paddr, buf, len);
	ret = kdump_page(d, paddr / d->page_size);
	if (ret) {
		memset(buf, 0, len);
		return ret;
	}
	memcpy(buf, d->page + in_page, len);
	return 0;
}

/* The locator at @paddr, validated (docs/record-format.md); or NULL. */
static struct bugcheck_locator *locator_at(struct bcr_dump *d, uint64_t paddr)
{
	struct bugcheck_locator head, *l;
	uint32_t crc, page;
	size_t size, done;

	if (paddr % d->page_size ||
	    bcr_dump_read(d, paddr, &head, sizeof(head)) ||
	    memcmp(head.magic, BUGCHECK_LOCATOR_MAGIC, sizeof(head.magic)) ||
	    head.version != BUGCHECK_LOCATOR_VERSION || head.page_size < 4096 ||
	    head.page_size > (1u << 21) || !head.nr_pages ||
	    head.area_size > AREA_MAX ||
	    (uint64_t)head.nr_pages * head.page_size != head.area_size)
		return NULL;
	size = sizeof(head) + (size_t)head.nr_pages * sizeof(head.pfn[0]);
	if (head.size != size)
		return NULL;
	l = malloc(size);
	if (!l)
		return NULL;
	/* Physically contiguous: read it page by page of the dump. */
	for (done = 0; done < size; done += page) {
		page = d->page_size - (uint32_t)((paddr + done) % d->page_size);
		if (page > size - done)
			page = (uint32_t)(size - done);
		if (bcr_dump_read(d, paddr + done, (uint8_t *)l + done, page)) {
			free(l);
			return NULL;
		}
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

/* The area @l lists, pages missing from the dump as zeros. */
static int read_area(struct bcr_dump *d, const struct bugcheck_locator *l,
		     uint8_t **area, uint32_t *missing)
{
	uint8_t *buf;
	uint32_t i, p;
	int ret;

	/* An area page may be bigger than the dump's: read it in pieces. */
	if (l->page_size % d->page_size)
		return BCR_E_LAYOUT;
	buf = malloc(l->area_size);
	if (!buf)
		return BCR_E_NOMEM;
	*missing = 0;
	for (i = 0; i < l->nr_pages; i++) {
		int gone = 0;

		for (p = 0; p < l->page_size; p += d->page_size) {
			ret = bcr_dump_read(d, l->pfn[i] * l->page_size + p,
					    buf + (size_t)i * l->page_size + p,
					    d->page_size);
			if (ret == BCR_E_IO) {
				free(buf);
				return ret;
			}
			/* Excluded (zero) pages are not in a filtered dump. */
			gone |= ret != 0;
		}
		*missing += gone;
	}
	*area = buf;
	return 0;
}

/* The best area so far: a valid record beats a damaged one beats none. */
struct candidate {
	uint8_t *area;
	size_t len;
	int rank; /* -1 nothing yet, 0 no record, 1 damaged, 2 valid */
	uint64_t skip; /* the hint, already tried */
	int have_skip;
	struct bcr_found found;
};

/* Try the locator at @paddr; returns 1 once a valid record was found. */
static int try_locator(struct bcr_dump *d, uint64_t paddr, int scanned,
		       struct candidate *best, uint32_t *tried, int *err)
{
	struct bugcheck_locator *l = locator_at(d, paddr);
	uint8_t *area = NULL;
	uint32_t missing = 0;
	struct bcr r;
	int ret, rank;

	if (!l)
		return 0;
	if (scanned && best->have_skip && paddr == best->skip) {
		free(l);
		return 0;
	}
	(*tried)++;
	ret = read_area(d, l, &area, &missing);
	if (ret) {
		if (ret != BCR_E_LAYOUT)
			*err = ret;
		free(l);
		return 0;
	}
	ret = bcr_open(&r, area, l->area_size);
	rank = !r.hdr ? 0 : ret ? 1 : 2;
	bcr_close(&r);
	if (ret == BCR_E_NOMEM)
		*err = ret;
	if (rank > best->rank) {
		free(best->area);
		best->area = area;
		best->len = l->area_size;
		best->rank = rank;
		best->found = (struct bcr_found){
			.locator = paddr,
			.scanned = scanned,
			.nr_pages = l->nr_pages,
			.missing = missing,
			.page_size = l->page_size,
		};
		area = NULL;
	}
	free(area);
	free(l);
	return rank == 2;
}

/* Every page start of the dump, in address order, for the locator's magic. */
static int scan(struct bcr_dump *d, struct candidate *best, uint32_t *tried,
		int *err)
{
	uint8_t magic[8];
	uint64_t pfn;
	uint32_t i;

	if (d->kind == BCR_FILE_KDUMP) {
		for (pfn = 0; pfn < d->max_mapnr; pfn++) {
			if (!(d->bitmap[pfn / 8] & (1u << (pfn % 8))))
				continue;
			if (bcr_dump_read(d, pfn * d->page_size, magic,
					  sizeof(magic)) ||
			    memcmp(magic, BUGCHECK_LOCATOR_MAGIC, 8))
				continue;
			if (try_locator(d, pfn * d->page_size, 1, best, tried,
					err))
				return 1;
		}
		return 0;
	}
	for (i = 0; i < d->nr_segs; i++) {
		const struct bcr_dump_segment *s = &d->segs[i];
		uint8_t *chunk = malloc(SCAN_CHUNK);
		uint64_t off;

		if (!chunk) {
			*err = BCR_E_NOMEM;
			return 0;
		}
		for (off = 0; off < s->filesz; off += SCAN_CHUNK) {
			size_t len = s->filesz - off < SCAN_CHUNK ?
					     (size_t)(s->filesz - off) :
					     SCAN_CHUNK;
			size_t p;

			if (read_at(d->fd, chunk, len, s->offset + off)) {
				*err = BCR_E_IO;
				break;
			}
			for (p = (d->page_size -
				  (s->paddr + off) % d->page_size) %
				 d->page_size;
			     p + 8 <= len; p += d->page_size) {
				if (memcmp(chunk + p, BUGCHECK_LOCATOR_MAGIC,
					   8))
					continue;
				if (try_locator(d, s->paddr + off + p, 1, best,
						tried, err)) {
					free(chunk);
					return 1;
				}
			}
		}
		free(chunk);
	}
	return 0;
}

static const char no_locator[] =
	"no bugcheck locator in the dump (bugcheck.ko not loaded?)";

int bcr_dump_find_record(struct bcr_dump *d, const uint64_t *hint,
			 uint8_t **area, size_t *len, struct bcr_found *found)
{
	struct candidate best = { .rank = -1 };
	uint32_t tried = 0;
	int err = 0;

	if (!d || !area || !len || !d->page_size)
		return BCR_E_ARG;
	*area = NULL;
	*len = 0;
	if (hint) {
		best.skip = *hint;
		best.have_skip = 1;
	}
	if (!hint || !try_locator(d, *hint, 0, &best, &tried, &err))
		scan(d, &best, &tried, &err);
	if (!best.area) {
		if (err)
			return dfail(d, err, "%s while looking for the record",
				     bcr_strerror(err));
		if (!tried)
			return dfail(d, BCR_E_NOTFOUND, "%s", no_locator);
		return dfail(d, BCR_E_NOTFOUND, AREA_UNREADABLE, tried,
			     tried == 1 ? "" : "s",
			     tried == 1 ? "its" : "their");
	}
	best.found.nr_locators = tried;
	if (found)
		*found = best.found;
	*area = best.area;
	*len = best.len;
	return 0;
}
