// SPDX-License-Identifier: GPL-2.0
/*
 * The soak clients that unload without deregistering: bugcheck_test_soak.c
 * built again, with an exit that leaves its registrations behind.
 */
#define SOAK_UNLOADS_REGISTERED 1
#include "bugcheck_test_soak.c"
