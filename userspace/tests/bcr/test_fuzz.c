// SPDX-License-Identifier: GPL-2.0
/*
 * test_fuzz.c - every byte of each kind of record flipped, then seeded random
 * mutations, decoded and printed by every printer: nothing reads outside the
 * buffer.
 */
#include <unistd.h>

#include "helpers.h"

/* Every byte of a device record flipped: the printer stays inside the buffer. */
static void test_devices_fuzz(void)
{
	size_t len = build_devices(area), i;
	uint8_t *orig = exact_copy(area, len);
	uint8_t *buf = exact_copy(area, len);
	struct bcr r;
	int k;

	for (i = 0; i < len; i++) {
		for (k = 0; k < 2; k++) {
			memcpy(buf, orig, len);
			buf[i] ^= k ? 0x01 : 0xff;
			if (k)
				rb_recrc(buf, len);
			topen(&r, buf, len);
			bcr_print_devices(devnull, &r);
			bcr_print_summary(devnull, &r);
		}
	}
	free(orig);
	free(buf);
}

/* Fuzz: every byte flipped, then random damage; decode and print everything. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void fuzz_one(const uint8_t *orig, uint8_t *buf, size_t len, size_t at,
		     uint8_t x, int recrc, unsigned int *accepted)
{
	struct bcr r;

	memcpy(buf, orig, len);
	buf[at] ^= x;
	if (recrc)
		rb_recrc(buf, len);
	if (topen(&r, buf, len) == BCR_OK)
		(*accepted)++;
	exercise(devnull, &r);
}

/* The records every fuzz test damages: each kind of section, good and malformed. */
static const struct {
	const char *name;
	size_t (*build)(void *buf);
	unsigned int mutations;
} fuzz_records[] = {
	{ "standard", build_std, 20000 },
	{ "user blocks", build_user_blocks, 10000 },
	{ "malformed user blocks", build_user_blocks_malformed, 5000 },
	{ "faults", build_faults, 5000 },
	{ "malformed faults", build_faults_malformed, 5000 },
};

static void test_fuzz_flip(void)
{
	size_t j;

	for (j = 0; j < sizeof(fuzz_records) / sizeof(fuzz_records[0]); j++) {
		size_t len = fuzz_records[j].build(area), i;
		uint8_t *orig = exact_copy(area, len);
		uint8_t *buf = exact_copy(area, len);
		unsigned int accepted = 0;

		for (i = 0; i < len; i++) {
			fuzz_one(orig, buf, len, i, 0xff, 0, &accepted);
			fuzz_one(orig, buf, len, i, 0x01, 1, &accepted);
		}
		printf("#   %s: %zu bytes flipped twice, %u decodes accepted\n",
		       fuzz_records[j].name, len, accepted);
		free(orig);
		free(buf);
	}
}

#define MUTATIONS_LINE \
	"#   %s: %u random mutations: %u accepted, %u crc, %u section, %u layout, %u other\n"

/* The values that most often break bounds checks. */
static const uint8_t edges[] = { 0, 0xff, 0x7f, 0x80 };

static void fuzz_random(const char *name, size_t (*build)(void *buf),
			unsigned int count)
{
	size_t len = build(area);
	uint8_t *orig = exact_copy(area, len);
	uint8_t *buf = exact_copy(area, len);
	unsigned int i, k, accepted = 0, hits[8] = { 0 };

	for (i = 0; i < count; i++) {
		unsigned int n = 1 + rnd() % 4;
		struct bcr r;

		memcpy(buf, orig, len);
		for (k = 0; k < n; k++) {
			/* Half of the hits in the header's numbers. */
			uint32_t span = rnd() % 2 ? (uint32_t)len : 128;
			uint32_t at = rnd() % span;

			if (rnd() % 4 == 0)
				buf[at] = edges[rnd() % 4];
			else
				buf[at] = (uint8_t)rnd();
		}
		if (rnd() % 2)
			rb_recrc(buf, len);
		if (topen(&r, buf, len) == BCR_OK)
			accepted++;
		hits[-r.error & 7]++;
		exercise(devnull, &r);
	}
	printf(MUTATIONS_LINE, name, count, accepted, hits[-BCR_E_CRC],
	       hits[-BCR_E_SECTION], hits[-BCR_E_LAYOUT],
	       count - accepted - hits[-BCR_E_CRC] - hits[-BCR_E_SECTION] -
		       hits[-BCR_E_LAYOUT]);
	free(orig);
	free(buf);
}

static void test_fuzz_random(void)
{
	size_t j;

	for (j = 0; j < sizeof(fuzz_records) / sizeof(fuzz_records[0]); j++)
		fuzz_random(fuzz_records[j].name, fuzz_records[j].build,
			    fuzz_records[j].mutations);
}

/* A vmcore with byte @at flipped by @x: open, find, decode, print. */
static void fuzz_vmcore(const uint8_t *core, size_t n, size_t at, uint8_t x,
			unsigned int *found)
{
	char path[] = "/tmp/test_fuzz.XXXXXX";
	struct bcr_found where;
	struct bcr_dump d;
	uint8_t *copy = malloc(n), *rec;
	size_t len;
	struct bcr r;
	int fd = mkstemp(path);

	if (fd < 0 || !copy)
		abort();
	unlink(path);
	memcpy(copy, core, n);
	copy[at] ^= x;
	if (write(fd, copy, n) != (ssize_t)n)
		abort();
	free(copy);
	if (!bcr_dump_open(&d, fd)) {
		if (!bcr_dump_find_record(&d, NULL, &rec, &len, &where)) {
			CHECK(len <= 64u << 20);
			if (bcr_open(&r, rec, len) != BCR_E_NOMEM)
				exercise(devnull, &r);
			(*found)++;
			bcr_close(&r);
			free(rec);
		}
		bcr_dump_close(&d);
	}
	close(fd);
}

/* The vmcore reader on damaged ELF and kdump-compressed files. */
static void test_fuzz_vmcores(void)
{
	size_t len = build_std(area), n, at;
	uint8_t *mem = build_machine(area, len), *core;
	unsigned int found, tries;

	n = write_elf_vmcore(mem, &core);
	found = 0;
	tries = 0;
	/* The headers, and the locator's page. */
	for (at = 0; at < 512; at++, tries++)
		fuzz_vmcore(core, n, at, (uint8_t)(1u << (at % 8)), &found);
	for (at = 4096 + LOCATOR_PFN * MACHINE_PAGE;
	     at < 4096 + LOCATOR_PFN * MACHINE_PAGE + 72; at++, tries++)
		fuzz_vmcore(core, n, at, 0xff, &found);
	printf("#   ELF vmcore: %u bytes flipped, %u records found\n", tries,
	       found);
	free(core);
	n = write_kdump_vmcore(mem, &core);
	found = 0;
	tries = 0;
	for (at = 0; at < n; at += at < 4 * MACHINE_PAGE ? 13 : 1, tries++)
		if (at < 512 || at >= 2 * MACHINE_PAGE)
			fuzz_vmcore(core, n, at, (uint8_t)(1u << (at % 8)),
				    &found);
	printf("#   kdump vmcore: %u bytes flipped, %u records found\n", tries,
	       found);
	free(core);
	free(mem);
}

static const struct test tests[] = {
	{ "fuzz: damaged vmcores through the dump reader", test_fuzz_vmcores },
	{ "devices: every byte flipped", test_devices_fuzz },
	{ "fuzz: every byte flipped", test_fuzz_flip },
	{ "fuzz: seeded random mutations", test_fuzz_random },
};

int main(void)
{
	return run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
