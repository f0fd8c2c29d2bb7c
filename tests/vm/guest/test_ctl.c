// SPDX-License-Identifier: GPL-2.0
/*
 * test_ctl: BUGCHECK_IOC_SIMULATE and BUGCHECK_IOC_STATUS follow
 * uapi/bugcheck_dev.h: sizes, directions, unknown tails, root only, cut and
 * zero-filled copies, and a simulated record identical to debugfs's.
 * Prints TAP; run as root with bugcheck.ko loaded.
 *
 *   test_ctl                  the tests
 *   test_ctl nobody CMD ARG...  run CMD as uid/gid 65534 (for the scenario)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi/bugcheck_dev.h"
#include "uapi/bugcheck_record.h"

#define NOBODY 65534
#define DEBUGFS_RECORD "/sys/kernel/debug/bugcheck/record"
#define DEBUGFS_CALLBACKS "/sys/kernel/debug/bugcheck/callbacks"

static int test_no;
static int failures;

static void report(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", pass ? "ok" : "not ok", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!pass)
		failures++;
}

/* ioctl @nr with an argument of @size bytes and direction @dir. */
static int xioctl(int fd, unsigned int dir, unsigned int nr, size_t size,
		  void *arg)
{
	return ioctl(fd, _IOC(dir, BUGCHECK_IOC_MAGIC, nr, size), arg) ?
		       -errno :
		       0;
}

#define NR_SIM _IOC_NR(BUGCHECK_IOC_SIMULATE)
#define NR_STATUS _IOC_NR(BUGCHECK_IOC_STATUS)
#define RW (_IOC_READ | _IOC_WRITE)

static void expect_err(int got, int want, const char *what)
{
	report(got == want, "%s: %s (got %s)", what, strerror(-want),
	       got ? strerror(-got) : "success");
}

static uint64_t read_u64(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoull(buf, NULL, 0);
}

/* Registrations per reason as debugfs lists them, indexed like the ioctl's. */
static int debugfs_counts(uint32_t counts[BUGCHECK_STATUS_REASONS])
{
	static const char *const names[BUGCHECK_STATUS_REASONS] = {
		NULL,	     "secondary",    "dump-io", "add-pages",
		"multipart", "remove-pages", "triage",	"legacy",
	};
	char line[256], reason[32];
	FILE *f = fopen(DEBUGFS_CALLBACKS, "r");
	int i;

	if (!f)
		return -errno;
	memset(counts, 0, BUGCHECK_STATUS_REASONS * sizeof(counts[0]));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s", reason) != 1)
			continue;
		for (i = 1; i < BUGCHECK_STATUS_REASONS; i++)
			if (!strcmp(reason, names[i]))
				counts[i]++;
	}
	fclose(f);
	return 0;
}

static void test_status(int fd)
{
	uint32_t want[BUGCHECK_STATUS_REASONS];
	unsigned char big[BUGCHECK_STATUS_SIZE_VER0 + 16];
	struct bugcheck_status st;
	int ret, i, same = 1;
	size_t k;

	memset(&st, 0xff, sizeof(st));
	ret = xioctl(fd, _IOC_READ, NR_STATUS, sizeof(st), &st);
	report(ret == 0, "STATUS succeeds (%s)", ret ? strerror(-ret) : "0");
	report((st.flags == 0 && st.reserved == 0 &&
		st.nr_reasons == BUGCHECK_STATUS_REASONS &&
		st.callbacks[0] == 0),
	       "STATUS: flags and reserved 0, nr_reasons %u, callbacks[0] 0",
	       st.nr_reasons);
	report(st.record_area ==
		       read_u64("/sys/module/bugcheck/parameters/record_size"),
	       "STATUS: record_area %llu is the record_size parameter",
	       (unsigned long long)st.record_area);
	if (debugfs_counts(want)) {
		report(0,
		       "STATUS: callbacks per reason match debugfs (%s unreadable)",
		       DEBUGFS_CALLBACKS);
	} else {
		for (i = 1; i < BUGCHECK_STATUS_REASONS; i++)
			same &= st.callbacks[i] == want[i];
		report(same,
		       "STATUS: callbacks per reason match debugfs (secondary %u/%u, triage %u/%u, legacy %u/%u)",
		       st.callbacks[1], want[1], st.callbacks[6], want[6],
		       st.callbacks[7], want[7]);
	}

	expect_err(xioctl(fd, _IOC_READ, NR_STATUS,
			  BUGCHECK_STATUS_SIZE_VER0 - 8, &st),
		   -EINVAL, "STATUS smaller than VER0");
	expect_err(xioctl(fd, _IOC_READ, NR_STATUS, 8192, big), -EINVAL,
		   "STATUS larger than a page");
	expect_err(xioctl(fd, _IOC_WRITE, NR_STATUS, sizeof(st), &st), -ENOTTY,
		   "STATUS as _IOW");
	expect_err(xioctl(fd, _IOC_READ, NR_STATUS, sizeof(st), (void *)1),
		   -EFAULT, "STATUS to a bad pointer");
	memset(big, 0xaa, sizeof(big));
	ret = xioctl(fd, _IOC_READ, NR_STATUS, sizeof(big), big);
	for (k = BUGCHECK_STATUS_SIZE_VER0; k < sizeof(big) && !ret; k++)
		if (big[k])
			ret = -EPROTO;
	report(ret == 0,
	       "STATUS larger than the kernel's: the unknown tail is zeroed");
}

static int debugfs_record(void *buf, size_t size, size_t *len)
{
	int fd = open(DEBUGFS_RECORD, O_RDONLY);
	ssize_t n;

	*len = 0;
	if (fd < 0)
		return -errno;
	while ((n = read(fd, (char *)buf + *len, size - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	return n < 0 ? -errno : 0;
}

static void test_simulate(int fd)
{
	unsigned char big[BUGCHECK_SIMULATE_SIZE_VER0 + 8];
	struct bugcheck_simulate req;
	struct bugcheck_status st = {};
	unsigned char *buf, *dbg;
	const struct bugcheck_record_header *h;
	size_t area, dlen;
	int ret;

	xioctl(fd, _IOC_READ, NR_STATUS, sizeof(st), &st);
	area = st.record_area;
	buf = malloc(area + 4096);
	dbg = malloc(area + 4096);
	if (!buf || !dbg) {
		printf("Bail out! no memory for %zu bytes\n", area);
		exit(1);
	}

	memset(&req, 0, sizeof(req));
	req.flags = 1;
	expect_err(xioctl(fd, RW, NR_SIM, sizeof(req), &req), -EINVAL,
		   "SIMULATE with flags 1");
	memset(&req, 0, sizeof(req));
	req.reserved = 1;
	expect_err(xioctl(fd, RW, NR_SIM, sizeof(req), &req), -EINVAL,
		   "SIMULATE with reserved set");
	expect_err(xioctl(fd, RW, NR_SIM, BUGCHECK_SIMULATE_SIZE_VER0 - 8,
			  &req),
		   -EINVAL, "SIMULATE smaller than VER0");
	memset(big, 0, sizeof(big));
	big[sizeof(big) - 1] = 1;
	expect_err(xioctl(fd, RW, NR_SIM, sizeof(big), big), -EINVAL,
		   "SIMULATE larger, with a non-zero unknown tail");
	expect_err(xioctl(fd, _IOC_READ, NR_SIM, sizeof(req), &req), -ENOTTY,
		   "SIMULATE as _IOR");
	expect_err(xioctl(fd, RW, NR_SIM, sizeof(req), (void *)1), -EFAULT,
		   "SIMULATE from a bad pointer");

	memset(&req, 0, sizeof(req));
	memset(big, 0, sizeof(big));
	memcpy(big, &req, sizeof(req));
	ret = xioctl(fd, RW, NR_SIM, sizeof(big), big);
	memcpy(&req, big, sizeof(req));
	report(ret == 0 && req.record_size > sizeof(*h),
	       "SIMULATE larger, zero tail, no buffer: runs and sizes the record (%llu bytes)",
	       (unsigned long long)req.record_size);

	memset(&req, 0, sizeof(req));
	req.buf = 1;
	req.buf_size = 4096;
	expect_err(xioctl(fd, RW, NR_SIM, sizeof(req), &req), -EFAULT,
		   "SIMULATE into a bad buffer");

	/* Cut: only buf_size bytes are written. */
	memset(buf, 0xaa, area + 4096);
	memset(&req, 0, sizeof(req));
	req.buf = (uintptr_t)buf;
	req.buf_size = 100;
	ret = xioctl(fd, RW, NR_SIM, sizeof(req), &req);
	h = (const void *)buf;
	report((ret == 0 &&
		!memcmp(h->magic, BUGCHECK_RECORD_MAGIC, sizeof(h->magic)) &&
		buf[100] == 0xaa && buf[99 + 4096] == 0xaa),
	       "SIMULATE into 100 bytes: the record's start is there, nothing past byte 100");

	memset(&req, 0, sizeof(req));
	req.param[0] = 0xdead;
	req.param[3] = 0xbeef;
	req.buf = (uintptr_t)buf;
	req.buf_size = area;
	memset(buf, 0, area);
	ret = xioctl(fd, RW, NR_SIM, sizeof(req), &req);
	report((ret == 0 && req.record_size <= area && req.flags == 0 &&
		req.reserved == 0),
	       "SIMULATE into the area's size: %llu bytes",
	       (unsigned long long)req.record_size);
	report((h->bugcheck_code == 4 /* SIMULATED */ &&
		h->bugcheck_parameter[0] == 0xdead &&
		h->bugcheck_parameter[1] == 0 &&
		h->bugcheck_parameter[3] == 0xbeef &&
		(h->flags & BUGCHECK_RECORD_F_SIMULATED)),
	       "the record is SIMULATED with parameters dead 0 0 beef (code %#x)",
	       h->bugcheck_code);
	ret = debugfs_record(dbg, area + 4096, &dlen);
	report(ret == 0 && dlen == req.record_size && !memcmp(dbg, buf, dlen),
	       "the record is byte for byte debugfs bugcheck/record (%zu bytes)",
	       dlen);

	memset(&st, 0, sizeof(st));
	xioctl(fd, _IOC_READ, NR_STATUS, sizeof(st), &st);
	report((st.sim_record_size == req.record_size &&
		st.sim_used == h->used && st.sim_flags == h->flags),
	       "STATUS after it: sim_used %llu, sim_record_size %llu, sim_flags %#x",
	       (unsigned long long)st.sim_used,
	       (unsigned long long)st.sim_record_size, st.sim_flags);
	free(buf);
	free(dbg);
}

/* As uid 65534: SIMULATE is refused, STATUS is not. */
static void test_unprivileged(void)
{
	int status, fd, r1, r2;
	pid_t pid = fork();

	if (pid == 0) {
		struct bugcheck_simulate req = {};
		struct bugcheck_status st;

		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(10);
		fd = open(BUGCHECK_DEV_PATH, O_RDWR);
		if (fd < 0)
			_exit(11);
		r1 = xioctl(fd, RW, NR_SIM, sizeof(req), &req);
		r2 = xioctl(fd, _IOC_READ, NR_STATUS, sizeof(st), &st);
		_exit(r1 == -EPERM ? (r2 == 0 ? 0 : 2) : 1);
	}
	waitpid(pid, &status, 0);
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 99;
	report(status == 0,
	       "as uid 65534: SIMULATE fails with EPERM, STATUS works (child %d)",
	       status);
}

int main(int argc, char **argv)
{
	int fd;

	if (argc > 2 && !strcmp(argv[1], "nobody")) {
		if (setgid(NOBODY) || setuid(NOBODY)) {
			perror("setuid");
			return 126;
		}
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	fd = open(BUGCHECK_DEV_PATH, O_RDWR);
	if (fd < 0) {
		printf("Bail out! %s: %s\n", BUGCHECK_DEV_PATH,
		       strerror(errno));
		return 1;
	}
	test_status(fd);
	test_simulate(fd);
	test_unprivileged();
	close(fd);
	printf("1..%d\n", test_no);
	return failures ? 1 : 0;
}
