/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared between bugcheck.ko's units; not part of the exported API. */
#ifndef BUGCHECK_INTERNAL_H
#define BUGCHECK_INTERNAL_H

#include <linux/irqflags.h>
#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "bugcheck.h"
#include "uapi/bugcheck_record.h"

#define BUGCHECK_RECORD_SIZE_MIN (16 * SZ_1K)
#define BUGCHECK_RECORD_SIZE_MAX (64 * SZ_1M)
#define BUGCHECK_RECORD_SIZE_DEFAULT (1 * SZ_1M)

/* Magic of a registered record; anything else is not registered. */
#define BUGCHECK_REC_MAGIC 0x42437262 /* "bRCB" */
#define BUGCHECK_TRIAGE_MAGIC 0x42435472 /* "rTCB" */

/* The legacy buffer callbacks are kept as a seventh reason. */
#define BUGCHECK_REASON_LEGACY BUGCHECK_RECORD_REASON_LEGACY
#define BUGCHECK_NR_REASONS 8 /* index 0 unused */

/* Bounds that keep every loop of the collector finite. */
/* clang-format off */
#define BUGCHECK_MAX_CALLS 4096		/* calls of one multipart/pages callback */
#define BUGCHECK_MAX_FAULTS 16		/* faulting callbacks before the rest are skipped */
#define BUGCHECK_LIST_SLACK 16		/* walk bound beyond the registered count */
#define BUGCHECK_GUARD_BYTES 64		/* guard after every in_buffer */
/* clang-format on */
#define BUGCHECK_GUARD_BYTE 0xbc
#define BUGCHECK_MAX_REGISTRATIONS 131072

/* Registry (callbacks/registry.c) */

#define BUGCHECK_SLOT_NONE U32_MAX

/**
 * struct bugcheck_reg - what the bugcheck needs of one registration
 * @index: its slot in the registry
 * @reason: enum bugcheck_callback_reason, or BUGCHECK_REASON_LEGACY
 * @seq: registration order
 * @rec: the caller's record, handed back to the callback
 * @callback: the function
 * @owner: the registering module, or NULL
 * @buffer: legacy callbacks: the buffer captured into the record
 * @length: its size
 * @component: the component name, copied at registration
 *
 * Kept in bugcheck's own memory: nothing in it points to data the bugcheck
 * must read in the client's record.
 */
struct bugcheck_reg {
	u32 index;
	u32 reason;
	u64 seq;
	struct bugcheck_reason_callback_record *rec;
	void *callback;
	struct module *owner;
	void *buffer;
	size_t length;
	char component[32];
};

/**
 * struct bugcheck_walk - a walk over one reason's registrations
 * @reason: the reason walked
 * @next: slot to visit next (lock-free walks)
 * @visited: slots visited, bounded by the registered count
 * @bound: that bound
 * @started: the first step was taken
 * @stepwise: a simulate: each step runs under the registry lock
 * @locked: the lock is held by the current step
 * @irqflags: interrupt state saved by the lock
 */
struct bugcheck_walk {
	u32 reason;
	u32 next;
	u32 visited;
	u32 bound;
	bool started;
	bool stepwise;
	bool locked;
	unsigned long irqflags;
};

extern raw_spinlock_t bugcheck_registry_lock;
extern int bugcheck_collecting_cpu;

/**
 * bugcheck_in_callback() - is this CPU running a bugcheck's or simulate's callback?
 *
 * Context: any; a lock-free read.
 * Return: true on the CPU that runs the callbacks, while it runs them.
 */
static inline bool bugcheck_in_callback(void)
{
	return READ_ONCE(bugcheck_collecting_cpu) == raw_smp_processor_id();
}

/**
 * bugcheck_cannot_sleep() - must the caller not sleep, as far as can be told?
 *
 * The functions that may sleep (simulate, crash-dump device registration,
 * deregistration and release) refuse such callers with -EBUSY instead of
 * sleeping in atomic context or deadlocking: atomic context (a spinlock or
 * preemption disabled, IRQ, softirq, NMI), interrupts off, an RCU read-side
 * section, or the CPU that runs a bugcheck's or a simulate's callback.  A
 * spinlock held only shows with CONFIG_PREEMPT_COUNT (the Debian kernels
 * have it, as every kernel with PREEMPT_DYNAMIC or DEBUG_ATOMIC_SLEEP).
 *
 * Context: any.
 * Return: true if the caller must not sleep.
 */
static inline bool bugcheck_cannot_sleep(void)
{
	return in_atomic() || irqs_disabled() || rcu_preempt_depth() ||
	       bugcheck_in_callback();
}

int bugcheck_registry_init(void);
void bugcheck_registry_exit(void);
u32 bugcheck_registry_count(u32 reason);
void bugcheck_walk_start(struct bugcheck_walk *w, u32 reason, bool stepwise);
int bugcheck_walk_next(struct bugcheck_walk *w, struct bugcheck_reg *reg);
void bugcheck_walk_step_done(struct bugcheck_walk *w);
void bugcheck_mirror_result(const struct bugcheck_reg *reg, u32 state,
			    u32 flags, u32 bytes);
bool bugcheck_strscpy_nofault(char *dst, const char *src, size_t size);
struct seq_file;
int bugcheck_registry_show(struct seq_file *m, void *v);

/* Fault guard (callbacks/guard.c, callbacks/guard_64.S) */

/**
 * struct bugcheck_guard - a call that survives a fault or a panic inside it
 * @sp: stack pointer at the guarded call (set by bugcheck_guard_call())
 * @bp: frame pointer there
 * @ip: where the guarded call returns
 * @faulted: set when the call was abandoned
 * @recover: set by the caller: a fault during a simulate is recovered from
 *	(bugcheck's own copies) instead of becoming a real bugcheck (callbacks)
 * @fault: what happened (copied into the record's FAULT section)
 * @fault_sp: stack pointer when it happened (the abandoned frames lie
 *	between it and @sp)
 * @outer: the guard this one is nested in, or NULL
 *
 * bugcheck_guard_call() and the fixup depend on the first four members'
 * offsets (guard_64.S); see the BUILD_BUG_ON()s in guard.c.
 */
struct bugcheck_guard {
	unsigned long sp;
	unsigned long bp;
	unsigned long ip;
	u32 faulted;
	u32 recover;
	struct bugcheck_record_fault fault;
	unsigned long fault_sp;
	struct bugcheck_guard *outer;
};

int bugcheck_guard_call(struct bugcheck_guard *g, void (*fn)(void *),
			void *arg);

struct bugcheck_collector;
int bugcheck_guarded(struct bugcheck_collector *c, struct bugcheck_guard *g,
		     void (*fn)(void *), void *arg);
struct pt_regs;
bool bugcheck_guard_fixup(struct bugcheck_collector *c, struct pt_regs *regs,
			  unsigned long trap, long err, const char *str);
void bugcheck_guard_panicked(struct bugcheck_collector *c, const char *msg);

/* Collector (callbacks/collect.c, record.c, data.c, pages.c, dumpio.c) */

/**
 * struct bugcheck_collector - state of one bugcheck being built
 * @base: the record area
 * @size: bytes at @base
 * @cursor: end of the committed stream
 * @table_slots: callback table entries reserved
 * @active: a bugcheck is being built with this collector
 * @done: the record is complete; nothing may touch it again
 * @cpu: the CPU building it
 * @task: the task building it (a simulate may be preempted between steps)
 * @faults: guarded calls that faulted or panicked
 * @simulate: a simulate: REMOVE_PAGES are recorded, not scrubbed; the
 *	registry is walked one locked step at a time
 * @code: enum bugcheck_code
 * @param: the code's parameters
 * @dump_type: BUGCHECK_DUMP_TYPE_*
 * @message: the panic message, copied (NUL-terminated)
 * @guard: innermost guarded call running, or NULL
 * @current_index: callback table index of the callback running, or U32_MAX
 * @context: the running callback's context, kept between its calls
 * @scrubbed: bytes scrubbed so far (REMOVE_PAGES budget)
 * @nr_io: dump-I/O sinks given a table entry
 * @io_first_index: table index of the first sink
 */
struct bugcheck_collector {
	u8 *base;
	u32 size;
	u32 cursor;
	u32 table_slots;
	bool active;
	bool done;
	int cpu;
	struct task_struct *task;
	u32 faults;
	bool simulate;
	u32 code;
	unsigned long param[4];
	u32 dump_type;
	const char *message;
	struct bugcheck_guard *guard;
	u32 current_index;
	void *context;
	u64 scrubbed;
	u32 nr_io;
	u32 io_first_index;
};

extern unsigned int bugcheck_callback_max;
extern unsigned long bugcheck_scrub_max;
void bugcheck_collect(struct bugcheck_collector *c);
bool bugcheck_record_valid(const void *base, size_t len);
u32 bugcheck_record_crc(const void *base, u32 used);

/* The record writer (callbacks/record.c): sections appended at the cursor. */
static inline struct bugcheck_record_header *
bugcheck_hdr(struct bugcheck_collector *c)
{
	return (struct bugcheck_record_header *)c->base;
}

void bugcheck_record_start(struct bugcheck_collector *c);
void bugcheck_record_finalize(struct bugcheck_collector *c);
struct bugcheck_record_callback *bugcheck_entry(struct bugcheck_collector *c,
						u32 index);
struct bugcheck_record_callback *
bugcheck_new_entry(struct bugcheck_collector *c, const char *component,
		   const struct module *owner, u32 reason, const void *callback,
		   u32 state);
u32 bugcheck_room(struct bugcheck_collector *c, u32 extra);
u32 bugcheck_budget(struct bugcheck_collector *c,
		    struct bugcheck_record_callback *e, u32 extra);
struct bugcheck_record_section *
bugcheck_section_open(struct bugcheck_collector *c);
void bugcheck_section_commit(struct bugcheck_collector *c,
			     struct bugcheck_record_section *s, u32 type,
			     u32 len, u32 flags,
			     struct bugcheck_record_callback *e);
void bugcheck_section_commit_crc(struct bugcheck_collector *c,
				 struct bugcheck_record_section *s, u32 type,
				 u32 len, u32 flags,
				 struct bugcheck_record_callback *e, u32 crc);
void bugcheck_cut(struct bugcheck_collector *c, u64 bytes);
void bugcheck_dropped(struct bugcheck_collector *c,
		      struct bugcheck_record_callback *e, u64 bytes);
void bugcheck_fault_section(struct bugcheck_collector *c,
			    struct bugcheck_record_callback *e,
			    const struct bugcheck_record_fault *f);

/* The reasons' runners (callbacks/data.c, pages.c, dumpio.c). */
u32 bugcheck_run_secondary(struct bugcheck_collector *c,
			   const struct bugcheck_reg *reg,
			   struct bugcheck_record_callback *e);
u32 bugcheck_run_multipart(struct bugcheck_collector *c,
			   const struct bugcheck_reg *reg,
			   struct bugcheck_record_callback *e);
u32 bugcheck_run_triage(struct bugcheck_collector *c,
			const struct bugcheck_reg *reg,
			struct bugcheck_record_callback *e);
u32 bugcheck_run_legacy(struct bugcheck_collector *c,
			const struct bugcheck_reg *reg,
			struct bugcheck_record_callback *e);
u32 bugcheck_run_add_pages(struct bugcheck_collector *c,
			   const struct bugcheck_reg *reg,
			   struct bugcheck_record_callback *e);
u32 bugcheck_run_remove_pages(struct bugcheck_collector *c,
			      const struct bugcheck_reg *reg,
			      struct bugcheck_record_callback *e);
u32 bugcheck_call(struct bugcheck_collector *c, const struct bugcheck_reg *reg,
		  struct bugcheck_record_callback *e,
		  enum bugcheck_callback_reason reason, void *data, size_t len);
void bugcheck_dumpio_prepare(struct bugcheck_collector *c);
void bugcheck_dumpio_stream(struct bugcheck_collector *c);
int bugcheck_pages_init(void *area, u32 size, const void *locator,
			size_t locator_size);
void bugcheck_pages_exit(void);
u32 bugcheck_copy_kernel(struct bugcheck_collector *c, void *dst,
			 const void *src, size_t len);

/* Hooks (hooks.c) */
extern struct bugcheck_collector bugcheck_panic_collector;
extern struct bugcheck_collector *bugcheck_sim_collector;
extern struct bugcheck_record_header *bugcheck_record;
int bugcheck_hooks_init(void *area, u32 size);
void bugcheck_hooks_exit(void);

/* Crash-dump devices (pm/crashdump.c, pm/phase.c) */
int bugcheck_pm_bugcheck(u32 index, struct bugcheck_record_device *out,
			 bool simulate);
u32 bugcheck_pm_count(void);
int bugcheck_pm_show(struct seq_file *m, void *v);
int bugcheck_pm_init(void);
void bugcheck_pm_exit(void);
void bugcheck_devices_phase(struct bugcheck_collector *c);

/* User memory blocks and /dev/bugcheck (user/blocks.c, user/dev.c, user/phase.c) */
struct bugcheck_block_info;
struct bugcheck_dev_info;
struct mm_struct;

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
u32 bugcheck_ublock_list_mm(struct mm_struct *mm,
			    struct bugcheck_block_info *out, u32 max);
void bugcheck_ublock_info(struct bugcheck_dev_info *info);
int bugcheck_ublock_show(struct seq_file *m, void *v);
void bugcheck_ublock_exit(void);
u32 bugcheck_ublock_count(void);
int bugcheck_ublock_next(const void **pos, u32 *walked,
			 struct bugcheck_ublock_view *v);
u32 bugcheck_ublock_copy(struct bugcheck_collector *c,
			 const struct bugcheck_ublock_view *v, u8 *dst,
			 u32 len);
void bugcheck_user_blocks_phase(struct bugcheck_collector *c);
#else
/* Without MMU notifiers a registration could not follow its process: no device. */
static inline int bugcheck_dev_init(void)
{
	return 0;
}

static inline void bugcheck_dev_exit(void)
{
}

static inline int bugcheck_ublock_show(struct seq_file *m, void *v)
{
	return 0;
}

static inline void bugcheck_user_blocks_phase(struct bugcheck_collector *c)
{
}
#endif

/* debugfs and the simulate it shares with /dev/bugcheck (debugfs.c) */
int bugcheck_simulate_to_user(const unsigned long param[4], void __user *buf,
			      u64 size, u64 *len);
void bugcheck_simulate_stats(u64 *used, u64 *len, u32 *flags);
void bugcheck_debugfs_init(void);
void bugcheck_debugfs_exit(void);

extern unsigned int bugcheck_record_size;

#if IS_ENABLED(CONFIG_KUNIT)
int bugcheck_record_size_valid(unsigned long size);
int bugcheck_parse_record_size(const char *val, unsigned int *size);
int bugcheck_collect_into(void *area, u32 size, u32 code,
			  const unsigned long param[4]);
void bugcheck_registry_module_going(struct module *mod);
struct task_struct;
void bugcheck_die_record(struct task_struct *task, u32 code,
			 struct pt_regs *regs, unsigned long trap, long err,
			 const char *str);
bool bugcheck_die_lookup(struct task_struct *task, u32 *code,
			 unsigned long param[4]);
#endif

#endif /* BUGCHECK_INTERNAL_H */
