// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_blocks - an unprivileged fuzzer for /dev/bugcheck: random ioctl
 * numbers, sizes and pointers, random but valid register/unregister/list,
 * munmap and mprotect of registered memory, forks that register and exit or
 * are killed, and bursts of threads doing all of it at once.
 *
 * Usage: fuzz_blocks SEED ITERATIONS
 *
 * Run as root it drops to uid/gid 65534 first.  It prints the seed, a count
 * of every result per operation, and ends with "fuzz_blocks: done" when the
 * kernel only ever answered with an errno the interface documents for that
 * operation and the process is left with no blocks and no pins.  Whether
 * the kernel survived (no splat) and released every pin is for the caller to
 * check: see tests/vm/scenarios/user-blocks-fuzz.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
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
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uapi/bugcheck_dev.h>

#define PG 4096UL
#define NOBODY 65534
#define NREGIONS 12
#define REGION_PAGES_MAX 20
#define SCRATCH_PAGES 32
#define TRACK_MAX 1024
#define NTHREADS 4
#define BURST_OPS 200
#define MAXERR 256
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum op {
	OP_REGISTER,
	OP_UNREGISTER,
	OP_LIST,
	OP_INFO,
	OP_RAW_OURS, /* our magic, random nr/dir/size */
	OP_RAW_OTHER, /* another magic */
	OP_COUNT
};

static const char *const op_name[OP_COUNT] = {
	"register", "unregister", "list", "info", "raw-bc", "raw-other",
};

/* What the interface documents per operation (the rest is a finding). */
static const int allowed[OP_COUNT][12] = {
	[OP_REGISTER] = { EINVAL, E2BIG, EFAULT, ENOSPC, EEXIST, EPERM, ENOMEM,
			  EOPNOTSUPP },
	[OP_UNREGISTER] = { EINVAL, ENOENT },
	[OP_LIST] = { EINVAL, EFAULT },
	[OP_INFO] = { EINVAL, EFAULT },
	[OP_RAW_OURS] = { EINVAL, ENOTTY, EFAULT, E2BIG, ENOSPC, EEXIST, EPERM,
			  ENOMEM, EOPNOTSUPP, ENOENT, ESRCH },
	/*
	 * Another magic still reaches the VFS's own ioctls (FIONBIO,
	 * FIGETBSZ, ...) before the driver's ENOTTY.
	 */
	[OP_RAW_OTHER] = { ENOTTY, EFAULT, EINVAL, EPERM, EBADF, EOPNOTSUPP },
};

static unsigned long counts[OP_COUNT][MAXERR + 1]; /* [MAXERR]: success */
static unsigned long unexpected, inconsistent;
static unsigned long forks, kills, bursts, churns;

struct region {
	pthread_mutex_t lock;
	uint8_t *p; /* only dereferenced or changed under lock */
	size_t pages;
	int kind; /* 0 private anon, 1 shared anon, 2 memfd */
};

static struct region regions[NREGIONS];
static uint8_t *scratch; /* SCRATCH_PAGES rw, then one PROT_NONE page */
static uint8_t *ro_page, *none_page, *gone_page;
static int g_fd;

/* Addresses this process registered and has not unregistered (best effort). */
static pthread_mutex_t track_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t track[TRACK_MAX];
static int ntrack;

/* --- PRNG: xorshift64*, one state per thread --------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

static bool chance(uint64_t *s, unsigned int percent)
{
	return below(s, 100) < percent;
}

/* --- results ------------------------------------------------------------ */

static void account(enum op op, int r, unsigned long cmd)
{
	int e = r < 0 ? -r : 0;
	size_t i;
	bool ok = r >= 0;
	int slot = ok ? MAXERR : e < MAXERR ? e : MAXERR - 1;

	__atomic_add_fetch(&counts[op][slot], 1, __ATOMIC_RELAXED);
	for (i = 0; !ok && i < ARRAY_SIZE(allowed[op]); i++)
		ok = allowed[op][i] == e;
	if (!ok && __atomic_add_fetch(&unexpected, 1, __ATOMIC_RELAXED) <= 20)
		printf("fuzz_blocks: UNEXPECTED %s cmd 0x%lx: %s\n",
		       op_name[op], cmd, strerrorname_np(e) ?: "?");
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static void track_add(uint64_t a)
{
	pthread_mutex_lock(&track_lock);
	if (ntrack < TRACK_MAX)
		track[ntrack++] = a;
	pthread_mutex_unlock(&track_lock);
}

static uint64_t track_take(uint64_t *s)
{
	uint64_t a = 0;
	int i;

	pthread_mutex_lock(&track_lock);
	if (ntrack) {
		i = below(s, ntrack);
		a = track[i];
		track[i] = track[--ntrack];
	}
	pthread_mutex_unlock(&track_lock);
	return a;
}

/* Lowering RLIMIT_MEMLOCK needs no privilege. */
static void set_memlock(rlim_t bytes)
{
	struct rlimit r = { bytes, bytes };

	setrlimit(RLIMIT_MEMLOCK, &r);
}

/* --- random inputs --------------------------------------------------------- */

/* A pointer an ioctl may read or write: only our scratch memory, or bad. */
static uint64_t rnd_arg_ptr(uint64_t *s)
{
	switch (below(s, 10)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffff81000000ULL + below(s, 1 << 20);
	case 2:
		return 0xffff888000000000ULL + below(s, 1 << 30);
	case 3:
		return 0x0000900000000000ULL; /* non-canonical */
	case 4:
		return (uintptr_t)none_page + below(s, PG);
	case 5:
		return (uintptr_t)gone_page + below(s, PG);
	case 6:
		return (uintptr_t)ro_page + below(s, PG);
	case 7: /* runs into the guard page after scratch */
		return (uintptr_t)scratch + SCRATCH_PAGES * PG - 1 -
		       below(s, 64);
	case 8:
		return (uintptr_t)scratch + below(s, SCRATCH_PAGES * PG / 2);
	default:
		return (uintptr_t)scratch;
	}
}

/* An address to register: mostly inside our regions, sometimes anything. */
static uint64_t rnd_block_addr(uint64_t *s)
{
	struct region *r = &regions[below(s, NREGIONS)];
	uint8_t *p = __atomic_load_n(&r->p, __ATOMIC_RELAXED);

	switch (below(s, 16)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffff81000000ULL;
	case 2:
		return 0x00007ffffffff000ULL - below(s, 3) * PG;
	case 3:
		return (uintptr_t)none_page + below(s, PG);
	case 4:
		return (uintptr_t)gone_page + below(s, PG);
	case 5:
		return (uintptr_t)ro_page + below(s, PG);
	case 6:
		return rnd(s) & 0x00007fffffffffffULL;
	case 7:
		return rnd(s);
	case 8:
		return (uintptr_t)p + r->pages * PG - below(s, 64);
	default:
		if (chance(s, 50))
			return (uintptr_t)p + below(s, r->pages) * PG;
		return (uintptr_t)p + below(s, r->pages * PG);
	}
}

static uint64_t rnd_size(uint64_t *s)
{
	switch (below(s, 12)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return PG;
	case 3:
		return 65536;
	case 4:
		return 65537;
	case 5:
		return rnd(s);
	case 6:
		return ~0ULL - below(s, PG);
	case 7:
		return below(s, 70000);
	default:
		return 1 + below(s, 3 * PG);
	}
}

static uint32_t rnd_u32(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return ~0U;
	case 3:
		return (uint32_t)rnd(s);
	default:
		return below(s, 600);
	}
}

/* --- operations -------------------------------------------------------------- */

static void op_register(int fd, uint64_t *s)
{
	struct bugcheck_block b = {
		.addr = rnd_block_addr(s),
		.size = rnd_size(s),
		.flags = chance(s, 5) ? rnd(s) : 0,
	};
	int r = xioctl(fd, BUGCHECK_IOC_REGISTER, &b);

	account(OP_REGISTER, r, BUGCHECK_IOC_REGISTER);
	if (r == 0)
		track_add(b.addr);
}

static void op_unregister(int fd, uint64_t *s)
{
	struct bugcheck_block b = { 0 };
	int r;

	if (chance(s, 80))
		b.addr = track_take(s);
	if (!b.addr)
		b.addr = rnd_block_addr(s);
	if (chance(s, 5))
		b.size = rnd_size(s);
	if (chance(s, 5))
		b.flags = rnd(s);
	r = xioctl(fd, BUGCHECK_IOC_UNREGISTER, &b);
	account(OP_UNREGISTER, r, BUGCHECK_IOC_UNREGISTER);
}

static void op_list(int fd, uint64_t *s)
{
	struct bugcheck_block_list l = {
		.blocks = rnd_arg_ptr(s),
		.capacity = rnd_u32(s),
		.entry_size = chance(s, 60) ? 24 : rnd_u32(s),
		.flags = chance(s, 5) ? rnd_u32(s) : 0,
	};
	int r;

	/* ~0U entries of ~0U bytes would walk all of scratch: keep it bounded. */
	if ((uint64_t)l.capacity * l.entry_size > (64ULL << 20))
		l.capacity = 600;
	r = xioctl(fd, BUGCHECK_IOC_LIST, &l);
	account(OP_LIST, r, BUGCHECK_IOC_LIST);
}

static void op_info(int fd, uint64_t *s)
{
	unsigned long cmd = BUGCHECK_IOC_INFO;
	int r;

	if (chance(s, 30))
		cmd = _IOC(_IOC_READ, BUGCHECK_IOC_MAGIC, 0, below(s, 5000));
	r = xioctl(fd, cmd,
		   (void *)(uintptr_t)(chance(s, 70) ? (uintptr_t)scratch :
						       rnd_arg_ptr(s)));
	account(OP_INFO, r, cmd);
}

static void op_raw(int fd, uint64_t *s, bool ours)
{
	static const unsigned int dirs[5] = { _IOC_READ, _IOC_WRITE, _IOC_WRITE,
					      _IOC_READ | _IOC_WRITE,
					      _IOC_READ | _IOC_WRITE };
	unsigned int dir = below(s, 4), nr, size;
	unsigned int magic = BUGCHECK_IOC_MAGIC;
	uint64_t arg = rnd_arg_ptr(s);
	unsigned long cmd;
	size_t i;
	int r;

	if (!ours)
		while (magic == BUGCHECK_IOC_MAGIC)
			magic = below(s, 256);
	nr = chance(s, 70) ? below(s, 6) : below(s, 256);
	/* Mostly the right direction, so the size rules get exercised. */
	if (ours && nr < 5 && chance(s, 60))
		dir = dirs[nr];
	switch (below(s, 5)) {
	case 0:
		size = 24;
		break;
	case 1:
		size = 32;
		break;
	case 2:
		size = below(s, 48);
		break;
	case 3:
		size = 4096 + below(s, 3);
		break;
	default:
		size = below(s, 1 << _IOC_SIZEBITS);
		break;
	}
	cmd = _IOC(dir, magic, nr, size);
	if (arg == (uintptr_t)scratch) {
		/* Random contents, mostly zero beyond the known fields. */
		for (i = 0; i < 48; i++)
			scratch[i] = chance(s, 50) ? 0 : (uint8_t)rnd(s);
		memset(scratch + 48, chance(s, 80) ? 0 : 0x5a, 4096 - 48);
		/*
		 * LIST's and LIST_PROCESS's array pointer must not aim at our
		 * live memory (LIST_PROCESS of our own pid lists our blocks).
		 */
		if (ours && (nr == 3 || nr == 4)) {
			uint64_t p = rnd_arg_ptr(s);

			memcpy(scratch, &p, sizeof(p));
		}
	}
	r = xioctl(fd, cmd, (void *)(uintptr_t)arg);
	account(ours ? OP_RAW_OURS : OP_RAW_OTHER, r, cmd);
	if (ours && r == 0 && _IOC_NR(cmd) == 1 &&
	    _IOC_DIR(cmd) == _IOC_WRITE) {
		uint64_t a;

		memcpy(&a, scratch, sizeof(a));
		track_add(a);
	}
}

/* munmap, remap or mprotect one region (under its lock: never someone else's). */
static void op_churn(uint64_t *s)
{
	struct region *r = &regions[below(s, NREGIONS)];
	static const int prots[] = { PROT_NONE, PROT_READ,
				     PROT_READ | PROT_WRITE };
	size_t off;

	pthread_mutex_lock(&r->lock);
	switch (below(s, 4)) {
	case 0: /* unmap part of it: the region keeps only its head */
		off = 1 + below(s, r->pages);
		if (off < r->pages) {
			munmap(r->p + off * PG, (r->pages - off) * PG);
			r->pages = off;
		}
		break;
	case 1: { /* unmap all and map anew elsewhere */
		size_t n = 1 + below(s, REGION_PAGES_MAX);
		int fl = r->kind == 1 ? MAP_SHARED : MAP_PRIVATE;
		uint8_t *p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
				  fl | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p != MAP_FAILED) {
			munmap(r->p, r->pages * PG);
			__atomic_store_n(&r->p, p, __ATOMIC_RELAXED);
			r->pages = n;
		}
		break;
	}
	default:
		off = below(s, r->pages);
		mprotect(r->p + off * PG, (1 + below(s, r->pages - off)) * PG,
			 prots[below(s, 3)]);
		break;
	}
	__atomic_add_fetch(&churns, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&r->lock);
}

static void random_op(int fd, uint64_t *s, bool allow_churn)
{
	unsigned int k = below(s, 100);

	if (k < 30)
		op_register(fd, s);
	else if (k < 50)
		op_unregister(fd, s);
	else if (k < 60)
		op_list(fd, s);
	else if (k < 65)
		op_info(fd, s);
	else if (k < 82)
		op_raw(fd, s, true);
	else if (k < 90)
		op_raw(fd, s, false);
	else if (allow_churn)
		op_churn(s);
	else
		op_register(fd, s);
}

/*
 * A child registers and unregisters, then exits holding what it has, or is
 * killed by the parent midway.  Only system calls in the child: the parent
 * may have threads.
 */
static void op_fork(int fd, uint64_t *s)
{
	uint64_t cs = rnd(s) | 1;
	bool kill_it = chance(s, 50);
	unsigned int delay = below(s, 3000);
	pid_t pid = fork();
	int k;

	if (pid < 0)
		return;
	if (pid == 0) {
		/* Sometimes no pins at all are allowed (EPERM). */
		if (chance(&cs, 20))
			set_memlock(0);
		for (k = 0; k < 40; k++) {
			struct bugcheck_block b = {
				.addr = rnd_block_addr(&cs),
				.size = 1 + below(&cs, PG),
			};

			ioctl(fd,
			      chance(&cs, 70) ? BUGCHECK_IOC_REGISTER :
						BUGCHECK_IOC_UNREGISTER,
			      &b);
		}
		if (kill_it)
			pause();
		_exit(0);
	}
	__atomic_add_fetch(&forks, 1, __ATOMIC_RELAXED);
	if (kill_it) {
		usleep(delay);
		kill(pid, SIGKILL);
		__atomic_add_fetch(&kills, 1, __ATOMIC_RELAXED);
	}
	waitpid(pid, NULL, 0);
}

struct burst {
	uint64_t seed;
	int fd;
};

static void *burst_main(void *arg)
{
	struct burst *b = arg;
	uint64_t s = b->seed;
	int k;

	for (k = 0; k < BURST_OPS; k++) {
		if (chance(&s, 1))
			op_fork(b->fd, &s);
		else
			random_op(b->fd, &s, true);
	}
	return NULL;
}

/* Threads doing everything at once, each with its own fd or a shared one. */
static void op_burst(uint64_t *s)
{
	struct burst b[NTHREADS];
	pthread_t th[NTHREADS];
	int k;

	for (k = 0; k < NTHREADS; k++) {
		b[k].seed = rnd(s) | 1;
		b[k].fd = chance(s, 50) ? g_fd :
					  open(BUGCHECK_DEV_PATH, O_RDWR);
		if (b[k].fd < 0)
			b[k].fd = g_fd;
		pthread_create(&th[k], NULL, burst_main, &b[k]);
	}
	for (k = 0; k < NTHREADS; k++) {
		pthread_join(th[k], NULL);
		if (b[k].fd != g_fd)
			close(b[k].fd);
	}
	bursts++;
}

/* --- setup and summary ---------------------------------------------------------- */

static uint8_t *map_or_die(size_t len, int prot, int flags)
{
	uint8_t *p = mmap(NULL, len, prot, flags, -1, 0);

	if (p == MAP_FAILED) {
		perror("fuzz_blocks: mmap");
		exit(2);
	}
	return p;
}

static void setup(uint64_t *s)
{
	int k;

	scratch = map_or_die((SCRATCH_PAGES + 1) * PG, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
	mprotect(scratch + SCRATCH_PAGES * PG, PG, PROT_NONE);
	ro_page = map_or_die(PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	none_page = map_or_die(PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	gone_page = map_or_die(PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	munmap(gone_page, PG);
	for (k = 0; k < NREGIONS; k++) {
		struct region *r = &regions[k];

		pthread_mutex_init(&r->lock, NULL);
		r->kind = k % 3;
		r->pages = 1 + below(s, REGION_PAGES_MAX);
		if (r->kind == 2) {
			int mfd = memfd_create("fuzz_blocks", MFD_CLOEXEC);

			if (mfd < 0 || ftruncate(mfd, r->pages * PG)) {
				perror("fuzz_blocks: memfd");
				exit(2);
			}
			r->p = mmap(NULL, r->pages * PG, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_POPULATE, mfd, 0);
			close(mfd);
			if (r->p == MAP_FAILED) {
				perror("fuzz_blocks: mmap memfd");
				exit(2);
			}
		} else {
			r->p = map_or_die(r->pages * PG, PROT_READ | PROT_WRITE,
					  (r->kind ? MAP_SHARED : MAP_PRIVATE) |
						  MAP_ANONYMOUS | MAP_POPULATE);
		}
	}
}

static void drop_privileges(void)
{
	if (geteuid() != 0)
		return;
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)) {
		perror("fuzz_blocks: dropping to uid 65534");
		exit(2);
	}
}

static void summary(void)
{
	int op, e;

	for (op = 0; op < OP_COUNT; op++) {
		printf("fuzz_blocks: %-10s ok %lu", op_name[op],
		       counts[op][MAXERR]);
		for (e = 1; e < MAXERR; e++)
			if (counts[op][e])
				printf(", %s %lu", strerrorname_np(e) ?: "?",
				       counts[op][e]);
		putchar('\n');
	}
	printf("fuzz_blocks: forks %lu (killed %lu), thread bursts %lu, %s %lu\n",
	       forks, kills, bursts, "munmap/mprotect", churns);
}

/* With no other thread running, LIST and INFO must agree on our count. */
static void check_consistent(unsigned long long at)
{
	struct bugcheck_block_list l = { .entry_size = 24 };
	struct bugcheck_dev_info info;

	if (xioctl(g_fd, BUGCHECK_IOC_LIST, &l) < 0 ||
	    xioctl(g_fd, BUGCHECK_IOC_INFO, &info) < 0 ||
	    l.count != info.blocks_registered) {
		if (inconsistent++ < 10)
			printf("fuzz_blocks: INCONSISTENT at %llu: %s %u, %s %u\n",
			       at, "LIST count", l.count,
			       "INFO blocks_registered",
			       info.blocks_registered);
	}
}

/* Unregisters whatever LIST still shows; returns what was left. */
static int cleanup(int *left_after)
{
	static struct bugcheck_block_info b[1024];
	struct bugcheck_block_list l = {
		.blocks = (uintptr_t)b,
		.capacity = 1024,
		.entry_size = sizeof(b[0]),
	};
	unsigned int i;

	if (xioctl(g_fd, BUGCHECK_IOC_LIST, &l) < 0)
		return -1;
	for (i = 0; i < l.count && i < 1024; i++) {
		struct bugcheck_block u = { .addr = b[i].addr };

		xioctl(g_fd, BUGCHECK_IOC_UNREGISTER, &u);
	}
	l.capacity = 0;
	l.blocks = 0;
	if (xioctl(g_fd, BUGCHECK_IOC_LIST, &l) < 0)
		return -1;
	*left_after = l.count;
	return i;
}

int main(int argc, char **argv)
{
	unsigned long long seed, iters, i;
	struct bugcheck_dev_info info;
	uint64_t s;
	int left = -1, had;

	if (argc != 3) {
		fprintf(stderr, "usage: fuzz_blocks SEED ITERATIONS\n");
		return 2;
	}
	seed = strtoull(argv[1], NULL, 0);
	iters = strtoull(argv[2], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	drop_privileges();
	/* 4 MiB of pins: RLIMIT_MEMLOCK (ENOMEM) is reached as well as the caps. */
	set_memlock(4 << 20);
	s = seed;
	s = splitmix(&s) | 1;
	printf("fuzz_blocks: seed %llu iterations %llu uid %d\n", seed, iters,
	       getuid());
	g_fd = open(BUGCHECK_DEV_PATH, O_RDWR);
	if (g_fd < 0) {
		perror("fuzz_blocks: " BUGCHECK_DEV_PATH);
		return 2;
	}
	setup(&s);

	for (i = 0; i < iters; i++) {
		unsigned int k = below(&s, 1000);

		if (k < 3) {
			op_burst(&s);
		} else if (k < 15) {
			op_fork(g_fd, &s);
		} else if (k < 20) {
			close(g_fd);
			g_fd = open(BUGCHECK_DEV_PATH, O_RDWR);
		} else {
			random_op(g_fd, &s, true);
		}
		if (i % 1000 == 999)
			check_consistent(i + 1);
		if (i % 10000 == 9999)
			printf("fuzz_blocks: %llu iterations\n", i + 1);
	}

	had = cleanup(&left);
	summary();
	if (xioctl(g_fd, BUGCHECK_IOC_INFO, &info) < 0)
		memset(&info, 0xff, sizeof(info));
	printf("fuzz_blocks: %d blocks left at the end, unregistered; "
	       "now %d blocks, %llu pinned pages\n",
	       had, left, (unsigned long long)info.pinned_pages);
	if (unexpected)
		printf("fuzz_blocks: FAIL %lu results outside the documented errnos\n",
		       unexpected);
	if (left != 0 || info.pinned_pages != 0 || info.blocks_registered != 0)
		printf("fuzz_blocks: FAIL blocks or pins left after unregistering all\n");
	if (inconsistent)
		printf("fuzz_blocks: FAIL LIST and INFO disagreed %lu times\n",
		       inconsistent);
	if (unexpected || inconsistent || left != 0 || info.pinned_pages ||
	    info.blocks_registered)
		return 1;
	printf("fuzz_blocks: done\n");
	return 0;
}
