// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for lifetimes in process context: clients that free their
 * record, and devices removed while registered, while another CPU walks them.
 *
 * Two kthreads, one per CPU, churn for a bounded time: one runs simulated
 * collections (and walks the device list as a bugcheck does), the other
 * creates, registers and tears down.  With KASAN (the debug kernels these
 * suites run on) the first read of freed memory is reported on the console,
 * which the harness's splat check fails on; a client's record is also
 * poisoned before it is freed, so a callback run on a freed client shows in
 * the counters without KASAN too.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "fixture.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define CHURN_MS 2000 /* how long each case churns */
#define CLIENT_ALIVE 0x4c495645 /* "LIVE" */
#define CLIENT_DEAD 0x44454144 /* "DEAD", written just before kfree() */
#define MAX_DEVICE_LIFETIMES 200 /* each removal prints a warning */
#define DEVICE_WALKS 64 /* device-list walks per collection */
#define LT_DEV_NAME "bugcheck-lifetime-test"
#define CB_DELAY_US 20 /* a callback's time between its two reads */

/* A client: its record inside its own allocation, as a driver's would be. */
struct lt_client {
	u32 alive;
	struct bugcheck_reason_callback_record rec;
};

/* What both threads of a case share. */
struct lt_run {
	struct kunit *test;
	unsigned long deadline;
	void *area;
	bool devices; /* the device case: walk the device list too */
	unsigned int simulates;
	unsigned int walks;
	unsigned int lifetimes;
	unsigned int errors; /* churn-side setup failures */
	atomic_t calls; /* callback calls */
	atomic_t dead_seen; /* callbacks that found their client freed */
	struct completion done[2];
};

static struct lt_run *lt_current;

/*
 * Reads the client around a delay, so a deregistration that did not wait for
 * the callback would free the client in between.
 */
static void lt_cb(enum bugcheck_callback_reason reason,
		  struct bugcheck_reason_callback_record *rec,
		  void *reason_data, size_t reason_data_len)
{
	struct lt_client *c = container_of(rec, struct lt_client, rec);
	struct bugcheck_secondary_dump_data *d = reason_data;
	struct lt_run *run = READ_ONCE(lt_current);
	u32 before = READ_ONCE(c->alive), after;

	udelay(CB_DELAY_US);
	after = READ_ONCE(c->alive);
	if (run) {
		atomic_inc(&run->calls);
		if (before != CLIENT_ALIVE || after != CLIENT_ALIVE)
			atomic_inc(&run->dead_seen);
	}
	if (!d->out_buffer)
		d->out_buffer_length = sizeof(after);
	else if (d->in_buffer_length >= sizeof(after))
		memcpy(d->in_buffer, &after, sizeof(after));
}

/* The walker: simulated collections and device-list walks until the deadline. */
static int lt_walker(void *arg)
{
	static const unsigned long param[4] = { 0x11, 0x22, 0x33, 0x44 };
	struct bugcheck_record_device out;
	struct lt_run *run = arg;
	u32 i, index;
	int ret;

	while (time_before(jiffies, run->deadline)) {
		/* Every 32nd through the exported entry point (it logs a line). */
		if (run->simulates % 32 == 31)
			bugcheck_simulate(param);
		else
			bugcheck_collect_into(run->area, FX_AREA_SIZE,
					      BUGCHECK_CODE_SIMULATED, param);
		run->simulates++;
		/* The device phase's walk, alone: it is where a freed device is read. */
		for (i = 0; run->devices && i < DEVICE_WALKS;
		     i++, run->walks++) {
			index = 0;
			do {
				ret = bugcheck_pm_bugcheck(index++, &out, true);
			} while (!ret);
		}
		cond_resched();
	}
	complete(&run->done[0]);
	return 0;
}

/* Register, let the walker meet it, deregister, poison, free. */
static int lt_record_churn(void *arg)
{
	struct lt_run *run = arg;
	struct lt_client *c;

	while (time_before(jiffies, run->deadline)) {
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c) {
			run->errors++;
			break;
		}
		c->alive = CLIENT_ALIVE;
		if (bugcheck_register_reason_callback(
			    &c->rec, lt_cb,
			    BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
			    "bc_lifetime")) {
			run->errors++;
			kfree(c);
			break;
		}
		udelay(get_random_u32() % 200);
		if (bugcheck_deregister_reason_callback(&c->rec))
			run->errors++;
		WRITE_ONCE(c->alive, CLIENT_DEAD);
		kfree(c);
		run->lifetimes++;
		if (run->lifetimes % 64 == 0)
			cond_resched();
	}
	complete(&run->done[1]);
	return 0;
}

static int lt_power_on(struct device *dev, void *context)
{
	return 0;
}

static const struct bugcheck_crashdump_device_ops lt_ops = {
	.power_on = lt_power_on,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

/*
 * A platform device, registered with bugcheck, then removed from its bus
 * while still registered (every other one deregistered first, the well
 * behaved way); the driver core frees it at its last put.  Each is the child
 * of one parent, so that the walk reads two devices' names.
 */
static int lt_device_churn(void *arg)
{
	struct platform_device *parent, *pdev;
	struct lt_run *run = arg;
	int id = 0;

	parent = platform_device_register_simple(LT_DEV_NAME "-parent", -1,
						 NULL, 0);
	if (IS_ERR(parent)) {
		run->errors++;
		goto out;
	}
	while (time_before(jiffies, run->deadline) &&
	       run->lifetimes < MAX_DEVICE_LIFETIMES) {
		pdev = platform_device_alloc(LT_DEV_NAME, id++);
		if (!pdev) {
			run->errors++;
			break;
		}
		pdev->dev.parent = &parent->dev;
		if (platform_device_add(pdev)) {
			platform_device_put(pdev);
			run->errors++;
			break;
		}
		if (bugcheck_register_crashdump_device(&pdev->dev, &lt_ops)) {
			platform_device_unregister(pdev);
			run->errors++;
			break;
		}
		udelay(get_random_u32() % 500);
		if (id % 2 && bugcheck_deregister_crashdump_device(&pdev->dev))
			run->errors++;
		platform_device_unregister(pdev);
		run->lifetimes++;
	}
	platform_device_unregister(parent);
out:
	complete(&run->done[1]);
	return 0;
}

/* Run @walker and @churn on the two CPUs until the deadline. */
static void lt_start(struct kunit *test, struct lt_run *run,
		     int (*churn)(void *arg))
{
	struct task_struct *t[2];
	int cpu[2], i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	run->test = test;
	run->area = fx_vmalloc(test, FX_AREA_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, run->area);
	init_completion(&run->done[0]);
	init_completion(&run->done[1]);
	run->deadline = jiffies + msecs_to_jiffies(CHURN_MS);
	WRITE_ONCE(lt_current, run);
	t[0] = kthread_create(lt_walker, run, "bc_lt_walk");
	t[1] = kthread_create(churn, run, "bc_lt_churn");
	if (IS_ERR(t[0]) || IS_ERR(t[1])) {
		/* Neither has run: stopping it before its first wake-up skips it. */
		for (i = 0; i < 2; i++)
			if (!IS_ERR(t[i]))
				kthread_stop(t[i]);
		WRITE_ONCE(lt_current, NULL);
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(t[0]) || IS_ERR(t[1]),
			       "cannot create the kthreads");
	for (i = 0; i < 2; i++) {
		kthread_bind(t[i], cpu[i]);
		wake_up_process(t[i]);
	}
	wait_for_completion(&run->done[0]);
	wait_for_completion(&run->done[1]);
	WRITE_ONCE(lt_current, NULL);
}

static void record_freed_while_walked(struct kunit *test)
{
	struct lt_run *run = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, run);
	lt_start(test, run, lt_record_churn);
	kunit_info(
		test,
		"%u simulates / %u lifetimes, %d callback calls, %d met a freed client\n",
		run->simulates, run->lifetimes, atomic_read(&run->calls),
		atomic_read(&run->dead_seen));
	KUNIT_EXPECT_EQ(test, 0u, run->errors);
	KUNIT_EXPECT_GT(test, run->simulates, 0u);
	KUNIT_EXPECT_GT(test, run->lifetimes, 0u);
	/* The churn must have overlapped the walks for the case to mean anything. */
	KUNIT_EXPECT_GT(test, atomic_read(&run->calls), 0);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&run->dead_seen));
}

static void device_removed_while_walked(struct kunit *test)
{
	struct lt_run *run = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, run);
	run->devices = true;
	lt_start(test, run, lt_device_churn);
	kunit_info(test, "%u simulates + %u device walks / %u lifetimes\n",
		   run->simulates, run->walks, run->lifetimes);
	KUNIT_EXPECT_EQ(test, 0u, run->errors);
	KUNIT_EXPECT_GT(test, run->simulates, 0u);
	KUNIT_EXPECT_GT(test, run->lifetimes, 0u);
	KUNIT_EXPECT_EQ(test, 0u, bugcheck_pm_count());
}

static struct kunit_case bugcheck_lifetime_test_cases[] = {
	KUNIT_CASE(record_freed_while_walked),
	KUNIT_CASE(device_removed_while_walked),
	{}
};

static struct kunit_suite bugcheck_lifetime_test_suite = {
	.name = "bugcheck_lifetime",
	.test_cases = bugcheck_lifetime_test_cases,
};

kunit_test_suites(&bugcheck_lifetime_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"KUnit tests for bugcheck.ko's lifetimes under concurrent walks");
