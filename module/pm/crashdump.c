// SPDX-License-Identifier: GPL-2.0
/*
 * Crash-dump devices: drivers name the devices the dump path needs (a
 * storage controller, a bridge, a sink for the dump-I/O stream).  At a
 * bugcheck, bugcheck powers on those that asked for it, parents first,
 * without ever waiting, and records every registered device's runtime-PM
 * status before and after.  A policy can also keep them resumed whenever a
 * crash kernel is loaded.
 */

#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/kexec.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pm_runtime.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "internal.h"

#define CD_MAX_DEPTH 64 /* bound on the walk up dev->parent */
#define CD_MAX_BUSES 16
#define CD_POLICY_PERIOD (5 * HZ)

/**
 * struct bugcheck_cd - one registered crash-dump device
 * @node: in cd_list (RCU), ordered by @depth (parents first)
 * @dead: on a private list between unlinking and the grace period
 * @dev: the device; bugcheck holds a reference on it until @ref drops to 0
 * @power_on: the driver's hook, or NULL; cleared when @drv starts unbinding
 * @drv: the driver bound at registration, or NULL; only ever compared
 * @flags: BUGCHECK_CRASHDUMP_F_* given at registration
 * @depth: distance from the root of the device tree
 * @state: CD_* bits; atomic, since atomic-context power-on sets them too
 * @policy_pass: the last pass of the policy worker that visited it
 * @ref: one for cd_list, one for each user that may sleep (power-on and
 *	release in process context, the policy worker); the last put drops
 *	the runtime-PM usage references bugcheck took, and the device
 */
struct bugcheck_cd {
	struct list_head node;
	struct list_head dead;
	struct device *dev;
	int (*power_on)(struct device *dev, void *context);
	const struct device_driver *drv;
	u32 flags;
	unsigned int depth;
	unsigned long state;
	unsigned int policy_pass;
	struct kref ref;
};

enum {
	CD_USAGE_HELD, /* holds power-on's runtime-PM usage reference */
	CD_POLICY_HELD, /* holds the kdump-loaded policy's one */
	CD_UNBINDING, /* @drv is being unbound: the hook is gone */
};

/*
 * Locking and lifetimes.  Readers that cannot sleep (the bugcheck, power-on
 * in atomic context, debugfs) walk cd_list under RCU; at a panic the other
 * CPUs are stopped, so the walk is lock-free.  Writers link and unlink
 * entries under cd_lock, which is never held across anything that sleeps or
 * calls out of this file: it nests under any lock (a bus's notifier rwsem,
 * a driver's lock around registration) without an order to get wrong.
 * Whoever unlinks an entry waits for a grace period before dropping the
 * list's reference, so once the call that removed a device returns, no
 * reader still uses the device or calls its hook.  Runtime-PM resumes,
 * which call into drivers and may sleep, run with no lock of bugcheck's
 * held, under a reference on the entry.
 */
static DEFINE_SPINLOCK(cd_lock);
static LIST_HEAD(cd_list);
static atomic_t cd_count = ATOMIC_INIT(0);

/**
 * struct cd_bus - a bus whose device events bugcheck follows
 * @bus: the bus, or NULL for a free slot
 * @kset: the bus's subsystem, referenced: on Linux 6.1 the notifier chain
 *	lives in it and bus_unregister_notifier() reaches it through the bus,
 *	so it must outlive bus_unregister() until the notifier is off it
 * @nb: bugcheck's notifier on @bus
 *
 * One notifier per bus that ever had a registered device, kept until
 * bugcheck unloads or until the module that defines the bus goes away
 * (cd_module_notify()), whichever comes first: a bus of a module is
 * unregistered in the module's exit, before MODULE_STATE_GOING, and the
 * module's memory is freed after it, so that is when the notifier comes
 * off.  cd_bus_mutex protects cd_buses.  A bus notifier never takes it;
 * it is taken around bus_register_notifier() and bus_unregister_notifier(),
 * which take the bus's notifier rwsem, and never with cd_lock held.
 */
struct cd_bus {
	const struct bus_type *bus;
	struct kset *kset;
	struct notifier_block nb;
};

static DEFINE_MUTEX(cd_bus_mutex);
static struct cd_bus cd_buses[CD_MAX_BUSES];

enum { CD_POLICY_PANIC, CD_POLICY_KDUMP_LOADED };
static int cd_policy = CD_POLICY_PANIC;
static unsigned int cd_policy_passes; /* the policy worker's only */
static void cd_policy_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(cd_policy_work, cd_policy_work_fn);

/**
 * cd_find() - the entry of @dev
 * @dev: a device
 *
 * Context: under rcu_read_lock() or cd_lock.
 * Return: the entry, or NULL if @dev is not registered.
 */
static struct bugcheck_cd *cd_find(struct device *dev)
{
	struct bugcheck_cd *e;

	list_for_each_entry_rcu(e, &cd_list, node, lockdep_is_held(&cd_lock))
		if (e->dev == dev)
			return e;
	return NULL;
}

/**
 * cd_depth() - distance of @dev from the root of the device tree
 * @dev: a device
 *
 * Context: any.
 * Return: the depth, at most CD_MAX_DEPTH.
 */
static unsigned int cd_depth(struct device *dev)
{
	unsigned int depth = 0;

	while (dev->parent && depth < CD_MAX_DEPTH) {
		dev = dev->parent;
		depth++;
	}
	return depth;
}

/**
 * cd_release() - drop what bugcheck holds for an entry, and free it
 * @ref: the entry's reference count, now 0
 *
 * Context: process context; the entry is unlinked and a grace period has
 * passed since.
 */
static void cd_release(struct kref *ref)
{
	struct bugcheck_cd *e = container_of(ref, struct bugcheck_cd, ref);

	if (test_bit(CD_USAGE_HELD, &e->state))
		pm_runtime_put(e->dev);
	if (test_bit(CD_POLICY_HELD, &e->state))
		pm_runtime_put(e->dev);
	put_device(e->dev);
	kfree(e);
}

/**
 * cd_put() - drop a reference on an entry
 * @e: the entry
 *
 * Context: process context; may sleep (the last put releases the device).
 */
static void cd_put(struct bugcheck_cd *e)
{
	might_sleep();
	kref_put(&e->ref, cd_release);
}

/**
 * cd_get() - the entry of @dev, referenced
 * @dev: a device
 *
 * The list's reference is only dropped a grace period after the entry was
 * unlinked, so an entry found under RCU still has it.
 *
 * Context: any; the caller must cd_put() the entry (process context).
 * Return: the entry, or NULL if @dev is not registered.
 */
static struct bugcheck_cd *cd_get(struct device *dev)
{
	struct bugcheck_cd *e;

	rcu_read_lock();
	e = cd_find(dev);
	if (e)
		kref_get(&e->ref);
	rcu_read_unlock();
	return e;
}

/**
 * cd_unlink() - take an entry off cd_list
 * @e: a linked entry
 *
 * Readers may still be using it: the caller waits for a grace period before
 * dropping the list's reference.
 *
 * Context: cd_lock held.
 */
static void cd_unlink(struct bugcheck_cd *e)
{
	lockdep_assert_held(&cd_lock);
	list_del_rcu(&e->node);
	atomic_dec(&cd_count);
}

/**
 * cd_drop() - end the registration of a device that is going away
 * @dev: the device
 * @bound_only: only if it was registered while bound to a driver
 * @why: for the warning
 *
 * Context: process context; may sleep (waits for a grace period).
 */
static void cd_drop(struct device *dev, bool bound_only, const char *why)
{
	struct bugcheck_cd *e;

	spin_lock(&cd_lock);
	e = cd_find(dev);
	if (e && bound_only && !e->drv)
		e = NULL;
	if (e)
		cd_unlink(e);
	spin_unlock(&cd_lock);
	if (!e)
		return;
	dev_warn(dev, "bugcheck: crash-dump device %s; registration dropped\n",
		 why);
	synchronize_rcu();
	cd_put(e);
}

/**
 * cd_driver_unbinding() - the driver of @dev is about to be unbound
 * @dev: the device
 *
 * If @dev was registered while bound to this driver, its hook is gone from
 * now on, and no call of it is still running when this returns: the
 * driver's remove() is free to tear down what the hook uses.
 *
 * Context: process context (the bus notifier, device lock held); may sleep.
 */
static void cd_driver_unbinding(struct device *dev)
{
	struct bugcheck_cd *e;
	bool cleared = false;

	spin_lock(&cd_lock);
	e = cd_find(dev);
	if (e && e->drv && e->drv == READ_ONCE(dev->driver)) {
		set_bit(CD_UNBINDING, &e->state);
		WRITE_ONCE(e->power_on, NULL);
		cleared = true;
	}
	spin_unlock(&cd_lock);
	if (cleared)
		synchronize_rcu();
}

/**
 * cd_bus_notify() - device events on a watched bus
 * @nb: bugcheck's notifier on the bus
 * @action: BUS_NOTIFY_*
 * @data: the device
 *
 * Context: process context, under the bus's notifier rwsem; takes only
 * cd_lock, and may sleep.
 * Return: NOTIFY_OK for the events handled, else NOTIFY_DONE.
 */
static int cd_bus_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct device *dev = data;

	switch (action) {
	case BUS_NOTIFY_UNBIND_DRIVER:
		cd_driver_unbinding(dev);
		break;
	case BUS_NOTIFY_UNBOUND_DRIVER:
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
		cd_drop(dev, true, "left registered by its unbound driver");
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		cd_drop(dev, false, "removed while registered");
		break;
	default:
		return NOTIFY_DONE;
	}
	return NOTIFY_OK;
}

/**
 * cd_watch_bus() - make sure device events on @bus reach bugcheck
 * @bus: the bus of a registered device (so it is registered now)
 *
 * Context: process context; may sleep.  Takes cd_bus_mutex, then the bus's
 * notifier rwsem.
 * Return: 0; -ENOSPC when CD_MAX_BUSES buses are watched already; -EINVAL
 * when @bus is not registered; or the error of bus_register_notifier().
 */
static int cd_watch_bus(const struct bus_type *bus)
{
	struct cd_bus *slot = NULL;
	struct kset *kset;
	int i, ret = 0;

	mutex_lock(&cd_bus_mutex);
	for (i = 0; i < CD_MAX_BUSES; i++) {
		if (cd_buses[i].bus == bus)
			goto unlock;
		if (!cd_buses[i].bus && !slot)
			slot = &cd_buses[i];
	}
	ret = -ENOSPC;
	if (!slot)
		goto unlock;
	ret = -EINVAL;
	kset = bus_get_kset((struct bus_type *)bus);
	if (!kset)
		goto unlock;
	kset_get(kset);
	slot->nb.notifier_call = cd_bus_notify;
	ret = bus_register_notifier((struct bus_type *)bus, &slot->nb);
	if (ret)
		goto put_kset;
	slot->kset = kset;
	slot->bus = bus;
	goto unlock;

put_kset:
	kset_put(kset);
unlock:
	mutex_unlock(&cd_bus_mutex);
	return ret;
}

/**
 * cd_unwatch_bus() - take bugcheck's notifier off a bus
 * @slot: a used slot of cd_buses
 *
 * The bus may have been unregistered already (its module's exit ran): the
 * subsystem reference keeps its notifier chain until this returns.
 *
 * Context: process context; cd_bus_mutex held.
 */
static void cd_unwatch_bus(struct cd_bus *slot)
{
	lockdep_assert_held(&cd_bus_mutex);
	/* Linux 6.12 finds an unregistered bus no more: -EINVAL, nothing to do. */
	bus_unregister_notifier((struct bus_type *)slot->bus, &slot->nb);
	kset_put(slot->kset);
	slot->kset = NULL;
	slot->bus = NULL;
}

/**
 * cd_module_notify() - a module is going away
 * @nb: cd_module_nb
 * @action: MODULE_STATE_*
 * @data: the module
 *
 * On MODULE_STATE_GOING (after the module's exit, before its memory is
 * freed): registrations whose hook is in the module are dropped, and
 * bugcheck's notifier comes off every bus the module defines.
 *
 * Context: process context; may sleep.
 * Return: NOTIFY_OK on MODULE_STATE_GOING, else NOTIFY_DONE.
 */
static int cd_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;
	struct bugcheck_cd *e, *tmp;
	LIST_HEAD(dead);
	int i;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	spin_lock(&cd_lock);
	list_for_each_entry_safe(e, tmp, &cd_list, node) {
		if (e->power_on &&
		    within_module((unsigned long)e->power_on, mod)) {
			cd_unlink(e);
			list_add_tail(&e->dead, &dead);
		}
	}
	spin_unlock(&cd_lock);
	if (!list_empty(&dead)) {
		synchronize_rcu();
		list_for_each_entry_safe(e, tmp, &dead, dead) {
			dev_warn(
				e->dev,
				"bugcheck: crash-dump device hook of module %s, which unloaded without deregistering it; registration dropped\n",
				mod->name);
			cd_put(e);
		}
	}

	mutex_lock(&cd_bus_mutex);
	for (i = 0; i < CD_MAX_BUSES; i++)
		if (cd_buses[i].bus &&
		    within_module((unsigned long)cd_buses[i].bus, mod))
			cd_unwatch_bus(&cd_buses[i]);
	mutex_unlock(&cd_bus_mutex);
	return NOTIFY_OK;
}

static struct notifier_block cd_module_nb = {
	.notifier_call = cd_module_notify,
};

/**
 * cd_policy_wants() - does the kdump-loaded policy have something to do on @e?
 * @e: an entry
 * @hold: whether the policy holds devices now
 *
 * Context: any.
 * Return: true if @e should take or drop the policy's usage reference.
 */
static bool cd_policy_wants(struct bugcheck_cd *e, bool hold)
{
	bool held = test_bit(CD_POLICY_HELD, &e->state);

	if (!hold)
		return held;
	return !held && (e->flags & BUGCHECK_CRASHDUMP_F_POWER_ON) &&
	       pm_runtime_enabled(e->dev);
}

/**
 * cd_policy_set() - take or drop the policy's usage reference on @e
 * @e: a referenced entry
 * @hold: take (resuming the device) or drop it
 *
 * Context: process context, no lock held; may sleep (runtime-PM resume).
 */
static void cd_policy_set(struct bugcheck_cd *e, bool hold)
{
	if (!hold) {
		if (test_and_clear_bit(CD_POLICY_HELD, &e->state))
			pm_runtime_put(e->dev);
		return;
	}
	if (pm_runtime_resume_and_get(e->dev))
		return;
	/* Registration and the worker may race to it: keep one. */
	if (test_and_set_bit(CD_POLICY_HELD, &e->state))
		pm_runtime_put(e->dev);
}

/**
 * cd_policy_apply() - bring every entry in line with the kdump-loaded policy
 *
 * Each pass visits every entry at most once; the walk starts over after
 * each resume, which sleeps outside RCU.
 *
 * Context: the policy worker only (which never runs twice at once).
 */
static void cd_policy_apply(void)
{
	bool hold = READ_ONCE(cd_policy) == CD_POLICY_KDUMP_LOADED &&
		    kexec_crash_loaded();
	unsigned int pass = ++cd_policy_passes;
	struct bugcheck_cd *e, *found;

	do {
		found = NULL;
		rcu_read_lock();
		list_for_each_entry_rcu(e, &cd_list, node) {
			if (READ_ONCE(e->policy_pass) != pass &&
			    cd_policy_wants(e, hold)) {
				kref_get(&e->ref);
				found = e;
				break;
			}
		}
		rcu_read_unlock();
		if (found) {
			WRITE_ONCE(found->policy_pass, pass);
			cd_policy_set(found, hold);
			cd_put(found);
		}
	} while (found);
}

static void cd_policy_work_fn(struct work_struct *work)
{
	cd_policy_apply();
	/* No notifier tells when a crash kernel is loaded or unloaded: poll. */
	if (READ_ONCE(cd_policy) == CD_POLICY_KDUMP_LOADED)
		schedule_delayed_work(&cd_policy_work, CD_POLICY_PERIOD);
}

static const char *const cd_policy_names[] = { "panic", "kdump-loaded" };

static int cd_policy_param_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(cd_policy_names, val);

	if (i < 0) {
		pr_err("crashdump_power=%s: must be 'panic' or 'kdump-loaded'\n",
		       val);
		return -EINVAL;
	}
	WRITE_ONCE(cd_policy, i);
	/* Before init the work runs from bugcheck_pm_init() instead. */
	if (kp->mod && kp->mod->state == MODULE_STATE_LIVE)
		mod_delayed_work(system_wq, &cd_policy_work, 0);
	return 0;
}

static int cd_policy_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", cd_policy_names[READ_ONCE(cd_policy)]);
}

static const struct kernel_param_ops cd_policy_ops = {
	.set = cd_policy_param_set,
	.get = cd_policy_param_get,
};
module_param_cb(crashdump_power, &cd_policy_ops, NULL, 0644);
MODULE_PARM_DESC(
	crashdump_power,
	"When crash-dump devices that asked for power are powered: 'panic' (at the bugcheck only, default) or 'kdump-loaded' (kept resumed while a crash kernel is loaded: safer dump, more idle power)");

/**
 * bugcheck_register_crashdump_device() - add a device to the crash-dump chain
 * @dev: a device registered with the driver core, on a bus
 * @ops: optional (NULL: no hook, flags 0); read during the call only.
 *	@ops->power_on powers the device when runtime PM cannot (not irq-safe
 *	at a bugcheck, or runtime PM disabled); @ops->flags
 *	%BUGCHECK_CRASHDUMP_F_POWER_ON asks for power at a bugcheck.
 *
 * bugcheck holds a reference on @dev until the registration ends: by
 * bugcheck_deregister_crashdump_device(), when @dev is removed from its
 * bus, when the driver @dev is bound to now is unbound from it (the hook is
 * never called once that unbinding started), or when the module holding
 * @ops->power_on unloads.
 *
 * Context: process context; may sleep.  May resume @dev (crashdump_power=
 * kdump-loaded), with no lock of bugcheck's held.  Not from a notifier of
 * @dev's bus: the first registration on a bus puts bugcheck's notifier on it.
 * Return: 0; -EBUSY from atomic context or from inside a callback (see
 * bugcheck_cannot_sleep()); -EINVAL for a NULL, unregistered, bus-less or
 * already registered device (or one whose bus is not registered), or unknown
 * bits in @ops->flags; -ENODEV when the device can be powered neither by
 * runtime PM (not enabled) nor by @ops->power_on; -ENOMEM; -ENOSPC when
 * bugcheck watches 16 buses already (each bus a registered device was ever
 * on, until bugcheck unloads or the module defining the bus goes).
 */
int bugcheck_register_crashdump_device(
	struct device *dev, const struct bugcheck_crashdump_device_ops *ops)
{
	typeof(ops->power_on) hook = ops ? ops->power_on : NULL;
	u32 flags = ops ? ops->flags : 0;
	struct bugcheck_cd *e, *pos;
	int ret;

	if (!dev)
		return -EINVAL;
	if (bugcheck_cannot_sleep())
		return -EBUSY;
	might_sleep();
	if (!device_is_registered(dev) || !dev->bus ||
	    (flags & ~BUGCHECK_CRASHDUMP_F_POWER_ON))
		return -EINVAL;
	if (!pm_runtime_enabled(dev) && !hook)
		return -ENODEV;
	ret = cd_watch_bus(dev->bus);
	if (ret)
		return ret;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	kref_init(&e->ref);
	e->dev = dev;
	e->power_on = hook;
	e->drv = READ_ONCE(dev->driver);
	e->flags = flags;
	e->depth = cd_depth(dev);

	spin_lock(&cd_lock);
	if (cd_find(dev)) {
		spin_unlock(&cd_lock);
		kfree(e);
		return -EINVAL;
	}
	get_device(dev);
	/* Keep the list in depth order: parents power on before children. */
	list_for_each_entry(pos, &cd_list, node)
		if (pos->depth > e->depth)
			break;
	list_add_tail_rcu(&e->node, &pos->node);
	atomic_inc(&cd_count);
	kref_get(&e->ref);
	spin_unlock(&cd_lock);

	if (READ_ONCE(cd_policy) == CD_POLICY_KDUMP_LOADED &&
	    kexec_crash_loaded() && cd_policy_wants(e, true))
		cd_policy_set(e, true);
	cd_put(e);
	return 0;
}
EXPORT_SYMBOL_GPL(bugcheck_register_crashdump_device);

/**
 * bugcheck_deregister_crashdump_device() - remove a device from the chain
 * @dev: a registered device
 *
 * When this returns, no power-on of @dev that bugcheck started is still
 * calling the hook, and none will; the runtime-PM usage references
 * bugcheck took and its device reference are dropped (by a power-on racing
 * with this, contrary to its rules, when that returns).
 *
 * Context: process context; may sleep (waits for an RCU grace period).
 * Return: 0; -EINVAL for NULL; -EBUSY from atomic context or from inside a
 * callback; -ENOENT if @dev is not registered.
 */
int bugcheck_deregister_crashdump_device(struct device *dev)
{
	struct bugcheck_cd *e;

	if (!dev)
		return -EINVAL;
	if (bugcheck_cannot_sleep())
		return -EBUSY;
	might_sleep();
	spin_lock(&cd_lock);
	e = cd_find(dev);
	if (e)
		cd_unlink(e);
	spin_unlock(&cd_lock);
	if (!e)
		return -ENOENT;
	synchronize_rcu();
	cd_put(e);
	return 0;
}
EXPORT_SYMBOL_GPL(bugcheck_deregister_crashdump_device);

/**
 * cd_keep_usage() - keep one runtime-PM usage reference for power-on
 * @e: an entry whose device power-on just took a usage reference
 *
 * Context: any.
 */
static void cd_keep_usage(struct bugcheck_cd *e)
{
	if (test_and_set_bit(CD_USAGE_HELD, &e->state))
		pm_runtime_put_noidle(e->dev);
}

/**
 * cd_call_hook() - power @e on with the driver's hook
 * @e: an entry
 * @context: for the hook
 * @method: set to the BUGCHECK_DEVICE_METHOD_* used
 *
 * Context: any, under rcu_read_lock() (which the unbinding notifier waits
 * for); never sleeps unless the hook does.
 * Return: the hook's result; -ENODEV when the hook is gone because its
 * driver is being unbound; -EOPNOTSUPP when there is none.
 */
static int cd_call_hook(struct bugcheck_cd *e, void *context, u32 *method)
{
	typeof(e->power_on) hook = READ_ONCE(e->power_on);

	if (hook) {
		*method = BUGCHECK_DEVICE_METHOD_HOOK;
		return hook(e->dev, context);
	}
	*method = BUGCHECK_DEVICE_METHOD_NONE;
	return test_bit(CD_UNBINDING, &e->state) ? -ENODEV : -EOPNOTSUPP;
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
 * @dev: an irq-safe device, not mid-transition, its power lock free
 *
 * A lock held now belongs to a CPU that is stopped (or to the code this CPU
 * interrupted) and is never released.  Besides the device's power lock the
 * resume takes its wait queue's lock (to wake waiters) and, for a device
 * without callbacks, the parent's power lock; with a suspend timer pending
 * that is not an autosuspend one, it cancels it (the hrtimer's base lock,
 * and a wait for a timer being moved between CPUs).
 *
 * Context: panic; lock-free reads, stable since the other CPUs are stopped.
 * Return: true if any of these is held or pending.
 */
static bool cd_rpm_busy_at_panic(struct device *dev)
{
	struct device *parent = dev->parent;

	return spin_is_locked(&dev->power.wait_queue.lock) ||
	       (dev->power.no_callbacks && parent &&
		spin_is_locked(&parent->power.lock)) ||
	       (READ_ONCE(dev->power.timer_expires) &&
		!dev->power.timer_autosuspends);
}

/**
 * cd_power_on_atomic() - power @e on without sleeping or waiting
 * @e: an entry, found under RCU
 * @context: for the hook
 * @method: set to the BUGCHECK_DEVICE_METHOD_* used
 * @panic: at a bugcheck (other CPUs stopped)
 *
 * An active device is left alone.  A device mid-transition, or whose driver
 * is being unbound, is skipped, and so at a panic is one whose power lock is
 * held: a stopped CPU was changing its runtime-PM state, so neither runtime
 * PM nor the hook touches it.  An irq-safe device is resumed by runtime
 * PM with RPM_NOWAIT, which fails rather than wait for a transition that
 * began meanwhile (and at a panic, only when no lock the resume takes is
 * held; a device with a wake IRQ is not resumed then, as that disables the
 * IRQ under its descriptor's lock).  Otherwise the hook is called.
 *
 * Context: any, under rcu_read_lock(); never sleeps unless the hook does.
 * Return: 0; -EBUSY when skipped as mid-transition or locked; -ENODEV when
 * its driver is being unbound; -EOPNOTSUPP when no method applies; or the
 * runtime-PM or hook error.
 */
static int cd_power_on_atomic(struct bugcheck_cd *e, void *context, u32 *method,
			      bool panic)
{
	struct device *dev = e->dev;
	int ret;

	*method = BUGCHECK_DEVICE_METHOD_ALREADY_ON;
	if (pm_runtime_enabled(dev) &&
	    READ_ONCE(dev->power.runtime_status) == RPM_ACTIVE)
		return 0;
	*method = BUGCHECK_DEVICE_METHOD_BUSY;
	if (cd_in_transition(dev) ||
	    (panic && spin_is_locked(&dev->power.lock)))
		return -EBUSY;
	if (test_bit(CD_UNBINDING, &e->state))
		return -ENODEV;
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
	return cd_call_hook(e, context, method);
}

/**
 * bugcheck_power_on_crashdump_device() - power a registered device on now
 * @dev: a registered device
 * @context: passed to the driver's power_on hook, if it is used
 *
 * In process context: a runtime-PM resume (which may wait for a transition
 * under way) whose usage reference bugcheck keeps until deregistration or
 * bugcheck_release_crashdump_device() (a second call takes no second
 * reference); with runtime PM disabled, the hook.  In atomic context it
 * never sleeps nor waits: an active device is left alone, one
 * mid-transition or whose driver (the one bound at registration) is being
 * unbound is refused, an irq-safe one is resumed by runtime PM, otherwise
 * the hook is called.  During a panic or an oops (oops_in_progress, as from
 * a DUMP_IO sink), a device whose runtime-PM lock is held is refused too,
 * since the CPU holding it may be stopped.  The flags given at registration do not matter here.
 * Must not race with the deregistration of the same device.
 *
 * Context: any; atomic context is what bugcheck_cannot_sleep() says (an RCU
 * read-side section and a callback included).  No lock of bugcheck's is held
 * while runtime PM or the hook runs.
 * Return: 0; -EINVAL for NULL; -ENOENT if not registered; -EBUSY in atomic
 * context when a runtime suspend or resume of @dev is under way (or, during
 * a panic or oops, when its runtime-PM lock is held); -ENODEV
 * when the driver bound at registration is being unbound (in atomic
 * context, or with runtime PM disabled); -EOPNOTSUPP when neither runtime
 * PM nor a hook can be used in this context; or the runtime-PM or hook
 * error.
 */
int bugcheck_power_on_crashdump_device(struct device *dev, void *context)
{
	struct bugcheck_cd *e;
	u32 method;
	int ret;

	if (!dev)
		return -EINVAL;
	/*
	 * An RCU read side too: the process-context path may sleep.  A DUMP_IO
	 * sink may call this at a panic, when a CPU stopped inside the driver
	 * can hold the power lock: panic() and die() raise oops_in_progress,
	 * and then the panic-time checks apply, which never wait for it.
	 */
	if (bugcheck_cannot_sleep()) {
		rcu_read_lock();
		e = cd_find(dev);
		ret = e ? cd_power_on_atomic(e, context, &method,
					     READ_ONCE(oops_in_progress)) :
			  -ENOENT;
		rcu_read_unlock();
		return ret;
	}
	e = cd_get(dev);
	if (!e)
		return -ENOENT;
	if (pm_runtime_enabled(dev)) {
		ret = pm_runtime_resume_and_get(dev);
		if (!ret)
			cd_keep_usage(e);
	} else {
		rcu_read_lock();
		ret = cd_call_hook(e, context, &method);
		rcu_read_unlock();
	}
	cd_put(e);
	return ret;
}
EXPORT_SYMBOL_GPL(bugcheck_power_on_crashdump_device);

/**
 * bugcheck_release_crashdump_device() - drop the power_on usage reference
 * @dev: a registered device
 *
 * Context: process context; may sleep.
 * Return: 0 (also when no reference was held); -EINVAL for NULL; -EBUSY from
 * atomic context or from inside a callback; -ENOENT if not registered.
 */
int bugcheck_release_crashdump_device(struct device *dev)
{
	struct bugcheck_cd *e;

	if (!dev)
		return -EINVAL;
	if (bugcheck_cannot_sleep())
		return -EBUSY;
	might_sleep();
	e = cd_get(dev);
	if (!e)
		return -ENOENT;
	if (test_and_clear_bit(CD_USAGE_HELD, &e->state))
		pm_runtime_put(dev);
	cd_put(e);
	return 0;
}
EXPORT_SYMBOL_GPL(bugcheck_release_crashdump_device);

static u32 cd_status(struct device *dev)
{
	switch (READ_ONCE(dev->power.runtime_status)) {
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
 * bugcheck_pm_bugcheck() - handle device @index at a bugcheck, or describe it
 * @index: position in the depth-ordered list
 * @out: filled with the device's entry for the record
 * @simulate: only describe, power nothing
 *
 * Called by the collector once per device, so a device whose hook faults
 * can be skipped on re-entry.  A device registered without
 * %BUGCHECK_CRASHDUMP_F_POWER_ON is only described (method NOT_REQUESTED,
 * result 0), as is every device under @simulate (the others: method NONE,
 * result -EAGAIN).  The others are powered as cd_power_on_atomic() says,
 * which never waits; everything but the result is filled in before, so a
 * power-on that faults leaves the method tried and the status before (as
 * after) for the collector to record.  At a panic the list is walked
 * lock-free (the other CPUs are stopped); under simulate, with interrupts
 * off under RCU.
 *
 * Context: panic or simulate context; never sleeps.
 * Return: 0 when @index names a device, -ENOENT past the end.
 */
int bugcheck_pm_bugcheck(u32 index, struct bugcheck_record_device *out,
			 bool simulate)
{
	u32 bound = atomic_read(&cd_count) + BUGCHECK_LIST_SLACK, i = 0;
	struct bugcheck_cd *e, *found = NULL;
	const struct device_driver *drv;
	struct device *dev;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &cd_list, node) {
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
	dev = found->dev;
	memset(out, 0, sizeof(*out));
	cd_name(out->name, sizeof(out->name), dev_name(dev));
	drv = READ_ONCE(dev->driver);
	if (drv)
		cd_name(out->driver, sizeof(out->driver), drv->name);
	if (dev->parent)
		cd_name(out->parent, sizeof(out->parent),
			dev_name(dev->parent));
	out->depth = found->depth;
	out->irq_safe = pm_runtime_is_irq_safe(dev);
	out->runtime_enabled = pm_runtime_enabled(dev);
	out->before = cd_status(dev);
	if (!(found->flags & BUGCHECK_CRASHDUMP_F_POWER_ON)) {
		out->method = BUGCHECK_DEVICE_METHOD_NOT_REQUESTED;
		out->result = 0;
	} else if (simulate) {
		out->method = BUGCHECK_DEVICE_METHOD_NONE;
		out->result = -EAGAIN;
	} else {
		/* If the power-on faults, the collector keeps what is filled in. */
		out->after = out->before;
		out->usage_count = atomic_read(&dev->power.usage_count);
		out->result =
			cd_power_on_atomic(found, NULL, &out->method, true);
	}
	out->after = cd_status(dev);
	out->usage_count = atomic_read(&dev->power.usage_count);
	rcu_read_unlock();
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_pm_bugcheck);

static const char *const cd_status_names[] = {
	"active",
	"resuming",
	"suspended",
	"suspending",
};

/**
 * bugcheck_pm_show() - debugfs bugcheck/devices
 * @m: the seq_file
 * @v: unused
 *
 * Context: process context; walks the list under RCU.
 * Return: 0.
 */
int bugcheck_pm_show(struct seq_file *m, void *v)
{
	const struct device_driver *drv;
	struct bugcheck_cd *e;

	seq_puts(
		m,
		"device                   driver                 status      usage irq-safe hook power-on held\n");
	rcu_read_lock();
	list_for_each_entry_rcu(e, &cd_list, node) {
		bool usage = test_bit(CD_USAGE_HELD, &e->state);
		bool policy = test_bit(CD_POLICY_HELD, &e->state);

		drv = READ_ONCE(e->dev->driver);
		seq_printf(m, "%-24s %-22s %-11s %-5d %-8s %-4s %-8s %s\n",
			   dev_name(e->dev), drv ? drv->name : "-",
			   pm_runtime_enabled(e->dev) ?
				   cd_status_names[cd_status(e->dev)] :
				   "disabled",
			   atomic_read(&e->dev->power.usage_count),
			   pm_runtime_is_irq_safe(e->dev) ? "yes" : "no",
			   READ_ONCE(e->power_on)	     ? "yes" :
			   test_bit(CD_UNBINDING, &e->state) ? "gone" :
							       "no",
			   e->flags & BUGCHECK_CRASHDUMP_F_POWER_ON ? "yes" :
								      "no",
			   usage ? (policy ? "power_on,policy" : "power_on") :
				   (policy ? "policy" : "-"));
	}
	rcu_read_unlock();
	return 0;
}

/**
 * bugcheck_pm_exit() - drop every registration and bus notifier
 *
 * Context: process context (module exit, or init unwinding); may sleep.
 */
void bugcheck_pm_exit(void)
{
	struct bugcheck_cd *e, *tmp;
	LIST_HEAD(dead);
	int i;

	cancel_delayed_work_sync(&cd_policy_work);
	spin_lock(&cd_lock);
	list_for_each_entry_safe(e, tmp, &cd_list, node) {
		cd_unlink(e);
		list_add_tail(&e->dead, &dead);
	}
	spin_unlock(&cd_lock);
	synchronize_rcu();
	list_for_each_entry_safe(e, tmp, &dead, dead)
		cd_put(e);
	/* Buses first: a module going meanwhile blocks on cd_bus_mutex until then. */
	mutex_lock(&cd_bus_mutex);
	for (i = 0; i < CD_MAX_BUSES; i++)
		if (cd_buses[i].bus)
			cd_unwatch_bus(&cd_buses[i]);
	mutex_unlock(&cd_bus_mutex);
	unregister_module_notifier(&cd_module_nb);
}

/**
 * bugcheck_pm_count() - registered crash-dump devices
 *
 * Context: any.
 * Return: the number of registered devices.
 */
u32 bugcheck_pm_count(void)
{
	return atomic_read(&cd_count);
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_pm_count);

/**
 * bugcheck_pm_init() - start following module unloads (and the policy)
 *
 * Context: process context (module init).
 * Return: 0, or the error of register_module_notifier().
 */
int bugcheck_pm_init(void)
{
	int ret = register_module_notifier(&cd_module_nb);

	if (ret)
		return ret;
	if (READ_ONCE(cd_policy) == CD_POLICY_KDUMP_LOADED)
		schedule_delayed_work(&cd_policy_work, 0);
	return 0;
}
