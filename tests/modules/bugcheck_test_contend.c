// SPDX-License-Identifier: GPL-2.0
/*
 * Contention at the panic: while one CPU panics, kthreads on another
 * register and deregister callbacks in tight loops (each registration in
 * freshly allocated memory, freed after it), a kthread powers crash-dump
 * devices on and off and registers and deregisters them, and, with sysrq
 * 'x', a holder takes bugcheck_registry_lock on the churn CPU and spins in
 * it, interrupts off, while the other CPU panics.  Four stable clients
 * contribute bytes the check recomputes.  Never load it on a machine you
 * care about.
 *
 *   seed=S       the formula's seed (as bugcheck_test_soak's)
 *   churners=N   churn threads (default 3, at most 8), on the last CPU
 *   churn / pm_cycles / pm_error / holding (read-only): what happened so far
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/sysrq.h>

#include "bugcheck.h"
#include "compat.h"
#include "internal.h"

MODULE_IMPORT_NS(BUGCHECK_INTERNAL);

#define CONTEND_STABLE 4
#define CONTEND_MAX_CHURNERS 8
#define CONTEND_CHURN_LEN 256
#define CONTEND_LEGACY_LEN 128
#define CONTEND_PMDEVS 2
#define CONTEND_PMDEV "bugcheck-contend-pmdev"
/* The holder gives up after this long if no panic came (a broken run). */
#define CONTEND_HOLD_MS 20000

static unsigned int seed = 1;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "Seed of the bytes every client contributes");
static unsigned int churners = 3;
module_param(churners, uint, 0444);
MODULE_PARM_DESC(churners, "Threads registering and deregistering in a loop");
static unsigned long churn;
module_param(churn, ulong, 0444);
MODULE_PARM_DESC(churn, "Registrations and deregistrations done so far");
static unsigned long pm_cycles;
module_param(pm_cycles, ulong, 0444);
MODULE_PARM_DESC(pm_cycles,
		 "Power on/off cycles of the crash-dump devices so far");
static int pm_error;
module_param(pm_error, int, 0444);
MODULE_PARM_DESC(pm_error,
		 "The last error of a crash-dump device registration");
static int holding = -1;
module_param(holding, int, 0444);
MODULE_PARM_DESC(holding, "CPU holding bugcheck_registry_lock, or -1");

static struct contend_stable {
	struct bugcheck_reason_callback_record rec;
	u32 idx;
} stable[CONTEND_STABLE];

struct contend_churn {
	struct bugcheck_reason_callback_record rec;
	u32 idx;
};

static struct task_struct *churn_tasks[CONTEND_MAX_CHURNERS];
static struct task_struct *pm_task, *holder_task;
static u8 legacy_bufs[CONTEND_MAX_CHURNERS][CONTEND_LEGACY_LEN];
static struct platform_device *pmdevs[CONTEND_PMDEVS];
static bool hold_requested;
static int churn_cpu;

/* bugcheck_test_soak.c's soak_byte(): the check's gen.soak_byte(). */
static u8 contend_byte(u32 client, u64 off)
{
	u32 k = seed * 131 + client * 37;
	u32 m = (seed ^ (client * 7)) * 2 + 1;

	return (u8)(k + off * m + (off >> 8) * 29 + (off >> 16) * 97);
}

/* SECONDARY: client @idx's @len bytes, under its own tag.  Panic context. */
static void contend_secondary(struct bugcheck_secondary_dump_data *d, u32 idx,
			      u32 len)
{
	u32 i;

	for (i = 0; i < sizeof(d->guid); i++)
		d->guid.b[i] = contend_byte(idx, (1ULL << 40) + i);
	if (!d->out_buffer) {
		d->out_buffer_length = len;
		return;
	}
	len = min(len, d->in_buffer_length);
	for (i = 0; i < len; i++)
		((u8 *)d->in_buffer)[i] = contend_byte(idx, i);
	d->out_buffer_length = len;
}

static void stable_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec, void *data,
		      size_t len)
{
	struct contend_stable *s =
		container_of(rec, struct contend_stable, rec);

	if (reason == BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA &&
	    len >= sizeof(struct bugcheck_secondary_dump_data))
		contend_secondary(data, s->idx, 300 + 77 * s->idx);
}

static void churn_cb(enum bugcheck_callback_reason reason,
		     struct bugcheck_reason_callback_record *rec, void *data,
		     size_t len)
{
	struct contend_churn *c = container_of(rec, struct contend_churn, rec);

	if (reason == BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA &&
	    len >= sizeof(struct bugcheck_secondary_dump_data))
		contend_secondary(data, c->idx, CONTEND_CHURN_LEN);
}

/* A legacy buffer is filled at load; its callback has nothing to add. */
static void legacy_cb(void *buf, size_t len)
{
}

#define SECONDARY BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA

/* One round: a reason callback and, while it is registered, a legacy one. */
static void churn_once(u32 k, const char *name, const char *lname)
{
	struct contend_churn *c = kzalloc(sizeof(*c), GFP_KERNEL);
	struct bugcheck_callback_record *l = kzalloc(sizeof(*l), GFP_KERNEL);
	int ret;

	if (!c || !l)
		goto free;
	c->idx = 100 + k;
	if (bugcheck_register_reason_callback(&c->rec, churn_cb, SECONDARY,
					      name))
		goto free;
	ret = bugcheck_register_callback(l, legacy_cb, legacy_bufs[k],
					 CONTEND_LEGACY_LEN, lname);
	/* Registered a little while: a panic then catches them in place. */
	udelay(5);
	if (!ret)
		bugcheck_deregister_callback(l);
	bugcheck_deregister_reason_callback(&c->rec);
free:
	kfree(l);
	kfree(c);
}

static int churn_fn(void *arg)
{
	u32 k = (unsigned long)arg;
	char name[24], lname[24];

	snprintf(name, sizeof(name), "contend-churn-%u", k);
	snprintf(lname, sizeof(lname), "contend-legacy-%u", k);
	while (!kthread_should_stop()) {
		churn_once(k, name, lname);
		WRITE_ONCE(churn, churn + 1);
		cond_resched();
	}
	return 0;
}

static int pmdev_power_on(struct device *dev, void *context)
{
	return 0;
}

static const struct bugcheck_crashdump_device_ops pmdev_ops = {
	.power_on = pmdev_power_on,
	.flags = BUGCHECK_CRASHDUMP_F_POWER_ON,
};

static int pmdev_runtime_nop(struct device *dev)
{
	return 0;
}

static const struct dev_pm_ops pmdev_pm_ops = {
	.runtime_suspend = pmdev_runtime_nop,
	.runtime_resume = pmdev_runtime_nop,
};

/* Device .0 is runtime-PM irq-safe, .1 is powered by its hook at a bugcheck. */
static int pmdev_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int ret;

	if (pdev->id == 0)
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

static struct platform_driver pmdev_driver = {
	.probe = pmdev_probe,
	.driver = {
		.name = CONTEND_PMDEV,
		.pm = &pmdev_pm_ops,
	},
};

/* One power cycle of @dev; every 4096th round it leaves the registry. */
static bool pm_once(struct device *dev, bool registered, unsigned long round)
{
	int ret;

	if (!registered) {
		ret = bugcheck_register_crashdump_device(dev, &pmdev_ops);
		if (ret)
			WRITE_ONCE(pm_error, ret);
		registered = !ret;
	}
	pm_runtime_get_sync(dev);
	if (registered && !bugcheck_power_on_crashdump_device(dev, NULL))
		bugcheck_release_crashdump_device(dev);
	pm_runtime_put_sync(dev);
	if (registered && round % 4096 == 4095) {
		ret = bugcheck_deregister_crashdump_device(dev);
		if (ret)
			WRITE_ONCE(pm_error, ret);
		registered = ret != 0;
	}
	return registered;
}

/* Power the devices on and off, and register and deregister them, in a loop. */
static int pm_fn(void *arg)
{
	bool registered[CONTEND_PMDEVS] = {};
	unsigned long i;
	int d;

	for (i = 0; !kthread_should_stop(); i++) {
		for (d = 0; d < CONTEND_PMDEVS; d++)
			registered[d] =
				pm_once(&pmdevs[d]->dev, registered[d], i + d);
		WRITE_ONCE(pm_cycles, pm_cycles + 1);
		cond_resched();
	}
	for (d = 0; d < CONTEND_PMDEVS; d++)
		if (registered[d])
			bugcheck_deregister_crashdump_device(&pmdevs[d]->dev);
	return 0;
}

/*
 * On the churn CPU: when asked, take the registry lock, interrupts off, and
 * spin inside it until the panic stops this CPU.
 */
static int holder_fn(void *arg)
{
	unsigned long flags;
	unsigned int ms;

	while (!READ_ONCE(hold_requested)) {
		if (kthread_should_stop())
			return 0;
		usleep_range(500, 1000);
	}
	raw_spin_lock_irqsave(&bugcheck_registry_lock, flags);
	WRITE_ONCE(holding, raw_smp_processor_id());
	for (ms = 0; ms < CONTEND_HOLD_MS; ms++)
		mdelay(1);
	WRITE_ONCE(holding, -1);
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
	pr_err("no panic came while the registry lock was held\n");
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

/* sysrq 'x': the holder takes the registry lock, then this CPU panics. */
static void contend_sysrq(bugcheck_sysrq_key_t key)
{
	unsigned int ms;

	WRITE_ONCE(hold_requested, true);
	for (ms = 0; ms < 5000 && READ_ONCE(holding) < 0; ms++)
		mdelay(1);
	if (READ_ONCE(holding) < 0) {
		pr_err("the holder did not take the registry lock\n");
		return;
	}
	panic("contend: CPU %d holds bugcheck_registry_lock",
	      READ_ONCE(holding));
}

static const struct sysrq_key_op contend_sysrq_op = {
	.handler = contend_sysrq,
	.help_msg = "bugcheck-test-contend(x)",
	.action_msg = "Panicking while another CPU holds the registry lock",
};

static struct task_struct *start_on(int (*fn)(void *), void *arg, int cpu,
				    const char *name, unsigned int n)
{
	struct task_struct *t = kthread_create(fn, arg, "%s/%u", name, n);

	if (IS_ERR(t))
		return t;
	kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

static void contend_stop(void)
{
	u32 i;

	if (holder_task)
		kthread_stop(holder_task);
	for (i = 0; i < CONTEND_MAX_CHURNERS; i++)
		if (churn_tasks[i])
			kthread_stop(churn_tasks[i]);
	if (pm_task)
		kthread_stop(pm_task);
	for (i = 0; i < CONTEND_PMDEVS; i++)
		if (pmdevs[i])
			platform_device_unregister(pmdevs[i]);
	for (i = 0; i < CONTEND_STABLE; i++)
		bugcheck_deregister_reason_callback(&stable[i].rec);
}

static int __init contend_init(void)
{
	int ret;
	u32 i, k;

	if (num_online_cpus() < 2 || churners > CONTEND_MAX_CHURNERS)
		return -EINVAL;
	churn_cpu = cpumask_last(cpu_online_mask);
	for (k = 0; k < CONTEND_MAX_CHURNERS; k++)
		for (i = 0; i < CONTEND_LEGACY_LEN; i++)
			legacy_bufs[k][i] = contend_byte(200 + k, i);
	for (i = 0; i < CONTEND_STABLE; i++) {
		struct contend_stable *st = &stable[i];
		char name[24];

		st->idx = i;
		snprintf(name, sizeof(name), "contend-stable-%u", i);
		ret = bugcheck_register_reason_callback(&st->rec, stable_cb,
							SECONDARY, name);
		if (ret)
			goto stop;
	}
	ret = platform_driver_register(&pmdev_driver);
	if (ret)
		goto stop;
	for (i = 0; i < CONTEND_PMDEVS; i++) {
		pmdevs[i] = platform_device_register_simple(CONTEND_PMDEV, i,
							    NULL, 0);
		if (IS_ERR(pmdevs[i])) {
			ret = PTR_ERR(pmdevs[i]);
			pmdevs[i] = NULL;
			goto unregister_driver;
		}
	}
	for (k = 0; k < churners; k++) {
		churn_tasks[k] = start_on(churn_fn, (void *)(unsigned long)k,
					  churn_cpu, "contend-churn", k);
		if (IS_ERR(churn_tasks[k])) {
			ret = PTR_ERR(churn_tasks[k]);
			churn_tasks[k] = NULL;
			goto unregister_driver;
		}
	}
	/*
	 * On the churn CPU too: when it is stopped, a device may be caught
	 * mid-transition (the bugcheck must skip it as busy, not wait).
	 * Deregistration sleeps for a grace period: rare, so the devices are
	 * registered most of the time.
	 */
	pm_task = start_on(pm_fn, NULL, churn_cpu, "contend-pm", 0);
	holder_task = start_on(holder_fn, NULL, churn_cpu, "contend-holder", 0);
	if (IS_ERR(pm_task) || IS_ERR(holder_task)) {
		ret = -ENOMEM;
		if (IS_ERR(pm_task))
			pm_task = NULL;
		if (IS_ERR(holder_task))
			holder_task = NULL;
		goto unregister_driver;
	}
	ret = register_sysrq_key('x', &contend_sysrq_op);
	if (ret)
		goto unregister_driver;
	pr_info("%u churners, power cycling and the holder on CPU %d\n",
		churners, churn_cpu);
	return 0;

unregister_driver:
	contend_stop();
	platform_driver_unregister(&pmdev_driver);
	return ret;
stop:
	contend_stop();
	return ret;
}

static void __exit contend_exit(void)
{
	unregister_sysrq_key('x', &contend_sysrq_op);
	contend_stop();
	platform_driver_unregister(&pmdev_driver);
}

module_init(contend_init);
module_exit(contend_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck test: churn and a lock holder at the panic");
