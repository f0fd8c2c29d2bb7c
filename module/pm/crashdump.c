// SPDX-License-Identifier: GPL-2.0
/*
 * Crash-dump devices: drivers name the devices the dump path needs (a
 * storage controller, a bridge, a sink for the dump-I/O stream); bugcheck
 * powers on those that asked for it at the bugcheck, parents first, and
 * records each device's runtime-PM status before and after.  A policy can also keep them resumed
 * whenever a crash kernel is loaded.  Nothing at the bugcheck waits for a
 * device.
 */

#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/kexec.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pm_runtime.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "internal.h"

#define CD_MAX_DEPTH 64		/* bound on the walk up dev->parent */
#define CD_MAX_BUSES 16
#define CD_POLICY_PERIOD (5 * HZ)

/**
 * struct bugcheck_cd - one registered crash-dump device
 * @node: in bugcheck_cd_list, ordered by @depth (parents first)
 * @dev: the device; a reference is held while registered
 * @ops: the driver's ops, or NULL
 * @cd_flags: BUGCHECK_CRASHDUMP_F_* given at registration
 * @depth: distance from the root of the device tree
 * @flags: CD_USAGE_HELD: bugcheck holds power_on's runtime-PM usage
 *	reference (an atomic bit: atomic-context power_on cannot take the mutex)
 * @policy_held: the kdump-loaded policy holds one (mutex held)
 * @rcu: frees the entry after a grace period
 */
struct bugcheck_cd {
	struct list_head node;
	struct device *dev;
	const struct bugcheck_crashdump_device_ops *ops;
	u32 cd_flags;
	unsigned int depth;
	unsigned long flags;
	bool policy_held;
	struct rcu_head rcu;
};

#define CD_USAGE_HELD 0

/*
 * bugcheck_cd_mutex serialises the writers of bugcheck_cd_list (register,
 * deregister, release, device removal, the policy worker) and the
 * process-context runtime-PM calls on registered devices.  Readers that
 * cannot sleep (power-on from atomic context, the bugcheck) walk the list
 * under RCU - at a panic the other CPUs are stopped, so the walk is
 * lock-free - and entries are freed after a grace period.
 */
static DEFINE_MUTEX(bugcheck_cd_mutex);
static LIST_HEAD(bugcheck_cd_list);
static atomic_t bugcheck_cd_count = ATOMIC_INIT(0);

/*
 * Bus notifiers catch device removal; one per bus, kept until unload.
 * cd_bus_mutex protects cd_buses.  It is never taken with bugcheck_cd_mutex
 * held: bus_register_notifier() takes the bus's notifier rwsem, which
 * device_del() holds while our notifier takes bugcheck_cd_mutex.
 */
static DEFINE_MUTEX(cd_bus_mutex);
static struct {
	const struct bus_type *bus;
	struct notifier_block nb;
} cd_buses[CD_MAX_BUSES];
static int cd_nr_buses;

enum { CD_POLICY_PANIC, CD_POLICY_KDUMP_LOADED };
static int cd_policy = CD_POLICY_PANIC;
static void cd_policy_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(cd_policy_work, cd_policy_work_fn);

static struct bugcheck_cd *cd_find(struct device *dev)
{
	struct bugcheck_cd *e;

	list_for_each_entry_rcu(e, &bugcheck_cd_list, node,
				lockdep_is_held(&bugcheck_cd_mutex))
		if (e->dev == dev)
			return e;
	return NULL;
}

static unsigned int cd_depth(struct device *dev)
{
	unsigned int depth = 0;

	while (dev->parent && depth < CD_MAX_DEPTH) {
		dev = dev->parent;
		depth++;
	}
	return depth;
}

/* Drop whatever runtime-PM references bugcheck holds; mutex held. */
static void cd_put_usage(struct bugcheck_cd *e)
{
	lockdep_assert_held(&bugcheck_cd_mutex);
	if (test_and_clear_bit(CD_USAGE_HELD, &e->flags))
		pm_runtime_put(e->dev);
	if (e->policy_held)
		pm_runtime_put(e->dev);
	e->policy_held = false;
}

static void cd_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct bugcheck_cd, rcu));
}

/* Unlink, release and free; mutex held. */
static void cd_remove(struct bugcheck_cd *e)
{
	lockdep_assert_held(&bugcheck_cd_mutex);
	list_del_rcu(&e->node);
	atomic_dec(&bugcheck_cd_count);
	cd_put_usage(e);
	put_device(e->dev);
	call_rcu(&e->rcu, cd_free_rcu);
}

static int cd_bus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;
	struct bugcheck_cd *e;

	if (action != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;
	mutex_lock(&bugcheck_cd_mutex);
	e = cd_find(dev);
	if (e) {
		dev_warn(dev, "bugcheck: crash-dump device removed while registered; dropped\n");
		cd_remove(e);
	}
	mutex_unlock(&bugcheck_cd_mutex);
	return NOTIFY_OK;
}

/* Make sure removals on @bus reach us. */
static int cd_watch_bus(const struct bus_type *bus)
{
	int i, ret = 0;

	lockdep_assert_not_held(&bugcheck_cd_mutex);
	mutex_lock(&cd_bus_mutex);
	for (i = 0; i < cd_nr_buses; i++)
		if (cd_buses[i].bus == bus)
			goto unlock;
	if (cd_nr_buses == CD_MAX_BUSES) {
		ret = -ENOSPC;
		goto unlock;
	}
	cd_buses[cd_nr_buses].bus = bus;
	cd_buses[cd_nr_buses].nb.notifier_call = cd_bus_notify;
	ret = bus_register_notifier((struct bus_type *)bus, &cd_buses[cd_nr_buses].nb);
	if (!ret)
		cd_nr_buses++;
unlock:
	mutex_unlock(&cd_bus_mutex);
	return ret;
}

/*
 * The kdump-loaded policy: hold a usage reference on the devices that asked
 * for power while a crash kernel is loaded.
 */
static void cd_policy_apply(void)
{
	bool hold = cd_policy == CD_POLICY_KDUMP_LOADED && kexec_crash_loaded();
	struct bugcheck_cd *e;

	lockdep_assert_held(&bugcheck_cd_mutex);
	list_for_each_entry(e, &bugcheck_cd_list, node) {
		if (!pm_runtime_enabled(e->dev) ||
		    !(e->cd_flags & BUGCHECK_CRASHDUMP_F_POWER_ON))
			continue;
		if (hold && !e->policy_held) {
			if (pm_runtime_resume_and_get(e->dev) == 0)
				e->policy_held = true;
		} else if (!hold && e->policy_held) {
			pm_runtime_put(e->dev);
			e->policy_held = false;
		}
	}
}

static void cd_policy_work_fn(struct work_struct *work)
{
	mutex_lock(&bugcheck_cd_mutex);
	cd_policy_apply();
	mutex_unlock(&bugcheck_cd_mutex);
	/* No notifier tells when a crash kernel is loaded or unloaded: poll. */
	if (READ_ONCE(cd_policy) == CD_POLICY_KDUMP_LOADED)
		schedule_delayed_work(&cd_policy_work, CD_POLICY_PERIOD);
}

static const char *const cd_policy_names[] = { "panic", "kdump-loaded" };

static int cd_policy_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(cd_policy_names, val);

	if (i < 0) {
		pr_err("crashdump_power=%s: must be 'panic' or 'kdump-loaded'\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(cd_policy, i);
	/* Before init the work runs on the first registration instead. */
	if (kp->mod && kp->mod->state == MODULE_STATE_LIVE)
		mod_delayed_work(system_wq, &cd_policy_work, 0);
	return 0;
}

static int cd_policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", cd_policy_names[READ_ONCE(cd_policy)]);
}

static const struct kernel_param_ops cd_policy_ops = {
	.set = cd_policy_set,
	.get = cd_policy_get,
};
module_param_cb(crashdump_power, &cd_policy_ops, NULL, 0644);
MODULE_PARM_DESC(crashdump_power,
		 "When crash-dump devices that asked for power are powered: 'panic' (at the bugcheck only, default) or 'kdump-loaded' (kept resumed while a crash kernel is loaded: safer dump, more idle power)");

/**
 * bugcheck_register_crashdump_device() - add a device to the crash-dump chain
 * @dev: a device registered with the driver core, on a bus
 * @ops: optional (NULL: no hook, flags 0); @ops->power_on powers the device
 *	when runtime PM cannot (not irq-safe at a bugcheck, or runtime PM
 *	disabled); @ops->flags %BUGCHECK_CRASHDUMP_F_POWER_ON asks for power at
 *	a bugcheck.  Must stay valid while registered.
 *
 * bugcheck holds a reference on @dev until deregistration, and drops the
 * registration by itself if the device is removed from its bus.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a NULL, unregistered, bus-less or duplicate device,
 * or unknown bits in @ops->flags; -ENODEV when the device can be powered
 * neither by runtime PM (not enabled) nor by @ops->power_on; -ENOMEM;
 * -ENOSPC when too many buses are watched.
 */
int bugcheck_register_crashdump_device(struct device *dev,
				       const struct bugcheck_crashdump_device_ops *ops)
{
	struct bugcheck_cd *e, *pos;
	int ret;

	might_sleep();
	if (!dev || !device_is_registered(dev) || !dev->bus ||
	    (ops && (ops->flags & ~BUGCHECK_CRASHDUMP_F_POWER_ON)))
		return -EINVAL;
	if (!pm_runtime_enabled(dev) && !(ops && ops->power_on))
		return -ENODEV;
	ret = cd_watch_bus(dev->bus);
	if (ret)
		return ret;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	mutex_lock(&bugcheck_cd_mutex);
	if (cd_find(dev)) {
		ret = -EINVAL;
		goto unlock;
	}
	e->dev = get_device(dev);
	e->ops = ops;
	e->cd_flags = ops ? ops->flags : 0;
	e->depth = cd_depth(dev);
	/* Keep the list in depth order: parents power on before children. */
	list_for_each_entry(pos, &bugcheck_cd_list, node)
		if (pos->depth > e->depth)
			break;
	list_add_tail_rcu(&e->node, &pos->node);
	atomic_inc(&bugcheck_cd_count);
	e = NULL;
	cd_policy_apply();
unlock:
	mutex_unlock(&bugcheck_cd_mutex);
	kfree(e);
	return ret;
}
EXPORT_SYMBOL_GPL(bugcheck_register_crashdump_device);

/**
 * bugcheck_deregister_crashdump_device() - remove a device from the chain
 * @dev: a registered device
 *
 * Drops the runtime-PM usage references bugcheck took for it and the device
 * reference.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for NULL; -ENOENT if @dev is not registered.
 */
int bugcheck_deregister_crashdump_device(struct device *dev)
{
	struct bugcheck_cd *e;
	int ret = -ENOENT;

	might_sleep();
	if (!dev)
		return -EINVAL;
	mutex_lock(&bugcheck_cd_mutex);
	e = cd_find(dev);
	if (e) {
		cd_remove(e);
		ret = 0;
	}
	mutex_unlock(&bugcheck_cd_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(bugcheck_deregister_crashdump_device);

/* Keep one usage reference for power_on, whatever the number of calls. */
static void cd_keep_usage(struct bugcheck_cd *e)
{
	if (test_and_set_bit(CD_USAGE_HELD, &e->flags))
		pm_runtime_put_noidle(e->dev);
}

/**
 * cd_in_transition() - is a runtime suspend or resume of @dev under way?
 * @dev: a device
 *
 * rpm_resume() of an irq-safe device spins while it is: at a panic the CPU
 * running the callback is stopped (or the panic came from inside it), so it
 * would spin for ever.  The PM core drops the power lock around the
 * callback, so only the status tells.
 *
 * Context: any; a lock-free read.
 * Return: true if its status is RPM_SUSPENDING or RPM_RESUMING.
 */
static bool cd_in_transition(struct device *dev)
{
	enum rpm_status s = READ_ONCE(dev->power.runtime_status);

	return s == RPM_SUSPENDING || s == RPM_RESUMING;
}

/**
 * cd_rpm_busy_at_panic() - would a runtime-PM resume of @dev wait at a panic?
 * @dev: an irq-safe device, not mid-transition
 *
 * A lock held now belongs to a CPU that is stopped (or to the code this CPU
 * interrupted) and is never released.  The resume takes the device's power
 * lock, its wait queue's lock (to wake waiters) and, for a device without
 * callbacks, the parent's power lock; with a suspend timer pending that is
 * not an autosuspend one, it cancels it (the hrtimer's base lock, and a
 * wait for a timer being moved between CPUs).
 *
 * Context: panic; lock-free reads, stable since the other CPUs are stopped.
 * Return: true if any of these is held or pending.
 */
static bool cd_rpm_busy_at_panic(struct device *dev)
{
	struct device *parent = dev->parent;

	return spin_is_locked(&dev->power.lock) ||
	       spin_is_locked(&dev->power.wait_queue.lock) ||
	       (dev->power.no_callbacks && parent && spin_is_locked(&parent->power.lock)) ||
	       (READ_ONCE(dev->power.timer_expires) && !dev->power.timer_autosuspends);
}

/**
 * cd_power_on_atomic() - power @e on without sleeping or waiting
 * @e: an entry, found under RCU
 * @context: for the hook
 * @method: set to the BUGCHECK_DEVICE_METHOD_* used
 * @panic: at a bugcheck (other CPUs stopped)
 *
 * An active device is left alone.  A device mid-transition is skipped.  An
 * irq-safe device is resumed by runtime PM with RPM_NOWAIT, which fails
 * rather than wait for a transition that began meanwhile (and at a panic,
 * only when no lock the resume takes is held; a device with a wake IRQ is
 * not resumed then, as that disables the IRQ under its descriptor's lock).
 * Otherwise the hook is called.
 *
 * Context: any, under rcu_read_lock(); never sleeps unless the hook does.
 * Return: 0; -EBUSY when skipped as mid-transition or locked; -EOPNOTSUPP
 * when no method applies; or the runtime-PM or hook error.
 */
static int cd_power_on_atomic(struct bugcheck_cd *e, void *context, u32 *method,
			      bool panic)
{
	struct device *dev = e->dev;
	int ret;

	*method = BUGCHECK_DEVICE_METHOD_ALREADY_ON;
	if (pm_runtime_enabled(dev) && READ_ONCE(dev->power.runtime_status) == RPM_ACTIVE)
		return 0;
	*method = BUGCHECK_DEVICE_METHOD_BUSY;
	if (cd_in_transition(dev))
		return -EBUSY;
	if (pm_runtime_enabled(dev) && pm_runtime_is_irq_safe(dev) &&
	    !(panic && dev->power.wakeirq)) {
		if (panic && cd_rpm_busy_at_panic(dev))
			return -EBUSY;
		*method = BUGCHECK_DEVICE_METHOD_RUNTIME_PM;
		ret = __pm_runtime_resume(dev, RPM_GET_PUT | RPM_NOWAIT);
		if (ret < 0) {
			pm_runtime_put_noidle(dev);
			if (ret != -EINPROGRESS)
				return ret;
			*method = BUGCHECK_DEVICE_METHOD_BUSY;
			return -EBUSY;
		}
		cd_keep_usage(e);
		return 0;
	}
	if (e->ops && e->ops->power_on) {
		*method = BUGCHECK_DEVICE_METHOD_HOOK;
		return e->ops->power_on(dev, context);
	}
	*method = BUGCHECK_DEVICE_METHOD_NONE;
	return -EOPNOTSUPP;
}

/**
 * bugcheck_power_on_crashdump_device() - power a registered device on now
 * @dev: a registered device
 * @context: passed to the driver's power_on hook, if it is used
 *
 * In process context: a runtime-PM resume whose usage reference bugcheck
 * keeps until deregistration or bugcheck_release_crashdump_device() (a second
 * call takes no second reference); with runtime PM disabled, the hook.  In
 * atomic context it never sleeps nor waits: an active device is left alone,
 * one mid-transition is refused, an irq-safe one is resumed by runtime PM,
 * otherwise the hook is called.  Must not race with the deregistration of
 * the same device.
 *
 * Context: any.
 * Return: 0; -EINVAL for NULL; -ENOENT if not registered; -EBUSY in atomic
 * context when a runtime suspend or resume of @dev is under way;
 * -EOPNOTSUPP when neither runtime PM nor a hook can be used in this
 * context; or the runtime-PM or hook error.
 */
int bugcheck_power_on_crashdump_device(struct device *dev, void *context)
{
	struct bugcheck_cd *e;
	u32 method;
	int ret;

	if (!dev)
		return -EINVAL;
	if (in_atomic() || irqs_disabled() || !preemptible()) {
		rcu_read_lock();
		e = cd_find(dev);
		ret = e ? cd_power_on_atomic(e, context, &method, false) : -ENOENT;
		rcu_read_unlock();
		return ret;
	}
	mutex_lock(&bugcheck_cd_mutex);
	e = cd_find(dev);
	if (!e) {
		ret = -ENOENT;
	} else if (pm_runtime_enabled(dev)) {
		ret = pm_runtime_resume_and_get(dev);
		if (!ret)
			cd_keep_usage(e);
	} else if (e->ops && e->ops->power_on) {
		ret = e->ops->power_on(dev, context);
	} else {
		ret = -EOPNOTSUPP;
	}
	mutex_unlock(&bugcheck_cd_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(bugcheck_power_on_crashdump_device);

/**
 * bugcheck_release_crashdump_device() - drop the power_on usage reference
 * @dev: a registered device
 *
 * Context: process context; may sleep.
 * Return: 0 (also when no reference was held); -EINVAL for NULL; -ENOENT if
 * not registered.
 */
int bugcheck_release_crashdump_device(struct device *dev)
{
	struct bugcheck_cd *e;
	int ret = -ENOENT;

	might_sleep();
	if (!dev)
		return -EINVAL;
	mutex_lock(&bugcheck_cd_mutex);
	e = cd_find(dev);
	if (e) {
		if (test_and_clear_bit(CD_USAGE_HELD, &e->flags))
			pm_runtime_put(dev);
		ret = 0;
	}
	mutex_unlock(&bugcheck_cd_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(bugcheck_release_crashdump_device);

static u32 cd_status(struct device *dev)
{
	switch (dev->power.runtime_status) {
	case RPM_RESUMING:
		return BUGCHECK_DEVICE_RPM_RESUMING;
	case RPM_SUSPENDED:
		return BUGCHECK_DEVICE_RPM_SUSPENDED;
	case RPM_SUSPENDING:
		return BUGCHECK_DEVICE_RPM_SUSPENDING;
	default:
		return BUGCHECK_DEVICE_RPM_ACTIVE;
	}
}

static void cd_name(char *dst, size_t size, const char *src)
{
	if (src)
		strscpy(dst, src, size);
}

/**
 * bugcheck_pm_bugcheck() - power on (or, simulating, just describe) device @index
 * @index: position in the depth-ordered list
 * @out: filled with the device's entry for the record
 * @simulate: only describe, power nothing
 *
 * Called by the collector once per device, so a device whose hook faults
 * can be skipped on re-entry.  A device registered without
 * %BUGCHECK_CRASHDUMP_F_POWER_ON is only described (method NOT_REQUESTED,
 * result 0), as is every device under @simulate (the others: method NONE,
 * result -EAGAIN).  The others are powered as cd_power_on_atomic() says,
 * which never waits.  At a panic the list is walked lock-free (the other
 * CPUs are stopped); under simulate, with interrupts off under RCU.
 *
 * Context: panic or simulate context; never sleeps.
 * Return: 0 when @index names a device, -ENOENT past the end.
 */
int bugcheck_pm_bugcheck(u32 index, struct bugcheck_record_device *out, bool simulate)
{
	u32 bound = atomic_read(&bugcheck_cd_count) + BUGCHECK_LIST_SLACK, i = 0;
	struct bugcheck_cd *e, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &bugcheck_cd_list, node) {
		if (i >= bound)
			break;
		if (i++ == index) {
			found = e;
			break;
		}
	}
	if (!found) {
		rcu_read_unlock();
		return -ENOENT;
	}
	memset(out, 0, sizeof(*out));
	cd_name(out->name, sizeof(out->name), dev_name(found->dev));
	if (found->dev->driver)
		cd_name(out->driver, sizeof(out->driver), found->dev->driver->name);
	if (found->dev->parent)
		cd_name(out->parent, sizeof(out->parent), dev_name(found->dev->parent));
	out->depth = found->depth;
	out->irq_safe = pm_runtime_is_irq_safe(found->dev);
	out->runtime_enabled = pm_runtime_enabled(found->dev);
	out->before = cd_status(found->dev);
	if (!(found->cd_flags & BUGCHECK_CRASHDUMP_F_POWER_ON)) {
		out->method = BUGCHECK_DEVICE_METHOD_NOT_REQUESTED;
		out->result = 0;
	} else if (simulate) {
		out->method = BUGCHECK_DEVICE_METHOD_NONE;
		out->result = -EAGAIN;
	} else {
		out->result = cd_power_on_atomic(found, NULL, &out->method, true);
	}
	out->after = cd_status(found->dev);
	out->usage_count = atomic_read(&found->dev->power.usage_count);
	rcu_read_unlock();
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_pm_bugcheck);

static const char *const cd_status_names[] = {
	"active", "resuming", "suspended", "suspending",
};

/* debugfs bugcheck/devices */
int bugcheck_pm_show(struct seq_file *m, void *v)
{
	struct bugcheck_cd *e;

	seq_puts(m, "device                   driver                 status      usage irq-safe hook power-on held\n");
	mutex_lock(&bugcheck_cd_mutex);
	list_for_each_entry(e, &bugcheck_cd_list, node)
		seq_printf(m, "%-24s %-22s %-11s %-5d %-8s %-4s %-8s %s\n", dev_name(e->dev),
			   e->dev->driver ? e->dev->driver->name : "-",
			   pm_runtime_enabled(e->dev) ?
			   cd_status_names[cd_status(e->dev)] : "disabled",
			   atomic_read(&e->dev->power.usage_count),
			   pm_runtime_is_irq_safe(e->dev) ? "yes" : "no",
			   e->ops && e->ops->power_on ? "yes" : "no",
			   e->cd_flags & BUGCHECK_CRASHDUMP_F_POWER_ON ? "yes" : "no",
			   test_bit(CD_USAGE_HELD, &e->flags) ?
			   (e->policy_held ? "power_on,policy" : "power_on") :
			   (e->policy_held ? "policy" : "-"));
	mutex_unlock(&bugcheck_cd_mutex);
	return 0;
}

void bugcheck_pm_exit(void)
{
	struct bugcheck_cd *e, *tmp;
	int i;

	cancel_delayed_work_sync(&cd_policy_work);
	mutex_lock(&bugcheck_cd_mutex);
	list_for_each_entry_safe(e, tmp, &bugcheck_cd_list, node)
		cd_remove(e);
	mutex_unlock(&bugcheck_cd_mutex);
	mutex_lock(&cd_bus_mutex);
	for (i = 0; i < cd_nr_buses; i++)
		bus_unregister_notifier((struct bus_type *)cd_buses[i].bus, &cd_buses[i].nb);
	cd_nr_buses = 0;
	mutex_unlock(&cd_bus_mutex);
	rcu_barrier();
}

u32 bugcheck_pm_count(void)
{
	return atomic_read(&bugcheck_cd_count);
}

void bugcheck_pm_init(void)
{
	if (READ_ONCE(cd_policy) == CD_POLICY_KDUMP_LOADED)
		schedule_delayed_work(&cd_policy_work, 0);
}
