/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared between bugcheck.ko's units; not part of the exported API. */
#ifndef BUGCHECK_INTERNAL_H
#define BUGCHECK_INTERNAL_H

#include <linux/sizes.h>
#include <linux/types.h>

#define BUGCHECK_VERSION "0.1.0"

#define BUGCHECK_RECORD_SIZE_MIN (16 * SZ_1K)
#define BUGCHECK_RECORD_SIZE_MAX (64 * SZ_1M)
#define BUGCHECK_RECORD_SIZE_DEFAULT (1 * SZ_1M)

#if IS_ENABLED(CONFIG_KUNIT)
int bugcheck_record_size_valid(unsigned long size);
int bugcheck_parse_record_size(const char *val, unsigned int *size);
#endif

#endif /* BUGCHECK_INTERNAL_H */
