/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bugcheck_dev.h - the /dev/bugcheck interface: user processes register
 * blocks of their own memory to be copied into the bugcheck record.
 *
 * Every structure is made of __u64/__u32 fields with no padding holes, the
 * same for 32- and 64-bit callers.  Each ioctl's argument size is encoded in
 * its number (_IOC_SIZE); the kernel accepts any size from the first
 * published one (*_SIZE_VER0) up to one page:
 *   - a larger input structure from a newer caller is accepted when the bytes
 *     the kernel does not know are zero, else the call fails with EINVAL;
 *   - a larger output structure gets the fields the kernel knows, the rest
 *     zeroed; a smaller one (but at least *_SIZE_VER0) is cut.
 * Unknown ioctl numbers fail with ENOTTY.  docs/user-blocks.md is the prose
 * version of this file; libbugcheck (userspace/include/libbugcheck.h) wraps it.
 */
#ifndef _UAPI_BUGCHECK_DEV_H
#define _UAPI_BUGCHECK_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BUGCHECK_DEV_PATH "/dev/bugcheck"
#define BUGCHECK_DEV_API_VERSION 3 /* 2: LIST_PROCESS; 3: SIMULATE, STATUS */

#define BUGCHECK_IOC_MAGIC 0xBC

/* bugcheck_block_info.flags */
/* clang-format off */
#define BUGCHECK_BLOCK_F_UNMAPPED 0x1	/* unmapped since registration: not copied */
/* clang-format on */

/**
 * struct bugcheck_dev_info - BUGCHECK_IOC_INFO: limits and usage
 * @api_version: BUGCHECK_DEV_API_VERSION
 * @flags: 0
 * @block_size_max: largest block, in bytes (module parameter block_size_max)
 * @blocks_per_process: most blocks one process may have (blocks_per_process)
 * @blocks_max: most blocks of all processes together (blocks_max)
 * @blocks_registered: blocks the calling process has registered
 * @blocks_total: blocks of all processes
 * @reserved: 0
 * @pinned_pages: pages pinned for the calling process's blocks (charged to
 *	its RLIMIT_MEMLOCK, shown as VmPin in /proc/PID/status)
 */
struct bugcheck_dev_info {
	__u32 api_version;
	__u32 flags;
	__u64 block_size_max;
	__u32 blocks_per_process;
	__u32 blocks_max;
	__u32 blocks_registered;
	__u32 blocks_total;
	__u64 pinned_pages;
};

#define BUGCHECK_DEV_INFO_SIZE_VER0 32

/**
 * struct bugcheck_block - BUGCHECK_IOC_REGISTER and BUGCHECK_IOC_UNREGISTER
 * @addr: start of the block in the caller's address space (any alignment)
 * @size: bytes (REGISTER); must be 0 for UNREGISTER, which goes by @addr
 * @flags: 0
 */
struct bugcheck_block {
	__u64 addr;
	__u64 size;
	__u64 flags;
};

#define BUGCHECK_BLOCK_SIZE_VER0 24

/**
 * struct bugcheck_block_info - one entry written by BUGCHECK_IOC_LIST
 * @addr: start of the block
 * @size: bytes registered
 * @flags: BUGCHECK_BLOCK_F_*
 * @pages: pages pinned for it
 */
struct bugcheck_block_info {
	__u64 addr;
	__u64 size;
	__u32 flags;
	__u32 pages;
};

/**
 * struct bugcheck_block_list - BUGCHECK_IOC_LIST: the caller's blocks
 * @blocks: user pointer to an array of @capacity entries of @entry_size bytes
 * @capacity: entries the array holds (0: only count)
 * @entry_size: sizeof(struct bugcheck_block_info) as the caller knows it
 *	(at least 24; larger entries get their unknown tail zeroed)
 * @count: out: blocks registered; entries written = min(@count, @capacity),
 *	in registration order
 * @flags: 0
 */
struct bugcheck_block_list {
	__u64 blocks;
	__u32 capacity;
	__u32 entry_size;
	__u32 count;
	__u32 flags;
};

#define BUGCHECK_BLOCK_LIST_SIZE_VER0 24
#define BUGCHECK_BLOCK_INFO_SIZE_VER0 24

/**
 * struct bugcheck_process_blocks - BUGCHECK_IOC_LIST_PROCESS: another
 *	process's blocks, for an error reporter
 * @blocks: user pointer to an array of @capacity entries of @entry_size bytes
 *	(struct bugcheck_block_info)
 * @capacity: entries the array holds (0: only count)
 * @entry_size: sizeof(struct bugcheck_block_info) as the caller knows it
 *	(at least 24; larger entries get their unknown tail zeroed)
 * @count: out: blocks the process has; entries written = min(@count,
 *	@capacity), in registration order
 * @flags: 0
 * @pid: the process (thread-group id) in the caller's pid namespace
 * @reserved: 0
 *
 * Allowed when the caller is the process itself, when the caller (any of its
 * threads) is the ptrace tracer of one of the process's threads, or when it
 * has CAP_SYS_PTRACE in the initial user namespace: each is a grant of ptrace
 * access the kernel has already checked.  Else EPERM.  ESRCH when there is no
 * such process or it has no address space any more (a zombie, an exiting
 * process).
 */
struct bugcheck_process_blocks {
	__u64 blocks;
	__u32 capacity;
	__u32 entry_size;
	__u32 count;
	__u32 flags;
	__s32 pid;
	__u32 reserved;
};

#define BUGCHECK_PROCESS_BLOCKS_SIZE_VER0 32

/**
 * struct bugcheck_simulate - BUGCHECK_IOC_SIMULATE: a simulated bugcheck,
 *	and the record it built
 * @param: in: the four parameters reported to the callbacks (the record's
 *	code is SIMULATED)
 * @buf: in: user pointer the record is copied to (0 with @buf_size 0: only
 *	run it and learn its size)
 * @buf_size: in: bytes at @buf
 * @record_size: out (ignored on entry): bytes of the simulated record (the stream [0, used)
 *	plus its dump-I/O status table, as debugfs bugcheck/record holds it);
 *	bytes copied = min(@record_size, @buf_size)
 * @flags: in: 0
 * @reserved: in: 0
 *
 * Runs every registered callback into a scratch area of record_size bytes,
 * exactly as debugfs bugcheck/simulate does, but through the device, which
 * works where debugfs writes are refused (kernel lockdown).  A callback that
 * faults here would fault at a real bugcheck too: the system goes down as at
 * one.  Needs CAP_SYS_ADMIN, else EPERM.  ENOMEM when the scratch area cannot
 * be allocated; EFAULT when @buf cannot be written (the simulate has run).
 * A record larger than @buf_size is cut: call again with
 * bugcheck_status.record_area bytes to be sure of all of it.
 */
struct bugcheck_simulate {
	__u64 param[4];
	__u64 buf;
	__u64 buf_size;
	__u64 record_size;
	__u32 flags;
	__u32 reserved;
};

#define BUGCHECK_SIMULATE_SIZE_VER0 64

/* Entries of bugcheck_status.callbacks: index = enum bugcheck_callback_reason. */
#define BUGCHECK_STATUS_REASONS 8
#define BUGCHECK_STATUS_LEGACY 7 /* legacy buffer callbacks */

/**
 * struct bugcheck_status - BUGCHECK_IOC_STATUS: what a bugcheck now would hold
 * @flags: 0
 * @nr_reasons: entries of @callbacks filled (BUGCHECK_STATUS_REASONS)
 * @callbacks: registrations per reason: [1]..[6] the reasons by their
 *	number (SECONDARY_DUMP_DATA 1 ... TRIAGE_DUMP_DATA 6),
 *	[BUGCHECK_STATUS_LEGACY] legacy buffer callbacks, [0] 0
 * @devices: crash-dump devices registered
 * @user_blocks: user memory blocks of all processes
 * @record_area: bytes of the record area (module parameter record_size)
 * @sim_used: bytes the last simulated record used of the area (its header's
 *	used), 0 before the first simulate
 * @sim_record_size: bytes of the last simulated record as
 *	BUGCHECK_IOC_SIMULATE copies it, 0 before the first simulate
 * @sim_flags: the last simulated record's header flags (TRUNCATED, ...)
 * @reserved: 0
 *
 * Any user may ask: these are counts, no addresses or contents.
 */
struct bugcheck_status {
	__u32 flags;
	__u32 nr_reasons;
	__u32 callbacks[BUGCHECK_STATUS_REASONS];
	__u32 devices;
	__u32 user_blocks;
	__u64 record_area;
	__u64 sim_used;
	__u64 sim_record_size;
	__u32 sim_flags;
	__u32 reserved;
};

#define BUGCHECK_STATUS_SIZE_VER0 80

/* clang-format off */
#define BUGCHECK_IOC_INFO	_IOR(BUGCHECK_IOC_MAGIC, 0x00, struct bugcheck_dev_info)
#define BUGCHECK_IOC_REGISTER	_IOW(BUGCHECK_IOC_MAGIC, 0x01, struct bugcheck_block)
#define BUGCHECK_IOC_UNREGISTER	_IOW(BUGCHECK_IOC_MAGIC, 0x02, struct bugcheck_block)
#define BUGCHECK_IOC_LIST	_IOWR(BUGCHECK_IOC_MAGIC, 0x03, struct bugcheck_block_list)
#define BUGCHECK_IOC_LIST_PROCESS \
	_IOWR(BUGCHECK_IOC_MAGIC, 0x04, struct bugcheck_process_blocks)
#define BUGCHECK_IOC_SIMULATE	_IOWR(BUGCHECK_IOC_MAGIC, 0x05, struct bugcheck_simulate)
#define BUGCHECK_IOC_STATUS	_IOR(BUGCHECK_IOC_MAGIC, 0x06, struct bugcheck_status)
/* clang-format on */

#endif /* _UAPI_BUGCHECK_DEV_H */
