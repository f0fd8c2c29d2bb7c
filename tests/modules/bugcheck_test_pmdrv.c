// SPDX-License-Identifier: GPL-2.0
/*
 * Test client for the crashdump-device-lifetimes scenario, misbehaving on
 * purpose: the platform driver "bugcheck-test-pmdrv" registers the device
 * it binds (bugcheck-test-pmdrv.0, created by bugcheck_test_pmhost) with its
 * hook and never deregisters it; the module also registers the driverless
 * bugcheck-test-pmorphan.0 with the same hook and unloads without
 * deregistering it.  After the unbinding and the unload the hook's code is
 * gone: bugcheck must have dropped both registrations and never call it.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include "bugcheck.h"

#define PMDRV_NAME "bugcheck-test-pmdrv"
#define PMDRV_ORPHAN "bugcheck-test-pmorphan.0"

static u32 pmdrv_hook_calls;

static int pmdrv_power_on(struct device *dev, void *context)
{
	pmdrv_hook_calls++;
	return 0;
}

static const struct bugcheck_crashdump_device_ops pmdrv_ops = {
	.power_on = pmdrv_power_on,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

/* Registers; there is no remove(), so nothing deregisters. */
static int pmdrv_probe(struct platform_device *pdev)
{
	return bugcheck_register_crashdump_device(&pdev->dev, &pmdrv_ops);
}

static struct platform_driver pmdrv_driver = {
	.probe = pmdrv_probe,
	.driver = {
		.name = PMDRV_NAME,
	},
};

static int __init pmdrv_init(void)
{
	struct device *orphan;
	int ret;

	orphan =
		bus_find_device_by_name(&platform_bus_type, NULL, PMDRV_ORPHAN);
	if (!orphan) {
		pr_err("%s not found: load bugcheck_test_pmhost first\n",
		       PMDRV_ORPHAN);
		return -ENODEV;
	}
	ret = bugcheck_register_crashdump_device(orphan, &pmdrv_ops);
	put_device(orphan);
	if (ret)
		return ret;
	return platform_driver_register(&pmdrv_driver);
}
module_init(pmdrv_init);

/* Unbinds its device, leaves both registrations behind. */
static void __exit pmdrv_exit(void)
{
	platform_driver_unregister(&pmdrv_driver);
}
module_exit(pmdrv_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck test client: a driver and module that never deregister their devices");
