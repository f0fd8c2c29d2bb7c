// SPDX-License-Identifier: GPL-2.0
/*
 * test_blocks - /dev/bugcheck user blocks, end to end in the guest: every
 * errno of the interface, the limits, who owns a block (fd, fork, exec,
 * threads, exit, kill -9), the pins it holds and what a simulated bugcheck
 * records of it.  Prints TAP; run as root (it forks and drops to uid 65534
 * for the RLIMIT_MEMLOCK cases).
 *
 * Usage: test_blocks [-d DIR]
 *   -d DIR  a directory on a disk file system (not tmpfs/ramfs), for the
 *           MAP_SHARED file case; without it that case is skipped
 *
 * Expected values come from the interface's specification
 * (module/include/uapi/bugcheck_dev.h, docs/user-blocks.md) and from what
 * this program itself wrote, never from what the module reports elsewhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>
#include <uapi/bugcheck_dev.h>
#include <libbugcheck.h>

#define PG 4096UL
#define NOBODY 65534
#define PARAMS "/sys/module/bugcheck/parameters/"
#define DEBUGFS "/sys/kernel/debug/bugcheck/"
#define KERNEL_ADDR 0xffffffff81000000ULL
#define NONCANONICAL_ADDR 0x0000900000000000ULL
#define TASK_SIZE_4L 0x00007ffffffff000ULL /* x86-64, 4-level paging */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The spec's defaults (module parameters). */
#define DEF_BLOCK_SIZE_MAX 65536
#define DEF_BLOCKS_PER_PROCESS 512
#define DEF_BLOCKS_MAX 8192

/* Shared with forked children so that test numbers run on. */
struct tap {
	int n;
	int failed;
};

static struct tap *tap;

static int g_fd = -1;
static const char *disk_dir;
static long total0; /* blocks of all processes when we started */
static long long pins0; /* FOLL_PIN pins outstanding when we started */

/* --- TAP ------------------------------------------------------------- */

static void vresult(bool pass, const char *name, const char *fmt, va_list ap)
{
	int n = __atomic_add_fetch(&tap->n, 1, __ATOMIC_SEQ_CST);

	if (pass) {
		printf("ok %d - %s\n", n, name);
		return;
	}
	__atomic_add_fetch(&tap->failed, 1, __ATOMIC_SEQ_CST);
	printf("not ok %d - %s: ", n, name);
	vprintf(fmt, ap);
	putchar('\n');
}

__attribute__((format(printf, 3, 4))) static bool
check(bool pass, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vresult(pass, name, fmt, ap);
	va_end(ap);
	return pass;
}

static void skip(const char *name, const char *why)
{
	int n = __atomic_add_fetch(&tap->n, 1, __ATOMIC_SEQ_CST);

	printf("ok %d - %s # SKIP %s\n", n, name, why);
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

static const char *ename(int e)
{
	static __thread char buf[32];
	const char *s;

	if (e == 0)
		return "success";
	s = strerrorname_np(e < 0 ? -e : e);
	if (s)
		return s;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* got: 0 or -errno; want: 0 or an errno (positive). */
static bool expect_err(int got, int want, const char *name)
{
	if (got > 0) /* a count (LIST) where an error was expected */
		return check(false, name, "expected %s, got a count of %d",
			     ename(want), got);
	return check(got == -want, name, "expected %s, got %s", ename(want),
		     ename(got));
}

/* --- the device ---------------------------------------------------------- */

static int dev_open(void)
{
	int fd = open(BUGCHECK_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("Bail out! cannot open %s: %m\n", BUGCHECK_DEV_PATH);
		exit(1);
	}
	return fd;
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static int reg_raw(int fd, uint64_t addr, uint64_t size, uint64_t flags)
{
	struct bugcheck_block b = { .addr = addr,
				    .size = size,
				    .flags = flags };

	return xioctl(fd, BUGCHECK_IOC_REGISTER, &b);
}

static int unreg_raw(int fd, uint64_t addr, uint64_t size, uint64_t flags)
{
	struct bugcheck_block b = { .addr = addr,
				    .size = size,
				    .flags = flags };

	return xioctl(fd, BUGCHECK_IOC_UNREGISTER, &b);
}

static int reg(const void *p, size_t n)
{
	return reg_raw(g_fd, (uintptr_t)p, n, 0);
}

static int unreg(const void *p)
{
	return unreg_raw(g_fd, (uintptr_t)p, 0, 0);
}

/* LIST with entry_size 24; returns the count or -errno. */
static int list_fd(int fd, struct bugcheck_block_info *b, unsigned int cap)
{
	struct bugcheck_block_list l = {
		.blocks = (uintptr_t)b,
		.capacity = cap,
		.entry_size = sizeof(*b),
	};
	int r = xioctl(fd, BUGCHECK_IOC_LIST, &l);

	return r < 0 ? r : (int)l.count;
}

static int list_count(int fd)
{
	return list_fd(fd, NULL, 0);
}

static int info_fd(int fd, struct bugcheck_dev_info *i)
{
	memset(i, 0, sizeof(*i));
	return xioctl(fd, BUGCHECK_IOC_INFO, i);
}

static long blocks_total(void)
{
	struct bugcheck_dev_info i;

	return info_fd(g_fd, &i) < 0 ? -1 : (long)i.blocks_total;
}

/* Unregisters whatever the calling process still has; returns how many. */
static int unregister_all(int fd)
{
	static struct bugcheck_block_info b[1024];
	int n = list_fd(fd, b, 1024), i;

	for (i = 0; i < n && i < 1024; i++)
		unreg_raw(fd, b[i].addr, 0, 0);
	return n;
}

static const struct bugcheck_block_info *
find_block(const struct bugcheck_block_info *b, int n, const void *addr)
{
	int i;

	for (i = 0; i < n; i++)
		if (b[i].addr == (uintptr_t)addr)
			return &b[i];
	return NULL;
}

/* --- /proc, /sys ----------------------------------------------------------- */

static long status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t fl = strlen(field);
	long v = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, fl) && line[fl] == ':')
			v = strtol(line + fl + 1, NULL, 10);
	fclose(f);
	return v;
}

static long vm_pin_kb(void)
{
	return status_kb(0, "VmPin");
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/*
 * FOLL_PIN pins outstanding in the whole system.  Per-cpu vmstat deltas are
 * folded first (root only), else the difference drifts by the stat threshold.
 */
static long long foll_pins(void)
{
	long long acq = -1, rel = -1, v;
	char name[64];
	FILE *f;

	if (write_file("/proc/sys/vm/stat_refresh", "1") < 0)
		return LLONG_MIN;
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return LLONG_MIN;
	while (fscanf(f, "%63s %lld", name, &v) == 2) {
		if (!strcmp(name, "nr_foll_pin_acquired"))
			acq = v;
		else if (!strcmp(name, "nr_foll_pin_released"))
			rel = v;
	}
	fclose(f);
	return acq < 0 || rel < 0 ? LLONG_MIN : acq - rel;
}

static long param_get(const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

static int param_set(const char *name, long v)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	snprintf(buf, sizeof(buf), "%ld\n", v);
	return write_file(path, buf);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * Waits up to 5 s for the global block count and FOLL_PIN pins to come back
 * to what they were when this program started (release may be deferred).
 */
static void expect_baseline(const char *what)
{
	double t0 = now_ms();
	long long p;
	long t;
	char name[160];

	for (;;) {
		t = blocks_total();
		p = foll_pins();
		if ((t == total0 && p == pins0) || now_ms() - t0 > 5000)
			break;
		usleep(20000);
	}
	snprintf(name, sizeof(name), "%s: blocks of all processes back to %ld",
		 what, total0);
	check(t == total0, name, "blocks_total %ld after 5 s", t);
	snprintf(name, sizeof(name), "%s: FOLL_PIN pins back to baseline",
		 what);
	check(p == pins0, name,
	      "nr_foll_pin_acquired - released = %lld, baseline %lld (after 5 s)",
	      p, pins0);
}

/* --- memory ----------------------------------------------------------------- */

static void *map(size_t pages, int prot, int flags)
{
	void *p = mmap(NULL, pages * PG, prot, flags | MAP_PRIVATE, -1, 0);

	if (p == MAP_FAILED) {
		printf("Bail out! mmap %zu pages: %m\n", pages);
		exit(1);
	}
	return p;
}

static void *map_rw(size_t pages)
{
	return map(pages, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_POPULATE);
}

/* The bytes this program writes into a block: a function of (seed, i) only. */
static uint8_t pat(unsigned int seed, size_t i)
{
	return (uint8_t)(seed * 29 + i * 13 + (i >> 9));
}

static void fill(void *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		((uint8_t *)p)[i] = pat(seed, i);
}

/* --- processes ----------------------------------------------------------------- */

static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -errno;
	return geteuid() == NOBODY && getuid() == NOBODY ? 0 : -EPERM;
}

/* Runs fn in a forked child (its checks print with the shared numbering). */
static void in_child(const char *what, void (*fn)(void *), void *arg)
{
	int st = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, what,
	      "child ended with status 0x%x", st);
}

/* Runs argv, output (stdout+stderr, NUL-terminated) into out; exit status. */
static int run(char *const argv[], char *out, size_t outsz)
{
	int p[2], st = -1;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], argv);
		fprintf(stderr, "exec %s: %m\n", argv[0]);
		_exit(127);
	}
	close(p[1]);
	while (outsz && (r = read(p[0], out + len, outsz - 1 - len)) > 0)
		len += r;
	if (outsz)
		out[len] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ====================================================================== */

static void test_device(void)
{
	struct bugcheck_dev_info i;
	struct stat st = { 0 };

	check((stat(BUGCHECK_DEV_PATH, &st) == 0 && S_ISCHR(st.st_mode) &&
	       (st.st_mode & 07777) == 0666),
	      "/dev/bugcheck is a character device, mode 0666", "mode 0%o",
	      st.st_mode);
	expect_err(info_fd(g_fd, &i), 0, "INFO succeeds");
	check(i.api_version == BUGCHECK_DEV_API_VERSION && i.flags == 0,
	      "INFO: api_version 1, flags 0", "api_version %u flags %u",
	      i.api_version, i.flags);
	check((i.block_size_max == DEF_BLOCK_SIZE_MAX &&
	       param_get("block_size_max") == DEF_BLOCK_SIZE_MAX),
	      "block_size_max defaults to 65536 (INFO and sysfs)",
	      "INFO %llu, sysfs %ld", (unsigned long long)i.block_size_max,
	      param_get("block_size_max"));
	check((i.blocks_per_process == DEF_BLOCKS_PER_PROCESS &&
	       param_get("blocks_per_process") == DEF_BLOCKS_PER_PROCESS),
	      "blocks_per_process defaults to 512 (INFO and sysfs)",
	      "INFO %u, sysfs %ld", i.blocks_per_process,
	      param_get("blocks_per_process"));
	check((i.blocks_max == DEF_BLOCKS_MAX &&
	       param_get("blocks_max") == DEF_BLOCKS_MAX),
	      "blocks_max defaults to 8192 (INFO and sysfs)",
	      "INFO %u, sysfs %ld", i.blocks_max, param_get("blocks_max"));
	check(i.blocks_registered == 0 && i.pinned_pages == 0,
	      "a new process has no blocks and no pinned pages",
	      "blocks_registered %u pinned_pages %llu", i.blocks_registered,
	      (unsigned long long)i.pinned_pages);
	check(vm_pin_kb() == 0, "VmPin is 0 kB before registering",
	      "VmPin %ld kB", vm_pin_kb());
}

static void test_register_errors(void)
{
	uint8_t *b = map_rw(18), *h;
	uint8_t *ro, *none;

	expect_err(reg_raw(g_fd, (uintptr_t)b, 16, 1), EINVAL,
		   "REGISTER flags 1: EINVAL");
	expect_err(reg_raw(g_fd, (uintptr_t)b, 16, 1ULL << 63), EINVAL,
		   "REGISTER flags 1<<63: EINVAL");
	expect_err(reg_raw(g_fd, 0, 16, 0), EINVAL, "REGISTER addr 0: EINVAL");
	expect_err(reg_raw(g_fd, (uintptr_t)b, 0, 0), EINVAL,
		   "REGISTER size 0: EINVAL");
	expect_err(reg(b, DEF_BLOCK_SIZE_MAX + 1), E2BIG,
		   "REGISTER block_size_max + 1 bytes: E2BIG");
	expect_err(reg(b, DEF_BLOCK_SIZE_MAX), 0,
		   "REGISTER exactly block_size_max bytes");
	expect_err(unreg(b), 0, "UNREGISTER it");

	expect_err(reg_raw(g_fd, KERNEL_ADDR, 16, 0), EFAULT,
		   "REGISTER a kernel address: EFAULT");
	expect_err(reg_raw(g_fd, 0xfffffffffffff000ULL, 0x2000, 0), EFAULT,
		   "REGISTER addr + size wrapping past 2^64: EFAULT");
	expect_err(reg_raw(g_fd, TASK_SIZE_4L - PG, 2 * PG, 0), EFAULT,
		   "REGISTER a range crossing the end of user space: EFAULT");
	expect_err(reg_raw(g_fd, TASK_SIZE_4L, 16, 0), EFAULT,
		   "REGISTER at the end of user space: EFAULT");
	expect_err(reg_raw(g_fd, NONCANONICAL_ADDR, 16, 0), EFAULT,
		   "REGISTER a non-canonical address: EFAULT");

	/* A hole: three pages with the middle one unmapped. */
	h = map_rw(3);
	munmap(h + PG, PG);
	expect_err(reg(h, PG), 0, "REGISTER the page before a hole");
	expect_err(unreg(h), 0, "UNREGISTER it");
	expect_err(reg(h, 3 * PG), EFAULT,
		   "REGISTER a range with an unmapped page inside: EFAULT");
	expect_err(reg(h + 100, PG), EFAULT,
		   "REGISTER a range running into a hole: EFAULT");
	expect_err(reg(h + PG + 8, 16), EFAULT,
		   "REGISTER inside an unmapped page: EFAULT");
	expect_err(reg(h + PG + 8, PG), EFAULT,
		   "REGISTER from a hole into a mapping: EFAULT");
	munmap(h, 3 * PG);
	expect_err(reg(h, 16), EFAULT,
		   "REGISTER memory that was unmapped: EFAULT");

	none = map(2, PROT_NONE, MAP_ANONYMOUS);
	expect_err(reg(none, 16), EFAULT, "REGISTER PROT_NONE memory: EFAULT");
	mprotect(none, PG, PROT_READ | PROT_WRITE);
	none[0] = 1;
	expect_err(reg(none + PG - 8, 16), EFAULT,
		   "REGISTER a range ending in a PROT_NONE page: EFAULT");
	expect_err(reg(none, PG), 0, "REGISTER the readable page next to it");
	expect_err(unreg(none), 0, "UNREGISTER it");
	munmap(none, 2 * PG);

	ro = map(1, PROT_READ, MAP_ANONYMOUS);
	expect_err(reg(ro, PG), 0, "REGISTER read-only anonymous memory");
	expect_err(unreg(ro), 0, "UNREGISTER it");
	munmap(ro, PG);

	munmap(b, 18 * PG);
}

static void test_alignment_and_duplicates(void)
{
	struct bugcheck_block_info l[8];
	const struct bugcheck_block_info *e;
	uint8_t *b = map_rw(4);
	int n;

	expect_err(reg(b + 1, PG + 2), 0, "REGISTER an unaligned block");
	expect_err(reg(b + PG - 1, 1), 0,
		   "REGISTER 1 byte, the last of a page");
	expect_err(reg(b + 2 * PG - 1, 2), 0,
		   "REGISTER 2 bytes across a page boundary");
	n = list_fd(g_fd, l, 8);
	check(n == 3, "LIST shows the 3 unaligned blocks", "count %d", n);
	e = find_block(l, n, b + 1);
	check(e && e->size == PG + 2 && e->pages == 2 && e->flags == 0,
	      "unaligned PAGE+2 bytes at +1: size, 2 pages, no flags",
	      "entry %s size %llu pages %u flags %u", e ? "found" : "missing",
	      e ? (unsigned long long)e->size : 0ULL, e ? e->pages : 0,
	      e ? e->flags : 0);
	e = find_block(l, n, b + PG - 1);
	check(e && e->size == 1 && e->pages == 1,
	      "1 byte at the end of a page pins 1 page", "pages %u",
	      e ? e->pages : 0);
	e = find_block(l, n, b + 2 * PG - 1);
	check(e && e->size == 2 && e->pages == 2,
	      "2 bytes across a boundary pin 2 pages", "pages %u",
	      e ? e->pages : 0);
	check(vm_pin_kb() == 5 * 4, "VmPin counts every block's pages (5)",
	      "VmPin %ld kB, expected 20", vm_pin_kb());
	unregister_all(g_fd);

	expect_err(reg(b, 100), 0, "REGISTER a block");
	expect_err(reg(b, 100), EEXIST,
		   "REGISTER the same block again: EEXIST");
	expect_err(reg(b, 200), EEXIST,
		   "REGISTER the same start with another size: EEXIST");
	expect_err(reg(b + 1, 100), 0,
		   "REGISTER an overlapping block with another start");
	expect_err(reg(b + 50, 3 * PG), 0,
		   "REGISTER a block overlapping both and more pages");
	check(list_count(g_fd) == 3, "overlapping blocks are listed separately",
	      "count %d", list_count(g_fd));
	check(vm_pin_kb() == (1 + 1 + 4) * 4,
	      "overlapping blocks each pin their own pages",
	      "VmPin %ld kB, expected 24", vm_pin_kb());
	expect_err(unreg(b), 0, "UNREGISTER the first of them");
	n = list_fd(g_fd, l, 8);
	check(n == 2 && find_block(l, n, b + 1) && find_block(l, n, b + 50),
	      "the overlapping blocks stay registered", "count %d", n);
	expect_err(unreg(b + 1), 0, "UNREGISTER the second");
	expect_err(unreg(b + 50), 0, "UNREGISTER the third");
	check(vm_pin_kb() == 0, "VmPin is 0 kB after unregistering all",
	      "VmPin %ld kB", vm_pin_kb());
	munmap(b, 4 * PG);
}

static void test_unregister_errors(void)
{
	uint8_t *b = map_rw(1);

	expect_err(reg(b, 64), 0, "REGISTER a block");
	expect_err(unreg_raw(g_fd, 0, 0, 0), EINVAL,
		   "UNREGISTER addr 0: EINVAL");
	expect_err(unreg_raw(g_fd, (uintptr_t)b, 64, 0), EINVAL,
		   "UNREGISTER with a size: EINVAL");
	expect_err(unreg_raw(g_fd, (uintptr_t)b, 0, 1), EINVAL,
		   "UNREGISTER with flags: EINVAL");
	expect_err(unreg(b + 1), ENOENT,
		   "UNREGISTER an address inside a block: ENOENT");
	expect_err(unreg(b + 64), ENOENT,
		   "UNREGISTER an address never registered: ENOENT");
	expect_err(unreg_raw(g_fd, KERNEL_ADDR, 0, 0), ENOENT,
		   "UNREGISTER a kernel address: ENOENT");
	check(list_count(g_fd) == 1, "failed UNREGISTERs left the block",
	      "count %d", list_count(g_fd));
	expect_err(unreg(b), 0, "UNREGISTER the block");
	expect_err(unreg(b), ENOENT, "UNREGISTER it twice: ENOENT");
	munmap(b, PG);
}

#define IOC(dir, nr, size) _IOC(dir, BUGCHECK_IOC_MAGIC, nr, size)
/* The sizes _IOWR() and friends would give these numbers. */
#define BLOCK sizeof(struct bugcheck_block)
#define LIST sizeof(struct bugcheck_block_list)

static void test_ioctl_abi(void)
{
	static uint8_t big[2 * 4096] __attribute__((aligned(4096)));
	struct bugcheck_dev_info *in = (void *)big;
	struct bugcheck_block *bb = (void *)big;
	struct bugcheck_block_list *bl = (void *)big;
	uint8_t *b = map_rw(1);
	size_t i;
	bool zero;

	/* INFO: an output structure. */
	expect_err(xioctl(g_fd, IOC(_IOC_READ, 0, 31), big), EINVAL,
		   "INFO with size 31 (below VER0): EINVAL");
	expect_err(xioctl(g_fd, IOC(_IOC_READ, 0, 4097), big), EINVAL,
		   "INFO with size 4097 (above a page): EINVAL");
	memset(big, 0xa5, sizeof(big));
	expect_err(xioctl(g_fd, IOC(_IOC_READ, 0, BUGCHECK_DEV_INFO_SIZE_VER0),
			  big),
		   0, "INFO with size VER0 (32)");
	check((in->api_version == BUGCHECK_DEV_API_VERSION &&
	       in->block_size_max == DEF_BLOCK_SIZE_MAX && big[32] == 0xa5),
	      "INFO VER0 fills 32 bytes, no more",
	      "api_version %u block_size_max %llu byte 32 0x%x",
	      in->api_version, (unsigned long long)in->block_size_max, big[32]);
	memset(big, 0xa5, sizeof(big));
	expect_err(xioctl(g_fd, IOC(_IOC_READ, 0, 4096), big), 0,
		   "INFO with size 4096 (a page)");
	for (zero = true, i = sizeof(*in); i < 4096; i++)
		zero &= big[i] == 0;
	check((in->api_version == BUGCHECK_DEV_API_VERSION && zero &&
	       big[4096] == 0xa5),
	      "INFO of a page: known fields, tail zeroed, nothing past it",
	      "api_version %u tail zero %d byte 4096 0x%x", in->api_version,
	      zero, big[4096]);

	/* REGISTER / UNREGISTER: input structures. */
	memset(big, 0, sizeof(big));
	bb->addr = (uintptr_t)b;
	bb->size = 8;
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 1, 23), big), EINVAL,
		   "REGISTER with size 23: EINVAL");
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 1, 4097), big), EINVAL,
		   "REGISTER with size 4097: EINVAL");
	big[40] = 1;
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 1, 48), big), EINVAL,
		   "REGISTER, larger struct, non-zero tail: EINVAL");
	big[40] = 0;
	big[4095] = 1;
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 1, 4096), big), EINVAL,
		   "REGISTER, a page, non-zero last byte: EINVAL");
	big[4095] = 0;
	check(list_count(g_fd) == 0, "rejected REGISTERs registered nothing",
	      "count %d", list_count(g_fd));
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 1, 48), big), 0,
		   "REGISTER, larger struct, zero tail: accepted");
	check(list_count(g_fd) == 1, "... and the block is registered",
	      "count %d", list_count(g_fd));
	bb->size = 0;
	big[47] = 1;
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 2, 48), big), EINVAL,
		   "UNREGISTER, larger struct, non-zero tail: EINVAL");
	big[47] = 0;
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 2, 4096), big), 0,
		   "UNREGISTER, a page, zero tail: accepted");
	check(list_count(g_fd) == 0, "... and the block is gone", "count %d",
	      list_count(g_fd));
	expect_err(xioctl(g_fd, IOC(_IOC_WRITE, 2, 16), big), EINVAL,
		   "UNREGISTER with size 16: EINVAL");

	/* LIST: in and out. */
	memset(big, 0, sizeof(big));
	bl->entry_size = BUGCHECK_BLOCK_INFO_SIZE_VER0;
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 3, 23), big),
		   EINVAL, "LIST with size 23: EINVAL");
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 3, 4097), big),
		   EINVAL, "LIST with size 4097: EINVAL");
	big[30] = 1;
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 3, 32), big),
		   EINVAL, "LIST, larger struct, non-zero tail: EINVAL");
	big[30] = 0;
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 3, 32), big), 0,
		   "LIST, larger struct, zero tail: accepted");

	/* Unknown numbers, magics and directions. */
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 0x7f, BLOCK), big),
		   ENOTTY, "ioctl nr 0x7f: ENOTTY");
	expect_err(xioctl(g_fd,
			  _IOW(BUGCHECK_IOC_MAGIC, 0xff, struct bugcheck_block),
			  big),
		   ENOTTY, "ioctl nr 0xff: ENOTTY");
	expect_err(xioctl(g_fd, _IOW('Z', 1, struct bugcheck_block), big),
		   ENOTTY, "REGISTER's number with another magic: ENOTTY");
	expect_err(xioctl(g_fd,
			  _IOR(BUGCHECK_IOC_MAGIC, 1, struct bugcheck_block),
			  big),
		   ENOTTY, "REGISTER as _IOR: ENOTTY");
	expect_err(xioctl(g_fd,
			  _IOWR(BUGCHECK_IOC_MAGIC, 2, struct bugcheck_block),
			  big),
		   ENOTTY, "UNREGISTER as _IOWR: ENOTTY");
	expect_err(xioctl(g_fd,
			  _IOW(BUGCHECK_IOC_MAGIC, 0, struct bugcheck_dev_info),
			  big),
		   ENOTTY, "INFO as _IOW: ENOTTY");
	expect_err(xioctl(g_fd, IOC(_IOC_READ, 3, LIST), big), ENOTTY,
		   "LIST as _IOR: ENOTTY");
	expect_err(xioctl(g_fd, TCGETS, big), ENOTTY, "TCGETS: ENOTTY");

	/* The argument itself unreadable. */
	expect_err(xioctl(g_fd, BUGCHECK_IOC_REGISTER, NULL), EFAULT,
		   "REGISTER with a NULL argument: EFAULT");
	expect_err(xioctl(g_fd, BUGCHECK_IOC_INFO,
			  (void *)(uintptr_t)KERNEL_ADDR),
		   EFAULT, "INFO into a kernel address: EFAULT");
	munmap(b, PG);
}

static void test_list(void)
{
	struct bugcheck_block_list l;
	struct bugcheck_block_info e[4];
	uint8_t raw[4 * 40], *b = map_rw(3), *gone = map_rw(1);
	bool ok, zero;
	size_t i;
	int r;

	munmap(gone, PG);
	expect_err(reg(b + 2 * PG, 10), 0, "REGISTER block 1 of 3");
	expect_err(reg(b, 20), 0, "REGISTER block 2 of 3");
	expect_err(reg(b + PG + 7, 30), 0, "REGISTER block 3 of 3");

	memset(&l, 0, sizeof(l));
	l.entry_size = 24;
	l.flags = 1;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST, &l), EINVAL,
		   "LIST flags 1: EINVAL");
	l.flags = 0;
	l.entry_size = 23;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST, &l), EINVAL,
		   "LIST entry_size 23: EINVAL");
	l.entry_size = 0;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST, &l), EINVAL,
		   "LIST entry_size 0: EINVAL");
	l.entry_size = 24;
	l.capacity = 3;
	l.blocks = KERNEL_ADDR;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST, &l), EFAULT,
		   "LIST into a kernel address: EFAULT");
	l.blocks = (uintptr_t)gone;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST, &l), EFAULT,
		   "LIST into unmapped memory: EFAULT");
	l.blocks = 0;
	l.capacity = 0;
	l.count = 77;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST, &l), 0,
		   "LIST with capacity 0 and no array");
	check(l.count == 3, "... counts the 3 blocks", "count %u", l.count);

	memset(e, 0xa5, sizeof(e));
	r = list_fd(g_fd, e, 2);
	check(r == 3, "LIST capacity 2: count is still 3", "count %d", r);
	ok = e[0].addr == (uintptr_t)(b + 2 * PG) && e[0].size == 10 &&
	     e[1].addr == (uintptr_t)b && e[1].size == 20;
	check(ok, "LIST capacity 2: the first two, in registration order",
	      "[0] %#llx/%llu [1] %#llx/%llu", (unsigned long long)e[0].addr,
	      (unsigned long long)e[0].size, (unsigned long long)e[1].addr,
	      (unsigned long long)e[1].size);
	for (zero = true, i = 0; i < sizeof(e[2]); i++)
		zero &= ((uint8_t *)&e[2])[i] == 0xa5;
	check(zero, "LIST capacity 2 writes nothing past entry 2",
	      "entry 2 was overwritten");

	r = list_fd(g_fd, e, 4);
	ok = r == 3 && e[2].addr == (uintptr_t)(b + PG + 7) &&
	     e[2].size == 30 && e[0].pages == 1 && e[1].pages == 1 &&
	     e[2].pages == 1 && !e[0].flags && !e[1].flags && !e[2].flags;
	check(ok, "LIST capacity 4: 3 entries, sizes, pages and flags",
	      "count %d [2] %#llx/%llu", r, (unsigned long long)e[2].addr,
	      (unsigned long long)e[2].size);

	/* A newer caller's larger entries: the tail is zeroed. */
	memset(raw, 0xa5, sizeof(raw));
	memset(&l, 0, sizeof(l));
	l.blocks = (uintptr_t)raw;
	l.capacity = 4;
	l.entry_size = 40;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST, &l), 0,
		   "LIST with entry_size 40");
	ok = l.count == 3;
	for (i = 0; i < 3; i++) {
		struct bugcheck_block_info x;
		size_t j;

		memcpy(&x, raw + i * 40, sizeof(x));
		ok &= x.size == (i == 0 ? 10 : i == 1 ? 20 : 30);
		for (j = 24; j < 40; j++)
			ok &= raw[i * 40 + j] == 0;
	}
	ok &= raw[3 * 40] == 0xa5;
	check(ok, "entry_size 40: entries at a 40-byte stride, tails zeroed",
	      "count %u", l.count);
	unregister_all(g_fd);
	munmap(b, 3 * PG);
}

/* --- LIST_PROCESS: another process's blocks ------------------------------ */

/* LIST_PROCESS with entry_size 24; the count or -errno. */
static int list_pid(int fd, pid_t pid, struct bugcheck_block_info *b,
		    unsigned int cap)
{
	struct bugcheck_process_blocks l = {
		.blocks = (uintptr_t)b,
		.capacity = cap,
		.entry_size = sizeof(*b),
		.pid = pid,
	};
	int r = xioctl(fd, BUGCHECK_IOC_LIST_PROCESS, &l);

	return r < 0 ? r : (int)l.count;
}

/*
 * A child that registers @n blocks of a page each at known places, tells the
 * parent their base through @p[1] and waits for a byte on @q[0] (or exits at
 * once when @exit_now).  Returns the child's pid; *@base gets its block base.
 */
static pid_t block_child(int n, bool as_nobody, bool exit_now, int q[2],
			 uint64_t *base)
{
	int p[2];
	pid_t pid;

	if (pipe(p) || pipe(q))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		uint8_t *b = map_rw(n + 1);
		uint64_t at = (uintptr_t)b;
		char c;
		int i;

		if (as_nobody && drop_to_nobody())
			_exit(3);
		for (i = 0; i < n; i++)
			if (reg(b + i * PG + i, 100 + i))
				_exit(4);
		(void)!write(p[1], &at, sizeof(at));
		if (exit_now)
			_exit(0);
		(void)!read(q[0], &c, 1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], base, sizeof(*base)) != sizeof(*base))
		*base = 0;
	close(p[0]);
	return pid;
}

static void end_child(pid_t pid, int q[2])
{
	int st;

	(void)!write(q[1], "x", 1);
	close(q[0]);
	close(q[1]);
	waitpid(pid, &st, 0);
}

/* Run as nobody in a child: no CAP_SYS_PTRACE, so only a tracer may list. */
static void nobody_list_process(void *arg)
{
	pid_t root_pid = *(pid_t *)arg, other;
	struct bugcheck_block_info e[4];
	uint64_t base = 0;
	int q[2], r, st;

	/* setuid() made us undumpable, and so our children: not traceable. */
	if (drop_to_nobody() || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)) {
		check(false, "LIST_PROCESS as nobody",
		      "cannot become a dumpable nobody");
		return;
	}
	expect_err(list_pid(g_fd, root_pid, NULL, 0), EPERM,
		   "nobody: LIST_PROCESS of a root process: EPERM");
	r = list_pid(g_fd, getpid(), NULL, 0);
	check(r == 0, "nobody: LIST_PROCESS of itself: allowed", "got %s",
	      r < 0 ? ename(r) : "a count");

	other = block_child(2, false, false, q, &base);
	expect_err(list_pid(g_fd, other, NULL, 0), EPERM,
		   "nobody: LIST_PROCESS of its own untraced child: EPERM");
	if (ptrace(PTRACE_SEIZE, other, 0, 0) == 0) {
		memset(e, 0, sizeof(e));
		r = list_pid(g_fd, other, e, 4);
		check((r == 2 && e[0].addr == base && e[0].size == 100 &&
		       e[1].addr == base + PG + 1 && e[1].size == 101 &&
		       e[0].pages == 1 && e[1].pages == 1),
		      "nobody as the tracer (PTRACE_SEIZE): the child's 2 blocks",
		      "count %d [0] %#llx/%llu", r,
		      (unsigned long long)e[0].addr,
		      (unsigned long long)e[0].size);
		/* A tracee is detached only while stopped. */
		ptrace(PTRACE_INTERRUPT, other, 0, 0);
		waitpid(other, &st, __WALL);
		check(ptrace(PTRACE_DETACH, other, 0, 0) == 0,
		      "nobody: PTRACE_DETACH", "%m");
		expect_err(list_pid(g_fd, other, NULL, 0), EPERM,
			   "nobody after PTRACE_DETACH: EPERM again");
	} else {
		check(false, "nobody: PTRACE_SEIZE of its own child", "%m");
	}
	end_child(other, q);
}

static void test_list_process(void)
{
	static uint8_t big[2 * 4096] __attribute__((aligned(4096)));
	struct bugcheck_process_blocks *bp = (void *)big;
	struct bugcheck_block_info e[4], self[4];
	uint8_t raw[4 * 40];
	uint8_t *b = map_rw(2), *gone = map_rw(1);
	uint64_t base = 0;
	pid_t child, me = getpid();
	int q[2], r, st, n;
	bool ok;
	size_t i;

	munmap(gone, PG);
	expect_err(reg(b + 5, 50), 0, "LIST_PROCESS: REGISTER a block of ours");
	expect_err(reg(b + PG, 60), 0, "LIST_PROCESS: REGISTER a second");
	n = list_fd(g_fd, self, 4);
	memset(e, 0xa5, sizeof(e));
	r = list_pid(g_fd, me, e, 4);
	check(r == 2 && n == 2 && !memcmp(e, self, 2 * sizeof(e[0])),
	      "LIST_PROCESS of ourselves equals LIST", "count %d (LIST %d)", r,
	      n);
	unregister_all(g_fd);

	/* Bad input, in the order the kernel checks it. */
	memset(big, 0, sizeof(big));
	bp->entry_size = 24;
	bp->pid = me;
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 4, 31), big),
		   EINVAL, "LIST_PROCESS with size 31 (below VER0): EINVAL");
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 4, 4097), big),
		   EINVAL, "LIST_PROCESS with size 4097: EINVAL");
	big[40] = 1;
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 4, 48), big),
		   EINVAL,
		   "LIST_PROCESS, larger struct, non-zero tail: EINVAL");
	big[40] = 0;
	expect_err(xioctl(g_fd, IOC(_IOC_READ | _IOC_WRITE, 4, 48), big), 0,
		   "LIST_PROCESS, larger struct, zero tail: accepted");
	expect_err(xioctl(g_fd,
			  _IOW(BUGCHECK_IOC_MAGIC, 4,
			       struct bugcheck_process_blocks),
			  big),
		   ENOTTY, "LIST_PROCESS as _IOW: ENOTTY");
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, NULL), EFAULT,
		   "LIST_PROCESS with a NULL argument: EFAULT");
	bp->flags = 1;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), EINVAL,
		   "LIST_PROCESS flags 1: EINVAL");
	bp->flags = 0;
	bp->reserved = 1;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), EINVAL,
		   "LIST_PROCESS reserved 1: EINVAL");
	bp->reserved = 0;
	bp->entry_size = 23;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), EINVAL,
		   "LIST_PROCESS entry_size 23: EINVAL");
	bp->entry_size = 4097;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), EINVAL,
		   "LIST_PROCESS entry_size 4097: EINVAL");
	bp->entry_size = 24;
	expect_err(list_pid(g_fd, 0, NULL, 0), EINVAL,
		   "LIST_PROCESS pid 0: EINVAL");
	expect_err(list_pid(g_fd, -1, NULL, 0), EINVAL,
		   "LIST_PROCESS pid -1: EINVAL");
	expect_err(list_pid(g_fd, INT32_MAX, NULL, 0), ESRCH,
		   "LIST_PROCESS of a pid no process has: ESRCH");

	/* Another process (root: CAP_SYS_PTRACE), its blocks and its array. */
	child = block_child(3, false, false, q, &base);
	memset(e, 0xa5, sizeof(e));
	r = list_pid(g_fd, child, e, 2);
	ok = r == 3 && e[0].addr == base && e[0].size == 100 &&
	     e[1].addr == base + PG + 1 && e[1].size == 101 && e[2].size != 102;
	check(ok, "root: LIST_PROCESS of a child, capacity 2 of 3, in order",
	      "count %d [0] %#llx/%llu", r, (unsigned long long)e[0].addr,
	      (unsigned long long)e[0].size);
	check(list_count(g_fd) == 0, "... and LIST of ourselves still has none",
	      "count %d", list_count(g_fd));
	memset(raw, 0xa5, sizeof(raw));
	memset(bp, 0, sizeof(*bp));
	bp->blocks = (uintptr_t)raw;
	bp->capacity = 4;
	bp->entry_size = 40;
	bp->pid = child;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), 0,
		   "LIST_PROCESS with entry_size 40");
	ok = bp->count == 3 && raw[3 * 40] == 0xa5;
	for (i = 0; i < 3; i++) {
		size_t j;

		for (j = 24; j < 40; j++)
			ok &= raw[i * 40 + j] == 0;
	}
	check(ok, "entry_size 40: 3 entries, tails zeroed, nothing past them",
	      "count %u", bp->count);
	bp->entry_size = 24;
	bp->blocks = KERNEL_ADDR;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), EFAULT,
		   "LIST_PROCESS into a kernel address: EFAULT");
	bp->blocks = (uintptr_t)gone;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), EFAULT,
		   "LIST_PROCESS into unmapped memory: EFAULT");
	bp->blocks = (uintptr_t)gone;
	bp->capacity = 0;
	expect_err(xioctl(g_fd, BUGCHECK_IOC_LIST_PROCESS, bp), 0,
		   "LIST_PROCESS capacity 0 with a bad array: only counts");
	end_child(child, q);
	expect_err(list_pid(g_fd, child, NULL, 0), ESRCH,
		   "LIST_PROCESS of a reaped child: ESRCH");

	/* A zombie: exited, not reaped; its blocks went with its mm. */
	child = block_child(1, false, true, q, &base);
	for (i = 0; i < 200; i++) {
		char path[64], stat[256];
		int fd;
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/%d/stat", child);
		fd = open(path, O_RDONLY);
		len = fd < 0 ? -1 : read(fd, stat, sizeof(stat) - 1);
		if (fd >= 0)
			close(fd);
		if (len > 0) {
			stat[len] = 0;
			if (strstr(stat, ") Z "))
				break;
		}
		usleep(10000);
	}
	expect_err(list_pid(g_fd, child, NULL, 0), ESRCH,
		   "LIST_PROCESS of a zombie: ESRCH");
	close(q[0]);
	close(q[1]);
	waitpid(child, &st, 0);

	in_child("LIST_PROCESS as nobody", nobody_list_process, &me);
	munmap(b, 2 * PG);
}

/* --- limits ------------------------------------------------------------- */

static void test_per_process_limit(void)
{
	struct bugcheck_dev_info i;
	uint8_t *b = map_rw(2);
	int k, bad = 0, first_bad = 0;
	pid_t pid;
	int st;

	for (k = 0; k < DEF_BLOCKS_PER_PROCESS; k++) {
		int r = reg(b + k * 8, 8);

		if (r && !bad++)
			first_bad = r;
	}
	check(!bad, "REGISTER 512 blocks", "%d failed, first with %s", bad,
	      ename(first_bad));
	expect_err(reg(b + PG, 8), ENOSPC, "REGISTER a 513th block: ENOSPC");
	info_fd(g_fd, &i);
	check((i.blocks_registered == DEF_BLOCKS_PER_PROCESS &&
	       i.pinned_pages == DEF_BLOCKS_PER_PROCESS),
	      "INFO: 512 blocks, 512 pinned pages",
	      "blocks_registered %u pinned_pages %llu", i.blocks_registered,
	      (unsigned long long)i.pinned_pages);
	check(vm_pin_kb() == DEF_BLOCKS_PER_PROCESS * 4, "VmPin is 512 pages",
	      "VmPin %ld kB", vm_pin_kb());

	/* The limit is per process: a child still may. */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(reg(b + PG, 8) == 0 && list_count(g_fd) == 1 ? 0 : 1);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a child registers while its parent is at the limit",
	      "child status 0x%x", st);

	expect_err(unreg(b + 100 * 8), 0, "UNREGISTER one of the 512");
	expect_err(reg(b + PG, 8), 0, "... then one more fits");
	check(unregister_all(g_fd) == DEF_BLOCKS_PER_PROCESS,
	      "512 blocks listed before unregistering them all", "count %d",
	      list_count(g_fd));
	check(vm_pin_kb() == 0, "VmPin back to 0", "VmPin %ld kB", vm_pin_kb());
	munmap(b, 2 * PG);
}

static void test_global_limit(void)
{
	struct bugcheck_dev_info i;
	long orig = param_get("blocks_max"), cap;
	uint8_t *b = map_rw(1);
	int to_child[2], to_parent[2], st, r;
	char c = 0;
	pid_t pid;

	cap = blocks_total() + 4;
	if (!check(param_set("blocks_max", cap) == 0,
		   "blocks_max is writable at runtime", "write: %s",
		   strerror(errno)))
		return;
	info_fd(g_fd, &i);
	check(i.blocks_max == cap, "INFO shows the new blocks_max",
	      "INFO %u, wrote %ld", i.blocks_max, cap);
	expect_err(reg(b, 8), 0, "global cap: parent registers 1 of 4");
	expect_err(reg(b + 8, 8), 0, "global cap: parent registers 2 of 4");
	if (pipe(to_child) || pipe(to_parent))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		expect_err(reg(b, 8), 0, "global cap: child registers 3 of 4");
		expect_err(reg(b + 8, 8), 0,
			   "global cap: child registers 4 of 4");
		expect_err(reg(b + 16, 8), ENOSPC,
			   "global cap: child's 3rd block (5 of 4): ENOSPC");
		fflush(stdout);
		(void)!write(to_parent[1], "x", 1);
		(void)!read(to_child[0], &c, 1);
		_exit(0);
	}
	(void)!read(to_parent[0], &c, 1);
	expect_err(reg(b + 16, 8), ENOSPC,
		   "global cap: parent's 3rd block: ENOSPC");
	(void)!write(to_child[1], "y", 1);
	waitpid(pid, &st, 0);
	for (r = 0; r < 250 && blocks_total() != cap - 2; r++)
		usleep(20000);
	expect_err(reg(b + 16, 8), 0,
		   "global cap: the child exited, the parent's 3rd fits");
	expect_err(reg(b + 24, 8), 0, "global cap: and a 4th");
	expect_err(reg(b + 32, 8), ENOSPC, "global cap: but not a 5th");
	check((param_set("blocks_max", orig) == 0 &&
	       param_get("blocks_max") == orig),
	      "blocks_max restored", "reads %ld", param_get("blocks_max"));
	expect_err(reg(b + 32, 8), 0, "with blocks_max restored it fits");
	unregister_all(g_fd);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	munmap(b, PG);
}

static void test_size_limit_param(void)
{
	struct bugcheck_dev_info i;
	long orig = param_get("block_size_max");
	uint8_t *b = map_rw(3);

	if (!check(param_set("block_size_max", 8192) == 0,
		   "block_size_max is writable at runtime", "write: %s",
		   strerror(errno)))
		return;
	info_fd(g_fd, &i);
	check(i.block_size_max == 8192, "INFO shows block_size_max 8192",
	      "INFO %llu", (unsigned long long)i.block_size_max);
	expect_err(reg(b, 8193), E2BIG,
		   "block_size_max 8192: 8193 bytes E2BIG");
	expect_err(reg(b, 8192), 0, "block_size_max 8192: 8192 bytes fit");
	check((param_set("block_size_max", orig) == 0 &&
	       param_get("block_size_max") == orig),
	      "block_size_max restored", "reads %ld",
	      param_get("block_size_max"));
	expect_err(reg(b + 1, 8193), 0, "restored: 8193 bytes fit again");
	unregister_all(g_fd);

	orig = param_get("blocks_per_process");
	if (check(param_set("blocks_per_process", 2) == 0,
		  "blocks_per_process is writable at runtime", "write: %s",
		  strerror(errno))) {
		expect_err(reg(b, 1), 0, "blocks_per_process 2: 1st");
		expect_err(reg(b + 1, 1), 0, "blocks_per_process 2: 2nd");
		expect_err(reg(b + 2, 1), ENOSPC,
			   "blocks_per_process 2: 3rd ENOSPC");
		check((param_set("blocks_per_process", orig) == 0 &&
		       param_get("blocks_per_process") == orig),
		      "blocks_per_process restored", "reads %ld",
		      param_get("blocks_per_process"));
		unregister_all(g_fd);
	}
	munmap(b, 3 * PG);
}

/* --- RLIMIT_MEMLOCK, unprivileged ---------------------------------------- */

static void set_memlock(rlim_t bytes)
{
	struct rlimit r = { bytes, bytes };

	setrlimit(RLIMIT_MEMLOCK, &r);
}

static void nobody_memlock_zero(void *arg)
{
	uint8_t *b = map_rw(1);
	int fd;

	(void)arg;
	set_memlock(0);
	if (!check(drop_to_nobody() == 0, "dropped to uid 65534", "%m"))
		return;
	fd = open(DEBUGFS "blocks", O_RDONLY);
	check(fd < 0 && (errno == EACCES || errno == EPERM),
	      "uid 65534 cannot read debugfs bugcheck/blocks", "open: %s",
	      fd < 0 ? ename(errno) : "succeeded");
	g_fd = dev_open();
	expect_err(reg(b, 8), EPERM,
		   "uid 65534, RLIMIT_MEMLOCK 0: REGISTER EPERM");
	check(vm_pin_kb() == 0, "uid 65534: nothing pinned after EPERM",
	      "VmPin %ld kB", vm_pin_kb());
}

static void nobody_memlock_two_pages(void *arg)
{
	uint8_t *b = map_rw(4);
	struct bugcheck_dev_info i;

	(void)arg;
	set_memlock(2 * PG);
	if (!check(drop_to_nobody() == 0, "dropped to uid 65534", "%m"))
		return;
	g_fd = dev_open();
	expect_err(reg(b, 3 * PG), ENOMEM,
		   "uid 65534, RLIMIT_MEMLOCK 2 pages: 3-page block ENOMEM");
	expect_err(reg(b + 100, 2 * PG), ENOMEM,
		   "uid 65534, 2 pages: unaligned 8 KiB (3 pages) ENOMEM");
	expect_err(reg(b, 2 * PG), 0, "uid 65534: 2-page block fits");
	info_fd(g_fd, &i);
	check(i.pinned_pages == 2 && vm_pin_kb() == 8,
	      "uid 65534: INFO and VmPin show 2 pinned pages",
	      "pinned_pages %llu VmPin %ld kB",
	      (unsigned long long)i.pinned_pages, vm_pin_kb());
	expect_err(reg(b + 3 * PG, 1), ENOMEM,
		   "uid 65534: one page more than the limit: ENOMEM");
	expect_err(reg(b + 1, 1), ENOMEM,
		   "uid 65534: an overlapping block is charged too: ENOMEM");
	expect_err(unreg(b), 0, "uid 65534: UNREGISTER the 2-page block");
	check(vm_pin_kb() == 0, "uid 65534: VmPin back to 0", "VmPin %ld kB",
	      vm_pin_kb());
	expect_err(reg(b, 1), 0, "uid 65534: 1-page block 1 of 2");
	expect_err(reg(b + 3 * PG, 1), 0, "uid 65534: 1-page block 2 of 2");
	expect_err(reg(b + 2 * PG, 1), ENOMEM,
		   "uid 65534: 1-page block 3 of 2: ENOMEM");
	check(list_count(g_fd) == 2,
	      "uid 65534: the refused blocks are not listed", "count %d",
	      list_count(g_fd));
}

struct second {
	int want;
	const char *what;
};

/* A forked process of the same user: it must not bring a budget of its own. */
static void nobody_second_process(void *arg)
{
	const struct second *t = arg;
	uint8_t *b = map_rw(1);
	char name[160];

	g_fd = dev_open();
	snprintf(name, sizeof(name),
		 "uid 65534, second process, %s: 1-page block %s", t->what,
		 t->want ? ename(t->want) : "fits");
	expect_err(reg(b, 1), t->want, name);
}

/*
 * RLIMIT_MEMLOCK is the user's budget, shared by all of its processes (as
 * io_uring charges it): a second process cannot pin what the first used up.
 */
static void nobody_memlock_per_user(void *arg)
{
	struct second used = { ENOMEM,
			       "the user's 2 pages of RLIMIT_MEMLOCK in use" };
	struct second freed = { 0, "the user's 2 pages free again" };
	uint8_t *b = map_rw(2);

	(void)arg;
	set_memlock(2 * PG);
	if (!check(drop_to_nobody() == 0, "dropped to uid 65534", "%m"))
		return;
	g_fd = dev_open();
	expect_err(reg(b, 2 * PG), 0,
		   "uid 65534, RLIMIT_MEMLOCK 2 pages: 2-page block fits");
	in_child("second process of the user ran", nobody_second_process,
		 &used);
	expect_err(unreg(b), 0, "uid 65534: UNREGISTER the 2-page block");
	in_child("second process of the user ran again", nobody_second_process,
		 &freed);
}

/* blocks_per_user: the blocks of all of a user's processes together. */
static void nobody_quota(void *arg)
{
	struct second full = { ENOSPC, "the user at blocks_per_user" };
	uint8_t *b = map_rw(1);

	(void)arg;
	if (!check(drop_to_nobody() == 0, "dropped to uid 65534", "%m"))
		return;
	g_fd = dev_open();
	expect_err(reg(b, 1), 0, "uid 65534, blocks_per_user 2: block 1 of 2");
	expect_err(reg(b + 1, 1), 0, "uid 65534: block 2 of 2");
	expect_err(reg(b + 2, 1), ENOSPC,
		   "uid 65534: block 3 of 2 in the same process: ENOSPC");
	in_child("another process of the user ran", nobody_second_process,
		 &full);
}

static void test_user_quota(void)
{
	uint8_t *b = map_rw(1);

	if (!check(param_set("blocks_per_user", 2) == 0,
		   "blocks_per_user set to 2", "%m"))
		return;
	in_child("quota child ran", nobody_quota, NULL);
	/* Another user (root) has a quota of its own. */
	expect_err(reg(b, 1), 0,
		   "root: block 1 while uid 65534 is at its quota");
	expect_err(reg(b + 1, 1), 0, "root: block 2");
	unregister_all(g_fd);
	check(param_set("blocks_per_user", 2048) == 0,
	      "blocks_per_user back to 2048", "%m");
	expect_baseline("after the per-user quota");
}

static void root_memlock_zero(void *arg)
{
	uint8_t *b = map_rw(1);

	(void)arg;
	set_memlock(0);
	expect_err(reg(b, 8), 0,
		   "root (CAP_IPC_LOCK), RLIMIT_MEMLOCK 0: REGISTER succeeds");
}

static void test_memlock(void)
{
	in_child("memlock 0 child ran", nobody_memlock_zero, NULL);
	in_child("memlock 2 pages child ran", nobody_memlock_two_pages, NULL);
	in_child("memlock per user child ran", nobody_memlock_per_user, NULL);
	in_child("root memlock 0 child ran", root_memlock_zero, NULL);
	expect_baseline("after the memlock children");
}

/* --- mappings ------------------------------------------------------------ */

static void test_file_mapping(const char *what, const char *dir, int shared_err)
{
	char path[256], name[256];
	uint8_t *p;
	int fd;

	snprintf(path, sizeof(path), "%s/test_blocks.map", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 2 * PG)) {
		snprintf(name, sizeof(name), "%s file created", what);
		check(false, name, "%s: %m", path);
		if (fd >= 0)
			close(fd);
		return;
	}
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p[0] = 1;
	snprintf(name, sizeof(name), "MAP_SHARED file on %s: %s", what,
		 shared_err ? ename(shared_err) : "allowed");
	expect_err(reg(p, 2 * PG), shared_err, name);
	if (!shared_err)
		unreg(p);
	munmap(p, 2 * PG);

	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	snprintf(name, sizeof(name), "MAP_PRIVATE file on %s: allowed", what);
	expect_err(reg(p + 10, 2 * PG - 20), 0, name);
	unreg(p + 10);
	munmap(p, 2 * PG);

	p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	snprintf(name, sizeof(name),
		 "read-only MAP_PRIVATE file on %s: allowed", what);
	expect_err(reg(p, 2 * PG), 0, name);
	unreg(p);
	munmap(p, 2 * PG);
	close(fd);
	unlink(path);
}

static void test_mappings(void)
{
	char ramdir[] = "/tmp/test_blocks.ramfs.XXXXXX";
	struct statfs sf;
	uint8_t *p;
	int fd, id;

	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	expect_err(reg(p + 1, PG), 0, "MAP_SHARED|MAP_ANONYMOUS: allowed");
	unreg(p + 1);
	munmap(p, 2 * PG);

	fd = memfd_create("test_blocks", MFD_CLOEXEC);
	if (ftruncate(fd, 2 * PG) == 0) {
		p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 0);
		expect_err(reg(p, 2 * PG), 0, "memfd MAP_SHARED: allowed");
		unreg(p);
		munmap(p, 2 * PG);
	} else {
		check(false, "memfd created", "%m");
	}
	close(fd);

	id = shmget(IPC_PRIVATE, 2 * PG, IPC_CREAT | 0600);
	p = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
	if (check(p != (void *)-1, "SysV shm segment attached", "%m")) {
		expect_err(reg(p + 5, 100), 0, "SysV shm: allowed");
		unreg(p + 5);
		shmdt(p);
	}
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);

	if (statfs("/tmp", &sf) == 0 && sf.f_type == TMPFS_MAGIC)
		test_file_mapping("tmpfs", "/tmp", 0);
	else
		skip("file mappings on tmpfs",
		     "/tmp is not tmpfs in this guest");

	/* ramfs is not tmpfs: its shared file mappings are refused too. */
	if (!mkdtemp(ramdir) || mount("ramfs", ramdir, "ramfs", 0, NULL)) {
		skip("file mappings on ramfs", "cannot mount ramfs");
	} else {
		test_file_mapping("ramfs", ramdir, EOPNOTSUPP);
		umount(ramdir);
	}
	rmdir(ramdir);

	if (!disk_dir)
		skip("file mappings on a disk file system",
		     "no -d DIR given (the guest found no loop device or ext2)");
	else if (statfs(disk_dir, &sf) || sf.f_type == TMPFS_MAGIC ||
		 sf.f_type == RAMFS_MAGIC)
		check(false, "file mappings on a disk file system",
		      "-d %s is not on a disk file system", disk_dir);
	else
		test_file_mapping("a disk file system", disk_dir, EOPNOTSUPP);
}

/* --- ownership -------------------------------------------------------------- */

static void test_fd_lifetime(void)
{
	struct bugcheck_block_info e[2];
	uint8_t *b = map_rw(1);
	int fd2 = dev_open(), fd3 = dev_open(), n;

	expect_err(reg_raw(fd2, (uintptr_t)b, 32, 0), 0,
		   "REGISTER through a second fd");
	n = list_fd(fd3, e, 2);
	check(n == 1 && e[0].addr == (uintptr_t)b,
	      "a third fd of the same process lists it", "count %d", n);
	close(fd2);
	close(fd3);
	n = list_fd(g_fd, e, 2);
	check(n == 1 && e[0].addr == (uintptr_t)b && e[0].size == 32,
	      "closing the fd that registered does not drop the block",
	      "count %d", n);
	check(vm_pin_kb() == 4, "... and it stays pinned", "VmPin %ld kB",
	      vm_pin_kb());
	expect_err(unreg(b), 0, "UNREGISTER through another fd");
	munmap(b, PG);
}

struct fork_arg {
	uint8_t *b;
};

static void fork_child(void *arg)
{
	struct fork_arg *a = arg;
	struct bugcheck_dev_info i;
	int fd;

	check(list_count(g_fd) == 0, "fork child: inherited fd lists 0 blocks",
	      "count %d", list_count(g_fd));
	info_fd(g_fd, &i);
	check(i.blocks_registered == 0 && i.pinned_pages == 0,
	      "fork child: INFO shows no blocks, no pins",
	      "blocks_registered %u pinned_pages %llu", i.blocks_registered,
	      (unsigned long long)i.pinned_pages);
	check(vm_pin_kb() == 0, "fork child: VmPin 0", "VmPin %ld kB",
	      vm_pin_kb());
	expect_err(unreg(a->b), ENOENT,
		   "fork child: UNREGISTER the parent's block: ENOENT");
	expect_err(reg(a->b, 16), 0,
		   "fork child: REGISTER the same address as its own");
	fd = dev_open();
	check(list_count(fd) == 1, "fork child: a new fd lists its 1 block",
	      "count %d", list_count(fd));
	close(fd);
}

static void test_fork(void)
{
	struct fork_arg a = { .b = map_rw(2) };
	struct bugcheck_block_info e[4];
	int n;

	expect_err(reg(a.b, 16), 0, "REGISTER before fork (1)");
	expect_err(reg(a.b + PG, PG), 0, "REGISTER before fork (2)");
	in_child("fork child ran", fork_child, &a);
	n = list_fd(g_fd, e, 4);
	check((n == 2 && e[0].addr == (uintptr_t)a.b && e[0].size == 16 &&
	       e[1].addr == (uintptr_t)(a.b + PG)),
	      "after fork the parent still has exactly its 2 blocks",
	      "count %d", n);
	check(vm_pin_kb() == 8, "after fork the parent's pins are unchanged",
	      "VmPin %ld kB", vm_pin_kb());
	unregister_all(g_fd);
	munmap(a.b, 2 * PG);
	expect_baseline("after the fork child exited");
}

/* test_blocks --after-exec DEVFD OUTFD: what an exec'd image sees. */
static int after_exec(int devfd, int outfd)
{
	struct bugcheck_dev_info i;
	int fd = open(BUGCHECK_DEV_PATH, O_RDWR), c1, c2;

	c1 = list_count(devfd);
	c2 = list_count(fd);
	info_fd(fd, &i);
	dprintf(outfd, "%d %d %u %llu %u %ld\n", c1, c2, i.blocks_registered,
		(unsigned long long)i.pinned_pages, i.blocks_total,
		vm_pin_kb());
	return 0;
}

static void test_exec(void)
{
	int p[2], devfd, st, c1 = -1, c2 = -1;
	unsigned int reg_n = 99, total = 99;
	unsigned long long pinned = 99;
	long vmpin = -1;
	char buf[128] = "";
	uint8_t *b = map_rw(2);
	ssize_t r;
	pid_t pid;

	if (pipe(p))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char a1[16], a2[16];

		close(p[0]);
		devfd = open(BUGCHECK_DEV_PATH, O_RDWR); /* kept across exec */
		expect_err(reg_raw(devfd, (uintptr_t)b, 100, 0), 0,
			   "exec child: REGISTER (1)");
		expect_err(reg_raw(devfd, (uintptr_t)b + PG, 100, 0), 0,
			   "exec child: REGISTER (2)");
		fflush(stdout);
		snprintf(a1, sizeof(a1), "%d", devfd);
		snprintf(a2, sizeof(a2), "%d", p[1]);
		execl("/proc/self/exe", "test_blocks", "--after-exec", a1, a2,
		      (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	r = read(p[0], buf, sizeof(buf) - 1);
	buf[r > 0 ? r : 0] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	check((WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	       sscanf(buf, "%d %d %u %llu %u %ld", &c1, &c2, &reg_n, &pinned,
		      &total, &vmpin) == 6),
	      "the exec'd image ran", "status 0x%x, output '%s'", st, buf);
	check(c1 == 0 && c2 == 0,
	      "after exec the process lists no blocks (inherited and new fd)",
	      "counts %d %d", c1, c2);
	check(reg_n == 0 && pinned == 0 && vmpin == 0,
	      "after exec: INFO and VmPin show nothing pinned",
	      "blocks_registered %u pinned_pages %llu VmPin %ld kB", reg_n,
	      pinned, vmpin);
	check(total == total0,
	      "after exec, while the process lives, the global count is back",
	      "blocks_total %u, baseline %ld", total, total0);
	munmap(b, 2 * PG);
	expect_baseline("after exec");
}

static void exit_child(void *arg)
{
	uint8_t *b = map_rw(5);
	int k;

	(void)arg;
	for (k = 0; k < 5; k++)
		reg(b + k * PG, PG);
	check(list_count(g_fd) == 5, "exit child: 5 blocks registered",
	      "count %d", list_count(g_fd));
	/* exits holding them */
}

static void test_exit(void)
{
	in_child("exit child ran", exit_child, NULL);
	expect_baseline("a process exited holding 5 blocks");
}

/* --- threads ---------------------------------------------------------------- */

#define NTHREADS 8
#define PER_THREAD 32

struct thr {
	pthread_barrier_t *bar;
	uint8_t *base;
	int idx;
	int mode;
	int ok, eexist, enospc, other;
	int other_err;
};

enum { T_REG_OWN, T_UNREG_NEXT, T_REG_SAME, T_REG_MANY };

static void tally(struct thr *t, int r)
{
	if (r == 0)
		t->ok++;
	else if (r == -EEXIST)
		t->eexist++;
	else if (r == -ENOSPC)
		t->enospc++;
	else if (!t->other++)
		t->other_err = r;
}

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	int k, n;

	pthread_barrier_wait(t->bar);
	switch (t->mode) {
	case T_REG_OWN:
		for (k = 0; k < PER_THREAD; k++)
			tally(t, reg(t->base + (t->idx * PER_THREAD + k) * 16,
				     16));
		break;
	case T_UNREG_NEXT:
		n = (t->idx + 1) % NTHREADS;
		for (k = 0; k < PER_THREAD; k++)
			tally(t, unreg(t->base + (n * PER_THREAD + k) * 16));
		break;
	case T_REG_SAME:
		tally(t, reg(t->base, 64));
		break;
	case T_REG_MANY:
		for (k = 0; k < 80; k++)
			tally(t, reg(t->base + (t->idx * 80 + k) * 4, 4));
		break;
	}
	return NULL;
}

static void run_threads(struct thr *t, int mode, uint8_t *base)
{
	pthread_t th[NTHREADS];
	pthread_barrier_t bar;
	int k;

	pthread_barrier_init(&bar, NULL, NTHREADS);
	for (k = 0; k < NTHREADS; k++) {
		memset(&t[k], 0, sizeof(t[k]));
		t[k].bar = &bar;
		t[k].base = base;
		t[k].idx = k;
		t[k].mode = mode;
		pthread_create(&th[k], NULL, thr_main, &t[k]);
	}
	for (k = 0; k < NTHREADS; k++)
		pthread_join(th[k], NULL);
	pthread_barrier_destroy(&bar);
}

static void sum(struct thr *t, int *ok, int *eexist, int *enospc, int *other,
		int *other_err)
{
	int k;

	*ok = *eexist = *enospc = *other = *other_err = 0;
	for (k = 0; k < NTHREADS; k++) {
		*ok += t[k].ok;
		*eexist += t[k].eexist;
		*enospc += t[k].enospc;
		*other += t[k].other;
		if (t[k].other && !*other_err)
			*other_err = t[k].other_err;
	}
}

static void test_threads(void)
{
	static struct bugcheck_block_info e[NTHREADS * PER_THREAD + 1];
	struct thr t[NTHREADS];
	uint8_t *b = map_rw(2);
	int ok, eexist, enospc, other, oe, n, k, missing = 0;

	run_threads(t, T_REG_OWN, b);
	sum(t, &ok, &eexist, &enospc, &other, &oe);
	check(ok == NTHREADS * PER_THREAD && !eexist && !enospc && !other,
	      "8 threads register 32 blocks each at once: 256 successes",
	      "%d ok, %d EEXIST, %d ENOSPC, %d other (%s)", ok, eexist, enospc,
	      other, ename(oe));
	n = list_fd(g_fd, e, NTHREADS * PER_THREAD + 1);
	for (k = 0; k < NTHREADS * PER_THREAD; k++)
		missing += !find_block(e, n, b + k * 16);
	check(n == NTHREADS * PER_THREAD && !missing,
	      "the main thread lists all 256, each once",
	      "count %d, %d missing", n, missing);
	run_threads(t, T_UNREG_NEXT, b);
	sum(t, &ok, &eexist, &enospc, &other, &oe);
	check(ok == NTHREADS * PER_THREAD && !other,
	      "each thread unregisters another thread's 32 blocks",
	      "%d ok, %d failed (%s)", ok, other, ename(oe));
	check(list_count(g_fd) == 0 && vm_pin_kb() == 0,
	      "no blocks and no pins left", "count %d VmPin %ld kB",
	      list_count(g_fd), vm_pin_kb());

	run_threads(t, T_REG_SAME, b);
	sum(t, &ok, &eexist, &enospc, &other, &oe);
	check(ok == 1 && eexist == NTHREADS - 1 && !other,
	      "8 threads register the same address: 1 success, 7 EEXIST",
	      "%d ok, %d EEXIST, %d other (%s)", ok, eexist, other, ename(oe));
	check(list_count(g_fd) == 1, "... and it is listed once", "count %d",
	      list_count(g_fd));
	unregister_all(g_fd);

	run_threads(t, T_REG_MANY, b);
	sum(t, &ok, &eexist, &enospc, &other, &oe);
	check((ok == DEF_BLOCKS_PER_PROCESS &&
	       enospc == NTHREADS * 80 - DEF_BLOCKS_PER_PROCESS && !other),
	      "8 threads race 640 registrations to the 512 limit: 512 ok, 128 ENOSPC",
	      "%d ok, %d ENOSPC, %d other (%s)", ok, enospc, other, ename(oe));
	check(list_count(g_fd) == DEF_BLOCKS_PER_PROCESS,
	      "... and 512 are listed", "count %d", list_count(g_fd));
	unregister_all(g_fd);
	check(vm_pin_kb() == 0, "VmPin 0 after the thread races",
	      "VmPin %ld kB", vm_pin_kb());
	munmap(b, 2 * PG);
}

/* --- munmap after registering ------------------------------------------------ */

static void test_munmap(void)
{
	struct bugcheck_block_info e[4];
	const struct bugcheck_block_info *x;
	uint8_t *b = map_rw(2), *c = map_rw(3);
	int n;

	expect_err(reg(b + 10, PG), 0, "REGISTER a block, then munmap it");
	expect_err(reg(c + PG, PG), 0,
		   "REGISTER a page, then munmap the mapping around it");
	munmap(b, 2 * PG);
	munmap(c, 3 * PG);
	n = list_fd(g_fd, e, 4);
	x = find_block(e, n, b + 10);
	check((n == 2 && x && x->size == PG &&
	       (x->flags & BUGCHECK_BLOCK_F_UNMAPPED)),
	      "an unmapped block is still listed, flag UNMAPPED",
	      "count %d, entry %s flags %u", n, x ? "found" : "missing",
	      x ? x->flags : 0);
	x = find_block(e, n, c + PG);
	check(x && (x->flags & BUGCHECK_BLOCK_F_UNMAPPED),
	      "a block inside an unmapped mapping: flag UNMAPPED", "flags %u",
	      x ? x->flags : 0);
	expect_err(unreg(b + 10), 0, "UNREGISTER an unmapped block: 0");
	expect_err(unreg(c + PG), 0, "UNREGISTER the other: 0");
	check(list_count(g_fd) == 0 && vm_pin_kb() == 0,
	      "no blocks and no pins left", "count %d VmPin %ld kB",
	      list_count(g_fd), vm_pin_kb());
	expect_baseline("after munmap + unregister");
}

/* --- kill -9 in the middle of registering --------------------------------------- */

static void *churn(void *arg)
{
	uint8_t *b = arg;
	unsigned int k = 0;

	for (;;) {
		uint8_t *p = b + (k % 64) * 97;

		reg(p, 1 + (k % 3) * PG);
		if (k % 5 == 0)
			list_count(g_fd);
		unreg(p);
		k++;
	}
	return NULL;
}

static void test_kill9(void)
{
	static const int delay_ms[] = { 20, 100, 300, 700 };
	char name[96];
	size_t r;

	for (r = 0; r < ARRAY_SIZE(delay_ms); r++) {
		int st, k;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			pthread_t th;

			for (k = 0; k < 3; k++)
				pthread_create(&th, NULL, churn, map_rw(4));
			churn(map_rw(4));
		}
		usleep(delay_ms[r] * 1000);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		snprintf(name, sizeof(name), "kill -9 after %d ms of %s",
			 delay_ms[r], "register/unregister in 4 threads");
		check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, name,
		      "child status 0x%x", st);
		expect_baseline(name);
	}
}

/* --- debugfs view ------------------------------------------------------------- */

static void test_debugfs(void)
{
	uint8_t *b = map_rw(3), *gone = map_rw(1);
	char line[512], comm[64], flags[64], hdr[512] = "";
	unsigned long long addr, size, pages;
	long rows = -1, tot_n = -1, tot_p = -1, sum_pages = 0, nrows = 0;
	int mine = 0, good = 0, good_unmapped = 0, pid;
	FILE *f;

	reg(b + 1, 2 * PG);
	reg(b + 2 * PG, 16);
	reg(gone, 100);
	munmap(gone, PG);
	f = fopen(DEBUGFS "blocks", "r");
	if (!check(!!f, "debugfs bugcheck/blocks is readable by root", "%m")) {
		unregister_all(g_fd);
		return;
	}
	if (fgets(hdr, sizeof(hdr), f))
		hdr[strcspn(hdr, "\n")] = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "total: %ld blocks, %ld pages", &tot_n,
			   &tot_p) == 2)
			continue;
		flags[0] = 0;
		if (sscanf(line, "%d %63s %llx %llu %llu %63s", &pid, comm,
			   &addr, &size, &pages, flags) < 5)
			continue;
		nrows++;
		sum_pages += pages;
		if (pid != getpid())
			continue;
		mine++;
		if (strcmp(comm, "test_blocks"))
			continue;
		if (addr == (uintptr_t)(b + 1) && size == 2 * PG && pages == 3)
			good++;
		if (addr == (uintptr_t)(b + 2 * PG) && size == 16 && pages == 1)
			good++;
		if (addr == (uintptr_t)gone && size == 100 &&
		    strstr(flags, "unmapped"))
			good_unmapped++;
	}
	fclose(f);
	rows = nrows;
	{
		char norm[512] = "", *tok, *save = NULL;

		for (tok = strtok_r(hdr, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save)) {
			if (norm[0])
				strcat(norm, " ");
			strncat(norm, tok, 64);
		}
		check(!strcmp(norm, "PID COMM ADDRESS SIZE PAGES FLAGS"),
		      "debugfs blocks: header PID COMM ADDRESS SIZE PAGES FLAGS",
		      "header '%s'", norm);
	}
	check(mine == 3 && good == 2,
	      "debugfs blocks: our 2 mapped blocks with pid, comm, address, size, pages",
	      "%d rows for pid %d, %d matching", mine, getpid(), good);
	check(good_unmapped == 1,
	      "debugfs blocks: the unmapped block shows flag 'unmapped'",
	      "not found with that flag");
	check(tot_n == blocks_total() && tot_n == rows && tot_p == sum_pages,
	      "debugfs blocks: total line counts the rows and their pages",
	      "total %ld blocks %ld pages; rows %ld, pages %ld, INFO %ld",
	      tot_n, tot_p, rows, sum_pages, blocks_total());
	unregister_all(g_fd);
	munmap(b, 3 * PG);
}

/* --- what a simulated bugcheck records ---------------------------------------- */

#define REC_FILE "/tmp/test_blocks.rec"
#define OUT_FILE "/tmp/test_blocks.blk"

static bool simulate(void)
{
	static char buf[1 << 16];
	int in, out;
	ssize_t r;
	bool ok = true;

	if (write_file(DEBUGFS "simulate", "1") < 0)
		return false;
	in = open(DEBUGFS "record", O_RDONLY);
	out = open(REC_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0)
		ok = false;
	while (ok && (r = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, r) == r;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ok;
}

/* bugcheck-record blocks -p PID -a ADDR -o FILE REC, compared with seed. */
static void expect_recorded(const char *what, const void *addr, size_t size,
			    unsigned int seed)
{
	char pid[16], a[32], out[2048], name[160];
	char *const argv[] = {
		"bugcheck-record", "blocks", "-p", pid, "-a", a, "-o",
		OUT_FILE,	   REC_FILE, NULL
	};
	static uint8_t got[DEF_BLOCK_SIZE_MAX + 1];
	size_t i, bad = 0, first = 0;
	ssize_t n = -1;
	int rc, fd;

	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(a, sizeof(a), "0x%lx", (unsigned long)(uintptr_t)addr);
	unlink(OUT_FILE);
	rc = run(argv, out, sizeof(out));
	fd = open(OUT_FILE, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, got, sizeof(got));
		close(fd);
	}
	for (i = 0; n == (ssize_t)size && i < size; i++)
		if (got[i] != pat(seed, i) && !bad++)
			first = i;
	snprintf(name, sizeof(name), "record: %s (%zu bytes) exact", what,
		 size);
	check(rc == 0 && n == (ssize_t)size && !bad, name,
	      "bugcheck-record exit %d, %zd bytes, %zu differ (first at %zu); "
	      "output: %.300s",
	      rc, n, bad, first, out);
}

struct rec_thr {
	uint8_t *p;
	int r;
};

static void *reg_from_thread(void *arg)
{
	struct rec_thr *t = arg;

	t->r = reg(t->p, 700);
	return NULL;
}

static void test_record(void)
{
	uint8_t *a = map_rw(3), *b = map_rw(3), *t = map_rw(1),
		*gone = map_rw(1);
	char pid[16], out[8192], name[128], *l;
	char *const argv[] = { "bugcheck-record", "blocks", "-p", pid,
			       REC_FILE,	  NULL };
	struct rec_thr rt = { .p = t + 33 };
	int memfd = memfd_create("test_blocks", MFD_CLOEXEC), rc, rows = 0;
	int go[2], st;
	uint8_t *m;
	pthread_t th;
	pid_t child;

	(void)!ftruncate(memfd, PG);
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	fill(a, 3 * PG, 1);
	fill(b + 100, 5000, 2);
	fill(m, PG, 3);
	fill(t + 33, 700, 4);
	fill(gone, 64, 5);
	expect_err(reg(a, 3 * PG), 0, "record: REGISTER 3 aligned pages");
	expect_err(reg(b + 100, 5000), 0,
		   "record: REGISTER 5000 bytes at +100");
	expect_err(reg(m, PG), 0, "record: REGISTER a memfd page");
	pthread_create(&th, NULL, reg_from_thread, &rt);
	pthread_join(th, NULL);
	expect_err(rt.r, 0, "record: REGISTER 700 bytes from another thread");
	expect_err(reg(gone, 64), 0,
		   "record: REGISTER a block, then munmap it");
	munmap(gone, PG);

	if (!check(simulate(), "simulate a bugcheck and read the record",
		   "debugfs simulate/record: %m"))
		goto out;
	expect_recorded("3 aligned pages", a, 3 * PG, 1);
	expect_recorded("unaligned 5000 bytes", b + 100, 5000, 2);
	expect_recorded("memfd page", m, PG, 3);
	expect_recorded("block of another thread (pid is the tgid)", t + 33,
			700, 4);

	snprintf(pid, sizeof(pid), "%d", getpid());
	rc = run(argv, out, sizeof(out));
	check((rc == 0 && strstr(out, "PID") && strstr(out, "COMM") &&
	       strstr(out, "COPIED")),
	      "bugcheck-record blocks -p PID: a table", "exit %d: %.300s", rc,
	      out);
	for (l = strtok(out, "\n"); l; l = strtok(NULL, "\n")) {
		int p;
		char comm[64], flags[64] = "";
		unsigned long long addr, size, copied;

		if (sscanf(l, "%d %63s %llx %llu %llu %63s", &p, comm, &addr,
			   &size, &copied, flags) < 5)
			continue;
		rows++;
		snprintf(name, sizeof(name), "record row %#llx: pid, comm",
			 addr);
		check(p == getpid() && !strcmp(comm, "test_blocks"), name,
		      "pid %d comm %s", p, comm);
		if (addr == (uintptr_t)gone)
			check((size == 64 && copied == 0 &&
			       strstr(flags, "unmapped")),
			      "record: the unmapped block: no contents, flag unmapped",
			      "size %llu copied %llu flags '%s'", size, copied,
			      flags);
	}
	check(rows == 5, "record: 5 blocks for this pid", "%d rows", rows);

	/* New contents, and a fork in between: the pins must follow our pages. */
	if (pipe(go))
		goto out;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		char c;

		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	fill(a, 3 * PG, 11);
	fill(b + 100, 5000, 12);
	fill(m, PG, 13);
	fill(t + 33, 700, 14);
	if (check(simulate(),
		  "modify every block (a fork child alive), simulate again",
		  "%m")) {
		expect_recorded("3 aligned pages, modified after fork", a,
				3 * PG, 11);
		expect_recorded("unaligned 5000 bytes, modified after fork",
				b + 100, 5000, 12);
		expect_recorded("memfd page, modified", m, PG, 13);
		expect_recorded("another thread's block, modified", t + 33, 700,
				14);
	}
	(void)!write(go[1], "x", 1);
	waitpid(child, &st, 0);
	close(go[0]);
	close(go[1]);
out:
	unregister_all(g_fd);
	unlink(REC_FILE);
	unlink(OUT_FILE);
	munmap(a, 3 * PG);
	munmap(b, 3 * PG);
	munmap(t, PG);
	munmap(m, PG);
	close(memfd);
}

/* --- the library agrees with the ioctls -------------------------------------- */

static void test_library(void)
{
	struct bugcheck_memory_block blk[4];
	struct bugcheck_limits lim;
	uint8_t *b = map_rw(2);
	int n;

	expect_err(bugcheck_register_memory_block(b + 3, PG), 0,
		   "libbugcheck: register");
	expect_err(bugcheck_register_memory_block(b + 3, PG), EEXIST,
		   "libbugcheck: register twice: -EEXIST");
	expect_err(bugcheck_register_memory_block(NULL, 8), EINVAL,
		   "libbugcheck: register NULL: -EINVAL");
	n = bugcheck_list_memory_blocks(blk, 4);
	check((n == 1 && blk[0].addr == b + 3 && blk[0].size == PG &&
	       blk[0].pages == 2 && blk[0].flags == 0),
	      "libbugcheck: list shows it, 2 pages", "count %d", n);
	check(list_count(g_fd) == 1, "libbugcheck's block is the process's",
	      "count %d", list_count(g_fd));
	expect_err(bugcheck_get_limits(&lim), 0, "libbugcheck: get_limits");
	check((lim.block_size_max == DEF_BLOCK_SIZE_MAX &&
	       lim.blocks_per_process == DEF_BLOCKS_PER_PROCESS &&
	       lim.blocks_max == DEF_BLOCKS_MAX && lim.blocks_registered == 1 &&
	       lim.pinned_pages == 2 && (long)lim.blocks_total == total0 + 1),
	      "libbugcheck: limits and usage",
	      "size_max %llu per_process %u max %u registered %u pinned %llu total %u",
	      (unsigned long long)lim.block_size_max,
	      (unsigned int)lim.blocks_per_process,
	      (unsigned int)lim.blocks_max, (unsigned int)lim.blocks_registered,
	      (unsigned long long)lim.pinned_pages,
	      (unsigned int)lim.blocks_total);
	munmap(b, 2 * PG);
	n = bugcheck_list_memory_blocks(blk, 4);
	check(n == 1 && (blk[0].flags & BUGCHECK_MEMORY_BLOCK_UNMAPPED),
	      "libbugcheck: munmapped block has BUGCHECK_MEMORY_BLOCK_UNMAPPED",
	      "count %d flags %u", n, n > 0 ? blk[0].flags : 0);
	expect_err(bugcheck_unregister_memory_block(b + 3), 0,
		   "libbugcheck: unregister");
	expect_err(bugcheck_unregister_memory_block(b + 3), ENOENT,
		   "libbugcheck: unregister twice: -ENOENT");
}

int main(int argc, char **argv)
{
	int opt;

	if (argc == 4 && !strcmp(argv[1], "--after-exec"))
		return after_exec(atoi(argv[2]), atoi(argv[3]));
	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd') {
			fprintf(stderr, "usage: test_blocks [-d DISKDIR]\n");
			return 2;
		}
		disk_dir = optarg;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	tap = mmap(NULL, sizeof(*tap), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (geteuid() != 0) {
		printf("Bail out! test_blocks must run as root\n");
		return 1;
	}
	g_fd = dev_open();
	total0 = blocks_total();
	pins0 = foll_pins();
	if (pins0 == LLONG_MIN) {
		printf("Bail out! cannot read nr_foll_pin_* from /proc/vmstat\n");
		return 1;
	}
	diag("pid %d, baseline: %ld blocks of all processes, %lld FOLL_PIN pins",
	     getpid(), total0, pins0);

	test_device();
	test_register_errors();
	test_alignment_and_duplicates();
	test_unregister_errors();
	test_ioctl_abi();
	test_list();
	test_list_process();
	test_per_process_limit();
	test_global_limit();
	test_size_limit_param();
	test_memlock();
	test_user_quota();
	test_mappings();
	test_fd_lifetime();
	test_fork();
	test_exec();
	test_exit();
	test_threads();
	test_munmap();
	test_kill9();
	test_debugfs();
	test_record();
	test_library();

	check(list_count(g_fd) == 0 && vm_pin_kb() == 0,
	      "at the end: no blocks, VmPin 0", "count %d VmPin %ld kB",
	      list_count(g_fd), vm_pin_kb());
	expect_baseline("at the end");
	printf("1..%d\n", tap->n);
	if (tap->failed)
		diag("%d of %d failed", tap->failed, tap->n);
	return tap->failed ? 1 : 0;
}
