// SPDX-License-Identifier: GPL-2.0
/*
 * Where the bugcheck starts: the panic notifier, the die notifier that turns
 * a callback's fault into a re-entry instead of a lost dump, and the
 * crash_kexec_post_notifiers policy that decides whether any of it runs
 * before the capture kernel.
 */

#include <linux/fs.h>
#include <linux/kdebug.h>
#include <linux/kexec.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/panic.h>
#include <linux/panic_notifier.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "internal.h"

#define POST_NOTIFIERS_PARAM "/sys/module/kernel/parameters/crash_kexec_post_notifiers"

static bool post_notifiers = true;
module_param(post_notifiers, bool, 0444);
MODULE_PARM_DESC(post_notifiers,
		 "Set crash_kexec_post_notifiers at load so the record is built before the capture kernel runs (default on)");

/* The record of a real bugcheck; readers find the area through this symbol. */
struct bugcheck_record_header *bugcheck_record;
struct bugcheck_collector bugcheck_panic_collector;

/* The simulate collector while it runs (debugfs.c), for the die notifier. */
struct bugcheck_collector *bugcheck_sim_collector;

/* The last oops seen, so a panic that follows it is reported as one. */
static struct {
	int cpu;
	u32 code;
	unsigned long param[4];
} bugcheck_last_die = { .cpu = -1 };

static int post_notifiers_was = -1;	/* value before load, -1: untouched */

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

static int bugcheck_panic_notify(struct notifier_block *nb, unsigned long event,
				 void *msg)
{
	struct bugcheck_collector *c = &bugcheck_panic_collector;
	int cpu = raw_smp_processor_id();

	if (!c->active) {
		if (READ_ONCE(bugcheck_last_die.cpu) == cpu && msg &&
		    !strncmp(msg, "Fatal exception", 15)) {
			c->code = bugcheck_last_die.code;
			memcpy(c->param, bugcheck_last_die.param, sizeof(c->param));
		} else {
			c->code = BUGCHECK_CODE_PANIC;
			c->param[0] = (unsigned long)msg;
			c->param[1] = cpu;
			c->param[2] = taint_mask();
			c->param[3] = 0;
		}
		c->dump_type = kexec_crash_loaded() ? BUGCHECK_DUMP_TYPE_KDUMP :
						      BUGCHECK_DUMP_TYPE_NONE;
		c->message = msg;
		c->simulate = false;
	}
	WRITE_ONCE(bugcheck_collecting_cpu, cpu);
	bugcheck_collect(c);
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

	if (val != DIE_OOPS)
		return NOTIFY_DONE;
	/*
	 * A fault inside the bugcheck (a callback, normally): left alone, die()
	 * would kill the panicking task and no dump would ever be taken.
	 * panic() is re-entrant on the panicking CPU and brings us back to
	 * bugcheck_collect(), which marks the callback failed and goes on.  A
	 * callback that faults under simulate would fault at a real bugcheck
	 * too, so it becomes one.
	 */
	if ((READ_ONCE(c->active) && c->cpu == cpu) || (sim && sim->cpu == cpu))
		panic("bugcheck: a callback faulted during the bugcheck: %s",
		      args->str);

	bugcheck_last_die.code = in_interrupt() ? BUGCHECK_CODE_DIE :
						  BUGCHECK_CODE_OOPS;
	bugcheck_last_die.param[0] = args->regs ? instruction_pointer(args->regs) : 0;
	bugcheck_last_die.param[1] = args->trapnr;
	bugcheck_last_die.param[2] = args->err;
	bugcheck_last_die.param[3] = (unsigned long)args->str;
	WRITE_ONCE(bugcheck_last_die.cpu, cpu);
	return NOTIFY_DONE;
}

static struct notifier_block bugcheck_die_nb = {
	.notifier_call = bugcheck_die_notify,
};

/* Read or write the core parameter through sysfs: it is not exported. */
static int post_notifiers_rw(bool write, bool *val)
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
	}
	filp_close(f, NULL);
	return n == 1 ? 0 : (n < 0 ? n : -EIO);
}

static void bugcheck_post_notifiers_apply(void)
{
	bool cur = false, on = true;
	int ret;

	ret = post_notifiers_rw(false, &cur);
	if (ret) {
		pr_warn("cannot read %s (%d): the record may be built only after kdump has taken over\n",
			POST_NOTIFIERS_PARAM, ret);
		return;
	}
	if (!post_notifiers) {
		pr_warn("post_notifiers=0 and crash_kexec_post_notifiers is %s: %s\n",
			cur ? "on" : "off",
			cur ? "the record is built before the capture kernel runs" :
			      "with a crash kernel loaded, kdump starts BEFORE bugcheck runs and the vmcore holds NO bugcheck record");
		return;
	}
	if (cur) {
		pr_warn("crash_kexec_post_notifiers already on: the record is built before the capture kernel runs\n");
		return;
	}
	ret = post_notifiers_rw(true, &on);
	if (ret) {
		pr_warn("cannot set crash_kexec_post_notifiers (%d): with a crash kernel loaded the vmcore holds NO bugcheck record\n",
			ret);
		return;
	}
	post_notifiers_was = 0;
	pr_warn("crash_kexec_post_notifiers turned ON (was off): panic notifiers, kmsg dumpers and the bugcheck record now run before the capture kernel; load with post_notifiers=0 to keep it off\n");
}

static void bugcheck_post_notifiers_restore(void)
{
	bool off = false;

	if (post_notifiers_was == 0 && !post_notifiers_rw(true, &off))
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
	atomic_notifier_chain_register(&panic_notifier_list, &bugcheck_panic_nb);
	bugcheck_post_notifiers_apply();
	return 0;
}

void bugcheck_hooks_exit(void)
{
	bugcheck_post_notifiers_restore();
	atomic_notifier_chain_unregister(&panic_notifier_list, &bugcheck_panic_nb);
	unregister_die_notifier(&bugcheck_die_nb);
	bugcheck_record = NULL;
}
