// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: keep a page of secrets (think key material) out of the
 * crash dump by naming it for scrubbing before the dump is taken.
 *
 * The page is allocated and filled at load time; at the bugcheck the
 * callback only names it.
 */

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <bugcheck.h>

#include "sample_patterns.h"

/*
 * The secret page, for the samples-panic scenario to check in the vmcore
 * that it was scrubbed; not exported.
 */
void *bugcheck_sample_secret;

static struct bugcheck_reason_callback_record remove_rec;
static struct page *secret_page;

/**
 * remove_cb() - name the secret page for scrubbing
 * @reason: BUGCHECK_CALLBACK_REMOVE_PAGES
 * @rec: our registration
 * @reason_data: &struct bugcheck_remove_pages
 * @reason_data_len: its size
 *
 * One range, so no ADDITIONAL_RANGES_EXIST and no use for the context.
 *
 * Context: panic context; only reads an address set at load time.
 */
static void remove_cb(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
	struct bugcheck_remove_pages *d = reason_data;

	if (reason != BUGCHECK_CALLBACK_REMOVE_PAGES ||
	    reason_data_len < sizeof(*d))
		return;

	d->address = (unsigned long)bugcheck_sample_secret;
	d->count = 1;
	d->flags = BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS;
}

static int __init sample_remove_init(void)
{
	u8 *secret;
	size_t i;
	int ret;

	/* The pattern is defined on a 4 KiB page. */
	BUILD_BUG_ON(PAGE_SIZE != BUGCHECK_SAMPLE_PAGE_BYTES);

	secret_page = alloc_page(GFP_KERNEL);
	if (!secret_page)
		return -ENOMEM;
	secret = page_address(secret_page);
	for (i = 0; i < PAGE_SIZE; i++)
		secret[i] = bugcheck_sample_secret_byte(i);
	bugcheck_sample_secret = secret;

	ret = bugcheck_register_reason_callback(&remove_rec, remove_cb,
						BUGCHECK_CALLBACK_REMOVE_PAGES,
						"sample-remove");
	if (ret) {
		pr_err("cannot register sample-remove: %d\n", ret);
		goto free_secret;
	}
	return 0;

free_secret:
	bugcheck_sample_secret = NULL;
	__free_page(secret_page);
	return ret;
}
module_init(sample_remove_init);

static void __exit sample_remove_exit(void)
{
	bugcheck_deregister_reason_callback(&remove_rec);
	bugcheck_sample_secret = NULL;
	__free_page(secret_page);
}
module_exit(sample_remove_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: scrub a page of secrets before the dump");
