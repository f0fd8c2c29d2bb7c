// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * libbugcheck.c - the /dev/bugcheck ioctls (uapi/bugcheck_dev.h) behind the
 * functions of libbugcheck.h.
 *
 * The device is opened on first use and the descriptor kept until
 * bugcheck_close(): registrations belong to the process, not to the
 * descriptor, so closing it loses nothing, but only the caller knows when no
 * other thread uses it (the number may then be given to someone else).
 * Every exported function saves errno on entry and restores it on the way
 * out: its result is its only channel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uapi/bugcheck_dev.h>

#include "internal.h"

/*
 * Tests point the library at another file (e.g. /dev/null) to drive the
 * descriptor cache without the module; the installed library never does.
 */
#ifndef LIBBUGCHECK_DEV_PATH
#define LIBBUGCHECK_DEV_PATH BUGCHECK_DEV_PATH
#endif

_Static_assert(BUGCHECK_MEMORY_BLOCK_UNMAPPED == BUGCHECK_BLOCK_F_UNMAPPED,
	       "public and uapi block flags must agree");

/*
 * dev_state: the process-wide descriptor of /dev/bugcheck, packed with a
 * generation as (generation << 32 | (fd + 1)); 0 until the first open.  Only
 * ever changed by compare-and-exchange: 0 -> first fd, and a stale state ->
 * a new fd when the application closed ours.  The generation tells a stale
 * state from a new one that happens to get the same descriptor number back:
 *
 *   thread A                          thread B
 *   ioctl(5): EBADF                   ioctl(5): EBADF
 *   open() = 5, CAS(g0:5 -> g1:5)
 *                                     open() = 6, CAS(g0:5 -> g1:6) fails:
 *                                     close(6), use g1:5
 *
 * Without it B's exchange would succeed and A's descriptor would leak.  The
 * loser of a race closes the descriptor it opened; a published one is never
 * closed.
 */
static _Atomic uint64_t dev_state;

static int state_fd(uint64_t state)
{
	return (int)(uint32_t)state - 1;
}

/* dev_state from *@cur to @next; else false, *@cur what it holds now. */
static bool swap_state(uint64_t *cur, uint64_t next)
{
	return atomic_compare_exchange_strong_explicit(&dev_state, cur, next,
						       memory_order_acq_rel,
						       memory_order_acquire);
}

/* open(2) errors that mean "no such device here" become -ENODEV. */
static int open_error(int err)
{
	if (err == ENOENT || err == ENXIO || err == ENODEV)
		return -ENODEV;
	return -err;
}

/*
 * get_fd() - the cached descriptor, opening the device if there is none or,
 * when @stale, if the cache still holds *@seen.
 * @seen: out: the state the returned descriptor belongs to; in (with
 *	@stale): the state whose descriptor failed
 * @stale: *@seen is known to be bad
 *
 * Return: a descriptor, or -errno from open(2) (see open_error()).
 */
static int get_fd(uint64_t *seen, bool stale)
{
	uint64_t cur = atomic_load_explicit(&dev_state, memory_order_acquire);
	uint64_t next;
	int fd;

	if (state_fd(cur) >= 0 && !(stale && cur == *seen)) {
		*seen = cur;
		return state_fd(cur);
	}

	fd = open(LIBBUGCHECK_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return open_error(errno);

	next = (((cur >> 32) + 1) << 32) | (uint32_t)(fd + 1);
	if (!swap_state(&cur, next)) {
		/* Another thread published one first: use it, drop ours. */
		close(fd);
		*seen = cur;
		return state_fd(cur);
	}
	*seen = next;
	return fd;
}

/*
 * fd_is_device() - does @fd still refer to the device file?  After ENOTTY
 * this tells "the application closed our descriptor and the number now names
 * something else" from a genuine ENOTTY of the device (an older module that
 * does not know the ioctl), which must not make us reopen on every call.
 */
static bool fd_is_device(int fd)
{
	struct stat fst, dst;

	if (fstat(fd, &fst) < 0 || stat(LIBBUGCHECK_DEV_PATH, &dst) < 0)
		return false;
	return S_ISCHR(fst.st_mode) && S_ISCHR(dst.st_mode) &&
	       fst.st_rdev == dst.st_rdev;
}

/*
 * dev_ioctl() - one ioctl on the device, reopening it once if our descriptor
 * has gone (EBADF) or was replaced by another file (ENOTTY).
 *
 * Return: 0, or -errno.  Does not preserve errno: the callers do.
 */
static int dev_ioctl(unsigned long request, void *arg)
{
	uint64_t seen = 0;
	int fd = get_fd(&seen, false);
	int err;

	if (fd < 0)
		return fd;
	if (ioctl(fd, request, arg) == 0)
		return 0;
	err = errno;
	if (err != EBADF && !(err == ENOTTY && !fd_is_device(fd)))
		return -err;

	fd = get_fd(&seen, true);
	if (fd < 0)
		return fd;
	if (ioctl(fd, request, arg) == 0)
		return 0;
	return -errno;
}

BUGCHECK_API int bugcheck_register_memory_block(const void *addr, size_t size)
{
	struct bugcheck_block blk = {
		.addr = (uintptr_t)addr,
		.size = size,
	};
	int saved_errno = errno;
	int ret;

	ret = dev_ioctl(BUGCHECK_IOC_REGISTER, &blk);
	errno = saved_errno;
	return ret;
}

BUGCHECK_API int bugcheck_unregister_memory_block(const void *addr)
{
	struct bugcheck_block blk = { .addr = (uintptr_t)addr };
	int saved_errno = errno;
	int ret;

	ret = dev_ioctl(BUGCHECK_IOC_UNREGISTER, &blk);
	errno = saved_errno;
	return ret;
}

/*
 * Where struct bugcheck_memory_block starts with the layout of the uapi entry
 * (LP64), the kernel writes straight into the caller's array, with the
 * public struct's size as the stride, and zeroes the reserved tail;
 * elsewhere (ILP32) the entries go through a bounce buffer and are
 * converted.
 */
#define MB_OFF(f) offsetof(struct bugcheck_memory_block, f)
#define BI_OFF(f) offsetof(struct bugcheck_block_info, f)

static int same_field(size_t off, size_t uapi_off, size_t size, size_t uapi)
{
	return off == uapi_off && size == uapi;
}

static int list_in_place(void)
{
	const struct bugcheck_memory_block *m = NULL;

	return sizeof(*m) >= sizeof(struct bugcheck_block_info) &&
	       same_field(MB_OFF(addr), BI_OFF(addr), sizeof(m->addr), 8) &&
	       same_field(MB_OFF(size), BI_OFF(size), sizeof(m->size), 8) &&
	       same_field(MB_OFF(flags), BI_OFF(flags), sizeof(m->flags), 4) &&
	       same_field(MB_OFF(pages), BI_OFF(pages), sizeof(m->pages), 4);
}

static int list_blocks(struct bugcheck_memory_block *blocks, size_t capacity)
{
	struct bugcheck_block_list list = {
		.entry_size = sizeof(struct bugcheck_block_info),
	};
	struct bugcheck_block_info *info = NULL;
	size_t i, n;
	int ret;

	/* The kernel caps a process far below 2^32 blocks. */
	if (capacity > UINT32_MAX)
		capacity = UINT32_MAX;
	list.capacity = capacity;

	if (capacity && list_in_place()) {
		list.blocks = (uintptr_t)blocks;
		list.entry_size = sizeof(*blocks);
	} else if (capacity) {
		info = calloc(capacity, sizeof(*info));
		if (!info)
			return -ENOMEM;
		list.blocks = (uintptr_t)info;
	}

	ret = dev_ioctl(BUGCHECK_IOC_LIST, &list);
	if (ret)
		goto free;

	if (info) {
		n = list.count < capacity ? list.count : capacity;
		for (i = 0; i < n; i++) {
			memset(&blocks[i], 0, sizeof(blocks[i]));
			blocks[i].addr = (const void *)(uintptr_t)info[i].addr;
			blocks[i].size = info[i].size;
			blocks[i].flags = info[i].flags;
			blocks[i].pages = info[i].pages;
		}
	}
	ret = list.count > INT_MAX ? INT_MAX : (int)list.count;
free:
	free(info);
	return ret;
}

BUGCHECK_API int
bugcheck_list_memory_blocks(struct bugcheck_memory_block *blocks,
			    size_t capacity)
{
	int saved_errno = errno;
	int ret;

	if (!blocks && capacity)
		return -EINVAL;
	ret = list_blocks(blocks, capacity);
	errno = saved_errno;
	return ret;
}

BUGCHECK_API int bugcheck_get_limits(struct bugcheck_limits *limits)
{
	struct bugcheck_dev_info info = { 0 };
	int saved_errno = errno;
	int ret;

	if (!limits)
		return -EINVAL;
	ret = dev_ioctl(BUGCHECK_IOC_INFO, &info);
	errno = saved_errno;
	if (ret)
		return ret;

	memset(limits, 0, sizeof(*limits));
	limits->block_size_max =
		info.block_size_max > SIZE_MAX ? SIZE_MAX : info.block_size_max;
	limits->blocks_per_process = info.blocks_per_process;
	limits->blocks_max = info.blocks_max;
	limits->blocks_registered = info.blocks_registered;
	limits->blocks_total = info.blocks_total;
	limits->pinned_pages =
		info.pinned_pages > ULONG_MAX ? ULONG_MAX : info.pinned_pages;
	return 0;
}

BUGCHECK_API int bugcheck_close(void)
{
	uint64_t cur = atomic_load_explicit(&dev_state, memory_order_acquire);
	int saved_errno = errno, ret = 0;

	for (;;) {
		uint64_t next = ((cur >> 32) + 1) << 32;

		if (state_fd(cur) < 0)
			return 0;
		if (swap_state(&cur, next))
			break;
	}
	if (close(state_fd(cur)) < 0 && errno == EBADF)
		ret = -EBADF;
	errno = saved_errno;
	return ret;
}

/* A reporter's own descriptor: it must not disturb the cached one. */
int bugcheck__dev_open(void)
{
	int fd = open(LIBBUGCHECK_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? open_error(errno) : fd;
}

BUGCHECK_API int bugcheck_version_major(void)
{
	return LIBBUGCHECK_VERSION_MAJOR;
}

BUGCHECK_API int bugcheck_version_minor(void)
{
	return LIBBUGCHECK_VERSION_MINOR;
}

BUGCHECK_API int bugcheck_check_version(int major, int minor)
{
	if (major == LIBBUGCHECK_VERSION_MAJOR &&
	    minor <= LIBBUGCHECK_VERSION_MINOR)
		return 0;
	return -ENOTSUP;
}
