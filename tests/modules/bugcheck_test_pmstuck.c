// SPDX-License-Identifier: GPL-2.0
/*
 * Test client for the crashdump-device-stuck scenario: crash-dump devices
 * caught in the middle of a runtime suspend when the kernel panics.  The
 * platform driver "bugcheck-test-pmstuck" binds four irq-safe devices:
 *
 *   .0  asks for power; its runtime_suspend spins, on another CPU, which
 *       the panic then stops inside the callback
 *   .1  asks for power; its runtime_suspend hits BUG(), so with
 *       panic_on_oops the panic comes from inside the callback
 *   .2  suspended; registered without asking for power
 *   .3  suspended; asks for power
 *
 * The sysrq key 'x' (PANIC_TRIGGER) starts the suspend of .0 on another CPU,
 * waits until it is inside the callback, then suspends .1.  bugcheck must
 * skip .0 and .1 without waiting, leave .2 alone, resume .3 and finish the
 * dump.  The counters below are read from the vmcore.
 */

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/sysrq.h>
#include <linux/workqueue.h>

#include "bugcheck.h"
#include "compat.h"

#define PMSTUCK_NAME "bugcheck-test-pmstuck"
#define PMSTUCK_COUNT 4
#define PMSTUCK_SPIN_MS 15000 /* under the soft-lockup threshold */

enum { PMSTUCK_SPIN, PMSTUCK_BUG, PMSTUCK_QUIET, PMSTUCK_ASKS };

/* Counters for the vmcore reader and, read-only, for the guest. */
u32 bugcheck_test_pmstuck_resumes;
u32 bugcheck_test_pmstuck_hook_calls;
module_param_named(resumes, bugcheck_test_pmstuck_resumes, uint, 0444);
MODULE_PARM_DESC(resumes, "runtime_resume callbacks so far");
module_param_named(hook_calls, bugcheck_test_pmstuck_hook_calls, uint, 0444);
MODULE_PARM_DESC(hook_calls, "crash-dump power_on hook calls so far");

static struct platform_device *pmstuck_devs[PMSTUCK_COUNT];
static bool pmstuck_armed; /* the suspend callbacks of .0 and .1 misbehave */
static atomic_t pmstuck_spinning = ATOMIC_INIT(0);

static int pmstuck_index(struct device *dev)
{
	return to_platform_device(dev)->id;
}

static int pmstuck_runtime_suspend(struct device *dev)
{
	unsigned int ms;

	if (!READ_ONCE(pmstuck_armed))
		return 0;
	switch (pmstuck_index(dev)) {
	case PMSTUCK_SPIN:
		/* Interrupts are off (irq-safe): as stuck as a driver gets. */
		atomic_set(&pmstuck_spinning, 1);
		for (ms = 0; ms < PMSTUCK_SPIN_MS; ms++)
			mdelay(1);
		break;
	case PMSTUCK_BUG:
		BUG();
	}
	return 0;
}

static int pmstuck_runtime_resume(struct device *dev)
{
	bugcheck_test_pmstuck_resumes++;
	return 0;
}

static const struct dev_pm_ops pmstuck_pm_ops = {
	.runtime_suspend = pmstuck_runtime_suspend,
	.runtime_resume = pmstuck_runtime_resume,
};

static int pmstuck_power_on(struct device *dev, void *context)
{
	bugcheck_test_pmstuck_hook_calls++;
	return 0;
}

static const struct bugcheck_crashdump_device_ops pmstuck_asks_ops = {
	.power_on = pmstuck_power_on,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

static const struct bugcheck_crashdump_device_ops pmstuck_quiet_ops = {
	.power_on = pmstuck_power_on,
};

/* Irq-safe runtime PM; .0 and .1 stay active (a usage reference) for the trigger. */
static int pmstuck_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int ret;

	pm_runtime_irq_safe(dev);
	pm_runtime_get_noresume(dev);
	ret = pm_runtime_set_active(dev);
	if (ret)
		goto put_noidle;
	ret = devm_pm_runtime_enable(dev);
	if (ret)
		goto put_noidle;
	if (pdev->id == PMSTUCK_QUIET || pdev->id == PMSTUCK_ASKS)
		pm_runtime_put_sync(dev);
	return 0;

put_noidle:
	pm_runtime_put_noidle(dev);
	return ret;
}

static struct platform_driver pmstuck_driver = {
	.probe = pmstuck_probe,
	.driver = {
		.name = PMSTUCK_NAME,
		.pm = &pmstuck_pm_ops,
	},
};

static void pmstuck_spin_fn(struct work_struct *work)
{
	pm_runtime_put_sync_suspend(&pmstuck_devs[PMSTUCK_SPIN]->dev);
}

static DECLARE_WORK(pmstuck_spin_work, pmstuck_spin_fn);

/* sysrq 'x': .0 stuck in its callback on another CPU, then .1 panics in its own. */
static void pmstuck_sysrq(bugcheck_sysrq_key_t key)
{
	int cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	unsigned int ms;

	if (cpu >= nr_cpu_ids) {
		pr_err("needs a second CPU\n");
		return;
	}
	WRITE_ONCE(pmstuck_armed, true);
	queue_work_on(cpu, system_highpri_wq, &pmstuck_spin_work);
	for (ms = 0; ms < 5000 && !atomic_read(&pmstuck_spinning); ms++)
		mdelay(1);
	pr_info("%s.0 is %s on CPU %d; suspending %s.1\n", PMSTUCK_NAME,
		atomic_read(&pmstuck_spinning) ?
			"inside its suspend callback" :
			"NOT yet inside its suspend callback",
		cpu, PMSTUCK_NAME);
	pm_runtime_put_noidle(&pmstuck_devs[PMSTUCK_BUG]->dev);
	pm_runtime_suspend(&pmstuck_devs[PMSTUCK_BUG]->dev);
	pr_err("%s.1 suspended without panicking\n", PMSTUCK_NAME);
}

static const struct sysrq_key_op pmstuck_sysrq_op = {
	.handler = pmstuck_sysrq,
	.help_msg = "bugcheck-test-pmstuck(x)",
	.action_msg = "Stalling and crashing crash-dump devices mid-suspend",
};

static void pmstuck_destroy(void)
{
	int i;

	for (i = PMSTUCK_COUNT - 1; i >= 0; i--) {
		if (!pmstuck_devs[i])
			continue;
		bugcheck_deregister_crashdump_device(&pmstuck_devs[i]->dev);
		platform_device_unregister(pmstuck_devs[i]);
		pmstuck_devs[i] = NULL;
	}
}

static int __init pmstuck_init(void)
{
	const struct bugcheck_crashdump_device_ops *ops;
	int i, ret;

	ret = platform_driver_register(&pmstuck_driver);
	if (ret)
		return ret;
	for (i = 0; i < PMSTUCK_COUNT; i++) {
		struct platform_device *pdev;

		pdev = platform_device_register_simple(PMSTUCK_NAME, i, NULL,
						       0);
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			goto destroy;
		}
		pmstuck_devs[i] = pdev;
		if (!pdev->dev.driver || !pm_runtime_enabled(&pdev->dev)) {
			dev_err(&pdev->dev,
				"not bound with runtime PM enabled\n");
			ret = -ENODEV;
			goto destroy;
		}
		ops = i == PMSTUCK_QUIET ? &pmstuck_quiet_ops :
					   &pmstuck_asks_ops;
		ret = bugcheck_register_crashdump_device(&pdev->dev, ops);
		if (ret) {
			dev_err(&pdev->dev,
				"cannot register as a crash-dump device: %d\n",
				ret);
			goto destroy;
		}
	}
	ret = register_sysrq_key('x', &pmstuck_sysrq_op);
	if (ret)
		goto destroy;
	return 0;

destroy:
	pmstuck_destroy();
	platform_driver_unregister(&pmstuck_driver);
	return ret;
}
module_init(pmstuck_init);

static void __exit pmstuck_exit(void)
{
	unregister_sysrq_key('x', &pmstuck_sysrq_op);
	flush_work(&pmstuck_spin_work);
	pmstuck_destroy();
	platform_driver_unregister(&pmstuck_driver);
}
module_exit(pmstuck_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck test client: crash-dump devices stuck mid-suspend at the panic");
