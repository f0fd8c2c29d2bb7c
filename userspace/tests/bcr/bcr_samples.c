// SPDX-License-Identifier: GPL-2.0
/*
 * bcr_samples.c - "bcr_samples DIR" writes records built by the unit tests'
 * writer to DIR, with the bytes of the blocks they hold, for test_tools.sh.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bcr_samples DIR\n");
		return 2;
	}
	return write_samples(argv[1]) ? 1 : 0;
}
