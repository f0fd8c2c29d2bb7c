// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of reason callbacks: the slot table the bugcheck walks.
 *
 * Everything the bugcheck needs to run a callback - its function, owner,
 * component name, legacy buffer, and its place in the run order - is kept in
 * bugcheck's own memory, one struct bugcheck_slot per registration.  The
 * caller's struct bugcheck_reason_callback_record only carries a magic and
 * the slot number (so deregistration is O(1)) and a mirror of the last
 * result.  So a client that scribbles over its record, frees it while it is
 * registered, or unloads without deregistering cannot send the bugcheck into
 * freed memory or stop it walking the others: the walk never follows a
 * pointer into client memory, and the module notifier finds a module's
 * registrations by their owner without touching its (possibly freed)
 * records.
 */

#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "internal.h"

#define SLOTS_PER_CHUNK 32
#define MAX_CHUNKS (BUGCHECK_MAX_REGISTRATIONS / SLOTS_PER_CHUNK)
#define MAX_SLOTS (MAX_CHUNKS * SLOTS_PER_CHUNK)

/**
 * struct bugcheck_slot - one registration, in bugcheck's memory
 * @check: jhash of @reg, computed at registration; a slot that fails it is
 *	never run
 * @next: next slot of the same reason (LIFO order), or BUGCHECK_SLOT_NONE
 * @prev: previous slot of the same reason, or BUGCHECK_SLOT_NONE
 * @next_free: next free slot while this one is free
 * @reg: the registration's immutable description
 * @state: result of the last bugcheck or simulate (enum bugcheck_callback_state)
 * @flags: its BUGCHECK_CB_F_* flags
 * @bytes: payload bytes it added
 */
struct bugcheck_slot {
	u32 check;
	u32 next;
	u32 prev;
	u32 next_free;
	struct bugcheck_reg reg;
	u32 state;
	u32 flags;
	u32 bytes;
};

/*
 * bugcheck_registry_lock serialises the writers of the slot table (register,
 * deregister, module unload, chunk growth) and the steps of a simulate.  It
 * is a raw spinlock because registration is allowed from any context.  A
 * real bugcheck never takes it: it walks the table lock-free once the other
 * CPUs are stopped.  Writers publish in an order that keeps a forward walk
 * valid at every instant, as list_add_rcu()/list_del_rcu() do, so a writer
 * stopped halfway cannot lead the walk astray:
 *
 *   cpu0: deregister(rec)              cpu1: panic()
 *     lock
 *     prev->next = slot->next  <- stopped by NMI
 *                                       walk: the slot is either still
 *                                       linked or already skipped; its
 *                                       next is intact
 *
 * A freed slot is not reused while a simulate's cursor may reach it: the
 * cursor is moved past a slot before the slot is unlinked (see
 * bugcheck_unlink()).
 */
DEFINE_RAW_SPINLOCK(bugcheck_registry_lock);
EXPORT_SYMBOL_NS_GPL(bugcheck_registry_lock, BUGCHECK_INTERNAL);

static struct bugcheck_slot *chunks[MAX_CHUNKS];
static u32 nr_chunks;
static u32 free_head = BUGCHECK_SLOT_NONE;
static u32 heads[BUGCHECK_NR_REASONS];
static atomic_t counts[BUGCHECK_NR_REASONS];
static u64 next_seq;

/* Where each reason's simulate walk goes next (lock held); see unlink. */
static u32 sim_cursor[BUGCHECK_NR_REASONS];

/* CPU building a bugcheck right now, or -1; its callbacks may not register. */
int bugcheck_collecting_cpu = -1;

static struct bugcheck_slot *slot_at(u32 index)
{
	u32 chunk = index / SLOTS_PER_CHUNK;
	struct bugcheck_slot *c;

	if (chunk >= MAX_CHUNKS)
		return NULL;
	c = READ_ONCE(chunks[chunk]);
	return c ? &c[index % SLOTS_PER_CHUNK] : NULL;
}

static u32 reg_check(const struct bugcheck_reg *reg)
{
	return jhash(reg, sizeof(*reg), 0x62756763);
}

/* The record's private members, written without faulting. */
static bool rec_put(struct bugcheck_reason_callback_record *rec, u32 magic,
		    u32 index)
{
	pagefault_disable();
	__put_kernel_nofault(&rec->magic, &magic, u32, fault);
	__put_kernel_nofault(&rec->slot, &index, u32, fault);
	pagefault_enable();
	return true;
fault:
	pagefault_enable();
	return false;
}

/**
 * bugcheck_mirror_result() - copy a registration's result into its record
 * @reg: the registration
 * @state: enum bugcheck_callback_state
 * @flags: BUGCHECK_CB_F_*
 * @bytes: payload bytes added
 *
 * The slot keeps the result (debugfs shows it); the caller's record gets a
 * copy, written without faulting, for callers that look at their own record.
 *
 * Context: a bugcheck or a simulate step (registry lock held).
 */
void bugcheck_mirror_result(const struct bugcheck_reg *reg, u32 state,
			    u32 flags, u32 bytes)
{
	struct bugcheck_slot *s = slot_at(reg->index);
	struct bugcheck_reason_callback_record *rec = reg->rec;

	if (s && s->reg.rec == rec) {
		s->state = state;
		s->flags = flags;
		s->bytes = bytes;
	}
	pagefault_disable();
	__put_kernel_nofault(&rec->state, &state, u32, out);
	__put_kernel_nofault(&rec->flags, &flags, u32, out);
	__put_kernel_nofault(&rec->bytes, &bytes, u32, out);
out:
	pagefault_enable();
}

/*
 * A record pointer from a misbehaving client (freed, wild, unmapped) must
 * get an errno, not an oops: probe it before anything is written or trusted.
 */
static bool rec_read(const struct bugcheck_reason_callback_record *rec,
		     struct bugcheck_reason_callback_record *copy)
{
	return !copy_from_kernel_nofault(copy, rec, sizeof(*copy));
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

static void registry_unlock(unsigned long flags)
{
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
}

/* Link @chunk's slots into the free list; lock held. */
static void add_chunk(struct bugcheck_slot *chunk)
{
	u32 base = nr_chunks * SLOTS_PER_CHUNK, i;

	lockdep_assert_held(&bugcheck_registry_lock);
	for (i = SLOTS_PER_CHUNK; i-- > 0;) {
		chunk[i].next = BUGCHECK_SLOT_NONE;
		chunk[i].next_free = free_head;
		free_head = base + i;
	}
	/* Published after its slots are set up, for the lock-free walk. */
	smp_store_release(&chunks[nr_chunks], chunk);
	nr_chunks++;
}

/* The registration in @rec's slot, if @rec is registered; lock held. */
static struct bugcheck_slot *
find_slot(const struct bugcheck_reason_callback_record *rec,
	  const struct bugcheck_reason_callback_record *copy)
{
	struct bugcheck_slot *s;

	lockdep_assert_held(&bugcheck_registry_lock);
	if (copy->magic != BUGCHECK_REC_MAGIC)
		return NULL;
	s = slot_at(copy->slot);
	return s && s->reg.rec == rec ? s : NULL;
}

static int bugcheck_insert(struct bugcheck_reason_callback_record *rec,
			   const struct bugcheck_reg *tmpl)
{
	struct bugcheck_reason_callback_record copy;
	struct bugcheck_slot *chunk = NULL, *s;
	unsigned long flags;
	u32 index, reason = tmpl->reason;
	int ret = 0;

	if (bugcheck_in_callback())
		return -EBUSY;
	if (!rec_read(rec, &copy))
		return -EINVAL;
	/*
	 * Grow outside the lock.  Sleeping is allowed where the caller could
	 * sleep; elsewhere (atomic, IRQ) only a non-waiting allocation.
	 */
	if (READ_ONCE(free_head) == BUGCHECK_SLOT_NONE &&
	    READ_ONCE(nr_chunks) < MAX_CHUNKS && !in_nmi())
		chunk = kcalloc(SLOTS_PER_CHUNK, sizeof(*chunk),
				preemptible() && !rcu_preempt_depth() ?
					GFP_KERNEL :
					GFP_NOWAIT | __GFP_NOWARN);
	if (!registry_lock(&flags)) {
		kfree(chunk);
		return -EBUSY;
	}
	if (find_slot(rec, &copy)) {
		ret = -EINVAL;
		goto unlock;
	}
	if (free_head == BUGCHECK_SLOT_NONE && chunk &&
	    nr_chunks < MAX_CHUNKS) {
		add_chunk(chunk);
		chunk = NULL;
	}
	if (free_head == BUGCHECK_SLOT_NONE) {
		ret = nr_chunks < MAX_CHUNKS ? -ENOMEM : -ENOSPC;
		goto unlock;
	}
	if (!rec_put(rec, 0, BUGCHECK_SLOT_NONE)) {
		ret = -EINVAL; /* read-only memory */
		goto unlock;
	}
	index = free_head;
	s = slot_at(index);
	free_head = s->next_free;

	s->reg = *tmpl;
	s->reg.index = index;
	s->reg.rec = rec;
	s->reg.seq = ++next_seq;
	s->check = reg_check(&s->reg);
	s->state = BUGCHECK_STATE_INSERTED;
	s->flags = 0;
	s->bytes = 0;
	s->prev = BUGCHECK_SLOT_NONE;
	s->next = heads[reason];
	/* The slot is complete before a walker can reach it. */
	smp_store_release(&heads[reason], index);
	if (s->next != BUGCHECK_SLOT_NONE)
		slot_at(s->next)->prev = index;
	atomic_inc(&counts[reason]);
	rec_put(rec, BUGCHECK_REC_MAGIC, index);
	bugcheck_mirror_result(&s->reg, BUGCHECK_STATE_INSERTED, 0, 0);
unlock:
	registry_unlock(flags);
	kfree(chunk);
	return ret;
}

/* Unlink slot @s and put it on the free list; lock held. */
static void bugcheck_unlink(struct bugcheck_slot *s)
{
	u32 index = s->reg.index, reason = s->reg.reason;

	lockdep_assert_held(&bugcheck_registry_lock);
	/* A simulate about to visit this slot goes to the next one instead. */
	if (sim_cursor[reason] == index)
		sim_cursor[reason] = s->next;
	if (s->prev == BUGCHECK_SLOT_NONE)
		WRITE_ONCE(heads[reason], s->next);
	else
		WRITE_ONCE(slot_at(s->prev)->next, s->next);
	if (s->next != BUGCHECK_SLOT_NONE)
		slot_at(s->next)->prev = s->prev;
	atomic_dec(&counts[reason]);
	/*
	 * Only now, once no link leads here, is the slot made invalid.  It
	 * keeps its next index until it is reused, so a walk that stood on it
	 * still finds the way on.
	 */
	WRITE_ONCE(s->check, ~s->check);
	WRITE_ONCE(s->reg.reason, 0);
	s->reg.rec = NULL;
	s->prev = BUGCHECK_SLOT_NONE;
	s->next_free = free_head;
	free_head = index;
}

static int bugcheck_remove(struct bugcheck_reason_callback_record *rec,
			   bool legacy)
{
	struct bugcheck_reason_callback_record copy;
	struct bugcheck_slot *s;
	unsigned long flags;
	bool is_legacy;
	int ret = 0;

	if (!rec || !rec_read(rec, &copy))
		return -EINVAL;
	if (bugcheck_in_callback())
		return -EBUSY;
	if (!registry_lock(&flags))
		return -EBUSY;
	s = find_slot(rec, &copy);
	is_legacy = s && s->reg.reason == BUGCHECK_REASON_LEGACY;
	if (!s || is_legacy != legacy) {
		ret = -ENOENT;
	} else {
		bugcheck_unlink(s);
		rec_put(rec, 0, BUGCHECK_SLOT_NONE);
	}
	registry_unlock(flags);
	return ret;
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
	if (rec)
		memset(rec, 0, sizeof(*rec));
}
EXPORT_SYMBOL_GPL(bugcheck_init_callback_record);

/* A template registration; the component's first bytes are copied. */
static void reg_init(struct bugcheck_reg *reg, void *fn, u32 reason,
		     const char *component, struct module *owner, void *buf,
		     size_t len)
{
	memset(reg, 0, sizeof(*reg));
	reg->reason = reason;
	reg->callback = fn;
	reg->owner = owner;
	reg->buffer = buf;
	reg->length = len;
	if (!bugcheck_strscpy_nofault(reg->component, component,
				      sizeof(reg->component)))
		strscpy(reg->component, "?", sizeof(reg->component));
}

/**
 * bugcheck_strscpy_nofault() - copy a string that may not be readable
 * @dst: destination, always NUL-terminated
 * @src: kernel address of the string
 * @size: bytes at @dst (at least 1)
 *
 * strncpy_from_kernel_nofault() is not exported: byte by byte, then.
 *
 * Context: any.
 * Return: true when at least one byte was copied.
 */
bool bugcheck_strscpy_nofault(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i < size - 1; i++) {
		if (copy_from_kernel_nofault(&dst[i], &src[i], 1))
			break;
		if (!dst[i])
			return i > 0;
	}
	dst[i] = '\0';
	return i > 0;
}

/**
 * __bugcheck_register_reason_callback() - register a reason callback
 * @rec: caller-owned record (zeroed or bugcheck_init_callback_record()'ed);
 *	must stay valid until deregistered
 * @fn: the callback
 * @reason: what it is called for
 * @component: a name for the component, shown in the record and in crash;
 *	its first 31 bytes are copied at registration
 * @owner: the calling module (the bugcheck_register_reason_callback() macro
 *	passes THIS_MODULE)
 *
 * Callbacks of one reason run last-registered first.
 *
 * Context: any, including atomic and hard IRQ; from NMI it only trylocks.
 * Return: 0; -EINVAL for a NULL or bad argument, an unreadable or read-only
 * record, or a record already registered; -EBUSY from a callback during a
 * bugcheck, or from NMI when the registry is busy; -ENOMEM when the
 * registry must grow and cannot; -ENOSPC when BUGCHECK_MAX_REGISTRATIONS
 * registrations exist.
 */
int __bugcheck_register_reason_callback(
	struct bugcheck_reason_callback_record *rec,
	bugcheck_reason_callback_fn fn, enum bugcheck_callback_reason reason,
	const char *component, struct module *owner)
{
	struct bugcheck_reg reg;

	if (!rec || !fn || !component)
		return -EINVAL;
	if (reason < BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA ||
	    reason > BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA)
		return -EINVAL;
	reg_init(&reg, fn, reason, component, owner, NULL, 0);
	return bugcheck_insert(rec, &reg);
}
EXPORT_SYMBOL_GPL(__bugcheck_register_reason_callback);

/**
 * bugcheck_deregister_reason_callback() - remove a reason callback
 * @rec: a record registered with bugcheck_register_reason_callback()
 *
 * On return the callback will not be called again and @rec may be freed.
 * When a simulate is running the callback on another CPU, this waits for it
 * to return.
 *
 * Context: any, as for registration.
 * Return: 0; -ENOENT if @rec is not registered; -EINVAL for NULL or an
 * unreadable pointer; -EBUSY as for registration.
 */
int bugcheck_deregister_reason_callback(
	struct bugcheck_reason_callback_record *rec)
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
 * Legacy callbacks run after ADD_PAGES and before the user blocks.
 *
 * Context: any, as for bugcheck_register_reason_callback().
 * Return: as for bugcheck_register_reason_callback(); -EINVAL also for a
 * NULL @buf with a length.
 */
int __bugcheck_register_callback(struct bugcheck_callback_record *rec,
				 void (*fn)(void *buf, size_t len), void *buf,
				 size_t len, const char *component,
				 struct module *owner)
{
	struct bugcheck_reg reg;

	if (!rec || !fn || !component || (!buf && len))
		return -EINVAL;
	reg_init(&reg, fn, BUGCHECK_REASON_LEGACY, component, owner, buf, len);
	return bugcheck_insert(&rec->core, &reg);
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
int bugcheck_init_triage_dump_data_array(
	struct bugcheck_triage_dump_data_array *array, size_t size)
{
	size_t head = offsetof(struct bugcheck_triage_dump_data_array, blocks);

	if (!array || size < head + sizeof(array->blocks[0]))
		return -EINVAL;
	array->magic = BUGCHECK_TRIAGE_MAGIC;
	array->capacity = min_t(
		size_t, (size - head) / sizeof(array->blocks[0]), U16_MAX);
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
int bugcheck_add_triage_dump_data_block(
	struct bugcheck_triage_dump_data_array *array, const void *address,
	size_t size)
{
	if (!array || array->magic != BUGCHECK_TRIAGE_MAGIC || !address ||
	    !size)
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

/**
 * bugcheck_registry_count() - registrations of one reason
 * @reason: a reason, or BUGCHECK_REASON_LEGACY
 *
 * Context: any, lock-free (a bound for walks and table sizing).
 */
u32 bugcheck_registry_count(u32 reason)
{
	return reason < BUGCHECK_NR_REASONS ? atomic_read(&counts[reason]) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_registry_count);

/**
 * bugcheck_walk_start() - begin a walk over one reason's registrations
 * @w: the walk
 * @reason: a reason, or BUGCHECK_REASON_LEGACY
 * @stepwise: a simulate: take the registry lock for each step (see
 *	bugcheck_walk_next()) instead of walking lock-free
 *
 * Context: a bugcheck (lock-free: the other CPUs are stopped) or a simulate.
 */
void bugcheck_walk_start(struct bugcheck_walk *w, u32 reason, bool stepwise)
{
	memset(w, 0, sizeof(*w));
	w->reason = reason;
	w->next = BUGCHECK_SLOT_NONE;
	w->stepwise = stepwise;
	w->bound = bugcheck_registry_count(reason) + BUGCHECK_LIST_SLACK;
}

/**
 * bugcheck_walk_next() - the next registration to run, last registered first
 * @w: a walk from bugcheck_walk_start()
 * @reg: filled with a validated copy of the registration
 *
 * In a stepwise walk the registry lock is taken, with interrupts off, and
 * stays held after a return of 1 until bugcheck_walk_step_done(): the
 * caller runs the callback under it, so a deregistration on another CPU
 * waits for the callback to return instead of freeing the record under it.
 * Registrations made during the walk may be missed; those removed before
 * their turn are not run.
 *
 * Every slot is validated (bounds, reason, checksum) before it is trusted,
 * and the walk stops after more steps than there are registrations.
 *
 * Context: as bugcheck_walk_start().
 * Return: 1 with @reg filled, 0 at the end, -EUCLEAN when the table is
 * damaged (the walk cannot go on).
 */
int bugcheck_walk_next(struct bugcheck_walk *w, struct bugcheck_reg *reg)
{
	struct bugcheck_slot *s;
	u32 index;

	if (w->stepwise) {
		raw_spin_lock_irqsave(&bugcheck_registry_lock, w->irqflags);
		w->locked = true;
		index = w->started ? sim_cursor[w->reason] : heads[w->reason];
	} else {
		index = w->started ? w->next : READ_ONCE(heads[w->reason]);
	}
	w->started = true;
	if (index == BUGCHECK_SLOT_NONE)
		goto end;
	s = slot_at(index);
	if (!s || w->visited++ >= w->bound ||
	    READ_ONCE(s->reg.reason) != w->reason)
		goto corrupt;
	*reg = s->reg;
	if (reg_check(reg) != READ_ONCE(s->check) || reg->index != index ||
	    !reg->callback)
		goto corrupt;
	w->next = READ_ONCE(s->next);
	if (w->stepwise)
		sim_cursor[w->reason] = w->next;
	return 1;
corrupt:
	bugcheck_walk_step_done(w);
	return -EUCLEAN;
end:
	bugcheck_walk_step_done(w);
	return 0;
}

/**
 * bugcheck_walk_step_done() - end one step of a stepwise walk
 * @w: the walk
 *
 * Drops the registry lock taken by bugcheck_walk_next(); a no-op for a
 * lock-free walk.
 */
void bugcheck_walk_step_done(struct bugcheck_walk *w)
{
	if (w->locked) {
		w->locked = false;
		raw_spin_unlock_irqrestore(&bugcheck_registry_lock,
					   w->irqflags);
	}
}

static const char *const reason_names[BUGCHECK_NR_REASONS] = {
	[BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA] = "secondary",
	[BUGCHECK_CALLBACK_DUMP_IO] = "dump-io",
	[BUGCHECK_CALLBACK_ADD_PAGES] = "add-pages",
	[BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA] = "multipart",
	[BUGCHECK_CALLBACK_REMOVE_PAGES] = "remove-pages",
	[BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA] = "triage",
	[BUGCHECK_REASON_LEGACY] = "legacy",
};

static const char *const state_names[] = {
	"none",	      "inserted", "started", "finished",
	"incomplete", "failed",	  "skipped",
};

/**
 * bugcheck_registry_show() - debugfs bugcheck/callbacks
 * @m: the seq_file
 * @v: unused
 *
 * One line per registration: reason, state, bytes, owner, component,
 * grouped by reason number, last registered first.
 *
 * Context: process context.
 * Return: 0.
 */
int bugcheck_registry_show(struct seq_file *m, void *v)
{
	unsigned long flags;
	u32 i, index, n;

	seq_puts(
		m,
		"reason        state       bytes     module           component\n");
	raw_spin_lock_irqsave(&bugcheck_registry_lock, flags);
	for (i = 1; i < BUGCHECK_NR_REASONS; i++) {
		for (index = heads[i], n = 0;
		     index != BUGCHECK_SLOT_NONE && n < MAX_SLOTS;
		     index = slot_at(index)->next, n++) {
			const struct bugcheck_slot *s = slot_at(index);

			seq_printf(m, "%-13s %-11s %-9u %-16s %s\n",
				   reason_names[i],
				   s->state < ARRAY_SIZE(state_names) ?
					   state_names[s->state] :
					   "?",
				   s->bytes,
				   s->reg.owner ? s->reg.owner->name : "-",
				   s->reg.component);
		}
	}
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
	return 0;
}

/*
 * A module going away with registrations still in place would leave the
 * bugcheck calling freed code: drop them, loudly.  The module's exit
 * function has already run and may have freed its records, so they are not
 * touched: the slots say whose they are.
 */
VISIBLE_IF_KUNIT void bugcheck_registry_module_going(struct module *mod)
{
	unsigned long flags;
	u32 i, index, next;

	raw_spin_lock_irqsave(&bugcheck_registry_lock, flags);
	for (i = 1; i < BUGCHECK_NR_REASONS; i++) {
		for (index = heads[i]; index != BUGCHECK_SLOT_NONE;
		     index = next) {
			struct bugcheck_slot *s = slot_at(index);

			next = s->next;
			if (s->reg.owner != mod)
				continue;
			pr_warn("module %s unloaded without deregistering callback '%s' (reason %u); dropped, it will not be called\n",
				mod->name, s->reg.component, s->reg.reason);
			bugcheck_unlink(s);
		}
	}
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_registry_module_going);

static int bugcheck_module_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	bugcheck_registry_module_going(data);
	return NOTIFY_OK;
}

static struct notifier_block bugcheck_module_nb = {
	.notifier_call = bugcheck_module_notify,
};

int bugcheck_registry_init(void)
{
	struct bugcheck_slot *chunk;
	unsigned long flags;
	int i;

	BUILD_BUG_ON(BUGCHECK_MAX_REGISTRATIONS % SLOTS_PER_CHUNK);
	for (i = 0; i < BUGCHECK_NR_REASONS; i++) {
		heads[i] = BUGCHECK_SLOT_NONE;
		sim_cursor[i] = BUGCHECK_SLOT_NONE;
		atomic_set(&counts[i], 0);
	}
	/* One chunk up front, so the first registrations never allocate. */
	chunk = kcalloc(SLOTS_PER_CHUNK, sizeof(*chunk), GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	raw_spin_lock_irqsave(&bugcheck_registry_lock, flags);
	add_chunk(chunk);
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
	i = register_module_notifier(&bugcheck_module_nb);
	if (i)
		bugcheck_registry_exit();
	return i;
}

/* At unload: clients depend on bugcheck.ko, so every one is gone. */
void bugcheck_registry_exit(void)
{
	u32 i;

	unregister_module_notifier(&bugcheck_module_nb);
	for (i = 0; i < nr_chunks; i++) {
		kfree(chunks[i]);
		chunks[i] = NULL;
	}
	nr_chunks = 0;
	free_head = BUGCHECK_SLOT_NONE;
}
