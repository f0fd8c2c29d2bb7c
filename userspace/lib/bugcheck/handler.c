// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * handler.c - bugcheck_install_crash_handler(): on a fatal signal, start the
 * reporter on this process and then let the signal do what it would have.
 *
 * Everything that can fail or allocate happens at install: the reporter's
 * path and argument vector are built then, the store is resolved, an
 * alternate signal stack is set.  The handler itself only makes system calls
 * (pipe2, clone, prctl, write, wait4, execve, sigaction, tgkill) and formats
 * numbers into static buffers: async-signal-safe.  Its steps:
 *
 *   crashing thread                       child
 *   pipe2(), clone(SIGCHLD) ------------> read(pipe): waits
 *   prctl(PR_SET_PTRACER, child)
 *   write(pipe) ------------------------> execve(bugcheck-report ... PID)
 *   wait4(child)                          PTRACE_SEIZE every thread, dump,
 *                                         PTRACE_DETACH, exit
 *   prctl(PR_SET_PTRACER, 0)
 *   default action, signal re-raised or the fault re-executed
 *
 * PR_SET_PTRACER lets the child trace its parent under Yama ptrace_scope 1.
 * The reporter reads the siginfo and ucontext from this process's memory, so
 * the dump shows the thread at the fault, not in the handler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#ifndef LIBBUGCHECK_REPORTER
#define LIBBUGCHECK_REPORTER "/usr/local/bin/bugcheck-report"
#endif

#define ALTSTACK_SIZE (128 * 1024)

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
#define NSIG_CRASH (sizeof(crash_signals) / sizeof(crash_signals[0]))

static struct sigaction old_actions[NSIG_CRASH];
static bool installed;
static atomic_int in_handler;

static char reporter[PATH_MAX];
static char store[PATH_MAX];
static char event[65];
static char type_arg[8];
static char num_pid[24], num_tid[24], num_si[24], num_uc[24];
static char *argv_[24];
static char *envp_[] = { NULL };

/* Decimal or hex into @buf, no libc: async-signal-safe. */
static void utoa(char *buf, unsigned long long v, unsigned int base)
{
	char tmp[24];
	int n = 0, i = 0;

	if (base == 16) {
		buf[i++] = '0';
		buf[i++] = 'x';
	}
	do {
		unsigned int d = v % base;

		tmp[n++] = d < 10 ? '0' + d : 'a' + d - 10;
		v /= base;
	} while (v);
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = 0;
}

static long sys(long nr, long a, long b, long c, long d, long e)
{
	return syscall(nr, a, b, c, d, e);
}

static void run_reporter(siginfo_t *si, void *uc)
{
	pid_t pid = (pid_t)sys(SYS_getpid, 0, 0, 0, 0, 0);
	pid_t tid = (pid_t)sys(SYS_gettid, 0, 0, 0, 0, 0);
	int p[2], st;
	long child;
	char c = 'x';

	utoa(num_pid, pid, 10);
	utoa(num_tid, tid, 10);
	utoa(num_si, (uintptr_t)si, 16);
	utoa(num_uc, (uintptr_t)uc, 16);
	if (sys(SYS_pipe2, (long)p, O_CLOEXEC, 0, 0, 0) < 0)
		return;
	child = sys(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (child == 0) {
		sys(SYS_close, p[1], 0, 0, 0, 0);
		while (sys(SYS_read, p[0], (long)&c, 1, 0, 0) < 0 &&
		       errno == EINTR)
			;
		sys(SYS_execve, (long)reporter, (long)argv_, (long)envp_, 0, 0);
		sys(SYS_exit_group, 127, 0, 0, 0, 0);
	}
	sys(SYS_close, p[0], 0, 0, 0, 0);
	if (child > 0)
		sys(SYS_prctl, PR_SET_PTRACER, child, 0, 0, 0);
	sys(SYS_write, p[1], (long)&c, 1, 0, 0);
	sys(SYS_close, p[1], 0, 0, 0, 0);
	if (child > 0)
		while (sys(SYS_wait4, child, (long)&st, __WALL, 0, 0) < 0 &&
		       errno == EINTR)
			;
	sys(SYS_prctl, PR_SET_PTRACER, 0, 0, 0, 0);
}

static void crash_handler(int sig, siginfo_t *si, void *uc)
{
	int expected = 0, saved_errno = errno;
	struct sigaction dfl;

	/* One report per process: a second crashing thread waits for the end. */
	if (!atomic_compare_exchange_strong(&in_handler, &expected, 1)) {
		for (;;)
			pause();
	}
	run_reporter(si, uc);

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	/*
	 * A fault the kernel raised comes back when the instruction runs again,
	 * with its own siginfo; a sent signal must be sent again (it is blocked
	 * here and arrives when the handler returns).
	 */
	if (si->si_code <= 0 || sig == SIGABRT)
		sys(SYS_tgkill, sys(SYS_getpid, 0, 0, 0, 0, 0),
		    sys(SYS_gettid, 0, 0, 0, 0, 0), sig, 0, 0);
	errno = saved_errno;
}

static int build_argv(const struct bugcheck_crash_handler_options *o)
{
	static const char *const types[] = { "", "micro", "mini", "heap" };
	unsigned int flags = o->submit_flags ?
				     o->submit_flags :
				     BUGCHECK_SUBMIT_ADD_REGISTERED_DATA |
					     BUGCHECK_SUBMIT_QUEUE;
	int dump = o->dump_type ? (int)o->dump_type : BUGCHECK_DUMP_MINI;
	const char *rep = o->reporter ? o->reporter :
					getenv("BUGCHECK_REPORTER");
	int n = 0, ret;

	if (dump < BUGCHECK_DUMP_MICRO || dump > BUGCHECK_DUMP_HEAP ||
	    (flags &
	     ~(BUGCHECK_SUBMIT_ADD_REGISTERED_DATA | BUGCHECK_SUBMIT_QUEUE)))
		return -EINVAL;
	if (!rep || !*rep)
		rep = LIBBUGCHECK_REPORTER;
	if (snprintf(reporter, sizeof(reporter), "%s", rep) >=
	    (int)sizeof(reporter))
		return -ENAMETOOLONG;
	if (access(reporter, X_OK) < 0)
		return -errno;
	if (o->store_dir) {
		if (snprintf(store, sizeof(store), "%s", o->store_dir) >=
		    (int)sizeof(store))
			return -ENAMETOOLONG;
	} else {
		ret = bugcheck__default_store(store, sizeof(store));
		if (ret)
			return ret;
	}
	if (snprintf(event, sizeof(event), "%s",
		     o->event_type ? o->event_type : "crash") >=
	    (int)sizeof(event))
		return -EINVAL;
	snprintf(type_arg, sizeof(type_arg), "%s", types[dump]);

	argv_[n++] = reporter;
	argv_[n++] = "--report-type";
	argv_[n++] = "crash";
	argv_[n++] = "--event";
	argv_[n++] = event;
	argv_[n++] = "--type";
	argv_[n++] = type_arg;
	argv_[n++] = "--store";
	argv_[n++] = store;
	if (flags & BUGCHECK_SUBMIT_ADD_REGISTERED_DATA)
		argv_[n++] = "--add-registered";
	if (flags & BUGCHECK_SUBMIT_QUEUE)
		argv_[n++] = "--queue";
	argv_[n++] = "--tid";
	argv_[n++] = num_tid;
	argv_[n++] = "--siginfo";
	argv_[n++] = num_si;
	argv_[n++] = "--ucontext";
	argv_[n++] = num_uc;
	argv_[n++] = "--quiet";
	argv_[n++] = num_pid;
	argv_[n] = NULL;
	return 0;
}

/* clang-format off */
BUGCHECK_API int
bugcheck_install_crash_handler(const struct bugcheck_crash_handler_options *options)
/* clang-format on */
{
	struct bugcheck_crash_handler_options o = { 0 };
	int saved_errno = errno, ret = 0;
	struct sigaction sa;
	stack_t ss;
	size_t i;

	if (options) {
		const uint8_t *raw = (const void *)options;

		if (options->size <
		    offsetof(struct bugcheck_crash_handler_options, reserved))
			return -EINVAL;
		for (i = sizeof(o); i < options->size; i++)
			if (raw[i])
				return -E2BIG;
		memcpy(&o, options,
		       options->size < sizeof(o) ? options->size : sizeof(o));
	}
	ret = build_argv(&o);
	if (ret)
		goto out;

	/* A stack overflow must still find a stack to run the handler on. */
	if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
		void *stk = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (stk == MAP_FAILED) {
			ret = -errno;
			goto out;
		}
		ss.ss_sp = stk;
		ss.ss_size = ALTSTACK_SIZE;
		ss.ss_flags = 0;
		if (sigaltstack(&ss, NULL) < 0) {
			ret = -errno;
			munmap(stk, ALTSTACK_SIZE);
			goto out;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIG_CRASH; i++) {
		if (sigaction(crash_signals[i], &sa,
			      installed ? NULL : &old_actions[i]) < 0) {
			ret = -errno;
			while (!installed && i--)
				sigaction(crash_signals[i], &old_actions[i],
					  NULL);
			goto out;
		}
	}
	installed = true;
out:
	errno = saved_errno;
	return ret;
}

BUGCHECK_API int bugcheck_remove_crash_handler(void)
{
	int saved_errno = errno;
	size_t i;

	if (!installed)
		return -ENOENT;
	for (i = 0; i < NSIG_CRASH; i++)
		sigaction(crash_signals[i], &old_actions[i], NULL);
	installed = false;
	errno = saved_errno;
	return 0;
}
