// SPDX-License-Identifier: GPL-2.0
/*
 * test_libbugcheck_fd.c - libbugcheck's cached descriptor: opened once even
 * by racing threads, never closed under the application, reopened once when
 * the application closed or replaced it.
 *
 * Built with the library compiled in and LIBBUGCHECK_DEV_PATH="/dev/null":
 * every ioctl then fails with ENOTTY, as an unknown ioctl on the real device
 * would, and the library's descriptors are the /dev/null ones this process
 * did not have at the start.  Exit status 1 if any case failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libbugcheck.h>

#ifndef LIBBUGCHECK_DEV_PATH
#error "build with -DLIBBUGCHECK_DEV_PATH='\"/dev/null\"' and the library source"
#endif

/* An errno value none of the calls could produce, to see it survive. */
#define ERRNO_CANARY EOWNERDEAD
#define NR_THREADS 16
#define MAX_FDS 4096

static int passed, failed;

#define EXPECT(cond, ...)                                           \
	do {                                                        \
		if (cond) {                                         \
			passed++;                                   \
		} else {                                            \
			failed++;                                   \
			printf("FAIL %s:%d: ", __func__, __LINE__); \
			printf(__VA_ARGS__);                        \
			printf("\n");                               \
		}                                                   \
	} while (0)

/* /dev/null descriptors open before the library ran (e.g. stdin under make). */
static bool preexisting[MAX_FDS];

static bool is_dev_null(int fd)
{
	char path[64], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, "/dev/null");
}

/* lib_fds() - how many descriptors the library holds; the lowest in *@first. */
static int lib_fds(int *first)
{
	int fd, n = 0;

	for (fd = 0; fd < MAX_FDS; fd++) {
		if (preexisting[fd] || !is_dev_null(fd))
			continue;
		if (!n && first)
			*first = fd;
		n++;
	}
	return n;
}

/* limits_call() - bugcheck_get_limits(), or INT_MIN if it changed errno. */
static int limits_call(void)
{
	struct bugcheck_limits limits;
	int ret;

	errno = ERRNO_CANARY;
	ret = bugcheck_get_limits(&limits);
	return errno == ERRNO_CANARY ? ret : INT_MIN;
}

static pthread_barrier_t barrier;

/* Only the main thread touches the counters: the racers just report. */
static void *racer(void *arg)
{
	int *ret = arg;

	pthread_barrier_wait(&barrier);
	*ret = limits_call();
	return NULL;
}

/* race() - NR_THREADS first calls at once; every one must see -ENOTTY. */
static void race(void)
{
	pthread_t threads[NR_THREADS];
	int rets[NR_THREADS], i;

	pthread_barrier_init(&barrier, NULL, NR_THREADS);
	for (i = 0; i < NR_THREADS; i++)
		if (pthread_create(&threads[i], NULL, racer, &rets[i])) {
			printf("FAIL: pthread_create\n");
			exit(1);
		}
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(threads[i], NULL);
		EXPECT(rets[i] == -ENOTTY,
		       "thread %d: %d (INT_MIN: errno changed)", i, rets[i]);
	}
	pthread_barrier_destroy(&barrier);
}

/* Runs first: nothing is cached yet. */
static void test_first_open_race(void)
{
	race();
	EXPECT(lib_fds(NULL) == 1, "%d descriptors after racing first calls",
	       lib_fds(NULL));
}

/* ENOTTY from the device itself: no reopen, so no descriptor per call. */
static void test_genuine_enotty(void)
{
	int i, fd = -1, again = -1;

	lib_fds(&fd);
	for (i = 0; i < 50; i++)
		EXPECT(limits_call() == -ENOTTY, "call %d", i);
	EXPECT(lib_fds(&again) == 1 && again == fd,
	       "descriptor %d became %d (%d held)", fd, again, lib_fds(NULL));
}

/* The application closed our descriptor: EBADF, reopen, carry on. */
static void test_closed_behind_our_back(void)
{
	int fd = -1;

	lib_fds(&fd);
	close(fd);
	EXPECT(lib_fds(NULL) == 0, "close did not take the descriptor");
	EXPECT(limits_call() == -ENOTTY, "call after close");
	EXPECT(lib_fds(NULL) == 1, "%d descriptors after reopening",
	       lib_fds(NULL));
}

/*
 * Closed, and the number reused by the application: ours is reopened, the
 * application's file is left alone.
 */
static void test_number_reused(void)
{
	struct stat before, after;
	int fd = -1, p[2], i, intact;

	/* The pipe first: made after the close it would get fd's number. */
	if (pipe(p)) {
		printf("FAIL: pipe: %s\n", strerror(errno));
		exit(1);
	}
	lib_fds(&fd);
	close(fd);
	if (dup2(p[0], fd) != fd || fstat(fd, &before)) {
		printf("FAIL: dup2/fstat: %s\n", strerror(errno));
		exit(1);
	}
	close(p[0]);

	for (i = 0; i < 10; i++)
		EXPECT(limits_call() == -ENOTTY, "call %d after reuse", i);
	EXPECT(lib_fds(NULL) == 1, "%d descriptors after reuse", lib_fds(NULL));
	intact = fcntl(fd, F_GETFD) >= 0 && !fstat(fd, &after) &&
		 after.st_ino == before.st_ino && S_ISFIFO(after.st_mode);
	EXPECT(intact, "the application's pipe at %d was touched", fd);
	close(fd);
	close(p[1]);
}

/*
 * Many threads find the cached descriptor closed at once: one reopen wins,
 * the others close what they opened.
 */
static void test_stale_race(void)
{
	int fd = -1;

	lib_fds(&fd);
	close(fd);
	race();
	EXPECT(lib_fds(NULL) == 1, "%d descriptors after a racing reopen",
	       lib_fds(NULL));
}

/* bugcheck_close() lets go of the descriptor; the next call opens it again. */
static void test_close(void)
{
	int fd = -1;

	EXPECT(lib_fds(&fd) == 1, "%d descriptors before close", lib_fds(NULL));
	EXPECT(bugcheck_close() == 0, "bugcheck_close failed");
	EXPECT(lib_fds(NULL) == 0, "%d descriptors after close", lib_fds(NULL));
	EXPECT(bugcheck_close() == 0, "a second bugcheck_close failed");
	EXPECT(limits_call() == -ENOTTY, "call after close");
	EXPECT(lib_fds(NULL) == 1, "%d descriptors after reopening",
	       lib_fds(NULL));
	/* Closed behind the library's back, then bugcheck_close(): -EBADF. */
	lib_fds(&fd);
	close(fd);
	EXPECT(bugcheck_close() == -EBADF,
	       "bugcheck_close of a closed descriptor");
	EXPECT(limits_call() == -ENOTTY && lib_fds(NULL) == 1,
	       "no reopen after that");
}

int main(void)
{
	int fd;

	for (fd = 0; fd < MAX_FDS; fd++)
		preexisting[fd] = is_dev_null(fd);

	test_first_open_race();
	test_genuine_enotty();
	test_closed_behind_our_back();
	test_number_reused();
	test_stale_race();
	test_close();

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
