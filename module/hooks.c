// SPDX-License-Identifier: GPL-2.0
/*
 * Where the bugcheck starts: the panic notifier, the die notifier that turns
 * a callback's fault into an abandoned call instead of a lost dump, and the
 * crash_kexec_post_notifiers policy that decides whether any of it runs
 * before the capture kernel.
 *
 * Once the record is complete, bugcheck stays on guard for the rest of the
 * panic on the panicking CPU: a later panic notifier or kmsg dumper that
 * faults would otherwise kill the panicking task with every CPU stopped (the
 * default panic_on_oops=0) or re-run the whole panic.  Such a fault becomes
 * a nested panic, and a nested panic goes straight to the capture kernel.
 */

#include <linux/fs.h>
#include <linux/kdebug.h>
#include <linux/kexec.h>
#include <linux/kernfs.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/panic.h>
#include <linux/panic_notifier.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/traps.h>
#include <kunit/visibility.h>

#include "internal.h"

#define POST_NOTIFIERS_PARAM \
	"/sys/module/kernel/parameters/crash_kexec_post_notifiers"

static bool post_notifiers;
module_param(post_notifiers, bool, 0444);
MODULE_PARM_DESC(
	post_notifiers,
	"Turn crash_kexec_post_notifiers on at load, so the record is built before the capture kernel runs (default off: see docs/api.md for the cost)");

/* The record of a real bugcheck; readers find the area through this symbol. */
struct bugcheck_record_header *bugcheck_record;
struct bugcheck_collector bugcheck_panic_collector;

/* The simulate collector while it runs (debugfs.c), for the die notifier. */
struct bugcheck_collector *bugcheck_sim_collector;

/*
 * The first panic message, copied: panic() formats every message into one
 * static buffer, which a nested panic() overwrites; the record, parameter 0
 * and (restored at the end) the panic's own buffer keep the first one.
 */
static char first_message[1024];

/*
 * The last oopses seen, keyed by task: a panic that follows one on the same
 * task ("Fatal exception", possibly after the task was preempted and moved
 * to another CPU by oops_end()) is reported as that oops.  A small ring of
 * slots, each published with a sequence number, so CPUs oopsing at once do
 * not mix their fields.
 */
#define DIE_SLOTS 8
static struct bugcheck_die_slot {
	unsigned long seq; /* 0: being written */
	struct task_struct *task;
	u32 code;
	unsigned long param[4];
} die_slots[DIE_SLOTS];
static atomic_long_t die_seq = ATOMIC_LONG_INIT(0);

/* crash_kexec_post_notifiers as found through sysfs; NULL if not found. */
static bool *post_notifiers_flag;
static int post_notifiers_was = -1; /* value before load, -1: untouched */

/* get_taint() is not exported; test_taint() is. */
static unsigned long taint_mask(void)
{
	unsigned long mask = 0;
	int i;

	for (i = 0; i < TAINT_FLAGS_COUNT; i++)
		if (test_taint(i))
			mask |= BIT(i);
	return mask;
}

VISIBLE_IF_KUNIT void bugcheck_die_record(struct task_struct *task, u32 code,
					  struct pt_regs *regs,
					  unsigned long trap, long err,
					  const char *str)
{
	unsigned long seq = atomic_long_inc_return(&die_seq);
	struct bugcheck_die_slot *s = &die_slots[seq % DIE_SLOTS];

	WRITE_ONCE(s->seq, 0);
	/* Seq 0 before the fields: a reader never takes a half-written slot. */
	smp_wmb();
	s->task = task;
	s->code = code;
	s->param[0] = regs ? instruction_pointer(regs) : 0;
	s->param[1] = trap;
	s->param[2] = err;
	s->param[3] = (unsigned long)str;
	/* The fields before the seq: pairs with the reader's acquire. */
	smp_store_release(&s->seq, seq);
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_die_record);

/* The newest oops of @task, if any: its code and parameters. */
VISIBLE_IF_KUNIT bool bugcheck_die_lookup(struct task_struct *task, u32 *code,
					  unsigned long param[4])
{
	unsigned long best = 0;
	int i;

	for (i = 0; i < DIE_SLOTS; i++) {
		struct bugcheck_die_slot *s = &die_slots[i];
		/* Pairs with the writer's release: its fields are all visible. */
		unsigned long seq = smp_load_acquire(&s->seq);

		if (!seq || seq <= best || READ_ONCE(s->task) != task)
			continue;
		*code = s->code;
		memcpy(param, s->param, sizeof(s->param));
		/* Fields read before seq again: pairs with the writer's smp_wmb(). */
		smp_rmb();
		if (READ_ONCE(s->seq) == seq)
			best = seq;
	}
	return best != 0;
}
EXPORT_SYMBOL_IF_KUNIT(bugcheck_die_lookup);

/*
 * A callback's panic() reformatted panic()'s buffer: put the first message
 * back, so later notifiers, dumpers and crash see the real reason.  It was
 * in that buffer before, so it fits.
 */
static void restore_panic_message(char *msg)
{
	if (msg && strcmp(msg, first_message))
		memcpy(msg, first_message, strlen(first_message) + 1);
}

/* The record is complete and stays so; only its NESTED_PANIC flag is added. */
static void mark_nested_panic(struct bugcheck_collector *c)
{
	struct bugcheck_record_header *h = bugcheck_hdr(c);

	if (!(h->flags & BUGCHECK_RECORD_F_NESTED_PANIC)) {
		h->flags |= BUGCHECK_RECORD_F_NESTED_PANIC;
		h->crc32 = bugcheck_record_crc(c->base, h->used);
	}
}

static int bugcheck_panic_notify(struct notifier_block *nb, unsigned long event,
				 void *msg)
{
	struct bugcheck_collector *c = &bugcheck_panic_collector;
	int cpu = raw_smp_processor_id();

	if (READ_ONCE(c->active) && c->cpu == cpu) {
		/* A guarded callback panicked: abandon it and carry on there. */
		bugcheck_guard_panicked(c, msg);
		return NOTIFY_DONE;
	}
	if (READ_ONCE(c->done)) {
		/*
		 * A panic after the record was complete (a later notifier or
		 * kmsg dumper faulted): the record stays as it is, only marked,
		 * and no other notifier runs again.
		 */
		mark_nested_panic(c);
		return NOTIFY_STOP;
	}

	strscpy(first_message, msg ? msg : "", sizeof(first_message));
	if (!msg || strncmp(msg, "Fatal exception", 15) ||
	    !bugcheck_die_lookup(current, &c->code, c->param)) {
		c->code = BUGCHECK_CODE_PANIC;
		c->param[0] = (unsigned long)first_message;
		c->param[1] = cpu;
		c->param[2] = taint_mask();
		c->param[3] = 0;
	}
	c->dump_type = kexec_crash_loaded() ? BUGCHECK_DUMP_TYPE_KDUMP :
					      BUGCHECK_DUMP_TYPE_NONE;
	c->message = first_message;
	c->simulate = false;
	c->cpu = cpu;
	c->task = current;
	WRITE_ONCE(bugcheck_collecting_cpu, cpu);
	bugcheck_collect(c);
	restore_panic_message(msg);
	/*
	 * From here on a nested panic (a fault in a later notifier or
	 * dumper, see the die notifier) goes straight to the capture kernel:
	 * panic() reads the flag afresh on entry, while this panic keeps the
	 * value it read and runs the rest of the notifiers and dumpers.
	 */
	if (post_notifiers_flag)
		WRITE_ONCE(*post_notifiers_flag, false);
	return NOTIFY_DONE;
}

/* First in the chain: other notifiers may hang a dying machine. */
static struct notifier_block bugcheck_panic_nb = {
	.notifier_call = bugcheck_panic_notify,
	.priority = INT_MAX,
};

static int bugcheck_die_notify(struct notifier_block *nb, unsigned long val,
			       void *data)
{
	struct bugcheck_collector *sim = READ_ONCE(bugcheck_sim_collector);
	struct bugcheck_collector *c = &bugcheck_panic_collector;
	struct die_args *args = data;
	int cpu = raw_smp_processor_id();
	unsigned long trap;

	if (val != DIE_OOPS && val != DIE_INT3 && val != DIE_TRAP)
		return NOTIFY_DONE;
	trap = val == DIE_INT3 ? X86_TRAP_BP : args->trapnr;
	/* A kernel page fault reaches die() as "Oops", with a stale trap_nr. */
	if (val == DIE_OOPS && args->str && !strncmp(args->str, "Oops", 4))
		trap = X86_TRAP_PF;

	/*
	 * Inside the bugcheck: abandon the guarded call and go on.  Traps
	 * that do_error_trap() handles (BUG()'s invalid opcode, a divide
	 * error, ...) are taken at DIE_TRAP, before do_trap(): once die()
	 * returned, do_trap() would go on to signal the interrupted task as
	 * if it were a user-mode trap.
	 */
	if (READ_ONCE(c->active) && c->cpu == cpu) {
		unsigned long ip =
			args->regs ? instruction_pointer(args->regs) : 0;

		if (!bugcheck_guard_fixup(c, args->regs, trap, args->err,
					  args->str))
			return NOTIFY_DONE;
		/* die() printed the oops of the others; say what this one was. */
		if (val == DIE_TRAP)
			pr_emerg("abandoned a callback at %pS: %s\n",
				 (void *)ip, args->str);
		return NOTIFY_STOP;
	}
	if (val != DIE_OOPS)
		return NOTIFY_DONE;

	/* After it, on the panicking CPU: never let die() kill the panic. */
	if (READ_ONCE(c->done) && c->cpu == cpu) {
		mark_nested_panic(c);
		panic("bugcheck: fault after the record was complete: %s",
		      args->str);
	}

	/*
	 * Under simulate: bugcheck's own copies recover (a page freed under
	 * them); a callback that faults would fault at a real bugcheck too,
	 * so it becomes one.
	 */
	if (sim && sim->task == current && READ_ONCE(sim->guard)) {
		if (READ_ONCE(sim->guard)->recover)
			return bugcheck_guard_fixup(sim, args->regs, trap,
						    args->err, args->str) ?
				       NOTIFY_STOP :
				       NOTIFY_DONE;
		panic("bugcheck: a callback faulted during a simulated bugcheck: %s",
		      args->str);
	}

	bugcheck_die_record(current,
			    in_interrupt() ? BUGCHECK_CODE_DIE :
					     BUGCHECK_CODE_OOPS,
			    args->regs, trap, args->err, args->str);
	return NOTIFY_DONE;
}

static struct notifier_block bugcheck_die_nb = {
	.notifier_call = bugcheck_die_notify,
	/* Before kgdb and other debuggers: a guarded fault is ours. */
	.priority = INT_MAX,
};

/*
 * Find the kernel's crash_kexec_post_notifiers flag through its sysfs file:
 * the file's kernfs node carries the parameter's attribute, and after it
 * (struct param_attribute, kernel/params.c) the struct kernel_param whose
 * arg is the flag.  Nothing is trusted that does not check out: the
 * parameter must be a bool parameter of that name whose value is what the
 * file reads.  Every read is fault-safe.  Only used at a nested panic.
 */
static bool *find_post_notifiers_flag(struct file *f, bool value)
{
	const struct kernel_param *kp;
	struct kernel_param kcopy;
	struct module_attribute *mattr;
	struct kernfs_open_file *of;
	struct kernfs_node *kn;
	struct seq_file *seq;
	struct attribute *attr;
	char name[32];
	bool cur;

	seq = f->private_data;
	if (!seq || copy_from_kernel_nofault(&of, &seq->private, sizeof(of)) ||
	    !of || copy_from_kernel_nofault(&kn, &of->kn, sizeof(kn)) || !kn ||
	    copy_from_kernel_nofault(&attr, &kn->priv, sizeof(attr)) || !attr)
		return NULL;
	mattr = container_of(attr, struct module_attribute, attr);
	if (copy_from_kernel_nofault(&kp, mattr + 1, sizeof(kp)) || !kp ||
	    copy_from_kernel_nofault(&kcopy, kp, sizeof(kcopy)))
		return NULL;
	if (kcopy.ops != &param_ops_bool || !kcopy.arg ||
	    !bugcheck_strscpy_nofault(name, kcopy.name, sizeof(name)) ||
	    strcmp(name, "crash_kexec_post_notifiers") ||
	    copy_from_kernel_nofault(&cur, kcopy.arg, sizeof(cur)) ||
	    cur != value)
		return NULL;
	return kcopy.arg;
}

/* Read or write the core parameter through sysfs: it is not exported. */
static int post_notifiers_rw(bool write, bool *val, bool **flag)
{
	struct file *f;
	loff_t pos = 0;
	char buf[2] = {};
	ssize_t n;

	f = filp_open(POST_NOTIFIERS_PARAM, write ? O_WRONLY : O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (write) {
		n = kernel_write(f, *val ? "Y" : "N", 1, &pos);
	} else {
		n = kernel_read(f, buf, 1, &pos);
		*val = buf[0] == 'Y' || buf[0] == '1';
		if (n == 1 && flag)
			*flag = find_post_notifiers_flag(f, *val);
	}
	filp_close(f, NULL);
	return n == 1 ? 0 : (n < 0 ? n : -EIO);
}

static void bugcheck_post_notifiers_apply(void)
{
	bool cur = false, on = true;
	int ret;

	ret = post_notifiers_rw(false, &cur, &post_notifiers_flag);
	if (ret) {
		pr_warn("cannot read %s (%d): the record may be built only after kdump has taken over\n",
			POST_NOTIFIERS_PARAM, ret);
		return;
	}
	if (!post_notifiers_flag)
		pr_info("crash_kexec_post_notifiers not located: a panic after the record is complete runs the panic notifiers again\n");
	if (cur) {
		pr_info("crash_kexec_post_notifiers is on: the record is built before the capture kernel runs\n");
		return;
	}
	if (!post_notifiers) {
		pr_warn("crash_kexec_post_notifiers is off: with a crash kernel loaded, kdump starts BEFORE bugcheck runs and the vmcore holds NO bugcheck record (load with post_notifiers=1, or see bugcheckctl setup)\n");
		return;
	}
	ret = post_notifiers_rw(true, &on, NULL);
	if (ret) {
		pr_warn("cannot set crash_kexec_post_notifiers (%d): with a crash kernel loaded the vmcore holds NO bugcheck record\n",
			ret);
		return;
	}
	post_notifiers_was = 0;
	pr_warn("crash_kexec_post_notifiers turned ON (post_notifiers=1): panic notifiers, kmsg dumpers and the bugcheck record now run before the capture kernel\n");
}

/*
 * Put the setting back only if bugcheck changed it and it still reads as
 * bugcheck left it: an administrator who turned it off meanwhile keeps that.
 */
static void bugcheck_post_notifiers_restore(void)
{
	bool cur = false, off = false;

	if (post_notifiers_was != 0 || post_notifiers_rw(false, &cur, NULL) ||
	    !cur)
		return;
	if (!post_notifiers_rw(true, &off, NULL))
		pr_info("crash_kexec_post_notifiers restored to off\n");
}

int bugcheck_hooks_init(void *area, u32 size)
{
	int ret;

	bugcheck_panic_collector.base = area;
	bugcheck_panic_collector.size = size;
	bugcheck_record = area;
	ret = register_die_notifier(&bugcheck_die_nb);
	if (ret)
		return ret;
	atomic_notifier_chain_register(&panic_notifier_list,
				       &bugcheck_panic_nb);
	bugcheck_post_notifiers_apply();
	return 0;
}

void bugcheck_hooks_exit(void)
{
	bugcheck_post_notifiers_restore();
	atomic_notifier_chain_unregister(&panic_notifier_list,
					 &bugcheck_panic_nb);
	unregister_die_notifier(&bugcheck_die_nb);
	bugcheck_record = NULL;
}
