// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the bad input of every exported function of bugcheck.h:
 * one case per row of docs/api.md's "Bad input, function by function".
 */

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "fixture.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define API_DEV_NAME "bugcheck-api-test"

/* Addresses no caller may hand in: a user address and a non-canonical one. */
#define BAD_LOW ((void *)16)
#define BAD_WILD ((void *)0xdead000000000000UL)

static const unsigned long sim_param[4] = { 1, 2, 3, 4 };

static int reg_secondary(struct bugcheck_reason_callback_record *rec)
{
	return bugcheck_register_reason_callback(
		rec, fx_noop_cb, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
		"bc_api");
}

/*
 * Atomic contexts a caller may be in.  Each of them alone must be refused by
 * the functions that sleep, and accepted by those documented for any context.
 */
enum api_ctx { CTX_SPINLOCK, CTX_IRQS_OFF, CTX_PREEMPT_OFF, CTX_RCU, NR_CTX };

static const char *const ctx_names[NR_CTX] = {
	"spinlock",
	"interrupts off",
	"preemption off",
	"RCU read side",
};

static DEFINE_SPINLOCK(api_lock);

/* Call @fn(@arg) in context @ctx; its result. */
static int in_ctx(enum api_ctx ctx, int (*fn)(void *arg), void *arg)
{
	unsigned long flags;
	int ret;

	switch (ctx) {
	case CTX_SPINLOCK:
		spin_lock(&api_lock);
		ret = fn(arg);
		spin_unlock(&api_lock);
		break;
	case CTX_IRQS_OFF:
		local_irq_save(flags);
		ret = fn(arg);
		local_irq_restore(flags);
		break;
	case CTX_PREEMPT_OFF:
		preempt_disable();
		ret = fn(arg);
		preempt_enable();
		break;
	default:
		rcu_read_lock();
		ret = fn(arg);
		rcu_read_unlock();
		break;
	}
	return ret;
}

/*
 * Calls made from inside a callback: a secondary callback runs @fn(@arg)
 * once during a simulated collection and keeps the result.
 */
static struct {
	struct bugcheck_reason_callback_record *self;
	int (*fn)(void *arg);
	void *arg;
	bool ran;
	int ret;
} inside;

static void inside_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	if (rec != inside.self || inside.ran)
		return;
	inside.ran = true;
	inside.ret = inside.fn(inside.arg);
}

/* Run @fn(@arg) inside a callback of a simulated collection; its result. */
static int in_callback(struct kunit *test, int (*fn)(void *arg), void *arg)
{
	void *area = fx_vmalloc(test, FX_AREA_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, area);
	memset(&inside, 0, sizeof(inside));
	inside.self = fx_new_rec(test);
	inside.fn = fn;
	inside.arg = arg;
	inside.ret = 1; /* neither 0 nor an errno: it never ran */
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				inside.self, inside_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bc_api_inside"));
	fx_collect(test, area, FX_AREA_SIZE);
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_deregister_reason_callback(inside.self));
	KUNIT_ASSERT_TRUE(test, inside.ran);
	return inside.ret;
}

/* The state a simulated collection gave the entry named @component. */
static const struct bugcheck_record_callback *
collect_entry(struct kunit *test, const char *component)
{
	void *area = fx_vmalloc(test, FX_AREA_SIZE);
	const struct bugcheck_record_header *h;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, area);
	h = fx_collect(test, area, FX_AREA_SIZE);
	i = rw_find_entry(h, component);
	KUNIT_ASSERT_GE_MSG(test, i, 0, "no entry '%s' in the record",
			    component);
	return rw_entry(h, i);
}

static int call_reg_secondary(void *rec)
{
	return reg_secondary(rec);
}

static int call_dereg(void *rec)
{
	return bugcheck_deregister_reason_callback(rec);
}

static int call_reg_legacy(void *rec)
{
	return bugcheck_register_callback(rec, fx_noop_legacy, NULL, 0,
					  "bc_api_legacy");
}

static int call_dereg_legacy(void *rec)
{
	return bugcheck_deregister_callback(rec);
}

/* __bugcheck_register_reason_callback() */

static void register_reason_null(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				NULL, fx_noop_cb, BUGCHECK_CALLBACK_DUMP_IO,
				"x"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				rec, NULL, BUGCHECK_CALLBACK_DUMP_IO, "x"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb, BUGCHECK_CALLBACK_DUMP_IO,
				NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void register_reason_bad_reason(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	static const int bad[] = { 0, 7, 8, -1, INT_MAX };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    bugcheck_register_reason_callback(
					    rec, fx_noop_cb, bad[i], "x"),
				    "reason %d", bad[i]);
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void register_reason_twice(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0, reg_secondary(rec));
	KUNIT_EXPECT_EQ(test, -EINVAL, reg_secondary(rec));
	/* Also for another reason, and as a legacy record. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA, "x"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(
				container_of(rec,
					     struct bugcheck_callback_record,
					     core),
				fx_noop_legacy, NULL, 0, "x"));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
}

static void register_reason_bad_pointer(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, reg_secondary(BAD_LOW));
	KUNIT_EXPECT_EQ(test, -EINVAL, reg_secondary(BAD_WILD));
}

/* In .rodata: a record bugcheck cannot write to. */
static const struct bugcheck_reason_callback_record ro_rec;

static void register_reason_read_only(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = (void *)&ro_rec;

	KUNIT_EXPECT_EQ(test, -EINVAL, reg_secondary(rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void register_reason_uninitialised(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	/* Garbage registers; so does a record that only looks registered. */
	memset(rec, 0xa5, sizeof(*rec));
	KUNIT_EXPECT_EQ(test, 0, reg_secondary(rec));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
	rec->magic = BUGCHECK_REC_MAGIC;
	rec->slot = 0;
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
	KUNIT_EXPECT_EQ(test, 0, reg_secondary(rec));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
}

static void register_reason_byte_copy(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	struct bugcheck_reason_callback_record *copy = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0, reg_secondary(rec));
	memcpy(copy, rec, sizeof(*copy));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(copy));
	KUNIT_EXPECT_EQ(test, 0, reg_secondary(copy));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(copy));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
}

static void register_reason_atomic(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	int ctx;

	/* Documented for any context: accepted in each, and undone in each. */
	for (ctx = 0; ctx < NR_CTX; ctx++) {
		KUNIT_EXPECT_EQ_MSG(test, 0,
				    in_ctx(ctx, call_reg_secondary, rec), "%s",
				    ctx_names[ctx]);
		KUNIT_EXPECT_EQ_MSG(test, 0, in_ctx(ctx, call_dereg, rec), "%s",
				    ctx_names[ctx]);
	}
}

static void register_reason_in_callback(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_EXPECT_EQ(test, -EBUSY,
			in_callback(test, call_reg_secondary, rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void register_reason_long_component(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	char *name = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	const struct bugcheck_record_callback *e;
	char want[32];

	KUNIT_ASSERT_NOT_NULL(test, name);
	memset(name, 'n', SZ_4K - 1);
	memcpy(name, "bc_api_long", 11);
	strscpy(want, name, sizeof(want));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, name));
	/* Its first 31 bytes are the component; the string may go now. */
	memset(name, 'x', SZ_4K - 1);
	e = collect_entry(test, want);
	KUNIT_EXPECT_EQ(test, 31,
			(int)strnlen(e->component, sizeof(e->component)));
}

static void register_reason_bad_component(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	/* An unreadable name is not followed: the component is "?". */
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, fx_noop_cb,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				BAD_LOW));
	collect_entry(test, "?");
}

/* bugcheck_deregister_reason_callback() */

static void deregister_reason_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_deregister_reason_callback(NULL));
}

static void deregister_reason_never_registered(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
	memset(rec, 0xa5, sizeof(*rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void deregister_reason_twice(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0, reg_secondary(rec));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(rec));
}

static void deregister_reason_legacy_record(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);

	KUNIT_ASSERT_EQ(test, 0, call_reg_legacy(rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_reason_callback(&rec->core));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_callback(rec));
}

static void deregister_reason_bad_pointer(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_deregister_reason_callback(BAD_LOW));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_deregister_reason_callback(BAD_WILD));
}

static void deregister_reason_in_callback(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0, reg_secondary(rec));
	KUNIT_EXPECT_EQ(test, -EBUSY, in_callback(test, call_dereg, rec));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
}

/* __bugcheck_register_callback() and bugcheck_deregister_callback() */

static void register_legacy_null(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);
	char buf[8];

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(NULL, fx_noop_legacy, buf, 8,
						   "x"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(rec, NULL, buf, 8, "x"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(rec, fx_noop_legacy, buf, 8,
						   NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_callback(rec, fx_noop_legacy, NULL, 8,
						   "x"));
	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_deregister_callback(rec));
	/* No buffer and no length is a callback that only runs. */
	KUNIT_EXPECT_EQ(test, 0, call_reg_legacy(rec));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_callback(rec));
}

static void register_legacy_twice(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);

	KUNIT_ASSERT_EQ(test, 0, call_reg_legacy(rec));
	KUNIT_EXPECT_EQ(test, -EINVAL, call_reg_legacy(rec));
	KUNIT_EXPECT_EQ(test, -EINVAL, reg_secondary(&rec->core));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_callback(rec));
}

static void register_legacy_bad_pointer(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, call_reg_legacy(BAD_LOW));
	KUNIT_EXPECT_EQ(test, -EINVAL, call_reg_legacy(BAD_WILD));
}

static void register_legacy_absurd_length(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);
	const struct bugcheck_record_callback *e;
	/* Bigger than the area: every byte the clamp can let through is readable. */
	void *buf = fx_vmalloc(test, 2 * FX_AREA_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_callback(rec, fx_noop_legacy, buf,
						   SIZE_MAX, "bc_api_huge"));
	e = collect_entry(test, "bc_api_huge");
	KUNIT_EXPECT_EQ(test, BUGCHECK_RECORD_STATE_INCOMPLETE, (int)e->state);
	KUNIT_EXPECT_TRUE(test, e->flags & (BUGCHECK_CB_F_CLAMPED |
					    BUGCHECK_CB_F_NO_SPACE));
	KUNIT_EXPECT_LT(test, (u64)e->bytes, (u64)FX_AREA_SIZE);
}

static void register_legacy_in_callback(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);

	KUNIT_EXPECT_EQ(test, -EBUSY, in_callback(test, call_reg_legacy, rec));
	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_deregister_callback(rec));
}

static void deregister_legacy_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_deregister_callback(NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_deregister_callback(BAD_LOW));
}

static void deregister_legacy_never_registered(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);

	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_deregister_callback(rec));
	KUNIT_ASSERT_EQ(test, 0, call_reg_legacy(rec));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_callback(rec));
	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_deregister_callback(rec));
}

static void deregister_legacy_reason_record(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);

	KUNIT_ASSERT_EQ(test, 0, reg_secondary(rec));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_callback(container_of(
				rec, struct bugcheck_callback_record, core)));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_reason_callback(rec));
}

static void deregister_legacy_in_callback(struct kunit *test)
{
	struct bugcheck_callback_record *rec = fx_new_legacy(test);

	KUNIT_ASSERT_EQ(test, 0, call_reg_legacy(rec));
	KUNIT_EXPECT_EQ(test, -EBUSY,
			in_callback(test, call_dereg_legacy, rec));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_callback(rec));
}

/* bugcheck_init_triage_dump_data_array(), bugcheck_add_triage_dump_data_block() */

static void triage_init_bad(struct kunit *test)
{
	size_t one = BUGCHECK_TRIAGE_ARRAY_SIZE(1);
	struct bugcheck_triage_dump_data_array *a =
		kunit_kzalloc(test, one, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_init_triage_dump_data_array(NULL, one));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_init_triage_dump_data_array(a, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_init_triage_dump_data_array(a, one - 1));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_init_triage_dump_data_array(a, one));
}

static void triage_init_absurd_size(struct kunit *test)
{
	struct bugcheck_triage_dump_data_array *a;

	a = kunit_kzalloc(test, BUGCHECK_TRIAGE_ARRAY_SIZE(1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	/* Accepted; the capacity is capped at U16_MAX blocks. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_init_triage_dump_data_array(a, SIZE_MAX));
	KUNIT_EXPECT_EQ(test, (u32)U16_MAX, a->capacity);
}

static void triage_add_uninitialised(struct kunit *test)
{
	size_t size = BUGCHECK_TRIAGE_ARRAY_SIZE(4);
	struct bugcheck_triage_dump_data_array *a =
		kunit_kzalloc(test, size, GFP_KERNEL);
	static const u8 block[16];

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(a, block, 16));
	memset(a, 0xa5, size);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(a, block, 16));
}

static void triage_add_bad(struct kunit *test)
{
	size_t size = BUGCHECK_TRIAGE_ARRAY_SIZE(1);
	struct bugcheck_triage_dump_data_array *a =
		kunit_kzalloc(test, size, GFP_KERNEL);
	static const u8 block[16];

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, 0, bugcheck_init_triage_dump_data_array(a, size));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(NULL, block, 16));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(a, NULL, 16));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_add_triage_dump_data_block(a, block, 0));
	KUNIT_EXPECT_EQ(test, 0, a->count);
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_add_triage_dump_data_block(a, block, 16));
	KUNIT_EXPECT_EQ(test, -ENOSPC,
			bugcheck_add_triage_dump_data_block(a, block, 16));
	KUNIT_EXPECT_TRUE(
		test, a->flags & BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED);
	KUNIT_EXPECT_EQ(test, 1, a->count);
}

/* A triage callback naming one block of SIZE_MAX bytes (of a big buffer). */
static struct {
	struct bugcheck_triage_dump_data_array *array;
	void *block;
	int init_ret;
	int add_ret;
} huge;

static void huge_triage_cb(enum bugcheck_callback_reason reason,
			   struct bugcheck_reason_callback_record *rec,
			   void *reason_data, size_t reason_data_len)
{
	struct bugcheck_triage_dump_data *d = reason_data;

	/* The helpers are meant to be called here, in the callback. */
	huge.init_ret = bugcheck_init_triage_dump_data_array(
		huge.array, BUGCHECK_TRIAGE_ARRAY_SIZE(1));
	huge.add_ret = bugcheck_add_triage_dump_data_block(
		huge.array, huge.block, SIZE_MAX);
	d->data_array = huge.array;
}

static void triage_add_absurd_size(struct kunit *test)
{
	struct bugcheck_reason_callback_record *rec = fx_new_rec(test);
	const struct bugcheck_record_callback *e;

	huge.array =
		kunit_kzalloc(test, BUGCHECK_TRIAGE_ARRAY_SIZE(1), GFP_KERNEL);
	huge.block = fx_vmalloc(test, 2 * FX_AREA_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, huge.array);
	KUNIT_ASSERT_NOT_NULL(test, huge.block);
	huge.init_ret = 1;
	huge.add_ret = 1;
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_reason_callback(
				rec, huge_triage_cb,
				BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA,
				"bc_api_triage"));
	e = collect_entry(test, "bc_api_triage");
	KUNIT_EXPECT_EQ(test, 0, huge.init_ret);
	KUNIT_EXPECT_EQ(test, 0, huge.add_ret);
	KUNIT_EXPECT_EQ(test, BUGCHECK_RECORD_STATE_INCOMPLETE, (int)e->state);
	KUNIT_EXPECT_TRUE(test, e->flags & (BUGCHECK_CB_F_CLAMPED |
					    BUGCHECK_CB_F_NO_SPACE));
	KUNIT_EXPECT_LT(test, (u64)e->bytes, (u64)FX_AREA_SIZE);
}

/* bugcheck_simulate() */

static int call_simulate(void *param)
{
	return bugcheck_simulate(param);
}

static void simulate_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_simulate(NULL));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_simulate(sim_param));
}

static void simulate_atomic(struct kunit *test)
{
	int ctx;

	for (ctx = 0; ctx < NR_CTX; ctx++)
		KUNIT_EXPECT_EQ_MSG(test, -EBUSY,
				    in_ctx(ctx, call_simulate,
					   (void *)sim_param),
				    "%s", ctx_names[ctx]);
}

static void simulate_in_callback(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EBUSY,
			in_callback(test, call_simulate, (void *)sim_param));
}

/* Crash-dump devices: a platform device bound to no driver, with a hook. */

static int api_power_on(struct device *dev, void *context)
{
	return 0;
}

static const struct bugcheck_crashdump_device_ops api_ops = {
	.power_on = api_power_on,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

static void api_dev_cleanup(struct kunit_resource *res)
{
	struct platform_device *pdev = res->data;

	bugcheck_deregister_crashdump_device(&pdev->dev);
	platform_device_unregister(pdev);
}

static struct device *api_dev(struct kunit *test)
{
	static atomic_t ids = ATOMIC_INIT(0);
	struct platform_device *pdev;
	struct kunit_resource *res;

	pdev = platform_device_register_simple(
		API_DEV_NAME, atomic_inc_return(&ids), NULL, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pdev), "platform device: %ld",
			       PTR_ERR(pdev));
	res = kunit_alloc_resource(test, NULL, api_dev_cleanup, GFP_KERNEL,
				   pdev);
	if (!res)
		platform_device_unregister(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, res, "no memory for its cleanup");
	return &pdev->dev;
}

static int call_cd_register(void *dev)
{
	return bugcheck_register_crashdump_device(dev, &api_ops);
}

static int call_cd_deregister(void *dev)
{
	return bugcheck_deregister_crashdump_device(dev);
}

static int call_cd_release(void *dev)
{
	return bugcheck_release_crashdump_device(dev);
}

static int call_cd_power_on(void *dev)
{
	return bugcheck_power_on_crashdump_device(dev, NULL);
}

static void cd_register_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(NULL, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(NULL, &api_ops));
}

static void cd_register_unregistered_device(struct kunit *test)
{
	struct platform_device *pdev;

	pdev = platform_device_alloc(API_DEV_NAME "-unadded",
				     PLATFORM_DEVID_NONE);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	/* Never added: on no bus, then on one, nothing follows its removal. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(&pdev->dev,
							   &api_ops));
	pdev->dev.bus = &platform_bus_type;
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(&pdev->dev,
							   &api_ops));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(&pdev->dev));
	platform_device_put(pdev);
}

static void cd_register_twice(struct kunit *test)
{
	struct device *dev = api_dev(test);

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(dev, &api_ops));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(dev, &api_ops));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(dev));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(dev));
}

static void cd_register_bad_ops(struct kunit *test)
{
	struct bugcheck_crashdump_device_ops ops = { .power_on = api_power_on };
	struct device *dev = api_dev(test);

	ops.flags = ~BUGCHECK_CRASHDUMP_F_POWER_ON;
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(dev, &ops));
	ops.flags = U32_MAX;
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(dev, &ops));
	/* Runtime PM is off on this device: without a hook, nothing can power it. */
	KUNIT_EXPECT_EQ(test, -ENODEV,
			bugcheck_register_crashdump_device(dev, NULL));
	ops.power_on = NULL;
	ops.flags = BUGCHECK_CRASHDUMP_F_POWER_ON;
	KUNIT_EXPECT_EQ(test, -ENODEV,
			bugcheck_register_crashdump_device(dev, &ops));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(dev));
}

static void cd_register_atomic(struct kunit *test)
{
	struct device *dev = api_dev(test);
	int ctx;

	for (ctx = 0; ctx < NR_CTX; ctx++)
		KUNIT_EXPECT_EQ_MSG(test, -EBUSY,
				    in_ctx(ctx, call_cd_register, dev), "%s",
				    ctx_names[ctx]);
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(dev));
}

static void cd_register_in_callback(struct kunit *test)
{
	struct device *dev = api_dev(test);

	KUNIT_EXPECT_EQ(test, -EBUSY, in_callback(test, call_cd_register, dev));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(dev));
}

static void cd_deregister_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_deregister_crashdump_device(NULL));
}

static void cd_deregister_never_registered(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(api_dev(test)));
}

static void cd_deregister_atomic(struct kunit *test)
{
	struct device *dev = api_dev(test);
	int ctx;

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(dev, &api_ops));
	for (ctx = 0; ctx < NR_CTX; ctx++)
		KUNIT_EXPECT_EQ_MSG(test, -EBUSY,
				    in_ctx(ctx, call_cd_deregister, dev), "%s",
				    ctx_names[ctx]);
	KUNIT_EXPECT_EQ(test, -EBUSY,
			in_callback(test, call_cd_deregister, dev));
	/* Still registered. */
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(dev));
}

static void cd_power_on_bad(struct kunit *test)
{
	struct device *dev = api_dev(test);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_power_on_crashdump_device(NULL, NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_power_on_crashdump_device(dev, NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			in_ctx(CTX_IRQS_OFF, call_cd_power_on, dev));
}

static void cd_power_on_atomic(struct kunit *test)
{
	struct device *dev = api_dev(test);
	int ctx;

	/* Documented for any context, a callback included: the hook is called. */
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(dev, &api_ops));
	for (ctx = 0; ctx < NR_CTX; ctx++)
		KUNIT_EXPECT_EQ_MSG(test, 0, in_ctx(ctx, call_cd_power_on, dev),
				    "%s", ctx_names[ctx]);
	KUNIT_EXPECT_EQ(test, 0, in_callback(test, call_cd_power_on, dev));
}

static void cd_release_bad(struct kunit *test)
{
	struct device *dev = api_dev(test);

	KUNIT_EXPECT_EQ(test, -EINVAL, bugcheck_release_crashdump_device(NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_release_crashdump_device(dev));
	/* Registered, nothing held: 0. */
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(dev, &api_ops));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(dev));
}

static void cd_release_atomic(struct kunit *test)
{
	struct device *dev = api_dev(test);
	int ctx;

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(dev, &api_ops));
	for (ctx = 0; ctx < NR_CTX; ctx++)
		KUNIT_EXPECT_EQ_MSG(test, -EBUSY,
				    in_ctx(ctx, call_cd_release, dev), "%s",
				    ctx_names[ctx]);
	KUNIT_EXPECT_EQ(test, -EBUSY, in_callback(test, call_cd_release, dev));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(dev));
}

static struct kunit_case bugcheck_api_test_cases[] = {
	KUNIT_CASE(register_reason_null),
	KUNIT_CASE(register_reason_bad_reason),
	KUNIT_CASE(register_reason_twice),
	KUNIT_CASE(register_reason_bad_pointer),
	KUNIT_CASE(register_reason_read_only),
	KUNIT_CASE(register_reason_uninitialised),
	KUNIT_CASE(register_reason_byte_copy),
	KUNIT_CASE(register_reason_atomic),
	KUNIT_CASE(register_reason_in_callback),
	KUNIT_CASE(register_reason_long_component),
	KUNIT_CASE(register_reason_bad_component),
	KUNIT_CASE(deregister_reason_null),
	KUNIT_CASE(deregister_reason_never_registered),
	KUNIT_CASE(deregister_reason_twice),
	KUNIT_CASE(deregister_reason_legacy_record),
	KUNIT_CASE(deregister_reason_bad_pointer),
	KUNIT_CASE(deregister_reason_in_callback),
	KUNIT_CASE(register_legacy_null),
	KUNIT_CASE(register_legacy_twice),
	KUNIT_CASE(register_legacy_bad_pointer),
	KUNIT_CASE(register_legacy_absurd_length),
	KUNIT_CASE(register_legacy_in_callback),
	KUNIT_CASE(deregister_legacy_null),
	KUNIT_CASE(deregister_legacy_never_registered),
	KUNIT_CASE(deregister_legacy_reason_record),
	KUNIT_CASE(deregister_legacy_in_callback),
	KUNIT_CASE(triage_init_bad),
	KUNIT_CASE(triage_init_absurd_size),
	KUNIT_CASE(triage_add_uninitialised),
	KUNIT_CASE(triage_add_bad),
	KUNIT_CASE(triage_add_absurd_size),
	KUNIT_CASE(simulate_null),
	KUNIT_CASE(simulate_atomic),
	KUNIT_CASE(simulate_in_callback),
	KUNIT_CASE(cd_register_null),
	KUNIT_CASE(cd_register_unregistered_device),
	KUNIT_CASE(cd_register_twice),
	KUNIT_CASE(cd_register_bad_ops),
	KUNIT_CASE(cd_register_atomic),
	KUNIT_CASE(cd_register_in_callback),
	KUNIT_CASE(cd_deregister_null),
	KUNIT_CASE(cd_deregister_never_registered),
	KUNIT_CASE(cd_deregister_atomic),
	KUNIT_CASE(cd_power_on_bad),
	KUNIT_CASE(cd_power_on_atomic),
	KUNIT_CASE(cd_release_bad),
	KUNIT_CASE(cd_release_atomic),
	{}
};

static struct kunit_suite bugcheck_api_test_suite = {
	.name = "bugcheck_api",
	.test_cases = bugcheck_api_test_cases,
};

kunit_test_suites(&bugcheck_api_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"KUnit tests for the bad input of bugcheck.ko's exported API");
