// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheck benchmark: measures at load and prints figures; unload it after.
 *
 *   collect N MiB:  a simulated bugcheck (bugcheck_simulate()) whose only
 *                   callback adds N MiB of pages, against a plain memcpy of
 *                   the same N MiB in the same run: the collector's overhead.
 *   register pair:  cost of one register+deregister with 10, 1k and 100k
 *                   other records registered (the lists are O(1) to update).
 *
 * Needs bugcheck loaded with record_size and callback_max above the largest
 * N (the bench scenario loads it with 64 MiB).  Figures are medians of
 * several runs; ratios are what to compare across changes, not absolute
 * times (the VM runs under TCG).
 */

#include <linux/crc32.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "bugcheck.h"

#define RUNS 5

static unsigned int max_mib = 16;
module_param(max_mib, uint, 0444);
MODULE_PARM_DESC(max_mib,
		 "Largest collection measured, in MiB (1, 4, 16, ...)");

static void *bench_pages;
static u32 bench_crc; /* keeps the checksum from being optimised away */
static unsigned long bench_count;

static void bench_add_pages(enum bugcheck_callback_reason reason,
			    struct bugcheck_reason_callback_record *rec,
			    void *reason_data, size_t reason_data_len)
{
	struct bugcheck_add_pages *d = reason_data;

	d->flags = BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
	d->address = (unsigned long)bench_pages;
	d->count = bench_count;
}

static void bench_nop(enum bugcheck_callback_reason reason,
		      struct bugcheck_reason_callback_record *rec,
		      void *reason_data, size_t reason_data_len)
{
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[n / 2];
}

static int bench_collect(unsigned int mib)
{
	static struct bugcheck_reason_callback_record rec;
	static const unsigned long param[4];
	u64 t_sim[RUNS], t_cpy[RUNS], t_crc[RUNS], sim, cpy, crc;
	size_t bytes = (size_t)mib << 20;
	void *dst;
	int i, ret;

	bench_pages = vmalloc(bytes);
	dst = vmalloc(bytes);
	if (!bench_pages || !dst) {
		ret = -ENOMEM;
		goto free;
	}
	memset(bench_pages, 0x5a, bytes);
	memset(dst, 0, bytes);
	bench_count = bytes >> PAGE_SHIFT;
	bugcheck_init_callback_record(&rec);
	ret = bugcheck_register_reason_callback(&rec, bench_add_pages,
						BUGCHECK_CALLBACK_ADD_PAGES,
						"bench-pages");
	if (ret)
		goto free;
	for (i = 0; i < RUNS && !ret; i++) {
		u64 t0 = ktime_get_ns();

		ret = bugcheck_simulate(param);
		t_sim[i] = ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		memcpy(dst, bench_pages, bytes);
		t_cpy[i] = ktime_get_ns() - t0;
		/* The floor: every byte copied once and checksummed once. */
		t0 = ktime_get_ns();
		memcpy(dst, bench_pages, bytes);
		bench_crc ^= crc32_le(~0U, dst, bytes);
		t_crc[i] = ktime_get_ns() - t0;
	}
	if (!ret && rec.bytes != bytes) {
		pr_err("collect %u MiB: record got %u bytes (record_size/callback_max too small?)\n",
		       mib, rec.bytes);
		ret = -ENOSPC;
	}
	if (!ret) {
		sim = median(t_sim, RUNS);
		cpy = median(t_cpy, RUNS);
		crc = median(t_crc, RUNS);
		pr_info("figure: collect %u MiB: simulate %llu us, memcpy %llu us, ratio %llu.%02llu\n",
			mib, sim / 1000, cpy / 1000, sim / max(cpy, 1ULL),
			(sim * 100 / max(cpy, 1ULL)) % 100);
		pr_info("figure: collect %u MiB: memcpy+crc32 %llu us (the floor: the record checksums every byte), ratio %llu.%02llu\n",
			mib, crc / 1000, sim / max(crc, 1ULL),
			(sim * 100 / max(crc, 1ULL)) % 100);
	}
	bugcheck_deregister_reason_callback(&rec);
free:
	vfree(dst);
	vfree(bench_pages);
	bench_pages = NULL;
	return ret;
}

static int bench_register(unsigned int n)
{
	struct bugcheck_reason_callback_record *recs, one = {};
	u64 t0, t_fill, t_pair[RUNS];
	unsigned int i, j, k;
	int ret = 0;

	recs = vzalloc(array_size(n, sizeof(*recs)));
	if (!recs)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (i = 0; i < n && !ret; i++)
		ret = bugcheck_register_reason_callback(
			&recs[i], bench_nop,
			BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA, "bench-fill");
	t_fill = ktime_get_ns() - t0;
	for (j = 0; j < RUNS && !ret; j++) {
		t0 = ktime_get_ns();
		for (k = 0; k < 1000 && !ret; k++) {
			ret = bugcheck_register_reason_callback(
				&one, bench_nop,
				BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA,
				"bench-one");
			ret = ret ?: bugcheck_deregister_reason_callback(&one);
		}
		t_pair[j] = ktime_get_ns() - t0;
	}
	if (!ret)
		pr_info("figure: register+deregister pair with %u registered: %llu ns (filling %u: %llu ns each)\n",
			n, median(t_pair, RUNS) / 1000, n, t_fill / max(n, 1U));
	while (i--)
		bugcheck_deregister_reason_callback(&recs[i]);
	vfree(recs);
	return ret;
}

static int __init bench_init(void)
{
	unsigned int mib, n;
	int ret = 0;

	for (mib = 1; mib <= max_mib && !ret; mib *= 4)
		ret = bench_collect(mib);
	for (n = 10; n <= 100000 && !ret; n *= 100)
		ret = bench_register(n);
	if (ret) {
		pr_err("benchmark failed: %d\n", ret);
		return ret;
	}
	pr_info("figures done\n");
	return 0;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck benchmark: collection and registration costs");
