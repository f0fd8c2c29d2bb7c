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
 * passed to another process, which then registers its own memory.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "uapi/bugcheck_dev.h"

/*
 * Copy an extensible input structure: @usize (from the ioctl number) is at
 * least @ver0 and at most a page; bytes past what the kernel knows must be
 * zero.
 */
static int copy_in(void *dst, size_t ksize, size_t ver0, const void __user *src, size_t usize)
{
	int ret;

	if (usize < ver0 || usize > PAGE_SIZE)
		return -EINVAL;
	ret = copy_struct_from_user(dst, ksize, src, usize);
	return ret == -E2BIG ? -EINVAL : ret;
}

/* Copy an output structure: cut to @usize, or zero-filled past @ksize. */
static int copy_out(void __user *dst, size_t usize, const void *src, size_t ksize)
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
 * The entries are gathered into a kernel buffer under the registry's mutex
 * and copied out after it is dropped: copy_to_user() may fault and take the
 * mmap lock, which ranks above that mutex.
 */
static long dev_list(void __user *arg, size_t usize)
{
	struct bugcheck_block_info *buf = NULL;
	struct bugcheck_block_list req;
	u32 want, n, i;
	int ret;

	ret = copy_in(&req, sizeof(req), BUGCHECK_BLOCK_LIST_SIZE_VER0, arg, usize);
	if (ret)
		return ret;
	if (req.flags || req.entry_size < BUGCHECK_BLOCK_INFO_SIZE_VER0 ||
	    req.entry_size > PAGE_SIZE)
		return -EINVAL;
	/* A process holds at most blocks_max blocks: never allocate more than that. */
	want = min(req.capacity, bugcheck_ublock_list(NULL, 0));
	if (want) {
		buf = kvcalloc(want, sizeof(*buf), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	n = bugcheck_ublock_list(buf, want);
	for (i = 0; i < min(n, want); i++) {
		void __user *to = u64_to_user_ptr(req.blocks + (u64)i * req.entry_size);

		ret = copy_out(to, req.entry_size, &buf[i], sizeof(buf[i]));
		if (ret)
			goto out;
	}
	req.count = n;
	ret = copy_out(arg, usize, &req, sizeof(req));
out:
	kvfree(buf);
	return ret;
}

static long bugcheck_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
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
