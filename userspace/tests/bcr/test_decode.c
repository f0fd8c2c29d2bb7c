// SPDX-License-Identifier: GPL-2.0
/*
 * test_decode.c - libbcr's decoder: validation, the index, the walks (decode.c).
 */
#include "helpers.h"
#include "internal.h"

/* Tests */

static void test_crc32(void)
{
	CHECK_EQ(bcr_crc32("123456789", 9), 0xcbf43926);
	CHECK_EQ(bcr_crc32("", 0), 0);
	CHECK_EQ(bcr_crc32("The quick brown fox jumps over the lazy dog", 43),
		 0x414fa339);
}

static void test_valid(void)
{
	size_t len = build_std(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_section it = { .index = UINT32_MAX };
	static const uint32_t types[] = {
		BUGCHECK_SECTION_TRIAGE,      BUGCHECK_SECTION_SECONDARY,
		BUGCHECK_SECTION_MULTIPART,   BUGCHECK_SECTION_MULTIPART,
		BUGCHECK_SECTION_MULTIPART,   BUGCHECK_SECTION_REMOVED_PAGES,
		BUGCHECK_SECTION_ADDED_PAGES, BUGCHECK_SECTION_LEGACY,
	};
	const struct bugcheck_record_section *s;
	char blob[64];
	struct bcr r;
	uint32_t n = 0, off = 0;

	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	CHECK_EQ(r.error, 0);
	CHECK_EQ(r.damaged_section, -1);
	CHECK_EQ(r.why[0], '\0');
	CHECK(r.hdr == (const void *)buf);
	CHECK_EQ(r.hdr->bugcheck_code, 1);
	CHECK_EQ(r.hdr->bugcheck_parameter[0], 0xffffffff81a2b3c4ULL);
	CHECK_EQ(r.nr_callbacks, 7);
	CHECK_EQ(r.callback_size, CB_SIZE);
	CHECK_EQ(r.nr_sections, 8);
	CHECK(!strcmp(bcr_callback(&r, 0)->component, "triage-a"));
	CHECK(!strcmp(bcr_callback(&r, 6)->module, "bugcheck_sample_dumpio"));
	CHECK(!bcr_callback(&r, 7));
	CHECK(!bcr_callback(&r, UINT32_MAX));
	CHECK_EQ(bcr_callback(&r, 2)->bytes, 12);

	while (bcr_next_section(&r, &it)) {
		CHECK_EQ(it.index, n);
		if (n < 8)
			CHECK_EQ(it.sec->type, types[n]);
		CHECK(it.payload == (const uint8_t *)(it.sec + 1));
		CHECK_EQ(it.offset, (const uint8_t *)it.sec - buf);
		n++;
	}
	CHECK_EQ(n, 8);
	CHECK(!bcr_next_section(&r, &it)); /* stays at the end */

	CHECK_EQ(bcr_tag_read(&r, G1, blob, sizeof(blob)), 15);
	CHECK(!memcmp(blob, "hello secondary", 15));
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G2, blob, sizeof(blob)), 12);
	CHECK(!memcmp(blob, "AAAAAAABBBCC", 12));
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G2, blob, 9),
		 12); /* cut, full length returned */
	CHECK(!memcmp(blob, "AAAAAAABB\0", 10));
	CHECK_EQ(bcr_tag_read(&r, G2, NULL, 0), 12);
	CHECK_EQ(bcr_tag_read(&r, G3, blob, sizeof(blob)), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_tag_read(&r, G1, NULL, 5), BCR_E_ARG);

	CHECK_EQ(bcr_find_page(&r, 0x1000000 + 100, &it, &off), 0);
	s = it.sec;
	CHECK(s && s->type == BUGCHECK_SECTION_ADDED_PAGES);
	CHECK_EQ(it.index, 6);
	CHECK_EQ(off, 100);
	CHECK_EQ(bcr_find_page(&r, 0x1000000, &it, NULL), 0);
	CHECK(it.sec == s);
	CHECK_EQ(bcr_find_page(&r, 0x1000000 + 128, &it, &off), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_find_page(&r, 0xfffffff, &it, &off), BCR_E_NOTFOUND);
	/* removed, not added */
	CHECK_EQ(bcr_find_page(&r, 0xffff888000100000ULL, &it, &off),
		 BCR_E_NOTFOUND);

	CHECK_EQ(r.nr_io, 1);
	CHECK(r.io);
	if (r.io) {
		CHECK_EQ(r.io[0].callback, 6);
		CHECK_EQ(r.io[0].state, S_FINISHED);
		CHECK_EQ(r.io[0].bytes, r.hdr->used);
	}
	free(buf);
}

static void test_dumpio_copy(void)
{
	size_t len = build_std(area);
	uint32_t used = H(area)->used;
	uint8_t *buf = exact_copy(area, used);
	struct bcr r;
	size_t l;

	/* A dump-I/O mirror ends at used: valid, just no status table. */
	CHECK_EQ(topen(&r, buf, used), BCR_OK);
	CHECK(!r.io);
	CHECK_EQ(r.nr_io, 0);
	free(buf);
	for (l = used; l < len; l++) {
		buf = exact_copy(area, l);
		CHECK_EQ(topen(&r, buf, l), BCR_OK);
		CHECK(!r.io);
		exercise(devnull, &r);
		free(buf);
	}
}

static void test_truncated(void)
{
	size_t len, used;
	struct bcr r;

	build_std(area);
	used = H(area)->used;
	for (len = 0; len < used; len++) {
		uint8_t *buf = exact_copy(area, len);
		int ret = topen(&r, buf, len);

		CHECK(ret < 0);
		if (ret >= 0)
			printf("#   len %zu accepted\n", len);
		CHECK_EQ(ret, BCR_E_SHORT);
		CHECK(r.nr_sections < H(area)->nr_sections || len >= used);
		exercise(devnull, &r);
		free(buf);
	}
	CHECK_EQ(topen(&r, NULL, 0), BCR_E_SHORT);
	CHECK_EQ(topen(&r, NULL, 100), BCR_E_ARG);
	CHECK_EQ(topen(NULL, area, used), BCR_E_ARG);
}

static void test_header_crc(void)
{
	size_t len = build_std(area);
	uint8_t *buf;
	struct bcr r;

	H(area)->message[60] = 'x'; /* after the NUL: only the CRC can tell */
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_CRC);
	CHECK_STR(r.why, "header CRC");
	CHECK(r.hdr);
	CHECK_EQ(r.nr_callbacks, 7);
	CHECK(bcr_callback(&r, 1) &&
	      !strcmp(bcr_callback(&r, 1)->component, "sec-a"));
	CHECK_EQ(r.nr_sections, 8);
	CHECK_EQ(r.damaged_section, -1);
	CHECK_EQ(bcr_tag_read(&r, G1, NULL, 0), 15);
	exercise(devnull, &r);
	free(buf);

	/* Only COMPLETE records carry a CRC; the field itself is excluded from it. */
	build_std(area);
	H(area)->crc32 ^= 1;
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_CRC);
	free(buf);
}

static void test_payload_crc(void)
{
	size_t len = build_std(area);
	struct bcr_section it = { .index = UINT32_MAX };
	uint8_t *buf;
	struct bcr r;
	uint32_t n = 0;
	char blob[32];

	((uint8_t *)(sec_at(area, 2) + 1))[1] ^=
		0x40; /* first multipart part */
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_SECTION);
	CHECK_EQ(r.damaged_section, 2);
	/* Only the payload is bad: the size chain holds, every section is walked. */
	CHECK_EQ(r.nr_sections, 8);
	CHECK_STR(r.why, "section 2 at offset ");
	CHECK_STR(r.why, "payload CRC");
	CHECK_EQ(r.nr_callbacks, 7);
	while (bcr_next_section(&r, &it)) {
		CHECK_EQ(it.damaged, it.index == 2);
		n++;
	}
	CHECK_EQ(n, 8);
	CHECK_EQ(bcr_tag_read(&r, G1, blob, sizeof(blob)), 15);
	/* The blob whose first part is damaged is refused, not returned short. */
	CHECK_EQ(bcr_tag_read(&r, G2, blob, sizeof(blob)), BCR_E_SECTION);
	exercise(devnull, &r);
	free(buf);

	/* Both CRCs wrong: the first error stays, the section is still named. */
	build_std(area);
	((uint8_t *)(sec_at(area, 7) + 1))[0] ^= 1;
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_CRC);
	CHECK_EQ(r.damaged_section, 7);
	CHECK_EQ(r.nr_sections, 8);
	CHECK_STR(r.why, "section 7");
	free(buf);
}

/* Hostile values: each mutation of the standard record, its expected result. */
struct hostile {
	const char *name;
	void (*mutate)(void *buf, size_t *len);
	int recrc;
	int expect;
	int damaged; /* expected damaged_section (-1: none, -2: don't care) */
};

static void m_nr_callbacks(void *b, size_t *l)
{
	(void)l;
	H(b)->nr_callbacks = 0xffffffff;
}

static void m_nr_callbacks_over(void *b, size_t *l)
{
	(void)l;
	H(b)->nr_callbacks = 10;
}

static void m_cb_size_huge(void *b, size_t *l)
{
	(void)l;
	H(b)->callback_size = 0xfffffff8;
}

static void m_cb_size_small(void *b, size_t *l)
{
	(void)l;
	H(b)->callback_size = 112;
}

static void m_cb_size_odd(void *b, size_t *l)
{
	(void)l;
	H(b)->callback_size = 121;
}

static void m_cb_off_inside(void *b, size_t *l)
{
	(void)l;
	H(b)->callbacks_offset = 8;
}

static void m_cb_off_odd(void *b, size_t *l)
{
	(void)l;
	H(b)->callbacks_offset = 324;
}

static void m_sec_off_beyond(void *b, size_t *l)
{
	(void)l;
	H(b)->sections_offset = H(b)->used + 8;
}

static void m_sec_off_max(void *b, size_t *l)
{
	(void)l;
	H(b)->sections_offset = 0xfffffff8;
}

static void m_sec_off_odd(void *b, size_t *l)
{
	(void)l;
	H(b)->sections_offset += 4;
}

static void m_size0(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 0)->size = 0;
}

static void m_size_small(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 0)->size = 32;
}

static void m_size_odd(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 1)->size += 4;
}

static void m_size_huge(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 1)->size = 0xfffffff8;
}

static void m_len_max(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 1)->length = 0xffffffff;
}

static void m_len_near_max(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 1)->length = 0xffffffc0;
	sec_at(b, 1)->size =
		0xfffffff8; /* 64 + length, no overflow in 64 bits */
}

static void m_nr_sections_max(void *b, size_t *l)
{
	(void)l;
	H(b)->nr_sections = 0xffffffff;
}

static void m_nr_sections_less(void *b, size_t *l)
{
	(void)l;
	H(b)->nr_sections--;
}

static void m_used_beyond(void *b, size_t *l)
{
	(void)l;
	H(b)->used = (uint32_t)*l + 8;
}

static void m_used_max(void *b, size_t *l)
{
	(void)l;
	H(b)->used = 0xffffffff;
}

static void m_used_area(void *b, size_t *l)
{
	(void)l;
	H(b)->area_size = H(b)->used - 8;
}

static void m_used_small(void *b, size_t *l)
{
	(void)l;
	H(b)->used = 100;
}

static void m_io_overflow(void *b, size_t *l)
{
	(void)l;
	H(b)->io_status_offset = 0xfffffff0;
	H(b)->nr_io_status = 0xffffffff;
}

static void m_io_wrap32(void *b, size_t *l)
{
	(void)l;
	H(b)->nr_io_status = 0x10000000;
}

static void m_io_inside(void *b, size_t *l)
{
	(void)l;
	H(b)->io_status_offset = 8;
}

static void m_io_past_area(void *b, size_t *l)
{
	(void)l;
	H(b)->area_size = H(b)->used + 8;
}

static void m_io_odd(void *b, size_t *l)
{
	(void)l;
	H(b)->io_status_offset += 4;
}

static void m_hdr_size_small(void *b, size_t *l)
{
	(void)l;
	H(b)->header_size = 100;
}

static void m_hdr_size_big(void *b, size_t *l)
{
	(void)l;
	H(b)->header_size = 0xffffffff;
}

static void m_hdr_size_used(void *b, size_t *l)
{
	(void)l;
	H(b)->header_size = H(b)->used + 8;
}

static void m_magic(void *b, size_t *l)
{
	(void)l;
	H(b)->magic[7] = 'X';
}

static void m_zero(void *b, size_t *l)
{
	memset(b, 0, *l);
}

static void m_version0(void *b, size_t *l)
{
	(void)l;
	H(b)->version = 0;
}

static void m_version2(void *b, size_t *l)
{
	(void)l;
	H(b)->version = 2;
}

static void m_incomplete(void *b, size_t *l)
{
	/* As a bugcheck that died: used and crc32 are 0, no io table. */
	*l = AREA;
	H(b)->flags &= ~BUGCHECK_RECORD_F_COMPLETE;
	H(b)->used = 0;
	H(b)->crc32 = 0;
	H(b)->io_status_offset = 0;
	H(b)->nr_io_status = 0;
}

static void m_incomplete_short(void *b, size_t *l)
{
	(void)l; /* the area cut at the io table: sections still fit */
	H(b)->flags &= ~BUGCHECK_RECORD_F_COMPLETE;
	H(b)->used = 0;
}

static void m_incomplete_torn(void *b, size_t *l)
{
	m_incomplete(b, l);
	H(b)->nr_sections++; /* a section counted but never written: zeros */
}

static void m_section_cb_max(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 1)->callback = 0xffffffff;
}

static void m_unknown_type(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 0)->type = 99;
}

static void m_unknown_values(void *b, size_t *l)
{
	(void)l;
	H(b)->bugcheck_code = 77;
	H(b)->dump_type = 9;
	H(b)->flags |= 0x80000000;
	cb_at(b, 0)->reason = 42;
	cb_at(b, 0)->state = 42;
	cb_at(b, 0)->flags = 0xffffffff;
	memset(cb_at(b, 1)->component, 'A', 32); /* no NUL */
	memset(cb_at(b, 1)->module, 0xff, 56);
	memset(H(b)->message, 0x01, 128);
	memset(H(b)->release, '"', 64);
}

static const struct hostile hostile[] = {
	{ "nr_callbacks 0xffffffff", m_nr_callbacks, 1, BCR_E_LAYOUT, -1 },
	{ "nr_callbacks past slots", m_nr_callbacks_over, 1, BCR_E_LAYOUT, -1 },
	{ "callback_size huge", m_cb_size_huge, 1, BCR_E_LAYOUT, -1 },
	{ "callback_size small", m_cb_size_small, 1, BCR_E_LAYOUT, -1 },
	{ "callback_size odd", m_cb_size_odd, 1, BCR_E_LAYOUT, -1 },
	{ "callbacks_offset in header", m_cb_off_inside, 1, BCR_E_LAYOUT, -1 },
	{ "callbacks_offset misaligned", m_cb_off_odd, 1, BCR_E_LAYOUT, -1 },
	{ "sections_offset beyond used", m_sec_off_beyond, 1, BCR_E_LAYOUT,
	  -1 },
	{ "sections_offset max", m_sec_off_max, 1, BCR_E_LAYOUT, -1 },
	{ "sections_offset misaligned", m_sec_off_odd, 1, BCR_E_LAYOUT, -1 },
	{ "section size 0", m_size0, 1, BCR_E_SECTION, 0 },
	{ "section size < header", m_size_small, 1, BCR_E_SECTION, 0 },
	{ "section size not 8-aligned", m_size_odd, 1, BCR_E_SECTION, 1 },
	{ "section size huge", m_size_huge, 1, BCR_E_SECTION, 1 },
	{ "section length UINT32_MAX", m_len_max, 1, BCR_E_SECTION, 1 },
	{ "section length near UINT32_MAX", m_len_near_max, 1, BCR_E_SECTION,
	  1 },
	{ "nr_sections 0xffffffff", m_nr_sections_max, 1, BCR_E_SECTION, 8 },
	{ "nr_sections one short", m_nr_sections_less, 1, BCR_E_LAYOUT, -1 },
	{ "used > len", m_used_beyond, 0, BCR_E_SHORT, -2 },
	{ "used 0xffffffff", m_used_max, 0, BCR_E_SHORT, -2 },
	{ "used > area_size", m_used_area, 1, BCR_E_LAYOUT, -2 },
	{ "used < header_size", m_used_small, 0, BCR_E_LAYOUT, -2 },
	{ "io table offset+count overflow", m_io_overflow, 1, BCR_OK, -1 },
	{ "io table count*16 wraps 32 bits", m_io_wrap32, 1, BCR_OK, -1 },
	{ "io table inside the stream", m_io_inside, 1, BCR_OK, -1 },
	{ "io table past area_size", m_io_past_area, 1, BCR_OK, -1 },
	{ "io table misaligned", m_io_odd, 1, BCR_OK, -1 },
	{ "header_size small", m_hdr_size_small, 1, BCR_E_LAYOUT, -1 },
	{ "header_size huge", m_hdr_size_big, 1, BCR_E_SHORT, -1 },
	{ "header_size > used", m_hdr_size_used, 1, BCR_E_LAYOUT, -2 },
	{ "bad magic", m_magic, 1, BCR_E_MAGIC, -1 },
	{ "all zeros", m_zero, 0, BCR_E_MAGIC, -1 },
	{ "version 0", m_version0, 1, BCR_E_VERSION, -1 },
	{ "version 2", m_version2, 1, BCR_E_VERSION, -1 },
	{ "not COMPLETE", m_incomplete, 0, BCR_E_INCOMPLETE, -1 },
	{ "not COMPLETE, short area", m_incomplete_short, 0, BCR_E_INCOMPLETE,
	  -1 },
	{ "not COMPLETE, torn section", m_incomplete_torn, 0, BCR_E_INCOMPLETE,
	  8 },
	{ "section without table slot", m_section_cb_max, 1, BCR_OK, -1 },
	{ "unknown section type", m_unknown_type, 1, BCR_OK, -1 },
	{ "unknown values, unterminated strings", m_unknown_values, 1, BCR_OK,
	  -1 },
};

static void test_hostile(void)
{
	size_t i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const struct hostile *h = &hostile[i];
		size_t len = build_std(area);
		uint8_t *buf;
		struct bcr r;
		int ret;

		h->mutate(area, &len);
		if (h->recrc)
			rb_recrc(area, len);
		buf = exact_copy(area, len);
		ret = topen(&r, buf, len);
		if (ret != h->expect ||
		    (h->damaged != -2 && r.damaged_section != h->damaged)) {
			printf("#   %s: got %d (%s) damaged %d, expected %d damaged %d\n",
			       h->name, ret, r.why, r.damaged_section,
			       h->expect, h->damaged);
			checks_failed++;
		}
		CHECK(ret == BCR_OK ? !r.why[0] : !!r.why[0]);
		CHECK_EQ(r.error, ret);
		if (ret == BCR_OK && h->mutate != m_unknown_values)
			CHECK_EQ(r.nr_sections, 8);
		if (h->expect == BCR_OK && h->mutate != m_section_cb_max &&
		    h->mutate != m_unknown_type &&
		    h->mutate != m_unknown_values)
			CHECK(!r.io && r.nr_io == 0);
		if (h->expect == BCR_E_INCOMPLETE) {
			CHECK(r.hdr);
			CHECK_EQ(r.nr_callbacks, 7);
			CHECK_EQ(r.nr_sections, 8);
			CHECK(!r.io);
		}
		exercise(devnull, &r);
		free(buf);
	}

	/* A buffer that is not 8-byte aligned is refused, not read. */
	{
		struct bcr r;

		build_std(area);
		CHECK_EQ(topen(&r, (uint8_t *)area + 4, 1000), BCR_E_ARG);
	}
}

static void test_incomplete_print(void)
{
	size_t len = build_std(area);
	struct bcr r;
	FILE *f;
	const char *out;

	m_incomplete(area, &len);
	cb_at(area, 5)->state = S_STARTED;
	CHECK_EQ(topen(&r, area, AREA), BCR_E_INCOMPLETE);
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: record not COMPLETE", 28));
	{
		static const char want[] = {
			"RECORD: incomplete, area 16384 bytes, 8 sections, flags -, no CRC, dump type kdump\n"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "legacy                   legacy        started");
	CHECK_STR(out, "<- running when the record stopped");
	CHECK_EQ(bcr_tag_read(&r, G2, NULL, 0), 12);
}

/* A zeroed iterator starts at section 0; a garbage one reads nothing wild. */
static void test_iterator_start(void)
{
	size_t len = build_std(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_section it = { 0 }, junk;
	struct bcr r;
	uint32_t n = 0;

	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	CHECK(bcr_next_section(&r, &it));
	CHECK_EQ(it.index, 0);
	CHECK_EQ(it.sec->type, BUGCHECK_SECTION_TRIAGE);
	it = (struct bcr_section)BCR_SECTION_INIT;
	while (bcr_next_section(&r, &it))
		n++;
	CHECK_EQ(n, 8);
	CHECK(!bcr_next_section(&r, &it));
	/* Offsets and positions it was handed are never used as such. */
	memset(&junk, 0xa5, sizeof(junk));
	junk.index = 3;
	junk.offset = 0xfffffff0;
	while (bcr_next_section(&r, &junk))
		CHECK(junk.payload + junk.sec->length <= buf + len);
	CHECK(bcr_section_at(&r, 7, &it));
	CHECK_EQ(it.sec->type, BUGCHECK_SECTION_LEGACY);
	CHECK(!bcr_section_at(&r, 8, &it));
	CHECK(!bcr_section_at(&r, UINT32_MAX, &it));
	free(buf);
}

/* bcr_open() allocates its index, bcr_open_in() takes the caller's. */
static void test_open_close(void)
{
	size_t len = build_std(area), need;
	uint8_t *buf = exact_copy(area, len);
	uint32_t small[4];
	struct bcr r;

	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);
	CHECK(r.owned);
	CHECK_EQ(bcr_tag_read(&r, G2, NULL, 0), 12);
	bcr_close(&r);
	CHECK_EQ(r.nr_sections, 0);
	bcr_close(&r); /* twice is harmless */
	need = bcr_index_size(buf, len);
	CHECK(need >= 8 * 20);
	CHECK(need <= len);
	CHECK_EQ(bcr_open_in(&r, buf, len, small, sizeof(small)), BCR_E_ARG);
	CHECK_STR(r.why, "index of 16 bytes");
	CHECK_EQ(bcr_index_size(buf, 100), 0);
	CHECK_EQ(bcr_index_size(NULL, len), 0);
	/* No header: nothing to index, nothing allocated. */
	CHECK_EQ(bcr_open(&r, buf, 100), BCR_E_SHORT);
	CHECK(!r.owned);
	bcr_close(&r);
	free(buf);
}

/*
 * 4096 parts of one blob, written last part first, and 4096 SECONDARY
 * blocks: every part found once, in part order, by every reader.
 */
/*
 * The tag index against a reference computed the slow way: random GUIDs
 * (every byte), callbacks, types and part numbers, duplicates included, so
 * that the radix sort takes every pass.
 */
#define MIX_NR 300
#define MIX_GUIDS 12

static uint64_t mix_rng = 0x853c49e6748fea9bULL;

static uint32_t mix_rnd(void)
{
	mix_rng ^= mix_rng << 13;
	mix_rng ^= mix_rng >> 7;
	mix_rng ^= mix_rng << 17;
	return (uint32_t)(mix_rng >> 16);
}

/* Does section @b come after @a in @a's block (the reference order)? */
static int ref_before(const struct bugcheck_record_section *a, uint32_t ia,
		      const struct bugcheck_record_section *b, uint32_t ib)
{
	return a->part < b->part || (a->part == b->part && ia < ib);
}

static int ref_same_block(const struct bugcheck_record_section *a,
			  const struct bugcheck_record_section *b)
{
	return a->type == BUGCHECK_SECTION_MULTIPART &&
	       b->type == BUGCHECK_SECTION_MULTIPART &&
	       a->callback == b->callback && !memcmp(a->guid, b->guid, 16);
}

static void test_tag_index_mixed(void)
{
	static const uint32_t size = 1u << 20;
	uint8_t *rec = aligned_alloc(8, size), guids[MIX_GUIDS][16];
	const struct bugcheck_record_section *sec[MIX_NR];
	uint32_t i, j, bad = 0, g;
	struct bcr_section it;
	struct rb b;
	struct bcr r;
	size_t len;

	for (g = 0; g < MIX_GUIDS; g++)
		for (i = 0; i < 16; i++)
			guids[g][i] = (uint8_t)mix_rnd();
	/* Two GUIDs that differ in their last byte only. */
	memcpy(guids[1], guids[0], 15);
	rb_init_area(&b, rec, 3, size);
	rb_callback(&b, "a", "m", R_MULTIPART, S_FINISHED, 0);
	rb_callback(&b, "b", "m", R_MULTIPART, S_FINISHED, 0);
	rb_callback(&b, "c", "m", R_SECONDARY, S_FINISHED, 0);
	for (i = 0; i < MIX_NR; i++) {
		uint32_t type = mix_rnd() % 3 ? BUGCHECK_SECTION_MULTIPART :
						BUGCHECK_SECTION_SECONDARY;
		uint32_t part = mix_rnd() % 4 ? mix_rnd() % 10 : mix_rnd();

		rb_section(&b, i % 7 ? type : BUGCHECK_SECTION_TRIAGE,
			   mix_rnd() % 3, part, guids[mix_rnd() % MIX_GUIDS], 0,
			   0, 0, &i, sizeof(i));
	}
	len = rb_finish(&b, 0);
	CHECK_EQ(bcr_open(&r, rec, len), BCR_OK);
	for (i = 0; i < MIX_NR; i++) {
		CHECK(bcr_section_at(&r, i, &it));
		sec[i] = it.sec;
	}
	for (i = 0; i < MIX_NR; i++) {
		uint32_t want_first = i, want_next = BCR_NONE, head = i;

		if (!bcr__is_tagged(sec[i]))
			continue;
		/* Its block's first part and the part after it. */
		for (j = 0; j < MIX_NR; j++) {
			if (j == i || !bcr__is_tagged(sec[j]) ||
			    !ref_same_block(sec[i], sec[j]))
				continue;
			if (ref_before(sec[j], j, sec[want_first], want_first))
				want_first = j;
			if (ref_before(sec[i], i, sec[j], j) &&
			    (want_next == BCR_NONE ||
			     ref_before(sec[j], j, sec[want_next], want_next)))
				want_next = j;
			if (j < head)
				head = j;
		}
		bad += !bcr__first_part(&r, i, &it) || it.index != want_first;
		CHECK(bcr_section_at(&r, i, &it));
		if (bcr__next_part(&r, &it))
			bad += it.index != want_next;
		else
			bad += want_next != BCR_NONE;
		bad += !!(bcr__entry_flags(&r, i) & BCR_ENTRY_BLOB_HEAD) !=
		       (head == i);
	}
	CHECK_EQ(bad, 0);
	/* Every GUID: the block of its first section in the record. */
	for (g = 0; g < MIX_GUIDS; g++) {
		uint32_t first = BCR_NONE, want;

		for (i = 0; i < MIX_NR && first == BCR_NONE; i++)
			if (bcr__is_tagged(sec[i]) &&
			    !memcmp(sec[i]->guid, guids[g], 16))
				first = i;
		if (first == BCR_NONE) {
			CHECK(!bcr__first_tagged(&r, guids[g], &it));
			continue;
		}
		want = first;
		for (j = 0; j < MIX_NR; j++)
			if (j != first && bcr__is_tagged(sec[j]) &&
			    ref_same_block(sec[first], sec[j]) &&
			    ref_before(sec[j], j, sec[want], want))
				want = j;
		CHECK(bcr__first_tagged(&r, guids[g], &it));
		CHECK_EQ(it.index, want);
		CHECK(bcr__entry_flags(&r, first) & BCR_ENTRY_TAG_FIRST);
	}
	bcr_close(&r);
	free(rec);
}

static void test_many_parts(void)
{
	const uint32_t nr = 4096, part_len = 200, size = 2u << 20;
	uint8_t *rec = aligned_alloc(8, size), *blob = malloc(nr * part_len);
	uint8_t guid[16];
	struct bcr r;
	uint32_t i;
	size_t len;
	FILE *f;

	len = build_parts(rec, size, nr, part_len, 1, 0);
	CHECK_EQ(bcr_open(&r, rec, len), BCR_OK);
	CHECK_EQ(r.nr_sections, nr);
	CHECK_EQ(bcr_tag_read(&r, G2, blob, nr * part_len), nr * part_len);
	for (i = 0; i < nr; i++)
		if (blob[i * part_len] != (uint8_t)(i * 7 + 1) ||
		    blob[i * part_len + part_len - 1] != (uint8_t)(i * 7 + 1))
			break;
	CHECK_EQ(i, nr);
	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 1), 0);
	{
		static const char want[] = {
			"819200 bytes  many-parts  multipart, 4096 parts\n"
		};

		CHECK_STR(out_text(f), want);
	}
	bcr_close(&r);

	len = build_parts(rec, size, nr, part_len, 0, 1);
	CHECK_EQ(bcr_open(&r, rec, len), BCR_OK);
	memcpy(guid, G2, 16);
	for (i = 0; i < nr; i += 511) {
		memcpy(guid, &i, sizeof(i));
		memset(blob, 0, part_len);
		CHECK_EQ(bcr_tag_read(&r, guid, blob, part_len), part_len);
		CHECK_EQ(blob[0], (uint8_t)(i * 7 + 1));
	}
	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 1), 0);
	CHECK(!strstr(out_text(f), "duplicate"));
	bcr_close(&r);
	free(rec);
	free(blob);
}

static void test_magic_version(void)
{
	size_t len = build_std(area);
	struct bcr r;

	memcpy(H(area)->magic, "BUGCHECk", 8);
	CHECK_EQ(topen(&r, area, len), BCR_E_MAGIC);
	CHECK(!r.hdr);
	CHECK_STR(r.why, "bad magic");
	memset(area, 0, HDR_SIZE);
	CHECK_EQ(topen(&r, area, len), BCR_E_MAGIC);
	CHECK_STR(r.why, "all zeros");
	build_std(area);
	H(area)->version = 3;
	CHECK_EQ(topen(&r, area, len), BCR_E_VERSION);
	CHECK(!r.hdr);
	CHECK_STR(r.why, "version 3");
}

static void test_guid(void)
{
	static const char *const bad[] = {
		"",
		"8c9a1c6e",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f5",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f500",
		"8c9a1c6e3a5e-4d2b-9f4e-0b1c2d3e4f50a",
		"8c9a1c6e-3a5e4d2b-9f4e-0b1c2d3e4f50a",
		"8c9a1c6-e3a5e-4d2b-9f4e-0b1c2d3e4f50",
		"8c9a1c6g-3a5e-4d2b-9f4e-0b1c2d3e4f50",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f5 ",
		" 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f5",
		"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}",
		"(8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50)",
		"8c9a1c6e_3a5e_4d2b_9f4e_0b1c2d3e4f50",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f+0",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f\3770",
		"8c9a1c6e3a5e4d2b9f4e0b1c2d3e4f50",
	};
	uint8_t g[16], keep[16];
	char text[37];
	size_t i;

	CHECK_EQ(bcr_guid_parse("8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50", g), 0);
	CHECK(!memcmp(g, G1, 16));
	bcr_guid_str(G1, text);
	CHECK(!strcmp(text, "8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50"));
	bcr_guid_str(G3, text);
	CHECK(!strcmp(text, "ccddeeff-aabb-8899-7766-554433221100"));
	CHECK_EQ(bcr_guid_parse(text, g), 0);
	CHECK(!memcmp(g, G3, 16));
	CHECK_EQ(bcr_guid_parse("{8C9A1C6E-3A5E-4D2B-9F4E-0B1C2D3E4F52}", g),
		 0);
	CHECK(!memcmp(g, G2, 16));
	for (i = 0; i < 256; i++) {
		uint8_t in[16];
		int k;

		for (k = 0; k < 16; k++)
			in[k] = (uint8_t)(i * 31 + k * 17);
		bcr_guid_str(in, text);
		CHECK_EQ(strlen(text), 36);
		CHECK_EQ(bcr_guid_parse(text, g), 0);
		CHECK(!memcmp(g, in, 16));
	}
	memcpy(keep, G3, 16);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(g, keep, 16);
		if (bcr_guid_parse(bad[i], g) != BCR_E_ARG) {
			printf("#   accepted bad GUID \"%s\"\n", bad[i]);
			checks_failed++;
		}
		CHECK(!memcmp(g, keep, 16)); /* untouched on failure */
	}
	CHECK_EQ(bcr_guid_parse(NULL, g), BCR_E_ARG);
}

static void test_multipart_order(void)
{
	size_t len = build_multipart(area);
	uint8_t *buf = exact_copy(area, len);
	const char *out;
	char blob[64];
	struct bcr r;
	FILE *f;

	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G2, blob, sizeof(blob)), 12);
	CHECK(!strcmp(blob, "zero|one|two"));
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G1, blob, sizeof(blob)), 15);
	CHECK(!strcmp(blob, "other-0|other-5"));
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G2, blob, 7), 12);
	CHECK(!strcmp(blob, "zero|on"));

	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 0), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}  12 bytes  mp-first  multipart, 3 parts\n"
			"0000000000000000:  7a 65 72 6f 7c 6f 6e 65  7c 74 77 6f"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "zero|one|two\n");
	{
		static const char want[] = {
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  15 bytes  mp-other  multipart, 2 parts\n"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}  3 bytes  mp-dup  multipart, 1 part  flags DUPLICATE_GUID  (duplicate, ignored by readers)\n"
		};

		CHECK_STR(out, want);
	}
	CHECK(strstr(out, "(duplicate") == strrchr(out, '(')); /* only one */
	free(buf);
}

static void test_duplicate_guid(void)
{
	const char *out;
	char blob[32];
	struct bcr r;
	struct rb b;
	size_t len;
	FILE *f;

	rb_init(&b, area, 3);
	rb_callback(&b, "first", "", R_SECONDARY, S_FINISHED, 0);
	rb_callback(&b, "second", "", R_SECONDARY, S_FINISHED,
		    BUGCHECK_CB_F_DUPLICATE_GUID);
	rb_callback(&b, "third", "", R_MULTIPART, S_FINISHED,
		    BUGCHECK_CB_F_DUPLICATE_GUID);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 0, 0, G1, 0, 0, 0, "first",
		   5);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 1, 0, G1,
		   BUGCHECK_CB_F_DUPLICATE_GUID, 0, 0, "second", 6);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 2, 0, G1,
		   BUGCHECK_CB_F_DUPLICATE_GUID, 0, 0, "third", 5);
	len = rb_finish(&b, 0);

	CHECK_EQ(topen(&r, area, len), BCR_OK);
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G1, blob, sizeof(blob)), 5);
	CHECK(!strcmp(blob, "first"));

	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 1), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  5 bytes  first\n"
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  6 bytes  second  flags DUPLICATE_GUID  (duplicate, ignored by readers)\n"
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  5 bytes  third  multipart, 1 part  flags DUPLICATE_GUID  (duplicate, ignored by readers)\n"
		};

		CHECK(!strcmp(out, want));
	}

	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, G1, 0), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  5 bytes  first\n"
			"0000000000000000:  66 69 72 73 74                                    first\n\n"
		};

		CHECK(!strcmp(out, want));
	}
	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, G3, 0), BCR_E_NOTFOUND);
	out = out_text(f);
	{
		static const char want[] = {
			"no block tagged {ccddeeff-aabb-8899-7766-554433221100}"
		};

		CHECK_STR(out, want);
	}
}

static const struct test tests[] = {
	{ "a zeroed iterator starts at section 0", test_iterator_start },
	{ "bcr_open/bcr_close and caller's index", test_open_close },
	{ "4096 parts and 4096 blocks, every reader", test_many_parts },
	{ "tag index of random GUIDs, callbacks and parts",
	  test_tag_index_mixed },
	{ "incomplete record printed", test_incomplete_print },
	{ "crc32 matches zlib", test_crc32 },
	{ "valid record decodes", test_valid },
	{ "dump-io copy without status table", test_dumpio_copy },
	{ "truncated at every length", test_truncated },
	{ "header CRC mismatch", test_header_crc },
	{ "payload CRC mismatch", test_payload_crc },
	{ "hostile header and section values", test_hostile },
	{ "magic and version", test_magic_version },
	{ "GUID parse and format", test_guid },
	{ "multipart joined in part order", test_multipart_order },
	{ "duplicate GUID: first wins", test_duplicate_guid },
};

int main(void)
{
	return run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
