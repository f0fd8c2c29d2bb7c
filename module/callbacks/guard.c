// SPDX-License-Identifier: GPL-2.0
/*
 * Guarded calls: a callback that faults, hits BUG() or calls panic() during
 * the bugcheck is abandoned where it stood, and the bugcheck goes on with
 * the next one, on the same stack, at the same depth.
 *
 * Every callback runs through bugcheck_guarded(), which records where it
 * was called from (guard_64.S).  A fault inside it reaches die(); bugcheck's
 * die notifier (hooks.c) calls bugcheck_guard_fixup(), which rewrites the
 * trap frame so that the trap returns to the guarded call's return address
 * with the saved stack, and tells die() the oops is handled.  A panic()
 * inside it reaches bugcheck's panic notifier instead, which has no trap
 * frame to rewrite: bugcheck_guard_panicked() makes one with an int3 that
 * only the die notifier answers.
 *
 * The alternative - letting the nested panic() run the panic notifiers
 * again and resuming from there - leaves a full exception + oops + panic
 * frame set on the stack for every fault; from the NMI stack of a hard
 * lockup or a deep IRQ path a few faults overflow it into a double fault.
 *
 * What a guarded call leaves behind when abandoned: the locks it held, and
 * the preemption and RCU nesting it had entered.  At a real bugcheck none
 * of that matters any more.  A simulate does not recover: a callback that
 * faults there brings the machine down as a real bugcheck (hooks.c).
 */

#include <linux/kasan.h>
#include <linux/kernel.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include <asm/irqflags.h>
#include <asm/traps.h>

#include "internal.h"

/* %rsi of the int3 in bugcheck_guard_panicked(): "bugcheck" in ASCII. */
#define GUARD_TRAP_MAGIC 0x6b63656863677562UL

#ifdef CONFIG_KASAN_GENERIC
/* Exported (mm/kasan/shadow.c), declared only in mm/kasan/kasan.h. */
void kasan_poison(const void *addr, size_t size, u8 value, bool init);

/*
 * The abandoned frames lie below the guarded call's stack pointer and keep
 * their redzones poisoned; clear them so the stack can be reused.
 */
static void unpoison_abandoned(const struct bugcheck_guard *g)
{
	unsigned long lo =
		round_down(g->fault_sp, (1UL << KASAN_SHADOW_SCALE_SHIFT));
	unsigned long hi = round_down(g->sp, (1UL << KASAN_SHADOW_SCALE_SHIFT));

	/* Only when the fault was on the guarded call's own stack. */
	if (lo && lo < hi && hi - lo <= THREAD_SIZE)
		kasan_poison((void *)lo, hi - lo, 0, false);
}
#else
static void unpoison_abandoned(const struct bugcheck_guard *g)
{
}
#endif

/**
 * bugcheck_guarded() - call fn(arg) under a guard of @c
 * @c: the collector whose bugcheck this is
 * @g: the guard, on the caller's stack
 * @fn: the function
 * @arg: its argument
 *
 * Guards nest; a fault is turned back to the innermost one.
 *
 * Context: the bugcheck, on @c's CPU.
 * Return: 0 when @fn returned, 1 when it was abandoned (@g->fault says how).
 */
int bugcheck_guarded(struct bugcheck_collector *c, struct bugcheck_guard *g,
		     void (*fn)(void *), void *arg)
{
	int ret;

	BUILD_BUG_ON(offsetof(struct bugcheck_guard, sp) != 0);
	BUILD_BUG_ON(offsetof(struct bugcheck_guard, bp) != 8);
	BUILD_BUG_ON(offsetof(struct bugcheck_guard, ip) != 16);
	BUILD_BUG_ON(offsetof(struct bugcheck_guard, faulted) != 24);

	memset(&g->fault, 0, sizeof(g->fault));
	g->fault_sp = 0;
	g->outer = c->guard;
	WRITE_ONCE(c->guard, g);
	barrier();
	ret = bugcheck_guard_call(g, fn, arg);
	barrier();
	WRITE_ONCE(c->guard, g->outer);
	if (ret) {
		c->faults++;
		unpoison_abandoned(g);
	}
	return ret;
}

/* Point the trap frame @regs at @g's return; the trap then returns there. */
static void guard_return(struct bugcheck_guard *g, struct pt_regs *regs)
{
	g->fault_sp = regs->sp;
	WRITE_ONCE(g->faulted, 1);
	regs->ip = g->ip;
	regs->sp = g->sp;
	regs->bp = g->bp;
	regs->bx = (unsigned long)g;
	/* The bugcheck runs with interrupts off, whatever the callback did. */
	regs->flags &= ~X86_EFLAGS_IF;
}

/**
 * bugcheck_guard_fixup() - the die notifier's part: abandon the guarded call
 * @c: the collector running on this CPU
 * @regs: the trap frame of the fault
 * @trap: its trap number
 * @err: its error code
 * @str: the die() string
 *
 * A double fault or a machine check is not returned from (the handlers
 * panic after die()); nor is a fault in user mode.  The panic that follows
 * reaches bugcheck_guard_panicked().
 *
 * Context: die notifier on @c's CPU.
 * Return: true when @regs now returns to the guarded call.
 */
bool bugcheck_guard_fixup(struct bugcheck_collector *c, struct pt_regs *regs,
			  unsigned long trap, long err, const char *str)
{
	struct bugcheck_guard *g = READ_ONCE(c->guard);

	if (!g || !regs || user_mode(regs))
		return false;
	if (trap == X86_TRAP_BP && regs->si == GUARD_TRAP_MAGIC &&
	    regs->di == (unsigned long)g) {
		/* bugcheck_guard_panicked() filled in the fault already. */
		guard_return(g, regs);
		return true;
	}
	if (trap == X86_TRAP_DF || trap == X86_TRAP_MC || trap == X86_TRAP_NMI)
		return false;
	g->fault.ip = regs->ip;
	g->fault.trap = trap;
	g->fault.error_code = err;
	if (str)
		strscpy(g->fault.what, str, sizeof(g->fault.what));
	guard_return(g, regs);
	return true;
}

/**
 * bugcheck_guard_panicked() - the panic notifier's part: abandon the guarded call
 * @c: the collector running on this CPU
 * @msg: the panic message
 *
 * Does not return when a guard is active: an int3 hands the die notifier a
 * trap frame to point at the guarded call's return.
 *
 * Context: panic notifier on @c's CPU.
 */
void bugcheck_guard_panicked(struct bugcheck_collector *c, const char *msg)
{
	struct bugcheck_guard *g = READ_ONCE(c->guard);

	if (!g)
		return;
	memset(&g->fault, 0, sizeof(g->fault));
	g->fault.trap = BUGCHECK_FAULT_TRAP_PANIC;
	if (msg)
		strscpy(g->fault.what, msg, sizeof(g->fault.what));
	asm volatile("int3" : : "D"(g), "S"(GUARD_TRAP_MAGIC) : "memory");
	/* Only reached if no die notifier answered: nothing else to do. */
}
