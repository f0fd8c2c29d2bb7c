// SPDX-License-Identifier: GPL-2.0
/*
 * test_dump.c - libbcr's vmcore reader (dump.c): what a file is, physical
 * reads from ELF and kdump-compressed vmcores, and finding the record
 * through its locator, past stale locators and look-alikes.
 */
#include <unistd.h>

#include "helpers.h"

/* @data as a file to hand bcr_dump_open(); the caller closes it. */
static int file_of(const void *data, size_t len)
{
	char path[] = "/tmp/test_dump.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	unlink(path);
	if (write(fd, data, len) != (ssize_t)len)
		abort();
	return fd;
}

static void test_file_kind(void)
{
	static const uint8_t zeros[64];
	uint8_t buf[64] = { 0 };
	Elf64_Ehdr eh = { 0 };

	CHECK_EQ(bcr_file_kind(buf, 0), BCR_FILE_EMPTY);
	CHECK_EQ(bcr_file_kind(zeros, sizeof(zeros)), BCR_FILE_ZEROS);
	memcpy(buf, "BUGCHECK", 8);
	CHECK_EQ(bcr_file_kind(buf, 8), BCR_FILE_RECORD);
	memcpy(buf, "KDUMP   ", 8);
	CHECK_EQ(bcr_file_kind(buf, 64), BCR_FILE_KDUMP);
	memcpy(buf, "DISKDUMP", 8);
	CHECK_EQ(bcr_file_kind(buf, 64), BCR_FILE_DISKDUMP);
	memcpy(buf, "makedumpfile", 12);
	CHECK_EQ(bcr_file_kind(buf, 64), BCR_FILE_FLATTENED);
	memcpy(buf, "hello, world", 12);
	CHECK_EQ(bcr_file_kind(buf, 12), BCR_FILE_UNKNOWN);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_CORE;
	CHECK_EQ(bcr_file_kind(&eh, sizeof(eh)), BCR_FILE_ELF_VMCORE);
	CHECK_EQ(bcr_file_kind(&eh, 16), BCR_FILE_ELF_OTHER);
	eh.e_type = ET_EXEC;
	CHECK_EQ(bcr_file_kind(&eh, sizeof(eh)), BCR_FILE_ELF_OTHER);
	CHECK_STR(bcr_file_kind_name(BCR_FILE_ELF_VMCORE), "ELF vmcore");
	CHECK_STR(bcr_file_kind_name(BCR_FILE_KDUMP), "kdump-compressed");
	CHECK_STR(bcr_file_kind_name(BCR_FILE_EMPTY), "empty");
}

/* The record found in @core is exactly @rec, through the right locator. */
static void check_found(const uint8_t *core, size_t core_len,
			const uint8_t *rec, size_t len, const uint64_t *hint,
			enum bcr_file_kind kind)
{
	struct bcr_found found;
	struct bcr_dump d;
	uint8_t *got = NULL, page[MACHINE_PAGE];
	size_t got_len = 0;
	struct bcr r;
	int fd = file_of(core, core_len);

	CHECK_EQ(bcr_dump_open(&d, fd), 0);
	CHECK_EQ(d.kind, kind);
	CHECK_EQ(bcr_dump_find_record(&d, hint, &got, &got_len, &found), 0);
	CHECK_EQ(found.locator, (uint64_t)LOCATOR_PFN * MACHINE_PAGE);
	CHECK_EQ(found.nr_pages, 4);
	CHECK_EQ(got_len, 4 * MACHINE_PAGE);
	/* The stale locator was tried and passed over, unless the hint won. */
	CHECK_EQ(found.nr_locators, hint && *hint == found.locator ? 1 : 2);
	if (got) {
		CHECK(!memcmp(got, rec, len));
		CHECK(bcr_test_all_zero(got + len, got_len - len));
		CHECK_EQ(bcr_open(&r, got, got_len), BCR_OK);
		CHECK_EQ(bcr_record_extent(r.hdr, got_len), len);
		bcr_close(&r);
	}
	free(got);
	/* Holes and excluded pages read as zeros and say so. */
	CHECK_EQ(bcr_dump_read(&d, 33 * MACHINE_PAGE, page, 16),
		 BCR_E_NOTFOUND);
	CHECK(bcr_test_all_zero(page, 16));
	CHECK_EQ(bcr_dump_read(&d, 62 * MACHINE_PAGE, page, 16),
		 BCR_E_NOTFOUND);
	CHECK_EQ(bcr_dump_read(&d, 1000 * MACHINE_PAGE, page, 16),
		 BCR_E_NOTFOUND);
	/* Reads never cross a page. */
	CHECK_EQ(bcr_dump_read(&d, MACHINE_PAGE - 8, page, 16), BCR_E_ARG);
	CHECK_EQ(bcr_dump_read(&d, (uint64_t)area_pfn(0) * MACHINE_PAGE, page,
			       MACHINE_PAGE),
		 0);
	CHECK(!memcmp(page, rec, len < MACHINE_PAGE ? len : MACHINE_PAGE));
	bcr_dump_close(&d);
	close(fd);
}

static void test_elf(void)
{
	size_t len = build_std(area), n;
	uint8_t *mem = build_machine(area, len), *core;
	uint64_t hint = (uint64_t)LOCATOR_PFN * MACHINE_PAGE;
	uint64_t stale = (uint64_t)STALE_LOCATOR_PFN * MACHINE_PAGE;
	uint64_t wrong = 3 * MACHINE_PAGE;

	n = write_elf_vmcore(mem, &core);
	check_found(core, n, (const uint8_t *)area, len, NULL,
		    BCR_FILE_ELF_VMCORE);
	check_found(core, n, (const uint8_t *)area, len, &hint,
		    BCR_FILE_ELF_VMCORE);
	/* A stale or wrong hint: the scan still finds the record. */
	check_found(core, n, (const uint8_t *)area, len, &stale,
		    BCR_FILE_ELF_VMCORE);
	check_found(core, n, (const uint8_t *)area, len, &wrong,
		    BCR_FILE_ELF_VMCORE);
	free(core);
	free(mem);
}

static void test_kdump(void)
{
	size_t len = build_std(area), n;
	uint8_t *mem = build_machine(area, len), *core;

	n = write_kdump_vmcore(mem, &core);
	check_found(core, n, (const uint8_t *)area, len, NULL, BCR_FILE_KDUMP);
	free(core);
	free(mem);
}

/* No locator at all, only stale ones, a broken CRC: nothing found. */
static void test_not_found(void)
{
	size_t len = build_std(area), n;
	uint8_t *mem = build_machine(area, len), *core, *got;
	struct bugcheck_locator *l;
	struct bcr_found found;
	struct bcr_dump d;
	int fd;

	/* The real locator's CRC broken: only the stale one is valid. */
	l = (void *)(mem + LOCATOR_PFN * MACHINE_PAGE);
	l->pfn[0] ^= 1;
	n = write_elf_vmcore(mem, &core);
	fd = file_of(core, n);
	CHECK_EQ(bcr_dump_open(&d, fd), 0);
	/* The stale area holds zeros: handed back, and it is no record. */
	CHECK_EQ(bcr_dump_find_record(&d, NULL, &got, &n, &found), 0);
	CHECK_EQ(found.locator, (uint64_t)STALE_LOCATOR_PFN * MACHINE_PAGE);
	CHECK_EQ(found.missing, 4);
	CHECK(bcr_test_all_zero(got, n));
	free(got);
	bcr_dump_close(&d);
	close(fd);
	free(core);

	memset(mem + STALE_LOCATOR_PFN * MACHINE_PAGE, 0, MACHINE_PAGE);
	n = write_elf_vmcore(mem, &core);
	fd = file_of(core, n);
	CHECK_EQ(bcr_dump_open(&d, fd), 0);
	CHECK_EQ(bcr_dump_find_record(&d, NULL, &got, &n, &found),
		 BCR_E_NOTFOUND);
	CHECK_STR(d.why, "no bugcheck locator");
	bcr_dump_close(&d);
	close(fd);
	free(core);
	free(mem);
}

/* Hostile headers: refused with a reason, never read out of bounds. */
static void test_hostile_vmcores(void)
{
	size_t len = build_std(area), n, cut;
	uint8_t *mem = build_machine(area, len), *core, *got;
	struct bcr_found found;
	struct bcr_dump d;
	Elf64_Phdr *ph;
	int fd;

	n = write_elf_vmcore(mem, &core);
	ph = (void *)(core + sizeof(Elf64_Ehdr));
	ph[2].p_filesz += 100 * MACHINE_PAGE; /* past the end of the file */
	fd = file_of(core, n);
	CHECK_EQ(bcr_dump_open(&d, fd), BCR_E_LAYOUT);
	CHECK_STR(d.why, "outside the file");
	close(fd);
	free(core);

	n = write_kdump_vmcore(mem, &core);
	for (cut = 0; cut < n; cut += n / 7 + 1) {
		fd = file_of(core, cut);
		if (!bcr_dump_open(&d, fd)) {
			if (!bcr_dump_find_record(&d, NULL, &got, &len, &found))
				free(got);
			bcr_dump_close(&d);
		}
		close(fd);
	}
	/* A compressed page that does not decompress is not in the dump. */
	memset(core + n - 64, 0xa5, 64);
	fd = file_of(core, n);
	CHECK_EQ(bcr_dump_open(&d, fd), 0);
	if (!bcr_dump_find_record(&d, NULL, &got, &len, &found))
		free(got);
	bcr_dump_close(&d);
	close(fd);
	/* Other compressions are named, not misread. */
	core[424] = 0x20;
	fd = file_of(core, n);
	CHECK_EQ(bcr_dump_open(&d, fd), BCR_E_NOTRECORD);
	CHECK_STR(d.why, "zstd");
	close(fd);
	free(core);
	free(mem);
}

static const struct test tests[] = {
	{ "file kinds", test_file_kind },
	{ "ELF vmcore: record through the locator, past a stale one",
	  test_elf },
	{ "kdump-compressed vmcore: zlib and raw pages", test_kdump },
	{ "no valid locator, or only a stale one", test_not_found },
	{ "hostile vmcore headers", test_hostile_vmcores },
};

int main(void)
{
	return run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
