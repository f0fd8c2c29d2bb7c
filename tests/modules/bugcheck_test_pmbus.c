// SPDX-License-Identifier: GPL-2.0
/*
 * Test client for the crashdump-device-lifetimes scenario: a bus of its own
 * (a modular bus type) with one device, registered as a crash-dump device
 * and deregistered again before the module unregisters the bus and goes.
 * bugcheck watches the bus while a device of it is registered; its notifier
 * must be off the bus before the bus and the module's memory are gone.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "bugcheck.h"

static struct bus_type pmbus_bus = {
	.name = "bugcheck-test-bus",
};

static struct device *pmbus_dev;

static int pmbus_power_on(struct device *dev, void *context)
{
	return 0;
}

static const struct bugcheck_crashdump_device_ops pmbus_ops = {
	.power_on = pmbus_power_on,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

static void pmbus_release(struct device *dev)
{
	kfree(dev);
}

static int __init pmbus_init(void)
{
	int ret;

	ret = bus_register(&pmbus_bus);
	if (ret)
		return ret;
	pmbus_dev = kzalloc(sizeof(*pmbus_dev), GFP_KERNEL);
	if (!pmbus_dev) {
		ret = -ENOMEM;
		goto unregister_bus;
	}
	pmbus_dev->bus = &pmbus_bus;
	pmbus_dev->release = pmbus_release;
	dev_set_name(pmbus_dev, "bugcheck-test-bus-dev");
	ret = device_register(pmbus_dev);
	if (ret)
		goto put_dev;
	ret = bugcheck_register_crashdump_device(pmbus_dev, &pmbus_ops);
	if (ret)
		goto unregister_dev;
	return 0;

unregister_dev:
	device_unregister(pmbus_dev);
	goto unregister_bus;
put_dev:
	put_device(pmbus_dev);
unregister_bus:
	bus_unregister(&pmbus_bus);
	return ret;
}
module_init(pmbus_init);

/* Well behaved: deregistered, then the device and the bus go. */
static void __exit pmbus_exit(void)
{
	bugcheck_deregister_crashdump_device(pmbus_dev);
	device_unregister(pmbus_dev);
	bus_unregister(&pmbus_bus);
}
module_exit(pmbus_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck test client: a crash-dump device on a bus of a module");
