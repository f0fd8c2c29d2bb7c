/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bugcheck.h - the API bugcheck.ko exports to other kernel modules.
 *
 * A module registers reason callbacks; when the kernel panics (directly, or
 * after an oops that panics), bugcheck runs them on the panicking CPU, with
 * interrupts off and the other CPUs stopped, and builds the bugcheck record:
 * a self-describing block of memory allocated when bugcheck.ko loaded, which
 * therefore survives every makedumpfile dump level.  docs/api.md explains the
 * protocol of each reason and docs/record-format.md the record.
 *
 * Every callback runs in panic context: it must not sleep, allocate, take a
 * lock another CPU may hold (use trylock or lock-free reads), or loop without
 * bound.  A callback that faults or panics is marked FAILED and skipped; the
 * others' data still lands.
 */
#ifndef _BUGCHECK_H
#define _BUGCHECK_H

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>
#include <linux/uuid.h>

struct module;

/**
 * enum bugcheck_callback_reason - why a reason callback is called
 * @BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA: add one tagged (GUID) block, in a
 *	size phase then a data phase; reason data is
 *	&struct bugcheck_secondary_dump_data.
 * @BUGCHECK_CALLBACK_DUMP_IO: receive the finished record as a stream of
 *	writes; reason data is &struct bugcheck_dump_io.
 * @BUGCHECK_CALLBACK_ADD_PAGES: name memory ranges whose contents are copied
 *	into the record; reason data is &struct bugcheck_add_pages.
 * @BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA: add tagged blocks over
 *	several calls; reason data is &struct bugcheck_secondary_dump_data_ex.
 * @BUGCHECK_CALLBACK_REMOVE_PAGES: name memory ranges to scrub before the
 *	dump is taken; reason data is &struct bugcheck_remove_pages.
 * @BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA: name small blocks of memory for the
 *	record's triage section; reason data is &struct bugcheck_triage_dump_data.
 */
enum bugcheck_callback_reason {
	BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA = 1,
	BUGCHECK_CALLBACK_DUMP_IO = 2,
	BUGCHECK_CALLBACK_ADD_PAGES = 3,
	BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA = 4,
	BUGCHECK_CALLBACK_REMOVE_PAGES = 5,
	BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA = 6,
};

/**
 * enum bugcheck_code - what brought the system down (the record's code)
 * @BUGCHECK_CODE_PANIC: panic() called directly.  Parameters: [0] kernel
 *	address of the panic message, [1] panicking CPU, [2] taint mask, [3] 0.
 * @BUGCHECK_CODE_OOPS: a kernel oops (die() with DIE_OOPS: a page fault,
 *	general protection fault, BUG(), ...) in task context that ended in
 *	panic.  Parameters: [0] faulting instruction pointer, [1] trap number,
 *	[2] error code, [3] kernel address of the die() string.
 * @BUGCHECK_CODE_DIE: an oops in interrupt context (hard IRQ, softirq or
 *	NMI), which oops_end() turns into a panic ("Fatal exception in
 *	interrupt").  Parameters as for %BUGCHECK_CODE_OOPS.
 * @BUGCHECK_CODE_SIMULATED: a simulated bugcheck from debugfs (nothing
 *	crashed; REMOVE_PAGES ranges are recorded but not scrubbed).
 *	Parameters: the four numbers written to the simulate file.
 */
enum bugcheck_code {
	BUGCHECK_CODE_PANIC = 0x1,
	BUGCHECK_CODE_OOPS = 0x2,
	BUGCHECK_CODE_DIE = 0x3,
	BUGCHECK_CODE_SIMULATED = 0x4,
};

/* Record states, as kept in each registration and in the record. */
enum bugcheck_callback_state {
	/* clang-format off */
	BUGCHECK_STATE_NONE = 0,	/* initialised, not registered */
	BUGCHECK_STATE_INSERTED = 1,	/* registered, not yet run */
	BUGCHECK_STATE_STARTED = 2,	/* running (stays so if it never returned) */
	BUGCHECK_STATE_FINISHED = 3,	/* ran, all its data is in the record */
	BUGCHECK_STATE_INCOMPLETE = 4,	/* ran, data cut (space, clamp, overrun) */
	BUGCHECK_STATE_FAILED = 5,	/* faulted, re-panicked or returned garbage */
	BUGCHECK_STATE_SKIPPED = 6,	/* not run: no space left or too many faults */
	/* clang-format on */
};

/**
 * struct bugcheck_reason_callback_record - one registration
 *
 * Owned by the caller (static or allocated), initialised with
 * bugcheck_init_callback_record() and opaque: only bugcheck touches the
 * members.  It must stay valid until bugcheck_deregister_reason_callback()
 * returns.  bugcheck keeps what it needs in its own memory; the record
 * marks the registration and mirrors the callback's last state.
 */
struct bugcheck_reason_callback_record {
	/* private: */
	u32 magic;
	u32 slot;
	u32 state;
	u32 flags;
	u32 bytes;
	u32 reserved;
	u64 reserved2[2];
};

/**
 * typedef bugcheck_reason_callback_fn - a reason callback
 * @reason: the reason it was registered for
 * @rec: its registration
 * @reason_data: the reason's structure (see &enum bugcheck_callback_reason)
 * @reason_data_len: sizeof that structure
 *
 * Context: panic context, see the top of this file.
 */
typedef void (*bugcheck_reason_callback_fn)(
	enum bugcheck_callback_reason reason,
	struct bugcheck_reason_callback_record *rec, void *reason_data,
	size_t reason_data_len);

/**
 * struct bugcheck_secondary_dump_data - one tagged block
 * @in_buffer: size phase: NULL; data phase: space in the record to write to
 * @in_buffer_length: bytes at @in_buffer
 * @maximum_allowed: most the block may hold; more is clamped and marked
 * @guid: the block's tag; set it in either phase.  With duplicate GUIDs the
 *	block run first (callbacks run last-registered first) wins: readers
 *	return it, later ones are kept but marked duplicate.
 * @out_buffer: size phase: NULL on entry, leave it; data phase: @in_buffer on
 *	entry; leave it to use the data written there, or point it at the
 *	callback's own preallocated buffer, which bugcheck copies
 * @out_buffer_length: size phase: the bytes wanted; data phase: bytes written
 */
struct bugcheck_secondary_dump_data {
	void *in_buffer;
	u32 in_buffer_length;
	u32 maximum_allowed;
	guid_t guid;
	void *out_buffer;
	u32 out_buffer_length;
};

/* Set by a multipart callback in @flags to be called again for another part. */
#define BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA 0x1

/* Dump types reported to callbacks. */
/* clang-format off */
#define BUGCHECK_DUMP_TYPE_KDUMP 1	/* a real bugcheck, a capture kernel follows */
#define BUGCHECK_DUMP_TYPE_NONE 2	/* a real bugcheck, no capture kernel loaded */
#define BUGCHECK_DUMP_TYPE_SIMULATED 3	/* simulate: nothing crashed */
/* clang-format on */

/**
 * struct bugcheck_secondary_dump_data_ex - one part of a multipart block
 * @in_buffer: space in the record for this part
 * @in_buffer_length: bytes at @in_buffer
 * @maximum_allowed: most this part may hold
 * @guid: the part's tag; parts of one callback with one GUID form one blob
 * @out_buffer: as in &struct bugcheck_secondary_dump_data's data phase
 * @out_buffer_length: bytes of this part
 * @context: the callback's own; preserved between the calls of one bugcheck
 * @flags: set %BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA to be called again
 * @dump_type: a BUGCHECK_DUMP_TYPE_* value
 * @bugcheck_code: an &enum bugcheck_code value
 * @bugcheck_parameter: the code's parameters
 */
struct bugcheck_secondary_dump_data_ex {
	void *in_buffer;
	u32 in_buffer_length;
	u32 maximum_allowed;
	guid_t guid;
	void *out_buffer;
	u32 out_buffer_length;
	void *context;
	u32 flags;
	u32 dump_type;
	u32 bugcheck_code;
	unsigned long bugcheck_parameter[4];
};

#define BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS 0x1
#define BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS 0x2
#define BUGCHECK_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST 0x80000000

/**
 * struct bugcheck_add_pages - a range whose contents go into the record
 * @context: the callback's own; preserved between calls of one bugcheck
 * @flags: set exactly one of %BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS (a
 *	kernel virtual address: direct map, vmalloc, ioremap) or
 *	%BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS (RAM only), plus
 *	%BUGCHECK_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST to be called again
 * @bugcheck_code: an &enum bugcheck_code value
 * @address: page-aligned start (virtual or physical per @flags)
 * @count: number of pages
 *
 * Leaving @flags (bar ADDITIONAL_RANGES_EXIST) and @count at 0 means "no range
 * this time"; anything else invalid marks the callback BAD_RESULT.
 */
struct bugcheck_add_pages {
	void *context;
	u32 flags;
	u32 bugcheck_code;
	unsigned long address;
	unsigned long count;
};

#define BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS 0x1
#define BUGCHECK_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS 0x2
#define BUGCHECK_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST 0x80000000

/**
 * struct bugcheck_remove_pages - a range scrubbed before the dump
 * @context: as in &struct bugcheck_add_pages
 * @flags: as in &struct bugcheck_add_pages, with the REMOVE_PAGES flags
 * @bugcheck_code: an &enum bugcheck_code value
 * @address: page-aligned start
 * @count: number of pages
 *
 * The pages are zero-filled in memory before the capture kernel runs, so
 * their contents are not in the vmcore (and makedumpfile drops them as zero
 * pages).  REMOVE_PAGES runs before ADD_PAGES, so a removed range copied by
 * an ADD_PAGES callback is copied scrubbed.
 */
struct bugcheck_remove_pages {
	void *context;
	u32 flags;
	u32 bugcheck_code;
	unsigned long address;
	unsigned long count;
};

/**
 * enum bugcheck_dump_io_type - which part of the record a write carries
 * @BUGCHECK_DUMP_IO_HEADER: the record header and callback table
 * @BUGCHECK_DUMP_IO_BODY: added-page sections (the pages' contents)
 * @BUGCHECK_DUMP_IO_SECONDARY_DATA: every other section (tagged blocks,
 *	triage, legacy buffers, removed-range notes)
 * @BUGCHECK_DUMP_IO_COMPLETE: the last call; buffer NULL, length 0
 */
enum bugcheck_dump_io_type {
	BUGCHECK_DUMP_IO_HEADER = 1,
	BUGCHECK_DUMP_IO_BODY = 2,
	BUGCHECK_DUMP_IO_SECONDARY_DATA = 3,
	BUGCHECK_DUMP_IO_COMPLETE = 4,
};

/**
 * struct bugcheck_dump_io - one write of the record stream
 * @offset: byte offset of @buffer in the record, or (u64)-1 when the stream
 *	is written sequentially (bugcheck always gives the offset)
 * @buffer: the bytes; valid only during the call
 * @buffer_length: number of bytes
 * @type: what the bytes are
 *
 * The writes cover the record exactly once, header first, then body, then
 * secondary data, then %BUGCHECK_DUMP_IO_COMPLETE; writing each @buffer at
 * its @offset yields a byte-identical copy of the record.
 */
struct bugcheck_dump_io {
	u64 offset;
	const void *buffer;
	u32 buffer_length;
	enum bugcheck_dump_io_type type;
};

/**
 * struct bugcheck_triage_dump_data_array - blocks named for triage
 *
 * Caller-allocated (at registration time, not in the callback) with room for
 * the blocks, then set up by bugcheck_init_triage_dump_data_array().
 */
struct bugcheck_triage_dump_data_array {
	/* private: */
	u32 magic;
	u32 capacity;
	u32 count;
	u32 flags;
	struct {
		const void *address;
		size_t size;
	} blocks[];
};

/* Bytes to allocate for a triage array with room for @n blocks. */
#define BUGCHECK_TRIAGE_ARRAY_SIZE(n)                               \
	(offsetof(struct bugcheck_triage_dump_data_array, blocks) + \
	 (n) * sizeof(((struct bugcheck_triage_dump_data_array *)0) \
			      ->blocks[0]))

#define BUGCHECK_TRIAGE_DUMP_DATA_FLAG_DATA_TRUNCATED 0x1

/**
 * struct bugcheck_triage_dump_data - what a triage callback fills in
 * @data_array: set by the callback to its initialised array
 * @flags: 0 on entry (reserved)
 * @max_size: most bytes the callback's blocks may add together
 * @bugcheck_code: an &enum bugcheck_code value
 * @bugcheck_parameter: the code's parameters
 */
struct bugcheck_triage_dump_data {
	struct bugcheck_triage_dump_data_array *data_array;
	u32 flags;
	u32 max_size;
	u32 bugcheck_code;
	unsigned long bugcheck_parameter[4];
};

/**
 * struct bugcheck_callback_record - a legacy (buffer) registration
 *
 * Owned by the caller, opaque, valid until deregistered.
 */
struct bugcheck_callback_record {
	/* private: */
	struct bugcheck_reason_callback_record core;
};

void bugcheck_init_callback_record(struct bugcheck_reason_callback_record *rec);

int __bugcheck_register_reason_callback(
	struct bugcheck_reason_callback_record *rec,
	bugcheck_reason_callback_fn fn, enum bugcheck_callback_reason reason,
	const char *component, struct module *owner);
/*
 * bugcheck_register_reason_callback(rec, fn, reason, component) - see
 * __bugcheck_register_reason_callback(); the macro records the calling
 * module so that its registrations can be dropped if it unloads without
 * deregistering.
 */
#define bugcheck_register_reason_callback(rec, fn, reason, component)   \
	__bugcheck_register_reason_callback(rec, fn, reason, component, \
					    THIS_MODULE)
int bugcheck_deregister_reason_callback(
	struct bugcheck_reason_callback_record *rec);

int bugcheck_init_triage_dump_data_array(
	struct bugcheck_triage_dump_data_array *array, size_t size);
int bugcheck_add_triage_dump_data_block(
	struct bugcheck_triage_dump_data_array *array, const void *address,
	size_t size);

int __bugcheck_register_callback(struct bugcheck_callback_record *rec,
				 void (*fn)(void *buf, size_t len), void *buf,
				 size_t len, const char *component,
				 struct module *owner);
/* bugcheck_register_callback(rec, fn, buf, len, component) - see above. */
#define bugcheck_register_callback(rec, fn, buf, len, component) \
	__bugcheck_register_callback(rec, fn, buf, len, component, THIS_MODULE)
int bugcheck_deregister_callback(struct bugcheck_callback_record *rec);

int bugcheck_simulate(const unsigned long param[4]);

struct device;

/*
 * bugcheck_crashdump_device_ops.flags.  BUGCHECK_CRASHDUMP_F_POWER_ON: the
 * dump needs this device powered, so bugcheck powers it on at a bugcheck (and
 * keeps it resumed under crashdump_power=kdump-loaded).  A device registered
 * without it is only described in the record.
 */
#define BUGCHECK_CRASHDUMP_F_POWER_ON 0x1

/**
 * struct bugcheck_crashdump_device_ops - how bugcheck treats a crash-dump device
 * @power_on: optional; power @dev up for the dump.  Called in panic context
 *	(interrupts off, other CPUs stopped: no sleeping, no locks another CPU
 *	may hold) when the device is not runtime-PM irq-safe, and from
 *	bugcheck_power_on_crashdump_device() in atomic context.  @context is
 *	what that caller passed (NULL at a bugcheck).  Return 0 or -errno.
 *	Never called once the driver the device was bound to at registration
 *	starts unbinding, nor after the module holding it has unloaded.
 * @flags: BUGCHECK_CRASHDUMP_F_* (0: described at a bugcheck, not powered)
 *
 * Read only during bugcheck_register_crashdump_device(): bugcheck keeps a
 * copy, so the structure may be temporary.
 */
struct bugcheck_crashdump_device_ops {
	int (*power_on)(struct device *dev, void *context);
	u32 flags;
};

int bugcheck_register_crashdump_device(
	struct device *dev, const struct bugcheck_crashdump_device_ops *ops);
int bugcheck_deregister_crashdump_device(struct device *dev);
int bugcheck_power_on_crashdump_device(struct device *dev, void *context);
int bugcheck_release_crashdump_device(struct device *dev);

/*
 * Soft dependency: the bugcheck_soft_*() wrappers below let a driver use
 * bugcheck when bugcheck.ko is loaded and still load and run where it is
 * not.  They look each function up at call time with symbol_get(), so the
 * driver has no link-time reference to bugcheck.ko: modinfo shows no
 * "depends: bugcheck", modprobe does not load bugcheck for it, and it needs
 * no KBUILD_EXTRA_SYMBOLS to build.  Each returns -ENODEV when bugcheck.ko
 * is not loaded, else what the function it wraps returns.
 *
 * A successful soft registration holds a reference on bugcheck.ko until the
 * matching soft deregistration, so bugcheck cannot be unloaded under a
 * registered client (rmmod bugcheck fails with EBUSY meanwhile).  Pair soft
 * registrations with soft deregistrations only.  bugcheck is not loaded on
 * demand: load it before the driver (e.g. /etc/modules-load.d) for the
 * driver to register at its own load.
 *
 * Context: as the wrapped function.  bugcheck_soft_add_triage_dump_data_block()
 * may be called from a triage callback: symbol_get() takes no lock.
 */
#define __bugcheck_soft_call(fn, ...)             \
	({                                        \
		typeof(fn) *__f = symbol_get(fn); \
		int __ret = -ENODEV;              \
		if (__f) {                        \
			__ret = __f(__VA_ARGS__); \
			symbol_put(fn);           \
		}                                 \
		__ret;                            \
	})

/* Call @fn; on success keep the module reference for the registration. */
#define __bugcheck_soft_register(fn, ...)         \
	({                                        \
		typeof(fn) *__f = symbol_get(fn); \
		int __ret = -ENODEV;              \
		if (__f) {                        \
			__ret = __f(__VA_ARGS__); \
			if (__ret)                \
				symbol_put(fn);   \
		}                                 \
		__ret;                            \
	})

/* Call @fn; on success drop the reference its registration kept (@reg's). */
#define __bugcheck_soft_deregister(fn, reg, ...)                   \
	({                                                         \
		int __ret = __bugcheck_soft_call(fn, __VA_ARGS__); \
		if (!__ret)                                        \
			symbol_put(reg);                           \
		__ret;                                             \
	})

/**
 * bugcheck_soft_register_reason_callback() - bugcheck_register_reason_callback()
 *	without a link-time dependency on bugcheck.ko
 * @rec: as for bugcheck_register_reason_callback()
 * @fn: as for bugcheck_register_reason_callback()
 * @reason: as for bugcheck_register_reason_callback()
 * @component: as for bugcheck_register_reason_callback()
 *
 * Context: as bugcheck_register_reason_callback().
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_register_reason_callback().  On success a reference on bugcheck.ko
 * is held until bugcheck_soft_deregister_reason_callback().
 */
static inline int bugcheck_soft_register_reason_callback(
	struct bugcheck_reason_callback_record *rec,
	bugcheck_reason_callback_fn fn, enum bugcheck_callback_reason reason,
	const char *component)
{
	return __bugcheck_soft_register(__bugcheck_register_reason_callback,
					rec, fn, reason, component,
					THIS_MODULE);
}

/**
 * bugcheck_soft_deregister_reason_callback() - bugcheck_deregister_reason_callback()
 *	for a soft registration
 * @rec: registered with bugcheck_soft_register_reason_callback()
 *
 * Context: as bugcheck_deregister_reason_callback().
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_deregister_reason_callback().  On success the registration's
 * reference on bugcheck.ko is dropped.
 */
static inline int bugcheck_soft_deregister_reason_callback(
	struct bugcheck_reason_callback_record *rec)
{
	return __bugcheck_soft_deregister(bugcheck_deregister_reason_callback,
					  __bugcheck_register_reason_callback,
					  rec);
}

/**
 * bugcheck_soft_register_callback() - bugcheck_register_callback() without a
 *	link-time dependency on bugcheck.ko
 * @rec: as for bugcheck_register_callback()
 * @fn: as for bugcheck_register_callback()
 * @buf: as for bugcheck_register_callback()
 * @len: as for bugcheck_register_callback()
 * @component: as for bugcheck_register_callback()
 *
 * Context: as bugcheck_register_callback().
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_register_callback().  On success a reference on bugcheck.ko is
 * held until bugcheck_soft_deregister_callback().
 */
static inline int
bugcheck_soft_register_callback(struct bugcheck_callback_record *rec,
				void (*fn)(void *buf, size_t len), void *buf,
				size_t len, const char *component)
{
	return __bugcheck_soft_register(__bugcheck_register_callback, rec, fn,
					buf, len, component, THIS_MODULE);
}

/**
 * bugcheck_soft_deregister_callback() - bugcheck_deregister_callback() for a
 *	soft registration
 * @rec: registered with bugcheck_soft_register_callback()
 *
 * Context: as bugcheck_deregister_callback().
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_deregister_callback().
 */
static inline int
bugcheck_soft_deregister_callback(struct bugcheck_callback_record *rec)
{
	return __bugcheck_soft_deregister(bugcheck_deregister_callback,
					  __bugcheck_register_callback, rec);
}

/**
 * bugcheck_soft_init_triage_dump_data_array() - bugcheck_init_triage_dump_data_array()
 *	without a link-time dependency on bugcheck.ko
 * @array: as for bugcheck_init_triage_dump_data_array()
 * @size: as for bugcheck_init_triage_dump_data_array()
 *
 * Context: any.
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_init_triage_dump_data_array().
 */
static inline int bugcheck_soft_init_triage_dump_data_array(
	struct bugcheck_triage_dump_data_array *array, size_t size)
{
	return __bugcheck_soft_call(bugcheck_init_triage_dump_data_array, array,
				    size);
}

/**
 * bugcheck_soft_add_triage_dump_data_block() - bugcheck_add_triage_dump_data_block()
 *	without a link-time dependency on bugcheck.ko
 * @array: as for bugcheck_add_triage_dump_data_block()
 * @address: as for bugcheck_add_triage_dump_data_block()
 * @size: as for bugcheck_add_triage_dump_data_block()
 *
 * Context: any, including a triage callback (panic context).
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_add_triage_dump_data_block().
 */
static inline int bugcheck_soft_add_triage_dump_data_block(
	struct bugcheck_triage_dump_data_array *array, const void *address,
	size_t size)
{
	return __bugcheck_soft_call(bugcheck_add_triage_dump_data_block, array,
				    address, size);
}

/**
 * bugcheck_soft_simulate() - bugcheck_simulate() without a link-time
 *	dependency on bugcheck.ko
 * @param: as for bugcheck_simulate()
 *
 * Context: process context; may sleep.
 * Return: -ENODEV when bugcheck.ko is not loaded, else as bugcheck_simulate().
 */
static inline int bugcheck_soft_simulate(const unsigned long param[4])
{
	return __bugcheck_soft_call(bugcheck_simulate, param);
}

/**
 * bugcheck_soft_register_crashdump_device() - bugcheck_register_crashdump_device()
 *	without a link-time dependency on bugcheck.ko
 * @dev: as for bugcheck_register_crashdump_device()
 * @ops: as for bugcheck_register_crashdump_device()
 *
 * Context: as bugcheck_register_crashdump_device().
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_register_crashdump_device().  On success a reference on
 * bugcheck.ko is held until bugcheck_soft_deregister_crashdump_device().
 */
static inline int bugcheck_soft_register_crashdump_device(
	struct device *dev, const struct bugcheck_crashdump_device_ops *ops)
{
	return __bugcheck_soft_register(bugcheck_register_crashdump_device, dev,
					ops);
}

/**
 * bugcheck_soft_deregister_crashdump_device() - bugcheck_deregister_crashdump_device()
 *	for a soft registration
 * @dev: registered with bugcheck_soft_register_crashdump_device()
 *
 * Context: as bugcheck_deregister_crashdump_device().
 * Return: -ENODEV when bugcheck.ko is not loaded, else as
 * bugcheck_deregister_crashdump_device().
 */
static inline int bugcheck_soft_deregister_crashdump_device(struct device *dev)
{
	return __bugcheck_soft_deregister(bugcheck_deregister_crashdump_device,
					  bugcheck_register_crashdump_device,
					  dev);
}

#endif /* _BUGCHECK_H */
