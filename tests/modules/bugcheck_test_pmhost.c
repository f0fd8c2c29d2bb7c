// SPDX-License-Identifier: GPL-2.0
/*
 * Test client for the crashdump-device-lifetimes scenario: the platform
 * devices that outlive the drivers and modules that registered them.
 *
 *   bugcheck-test-pmdrv.0     for the driver in bugcheck_test_pmdrv, which
 *                             registers it and is unbound without
 *                             deregistering it
 *   bugcheck-test-pmorphan.0  no driver; bugcheck_test_pmdrv registers it
 *                             with its hook and unloads without deregistering
 *   bugcheck-test-pmhost.0    bound to this module's driver, irq-safe,
 *                             runtime-suspended, registered here asking for
 *                             power: bugcheck resumes it at the panic
 */

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

#include "bugcheck.h"

#define PMHOST_NAME "bugcheck-test-pmhost"

/* runtime_resume calls of bugcheck-test-pmhost.0 (read from the vmcore). */
u32 bugcheck_test_pmhost_resumes;
module_param_named(resumes, bugcheck_test_pmhost_resumes, uint, 0444);
MODULE_PARM_DESC(resumes, "runtime_resume callbacks so far");

static const char *const pmhost_names[] = {
	"bugcheck-test-pmdrv",
	"bugcheck-test-pmorphan",
	PMHOST_NAME,
};

static struct platform_device *pmhost_devs[ARRAY_SIZE(pmhost_names)];

static int pmhost_runtime_suspend(struct device *dev)
{
	return 0;
}

static int pmhost_runtime_resume(struct device *dev)
{
	bugcheck_test_pmhost_resumes++;
	return 0;
}

static const struct dev_pm_ops pmhost_pm_ops = {
	.runtime_suspend = pmhost_runtime_suspend,
	.runtime_resume = pmhost_runtime_resume,
};

static int pmhost_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int ret;

	pm_runtime_irq_safe(dev);
	pm_runtime_get_noresume(dev);
	ret = pm_runtime_set_active(dev);
	if (!ret)
		ret = devm_pm_runtime_enable(dev);
	if (ret) {
		pm_runtime_put_noidle(dev);
		return ret;
	}
	pm_runtime_put_sync(dev);
	return 0;
}

static struct platform_driver pmhost_driver = {
	.probe = pmhost_probe,
	.driver = {
		.name = PMHOST_NAME,
		.pm = &pmhost_pm_ops,
	},
};

static const struct bugcheck_crashdump_device_ops pmhost_ops = {
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

static void pmhost_destroy(void)
{
	int i;

	for (i = ARRAY_SIZE(pmhost_devs) - 1; i >= 0; i--) {
		if (pmhost_devs[i])
			platform_device_unregister(pmhost_devs[i]);
		pmhost_devs[i] = NULL;
	}
}

static int __init pmhost_init(void)
{
	struct device *host;
	int i, ret;

	ret = platform_driver_register(&pmhost_driver);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(pmhost_names); i++) {
		pmhost_devs[i] = platform_device_register_simple(
			pmhost_names[i], 0, NULL, 0);
		if (IS_ERR(pmhost_devs[i])) {
			ret = PTR_ERR(pmhost_devs[i]);
			pmhost_devs[i] = NULL;
			goto destroy;
		}
	}
	host = &pmhost_devs[ARRAY_SIZE(pmhost_devs) - 1]->dev;
	if (!host->driver || !pm_runtime_status_suspended(host)) {
		dev_err(host, "not bound and runtime-suspended\n");
		ret = -ENODEV;
		goto destroy;
	}
	ret = bugcheck_register_crashdump_device(host, &pmhost_ops);
	if (ret)
		goto destroy;
	return 0;

destroy:
	pmhost_destroy();
	platform_driver_unregister(&pmhost_driver);
	return ret;
}
module_init(pmhost_init);

static void __exit pmhost_exit(void)
{
	bugcheck_deregister_crashdump_device(
		&pmhost_devs[ARRAY_SIZE(pmhost_devs) - 1]->dev);
	pmhost_destroy();
	platform_driver_unregister(&pmhost_driver);
}
module_exit(pmhost_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck test client: devices that outlive their registrants");
