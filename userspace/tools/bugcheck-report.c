// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck-report: error reports of processes (libbugcheck's report API):
 * live, from the crash handler, or for every crashing process as the
 * kernel's core_pattern pipe; and the store's queue.
 *
 *   bugcheck-report PID [--tid TID] [--type micro|mini|heap] [--add-registered]
 *                   [--store DIR] [--event NAME] [--queue] [--report-type T]
 *   bugcheck-report list [--store DIR]
 *   bugcheck-report remove [--store DIR] (ID... | --all)
 *   bugcheck-report core-pattern install [--type T] [--store DIR] [--no-chain]
 *   bugcheck-report core-pattern remove [--force] | status
 *   bugcheck-report core-pattern-handler ...   (run by the kernel)
 *
 * Exit status: 0 done; 1 the report (or the store, or core_pattern) failed;
 * 2 usage.  bugcheck-report(1) has the details.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libbugcheck.h>

#include "internal.h"

#define PROG "bugcheck-report"
#define CORE_PATTERN "/proc/sys/kernel/core_pattern"
#define STATE_DIR "/var/lib/bugcheck"
#define SAVED_PATTERN STATE_DIR "/core_pattern.previous"
#define PATTERN_CONF STATE_DIR "/core_pattern.conf"
#define HANDLER_ARG "core-pattern-handler"
#define HANDLER_SPECS "%P %I %p %i %s %t %c %u %g %h %d %e %E"
#define CORENAME_MAX 128
#define HEAD_MAX (64U << 20)

static const char usage_text[] =
	"usage: bugcheck-report PID [--tid TID] [--type micro|mini|heap] [--add-registered]\n"
	"                       [--store DIR] [--event NAME] [--queue]\n"
	"                       [--report-type noncritical|critical|crash|hang] [--quiet]\n"
	"       bugcheck-report list [--store DIR]\n"
	"       bugcheck-report remove [--store DIR] (ID... | --all)\n"
	"       bugcheck-report core-pattern install [--type T] [--store DIR] [--no-chain]\n"
	"       bugcheck-report core-pattern remove [--force]\n"
	"       bugcheck-report core-pattern status\n";

#define APP_CRASH BUGCHECK_REPORT_APPLICATION_CRASH
/* The handler queues its report, registered blocks in every dump. */
#define QUEUED_WITH_BLOCKS \
	(BUGCHECK_SUBMIT_ADD_REGISTERED_DATA | BUGCHECK_SUBMIT_QUEUE)
#define TYPE_WORDS "--type is micro, mini or heap"
#define HANDLER_USAGE "--type micro|mini|heap, --store /ABSOLUTE/DIR"
#define TOO_LONG \
	": the handler's core_pattern would be too long (%zu of %d bytes): install %s in a shorter path\n"
#define NOT_OURS \
	": core_pattern is not ours any more (%s): not touching it (--force restores the saved one)\n"

static int usage_error(const char *why)
{
	if (why)
		fprintf(stderr, PROG ": %s\n", why);
	fputs(usage_text, stderr);
	return 2;
}

static int parse_type(const char *s)
{
	if (!strcmp(s, "micro"))
		return BUGCHECK_DUMP_MICRO;
	if (!strcmp(s, "mini"))
		return BUGCHECK_DUMP_MINI;
	if (!strcmp(s, "heap"))
		return BUGCHECK_DUMP_HEAP;
	return -1;
}

static int parse_report_type(const char *s)
{
	static const char *const names[] = { "noncritical", "critical", "crash",
					     "hang" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static bool parse_num(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return *s && !*end && !errno && *s != '-';
}

static const char *store_or_default(const char *store, char *buf, size_t len)
{
	int ret;

	if (store)
		return store;
	ret = bugcheck__default_store(buf, len);
	if (ret) {
		fprintf(stderr, PROG ": no store: %s (give --store DIR)\n",
			strerror(-ret));
		return NULL;
	}
	return buf;
}

/* --- a live report ------------------------------------------------------------ */

static int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tid", required_argument, NULL, 'T' },
		{ "type", required_argument, NULL, 't' },
		{ "add-registered", no_argument, NULL, 'r' },
		{ "store", required_argument, NULL, 's' },
		{ "event", required_argument, NULL, 'e' },
		{ "queue", no_argument, NULL, 'q' },
		{ "report-type", required_argument, NULL, 'R' },
		{ "siginfo", required_argument, NULL, 'S' },
		{ "ucontext", required_argument, NULL, 'U' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ NULL, 0, NULL, 0 },
	};
	struct bugcheck_submit_result res = { .size = sizeof(res) };
	struct bugcheck_exception_info ex = {
		.size = sizeof(ex), .flags = BUGCHECK_EXCEPTION_CLIENT_POINTERS
	};
	unsigned long long pid, tid = 0, si = 0, uc = 0;
	const char *store = NULL, *event = NULL;
	int type = BUGCHECK_DUMP_MINI, rtype = -1, opt, ret;
	unsigned int flags = 0;
	struct bugcheck_report *r;
	bool quiet = false;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'T':
			if (!parse_num(optarg, &tid) || !tid || tid > INT32_MAX)
				return usage_error("bad --tid");
			break;
		case 't':
			type = parse_type(optarg);
			if (type < 0)
				return usage_error(TYPE_WORDS);
			break;
		case 'r':
			flags |= BUGCHECK_SUBMIT_ADD_REGISTERED_DATA;
			break;
		case 's':
			store = optarg;
			break;
		case 'e':
			event = optarg;
			break;
		case 'q':
			flags |= BUGCHECK_SUBMIT_QUEUE;
			break;
		case 'R':
			rtype = parse_report_type(optarg);
			if (rtype < 0)
				return usage_error("bad --report-type");
			break;
		case 'S':
			if (!parse_num(optarg, &si))
				return usage_error("bad --siginfo");
			break;
		case 'U':
			if (!parse_num(optarg, &uc))
				return usage_error("bad --ucontext");
			break;
		case 'Q':
			quiet = true;
			break;
		default:
			return usage_error(NULL);
		}
	}
	if (optind != argc - 1)
		return usage_error("one PID, please");
	if (!parse_num(argv[optind], &pid) || !pid || pid > INT32_MAX)
		return usage_error("bad PID");
	if (rtype < 0)
		rtype = si ? BUGCHECK_REPORT_APPLICATION_CRASH :
			     BUGCHECK_REPORT_NONCRITICAL;
	if (!event)
		event = si ? "crash" : "live";

	ret = bugcheck_report_create(event, rtype, &r);
	if (ret) {
		fprintf(stderr, PROG ": bad event name '%s': %s\n", event,
			strerror(-ret));
		return ret == -EINVAL ? 2 : 1;
	}
	ex.siginfo = (const void *)(uintptr_t)si;
	ex.ucontext = (const void *)(uintptr_t)uc;
	ret = bugcheck_report_set_store(r, store);
	if (!ret)
		ret = bugcheck_report_add_dump(r, pid, tid, type,
					       si || uc ? &ex : NULL, NULL, 0);
	if (!ret)
		ret = bugcheck_report_submit(r, flags, &res);
	if (ret) {
		const char *why = bugcheck_report_error(r);

		fprintf(stderr, PROG ": %s\n", *why ? why : strerror(-ret));
		bugcheck_report_close(r);
		return 1;
	}
	if (!quiet)
		printf("%s\n  %s, %s dump, %llu bytes, %u registered block%s in it\n",
		       res.path,
		       res.status == BUGCHECK_REPORT_QUEUED ? "queued" :
							      "stored",
		       type == BUGCHECK_DUMP_MICRO ? "micro" :
		       type == BUGCHECK_DUMP_MINI  ? "mini" :
						     "heap",
		       (unsigned long long)res.bytes, res.blocks_dumped,
		       res.blocks_dumped == 1 ? "" : "s");
	bugcheck_report_close(r);
	return 0;
}

/* --- the store's queue ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *meta_value(const char *meta, const char *key, char *buf,
			size_t len)
{
	size_t k = strlen(key);
	const char *p = meta;

	buf[0] = 0;
	while (p && *p) {
		if (!strncmp(p, key, k) && p[k] == '=') {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p - k - 1) :
				       strlen(p + k + 1);

			snprintf(buf, len, "%.*s", (int)n, p + k + 1);
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return buf;
}

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static int list_ids(const char *store, char ***ids, size_t *n)
{
	DIR *d = opendir(store);
	struct dirent *de;
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/report.txt", store,
			 de->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (*n == cap) {
			char **nn = realloc(*ids, (cap = cap ? cap * 2 : 16) *
							  sizeof(char *));

			if (!nn)
				break;
			*ids = nn;
		}
		(*ids)[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(*ids, *n, sizeof(char *), cmp_str);
	return 0;
}

static int store_opt(int argc, char **argv, const char **store, bool *all)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 's')
			*store = optarg;
		else if (opt == 'a' && all)
			*all = true;
		else
			return -1;
	}
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	char buf[PATH_MAX], meta[4096], v[6][128];
	const char *store = NULL;
	char **ids;
	size_t n, i;
	int ret;

	if (store_opt(argc, argv, &store, NULL) || optind != argc)
		return usage_error(NULL);
	store = store_or_default(store, buf, sizeof(buf));
	if (!store)
		return 1;
	ret = list_ids(store, &ids, &n);
	if (ret) {
		fprintf(stderr, PROG ": cannot read the store %s: %s\n", store,
			strerror(-ret));
		return 1;
	}
	printf("%-40s %-7s %-12s %-6s %-8s %s\n", "ID", "STATUS", "EVENT",
	       "TYPE", "PID", "COMM");
	for (i = 0; i < n; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s/report.txt", store, ids[i]);
		if (read_text(path, meta, sizeof(meta)) == 0)
			printf("%-40s %-7s %-12s %-6s %-8s %s\n", ids[i],
			       meta_value(meta, "status", v[0], sizeof(v[0])),
			       meta_value(meta, "event", v[1], sizeof(v[1])),
			       meta_value(meta, "report_type", v[2],
					  sizeof(v[2])),
			       meta_value(meta, "pid", v[3], sizeof(v[3])),
			       meta_value(meta, "comm", v[4], sizeof(v[4])));
		free(ids[i]);
	}
	printf("total: %zu report%s in %s\n", n, n == 1 ? "" : "s", store);
	free(ids);
	return 0;
}

static int remove_one(const char *store, const char *id)
{
	char path[PATH_MAX], meta[PATH_MAX + 16];
	struct stat st;
	int ret;

	if (!*id || strchr(id, '/') || id[0] == '.') {
		fprintf(stderr, PROG ": '%s' is not a report id\n", id);
		return 1;
	}
	if (snprintf(path, sizeof(path), "%s/%s", store, id) >=
	    (int)sizeof(path)) {
		fprintf(stderr, PROG ": report path too long\n");
		return 1;
	}
	snprintf(meta, sizeof(meta), "%s/report.txt", path);
	if (stat(meta, &st) < 0) {
		fprintf(stderr, PROG ": no report %s in %s\n", id, store);
		return 1;
	}
	ret = bugcheck__remove_report_dir(path);
	if (ret) {
		fprintf(stderr, PROG ": cannot remove %s: %s\n", path,
			strerror(-ret));
		return 1;
	}
	printf("removed %s\n", id);
	return 0;
}

static int cmd_remove(int argc, char **argv)
{
	const char *store = NULL;
	char buf[PATH_MAX];
	bool all = false, ids;
	int i, rc = 0;

	if (store_opt(argc, argv, &store, &all))
		return usage_error("give report ids or --all");
	ids = optind < argc;
	if (all == ids)
		return usage_error("give report ids or --all");
	store = store_or_default(store, buf, sizeof(buf));
	if (!store)
		return 1;
	if (all) {
		char **ids;
		size_t n, j;

		if (list_ids(store, &ids, &n)) {
			fprintf(stderr, PROG ": cannot read the store %s: %m\n",
				store);
			return 1;
		}
		for (j = 0; j < n; j++) {
			rc |= remove_one(store, ids[j]);
			free(ids[j]);
		}
		free(ids);
		return rc;
	}
	for (i = optind; i < argc; i++)
		rc |= remove_one(store, argv[i]);
	return rc;
}

/* --- core_pattern ------------------------------------------------------------------ */

static int read_pattern(char *buf, size_t len)
{
	int ret = read_text(CORE_PATTERN, buf, len);
	size_t n;

	if (ret)
		return ret;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

static int write_file(const char *path, const char *s, bool newline,
		      mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	size_t n = strlen(s);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, n) != (ssize_t)n ||
	    (newline && write(fd, "\n", 1) != 1))
		ret = errno ? -errno : -EIO;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

static int self_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static bool is_ours(const char *pattern)
{
	char self[PATH_MAX], want[PATH_MAX + 32];

	if (self_path(self, sizeof(self)))
		return false;
	snprintf(want, sizeof(want), "|%s " HANDLER_ARG " ", self);
	return !strncmp(pattern, want, strlen(want)) ||
	       strstr(pattern, " " HANDLER_ARG " ");
}

static int cmd_core_pattern(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "store", required_argument, NULL, 's' },
		{ "no-chain", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	char cur[CORENAME_MAX + 2], prev[CORENAME_MAX + 2], self[PATH_MAX];
	char pattern[PATH_MAX + 64], conf[PATH_MAX + 64];
	const char *type = "mini", *store = "", *what;
	bool chain = true, force = false;
	int opt, ret;

	if (argc < 2)
		return usage_error("core-pattern install, remove or status");
	what = argv[1];
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 't' && parse_type(optarg) > 0)
			type = optarg;
		else if (opt == 's' && optarg[0] == '/')
			store = optarg;
		else if (opt == 'n')
			chain = false;
		else if (opt == 'f')
			force = true;
		else
			return usage_error(HANDLER_USAGE);
	}
	if (optind != argc)
		return usage_error(NULL);
	ret = read_pattern(cur, sizeof(cur));
	if (ret) {
		fprintf(stderr, PROG ": cannot read " CORE_PATTERN ": %s\n",
			strerror(-ret));
		return 1;
	}

	if (!strcmp(what, "status")) {
		printf("core_pattern: %s\n", cur);
		if (is_ours(cur) &&
		    read_text(SAVED_PATTERN, prev, sizeof(prev)) == 0 &&
		    read_text(PATTERN_CONF, conf, sizeof(conf)) == 0)
			printf("installed; previous: %s\n%s", prev, conf);
		else
			printf("not installed\n");
		return 0;
	}
	if (!strcmp(what, "install")) {
		if (geteuid() != 0) {
			fprintf(stderr, PROG
				": installing a core_pattern needs root\n");
			return 1;
		}
		ret = self_path(self, sizeof(self));
		if (!ret &&
		    snprintf(pattern, sizeof(pattern), "|%s %s %s", self,
			     HANDLER_ARG, HANDLER_SPECS) >= CORENAME_MAX)
			ret = -ENAMETOOLONG;
		if (ret) {
			fprintf(stderr, PROG TOO_LONG, strlen(pattern),
				CORENAME_MAX - 1, self);
			return 1;
		}
		mkdir("/var", 0755);
		mkdir("/var/lib", 0755);
		mkdir(STATE_DIR, 0755);
		/* Installing over ourselves keeps the pattern saved the first time. */
		if (!is_ours(cur)) {
			ret = write_file(SAVED_PATTERN, cur, false, 0644);
			if (ret) {
				fprintf(stderr,
					PROG
					": cannot save the core_pattern in " SAVED_PATTERN
					": %s\n",
					strerror(-ret));
				return 1;
			}
		}
		snprintf(conf, sizeof(conf), "type=%s\nstore=%s\nchain=%d\n",
			 type, store, chain);
		ret = write_file(PATTERN_CONF, conf, false, 0644);
		if (!ret)
			ret = write_file(CORE_PATTERN, pattern, false, 0);
		if (ret) {
			fprintf(stderr,
				PROG ": cannot install the core_pattern: %s\n",
				strerror(-ret));
			return 1;
		}
		printf("core_pattern: %s\n", pattern);
		if (!is_ours(cur))
			printf("previous, passed each core on%s: %s\n",
			       chain ? "" : " (not: --no-chain)", cur);
		return 0;
	}
	if (!strcmp(what, "remove")) {
		if (!is_ours(cur) && !force) {
			fprintf(stderr, PROG NOT_OURS, cur);
			return 1;
		}
		ret = read_text(SAVED_PATTERN, prev, sizeof(prev));
		if (ret) {
			fprintf(stderr,
				PROG ": no saved core_pattern in " SAVED_PATTERN
				     ": %s\n",
				strerror(-ret));
			return 1;
		}
		ret = write_file(CORE_PATTERN, prev, false, 0);
		if (!ret)
			ret = read_pattern(cur, sizeof(cur));
		if (!ret && strcmp(cur, prev))
			ret = -EIO;
		if (ret) {
			fprintf(stderr,
				PROG ": cannot restore core_pattern '%s': %s\n",
				prev, strerror(-ret));
			return 1;
		}
		unlink(SAVED_PATTERN);
		unlink(PATTERN_CONF);
		printf("core_pattern: %s (restored)\n", cur);
		return 0;
	}
	return usage_error("core-pattern install, remove or status");
}

/* --- the core_pattern pipe handler --------------------------------------------- */

enum { A_P, A_I, A_p, A_i, A_s, A_t, A_c, A_u, A_g, A_h, A_d, A_e, A_E, A_N };
static const char spec_chars[A_N] = { 'P', 'I', 'p', 'i', 's', 't', 'c',
				      'u', 'g', 'h', 'd', 'e', 'E' };

static void klog(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int fd, n;

	n = snprintf(buf, sizeof(buf), "<3>" PROG ": ");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!write(fd, buf, strlen(buf));
		close(fd);
	}
	fprintf(stderr, "%s\n", buf + 3);
}

/* One argument of a core_pattern with the specifiers we were given. */
static void expand(const char *tmpl, char *const *val, char *out, size_t len)
{
	size_t o = 0;

	for (; *tmpl && o + 1 < len; tmpl++) {
		const char *v = NULL;
		char one[2] = { 0 };
		int i;

		if (*tmpl != '%') {
			out[o++] = *tmpl;
			continue;
		}
		if (!*++tmpl)
			break;
		if (*tmpl == '%') {
			one[0] = '%';
			v = one;
		}
		for (i = 0; i < A_N && !v; i++)
			if (spec_chars[i] == *tmpl)
				v = val[i];
		while (v && *v && o + 1 < len)
			out[o++] = *v++;
	}
	out[o] = 0;
}

static ssize_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (uint8_t *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -1 : (ssize_t)got;
		got += r;
	}
	return got;
}

static bool write_full(int fd, const void *buf, size_t n)
{
	const uint8_t *b = buf;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		b += w;
		n -= w;
	}
	return true;
}

/* The kernel's core up to the end of its notes, from stdin. */
static uint8_t *read_head(size_t *len)
{
	Elf64_Ehdr eh;
	size_t need, i;
	uint8_t *buf;

	if (read_full(0, &eh, sizeof(eh)) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return NULL;
	need = eh.e_phoff + (size_t)eh.e_phnum * sizeof(Elf64_Phdr);
	if (need > HEAD_MAX || eh.e_phoff < sizeof(eh))
		return NULL;
	buf = malloc(need);
	if (!buf)
		return NULL;
	memcpy(buf, &eh, sizeof(eh));
	if (read_full(0, buf + sizeof(eh), need - sizeof(eh)) !=
	    (ssize_t)(need - sizeof(eh)))
		goto fail;
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		size_t end;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_NOTE)
			continue;
		end = ph.p_offset + ph.p_filesz;
		if (end > HEAD_MAX || end < need)
			goto fail;
		if (end > need) {
			uint8_t *nb = realloc(buf, end);

			if (!nb)
				goto fail;
			buf = nb;
			if (read_full(0, buf + need, end - need) !=
			    (ssize_t)(end - need))
				goto fail;
			need = end;
		}
	}
	*len = need;
	return buf;
fail:
	free(buf);
	return NULL;
}

/* Split the previous pipe pattern at spaces, then expand (as the kernel does). */
static pid_t spawn_previous(const char *prev, char *const *val, int *to)
{
	char *copy = strdup(prev + 1), *argv[64], *tok, *save = NULL;
	static char exp[64][512];
	int p[2], n = 0;
	pid_t pid;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, " ", &save); tok && n < 63;
	     tok = strtok_r(NULL, " ", &save)) {
		expand(tok, val, exp[n], sizeof(exp[n]));
		argv[n] = exp[n];
		n++;
	}
	argv[n] = NULL;
	free(copy);
	if (!n || pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[0], 0);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[0]);
	*to = p[1];
	if (pid < 0)
		close(p[1]);
	return pid;
}

/* A file pattern: write the core where the kernel would have, as the owner. */
static int open_previous_file(const char *prev, char *const *val)
{
	char name[PATH_MAX], path[PATH_MAX + 64];
	unsigned long long limit = strtoull(val[A_c], NULL, 10);
	int fd;

	if (limit < 4096 || !*prev)
		return -1;
	expand(prev, val, name, sizeof(name));
	if (!strstr(prev, "%p")) {
		char cup[8] = "0";

		read_text("/proc/sys/kernel/core_uses_pid", cup, sizeof(cup));
		if (atoi(cup))
			snprintf(name + strlen(name),
				 sizeof(name) - strlen(name), ".%s", val[A_p]);
	}
	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/proc/%s/cwd/%s", val[A_P], name);
	/* With the crashed process's ids, as the kernel would have opened it. */
	setfsgid(atoi(val[A_g]));
	setfsuid(atoi(val[A_u]));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		klog("cannot write the core to %s: %m", path);
	setfsuid(0);
	setfsgid(0);
	return fd;
}

static int cmd_handler(int argc, char **argv)
{
	char conf[PATH_MAX + 64], prev[CORENAME_MAX + 2] = "", tbuf[16],
						      store[PATH_MAX];
	struct bugcheck_submit_result res = { .size = sizeof(res) };
	char *const *val = argv + 2;
	unsigned long long pid, tid, when;
	int type, to = -1, ret, st;
	struct bugcheck_report *r = NULL;
	pid_t down = -1;
	uint8_t *head, buf[65536];
	size_t head_len = 0;
	bool chain;
	ssize_t n;

	if (argc != 2 + A_N || !parse_num(val[A_P], &pid) ||
	    !parse_num(val[A_I], &tid) || !parse_num(val[A_t], &when)) {
		klog("run by the kernel as '" HANDLER_ARG " " HANDLER_SPECS
		     "'");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (read_text(PATTERN_CONF, conf, sizeof(conf)))
		conf[0] = 0;
	type = parse_type(meta_value(conf, "type", tbuf, sizeof(tbuf)));
	if (type < 0)
		type = BUGCHECK_DUMP_MINI;
	meta_value(conf, "store", store, sizeof(store));
	chain = strcmp(meta_value(conf, "chain", tbuf, sizeof(tbuf)), "0");
	if (chain && read_text(SAVED_PATTERN, prev, sizeof(prev)))
		prev[0] = 0;

	head = read_head(&head_len);
	if (!head) {
		klog("pid %llu: the core on stdin is not a 64-bit ELF core",
		     pid);
	} else {
		ret = bugcheck_report_create("crash", APP_CRASH, &r);
		if (!ret && store[0])
			ret = bugcheck_report_set_store(r, store);
		if (!ret)
			ret = bugcheck__report_add_dumping(r, pid, tid, type);
		if (!ret)
			ret = bugcheck__report_kernel_core(r, head, head_len,
							   when);
		if (!ret)
			ret = bugcheck_report_submit(r, QUEUED_WITH_BLOCKS,
						     &res);
		if (ret)
			klog("pid %llu (%s): no report: %s", pid, val[A_e],
			     r && *bugcheck_report_error(r) ?
				     bugcheck_report_error(r) :
				     strerror(-ret));
		else
			klog("pid %llu (%s): report %s", pid, val[A_e],
			     res.path);
		bugcheck_report_close(r);
	}

	/* Pass the core on: nothing the previous handler gave the admin is lost. */
	if (prev[0] == '|')
		down = spawn_previous(prev, val, &to);
	else if (prev[0])
		to = open_previous_file(prev, val);
	if (to >= 0 && head && !write_full(to, head, head_len)) {
		close(to);
		to = -1;
	}
	while ((n = read(0, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && to >= 0 && !write_full(to, buf, n)) {
			close(to);
			to = -1;
		}
	if (to >= 0)
		close(to);
	if (down > 0)
		waitpid(down, &st, 0);
	free(head);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf(PROG " %s\n", BUGCHECK_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "remove"))
		return cmd_remove(argc - 1, argv + 1);
	if (!strcmp(argv[1], "core-pattern"))
		return cmd_core_pattern(argc - 1, argv + 1);
	if (!strcmp(argv[1], HANDLER_ARG))
		return cmd_handler(argc, argv);
	return cmd_report(argc, argv);
}
