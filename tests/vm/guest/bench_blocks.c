// SPDX-License-Identifier: GPL-2.0
/*
 * bench_blocks - what registering a user block costs: register+unregister of
 * a 64 KiB block against mlock+munlock of the same pre-faulted range, in the
 * same run, interleaved.  Prints figures only; nothing here is asserted.
 *
 * Usage: bench_blocks [ROUNDS [PAIRS]]   (default 21 rounds of 500 pairs)
 *
 * Each round times PAIRS pairs of each kind back to back (alternating which
 * goes first); the figure is the median over rounds of the mean per pair.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <uapi/bugcheck_dev.h>

#define SIZE (64 * 1024)
#define ROUNDS_MAX 1001

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Mean ns per register+unregister pair over n pairs; <0 on an error. */
static double time_register(int fd, void *buf, int n)
{
	struct bugcheck_block reg = { .addr = (uintptr_t)buf, .size = SIZE };
	struct bugcheck_block unreg = { .addr = (uintptr_t)buf };
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < n; i++) {
		if (ioctl(fd, BUGCHECK_IOC_REGISTER, &reg) ||
		    ioctl(fd, BUGCHECK_IOC_UNREGISTER, &unreg)) {
			perror("bench_blocks: register/unregister");
			return -1;
		}
	}
	return (double)(now_ns() - t0) / n;
}

static double time_mlock(void *buf, int n)
{
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < n; i++) {
		if (mlock(buf, SIZE) || munlock(buf, SIZE)) {
			perror("bench_blocks: mlock/munlock");
			return -1;
		}
	}
	return (double)(now_ns() - t0) / n;
}

int main(int argc, char **argv)
{
	static double reg_ns[ROUNDS_MAX], mlock_ns[ROUNDS_MAX];
	int rounds = argc > 1 ? atoi(argv[1]) : 21;
	int pairs = argc > 2 ? atoi(argv[2]) : 500;
	double r, m;
	void *buf;
	int fd, i;

	if (rounds < 1 || rounds > ROUNDS_MAX || pairs < 1) {
		fprintf(stderr, "usage: bench_blocks [ROUNDS(1-%d) [PAIRS]]\n",
			ROUNDS_MAX);
		return 2;
	}
	fd = open(BUGCHECK_DEV_PATH, O_RDWR);
	if (fd < 0) {
		perror("bench_blocks: " BUGCHECK_DEV_PATH);
		return 1;
	}
	/* Page-aligned and pre-faulted: both sides find the pages present. */
	buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED) {
		perror("bench_blocks: mmap");
		return 1;
	}
	memset(buf, 0x5a, SIZE);

	/* Warm up both paths once. */
	if (time_register(fd, buf, 10) < 0 || time_mlock(buf, 10) < 0)
		return 1;
	for (i = 0; i < rounds; i++) {
		if (i % 2) {
			mlock_ns[i] = time_mlock(buf, pairs);
			reg_ns[i] = time_register(fd, buf, pairs);
		} else {
			reg_ns[i] = time_register(fd, buf, pairs);
			mlock_ns[i] = time_mlock(buf, pairs);
		}
		if (reg_ns[i] < 0 || mlock_ns[i] < 0)
			return 1;
	}
	r = median(reg_ns, rounds);
	m = median(mlock_ns, rounds);
	printf("bench_blocks: %d rounds of %d pairs, median of round means\n",
	       rounds, pairs);
	printf("figure: register+unregister 64 KiB: %.0f ns, %s: %.0f ns, ratio %.2f\n",
	       r, "mlock+munlock 64 KiB", m, r / m);
	return 0;
}
