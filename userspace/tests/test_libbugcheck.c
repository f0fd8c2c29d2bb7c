// SPDX-License-Identifier: GPL-2.0
/*
 * test_libbugcheck.c - libbugcheck on a host without bugcheck.ko: argument
 * checks, -ENODEV from every call, errno left alone; the version calls and
 * the report API's checks of its arguments.
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
#define APP_CRASH BUGCHECK_REPORT_APPLICATION_CRASH

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
#define EXPECT_RET(call, want)                                                 \
	do {                                                                   \
		int ret_, want_ = (want);                                      \
		errno = ERRNO_CANARY;                                          \
		ret_ = (call);                                                 \
		EXPECT(ret_ == want_, "%s returned %d (%s), want %d (%s)",     \
		       #call, ret_, strerror(-ret_), want_, strerror(-want_)); \
		EXPECT(errno == ERRNO_CANARY, "%s changed errno to %d (%s)",   \
		       #call, errno, strerror(errno));                         \
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

static void test_version(void)
{
	int major = bugcheck_version_major(), minor = bugcheck_version_minor();
	int same;

	same = major == LIBBUGCHECK_VERSION_MAJOR &&
	       minor == LIBBUGCHECK_VERSION_MINOR;
	EXPECT(same, "library %d.%d, header %d.%d", major, minor,
	       LIBBUGCHECK_VERSION_MAJOR, LIBBUGCHECK_VERSION_MINOR);
	EXPECT(LIBBUGCHECK_CHECK_VERSION(LIBBUGCHECK_VERSION_MAJOR,
					 LIBBUGCHECK_VERSION_MINOR),
	       "LIBBUGCHECK_CHECK_VERSION of its own version is false");
	EXPECT(!LIBBUGCHECK_CHECK_VERSION(LIBBUGCHECK_VERSION_MAJOR + 1, 0),
	       "LIBBUGCHECK_CHECK_VERSION of the next major is true");
	EXPECT_RET(bugcheck_check_version(major, minor), 0);
	EXPECT_RET(bugcheck_check_version(major, 0), 0);
	EXPECT_RET(bugcheck_check_version(major, minor + 1), -ENOTSUP);
	EXPECT_RET(bugcheck_check_version(major + 1, 0), -ENOTSUP);
	if (major > 0)
		EXPECT_RET(bugcheck_check_version(major - 1, minor), -ENOTSUP);
	/* Nothing open yet: closing is a no-op. */
	EXPECT_RET(bugcheck_close(), 0);
}

static void test_report_arguments(void)
{
	struct bugcheck_exception_info ex = {
		.size = sizeof(ex), .flags = BUGCHECK_EXCEPTION_CLIENT_POINTERS
	};
	struct bugcheck_dump_options opt = { .size = sizeof(opt) };
	struct bugcheck_submit_result res = { .size = sizeof(res) };
	struct bugcheck_report *r = NULL;
	unsigned char big[sizeof(ex) + 8] = { 0 };

	EXPECT_RET(bugcheck_report_create(NULL, 0, &r), -EINVAL);
	EXPECT_RET(bugcheck_report_create("", 0, &r), -EINVAL);
	EXPECT_RET(bugcheck_report_create("a/b", 0, &r), -EINVAL);
	EXPECT_RET(bugcheck_report_create("crash", 4, &r), -EINVAL);
	EXPECT_RET(bugcheck_report_create("crash", -1, &r), -EINVAL);
	EXPECT_RET(bugcheck_report_create("crash", 0, NULL), -EINVAL);
	EXPECT_RET(bugcheck_report_create("crash", APP_CRASH, &r), 0);
	if (!r)
		return;
	EXPECT(!strcmp(bugcheck_report_error(r), ""),
	       "fresh report has an error");
	EXPECT_RET(bugcheck_report_submit(r, 0, &res), -EINVAL);
	EXPECT(strstr(bugcheck_report_error(r), "no dump"), "error '%s'",
	       bugcheck_report_error(r));
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, 0, NULL, NULL, 0),
		   -EINVAL);
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, 4, NULL, NULL, 0),
		   -EINVAL);
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, BUGCHECK_DUMP_MINI,
					    NULL, NULL, 2),
		   -EINVAL);
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0,
					    BUGCHECK_DUMP_MICRO, NULL, NULL, 0),
		   -EINVAL);
	EXPECT(strstr(bugcheck_report_error(r), "tid"), "error '%s'",
	       bugcheck_report_error(r));
	EXPECT_RET(bugcheck_report_add_dump(r, getpid(), 0, BUGCHECK_DUMP_MINI,
					    NULL, NULL, 0),
		   -EINVAL);
	EXPECT_RET(bugcheck_report_add_dump(r, 0, 0, BUGCHECK_DUMP_MINI, NULL,
					    NULL, 0),
		   -EINVAL);
	EXPECT_RET(bugcheck_report_add_dump(r, 0x7ffffffe, 0,
					    BUGCHECK_DUMP_MINI, NULL, NULL, 0),
		   -ESRCH);
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0x7ffffffe,
					    BUGCHECK_DUMP_MINI, NULL, NULL, 0),
		   -ESRCH);
	ex.flags = 0;
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, BUGCHECK_DUMP_MINI,
					    &ex, NULL, 0),
		   -EINVAL);
	ex.flags = BUGCHECK_EXCEPTION_CLIENT_POINTERS;
	ex.size = 4;
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, BUGCHECK_DUMP_MINI,
					    &ex, NULL, 0),
		   -EINVAL);
	/* A newer caller's larger structure: fine when the tail is zero. */
	ex.size = sizeof(big);
	memcpy(big, &ex, sizeof(ex));
	big[sizeof(ex) + 3] = 1;
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, BUGCHECK_DUMP_MINI,
					    (const void *)big, NULL, 0),
		   -E2BIG);
	opt.flags = 0x80;
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, BUGCHECK_DUMP_MINI,
					    NULL, &opt, 0),
		   -EINVAL);
	opt.flags = BUGCHECK_DUMP_ONLY_THIS_THREAD;
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), 0, BUGCHECK_DUMP_MINI,
					    NULL, &opt, 0),
		   -EINVAL);
	EXPECT_RET(bugcheck_report_add_dump(r, getppid(), getppid(),
					    BUGCHECK_DUMP_HEAP, NULL, &opt,
					    BUGCHECK_DUMP_NOHEAP_ONQUEUE),
		   0);
	EXPECT_RET(bugcheck_report_submit(r, 0x80, &res), -EINVAL);
	res.size = 8;
	EXPECT_RET(bugcheck_report_submit(r, 0, &res), -EINVAL);
	EXPECT_RET(bugcheck_report_set_store(r, ""), -EINVAL);
	EXPECT_RET(bugcheck_report_set_store(NULL, "/tmp"), -EINVAL);
	EXPECT_RET(bugcheck_report_close(r), 0);
	EXPECT_RET(bugcheck_report_close(NULL), 0);
	{
		struct bugcheck_crash_handler_options ho = {
			.size = sizeof(ho), .reporter = "/nonexistent/reporter"
		};

		EXPECT_RET(bugcheck_install_crash_handler(&ho), -ENOENT);
		ho.reporter = "/bin/true";
		ho.dump_type = 9;
		EXPECT_RET(bugcheck_install_crash_handler(&ho), -EINVAL);
		ho.dump_type = 0;
		ho.size = 4;
		EXPECT_RET(bugcheck_install_crash_handler(&ho), -EINVAL);
	}
	EXPECT_RET(bugcheck_remove_crash_handler(), -ENOENT);
}

int main(void)
{
	test_argument_checks();
	test_no_device();
	test_version();
	test_report_arguments();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
