// SPDX-License-Identifier: GPL-2.0
/*
 * The device phase of the bugcheck: one DEVICE section per registered
 * crash-dump device, parents first, under one callback table entry of
 * bugcheck's own ("crashdump-devices").  It runs once the data is in the
 * record, just before the dump-I/O sinks that may need the devices.
 */

#include <linux/errno.h>
#include <linux/string.h>

#include "internal.h"

struct pm_call {
	u32 index;
	bool simulate;
	int ret;
	struct bugcheck_record_device *d;
};

static void pm_fn(void *arg)
{
	struct pm_call *a = arg;

	a->ret = bugcheck_pm_bugcheck(a->index, a->d, a->simulate);
}

static void device_section(struct bugcheck_collector *c,
			   struct bugcheck_record_callback *e,
			   const struct bugcheck_record_device *d, u32 index)
{
	struct bugcheck_record_section *s;

	if (bugcheck_room(c, 0) < sizeof(*d)) {
		bugcheck_dropped(c, e, sizeof(*d));
		return;
	}
	s = bugcheck_section_open(c);
	memcpy(s + 1, d, sizeof(*d));
	s->part = index;
	bugcheck_section_commit(c, s, BUGCHECK_SECTION_DEVICE, sizeof(*d), 0,
				e);
	if (d->result < 0 && !c->simulate)
		e->state = BUGCHECK_STATE_INCOMPLETE;
}

/**
 * bugcheck_devices_phase() - power on (or, simulating, describe) every device
 * @c: the collector
 *
 * A device whose power-on faults (its driver's hook, or an irq-safe
 * runtime-PM callback) is recorded with -EFAULT and the next one follows.
 */
void bugcheck_devices_phase(struct bugcheck_collector *c)
{
	u32 bound = bugcheck_pm_count() + BUGCHECK_LIST_SLACK, index;
	struct bugcheck_record_callback *e;
	struct bugcheck_record_device d;
	u32 entry;

	if (!bugcheck_pm_count())
		return;
	e = bugcheck_new_entry(c, "crashdump-devices", THIS_MODULE,
			       BUGCHECK_RECORD_REASON_DEVICES, NULL,
			       BUGCHECK_STATE_STARTED);
	entry = c->current_index;
	if (entry == U32_MAX)
		return;
	for (index = 0; index < bound; index++) {
		struct pm_call a = { .index = index,
				     .simulate = c->simulate,
				     .d = &d };
		struct bugcheck_guard g = {};

		memset(&d, 0, sizeof(d));
		e->calls++;
		if (bugcheck_guarded(c, &g, pm_fn, &a)) {
			/* Whatever the device got filled in before the fault stays. */
			d.result = -EFAULT;
			a.ret = 0;
			c->current_index = entry;
			bugcheck_fault_section(c, e, &g.fault);
			e->flags &= ~BUGCHECK_CB_F_FAULTED;
		} else if (a.ret) {
			break;
		}
		c->current_index = entry;
		device_section(c, e, &d, index);
	}
	if (e->state == BUGCHECK_STATE_STARTED)
		e->state = BUGCHECK_STATE_FINISHED;
}
