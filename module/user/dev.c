// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/bugcheck: the misc device through which a process registers blocks
 * of its own memory (blocks.c).  This file only moves ioctl arguments
 * across the user boundary; uapi/bugcheck_dev.h documents them.
 *
 * The node is mode 0666: a registration can only name memory of the calling
 * process (current->mm, whoever opened the fd), is charged to that process's
 * RLIMIT_MEMLOCK and counted against per-process and global caps, so letting
 * every user register hurts no one else.  An fd holds no state: it may be
 * passed to another process, which then registers its own memory.  Only
 * LIST_PROCESS looks at another process, and only with a ptrace grant
 * (may_list()).
 * SIMULATE runs every callback of the kernel and so needs CAP_SYS_ADMIN;
 * STATUS only counts.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "uapi/bugcheck_dev.h"

/*
 * Copy an extensible input structure: @usize (from the ioctl number) is at
 * least @ver0 and at most a page; bytes past what the kernel knows must be
 * zero.
 */
static int copy_in(void *dst, size_t ksize, size_t ver0, const void __user *src,
		   size_t usize)
{
	int ret;

	if (usize < ver0 || usize > PAGE_SIZE)
		return -EINVAL;
	ret = copy_struct_from_user(dst, ksize, src, usize);
	return ret == -E2BIG ? -EINVAL : ret;
}

/* Copy an output structure: cut to @usize, or zero-filled past @ksize. */
static int copy_out(void __user *dst, size_t usize, const void *src,
		    size_t ksize)
{
	if (copy_to_user(dst, src, min(usize, ksize)))
		return -EFAULT;
	if (usize > ksize && clear_user(dst + ksize, usize - ksize))
		return -EFAULT;
	return 0;
}

static long ioctl_info(void __user *arg, size_t usize)
{
	struct bugcheck_dev_info info;

	if (usize < BUGCHECK_DEV_INFO_SIZE_VER0 || usize > PAGE_SIZE)
		return -EINVAL;
	bugcheck_ublock_info(&info);
	return copy_out(arg, usize, &info, sizeof(info));
}

static long dev_register(void __user *arg, size_t usize, bool reg)
{
	struct bugcheck_block blk;
	int ret;

	ret = copy_in(&blk, sizeof(blk), BUGCHECK_BLOCK_SIZE_VER0, arg, usize);
	if (ret)
		return ret;
	if (reg)
		return bugcheck_ublock_register(blk.addr, blk.size, blk.flags);
	if (blk.size || blk.flags)
		return -EINVAL;
	return bugcheck_ublock_unregister(blk.addr);
}

/*
 * Write @mm's blocks to the caller's array of @capacity entries of
 * @entry_size bytes at @blocks; *@count gets how many @mm has.  The entries
 * are gathered into a kernel buffer under the registry's mutex and copied
 * out after it is dropped: copy_to_user() may fault and take the mmap lock,
 * which ranks above that mutex.
 */
static int list_out(struct mm_struct *mm, u64 blocks, u32 capacity,
		    u32 entry_size, u32 *count)
{
	struct bugcheck_block_info *buf = NULL;
	u32 want, n, i;
	int ret = 0;

	/* A process holds at most blocks_max blocks: never allocate more than that. */
	want = min(capacity, bugcheck_ublock_list_mm(mm, NULL, 0));
	if (want) {
		buf = kvcalloc(want, sizeof(*buf), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	n = bugcheck_ublock_list_mm(mm, buf, want);
	for (i = 0; i < min(n, want); i++) {
		void __user *to = u64_to_user_ptr(blocks + (u64)i * entry_size);

		ret = copy_out(to, entry_size, &buf[i], sizeof(buf[i]));
		if (ret)
			goto out;
	}
	*count = n;
out:
	kvfree(buf);
	return ret;
}

static long dev_list(void __user *arg, size_t usize)
{
	struct bugcheck_block_list req;
	int ret;

	ret = copy_in(&req, sizeof(req), BUGCHECK_BLOCK_LIST_SIZE_VER0, arg,
		      usize);
	if (ret)
		return ret;
	if (req.flags || req.entry_size < BUGCHECK_BLOCK_INFO_SIZE_VER0 ||
	    req.entry_size > PAGE_SIZE)
		return -EINVAL;
	req.count = 0;
	if (current->mm) {
		ret = list_out(current->mm, req.blocks, req.capacity,
			       req.entry_size, &req.count);
		if (ret)
			return ret;
	}
	return copy_out(arg, usize, &req, sizeof(req));
}

/*
 * May current list @task's blocks?  ptrace_may_access() is not exported to
 * modules, so the ioctl asks for a grant the kernel has already checked
 * instead: the same process; a tracer of one of its threads (PTRACE_SEIZE or
 * PTRACE_ATTACH passed ptrace_may_access(PTRACE_MODE_ATTACH_REALCREDS), a
 * superset of read access, with every LSM including Yama consulted); or
 * CAP_SYS_PTRACE in the initial user namespace, which ptrace_may_access()
 * accepts against any process (a core_pattern helper has it).
 */
static bool may_list(struct task_struct *task)
{
	struct task_struct *t;
	bool ok = false;

	if (same_thread_group(task, current))
		return true;
	rcu_read_lock();
	for_each_thread(task, t) {
		struct task_struct *tracer = ptrace_parent(t);

		if (tracer && same_thread_group(tracer, current)) {
			ok = true;
			break;
		}
	}
	rcu_read_unlock();
	return ok || capable(CAP_SYS_PTRACE);
}

static long dev_list_process(void __user *arg, size_t usize)
{
	struct bugcheck_process_blocks req;
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;
	int ret;

	ret = copy_in(&req, sizeof(req), BUGCHECK_PROCESS_BLOCKS_SIZE_VER0, arg,
		      usize);
	if (ret)
		return ret;
	if (req.flags || req.reserved || req.pid <= 0 ||
	    req.entry_size < BUGCHECK_BLOCK_INFO_SIZE_VER0 ||
	    req.entry_size > PAGE_SIZE)
		return -EINVAL;

	pid = find_get_pid(req.pid);
	task = pid ? get_pid_task(pid, PIDTYPE_TGID) : NULL;
	put_pid(pid);
	if (!task)
		return -ESRCH;
	if (!may_list(task)) {
		ret = -EPERM;
		goto put_task;
	}
	mm = get_task_mm(task);
	if (!mm) {
		ret = -ESRCH;
		goto put_task;
	}
	req.count = 0;
	ret = list_out(mm, req.blocks, req.capacity, req.entry_size,
		       &req.count);
	mmput(mm);
	if (!ret)
		ret = copy_out(arg, usize, &req, sizeof(req));
put_task:
	put_task_struct(task);
	return ret;
}

/* Root only: every callback runs, and one that faults takes the system down. */
static long dev_simulate(void __user *arg, size_t usize)
{
	struct bugcheck_simulate req;
	unsigned long param[4];
	int i, ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = copy_in(&req, sizeof(req), BUGCHECK_SIMULATE_SIZE_VER0, arg,
		      usize);
	if (ret)
		return ret;
	if (req.flags || req.reserved)
		return -EINVAL;
	for (i = 0; i < 4; i++)
		param[i] = req.param[i];
	ret = bugcheck_simulate_to_user(param, u64_to_user_ptr(req.buf),
					req.buf_size, &req.record_size);
	if (ret)
		return ret;
	return copy_out(arg, usize, &req, sizeof(req));
}

static long dev_status(void __user *arg, size_t usize)
{
	struct bugcheck_status st = { .nr_reasons = BUGCHECK_STATUS_REASONS };
	int i;

	BUILD_BUG_ON(BUGCHECK_STATUS_REASONS != BUGCHECK_NR_REASONS);
	BUILD_BUG_ON(BUGCHECK_STATUS_LEGACY != BUGCHECK_REASON_LEGACY);
	if (usize < BUGCHECK_STATUS_SIZE_VER0 || usize > PAGE_SIZE)
		return -EINVAL;
	for (i = 1; i < BUGCHECK_NR_REASONS; i++)
		st.callbacks[i] = bugcheck_registry_count(i);
	st.devices = bugcheck_pm_count();
	st.user_blocks = bugcheck_ublock_count();
	st.record_area = bugcheck_record_size;
	bugcheck_simulate_stats(&st.sim_used, &st.sim_record_size,
				&st.sim_flags);
	return copy_out(arg, usize, &st, sizeof(st));
}

static long bugcheck_dev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	size_t usize = _IOC_SIZE(cmd);
	unsigned int dir = _IOC_DIR(cmd);

	if (_IOC_TYPE(cmd) != BUGCHECK_IOC_MAGIC)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(BUGCHECK_IOC_INFO):
		if (dir != _IOC_READ)
			return -ENOTTY;
		return ioctl_info(uarg, usize);
	case _IOC_NR(BUGCHECK_IOC_REGISTER):
		if (dir != _IOC_WRITE)
			return -ENOTTY;
		return dev_register(uarg, usize, true);
	case _IOC_NR(BUGCHECK_IOC_UNREGISTER):
		if (dir != _IOC_WRITE)
			return -ENOTTY;
		return dev_register(uarg, usize, false);
	case _IOC_NR(BUGCHECK_IOC_LIST):
		if (dir != (_IOC_READ | _IOC_WRITE))
			return -ENOTTY;
		return dev_list(uarg, usize);
	case _IOC_NR(BUGCHECK_IOC_LIST_PROCESS):
		if (dir != (_IOC_READ | _IOC_WRITE))
			return -ENOTTY;
		return dev_list_process(uarg, usize);
	case _IOC_NR(BUGCHECK_IOC_SIMULATE):
		if (dir != (_IOC_READ | _IOC_WRITE))
			return -ENOTTY;
		return dev_simulate(uarg, usize);
	case _IOC_NR(BUGCHECK_IOC_STATUS):
		if (dir != _IOC_READ)
			return -ENOTTY;
		return dev_status(uarg, usize);
	}
	return -ENOTTY;
}

static const struct file_operations bugcheck_dev_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = bugcheck_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice bugcheck_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "bugcheck",
	.fops = &bugcheck_dev_fops,
	.mode = 0666,
};

int bugcheck_dev_init(void)
{
	return misc_register(&bugcheck_miscdev);
}

/* Registrations outlive the fds: drop them once no new one can come. */
void bugcheck_dev_exit(void)
{
	misc_deregister(&bugcheck_miscdev);
	bugcheck_ublock_exit();
}
