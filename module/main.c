// SPDX-License-Identifier: GPL-2.0
/* bugcheck.ko entry points: load-time parameters, init and exit. */

#include <linux/init.h>
#include <linux/mm.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/crc32.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/overflow.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "internal.h"

#ifndef BUGCHECK_VERSION
#error "BUGCHECK_VERSION comes from the top-level VERSION file (Kbuild)"
#endif

/* Size of the record area reserved at load. */
unsigned int bugcheck_record_size = BUGCHECK_RECORD_SIZE_DEFAULT;
static void *bugcheck_area;

/* The locator (uapi/bugcheck_record.h) and its physical address, for kdump. */
static struct bugcheck_locator *bugcheck_locator;
static size_t bugcheck_locator_size;
static unsigned long locator;
module_param(locator, ulong, 0400);
MODULE_PARM_DESC(
	locator,
	"Physical address of the record locator (read-only): pass it to the capture kernel as bugcheck_locator=<value>");

/**
 * bugcheck_record_size_valid() - check a proposed record area size
 * @size: size in bytes
 *
 * Return: 0 when @size is usable, -EINVAL when it is out of range or not a
 * multiple of PAGE_SIZE (the area is copied into whole pages at a bugcheck).
 */
VISIBLE_IF_KUNIT int bugcheck_record_size_valid(unsigned long size)
{
	if (size < BUGCHECK_RECORD_SIZE_MIN || size > BUGCHECK_RECORD_SIZE_MAX)
		return -EINVAL;
	if (!PAGE_ALIGNED(size))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_record_size_valid);

/**
 * bugcheck_parse_record_size() - parse and validate a record_size value
 * @val: the string given on the insmod command line or in sysfs
 * @size: where the value goes on success
 *
 * Return: 0 on success, -EINVAL for a malformed or unusable size, -ERANGE
 * when the number does not fit.  @size is untouched on error.
 */
VISIBLE_IF_KUNIT int bugcheck_parse_record_size(const char *val,
						unsigned int *size)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	ret = bugcheck_record_size_valid(v);
	if (ret) {
		pr_err("record_size=%u rejected: must be a multiple of %lu between %u and %u\n",
		       v, PAGE_SIZE, BUGCHECK_RECORD_SIZE_MIN,
		       BUGCHECK_RECORD_SIZE_MAX);
		return ret;
	}
	*size = v;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_parse_record_size);

static int record_size_set(const char *val, const struct kernel_param *kp)
{
	return bugcheck_parse_record_size(val, kp->arg);
}

static const struct kernel_param_ops record_size_ops = {
	.set = record_size_set,
	.get = param_get_uint,
};
module_param_cb(record_size, &record_size_ops, &bugcheck_record_size, 0444);
MODULE_PARM_DESC(
	record_size,
	"Bytes reserved at load for the bugcheck record (page multiple, 16 KiB..64 MiB)");

/*
 * The record area is vmalloc'ed, so a reader of raw physical memory needs
 * its page list: build the locator once, here, never at crash time.
 */
static int bugcheck_locator_init(void *area, u32 size)
{
	u32 i, nr = size >> PAGE_SHIFT;
	struct bugcheck_locator *l;

	bugcheck_locator_size = PAGE_ALIGN(struct_size(l, pfn, nr));
	l = alloc_pages_exact(bugcheck_locator_size, GFP_KERNEL | __GFP_ZERO);
	if (!l)
		return -ENOMEM;
	memcpy(l->magic, BUGCHECK_LOCATOR_MAGIC, sizeof(l->magic));
	l->version = BUGCHECK_LOCATOR_VERSION;
	l->size = struct_size(l, pfn, nr);
	l->page_size = PAGE_SIZE;
	l->area_size = size;
	l->nr_pages = nr;
	l->area_vaddr = (unsigned long)area;
	for (i = 0; i < nr; i++)
		l->pfn[i] = vmalloc_to_pfn(area + ((size_t)i << PAGE_SHIFT));
	l->crc32 = ~crc32_le(~0U, (u8 *)l, l->size);
	bugcheck_locator = l;
	locator = virt_to_phys(l);
	return 0;
}

/* Unloaded: a stale locator must not send a later reader to freed pages. */
static void bugcheck_locator_exit(void)
{
	memset(bugcheck_locator, 0, bugcheck_locator_size);
	free_pages_exact(bugcheck_locator, bugcheck_locator_size);
	bugcheck_locator = NULL;
	locator = 0;
}

/*
 * Everything the bugcheck needs is allocated here: the record area (vmalloc:
 * kept by makedumpfile at every dump level, unlike user or cache pages) and
 * its locator.
 */
static int __init bugcheck_init(void)
{
	int ret;

	bugcheck_area = vzalloc(bugcheck_record_size);
	if (!bugcheck_area)
		return -ENOMEM;
	ret = bugcheck_locator_init(bugcheck_area, bugcheck_record_size);
	if (ret)
		goto free_area;
	ret = bugcheck_pages_init(bugcheck_area, bugcheck_record_size,
				  bugcheck_locator, bugcheck_locator_size);
	if (ret)
		goto locator_exit;
	ret = bugcheck_registry_init();
	if (ret)
		goto pages_exit;
	ret = bugcheck_hooks_init(bugcheck_area, bugcheck_record_size);
	if (ret)
		goto registry_exit;
	ret = bugcheck_pm_init();
	if (ret)
		goto hooks_exit;
	ret = bugcheck_dev_init();
	if (ret)
		goto pm_exit;
	bugcheck_debugfs_init();
	pr_info("loaded (version %s, record area %u bytes)\n", BUGCHECK_VERSION,
		bugcheck_record_size);
	return 0;

pm_exit:
	bugcheck_pm_exit();
hooks_exit:
	bugcheck_hooks_exit();
registry_exit:
	bugcheck_registry_exit();
pages_exit:
	bugcheck_pages_exit();
locator_exit:
	bugcheck_locator_exit();
free_area:
	vfree(bugcheck_area);
	return ret;
}

static void __exit bugcheck_exit(void)
{
	bugcheck_debugfs_exit();
	bugcheck_dev_exit();
	bugcheck_pm_exit();
	bugcheck_hooks_exit();
	bugcheck_registry_exit();
	bugcheck_pages_exit();
	bugcheck_locator_exit();
	vfree(bugcheck_area);
	pr_info("unloaded\n");
}

module_init(bugcheck_init);
module_exit(bugcheck_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The bugcheck developers");
MODULE_DESCRIPTION(
	"Bug-check reason callbacks and crash-dump records for Linux");
MODULE_VERSION(BUGCHECK_VERSION);
