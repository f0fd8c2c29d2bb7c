/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libbugcheck.h - register blocks of this process's memory to be copied into
 * the bugcheck crash record when the kernel panics (/dev/bugcheck).
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure; none of them changes errno.  All are thread-safe.  A block belongs
 * to the process, not to a thread or a file descriptor: it stays registered
 * until it is unregistered, the process exits or it calls exec; a child of
 * fork() starts with none.  libbugcheck(7) has the whole story.
 */
#ifndef LIBBUGCHECK_H
#define LIBBUGCHECK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * bugcheck_register_memory_block() - have a block copied into the crash record
 * @addr: start of the block in this process, any alignment
 * @size: bytes, 1 up to bugcheck_limits.block_size_max
 *
 * The pages under the block are pinned (charged to RLIMIT_MEMLOCK) until it
 * is unregistered.  At a panic the kernel copies what the block holds then.
 *
 * Return: 0, or -EINVAL, -E2BIG, -EFAULT, -ENOSPC, -EEXIST, -EPERM, -ENOMEM,
 * -EOPNOTSUPP, -ENODEV (no /dev/bugcheck) or the error of open(2).
 */
int bugcheck_register_memory_block(const void *addr, size_t size);

/**
 * bugcheck_unregister_memory_block() - forget a block and unpin its pages
 * @addr: the start address it was registered with
 *
 * Return: 0, or -EINVAL (@addr is NULL), -ENOENT (not registered by this
 * process), -ENODEV or the error of open(2).
 */
int bugcheck_unregister_memory_block(const void *addr);

/* bugcheck_memory_block.flags */
#define BUGCHECK_MEMORY_BLOCK_UNMAPPED 0x1 /* unmapped since: not recorded */

/**
 * struct bugcheck_memory_block - one block, as bugcheck_list_memory_blocks()
 *	reports it
 * @addr: start of the block
 * @size: bytes registered
 * @flags: BUGCHECK_MEMORY_BLOCK_*; bits not known here may be set
 * @pages: pages pinned for the block
 */
struct bugcheck_memory_block {
	const void *addr;
	size_t size;
	unsigned int flags;
	unsigned int pages;
};

/**
 * bugcheck_list_memory_blocks() - the blocks this process has registered
 * @blocks: array to fill, in registration order; may be NULL if @capacity is 0
 * @capacity: entries @blocks holds
 *
 * Return: the number of blocks the process has, which may exceed @capacity
 * (only min(count, @capacity) entries are written); or -EINVAL (@blocks NULL
 * with @capacity > 0), -ENOMEM, -ENODEV or the error of open(2).
 */
int bugcheck_list_memory_blocks(struct bugcheck_memory_block *blocks,
				size_t capacity);

/**
 * struct bugcheck_limits - limits of /dev/bugcheck and their use
 * @block_size_max: largest block, in bytes (module parameter block_size_max)
 * @blocks_per_process: most blocks one process may have (blocks_per_process)
 * @blocks_max: most blocks of all processes together (blocks_max)
 * @blocks_registered: blocks this process has registered
 * @blocks_total: blocks of all processes
 * @pinned_pages: pages pinned for this process's blocks (VmPin)
 */
struct bugcheck_limits {
	size_t block_size_max;
	unsigned int blocks_per_process;
	unsigned int blocks_max;
	unsigned int blocks_registered;
	unsigned int blocks_total;
	unsigned long pinned_pages;
};

/**
 * bugcheck_get_limits() - read the limits and the current use
 * @limits: filled in on success
 *
 * Return: 0, or -EINVAL (@limits is NULL), -ENODEV or the error of open(2).
 */
int bugcheck_get_limits(struct bugcheck_limits *limits);

#ifdef __cplusplus
}
#endif

#endif /* LIBBUGCHECK_H */
