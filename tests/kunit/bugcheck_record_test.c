// SPDX-License-Identifier: GPL-2.0
/* KUnit suite for the record format: header, CRCs, section chain, validation. */

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/utsname.h>

#include "fixture.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/*
 * One callback of every kind that leaves a section, with lengths that are not
 * multiples of 8 so the padding is exercised.  The callbacks find it through
 * @fix; it lives as long as the test case.
 */
struct record_fixture {
	struct bugcheck_reason_callback_record sec;
	struct bugcheck_reason_callback_record multi;
	struct bugcheck_reason_callback_record triage;
	struct bugcheck_reason_callback_record add;
	struct bugcheck_reason_callback_record rem;
	struct bugcheck_callback_record legacy;
	u8 *pages; /* two vmalloc'ed pages: added, removed */
	u8 blk[3]; /* the triage block */
	u8 legacy_buf[7];
	struct bugcheck_triage_dump_data_array *array;
	size_t array_size;
};

#define RF_SECTIONS \
	7 /* sec 1, multipart 2, triage 1, add 1, remove 1, legacy 1 */

static struct record_fixture *fix;

static const guid_t rf_guid =
	GUID_INIT(0x6263b002, 0x7265, 0x636f, 0x80, 0x01, 0, 0, 0, 0, 0, 1);

static void rf_sec_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;

	if (!d->in_buffer) {
		d->out_buffer_length = 13;
		return;
	}
	if (d->in_buffer_length < 13)
		return;
	rw_fill(d->in_buffer, 13, 1);
	d->out_buffer_length = 13;
	d->guid = rf_guid;
}

static void rf_multi_cb(enum bugcheck_callback_reason reason,
			struct bugcheck_reason_callback_record *rec,
			void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data_ex *d = reason_data;
	unsigned long part = (unsigned long)d->context;
	u32 n = part ? 21 : 5;

	if (part > 1 || d->in_buffer_length < n)
		return;
	rw_fill(d->in_buffer, n, 2 + part);
	d->out_buffer_length = n;
	d->guid = rf_guid;
	d->guid.b[15] = 2;
	d->context = (void *)(part + 1);
	if (!part)
		d->flags |= BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA;
}

static void rf_triage_cb(enum bugcheck_callback_reason reason,
			 struct bugcheck_reason_callback_record *rec,
			 void *reason_data, size_t reason_data_len)
{
	struct bugcheck_triage_dump_data *d = reason_data;

	if (!fix ||
	    bugcheck_init_triage_dump_data_array(fix->array, fix->array_size) ||
	    bugcheck_add_triage_dump_data_block(fix->array, fix->blk,
						sizeof(fix->blk)))
		return;
	d->data_array = fix->array;
}

static void rf_add_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_add_pages *d = reason_data;

	if (!fix)
		return;
	d->flags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
	d->address = (unsigned long)fix->pages;
	d->count = 1;
}

static void rf_rem_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_remove_pages *d = reason_data;

	if (!fix)
		return;
	d->flags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
	d->address = (unsigned long)fix->pages + PAGE_SIZE;
	d->count = 1;
}

static void rf_legacy_fn(void *buf, size_t len)
{
	rw_fill(buf, len, 7);
}

static void rf_register(struct kunit *test,
			struct bugcheck_reason_callback_record *rec,
			bugcheck_reason_callback_fn fn,
			enum bugcheck_callback_reason reason,
			const char *component)
{
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, rec));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(rec, fn, reason,
							  component));
}

static void populate(struct kunit *test)
{
	struct record_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->pages = fx_vmalloc(test, 2 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, f->pages);
	rw_fill(f->pages, 2 * PAGE_SIZE, 4);
	rw_fill(f->blk, sizeof(f->blk), 3);
	f->array_size = BUGCHECK_TRIAGE_ARRAY_SIZE(2);
	f->array = kunit_kzalloc(test, f->array_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->array);
	fix = f;

	rf_register(test, &f->sec, rf_sec_cb,
		    BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, "bc_rec_secondary");
	rf_register(test, &f->multi, rf_multi_cb,
		    BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA,
		    "bc_rec_multipart");
	rf_register(test, &f->triage, rf_triage_cb,
		    BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA, "bc_rec_triage");
	rf_register(test, &f->add, rf_add_cb, BUGCHECK_CALLBACK_ADD_PAGES,
		    "bc_rec_add");
	rf_register(test, &f->rem, rf_rem_cb, BUGCHECK_CALLBACK_REMOVE_PAGES,
		    "bc_rec_remove");
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, &f->legacy.core));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_callback(
				&f->legacy, rf_legacy_fn, f->legacy_buf,
				sizeof(f->legacy_buf), "bc_rec_legacy"));
}

/* A populated record in a fresh area. */
static struct bugcheck_record_header *populated_record(struct kunit *test)
{
	void *area = fx_vmalloc(test, FX_AREA_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, area);
	populate(test);
	fx_collect(test, area, FX_AREA_SIZE);
	return area;
}

/* Recompute the header CRC by the format's definition, not the module's. */
static void reseal(struct bugcheck_record_header *h)
{
	h->crc32 = 0;
	h->crc32 = rw_crc32(h, h->used);
}

static void header_fields_consistent(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);
	u32 i;

	KUNIT_EXPECT_EQ(test, 0,
			memcmp(h->magic, BUGCHECK_RECORD_MAGIC,
			       sizeof(h->magic)));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_RECORD_VERSION, h->version);
	KUNIT_EXPECT_EQ(test, (u32)sizeof(*h), h->header_size);
	KUNIT_EXPECT_EQ(test, (u32)sizeof(struct bugcheck_record_callback),
			h->callback_size);
	KUNIT_EXPECT_EQ(test, (u32)FX_AREA_SIZE, h->area_size);
	KUNIT_EXPECT_LE(test, h->used, (u32)FX_AREA_SIZE);
	KUNIT_EXPECT_GE(test, h->callbacks_offset, h->header_size);
	KUNIT_EXPECT_GE(test, (u64)h->sections_offset,
			(u64)h->callbacks_offset +
				(u64)h->nr_callbacks * h->callback_size);
	KUNIT_EXPECT_LE(test, h->sections_offset, h->used);
	KUNIT_EXPECT_GE(test, h->nr_callbacks, 6U);
	KUNIT_EXPECT_GE(test, h->nr_sections, (u32)RF_SECTIONS);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_RECORD_F_COMPLETE,
			h->flags & BUGCHECK_RECORD_F_COMPLETE);
	KUNIT_EXPECT_EQ(test, 0U,
			h->flags & (BUGCHECK_RECORD_F_TRUNCATED |
				    BUGCHECK_RECORD_F_REENTERED |
				    BUGCHECK_RECORD_F_LIST_CORRUPT |
				    BUGCHECK_RECORD_F_TABLE_FULL));
	KUNIT_EXPECT_EQ(test, 0U, h->reserved);
	KUNIT_EXPECT_NOT_NULL(test,
			      memchr(h->message, '\0', sizeof(h->message)));
	KUNIT_EXPECT_NOT_NULL(test,
			      memchr(h->release, '\0', sizeof(h->release)));
	KUNIT_EXPECT_STREQ(test, init_utsname()->release, h->release);

	for (i = 0; i < h->nr_callbacks; i++) {
		const struct bugcheck_record_callback *e = rw_entry(h, i);

		KUNIT_EXPECT_NOT_NULL(test, memchr(e->component, '\0',
						   sizeof(e->component)));
		KUNIT_EXPECT_NOT_NULL(test, memchr(e->module, '\0',
						   sizeof(e->module)));
		KUNIT_EXPECT_GE(test, e->reason,
				(u32)BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
		KUNIT_EXPECT_LE(test, e->reason,
				(u32)BUGCHECK_RECORD_REASON_LEGACY);
	}
}

static void crc_matches_definition(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);
	u32 stored = h->crc32;

	KUNIT_EXPECT_EQ(test, stored, bugcheck_record_crc(h, h->used));
	reseal(h);
	KUNIT_EXPECT_EQ(test, stored, h->crc32);
}

static void valid_accepts_fresh_record(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);

	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(h, h->used));
}

static void valid_rejects_flipped_payload_byte(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);
	const struct bugcheck_record_section *s;
	struct rw_iter it;
	u8 *p = NULL;

	rw_for_each_section(s, &it, h) {
		if (s->length) {
			p = (u8 *)rw_payload(s) + s->length / 2;
			break;
		}
	}
	KUNIT_ASSERT_NOT_NULL(test, p);
	*p ^= 0x01;
	KUNIT_EXPECT_FALSE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
	*p ^= 0x01;
	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
}

static void valid_rejects_wrong_magic_or_version(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);

	/* Resealed each time, so only the field itself can be the reason. */
	h->magic[0] ^= 0x20;
	reseal(h);
	KUNIT_EXPECT_FALSE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
	h->magic[0] ^= 0x20;
	h->version++;
	reseal(h);
	KUNIT_EXPECT_FALSE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
	h->version--;
	reseal(h);
	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
}

static void valid_rejects_used_beyond_len(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);
	u32 used = h->used;

	KUNIT_EXPECT_FALSE(test, bugcheck_record_valid(h, used - 1));
	KUNIT_EXPECT_FALSE(test, bugcheck_record_valid(h, sizeof(*h) - 1));
	KUNIT_ASSERT_LE(test, used + 8, (u32)FX_AREA_SIZE);
	h->used = used + 8;
	reseal(h);
	KUNIT_EXPECT_FALSE(test, bugcheck_record_valid(h, used));
	/* The CRC is right for the claimed length: only len decided. */
	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
}

static void valid_rejects_incomplete(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);

	h->flags &= ~BUGCHECK_RECORD_F_COMPLETE;
	reseal(h);
	KUNIT_EXPECT_FALSE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
	h->flags |= BUGCHECK_RECORD_F_COMPLETE;
	reseal(h);
	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(h, FX_AREA_SIZE));
}

static void section_payload_crcs_match(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);
	const struct bugcheck_record_section *s;
	struct rw_iter it;

	rw_for_each_section(s, &it, h)
		KUNIT_EXPECT_EQ_MSG(test, rw_crc32(rw_payload(s), s->length),
				    s->payload_crc32, "section %u (type %u)",
				    it.n - 1, s->type);
	KUNIT_EXPECT_FALSE(test, it.bad);
	KUNIT_EXPECT_EQ(test, h->nr_sections, it.n);
	KUNIT_EXPECT_GE(test, it.n, (u32)RF_SECTIONS);
}

static void sections_aligned_and_chain_to_used(struct kunit *test)
{
	struct bugcheck_record_header *h = populated_record(test);
	u32 off = h->sections_offset, n;

	for (n = 0; n < h->nr_sections; n++) {
		const struct bugcheck_record_section *s =
			(void *)((u8 *)h + off);
		u32 pad;

		KUNIT_ASSERT_EQ_MSG(test, 0U, off % 8, "section %u", n);
		KUNIT_ASSERT_LE_MSG(test, (u64)off + sizeof(*s), (u64)h->used,
				    "section %u header past used", n);
		KUNIT_ASSERT_EQ_MSG(test, 0U, s->size % 8, "section %u", n);
		KUNIT_ASSERT_EQ_MSG(test,
				    (u32)(sizeof(*s) + ALIGN(s->length, 8)),
				    s->size, "section %u", n);
		KUNIT_ASSERT_LE_MSG(test, (u64)off + s->size, (u64)h->used,
				    "section %u past used", n);
		for (pad = s->length; pad < s->size - sizeof(*s); pad++)
			KUNIT_EXPECT_EQ_MSG(test, 0, rw_payload(s)[pad],
					    "section %u padding byte %u", n,
					    pad);
		if (s->type == BUGCHECK_SECTION_ADDED_PAGES ||
		    s->type == BUGCHECK_SECTION_REMOVED_PAGES)
			KUNIT_EXPECT_EQ(test, 0ULL, s->address % PAGE_SIZE);
		else
			KUNIT_EXPECT_EQ(test, (u64)s->length, s->count);
		off += s->size;
	}
	KUNIT_EXPECT_EQ(test, h->used, off);
}

static void empty_registry_gives_valid_empty_record(struct kunit *test)
{
	void *area = fx_vmalloc(test, FX_AREA_SIZE);
	const struct bugcheck_record_header *h;

	KUNIT_ASSERT_NOT_NULL(test, area);
	h = fx_collect(test, area, FX_AREA_SIZE);

	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(area, FX_AREA_SIZE));
	KUNIT_EXPECT_EQ(test, 0U, h->nr_callbacks);
	KUNIT_EXPECT_EQ(test, 0U, h->nr_sections);
	KUNIT_EXPECT_EQ(test, h->sections_offset, h->used);
	KUNIT_EXPECT_EQ(test, 0U, h->nr_io_status);
	KUNIT_EXPECT_EQ(test, 0U, h->dropped_sections);
	KUNIT_EXPECT_EQ(test, 0U, h->dropped_bytes);
	KUNIT_EXPECT_EQ(test, 0U, h->flags & BUGCHECK_RECORD_F_TRUNCATED);
}

static void collect_into_rejects_bad_area(struct kunit *test)
{
	static const unsigned long param[4];
	void *area = fx_vmalloc(test, BUGCHECK_RECORD_SIZE_MIN);

	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_collect_into(NULL, FX_AREA_SIZE,
					      BUGCHECK_CODE_SIMULATED, param));
	memset(area, 0x5a, BUGCHECK_RECORD_SIZE_MIN);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_collect_into(area,
					      BUGCHECK_RECORD_SIZE_MIN - 8,
					      BUGCHECK_CODE_SIMULATED, param));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_collect_into(area, 0, BUGCHECK_CODE_SIMULATED,
					      param));
	KUNIT_EXPECT_NULL_MSG(test,
			      memchr_inv(area, 0x5a, BUGCHECK_RECORD_SIZE_MIN),
			      "a rejected area was written");
	/* The minimum itself is accepted. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_collect_into(area, BUGCHECK_RECORD_SIZE_MIN,
					      BUGCHECK_CODE_SIMULATED, param));
	KUNIT_EXPECT_TRUE(
		test, bugcheck_record_valid(area, BUGCHECK_RECORD_SIZE_MIN));
}

static void simulated_record_reports_code_and_params(struct kunit *test)
{
	static const unsigned long param[4] = {
		0x1111,
		0xdeadbeef,
		ULONG_MAX,
		0,
	};
	void *area = fx_vmalloc(test, FX_AREA_SIZE);
	const struct bugcheck_record_header *h = area;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_collect_into(area, FX_AREA_SIZE,
					      BUGCHECK_CODE_SIMULATED, param));
	KUNIT_ASSERT_NOT_NULL(test, rw_header(area, FX_AREA_SIZE));

	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_RECORD_F_SIMULATED,
			h->flags & BUGCHECK_RECORD_F_SIMULATED);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CODE_SIMULATED, h->bugcheck_code);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ_MSG(test, (u64)param[i],
				    h->bugcheck_parameter[i], "parameter %d",
				    i);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_DUMP_TYPE_SIMULATED, h->dump_type);
	KUNIT_EXPECT_LT(test, h->panic_cpu, nr_cpu_ids);
	KUNIT_EXPECT_NE(test, 0ULL, h->time_ns);
	KUNIT_EXPECT_TRUE(test, bugcheck_record_valid(area, FX_AREA_SIZE));
}

static void bugcheck_record_test_exit(struct kunit *test)
{
	fix = NULL;
}

static struct kunit_case bugcheck_record_test_cases[] = {
	KUNIT_CASE(header_fields_consistent),
	KUNIT_CASE(crc_matches_definition),
	KUNIT_CASE(valid_accepts_fresh_record),
	KUNIT_CASE(valid_rejects_flipped_payload_byte),
	KUNIT_CASE(valid_rejects_wrong_magic_or_version),
	KUNIT_CASE(valid_rejects_used_beyond_len),
	KUNIT_CASE(valid_rejects_incomplete),
	KUNIT_CASE(section_payload_crcs_match),
	KUNIT_CASE(sections_aligned_and_chain_to_used),
	KUNIT_CASE(empty_registry_gives_valid_empty_record),
	KUNIT_CASE(collect_into_rejects_bad_area),
	KUNIT_CASE(simulated_record_reports_code_and_params),
	{}
};

static struct kunit_suite bugcheck_record_test_suite = {
	.name = "bugcheck_record",
	.exit = bugcheck_record_test_exit,
	.test_cases = bugcheck_record_test_cases,
};

kunit_test_suites(&bugcheck_record_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the bugcheck record format");
