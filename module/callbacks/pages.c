// SPDX-License-Identifier: GPL-2.0
/*
 * Memory the bugcheck reads and scrubs: the ADD_PAGES and REMOVE_PAGES
 * reasons, and every copy of kernel memory a callback names.
 *
 * Before a page is touched it is resolved and classified once, without
 * faulting and without a lock: its mapping is walked (lookup_address()),
 * and the frame it maps is RAM only when the page allocator manages it
 * (online, not reserved, not poisoned, not offline).  Then:
 * - RAM is copied with memcpy, under a guard (a mapping that changes under
 *   a simulate is recovered from, and that page read the careful way);
 * - anything else that is mapped (MMIO of an ioremap) is read with 8-byte
 *   fault-safe loads;
 * - nothing else is read: the copy gets zeros and READ_ERROR.
 *
 * The scrub of REMOVE_PAGES writes RAM only, through the direct map, up to
 * scrub_max bytes per bugcheck, and never the memory the rest of the panic
 * needs: the record area and its locator, and the stacks the panic runs on.
 * The kernel image and the crash kernel's region are reserved memory, so
 * not RAM in this sense either.
 */

#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/page-flags.h>
#include <linux/sched/task_stack.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <kunit/visibility.h>

#include "internal.h"

#define RANGE_VIRT BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS
#define RANGE_PHYS BUGCHECK_ADD_PAGES_FLAG_PHYSICAL_ADDRESS
#define RANGE_MORE BUGCHECK_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST

/* Bytes REMOVE_PAGES may scrub in one bugcheck. */
unsigned long bugcheck_scrub_max = 256 * SZ_1M;
EXPORT_SYMBOL_IF_KUNIT(bugcheck_scrub_max);
module_param_named(scrub_max, bugcheck_scrub_max, ulong, 0644);
MODULE_PARM_DESC(
	scrub_max,
	"Most bytes REMOVE_PAGES callbacks may have scrubbed at one bugcheck (default 256 MiB)");

/*
 * The frames the scrub must never touch, sorted: the record area's pages
 * and the locator's, set once at load (bugcheck_pages_init()).
 */
static unsigned long *protected_pfns;
static u32 nr_protected;

/* Stacks of the panicking CPU, found when the scrub starts. */
#define STACK_PFNS (2 * (THREAD_SIZE / PAGE_SIZE) + 2)

enum mem_kind { MEM_NONE, MEM_RAM, MEM_OTHER };

/* The page allocator's RAM, and only that. */
static struct page *ram_page(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	if (!page || PageReserved(page) || PageHWPoison(page) ||
	    PageOffline(page))
		return NULL;
	return page;
}

/*
 * What the kernel virtual address @addr maps, without faulting: MEM_RAM
 * (with its frame), MEM_OTHER (mapped, but not RAM: MMIO, reserved memory)
 * or MEM_NONE (not a mapped kernel address).
 */
static enum mem_kind classify(unsigned long addr, unsigned long *pfn,
			      struct page **page)
{
	unsigned int level;
	pte_t *pte, entry;

	*page = NULL;
	if (addr < TASK_SIZE_MAX ||
	    !__is_canonical_address(addr, boot_cpu_data.x86_virt_bits))
		return MEM_NONE;
	pte = lookup_address(addr, &level);
	if (!pte)
		return MEM_NONE;
	entry = READ_ONCE(*pte);
	if (!pte_present(entry))
		return MEM_NONE;
	*pfn = pte_pfn(entry) +
	       ((addr & ~page_level_mask(level)) >> PAGE_SHIFT);
	/*
	 * Reserved frames may be holes with a struct page (firmware, the
	 * legacy VGA window): mapped, but read the careful way.
	 */
	*page = ram_page(*pfn);
	return *page ? MEM_RAM : MEM_OTHER;
}

struct copy {
	void *dst;
	const void *src;
	size_t len;
};

static void copy_fn(void *arg)
{
	const struct copy *a = arg;

	/* Not KASAN-instrumented: the record may copy any kernel memory. */
	__memcpy(a->dst, a->src, a->len);
}

/* 8-byte fault-safe loads: MMIO-safe widths, never a fault. */
static size_t copy_careful(void *dst, const void *src, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = min_t(size_t, len - done, 8);

		if (copy_from_kernel_nofault(dst + done, src + done, n))
			break;
		done += n;
	}
	return done;
}

/**
 * bugcheck_copy_kernel() - copy kernel memory a callback named into the record
 * @c: the collector
 * @dst: destination in the record
 * @src: kernel address
 * @len: bytes
 *
 * Page by page: RAM with memcpy (guarded), other mapped memory with
 * fault-safe 8-byte loads; a page that cannot be read ends the copy.
 *
 * Return: bytes copied; fewer than @len when part of it could not be read.
 */
u32 bugcheck_copy_kernel(struct bugcheck_collector *c, void *dst,
			 const void *src, size_t len)
{
	unsigned long a = (unsigned long)src, pfn;
	size_t done = 0;

	if (a + len < a)
		return 0;
	while (done < len) {
		size_t n = min_t(size_t, len - done,
				 PAGE_SIZE - offset_in_page(a + done));
		struct bugcheck_guard g = { .recover = 1 };
		struct copy cp = { dst + done, (void *)(a + done), n };
		struct page *page;

		switch (classify(a + done, &pfn, &page)) {
		case MEM_RAM:
			if (!bugcheck_guarded(c, &g, copy_fn, &cp))
				break;
			fallthrough;
		case MEM_OTHER:
			if (copy_careful(cp.dst, cp.src, n) != n)
				return done;
			break;
		case MEM_NONE:
			return done;
		}
		done += n;
	}
	return done;
}

/*
 * ADD_PAGES and REMOVE_PAGES share one protocol: their reason structures have
 * the same fields and flag values (checked here), so one helper asks either
 * kind of callback for its next range.
 *
 * Return: 1 for a valid range in @d, 0 for "no range this time", -1 for an
 * invalid one (not exactly one address kind, unaligned, absurd count, wrap),
 * -2 when the callback faulted.
 */
static int ask_range(struct bugcheck_collector *c,
		     const struct bugcheck_reg *reg,
		     struct bugcheck_record_callback *e,
		     enum bugcheck_callback_reason reason,
		     struct bugcheck_add_pages *d)
{
#define SAME_FIELD(f)                                          \
	BUILD_BUG_ON(offsetof(struct bugcheck_add_pages, f) != \
		     offsetof(struct bugcheck_remove_pages, f))
	BUILD_BUG_ON(sizeof(struct bugcheck_add_pages) !=
		     sizeof(struct bugcheck_remove_pages));
	SAME_FIELD(context);
	SAME_FIELD(flags);
	SAME_FIELD(bugcheck_code);
	SAME_FIELD(address);
	SAME_FIELD(count);
#undef SAME_FIELD
	BUILD_BUG_ON(RANGE_VIRT != BUGCHECK_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS);
	BUILD_BUG_ON(RANGE_PHYS != BUGCHECK_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS);
	BUILD_BUG_ON(RANGE_MORE !=
		     BUGCHECK_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST);

	d->flags = 0;
	d->address = 0;
	d->count = 0;
	d->bugcheck_code = c->code;
	d->context = c->context;
	if (bugcheck_call(c, reg, e, reason, d, sizeof(*d)))
		return -2;
	c->context = d->context;
	if (!(d->flags & ~RANGE_MORE) && !d->count)
		return 0;
	if (!(d->flags & RANGE_VIRT) == !(d->flags & RANGE_PHYS))
		return -1;
	if (!PAGE_ALIGNED(d->address) || !d->count ||
	    d->count > totalram_pages())
		return -1;
	return d->address + (d->count << PAGE_SHIFT) - 1 > d->address ?
		       1 :
		       -1; /* no wrap */
}

/* The RAM page @i of a range, or NULL. */
static struct page *range_ram(bool phys, unsigned long addr, unsigned long i)
{
	unsigned long pfn;
	struct page *page;

	if (phys)
		return ram_page(PHYS_PFN(addr) + i);
	return classify(addr + (i << PAGE_SHIFT), &pfn, &page) == MEM_RAM ?
		       page :
		       NULL;
}

static int cmp_pfn(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a,
		      y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static bool is_protected(unsigned long pfn, const unsigned long *stack,
			 u32 nr_stack)
{
	u32 lo = 0, hi = nr_protected, i;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (protected_pfns[mid] == pfn)
			return true;
		if (protected_pfns[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = 0; i < nr_stack; i++)
		if (stack[i] == pfn)
			return true;
	return false;
}

/* The frames of the stacks this panic runs on: the task's, and the current one. */
static u32 panic_stack_pfns(unsigned long *out)
{
	unsigned long base[2] = {
		(unsigned long)task_stack_page(current),
		(unsigned long)current_stack_pointer & ~(THREAD_SIZE - 1),
	};
	u32 n = 0, b, i;

	for (b = 0; b < ARRAY_SIZE(base); b++) {
		for (i = 0; i < THREAD_SIZE / PAGE_SIZE && n < STACK_PFNS;
		     i++) {
			unsigned long pfn;
			struct page *page;

			if (classify(base[b] + i * PAGE_SIZE, &pfn, &page) !=
			    MEM_NONE)
				out[n++] = pfn;
		}
	}
	return n;
}

struct scrub {
	void *dst;
};

static void scrub_fn(void *arg)
{
	const struct scrub *a = arg;

	__memset(a->dst, 0, PAGE_SIZE);
}

/*
 * Ask a pages callback for its ranges, one call each, until it stops
 * setting ADDITIONAL_RANGES_EXIST (or faults, or 4096 calls), and hand
 * each valid range to @range, which returns the section's flags.  What a
 * callback earns is every flag of its ranges but the address kinds and
 * simulate's NOT_SCRUBBED.
 */
static u32 walk_ranges(struct bugcheck_collector *c,
		       const struct bugcheck_reg *reg,
		       struct bugcheck_record_callback *e,
		       enum bugcheck_callback_reason reason,
		       u32 (*range)(struct bugcheck_collector *c,
				    struct bugcheck_record_callback *e,
				    const struct bugcheck_add_pages *d,
				    u32 call, void *arg),
		       void *arg)
{
	struct bugcheck_add_pages
		d = {}; /* REMOVE_PAGES: same layout, see ask_range() */
	u32 call, all = 0;
	int ret;

	for (call = 0; call < BUGCHECK_MAX_CALLS; call++) {
		ret = ask_range(c, reg, e, reason, &d);
		if (ret == -2)
			return all | BUGCHECK_CB_F_FAULTED;
		if (ret < 0)
			all |= BUGCHECK_CB_F_BAD_RESULT;
		if (ret > 0)
			all |= range(c, e, &d, call, arg) &
			       ~(BUGCHECK_SECTION_F_PHYSICAL |
				 BUGCHECK_SECTION_F_VIRTUAL |
				 BUGCHECK_CB_F_NOT_SCRUBBED);
		if (!(d.flags & RANGE_MORE))
			return all;
	}
	return all | BUGCHECK_CB_F_TOO_MANY_CALLS;
}

struct scrub_stacks {
	unsigned long pfn[STACK_PFNS];
	u32 nr;
};

/* Scrub one REMOVE_PAGES range, page by page, and note it in the record. */
static u32 removed_range(struct bugcheck_collector *c,
			 struct bugcheck_record_callback *e,
			 const struct bugcheck_add_pages *d, u32 call,
			 void *arg)
{
	const struct scrub_stacks *st = arg;
	bool phys = d->flags & RANGE_PHYS;
	u32 flags = phys ? BUGCHECK_SECTION_F_PHYSICAL :
			   BUGCHECK_SECTION_F_VIRTUAL;
	struct bugcheck_record_section *s;
	unsigned long i;

	for (i = 0; i < d->count; i++) {
		struct page *page = range_ram(phys, d->address, i);
		struct bugcheck_guard g = { .recover = 1 };
		struct scrub sc;

		if (!page || is_protected(page_to_pfn(page), st->pfn, st->nr) ||
		    c->scrubbed + PAGE_SIZE > READ_ONCE(bugcheck_scrub_max)) {
			flags |= BUGCHECK_CB_F_REFUSED;
			continue;
		}
		/* Counted under simulate too: the preview refuses what a bugcheck would. */
		c->scrubbed += PAGE_SIZE;
		if (c->simulate) {
			flags |= BUGCHECK_CB_F_NOT_SCRUBBED;
			continue;
		}
		sc.dst = page_address(page);
		if (bugcheck_guarded(c, &g, scrub_fn, &sc))
			flags |= BUGCHECK_CB_F_READ_ERROR;
	}
	if (bugcheck_room(c, 0) < 8) {
		bugcheck_dropped(c, e, 0);
		return flags;
	}
	s = bugcheck_section_open(c);
	s->address = d->address;
	s->count = d->count;
	s->part = call;
	bugcheck_section_commit(c, s, BUGCHECK_SECTION_REMOVED_PAGES, 0, flags,
				e);
	return flags;
}

/**
 * bugcheck_run_remove_pages() - run a REMOVE_PAGES callback and scrub its ranges
 * @c: the collector
 * @reg: the registration
 * @e: its entry
 *
 * Return: the BUGCHECK_CB_F_* flags it earned.
 */
u32 bugcheck_run_remove_pages(struct bugcheck_collector *c,
			      const struct bugcheck_reg *reg,
			      struct bugcheck_record_callback *e)
{
	struct scrub_stacks st;

	st.nr = panic_stack_pfns(st.pfn);
	return walk_ranges(c, reg, e, BUGCHECK_CALLBACK_REMOVE_PAGES,
			   removed_range, &st);
}

/* Copy page @i of a range to @dst; false (and zeros) when it cannot be read. */
static bool copy_range_page(struct bugcheck_collector *c, bool phys,
			    unsigned long addr, unsigned long i, u8 *dst)
{
	if (phys) {
		struct page *page = ram_page(PHYS_PFN(addr) + i);

		if (page && bugcheck_copy_kernel(c, dst, page_address(page),
						 PAGE_SIZE) == PAGE_SIZE)
			return true;
	} else if (bugcheck_copy_kernel(c, dst,
					(void *)(addr + (i << PAGE_SHIFT)),
					PAGE_SIZE) == PAGE_SIZE) {
		return true;
	}
	memset(dst, 0, PAGE_SIZE);
	return false;
}

/* Copy one ADD_PAGES range into a section, cut to what the callback may add. */
static u32 added_range(struct bugcheck_collector *c,
		       struct bugcheck_record_callback *e,
		       const struct bugcheck_add_pages *d, u32 call, void *arg)
{
	bool phys = d->flags & RANGE_PHYS;
	u32 flags = phys ? BUGCHECK_SECTION_F_PHYSICAL :
			   BUGCHECK_SECTION_F_VIRTUAL,
	    crc;
	unsigned long i, count = d->count, fit;
	struct bugcheck_record_section *s;
	u8 *dst;

	fit = bugcheck_budget(c, e, 0) >> PAGE_SHIFT;
	if (count > fit) {
		flags |= bugcheck_room(c, 0) >> PAGE_SHIFT < count ?
				 BUGCHECK_CB_F_NO_SPACE :
				 BUGCHECK_CB_F_CLAMPED;
		bugcheck_cut(c, (u64)(count - fit) << PAGE_SHIFT);
		count = fit;
	}
	if (!count) {
		bugcheck_dropped(c, e, 0);
		return flags;
	}
	s = bugcheck_section_open(c);
	dst = (u8 *)(s + 1);
	/* Each page's CRC while it is still in the cache: one pass, not two. */
	crc = ~0U;
	for (i = 0; i < count; i++, dst += PAGE_SIZE) {
		if (!copy_range_page(c, phys, d->address, i, dst))
			flags |= BUGCHECK_CB_F_READ_ERROR;
		crc = crc32_le(crc, dst, PAGE_SIZE);
	}
	s->address = d->address;
	s->count = count;
	s->part = call;
	bugcheck_section_commit_crc(c, s, BUGCHECK_SECTION_ADDED_PAGES,
				    count << PAGE_SHIFT, flags, e, crc);
	return flags;
}

/**
 * bugcheck_run_add_pages() - run an ADD_PAGES callback and copy its ranges
 * @c: the collector
 * @reg: the registration
 * @e: its entry
 *
 * Return: the BUGCHECK_CB_F_* flags it earned.
 */
u32 bugcheck_run_add_pages(struct bugcheck_collector *c,
			   const struct bugcheck_reg *reg,
			   struct bugcheck_record_callback *e)
{
	return walk_ranges(c, reg, e, BUGCHECK_CALLBACK_ADD_PAGES, added_range,
			   NULL);
}

/**
 * bugcheck_pages_init() - note the memory the scrub must never touch
 * @area: the record area (vmalloc'ed)
 * @size: its size
 * @locator: the locator (physically contiguous)
 * @locator_size: its size
 *
 * Context: process context, at load.
 * Return: 0, or -ENOMEM.
 */
int bugcheck_pages_init(void *area, u32 size, const void *locator,
			size_t locator_size)
{
	u32 nr = size / PAGE_SIZE + DIV_ROUND_UP(locator_size, PAGE_SIZE), i,
	    n = 0;
	unsigned long *pfns;

	pfns = kvmalloc_array(nr, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < size / PAGE_SIZE; i++)
		pfns[n++] = vmalloc_to_pfn(area + (size_t)i * PAGE_SIZE);
	for (i = 0; i < DIV_ROUND_UP(locator_size, PAGE_SIZE); i++)
		pfns[n++] = PHYS_PFN(__pa(locator + (size_t)i * PAGE_SIZE));
	sort(pfns, n, sizeof(*pfns), cmp_pfn, NULL);
	protected_pfns = pfns;
	nr_protected = n;
	return 0;
}

/**
 * bugcheck_pages_exit() - undo bugcheck_pages_init()
 */
void bugcheck_pages_exit(void)
{
	kvfree(protected_pfns);
	protected_pfns = NULL;
	nr_protected = 0;
}
