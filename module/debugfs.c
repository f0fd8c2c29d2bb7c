// SPDX-License-Identifier: GPL-2.0
/*
 * Live view in debugfs (bugcheck/): the registered callbacks, a simulate
 * trigger that runs them all into a scratch record without crashing, and
 * that record, so a driver author sees what would be in the dump.
 *
 *   callbacks  one line per registration: reason, state, bytes, owner, component
 *   simulate   write "1" or four numbers (the simulated parameters)
 *   record     the last simulated record (binary, docs/record-format.md)
 *   devices    registered crash-dump devices: runtime status, usage, hook
 *   blocks     user memory blocks of every process (/dev/bugcheck)
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "internal.h"

static struct dentry *bugcheck_dir;

/* sim_mutex protects sim_area and sim_len (simulate runs and record reads). */
static DEFINE_MUTEX(sim_mutex);
static void *sim_area;
static size_t sim_len;

/* collect_mutex serialises simulated collections (simulate, KUnit). */
static DEFINE_MUTEX(collect_mutex);

/**
 * bugcheck_collect_into() - run every callback into a caller's area
 * @area: where the record goes
 * @size: its size
 * @code: the bugcheck code to report to callbacks
 * @param: its four parameters
 *
 * REMOVE_PAGES ranges are recorded, not scrubbed.  Each callback runs with
 * interrupts off under bugcheck_registry_lock, as it would at a panic; the
 * lock is free between callbacks.
 *
 * Context: process context; may sleep (serialised by a mutex).
 * Return: 0, or -EINVAL for a NULL or too small area.
 */
VISIBLE_IF_KUNIT int bugcheck_collect_into(void *area, u32 size, u32 code,
					   const unsigned long param[4])
{
	struct bugcheck_collector c = {
		.base = area,
		.size = size,
		.code = code,
		.dump_type = BUGCHECK_DUMP_TYPE_SIMULATED,
		.simulate = true,
		.message = "bugcheck simulate",
	};

	might_sleep();
	if (!area || size < BUGCHECK_RECORD_SIZE_MIN)
		return -EINVAL;
	memcpy(c.param, param, sizeof(c.param));
	mutex_lock(&collect_mutex);
	c.cpu = raw_smp_processor_id();
	c.task = current;
	WRITE_ONCE(bugcheck_sim_collector, &c);
	bugcheck_collect(&c);
	WRITE_ONCE(bugcheck_sim_collector, NULL);
	mutex_unlock(&collect_mutex);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_collect_into);

/* Run a simulate into sim_area; the caller holds sim_mutex. */
static int simulate_locked(const unsigned long param[4])
{
	const struct bugcheck_record_header *h;
	int ret;

	lockdep_assert_held(&sim_mutex);
	if (!sim_area)
		sim_area = vmalloc(bugcheck_record_size);
	ret = sim_area ? bugcheck_collect_into(sim_area, bugcheck_record_size,
					       BUGCHECK_CODE_SIMULATED, param) :
			 -ENOMEM;
	if (ret)
		return ret;
	h = sim_area;
	sim_len =
		h->nr_io_status ?
			h->io_status_offset +
				h->nr_io_status *
					sizeof(struct bugcheck_record_io_status) :
			h->used;
	pr_info("simulated bugcheck: %u callbacks, %u sections, %u bytes%s\n",
		h->nr_callbacks, h->nr_sections, h->used,
		h->flags & BUGCHECK_RECORD_F_TRUNCATED ? " (truncated)" : "");
	return 0;
}

/**
 * bugcheck_simulate() - run every registered callback without crashing
 * @param: the four parameters reported to callbacks (code BUGCHECK_CODE_SIMULATED)
 *
 * Builds a record in a scratch area (the live one is untouched), readable in
 * debugfs as bugcheck/record.  Callbacks run as at a bugcheck, with
 * interrupts off; REMOVE_PAGES ranges are recorded, not scrubbed.  A callback
 * that faults here would fault at a real bugcheck too, so it brings the
 * system down as one.
 *
 * Context: process context; may sleep (serialised by a mutex).  Not from
 * atomic context nor from a callback (see bugcheck_cannot_sleep()).
 * Return: 0; -EINVAL when @param is NULL; -EBUSY from atomic context or from
 * inside a callback; -ENOMEM when the scratch area cannot be allocated.
 */
int bugcheck_simulate(const unsigned long param[4])
{
	int ret;

	if (!param)
		return -EINVAL;
	if (bugcheck_cannot_sleep())
		return -EBUSY;
	might_sleep();
	mutex_lock(&sim_mutex);
	ret = simulate_locked(param);
	mutex_unlock(&sim_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(bugcheck_simulate);

/**
 * bugcheck_simulate_to_user() - simulate, and copy the record out
 * @param: as for bugcheck_simulate()
 * @buf: user buffer for the record
 * @size: bytes at @buf (0: only run it)
 * @len: out: bytes of the simulated record (copied: min(@len, @size))
 *
 * One lock over both, so the bytes copied are those of this simulate.
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOMEM as bugcheck_simulate(), or -EFAULT when @buf cannot be
 * written (the simulate has run).
 */
int bugcheck_simulate_to_user(const unsigned long param[4], void __user *buf,
			      u64 size, u64 *len)
{
	int ret;

	mutex_lock(&sim_mutex);
	ret = simulate_locked(param);
	if (!ret) {
		*len = sim_len;
		if (copy_to_user(buf, sim_area, min_t(u64, size, sim_len)))
			ret = -EFAULT;
	}
	mutex_unlock(&sim_mutex);
	return ret;
}

/**
 * bugcheck_simulate_stats() - what the last simulate left
 * @used: out: its header's used bytes (0: no simulate yet)
 * @len: out: bytes of the record as bugcheck/record holds it
 * @flags: out: its header's flags
 *
 * Context: process context; may sleep.
 */
void bugcheck_simulate_stats(u64 *used, u64 *len, u32 *flags)
{
	const struct bugcheck_record_header *h;

	mutex_lock(&sim_mutex);
	h = sim_area;
	*used = h && sim_len ? h->used : 0;
	*len = h ? sim_len : 0;
	*flags = h && sim_len ? h->flags : 0;
	mutex_unlock(&sim_mutex);
}

static ssize_t simulate_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	unsigned long p[4] = {};
	char buf[128];
	int n, ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	n = sscanf(buf, "%lx %lx %lx %lx", &p[0], &p[1], &p[2], &p[3]);
	if (n != 1 && n != 4)
		return -EINVAL;
	ret = bugcheck_simulate(p);
	return ret ? ret : count;
}

static const struct file_operations simulate_fops = {
	.owner = THIS_MODULE,
	.write = simulate_write,
	.llseek = noop_llseek,
};

static ssize_t record_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&sim_mutex);
	ret = sim_area ? simple_read_from_buffer(ubuf, count, ppos, sim_area,
						 sim_len) :
			 0;
	mutex_unlock(&sim_mutex);
	return ret;
}

static const struct file_operations record_fops = {
	.owner = THIS_MODULE,
	.read = record_read,
	.llseek = default_llseek,
};

static int callbacks_show(struct seq_file *m, void *v)
{
	return bugcheck_registry_show(m, v);
}
DEFINE_SHOW_ATTRIBUTE(callbacks);

static int devices_show(struct seq_file *m, void *v)
{
	return bugcheck_pm_show(m, v);
}
DEFINE_SHOW_ATTRIBUTE(devices);

static int blocks_show(struct seq_file *m, void *v)
{
	return bugcheck_ublock_show(m, v);
}
DEFINE_SHOW_ATTRIBUTE(blocks);

void bugcheck_debugfs_init(void)
{
	bugcheck_dir = debugfs_create_dir("bugcheck", NULL);
	debugfs_create_file("callbacks", 0444, bugcheck_dir, NULL,
			    &callbacks_fops);
	debugfs_create_file("simulate", 0200, bugcheck_dir, NULL,
			    &simulate_fops);
	debugfs_create_file("record", 0400, bugcheck_dir, NULL, &record_fops);
	debugfs_create_file("devices", 0444, bugcheck_dir, NULL, &devices_fops);
	/* Other users' addresses and names: root only. */
	debugfs_create_file("blocks", 0400, bugcheck_dir, NULL, &blocks_fops);
}

void bugcheck_debugfs_exit(void)
{
	debugfs_remove_recursive(bugcheck_dir);
	vfree(sim_area);
	sim_area = NULL;
}
