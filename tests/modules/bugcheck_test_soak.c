// SPDX-License-Identifier: GPL-2.0
/*
 * Soak clients: registers the clients of one soak plan (tests/soak/gen.py),
 * each contributing bytes that gen.py recomputes from (seed, client, offset),
 * some of them misbehaving on purpose.  Never load it on a machine you care
 * about: its misbehaving callbacks fault and panic.
 *
 *   seed=S           the plan's seed (the byte formula's first input)
 *   mirror_size=N    bytes of each DUMP_IO sink's mirror (the record size)
 *   plan=C;C;...     one client each, C = idx:kind:mis:at:own:guid:n:v1:...:vn
 *                    kind: the reason (1..6), or 7 for a legacy callback
 *                    mis:  enum soak_mis; at: the call it misbehaves on
 *                    own:  a SECONDARY client hands back its own buffer
 *                    guid: the client whose tag it uses
 *                    v:    sizes (bytes, parts, blocks or pages, per kind)
 *
 * Built twice: bugcheck_test_soak, and bugcheck_test_soak_gone (SOAK_UNLOADS_REGISTERED),
 * whose exit does not deregister, for the clients that unload without it.
 * The check finds the removed ranges and the sinks' mirrors in the vmcore
 * through bugcheck_soak_removed and bugcheck_soak_mirrors.
 */

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "bugcheck.h"

#define SOAK_MAX_CLIENTS 64
#define SOAK_MAX_VALUES 16
#define SOAK_RM_REF BIT(30)
#define SOAK_LIE_EXTRA 100
#define SOAK_LEGACY 7
#define SOAK_MIRROR_HDR 64
#define SOAK_MIRROR_MAGIC 0x5252494d4b414f53ULL /* "SOAKMIRR" */

#ifdef SOAK_UNLOADS_REGISTERED
#define SOAK_DEREGISTERS_AT_EXIT false
#else
#define SOAK_DEREGISTERS_AT_EXIT true
#endif

/* What a client does wrong; the numbers are gen.py's. */
enum soak_mis {
	SOAK_NONE,
	SOAK_FAULT, /* reads through a bad pointer */
	SOAK_PANIC, /* calls panic() */
	SOAK_OVERRUN, /* writes past in_buffer_length */
	SOAK_LIE_LONG, /* claims more bytes than it was given */
	SOAK_LIE_NULL, /* claims bytes with a NULL out_buffer */
	SOAK_LIE_BADPTR, /* hands back an unmapped out_buffer */
	SOAK_LIE_RANGE, /* names a range that is not page aligned */
	SOAK_LIE_ARRAY, /* hands back a triage array never set up */
	SOAK_LIE_TRUNC, /* adds more triage blocks than its array holds */
	SOAK_GONE, /* unloads without deregistering */
};

struct soak_client {
	struct bugcheck_reason_callback_record rec;
	struct bugcheck_callback_record legacy;
	u32 idx, kind, mis, at, own, guid_of, n;
	u32 v[SOAK_MAX_VALUES];
	char name[24];
	guid_t guid;
	u8 *buf; /* its data, or its legacy buffer */
	size_t buf_len;
	struct bugcheck_triage_dump_data_array *array, *bad_array;
	u32 rm_first; /* REMOVE_PAGES: page offset of its ranges */
	u32 sink; /* DUMP_IO: its mirror */
	u64 mp_off;
	bool registered;
};

static unsigned int seed;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "The plan's seed");
static unsigned int mirror_size = SZ_1M;
module_param(mirror_size, uint, 0444);
MODULE_PARM_DESC(mirror_size, "Bytes of each DUMP_IO mirror");
static char *plan = "-";
module_param(plan, charp, 0444);
MODULE_PARM_DESC(plan, "The clients, as tests/soak/gen.py writes them");

/* A read the compiler cannot fold: the "fault" misbehaviour. */
static unsigned long soak_fault_address = 0x10;

static struct soak_client *clients;
static u32 nr_clients;

/* Every REMOVE_PAGES range, one after the other; and the sinks' mirrors. */
void *bugcheck_soak_removed;
u32 bugcheck_soak_removed_pages;
void *bugcheck_soak_mirrors;
u32 bugcheck_soak_nr_mirrors;

/* Byte @off of client @client's data; gen.py's soak_byte(). */
static u8 soak_byte(u32 client, u64 off)
{
	u32 k = seed * 131 + client * 37;
	u32 m = (seed ^ (client * 7)) * 2 + 1;

	return (u8)(k + off * m + (off >> 8) * 29 + (off >> 16) * 97);
}

static void soak_fill(u8 *dst, u32 client, u64 off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = soak_byte(client, off + i);
}

static void soak_misbehave(struct soak_client *c)
{
	if (c->mis == SOAK_FAULT)
		c->mp_off += READ_ONCE(*(u32 *)READ_ONCE(soak_fault_address));
	else if (c->mis == SOAK_PANIC)
		panic("soak-%u panics", c->idx);
}

static struct soak_client *soak_find(u32 idx)
{
	u32 i;

	for (i = 0; i < nr_clients; i++)
		if (clients[i].idx == idx)
			return &clients[i];
	return NULL;
}

/* The bytes a client that overruns writes past its buffer (within the guard). */
static u32 overrun_bytes(const struct soak_client *c)
{
	return 8 + c->idx % 57;
}

static void soak_secondary(struct soak_client *c,
			   struct bugcheck_secondary_dump_data *d)
{
	u32 n;

	d->guid = c->guid;
	if (!d->out_buffer) {
		d->out_buffer_length = c->v[0];
		return;
	}
	soak_misbehave(c);
	n = d->in_buffer_length;
	if (c->own) {
		d->out_buffer = c->buf;
		d->out_buffer_length = n;
		return;
	}
	soak_fill(d->in_buffer, c->idx, 0,
		  n + (c->mis == SOAK_OVERRUN ? overrun_bytes(c) : 0));
	d->out_buffer_length = n;
	if (c->mis == SOAK_LIE_LONG)
		d->out_buffer_length = n + SOAK_LIE_EXTRA;
	else if (c->mis == SOAK_LIE_NULL)
		d->out_buffer = NULL;
	else if (c->mis == SOAK_LIE_BADPTR)
		d->out_buffer = (void *)READ_ONCE(soak_fault_address);
}

static void soak_multipart(struct soak_client *c,
			   struct bugcheck_secondary_dump_data_ex *d)
{
	unsigned long part = (unsigned long)d->context;
	u32 avail = d->in_buffer_length, want, claim;
	u32 mis = part == c->at ? c->mis : SOAK_NONE;

	if (!part)
		c->mp_off = 0;
	if (part >= c->n)
		return;
	d->context = (void *)(part + 1);
	d->guid = c->guid;
	if (mis == SOAK_FAULT || mis == SOAK_PANIC)
		soak_misbehave(c);
	want = c->v[part];
	claim = min(want, avail);
	switch (mis) {
	case SOAK_OVERRUN:
		soak_fill(d->in_buffer, c->idx, c->mp_off,
			  avail + overrun_bytes(c));
		claim = avail;
		break;
	case SOAK_LIE_LONG:
		soak_fill(d->in_buffer, c->idx, c->mp_off, avail);
		claim = avail + SOAK_LIE_EXTRA;
		break;
	case SOAK_LIE_NULL:
		d->out_buffer = NULL;
		claim = want;
		break;
	default:
		soak_fill(d->in_buffer, c->idx, c->mp_off, claim);
	}
	d->out_buffer_length = claim;
	c->mp_off += claim;
	if (part + 1 < c->n)
		d->flags |= BUGCHECK_SECONDARY_DATA_FLAG_ADDITIONAL_DATA;
}

static void soak_triage(struct soak_client *c,
			struct bugcheck_triage_dump_data *d)
{
	u32 b, cap = c->mis == SOAK_LIE_TRUNC ? c->n - 1 : c->n;
	size_t size = BUGCHECK_TRIAGE_ARRAY_SIZE(cap), off = 0;

	soak_misbehave(c);
	if (c->mis == SOAK_LIE_ARRAY) {
		d->data_array = c->bad_array;
		return;
	}
	if (bugcheck_init_triage_dump_data_array(c->array, size))
		return;
	for (b = 0; b < c->n; off += c->v[b], b++)
		bugcheck_add_triage_dump_data_block(c->array, c->buf + off,
						    c->v[b]);
	d->data_array = c->array;
}

/* Where range @r of REMOVE_PAGES client @c lies, and its pages. */
static void *removed_range(const struct soak_client *c, u32 r, u32 *pages)
{
	u32 i, off = c->rm_first;

	for (i = 0; i < r; i++)
		off += c->v[i];
	*pages = c->v[r];
	return bugcheck_soak_removed + (size_t)off * PAGE_SIZE;
}

/* ADD_PAGES and REMOVE_PAGES share their layout (bugcheck.h). */
static void soak_pages(struct soak_client *c, struct bugcheck_add_pages *d)
{
	unsigned long call = (unsigned long)d->context;
	u32 v, i, pages = 0, off = 0;
	void *addr = NULL;

	if (call >= c->n)
		return;
	d->context = (void *)(call + 1);
	if (call == c->at)
		soak_misbehave(c);
	v = c->v[call];
	if (c->kind == BUGCHECK_CALLBACK_REMOVE_PAGES) {
		addr = removed_range(c, call, &pages);
	} else if (v >= SOAK_RM_REF) {
		struct soak_client *q = soak_find((v - SOAK_RM_REF) / 16);

		if (q && q->kind == BUGCHECK_CALLBACK_REMOVE_PAGES &&
		    bugcheck_soak_removed)
			addr = removed_range(q, (v - SOAK_RM_REF) % 16, &pages);
	} else {
		for (i = 0; i < call; i++)
			if (c->v[i] < SOAK_RM_REF)
				off += c->v[i];
		addr = c->buf + (size_t)off * PAGE_SIZE;
		pages = v;
	}
	d->flags = call + 1 < c->n ?
			   BUGCHECK_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST :
			   0;
	if (!addr)
		return;
	d->flags |= BUGCHECK_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;
	d->address = (unsigned long)addr +
		     (call == c->at && c->mis == SOAK_LIE_RANGE);
	d->count = pages;
}

static void soak_sink(struct soak_client *c, const struct bugcheck_dump_io *io)
{
	u64 *hdr = bugcheck_soak_mirrors +
		   (size_t)c->sink * (SOAK_MIRROR_HDR + mirror_size);
	u8 *mirror = (u8 *)hdr + SOAK_MIRROR_HDR;

	if (io->type == BUGCHECK_DUMP_IO_HEADER) {
		hdr[1] = 0;
		hdr[2] = 0;
		hdr[3] = 0;
	}
	if (hdr[2] == c->at)
		soak_misbehave(c);
	hdr[2]++;
	if (io->type == BUGCHECK_DUMP_IO_COMPLETE) {
		hdr[1] = io->offset;
		hdr[3] = 1;
	} else if (io->buffer && io->offset <= mirror_size &&
		   io->buffer_length <= mirror_size - io->offset) {
		memcpy(mirror + io->offset, io->buffer, io->buffer_length);
	}
}

static void soak_callback(enum bugcheck_callback_reason reason,
			  struct bugcheck_reason_callback_record *rec,
			  void *reason_data, size_t reason_data_len)
{
	struct soak_client *c = container_of(rec, struct soak_client, rec);

	if (reason != c->kind || !reason_data)
		return;
	switch (reason) {
	case BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA:
		if (reason_data_len >=
		    sizeof(struct bugcheck_secondary_dump_data))
			soak_secondary(c, reason_data);
		break;
	case BUGCHECK_CALLBACK_SECONDARY_MULTIPART_DUMP_DATA:
		if (reason_data_len >=
		    sizeof(struct bugcheck_secondary_dump_data_ex))
			soak_multipart(c, reason_data);
		break;
	case BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA:
		if (reason_data_len >= sizeof(struct bugcheck_triage_dump_data))
			soak_triage(c, reason_data);
		break;
	case BUGCHECK_CALLBACK_ADD_PAGES:
	case BUGCHECK_CALLBACK_REMOVE_PAGES:
		if (reason_data_len >= sizeof(struct bugcheck_add_pages))
			soak_pages(c, reason_data);
		break;
	case BUGCHECK_CALLBACK_DUMP_IO:
		if (reason_data_len >= sizeof(struct bugcheck_dump_io))
			soak_sink(c, reason_data);
		break;
	}
}

/* A legacy callback only gets its buffer: find whose it is. */
static void soak_legacy(void *buf, size_t len)
{
	u32 i;

	for (i = 0; i < nr_clients; i++) {
		struct soak_client *c = &clients[i];

		if (c->kind == SOAK_LEGACY && c->buf == buf) {
			soak_misbehave(c);
			soak_fill(buf, c->idx, 0, len);
			return;
		}
	}
}

static int parse_client(char *spec, struct soak_client *c)
{
	u32 f[7 + SOAK_MAX_VALUES];
	u32 nf = 0, i;
	char *tok;

	while ((tok = strsep(&spec, ":"))) {
		if (nf >= ARRAY_SIZE(f) || kstrtou32(tok, 10, &f[nf]))
			return -EINVAL;
		nf++;
	}
	if (nf < 7 || f[6] > SOAK_MAX_VALUES || nf != 7 + f[6] || !f[1] ||
	    f[1] > SOAK_LEGACY || f[2] > SOAK_GONE)
		return -EINVAL;
	c->idx = f[0];
	c->kind = f[1];
	c->mis = f[2];
	c->at = f[3];
	c->own = f[4];
	c->guid_of = f[5];
	c->n = f[6];
	for (i = 0; i < c->n; i++)
		c->v[i] = f[7 + i];
	if ((c->kind == BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA ||
	     c->kind == SOAK_LEGACY) &&
	    c->n != 1)
		return -EINVAL;
	if ((c->kind == BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA ||
	     c->kind == BUGCHECK_CALLBACK_REMOVE_PAGES ||
	     c->kind == BUGCHECK_CALLBACK_ADD_PAGES) &&
	    !c->n)
		return -EINVAL;
	for (i = 0; i < sizeof(c->guid); i++)
		c->guid.b[i] = soak_byte(c->guid_of, (1ULL << 40) + i);
	snprintf(c->name, sizeof(c->name), "soak-%u", c->idx);
	return 0;
}

/* Memory a client needs, allocated and filled now: never at the bugcheck. */
static int prepare_client(struct soak_client *c)
{
	size_t len = 0;
	u32 i;

	switch (c->kind) {
	case BUGCHECK_CALLBACK_SECONDARY_DUMP_DATA:
		len = c->own ? c->v[0] : 0;
		break;
	case BUGCHECK_CALLBACK_TRIAGE_DUMP_DATA:
		for (i = 0; i < c->n; i++)
			len += c->v[i];
		c->array =
			kzalloc(BUGCHECK_TRIAGE_ARRAY_SIZE(c->n), GFP_KERNEL);
		c->bad_array =
			kzalloc(BUGCHECK_TRIAGE_ARRAY_SIZE(c->n), GFP_KERNEL);
		if (!c->array || !c->bad_array)
			return -ENOMEM;
		break;
	case BUGCHECK_CALLBACK_ADD_PAGES:
		for (i = 0; i < c->n; i++)
			if (c->v[i] < SOAK_RM_REF)
				len += (size_t)c->v[i] * PAGE_SIZE;
		break;
	case SOAK_LEGACY:
		len = c->v[0];
		break;
	}
	c->buf_len = len;
	if (!len)
		return 0;
	c->buf = vmalloc(len);
	if (!c->buf)
		return -ENOMEM;
	if (c->kind == SOAK_LEGACY)
		memset(c->buf, 0xee, len); /* its callback fills it */
	else
		soak_fill(c->buf, c->idx, 0, len);
	return 0;
}

static int register_client(struct soak_client *c)
{
	int ret;

	if (c->kind == SOAK_LEGACY)
		ret = bugcheck_register_callback(&c->legacy, soak_legacy,
						 c->buf, c->buf_len, c->name);
	else
		ret = bugcheck_register_reason_callback(&c->rec, soak_callback,
							c->kind, c->name);
	if (!ret)
		c->registered = true;
	return ret;
}

static void deregister_client(struct soak_client *c)
{
	if (c->registered && c->kind == SOAK_LEGACY)
		bugcheck_deregister_callback(&c->legacy);
	else if (c->registered)
		bugcheck_deregister_reason_callback(&c->rec);
	c->registered = false;
}

static void release_clients(void)
{
	u32 i;

	for (i = 0; i < nr_clients; i++) {
		struct soak_client *c = &clients[i];

		if (SOAK_DEREGISTERS_AT_EXIT)
			deregister_client(c);
		vfree(c->buf);
		kfree(c->array);
		kfree(c->bad_array);
	}
	kfree(clients);
	vfree(bugcheck_soak_removed);
	vfree(bugcheck_soak_mirrors);
}

/* Lay out the removed area and the mirrors, then fill the removed ranges. */
static int prepare_shared(void)
{
	u32 i, r, pages = 0, sinks = 0;

	for (i = 0; i < nr_clients; i++) {
		struct soak_client *c = &clients[i];

		if (c->kind == BUGCHECK_CALLBACK_REMOVE_PAGES) {
			c->rm_first = pages;
			for (r = 0; r < c->n; r++)
				pages += c->v[r];
		} else if (c->kind == BUGCHECK_CALLBACK_DUMP_IO) {
			c->sink = sinks++;
		}
	}
	if (pages) {
		bugcheck_soak_removed = vmalloc((size_t)pages * PAGE_SIZE);
		if (!bugcheck_soak_removed)
			return -ENOMEM;
		bugcheck_soak_removed_pages = pages;
		for (i = 0; i < nr_clients; i++) {
			struct soak_client *c = &clients[i];
			u64 off = 0;
			u32 n;

			if (c->kind != BUGCHECK_CALLBACK_REMOVE_PAGES)
				continue;
			for (r = 0; r < c->n; r++) {
				u8 *p = removed_range(c, r, &n);

				soak_fill(p, c->idx, off,
					  (size_t)n * PAGE_SIZE);
				off += (u64)n * PAGE_SIZE;
			}
		}
	}
	if (sinks) {
		size_t one = SOAK_MIRROR_HDR + mirror_size;

		bugcheck_soak_mirrors = vzalloc(sinks * one);
		if (!bugcheck_soak_mirrors)
			return -ENOMEM;
		bugcheck_soak_nr_mirrors = sinks;
		for (i = 0; i < sinks; i++)
			*(u64 *)(bugcheck_soak_mirrors + i * one) =
				SOAK_MIRROR_MAGIC;
	}
	return 0;
}

static int __init soak_init(void)
{
	char *list, *p, *spec;
	int ret = 0;
	u32 i;

	clients = kcalloc(SOAK_MAX_CLIENTS, sizeof(*clients), GFP_KERNEL);
	list = kstrdup(plan, GFP_KERNEL);
	if (!clients || !list) {
		ret = -ENOMEM;
		goto free;
	}
	p = list;
	while (strcmp(plan, "-") && (spec = strsep(&p, ";"))) {
		if (nr_clients >= SOAK_MAX_CLIENTS) {
			ret = -E2BIG;
			goto free;
		}
		ret = parse_client(spec, &clients[nr_clients]);
		if (ret) {
			pr_err("bad client %u in the plan\n", nr_clients);
			goto free;
		}
		nr_clients++;
	}
	ret = prepare_shared();
	for (i = 0; !ret && i < nr_clients; i++)
		ret = prepare_client(&clients[i]);
	for (i = 0; !ret && i < nr_clients; i++) {
		ret = register_client(&clients[i]);
		if (ret)
			pr_err("cannot register %s: %d\n", clients[i].name,
			       ret);
	}
	if (!ret) {
		pr_info("seed %u: %u clients registered\n", seed, nr_clients);
		goto out;
	}
free:
	if (clients) {
		for (i = 0; i < nr_clients; i++)
			deregister_client(&clients[i]);
		release_clients();
	}
	clients = NULL;
out:
	kfree(list);
	return ret;
}

static void __exit soak_exit(void)
{
	/* SOAK_UNLOADS_REGISTERED: deliberately no deregistration; bugcheck must drop them. */
	release_clients();
}

module_init(soak_init);
module_exit(soak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bugcheck test: a soak plan's clients, some misbehaving");
