// SPDX-License-Identifier: GPL-2.0
/*
 * hold_unmapped - register a block, unmap its memory, and stay alive with
 * the block registered (flag UNMAPPED) until killed: what a bugcheck must
 * record as a block without contents.
 *
 * Usage: hold_unmapped SIZE
 *
 * Prints "block 0 pid PID addr 0xADDR size SIZE unmapped", then "ready",
 * as bugcheck-blocks hold does; exits 1 if a step fails.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libbugcheck.h>

int main(int argc, char **argv)
{
	struct bugcheck_memory_block b;
	size_t size, len;
	uint8_t *p;
	int ret;

	size = argc == 2 ? strtoul(argv[1], NULL, 0) : 0;
	if (!size) {
		fprintf(stderr, "usage: hold_unmapped SIZE\n");
		return 2;
	}
	len = (size + 4095) & ~4095UL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		perror("hold_unmapped: mmap");
		return 1;
	}
	memset(p, 0xa5, size);
	ret = bugcheck_register_memory_block(p, size);
	if (ret) {
		fprintf(stderr, "hold_unmapped: register: %s\n",
			strerror(-ret));
		return 1;
	}
	munmap(p, len);
	ret = bugcheck_list_memory_blocks(&b, 1);
	if (ret != 1 || b.addr != p ||
	    !(b.flags & BUGCHECK_MEMORY_BLOCK_UNMAPPED)) {
		fprintf(stderr,
			"hold_unmapped: after munmap: %d blocks, flags %u\n",
			ret, ret > 0 ? b.flags : 0);
		return 1;
	}
	printf("block 0 pid %d addr %p size %zu unmapped\nready\n", getpid(),
	       (void *)p, size);
	fflush(stdout);
	for (;;)
		pause();
}
