// SPDX-License-Identifier: GPL-2.0
/*
 * Test client for the nested-panics scenario: dump-I/O sinks and crash-dump
 * device power-on hooks that fault, BUG() or panic() at the bugcheck, each
 * beside a well-behaved one that must still run after them.
 *
 *   sinks=read,bug,panic   one DUMP_IO sink per entry (at most 8), failing
 *                          at its first write: "read" reads through a bad
 *                          pointer, "bug" hits BUG(), "panic" calls panic()
 *   hooks=read,bug,panic   one platform device per entry (at most 8),
 *                          registered asking for power, whose hook fails so
 *
 * The sinks are "test-nested-sink-N" and the devices "bugcheck-test-nested.N"
 * (N from 0, in the order given).  The well-behaved sink "test-nested-sink-ok"
 * is registered first, so it runs last (sinks run last-registered first);
 * the well-behaved device "bugcheck-test-nested-ok" is registered last, so it
 * is powered last (devices of one depth run in registration order).
 */

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bugcheck.h"

#define MAX_FAILERS 8
#define DEV_NAME "bugcheck-test-nested"

static char *sinks = "";
module_param(sinks, charp, 0444);
MODULE_PARM_DESC(
	sinks,
	"Comma-separated list of read, bug, panic: one failing DUMP_IO sink each");

static char *hooks = "";
module_param(hooks, charp, 0444);
MODULE_PARM_DESC(
	hooks,
	"Comma-separated list of read, bug, panic: one device with a failing power-on hook each");

static unsigned long fault_address = 0x10;
module_param(fault_address, ulong, 0444);
MODULE_PARM_DESC(fault_address, "Address the \"read\" sinks and hooks read");

enum fail_mode { FAIL_READ, FAIL_BUG, FAIL_PANIC };

static struct sink {
	struct bugcheck_reason_callback_record rec;
	enum fail_mode mode;
	char name[32];
} failing_sinks[MAX_FAILERS];
static int nr_sinks;

/* The failing devices; each one's platform data is a copy of its mode. */
static struct platform_device *failing_devs[MAX_FAILERS];
static int nr_devs;

static struct bugcheck_reason_callback_record ok_rec;
static bool ok_registered;
static struct platform_device *ok_pdev;

/* Fail the way a buggy driver would, in panic context. */
static int fail(enum fail_mode mode, const char *who)
{
	switch (mode) {
	case FAIL_READ:
		return READ_ONCE(*(int *)fault_address);
	case FAIL_BUG:
		BUG();
	case FAIL_PANIC:
		panic("test-nested: %s gives up", who);
	}
	return 0;
}

static void failing_sink(enum bugcheck_callback_reason reason,
			 struct bugcheck_reason_callback_record *rec,
			 void *reason_data, size_t reason_data_len)
{
	struct sink *s = container_of(rec, struct sink, rec);

	fail(s->mode, s->name);
}

/* Takes the stream; the record's dump-I/O status says what it got. */
static void ok_sink(enum bugcheck_callback_reason reason,
		    struct bugcheck_reason_callback_record *rec,
		    void *reason_data, size_t reason_data_len)
{
}

static int failing_hook(struct device *dev, void *context)
{
	const enum fail_mode *mode = dev_get_platdata(dev);

	return fail(*mode, dev_name(dev));
}

static int ok_hook(struct device *dev, void *context)
{
	return 0;
}

static const struct bugcheck_crashdump_device_ops failing_ops = {
	.power_on = failing_hook,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

static const struct bugcheck_crashdump_device_ops ok_ops = {
	.power_on = ok_hook,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

static int parse_mode(const char *m, enum fail_mode *mode)
{
	if (!strcmp(m, "read"))
		*mode = FAIL_READ;
	else if (!strcmp(m, "bug"))
		*mode = FAIL_BUG;
	else if (!strcmp(m, "panic"))
		*mode = FAIL_PANIC;
	else
		return -EINVAL;
	return 0;
}

static int add_sink(const char *m)
{
	struct sink *s = &failing_sinks[nr_sinks];
	int ret;

	if (nr_sinks >= MAX_FAILERS || parse_mode(m, &s->mode))
		return -EINVAL;
	snprintf(s->name, sizeof(s->name), "test-nested-sink-%d", nr_sinks);
	ret = bugcheck_register_reason_callback(
		&s->rec, failing_sink, BUGCHECK_CALLBACK_DUMP_IO, s->name);
	if (!ret)
		nr_sinks++;
	return ret;
}

/* A platform device with a copy of @data, registered with bugcheck. */
static struct platform_device *
new_device(const char *name, int id, const void *data, size_t size,
	   const struct bugcheck_crashdump_device_ops *ops)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_register_data(NULL, name, id, data, size);
	if (IS_ERR(pdev))
		return pdev;
	ret = bugcheck_register_crashdump_device(&pdev->dev, ops);
	if (ret) {
		platform_device_unregister(pdev);
		return ERR_PTR(ret);
	}
	return pdev;
}

static int add_device(const char *m)
{
	struct platform_device *pdev;
	enum fail_mode mode;

	if (nr_devs >= MAX_FAILERS || parse_mode(m, &mode))
		return -EINVAL;
	pdev = new_device(DEV_NAME, nr_devs, &mode, sizeof(mode), &failing_ops);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	failing_devs[nr_devs++] = pdev;
	return 0;
}

/* A failing sink (@as_sinks) or device per entry of the comma-separated @list. */
static int add_each(const char *list, bool as_sinks)
{
	char *copy = kstrdup(list, GFP_KERNEL), *p = copy, *m;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	while ((m = strsep(&p, ",")) && !ret) {
		if (!*m)
			continue;
		ret = as_sinks ? add_sink(m) : add_device(m);
		if (ret)
			pr_err("cannot add '%s': %d\n", m, ret);
	}
	kfree(copy);
	return ret;
}

static void remove_all(void)
{
	if (ok_pdev) {
		bugcheck_deregister_crashdump_device(&ok_pdev->dev);
		platform_device_unregister(ok_pdev);
		ok_pdev = NULL;
	}
	while (nr_devs--) {
		bugcheck_deregister_crashdump_device(
			&failing_devs[nr_devs]->dev);
		platform_device_unregister(failing_devs[nr_devs]);
	}
	while (nr_sinks--)
		bugcheck_deregister_reason_callback(
			&failing_sinks[nr_sinks].rec);
	if (ok_registered)
		bugcheck_deregister_reason_callback(&ok_rec);
	ok_registered = false;
}

static int __init test_nested_init(void)
{
	int ret;

	ret = bugcheck_register_reason_callback(&ok_rec, ok_sink,
						BUGCHECK_CALLBACK_DUMP_IO,
						"test-nested-sink-ok");
	if (ret)
		return ret;
	ok_registered = true;
	ret = add_each(sinks, true);
	if (!ret)
		ret = add_each(hooks, false);
	if (!ret) {
		ok_pdev = new_device(DEV_NAME "-ok", PLATFORM_DEVID_NONE, NULL,
				     0, &ok_ops);
		if (IS_ERR(ok_pdev)) {
			ret = PTR_ERR(ok_pdev);
			ok_pdev = NULL;
		}
	}
	if (ret)
		remove_all();
	return ret;
}

static void __exit test_nested_exit(void)
{
	remove_all();
}

module_init(test_nested_init);
module_exit(test_nested_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"bugcheck test: dump-I/O sinks and power-on hooks that fault, BUG() or panic()");
