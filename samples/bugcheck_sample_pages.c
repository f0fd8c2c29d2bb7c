// SPDX-License-Identifier: GPL-2.0
/*
 * Sample client: copy two memory ranges into the record, one named by
 * virtual address (a vmalloc'ed ring buffer) and one by physical address
 * (two contiguous pages), as a driver would for its rings and DMA areas.
 *
 * Both ranges are allocated and filled at load time; at the bugcheck the
 * callback only names them, one per call, keeping its place in the context
 * pointer bugcheck preserves between calls and clears before the first.
 */

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <bugcheck.h>

#include "sample_patterns.h"

#define RING_BYTES (BUGCHECK_SAMPLE_RING_PAGES * PAGE_SIZE)
#define PHYS_BYTES (BUGCHECK_SAMPLE_PHYS_PAGES * PAGE_SIZE)

/* Which range the next call names; the context pointer holds the value. */
enum sample_range {
	SAMPLE_RANGE_RING,
	SAMPLE_RANGE_PHYS,
	SAMPLE_RANGE_DONE,
};

/*
 * Where the two ranges are, for the samples-panic scenario to find them in
 * the vmcore by symbol; not exported.
 */
void *bugcheck_sample_ring;
phys_addr_t bugcheck_sample_phys_addr;

static struct bugcheck_reason_callback_record pages_rec;
static struct page *phys_pages;

/**
 * pages_cb() - name the ring, then the physical pages
 * @reason: BUGCHECK_CALLBACK_ADD_PAGES
 * @rec: our registration
 * @reason_data: &struct bugcheck_add_pages
 * @reason_data_len: its size
 *
 * Context: panic context; only reads addresses set at load time.
 */
static void pages_cb(enum bugcheck_callback_reason reason,
		     struct bugcheck_reason_callback_record *rec,
		     void *reason_data, size_t reason_data_len)
{
	struct bugcheck_add_pages *d = reason_data;

	if (reason != BUGCHECK_CALLBACK_ADD_PAGES ||
	    reason_data_len < sizeof(*d))
		return;

	switch ((uintptr_t)d->context) {
	case SAMPLE_RANGE_RING:
		d->address = (unsigned long)bugcheck_sample_ring;
		d->count = BUGCHECK_SAMPLE_RING_PAGES;
		d->flags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS |
			   BUGCHECK_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST;
		d->context = (void *)(uintptr_t)SAMPLE_RANGE_PHYS;
		break;
	case SAMPLE_RANGE_PHYS:
		d->address = bugcheck_sample_phys_addr;
		d->count = BUGCHECK_SAMPLE_PHYS_PAGES;
		d->flags = BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS;
		d->context = (void *)(uintptr_t)SAMPLE_RANGE_DONE;
		break;
	default:
		/* Not reached: the last range did not ask for another call. */
		d->flags = 0;
		break;
	}
}

static int __init sample_pages_init(void)
{
	u8 *phys;
	size_t i;
	int ret;

	/* The patterns are defined on 4 KiB pages. */
	BUILD_BUG_ON(PAGE_SIZE != BUGCHECK_SAMPLE_PAGE_BYTES);

	bugcheck_sample_ring = vmalloc(RING_BYTES);
	if (!bugcheck_sample_ring)
		return -ENOMEM;
	for (i = 0; i < RING_BYTES; i++)
		((u8 *)bugcheck_sample_ring)[i] = bugcheck_sample_ring_byte(i);

	phys_pages = alloc_pages(GFP_KERNEL, BUGCHECK_SAMPLE_PHYS_ORDER);
	if (!phys_pages) {
		ret = -ENOMEM;
		goto free_ring;
	}
	phys = page_address(phys_pages);
	for (i = 0; i < PHYS_BYTES; i++)
		phys[i] = bugcheck_sample_phys_byte(i);
	bugcheck_sample_phys_addr = page_to_phys(phys_pages);

	ret = bugcheck_register_reason_callback(&pages_rec, pages_cb,
						BUGCHECK_CALLBACK_ADD_PAGES,
						"sample-pages");
	if (ret) {
		pr_err("cannot register sample-pages: %d\n", ret);
		goto free_phys;
	}
	return 0;

free_phys:
	bugcheck_sample_phys_addr = 0;
	__free_pages(phys_pages, BUGCHECK_SAMPLE_PHYS_ORDER);
free_ring:
	vfree(bugcheck_sample_ring);
	bugcheck_sample_ring = NULL;
	return ret;
}
module_init(sample_pages_init);

static void __exit sample_pages_exit(void)
{
	bugcheck_deregister_reason_callback(&pages_rec);
	bugcheck_sample_phys_addr = 0;
	__free_pages(phys_pages, BUGCHECK_SAMPLE_PHYS_ORDER);
	vfree(bugcheck_sample_ring);
	bugcheck_sample_ring = NULL;
}
module_exit(sample_pages_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck sample: add a ring and physical pages");
