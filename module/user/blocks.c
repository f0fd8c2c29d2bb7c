// SPDX-License-Identifier: GPL-2.0
/*
 * User memory blocks: blocks of a process's own memory, registered through
 * /dev/bugcheck (dev.c), pinned at registration and copied into the record
 * at a bugcheck (collect.c).  User pages are dropped by makedumpfile at -d 31
 * and a page-table walk has no place in a panic, so the pages are pinned up
 * front and copied from their kernel mapping when the machine goes down.
 *
 * Ownership follows the address space, as WER's memory blocks follow the
 * process: each mm with blocks has one bugcheck_ublock_mm, an MMU notifier
 * (mmu_notifier_get_locked()).  Its ->release runs when the mm is torn down
 * - at process exit and when exec replaces it - and drops the blocks; a fork
 * child gets a new mm and so none of them; the fd used to register does not
 * matter.  ->invalidate_range_start marks blocks whose range is unmapped.
 *
 * Locking:
 *   mmap_lock -> bugcheck_ublock_mutex -> ctx->lock -> bugcheck_registry_lock
 * bugcheck_ublock_mutex protects the hash of contexts, every context's block
 * list membership, count and busy, and the global count.  ctx->lock
 * (a spinlock, the notifier may not sleep) guards ctx->blocks against the
 * notifier's walk.  The global list bugcheck_ublocks is what the bugcheck
 * walks: writers change it under bugcheck_registry_lock with the RCU list
 * primitives (a simulated bugcheck holds that lock; a real one walks it
 * lock-free with every other CPU stopped, see bugcheck_ublock_next()).
 * A block is unpinned and freed only after it is off that list.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/crc32.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "internal.h"
#include "uapi/bugcheck_dev.h"

#define BUGCHECK_UBLOCK_MAGIC 0x42435542 /* "BUCB" */
#define BUGCHECK_UBLOCK_SIZE_CAP (16 * SZ_1M)

static unsigned int block_size_max = 64 * SZ_1K;
static unsigned int blocks_per_process = 512;
static unsigned int blocks_per_user = 2048;
static unsigned int blocks_max = 8192;

static int set_block_size_max(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, BUGCHECK_UBLOCK_SIZE_CAP);
}

static int set_block_count(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 1 << 20);
}

static const struct kernel_param_ops block_size_ops = {
	.set = set_block_size_max,
	.get = param_get_uint,
};

static const struct kernel_param_ops block_count_ops = {
	.set = set_block_count,
	.get = param_get_uint,
};

module_param_cb(block_size_max, &block_size_ops, &block_size_max, 0644);
MODULE_PARM_DESC(
	block_size_max,
	"Largest user memory block in bytes (default 65536, at most 16 MiB)");
module_param_cb(blocks_per_process, &block_count_ops, &blocks_per_process,
		0644);
MODULE_PARM_DESC(blocks_per_process,
		 "Most user memory blocks per process (default 512)");
module_param_cb(blocks_per_user, &block_count_ops, &blocks_per_user, 0644);
MODULE_PARM_DESC(
	blocks_per_user,
	"Most user memory blocks of all processes of one user together (default 2048)");
module_param_cb(blocks_max, &block_count_ops, &blocks_max, 0644);
MODULE_PARM_DESC(
	blocks_max,
	"Most user memory blocks of all processes together (default 8192)");

/**
 * struct bugcheck_ublock_mm - the blocks of one address space
 * @mn: our MMU notifier subscription on the mm (holds an mmgrab())
 * @hnode: entry in bugcheck_ublock_mms while @hashed
 * @lock: protects @blocks against the notifier's walk
 * @blocks: struct bugcheck_ublock, in registration order
 * @count: blocks on @blocks
 * @busy: registrations in progress that hold this context
 * @hashed: in the hash; false once released, emptied or dropped at unload
 *
 * A context is hashed, and holds its one notifier reference, from the first
 * registration until ->release (mm exit or exec), or unload: it stays when
 * its blocks are gone, so cycling register/unregister never repeats the
 * mm_take_all_locks() of mmu_notifier_get_locked().
 */
struct bugcheck_ublock_mm {
	struct mmu_notifier mn;
	struct hlist_node hnode;
	spinlock_t lock; /* protects @blocks against the notifier's walk */
	struct list_head blocks;
	u32 count;
	u32 busy;
	bool hashed;
};

/**
 * struct bugcheck_ublock - one registered block
 * @magic: BUGCHECK_UBLOCK_MAGIC while on bugcheck_ublocks
 * @check: CRC-32 of @addr through @comm: what the bugcheck validates
 * @node: entry in bugcheck_ublocks (read lock-free at a bugcheck)
 * @mm_node: entry in @ctx->blocks
 * @ctx: the owning address space
 * @addr: first byte, as the process sees it
 * @size: bytes
 * @nr_pages: entries in @pages
 * @pid: registering process (tgid, initial pid namespace)
 * @uid: its real uid in the initial user namespace
 * @comm: its name at registration
 * @flags: BUGCHECK_BLOCK_F_* (set by the notifier; not in @check)
 * @user: the user charged for the pinned pages (user->locked_vm), or NULL
 *	for a caller with CAP_IPC_LOCK
 * @quota: the registering uid's block count
 * @free_work: unpins and frees the block after an RCU grace period
 * @pages: the pinned pages covering [@addr, @addr + @size)
 */
struct bugcheck_ublock {
	u32 magic;
	u32 check;
	struct list_head node;
	struct list_head mm_node;
	struct bugcheck_ublock_mm *ctx;
	u64 addr;
	u64 size;
	u32 nr_pages;
	s32 pid;
	u32 uid;
	char comm[TASK_COMM_LEN];
	u32 flags;
	struct user_struct *user;
	struct bugcheck_ublock_quota *quota;
	struct rcu_work free_work;
	struct page *pages[];
};

/**
 * struct bugcheck_ublock_quota - blocks of one user, for blocks_per_user
 * @hnode: entry in bugcheck_ublock_quotas
 * @uid: the user
 * @count: blocks registered by its processes
 *
 * Freed when @count drops to zero; bugcheck_ublock_mutex protects all.
 */
struct bugcheck_ublock_quota {
	struct hlist_node hnode;
	kuid_t uid;
	u32 count;
};

static DEFINE_MUTEX(bugcheck_ublock_mutex);
static DEFINE_HASHTABLE(bugcheck_ublock_mms, 8);
static DEFINE_HASHTABLE(bugcheck_ublock_quotas, 6);
static LIST_HEAD(bugcheck_ublocks);
static u32 bugcheck_ublock_total; /* blocks on bugcheck_ublocks */
static atomic_t bugcheck_ublock_freeing =
	ATOMIC_INIT(0); /* frees queued, not done */

static u32 ublock_check(const struct bugcheck_ublock *b)
{
	const u8 *from = (const u8 *)&b->addr;
	const u8 *to = (const u8 *)b->comm + sizeof(b->comm);

	return ~crc32_le(~0U, from, to - from);
}

static struct bugcheck_ublock_mm *ctx_find(struct mm_struct *mm)
{
	struct bugcheck_ublock_mm *ctx;

	lockdep_assert_held(&bugcheck_ublock_mutex);
	hash_for_each_possible(bugcheck_ublock_mms, ctx, hnode,
			       (unsigned long)mm)
		if (ctx->mn.mm == mm)
			return ctx;
	return NULL;
}

/* Take @b off both lists; it is unpinned and freed by ublock_free(). */
static void ublock_unlink(struct bugcheck_ublock *b)
{
	struct bugcheck_ublock_mm *ctx = b->ctx;
	unsigned long flags;

	lockdep_assert_held(&bugcheck_ublock_mutex);
	spin_lock(&ctx->lock);
	list_del(&b->mm_node);
	spin_unlock(&ctx->lock);
	raw_spin_lock_irqsave(&bugcheck_registry_lock, flags);
	list_del_rcu(&b->node);
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags);
	WRITE_ONCE(b->magic, 0);
	ctx->count--;
	bugcheck_ublock_total--;
	if (!--b->quota->count) {
		hash_del(&b->quota->hnode);
		kfree(b->quota);
	}
	b->quota = NULL;
}

/* The quota entry of @uid, created with @spare if there is none; mutex held. */
static struct bugcheck_ublock_quota *
quota_get(kuid_t uid, struct bugcheck_ublock_quota **spare)
{
	struct bugcheck_ublock_quota *q;

	lockdep_assert_held(&bugcheck_ublock_mutex);
	hash_for_each_possible(bugcheck_ublock_quotas, q, hnode,
			       __kuid_val(uid))
		if (uid_eq(q->uid, uid))
			return q;
	q = *spare;
	*spare = NULL;
	q->uid = uid;
	q->count = 0;
	hash_add(bugcheck_ublock_quotas, &q->hnode, __kuid_val(uid));
	return q;
}

/*
 * Unhash @ctx at ->release unless a registration still holds it; the caller
 * then drops its notifier reference with mmu_notifier_put() outside the
 * mutex.
 */
static bool ctx_unhash_if_idle(struct bugcheck_ublock_mm *ctx)
{
	lockdep_assert_held(&bugcheck_ublock_mutex);
	if (!ctx->hashed || ctx->count || ctx->busy)
		return false;
	hash_del(&ctx->hnode);
	ctx->hashed = false;
	return true;
}

/* Give back what @b was charged: the pages to its user and to @mm's VmPin. */
static void uncharge(struct bugcheck_ublock *b, struct mm_struct *mm)
{
	atomic64_sub(b->nr_pages, &mm->pinned_vm);
	if (b->user) {
		atomic_long_sub(b->nr_pages, &b->user->locked_vm);
		free_uid(b->user);
		b->user = NULL;
	}
}

static void ublock_free_work(struct work_struct *work)
{
	struct bugcheck_ublock *b = container_of(
		to_rcu_work(work), struct bugcheck_ublock, free_work);

	unpin_user_pages(b->pages, b->nr_pages);
	kvfree(b);
	if (atomic_dec_and_test(&bugcheck_ublock_freeing))
		wake_up_var(&bugcheck_ublock_freeing);
}

/*
 * Uncharge @b's pages from @mm now; unpin them and free @b once no simulate
 * can be copying it (it walks the list under RCU, see user/phase.c).
 */
static void ublock_free(struct bugcheck_ublock *b, struct mm_struct *mm)
{
	uncharge(b, mm);
	atomic_inc(&bugcheck_ublock_freeing);
	INIT_RCU_WORK(&b->free_work, ublock_free_work);
	queue_rcu_work(system_wq, &b->free_work);
}

static struct mmu_notifier *ctx_alloc(struct mm_struct *mm)
{
	struct bugcheck_ublock_mm *ctx =
		kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);

	if (!ctx)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->blocks);
	return &ctx->mn;
}

/* Called after an SRCU grace period: no notifier callback is running. */
static void ctx_free(struct mmu_notifier *mn)
{
	kfree(container_of(mn, struct bugcheck_ublock_mm, mn));
}

/* The mm is being torn down (exit, or exec replacing it): drop its blocks. */
static void ctx_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct bugcheck_ublock_mm *ctx =
		container_of(mn, struct bugcheck_ublock_mm, mn);
	struct bugcheck_ublock *b, *tmp;
	LIST_HEAD(gone);
	bool put;

	mutex_lock(&bugcheck_ublock_mutex);
	if (!ctx->hashed) {
		/* Emptied, or dropped at unload: its reference is already gone. */
		mutex_unlock(&bugcheck_ublock_mutex);
		return;
	}
	list_for_each_entry_safe(b, tmp, &ctx->blocks, mm_node) {
		ublock_unlink(b);
		list_add_tail(&b->mm_node, &gone);
	}
	put = ctx_unhash_if_idle(ctx);
	mutex_unlock(&bugcheck_ublock_mutex);

	list_for_each_entry_safe(b, tmp, &gone, mm_node)
		ublock_free(b, mm);
	if (put)
		mmu_notifier_put(mn);
}

/*
 * munmap() and mremap() invalidate with MMU_NOTIFY_UNMAP: the block's
 * address no longer shows the pinned pages, so its contents are not worth
 * recording.  Other events (reclaim attempts, migration, COW, mprotect) leave
 * the pinned pages mapped and are ignored.
 */
static int ctx_invalidate(struct mmu_notifier *mn,
			  const struct mmu_notifier_range *range)
{
	struct bugcheck_ublock_mm *ctx =
		container_of(mn, struct bugcheck_ublock_mm, mn);
	struct bugcheck_ublock *b;

	if (range->event != MMU_NOTIFY_UNMAP)
		return 0;
	spin_lock(&ctx->lock);
	list_for_each_entry(b, &ctx->blocks, mm_node)
		if (b->addr < range->end && range->start < b->addr + b->size)
			WRITE_ONCE(b->flags,
				   b->flags | BUGCHECK_BLOCK_F_UNMAPPED);
	spin_unlock(&ctx->lock);
	return 0;
}

static const struct mmu_notifier_ops bugcheck_ublock_mn_ops = {
	.release = ctx_release,
	.invalidate_range_start = ctx_invalidate,
	.alloc_notifier = ctx_alloc,
	.free_notifier = ctx_free,
};

/*
 * The context of @mm, created if needed, marked busy so it stays hashed
 * until ctx_done().  Creating one needs the mmap write lock.
 */
static int ctx_get(struct mm_struct *mm, struct bugcheck_ublock_mm **out)
{
	struct bugcheck_ublock_mm *ctx;
	struct mmu_notifier *mn;

	mutex_lock(&bugcheck_ublock_mutex);
	ctx = ctx_find(mm);
	if (ctx)
		goto found;
	mutex_unlock(&bugcheck_ublock_mutex);

	/* Creation is serialised per mm by the mmap write lock. */
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	mutex_lock(&bugcheck_ublock_mutex);
	ctx = ctx_find(mm);
	if (!ctx) {
		mutex_unlock(&bugcheck_ublock_mutex);
		mn = mmu_notifier_get_locked(&bugcheck_ublock_mn_ops, mm);
		if (IS_ERR(mn)) {
			mmap_write_unlock(mm);
			return PTR_ERR(mn);
		}
		ctx = container_of(mn, struct bugcheck_ublock_mm, mn);
		mutex_lock(&bugcheck_ublock_mutex);
		hash_add(bugcheck_ublock_mms, &ctx->hnode, (unsigned long)mm);
		ctx->hashed = true;
	}
	mmap_write_unlock(mm);
found:
	ctx->busy++;
	mutex_unlock(&bugcheck_ublock_mutex);
	*out = ctx;
	return 0;
}

/* Drop the busy mark of ctx_get(), with bugcheck_ublock_mutex held. */
static void ctx_done(struct bugcheck_ublock_mm *ctx)
{
	lockdep_assert_held(&bugcheck_ublock_mutex);
	ctx->busy--;
}

/* Blocks the user @uid has now; mutex held. */
static u32 quota_count(kuid_t uid)
{
	struct bugcheck_ublock_quota *q;

	hash_for_each_possible(bugcheck_ublock_quotas, q, hnode,
			       __kuid_val(uid))
		if (uid_eq(q->uid, uid))
			return q->count;
	return 0;
}

/* May @ctx (of user @uid) take one more block at @addr? */
static int ctx_room(struct bugcheck_ublock_mm *ctx, kuid_t uid, u64 addr)
{
	struct bugcheck_ublock *b;

	lockdep_assert_held(&bugcheck_ublock_mutex);
	if (ctx->count >= READ_ONCE(blocks_per_process) ||
	    quota_count(uid) >= READ_ONCE(blocks_per_user) ||
	    bugcheck_ublock_total >= READ_ONCE(blocks_max))
		return -ENOSPC;
	list_for_each_entry(b, &ctx->blocks, mm_node)
		if (b->addr == addr)
			return -EEXIST;
	return 0;
}

/*
 * Charge @b's pinned pages against RLIMIT_MEMLOCK as io_uring does: to the
 * user (user->locked_vm), so that a user cannot multiply the limit by
 * starting processes; CAP_IPC_LOCK lifts the limit as it does for mlock().
 * The pages also show in the process's VmPin (mm->pinned_vm), as long-term
 * pins do.
 */
static int charge(struct bugcheck_ublock *b, struct mm_struct *mm)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK), nr = b->nr_pages;
	struct user_struct *user;
	long cur;

	if (limit != RLIM_INFINITY && !capable(CAP_IPC_LOCK)) {
		limit >>= PAGE_SHIFT;
		if (!limit)
			return -EPERM;
		user = get_uid(current_user());
		cur = atomic_long_read(&user->locked_vm);
		do {
			if (cur + nr > limit) {
				free_uid(user);
				return -ENOMEM;
			}
		} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur,
						  cur + nr));
		b->user = user;
	}
	atomic64_add(nr, &mm->pinned_vm);
	return 0;
}

/*
 * Pin the pages of @b, VMA by VMA, with the mmap read lock held.  Private
 * mappings are pinned for writing (FOLL_FORCE where not writable, as ptrace
 * does) so the pinned page is the process's own copy and stays the one it
 * sees; shared memory (shmem: MAP_SHARED|MAP_ANONYMOUS, memfd, SysV and
 * POSIX shm, tmpfs) is pinned as mapped.  Shared mappings of other files are
 * refused: a long-term pin on page cache of a writeback filesystem is not
 * safe.
 */
static int pin(struct mm_struct *mm, struct bugcheck_ublock *b)
{
	unsigned long a = b->addr & PAGE_MASK;
	unsigned long end = PAGE_ALIGN(b->addr + b->size);
	u32 done = 0;
	int ret;

	mmap_assert_locked(mm);
	while (a < end) {
		struct vm_area_struct *vma = find_vma(mm, a);
		unsigned int gup = FOLL_LONGTERM;
		unsigned long seg_end;
		long n, got;

		ret = -EFAULT;
		if (!vma || vma->vm_start > a || !(vma->vm_flags & VM_READ) ||
		    (vma->vm_flags & (VM_IO | VM_PFNMAP)))
			goto unpin;
		if (vma->vm_flags & VM_SHARED) {
			ret = -EOPNOTSUPP;
			if (!vma->vm_file || !shmem_file(vma->vm_file))
				goto unpin;
			if (vma->vm_flags & VM_WRITE)
				gup |= FOLL_WRITE;
		} else {
			gup |= FOLL_WRITE;
			if (!(vma->vm_flags & VM_WRITE))
				gup |= FOLL_FORCE;
		}
		seg_end = min(end, vma->vm_end);
		n = (seg_end - a) >> PAGE_SHIFT;
		got = bugcheck_pin_user_pages(a, n, gup, b->pages + done);
		if (got > 0)
			done += got;
		if (got != n) {
			ret = got < 0 && got != -EHWPOISON ? got : -EFAULT;
			goto unpin;
		}
		a = seg_end;
	}
	return 0;

unpin:
	unpin_user_pages(b->pages, done);
	return ret;
}

/**
 * bugcheck_ublock_register() - register a block of the caller's memory
 * @addr: first byte, in the calling process's address space
 * @size: bytes
 * @flags: 0
 *
 * Context: process context; takes the mmap lock; may sleep.
 * Return: 0; -EINVAL (flags, NULL, zero size, no mm), -E2BIG (over
 * block_size_max), -EFAULT (not all of it mapped and readable user memory),
 * -ENOSPC (blocks_per_process, blocks_per_user or blocks_max reached),
 * -EEXIST (a block
 * already starts at @addr), -EPERM/-ENOMEM (RLIMIT_MEMLOCK), -EOPNOTSUPP
 * (shared mapping of a non-shmem file), -EINTR (killed).
 */
int bugcheck_ublock_register(u64 addr, u64 size, u64 flags)
{
	struct bugcheck_ublock_quota *spare = NULL;
	struct mm_struct *mm = current->mm;
	kuid_t kuid = current_uid();
	struct bugcheck_ublock_mm *ctx;
	struct bugcheck_ublock *b;
	unsigned long nr, flags_irq;
	int ret;

	if (flags || !addr || !size || !mm)
		return -EINVAL;
	if (size > READ_ONCE(block_size_max))
		return -E2BIG;
	if (addr + size < addr || !access_ok(u64_to_user_ptr(addr), size))
		return -EFAULT;
	nr = (PAGE_ALIGN(addr + size) - (addr & PAGE_MASK)) >> PAGE_SHIFT;

	b = kvzalloc(struct_size(b, pages, nr), GFP_KERNEL_ACCOUNT);
	spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
	if (!b || !spare) {
		ret = -ENOMEM;
		goto free;
	}
	b->addr = addr;
	b->size = size;
	b->nr_pages = nr;
	b->pid = task_tgid_nr(current);
	b->uid = from_kuid_munged(&init_user_ns, kuid);
	__get_task_comm(b->comm, sizeof(b->comm), current->group_leader);

	ret = ctx_get(mm, &ctx);
	if (ret)
		goto free;
	b->ctx = ctx;

	/* Cheap refusals first, so a full process does not pin to no end. */
	mutex_lock(&bugcheck_ublock_mutex);
	ret = ctx_room(ctx, kuid, addr);
	mutex_unlock(&bugcheck_ublock_mutex);
	if (ret)
		goto done;
	ret = charge(b, mm);
	if (ret)
		goto done;
	if (mmap_read_lock_killable(mm)) {
		ret = -EINTR;
		goto uncharge;
	}
	ret = pin(mm, b);
	if (ret)
		goto unlock;

	/* Still under the mmap lock: no munmap can slip in before the notifier sees it. */
	mutex_lock(&bugcheck_ublock_mutex);
	ret = ctx_room(ctx, kuid, addr);
	if (ret) {
		mutex_unlock(&bugcheck_ublock_mutex);
		unpin_user_pages(b->pages, nr);
		goto unlock;
	}
	b->quota = quota_get(kuid, &spare);
	b->quota->count++;
	b->magic = BUGCHECK_UBLOCK_MAGIC;
	b->check = ublock_check(b);
	spin_lock(&ctx->lock);
	list_add_tail(&b->mm_node, &ctx->blocks);
	spin_unlock(&ctx->lock);
	raw_spin_lock_irqsave(&bugcheck_registry_lock, flags_irq);
	list_add_tail_rcu(&b->node, &bugcheck_ublocks);
	raw_spin_unlock_irqrestore(&bugcheck_registry_lock, flags_irq);
	ctx->count++;
	bugcheck_ublock_total++;
	ctx_done(ctx);
	mutex_unlock(&bugcheck_ublock_mutex);
	mmap_read_unlock(mm);
	kfree(spare);
	return 0;

unlock:
	mmap_read_unlock(mm);
uncharge:
	uncharge(b, mm);
done:
	mutex_lock(&bugcheck_ublock_mutex);
	ctx_done(ctx);
	mutex_unlock(&bugcheck_ublock_mutex);
free:
	kfree(spare);
	kvfree(b);
	return ret;
}

/**
 * bugcheck_ublock_unregister() - drop the caller's block starting at @addr
 * @addr: the address it was registered with
 *
 * The process's context (and its MMU notifier) stays until the process
 * exits, even when this was its last block.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for 0, or -ENOENT when the calling process has no
 * block starting at @addr.
 */
int bugcheck_ublock_unregister(u64 addr)
{
	struct mm_struct *mm = current->mm;
	struct bugcheck_ublock_mm *ctx;
	struct bugcheck_ublock *b, *found = NULL;

	if (!addr || !mm)
		return -EINVAL;
	mutex_lock(&bugcheck_ublock_mutex);
	ctx = ctx_find(mm);
	if (ctx) {
		list_for_each_entry(b, &ctx->blocks, mm_node) {
			if (b->addr == addr) {
				found = b;
				break;
			}
		}
	}
	if (found)
		ublock_unlink(found);
	mutex_unlock(&bugcheck_ublock_mutex);
	if (!found)
		return -ENOENT;
	ublock_free(found, mm);
	return 0;
}

/**
 * bugcheck_ublock_list() - the caller's blocks, in registration order
 * @out: filled with up to @max entries
 * @max: entries at @out
 *
 * Context: process context; may sleep.
 * Return: the number of blocks the calling process has (may exceed @max).
 */
u32 bugcheck_ublock_list(struct bugcheck_block_info *out, u32 max)
{
	if (!current->mm)
		return 0;
	return bugcheck_ublock_list_mm(current->mm, out, max);
}

/**
 * bugcheck_ublock_list_mm() - the blocks of an address space, in
 *	registration order
 * @mm: the address space; the caller holds a reference (mmget() or its own)
 * @out: filled with up to @max entries
 * @max: entries at @out
 *
 * Context: process context; may sleep.
 * Return: the number of blocks @mm has (may exceed @max).
 */
u32 bugcheck_ublock_list_mm(struct mm_struct *mm,
			    struct bugcheck_block_info *out, u32 max)
{
	struct bugcheck_ublock_mm *ctx;
	struct bugcheck_ublock *b;
	u32 n = 0;

	mutex_lock(&bugcheck_ublock_mutex);
	ctx = ctx_find(mm);
	if (ctx) {
		list_for_each_entry(b, &ctx->blocks, mm_node) {
			if (n < max) {
				out[n].addr = b->addr;
				out[n].size = b->size;
				out[n].flags = READ_ONCE(b->flags);
				out[n].pages = b->nr_pages;
			}
			n++;
		}
	}
	mutex_unlock(&bugcheck_ublock_mutex);
	return n;
}

/**
 * bugcheck_ublock_info() - limits, and what the caller and everyone use
 * @info: filled in
 *
 * Context: process context; may sleep.
 */
void bugcheck_ublock_info(struct bugcheck_dev_info *info)
{
	struct bugcheck_ublock_mm *ctx;
	struct bugcheck_ublock *b;

	memset(info, 0, sizeof(*info));
	info->api_version = BUGCHECK_DEV_API_VERSION;
	info->block_size_max = READ_ONCE(block_size_max);
	info->blocks_per_process = READ_ONCE(blocks_per_process);
	info->blocks_max = READ_ONCE(blocks_max);
	mutex_lock(&bugcheck_ublock_mutex);
	ctx = current->mm ? ctx_find(current->mm) : NULL;
	if (ctx) {
		info->blocks_registered = ctx->count;
		list_for_each_entry(b, &ctx->blocks, mm_node)
			info->pinned_pages += b->nr_pages;
	}
	info->blocks_total = bugcheck_ublock_total;
	mutex_unlock(&bugcheck_ublock_mutex);
}

/* debugfs bugcheck/blocks: every process's blocks. */
int bugcheck_ublock_show(struct seq_file *m, void *v)
{
	struct bugcheck_ublock *b;
	u64 pages = 0;

	seq_printf(m, "%-8s %-16s %-18s %8s %5s %s\n", "PID", "COMM", "ADDRESS",
		   "SIZE", "PAGES", "FLAGS");
	mutex_lock(&bugcheck_ublock_mutex);
	list_for_each_entry(b, &bugcheck_ublocks, node) {
		seq_printf(m, "%-8d %-16s 0x%016llx %8llu %5u %s\n", b->pid,
			   b->comm, b->addr, b->size, b->nr_pages,
			   READ_ONCE(b->flags) & BUGCHECK_BLOCK_F_UNMAPPED ?
				   "unmapped" :
				   "-");
		pages += b->nr_pages;
	}
	seq_printf(m, "total: %u blocks, %llu pages\n", bugcheck_ublock_total,
		   pages);
	mutex_unlock(&bugcheck_ublock_mutex);
	return 0;
}

/**
 * bugcheck_ublock_count() - blocks registered by all processes
 *
 * Context: any, lock-free (a bound for the bugcheck's walk).
 */
u32 bugcheck_ublock_count(void)
{
	return READ_ONCE(bugcheck_ublock_total);
}

/**
 * bugcheck_ublock_next() - the next block for the bugcheck to record
 * @pos: in: the last block visited, or NULL to start; out: the block returned
 * @walked: nodes visited so far (bounds the walk)
 * @v: filled with a validated copy of the block's description
 *
 * Reads every node with nofault copies and checks its magic, its CRC and
 * its page count, and stops after more nodes than are registered, so a
 * scribbled list ends the walk instead of sending it into the weeds.
 *
 * Context: bugcheck: interrupts off, other CPUs stopped or
 * bugcheck_registry_lock held.
 * Return: 1 with @v filled, 0 at the end, -EUCLEAN on a damaged list.
 */
int bugcheck_ublock_next(const void **pos, u32 *walked,
			 struct bugcheck_ublock_view *v)
{
	const struct list_head *from =
		*pos ? &((const struct bugcheck_ublock *)*pos)->node :
		       &bugcheck_ublocks;
	struct bugcheck_ublock snap;
	const struct bugcheck_ublock *b;
	struct list_head *next;

	if (copy_from_kernel_nofault(&next, &from->next, sizeof(next)))
		return -EUCLEAN;
	if (next == &bugcheck_ublocks)
		return 0;
	if (++*walked > bugcheck_ublock_count() + BUGCHECK_LIST_SLACK)
		return -EUCLEAN;
	b = container_of(next, struct bugcheck_ublock, node);
	if (copy_from_kernel_nofault(&snap, b, sizeof(snap)) ||
	    snap.magic != BUGCHECK_UBLOCK_MAGIC ||
	    snap.check != ublock_check(&snap) ||
	    snap.nr_pages != (PAGE_ALIGN(snap.addr + snap.size) -
			      (snap.addr & PAGE_MASK)) >>
				     PAGE_SHIFT)
		return -EUCLEAN;
	v->block = b;
	v->addr = snap.addr;
	v->size = snap.size;
	v->pid = snap.pid;
	v->uid = snap.uid;
	v->flags = snap.flags;
	memcpy(v->comm, snap.comm, sizeof(v->comm));
	v->comm[sizeof(v->comm) - 1] = '\0';
	*pos = b;
	return 1;
}

/**
 * bugcheck_ublock_copy() - copy the first @len bytes of a block
 * @c: the collector
 * @v: from bugcheck_ublock_next()
 * @dst: destination in the record
 * @len: bytes, at most @v->size
 *
 * Copies from the pinned pages' kernel mapping, page by page, the way the
 * collector copies any kernel memory (bugcheck_copy_kernel()).
 *
 * Context: bugcheck, as bugcheck_ublock_next().
 * Return: bytes copied; fewer than @len when a page could not be read.
 */
u32 bugcheck_ublock_copy(struct bugcheck_collector *c,
			 const struct bugcheck_ublock_view *v, u8 *dst, u32 len)
{
	const struct bugcheck_ublock *b = v->block;
	u32 off = offset_in_page(v->addr), done = 0, i;

	for (i = 0; done < len; i++, off = 0) {
		u32 n = min_t(u32, PAGE_SIZE - off, len - done);
		struct page *page;

		if (copy_from_kernel_nofault(&page, &b->pages[i],
					     sizeof(page)) ||
		    !page || !pfn_valid(page_to_pfn(page)) ||
		    bugcheck_copy_kernel(c, dst + done,
					 page_address(page) + off, n) != n)
			break;
		done += n;
	}
	return done;
}

/**
 * bugcheck_ublock_exit() - drop every block at unload
 *
 * /dev/bugcheck is gone and no fd is open (the module could not be unloading
 * otherwise), so only a concurrent ->release can race; it finds the
 * contexts unhashed.  mmu_notifier_synchronize() then waits until no
 * notifier callback of ours can run.
 *
 * Context: process context; may sleep.
 */
void bugcheck_ublock_exit(void)
{
	struct bugcheck_ublock_mm *ctx;
	struct bugcheck_ublock *b, *tmp;
	struct hlist_node *h;
	u32 nr_blocks = 0, nr_mms = 0;
	int bkt;

	for (;;) {
		LIST_HEAD(gone);

		mutex_lock(&bugcheck_ublock_mutex);
		ctx = NULL;
		hash_for_each_safe(bugcheck_ublock_mms, bkt, h, ctx, hnode)
			break;
		if (!ctx) {
			mutex_unlock(&bugcheck_ublock_mutex);
			break;
		}
		list_for_each_entry_safe(b, tmp, &ctx->blocks, mm_node) {
			ublock_unlink(b);
			list_add_tail(&b->mm_node, &gone);
		}
		hash_del(&ctx->hnode);
		ctx->hashed = false;
		mutex_unlock(&bugcheck_ublock_mutex);
		list_for_each_entry_safe(b, tmp, &gone, mm_node) {
			ublock_free(b, ctx->mn.mm);
			nr_blocks++;
		}
		nr_mms++;
		mmu_notifier_put(&ctx->mn);
	}
	mmu_notifier_synchronize();
	/* Blocks freed after a grace period: all of them, before the code goes. */
	rcu_barrier();
	wait_var_event(&bugcheck_ublock_freeing,
		       !atomic_read(&bugcheck_ublock_freeing));
	if (nr_blocks)
		pr_info("unload dropped %u user memory blocks of %u processes\n",
			nr_blocks, nr_mms);
}
