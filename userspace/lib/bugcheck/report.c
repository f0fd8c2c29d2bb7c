// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * report.c - error reports (bugcheck_report_*): a report holds dumps of
 * processes and is written, at submit, to a store as one folder:
 *
 *   STORE/20261202-132000-crash-1234/
 *	report.txt		what the report is (docs/error-reports.md)
 *	dump1.mini.core		an ELF core per dump (core.c)
 *
 * The folder is built under STORE/.tmp-XXXXXX and renamed into place once
 * every file is written and synced, so a reader sees a whole report or none;
 * any failure removes the temporary folder.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define EVENT_MAX 64

struct dump {
	pid_t pid, tid;
	int type;
	unsigned int flags;
	uint32_t opt_flags;
	uint64_t siginfo, ucontext;
	const uint8_t *kernel_core;
	size_t kernel_core_len;
};

struct bugcheck_report {
	char event[EVENT_MAX + 1];
	int type;
	char *store;
	struct dump *dumps;
	size_t ndumps;
	int64_t time;
	char err[BC_MSG_MAX];
};

static const char *report_type_name(int type)
{
	static const char *const names[] = { "noncritical", "critical", "crash",
					     "hang" };

	return type >= 0 && type < 4 ? names[type] : "?";
}

static const char *dump_name(int type)
{
	return type == BUGCHECK_DUMP_MICRO ? "micro" :
	       type == BUGCHECK_DUMP_MINI  ? "mini" :
					     "heap";
}

/*
 * An extensible input structure: at least @ver0 bytes, and bytes past the
 * @known ones zero.  Copies min(size, known) bytes into @dst (zeroed first).
 */
static int struct_in(void *dst, size_t known, size_t ver0, const void *src)
{
	uint32_t size;
	size_t i;

	memcpy(&size, src, sizeof(size));
	if (size < ver0)
		return -EINVAL;
	for (i = known; i < size; i++)
		if (((const uint8_t *)src)[i])
			return -E2BIG;
	memset(dst, 0, known);
	memcpy(dst, src, size < known ? size : known);
	return 0;
}

BUGCHECK_API int bugcheck_report_create(const char *event_type, int report_type,
					struct bugcheck_report **report)
{
	struct bugcheck_report *r;
	size_t i, n;

	if (!event_type || !report ||
	    report_type < BUGCHECK_REPORT_NONCRITICAL ||
	    report_type > BUGCHECK_REPORT_APPLICATION_HANG)
		return -EINVAL;
	n = strlen(event_type);
	if (!n || n > EVENT_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char c = event_type[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	memcpy(r->event, event_type, n + 1);
	r->type = report_type;
	*report = r;
	return 0;
}

BUGCHECK_API int bugcheck_report_set_store(struct bugcheck_report *report,
					   const char *dir)
{
	char *copy = NULL;

	if (!report || (dir && !*dir))
		return -EINVAL;
	if (dir) {
		copy = strdup(dir);
		if (!copy)
			return -ENOMEM;
	}
	free(report->store);
	report->store = copy;
	return 0;
}

static bool task_exists(pid_t pid, pid_t tid)
{
	char path[64];
	struct stat st;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid,
			 (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0;
}

static bool is_zombie(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && (p[2] == 'Z' || p[2] == 'X');
}

#define REPORT_FAIL(rep, code, ...) \
	(bugcheck__msg((rep)->err, sizeof((rep)->err), __VA_ARGS__), -(code))

#define DUMP_LINE \
	"dump%zu=%s pid=%d tid=%d bytes=%llu threads=%u blocks=%u blocks_dumped=%u\n"
#define NO_SELF_DUMP \
	"a process cannot stop itself to dump itself: use the crash handler"
#define NO_CLIENT_POINTERS \
	"exception_info needs BUGCHECK_EXCEPTION_CLIENT_POINTERS"

/* The caller's structures, checked and copied in; 0 or a REPORT_FAIL(). */
static int dump_args_in(struct bugcheck_report *r,
			const struct bugcheck_exception_info *info,
			const struct bugcheck_dump_options *options,
			struct bugcheck_exception_info *ex,
			struct bugcheck_dump_options *opt, pid_t tid)
{
	size_t ex_known = offsetof(struct bugcheck_exception_info, reserved);
	size_t opt_known = offsetof(struct bugcheck_dump_options, reserved);
	int ret;

	if (info) {
		ret = struct_in(ex, sizeof(*ex), ex_known, info);
		if (ret)
			return REPORT_FAIL(r, -ret, "bad %s size",
					   "struct bugcheck_exception_info");
		if (ex->flags != BUGCHECK_EXCEPTION_CLIENT_POINTERS)
			return REPORT_FAIL(r, EINVAL, NO_CLIENT_POINTERS);
	}
	if (options) {
		ret = struct_in(opt, sizeof(*opt), opt_known, options);
		if (ret)
			return REPORT_FAIL(r, -ret, "bad %s size",
					   "struct bugcheck_dump_options");
		if (opt->flags & ~BUGCHECK_DUMP_ONLY_THIS_THREAD)
			return REPORT_FAIL(r, EINVAL,
					   "unknown dump option flags %#x",
					   opt->flags);
		if ((opt->flags & BUGCHECK_DUMP_ONLY_THIS_THREAD) && !tid)
			return REPORT_FAIL(r, EINVAL,
					   "only this thread: give its tid");
	}
	return 0;
}

/*
 * The exported name and its types leave no room for checkpatch's alignment
 * in clang-format's layout.
 */
/* clang-format off */
BUGCHECK_API int
bugcheck_report_add_dump(struct bugcheck_report *report, pid_t pid, pid_t tid,
			 int dump_type,
			 const struct bugcheck_exception_info *exception_info,
			 const struct bugcheck_dump_options *custom_options,
			 unsigned int flags)
/* clang-format on */
{
	struct bugcheck_exception_info ex = { 0 };
	struct bugcheck_dump_options opt = { 0 };
	struct bugcheck_report *r = report;
	struct dump *d;
	int saved_errno = errno, ret;

	if (!r)
		return -EINVAL;
	r->err[0] = 0;
	if (dump_type < BUGCHECK_DUMP_MICRO || dump_type > BUGCHECK_DUMP_HEAP)
		return REPORT_FAIL(r, EINVAL, "unknown dump type %d",
				   dump_type);
	if (flags & ~BUGCHECK_DUMP_NOHEAP_ONQUEUE)
		return REPORT_FAIL(r, EINVAL, "unknown dump flags %#x", flags);
	if (pid <= 0 || tid < 0)
		return REPORT_FAIL(r, EINVAL, "bad pid %d or tid %d", pid, tid);
	if (dump_type == BUGCHECK_DUMP_MICRO && !tid)
		return REPORT_FAIL(r, EINVAL,
				   "a micro dump is of one thread: %s",
				   "give its tid");
	if (pid == getpid())
		return REPORT_FAIL(r, EINVAL, NO_SELF_DUMP);
	ret = dump_args_in(r, exception_info, custom_options, &ex, &opt, tid);
	if (ret)
		return ret;
	ret = 0;
	if (!task_exists(pid, 0))
		ret = REPORT_FAIL(r, ESRCH, "no process %d", pid);
	else if (is_zombie(pid))
		ret = REPORT_FAIL(r, ESRCH, "process %d %s", pid,
				  "is a zombie: it has no memory to dump");
	else if (tid && !task_exists(pid, tid))
		ret = REPORT_FAIL(r, ESRCH,
				  "thread %d is not a thread of process %d",
				  tid, pid);
	errno = saved_errno;
	if (ret)
		return ret;

	d = realloc(r->dumps, (r->ndumps + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	r->dumps = d;
	d += r->ndumps++;
	*d = (struct dump){ .pid = pid,
			    .tid = tid,
			    .type = dump_type,
			    .flags = flags,
			    .opt_flags = opt.flags,
			    .siginfo = (uintptr_t)ex.siginfo,
			    .ucontext = (uintptr_t)ex.ucontext };
	return 0;
}

/* For the core_pattern handler: the last dump's process is being dumped. */
int bugcheck__report_kernel_core(struct bugcheck_report *report,
				 const uint8_t *head, size_t len, int64_t when)
{
	if (!report->ndumps)
		return -EINVAL;
	report->dumps[report->ndumps - 1].kernel_core = head;
	report->dumps[report->ndumps - 1].kernel_core_len = len;
	report->time = when;
	return 0;
}

/* Like add_dump, for a process the kernel is dumping (no ptrace, no checks). */
int bugcheck__report_add_dumping(struct bugcheck_report *report, pid_t pid,
				 pid_t tid, int type)
{
	struct dump *d =
		realloc(report->dumps, (report->ndumps + 1) * sizeof(*d));

	if (!d)
		return -ENOMEM;
	report->dumps = d;
	d += report->ndumps++;
	*d = (struct dump){ .pid = pid, .tid = tid, .type = type };
	return 0;
}

static int mkdirs(char *path, mode_t mode)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int bugcheck__default_store(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (geteuid() == 0)
		n = snprintf(buf, len, "/var/lib/bugcheck/reports");
	else if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/bugcheck/reports", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, len, "%s/.local/state/bugcheck/reports",
			     home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return mkdirs(buf, 0700);
}

static int store_error(struct bugcheck_report *r, const char *store, int err)
{
	if (err == EACCES || err == EPERM || err == EROFS)
		return REPORT_FAIL(r, err, "the store %s is not writable (%s)",
				   store, strerror(err));
	if (err == ENOSPC || err == EDQUOT)
		return REPORT_FAIL(r, err, "the store %s is full (%s)", store,
				   strerror(err));
	if (err == ENOENT || err == ENOTDIR)
		return REPORT_FAIL(r, err, "the store %s is not a folder",
				   store);
	return REPORT_FAIL(r, err, "the store %s: %s", store, strerror(err));
}

/* Remove the files of a (temporary) report folder and the folder. */
int bugcheck__remove_report_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int dfd, ret = 0;

	if (!d)
		return -errno;
	dfd = dirfd(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    unlinkat(dfd, de->d_name, 0) < 0)
			ret = -errno;
	closedir(d);
	if (rmdir(dir) < 0 && !ret)
		ret = -errno;
	return ret;
}

static int fsync_close(int fd)
{
	int ret = fsync(fd) < 0 ? -errno : 0;

	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

static int write_meta(struct bugcheck_report *r, int dirfd, bool queued,
		      const struct bc_dump_stats *st, char (*names)[64])
{
	char tbuf[32];
	time_t when = r->time;
	struct tm tm;
	FILE *f;
	size_t i;
	int fd, ret;

	fd = openat(dirfd, "report.txt",
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	gmtime_r(&when, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "bugcheck-report 1\nevent=%s\nreport_type=%s\nstatus=%s\n",
		r->event, report_type_name(r->type),
		queued ? "queued" : "stored");
	fprintf(f, "time=%lld\ntime_utc=%s\npid=%d\ncomm=%s\ndumps=%zu\n",
		(long long)r->time, tbuf, r->dumps[0].pid, st[0].comm,
		r->ndumps);
	for (i = 0; i < r->ndumps; i++)
		fprintf(f, DUMP_LINE, i + 1, names[i], r->dumps[i].pid,
			r->dumps[i].tid, (unsigned long long)st[i].bytes,
			st[i].threads, st[i].blocks, st[i].blocks_dumped);
	if (fflush(f) == EOF) {
		ret = -errno;
		fclose(f);
		return ret;
	}
	ret = fsync(fileno(f)) < 0 ? -errno : 0;
	if (fclose(f) == EOF && !ret)
		ret = -errno;
	return ret;
}

/* Rename the finished folder to its name, never over another report. */
static int publish(const char *store, const char *tmp, char *id, size_t idlen,
		   struct bugcheck_report *r, char *path, size_t pathlen)
{
	char base[128], tbuf[32];
	time_t when = r->time;
	struct tm tm;
	int i;

	gmtime_r(&when, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y%m%d-%H%M%S", &tm);
	snprintf(base, sizeof(base), "%s-%s-%d", tbuf, r->event,
		 r->dumps[0].pid);
	for (i = 1; i < 1000; i++) {
		int n = i == 1 ? snprintf(id, idlen, "%s", base) :
				 snprintf(id, idlen, "%s-%d", base, i);

		if (n < 0 || (size_t)n >= idlen ||
		    snprintf(path, pathlen, "%s/%s", store, id) >= (int)pathlen)
			return -ENAMETOOLONG;
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
			      RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EEXIST && errno != ENOTEMPTY)
			return -errno;
	}
	return -EEXIST;
}

BUGCHECK_API int bugcheck_report_submit(struct bugcheck_report *report,
					unsigned int flags,
					struct bugcheck_submit_result *result)
{
	char store[PATH_MAX], tmp[PATH_MAX + 16], path[PATH_MAX], id[160];
	char(*names)[64] = NULL;
	struct bc_dump_stats *st = NULL;
	bool queued = flags & BUGCHECK_SUBMIT_QUEUE;
	int saved_errno = errno, dfd = -1, ret;
	uint64_t bytes = 0;
	unsigned int blocks = 0;
	size_t i;

	if (!report)
		return -EINVAL;
	report->err[0] = 0;
	if (flags &
	    ~(BUGCHECK_SUBMIT_ADD_REGISTERED_DATA | BUGCHECK_SUBMIT_QUEUE))
		return REPORT_FAIL(report, EINVAL, "unknown submit flags %#x",
				   flags);
	if (!report->ndumps)
		return REPORT_FAIL(report, EINVAL, "the report has no dump");
	if (result &&
	    result->size < offsetof(struct bugcheck_submit_result, reserved))
		return REPORT_FAIL(report, EINVAL,
				   "bad struct bugcheck_submit_result size");
	if (!report->time)
		report->time = time(NULL);

	if (report->store) {
		if (snprintf(store, sizeof(store), "%s", report->store) >=
		    (int)sizeof(store))
			return REPORT_FAIL(report, ENAMETOOLONG,
					   "store path too long");
	} else {
		ret = bugcheck__default_store(store, sizeof(store));
		if (ret) {
			ret = store_error(report, store, -ret);
			goto out_errno;
		}
	}
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", store);
	if (!mkdtemp(tmp)) {
		ret = store_error(report, store, errno);
		goto out_errno;
	}
	dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	st = calloc(report->ndumps, sizeof(*st));
	names = calloc(report->ndumps, sizeof(*names));
	if (dfd < 0 || !st || !names) {
		ret = dfd < 0 ? store_error(report, store, errno) :
				REPORT_FAIL(report, ENOMEM, "out of memory");
		goto fail;
	}

	for (i = 0; i < report->ndumps; i++) {
		const struct dump *d = &report->dumps[i];
		int type = d->type, fd;
		struct bc_dump_spec spec;

		if (type == BUGCHECK_DUMP_HEAP && queued &&
		    (d->flags & BUGCHECK_DUMP_NOHEAP_ONQUEUE))
			type = BUGCHECK_DUMP_MINI;
		spec = (struct bc_dump_spec){
			.pid = d->pid,
			.tid = d->tid,
			.type = type,
			.add_blocks = flags &
				      BUGCHECK_SUBMIT_ADD_REGISTERED_DATA,
			.only_this_thread = d->opt_flags &
					    BUGCHECK_DUMP_ONLY_THIS_THREAD,
			.siginfo_addr = d->siginfo,
			.ucontext_addr = d->ucontext,
			.kernel_core = d->kernel_core,
			.kernel_core_len = d->kernel_core_len,
			.event = report->event,
			.report_type = report_type_name(report->type),
			.time = report->time,
		};
		snprintf(names[i], sizeof(names[i]), "dump%zu.%s.core", i + 1,
			 dump_name(type));
		fd = openat(dfd, names[i],
			    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			ret = store_error(report, store, errno);
			goto fail;
		}
		ret = bugcheck__core_write(&spec, fd, &st[i], report->err,
					   sizeof(report->err));
		if (ret == -ENOSPC || ret == -EDQUOT)
			store_error(report, store, -ret);
		if (!ret) {
			ret = fsync_close(fd);
			if (ret)
				store_error(report, store, -ret);
		} else {
			close(fd);
		}
		if (ret)
			goto fail;
		bytes += st[i].bytes;
		blocks += st[i].blocks_dumped;
	}
	ret = write_meta(report, dfd, queued, st, names);
	if (!ret)
		ret = fsync(dfd) < 0 ? -errno : 0;
	if (ret) {
		store_error(report, store, -ret);
		goto fail;
	}
	ret = publish(store, tmp, id, sizeof(id), report, path, sizeof(path));
	if (ret) {
		store_error(report, store, -ret);
		goto fail;
	}
	{
		int sfd = open(store, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (sfd >= 0) {
			fsync(sfd);
			close(sfd);
		}
	}
	if (result) {
		uint32_t size = result->size;

		memset(result, 0,
		       size < sizeof(*result) ? size : sizeof(*result));
		result->size = size;
		result->status = queued ? BUGCHECK_REPORT_QUEUED :
					  BUGCHECK_REPORT_STORED;
		result->dumps = report->ndumps;
		result->bytes = bytes;
		result->blocks_dumped = blocks;
		snprintf(result->path, sizeof(result->path), "%s", path);
	}
	goto out;
fail:
	if (dfd >= 0)
		close(dfd);
	dfd = -1;
	bugcheck__remove_report_dir(tmp);
out:
	if (dfd >= 0)
		close(dfd);
	free(st);
	free(names);
out_errno:
	errno = saved_errno;
	return ret;
}

BUGCHECK_API const char *
bugcheck_report_error(const struct bugcheck_report *report)
{
	return report ? report->err : "";
}

BUGCHECK_API int bugcheck_report_close(struct bugcheck_report *report)
{
	if (report) {
		free(report->store);
		free(report->dumps);
		free(report);
	}
	return 0;
}
