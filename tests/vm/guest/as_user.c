// SPDX-License-Identifier: GPL-2.0
/*
 * as_user: run a program as another uid/gid, dumpable (the guest's busybox
 * setpriv cannot change ids).
 *
 *   as_user UID GID PROG [ARGS...]
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: as_user UID GID PROG [ARGS...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(atoi(argv[2])) ||
	    setuid(atoi(argv[1]))) {
		perror("as_user: set ids");
		return 1;
	}
	/* Changing ids made us undumpable, which would stop even our own ptrace. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	execvp(argv[3], argv + 3);
	perror("as_user: exec");
	return 127;
}
