// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck-blocks: show the /dev/bugcheck limits, or hold registered blocks
 * of known contents until told to stop - for tests that panic the machine
 * and then look for those contents in the record.
 *
 *   bugcheck-blocks info
 *   bugcheck-blocks hold [-n COUNT] [-s SIZE] [-S SEED] [-u] [-t SECONDS]
 *
 * Exit status: 0 done; 1 a libbugcheck call (or the memory for the blocks)
 * failed; 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <libbugcheck.h>

#define PROG "bugcheck-blocks"
#define UNALIGNED_OFFSET 100

struct block {
	void *map; /* the block's own mapping */
	size_t map_size;
	uint8_t *addr; /* map, or map + UNALIGNED_OFFSET with -u */
	int registered;
};

static const char usage_text[] =
	"usage: bugcheck-blocks info\n"
	"       bugcheck-blocks hold [-n COUNT] [-s SIZE] [-S SEED] [-u] [-t SECONDS]\n"
	"\n"
	"info  print the limits and usage of /dev/bugcheck\n"
	"hold  register COUNT blocks (default 3) of SIZE bytes (default 4096)\n"
	"      filled from SEED (default 1), print them and \"ready\", wait for\n"
	"      SIGTERM/SIGINT or SECONDS, unregister, exit\n"
	"  -u  start each block 100 bytes into its mapping (unaligned)\n";

static int usage_error(void)
{
	fputs(usage_text, stderr);
	return 2;
}

static int lib_error(const char *call, int ret)
{
	fprintf(stderr, PROG ": %s: %s\n", call, strerror(-ret));
	return 1;
}

static int cmd_info(void)
{
	struct bugcheck_limits l;
	int ret;

	ret = bugcheck_get_limits(&l);
	if (ret)
		return lib_error("bugcheck_get_limits", ret);
	printf("block_size_max %zu\n", l.block_size_max);
	printf("blocks_per_process %u\n", l.blocks_per_process);
	printf("blocks_max %u\n", l.blocks_max);
	printf("blocks_registered %u\n", l.blocks_registered);
	printf("blocks_total %u\n", l.blocks_total);
	printf("pinned_pages %lu\n", l.pinned_pages);
	return fflush(stdout) ? 1 : 0;
}

/*
 * The contents of byte @i of block @b (both from 0; @i counts from the start
 * of the block, not of its mapping), in unsigned arithmetic, modulo 256:
 *
 *	(uint8_t)(SEED * 131 + b * 37 + i * 7 + (i >> 8))
 *
 * The (i >> 8) term keeps the pattern from repeating every 256 bytes.  Test
 * checkers recompute this on their own: change it only together with them
 * and with bugcheck-blocks(1).
 */
static uint8_t pattern(uint64_t seed, uint64_t b, uint64_t i)
{
	return (uint8_t)(seed * 131 + b * 37 + i * 7 + (i >> 8));
}

/* parse_num() - a whole decimal (or 0x hex) number in [0, max], else -1. */
static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * wait_for_stop() - until SIGTERM or SIGINT (blocked by the caller since
 * before the blocks were registered, so none is lost) or @secs seconds
 * (negative: no limit).
 */
static void wait_for_stop(const sigset_t *stop, long long secs)
{
	struct timespec end, now, left;

	if (secs < 0) {
		int sig;

		while (sigwait(stop, &sig))
			;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = end.tv_sec - now.tv_sec;
		left.tv_nsec = end.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_nsec += 1000000000L;
			left.tv_sec--;
		}
		if (left.tv_sec < 0)
			return;
		if (sigtimedwait(stop, NULL, &left) >= 0 || errno == EAGAIN)
			return;
		/* EINTR (another signal, e.g. SIGCONT after SIGSTOP): go on */
	}
}

/* map_blocks() - give each block its own mapping and fill it. */
static int map_blocks(struct block *blocks, size_t count, size_t size,
		      size_t offset, uint64_t seed)
{
	size_t page = sysconf(_SC_PAGESIZE);
	size_t b, i;

	for (b = 0; b < count; b++) {
		struct block *blk = &blocks[b];

		/* Size 0 still gets a page: the kernel is the one to refuse it. */
		blk->map_size = (offset + size + page - 1) / page * page;
		if (!blk->map_size)
			blk->map_size = page;
		blk->map = mmap(NULL, blk->map_size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (blk->map == MAP_FAILED) {
			fprintf(stderr, PROG ": mmap of %zu bytes: %s\n",
				blk->map_size, strerror(errno));
			blk->map = NULL;
			return 1;
		}
		blk->addr = (uint8_t *)blk->map + offset;
		for (i = 0; i < size; i++)
			blk->addr[i] = pattern(seed, b, i);
	}
	return 0;
}

static int register_blocks(struct block *blocks, size_t count, size_t size)
{
	const char *call = "bugcheck_register_memory_block";
	size_t b;
	int ret;

	for (b = 0; b < count; b++) {
		ret = bugcheck_register_memory_block(blocks[b].addr, size);
		if (ret)
			return lib_error(call, ret);
		blocks[b].registered = 1;
	}
	return 0;
}

/* release() - unregister and unmap what map_blocks()/register_blocks() did. */
static int release(struct block *blocks, size_t count, int status)
{
	const char *call = "bugcheck_unregister_memory_block";
	size_t b;
	int ret;

	for (b = 0; b < count; b++) {
		if (blocks[b].registered) {
			ret = bugcheck_unregister_memory_block(blocks[b].addr);
			if (ret && !status)
				status = lib_error(call, ret);
		}
		if (blocks[b].map)
			munmap(blocks[b].map, blocks[b].map_size);
	}
	free(blocks);
	return status;
}

static int cmd_hold(int argc, char **argv)
{
	uint64_t count = 3, size = 4096, seed = 1, v;
	long long secs = -1;
	size_t offset = 0, b;
	struct block *blocks;
	sigset_t stop;
	int opt, status, pid;

	while ((opt = getopt(argc, argv, "n:s:S:ut:")) != -1) {
		switch (opt) {
		case 'n':
			if (parse_num(optarg, 1u << 20, &count))
				goto bad_arg;
			break;
		case 's':
			if (parse_num(optarg, SIZE_MAX / 2, &size))
				goto bad_arg;
			break;
		case 'S':
			if (parse_num(optarg, UINT64_MAX, &seed))
				goto bad_arg;
			break;
		case 'u':
			offset = UNALIGNED_OFFSET;
			break;
		case 't':
			if (parse_num(optarg, INT32_MAX, &v))
				goto bad_arg;
			secs = v;
			break;
		default:
			return usage_error();
		}
	}
	if (optind != argc) {
		fprintf(stderr, PROG ": hold: unexpected argument '%s'\n",
			argv[optind]);
		return usage_error();
	}

	/* Before registering: a stop request that comes early waits for us. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	blocks = calloc(count ? count : 1, sizeof(*blocks));
	if (!blocks) {
		fprintf(stderr, PROG ": %s\n", strerror(ENOMEM));
		return 1;
	}
	status = map_blocks(blocks, count, size, offset, seed);
	if (!status)
		status = register_blocks(blocks, count, size);
	if (status)
		return release(blocks, count, status);

	pid = getpid();
	for (b = 0; b < count; b++)
		printf("block %zu pid %d addr 0x%" PRIxPTR " size %zu\n", b,
		       pid, (uintptr_t)blocks[b].addr, (size_t)size);
	printf("ready\n");
	if (fflush(stdout))
		return release(blocks, count, 1);

	wait_for_stop(&stop, secs);
	return release(blocks, count, 0);

bad_arg:
	fprintf(stderr, PROG ": hold: bad value '%s' for -%c\n", optarg, opt);
	return usage_error();
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error();
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "info")) {
		if (argc != 2)
			return usage_error();
		return cmd_info();
	}
	if (!strcmp(argv[1], "hold"))
		return cmd_hold(argc - 1, argv + 1);

	fprintf(stderr, PROG ": unknown command '%s'\n", argv[1]);
	return usage_error();
}
