/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared between bugcheck.ko's units; not part of the exported API. */
#ifndef BUGCHECK_INTERNAL_H
#define BUGCHECK_INTERNAL_H

#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "bugcheck.h"
#include "uapi/bugcheck_record.h"

#define BUGCHECK_RECORD_SIZE_MIN (16 * SZ_1K)
#define BUGCHECK_RECORD_SIZE_MAX (64 * SZ_1M)
#define BUGCHECK_RECORD_SIZE_DEFAULT (1 * SZ_1M)

/* Magic of a registered record; anything else is not walked. */
#define BUGCHECK_REC_MAGIC 0x42437262	/* "bRCB" */
#define BUGCHECK_TRIAGE_MAGIC 0x42435472	/* "rTCB" */

/* The legacy buffer callbacks are kept on a seventh list. */
#define BUGCHECK_REASON_LEGACY BUGCHECK_RECORD_REASON_LEGACY
#define BUGCHECK_NR_REASONS 8	/* index 0 unused */

/* Bounds that keep every loop of the collector finite. */
#define BUGCHECK_MAX_CALLS 4096		/* calls of one multipart/pages callback */
#define BUGCHECK_MAX_REENTRIES 4	/* faulting callbacks before giving up */
#define BUGCHECK_LIST_SLACK 16		/* walk bound beyond the registered count */
#define BUGCHECK_GUARD_BYTES 64		/* guard after every in_buffer */
#define BUGCHECK_GUARD_BYTE 0xbc

/* Registry (callbacks/registry.c) */
extern raw_spinlock_t bugcheck_registry_lock;
extern struct list_head bugcheck_lists[BUGCHECK_NR_REASONS];
extern atomic_t bugcheck_counts[BUGCHECK_NR_REASONS];
extern int bugcheck_collecting_cpu;

u32 bugcheck_rec_checksum(const struct bugcheck_reason_callback_record *rec);
int bugcheck_registry_init(void);
void bugcheck_registry_exit(void);

/**
 * struct bugcheck_collector - state of one bugcheck being built
 * @base: the record area
 * @size: bytes at @base
 * @cursor: end of the committed stream
 * @table_slots: callback table entries reserved
 * @phase: index into the run order (collect.c)
 * @pos: registration being run or last run in @phase (NULL: none yet)
 * @pos_next: its validated next pointer, where the walk resumes
 * @walked: nodes visited in @phase (bounded by the registered count)
 * @current_rec: registration inside its callback right now, or NULL
 * @current_index: its callback table index
 * @active: a bugcheck is being built with this collector
 * @cpu: the CPU building it
 * @reentries: times re-entered because a callback failed
 * @simulate: debugfs simulate: REMOVE_PAGES are recorded, not scrubbed
 * @code: enum bugcheck_code
 * @param: the code's parameters
 * @dump_type: BUGCHECK_DUMP_TYPE_*
 * @message: panic message or NULL
 * @finalized: header, CRC and dump-I/O table written
 * @nr_io: dump-I/O sinks given a table entry
 * @io_first_index: table index of the first sink
 * @io_k: sinks streamed so far
 * @pm_next: crash-dump devices handled so far (the next one's index)
 * @pm_entry: callback table index of the device phase, or U32_MAX
 * @in_devices: inside a device's power-on (a fault there is that device's)
 * @ub_pos: last user block recorded (NULL: none yet)
 * @ub_walked: user-block list nodes visited
 * @ub_entry: callback table index of the user-block phase, or U32_MAX
 * @ub_index: user blocks recorded or dropped so far
 * @in_ublocks: copying a user block (a fault there is that block's)
 */
struct bugcheck_collector {
	u8 *base;
	u32 size;
	u32 cursor;
	u32 table_slots;
	u32 phase;
	struct bugcheck_reason_callback_record *pos;
	struct list_head *pos_next;
	u32 walked;
	struct bugcheck_reason_callback_record *current_rec;
	u32 current_index;
	bool active;
	int cpu;
	u32 reentries;
	bool simulate;
	u32 code;
	unsigned long param[4];
	u32 dump_type;
	const char *message;
	bool finalized;
	u32 nr_io;
	u32 io_first_index;
	u32 io_k;
	u32 pm_next;
	u32 pm_entry;
	bool in_devices;
	const void *ub_pos;
	u32 ub_walked;
	u32 ub_entry;
	u32 ub_index;
	bool in_ublocks;
};

/* Collector (callbacks/collect.c) */
extern unsigned int bugcheck_callback_max;
void bugcheck_collect(struct bugcheck_collector *c);
bool bugcheck_record_valid(const void *base, size_t len);
u32 bugcheck_record_crc(const void *base, u32 used);

/* Hooks (hooks.c) */
extern struct bugcheck_collector bugcheck_panic_collector;
extern struct bugcheck_record_header *bugcheck_record;
int bugcheck_hooks_init(void *area, u32 size);
void bugcheck_hooks_exit(void);

/* Crash-dump devices (pm/crashdump.c) */
struct seq_file;
int bugcheck_pm_bugcheck(u32 index, struct bugcheck_record_device *out, bool simulate);
u32 bugcheck_pm_count(void);
int bugcheck_pm_show(struct seq_file *m, void *v);
void bugcheck_pm_init(void);
void bugcheck_pm_exit(void);

/* User memory blocks and /dev/bugcheck (user/blocks.c, user/dev.c) */
struct bugcheck_block_info;
struct bugcheck_dev_info;

/**
 * struct bugcheck_ublock_view - a validated copy of one block's description
 * @block: the block (opaque to the collector)
 * @addr: first byte in the process's address space
 * @size: bytes registered
 * @pid: registering process
 * @uid: its real uid
 * @flags: BUGCHECK_BLOCK_F_*
 * @comm: its name, NUL-terminated
 */
struct bugcheck_ublock_view {
	const void *block;
	u64 addr;
	u64 size;
	s32 pid;
	u32 uid;
	u32 flags;
	char comm[16];
};

#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
int bugcheck_dev_init(void);
void bugcheck_dev_exit(void);
int bugcheck_ublock_register(u64 addr, u64 size, u64 flags);
int bugcheck_ublock_unregister(u64 addr);
u32 bugcheck_ublock_list(struct bugcheck_block_info *out, u32 max);
void bugcheck_ublock_info(struct bugcheck_dev_info *info);
int bugcheck_ublock_show(struct seq_file *m, void *v);
void bugcheck_ublock_exit(void);
u32 bugcheck_ublock_count(void);
int bugcheck_ublock_next(const void **pos, u32 *walked, struct bugcheck_ublock_view *v);
u32 bugcheck_ublock_copy(const struct bugcheck_ublock_view *v, u8 *dst, u32 len);
#else
/* Without MMU notifiers a registration could not follow its process: no device. */
static inline int bugcheck_dev_init(void) { return 0; }
static inline void bugcheck_dev_exit(void) { }
static inline int bugcheck_ublock_show(struct seq_file *m, void *v) { return 0; }
static inline u32 bugcheck_ublock_count(void) { return 0; }
static inline int bugcheck_ublock_next(const void **pos, u32 *walked,
				       struct bugcheck_ublock_view *v)
{
	return 0;
}

static inline u32 bugcheck_ublock_copy(const struct bugcheck_ublock_view *v, u8 *dst,
				       u32 len)
{
	return 0;
}
#endif

/* debugfs (debugfs.c) */
void bugcheck_debugfs_init(void);
void bugcheck_debugfs_exit(void);

extern unsigned int bugcheck_record_size;

#if IS_ENABLED(CONFIG_KUNIT)
int bugcheck_record_size_valid(unsigned long size);
int bugcheck_parse_record_size(const char *val, unsigned int *size);
int bugcheck_collect_into(void *area, u32 size, u32 code,
			  const unsigned long param[4]);
#endif

#endif /* BUGCHECK_INTERNAL_H */
