// SPDX-License-Identifier: GPL-2.0
/*
 * report_target: a process to make error reports of, with known frames,
 * three threads, registered blocks of known bytes and known heap contents.
 *
 *   report_target [--heap MIB] [--handler micro|mini|heap --reporter PATH
 *                 --store DIR [--no-registered]] [--crash segv|abort]
 *
 * It prints one "ready ..." line (pids, tids, block addresses), then reads
 * stdin: each line "step" prints "step N sum X" (X from memory it keeps
 * changing, so a report that disturbed it shows), "crash" crashes in
 * crash_here() <- crash_level2() <- crash_level1() <- main, EOF exits 0.
 * The workers sit in worker_a_inner() and worker_b_inner().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libbugcheck.h>

#define NOINLINE __attribute__((noinline, noclone))
#define BLOCK_SIZE 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int quit;
/*
 * Shared with the threads, and read where the compiler must not assume
 * their values: through __atomic loads and stores.
 */
static pid_t tids[3];
static int crash_kind;
static uintptr_t bad_address = 16; /* not mapped */
static uint64_t state[512]; /* .bss of the main binary: in every dump */

/* After a call: keeps it from being a tail call, so its frame stays. */
static inline void no_tail(void)
{
	__asm__ volatile("" ::: "memory");
}

static void set_tid(int i, pid_t tid)
{
	__atomic_store_n(&tids[i], tid, __ATOMIC_RELEASE);
}

static pid_t get_tid(int i)
{
	return __atomic_load_n(&tids[i], __ATOMIC_ACQUIRE);
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

NOINLINE static void worker_a_inner(void)
{
	pthread_mutex_lock(&lock);
	while (!quit)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	no_tail();
}

NOINLINE static void *worker_a_outer(void *arg)
{
	set_tid(1, gettid_());
	worker_a_inner();
	no_tail();
	return arg;
}

static int b_waits;

NOINLINE static void worker_b_inner(void)
{
	pthread_mutex_lock(&lock);
	while (!quit && __atomic_add_fetch(&b_waits, 1, __ATOMIC_RELAXED))
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	no_tail();
}

NOINLINE static void *worker_b_outer(void *arg)
{
	set_tid(2, gettid_());
	worker_b_inner();
	no_tail();
	return arg;
}

NOINLINE static void crash_here(void)
{
	if (__atomic_load_n(&crash_kind, __ATOMIC_RELAXED) == 2)
		abort();
	__atomic_store_n((int *)__atomic_load_n(&bad_address, __ATOMIC_RELAXED),
			 1, __ATOMIC_RELAXED);
	no_tail();
}

NOINLINE static void crash_level2(void)
{
	crash_here();
	no_tail();
}

NOINLINE static void crash_level1(void)
{
	crash_level2();
	no_tail();
}

static uint64_t step(int n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < sizeof(state) / sizeof(state[0]); i++) {
		state[i] = state[i] * 6364136223846793005ULL +
			   1442695040888963407ULL + n;
		sum ^= state[i] >> (i % 17);
	}
	return sum;
}

NOINLINE static void main_loop(void)
{
	char line[64];
	int n = 0;

	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "step", 4)) {
			n++;
			printf("step %d sum %016llx\n", n,
			       (unsigned long long)step(n));
		} else if (!strncmp(line, "crash", 5)) {
			crash_level1();
		}
	}
	no_tail();
}

static int print_usage(void)
{
	fputs("usage: report_target [--heap MIB] [--crash segv|abort]\n"
	      "         [--handler micro|mini|heap --reporter PATH --store DIR [--no-registered]]\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct bugcheck_crash_handler_options ho = { .size = sizeof(ho) };
	const char *handler = NULL;
	size_t heap_mib = 0, i;
	uint8_t *blocks, *dd, *heap = NULL;
	pthread_t a, b;
	int ra, rb, rd, ret;

	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--heap") && i + 1 < (size_t)argc)
			heap_mib = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--handler") && i + 1 < (size_t)argc)
			handler = argv[++i];
		else if (!strcmp(argv[i], "--reporter") && i + 1 < (size_t)argc)
			ho.reporter = argv[++i];
		else if (!strcmp(argv[i], "--store") && i + 1 < (size_t)argc)
			ho.store_dir = argv[++i];
		else if (!strcmp(argv[i], "--no-registered"))
			ho.submit_flags = BUGCHECK_SUBMIT_QUEUE;
		else if (!strcmp(argv[i], "--crash") && i + 1 < (size_t)argc)
			__atomic_store_n(&crash_kind,
					 !strcmp(argv[++i], "abort") ? 2 : 1,
					 __ATOMIC_RELAXED);
		else
			return print_usage();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	set_tid(0, gettid_());

	/* Two registered blocks on the heap, one in MADV_DONTDUMP memory. */
	blocks = malloc(2 * BLOCK_SIZE + 64);
	dd = mmap(NULL, BLOCK_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!blocks || dd == MAP_FAILED)
		return 1;
	for (i = 0; i < 2 * BLOCK_SIZE + 64; i++)
		blocks[i] = 'A' + i % 23;
	memcpy(blocks, "BLOCK-ZERO-BYTES", 16);
	memcpy(blocks + BLOCK_SIZE + 64, "BLOCK-ONE--BYTES", 16);
	memset(dd, 'D', BLOCK_SIZE);
	memcpy(dd, "SECRET-DONTDUMP!", 16);
	madvise(dd, BLOCK_SIZE, MADV_DONTDUMP);
	ra = bugcheck_register_memory_block(blocks, BLOCK_SIZE);
	rb = bugcheck_register_memory_block(blocks + BLOCK_SIZE + 64,
					    BLOCK_SIZE);
	rd = bugcheck_register_memory_block(dd, BLOCK_SIZE);

	if (heap_mib) {
		heap = malloc(heap_mib << 20);
		if (!heap)
			return 1;
		for (i = 0; i < heap_mib << 20; i += 4096)
			heap[i] = (uint8_t)(i >> 12) | 1;
		memcpy(heap + 8192, "HEAP-ONLY-MARKER", 16);
	} else {
		heap = malloc(64 << 10);
		if (!heap)
			return 1;
		memset(heap, 'h', 64 << 10);
		memcpy(heap + 8192, "HEAP-ONLY-MARKER", 16);
	}
	for (i = 0; i < sizeof(state) / sizeof(state[0]); i++)
		state[i] = i;

	if (handler) {
		if (!strcmp(handler, "micro"))
			ho.dump_type = BUGCHECK_DUMP_MICRO;
		else if (!strcmp(handler, "heap"))
			ho.dump_type = BUGCHECK_DUMP_HEAP;
		else
			ho.dump_type = BUGCHECK_DUMP_MINI;
		ret = bugcheck_install_crash_handler(&ho);
		if (ret) {
			fprintf(stderr, "bugcheck_install_crash_handler: %s\n",
				strerror(-ret));
			return 1;
		}
	}
	if (pthread_create(&a, NULL, worker_a_outer, NULL) ||
	    pthread_create(&b, NULL, worker_b_outer, NULL))
		return 1;
	while (!get_tid(1) || !get_tid(2))
		usleep(1000);
	printf("ready pid=%d tid_main=%d tid_a=%d tid_b=%d ", getpid(),
	       get_tid(0), get_tid(1), get_tid(2));
	printf("block0=%p block1=%p block_dd=%p heap_marker=%p registered=%d,%d,%d\n",
	       (void *)blocks, (void *)(blocks + BLOCK_SIZE + 64), (void *)dd,
	       (void *)(heap + 8192), ra, rb, rd);
	if (__atomic_load_n(&crash_kind, __ATOMIC_RELAXED))
		crash_level1();
	main_loop();
	pthread_mutex_lock(&lock);
	quit = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("done\n");
	return 0;
}
