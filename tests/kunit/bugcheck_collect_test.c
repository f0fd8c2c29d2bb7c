// SPDX-License-Identifier: GPL-2.0
/* KUnit suite for the collector: run order, states, and each reason's protocol. */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include <linux/uuid.h>

#include "fixture.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/*
 * One test callback: its registration, what it is told to do, and what it
 * saw.  Callbacks run with interrupts off under the registry lock, so they
 * only write here; the test checks afterwards.
 */
struct tcb {
	struct bugcheck_reason_callback_record rec;
	struct bugcheck_callback_record legacy;
	const char *name;
	u8 seed;
	guid_t guid;
	/* Told: */
	u32 len; /* secondary: bytes to ask for and write */
	u32 extra; /* secondary: ask for maximum_allowed + extra */
	const void *own; /* secondary: buffer to hand back as out_buffer */
	u32 parts; /* multipart: parts to produce */
	unsigned long address; /* pages: the range */
	unsigned long count;
	u32 pflags;
	struct bugcheck_triage_dump_data_array *array;
	size_t array_size;
	const void *block[2];
	size_t block_len[2];
	u8 *copy; /* dump I/O: where the stream is written */
	u32 copy_size;
	/* Saw: */
	u32 calls;
	u32 size_max; /* secondary size phase: maximum_allowed */
	u32 data_len; /* secondary data phase: in_buffer_length */
	unsigned long ctx[4]; /* multipart: context on entry, per call */
	u32 code;
	u32 dump_type;
	unsigned long param[4];
	int triage_ret[3];
	u32 io_first_type;
	u64 io_first_offset;
	u32 io_last_type;
	const void *io_last_buffer;
	u32 io_last_length;
	u32 io_types; /* bit per type seen */
	u64 io_bytes;
	bool io_in_order;
	bool io_in_bounds;
};

/* Reasons in the order their callbacks were first called. */
static u32 run_log[16];
static u32 run_log_n;

static void log_first_call(struct tcb *t, u32 reason)
{
	if (t->calls++ == 0 && run_log_n < ARRAY_SIZE(run_log))
		run_log[run_log_n++] = reason;
}

static struct tcb *tcb_of(struct bugcheck_reason_callback_record *rec)
{
	return container_of(rec, struct tcb, rec);
}

/* A test callback, deregistered (both ways) when the test ends. */
static struct tcb *tcb_new(struct kunit *test, const char *name)
{
	static u8 seed;
	struct tcb *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, &t->rec));
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, &t->legacy.core));
	t->name = name;
	t->seed = seed += 41;
	t->guid = GUID_INIT(0x6263b001, 0x7465, 0x7374, 0x80, 0x00, 0, 0, 0, 0,
			    0, t->seed);
	t->io_in_order = true;
	t->io_in_bounds = true;
	return t;
}

static void tcb_register(struct kunit *test, struct tcb *t,
			 bugcheck_reason_callback_fn fn,
			 enum bugcheck_callback_reason reason)
{
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(&t->rec, fn, reason,
							  t->name));
}

static void *area_new(struct kunit *test, size_t size)
{
	void *area = fx_vmalloc(test, size);

	KUNIT_ASSERT_NOT_NULL(test, area);
	run_log_n = 0;
	return area;
}

/* @t's callback table entry; ASSERTs it is there. */
static const struct bugcheck_record_callback *
entry_of(struct kunit *test, const struct bugcheck_record_header *h,
	 const struct tcb *t, u32 *index)
{
	int i = rw_find_entry(h, t->name);

	KUNIT_ASSERT_GE_MSG(test, i, 0, "no table entry for %s", t->name);
	if (index)
		*index = i;
	return rw_entry(h, i);
}

/* Secondary: ask for t->len (or maximum_allowed + t->extra), write a pattern. */
static void sec_write_cb(enum bugcheck_callback_reason reason,
			 struct bugcheck_reason_callback_record *rec,
			 void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;
	struct tcb *t = tcb_of(rec);
	u32 n;

	log_first_call(t, reason);
	if (!d->in_buffer) {
		t->size_max = d->maximum_allowed;
		d->out_buffer_length =
			t->extra ? d->maximum_allowed + t->extra : t->len;
		return;
	}
	t->data_len = d->in_buffer_length;
	n = t->extra ? d->in_buffer_length : min(t->len, d->in_buffer_length);
	rw_fill(d->in_buffer, n, t->seed);
	d->out_buffer_length = n;
	d->guid = t->guid;
}

/* Secondary: write one byte past in_buffer_length, into the guard. */
static void sec_overrun_cb(enum bugcheck_callback_reason reason,
			   struct bugcheck_reason_callback_record *rec,
			   void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;
	struct tcb *t = tcb_of(rec);
	u8 *in = d->in_buffer;

	t->calls++;
	if (!in) {
		d->out_buffer_length = t->len;
		return;
	}
	t->data_len = d->in_buffer_length;
	rw_fill(in, d->in_buffer_length, t->seed);
	in[d->in_buffer_length] = (u8)~BUGCHECK_GUARD_BYTE;
	d->out_buffer_length = d->in_buffer_length;
	d->guid = t->guid;
}

/* Secondary: hand back t->own (or NULL) as out_buffer in the data phase. */
static void sec_own_cb(enum bugcheck_callback_reason reason,
		       struct bugcheck_reason_callback_record *rec,
		       void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data *d = reason_data;
	struct tcb *t = tcb_of(rec);

	t->calls++;
	if (!d->in_buffer) {
		d->out_buffer_length = t->len;
		return;
	}
	t->data_len = d->in_buffer_length;
	d->out_buffer = (void *)t->own;
	d->out_buffer_length = t->len;
	d->guid = t->guid;
}

/* Multipart: t->parts parts of 100 * (part + 1) + 3 bytes, counted in context. */
static void multipart_cb(enum bugcheck_callback_reason reason,
			 struct bugcheck_reason_callback_record *rec,
			 void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data_ex *d = reason_data;
	struct tcb *t = tcb_of(rec);
	unsigned long part = (unsigned long)d->context;
	u32 n = 100 * (part + 1) + 3;

	if (t->calls < ARRAY_SIZE(t->ctx))
		t->ctx[t->calls] = part;
	if (t->calls == 0) {
		t->code = d->bugcheck_code;
		t->dump_type = d->dump_type;
		memcpy(t->param, d->bugcheck_parameter, sizeof(t->param));
	}
	log_first_call(t, reason);
	if (part >= t->parts || n > d->in_buffer_length)
		return;
	rw_fill(d->in_buffer, n, t->seed + part);
	d->out_buffer_length = n;
	d->guid = t->guid;
	d->context = (void *)(part + 1);
	if (part + 1 < t->parts)
		d->flags |= BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA;
}

/* Multipart: always asks for more and never gives anything. */
static void multipart_endless_cb(enum bugcheck_callback_reason reason,
				 struct bugcheck_reason_callback_record *rec,
				 void *reason_data, size_t reason_data_len)
{
	struct bugcheck_secondary_dump_data_ex *d = reason_data;
	struct tcb *t = tcb_of(rec);

	t->calls++;
	d->out_buffer_length = 0;
	d->guid = t->guid;
	d->flags = BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA;
}

static void add_pages_cb(enum bugcheck_callback_reason reason,
			 struct bugcheck_reason_callback_record *rec,
			 void *reason_data, size_t reason_data_len)
{
	struct bugcheck_add_pages *d = reason_data;
	struct tcb *t = tcb_of(rec);

	log_first_call(t, reason);
	d->flags = t->pflags;
	d->address = t->address;
	d->count = t->count;
}

static void remove_pages_cb(enum bugcheck_callback_reason reason,
			    struct bugcheck_reason_callback_record *rec,
			    void *reason_data, size_t reason_data_len)
{
	struct bugcheck_remove_pages *d = reason_data;
	struct tcb *t = tcb_of(rec);

	log_first_call(t, reason);
	d->flags = t->pflags;
	d->address = t->address;
	d->count = t->count;
}

static void triage_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_triage_dump_data *d = reason_data;
	struct tcb *t = tcb_of(rec);
	int i;

	log_first_call(t, reason);
	t->triage_ret[0] =
		bugcheck_init_triage_dump_data_array(t->array, t->array_size);
	for (i = 0; i < 2; i++)
		if (t->block[i])
			t->triage_ret[i + 1] =
				bugcheck_add_triage_dump_data_block(
					t->array, t->block[i], t->block_len[i]);
	d->data_array = t->array;
}

/* Legacy callbacks get no record: the test in progress names its tcb here. */
static struct tcb *legacy_tcb;

static void legacy_fn(void *buf, size_t len)
{
	struct tcb *t = legacy_tcb;

	if (!t || buf != t->own)
		return;
	log_first_call(t, BUGCHECK_RECORD_REASON_LEGACY);
	t->data_len = len;
	rw_fill(buf, len, t->seed);
}

static void legacy_register(struct kunit *test, struct tcb *t, void *buf,
			    size_t len)
{
	t->own = buf;
	legacy_tcb = t;
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_callback(&t->legacy, legacy_fn, buf,
						   len, t->name));
}

/* Dump I/O: write every buffer at its offset into t->copy. */
static void dump_io_cb(enum bugcheck_callback_reason reason,
		       struct bugcheck_reason_callback_record *rec,
		       void *reason_data, size_t reason_data_len)
{
	struct bugcheck_dump_io *d = reason_data;
	struct tcb *t = tcb_of(rec);

	if (t->calls == 0) {
		t->io_first_type = d->type;
		t->io_first_offset = d->offset;
	} else if (d->type < t->io_last_type) {
		t->io_in_order = false;
	}
	log_first_call(t, reason);
	t->io_last_type = d->type;
	t->io_last_buffer = d->buffer;
	t->io_last_length = d->buffer_length;
	if (d->type < 32)
		t->io_types |= BIT(d->type);
	t->io_bytes += d->buffer_length;
	if (!d->buffer_length)
		return;
	if (!d->buffer || d->offset > t->copy_size ||
	    d->buffer_length > t->copy_size - d->offset) {
		t->io_in_bounds = false;
		return;
	}
	memcpy(t->copy + d->offset, d->buffer, d->buffer_length);
}

static void lifo_within_reason(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t[3] = {
		tcb_new(test, "bc_lifo_a"),
		tcb_new(test, "bc_lifo_b"),
		tcb_new(test, "bc_lifo_c"),
	};
	const struct bugcheck_record_header *h;
	const struct bugcheck_record_section *s;
	u32 idx[3], seen[3], n = 0;
	struct rw_iter it;
	int i;

	for (i = 0; i < 3; i++) {
		t[i]->len = 16 + i;
		tcb_register(test, t[i], sec_write_cb,
			     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	}
	h = fx_collect(test, area, FX_AREA_SIZE);
	for (i = 0; i < 3; i++)
		entry_of(test, h, t[i], &idx[i]);
	/* Registered A, B, C: run C, B, A, back to back. */
	KUNIT_EXPECT_EQ(test, idx[2] + 1, idx[1]);
	KUNIT_EXPECT_EQ(test, idx[1] + 1, idx[0]);

	rw_for_each_section(s, &it, h) {
		for (i = 0; i < 3; i++)
			if (s->callback == idx[i] && n < 3)
				seen[n++] = i;
	}
	KUNIT_ASSERT_EQ(test, 3U, n);
	KUNIT_EXPECT_EQ(test, 2U, seen[0]);
	KUNIT_EXPECT_EQ(test, 1U, seen[1]);
	KUNIT_EXPECT_EQ(test, 0U, seen[2]);
	for (i = 0; i < 3; i++) {
		s = rw_find_section(h, idx[i], BUGCHECK_SECTION_SECONDARY, 0);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, t[i]->len, s->length);
		KUNIT_EXPECT_TRUE(test, rw_check(rw_payload(s), s->length,
						 t[i]->seed));
	}
}

static void order_between_reasons(struct kunit *test)
{
	/* The run order documented at the top of collect.c: the scrub first. */
	static const u32 order[] = {
		BUGCHECK_CALLBACK_REMOVE_PAGES,
		BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA,
		BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA,
		BUGCHECK_CALLBACK_ADD_PAGES,
		BUGCHECK_RECORD_REASON_LEGACY,
		BUGCHECK_CALLBACK_DUMP_IO,
	};
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *triage = tcb_new(test, "bc_order_triage");
	struct tcb *sec = tcb_new(test, "bc_order_secondary");
	struct tcb *multi = tcb_new(test, "bc_order_multipart");
	struct tcb *rem = tcb_new(test, "bc_order_remove");
	struct tcb *add = tcb_new(test, "bc_order_add");
	struct tcb *legacy = tcb_new(test, "bc_order_legacy");
	struct tcb *io = tcb_new(test, "bc_order_dumpio");
	struct tcb *by_run[] = { rem, triage, sec, multi, add, legacy, io };
	const struct bugcheck_record_header *h;
	const struct bugcheck_record_section *s;
	u32 idx[ARRAY_SIZE(by_run)], last = 0;
	struct rw_iter it;
	void *pages;
	u8 *buf;
	int i;

	pages = fx_vmalloc(test, 2 * PAGE_SIZE);
	buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	triage->array_size = BUGCHECK_TRIAGE_ARRAY_SIZE(1);
	triage->array = kunit_kzalloc(test, triage->array_size, GFP_KERNEL);
	io->copy_size = FX_AREA_SIZE;
	io->copy = fx_vmalloc(test, io->copy_size);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, triage->array);
	KUNIT_ASSERT_NOT_NULL(test, io->copy);
	triage->block[0] = buf;
	triage->block_len[0] = 8;
	sec->len = 8;
	multi->parts = 1;
	rem->pflags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
	rem->address = (unsigned long)pages;
	rem->count = 1;
	add->pflags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
	add->address = (unsigned long)pages + PAGE_SIZE;
	add->count = 1;

	/* Neither registration order nor its reverse is the run order. */
	tcb_register(test, add, add_pages_cb, BUGCHECK_CALLBACK_ADD_PAGES);
	legacy_register(test, legacy, buf + 8, 8);
	tcb_register(test, triage, triage_cb,
		     BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA);
	tcb_register(test, io, dump_io_cb, BUGCHECK_CALLBACK_DUMP_IO);
	tcb_register(test, sec, sec_write_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	tcb_register(test, rem, remove_pages_cb,
		     BUGCHECK_CALLBACK_REMOVE_PAGES);
	tcb_register(test, multi, multipart_cb,
		     BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA);

	h = fx_collect(test, area, FX_AREA_SIZE);
	for (i = 0; i < ARRAY_SIZE(by_run); i++) {
		const struct bugcheck_record_callback *e;

		e = entry_of(test, h, by_run[i], &idx[i]);
		KUNIT_EXPECT_EQ_MSG(test, order[i], e->reason, "%s",
				    by_run[i]->name);
		if (i)
			KUNIT_EXPECT_LT_MSG(test, idx[i - 1], idx[i],
					    "%s before %s", by_run[i - 1]->name,
					    by_run[i]->name);
	}
	KUNIT_ASSERT_EQ(test, (u32)ARRAY_SIZE(order), run_log_n);
	for (i = 0; i < ARRAY_SIZE(order); i++)
		KUNIT_EXPECT_EQ_MSG(test, order[i], run_log[i], "call %d", i);
	/* Sections follow the same order. */
	rw_for_each_section(s, &it, h) {
		KUNIT_EXPECT_LE(test, last, s->callback);
		last = s->callback;
	}
	KUNIT_EXPECT_FALSE(test, it.bad);
}

static void normal_callback_finishes(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_state_normal");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_header *h;
	u32 idx;

	t->len = 24;
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_NONE, t->rec.state);
	tcb_register(test, t, sec_write_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_INSERTED, t->rec.state);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);

	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, t->rec.state);
	KUNIT_EXPECT_EQ(test, 0U, e->flags);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
			e->reason);
	KUNIT_EXPECT_EQ(test, 2U, e->calls); /* size phase, data phase */
	KUNIT_EXPECT_EQ(test, 2U, t->calls);
	KUNIT_EXPECT_EQ(test, 24U, e->bytes);
	KUNIT_EXPECT_EQ(test, 24U, t->rec.bytes);
	KUNIT_EXPECT_EQ(test, 1U, e->sections);
	KUNIT_EXPECT_EQ(test, (u64)(unsigned long)sec_write_cb, e->callback);
	KUNIT_EXPECT_STREQ(test, KBUILD_MODNAME, e->module);
	KUNIT_EXPECT_NOT_NULL(
		test, rw_find_section(h, idx, BUGCHECK_SECTION_SECONDARY, 0));

	/* Deregistering keeps the last state. */
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(&t->rec));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, t->rec.state);
}

static void secondary_request_over_maximum_is_clamped(struct kunit *test)
{
	/* Big enough that the per-callback cap, not the area, is the limit. */
	void *area = area_new(test, SZ_1M);
	struct tcb *t = tcb_new(test, "bc_clamp_max");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	u32 idx;

	t->extra = PAGE_SIZE;
	tcb_register(test, t, sec_write_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	h = fx_collect(test, area, SZ_1M);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_SECONDARY, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_GT(test, t->size_max, 0U);
	KUNIT_EXPECT_EQ(test, t->size_max, t->data_len);
	KUNIT_EXPECT_EQ(test, t->data_len, s->length);
	KUNIT_EXPECT_TRUE(test, rw_check(rw_payload(s), s->length, t->seed));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_CLAMPED,
			e->flags & BUGCHECK_CB_F_CLAMPED);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_CLAMPED,
			s->flags & BUGCHECK_CB_F_CLAMPED);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_INCOMPLETE, e->state);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_INCOMPLETE, t->rec.state);
	KUNIT_EXPECT_GE(test, h->dropped_bytes, t->extra);
}

static void secondary_request_over_area_truncates_record(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_clamp_area");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	u32 idx;

	t->extra = 4 * FX_AREA_SIZE;
	tcb_register(test, t, sec_write_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_SECONDARY, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_EQ(test, t->data_len, s->length);
	KUNIT_EXPECT_LT(test, s->length, (u32)FX_AREA_SIZE);
	KUNIT_EXPECT_TRUE(test, rw_check(rw_payload(s), s->length, t->seed));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_CLAMPED,
			e->flags & BUGCHECK_CB_F_CLAMPED);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_RECORD_F_TRUNCATED,
			h->flags & BUGCHECK_RECORD_F_TRUNCATED);
	KUNIT_EXPECT_GE(test, h->dropped_bytes, t->extra);
	KUNIT_EXPECT_LE(test, h->used, (u32)FX_AREA_SIZE);
}

static void legacy_buffer_over_area_truncates_record(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_clamp_legacy");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	size_t len = 2 * FX_AREA_SIZE;
	void *buf = fx_vmalloc(test, len);
	u32 idx;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	legacy_register(test, t, buf, len);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_LEGACY, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_GT(test, s->length, 0U);
	KUNIT_EXPECT_LT(test, s->length, (u32)FX_AREA_SIZE);
	KUNIT_EXPECT_TRUE(test, rw_check(rw_payload(s), s->length, t->seed));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_CLAMPED,
			e->flags & BUGCHECK_CB_F_CLAMPED);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_RECORD_F_TRUNCATED,
			h->flags & BUGCHECK_RECORD_F_TRUNCATED);
	KUNIT_EXPECT_EQ(test, (u32)(len - s->length), h->dropped_bytes);
}

static void secondary_overrun_into_guard_fails(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_overrun");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	u32 idx;

	t->len = 40;
	tcb_register(test, t, sec_overrun_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);

	KUNIT_EXPECT_EQ(test, 40U, t->data_len);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_OVERRUN,
			e->flags & BUGCHECK_CB_F_OVERRUN);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FAILED, e->state);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FAILED, t->rec.state);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_SECONDARY, 0);
	if (s)
		KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_OVERRUN,
				s->flags & BUGCHECK_CB_F_OVERRUN);
	/* The overrun did not spill into the record's structure. */
	KUNIT_EXPECT_NOT_NULL(test, rw_header(area, FX_AREA_SIZE));
}

static void secondary_own_out_buffer_copied(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_own_buffer");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	u8 *own;
	u32 idx;

	t->len = 77;
	own = kunit_kmalloc(test, t->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, own);
	rw_fill(own, t->len, 0x5a);
	t->own = own;
	tcb_register(test, t, sec_own_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_SECONDARY, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_EQ(test, t->len, s->length);
	KUNIT_EXPECT_EQ(test, 0, memcmp(rw_payload(s), own, t->len));
	KUNIT_EXPECT_EQ(test, 0, memcmp(s->guid, &t->guid, sizeof(s->guid)));
	KUNIT_EXPECT_EQ(test, 0U, e->flags);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
}

static void secondary_null_out_buffer_is_bad_result(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_null_out");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	u32 idx;

	t->len = 32;
	t->own = NULL;
	tcb_register(test, t, sec_own_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);

	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_BAD_RESULT,
			e->flags & BUGCHECK_CB_F_BAD_RESULT);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FAILED, e->state);
	KUNIT_EXPECT_EQ(test, 0U, e->bytes);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_SECONDARY, 0);
	if (s)
		KUNIT_EXPECT_EQ(test, 0U, s->length);
}

static void duplicate_guid_marks_later_block(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *a = tcb_new(test, "bc_dup_a");
	struct tcb *b = tcb_new(test, "bc_dup_b");
	const struct bugcheck_record_section *first, *second;
	const struct bugcheck_record_header *h;
	u32 ia, ib;

	a->len = 16;
	b->len = 24;
	b->guid = a->guid;
	tcb_register(test, a, sec_write_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	tcb_register(test, b, sec_write_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	entry_of(test, h, a, &ia);
	entry_of(test, h, b, &ib);

	first = rw_find_section_by_guid(h, &a->guid, 0);
	second = rw_find_section_by_guid(h, &a->guid, 1);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_ASSERT_NOT_NULL(test, second);
	KUNIT_EXPECT_NULL(test, rw_find_section_by_guid(h, &a->guid, 2));
	/* b was registered last, so it ran first and its block wins. */
	KUNIT_EXPECT_EQ(test, ib, first->callback);
	KUNIT_EXPECT_EQ(test, ia, second->callback);
	KUNIT_EXPECT_EQ(test, 0U, first->flags & BUGCHECK_CB_F_DUPLICATE_GUID);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_DUPLICATE_GUID,
			second->flags & BUGCHECK_CB_F_DUPLICATE_GUID);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_DUPLICATE_GUID,
			rw_entry(h, ia)->flags & BUGCHECK_CB_F_DUPLICATE_GUID);
	KUNIT_EXPECT_EQ(test, 0U,
			rw_entry(h, ib)->flags & BUGCHECK_CB_F_DUPLICATE_GUID);
	/* The later block is kept all the same. */
	KUNIT_EXPECT_EQ(test, a->len, second->length);
	KUNIT_EXPECT_TRUE(test, rw_check(rw_payload(second), second->length,
					 a->seed));
}

static void multipart_parts_keep_context(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_multipart");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_header *h;
	u32 idx, part, bytes = 0;

	t->parts = 3;
	tcb_register(test, t, multipart_cb,
		     BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);

	KUNIT_EXPECT_EQ(test, 3U, t->calls);
	KUNIT_EXPECT_EQ(test, 3U, e->calls);
	for (part = 0; part < 3; part++) {
		const struct bugcheck_record_section *s;

		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)part, t->ctx[part],
				    "context on entry to call %u", part);
		s = rw_find_section(h, idx, BUGCHECK_SECTION_MULTIPART, part);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, part, s->part);
		KUNIT_EXPECT_EQ(test, 100 * (part + 1) + 3, s->length);
		KUNIT_EXPECT_TRUE(test, rw_check(rw_payload(s), s->length,
						 t->seed + part));
		KUNIT_EXPECT_EQ(test, 0,
				memcmp(s->guid, &t->guid, sizeof(s->guid)));
		bytes += s->length;
	}
	KUNIT_EXPECT_EQ(test, 3U,
			rw_count_sections(h, idx, BUGCHECK_SECTION_MULTIPART));
	KUNIT_EXPECT_EQ(test, bytes, e->bytes);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
	/* What the callback was told about the bugcheck. */
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CODE_SIMULATED, t->code);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_DUMP_TYPE_SIMULATED, t->dump_type);
	KUNIT_EXPECT_EQ(test, 1UL, t->param[0]);
	KUNIT_EXPECT_EQ(test, 4UL, t->param[3]);
}

static void multipart_endless_is_bounded(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_multipart_endless");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_header *h;
	u32 idx;

	tcb_register(test, t, multipart_endless_cb,
		     BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);

	KUNIT_EXPECT_GT(test, t->calls, 1U);
	KUNIT_EXPECT_LE(test, t->calls, (u32)BUGCHECK_MAX_CALLS);
	KUNIT_EXPECT_EQ(test, t->calls, e->calls);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_TOO_MANY_CALLS,
			e->flags & BUGCHECK_CB_F_TOO_MANY_CALLS);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_INCOMPLETE, e->state);
	KUNIT_EXPECT_EQ(test, 0U,
			rw_count_sections(h, idx, BUGCHECK_SECTION_MULTIPART));
}

static void add_pages_virtual_copied(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_add_virtual");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	void *buf = fx_vmalloc(test, 2 * PAGE_SIZE);
	u32 idx;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_TRUE(test, PAGE_ALIGNED(buf));
	rw_fill(buf, 2 * PAGE_SIZE, t->seed);
	t->pflags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
	t->address = (unsigned long)buf;
	t->count = 2;
	tcb_register(test, t, add_pages_cb, BUGCHECK_CALLBACK_ADD_PAGES);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_ADDED_PAGES, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_EQ(test, (u32)(2 * PAGE_SIZE), s->length);
	KUNIT_EXPECT_EQ(test, 2ULL, s->count);
	KUNIT_EXPECT_EQ(test, (u64)(unsigned long)buf, s->address);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_SECTION_F_VIRTUAL,
			s->flags & (BUGCHECK_SECTION_F_VIRTUAL |
				    BUGCHECK_SECTION_F_PHYSICAL));
	KUNIT_EXPECT_EQ(test, 0, memcmp(rw_payload(s), buf, 2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
	KUNIT_EXPECT_EQ(test, 1U, e->calls);
}

static void add_pages_physical_copied(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_add_physical");
	struct page *page = fx_alloc_page(test);
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	u32 idx;

	KUNIT_ASSERT_NOT_NULL(test, page);
	rw_fill(page_address(page), PAGE_SIZE, t->seed);
	t->pflags = BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS;
	t->address = page_to_phys(page);
	t->count = 1;
	tcb_register(test, t, add_pages_cb, BUGCHECK_CALLBACK_ADD_PAGES);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_ADDED_PAGES, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_EQ(test, (u32)PAGE_SIZE, s->length);
	KUNIT_EXPECT_EQ(test, 1ULL, s->count);
	KUNIT_EXPECT_EQ(test, (u64)page_to_phys(page), s->address);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_SECTION_F_PHYSICAL,
			s->flags & (BUGCHECK_SECTION_F_VIRTUAL |
				    BUGCHECK_SECTION_F_PHYSICAL));
	KUNIT_EXPECT_EQ(test, 0,
			memcmp(rw_payload(s), page_address(page), PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
}

static void add_pages_bad_ranges_flagged(struct kunit *test)
{
	static const char *const names[] = {
		"bc_add_misaligned",
		"bc_add_both_flags",
		"bc_add_no_flag",
	};
	void *area = area_new(test, FX_AREA_SIZE);
	void *buf = fx_vmalloc(test, PAGE_SIZE);
	const struct bugcheck_record_header *h;
	struct tcb *t[ARRAY_SIZE(names)];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		t[i] = tcb_new(test, names[i]);
		t[i]->address = (unsigned long)buf;
		t[i]->count = 1;
		t[i]->pflags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
	}
	t[0]->address += 8;
	t[1]->pflags |= BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS;
	t[2]->pflags = 0;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		tcb_register(test, t[i], add_pages_cb,
			     BUGCHECK_CALLBACK_ADD_PAGES);
	h = fx_collect(test, area, FX_AREA_SIZE);

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const struct bugcheck_record_callback *e;
		u32 idx;

		e = entry_of(test, h, t[i], &idx);
		KUNIT_EXPECT_EQ_MSG(test, (u32)BUGCHECK_CB_F_BAD_RESULT,
				    e->flags & BUGCHECK_CB_F_BAD_RESULT, "%s",
				    names[i]);
		KUNIT_EXPECT_EQ_MSG(test, (u32)BUGCHECK_STATE_FAILED, e->state,
				    "%s", names[i]);
		KUNIT_EXPECT_EQ_MSG(
			test, 0U,
			rw_count_sections(h, idx, BUGCHECK_SECTION_ADDED_PAGES),
			"%s", names[i]);
	}
}

static void add_pages_no_range_is_not_bad(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_add_nothing");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_header *h;
	u32 idx;

	/* Flags and count left at 0: "nothing this time", not an error. */
	tcb_register(test, t, add_pages_cb, BUGCHECK_CALLBACK_ADD_PAGES);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);

	KUNIT_EXPECT_EQ(test, 1U, t->calls);
	KUNIT_EXPECT_EQ(test, 0U, e->flags);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
	KUNIT_EXPECT_EQ(test, 0U,
			rw_count_sections(h, idx,
					  BUGCHECK_SECTION_ADDED_PAGES));
}

static void remove_pages_simulated_not_scrubbed(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_remove");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	void *buf = fx_vmalloc(test, PAGE_SIZE);
	u32 idx;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	rw_fill(buf, PAGE_SIZE, t->seed);
	t->pflags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
	t->address = (unsigned long)buf;
	t->count = 1;
	tcb_register(test, t, remove_pages_cb, BUGCHECK_CALLBACK_REMOVE_PAGES);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_REMOVED_PAGES, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_NOT_SCRUBBED,
			s->flags & BUGCHECK_CB_F_NOT_SCRUBBED);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_SECTION_F_VIRTUAL,
			s->flags & BUGCHECK_SECTION_F_VIRTUAL);
	KUNIT_EXPECT_EQ(test, 0U, s->length);
	KUNIT_EXPECT_EQ(test, 1ULL, s->count);
	KUNIT_EXPECT_EQ(test, (u64)(unsigned long)buf, s->address);
	KUNIT_EXPECT_TRUE_MSG(test, rw_check(buf, PAGE_SIZE, t->seed),
			      "simulate scrubbed the memory");
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
}

static void triage_blocks_copied(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_triage");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_header *h;
	u32 idx, i;

	t->array_size = BUGCHECK_TRIAGE_ARRAY_SIZE(4);
	t->array = kunit_kzalloc(test, t->array_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->array);
	t->block_len[0] = 40;
	t->block_len[1] = 100;
	for (i = 0; i < 2; i++) {
		void *b = kunit_kmalloc(test, t->block_len[i], GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, b);
		rw_fill(b, t->block_len[i], t->seed + i);
		t->block[i] = b;
	}
	tcb_register(test, t, triage_cb, BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ_MSG(test, 0, t->triage_ret[i], "triage call %u",
				    i);
	KUNIT_EXPECT_EQ(test, 2U,
			rw_count_sections(h, idx, BUGCHECK_SECTION_TRIAGE));
	for (i = 0; i < 2; i++) {
		const struct bugcheck_record_section *s;

		s = rw_find_section(h, idx, BUGCHECK_SECTION_TRIAGE, i);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, i, s->part);
		KUNIT_EXPECT_EQ(test, (u32)t->block_len[i], s->length);
		KUNIT_EXPECT_EQ(test, (u64)(unsigned long)t->block[i],
				s->address);
		KUNIT_EXPECT_EQ(test, 0,
				memcmp(rw_payload(s), t->block[i],
				       t->block_len[i]));
	}
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
	KUNIT_EXPECT_EQ(test, 140U, e->bytes);
}

static void legacy_buffer_copied(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_legacy");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	size_t len = 123;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	u32 idx;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	legacy_register(test, t, buf, len);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_LEGACY, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);

	KUNIT_EXPECT_EQ(test, 1U, t->calls);
	KUNIT_EXPECT_EQ(test, (u32)len, t->data_len);
	KUNIT_EXPECT_TRUE(test, rw_check(buf, len, t->seed)); /* fn filled it */
	KUNIT_EXPECT_EQ(test, (u32)len, s->length);
	KUNIT_EXPECT_EQ(test, (u64)(unsigned long)buf, s->address);
	KUNIT_EXPECT_EQ(test, 0, memcmp(rw_payload(s), buf, len));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_RECORD_REASON_LEGACY, e->reason);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, e->state);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED,
			t->legacy.core.state);
}

static void dump_io_streams_identical_record(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *io = tcb_new(test, "bc_dumpio");
	struct tcb *sec = tcb_new(test, "bc_dumpio_secondary");
	struct tcb *add = tcb_new(test, "bc_dumpio_add");
	const struct bugcheck_record_io_status *st;
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_header *h;
	void *page = fx_vmalloc(test, PAGE_SIZE);
	u32 idx;

	io->copy_size = FX_AREA_SIZE;
	io->copy = fx_vmalloc(test, io->copy_size);
	KUNIT_ASSERT_NOT_NULL(test, io->copy);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(io->copy, 0xee, io->copy_size);
	rw_fill(page, PAGE_SIZE, add->seed);
	sec->len = 50;
	add->pflags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
	add->address = (unsigned long)page;
	add->count = 1;
	tcb_register(test, sec, sec_write_cb,
		     BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);
	tcb_register(test, add, add_pages_cb, BUGCHECK_CALLBACK_ADD_PAGES);
	tcb_register(test, io, dump_io_cb, BUGCHECK_CALLBACK_DUMP_IO);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, io, &idx);

	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CALLBACK_DUMP_IO, e->reason);
	KUNIT_EXPECT_TRUE(test, io->io_in_bounds);
	KUNIT_EXPECT_EQ(test, 0, memcmp(io->copy, area, h->used));
	KUNIT_EXPECT_EQ(test, (u64)h->used, io->io_bytes);
	/* Header first, then body, then secondary data, then COMPLETE. */
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_DUMP_IO_HEADER, io->io_first_type);
	KUNIT_EXPECT_EQ(test, 0ULL, io->io_first_offset);
	KUNIT_EXPECT_TRUE(test, io->io_in_order);
	KUNIT_EXPECT_TRUE(test, io->io_types & BIT(BUGCHECK_DUMP_IO_BODY));
	KUNIT_EXPECT_TRUE(test,
			  io->io_types & BIT(BUGCHECK_DUMP_IO_SECONDARY_DATA));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_DUMP_IO_COMPLETE, io->io_last_type);
	KUNIT_EXPECT_NULL(test, io->io_last_buffer);
	KUNIT_EXPECT_EQ(test, 0U, io->io_last_length);

	st = rw_io_status(h, FX_AREA_SIZE, idx);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, st->state);
	KUNIT_EXPECT_EQ(test, io->calls, st->writes);
	KUNIT_EXPECT_EQ(test, h->used, st->bytes);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED, io->rec.state);
}

static void add_pages_reserved_physical_is_read_error(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_add_reserved");
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	u32 idx;

	/* The zero page lives in the kernel image: reserved, not the allocator's RAM. */
	t->pflags = BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS;
	t->address = page_to_phys(ZERO_PAGE(0));
	t->count = 1;
	KUNIT_ASSERT_TRUE(test, PageReserved(ZERO_PAGE(0)));
	tcb_register(test, t, add_pages_cb, BUGCHECK_CALLBACK_ADD_PAGES);
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_ADDED_PAGES, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_TRUE(test, s->flags & BUGCHECK_CB_F_READ_ERROR);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_INCOMPLETE, e->state);
}

/* One REMOVE_PAGES range each: what a scrub must refuse, and what it may do. */
static void remove_pages_refuses_what_the_panic_needs(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *stack = tcb_new(test, "bc_remove_stack");
	struct tcb *image = tcb_new(test, "bc_remove_image");
	struct tcb *user = tcb_new(test, "bc_remove_user");
	struct tcb *fine = tcb_new(test, "bc_remove_fine");
	struct tcb *all[] = { stack, image, user, fine };
	const struct bugcheck_record_header *h;
	void *buf = fx_vmalloc(test, PAGE_SIZE);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	rw_fill(buf, PAGE_SIZE, fine->seed);
	stack->pflags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
	stack->address = (unsigned long)task_stack_page(current);
	image->pflags = BUGCHECK_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS;
	image->address = page_to_phys(ZERO_PAGE(0));
	user->pflags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
	user->address = PAGE_SIZE; /* a user address, never kernel memory */
	fine->pflags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
	fine->address = (unsigned long)buf;
	for (i = 0; i < ARRAY_SIZE(all); i++) {
		all[i]->count = 1;
		tcb_register(test, all[i], remove_pages_cb,
			     BUGCHECK_CALLBACK_REMOVE_PAGES);
	}
	h = fx_collect(test, area, FX_AREA_SIZE);
	for (i = 0; i < ARRAY_SIZE(all); i++) {
		const struct bugcheck_record_section *s;
		const struct bugcheck_record_callback *e;
		u32 idx;

		e = entry_of(test, h, all[i], &idx);
		s = rw_find_section(h, idx, BUGCHECK_SECTION_REMOVED_PAGES, 0);
		KUNIT_ASSERT_NOT_NULL_MSG(test, s, "%s", all[i]->name);
		if (all[i] == fine) {
			KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_CB_F_NOT_SCRUBBED,
					s->flags & (BUGCHECK_CB_F_NOT_SCRUBBED |
						    BUGCHECK_CB_F_REFUSED));
			KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_FINISHED,
					e->state);
		} else {
			KUNIT_EXPECT_EQ_MSG(
				test, (u32)BUGCHECK_CB_F_REFUSED,
				s->flags & (BUGCHECK_CB_F_NOT_SCRUBBED |
					    BUGCHECK_CB_F_REFUSED),
				"%s", all[i]->name);
			KUNIT_EXPECT_EQ_MSG(test,
					    (u32)BUGCHECK_STATE_INCOMPLETE,
					    e->state, "%s", all[i]->name);
		}
	}
	KUNIT_EXPECT_TRUE(test, rw_check(buf, PAGE_SIZE, fine->seed));
}

static void remove_pages_budget_is_kept(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_remove_budget");
	unsigned long saved = bugcheck_scrub_max;
	const struct bugcheck_record_section *s;
	const struct bugcheck_record_header *h;
	void *buf = fx_vmalloc(test, 3 * PAGE_SIZE);
	u32 idx;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	t->pflags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
	t->address = (unsigned long)buf;
	t->count = 3;
	tcb_register(test, t, remove_pages_cb, BUGCHECK_CALLBACK_REMOVE_PAGES);
	WRITE_ONCE(bugcheck_scrub_max, 2 * PAGE_SIZE);
	h = fx_collect(test, area, FX_AREA_SIZE);
	WRITE_ONCE(bugcheck_scrub_max, saved);
	entry_of(test, h, t, &idx);
	s = rw_find_section(h, idx, BUGCHECK_SECTION_REMOVED_PAGES, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);
	/* Two pages within the budget, the third refused. */
	KUNIT_EXPECT_EQ(
		test, (u32)(BUGCHECK_CB_F_NOT_SCRUBBED | BUGCHECK_CB_F_REFUSED),
		s->flags &
			(BUGCHECK_CB_F_NOT_SCRUBBED | BUGCHECK_CB_F_REFUSED));
}

static void sec_noop_cb(enum bugcheck_callback_reason reason,
			struct bugcheck_reason_callback_record *rec,
			void *reason_data, size_t reason_data_len)
{
	tcb_of(rec)->calls++;
}

static void owner_going_is_skipped(struct kunit *test)
{
	void *area = area_new(test, FX_AREA_SIZE);
	struct tcb *t = tcb_new(test, "bc_owner_going");
	struct module *mod = kunit_kzalloc(test, sizeof(*mod), GFP_KERNEL);
	const struct bugcheck_record_callback *e;
	const struct bugcheck_record_header *h;

	KUNIT_ASSERT_NOT_NULL(test, mod);
	strscpy(mod->name, "bc_fake_owner", sizeof(mod->name));
	mod->state = MODULE_STATE_LIVE;
	KUNIT_ASSERT_EQ(test, 0,
			__bugcheck_register_reason_callback(
				&t->rec, sec_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, t->name,
				mod));
	/* Its exit function has run; the module notifier has not yet. */
	mod->state = MODULE_STATE_GOING;
	h = fx_collect(test, area, FX_AREA_SIZE);
	e = entry_of(test, h, t, NULL);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_SKIPPED, e->state);
	KUNIT_EXPECT_TRUE(test, e->flags & BUGCHECK_CB_F_OWNER_GONE);
	KUNIT_EXPECT_EQ(test, 0U, t->calls);
	bugcheck_registry_module_going(mod);
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(&t->rec));
}

static struct kunit_case bugcheck_collect_test_cases[] = {
	KUNIT_CASE(lifo_within_reason),
	KUNIT_CASE(order_between_reasons),
	KUNIT_CASE(normal_callback_finishes),
	KUNIT_CASE(secondary_request_over_maximum_is_clamped),
	KUNIT_CASE(secondary_request_over_area_truncates_record),
	KUNIT_CASE(legacy_buffer_over_area_truncates_record),
	KUNIT_CASE(secondary_overrun_into_guard_fails),
	KUNIT_CASE(secondary_own_out_buffer_copied),
	KUNIT_CASE(secondary_null_out_buffer_is_bad_result),
	KUNIT_CASE(duplicate_guid_marks_later_block),
	KUNIT_CASE(multipart_parts_keep_context),
	KUNIT_CASE(multipart_endless_is_bounded),
	KUNIT_CASE(add_pages_virtual_copied),
	KUNIT_CASE(add_pages_physical_copied),
	KUNIT_CASE(add_pages_bad_ranges_flagged),
	KUNIT_CASE(add_pages_no_range_is_not_bad),
	KUNIT_CASE(remove_pages_simulated_not_scrubbed),
	KUNIT_CASE(add_pages_reserved_physical_is_read_error),
	KUNIT_CASE(remove_pages_refuses_what_the_panic_needs),
	KUNIT_CASE(remove_pages_budget_is_kept),
	KUNIT_CASE(owner_going_is_skipped),
	KUNIT_CASE(triage_blocks_copied),
	KUNIT_CASE(legacy_buffer_copied),
	KUNIT_CASE(dump_io_streams_identical_record),
	{}
};

static void bugcheck_collect_test_exit(struct kunit *test)
{
	legacy_tcb = NULL;
}

static struct kunit_suite bugcheck_collect_test_suite = {
	.name = "bugcheck_collect",
	.exit = bugcheck_collect_test_exit,
	.test_cases = bugcheck_collect_test_cases,
};

kunit_test_suites(&bugcheck_collect_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for bugcheck.ko's collector");
