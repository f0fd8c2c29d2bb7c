// SPDX-License-Identifier: GPL-2.0
/* Registration of reason callbacks: the lists the bugcheck walks. */

#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "internal.h"

/*
 * bugcheck_registry_lock serialises the writers of bugcheck_lists and
 * bugcheck_counts (register, deregister, module unload) and the live walks
 * (debugfs listing, simulate).  It is a raw spinlock because registration is
 * allowed from any context.  The bugcheck itself never takes it: it walks the
 * lists lock-free once the other CPUs are stopped.  Writers only use
 * list_add_rcu() and list_del_rcu(), whose ordered stores keep a forward walk
 * valid at every instant, so a writer stopped halfway cannot lead it astray:
 *
 *   cpu0: deregister(rec)             cpu1: panic()
 *     lock
 *     list_del_rcu(rec)  <- stopped by NMI
 *                                      walk: rec is either still linked or
 *                                      already skipped; rec->next is intact
 *
 * Each list is LIFO: list_add_rcu() at the head, walked from the head.
 */
DEFINE_RAW_SPINLOCK(bugcheck_registry_lock);
struct list_head bugcheck_lists[BUGCHECK_NR_REASONS];
atomic_t bugcheck_counts[BUGCHECK_NR_REASONS];

/* CPU building a bugcheck right now, or -1; its callbacks may not register. */
int bugcheck_collecting_cpu = -1;

/**
 * bugcheck_rec_checksum() - checksum of a registration's fixed fields
 * @rec: the registration
 *
 * Computed at registration and checked before the bugcheck trusts @rec, so a
 * scribbled-over record is skipped instead of called.
 *
 * Return: the checksum.
 */
u32 bugcheck_rec_checksum(const struct bugcheck_reason_callback_record *rec)
{
	unsigned long key[6] = {
		(unsigned long)rec->callback, (unsigned long)rec->component,
		(unsigned long)rec->owner, (unsigned long)rec->buffer,
		rec->length, ((unsigned long)rec->reason << 32) | rec->magic,
	};

	return jhash(key, sizeof(key), 0x62756763);
}

/**
 * bugcheck_init_callback_record() - prepare a registration record
 * @rec: caller-owned record
 *
 * Zeroes @rec.  A zeroed (static or kzalloc'ed) record needs no call.
 *
 * Context: any.
 */
void bugcheck_init_callback_record(struct bugcheck_reason_callback_record *rec)
{
	if (!rec)
		return;
	memset(rec, 0, sizeof(*rec));
	INIT_LIST_HEAD(&rec->node);
}
EXPORT_SYMBOL_GPL(bugcheck_init_callback_record);

/*
 * A record pointer from a misbehaving client (freed, wild, unmapped) must
 * get an errno, not an oops: probe it before anything is written or trusted.
 */
static bool rec_readable(const struct bugcheck_reason_callback_record *rec)
{
	struct bugcheck_reason_callback_record probe;

	return !copy_from_kernel_nofault(&probe, rec, sizeof(probe));
}

static bool registry_lock(unsigned long *flags)
{
	if (in_nmi()) {
		local_irq_save(*flags);
		if (raw_spin_trylock(&bugcheck_registry_lock))
			return true;
		local_irq_restore(*flags);
		return false;
	}
	raw_spin_lock_irqsave(&bugcheck_registry_lock, *flags);
	return true;
}

static int bugcheck_insert(struct bugcheck_reason_callback_record *rec,
			   void *fn, u32 reason, const char *component,
			   struct module *owner, void *buf, size_t len)
{
	unsigned long flags;

	if (READ_ONCE(bugcheck_collecting_cpu) == raw_smp_processor_id())
		return -EBUSY;
	if (!rec_readable(rec))
		return -EINVAL;
	if (!registry_lock(&flags))
		return -EBUSY;
	if (rec->magic == BUGCHECK_REC_MAGIC) {
		raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
		return -EINVAL;
	}
	rec->callback = fn;
	rec->component = component;
	rec->owner = owner;
	rec->reason = reason;
	rec->buffer = buf;
	rec->length = len;
	rec->state = BUGCHECK_STATE_INSERTED;
	rec->flags = 0;
	rec->bytes = 0;
	rec->context = NULL;
	rec->magic = BUGCHECK_REC_MAGIC;
	rec->checksum = bugcheck_rec_checksum(rec);
	list_add_rcu(&rec->node, &bugcheck_lists[reason]);
	atomic_inc(&bugcheck_counts[reason]);
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
	return 0;
}

/* Caller holds bugcheck_registry_lock. */
static void bugcheck_unlink(struct bugcheck_reason_callback_record *rec)
{
	lockdep_assert_held(&bugcheck_registry_lock);
	list_del_rcu(&rec->node);
	atomic_dec(&bugcheck_counts[rec->reason]);
	rec->magic = 0;
	rec->checksum = 0;
}

static int bugcheck_remove(struct bugcheck_reason_callback_record *rec,
			   bool legacy)
{
	unsigned long flags;
	int ret = 0;

	if (!rec || !rec_readable(rec))
		return -EINVAL;
	if (READ_ONCE(bugcheck_collecting_cpu) == raw_smp_processor_id())
		return -EBUSY;
	if (!registry_lock(&flags))
		return -EBUSY;
	if (rec->magic != BUGCHECK_REC_MAGIC ||
	    legacy != (rec->reason == BUGCHECK_REASON_LEGACY))
		ret = -ENOENT;
	else
		bugcheck_unlink(rec);
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
	return ret;
}

/**
 * __bugcheck_register_reason_callback() - register a reason callback
 * @rec: caller-owned record (zeroed or bugcheck_init_callback_record()'ed);
 *	must stay valid until deregistered
 * @fn: the callback
 * @reason: what it is called for
 * @component: a name for the component, shown in the record and in crash;
 *	the string must stay valid while registered (first 31 bytes are kept)
 * @owner: the calling module (the bugcheck_register_reason_callback() macro
 *	passes THIS_MODULE)
 *
 * Callbacks of one reason run last-registered first.
 *
 * Context: any, including atomic and hard IRQ; from NMI it only trylocks.
 * Return: 0; -EINVAL for a NULL or bad argument or a record already
 * registered; -EBUSY from a callback during a bugcheck, or from NMI when the
 * registry is busy.
 */
int __bugcheck_register_reason_callback(struct bugcheck_reason_callback_record *rec,
					bugcheck_reason_callback_fn fn,
					enum bugcheck_callback_reason reason,
					const char *component, struct module *owner)
{
	if (!rec || !fn || !component)
		return -EINVAL;
	if (reason < BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA ||
	    reason > BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA)
		return -EINVAL;
	return bugcheck_insert(rec, fn, reason, component, owner, NULL, 0);
}
EXPORT_SYMBOL_GPL(__bugcheck_register_reason_callback);

/**
 * bugcheck_deregister_reason_callback() - remove a reason callback
 * @rec: a record registered with bugcheck_register_reason_callback()
 *
 * On return the callback will not be called again and @rec may be freed.
 * The record keeps its last state (e.g. after a simulate).
 *
 * Context: any, as for registration.
 * Return: 0; -ENOENT if @rec is not registered; -EINVAL for NULL or an
 * unreadable pointer; -EBUSY as for registration.
 */
int bugcheck_deregister_reason_callback(struct bugcheck_reason_callback_record *rec)
{
	return bugcheck_remove(rec, false);
}
EXPORT_SYMBOL_GPL(bugcheck_deregister_reason_callback);

/**
 * __bugcheck_register_callback() - register a legacy buffer callback
 * @rec: caller-owned, zeroed record; valid until deregistered
 * @fn: called at the bugcheck with @buf and @len to fill the buffer
 * @buf: the buffer; after @fn returns, its @len bytes are copied into the
 *	record (a LEGACY section), clamped to the per-callback limit
 * @len: its size
 * @component: as for bugcheck_register_reason_callback()
 * @owner: the calling module (the macro passes THIS_MODULE)
 *
 * Legacy callbacks run after every reason callback except DUMP_IO.
 *
 * Context: any, as for bugcheck_register_reason_callback().
 * Return: 0; -EINVAL for bad arguments (NULL @buf with a length) or a record
 * already registered; -EBUSY as for bugcheck_register_reason_callback().
 */
int __bugcheck_register_callback(struct bugcheck_callback_record *rec,
				 void (*fn)(void *buf, size_t len), void *buf,
				 size_t len, const char *component,
				 struct module *owner)
{
	if (!rec || !fn || !component || (!buf && len))
		return -EINVAL;
	return bugcheck_insert(&rec->core, fn, BUGCHECK_REASON_LEGACY, component,
			       owner, buf, len);
}
EXPORT_SYMBOL_GPL(__bugcheck_register_callback);

/**
 * bugcheck_deregister_callback() - remove a legacy buffer callback
 * @rec: a record registered with bugcheck_register_callback()
 *
 * Context: any.
 * Return: 0; -ENOENT if not registered; -EINVAL for NULL; -EBUSY as above.
 */
int bugcheck_deregister_callback(struct bugcheck_callback_record *rec)
{
	return rec ? bugcheck_remove(&rec->core, true) : -EINVAL;
}
EXPORT_SYMBOL_GPL(bugcheck_deregister_callback);

/**
 * bugcheck_init_triage_dump_data_array() - set up a caller-allocated array
 * @array: memory of @size bytes, allocated before the bugcheck
 * @size: its size in bytes; room for at least one block
 *
 * A triage callback that adds its blocks at the bugcheck should call this
 * first in the callback (it allocates nothing), so blocks do not pile up
 * from a previous simulate.
 *
 * Context: any.
 * Return: 0, or -EINVAL when @array is NULL or @size too small.
 */
int bugcheck_init_triage_dump_data_array(struct bugcheck_triage_dump_data_array *array,
					 size_t size)
{
	size_t head = offsetof(struct bugcheck_triage_dump_data_array, blocks);

	if (!array || size < head + sizeof(array->blocks[0]))
		return -EINVAL;
	array->magic = BUGCHECK_TRIAGE_MAGIC;
	array->capacity = min_t(size_t, (size - head) / sizeof(array->blocks[0]),
				U16_MAX);
	array->count = 0;
	array->flags = 0;
	return 0;
}
EXPORT_SYMBOL_GPL(bugcheck_init_triage_dump_data_array);

/**
 * bugcheck_add_triage_dump_data_block() - name a block for the triage section
 * @array: an array set up by bugcheck_init_triage_dump_data_array()
 * @address: kernel address of the block (read safely at the bugcheck)
 * @size: its size in bytes
 *
 * Context: any, including a triage callback.
 * Return: 0; -EINVAL for a bad array, NULL @address or zero @size; -ENOSPC
 * when the array is full (the array is then marked truncated).
 */
int bugcheck_add_triage_dump_data_block(struct bugcheck_triage_dump_data_array *array,
					const void *address, size_t size)
{
	if (!array || array->magic != BUGCHECK_TRIAGE_MAGIC || !address || !size)
		return -EINVAL;
	if (array->count >= array->capacity) {
		array->flags |= BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED;
		return -ENOSPC;
	}
	array->blocks[array->count].address = address;
	array->blocks[array->count].size = size;
	WRITE_ONCE(array->count, array->count + 1);
	return 0;
}
EXPORT_SYMBOL_GPL(bugcheck_add_triage_dump_data_block);

/*
 * A module going away with registrations still in place would leave the
 * bugcheck calling freed code: drop them, loudly.
 */
static int bugcheck_module_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct bugcheck_reason_callback_record *rec, *tmp;
	struct module *mod = data;
	unsigned long flags;
	int i;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	raw_spin_lock_irqsave(&bugcheck_registry_lock, flags);
	for (i = 1; i < BUGCHECK_NR_REASONS; i++) {
		list_for_each_entry_safe(rec, tmp, &bugcheck_lists[i], node) {
			if (rec->owner != mod)
				continue;
			pr_warn("module %s unloaded without deregistering callback '%.31s' (reason %u); dropped, it will not be called\n",
				mod->name, rec->component, rec->reason);
			bugcheck_unlink(rec);
		}
	}
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
	return NOTIFY_OK;
}

static struct notifier_block bugcheck_module_nb = {
	.notifier_call = bugcheck_module_notify,
};

int bugcheck_registry_init(void)
{
	int i;

	for (i = 0; i < BUGCHECK_NR_REASONS; i++) {
		INIT_LIST_HEAD(&bugcheck_lists[i]);
		atomic_set(&bugcheck_counts[i], 0);
	}
	return register_module_notifier(&bugcheck_module_nb);
}

void bugcheck_registry_exit(void)
{
	unregister_module_notifier(&bugcheck_module_nb);
}
