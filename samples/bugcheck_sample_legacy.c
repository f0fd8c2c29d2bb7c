// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: the legacy buffer callback.  The driver hands bugcheck a
 * fixed buffer at registration; at the bugcheck its callback fills the
 * buffer and bugcheck copies it into the record.
 *
 * The buffer is static, so the callback writes into memory that exists
 * from load time and allocates nothing.
 */

#include <linux/minmax.h>
#include <linux/module.h>
#include <bugcheck.h>

#include "sample_patterns.h"

static struct bugcheck_callback_record legacy_rec;
static u8 legacy_buffer[BUGCHECK_SAMPLE_LEGACY_LEN];

/**
 * legacy_cb() - fill the registered buffer with the current state
 * @buf: the buffer given at registration
 * @len: its size
 *
 * Context: panic context; writes only to @buf.
 */
static void legacy_cb(void *buf, size_t len)
{
	u8 *p = buf;
	size_t i;

	len = min_t(size_t, len, BUGCHECK_SAMPLE_LEGACY_LEN);
	for (i = 0; i < len; i++)
		p[i] = bugcheck_sample_legacy_byte(i);
}

static int __init sample_legacy_init(void)
{
	int ret;

	ret = bugcheck_register_callback(&legacy_rec, legacy_cb, legacy_buffer,
					 sizeof(legacy_buffer),
					 "sample-legacy");
	if (ret)
		pr_err("cannot register sample-legacy: %d\n", ret);
	return ret;
}
module_init(sample_legacy_init);

static void __exit sample_legacy_exit(void)
{
	bugcheck_deregister_callback(&legacy_rec);
}
module_exit(sample_legacy_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: a legacy buffer callback");
