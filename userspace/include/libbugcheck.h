/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libbugcheck.h - register blocks of this process's memory to be copied into
 * the bugcheck crash record when the kernel panics (/dev/bugcheck), and make
 * error reports of processes: ELF cores with their registered blocks.
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure; none of them changes errno.  All are thread-safe.  A block belongs
 * to the process, not to a thread or a file descriptor: it stays registered
 * until it is unregistered, the process exits or it calls exec; a child of
 * fork() starts with none.  libbugcheck(7) has the whole story.
 *
 * Structures that a caller fills and passes in start with a size member: set
 * it to sizeof the structure as your header knows it, and zero what you do
 * not use (a newer library reads only @size bytes; an older one refuses a
 * larger structure whose unknown tail is not zero with -E2BIG).  Structures
 * the library fills have reserved space, zeroed, for later members.
 */
#ifndef LIBBUGCHECK_H
#define LIBBUGCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libbugcheck_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * LIBBUGCHECK_VERSION_MAJOR, _MINOR and _PATCH (libbugcheck_version.h) are
 * the version of the header compiled against; bugcheck_version_major() and
 * _minor() that of the library running.
 */
#define LIBBUGCHECK_CHECK_VERSION(major, minor)                           \
	((LIBBUGCHECK_VERSION_MAJOR << 16) + LIBBUGCHECK_VERSION_MINOR >= \
	 ((major) << 16) + (minor))

/** bugcheck_version_major() - the running library's major version */
int bugcheck_version_major(void);

/** bugcheck_version_minor() - the running library's minor version */
int bugcheck_version_minor(void);

/**
 * bugcheck_check_version() - is the running library @major.@minor or newer?
 * @major: the major version needed (a different major is not compatible)
 * @minor: the least minor version needed
 *
 * Return: 0 if it is, -ENOTSUP if not.
 */
int bugcheck_check_version(int major, int minor);

/**
 * bugcheck_close() - let go of /dev/bugcheck
 *
 * The library keeps the device open from its first use, and an open device
 * keeps bugcheck.ko from being unloaded.  This closes it; registrations stay
 * (they belong to the process) and the next call opens the device again.
 * Call it when no other thread is inside libbugcheck.
 *
 * Return: 0, or -EBADF if the descriptor had been closed behind the library.
 */
int bugcheck_close(void);

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
 * @reserved: zeroed; room for later members (the array stride stays)
 */
struct bugcheck_memory_block {
	const void *addr;
	size_t size;
	unsigned int flags;
	unsigned int pages;
	uint64_t reserved[4];
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
 * @reserved: zeroed; room for later members
 */
struct bugcheck_limits {
	size_t block_size_max;
	unsigned int blocks_per_process;
	unsigned int blocks_max;
	unsigned int blocks_registered;
	unsigned int blocks_total;
	unsigned long pinned_pages;
	uint64_t reserved[8];
};

/**
 * bugcheck_get_limits() - read the limits and the current use
 * @limits: filled in on success
 *
 * Return: 0, or -EINVAL (@limits is NULL), -ENODEV or the error of open(2).
 */
int bugcheck_get_limits(struct bugcheck_limits *limits);

/*
 * Error reports (docs/error-reports.md): the counterpart of WerReportCreate,
 * WerReportAddDump, WerReportSubmit and WerReportCloseHandle.  A report is
 * made about a process, holds one or more dumps (ELF cores gdb opens) and is
 * written to a store as one folder, atomically, at submit.
 */

/* bugcheck_report_create() report_type (WER_REPORT_TYPE) */
enum bugcheck_report_type {
	BUGCHECK_REPORT_NONCRITICAL = 0,
	BUGCHECK_REPORT_CRITICAL = 1,
	BUGCHECK_REPORT_APPLICATION_CRASH = 2,
	BUGCHECK_REPORT_APPLICATION_HANG = 3,
};

/*
 * bugcheck_report_add_dump() dump_type (WER_DUMP_TYPE):
 * MICRO: the given thread's registers and stack, the data segments of the
 *	main binary (a thread is required);
 * MINI: every thread's registers and stack, the list of loaded modules and
 *	file mappings, the data segments of all of them;
 * HEAP: MINI plus all private writable memory.
 * Registered blocks (WER's rule): always in HEAP dumps; in MICRO and MINI
 * dumps when submitted with BUGCHECK_SUBMIT_ADD_REGISTERED_DATA.  Memory
 * marked MADV_DONTDUMP is never dumped, registered or not.
 */
enum bugcheck_dump_type {
	BUGCHECK_DUMP_MICRO = 1,
	BUGCHECK_DUMP_MINI = 2,
	BUGCHECK_DUMP_HEAP = 3,
};

/* bugcheck_report_add_dump() flags */
#define BUGCHECK_DUMP_NOHEAP_ONQUEUE \
	0x1 /* a HEAP dump of a queued report is MINI */

/* bugcheck_report_submit() flags */
#define BUGCHECK_SUBMIT_ADD_REGISTERED_DATA \
	0x1 /* registered blocks in every dump */
#define BUGCHECK_SUBMIT_QUEUE 0x2 /* queue the report for later collection */

/* bugcheck_exception_info.flags */
#define BUGCHECK_EXCEPTION_CLIENT_POINTERS 0x1 /* pointers are in the target */

/**
 * struct bugcheck_exception_info - the signal a crash report is about
 *	(WER_EXCEPTION_INFORMATION)
 * @size: sizeof(struct bugcheck_exception_info)
 * @flags: BUGCHECK_EXCEPTION_CLIENT_POINTERS (required for now: the reporter
 *	reads both structures from the target's memory)
 * @siginfo: the siginfo_t the handler got
 * @ucontext: the ucontext_t the handler got: the thread's registers at the
 *	fault, which the dump shows instead of those in the handler
 * @reserved: 0
 */
struct bugcheck_exception_info {
	uint32_t size;
	uint32_t flags;
	const void *siginfo;
	const void *ucontext;
	uint64_t reserved[4];
};

/* bugcheck_dump_options.flags */
#define BUGCHECK_DUMP_ONLY_THIS_THREAD \
	0x1 /* MINI/HEAP: only the given thread */

/**
 * struct bugcheck_dump_options - custom options of one dump
 *	(WER_DUMP_CUSTOM_OPTIONS)
 * @size: sizeof(struct bugcheck_dump_options)
 * @flags: BUGCHECK_DUMP_ONLY_THIS_THREAD
 * @reserved: 0
 */
struct bugcheck_dump_options {
	uint32_t size;
	uint32_t flags;
	uint64_t reserved[6];
};

/* bugcheck_submit_result.status (WER_SUBMIT_RESULT) */
enum bugcheck_submit_status {
	BUGCHECK_REPORT_STORED = 1, /* in the store */
	BUGCHECK_REPORT_QUEUED = 2, /* in the store, queued for collection */
};

/**
 * struct bugcheck_submit_result - what bugcheck_report_submit() did
 * @size: in: sizeof(struct bugcheck_submit_result)
 * @status: enum bugcheck_submit_status
 * @dumps: dumps written
 * @bytes: bytes of all dumps
 * @blocks_dumped: registered blocks whose bytes are in the dumps
 * @path: the report's folder
 * @reserved: zeroed
 */
struct bugcheck_submit_result {
	uint32_t size;
	uint32_t status;
	uint32_t dumps;
	uint32_t blocks_dumped;
	uint64_t bytes;
	char path[4096];
	uint64_t reserved[8];
};

struct bugcheck_report;

/**
 * bugcheck_report_create() - start a report (WerReportCreate)
 * @event_type: what happened, a short name ("crash", "hang", your own);
 *	letters, digits, '-', '_' and '.', 1 to 64 of them
 * @report_type: enum bugcheck_report_type
 * @report: out: the report, for bugcheck_report_close()
 *
 * Return: 0, or -EINVAL, -ENOMEM.
 */
int bugcheck_report_create(const char *event_type, int report_type,
			   struct bugcheck_report **report);

/**
 * bugcheck_report_set_store() - the folder the report is written to
 * @report: the report
 * @dir: an existing folder; NULL: the default (root: /var/lib/bugcheck/reports,
 *	others: $XDG_STATE_HOME/bugcheck/reports, made if missing)
 *
 * Return: 0, or -EINVAL, -ENOMEM.
 */
int bugcheck_report_set_store(struct bugcheck_report *report, const char *dir);

/**
 * bugcheck_report_add_dump() - add a dump of a process (WerReportAddDump)
 * @report: the report
 * @pid: the process (not the caller itself: a process cannot stop itself;
 *	use bugcheck_install_crash_handler() or run bugcheck-report)
 * @tid: the thread the report is about, or 0; required for MICRO
 * @dump_type: enum bugcheck_dump_type
 * @exception_info: the signal of a crash, or NULL
 * @custom_options: NULL, or options
 * @flags: BUGCHECK_DUMP_NOHEAP_ONQUEUE
 *
 * Checks the arguments and that the process and thread exist; the dump is
 * made at submit.
 *
 * Return: 0, or -EINVAL (bad type or flags, MICRO without @tid, @pid is the
 * caller), -E2BIG (a structure's unknown tail is not zero), -ESRCH (no such
 * process, a zombie, @tid not in @pid), -ENOMEM.
 */
/* clang-format off */
int bugcheck_report_add_dump(struct bugcheck_report *report, pid_t pid,
			     pid_t tid, int dump_type,
			     const struct bugcheck_exception_info *exception_info,
			     const struct bugcheck_dump_options *custom_options,
			     unsigned int flags);
/* clang-format on */

/**
 * bugcheck_report_submit() - make the dumps and store the report
 *	(WerReportSubmit)
 * @report: the report, with at least one dump
 * @flags: BUGCHECK_SUBMIT_*
 * @result: NULL, or filled in on success (set its size first)
 *
 * Each process is stopped with ptrace while its dump is made and then
 * continues.  The report's folder appears whole or not at all.
 *
 * Return: 0, or -EINVAL, -ESRCH (the process went away or is a zombie),
 * -EPERM (ptrace refused; bugcheck_report_error() says what to change),
 * -EACCES / -EROFS (the store is not writable), -ENOSPC / -EDQUOT (the store
 * is full), -ENOMEM, or another errno of the store's file system.
 */
int bugcheck_report_submit(struct bugcheck_report *report, unsigned int flags,
			   struct bugcheck_submit_result *result);

/**
 * bugcheck_report_error() - why the last call on @report failed
 * @report: the report
 *
 * Return: a sentence for a person ("" after a success); valid until the next
 * call on @report.
 */
const char *bugcheck_report_error(const struct bugcheck_report *report);

/**
 * bugcheck_report_close() - free a report (WerReportCloseHandle)
 * @report: the report, or NULL
 *
 * Return: 0.
 */
int bugcheck_report_close(struct bugcheck_report *report);

/**
 * struct bugcheck_crash_handler_options - how the crash handler reports
 * @size: sizeof(struct bugcheck_crash_handler_options)
 * @dump_type: enum bugcheck_dump_type; 0: MINI
 * @submit_flags: BUGCHECK_SUBMIT_*; 0: ADD_REGISTERED_DATA | QUEUE
 * @reporter: the bugcheck-report program; NULL: $BUGCHECK_REPORTER at install
 *	time, else the installed one
 * @store_dir: the store; NULL: the default
 * @event_type: NULL: "crash"
 * @reserved: 0
 */
struct bugcheck_crash_handler_options {
	uint32_t size;
	uint32_t dump_type;
	uint32_t submit_flags;
	uint32_t reserved0;
	const char *reporter;
	const char *store_dir;
	const char *event_type;
	uint64_t reserved[4];
};

/**
 * bugcheck_install_crash_handler() - report this process's crashes
 * @options: NULL for the defaults, or options
 *
 * On SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT the handler starts the
 * reporter (vfork-like clone + execve, async-signal-safe only), lets it
 * ptrace this process (PR_SET_PTRACER), waits for it and then lets the
 * signal's default action run (a core dump, if enabled, follows).  The
 * calling thread gets an alternate signal stack so a stack overflow is
 * reported too.  Installing again replaces the options.
 *
 * Return: 0, or -EINVAL, -E2BIG, -ENAMETOOLONG, -ENOENT (no reporter
 * program), -ENOMEM, or the error of sigaction(2) / sigaltstack(2).
 */
/* clang-format off */
int bugcheck_install_crash_handler(const struct bugcheck_crash_handler_options *options);
/* clang-format on */

/**
 * bugcheck_remove_crash_handler() - restore the signal actions found at install
 *
 * Return: 0, or -ENOENT if no handler is installed.
 */
int bugcheck_remove_crash_handler(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBBUGCHECK_H */
