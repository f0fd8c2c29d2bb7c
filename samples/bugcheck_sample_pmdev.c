// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: a driver whose devices the dump path needs, suspended by
 * runtime PM when idle, named to bugcheck as crash-dump devices that ask for
 * power (BUGCHECK_CRASHDUMP_F_POWER_ON), so that they are powered on at a
 * bugcheck.
 *
 * The module registers the platform driver "bugcheck-sample-pmdev" and
 * creates two of its devices, both runtime-suspended once probed:
 *
 *   bugcheck-sample-pmdev.0  irq-safe runtime PM: bugcheck resumes it with
 *                            a runtime resume that never waits, even at a
 *                            panic
 *   bugcheck-sample-pmdev.1  ordinary (sleeping) runtime PM, which a panic
 *                            cannot use: bugcheck calls the driver's
 *                            power_on hook instead
 *
 * Both are registered with the same ops, as one driver would: bugcheck
 * prefers the runtime resume, so the hook runs for .1 only.  The devices are
 * registered once bound, so each registration belongs to the binding: the
 * module's exit deregisters them before removing them, and had it not,
 * bugcheck would drop them when the driver unbinds (and call the hook no
 * more from the moment the unbinding starts).  The counters below are what
 * the crashdump-devices scenario reads from the vmcore.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <bugcheck.h>

#define PMDEV_NAME "bugcheck-sample-pmdev"
#define PMDEV_COUNT 2

/*
 * Counters for the vmcore reader (by symbol) and, read-only, for the guest
 * (/sys/module/bugcheck_sample_pmdev/parameters/), so a test can compare
 * the values before the panic with those in the dump:
 * @bugcheck_sample_pmdev_resumes: runtime_resume callbacks
 * @bugcheck_sample_pmdev_suspends: runtime_suspend callbacks
 * @bugcheck_sample_pmdev_hook_calls: power_on hook calls
 *
 * Plain counters: the PM core runs one device's callbacks one at a time, and
 * the two devices only change state at load, unload and the bugcheck (or
 * when someone writes their power/control), so a lost count is not a worry
 * for statistics.
 */
u32 bugcheck_sample_pmdev_resumes;
u32 bugcheck_sample_pmdev_suspends;
u32 bugcheck_sample_pmdev_hook_calls;
module_param_named(resumes, bugcheck_sample_pmdev_resumes, uint, 0444);
MODULE_PARM_DESC(resumes, "runtime_resume callbacks so far");
module_param_named(suspends, bugcheck_sample_pmdev_suspends, uint, 0444);
MODULE_PARM_DESC(suspends, "runtime_suspend callbacks so far");
module_param_named(hook_calls, bugcheck_sample_pmdev_hook_calls, uint, 0444);
MODULE_PARM_DESC(hook_calls, "crash-dump power_on hook calls so far");

/* Platform data: how each device's runtime PM is set up. */
struct pmdev_config {
	bool irq_safe;
};

static const struct pmdev_config pmdev_configs[PMDEV_COUNT] = {
	{ .irq_safe = true },
	{ .irq_safe = false },
};

/**
 * struct pmdev - one probed device
 * @powered: the (pretend) hardware is powered: set by runtime resume and by
 *	the power_on hook, cleared by runtime suspend
 */
struct pmdev {
	bool powered;
};

static struct platform_device *pmdevs[PMDEV_COUNT];

/*
 * Runtime PM callbacks.  For the irq-safe device they run with interrupts
 * off under the device's power lock (at a bugcheck, in panic context), so
 * neither may sleep; dev_dbg() and plain stores do not.
 */
static int pmdev_runtime_suspend(struct device *dev)
{
	struct pmdev *pm = dev_get_drvdata(dev);

	pm->powered = false;
	bugcheck_sample_pmdev_suspends++;
	dev_dbg(dev, "runtime suspend\n");
	return 0;
}

static int pmdev_runtime_resume(struct device *dev)
{
	struct pmdev *pm = dev_get_drvdata(dev);

	pm->powered = true;
	bugcheck_sample_pmdev_resumes++;
	dev_dbg(dev, "runtime resume\n");
	return 0;
}

/**
 * pmdev_power_on() - power the device up for the dump without runtime PM
 * @dev: the device
 * @context: NULL at a bugcheck; else what bugcheck_power_on_crashdump_device()
 *	was given
 *
 * A real driver would write the controller's power registers directly; the
 * runtime-PM status stays as it is, as nothing here may take its lock.
 *
 * Context: panic context, or atomic context; must not sleep.
 * Return: 0.
 */
static int pmdev_power_on(struct device *dev, void *context)
{
	struct pmdev *pm = dev_get_drvdata(dev);

	pm->powered = true;
	bugcheck_sample_pmdev_hook_calls++;
	return 0;
}

static const struct bugcheck_crashdump_device_ops pmdev_crashdump_ops = {
	.power_on = pmdev_power_on,
	/* The dump needs these devices: power them at a bugcheck. */
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

/*
 * Probe: the device comes up powered; mark it active, enable runtime PM
 * (disabled again by devres at unbind) and let it idle, synchronously, so
 * that it is suspended when probe returns.
 */
static int pmdev_probe(struct platform_device *pdev)
{
	const struct pmdev_config *cfg = dev_get_platdata(&pdev->dev);
	struct device *dev = &pdev->dev;
	struct pmdev *pm;
	int ret;

	if (!cfg)
		return -EINVAL;
	pm = devm_kzalloc(dev, sizeof(*pm), GFP_KERNEL);
	if (!pm)
		return -ENOMEM;
	pm->powered = true;
	platform_set_drvdata(pdev, pm);

	if (cfg->irq_safe)
		pm_runtime_irq_safe(dev);
	pm_runtime_get_noresume(dev);
	ret = pm_runtime_set_active(dev);
	if (ret)
		goto put_noidle;
	ret = devm_pm_runtime_enable(dev);
	if (ret)
		goto put_noidle;
	pm_runtime_put_sync(dev);
	return 0;

put_noidle:
	pm_runtime_put_noidle(dev);
	return ret;
}

static const struct dev_pm_ops pmdev_pm_ops = {
	.runtime_suspend = pmdev_runtime_suspend,
	.runtime_resume = pmdev_runtime_resume,
};

static struct platform_driver pmdev_driver = {
	.probe = pmdev_probe,
	.driver = {
		.name = PMDEV_NAME,
		.pm = &pmdev_pm_ops,
	},
};

/* Probed, runtime PM enabled, and suspended: ready to be woken at a bugcheck. */
static int pmdev_check_suspended(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;

	if (!dev->driver) {
		dev_err(dev, "not bound to %s\n", PMDEV_NAME);
		return -ENODEV;
	}
	if (!pm_runtime_enabled(dev) || !pm_runtime_status_suspended(dev)) {
		dev_err(dev, "not runtime-suspended after probe (enabled %d)\n",
			pm_runtime_enabled(dev));
		return -EBUSY;
	}
	return 0;
}

static void pmdev_destroy(int nr)
{
	while (nr--) {
		platform_device_unregister(pmdevs[nr]);
		pmdevs[nr] = NULL;
	}
}

static void pmdev_deregister(int nr)
{
	while (nr--)
		bugcheck_deregister_crashdump_device(&pmdevs[nr]->dev);
}

static int __init sample_pmdev_init(void)
{
	int i, nr_devs = 0, nr_regs = 0, ret;

	ret = platform_driver_register(&pmdev_driver);
	if (ret)
		return ret;

	for (; nr_devs < PMDEV_COUNT; nr_devs++) {
		const struct pmdev_config *cfg = &pmdev_configs[nr_devs];
		struct platform_device *pdev;

		pdev = platform_device_register_data(NULL, PMDEV_NAME, nr_devs,
						     cfg, sizeof(*cfg));
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			pr_err("cannot create %s.%d: %d\n", PMDEV_NAME, nr_devs,
			       ret);
			goto destroy;
		}
		pmdevs[nr_devs] = pdev;
	}
	for (i = 0; i < PMDEV_COUNT; i++) {
		ret = pmdev_check_suspended(pmdevs[i]);
		if (ret)
			goto destroy;
	}

	for (; nr_regs < PMDEV_COUNT; nr_regs++) {
		ret = bugcheck_register_crashdump_device(&pmdevs[nr_regs]->dev,
							 &pmdev_crashdump_ops);
		if (ret) {
			dev_err(&pmdevs[nr_regs]->dev,
				"cannot register as a crash-dump device: %d\n",
				ret);
			goto deregister;
		}
	}
	return 0;

deregister:
	pmdev_deregister(nr_regs);
destroy:
	pmdev_destroy(nr_devs);
	platform_driver_unregister(&pmdev_driver);
	return ret;
}
module_init(sample_pmdev_init);

static void __exit sample_pmdev_exit(void)
{
	pmdev_deregister(PMDEV_COUNT);
	pmdev_destroy(PMDEV_COUNT);
	platform_driver_unregister(&pmdev_driver);
}
module_exit(sample_pmdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: devices powered on at a bugcheck");
