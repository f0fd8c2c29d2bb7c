// SPDX-License-Identifier: GPL-2.0
/* KUnit suite for the callback registry: argument checks, contexts, triage arrays. */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>

#include "fixture.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void register_rejects_null_arguments(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				NULL, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_reg_null"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				rec, NULL,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_reg_null"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, NULL));
	/* None of them may have left @rec registered. */
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_deregister_reason_callback(NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_deregister_callback(NULL));
}

static void register_rejects_bad_reason(struct kunit *test)
{
	static const u32 bad[] = { 0, BUGCHECK_RECORD_REASON_LEGACY, 99 };
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		enum bugcheck_callback_reason reason = bad[i];

		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    bugcheck_register_reason_callback(
					    rec, fx_noop_cb, reason,
					    "bc_reg_reason"),
				    "reason %u", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, -ENOENT,
				    bugcheck_deregister_reason_callback(rec),
				    "reason %u left the record registered",
				    bad[i]);
	}
}

static void register_twice_fails(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_reg_twice"));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_INSERTED, rec->state);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_reg_twice"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb, BUGCHECK_CALLBACK_ADD_PAGES,
				"bc_reg_twice"));
	/* Still registered exactly once. */
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void deregister_unregistered_fails(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
	bugcheck_init_callback_record(rec);
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void deregister_twice_fails(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA,
				"bc_dereg_twice"));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void reregister_after_deregister(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	const struct bugcheck_record_header *h;
	void *area = fx_vmalloc(test, FX_AREA_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_rereg"));
	KUNIT_ASSERT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_rereg"));
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_STATE_INSERTED, rec->state);

	/* The bugcheck walks it again. */
	h = fx_collect(test, area, FX_AREA_SIZE);
	KUNIT_EXPECT_GE(test, rw_find_entry(h, "bc_rereg"), 0);
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
}

static void legacy_rejects_bad_arguments(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);
	static u8 buf[16];

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(rec, fx_noop_legacy, NULL,
						   16, "bc_legacy_bad"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(NULL, fx_noop_legacy, buf,
						   sizeof(buf),
						   "bc_legacy_bad"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(rec, NULL, buf, sizeof(buf),
						   "bc_legacy_bad"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(rec, fx_noop_legacy, buf,
						   sizeof(buf), NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_deregister_callback(rec));

	/* No buffer at all is fine: the callback is only called. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_callback(rec, fx_noop_legacy, NULL, 0,
						   "bc_legacy_nobuf"));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_callback(rec));
}

static void legacy_and_reason_deregistration_do_not_mix(struct kunit *test)
{
	struct bugcheck_callback_record *legacy = fx_new_legacy(test);
	struct bugcheck_callback_record *reason = fx_new_legacy(test);
	static u8 buf[16];

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_callback(legacy, fx_noop_legacy, buf,
						   sizeof(buf),
						   "bc_mix_legacy"));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(&legacy->core));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_callback(legacy));

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				&reason->core, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_mix_reason"));
	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_deregister_callback(reason));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_deregister_reason_callback(&reason->core));
}

static DEFINE_SPINLOCK(atomic_test_lock);

static void register_from_atomic_context(struct kunit *test)
{
	struct bugcheck_reason_callback_record *a = fx_new_rec(test);
	struct bugcheck_reason_callback_record *b = fx_new_rec(test);
	struct bugcheck_callback_record *l = fx_new_legacy(test);
	int reg_a, dereg_a, reg_l, dereg_l, reg_b, dereg_b;
	unsigned long flags;

	/* No KUnit expectation in here: a failing one allocates. */
	spin_lock_irqsave(&atomic_test_lock, flags);
	reg_a = bugcheck_register_reason_callback(
		a, fx_noop_cb, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		"bc_atomic_irq");
	reg_l = bugcheck_register_callback(l, fx_noop_legacy, NULL, 0,
					   "bc_atomic_legacy");
	dereg_l = bugcheck_deregister_callback(l);
	dereg_a = bugcheck_deregister_reason_callback(a);
	spin_unlock_irqrestore(&atomic_test_lock, flags);

	preempt_disable();
	reg_b = bugcheck_register_reason_callback(
		b, fx_noop_cb, BUGCHECK_CALLBACK_DUMP_IO, "bc_atomic_preempt");
	dereg_b = bugcheck_deregister_reason_callback(b);
	preempt_enable();

	KUNIT_EXPECT_EQ(test, 0, reg_a);
	KUNIT_EXPECT_EQ(test, 0, dereg_a);
	KUNIT_EXPECT_EQ(test, 0, reg_l);
	KUNIT_EXPECT_EQ(test, 0, dereg_l);
	KUNIT_EXPECT_EQ(test, 0, reg_b);
	KUNIT_EXPECT_EQ(test, 0, dereg_b);
}

static void triage_init_rejects_small_array(struct kunit *test)
{
	struct bugcheck_triage_dump_data_array *arr;
	size_t head = offsetof(struct bugcheck_triage_dump_data_array, blocks);
	size_t one = BUGCHECK_TRIAGE_ARRAY_SIZE(1);

	arr = kunit_kzalloc(test, one, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, arr);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_init_triage_dump_data_array(NULL, one));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_init_triage_dump_data_array(arr, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_init_triage_dump_data_array(arr, head));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_init_triage_dump_data_array(arr, one - 1));
	/* Room for one block is enough. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_init_triage_dump_data_array(arr, one));
}

static void triage_add_to_full_array(struct kunit *test)
{
	struct bugcheck_triage_dump_data_array *arr;
	size_t two = BUGCHECK_TRIAGE_ARRAY_SIZE(2);
	static const u8 blk[3][8];

	arr = kunit_kzalloc(test, two, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_init_triage_dump_data_array(arr, two));

	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_add_triage_dump_data_block(arr, blk[0], 8));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_add_triage_dump_data_block(arr, blk[1], 8));
	KUNIT_EXPECT_EQ(test, 0U,
			arr->flags &
				BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED);
	KUNIT_EXPECT_EQ(test, -ENOSPC,
			bugcheck_add_triage_dump_data_block(arr, blk[2], 8));
	KUNIT_EXPECT_EQ(
		test, (u32)BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED,
		arr->flags & BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED);
	KUNIT_EXPECT_EQ(test, 2U, arr->count);

	/* Setting it up again starts afresh. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_init_triage_dump_data_array(arr, two));
	KUNIT_EXPECT_EQ(test, 0U, arr->count);
	KUNIT_EXPECT_EQ(test, 0U, arr->flags);
}

static void triage_add_rejects_bad_block(struct kunit *test)
{
	struct bugcheck_triage_dump_data_array *arr, *raw;
	size_t two = BUGCHECK_TRIAGE_ARRAY_SIZE(2);
	static const u8 blk[8];

	arr = kunit_kzalloc(test, two, GFP_KERNEL);
	raw = kunit_kzalloc(test, two, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_ASSERT_NOT_NULL(test, raw);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_init_triage_dump_data_array(arr, two));

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(arr, NULL, 8));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(arr, blk, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(NULL, blk, 8));
	KUNIT_EXPECT_EQ(test, 0U, arr->count);
	/* An array never set up is not one. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(raw, blk, 8));
	KUNIT_EXPECT_EQ(test, 0U, raw->count);
}

/* What the callback below got back from the registry during a collection. */
static struct {
	struct bugcheck_reason_callback_record *self;
	struct bugcheck_reason_callback_record *other;
	struct bugcheck_callback_record *legacy;
	bool ran;
	int reg;
	int dereg;
	int reg_legacy;
} busy;

static void busy_cb(enum bugcheck_callback_reason reason,
		    struct bugcheck_reason_callback_record *rec,
		    void *reason_data, size_t reason_data_len)
{
	if (rec != busy.self || busy.ran)
		return;
	busy.ran = true;
	busy.reg = bugcheck_register_reason_callback(
		busy.other, fx_noop_cb, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		"bc_busy_other");
	busy.reg_legacy = bugcheck_register_callback(
		busy.legacy, fx_noop_legacy, NULL, 0, "bc_busy_legacy");
	busy.dereg = bugcheck_deregister_reason_callback(rec);
}

static void callback_cannot_register_during_collection(struct kunit *test)
{
	void *area = fx_vmalloc(test, FX_AREA_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, area);
	memset(&busy, 0, sizeof(busy));
	busy.self = fx_new_rec(test);
	busy.other = fx_new_rec(test);
	busy.legacy = fx_new_legacy(test);
	/* Anything but 0 or an errno, so a callback that never ran shows. */
	busy.reg = 1;
	busy.dereg = 1;
	busy.reg_legacy = 1;

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				busy.self, busy_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_busy"));
	fx_collect(test, area, FX_AREA_SIZE);

	KUNIT_EXPECT_TRUE(test, busy.ran);
	KUNIT_EXPECT_EQ(test, -EBUSY, busy.reg);
	KUNIT_EXPECT_EQ(test, -EBUSY, busy.reg_legacy);
	KUNIT_EXPECT_EQ(test, -EBUSY, busy.dereg);
	/* Nothing changed: the other records are out, the callback still in. */
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(busy.other));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_callback(busy.legacy));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_deregister_reason_callback(busy.self));
	/* Once the collection is over, registering works again. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_reason_callback(
				busy.other, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_busy_other"));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_deregister_reason_callback(busy.other));
}

static int fake_calls;

static void counting_cb(enum bugcheck_callback_reason reason,
			struct bugcheck_reason_callback_record *rec,
			void *reason_data, size_t reason_data_len)
{
	fake_calls++;
}

/* A fake owner module, so a test can play its unload. */
static struct module *fake_module(struct kunit *test, const char *name)
{
	struct module *mod = kunit_kzalloc(test, sizeof(*mod), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mod);
	strscpy(mod->name, name, sizeof(mod->name));
	mod->state = MODULE_STATE_LIVE;
	return mod;
}

static int simulate_calls(struct kunit *test)
{
	void *area = fx_vmalloc(test, FX_AREA_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, area);
	fake_calls = 0;
	fx_collect(test, area, FX_AREA_SIZE);
	return fake_calls;
}

/*
 * A client whose exit frees a record it never deregistered: the module
 * notifier, which runs after the exit function, must drop the registration
 * without touching the freed record (KASAN would report it).
 */
static void freed_record_dropped_at_unload(struct kunit *test)
{
	struct module *mod = fake_module(test, "bc_fake_freer");
	struct bugcheck_reason_callback_record *rec;
	u32 before =
		bugcheck_registry_count(BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA);

	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_EQ(test, 0,
			__bugcheck_register_reason_callback(
				rec, counting_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_freed_record", mod));
	KUNIT_EXPECT_EQ(
		test, before + 1,
		bugcheck_registry_count(BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA));
	kfree(rec);
	bugcheck_registry_module_going(mod);
	KUNIT_EXPECT_EQ(
		test, before,
		bugcheck_registry_count(BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA));
	KUNIT_EXPECT_EQ(test, 0, simulate_calls(test));
}

/* A client that scribbles over its own record cannot derail the bugcheck. */
static void scribbled_record_still_runs(struct kunit *test)
{
	struct module *mod = fake_module(test, "bc_fake_scribbler");
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0,
			__bugcheck_register_reason_callback(
				rec, counting_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_scribbled", mod));
	memset(rec, 0xa5, sizeof(*rec));
	KUNIT_EXPECT_EQ(test, 1, simulate_calls(test));
	/* Its mark is gone, so it cannot be deregistered; the unload drops it. */
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
	bugcheck_registry_module_going(mod);
	KUNIT_EXPECT_EQ(test, 0, simulate_calls(test));
}

/* Whatever an uninitialised record holds, it registers and deregisters. */
static void uninitialised_record_registers(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec, *copy;

	rec = kunit_kmalloc(test, sizeof(*rec), GFP_KERNEL);
	copy = kunit_kmalloc(test, sizeof(*copy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	memset(rec, 0x5a, sizeof(*rec));
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, rec));
	KUNIT_ASSERT_EQ(test, 0, fx_guard(test, copy));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, counting_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_uninit"));
	/* A byte copy of a registered record is not registered. */
	memcpy(copy, rec, sizeof(*rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(copy));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_reason_callback(
				copy, counting_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_uninit_copy"));
	KUNIT_EXPECT_EQ(test, 2, simulate_calls(test));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(copy));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
}

/* The component is copied at registration: the caller's string may go. */
static void component_is_copied(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	void *area = fx_vmalloc(test, FX_AREA_SIZE);
	const struct bugcheck_record_header *h;
	char *name = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_NOT_NULL(test, name);
	memset(name, 'n', 63);
	memcpy(name, "bc_copied_", 10);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, counting_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, name));
	memset(name, 'x', 63);
	h = fx_collect(test, area, FX_AREA_SIZE);
	/* The first 31 bytes, as registered. */
	KUNIT_EXPECT_GE(test,
			rw_find_entry(h, "bc_copied_nnnnnnnnnnnnnnnnnnnnn"), 0);
}

/* Far more registrations than one chunk of slots holds, in any order. */
static void many_registrations(struct kunit *test)
{
	struct bugcheck_reason_callback_record *recs;
	const int n = 1000;
	int i, ret = 0;

	recs = kunit_kcalloc(test, n, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, 0, fx_guard(test, &recs[i]));
	for (i = 0; i < n && !ret; i++)
		ret = bugcheck_register_reason_callback(
			&recs[i], counting_cb,
			BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA, "bc_many");
	KUNIT_ASSERT_EQ(test, 0, ret);
	/* Every other one goes: the holes are reused, the rest still run. */
	for (i = 0; i < n; i += 2)
		KUNIT_EXPECT_EQ(test, 0,
				bugcheck_deregister_reason_callback(&recs[i]));
	KUNIT_EXPECT_EQ(test, n / 2, simulate_calls(test));
	for (i = 0; i < n; i += 2)
		KUNIT_EXPECT_EQ(test, 0,
				bugcheck_register_reason_callback(
					&recs[i], counting_cb,
					BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA,
					"bc_many"));
	KUNIT_EXPECT_EQ(test, n, simulate_calls(test));
}

static struct kunit_case bugcheck_registry_test_cases[] = {
	KUNIT_CASE(register_rejects_null_arguments),
	KUNIT_CASE(register_rejects_bad_reason),
	KUNIT_CASE(register_twice_fails),
	KUNIT_CASE(deregister_unregistered_fails),
	KUNIT_CASE(deregister_twice_fails),
	KUNIT_CASE(reregister_after_deregister),
	KUNIT_CASE(legacy_rejects_bad_arguments),
	KUNIT_CASE(legacy_and_reason_deregistration_do_not_mix),
	KUNIT_CASE(register_from_atomic_context),
	KUNIT_CASE(triage_init_rejects_small_array),
	KUNIT_CASE(triage_add_to_full_array),
	KUNIT_CASE(triage_add_rejects_bad_block),
	KUNIT_CASE(callback_cannot_register_during_collection),
	KUNIT_CASE(freed_record_dropped_at_unload),
	KUNIT_CASE(scribbled_record_still_runs),
	KUNIT_CASE(uninitialised_record_registers),
	KUNIT_CASE(component_is_copied),
	KUNIT_CASE(many_registrations),
	{}
};

static struct kunit_suite bugcheck_registry_test_suite = {
	.name = "bugcheck_registry",
	.test_cases = bugcheck_registry_test_cases,
};

kunit_test_suites(&bugcheck_registry_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for bugcheck.ko's callback registry");
