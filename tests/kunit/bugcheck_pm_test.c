// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for crash-dump devices: registration, power-on per context, the
 * opt-in, what the bugcheck does to devices it must not wait for, removal and
 * unbinding, lock order, the record.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/irqflags.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "fixture.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define TDRV_NAME "bugcheck-pm-test"
#define DEVICES_COMPONENT "crashdump-devices"

/*
 * What the test driver saw of one device: its drvdata, allocated in probe
 * and freed at unbind.  The runtime-PM callbacks of an irq-safe device run
 * with interrupts off, and others from pm_wq, so they only count.
 */
struct pm_tstate {
	atomic_t resumes;
	atomic_t suspends;
	int hook_calls;
	void *hook_context;
	bool hook_atomic; /* the last hook call ran in atomic context */
	int hook_ret; /* what the hook returns */
};

/**
 * struct pm_tdev - a test device, torn down whichever way the test ends
 * @pdev: the platform device, bound to the test driver
 * @dev: &pdev->dev
 * @st: its drvdata
 * @held: runtime-PM usage references the test holds
 * @rpm: the test enabled runtime PM for it
 * @gone: the test unregistered it itself
 */
struct pm_tdev {
	struct platform_device *pdev;
	struct device *dev;
	struct pm_tstate *st;
	int held;
	bool rpm;
	bool gone;
};

static atomic_t tdev_ids = ATOMIC_INIT(0);
static atomic_t tdrv_removes = ATOMIC_INIT(0);

#define SPIN_MAX_MS 2000 /* a spinning suspend callback gives up after this */
#define SLOW_HOOK_MS 300 /* how long the slow hook takes */

/*
 * Knobs the test driver and the hook obey, each for the one device it
 * names (NULL: off).  The suite's exit clears them after every case.
 * @spin_suspend: runtime_suspend spins (interrupts off: the device is
 *	irq-safe) until @spin_release or SPIN_MAX_MS, as a driver stuck in
 *	it, or on a CPU the panic stopped, would
 * @lock_resume: runtime_resume takes @lock and adds a platform device, as
 *	a driver with its own lock and child devices would
 * @remove_deregisters: remove() deregisters the device, result in @remove_ret
 * @slow_hook: the hook spins SLOW_HOOK_MS, then notes the device's
 *	reference count in @slow_refs
 * @hook_calls: every hook call, on any device (drvdata may be gone)
 */
static struct {
	struct device *spin_suspend;
	atomic_t spin_entered;
	atomic_t spin_release;
	struct device *lock_resume;
	struct mutex lock; /* taken by @lock_resume's runtime_resume */
	struct platform_device *child;
	struct device *remove_deregisters;
	int remove_ret;
	struct device *slow_hook;
	atomic_t slow_entered;
	atomic_t slow_done;
	unsigned int slow_refs;
	atomic_t hook_calls;
} knobs = {
	.lock = __MUTEX_INITIALIZER(knobs.lock),
};

static int tdrv_probe(struct platform_device *pdev)
{
	struct pm_tstate *st =
		devm_kzalloc(&pdev->dev, sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	platform_set_drvdata(pdev, st);
	return 0;
}

static void tdrv_remove(struct platform_device *pdev)
{
	atomic_inc(&tdrv_removes);
	if (READ_ONCE(knobs.remove_deregisters) == &pdev->dev)
		knobs.remove_ret =
			bugcheck_deregister_crashdump_device(&pdev->dev);
}

BUGCHECK_PLATFORM_REMOVE(tdrv_remove)

static int tdrv_runtime_suspend(struct device *dev)
{
	struct pm_tstate *st = dev_get_drvdata(dev);
	unsigned int ms;

	if (st)
		atomic_inc(&st->suspends);
	if (READ_ONCE(knobs.spin_suspend) == dev) {
		atomic_set(&knobs.spin_entered, 1);
		for (ms = 0;
		     ms < SPIN_MAX_MS && !atomic_read(&knobs.spin_release);
		     ms++)
			mdelay(1);
	}
	return 0;
}

static int tdrv_runtime_resume(struct device *dev)
{
	struct pm_tstate *st = dev_get_drvdata(dev);

	if (st)
		atomic_inc(&st->resumes);
	if (READ_ONCE(knobs.lock_resume) == dev) {
		mutex_lock(&knobs.lock);
		if (!knobs.child)
			knobs.child = platform_device_register_simple(
				"bugcheck-pm-test-child",
				atomic_inc_return(&tdev_ids), NULL, 0);
		mutex_unlock(&knobs.lock);
	}
	return 0;
}

static const struct dev_pm_ops tdrv_pm_ops = { RUNTIME_PM_OPS(
	tdrv_runtime_suspend, tdrv_runtime_resume, NULL) };

static struct platform_driver tdrv = {
	.probe = tdrv_probe,
	.remove = tdrv_remove_compat,
	.driver = {
		.name = TDRV_NAME,
		.pm = pm_ptr(&tdrv_pm_ops),
	},
};

/* The power_on hook: called in whatever context bugcheck calls it. */
static int tdev_power_on(struct device *dev, void *context)
{
	struct pm_tstate *st = dev_get_drvdata(dev);

	atomic_inc(&knobs.hook_calls);
	if (READ_ONCE(knobs.slow_hook) == dev) {
		atomic_set(&knobs.slow_entered, 1);
		mdelay(SLOW_HOOK_MS);
		knobs.slow_refs = kref_read(&dev->kobj.kref);
		atomic_set(&knobs.slow_done, 1);
	}
	if (!st)
		return -ENODEV;
	st->hook_calls++;
	st->hook_context = context;
	/* What in_atomic() reads; the debug kernel counts preemption. */
	st->hook_atomic = preempt_count() || irqs_disabled();
	return st->hook_ret;
}

/* Powered at a bugcheck, by runtime PM or by the hook. */
static const struct bugcheck_crashdump_device_ops hook_ops = {
	.power_on = tdev_power_on,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

/* Powered at a bugcheck by runtime PM only. */
static const struct bugcheck_crashdump_device_ops rpm_ops = {
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

/* Described at a bugcheck, never powered then; the hook serves power-on calls. */
static const struct bugcheck_crashdump_device_ops quiet_ops = {
	.power_on = tdev_power_on,
};

static const struct bugcheck_crashdump_device_ops empty_ops = {};

/*
 * Undo a test device in the order it was built: out of bugcheck (whatever
 * the test left registered), runtime PM off, the test's usage references
 * back, then the device itself.
 */
static void tdev_cleanup(struct kunit_resource *res)
{
	struct pm_tdev *td = res->data;

	if (!td->pdev || td->gone)
		return;
	bugcheck_deregister_crashdump_device(td->dev);
	if (td->rpm)
		pm_runtime_disable(td->dev);
	for (; td->held > 0; td->held--)
		pm_runtime_put_noidle(td->dev);
	platform_device_unregister(td->pdev);
}

/* A new platform device bound to the test driver, under @parent if given. */
static struct pm_tdev *tdev_new(struct kunit *test, struct pm_tdev *parent)
{
	struct platform_device *pdev;
	struct pm_tdev *td;
	int ret;

	td = kunit_kzalloc(test, sizeof(*td), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, td);
	KUNIT_ASSERT_NOT_NULL(test,
			      kunit_alloc_resource(test, NULL, tdev_cleanup,
						   GFP_KERNEL, td));
	pdev = platform_device_alloc(TDRV_NAME, atomic_inc_return(&tdev_ids));
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	if (parent)
		pdev->dev.parent = parent->dev;
	ret = platform_device_add(pdev);
	if (ret)
		platform_device_put(pdev);
	KUNIT_ASSERT_EQ(test, 0, ret);
	td->pdev = pdev;
	td->dev = &pdev->dev;
	KUNIT_ASSERT_PTR_EQ_MSG(test, td->dev->driver, &tdrv.driver,
				"%s is not bound to the test driver",
				dev_name(td->dev));
	td->st = platform_get_drvdata(pdev);
	KUNIT_ASSERT_NOT_NULL(test, td->st);
	return td;
}

/* Enable runtime PM for @td, starting suspended or active. */
static void tdev_rpm(struct kunit *test, struct pm_tdev *td, bool active,
		     bool irq_safe)
{
	if (irq_safe)
		pm_runtime_irq_safe(td->dev);
	if (active)
		KUNIT_ASSERT_EQ(test, 0, pm_runtime_set_active(td->dev));
	pm_runtime_enable(td->dev);
	td->rpm = true;
	KUNIT_ASSERT_TRUE(test, pm_runtime_enabled(td->dev));
	KUNIT_ASSERT_EQ(test, (int)(active ? RPM_ACTIVE : RPM_SUSPENDED),
			(int)td->dev->power.runtime_status);
}

/* Keep @td from being suspended by anyone else's put. */
static void tdev_hold(struct pm_tdev *td)
{
	pm_runtime_get_noresume(td->dev);
	td->held++;
}

static int usage(struct pm_tdev *td)
{
	return atomic_read(&td->dev->power.usage_count);
}

static int rpm_status(struct pm_tdev *td)
{
	return READ_ONCE(td->dev->power.runtime_status);
}

static int resumes(struct pm_tdev *td)
{
	return atomic_read(&td->st->resumes);
}

static unsigned int refs(struct pm_tdev *td)
{
	return kref_read(&td->dev->kobj.kref);
}

/* Suspend @td synchronously; fails the test unless it ends up suspended. */
static void expect_suspends(struct kunit *test, struct pm_tdev *td)
{
	int ret = pm_runtime_suspend(td->dev);

	KUNIT_EXPECT_GE_MSG(test, ret, 0, "a usage reference is still held");
	KUNIT_EXPECT_EQ(test, (int)RPM_SUSPENDED, rpm_status(td));
}

static void register_rejects_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(NULL, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(NULL, &hook_ops));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_deregister_crashdump_device(NULL));
}

static void register_rejects_unregistered_device(struct kunit *test)
{
	struct platform_device *pdev;

	pdev = platform_device_alloc(TDRV_NAME, atomic_inc_return(&tdev_ids));
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	/* On a bus, so that only the missing device_add() is wrong with it. */
	pdev->dev.bus = &platform_bus_type;
	KUNIT_EXPECT_FALSE(test, device_is_registered(&pdev->dev));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(&pdev->dev,
							   &hook_ops));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(&pdev->dev));
	platform_device_put(pdev);
}

static void register_rejects_device_without_bus(struct kunit *test)
{
	/* No owner: see bugcheck_pm_suite_init(). */
	struct device *root =
		__root_device_register("bugcheck-pm-test-nobus", NULL);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(root), "root device: %ld",
			       PTR_ERR(root));
	KUNIT_EXPECT_TRUE(test, device_is_registered(root));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(root, &hook_ops));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(root));
	root_device_unregister(root);
}

static void register_twice_fails(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	tdev_rpm(test, td, false, false);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(td->dev, NULL));
	/* Still registered exactly once. */
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(td->dev));
}

static void register_needs_runtime_pm_or_hook(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);

	KUNIT_ASSERT_FALSE(test, pm_runtime_enabled(td->dev));
	KUNIT_EXPECT_EQ(test, -ENODEV,
			bugcheck_register_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, -ENODEV,
			bugcheck_register_crashdump_device(td->dev,
							   &empty_ops));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(td->dev));

	/* With runtime PM, no hook is needed. */
	tdev_rpm(test, td, false, false);
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
}

static void register_with_hook_holds_device(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	unsigned int before = refs(td);

	KUNIT_ASSERT_FALSE(test, pm_runtime_enabled(td->dev));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	KUNIT_EXPECT_EQ(test, before + 1, refs(td));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, before, refs(td));
	KUNIT_EXPECT_EQ(test, 0, td->st->hook_calls);
}

static void unknown_device_is_enoent(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);

	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_release_crashdump_device(td->dev));
}

static void deregister_twice_fails(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_release_crashdump_device(td->dev));
	/* And it can come back. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
}

static void power_on_resumes_and_holds_once(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	int u0, r0;

	tdev_rpm(test, td, false, false);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	u0 = usage(td);
	r0 = resumes(td);

	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, r0 + 1, resumes(td));
	KUNIT_EXPECT_EQ(test, (int)RPM_ACTIVE, rpm_status(td));
	KUNIT_EXPECT_EQ(test, u0 + 1, usage(td));
	/* Runtime PM is enabled: the hook is for atomic context only. */
	KUNIT_EXPECT_EQ(test, 0, td->st->hook_calls);

	/* A second power-on keeps the one reference. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, r0 + 1, resumes(td));
	KUNIT_EXPECT_EQ(test, u0 + 1, usage(td));

	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
	/* Nothing left to drop. */
	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
	expect_suspends(test, td);

	/* Released, it can be powered on again. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, r0 + 2, resumes(td));
	KUNIT_EXPECT_EQ(test, u0 + 1, usage(td));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
}

static void deregister_drops_references(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	unsigned int k0;
	int u0;

	tdev_rpm(test, td, false, false);
	k0 = refs(td);
	u0 = usage(td);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, u0 + 1, usage(td));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
	KUNIT_EXPECT_EQ(test, k0, refs(td));
	expect_suspends(test, td);
}

static void power_on_without_runtime_pm_calls_hook(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	int cookie, u0;

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	u0 = usage(td);
	td->st->hook_ret = -EREMOTEIO;
	KUNIT_EXPECT_EQ(test, -EREMOTEIO,
			bugcheck_power_on_crashdump_device(td->dev, &cookie));
	KUNIT_EXPECT_EQ(test, 1, td->st->hook_calls);
	KUNIT_EXPECT_PTR_EQ(test, (void *)&cookie, td->st->hook_context);
	KUNIT_EXPECT_FALSE(test, td->st->hook_atomic);

	td->st->hook_ret = 0;
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, 2, td->st->hook_calls);
	KUNIT_EXPECT_NULL(test, td->st->hook_context);
	KUNIT_EXPECT_EQ(test, 0, resumes(td));
	/* The hook holds no usage reference. */
	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
}

static void power_on_without_runtime_pm_or_hook_fails(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	int u0;

	tdev_rpm(test, td, false, false);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, NULL));
	u0 = usage(td);
	/* Runtime PM switched off after registration leaves no way to power on. */
	pm_runtime_disable(td->dev);
	td->rpm = false;
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, 0, resumes(td));
	KUNIT_EXPECT_EQ(test, (int)RPM_SUSPENDED, rpm_status(td));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
}

static void atomic_power_on_irq_safe_uses_runtime_pm(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	unsigned long flags;
	int ret1, ret2, u0;

	tdev_rpm(test, td, false, true);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	u0 = usage(td);

	local_irq_save(flags);
	ret1 = bugcheck_power_on_crashdump_device(td->dev, NULL);
	ret2 = bugcheck_power_on_crashdump_device(td->dev, NULL);
	local_irq_restore(flags);

	KUNIT_EXPECT_EQ(test, 0, ret1);
	KUNIT_EXPECT_EQ(test, 0, ret2);
	KUNIT_EXPECT_EQ(test, 1, resumes(td));
	KUNIT_EXPECT_EQ(test, (int)RPM_ACTIVE, rpm_status(td));
	KUNIT_EXPECT_EQ(test, u0 + 1, usage(td));
	KUNIT_EXPECT_EQ(test, 0, td->st->hook_calls);

	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
	expect_suspends(test, td);
}

static void atomic_power_on_calls_hook(struct kunit *test)
{
	static DEFINE_SPINLOCK(lock);
	struct pm_tdev *td = tdev_new(test, NULL);
	unsigned long flags;
	int ret1, ret2, u0;
	int cookie;

	tdev_rpm(test, td, false, false);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	u0 = usage(td);
	td->st->hook_ret = -EREMOTEIO;

	spin_lock_irqsave(&lock, flags);
	ret1 = bugcheck_power_on_crashdump_device(td->dev, &cookie);
	td->st->hook_ret = 0;
	ret2 = bugcheck_power_on_crashdump_device(td->dev, &cookie);
	spin_unlock_irqrestore(&lock, flags);

	KUNIT_EXPECT_EQ(test, -EREMOTEIO, ret1);
	KUNIT_EXPECT_EQ(test, 0, ret2);
	KUNIT_EXPECT_EQ(test, 2, td->st->hook_calls);
	KUNIT_EXPECT_PTR_EQ(test, (void *)&cookie, td->st->hook_context);
	KUNIT_EXPECT_TRUE(test, td->st->hook_atomic);
	/* Runtime PM was left alone: it could have slept. */
	KUNIT_EXPECT_EQ(test, 0, resumes(td));
	KUNIT_EXPECT_EQ(test, (int)RPM_SUSPENDED, rpm_status(td));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
}

static void atomic_power_on_without_hook_fails(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	unsigned long flags;
	int ret_preempt, ret_irq, u0;

	tdev_rpm(test, td, false, false);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, NULL));
	u0 = usage(td);

	/* Either counts as atomic: preemption off, or interrupts off. */
	preempt_disable();
	ret_preempt = bugcheck_power_on_crashdump_device(td->dev, NULL);
	preempt_enable();
	local_irq_save(flags);
	ret_irq = bugcheck_power_on_crashdump_device(td->dev, NULL);
	local_irq_restore(flags);

	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, ret_preempt);
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, ret_irq);
	KUNIT_EXPECT_EQ(test, 0, resumes(td));
	KUNIT_EXPECT_EQ(test, (int)RPM_SUSPENDED, rpm_status(td));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
}

static void atomic_power_on_active_device_does_nothing(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	unsigned long flags;
	int ret, u0;

	tdev_rpm(test, td, true, false);
	tdev_hold(td);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	u0 = usage(td);

	local_irq_save(flags);
	ret = bugcheck_power_on_crashdump_device(td->dev, NULL);
	local_irq_restore(flags);

	KUNIT_EXPECT_EQ(test, 0, ret);
	KUNIT_EXPECT_EQ(test, 0, td->st->hook_calls);
	KUNIT_EXPECT_EQ(test, 0, resumes(td));
	KUNIT_EXPECT_EQ(test, (int)RPM_ACTIVE, rpm_status(td));
	KUNIT_EXPECT_EQ(test, u0, usage(td));
}

static void removal_drops_registration(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	struct device *dev = td->dev;
	int removes;

	tdev_rpm(test, td, false, false);
	KUNIT_ASSERT_EQ(test, 0, bugcheck_register_crashdump_device(dev, NULL));
	/* bugcheck holds a usage reference as well as the device. */
	KUNIT_ASSERT_EQ(test, 0, bugcheck_power_on_crashdump_device(dev, NULL));

	get_device(dev);
	removes = atomic_read(&tdrv_removes);
	td->gone = true;
	platform_device_unregister(td->pdev);

	KUNIT_EXPECT_EQ(test, removes + 1, atomic_read(&tdrv_removes));
	/* Only the test's own reference is left: release can happen. */
	KUNIT_EXPECT_EQ(test, 1U, kref_read(&dev->kobj.kref));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(dev));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_power_on_crashdump_device(dev, NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT, bugcheck_release_crashdump_device(dev));
	put_device(dev);
}

/* Hops from @dev up to the root of the device tree. */
static u32 dev_depth(const struct device *dev)
{
	u32 depth = 0;

	while ((dev = dev->parent))
		depth++;
	return depth;
}

/* Does the fixed-size string field @field hold exactly @want? */
static bool field_is(const char *field, size_t size, const char *want)
{
	return strnlen(field, size) < size && !strcmp(field, want);
}

/*
 * The DEVICE section of table entry @cb for @td, copied into @out; returns
 * its position among that entry's DEVICE sections, or -1.
 */
static int device_section(struct kunit *test,
			  const struct bugcheck_record_header *h, u32 cb,
			  struct pm_tdev *td,
			  struct bugcheck_record_device *out)
{
	const struct bugcheck_record_section *s;
	struct rw_iter it;
	int n = 0;

	rw_for_each_section(s, &it, h) {
		if (s->callback != cb || s->type != BUGCHECK_SECTION_DEVICE)
			continue;
		if (s->length >= sizeof(*out)) {
			memcpy(out, rw_payload(s), sizeof(*out));
			if (field_is(out->name, sizeof(out->name),
				     dev_name(td->dev))) {
				KUNIT_EXPECT_EQ(test, (u32)sizeof(*out),
						s->length);
				KUNIT_EXPECT_EQ(test,
						rw_crc32(rw_payload(s),
							 s->length),
						s->payload_crc32);
				return n;
			}
		}
		n++;
	}
	KUNIT_EXPECT_FALSE(test, it.bad);
	return -1;
}

/*
 * A device's entry: its description, and what was done (@method, @result)
 * with what outcome (@after).
 */
static void expect_recorded(struct kunit *test,
			    const struct bugcheck_record_device *r,
			    struct pm_tdev *td, u32 method, int result,
			    u32 before, u32 after)
{
	const char *name = dev_name(td->dev);

	KUNIT_EXPECT_TRUE_MSG(test,
			      field_is(r->driver, sizeof(r->driver), TDRV_NAME),
			      "%s: driver", name);
	KUNIT_EXPECT_TRUE_MSG(test,
			      field_is(r->parent, sizeof(r->parent),
				       dev_name(td->dev->parent)),
			      "%s: parent", name);
	KUNIT_EXPECT_EQ_MSG(test, result, r->result, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, method, r->method, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, before, r->before, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, after, r->after, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, (u32)usage(td), r->usage_count, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, dev_depth(td->dev), r->depth, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, (u32)pm_runtime_enabled(td->dev),
			    r->runtime_enabled, "%s", name);
	KUNIT_EXPECT_EQ_MSG(test, (u32)pm_runtime_is_irq_safe(td->dev),
			    r->irq_safe, "%s", name);
}

static void simulate_records_devices_parent_first(struct kunit *test)
{
	struct pm_tdev *parent = tdev_new(test, NULL);
	struct pm_tdev *child = tdev_new(test, parent);
	struct pm_tdev *quiet = tdev_new(test, NULL);
	struct bugcheck_record_device pr, cr, qr;
	const struct bugcheck_record_header *h;
	const struct bugcheck_record_callback *e;
	void *area = fx_vmalloc(test, FX_AREA_SIZE);
	int i, pi, ci, qi;

	KUNIT_ASSERT_NOT_NULL(test, area);
	/*
	 * Parent: no runtime PM, powered by its hook; child: irq-safe, kept
	 * active; quiet: irq-safe, suspended, not asking for power.
	 */
	tdev_rpm(test, child, true, true);
	tdev_hold(child);
	tdev_rpm(test, quiet, false, true);
	/* Children registered first must still come after their parents. */
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(child->dev,
							   &rpm_ops));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(parent->dev,
							   &hook_ops));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(quiet->dev,
							   &quiet_ops));

	h = fx_collect(test, area, FX_AREA_SIZE);
	i = rw_find_entry(h, DEVICES_COMPONENT);
	KUNIT_ASSERT_GE_MSG(test, i, 0, "no " DEVICES_COMPONENT " table entry");
	e = rw_entry(h, i);
	KUNIT_EXPECT_EQ(test, (u32)BUGCHECK_RECORD_REASON_DEVICES, e->reason);
	/* Every test cleans up, so these three are the only ones. */
	KUNIT_EXPECT_EQ(test, 3U,
			rw_count_sections(h, i, BUGCHECK_SECTION_DEVICE));
	KUNIT_EXPECT_EQ(test, 3U, e->sections);

	pi = device_section(test, h, i, parent, &pr);
	ci = device_section(test, h, i, child, &cr);
	qi = device_section(test, h, i, quiet, &qr);
	KUNIT_ASSERT_GE_MSG(test, pi, 0, "no section for %s",
			    dev_name(parent->dev));
	KUNIT_ASSERT_GE_MSG(test, ci, 0, "no section for %s",
			    dev_name(child->dev));
	KUNIT_ASSERT_GE_MSG(test, qi, 0, "no section for %s",
			    dev_name(quiet->dev));
	KUNIT_EXPECT_LT(test, pi, ci);
	KUNIT_EXPECT_EQ(test, pr.depth + 1, cr.depth);
	expect_recorded(test, &pr, parent, BUGCHECK_DEVICE_METHOD_NONE, -EAGAIN,
			BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_SUSPENDED);
	expect_recorded(test, &cr, child, BUGCHECK_DEVICE_METHOD_NONE, -EAGAIN,
			BUGCHECK_DEVICE_RPM_ACTIVE, BUGCHECK_DEVICE_RPM_ACTIVE);
	expect_recorded(test, &qr, quiet, BUGCHECK_DEVICE_METHOD_NOT_REQUESTED,
			0, BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_SUSPENDED);

	/* Simulated: nothing was powered on. */
	KUNIT_EXPECT_EQ(test, 0, parent->st->hook_calls);
	KUNIT_EXPECT_EQ(test, 0, quiet->st->hook_calls);
	KUNIT_EXPECT_EQ(test, 0, resumes(child));
	KUNIT_EXPECT_EQ(test, 0, resumes(parent));
	KUNIT_EXPECT_EQ(test, 0, resumes(quiet));
}

/*
 * What the bugcheck does to @td: bugcheck_pm_bugcheck() on its position in
 * the list, with interrupts off as at a panic (found by describing the list
 * first, which touches nothing).  Fails the test if @td is not listed.
 */
static int bugcheck_device(struct kunit *test, struct pm_tdev *td,
			   struct bugcheck_record_device *out)
{
	unsigned long flags;
	u32 i;
	int ret;

	for (i = 0; !bugcheck_pm_bugcheck(i, out, true); i++) {
		if (!field_is(out->name, sizeof(out->name), dev_name(td->dev)))
			continue;
		local_irq_save(flags);
		ret = bugcheck_pm_bugcheck(i, out, false);
		local_irq_restore(flags);
		KUNIT_EXPECT_EQ(test, 0, ret);
		return ret;
	}
	KUNIT_FAIL(test, "%s is not in the list the bugcheck walks",
		   dev_name(td->dev));
	return -ENOENT;
}

static void register_rejects_unknown_flags(struct kunit *test)
{
	static const struct bugcheck_crashdump_device_ops bad_ops = {
		.power_on = tdev_power_on,
		.flags = BUGCHECK_CRASHDUMP_F_POWER_ON | 0x80,
	};
	struct pm_tdev *td = tdev_new(test, NULL);

	KUNIT_EXPECT_EQ(test, -EINVAL,
			bugcheck_register_crashdump_device(td->dev, &bad_ops));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(td->dev));
}

/* Only devices registered with BUGCHECK_CRASHDUMP_F_POWER_ON are powered. */
static void bugcheck_powers_only_devices_that_asked(struct kunit *test)
{
	struct pm_tdev *asked = tdev_new(test, NULL);
	struct pm_tdev *quiet = tdev_new(test, NULL);
	struct pm_tdev *hooked = tdev_new(test, NULL);
	struct bugcheck_record_device ar, qr, hr;
	int calls;

	tdev_rpm(test, asked, false, true);
	tdev_rpm(test, quiet, false, true);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(asked->dev,
							   &rpm_ops));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(quiet->dev,
							   &quiet_ops));
	/* No runtime PM: only its hook could power it, and it did not ask. */
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(hooked->dev,
							   &quiet_ops));
	calls = atomic_read(&knobs.hook_calls);

	bugcheck_device(test, asked, &ar);
	bugcheck_device(test, quiet, &qr);
	bugcheck_device(test, hooked, &hr);

	expect_recorded(test, &ar, asked, BUGCHECK_DEVICE_METHOD_RUNTIME_PM, 0,
			BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_ACTIVE);
	expect_recorded(test, &qr, quiet, BUGCHECK_DEVICE_METHOD_NOT_REQUESTED,
			0, BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_SUSPENDED);
	expect_recorded(test, &hr, hooked, BUGCHECK_DEVICE_METHOD_NOT_REQUESTED,
			0, BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_SUSPENDED);
	KUNIT_EXPECT_EQ(test, 1, resumes(asked));
	KUNIT_EXPECT_EQ(test, 0, resumes(quiet));
	KUNIT_EXPECT_EQ(test, calls, atomic_read(&knobs.hook_calls));
	/* The resume's usage reference is bugcheck's, dropped at deregistration. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_deregister_crashdump_device(asked->dev));
	expect_suspends(test, asked);
	/* Not asking for power at a bugcheck still allows power-on on request. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(hooked->dev, NULL));
	KUNIT_EXPECT_EQ(test, calls + 1, atomic_read(&knobs.hook_calls));
}

/**
 * struct cpu_job - a function run on another CPU in a work item
 * @work: the work item, bound to @cpu
 * @fn: what it runs
 * @td: its argument
 * @ret: what @fn returned
 * @cpu: where it runs
 */
struct cpu_job {
	struct work_struct work;
	int (*fn)(struct pm_tdev *td);
	struct pm_tdev *td;
	int ret;
	int cpu;
};

static void cpu_job_fn(struct work_struct *work)
{
	struct cpu_job *job = container_of(work, struct cpu_job, work);

	job->ret = job->fn(job->td);
}

/* Whatever the test did, the job ends (spins are released) before @td goes. */
static void cpu_job_cleanup(struct kunit_resource *res)
{
	struct cpu_job *job = res->data;

	atomic_set(&knobs.spin_release, 1);
	flush_work(&job->work);
}

/*
 * Start @fn(@td) on a CPU other than the test's, which stays on its own
 * until the test ends; skips the test on a single CPU.
 */
static struct cpu_job *cpu_job_start(struct kunit *test,
				     int (*fn)(struct pm_tdev *td),
				     struct pm_tdev *td)
{
	struct cpu_job *job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, job);
	set_cpus_allowed_ptr(current, cpumask_of(raw_smp_processor_id()));
	job->cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (job->cpu >= nr_cpu_ids)
		kunit_skip(test, "needs a second online CPU");
	INIT_WORK(&job->work, cpu_job_fn);
	job->fn = fn;
	job->td = td;
	KUNIT_ASSERT_NOT_NULL(test,
			      kunit_alloc_resource(test, NULL, cpu_job_cleanup,
						   GFP_KERNEL, job));
	queue_work_on(job->cpu, system_highpri_wq, &job->work);
	return job;
}

static void cpu_job_unpin(struct kunit_resource *res)
{
	set_cpus_allowed_ptr(current, cpu_possible_mask);
}

/* Give the test its CPUs back however it ends (before the jobs are flushed). */
static void test_unpin_at_end(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test,
			      kunit_alloc_resource(test, NULL, cpu_job_unpin,
						   GFP_KERNEL, test));
}

/* Wait (sleeping) for @flag, 5000 times at least 1 ms; false if it never came. */
static bool wait_for(atomic_t *flag)
{
	unsigned int ms;

	for (ms = 0; ms < 5000 && !atomic_read(flag); ms++)
		usleep_range(1000, 2000);
	return atomic_read(flag);
}

static int job_suspend(struct pm_tdev *td)
{
	return pm_runtime_suspend(td->dev);
}

/*
 * A runtime suspend stuck in the driver's callback on another CPU (as on a
 * CPU the panic stopped, or in a callback that panicked): the status stays
 * RPM_SUSPENDING and the power lock is free.  The bugcheck must skip the
 * device at once, say so, and carry on.
 */
static void bugcheck_skips_device_mid_suspend(struct kunit *test)
{
	struct pm_tdev *stuck = tdev_new(test, NULL);
	struct pm_tdev *next = tdev_new(test, NULL);
	struct bugcheck_record_device sr, nr;
	struct cpu_job *job;
	int calls;

	tdev_rpm(test, stuck, true, true);
	tdev_rpm(test, next, false, true);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(stuck->dev,
							   &hook_ops));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(next->dev,
							   &rpm_ops));
	calls = atomic_read(&knobs.hook_calls);

	test_unpin_at_end(test);
	WRITE_ONCE(knobs.spin_suspend, stuck->dev);
	job = cpu_job_start(test, job_suspend, stuck);
	KUNIT_ASSERT_TRUE_MSG(test, wait_for(&knobs.spin_entered),
			      "the suspend callback never ran on CPU %d",
			      job->cpu);
	KUNIT_ASSERT_EQ(test, (int)RPM_SUSPENDING, rpm_status(stuck));
	KUNIT_ASSERT_FALSE(test, spin_is_locked(&stuck->dev->power.lock));

	bugcheck_device(test, stuck, &sr);
	/* Still stuck: the bugcheck did not wait for the callback to end. */
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&knobs.spin_release));
	KUNIT_EXPECT_EQ(test, (int)RPM_SUSPENDING, rpm_status(stuck));
	bugcheck_device(test, next, &nr);
	atomic_set(&knobs.spin_release, 1);
	flush_work(&job->work);
	KUNIT_EXPECT_EQ(test, 0, job->ret);

	expect_recorded(test, &sr, stuck, BUGCHECK_DEVICE_METHOD_BUSY, -EBUSY,
			BUGCHECK_DEVICE_RPM_SUSPENDING,
			BUGCHECK_DEVICE_RPM_SUSPENDING);
	expect_recorded(test, &nr, next, BUGCHECK_DEVICE_METHOD_RUNTIME_PM, 0,
			BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_ACTIVE);
	/* Skipped means skipped: neither runtime PM nor the hook touched it. */
	KUNIT_EXPECT_EQ(test, calls, atomic_read(&knobs.hook_calls));
	KUNIT_EXPECT_EQ(test, 0, resumes(stuck));
	KUNIT_EXPECT_EQ(test, (int)RPM_SUSPENDED, rpm_status(stuck));
	KUNIT_EXPECT_EQ(test, 0, usage(stuck));
}

/*
 * A power lock held at a panic belongs to a stopped CPU (or to the code the
 * panic interrupted): the device is skipped, not waited for, and the hook
 * is not called behind the PM core's back either.
 */
static void bugcheck_skips_device_with_power_lock_held(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	struct bugcheck_record_device r;
	u32 i;
	int calls;

	tdev_rpm(test, td, false, true);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	calls = atomic_read(&knobs.hook_calls);
	for (i = 0; !bugcheck_pm_bugcheck(i, &r, true); i++)
		if (field_is(r.name, sizeof(r.name), dev_name(td->dev)))
			break;
	KUNIT_ASSERT_TRUE(test,
			  field_is(r.name, sizeof(r.name), dev_name(td->dev)));

	spin_lock_irq(&td->dev->power.lock);
	KUNIT_EXPECT_EQ(test, 0, bugcheck_pm_bugcheck(i, &r, false));
	spin_unlock_irq(&td->dev->power.lock);

	expect_recorded(test, &r, td, BUGCHECK_DEVICE_METHOD_BUSY, -EBUSY,
			BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_SUSPENDED);
	KUNIT_EXPECT_EQ(test, calls, atomic_read(&knobs.hook_calls));
	KUNIT_EXPECT_EQ(test, 0, resumes(td));
}

/* The same with runtime PM disabled: the hook must not run behind the PM core's back. */
static void bugcheck_skips_hook_with_power_lock_held(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	struct bugcheck_record_device r;
	u32 i;
	int calls;

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	calls = atomic_read(&knobs.hook_calls);
	for (i = 0; !bugcheck_pm_bugcheck(i, &r, true); i++)
		if (field_is(r.name, sizeof(r.name), dev_name(td->dev)))
			break;
	KUNIT_ASSERT_TRUE(test,
			  field_is(r.name, sizeof(r.name), dev_name(td->dev)));

	spin_lock_irq(&td->dev->power.lock);
	KUNIT_EXPECT_EQ(test, 0, bugcheck_pm_bugcheck(i, &r, false));
	spin_unlock_irq(&td->dev->power.lock);

	expect_recorded(test, &r, td, BUGCHECK_DEVICE_METHOD_BUSY, -EBUSY,
			BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_SUSPENDED);
	KUNIT_EXPECT_EQ(test, calls, atomic_read(&knobs.hook_calls));
	/* Unlocked, the hook does its job. */
	bugcheck_device(test, td, &r);
	expect_recorded(test, &r, td, BUGCHECK_DEVICE_METHOD_HOOK, 0,
			BUGCHECK_DEVICE_RPM_SUSPENDED,
			BUGCHECK_DEVICE_RPM_SUSPENDED);
	KUNIT_EXPECT_EQ(test, calls + 1, atomic_read(&knobs.hook_calls));
}

/*
 * A DUMP_IO sink may power a device itself at a panic, when a stopped CPU can
 * hold the device's power lock: during a panic or an oops (oops_in_progress)
 * the lock is never waited for and the hook is not called.
 */
static void atomic_power_on_at_panic_refuses_power_lock_held(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	int ret, calls;

	tdev_rpm(test, td, false, false);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	calls = td->st->hook_calls;

	spin_lock_irq(&td->dev->power.lock);
	oops_in_progress++;
	ret = bugcheck_power_on_crashdump_device(td->dev, NULL);
	oops_in_progress--;
	spin_unlock_irq(&td->dev->power.lock);

	KUNIT_EXPECT_EQ(test, -EBUSY, ret);
	KUNIT_EXPECT_EQ(test, calls, td->st->hook_calls);
	/* Outside a panic the same call runs the hook. */
	spin_lock_irq(&td->dev->power.lock);
	ret = bugcheck_power_on_crashdump_device(td->dev, NULL);
	spin_unlock_irq(&td->dev->power.lock);
	KUNIT_EXPECT_EQ(test, 0, ret);
	KUNIT_EXPECT_EQ(test, calls + 1, td->st->hook_calls);
}

/* In atomic context a transition under way is refused, not waited for. */
static void atomic_power_on_refuses_device_mid_suspend(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	struct cpu_job *job;
	unsigned long flags;
	int ret, calls;

	tdev_rpm(test, td, true, true);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	calls = atomic_read(&knobs.hook_calls);
	test_unpin_at_end(test);
	WRITE_ONCE(knobs.spin_suspend, td->dev);
	job = cpu_job_start(test, job_suspend, td);
	KUNIT_ASSERT_TRUE(test, wait_for(&knobs.spin_entered));

	local_irq_save(flags);
	ret = bugcheck_power_on_crashdump_device(td->dev, NULL);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&knobs.spin_release));
	atomic_set(&knobs.spin_release, 1);
	flush_work(&job->work);

	KUNIT_EXPECT_EQ(test, -EBUSY, ret);
	KUNIT_EXPECT_EQ(test, calls, atomic_read(&knobs.hook_calls));
	KUNIT_EXPECT_EQ(test, 0, resumes(td));
	KUNIT_EXPECT_EQ(test, 0, usage(td));
}

static int job_atomic_power_on(struct pm_tdev *td)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = bugcheck_power_on_crashdump_device(td->dev, NULL);
	local_irq_restore(flags);
	return ret;
}

/*
 * A power-on in atomic context is an RCU reader: deregistration waits for
 * it, so the hook is not running (and bugcheck's device reference is still
 * held) once deregistration returns and the driver may go away.
 */
static void deregister_waits_for_hook_in_flight(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	struct cpu_job *job;
	unsigned int k0, k1;

	k0 = refs(td);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	k1 = refs(td);
	KUNIT_EXPECT_EQ(test, k0 + 1, k1);
	test_unpin_at_end(test);
	WRITE_ONCE(knobs.slow_hook, td->dev);
	job = cpu_job_start(test, job_atomic_power_on, td);
	KUNIT_ASSERT_TRUE(test, wait_for(&knobs.slow_entered));

	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ_MSG(
		test, 1, atomic_read(&knobs.slow_done),
		"deregistration returned while the hook was running");
	flush_work(&job->work);
	KUNIT_EXPECT_EQ(test, 0, job->ret);
	KUNIT_EXPECT_EQ_MSG(
		test, k1, knobs.slow_refs,
		"the device reference was dropped under a running hook");
	KUNIT_EXPECT_EQ(test, k0, refs(td));
}

static int unbind_probe_ret;
static int unbind_probe_calls;

/* A devres action: runs while the driver is unbound, after its remove(). */
static void unbind_probe(void *data)
{
	struct device *dev = data;
	unsigned long flags;
	int calls = atomic_read(&knobs.hook_calls);

	local_irq_save(flags);
	unbind_probe_ret = bugcheck_power_on_crashdump_device(dev, NULL);
	local_irq_restore(flags);
	unbind_probe_calls = atomic_read(&knobs.hook_calls) - calls;
}

/*
 * A driver unbound without deregistering: from the start of the unbinding
 * its hook is never called, and once it is unbound the registration is
 * gone with bugcheck's references.
 */
static void unbind_drops_registration_and_hook(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	struct bugcheck_record_device r;
	unsigned int k0;
	int calls;
	u32 i;

	k0 = refs(td);
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_ASSERT_EQ(test, 0,
			devm_add_action_or_reset(td->dev, unbind_probe,
						 td->dev));
	unbind_probe_ret = 1;
	unbind_probe_calls = -1;
	calls = atomic_read(&knobs.hook_calls);

	device_release_driver(td->dev);
	td->st = NULL; /* freed with the driver's devres */
	KUNIT_ASSERT_NULL(test, td->dev->driver);

	KUNIT_EXPECT_EQ_MSG(test, -ENODEV, unbind_probe_ret,
			    "power-on while the driver was unbinding");
	KUNIT_EXPECT_EQ(test, 0, unbind_probe_calls);
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, calls, atomic_read(&knobs.hook_calls));
	KUNIT_EXPECT_EQ(test, k0, refs(td));
	for (i = 0; !bugcheck_pm_bugcheck(i, &r, true); i++)
		KUNIT_EXPECT_FALSE(test, field_is(r.name, sizeof(r.name),
						  dev_name(td->dev)));
}

/* A driver that deregisters in its remove() finds its registration there. */
static void unbinding_driver_may_still_deregister(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	unsigned int k0 = refs(td);

	KUNIT_ASSERT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	WRITE_ONCE(knobs.remove_deregisters, td->dev);
	knobs.remove_ret = 1;
	device_release_driver(td->dev);
	td->st = NULL;
	KUNIT_EXPECT_EQ(test, 0, knobs.remove_ret);
	KUNIT_EXPECT_EQ(test, k0, refs(td));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			bugcheck_deregister_crashdump_device(td->dev));
}

/*
 * A driver that registers under its own lock and takes that lock in its
 * runtime_resume (which also adds a device on the bus bugcheck watches),
 * and a device removed from that bus while registered: bugcheck holds no
 * lock across the resume, and its bus notifier takes none a registration
 * holds while calling out.  Lockdep (on the debug kernel) turns itself off
 * at the first inversion it finds, which this checks.
 */
static void no_lock_order_inversion(struct kunit *test)
{
	struct pm_tdev *td = tdev_new(test, NULL);
	struct pm_tdev *gone = tdev_new(test, NULL);

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING");
	if (!debug_locks)
		kunit_skip(test, "lockdep is off already (an earlier report)");
	tdev_rpm(test, td, false, false);
	WRITE_ONCE(knobs.lock_resume, td->dev);

	mutex_lock(&knobs.lock);
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_crashdump_device(td->dev, &hook_ops));
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_register_crashdump_device(gone->dev,
							   &hook_ops));
	mutex_unlock(&knobs.lock);

	/* Process context: a runtime resume, into the driver's lock and the bus. */
	KUNIT_EXPECT_EQ(test, 0,
			bugcheck_power_on_crashdump_device(td->dev, NULL));
	KUNIT_EXPECT_EQ(test, 1, resumes(td));
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, knobs.child);
	/* The bus notifier, for a registered device and for another. */
	gone->gone = true;
	platform_device_unregister(gone->pdev);
	if (!IS_ERR_OR_NULL(knobs.child))
		platform_device_unregister(knobs.child);
	knobs.child = NULL;

	mutex_lock(&knobs.lock);
	KUNIT_EXPECT_EQ(test, 0, bugcheck_release_crashdump_device(td->dev));
	KUNIT_EXPECT_EQ(test, 0, bugcheck_deregister_crashdump_device(td->dev));
	mutex_unlock(&knobs.lock);
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
			      "lockdep reported a problem (see the log)");
}

/*
 * On 6.1 a module's suites run while it is still MODULE_STATE_COMING, before
 * its sysfs kobject exists: a driver (or root device) owned by THIS_MODULE
 * could not link to it, so these have no owner.
 */
static int bugcheck_pm_suite_init(struct kunit_suite *suite)
{
	return __platform_driver_register(&tdrv, NULL);
}

static void bugcheck_pm_suite_exit(struct kunit_suite *suite)
{
	platform_driver_unregister(&tdrv);
}

/* After each case (before its resources are freed): every knob off. */
static void bugcheck_pm_test_exit(struct kunit *test)
{
	mutex_lock(&knobs.lock);
	if (!IS_ERR_OR_NULL(knobs.child))
		platform_device_unregister(knobs.child);
	knobs.child = NULL;
	mutex_unlock(&knobs.lock);
	WRITE_ONCE(knobs.spin_suspend, NULL);
	WRITE_ONCE(knobs.lock_resume, NULL);
	WRITE_ONCE(knobs.remove_deregisters, NULL);
	WRITE_ONCE(knobs.slow_hook, NULL);
	atomic_set(&knobs.spin_entered, 0);
	atomic_set(&knobs.spin_release, 1);
	atomic_set(&knobs.slow_entered, 0);
	atomic_set(&knobs.slow_done, 0);
}

/* Before each case: nothing released yet. */
static int bugcheck_pm_test_init(struct kunit *test)
{
	atomic_set(&knobs.spin_release, 0);
	return 0;
}

static struct kunit_case bugcheck_pm_test_cases[] = {
	KUNIT_CASE(register_rejects_null),
	KUNIT_CASE(register_rejects_unregistered_device),
	KUNIT_CASE(register_rejects_device_without_bus),
	KUNIT_CASE(register_rejects_unknown_flags),
	KUNIT_CASE(register_twice_fails),
	KUNIT_CASE(register_needs_runtime_pm_or_hook),
	KUNIT_CASE(register_with_hook_holds_device),
	KUNIT_CASE(unknown_device_is_enoent),
	KUNIT_CASE(deregister_twice_fails),
	KUNIT_CASE(power_on_resumes_and_holds_once),
	KUNIT_CASE(deregister_drops_references),
	KUNIT_CASE(power_on_without_runtime_pm_calls_hook),
	KUNIT_CASE(power_on_without_runtime_pm_or_hook_fails),
	KUNIT_CASE(atomic_power_on_irq_safe_uses_runtime_pm),
	KUNIT_CASE(atomic_power_on_calls_hook),
	KUNIT_CASE(atomic_power_on_without_hook_fails),
	KUNIT_CASE(atomic_power_on_active_device_does_nothing),
	KUNIT_CASE(atomic_power_on_refuses_device_mid_suspend),
	KUNIT_CASE(atomic_power_on_at_panic_refuses_power_lock_held),
	KUNIT_CASE(removal_drops_registration),
	KUNIT_CASE(simulate_records_devices_parent_first),
	KUNIT_CASE(bugcheck_powers_only_devices_that_asked),
	KUNIT_CASE(bugcheck_skips_device_mid_suspend),
	KUNIT_CASE(bugcheck_skips_device_with_power_lock_held),
	KUNIT_CASE(bugcheck_skips_hook_with_power_lock_held),
	KUNIT_CASE(deregister_waits_for_hook_in_flight),
	KUNIT_CASE(unbind_drops_registration_and_hook),
	KUNIT_CASE(unbinding_driver_may_still_deregister),
	KUNIT_CASE(no_lock_order_inversion),
	{}
};

static struct kunit_suite bugcheck_pm_test_suite = {
	.name = "bugcheck_pm",
	.init = bugcheck_pm_test_init,
	.exit = bugcheck_pm_test_exit,
	.suite_init = bugcheck_pm_suite_init,
	.suite_exit = bugcheck_pm_suite_exit,
	.test_cases = bugcheck_pm_test_cases,
};

kunit_test_suites(&bugcheck_pm_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for bugcheck.ko's crash-dump devices");
