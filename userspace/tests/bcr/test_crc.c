// SPDX-License-Identifier: GPL-2.0
/*
 * test_crc.c - libbcr's CRC-32 (crc.c) against zlib's crc32() and a
 * bit-at-a-time reference, over every length up to 600 bytes and random
 * lengths, alignments and chained calls, on the folding path and on the
 * portable one; and the CRC of two pieces combined from theirs.
 */
#include "helpers.h"
#include "internal.h"

#define BUF_LEN (1u << 20)

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint8_t *random_buf(void)
{
	uint8_t *buf = malloc(BUF_LEN);
	size_t i;

	if (!buf)
		abort();
	for (i = 0; i < BUF_LEN; i++)
		buf[i] = (uint8_t)rnd();
	return buf;
}

static uint32_t zlib_crc(uint32_t crc, const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(crc, p, (uInt)len);
}

/* Which path bcr__crc32() takes here: both must agree with zlib. */
static void test_path(void)
{
	printf("#   folding with PCLMULQDQ: %s\n",
	       bcr__crc32_fast() ? "yes" : "no (the portable path only)");
	/* The check value of CRC-32/ISO-HDLC. */
	CHECK_EQ(bcr_crc32("123456789", 9), 0xcbf43926);
	CHECK_EQ(bcr__crc32_portable(0, "123456789", 9), 0xcbf43926);
	CHECK_EQ(bcr_crc32(NULL, 0), 0);
}

/* Every length up to 600 at every alignment 0..15. */
static void test_lengths(void)
{
	uint8_t *buf = random_buf();
	unsigned int bad = 0;
	size_t len, off;

	for (off = 0; off < 16; off++) {
		for (len = 0; len <= 600; len++) {
			uint32_t want = zlib_crc(0, buf + off, len);

			if (bcr__crc32(0, buf + off, len) != want ||
			    bcr__crc32_portable(0, buf + off, len) != want) {
				if (!bad++)
					printf("#   length %zu at offset %zu: %08x, zlib %08x\n",
					       len, off,
					       bcr__crc32(0, buf + off, len),
					       want);
			}
		}
	}
	CHECK_EQ(bad, 0);
	/* The reference writer of the tests computes the same. */
	CHECK_EQ(bcr_crc32(buf, 4099), ~ref_crc(~0U, buf, 4099));
	free(buf);
}

/* Random lengths (up to the whole MiB), offsets and running CRCs. */
static void test_random(void)
{
	uint8_t *buf = random_buf();
	unsigned int i, bad = 0;

	for (i = 0; i < 2000; i++) {
		size_t off = rnd() % 64;
		size_t len = i % 10 ? rnd() % 70000 : rnd() % (BUF_LEN - 64);
		uint32_t seed = i % 3 ? rnd() : 0;
		uint32_t want = zlib_crc(seed, buf + off, len);

		if (bcr__crc32(seed, buf + off, len) != want) {
			if (!bad++)
				printf("#   length %zu at offset %zu, seed %08x: %08x, zlib %08x\n",
				       len, off, seed,
				       bcr__crc32(seed, buf + off, len), want);
		}
	}
	CHECK_EQ(bad, 0);
	free(buf);
}

/* A CRC carried over pieces is the CRC of the whole. */
static void test_chained(void)
{
	uint8_t *buf = random_buf();
	unsigned int i, bad = 0;

	for (i = 0; i < 500; i++) {
		size_t len = rnd() % 200000, done = 0;
		uint32_t crc = 0;

		while (done < len) {
			size_t n = rnd() % 300;

			if (n > len - done)
				n = len - done;
			crc = bcr__crc32(crc, buf + done, n);
			done += n;
		}
		bad += crc != zlib_crc(0, buf, len);
	}
	CHECK_EQ(bad, 0);
	free(buf);
}

/* Combining two CRCs gives zlib's crc32_combine(), with either operator. */
static void test_combine(void)
{
	uint8_t *buf = random_buf();
	unsigned int i, bad = 0;

	for (i = 0; i < 3000; i++) {
		size_t a = rnd() % 5000;
		size_t b = i < 300 ? i :
			   i % 4   ? rnd() % 70000 :
				     rnd() % (BUF_LEN - a);
		uint32_t ca = zlib_crc(0, buf, a), cb = zlib_crc(0, buf + a, b);
		uint32_t want = zlib_crc(0, buf, a + b);
		uint64_t op = bcr__crc32_combine_gen(b);

		if (bcr__crc32_combine_op(ca, cb, op) != want) {
			if (!bad++)
				printf("#   %zu + %zu bytes: %08x, zlib %08x\n",
				       a, b, bcr__crc32_combine_op(ca, cb, op),
				       want);
		}
		bad += (uint32_t)crc32_combine(ca, cb, (z_off_t)b) != want;
	}
	CHECK_EQ(bad, 0);
	free(buf);
}

/* The same on the portable path, as on a CPU without PCLMULQDQ. */
static void test_portable(void)
{
	uint8_t *rec = aligned_alloc(8, 1u << 18);
	size_t len;
	struct bcr r;

	/* Parts long enough to be combined, not CRCed twice. */
	len = build_parts(rec, 1u << 18, 40, 5000, 1, 0);

	bcr__crc32_no_clmul = 1;
	CHECK_EQ(bcr__crc32_fast(), 0);
	test_random();
	test_combine();
	/* A record decodes the same: its stream CRC combined with zlib's. */
	CHECK_EQ(bcr_open(&r, rec, len), BCR_OK);
	bcr_close(&r);
	bcr__crc32_no_clmul = 0;
	CHECK_EQ(bcr_open(&r, rec, len), BCR_OK);
	bcr_close(&r);
	free(rec);
}

static const struct test tests[] = {
	{ "crc: path and check value", test_path },
	{ "crc: every length to 600, every alignment", test_lengths },
	{ "crc: random lengths, offsets, seeds", test_random },
	{ "crc: chained pieces", test_chained },
	{ "crc: combined CRCs", test_combine },
	{ "crc: the portable path", test_portable },
};

int main(void)
{
	return run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
