// SPDX-License-Identifier: GPL-2.0
/*
 * helpers.c - the libbcr unit tests' shared writer, records and runner
 * (helpers.h).
 */
#include "helpers.h"

int checks_failed;

/*
 * bcr_open_in() with index storage from a small static pool, so that a test
 * can hold several records open and nothing needs freeing (bcr_open() and
 * bcr_close() have their own test).
 */

int topen(struct bcr *r, const void *buf, size_t len)
{
	static uint32_t pool[POOL_SLOTS][POOL_SIZE / 4];
	static unsigned int next;

	return bcr_open_in(r, buf, len, pool[next++ % POOL_SLOTS], POOL_SIZE);
}

/* GUID 8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50 in guid_t byte order, and two more. */
const uint8_t G1[16] = { 0x6e, 0x1c, 0x9a, 0x8c, 0x5e, 0x3a, 0x2b, 0x4d,
			 0x9f, 0x4e, 0x0b, 0x1c, 0x2d, 0x3e, 0x4f, 0x50 };
const uint8_t G2[16] = { 0x6e, 0x1c, 0x9a, 0x8c, 0x5e, 0x3a, 0x2b, 0x4d,
			 0x9f, 0x4e, 0x0b, 0x1c, 0x2d, 0x3e, 0x4f, 0x52 };
const uint8_t G3[16] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
			 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 };

/* A bitwise CRC-32, independent of the library's table. */
uint32_t ref_crc(uint32_t crc, const uint8_t *p, size_t len)
{
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
	}
	return crc;
}

/* The test-only writer */

struct bugcheck_record_header *H(void *buf)
{
	return buf;
}

struct bugcheck_record_callback *cb_at(void *buf, uint32_t i)
{
	struct bugcheck_record_header *h = buf;

	return (void *)((uint8_t *)buf + h->callbacks_offset +
			i * h->callback_size);
}

/* Section @n of a record the tests built (so trusted). */
struct bugcheck_record_section *sec_at(void *buf, uint32_t n)
{
	uint32_t off = H(buf)->sections_offset;

	while (n--)
		off += ((struct bugcheck_record_section *)((uint8_t *)buf +
							   off))
			       ->size;
	return (void *)((uint8_t *)buf + off);
}

void rb_init(struct rb *b, void *buf, uint32_t slots)
{
	rb_init_area(b, buf, slots, AREA);
}

void rb_init_area(struct rb *b, void *buf, uint32_t slots, uint32_t area)
{
	struct bugcheck_record_header *h = buf;

	memset(buf, 0, area);
	b->buf = buf;
	b->area = area;
	memcpy(h->magic, BUGCHECK_RECORD_MAGIC, 8);
	h->version = BUGCHECK_RECORD_VERSION;
	h->header_size = HDR_SIZE;
	h->area_size = area;
	h->bugcheck_code = 1;
	h->bugcheck_parameter[0] = 0xffffffff81a2b3c4ULL;
	h->bugcheck_parameter[2] = 0x3000;
	h->time_ns = 1763760736123456789ULL;
	h->dump_type = 1;
	h->callbacks_offset = HDR_SIZE;
	h->callback_size = CB_SIZE;
	h->sections_offset = HDR_SIZE + slots * CB_SIZE;
	strcpy(h->message, "sysrq triggered crash");
	strcpy(h->release, "6.1.0-test");
	b->cursor = h->sections_offset;
}

uint32_t rb_callback(struct rb *b, const char *component, const char *module,
		     uint32_t reason, uint32_t state, uint32_t flags)
{
	uint32_t i = H(b->buf)->nr_callbacks++;
	struct bugcheck_record_callback *e = cb_at(b->buf, i);

	strncpy(e->component, component, sizeof(e->component) - 1);
	strncpy(e->module, module, sizeof(e->module) - 1);
	e->reason = reason;
	e->state = state;
	e->flags = flags;
	e->calls = 1;
	e->callback = 0xffffffffc0100000ULL + i * 0x40;
	return i;
}

uint32_t rb_section(struct rb *b, uint32_t type, uint32_t cb, uint32_t part,
		    const uint8_t *guid, uint32_t flags, uint64_t address,
		    uint64_t count, const void *payload, uint32_t len)
{
	struct bugcheck_record_section *s = (void *)(b->buf + b->cursor);
	uint32_t padded = (len + 7) & ~7u;

	memset(s, 0, SEC_SIZE + padded);
	s->type = type;
	s->flags = flags;
	s->size = SEC_SIZE + padded;
	s->length = len;
	s->callback = cb;
	s->part = part;
	if (guid)
		memcpy(s->guid, guid, 16);
	s->address = address;
	s->count = count ? count : len;
	if (len)
		memcpy(s + 1, payload, len);
	s->payload_crc32 = ~ref_crc(~0U, (const uint8_t *)(s + 1), len);
	b->cursor += s->size;
	if (cb < H(b->buf)->nr_callbacks) {
		cb_at(b->buf, cb)->bytes += len;
		cb_at(b->buf, cb)->sections++;
	}
	return H(b->buf)->nr_sections++;
}

/* Header CRC over [0, used), when used lies inside @len; as bugcheck.ko does. */
void rb_recrc(void *buf, size_t len)
{
	struct bugcheck_record_header *h = buf;
	static const uint8_t zero[4];
	uint32_t crc;

	if (h->used < HDR_SIZE || h->used > len)
		return;
	crc = ref_crc(~0U, buf, 28);
	crc = ref_crc(crc, zero, 4);
	crc = ref_crc(crc, (uint8_t *)buf + 32, h->used - 32);
	h->crc32 = ~crc;
}

/* Finish: used, a zeroed io status table of @nr_io entries, COMPLETE, CRC; returns the length. */
size_t rb_finish(struct rb *b, uint32_t nr_io)
{
	struct bugcheck_record_header *h = H(b->buf);

	h->used = b->cursor;
	if (nr_io) {
		h->io_status_offset = h->used;
		h->nr_io_status = nr_io;
		memset(b->buf + h->used, 0,
		       nr_io * sizeof(struct bugcheck_record_io_status));
	}
	h->flags |= BUGCHECK_RECORD_F_COMPLETE;
	rb_recrc(b->buf, b->area);
	return h->used + nr_io * sizeof(struct bugcheck_record_io_status);
}

uint64_t area[AREA / 8]; /* 8-byte aligned build space */

const char mp_part[3][8] = { "AAAAAAA", "BBB", "CC" };

/*
 * One callback of every reason, eight sections, an io status entry:
 *  0 triage-a   triage        TRIAGE @ffffffffc0001000, 56 bytes
 *  1 sec-a      secondary     SECONDARY G1 "hello secondary"
 *  2 mp         multipart     MULTIPART G2 parts 0,1,2: "AAAAAAA" "BBB" "CC"
 *  3 remove     remove-pages  REMOVED_PAGES virt ffff888000100000 x2
 *  4 pages      add-pages     ADDED_PAGES phys 1000000, 2 "pages" of 64 bytes
 *  5 legacy     legacy        LEGACY @ffffffffc0002000, 20 bytes
 *  6 mirror     dump-io       (io status: finished, 4 writes)
 */
size_t build_std(void *buf)
{
	uint8_t triage[56], pages[128], legacy[20];
	struct rb b;
	size_t len, i;
	struct bugcheck_record_io_status *io;

	for (i = 0; i < sizeof(triage); i++)
		triage[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(pages); i++)
		pages[i] = (uint8_t)i;
	memcpy(legacy, "legacy buffer bytes!", 20);

	rb_init(&b, buf, 9);
	rb_callback(&b, "triage-a", "bugcheck_sample_triage", R_TRIAGE,
		    S_FINISHED, 0);
	rb_callback(&b, "sec-a", "bugcheck_sample_secondary", R_SECONDARY,
		    S_FINISHED, 0);
	rb_callback(&b, "mp", "bugcheck_sample_multipart", R_MULTIPART,
		    S_FINISHED, 0);
	rb_callback(&b, "remove", "", R_REMOVE_PAGES, S_FINISHED, 0);
	rb_callback(&b, "pages", "bugcheck_sample_pages", R_ADD_PAGES,
		    S_INCOMPLETE, BUGCHECK_CB_F_READ_ERROR);
	rb_callback(&b, "legacy", "bugcheck_sample_legacy", R_LEGACY,
		    S_FINISHED, 0);
	rb_callback(&b, "mirror", "bugcheck_sample_dumpio", R_DUMP_IO,
		    S_STARTED, 0);

	rb_section(&b, BUGCHECK_SECTION_TRIAGE, 0, 0, NULL, 0,
		   0xffffffffc0001000ULL, 0, triage, sizeof(triage));
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 1, 0, G1, 0, 0, 0,
		   "hello secondary", 15);
	for (i = 0; i < 3; i++)
		rb_section(&b, BUGCHECK_SECTION_MULTIPART, 2, (uint32_t)i, G2,
			   0, 0, 0, mp_part[i], (uint32_t)strlen(mp_part[i]));
	rb_section(&b, BUGCHECK_SECTION_REMOVED_PAGES, 3, 0, NULL,
		   BUGCHECK_SECTION_F_VIRTUAL, 0xffff888000100000ULL, 2, NULL,
		   0);
	rb_section(&b, BUGCHECK_SECTION_ADDED_PAGES, 4, 0, NULL,
		   BUGCHECK_SECTION_F_PHYSICAL | BUGCHECK_CB_F_READ_ERROR,
		   0x1000000, 2, pages, sizeof(pages));
	rb_section(&b, BUGCHECK_SECTION_LEGACY, 5, 0, NULL, 0,
		   0xffffffffc0002000ULL, 0, legacy, sizeof(legacy));
	len = rb_finish(&b, 1);
	io = (void *)((uint8_t *)buf + H(buf)->io_status_offset);
	io->callback = 6;
	io->state = S_FINISHED;
	io->writes = 4;
	io->bytes = H(buf)->used;
	return len;
}

/* A heap copy of exactly @len bytes, so any overread is caught. */
void *exact_copy(const void *src, size_t len)
{
	void *p = malloc(len ? len : 1);

	if (!p)
		abort();
	memcpy(p, src, len);
	return p;
}

FILE *devnull;
char outbuf[1 << 17];

FILE *out_open(void)
{
	FILE *f = tmpfile();

	if (!f)
		abort();
	return f;
}

const char *out_text(FILE *f)
{
	size_t n;

	rewind(f);
	n = fread(outbuf, 1, sizeof(outbuf) - 1, f);
	outbuf[n] = '\0';
	fclose(f);
	return outbuf;
}

/* Everything a reader may do with a decoded record, output to @f. */
void exercise(FILE *f, const struct bcr *r)
{
	static const char *const names[] = {
		"triage-a", "sec-a",  "mp",	    "remove",
		"pages",    "legacy", "mirror",	    "user-blocks",
		"nope",	    "",	      "test-fault", "moved"
	};
	struct bcr_fault ft;
	struct bcr_section it = { .index = UINT32_MAX };
	struct bcr_user_block ub;
	int32_t pid = 1187;
	uint8_t blob[256];
	uint32_t i, off, n = 0;

	bcr_print_summary(f, r);
	bcr_print_tags(f, r, NULL, 0);
	bcr_print_tags(f, r, NULL, 1);
	bcr_print_tags(f, r, G2, 0);
	bcr_print_pages(f, r);
	bcr_print_devices(f, r);
	bcr_print_user_blocks(f, r, NULL, 0);
	bcr_print_user_blocks(f, r, NULL, 1);
	bcr_print_user_blocks(f, r, &pid, 1);
	if (bcr_find_user_block(r, 1187, 0x7f3a5c021000ULL, &ub) !=
	    BCR_E_NOTFOUND)
		bcr_user_block_write(f, &ub);
	bcr_find_user_block(r, 1187, 0x7f3a5c030000ULL, &ub);
	bcr_user_block_write(f, &ub);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		bcr_print_component(f, r, names[i]);
	bcr_tag_read(r, G1, blob, sizeof(blob));
	bcr_tag_read(r, G2, blob, 3);
	bcr_tag_read(r, G3, NULL, 0);
	bcr_find_page(r, 0x1000000 + 70, &it, &off);
	bcr_print_page(f, r, 0x1000000 + 70);
	bcr_print_page(f, r, 0x1000000 + 4096 * 2);
	it = (struct bcr_section)BCR_SECTION_INIT;
	for (i = 0; i <= r->nr_callbacks && i < 64; i++)
		bcr_callback(r, i);
	while (bcr_next_section(r, &it)) {
		CHECK(it.payload + it.sec->length <= r->buf + r->len);
		if (it.sec->type == BUGCHECK_SECTION_USER_BLOCK &&
		    !bcr_user_block(&it, &ub))
			CHECK(ub.contents + ub.copied <= r->buf + r->len);
		if (it.sec->type == BUGCHECK_SECTION_FAULT &&
		    !bcr_fault(&it, &ft))
			CHECK(memchr(ft.what, '\0', sizeof(ft.what)));
		n++;
	}
	CHECK_EQ(n, r->nr_sections);
}

/* Parts written out of order, and a second blob with the same GUID. */
size_t build_multipart(void *buf)
{
	struct rb b;

	rb_init(&b, buf, 4);
	rb_callback(&b, "mp-first", "m1", R_MULTIPART, S_FINISHED, 0);
	rb_callback(&b, "mp-other", "m2", R_MULTIPART, S_FINISHED, 0);
	rb_callback(&b, "mp-dup", "m3", R_MULTIPART, S_FINISHED,
		    BUGCHECK_CB_F_DUPLICATE_GUID);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 0, 2, G2, 0, 0, 0, "two", 3);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 1, 0, G1, 0, 0, 0,
		   "other-0|", 8);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 0, 0, G2, 0, 0, 0, "zero|",
		   5);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 2, 0, G2,
		   BUGCHECK_CB_F_DUPLICATE_GUID, 0, 0, "dup", 3);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 0, 1, G2, 0, 0, 0, "one|",
		   4);
	rb_section(&b, BUGCHECK_SECTION_MULTIPART, 1, 5, G1, 0, 0, 0, "other-5",
		   7);
	return rb_finish(&b, 0);
}

/* Crash-dump devices */

struct bugcheck_record_device dev_entry(const char *name, const char *driver,
					const char *parent, int32_t result,
					uint32_t method, uint32_t before,
					uint32_t after, uint32_t usage)
{
	struct bugcheck_record_device d;

	memset(&d, 0, sizeof(d));
	strncpy(d.name, name, sizeof(d.name) - 1);
	strncpy(d.driver, driver, sizeof(d.driver) - 1);
	strncpy(d.parent, parent, sizeof(d.parent) - 1);
	d.result = result;
	d.method = method;
	d.before = before;
	d.after = after;
	d.usage_count = usage;
	d.depth = parent[0] ? 1 : 0;
	d.irq_safe = method == BUGCHECK_DEVICE_METHOD_RUNTIME_PM;
	d.runtime_enabled = 1;
	return d;
}

void rb_device(struct rb *b, uint32_t cb, uint32_t index,
	       const struct bugcheck_record_device *d, uint32_t len)
{
	rb_section(b, BUGCHECK_SECTION_DEVICE, cb, index, NULL, 0, 0, 0, d,
		   len);
}

/*
 * A record as bugcheck writes it at a panic: the crashdump-devices entry
 * first, one DEVICE section per device, then a secondary block.
 *  0 pmdev.0   runtime-pm  suspended -> active     0
 *  1 pmdev.1   hook        suspended -> suspended  0
 *  2 bare      none        suspended -> suspended  -EOPNOTSUPP (no driver, no parent)
 *  3 odd       method 9    status 7 -> 4           -1234
 */
size_t build_devices(void *buf)
{
	struct bugcheck_record_device d[4];
	struct rb b;
	uint32_t cb, i;

	d[0] = dev_entry("bugcheck-sample-pmdev.0", "bugcheck-sample-pmdev",
			 "platform", 0, BUGCHECK_DEVICE_METHOD_RUNTIME_PM,
			 BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_ACTIVE, 1);
	d[1] = dev_entry("bugcheck-sample-pmdev.1", "bugcheck-sample-pmdev",
			 "platform", 0, BUGCHECK_DEVICE_METHOD_HOOK,
			 BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	d[2] = dev_entry("bare", "", "", -95, BUGCHECK_DEVICE_METHOD_NONE,
			 BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	d[3] = dev_entry("odd", "drv", "bus0", -1234, 9, 7, 4, 3);
	d[3].depth = 5;

	rb_init(&b, buf, 4);
	cb = rb_callback(&b, "crashdump-devices", "bugcheck", R_DEVICES,
			 S_INCOMPLETE, 0);
	rb_callback(&b, "sec-a", "bugcheck_sample_secondary", R_SECONDARY,
		    S_FINISHED, 0);
	for (i = 0; i < 4; i++)
		rb_device(&b, cb, i, &d[i], sizeof(d[i]));
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 1, 0, G1, 0, 0, 0,
		   "hello secondary", 15);
	return rb_finish(&b, 0);
}

/* User blocks */

struct bugcheck_record_user_block ub_entry(uint64_t address, uint64_t size,
					   int32_t pid, uint32_t uid,
					   uint32_t flags, uint32_t copied,
					   const char *comm)
{
	struct bugcheck_record_user_block u;

	memset(&u, 0, sizeof(u));
	u.address = address;
	u.size = size;
	u.pid = pid;
	u.uid = uid;
	u.flags = flags;
	u.copied = copied;
	strncpy(u.comm, comm, sizeof(u.comm) - 1);
	return u;
}

/*
 * A USER_BLOCK section: @u then @clen bytes of @contents, the section's
 * address and count taken from @u (clen != u->copied builds malformed ones).
 */
uint32_t rb_user_block(struct rb *b, uint32_t cb, uint32_t part,
		       uint32_t sflags,
		       const struct bugcheck_record_user_block *u,
		       const void *contents, uint32_t clen)
{
	static uint8_t payload[AREA];

	memcpy(payload, u, sizeof(*u));
	if (clen)
		memcpy(payload + sizeof(*u), contents, clen);
	return rb_section(b, BUGCHECK_SECTION_USER_BLOCK, cb, part, NULL,
			  sflags, u->address, u->size, payload,
			  (uint32_t)sizeof(*u) + clen);
}

uint8_t ub_a0[100];
const char ub_a3[] = UB_A3_TEXT;

/*
 * A record as bugcheck writes it when the user blocks ran out of room:
 * a secondary block, then the user-blocks entry with four blocks:
 *  0 pid 1187 bcblock-sample  @7f3a5c021000   100 bytes, all copied
 *  1 pid 1187 bcblock-sample  @7f3a5c030000  4096 bytes, 40 copied (NO_SPACE)
 *  2 pid 1190 bcblock-sample  @7f1e2a400000  8192 bytes, unmapped
 *  3 pid 4242 worker (uid 1000) @55d0c0de0000 a line of text
 * and one more block dropped whole (the header's DROPPED counts).
 */
size_t build_user_blocks(void *buf)
{
	struct bugcheck_record_user_block u[4];
	uint8_t big[40];
	struct rb b;
	uint32_t cb, i;

	for (i = 0; i < sizeof(ub_a0); i++)
		ub_a0[i] = (uint8_t)(i * 3 + 1);
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)('A' + i % 26);
	u[0] = ub_entry(UB_A0, sizeof(ub_a0), 1187, 0, 0, sizeof(ub_a0),
			"bcblock-sample");
	u[1] = ub_entry(UB_A1, 4096, 1187, 0, 0, sizeof(big), "bcblock-sample");
	u[2] = ub_entry(UB_A2, 8192, 1190, 0, BUGCHECK_USER_BLOCK_F_UNMAPPED, 0,
			"bcblock-sample");
	u[3] = ub_entry(UB_A3, sizeof(ub_a3) - 1, 4242, 1000, 0,
			sizeof(ub_a3) - 1, "worker");

	rb_init(&b, buf, 2);
	rb_callback(&b, "sec-a", "bugcheck_sample_secondary", R_SECONDARY,
		    S_FINISHED, 0);
	cb = rb_callback(&b, "user-blocks", "bugcheck", R_USER_BLOCKS,
			 S_INCOMPLETE, BUGCHECK_CB_F_NO_SPACE);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 0, 0, G1, 0, 0, 0,
		   "hello secondary", 15);
	rb_user_block(&b, cb, 0, 0, &u[0], ub_a0, sizeof(ub_a0));
	rb_user_block(&b, cb, 1, BUGCHECK_CB_F_NO_SPACE, &u[1], big,
		      sizeof(big));
	rb_user_block(&b, cb, 2, 0, &u[2], NULL, 0);
	rb_user_block(&b, cb, 3, 0, &u[3], ub_a3, sizeof(ub_a3) - 1);
	H(buf)->dropped_sections = 1;
	H(buf)->dropped_bytes = 4096 - 40 + 65536;
	H(buf)->flags |= BUGCHECK_RECORD_F_TRUNCATED;
	return rb_finish(&b, 0);
}

size_t build_user_blocks_malformed(void *buf)
{
	struct bugcheck_record_user_block u;
	uint8_t data[200];
	struct rb b;
	uint32_t cb, n;

	memset(data, 0x5a, sizeof(data));
	rb_init(&b, buf, 1);
	cb = rb_callback(&b, "user-blocks", "bugcheck", R_USER_BLOCKS,
			 S_FINISHED, 0);
	u = ub_entry(0x1000, 16, 100, 0, 0, 16, "good");
	rb_user_block(&b, cb, 0, 0, &u, "0123456789abcdef", 16);
	u = ub_entry(0x2000, 100, 101, 0, 0, 200, "greedy");
	rb_user_block(&b, cb, 1, 0, &u, data, 200);
	u = ub_entry(0x3000, 8, 102, 0, 0, 0, "short");
	rb_section(&b, BUGCHECK_SECTION_USER_BLOCK, cb, 2, NULL, 0, 0x3000, 8,
		   &u, 47);
	rb_section(&b, BUGCHECK_SECTION_USER_BLOCK, cb, 3, NULL, 0, 0x3800, 8,
		   NULL, 0);
	u = ub_entry(0x4000, 64, 104, 0, 0, 10, "liar");
	rb_user_block(&b, cb, 4, 0, &u, data, 12);
	u = ub_entry(0x5000, 4, 105, 0, 0, 4, "");
	memcpy(u.comm, "ABCDEFG\nIJKLMNOP", 16);
	rb_user_block(&b, cb, 5, 0, &u, "wxyz", 4);
	u = ub_entry(0x6000, 4, 106, 0, 0, 4, "moved");
	n = rb_user_block(&b, cb, 6, 0, &u, "wxyz", 4);
	sec_at(buf, n)->address = 0x6100;
	u = ub_entry(0x7000, 4, 107, 0, 0x80 | BUGCHECK_USER_BLOCK_F_UNMAPPED,
		     4, "odd");
	rb_user_block(&b, cb, 7, BUGCHECK_CB_F_READ_ERROR | 0x4000, &u, "wxyz",
		      4);
	u = ub_entry(0x8000, 2, 108, 0, 0, 2, "good2");
	rb_user_block(&b, cb, 8, 0, &u, "ok", 2);
	return rb_finish(&b, 0);
}

uint32_t rb_fault(struct rb *b, uint32_t cb, uint64_t ip, uint32_t trap,
		  uint32_t error_code, const char *what)
{
	struct bugcheck_record_fault f;

	memset(&f, 0, sizeof(f));
	f.ip = ip;
	f.trap = trap;
	f.error_code = error_code;
	strncpy(f.what, what, sizeof(f.what) - 1);
	if (cb < H(b->buf)->nr_callbacks)
		cb_at(b->buf, cb)->flags |= BUGCHECK_CB_F_FAULTED;
	/* As bugcheck.ko does: a FAULT section is not the callback's bytes. */
	rb_section(b, BUGCHECK_SECTION_FAULT, cb, 0, NULL, 0, ip, 0, &f,
		   sizeof(f));
	if (cb < H(b->buf)->nr_callbacks)
		cb_at(b->buf, cb)->bytes -= sizeof(f);
	H(b->buf)->reentries++;
	H(b->buf)->flags |= BUGCHECK_RECORD_F_REENTERED;
	return H(b->buf)->nr_sections - 1;
}

/*
 * Callbacks that faulted, as nmi-fault-storm leaves them, and a fault in
 * bugcheck's own code:
 *  0 sec-a       secondary  finished  SECONDARY G1 "hello secondary"
 *  1 test-fault  secondary  failed    SECONDARY G3 (committed before), then
 *                                     FAULT page fault, error 2, "Oops"
 *  2 test-bug    triage     failed    FAULT invalid opcode "invalid opcode"
 *  3 test-panic  secondary  failed    FAULT panic "test-fault: test-panic gives up"
 *  - (none)                           FAULT general protection in bugcheck
 */
size_t build_faults(void *buf)
{
	struct rb b;

	rb_init(&b, buf, 4);
	rb_callback(&b, "sec-a", "bugcheck_sample_secondary", R_SECONDARY,
		    S_FINISHED, 0);
	rb_callback(&b, "test-fault", "bugcheck_test_fault", R_SECONDARY,
		    S_FAILED, 0);
	rb_callback(&b, "test-bug", "bugcheck_test_fault", R_TRIAGE, S_FAILED,
		    0);
	rb_callback(&b, "test-panic", "bugcheck_test_fault", R_SECONDARY,
		    S_FAILED, 0);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 0, 0, G1, 0, 0, 0,
		   "hello secondary", 15);
	rb_section(&b, BUGCHECK_SECTION_SECONDARY, 1, 0, G3, 0, 0, 0,
		   "before the fault", 16);
	rb_fault(&b, 1, 0xffffffffc0a01234ULL, 14, 2, "Oops");
	rb_fault(&b, 2, 0xffffffffc0a02000ULL, 6, 0, "invalid opcode");
	rb_fault(&b, 3, 0, BUGCHECK_FAULT_TRAP_PANIC, 0,
		 "test-fault: test-panic gives up");
	rb_fault(&b, UINT32_MAX, 0xffffffff81234567ULL, 13, 0,
		 "general protection fault");
	return rb_finish(&b, 0);
}

/*
 * Malformed FAULT sections between good ones:
 *  0 short      FAULT of 40 bytes
 *  1 good       FAULT page fault "Oops"
 *  2 unterm     FAULT whose what fills its 48 bytes, no NUL
 *  3 moved      FAULT at section address ip + 1
 *  - FAULT of callback 1 again, after callback 3's: out of run order
 *  - FAULT of callback 9: not in the table
 */
size_t build_faults_malformed(void *buf)
{
	struct bugcheck_record_fault f;
	struct rb b;
	uint32_t n;

	rb_init(&b, buf, 4);
	rb_callback(&b, "short", "m", R_SECONDARY, S_FAILED,
		    BUGCHECK_CB_F_FAULTED);
	rb_callback(&b, "good", "m", R_SECONDARY, S_FAILED, 0);
	rb_callback(&b, "unterm", "m", R_SECONDARY, S_FAILED,
		    BUGCHECK_CB_F_FAULTED);
	rb_callback(&b, "moved", "m", R_SECONDARY, S_FAILED, 0);
	memset(&f, 0, sizeof(f));
	f.ip = 0x1000;
	f.trap = 14;
	rb_section(&b, BUGCHECK_SECTION_FAULT, 0, 0, NULL, 0, 0x1000, 0, &f,
		   40);
	rb_fault(&b, 1, 0x2000, 14, 0, "Oops");
	memset(f.what, 'W', sizeof(f.what));
	f.ip = 0x3000;
	rb_section(&b, BUGCHECK_SECTION_FAULT, 2, 0, NULL, 0, 0x3000, 0, &f,
		   sizeof(f));
	n = rb_fault(&b, 3, 0x4000, 13, 0, "general protection fault");
	sec_at(buf, n)->address = 0x4001;
	rb_fault(&b, 1, 0x2100, 6, 0, "invalid opcode");
	rb_fault(&b, 9, 0x5000, 14, 0, "Oops");
	return rb_finish(&b, 0);
}

int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return 1;
	}
	ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) || !ok) {
		perror(path);
		return 1;
	}
	return 0;
}

/*
 * The records the CLI tests need, and each block's contents as the builder
 * put them in (not as the library reads them back).
 */
int write_samples(const char *dir)
{
	static const char big[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN";
	int err = 0;
	size_t len;

	len = build_std(area);
	err |= write_file(dir, "standard.bin", area, len);
	len = build_user_blocks(area);
	err |= write_file(dir, "user-blocks.bin", area, len);
	err |= write_file(dir, "block-1187-7f3a5c021000.bin", ub_a0,
			  sizeof(ub_a0));
	err |= write_file(dir, "block-1187-7f3a5c030000.bin", big, 40);
	err |= write_file(dir, "block-4242-55d0c0de0000.bin", ub_a3,
			  sizeof(ub_a3) - 1);
	len = build_user_blocks_malformed(area);
	err |= write_file(dir, "user-blocks-malformed.bin", area, len);
	len = build_faults(area);
	err |= write_file(dir, "faults.bin", area, len);
	len = build_faults_malformed(area);
	err |= write_file(dir, "faults-malformed.bin", area, len);
	/* The standard record inside vmcores of both formats, found by locator. */
	len = build_std(area);
	{
		uint8_t *mem = build_machine(area, len), *core;
		size_t n;

		n = write_elf_vmcore(mem, &core);
		err |= write_file(dir, "vmcore.elf", core, n);
		free(core);
		n = write_kdump_vmcore(mem, &core);
		err |= write_file(dir, "vmcore.kdump", core, n);
		free(core);
		free(mem);
	}
	return err;
}

int run_tests(const struct test *tests, size_t nr)
{
	unsigned int passed = 0, failed = 0;
	size_t i;

	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("/dev/null");
		return 1;
	}
	for (i = 0; i < nr; i++) {
		checks_failed = 0;
		tests[i].fn();
		if (checks_failed) {
			printf("not ok %zu - %s\n", i + 1, tests[i].name);
			failed++;
		} else {
			printf("ok %zu - %s\n", i + 1, tests[i].name);
			passed++;
		}
		fflush(stdout);
	}
	fclose(devnull);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

/* Fake machines and their vmcores, for the dump reader (dump.c). */

/* Where build_machine() puts the record area's pages: scattered, out of order. */
static const uint32_t area_pfns[] = { 40, 13, 27, 51 };

uint32_t area_pfn(uint32_t i)
{
	return area_pfns[i];
}

static void put_locator(uint8_t *mem, uint32_t pfn, const uint32_t *pfns,
			uint32_t nr, uint64_t vaddr)
{
	struct bugcheck_locator *l = (void *)(mem + (size_t)pfn * MACHINE_PAGE);
	uint32_t i;

	memcpy(l->magic, BUGCHECK_LOCATOR_MAGIC, 8);
	l->version = BUGCHECK_LOCATOR_VERSION;
	l->size = sizeof(*l) + nr * sizeof(l->pfn[0]);
	l->page_size = MACHINE_PAGE;
	l->area_size = nr * MACHINE_PAGE;
	l->nr_pages = nr;
	l->area_vaddr = vaddr;
	for (i = 0; i < nr; i++)
		l->pfn[i] = pfns[i];
	l->crc32 = 0;
	l->crc32 = ref_crc(~0U, (const uint8_t *)l, l->size) ^ ~0U;
}

uint8_t *build_machine(const void *rec, size_t len)
{
	static const uint32_t stale_pfns[] = { 60, 61, 62, 63 };
	uint8_t *mem = calloc(MACHINE_PAGES, MACHINE_PAGE);
	uint32_t i;

	if (!mem || len > ARRAY_SIZE(area_pfns) * MACHINE_PAGE)
		abort();
	for (i = 0; i < ARRAY_SIZE(area_pfns); i++) {
		size_t off = (size_t)i * MACHINE_PAGE;

		if (off < len)
			memcpy(mem + (size_t)area_pfns[i] * MACHINE_PAGE,
			       (const uint8_t *)rec + off,
			       len - off < MACHINE_PAGE ? len - off :
							  MACHINE_PAGE);
	}
	/* A stale locator first in address order: its area holds no record. */
	put_locator(mem, STALE_LOCATOR_PFN, stale_pfns, 4,
		    0xffffc90000100000ULL);
	put_locator(mem, LOCATOR_PFN, area_pfns, ARRAY_SIZE(area_pfns),
		    0xffffc90000200000ULL);
	/* Page-start bytes that look like a locator but are not one. */
	memcpy(mem + 7 * MACHINE_PAGE, BUGCHECK_LOCATOR_MAGIC, 8);
	return mem;
}

/*
 * An ELF vmcore of @mem: two PT_LOAD segments with a memory hole between
 * pages 32 and 36, the second with a zero tail outside the file
 * (p_memsz > p_filesz), as makedumpfile -E writes excluded pages.
 */
size_t write_elf_vmcore(const uint8_t *mem, uint8_t **out)
{
	const uint64_t a_pages = 32, b_start = 36, b_file = 20;
	size_t hdrs = 4096, len = hdrs + (a_pages + b_file) * MACHINE_PAGE;
	uint8_t *f = calloc(1, len);
	Elf64_Ehdr *eh = (void *)f;
	Elf64_Phdr *ph = (void *)(f + sizeof(*eh));

	if (!f)
		abort();
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 3;
	ph[0].p_type = PT_NOTE;
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD,
			      .p_offset = hdrs,
			      .p_paddr = 0,
			      .p_filesz = a_pages * MACHINE_PAGE,
			      .p_memsz = a_pages * MACHINE_PAGE };
	ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD,
			      .p_offset = hdrs + a_pages * MACHINE_PAGE,
			      .p_paddr = b_start * MACHINE_PAGE,
			      .p_filesz = b_file * MACHINE_PAGE,
			      .p_memsz = (MACHINE_PAGES - b_start) *
					 MACHINE_PAGE };
	memcpy(f + hdrs, mem, a_pages * MACHINE_PAGE);
	memcpy(f + hdrs + a_pages * MACHINE_PAGE, mem + b_start * MACHINE_PAGE,
	       b_file * MACHINE_PAGE);
	*out = f;
	return len;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/*
 * A kdump-compressed vmcore of @mem as makedumpfile -c -d 1 writes it: zero
 * pages excluded from the 2nd bitmap, the others zlib-compressed, except
 * one stored raw (as makedumpfile does when compression does not pay).
 */
size_t write_kdump_vmcore(const uint8_t *mem, uint8_t **out)
{
	size_t cap = (8 + MACHINE_PAGES) * MACHINE_PAGE * 2, data, desc;
	uint8_t *f = calloc(1, cap), *bitmap1, *bitmap2;
	uint32_t pfn, nr = 0;

	if (!f)
		abort();
	memcpy(f, "KDUMP   ", 8);
	put32(f + 8, 6); /* header_version */
	put32(f + 424, 0x1); /* status: zlib */
	put32(f + 428, MACHINE_PAGE); /* block_size */
	put32(f + 432, 1); /* sub_hdr_size (blocks) */
	put32(f + 436, 2); /* bitmap_blocks: both */
	put32(f + 440, MACHINE_PAGES); /* max_mapnr */
	put64(f + MACHINE_PAGE + 96, MACHINE_PAGES); /* max_mapnr_64 */
	bitmap1 = f + 2 * MACHINE_PAGE;
	bitmap2 = f + 3 * MACHINE_PAGE;
	for (pfn = 0; pfn < MACHINE_PAGES; pfn++) {
		bitmap1[pfn / 8] |= 1 << (pfn % 8);
		if (!bcr_test_all_zero(mem + (size_t)pfn * MACHINE_PAGE,
				       MACHINE_PAGE)) {
			bitmap2[pfn / 8] |= 1 << (pfn % 8);
			nr++;
		}
	}
	desc = 4 * MACHINE_PAGE;
	data = desc + nr * 24;
	for (pfn = 0; pfn < MACHINE_PAGES; pfn++) {
		const uint8_t *page = mem + (size_t)pfn * MACHINE_PAGE;
		uLongf clen = compressBound(MACHINE_PAGE);
		uint32_t flags = 1;

		if (!(bitmap2[pfn / 8] & (1 << (pfn % 8))))
			continue;
		if (pfn == area_pfns[2]) {
			memcpy(f + data, page, MACHINE_PAGE);
			clen = MACHINE_PAGE;
			flags = 0;
		} else if (compress2(f + data, &clen, page, MACHINE_PAGE, 6) !=
			   Z_OK) {
			abort();
		}
		put64(f + desc, data);
		put32(f + desc + 8, (uint32_t)clen);
		put32(f + desc + 12, flags);
		desc += 24;
		data += clen;
	}
	*out = f;
	return data;
}

int bcr_test_all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return 0;
	return 1;
}

size_t build_parts(void *buf, uint32_t area, uint32_t nr, uint32_t part_len,
		   int reversed, int secondary)
{
	uint8_t *part = malloc(part_len ? part_len : 1);
	uint8_t guid[16];
	struct rb b;
	uint32_t i, cb;

	if (!part)
		abort();
	rb_init_area(&b, buf, 1, area);
	cb = rb_callback(&b, secondary ? "many-blocks" : "many-parts", "bench",
			 secondary ? R_SECONDARY : R_MULTIPART, S_FINISHED, 0);
	memcpy(guid, G2, 16);
	for (i = 0; i < nr; i++) {
		uint32_t p = reversed ? nr - 1 - i : i;

		memset(part, (int)(p * 7 + 1), part_len);
		if (secondary)
			memcpy(guid, &p, sizeof(p));
		rb_section(&b,
			   secondary ? BUGCHECK_SECTION_SECONDARY :
				       BUGCHECK_SECTION_MULTIPART,
			   cb, secondary ? 0 : p, guid, 0, 0, 0, part,
			   part_len);
	}
	free(part);
	return rb_finish(&b, 0);
}
