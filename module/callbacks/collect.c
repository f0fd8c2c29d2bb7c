// SPDX-License-Identifier: GPL-2.0
/*
 * The bugcheck itself: the run order, the walk over the registrations, and
 * what happens around each callback.  What each reason asks of its callback
 * is in data.c, pages.c and dumpio.c; how the record is laid out, in
 * record.c; the device and user-block phases live with their owners
 * (pm/phase.c, user/phase.c).
 *
 * At a real bugcheck this runs on the panicking CPU with interrupts off and
 * the other CPUs stopped: no allocation, no sleeping, no lock; every loop
 * has a bound; every pointer a callback hands back is read or written with
 * the *_nofault helpers.  Every callback runs as a guarded call (guard.c):
 * one that faults or panics is abandoned where it stood, marked FAILED with
 * a FAULT section saying how, and the bugcheck goes on with the next one.
 * Each phase runs guarded too, so even a fault in bugcheck's own code loses
 * only the rest of that phase.
 *
 * A simulate runs the same code in process context, one registration at a
 * time under the registry lock with interrupts off (callbacks see what they
 * would see at a bugcheck); between registrations the lock is free.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

struct phase {
	const char *name;
	void (*run)(struct bugcheck_collector *c, u32 reason);
	u32 reason;
};

static void run_reason(struct bugcheck_collector *c, u32 reason);
static void run_devices(struct bugcheck_collector *c, u32 reason);
static void run_user_blocks(struct bugcheck_collector *c, u32 reason);
static void run_dumpio(struct bugcheck_collector *c, u32 reason);

/*
 * The run order (docs/api.md#run-order):
 * - REMOVE_PAGES first, whatever happened before: the scrub is a promise,
 *   and nothing may copy memory before it is kept;
 * - then small, high-value data, then pages, legacy buffers and user
 *   processes' blocks (the kernel's own data wins when room runs out);
 * - crash-dump devices are powered on once the data is safe, for the sinks
 *   that need them;
 * - DUMP_IO last: it streams the finished record.
 */
static const struct phase phases[] = {
	{ "remove-pages", run_reason, BUGCHECK_CALLBACK_REMOVE_PAGES },
	{ "triage", run_reason, BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA },
	{ "secondary", run_reason, BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA },
	{ "multipart", run_reason,
	  BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA },
	{ "add-pages", run_reason, BUGCHECK_CALLBACK_ADD_PAGES },
	{ "legacy", run_reason, BUGCHECK_REASON_LEGACY },
	{ "user-blocks", run_user_blocks, BUGCHECK_RECORD_REASON_USER_BLOCKS },
	{ "devices", run_devices, BUGCHECK_RECORD_REASON_DEVICES },
	{ "dump-io", run_dumpio, BUGCHECK_CALLBACK_DUMP_IO },
};

#define CB_ERRORS_FAILED                                    \
	(BUGCHECK_CB_F_OVERRUN | BUGCHECK_CB_F_BAD_RESULT | \
	 BUGCHECK_CB_F_FAULTED)
#define CB_ERRORS_INCOMPLETE                                       \
	(BUGCHECK_CB_F_CLAMPED | BUGCHECK_CB_F_NO_SPACE |          \
	 BUGCHECK_CB_F_READ_ERROR | BUGCHECK_CB_F_TOO_MANY_CALLS | \
	 BUGCHECK_CB_F_REFUSED)

struct call {
	const struct bugcheck_reg *reg;
	enum bugcheck_callback_reason reason;
	void *data;
	size_t len;
};

static void call_fn(void *arg)
{
	const struct call *a = arg;

	if (a->reg->reason == BUGCHECK_REASON_LEGACY) {
		void (*fn)(void *buf, size_t len) = a->reg->callback;

		fn(a->reg->buffer, a->reg->length);
	} else {
		bugcheck_reason_callback_fn fn = a->reg->callback;

		fn(a->reason, a->reg->rec, a->data, a->len);
	}
}

/**
 * bugcheck_call() - call a registration's callback once, guarded
 * @c: the collector
 * @reg: the registration
 * @e: its entry
 * @reason: the reason passed to it
 * @data: the reason's structure
 * @len: its size
 *
 * Return: 0, or BUGCHECK_CB_F_FAULTED when the callback faulted or panicked
 * (a FAULT section says how); its runner then calls it no more.
 */
u32 bugcheck_call(struct bugcheck_collector *c, const struct bugcheck_reg *reg,
		  struct bugcheck_record_callback *e,
		  enum bugcheck_callback_reason reason, void *data, size_t len)
{
	struct call a = {
		.reg = reg, .reason = reason, .data = data, .len = len
	};
	struct bugcheck_guard g;

	e->calls++;
	if (c->simulate)
		WRITE_ONCE(bugcheck_collecting_cpu, raw_smp_processor_id());
	if (!bugcheck_guarded(c, &g, call_fn, &a)) {
		if (c->simulate)
			WRITE_ONCE(bugcheck_collecting_cpu, -1);
		return 0;
	}
	bugcheck_fault_section(c, e, &g.fault);
	return BUGCHECK_CB_F_FAULTED;
}

/* Is the registering module on its way out (its exit has run)? */
static bool owner_going(const struct bugcheck_reg *reg)
{
	enum module_state state;

	if (!reg->owner)
		return false;
	return copy_from_kernel_nofault(&state, &reg->owner->state,
					sizeof(state)) ||
	       state == MODULE_STATE_GOING;
}

static void finish(struct bugcheck_collector *c, const struct bugcheck_reg *reg,
		   struct bugcheck_record_callback *e, u32 state)
{
	e->state = state;
	bugcheck_mirror_result(reg, state, e->flags, e->bytes);
}

static void run_one(struct bugcheck_collector *c,
		    const struct bugcheck_reg *reg)
{
	struct bugcheck_record_callback *e;
	u32 flags = 0;

	e = bugcheck_new_entry(c, reg->component, reg->owner, reg->reason,
			       reg->callback, BUGCHECK_STATE_STARTED);
	/* The scrub always runs; the rest stop after too many faults. */
	if (reg->reason != BUGCHECK_CALLBACK_REMOVE_PAGES &&
	    c->faults >= BUGCHECK_MAX_FAULTS) {
		finish(c, reg, e, BUGCHECK_STATE_SKIPPED);
		return;
	}
	if (owner_going(reg)) {
		e->flags |= BUGCHECK_CB_F_OWNER_GONE;
		finish(c, reg, e, BUGCHECK_STATE_SKIPPED);
		return;
	}
	if (reg->reason != BUGCHECK_CALLBACK_REMOVE_PAGES &&
	    !bugcheck_room(c, 0)) {
		e->flags |= BUGCHECK_CB_F_NO_SPACE;
		bugcheck_hdr(c)->flags |= BUGCHECK_RECORD_F_TRUNCATED;
		finish(c, reg, e, BUGCHECK_STATE_SKIPPED);
		return;
	}
	bugcheck_mirror_result(reg, BUGCHECK_STATE_STARTED, 0, 0);
	c->context = NULL;
	switch (reg->reason) {
	case BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA:
		flags = bugcheck_run_secondary(c, reg, e);
		break;
	case BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA:
		flags = bugcheck_run_multipart(c, reg, e);
		break;
	case BUGCHECK_CALLBACK_REMOVE_PAGES:
		flags = bugcheck_run_remove_pages(c, reg, e);
		break;
	case BUGCHECK_CALLBACK_ADD_PAGES:
		flags = bugcheck_run_add_pages(c, reg, e);
		break;
	case BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA:
		flags = bugcheck_run_triage(c, reg, e);
		break;
	case BUGCHECK_REASON_LEGACY:
		flags = bugcheck_run_legacy(c, reg, e);
		break;
	}
	e->flags |= flags;
	if (e->flags & CB_ERRORS_FAILED)
		finish(c, reg, e, BUGCHECK_STATE_FAILED);
	else if (e->flags & CB_ERRORS_INCOMPLETE)
		finish(c, reg, e, BUGCHECK_STATE_INCOMPLETE);
	else
		finish(c, reg, e, BUGCHECK_STATE_FINISHED);
}

/*
 * One reason's registrations, last registered first.  The walk ends at the
 * end of the list or at the first slot that fails validation (the rest of
 * that list cannot be trusted).
 */
static void run_reason(struct bugcheck_collector *c, u32 reason)
{
	struct bugcheck_walk w;
	struct bugcheck_reg reg;
	int ret;

	bugcheck_walk_start(&w, reason, c->simulate);
	while ((ret = bugcheck_walk_next(&w, &reg)) > 0) {
		run_one(c, &reg);
		bugcheck_walk_step_done(&w);
	}
	if (ret < 0)
		bugcheck_hdr(c)->flags |= BUGCHECK_RECORD_F_LIST_CORRUPT;
}

static void run_devices(struct bugcheck_collector *c, u32 reason)
{
	bugcheck_devices_phase(c);
}

static void run_user_blocks(struct bugcheck_collector *c, u32 reason)
{
	bugcheck_user_blocks_phase(c);
}

static void run_dumpio(struct bugcheck_collector *c, u32 reason)
{
	bugcheck_dumpio_prepare(c);
	bugcheck_record_finalize(c);
	bugcheck_dumpio_stream(c);
}

struct phase_call {
	struct bugcheck_collector *c;
	const struct phase *p;
};

static void phase_fn(void *arg)
{
	const struct phase_call *pc = arg;

	pc->p->run(pc->c, pc->p->reason);
}

/*
 * A fault in bugcheck's own code (or in memory it trusted) ends the phase;
 * the record says so with a FAULT section owned by no callback.
 */
static void phase_failed(struct bugcheck_collector *c,
			 const struct bugcheck_guard *g)
{
	struct bugcheck_record_callback scratch = {};

	c->current_index = U32_MAX;
	if (!bugcheck_hdr(c)->used)
		bugcheck_fault_section(c, &scratch, &g->fault);
}

/**
 * bugcheck_collect() - build the record with @c
 * @c: collector with base, size, code, param, dump_type, simulate, message,
 *	cpu and task set; active and done are managed here
 *
 * Runs every phase once, each under a guard, and finishes the record
 * whatever happened in them.
 *
 * Context: a bugcheck (interrupts off, the only running CPU) or a simulate
 * (process context, serialised by the caller); see the top of this file.
 */
void bugcheck_collect(struct bugcheck_collector *c)
{
	struct phase_call pc = { .c = c };
	struct bugcheck_guard g;
	u32 i;

	c->faults = 0;
	c->guard = NULL;
	c->scrubbed = 0;
	c->done = false;
	WRITE_ONCE(c->active, true);
	bugcheck_record_start(c);
	for (i = 0; i < ARRAY_SIZE(phases); i++) {
		pc.p = &phases[i];
		if (bugcheck_guarded(c, &g, phase_fn, &pc))
			phase_failed(c, &g);
	}
	/* Finished already unless the dump-I/O phase itself failed early. */
	if (!(bugcheck_hdr(c)->flags & BUGCHECK_RECORD_F_COMPLETE))
		bugcheck_record_finalize(c);
	WRITE_ONCE(c->done, true);
	WRITE_ONCE(c->active, false);
}
