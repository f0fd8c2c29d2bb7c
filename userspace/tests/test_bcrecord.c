// SPDX-License-Identifier: GPL-2.0
/*
 * test_bcrecord.c - unit tests of the record decoder (lib/record/bcrecord.c).
 *
 * Records are built in memory by a small writer below, then decoded whole,
 * cut short, corrupted and fuzzed.  Every damaged buffer is handed over in
 * a heap block of exactly its length, so valgrind or ASan catch any read
 * past the end.  Output: "ok N - name" / "not ok N - name", then
 * "N passed, N failed"; exit status 1 when anything failed.
 *
 * "test_bcrecord --write-samples DIR" writes some of these records to DIR
 * instead, with the bytes of the blocks they hold, for test_tools.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcrecord.h"

#define AREA		16384u
#define HDR_SIZE	sizeof(struct bugcheck_record_header)
#define CB_SIZE		sizeof(struct bugcheck_record_callback)
#define SEC_SIZE	sizeof(struct bugcheck_record_section)

/* enum bugcheck_callback_reason / _state, from the kernel-only bugcheck.h */
enum { R_SECONDARY = 1, R_DUMP_IO, R_ADD_PAGES, R_MULTIPART, R_REMOVE_PAGES, R_TRIAGE,
       R_LEGACY, R_DEVICES, R_USER_BLOCKS };
enum { S_NONE, S_INSERTED, S_STARTED, S_FINISHED, S_INCOMPLETE, S_FAILED, S_SKIPPED };

static int checks_failed;

#define CHECK(cond)								\
	do {									\
		if (!(cond)) {							\
			printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			checks_failed++;					\
		}								\
	} while (0)

#define CHECK_EQ(a, b)								\
	do {									\
		long long _a = (long long)(a), _b = (long long)(b);		\
		if (_a != _b) {							\
			printf("#   %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, \
			       __LINE__, #a, _a, #b, _b);			\
			checks_failed++;					\
		}								\
	} while (0)

#define CHECK_STR(text, needle)							\
	do {									\
		const char *_t = (text), *_n = (needle);			\
		if (!strstr(_t, _n)) {						\
			printf("#   %s:%d: \"%s\" not in output:\n%s\n", __FILE__,	\
			       __LINE__, _n, _t);				\
			checks_failed++;					\
		}								\
	} while (0)

/* GUID 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50 in guid_t byte order, and two more. */
static const uint8_t G1[16] = { 0x6e, 0x1c, 0x9a, 0x8c, 0x5e, 0x3a, 0x2b, 0x4d,
				0x9f, 0x4e, 0x0b, 0x1c, 0x2d, 0x3e, 0x4f, 0x50 };
static const uint8_t G2[16] = { 0x6e, 0x1c, 0x9a, 0x8c, 0x5e, 0x3a, 0x2b, 0x4d,
				0x9f, 0x4e, 0x0b, 0x1c, 0x2d, 0x3e, 0x4f, 0x52 };
static const uint8_t G3[16] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
				0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 };

/* A bitwise CRC-32, independent of the library's table. */
static uint32_t ref_crc(uint32_t crc, const uint8_t *p, size_t len)
{
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
	}
	return crc;
}

/* The test-only writer */

struct rb {
	uint8_t *buf;
	uint32_t cursor;
};

static struct bugcheck_record_header *H(void *buf)
{
	return buf;
}

static struct bugcheck_record_callback *cb_at(void *buf, uint32_t i)
{
	struct bugcheck_record_header *h = buf;

	return (void *)((uint8_t *)buf + h->callbacks_offset + i * h->callback_size);
}

/* Section @n of a record the tests built (so trusted). */
static struct bugcheck_record_section *sec_at(void *buf, uint32_t n)
{
	uint32_t off = H(buf)->sections_offset;

	while (n--)
		off += ((struct bugcheck_record_section *)((uint8_t *)buf + off))->size;
	return (void *)((uint8_t *)buf + off);
}

static void rb_init(struct rb *b, void *buf, uint32_t slots)
{
	struct bugcheck_record_header *h = buf;

	memset(buf, 0, AREA);
	b->buf = buf;
	memcpy(h->magic, BUGCHECK_RECORD_MAGIC, 8);
	h->version = BUGCHECK_RECORD_VERSION;
	h->header_size = HDR_SIZE;
	h->area_size = AREA;
	h->bugcheck_code = 1;
	h->bugcheck_parameter[0] = 0xffffffff81a2b3c4ULL;
	h->bugcheck_parameter[2] = 0x3000;
	h->time_ns = 1763760736123456789ULL;
	h->dump_type = 1;
	h->callbacks_offset = HDR_SIZE;
	h->callback_size = CB_SIZE;
	h->sections_offset = HDR_SIZE + slots * CB_SIZE;
	strcpy(h->message, "sysrq triggered crash");
	strcpy(h->release, "6.1.0-test");
	b->cursor = h->sections_offset;
}

static uint32_t rb_callback(struct rb *b, const char *component, const char *module,
			    uint32_t reason, uint32_t state, uint32_t flags)
{
	uint32_t i = H(b->buf)->nr_callbacks++;
	struct bugcheck_record_callback *e = cb_at(b->buf, i);

	strncpy(e->component, component, sizeof(e->component) - 1);
	strncpy(e->module, module, sizeof(e->module) - 1);
	e->reason = reason;
	e->state = state;
	e->flags = flags;
	e->calls = 1;
	e->callback = 0xffffffffc0100000ULL + i * 0x40;
	return i;
}

static uint32_t rb_section(struct rb *b, uint32_t type, uint32_t cb, uint32_t part,
			   const uint8_t *guid, uint32_t flags, uint64_t address, uint64_t count,
			   const void *payload, uint32_t len)
{
	struct bugcheck_record_section *s = (void *)(b->buf + b->cursor);
	uint32_t padded = (len + 7) & ~7u;

	memset(s, 0, SEC_SIZE + padded);
	s->type = type;
	s->flags = flags;
	s->size = SEC_SIZE + padded;
	s->length = len;
	s->callback = cb;
	s->part = part;
	if (guid)
		memcpy(s->guid, guid, 16);
	s->address = address;
	s->count = count ? count : len;
	if (len)
		memcpy(s + 1, payload, len);
	s->payload_crc32 = ~ref_crc(~0U, (const uint8_t *)(s + 1), len);
	b->cursor += s->size;
	if (cb < H(b->buf)->nr_callbacks) {
		cb_at(b->buf, cb)->bytes += len;
		cb_at(b->buf, cb)->sections++;
	}
	return H(b->buf)->nr_sections++;
}

/* Header CRC over [0, used), when used lies inside @len; as bugcheck.ko does. */
static void rb_recrc(void *buf, size_t len)
{
	struct bugcheck_record_header *h = buf;
	static const uint8_t zero[4];
	uint32_t crc;

	if (h->used < HDR_SIZE || h->used > len)
		return;
	crc = ref_crc(~0U, buf, 28);
	crc = ref_crc(crc, zero, 4);
	crc = ref_crc(crc, (uint8_t *)buf + 32, h->used - 32);
	h->crc32 = ~crc;
}

/* Finish: used, a zeroed io status table of @nr_io entries, COMPLETE, CRC; returns the length. */
static size_t rb_finish(struct rb *b, uint32_t nr_io)
{
	struct bugcheck_record_header *h = H(b->buf);

	h->used = b->cursor;
	if (nr_io) {
		h->io_status_offset = h->used;
		h->nr_io_status = nr_io;
		memset(b->buf + h->used, 0, nr_io * sizeof(struct bugcheck_record_io_status));
	}
	h->flags |= BUGCHECK_RECORD_F_COMPLETE;
	rb_recrc(b->buf, AREA);
	return h->used + nr_io * sizeof(struct bugcheck_record_io_status);
}

static uint64_t area[AREA / 8];		/* 8-byte aligned build space */

static const char mp_part[3][8] = { "AAAAAAA", "BBB", "CC" };

/*
 * One callback of every reason, eight sections, an io status entry:
 *  0 triage-a   triage        TRIAGE @ffffffffc0001000, 56 bytes
 *  1 sec-a      secondary     SECONDARY G1 "hello secondary"
 *  2 mp         multipart     MULTIPART G2 parts 0,1,2: "AAAAAAA" "BBB" "CC"
 *  3 remove     remove-pages  REMOVED_PAGES virt ffff888000100000 x2
 *  4 pages      add-pages     ADDED_PAGES phys 1000000, 2 "pages" of 64 bytes
 *  5 legacy     legacy        LEGACY @ffffffffc0002000, 20 bytes
 *  6 mirror     dump-io       (io status: finished, 4 writes)
 */
static size_t build_std(void *buf)
{
	uint8_t triage[56], pages[128], legacy[20];
	struct rb b;
	size_t len, i;
	struct bugcheck_record_io_status *io;

	for (i = 0; i < sizeof(triage); i++)
		triage[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(pages); i++)
		pages[i] = (uint8_t)i;
	memcpy(legacy, "legacy buffer bytes!", 20);

	rb_init(&b, buf, 9);
	rb_callback(&b, "triage-a", "bugcheck_sample_triage", R_TRIAGE, S_FINISHED, 0);
	rb_callback(&b, "sec-a", "bugcheck_sample_secondary", R_SECONDARY, S_FINISHED, 0);
	rb_callback(&b, "mp", "bugcheck_sample_multipart", R_MULTIPART, S_FINISHED, 0);
	rb_callback(&b, "remove", "", R_REMOVE_PAGES, S_FINISHED, 0);
	rb_callback(&b, "pages", "bugcheck_sample_pages", R_ADD_PAGES, S_INCOMPLETE,
		    BUGCHECK_CB_F_READ_ERROR);
	rb_callback(&b, "legacy", "bugcheck_sample_legacy", R_LEGACY, S_FINISHED, 0);
	rb_callback(&b, "mirror", "bugcheck_sample_dumpio", R_DUMP_IO, S_STARTED, 0);

	rb_section(&b, BUGCHECK_SECTION_TRIAGE, 0, 0, NULL, 0, 0xffffffffc0001000ULL, 0, triage,
		   sizeof(triage));
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 1, 0, G1, 0, 0, 0, "hello secondary", 15);
	for (i = 0; i < 3; i++)
		rb_section(&b, BUGCHECK_SECTION_MULTIPART, 2, (uint32_t)i, G2, 0, 0, 0, mp_part[i],
			   (uint32_t)strlen(mp_part[i]));
	rb_section(&b, BUGCHECK_SECTION_REMOVED_PAGES, 3, 0, NULL, BUGCHECK_SECTION_F_VIRTUAL,
		   0xffff888000100000ULL, 2, NULL, 0);
	rb_section(&b, BUGCHECK_SECTION_ADDED_PAGES, 4, 0, NULL,
		   BUGCHECK_SECTION_F_PHYSICAL | BUGCHECK_CB_F_READ_ERROR, 0x1000000, 2, pages,
		   sizeof(pages));
	rb_section(&b, BUGCHECK_SECTION_LEGACY, 5, 0, NULL, 0, 0xffffffffc0002000ULL, 0, legacy,
		   sizeof(legacy));
	len = rb_finish(&b, 1);
	io = (void *)((uint8_t *)buf + H(buf)->io_status_offset);
	io->callback = 6;
	io->state = S_FINISHED;
	io->writes = 4;
	io->bytes = H(buf)->used;
	return len;
}

/* A heap copy of exactly @len bytes, so any overread is caught. */
static void *exact_copy(const void *src, size_t len)
{
	void *p = malloc(len ? len : 1);

	if (!p)
		abort();
	memcpy(p, src, len);
	return p;
}

static FILE *devnull;
static char outbuf[1 << 17];

static FILE *out_open(void)
{
	FILE *f = tmpfile();

	if (!f)
		abort();
	return f;
}

static const char *out_text(FILE *f)
{
	size_t n;

	rewind(f);
	n = fread(outbuf, 1, sizeof(outbuf) - 1, f);
	outbuf[n] = '\0';
	fclose(f);
	return outbuf;
}

/* Everything a reader may do with a decoded record, output to @f. */
static void exercise(FILE *f, const struct bcr *r)
{
	static const char *const names[] = { "triage-a", "sec-a", "mp", "remove", "pages",
					     "legacy", "mirror", "user-blocks", "nope", "" };
	struct bcr_section it = { .index = UINT32_MAX };
	struct bcr_user_block ub;
	int32_t pid = 1187;
	uint8_t blob[256];
	uint32_t i, off, n = 0;

	bcr_print_summary(f, r);
	bcr_print_tags(f, r, NULL, 0);
	bcr_print_tags(f, r, NULL, 1);
	bcr_print_tags(f, r, G2, 0);
	bcr_print_pages(f, r);
	bcr_print_devices(f, r);
	bcr_print_user_blocks(f, r, NULL, 0);
	bcr_print_user_blocks(f, r, NULL, 1);
	bcr_print_user_blocks(f, r, &pid, 1);
	if (bcr_find_user_block(r, 1187, 0x7f3a5c021000ULL, &ub) != BCR_E_NOTFOUND)
		bcr_user_block_write(f, &ub);
	bcr_find_user_block(r, 1187, 0x7f3a5c030000ULL, &ub);
	bcr_user_block_write(f, &ub);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		bcr_print_component(f, r, names[i]);
	bcr_tag_read(r, G1, blob, sizeof(blob));
	bcr_tag_read(r, G2, blob, 3);
	bcr_tag_read(r, G3, NULL, 0);
	bcr_find_page(r, 0x1000000 + 70, &off);
	for (i = 0; i <= r->nr_callbacks && i < 64; i++)
		bcr_callback(r, i);
	while (bcr_next_section(r, &it)) {
		CHECK(it.payload + it.sec->length <= r->buf + r->len);
		if (it.sec->type == BUGCHECK_SECTION_USER_BLOCK && !bcr_user_block(&it, &ub))
			CHECK(ub.contents + ub.copied <= r->buf + r->len);
		n++;
	}
	CHECK_EQ(n, r->nr_sections);
}

/* Tests */

static void test_crc32(void)
{
	CHECK_EQ(bcr_crc32("123456789", 9), 0xcbf43926);
	CHECK_EQ(bcr_crc32("", 0), 0);
	CHECK_EQ(bcr_crc32("The quick brown fox jumps over the lazy dog", 43), 0x414fa339);
}

static void test_valid(void)
{
	size_t len = build_std(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_section it = { .index = UINT32_MAX };
	static const uint32_t types[] = {
		BUGCHECK_SECTION_TRIAGE, BUGCHECK_SECTION_SECONDARY, BUGCHECK_SECTION_MULTIPART,
		BUGCHECK_SECTION_MULTIPART, BUGCHECK_SECTION_MULTIPART,
		BUGCHECK_SECTION_REMOVED_PAGES, BUGCHECK_SECTION_ADDED_PAGES,
		BUGCHECK_SECTION_LEGACY,
	};
	const struct bugcheck_record_section *s;
	char blob[64];
	struct bcr r;
	uint32_t n = 0, off = 0;

	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);
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
	CHECK(bcr_callback(&r, 7) == NULL);
	CHECK(bcr_callback(&r, UINT32_MAX) == NULL);
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
	CHECK(!bcr_next_section(&r, &it));	/* stays at the end */

	CHECK_EQ(bcr_tag_read(&r, G1, blob, sizeof(blob)), 15);
	CHECK(!memcmp(blob, "hello secondary", 15));
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G2, blob, sizeof(blob)), 12);
	CHECK(!memcmp(blob, "AAAAAAABBBCC", 12));
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G2, blob, 9), 12);	/* cut, full length returned */
	CHECK(!memcmp(blob, "AAAAAAABB\0", 10));
	CHECK_EQ(bcr_tag_read(&r, G2, NULL, 0), 12);
	CHECK_EQ(bcr_tag_read(&r, G3, blob, sizeof(blob)), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_tag_read(&r, G1, NULL, 5), BCR_E_ARG);

	s = bcr_find_page(&r, 0x1000000 + 100, &off);
	CHECK(s && s->type == BUGCHECK_SECTION_ADDED_PAGES);
	CHECK_EQ(off, 100);
	CHECK(bcr_find_page(&r, 0x1000000, NULL) == s);
	CHECK(bcr_find_page(&r, 0x1000000 + 128, &off) == NULL);
	CHECK(bcr_find_page(&r, 0xfffffff, &off) == NULL);
	CHECK(bcr_find_page(&r, 0xffff888000100000ULL, &off) == NULL);	/* removed, not added */

	CHECK_EQ(r.nr_io, 1);
	CHECK(r.io != NULL);
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
	CHECK_EQ(bcr_open(&r, buf, used), BCR_OK);
	CHECK(r.io == NULL);
	CHECK_EQ(r.nr_io, 0);
	free(buf);
	for (l = used; l < len; l++) {
		buf = exact_copy(area, l);
		CHECK_EQ(bcr_open(&r, buf, l), BCR_OK);
		CHECK(r.io == NULL);
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
		int ret = bcr_open(&r, buf, len);

		CHECK(ret < 0);
		if (ret >= 0)
			printf("#   len %zu accepted\n", len);
		CHECK_EQ(ret, BCR_E_SHORT);
		CHECK(r.nr_sections < H(area)->nr_sections || len >= used);
		exercise(devnull, &r);
		free(buf);
	}
	CHECK_EQ(bcr_open(&r, NULL, 0), BCR_E_SHORT);
	CHECK_EQ(bcr_open(&r, NULL, 100), BCR_E_ARG);
	CHECK_EQ(bcr_open(NULL, area, used), BCR_E_ARG);
}

static void test_header_crc(void)
{
	size_t len = build_std(area);
	uint8_t *buf;
	struct bcr r;

	H(area)->message[60] = 'x';	/* after the NUL: only the CRC can tell */
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_E_CRC);
	CHECK_STR(r.why, "header CRC");
	CHECK(r.hdr != NULL);
	CHECK_EQ(r.nr_callbacks, 7);
	CHECK(bcr_callback(&r, 1) && !strcmp(bcr_callback(&r, 1)->component, "sec-a"));
	CHECK_EQ(r.nr_sections, 8);
	CHECK_EQ(r.damaged_section, -1);
	CHECK_EQ(bcr_tag_read(&r, G1, NULL, 0), 15);
	exercise(devnull, &r);
	free(buf);

	/* Only COMPLETE records carry a CRC; the field itself is excluded from it. */
	build_std(area);
	H(area)->crc32 ^= 1;
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_E_CRC);
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

	((uint8_t *)(sec_at(area, 2) + 1))[1] ^= 0x40;	/* first multipart part */
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_E_SECTION);
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
	CHECK_EQ(bcr_open(&r, buf, len), BCR_E_CRC);
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
	int damaged;		/* expected damaged_section (-1: none, -2: don't care) */
};

static void m_nr_callbacks(void *b, size_t *l) { (void)l; H(b)->nr_callbacks = 0xffffffff; }
static void m_nr_callbacks_over(void *b, size_t *l) { (void)l; H(b)->nr_callbacks = 10; }
static void m_cb_size_huge(void *b, size_t *l) { (void)l; H(b)->callback_size = 0xfffffff8; }
static void m_cb_size_small(void *b, size_t *l) { (void)l; H(b)->callback_size = 112; }
static void m_cb_size_odd(void *b, size_t *l) { (void)l; H(b)->callback_size = 121; }
static void m_cb_off_inside(void *b, size_t *l) { (void)l; H(b)->callbacks_offset = 8; }
static void m_cb_off_odd(void *b, size_t *l) { (void)l; H(b)->callbacks_offset = 324; }
static void m_sec_off_beyond(void *b, size_t *l)
{
	(void)l;
	H(b)->sections_offset = H(b)->used + 8;
}
static void m_sec_off_max(void *b, size_t *l) { (void)l; H(b)->sections_offset = 0xfffffff8; }
static void m_sec_off_odd(void *b, size_t *l) { (void)l; H(b)->sections_offset += 4; }
static void m_size0(void *b, size_t *l) { (void)l; sec_at(b, 0)->size = 0; }
static void m_size_small(void *b, size_t *l) { (void)l; sec_at(b, 0)->size = 32; }
static void m_size_odd(void *b, size_t *l) { (void)l; sec_at(b, 1)->size += 4; }
static void m_size_huge(void *b, size_t *l) { (void)l; sec_at(b, 1)->size = 0xfffffff8; }
static void m_len_max(void *b, size_t *l) { (void)l; sec_at(b, 1)->length = 0xffffffff; }
static void m_len_near_max(void *b, size_t *l)
{
	(void)l;
	sec_at(b, 1)->length = 0xffffffc0;
	sec_at(b, 1)->size = 0xfffffff8;	/* 64 + length, no overflow in 64 bits */
}
static void m_nr_sections_max(void *b, size_t *l) { (void)l; H(b)->nr_sections = 0xffffffff; }
static void m_nr_sections_less(void *b, size_t *l) { (void)l; H(b)->nr_sections--; }
static void m_used_beyond(void *b, size_t *l) { (void)l; H(b)->used = (uint32_t)*l + 8; }
static void m_used_max(void *b, size_t *l) { (void)l; H(b)->used = 0xffffffff; }
static void m_used_area(void *b, size_t *l) { (void)l; H(b)->area_size = H(b)->used - 8; }
static void m_used_small(void *b, size_t *l) { (void)l; H(b)->used = 100; }
static void m_io_overflow(void *b, size_t *l)
{
	(void)l;
	H(b)->io_status_offset = 0xfffffff0;
	H(b)->nr_io_status = 0xffffffff;
}
static void m_io_wrap32(void *b, size_t *l) { (void)l; H(b)->nr_io_status = 0x10000000; }
static void m_io_inside(void *b, size_t *l) { (void)l; H(b)->io_status_offset = 8; }
static void m_io_past_area(void *b, size_t *l) { (void)l; H(b)->area_size = H(b)->used + 8; }
static void m_io_odd(void *b, size_t *l) { (void)l; H(b)->io_status_offset += 4; }
static void m_hdr_size_small(void *b, size_t *l) { (void)l; H(b)->header_size = 100; }
static void m_hdr_size_big(void *b, size_t *l) { (void)l; H(b)->header_size = 0xffffffff; }
static void m_hdr_size_used(void *b, size_t *l) { (void)l; H(b)->header_size = H(b)->used + 8; }
static void m_magic(void *b, size_t *l) { (void)l; H(b)->magic[7] = 'X'; }
static void m_zero(void *b, size_t *l) { memset(b, 0, *l); }
static void m_version0(void *b, size_t *l) { (void)l; H(b)->version = 0; }
static void m_version2(void *b, size_t *l) { (void)l; H(b)->version = 2; }
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
	(void)l;	/* the area cut at the io table: sections still fit */
	H(b)->flags &= ~BUGCHECK_RECORD_F_COMPLETE;
	H(b)->used = 0;
}
static void m_incomplete_torn(void *b, size_t *l)
{
	m_incomplete(b, l);
	H(b)->nr_sections++;	/* a section counted but never written: zeros */
}
static void m_section_cb_max(void *b, size_t *l) { (void)l; sec_at(b, 1)->callback = 0xffffffff; }
static void m_unknown_type(void *b, size_t *l) { (void)l; sec_at(b, 0)->type = 99; }
static void m_unknown_values(void *b, size_t *l)
{
	(void)l;
	H(b)->bugcheck_code = 77;
	H(b)->dump_type = 9;
	H(b)->flags |= 0x80000000;
	cb_at(b, 0)->reason = 42;
	cb_at(b, 0)->state = 42;
	cb_at(b, 0)->flags = 0xffffffff;
	memset(cb_at(b, 1)->component, 'A', 32);	/* no NUL */
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
	{ "sections_offset beyond used", m_sec_off_beyond, 1, BCR_E_LAYOUT, -1 },
	{ "sections_offset max", m_sec_off_max, 1, BCR_E_LAYOUT, -1 },
	{ "sections_offset misaligned", m_sec_off_odd, 1, BCR_E_LAYOUT, -1 },
	{ "section size 0", m_size0, 1, BCR_E_SECTION, 0 },
	{ "section size < header", m_size_small, 1, BCR_E_SECTION, 0 },
	{ "section size not 8-aligned", m_size_odd, 1, BCR_E_SECTION, 1 },
	{ "section size huge", m_size_huge, 1, BCR_E_SECTION, 1 },
	{ "section length UINT32_MAX", m_len_max, 1, BCR_E_SECTION, 1 },
	{ "section length near UINT32_MAX", m_len_near_max, 1, BCR_E_SECTION, 1 },
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
	{ "not COMPLETE, short area", m_incomplete_short, 0, BCR_E_INCOMPLETE, -1 },
	{ "not COMPLETE, torn section", m_incomplete_torn, 0, BCR_E_INCOMPLETE, 8 },
	{ "section without table slot", m_section_cb_max, 1, BCR_OK, -1 },
	{ "unknown section type", m_unknown_type, 1, BCR_OK, -1 },
	{ "unknown values, unterminated strings", m_unknown_values, 1, BCR_OK, -1 },
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
		ret = bcr_open(&r, buf, len);
		if (ret != h->expect || (h->damaged != -2 && r.damaged_section != h->damaged)) {
			printf("#   %s: got %d (%s) damaged %d, expected %d damaged %d\n", h->name,
			       ret, r.why, r.damaged_section, h->expect, h->damaged);
			checks_failed++;
		}
		CHECK(ret == BCR_OK ? !r.why[0] : !!r.why[0]);
		CHECK_EQ(r.error, ret);
		if (ret == BCR_OK && h->mutate != m_unknown_values)
			CHECK_EQ(r.nr_sections, 8);
		if (h->expect == BCR_OK && h->mutate != m_section_cb_max &&
		    h->mutate != m_unknown_type && h->mutate != m_unknown_values)
			CHECK(r.io == NULL && r.nr_io == 0);
		if (h->expect == BCR_E_INCOMPLETE) {
			CHECK(r.hdr != NULL);
			CHECK_EQ(r.nr_callbacks, 7);
			CHECK_EQ(r.nr_sections, 8);
			CHECK(r.io == NULL);
		}
		exercise(devnull, &r);
		free(buf);
	}

	/* A buffer that is not 8-byte aligned is refused, not read. */
	{
		struct bcr r;

		build_std(area);
		CHECK_EQ(bcr_open(&r, (uint8_t *)area + 4, 1000), BCR_E_ARG);
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
	CHECK_EQ(bcr_open(&r, area, AREA), BCR_E_INCOMPLETE);
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: record not COMPLETE", 28));
	CHECK_STR(out, "RECORD: incomplete, area 16384 bytes, 8 sections, flags -, no CRC, "
		       "dump type kdump\n");
	CHECK_STR(out, "legacy                   legacy        started");
	CHECK_STR(out, "<- running when the record stopped");
	CHECK_EQ(bcr_tag_read(&r, G2, NULL, 0), 12);
}

static void test_magic_version(void)
{
	size_t len = build_std(area);
	struct bcr r;

	memcpy(H(area)->magic, "BUGCHECk", 8);
	CHECK_EQ(bcr_open(&r, area, len), BCR_E_MAGIC);
	CHECK(r.hdr == NULL);
	CHECK_STR(r.why, "bad magic");
	memset(area, 0, HDR_SIZE);
	CHECK_EQ(bcr_open(&r, area, len), BCR_E_MAGIC);
	CHECK_STR(r.why, "all zeros");
	build_std(area);
	H(area)->version = 3;
	CHECK_EQ(bcr_open(&r, area, len), BCR_E_VERSION);
	CHECK(r.hdr == NULL);
	CHECK_STR(r.why, "version 3");
}

static void test_guid(void)
{
	static const char *const bad[] = {
		"", "8c9a1c6e", "8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f5",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f500", "8c9a1c6e3a5e-4d2b-9f4e-0b1c2d3e4f50a",
		"8c9a1c6e-3a5e4d2b-9f4e-0b1c2d3e4f50a", "8c9a1c6-e3a5e-4d2b-9f4e-0b1c2d3e4f50",
		"8c9a1c6g-3a5e-4d2b-9f4e-0b1c2d3e4f50", "8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f5 ",
		" 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f5", "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50",
		"8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}", "(8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50)",
		"8c9a1c6e_3a5e_4d2b_9f4e_0b1c2d3e4f50", "8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f+0",
		("8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f\xff" "0"), "8c9a1c6e3a5e4d2b9f4e0b1c2d3e4f50",
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
	CHECK_EQ(bcr_guid_parse("{8C9A1C6E-3A5E-4D2B-9F4E-0B1C2D3E4F52}", g), 0);
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
		CHECK(!memcmp(g, keep, 16));	/* untouched on failure */
	}
	CHECK_EQ(bcr_guid_parse(NULL, g), BCR_E_ARG);
}

/* Parts written out of order, and a second blob with the same GUID. */
static size_t build_multipart(void *buf)
{
	struct rb b;

	rb_init(&b, buf, 4);
	rb_callback(&b, "mp-first", "m1", R_MULTIPART, S_FINISHED, 0);
	rb_callback(&b, "mp-other", "m2", R_MULTIPART, S_FINISHED, 0);
	rb_callback(&b, "mp-dup", "m3", R_MULTIPART, S_FINISHED, BUGCHECK_CB_F_DUPLICATE_GUID);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 0, 2, G2, 0, 0, 0, "two", 3);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 1, 0, G1, 0, 0, 0, "other-0|", 8);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 0, 0, G2, 0, 0, 0, "zero|", 5);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 2, 0, G2, BUGCHECK_CB_F_DUPLICATE_GUID, 0, 0,
		   "dup", 3);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 0, 1, G2, 0, 0, 0, "one|", 4);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 1, 5, G1, 0, 0, 0, "other-5", 7);
	return rb_finish(&b, 0);
}

static void test_multipart_order(void)
{
	size_t len = build_multipart(area);
	uint8_t *buf = exact_copy(area, len);
	const char *out;
	char blob[64];
	struct bcr r;
	FILE *f;

	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);
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
	CHECK_STR(out, "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}  12 bytes  mp-first  multipart, 3 parts\n"
		       "0000000000000000:  7a 65 72 6f 7c 6f 6e 65  7c 74 77 6f");
	CHECK_STR(out, "zero|one|two\n");
	CHECK_STR(out, "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  15 bytes  mp-other  multipart, 2 parts\n");
	CHECK_STR(out, "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}  3 bytes  mp-dup  multipart, 1 part"
		       "  flags DUPLICATE_GUID  (duplicate, ignored by readers)\n");
	CHECK(strstr(out, "(duplicate") == strrchr(out, '('));	/* only one */
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
	rb_callback(&b, "second", "", R_SECONDARY, S_FINISHED, BUGCHECK_CB_F_DUPLICATE_GUID);
	rb_callback(&b, "third", "", R_MULTIPART, S_FINISHED, BUGCHECK_CB_F_DUPLICATE_GUID);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 0, 0, G1, 0, 0, 0, "first", 5);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 1, 0, G1, BUGCHECK_CB_F_DUPLICATE_GUID, 0, 0,
		   "second", 6);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 2, 0, G1, BUGCHECK_CB_F_DUPLICATE_GUID, 0, 0,
		   "third", 5);
	len = rb_finish(&b, 0);

	CHECK_EQ(bcr_open(&r, area, len), BCR_OK);
	memset(blob, 0, sizeof(blob));
	CHECK_EQ(bcr_tag_read(&r, G1, blob, sizeof(blob)), 5);
	CHECK(!strcmp(blob, "first"));

	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 1), 0);
	out = out_text(f);
	CHECK(!strcmp(out,
		      "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  5 bytes  first\n"
		      "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  6 bytes  second  flags DUPLICATE_GUID"
		      "  (duplicate, ignored by readers)\n"
		      "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  5 bytes  third  multipart, 1 part"
		      "  flags DUPLICATE_GUID  (duplicate, ignored by readers)\n"));

	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, G1, 0), 0);
	out = out_text(f);
	CHECK(!strcmp(out, "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  5 bytes  first\n"
			   "0000000000000000:  66 69 72 73 74"
			   "                                    first\n\n"));
	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, G3, 0), BCR_E_NOTFOUND);
	out = out_text(f);
	CHECK_STR(out, "no block tagged {ccddeeff-aabb-8899-7766-554433221100}");
}

static void test_flags_str(void)
{
	struct bcr_user_block ub = { 0 };
	char buf[256], small[10];

	CHECK(!strcmp(bcr_flags_str(0, buf, sizeof(buf)), "-"));
	CHECK(!strcmp(bcr_flags_str(0x30ff, buf, sizeof(buf)),
		      "CLAMPED|OVERRUN|NO_SPACE|READ_ERROR|BAD_RESULT|DUPLICATE_GUID|"
		      "TOO_MANY_CALLS|NOT_SCRUBBED|PHYSICAL|VIRTUAL"));
	CHECK(!strcmp(bcr_flags_str(0xffffffff, buf, sizeof(buf)),
		      "CLAMPED|OVERRUN|NO_SPACE|READ_ERROR|BAD_RESULT|DUPLICATE_GUID|"
		      "TOO_MANY_CALLS|NOT_SCRUBBED|PHYSICAL|VIRTUAL|0xffffcf00"));
	CHECK(!strcmp(bcr_flags_str(BUGCHECK_CB_F_OVERRUN | 0x100, buf, sizeof(buf)),
		      "OVERRUN|0x100"));
	CHECK(!strcmp(bcr_flags_str(0x30ff, small, sizeof(small)), "CLAMPED|O"));
	CHECK(!strcmp(bcr_flags_str(0x30ff, small, 8), "CLAMPED"));
	CHECK(!strcmp(bcr_flags_str(0x30ff, small, 1), ""));
	CHECK(!strcmp(bcr_flags_str(0, small, 1), ""));
	CHECK(!strcmp(bcr_flags_str(1, NULL, 0), ""));
	CHECK(!strcmp(bcr_record_flags_str(0, buf, sizeof(buf)), "-"));
	CHECK(!strcmp(bcr_record_flags_str(0x3f, buf, sizeof(buf)),
		      "COMPLETE|TRUNCATED|SIMULATED|REENTERED|LIST_CORRUPT|TABLE_FULL"));
	CHECK(!strcmp(bcr_record_flags_str(0x41, buf, sizeof(buf)), "COMPLETE|0x40"));

	ub.flags = BUGCHECK_USER_BLOCK_F_UNMAPPED | 0x80;
	ub.sec_flags = BUGCHECK_CB_F_NO_SPACE | BUGCHECK_CB_F_READ_ERROR | 0x4000;
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, buf, sizeof(buf)),
		      "unmapped,0x80,no-space,read-error,section-0x4000"));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, small, sizeof(small)), "unmapped,"));
	ub.flags = 0;
	ub.sec_flags = BUGCHECK_CB_F_NO_SPACE;
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, buf, sizeof(buf)), "no-space"));
	ub.sec_flags = 0;
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, buf, sizeof(buf)), "-"));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, small, 1), ""));
	CHECK(!strcmp(bcr_user_block_flags_str(NULL, buf, sizeof(buf)), ""));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, NULL, 0), ""));
}

static void test_names(void)
{
	CHECK(!strcmp(bcr_reason_name(1), "secondary"));
	CHECK(!strcmp(bcr_reason_name(2), "dump-io"));
	CHECK(!strcmp(bcr_reason_name(3), "add-pages"));
	CHECK(!strcmp(bcr_reason_name(4), "multipart"));
	CHECK(!strcmp(bcr_reason_name(5), "remove-pages"));
	CHECK(!strcmp(bcr_reason_name(6), "triage"));
	CHECK(!strcmp(bcr_reason_name(7), "legacy"));
	CHECK(!strcmp(bcr_reason_name(8), "devices"));
	CHECK(!strcmp(bcr_reason_name(9), "user-blocks"));
	CHECK(!strcmp(bcr_reason_name(0), "unknown"));
	CHECK(!strcmp(bcr_reason_name(10), "unknown"));
	CHECK(!strcmp(bcr_state_name(0), "none"));
	CHECK(!strcmp(bcr_state_name(2), "started"));
	CHECK(!strcmp(bcr_state_name(6), "skipped"));
	CHECK(!strcmp(bcr_state_name(7), "unknown"));
	CHECK(!strcmp(bcr_section_type_name(3), "added-pages"));
	CHECK(!strcmp(bcr_section_type_name(6), "legacy"));
	CHECK(!strcmp(bcr_section_type_name(7), "device"));
	CHECK(!strcmp(bcr_section_type_name(8), "user-block"));
	CHECK(!strcmp(bcr_section_type_name(9), "unknown"));
	CHECK(!strcmp(bcr_section_type_name(0), "unknown"));
	CHECK(!strcmp(bcr_section_type_name(0xffffffff), "unknown"));
	CHECK(!strcmp(bcr_code_name(1), "PANIC"));
	CHECK(!strcmp(bcr_code_name(2), "OOPS"));
	CHECK(!strcmp(bcr_code_name(3), "DIE"));
	CHECK(!strcmp(bcr_code_name(4), "SIMULATED"));
	CHECK(!strcmp(bcr_code_name(5), "UNKNOWN"));
	CHECK(!strcmp(bcr_strerror(BCR_E_SECTION), "damaged section"));
	CHECK(!strcmp(bcr_strerror(0), "success"));
	CHECK(!strcmp(bcr_strerror(-99), "unknown error"));
}

static void test_hexdump(void)
{
	const char *out;
	FILE *f = out_open();

	bcr_hexdump(f, "0123456789abcdef\x00\x01\x7f\x80 ~", 22, 0xffffffffc0001000ULL);
	bcr_hexdump(f, "", 0, 0);
	out = out_text(f);
	CHECK(!strcmp(out,
		      "ffffffffc0001000:  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
		      "0123456789abcdef\n"
		      "ffffffffc0001010:  00 01 7f 80 20 7e" "                                 "
		      ".... ~\n"));
}

static void test_printers(void)
{
	size_t len = build_std(area);
	uint8_t *buf = exact_copy(area, len);
	const char *out;
	struct bcr r;
	FILE *f;

	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);

	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "BUGCHECK_CODE: PANIC (0x1)   PARAMETERS: ffffffff81a2b3c4 "
			    "0000000000000000 0000000000003000 0000000000000000\n", 100));
	CHECK_STR(out, "MESSAGE: \"sysrq triggered crash\"   CPU: 0   "
		       "TIME: 2025-11-21T21:32:16.123456789Z   KERNEL: 6.1.0-test\n");
	CHECK_STR(out, "RECORD: ");
	CHECK_STR(out, " of 16384 bytes, 8 sections, flags COMPLETE, CRC ");
	CHECK_STR(out, " ok, dump type kdump\n");
	CHECK_STR(out, "\n  #  COMPONENT                REASON        STATE       MODULE"
		       "                    BYTES  FLAGS\n");
	CHECK_STR(out, "  4  pages                    add-pages     incomplete  "
		       "bugcheck_sample_pages       128  READ_ERROR\n");
	CHECK_STR(out, "  3  remove                   remove-pages  finished    -");
	CHECK_STR(out, "DUMP I/O");
	CHECK_STR(out, "  6  mirror                   finished             4 ");
	CHECK(!strstr(out, "DAMAGED"));
	CHECK(!strstr(out, "DROPPED"));

	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 0), 0);
	out = out_text(f);
	CHECK_STR(out, "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  15 bytes  sec-a\n"
		       "0000000000000000:  68 65 6c 6c 6f 20 73 65  63 6f 6e 64 61 72 79     "
		       "hello secondary\n");
	CHECK_STR(out, "{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}  12 bytes  mp  multipart, 3 parts\n");

	f = out_open();
	CHECK_EQ(bcr_print_pages(f, &r), 0);
	out = out_text(f);
	CHECK(!strcmp(out, "ORIGINAL ADDRESS  KIND  PAGES  COMPONENT                 FLAGS\n"
			   "ffff888000100000  virt      2  remove                    removed\n"
			   "0000000001000000  phys      2  pages                     READ_ERROR\n"));

	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "pages"), 0);
	out = out_text(f);
	CHECK_STR(out, "CALLBACK 4: pages  module bugcheck_sample_pages  reason add-pages");
	CHECK_STR(out, "SECTION 6: added-pages  part 0  guid -  address 0000000001000000  "
		       "length 128  count 2  flags READ_ERROR|PHYSICAL\n"
		       "0000000001000000:  00 01 02 03");
	CHECK_STR(out, "0000000001000070:  70 71 72");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "mp"), 0);
	out = out_text(f);
	CHECK_STR(out, "SECTION 3: multipart  part 1  guid {8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}");
	CHECK_STR(out, "0000000000000000:  42 42 42");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "nope"), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_print_component(f, &r, "pag"), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_print_component(f, &r, NULL), BCR_E_ARG);
	out_text(f);
	free(buf);
}

static void test_printers_damaged(void)
{
	size_t len = build_std(area);
	uint8_t *buf;
	const char *out;
	struct bcr r;
	FILE *f;

	/* Payload CRC wrong in section 6 (added pages): all eight stay walkable. */
	((uint8_t *)(sec_at(area, 6) + 1))[5] ^= 1;
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_E_SECTION);

	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: section 6 at offset ", 29));
	CHECK_STR(out, "8 sections (1 damaged)");
	CHECK_STR(out, "sec-a");

	f = out_open();
	bcr_print_tags(f, &r, NULL, 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: ", 9));
	CHECK_STR(out, "hello secondary");

	f = out_open();
	bcr_print_pages(f, &r);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: ", 9));
	CHECK_STR(out, "removed");
	CHECK_STR(out, "phys");	/* the later physical range survives */

	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "legacy"), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: ", 9));
	CHECK_STR(out, "SECTION");	/* the legacy section after the bad one */
	free(buf);

	/* Nothing but "DAMAGED" when even the header is unusable. */
	buf = exact_copy(area, 100);
	CHECK_EQ(bcr_open(&r, buf, 100), BCR_E_SHORT);
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), BCR_E_SHORT);
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 0), BCR_E_SHORT);
	CHECK_EQ(bcr_print_pages(f, &r), BCR_E_SHORT);
	CHECK_EQ(bcr_print_component(f, &r, "x"), BCR_E_SHORT);
	out = out_text(f);
	CHECK(!strcmp(out, "DAMAGED: 100 bytes, shorter than the 320-byte header\n"
			   "DAMAGED: 100 bytes, shorter than the 320-byte header\n"
			   "DAMAGED: 100 bytes, shorter than the 320-byte header\n"
			   "DAMAGED: 100 bytes, shorter than the 320-byte header\n"));
	free(buf);

	/* Header CRC wrong: everything shown, plus the damage. */
	build_std(area);
	H(area)->crc32 ^= 0x10;
	CHECK_EQ(bcr_open(&r, area, len), BCR_E_CRC);
	f = out_open();
	bcr_print_summary(f, &r);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: header CRC ", 20));
	CHECK_STR(out, "BAD (computed ");
	CHECK_STR(out, "mirror");
}

/* Crash-dump devices */

static struct bugcheck_record_device dev_entry(const char *name, const char *driver,
					       const char *parent, int32_t result, uint32_t method,
					       uint32_t before, uint32_t after, uint32_t usage)
{
	struct bugcheck_record_device d;

	memset(&d, 0, sizeof(d));
	strncpy(d.name, name, sizeof(d.name) - 1);
	strncpy(d.driver, driver, sizeof(d.driver) - 1);
	strncpy(d.parent, parent, sizeof(d.parent) - 1);
	d.result = result;
	d.method = method;
	d.before = before;
	d.after = after;
	d.usage_count = usage;
	d.depth = parent[0] ? 1 : 0;
	d.irq_safe = method == BUGCHECK_DEVICE_METHOD_RUNTIME_PM;
	d.runtime_enabled = 1;
	return d;
}

static void rb_device(struct rb *b, uint32_t cb, uint32_t index,
		      const struct bugcheck_record_device *d, uint32_t len)
{
	rb_section(b, BUGCHECK_SECTION_DEVICE, cb, index, NULL, 0, 0, 0, d, len);
}

/*
 * A record as bugcheck writes it at a panic: the crashdump-devices entry
 * first, one DEVICE section per device, then a secondary block.
 *  0 pmdev.0   runtime-pm  suspended -> active     0
 *  1 pmdev.1   hook        suspended -> suspended  0
 *  2 bare      none        suspended -> suspended  -EOPNOTSUPP (no driver, no parent)
 *  3 odd       method 9    status 7 -> 4           -1234
 */
static size_t build_devices(void *buf)
{
	struct bugcheck_record_device d[4];
	struct rb b;
	uint32_t cb, i;

	d[0] = dev_entry("bugcheck-sample-pmdev.0", "bugcheck-sample-pmdev", "platform", 0,
			 BUGCHECK_DEVICE_METHOD_RUNTIME_PM, BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_ACTIVE, 1);
	d[1] = dev_entry("bugcheck-sample-pmdev.1", "bugcheck-sample-pmdev", "platform", 0,
			 BUGCHECK_DEVICE_METHOD_HOOK, BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	d[2] = dev_entry("bare", "", "", -95, BUGCHECK_DEVICE_METHOD_NONE,
			 BUGCHECK_DEVICE_RPM_SUSPENDED, BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	d[3] = dev_entry("odd", "drv", "bus0", -1234, 9, 7, 4, 3);
	d[3].depth = 5;

	rb_init(&b, buf, 4);
	cb = rb_callback(&b, "crashdump-devices", "bugcheck", R_DEVICES, S_INCOMPLETE, 0);
	rb_callback(&b, "sec-a", "bugcheck_sample_secondary", R_SECONDARY, S_FINISHED, 0);
	for (i = 0; i < 4; i++)
		rb_device(&b, cb, i, &d[i], sizeof(d[i]));
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 1, 0, G1, 0, 0, 0, "hello secondary", 15);
	return rb_finish(&b, 0);
}

#define DEV_HEADER									\
	"DEVICE                   DRIVER                 PARENT     DEPTH  BEFORE     "	\
	"AFTER      METHOD      RESULT       USAGE\n"
#define DEV_PMDEV0									\
	"bugcheck-sample-pmdev.0  bugcheck-sample-pmdev  platform       1  suspended  "	\
	"active     runtime-pm  0                1\n"
#define DEV_PMDEV1									\
	"bugcheck-sample-pmdev.1  bugcheck-sample-pmdev  platform       1  suspended  "	\
	"suspended  hook        0                0\n"

static void test_devices(void)
{
	size_t len = build_devices(area);
	uint8_t *buf = exact_copy(area, len);
	const char *out;
	struct bcr r;
	FILE *f;

	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), 0);
	out = out_text(f);
	CHECK(!strcmp(out, DEV_HEADER DEV_PMDEV0 DEV_PMDEV1
		      "bare                     -                      -              0  suspended  "
		      "suspended  none        -EOPNOTSUPP      0\n"
		      "odd                      drv                    bus0           5  7          "
		      "4          9           -1234            3\n"));

	/* The summary lists bugcheck's own entry like any other. */
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	CHECK_STR(out, "  0  crashdump-devices        devices       incomplete  bugcheck  "
		       "                  768  -\n");
	CHECK_STR(out, ", 5 sections, flags COMPLETE, CRC ");

	/* Its sections, as any component's. */
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "crashdump-devices"), 0);
	out = out_text(f);
	CHECK_STR(out, "CALLBACK 0: crashdump-devices  module bugcheck  reason devices");
	CHECK_STR(out, "SECTION 3: device  part 3  guid -  address 0000000000000000  length 192");
	exercise(devnull, &r);
	free(buf);

	/* A simulated bugcheck powers nothing, and says so. */
	build_devices(area);
	H(area)->flags |= BUGCHECK_RECORD_F_SIMULATED;
	rb_recrc(area, len);
	CHECK_EQ(bcr_open(&r, area, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "(simulated bugcheck: no device was powered)\n" DEV_HEADER, 44));

	/* No devices: one line, success. */
	len = build_std(area);
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), 0);
	out = out_text(f);
	CHECK(!strcmp(out, "no crash-dump devices in this record\n"));
	free(buf);

	/* No record: only the damage. */
	buf = exact_copy(area, 100);
	CHECK_EQ(bcr_open(&r, buf, 100), BCR_E_SHORT);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), BCR_E_SHORT);
	out = out_text(f);
	CHECK(!strcmp(out, "DAMAGED: 100 bytes, shorter than the 320-byte header\n"));
	free(buf);
	CHECK_EQ(bcr_print_devices(devnull, NULL), BCR_E_ARG);
}

/* Device sections shorter than the structure, one of them the last bytes of the buffer. */
static void test_devices_short(void)
{
	struct bugcheck_record_device d[2];
	const char *out;
	uint8_t *buf;
	struct bcr r;
	struct rb b;
	size_t len;
	uint32_t cb;
	FILE *f;

	d[0] = dev_entry("bugcheck-sample-pmdev.0", "bugcheck-sample-pmdev", "platform", 0,
			 BUGCHECK_DEVICE_METHOD_RUNTIME_PM, BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_ACTIVE, 1);
	d[1] = dev_entry("bugcheck-sample-pmdev.1", "bugcheck-sample-pmdev", "platform", 0,
			 BUGCHECK_DEVICE_METHOD_HOOK, BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	rb_init(&b, area, 1);
	cb = rb_callback(&b, "crashdump-devices", "bugcheck", R_DEVICES, S_FINISHED, 0);
	rb_device(&b, cb, 0, &d[0], 0);
	rb_device(&b, cb, 1, &d[0], sizeof(d[0]));
	rb_device(&b, cb, 2, &d[1], sizeof(d[1]));
	rb_device(&b, cb, 3, &d[1], sizeof(d[1]) - 1);
	rb_device(&b, cb, 4, &d[1], 100);
	len = rb_finish(&b, 0);
	/* The last payload ends 4 bytes (padding) before the buffer does. */
	CHECK_EQ(len, H(area)->used);
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);

	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), BCR_E_SECTION);
	out = out_text(f);
	CHECK(!strcmp(out, DEV_HEADER
		      "(section 0: MALFORMED device section, 0 bytes, expected 192)\n"
		      DEV_PMDEV0 DEV_PMDEV1
		      "(section 3: MALFORMED device section, 191 bytes, expected 192)\n"
		      "(section 4: MALFORMED device section, 100 bytes, expected 192)\n"));
	exercise(devnull, &r);
	free(buf);
}

/* Strings that fill their arrays without a NUL are cut at the array, never run on. */
static void test_devices_unterminated(void)
{
	struct bugcheck_record_device d;
	char want[256];
	const char *out;
	uint8_t *buf;
	struct bcr r;
	struct rb b;
	size_t len;
	uint32_t cb;
	FILE *f;

	d = dev_entry("x", "y", "z", 0, BUGCHECK_DEVICE_METHOD_HOOK,
		      BUGCHECK_DEVICE_RPM_SUSPENDED, BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	memset(d.name, 'N', sizeof(d.name));
	memset(d.driver, 'D', sizeof(d.driver));
	memset(d.parent, 'P', sizeof(d.parent));
	d.name[3] = '\n';		/* unprintable bytes never reach the terminal */
	rb_init(&b, area, 1);
	cb = rb_callback(&b, "crashdump-devices", "bugcheck", R_DEVICES, S_FINISHED, 0);
	rb_device(&b, cb, 0, &d, sizeof(d));
	d.driver[31] = '\0';		/* only the name and the parent run on */
	rb_device(&b, cb, 1, &d, sizeof(d));
	len = rb_finish(&b, 0);
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);

	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), BCR_E_SECTION);
	out = out_text(f);
	snprintf(want, sizeof(want), "NNN?%.60s %.32s %.64s     1  suspended  suspended  hook"
		 "        0                0  MALFORMED: unterminated string\n",
		 "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN",
		 "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD",
		 "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP");
	CHECK_STR(out, want);
	CHECK_STR(out, "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD PPPP");	/* 31 D's, terminated */
	CHECK(!strstr(out, "ND"));
	CHECK(!strstr(out, "DP"));
	CHECK(!strstr(out, "\n "));
	free(buf);
}

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
			bcr_open(&r, buf, len);
			bcr_print_devices(devnull, &r);
			bcr_print_summary(devnull, &r);
		}
	}
	free(orig);
	free(buf);
}

/* User blocks */

static struct bugcheck_record_user_block ub_entry(uint64_t address, uint64_t size, int32_t pid,
						  uint32_t uid, uint32_t flags, uint32_t copied,
						  const char *comm)
{
	struct bugcheck_record_user_block u;

	memset(&u, 0, sizeof(u));
	u.address = address;
	u.size = size;
	u.pid = pid;
	u.uid = uid;
	u.flags = flags;
	u.copied = copied;
	strncpy(u.comm, comm, sizeof(u.comm) - 1);
	return u;
}

/*
 * A USER_BLOCK section: @u then @clen bytes of @contents, the section's
 * address and count taken from @u (clen != u->copied builds malformed ones).
 */
static uint32_t rb_user_block(struct rb *b, uint32_t cb, uint32_t part, uint32_t sflags,
			      const struct bugcheck_record_user_block *u, const void *contents,
			      uint32_t clen)
{
	static uint8_t payload[AREA];

	memcpy(payload, u, sizeof(*u));
	if (clen)
		memcpy(payload + sizeof(*u), contents, clen);
	return rb_section(b, BUGCHECK_SECTION_USER_BLOCK, cb, part, NULL, sflags, u->address,
			  u->size, payload, (uint32_t)sizeof(*u) + clen);
}

#define UB_A0	0x7f3a5c021000ULL
#define UB_A1	0x7f3a5c030000ULL
#define UB_A2	0x7f1e2a400000ULL
#define UB_A3	0x55d0c0de0000ULL

static uint8_t ub_a0[100];
static const char ub_a3[] = "state=RUNNING queue=17 last=0x2a\n";

/*
 * A record as bugcheck writes it when the user blocks ran out of room:
 * a secondary block, then the user-blocks entry with four blocks:
 *  0 pid 1187 bcblock-sample  @7f3a5c021000   100 bytes, all copied
 *  1 pid 1187 bcblock-sample  @7f3a5c030000  4096 bytes, 40 copied (NO_SPACE)
 *  2 pid 1190 bcblock-sample  @7f1e2a400000  8192 bytes, unmapped
 *  3 pid 4242 worker (uid 1000) @55d0c0de0000 a line of text
 * and one more block dropped whole (the header's DROPPED counts).
 */
static size_t build_user_blocks(void *buf)
{
	struct bugcheck_record_user_block u[4];
	uint8_t big[40];
	struct rb b;
	uint32_t cb, i;

	for (i = 0; i < sizeof(ub_a0); i++)
		ub_a0[i] = (uint8_t)(i * 3 + 1);
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)('A' + i % 26);
	u[0] = ub_entry(UB_A0, sizeof(ub_a0), 1187, 0, 0, sizeof(ub_a0), "bcblock-sample");
	u[1] = ub_entry(UB_A1, 4096, 1187, 0, 0, sizeof(big), "bcblock-sample");
	u[2] = ub_entry(UB_A2, 8192, 1190, 0, BUGCHECK_USER_BLOCK_F_UNMAPPED, 0, "bcblock-sample");
	u[3] = ub_entry(UB_A3, sizeof(ub_a3) - 1, 4242, 1000, 0, sizeof(ub_a3) - 1, "worker");

	rb_init(&b, buf, 2);
	rb_callback(&b, "sec-a", "bugcheck_sample_secondary", R_SECONDARY, S_FINISHED, 0);
	cb = rb_callback(&b, "user-blocks", "bugcheck", R_USER_BLOCKS, S_INCOMPLETE,
			 BUGCHECK_CB_F_NO_SPACE);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 0, 0, G1, 0, 0, 0, "hello secondary", 15);
	rb_user_block(&b, cb, 0, 0, &u[0], ub_a0, sizeof(ub_a0));
	rb_user_block(&b, cb, 1, BUGCHECK_CB_F_NO_SPACE, &u[1], big, sizeof(big));
	rb_user_block(&b, cb, 2, 0, &u[2], NULL, 0);
	rb_user_block(&b, cb, 3, 0, &u[3], ub_a3, sizeof(ub_a3) - 1);
	H(buf)->dropped_sections = 1;
	H(buf)->dropped_bytes = 4096 - 40 + 65536;
	H(buf)->flags |= BUGCHECK_RECORD_F_TRUNCATED;
	return rb_finish(&b, 0);
}

#define UB_HEADER									\
	"    PID  COMM              ADDRESS                 SIZE      COPIED  FLAGS\n"
#define UB_ROW0										\
	"   1187  bcblock-sample    00007f3a5c021000         100         100  -\n"
#define UB_ROW1										\
	"   1187  bcblock-sample    00007f3a5c030000        4096          40  no-space\n"
#define UB_ROW2										\
	"   1190  bcblock-sample    00007f1e2a400000        8192           0  unmapped\n"
#define UB_ROW3										\
	"   4242  worker            000055d0c0de0000          33          33  -\n"
#define UB_DROPPED	"(the record ran out of room: 1 sections, 69592 bytes dropped in all; " \
			"blocks not listed did not fit)\n"

/* The bytes of @ub as bcr_user_block_write() puts them in a file. */
static size_t written(const struct bcr_user_block *ub, long *ret, uint8_t *out, size_t size)
{
	FILE *f = out_open();
	size_t n;

	*ret = bcr_user_block_write(f, ub);
	rewind(f);
	n = fread(out, 1, size, f);
	fclose(f);
	return n;
}

static void test_user_blocks(void)
{
	size_t len = build_user_blocks(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_section it = { .index = UINT32_MAX };
	struct bcr_user_block ub;
	uint8_t bytes[256];
	int32_t pid;
	const char *out;
	struct bcr r;
	long ret;
	FILE *f;

	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);

	/* Decoded fields, as the kernel wrote them. */
	while (bcr_next_section(&r, &it) && it.sec->type != BUGCHECK_SECTION_USER_BLOCK)
		;
	CHECK_EQ(bcr_user_block(&it, &ub), 0);
	CHECK_EQ(ub.index, 1);
	CHECK_EQ(ub.part, 0);
	CHECK_EQ(ub.address, UB_A0);
	CHECK_EQ(ub.size, 100);
	CHECK_EQ(ub.pid, 1187);
	CHECK_EQ(ub.copied, 100);
	CHECK(!strcmp(ub.comm, "bcblock-sample"));
	CHECK(ub.contents == it.payload + sizeof(struct bugcheck_record_user_block));
	CHECK_EQ(ub.malformed[0], '\0');
	CHECK_EQ(ub.damaged, 0);
	it.index = UINT32_MAX;
	bcr_next_section(&r, &it);	/* the secondary block */
	CHECK_EQ(bcr_user_block(&it, &ub), BCR_E_ARG);
	CHECK_EQ(bcr_user_block(NULL, &ub), BCR_E_ARG);

	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 0), 0);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER UB_ROW0 UB_ROW1 UB_ROW2 UB_ROW3 UB_DROPPED));

	/* -p: only that process's blocks, in record order. */
	pid = 1187;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), 0);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER UB_ROW0 UB_ROW1 UB_DROPPED));
	pid = 4242;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), 0);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER UB_ROW3 UB_DROPPED));
	pid = 9999;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_NOTFOUND);
	out = out_text(f);
	CHECK(!strcmp(out, "no user blocks of pid 9999 in this record\n" UB_DROPPED));

	/* -x: contents at the blocks' own addresses; none for the unmapped one. */
	pid = 1190;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 1), 0);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER UB_ROW2 "\n" UB_DROPPED));
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 1), 0);
	out = out_text(f);
	CHECK_STR(out, UB_HEADER UB_ROW0
		  "00007f3a5c021000:  01 04 07 0a 0d 10 13 16  19 1c 1f 22 25 28 2b 2e  "
		  "...........\"%(+.\n");
	CHECK_STR(out, "00007f3a5c021060:  21 24 27 2a"
		       "                                       !$'*\n\n" UB_ROW1
		       "00007f3a5c030000:  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  "
		       "ABCDEFGHIJKLMNOP\n");
	CHECK_STR(out, "00007f3a5c030020:  47 48 49 4a 4b 4c 4d 4e"
		       "                           GHIJKLMN\n\n" UB_ROW2 "\n" UB_ROW3
		       "000055d0c0de0000:  73 74 61 74 65 3d 52 55  4e 4e 49 4e 47 20 71 75  "
		       "state=RUNNING qu\n");
	CHECK_STR(out, "000055d0c0de0020:  0a"
		       "                                                .\n\n" UB_DROPPED);

	/* The summary and bugdump COMPONENT name them. */
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	CHECK_STR(out, "  1  user-blocks              user-blocks   incomplete  bugcheck  "
		       "                  ");
	CHECK_STR(out, "DROPPED: 1 sections, 69592 bytes\n");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "user-blocks"), 0);
	out = out_text(f);
	CHECK_STR(out, "CALLBACK 1: user-blocks  module bugcheck  reason user-blocks  "
		       "state incomplete");
	CHECK_STR(out, "SECTION 2: user-block  part 1  guid -  address 00007f3a5c030000  "
		       "length 88  count 4096  flags NO_SPACE\n"
		       "USER BLOCK: pid 1187  uid 0  comm bcblock-sample  address 00007f3a5c030000  "
		       "size 4096  copied 40  flags no-space\n"
		       "00007f3a5c030000:  41 42 43");
	CHECK_STR(out, "USER BLOCK: pid 1190  uid 0  comm bcblock-sample  address 00007f1e2a400000  "
		       "size 8192  copied 0  flags unmapped\n\nSECTION 4");
	CHECK_STR(out, "USER BLOCK: pid 4242  uid 1000  comm worker");

	/* Raw contents, byte for byte. */
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), sizeof(ub_a0));
	CHECK_EQ(ret, sizeof(ub_a0));
	CHECK(!memcmp(bytes, ub_a0, sizeof(ub_a0)));
	CHECK_EQ(bcr_find_user_block(&r, 4242, UB_A3, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), sizeof(ub_a3) - 1);
	CHECK(!memcmp(bytes, ub_a3, sizeof(ub_a3) - 1));
	/* Cut by NO_SPACE: what the record holds, and the flags say so. */
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A1, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 40);
	CHECK(!memcmp(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN", 40));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, (char *)bytes, sizeof(bytes)), "no-space"));
	CHECK_EQ(bcr_find_user_block(&r, 1190, UB_A2, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 0);
	CHECK_EQ(ret, 0);
	/* Selected by pid and start address, nothing else. */
	CHECK_EQ(bcr_find_user_block(&r, 1190, UB_A0, &ub), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0 + 1, &ub), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0 - 1, &ub), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_find_user_block(NULL, 1187, UB_A0, &ub), BCR_E_ARG);
	CHECK_EQ(bcr_user_block_write(NULL, &ub), BCR_E_ARG);
	exercise(devnull, &r);
	free(buf);

	/* No user blocks: one line, success; a pid is then not found. */
	len = build_std(area);
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 1), 0);
	out = out_text(f);
	CHECK(!strcmp(out, "no user blocks in this record\n"));
	pid = 1187;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_NOTFOUND);
	out = out_text(f);
	CHECK(!strcmp(out, "no user blocks in this record\n"));
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0, &ub), BCR_E_NOTFOUND);
	free(buf);

	/* No record: only the damage. */
	buf = exact_copy(area, 100);
	CHECK_EQ(bcr_open(&r, buf, 100), BCR_E_SHORT);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 0), BCR_E_SHORT);
	out = out_text(f);
	CHECK(!strcmp(out, "DAMAGED: 100 bytes, shorter than the 320-byte header\n"));
	free(buf);
	CHECK_EQ(bcr_print_user_blocks(devnull, NULL, NULL, 0), BCR_E_ARG);
}

/*
 * Blocks that do not hold together, each between good ones: every one is
 * shown as MALFORMED with its reason, never its contents, and the walk goes on.
 *  0 good
 *  1 copied 200 > size 100 (and the payload holds the 200)
 *  2 payload of 47 bytes, one short of the block header
 *  3 payload of 0 bytes
 *  4 copied 10, but 12 bytes follow the header
 *  5 comm of 16 bytes without a NUL, one of them a newline
 *  6 section address not the block's
 *  7 unknown flags: shown, not rejected
 *  8 good
 */
static size_t build_user_blocks_malformed(void *buf)
{
	struct bugcheck_record_user_block u;
	uint8_t data[200];
	struct rb b;
	uint32_t cb, n;

	memset(data, 0x5a, sizeof(data));
	rb_init(&b, buf, 1);
	cb = rb_callback(&b, "user-blocks", "bugcheck", R_USER_BLOCKS, S_FINISHED, 0);
	u = ub_entry(0x1000, 16, 100, 0, 0, 16, "good");
	rb_user_block(&b, cb, 0, 0, &u, "0123456789abcdef", 16);
	u = ub_entry(0x2000, 100, 101, 0, 0, 200, "greedy");
	rb_user_block(&b, cb, 1, 0, &u, data, 200);
	u = ub_entry(0x3000, 8, 102, 0, 0, 0, "short");
	rb_section(&b, BUGCHECK_SECTION_USER_BLOCK, cb, 2, NULL, 0, 0x3000, 8, &u, 47);
	rb_section(&b, BUGCHECK_SECTION_USER_BLOCK, cb, 3, NULL, 0, 0x3800, 8, NULL, 0);
	u = ub_entry(0x4000, 64, 104, 0, 0, 10, "liar");
	rb_user_block(&b, cb, 4, 0, &u, data, 12);
	u = ub_entry(0x5000, 4, 105, 0, 0, 4, "");
	memcpy(u.comm, "ABCDEFG\nIJKLMNOP", 16);
	rb_user_block(&b, cb, 5, 0, &u, "wxyz", 4);
	u = ub_entry(0x6000, 4, 106, 0, 0, 4, "moved");
	n = rb_user_block(&b, cb, 6, 0, &u, "wxyz", 4);
	sec_at(buf, n)->address = 0x6100;
	u = ub_entry(0x7000, 4, 107, 0, 0x80 | BUGCHECK_USER_BLOCK_F_UNMAPPED, 4, "odd");
	rb_user_block(&b, cb, 7, BUGCHECK_CB_F_READ_ERROR | 0x4000, &u, "wxyz", 4);
	u = ub_entry(0x8000, 2, 108, 0, 0, 2, "good2");
	rb_user_block(&b, cb, 8, 0, &u, "ok", 2);
	return rb_finish(&b, 0);
}

static void test_user_blocks_malformed(void)
{
	size_t len = build_user_blocks_malformed(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_user_block ub;
	const char *out;
	uint8_t bytes[64];
	int32_t pid;
	struct bcr r;
	long ret;
	FILE *f;

	/* Malformed payloads are not a damaged record: their CRCs hold. */
	CHECK_EQ(bcr_open(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 1), BCR_E_SECTION);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER
		      "    100  good              0000000000001000          16          16  -\n"
		      "0000000000001000:  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
		      "0123456789abcdef\n\n"
		      "    101  greedy            0000000000002000         100         200  -"
		      "  MALFORMED: copied 200, more than the size 100\n\n"
		      "(section 2: MALFORMED user block: 47-byte payload, shorter than the "
		      "48-byte block header)\n\n"
		      "(section 3: MALFORMED user block: 0-byte payload, shorter than the "
		      "48-byte block header)\n\n"
		      "    104  liar              0000000000004000          64          10  -"
		      "  MALFORMED: copied 10, but 12 bytes follow the block header\n\n"
		      "    105  ABCDEFG?IJKLMNOP  0000000000005000           4           4  -"
		      "  MALFORMED: comm not NUL-terminated\n\n"
		      "    106  moved             0000000000006000           4           4  -"
		      "  MALFORMED: section address 6100 count 4 are not the block's\n\n"
		      "    107  odd               0000000000007000           4           4  "
		      "unmapped,0x80,read-error,section-0x4000\n"
		      "0000000000007000:  77 78 79 7a                                       wxyz\n\n"
		      "    108  good2             0000000000008000           2           2  -\n"
		      "0000000000008000:  6f 6b"
		      "                                             ok\n\n"));

	/* A pid filter still shows the blocks too short to have a pid. */
	pid = 108;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_SECTION);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER
		      "(section 2: MALFORMED user block: 47-byte payload, shorter than the "
		      "48-byte block header)\n"
		      "(section 3: MALFORMED user block: 0-byte payload, shorter than the "
		      "48-byte block header)\n"
		      "    108  good2             0000000000008000           2           2  -\n"));
	pid = 100;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_SECTION);
	out_text(f);

	/* Malformed blocks are found, never written. */
	CHECK_EQ(bcr_find_user_block(&r, 101, 0x2000, &ub), BCR_E_SECTION);
	CHECK_STR(ub.malformed, "copied 200");
	CHECK(ub.contents == NULL);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 0);
	CHECK_EQ(ret, BCR_E_SECTION);
	CHECK_EQ(bcr_find_user_block(&r, 104, 0x4000, &ub), BCR_E_SECTION);
	CHECK_EQ(bcr_find_user_block(&r, 105, 0x5000, &ub), BCR_E_SECTION);
	CHECK(!strcmp(ub.comm, "ABCDEFG?IJKLMNOP"));
	CHECK_EQ(bcr_find_user_block(&r, 106, 0x6000, &ub), BCR_E_SECTION);
	CHECK_EQ(bcr_find_user_block(&r, 102, 0x3000, &ub), BCR_E_NOTFOUND);
	/* Unknown flags are no reason to refuse. */
	CHECK_EQ(bcr_find_user_block(&r, 107, 0x7000, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 4);
	CHECK(!memcmp(bytes, "wxyz", 4));
	CHECK_EQ(bcr_find_user_block(&r, 108, 0x8000, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 2);
	CHECK(!memcmp(bytes, "ok", 2));

	/* bugdump COMPONENT shows the raw payload of a malformed one. */
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "user-blocks"), 0);
	out = out_text(f);
	CHECK_STR(out, "length 248  count 100  flags -\n"
		       "USER BLOCK: MALFORMED: copied 200, more than the size 100\n"
		       "0000000000000000:  00 20 00 00 00 00 00 00  64 00 00 00");
	CHECK_STR(out, "length 0  count 8  flags -\n"
		       "USER BLOCK: MALFORMED: 0-byte payload, shorter than the 48-byte block "
		       "header\n\nSECTION 4");
	exercise(devnull, &r);
	free(buf);
}

/* A user block whose payload CRC is wrong: shown, marked, never written. */
static void test_user_blocks_damaged(void)
{
	size_t len = build_user_blocks(area);
	struct bcr_user_block ub;
	uint8_t bytes[256], *buf;
	const char *out;
	struct bcr r;
	long ret;
	FILE *f;

	/* Section 1 is block 0: flip one byte of its contents. */
	((uint8_t *)(sec_at(area, 1) + 1))[sizeof(struct bugcheck_record_user_block) + 5] ^= 1;
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(bcr_open(&r, buf, len), BCR_E_SECTION);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 0), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: section 1 at offset ", 29));
	CHECK_STR(out, UB_HEADER "   1187  bcblock-sample    00007f3a5c021000         100         "
			"100  -  PAYLOAD DAMAGED (CRC mismatch)\n" UB_ROW1 UB_ROW2 UB_ROW3);
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0, &ub), BCR_E_SECTION);
	CHECK_EQ(ub.damaged, 1);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 0);
	CHECK_EQ(ret, BCR_E_SECTION);
	/* The others are intact. */
	CHECK_EQ(bcr_find_user_block(&r, 4242, UB_A3, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), sizeof(ub_a3) - 1);
	exercise(devnull, &r);
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

static void fuzz_one(const uint8_t *orig, uint8_t *buf, size_t len, size_t at, uint8_t x,
		     int recrc, unsigned int *accepted)
{
	struct bcr r;

	memcpy(buf, orig, len);
	buf[at] ^= x;
	if (recrc)
		rb_recrc(buf, len);
	if (bcr_open(&r, buf, len) == BCR_OK)
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

static void fuzz_random(const char *name, size_t (*build)(void *buf), unsigned int count)
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
				buf[at] = (uint8_t[]){ 0, 0xff, 0x7f, 0x80 }[rnd() % 4];
			else
				buf[at] = (uint8_t)rnd();
		}
		if (rnd() % 2)
			rb_recrc(buf, len);
		if (bcr_open(&r, buf, len) == BCR_OK)
			accepted++;
		hits[-r.error & 7]++;
		exercise(devnull, &r);
	}
	printf("#   %s: %u random mutations: %u accepted, %u crc, %u section, %u layout, "
	       "%u other\n", name, count, accepted, hits[-BCR_E_CRC], hits[-BCR_E_SECTION],
	       hits[-BCR_E_LAYOUT],
	       count - accepted - hits[-BCR_E_CRC] - hits[-BCR_E_SECTION] - hits[-BCR_E_LAYOUT]);
	free(orig);
	free(buf);
}

static void test_fuzz_random(void)
{
	size_t j;

	for (j = 0; j < sizeof(fuzz_records) / sizeof(fuzz_records[0]); j++)
		fuzz_random(fuzz_records[j].name, fuzz_records[j].build, fuzz_records[j].mutations);
}

struct test {
	const char *name;
	void (*fn)(void);
};

static const struct test tests[] = {
	{ "crc32 matches zlib", test_crc32 },
	{ "valid record decodes", test_valid },
	{ "dump-io copy without status table", test_dumpio_copy },
	{ "truncated at every length", test_truncated },
	{ "header CRC mismatch", test_header_crc },
	{ "payload CRC mismatch", test_payload_crc },
	{ "hostile header and section values", test_hostile },
	{ "incomplete record printed", test_incomplete_print },
	{ "magic and version", test_magic_version },
	{ "GUID parse and format", test_guid },
	{ "multipart joined in part order", test_multipart_order },
	{ "duplicate GUID: first wins", test_duplicate_guid },
	{ "flag strings", test_flags_str },
	{ "names", test_names },
	{ "hexdump rows", test_hexdump },
	{ "printers on a valid record", test_printers },
	{ "printers on damaged records", test_printers_damaged },
	{ "devices: valid, simulated, none", test_devices },
	{ "devices: short sections", test_devices_short },
	{ "devices: unterminated strings", test_devices_unterminated },
	{ "devices: every byte flipped", test_devices_fuzz },
	{ "user blocks: valid, pid filter, contents, none", test_user_blocks },
	{ "user blocks: malformed sections", test_user_blocks_malformed },
	{ "user blocks: damaged payload", test_user_blocks_damaged },
	{ "fuzz: every byte flipped", test_fuzz_flip },
	{ "fuzz: seeded random mutations", test_fuzz_random },
};

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return 1;
	}
	ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) || !ok) {
		perror(path);
		return 1;
	}
	return 0;
}

/*
 * The records the CLI tests need, and each block's contents as the builder
 * put them in (not as the library reads them back).
 */
static int write_samples(const char *dir)
{
	static const char big[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN";
	int err = 0;
	size_t len;

	len = build_std(area);
	err |= write_file(dir, "standard.bin", area, len);
	len = build_user_blocks(area);
	err |= write_file(dir, "user-blocks.bin", area, len);
	err |= write_file(dir, "block-1187-7f3a5c021000.bin", ub_a0, sizeof(ub_a0));
	err |= write_file(dir, "block-1187-7f3a5c030000.bin", big, 40);
	err |= write_file(dir, "block-4242-55d0c0de0000.bin", ub_a3, sizeof(ub_a3) - 1);
	len = build_user_blocks_malformed(area);
	err |= write_file(dir, "user-blocks-malformed.bin", area, len);
	return err;
}

int main(int argc, char **argv)
{
	unsigned int i, passed = 0, failed = 0;

	if (argc == 3 && !strcmp(argv[1], "--write-samples"))
		return write_samples(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: test_bcrecord [--write-samples DIR]\n");
		return 2;
	}

	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("/dev/null");
		return 1;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		checks_failed = 0;
		tests[i].fn();
		if (checks_failed) {
			printf("not ok %u - %s\n", i + 1, tests[i].name);
			failed++;
		} else {
			printf("ok %u - %s\n", i + 1, tests[i].name);
			passed++;
		}
		fflush(stdout);
	}
	fclose(devnull);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
