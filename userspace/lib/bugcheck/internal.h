/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * internal.h - libbugcheck's own declarations, shared by its units:
 * libbugcheck.c (the /dev/bugcheck registry), core.c (ELF cores of another
 * process), report.c (reports and their store), handler.c (the in-process
 * crash handler).  Nothing here is exported.
 */
#ifndef LIBBUGCHECK_INTERNAL_H
#define LIBBUGCHECK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libbugcheck.h"

#define BUGCHECK_API __attribute__((visibility("default")))

/* The name and type of the project's own ELF note in a report's core. */
#define BC_NOTE_NAME "BUGCHECK"
#define BC_NOTE_REPORT 0x42430001 /* text, docs/error-reports.md */

/* The most bytes of the target's memory in one dump segment (sanity). */
#define BC_MSG_MAX 512

/**
 * struct bc_dump_spec - what one core should contain
 * @pid: the process
 * @tid: the thread the dump is about (0: none given)
 * @type: BUGCHECK_DUMP_MICRO / MINI / HEAP
 * @add_blocks: include the registered blocks (WER's rule, see report.c)
 * @only_this_thread: registers and stack of @tid only
 * @siginfo_addr: a siginfo_t in the target (0: none; a crash report)
 * @ucontext_addr: the ucontext_t of the signal in the target (0: none)
 * @kernel_core: the head of the kernel's own core of the process (its ELF
 *	header, program headers and notes), when the process is being dumped
 *	by the kernel (core_pattern pipe) and cannot be stopped; NULL: stop it
 *	with ptrace
 * @kernel_core_len: bytes at @kernel_core
 * @event: the report's event type
 * @report_type: its name (noncritical, critical, crash, hang)
 * @time: when the report was made (seconds since the epoch)
 */
struct bc_dump_spec {
	pid_t pid;
	pid_t tid;
	int type;
	bool add_blocks;
	bool only_this_thread;
	uint64_t siginfo_addr;
	uint64_t ucontext_addr;
	const uint8_t *kernel_core;
	size_t kernel_core_len;
	const char *event;
	const char *report_type;
	int64_t time;
};

/**
 * struct bc_dump_stats - what bugcheck__core_write() wrote
 * @bytes: size of the core file
 * @threads: threads with registers in it
 * @segments: PT_LOAD segments with contents
 * @blocks: registered blocks the process has
 * @blocks_dumped: of those, the ones whose bytes are in the core
 * @comm: the process's name
 */
struct bc_dump_stats {
	uint64_t bytes;
	unsigned int threads;
	unsigned int segments;
	unsigned int blocks;
	unsigned int blocks_dumped;
	char comm[17];
};

/*
 * Write the ELF core @spec asks for to @fd (at offset 0, sequentially).
 * Return: 0, or -errno with a sentence for a person in @msg.
 */
int bugcheck__core_write(const struct bc_dump_spec *spec, int fd,
			 struct bc_dump_stats *stats, char *msg, size_t msglen);

/* The store a report goes to when none is given; into @buf. */
int bugcheck__default_store(char *buf, size_t len);

/* report.c, for the core_pattern handler and the CLI */
int bugcheck__report_add_dumping(struct bugcheck_report *report, pid_t pid,
				 pid_t tid, int type);
int bugcheck__report_kernel_core(struct bugcheck_report *report,
				 const uint8_t *head, size_t len, int64_t when);
int bugcheck__remove_report_dir(const char *dir);

/* Open /dev/bugcheck for a reporter (not the cached descriptor). */
int bugcheck__dev_open(void);

/* printf into a message buffer; never fails. */
void bugcheck__msg(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIBBUGCHECK_INTERNAL_H */
