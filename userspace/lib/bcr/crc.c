// SPDX-License-Identifier: GPL-2.0
/*
 * crc.c - the record's CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320,
 * the same value as zlib's crc32()), fast where the CPU allows it.
 *
 * On x86-64 with PCLMULQDQ (and SSE4.1), checked at run time, 64 bytes at
 * a time are folded into four 128-bit lanes with carry-less multiplies,
 * the lanes into one, and the remainder is reduced to 32 bits with
 * Barrett's method, as in Gopal et al., "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ Instruction" (Intel, 2009); the constants are
 * the paper's for the reflected polynomial (Linux's crc32-pclmul uses the
 * same).  Short buffers and the last bytes go through zlib's tables, which
 * are also the portable fallback.
 */
#include <zlib.h>

#include "internal.h"

/* zlib takes uInt lengths. */
static uint32_t crc_zlib(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = (uint32_t)crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return crc;
}

int bcr__crc32_no_clmul;

uint32_t bcr__crc32_portable(uint32_t crc, const void *data, size_t len)
{
	return crc_zlib(crc, data, len);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* Below this, setting up the lanes costs more than the tables. */
#define FOLD_MIN 64

/*
 * pshufb masks for a shift by 1 to 15 bytes (loaded at +r): right by r,
 * left by 16 - r, and the r high bytes.
 */
static const uint8_t shift_right[32] = {
	0,    1,    2,	  3,	4,    5,    6,	  7,	8,    9,    10,
	11,   12,   13,	  14,	15,   0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
};

static const uint8_t shift_left[32] = {
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0,    1,	  2,	3,    4,    5,
	6,    7,    8,	  9,	10,   11,   12,	  13,	14,   15,
};

static const uint8_t high_bytes[32] = {
	0,    0,    0,	  0,	0,    0,    0,	  0,	0,    0,    0,
	0,    0,    0,	  0,	0,    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* Barrett reduction of a 64-bit product to the 32-bit CRC register. */
__attribute__((target("pclmul,sse4.1"))) static inline uint32_t
barrett(__m128i x1)
{
	const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
	const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
	__m128i t1;

	t1 = _mm_and_si128(x1, mask32);
	t1 = _mm_clmulepi64_si128(t1, poly, 0x10);
	t1 = _mm_and_si128(t1, mask32);
	t1 = _mm_clmulepi64_si128(t1, poly, 0x00);
	x1 = _mm_xor_si128(x1, t1);
	return (uint32_t)_mm_extract_epi32(x1, 1);
}

/* The 32-bit CRC register of a 128-bit lane: to 64 bits, then Barrett. */
__attribute__((target("pclmul,sse4.1"))) static inline uint32_t
reduce(__m128i x1)
{
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
	const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
	const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
	__m128i t1;

	t1 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
	x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), t1);
	t1 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, mask32);
	x1 = _mm_clmulepi64_si128(x1, k5, 0x00);
	x1 = _mm_xor_si128(x1, t1);
	return barrett(x1);
}

/* The raw register (not inverted) over @len bytes, @len at least 64. */
__attribute__((target("pclmul,sse4.1"))) static uint32_t
fold(uint32_t reg, const uint8_t *p, size_t len)
{
	/* x^(4*128+32), x^(4*128-32); x^(128+32), x^(128-32); x^64; P', u' */
	const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
	__m128i x1, x2, x3, x4, t1, t2, t3, t4;

	x1 = _mm_loadu_si128((const __m128i *)(p + 0));
	x2 = _mm_loadu_si128((const __m128i *)(p + 16));
	x3 = _mm_loadu_si128((const __m128i *)(p + 32));
	x4 = _mm_loadu_si128((const __m128i *)(p + 48));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)reg));
	p += 64;
	len -= 64;

	/* Four lanes, 64 bytes a step. */
	while (len >= 64) {
		t1 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
		t2 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
		t3 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
		t4 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
		x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
		x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
		x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
		x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, t1),
				   _mm_loadu_si128((const __m128i *)(p + 0)));
		x2 = _mm_xor_si128(_mm_xor_si128(x2, t2),
				   _mm_loadu_si128((const __m128i *)(p + 16)));
		x3 = _mm_xor_si128(_mm_xor_si128(x3, t3),
				   _mm_loadu_si128((const __m128i *)(p + 32)));
		x4 = _mm_xor_si128(_mm_xor_si128(x4, t4),
				   _mm_loadu_si128((const __m128i *)(p + 48)));
		p += 64;
		len -= 64;
	}

	/* Into one lane. */
	t1 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, t1), x2);
	t1 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, t1), x3);
	t1 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, t1), x4);

	/* 16 bytes a step. */
	while (len >= 16) {
		t1 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
		x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, t1),
				   _mm_loadu_si128((const __m128i *)p));
		p += 16;
		len -= 16;
	}

	/*
	 * The last 1 to 15 bytes: the lane moves on by that many, the bytes
	 * it leaves behind are folded into it, and the data's last 16 bytes
	 * (already in the lane but for the new ones) fill it up.
	 */
	if (len) {
		const __m128i *left = (const __m128i *)(shift_left + len);
		const __m128i *right = (const __m128i *)(shift_right + len);
		const __m128i *high = (const __m128i *)(high_bytes + len);
		__m128i in = _mm_loadu_si128((const __m128i *)(p + len - 16));
		__m128i out = _mm_shuffle_epi8(x1, _mm_loadu_si128(left));

		x1 = _mm_shuffle_epi8(x1, _mm_loadu_si128(right));
		in = _mm_and_si128(in, _mm_loadu_si128(high));
		t1 = _mm_clmulepi64_si128(out, k3k4, 0x00);
		out = _mm_clmulepi64_si128(out, k3k4, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, in),
				   _mm_xor_si128(out, t1));
	}

	return reduce(x1);
}

/*
 * A CRC moved on by @n zero bytes, with @k the constant for that distance
 * (shift_constant()): one carry-less multiply, then Barrett.
 */
__attribute__((target("pclmul,sse4.1"))) static uint32_t shift(uint32_t crc,
							       uint64_t k)
{
	__m128i x = _mm_cvtsi32_si128((int)crc);
	__m128i y = _mm_cvtsi64_si128((long long)k);

	return barrett(_mm_clmulepi64_si128(x, y, 0x00));
}

/*
 * shift()'s constants for 2^i bytes: x^(8 * 2^i) mod P, bit-reflected and
 * shifted left by one as the folding constants are (x^64 is k5 above).
 */
static const uint64_t pow2_constants[32] = {
	0x001000000, 0x000010000, 0x1db710640, 0x163cd6124, 0x140d44a2e,
	0x1dac4fb5c, 0x111a288ce, 0x1af77fcd4, 0x1d888fe22, 0x11cfd42e0,
	0x0c84f001c, 0x09a8f75c0, 0x013fca91e, 0x1070a5a1e, 0x0606c5e34,
	0x0f6b53986, 0x063fd82d2, 0x13fd80454, 0x0d91bdb88, 0x02bad0e9a,
	0x0bfbcf49c, 0x175b21c6e, 0x05c9cbdde, 0x09d574428, 0x15148e580,
	0x085352d3c, 0x0291a6054, 0x188174da0, 0x189c45878, 0x080000000,
	0x040000000, 0x010000000,
};

/* shift()'s constant for @n < 2^32 bytes: the product of the powers of 2. */
static uint64_t shift_constant(uint64_t n)
{
	uint32_t acc = 0x80000000; /* x^0, reflected */
	unsigned int i;

	for (i = 0; n; i++, n >>= 1)
		if (n & 1)
			acc = shift(acc, pow2_constants[i]);
	return (uint64_t)acc << 1;
}

int bcr__crc32_fast(void)
{
	return !bcr__crc32_no_clmul && __builtin_cpu_supports("pclmul") &&
	       __builtin_cpu_supports("sse4.1");
}

uint32_t bcr__crc32(uint32_t crc, const void *data, size_t len)
{
	if (len < FOLD_MIN || !bcr__crc32_fast())
		return crc_zlib(crc, data, len);
	return ~fold(~crc, data, len);
}

/* A combine operator for the carry-less multiply, not zlib's. */
#define OP_CLMUL (1ULL << 63)

uint64_t bcr__crc32_combine_gen(uint64_t len)
{
	if (len < (1ULL << 32) && bcr__crc32_fast())
		return OP_CLMUL | shift_constant(len);
	return (uint64_t)crc32_combine_gen((z_off_t)len);
}

uint32_t bcr__crc32_combine_op(uint32_t crc1, uint32_t crc2, uint64_t op)
{
	if (op & OP_CLMUL)
		return shift(crc1, op & ~OP_CLMUL) ^ crc2;
	return (uint32_t)crc32_combine_op(crc1, crc2, (uLong)op);
}
#else
int bcr__crc32_fast(void)
{
	return 0;
}

uint32_t bcr__crc32(uint32_t crc, const void *data, size_t len)
{
	return crc_zlib(crc, data, len);
}

uint64_t bcr__crc32_combine_gen(uint64_t len)
{
	return (uint64_t)crc32_combine_gen((z_off_t)len);
}

uint32_t bcr__crc32_combine_op(uint32_t crc1, uint32_t crc2, uint64_t op)
{
	return (uint32_t)crc32_combine_op(crc1, crc2, (uLong)op);
}
#endif

uint32_t bcr_crc32(const void *data, size_t len)
{
	return bcr__crc32(0, data, len);
}
