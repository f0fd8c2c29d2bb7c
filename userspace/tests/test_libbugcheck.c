// SPDX-License-Identifier: GPL-2.0
/*
 * test_libbugcheck.c - libbugcheck on a host without bugcheck.ko: argument
 * checks, -ENODEV from every call, errno left alone.
 *
 * The -ENODEV cases are skipped (with the reason printed) when /dev/bugcheck
 * exists here; the argument checks run either way, since they are refused
 * before the device is opened.  Exit status 1 if any case failed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libbugcheck.h>

/* An errno value none of the calls could produce, to see it survive. */
#define ERRNO_CANARY EOWNERDEAD

static int passed, failed, skipped;

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

/* EXPECT_RET(call, want): call returns want and leaves errno as it was. */
#define EXPECT_RET(call, want)                                               \
	do {                                                                 \
		int ret_;                                                    \
		errno = ERRNO_CANARY;                                        \
		ret_ = (call);                                               \
		EXPECT(ret_ == (want), "%s returned %d (%s), want %d (%s)",  \
		       #call, ret_, strerror(-ret_), (want),                 \
		       strerror(-(want)));                                   \
		EXPECT(errno == ERRNO_CANARY, "%s changed errno to %d (%s)", \
		       #call, errno, strerror(errno));                       \
	} while (0)

/* open_fds() - descriptors this process has open, -1 if /proc is missing. */
static int open_fds(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

static void test_argument_checks(void)
{
	EXPECT_RET(bugcheck_get_limits(NULL), -EINVAL);
	EXPECT_RET(bugcheck_list_memory_blocks(NULL, 1), -EINVAL);
	EXPECT_RET(bugcheck_list_memory_blocks(NULL, (size_t)-1), -EINVAL);
}

static void test_no_device(void)
{
	static char block[64];
	struct bugcheck_memory_block blocks[4];
	struct bugcheck_limits limits;
	int i, fds;

	if (access("/dev/bugcheck", F_OK) == 0) {
		printf("skipped: /dev/bugcheck exists on this host: -ENODEV cases not run\n");
		skipped++;
		return;
	}

	memset(&limits, 0xa5, sizeof(limits));
	EXPECT_RET(bugcheck_get_limits(&limits), -ENODEV);
	EXPECT(((unsigned char *)&limits)[0] == 0xa5,
	       "bugcheck_get_limits wrote to its argument on failure");

	EXPECT_RET(bugcheck_register_memory_block(block, sizeof(block)),
		   -ENODEV);
	EXPECT_RET(bugcheck_unregister_memory_block(block), -ENODEV);
	EXPECT_RET(bugcheck_list_memory_blocks(blocks, 4), -ENODEV);
	EXPECT_RET(bugcheck_list_memory_blocks(NULL, 0), -ENODEV);

	/* NULL and 0 are the kernel's to refuse: without it, -ENODEV. */
	EXPECT_RET(bugcheck_register_memory_block(NULL, 0), -ENODEV);
	EXPECT_RET(bugcheck_unregister_memory_block(NULL), -ENODEV);

	/* Nothing is cached from a failed open: still -ENODEV, no fd leak. */
	fds = open_fds();
	for (i = 0; i < 100; i++)
		EXPECT_RET(bugcheck_get_limits(&limits), -ENODEV);
	EXPECT(open_fds() == fds, "%d descriptors open, %d before", open_fds(),
	       fds);
}

int main(void)
{
	test_argument_checks();
	test_no_device();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
