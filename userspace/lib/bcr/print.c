// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - the printers shared by the crash extension and bugcheck-record
 * (bcr.h), so both show the same thing.
 *
 * They only walk what bcr_open() validated and indexed.  Whatever they show
 * from a section whose payload CRC does not match is marked on the same
 * line: PAYLOAD DAMAGED.  Every string taken from the record goes through
 * bcr__field() or print_quoted(), so a hostile record cannot send terminal
 * escapes.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define DAMAGED_MARK "  PAYLOAD DAMAGED (CRC mismatch)"

struct hexdump {
	FILE *f;
	uint64_t addr; /* address of row[0] */
	uint8_t row[16];
	size_t fill;
};

static void hex_row(struct hexdump *d)
{
	static const char hex[] = "0123456789abcdef";
	char line[96];
	size_t i;
	int pos;

	if (!d->fill)
		return;
	pos = snprintf(line, sizeof(line),
		       "%016llx:  ", (unsigned long long)d->addr);
	for (i = 0; i < 16; i++) {
		if (i < d->fill) {
			line[pos++] = hex[d->row[i] >> 4];
			line[pos++] = hex[d->row[i] & 15];
		} else {
			line[pos++] = ' ';
			line[pos++] = ' ';
		}
		line[pos++] = ' ';
		if (i == 7)
			line[pos++] = ' ';
	}
	line[pos++] = ' ';
	for (i = 0; i < d->fill; i++)
		line[pos++] = d->row[i] >= 0x20 && d->row[i] < 0x7f ?
				      (char)d->row[i] :
				      '.';
	line[pos++] = '\n';
	line[pos] = '\0';
	fputs(line, d->f);
	d->addr += 16;
	d->fill = 0;
}

/* Feed bytes in pieces (multipart parts) and still get whole 16-byte rows. */
static void hex_feed(struct hexdump *d, const uint8_t *p, size_t len)
{
	while (len) {
		size_t n = sizeof(d->row) - d->fill;

		if (n > len)
			n = len;
		memcpy(d->row + d->fill, p, n);
		d->fill += n;
		p += n;
		len -= n;
		if (d->fill == sizeof(d->row))
			hex_row(d);
	}
}

void bcr_hexdump(FILE *f, const void *data, size_t len, uint64_t base)
{
	struct hexdump d = { .f = f, .addr = base };

	if (!f || !data)
		return;
	hex_feed(&d, data, len);
	hex_row(&d);
}

/* A string field in double quotes, C escapes for anything unprintable. */
static void print_quoted(FILE *f, const char *src, size_t size)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < size && src[i]; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('"', f);
}

#define NAME_LEN 64

static const char *component_of(const struct bcr *r, uint32_t index, char *out,
				size_t size)
{
	const struct bugcheck_record_callback *e = bcr_callback(r, index);

	if (e)
		return bcr__field(e->component, sizeof(e->component), out,
				  size);
	if (index == UINT32_MAX)
		snprintf(out, size, "(no table slot)");
	else
		snprintf(out, size, "(callback %u?)", index);
	return out;
}

void bcr_print_damage(FILE *f, const struct bcr *r)
{
	if (r->error)
		fprintf(f, "DAMAGED: %s\n",
			r->why[0] ? r->why : bcr_strerror(r->error));
}

/* Common start of every printer: NULL unless there is a header to show. */
static const struct bugcheck_record_header *begin(FILE *f, const struct bcr *r)
{
	if (!f || !r)
		return NULL;
	bcr_print_damage(f, r);
	return r->hdr;
}

static int end(FILE *f)
{
	return ferror(f) ? BCR_E_IO : 0;
}

static int no_header(const struct bcr *r)
{
	return !r ? BCR_E_ARG : r->error ? r->error : BCR_E_ARG;
}

static const char *time_str(uint64_t ns, char *out, size_t size)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;
	size_t n;

	n = gmtime_r(&s, &tm) ? strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm) :
				0;
	if (!n) {
		snprintf(out, size, "%llu ns", (unsigned long long)ns);
		return out;
	}
	snprintf(out + n, size - n, ".%09lluZ",
		 (unsigned long long)(ns % 1000000000));
	return out;
}

static void print_record_line(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = r->hdr;
	char flags[128], secs[48], crc[64], num[16];
	const char *dump = bcr__num(bcr__dump_type(h->dump_type), h->dump_type,
				    num, sizeof(num));

	bcr_record_flags_str(h->flags, flags, sizeof(flags));
	if (r->nr_sections == h->nr_sections && r->nr_damaged)
		snprintf(secs, sizeof(secs), "%u sections (%u damaged)",
			 h->nr_sections, r->nr_damaged);
	else if (r->nr_sections == h->nr_sections)
		snprintf(secs, sizeof(secs), "%u sections", h->nr_sections);
	else
		snprintf(secs, sizeof(secs), "%u of %u sections readable",
			 r->nr_sections, h->nr_sections);
	if (!(h->flags & BUGCHECK_RECORD_F_COMPLETE)) {
		/* used and crc32 are only written once the record is finished. */
		fprintf(f,
			"RECORD: incomplete, area %u bytes, %s, flags %s, no CRC, dump type %s\n",
			h->area_size, secs, flags, dump);
		return;
	}
	if (!r->crc_checked)
		snprintf(crc, sizeof(crc), "CRC %08x not checked", h->crc32);
	else if (r->crc_computed == h->crc32)
		snprintf(crc, sizeof(crc), "CRC %08x ok", h->crc32);
	else
		snprintf(crc, sizeof(crc), "CRC %08x BAD (computed %08x)",
			 h->crc32, r->crc_computed);
	fprintf(f, "RECORD: %u of %u bytes, %s, flags %s, %s, dump type %s\n",
		h->used, h->area_size, secs, flags, crc, dump);
}

/* The next FAULT section after @it, in record order: 1, or 0 at the end. */
static int next_fault(const struct bcr *r, struct bcr_section *it)
{
	while (bcr_next_section(r, it))
		if (it->sec->type == BUGCHECK_SECTION_FAULT)
			return 1;
	return 0;
}

/* @lead, then how the call was abandoned; returns 1 when it is malformed. */
static int print_fault(FILE *f, const char *lead, const struct bcr_section *it)
{
	struct bcr_fault ft;
	int malformed = !!bcr_fault(it, &ft);

	fputs(lead, f);
	if (malformed) {
		fprintf(f, "MALFORMED: %s", ft.malformed);
	} else if (ft.trap == BUGCHECK_FAULT_TRAP_PANIC) {
		fputs("panic ", f);
		print_quoted(f, ft.what, sizeof(ft.what));
	} else {
		fprintf(f, "%s (trap %u, error 0x%x) at %016llx ",
			bcr_trap_name(ft.trap), ft.trap, ft.error_code,
			(unsigned long long)ft.ip);
		print_quoted(f, ft.what, sizeof(ft.what));
	}
	if (ft.damaged)
		fputs(DAMAGED_MARK, f);
	fputc('\n', f);
	return malformed;
}

#define FAULT_LEAD "     fault: "
#define FAULT_ASTRAY "FAULT of callback %u (section %u, out of run order): "

/*
 * The FAULT sections print_callbacks() did not show under their callback:
 * those of no callback in the table, and those out of run order (a fault
 * is shown under its callback when no fault of a later callback came
 * before it, which is how bugcheck writes them).  Returns 1 when one of
 * them is malformed.
 */
static int print_stray_faults(FILE *f, const struct bcr *r)
{
	struct bcr_section it = BCR_SECTION_INIT;
	uint32_t high = 0;
	int malformed = 0;
	char lead[80];

	while (next_fault(r, &it)) {
		uint32_t cb = it.sec->callback;

		if (cb < r->nr_callbacks && cb >= high) {
			high = cb;
			continue;
		}
		if (cb == UINT32_MAX)
			snprintf(lead, sizeof(lead),
				 "FAULT in bugcheck's own code: ");
		else if (cb >= r->nr_callbacks)
			snprintf(lead, sizeof(lead),
				 "FAULT of callback %u (not in the table): ",
				 cb);
		else
			snprintf(lead, sizeof(lead), FAULT_ASTRAY, cb,
				 it.index);
		malformed |= print_fault(f, lead, &it);
	}
	return malformed;
}

/* Returns 1 when a FAULT section is malformed. */
static int print_callbacks(FILE *f, const struct bcr *r)
{
	struct bcr_section ft = BCR_SECTION_INIT;
	int more, malformed = 0;
	const struct bugcheck_record_header *h = r->hdr;
	char comp[NAME_LEN], mod[NAME_LEN], flags[128], rn[16], sn[16];
	uint32_t i;

	if (!r->callbacks) {
		fprintf(f, "CALLBACKS: %u, table unreadable\n",
			h->nr_callbacks);
		return print_stray_faults(f, r);
	}
	more = next_fault(r, &ft);
	fprintf(f, "%3s  %-24s %-13s %-11s %-24s %6s  %s\n", "#", "COMPONENT",
		"REASON", "STATE", "MODULE", "BYTES", "FLAGS");
	for (i = 0; i < r->nr_callbacks; i++) {
		const struct bugcheck_record_callback *e = bcr_callback(r, i);
		int running;

		if (!e)
			break;
		/* In an incomplete record, the STARTED entry is what was running. */
		running = !(h->flags & BUGCHECK_RECORD_F_COMPLETE) &&
			  e->state == BUGCHECK_RECORD_STATE_STARTED &&
			  e->reason != BUGCHECK_RECORD_REASON_DUMP_IO;
		fprintf(f, "%3u  %-24s %-13s %-11s %-24s %6u  %s%s\n", i,
			bcr__field(e->component, sizeof(e->component), comp,
				   sizeof(comp)),
			bcr__num(bcr__reason(e->reason), e->reason, rn,
				 sizeof(rn)),
			bcr__num(bcr__state(e->state), e->state, sn,
				 sizeof(sn)),
			e->module[0] ? bcr__field(e->module, sizeof(e->module),
						  mod, sizeof(mod)) :
				       "-",
			e->bytes, bcr_flags_str(e->flags, flags, sizeof(flags)),
			running ? "  <- running when the record stopped" : "");
		/*
		 * Its faults, in one walk of the FAULT sections for the whole
		 * table: bugcheck writes them in run order.  Any other is
		 * stepped over and shown after the table.
		 */
		while (more && (ft.sec->callback <= i ||
				ft.sec->callback >= r->nr_callbacks)) {
			if (ft.sec->callback == i)
				malformed |= print_fault(f, FAULT_LEAD, &ft);
			more = next_fault(r, &ft);
		}
	}
	if (!r->nr_callbacks)
		fprintf(f, "%3s  (no callbacks ran)\n", "");
	return print_stray_faults(f, r) | malformed;
}

#define IO_MISSING \
	"\nDUMP I/O: status table (%u expected) not in this copy of the record\n"

static void print_io(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = r->hdr;
	char comp[NAME_LEN], sn[16];
	uint32_t k;

	if (!r->nr_io) {
		if (h->nr_io_status && (h->flags & BUGCHECK_RECORD_F_COMPLETE))
			fprintf(f, IO_MISSING, h->nr_io_status);
		return;
	}
	fprintf(f,
		"\nDUMP I/O: (the table above shows dump-io callbacks as started)\n");
	fprintf(f, "%3s  %-24s %-11s %10s %10s\n", "#", "COMPONENT", "STATE",
		"WRITES", "BYTES");
	for (k = 0; k < r->nr_io; k++) {
		const struct bugcheck_record_io_status *io = &r->io[k];

		fprintf(f, "%3u  %-24s %-11s %10u %10u\n", io->callback,
			component_of(r, io->callback, comp, sizeof(comp)),
			bcr__num(bcr__state(io->state), io->state, sn,
				 sizeof(sn)),
			io->writes, io->bytes);
	}
}

int bcr_print_summary(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = begin(f, r);
	char when[64], rel[sizeof(h->release) + 1];
	int malformed;

	if (!h)
		return no_header(r);
	fprintf(f,
		"BUGCHECK_CODE: %s (0x%x)   PARAMETERS: %016llx %016llx %016llx %016llx\n",
		bcr_code_name(h->bugcheck_code), h->bugcheck_code,
		(unsigned long long)h->bugcheck_parameter[0],
		(unsigned long long)h->bugcheck_parameter[1],
		(unsigned long long)h->bugcheck_parameter[2],
		(unsigned long long)h->bugcheck_parameter[3]);
	fputs("MESSAGE: ", f);
	print_quoted(f, h->message, sizeof(h->message));
	fprintf(f, "   CPU: %u   TIME: %s   KERNEL: %s\n", h->panic_cpu,
		time_str(h->time_ns, when, sizeof(when)),
		bcr__field(h->release, sizeof(h->release), rel, sizeof(rel)));
	print_record_line(f, r);
	if (h->reentries)
		fprintf(f,
			"REENTRIES: %u (callbacks that faulted or panicked)\n",
			h->reentries);
	if (h->dropped_sections || h->dropped_bytes)
		fprintf(f, "DROPPED: %u sections, %u bytes\n",
			h->dropped_sections, h->dropped_bytes);
	fputc('\n', f);
	malformed = print_callbacks(f, r);
	print_io(f, r);
	if (ferror(f))
		return BCR_E_IO;
	return malformed ? BCR_E_SECTION : 0;
}

static void print_guid(FILE *f, const uint8_t *guid)
{
	char text[37];

	if (bcr__all_zero(guid, 16)) {
		fputs("-", f);
		return;
	}
	bcr_guid_str(guid, text);
	fprintf(f, "{%s}", text);
}

/*
 * One tagged block: the SECONDARY section or the multipart blob section @s
 * belongs to, its parts joined in part order.
 */
static void print_tag(FILE *f, const struct bcr *r, const struct bcr_section *s,
		      int no_data)
{
	char comp[NAME_LEN], flags[128], text[37];
	uint32_t nr_parts = 0, nr_damaged = 0, sflags = 0;
	struct bcr_section part;
	uint64_t total = 0;
	int more;

	if (!bcr__first_part(r, s->index, &part))
		return;
	for (more = 1; more; more = bcr__next_part(r, &part)) {
		nr_parts++;
		nr_damaged += part.damaged;
		total += part.sec->length;
		sflags |= part.sec->flags;
	}
	bcr_guid_str(s->sec->guid, text);
	fprintf(f, "{%s}  %llu bytes  %s", text, (unsigned long long)total,
		component_of(r, s->sec->callback, comp, sizeof(comp)));
	if (s->sec->type == BUGCHECK_SECTION_MULTIPART)
		fprintf(f, "  multipart, %u part%s", nr_parts,
			nr_parts == 1 ? "" : "s");
	if (sflags)
		fprintf(f, "  flags %s",
			bcr_flags_str(sflags, flags, sizeof(flags)));
	if (!(bcr__entry_flags(r, s->index) & BCR_ENTRY_TAG_FIRST))
		fputs("  (duplicate, ignored by readers)", f);
	if (nr_damaged && s->sec->type == BUGCHECK_SECTION_MULTIPART)
		fprintf(f, "%s: %u of %u parts", DAMAGED_MARK, nr_damaged,
			nr_parts);
	else if (nr_damaged)
		fputs(DAMAGED_MARK, f);
	fputc('\n', f);
	if (no_data)
		return;
	if (s->sec->type == BUGCHECK_SECTION_MULTIPART) {
		struct hexdump d = { .f = f };

		bcr__first_part(r, s->index, &part);
		for (more = 1; more; more = bcr__next_part(r, &part))
			hex_feed(&d, part.payload, part.sec->length);
		hex_row(&d);
	} else {
		bcr_hexdump(f, s->payload, s->sec->length, 0);
	}
	fputc('\n', f);
}

int bcr_print_tags(FILE *f, const struct bcr *r, const uint8_t *guid,
		   int no_data)
{
	const struct bugcheck_record_header *h = begin(f, r);
	struct bcr_section it = BCR_SECTION_INIT;
	char text[37];
	int found = 0;

	if (!h)
		return no_header(r);
	if (guid) {
		if (bcr__first_tagged(r, guid, &it)) {
			print_tag(f, r, &it, no_data);
			return end(f);
		}
		bcr_guid_str(guid, text);
		fprintf(f, "no block tagged {%s}\n", text);
		return BCR_E_NOTFOUND;
	}
	while (bcr_next_section(r, &it)) {
		if (!bcr__is_tagged(it.sec) ||
		    !(bcr__entry_flags(r, it.index) & BCR_ENTRY_BLOB_HEAD))
			continue;
		print_tag(f, r, &it, no_data);
		found = 1;
	}
	if (!found)
		fputs("no tagged blocks\n", f);
	return end(f);
}

static const char *page_kind(uint32_t flags, int words)
{
	switch (flags &
		(BUGCHECK_SECTION_F_PHYSICAL | BUGCHECK_SECTION_F_VIRTUAL)) {
	case BUGCHECK_SECTION_F_PHYSICAL:
		return words ? "physical" : "phys";
	case BUGCHECK_SECTION_F_VIRTUAL:
		return words ? "virtual" : "virt";
	}
	return words ? "unknown" : "?";
}

int bcr_print_pages(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = begin(f, r);
	const uint32_t kinds = BUGCHECK_SECTION_F_PHYSICAL |
			       BUGCHECK_SECTION_F_VIRTUAL;
	struct bcr_section it = BCR_SECTION_INIT;
	char comp[NAME_LEN], flags[128];
	int found = 0;

	if (!h)
		return no_header(r);
	fprintf(f, "%-16s  %-4s  %5s  %-24s  %s\n", "ORIGINAL ADDRESS", "KIND",
		"PAGES", "COMPONENT", "FLAGS");
	while (bcr_next_section(r, &it)) {
		const struct bugcheck_record_section *s = it.sec;
		uint32_t rest = s->flags & ~kinds;
		int removed = s->type == BUGCHECK_SECTION_REMOVED_PAGES;

		if (!removed && s->type != BUGCHECK_SECTION_ADDED_PAGES)
			continue;
		fprintf(f, "%016llx  %-4s  %5llu  %-24s  %s%s%s%s\n",
			(unsigned long long)s->address, page_kind(s->flags, 0),
			(unsigned long long)s->count,
			component_of(r, s->callback, comp, sizeof(comp)),
			removed ? "removed" : "", removed && rest ? ", " : "",
			removed && !rest ?
				"" :
				bcr_flags_str(rest, flags, sizeof(flags)),
			it.damaged ? DAMAGED_MARK : "");
		found = 1;
	}
	if (!found)
		fputs("(no page ranges)\n", f);
	return end(f);
}

int bcr_print_page(FILE *f, const struct bcr *r, uint64_t addr)
{
	const uint32_t kinds = BUGCHECK_SECTION_F_PHYSICAL |
			       BUGCHECK_SECTION_F_VIRTUAL;
	const struct bugcheck_record_section *s;
	uint64_t page_size, page;
	char comp[NAME_LEN], flags[128];
	struct bcr_section it;
	uint32_t off = 0;

	if (!f || !r)
		return BCR_E_ARG;
	if (!r->hdr)
		return no_header(r);
	if (bcr_find_page(r, addr, &it, &off))
		return BCR_E_NOTFOUND;
	s = it.sec;
	/* A page size the section does not hold whole is damage, not data. */
	if (!s->count || s->length % s->count || off >= s->length)
		return BCR_E_SECTION;
	page_size = s->length / s->count;
	page = off / page_size;
	fprintf(f,
		"%s: page %llu of %s range %llx-%llx (%llu pages, section %u, flags %s)%s\n",
		component_of(r, s->callback, comp, sizeof(comp)),
		(unsigned long long)page, page_kind(s->flags, 1),
		(unsigned long long)s->address,
		(unsigned long long)(s->address + s->length - 1),
		(unsigned long long)s->count, it.index,
		bcr_flags_str(s->flags & ~kinds, flags, sizeof(flags)),
		it.damaged ? DAMAGED_MARK : "");
	bcr_hexdump(f, it.payload + page * page_size, page_size,
		    s->address + page * page_size);
	return end(f);
}

static int print_user_block_fields(FILE *f, const struct bcr_section *it);

static int component_is(const struct bugcheck_record_callback *e,
			const char *name)
{
	size_t len = strnlen(e->component, sizeof(e->component));

	return len == strlen(name) && !memcmp(e->component, name, len);
}

#define CALLBACK_LINE \
	"CALLBACK %u: %s  module %s  reason %s  state %s  calls %u  bytes %u  sections %u  flags %s  function %016llx\n"

int bcr_print_component(FILE *f, const struct bcr *r, const char *component)
{
	const struct bugcheck_record_header *h;
	struct bcr_section it = BCR_SECTION_INIT;
	char comp[NAME_LEN], mod[NAME_LEN], flags[128], rn[16], sn[16], tn[16];
	uint32_t i, matches = 0;
	int malformed = 0;

	if (!component)
		return BCR_E_ARG;
	h = begin(f, r);
	if (!h)
		return no_header(r);
	for (i = 0; i < r->nr_callbacks; i++) {
		const struct bugcheck_record_callback *e = bcr_callback(r, i);

		if (!e || !component_is(e, component))
			continue;
		matches++;
		fprintf(f, CALLBACK_LINE, i,
			bcr__field(e->component, sizeof(e->component), comp,
				   sizeof(comp)),
			e->module[0] ? bcr__field(e->module, sizeof(e->module),
						  mod, sizeof(mod)) :
				       "-",
			bcr__num(bcr__reason(e->reason), e->reason, rn,
				 sizeof(rn)),
			bcr__num(bcr__state(e->state), e->state, sn,
				 sizeof(sn)),
			e->calls, e->bytes, e->sections,
			bcr_flags_str(e->flags, flags, sizeof(flags)),
			(unsigned long long)e->callback);
	}
	if (!matches)
		return BCR_E_NOTFOUND;
	while (bcr_next_section(r, &it)) {
		const struct bugcheck_record_section *s = it.sec;
		const struct bugcheck_record_callback *e =
			bcr_callback(r, s->callback);
		int addressed = s->type == BUGCHECK_SECTION_ADDED_PAGES ||
				s->type == BUGCHECK_SECTION_TRIAGE ||
				s->type == BUGCHECK_SECTION_LEGACY;

		if (!e || !component_is(e, component))
			continue;
		fprintf(f, "\nSECTION %u: %s  part %u  guid ", it.index,
			bcr__num(bcr__section_type(s->type), s->type, tn,
				 sizeof(tn)),
			s->part);
		print_guid(f, s->guid);
		fprintf(f,
			"  address %016llx  length %u  count %llu  flags %s%s\n",
			(unsigned long long)s->address, s->length,
			(unsigned long long)s->count,
			bcr_flags_str(s->flags, flags, sizeof(flags)),
			it.damaged ? DAMAGED_MARK : "");
		if (s->type == BUGCHECK_SECTION_USER_BLOCK &&
		    print_user_block_fields(f, &it))
			continue;
		if (s->type == BUGCHECK_SECTION_FAULT)
			malformed |= print_fault(f, "FAULT: ", &it);
		bcr_hexdump(f, it.payload, s->length,
			    addressed ? s->address : 0);
	}
	if (ferror(f))
		return BCR_E_IO;
	return malformed ? BCR_E_SECTION : 0;
}

#define DEV_ROW "%-24s %-22s %-10s %5s  %-10s %-10s %-10s  %-12s %5s"

/* One row; returns 1 when a string lacks its NUL (shown cut at its array's end). */
static int print_device(FILE *f, const struct bcr_section *it)
{
	struct bugcheck_record_device d;
	char name[sizeof(d.name) + 1], driver[sizeof(d.driver) + 1],
		parent[sizeof(d.parent) + 1];
	char depth[16], before[16], after[16], method[16], result[24],
		usage[16];
	int malformed;

	/* The caller checked the length; fields beyond it (a newer writer's) are ignored. */
	memcpy(&d, it->payload, sizeof(d));
	malformed = !bcr__terminated(d.name, sizeof(d.name)) ||
		    !bcr__terminated(d.driver, sizeof(d.driver)) ||
		    !bcr__terminated(d.parent, sizeof(d.parent));
	bcr__field(d.name, sizeof(d.name), name, sizeof(name));
	bcr__field(d.driver, sizeof(d.driver), driver, sizeof(driver));
	bcr__field(d.parent, sizeof(d.parent), parent, sizeof(parent));
	snprintf(depth, sizeof(depth), "%u", d.depth);
	snprintf(usage, sizeof(usage), "%u", d.usage_count);
	fprintf(f, DEV_ROW, name[0] ? name : "-", driver[0] ? driver : "-",
		parent[0] ? parent : "-", depth,
		bcr__num(bcr__device_status(d.before), d.before, before,
			 sizeof(before)),
		bcr__num(bcr__device_status(d.after), d.after, after,
			 sizeof(after)),
		bcr__num(bcr__device_method(d.method), d.method, method,
			 sizeof(method)),
		bcr__result_str(d.result, result, sizeof(result)), usage);
	if (malformed)
		fputs("  MALFORMED: unterminated string", f);
	if (it->damaged)
		fputs(DAMAGED_MARK, f);
	fputc('\n', f);
	return malformed;
}

int bcr_print_devices(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = begin(f, r);
	struct bcr_section it = BCR_SECTION_INIT;
	int found = 0, malformed = 0;

	if (!h)
		return no_header(r);
	while (bcr_next_section(r, &it)) {
		if (it.sec->type != BUGCHECK_SECTION_DEVICE)
			continue;
		if (!found++) {
			if (h->flags & BUGCHECK_RECORD_F_SIMULATED)
				fputs("(simulated bugcheck: no device was powered)\n",
				      f);
			fprintf(f, DEV_ROW "\n", "DEVICE", "DRIVER", "PARENT",
				"DEPTH", "BEFORE", "AFTER", "METHOD", "RESULT",
				"USAGE");
		}
		if (it.sec->length < sizeof(struct bugcheck_record_device)) {
			fprintf(f,
				"(section %u: MALFORMED device section, %u bytes, expected %zu)\n",
				it.index, it.sec->length,
				sizeof(struct bugcheck_record_device));
			malformed = 1;
			continue;
		}
		malformed |= print_device(f, &it);
	}
	if (!found)
		fprintf(f, "no crash-dump devices in this record%s\n",
			r->error ? " (or in what survived of it)" : "");
	if (ferror(f))
		return BCR_E_IO;
	return malformed ? BCR_E_SECTION : 0;
}

long bcr_user_block_write(FILE *out, const struct bcr_user_block *ub)
{
	if (!out || !ub)
		return BCR_E_ARG;
	/* Only bytes that are exactly what the kernel copied. */
	if (ub->malformed[0] || ub->damaged || (ub->copied && !ub->contents))
		return BCR_E_SECTION;
	if (ub->copied &&
	    fwrite(ub->contents, 1, ub->copied, out) != ub->copied)
		return BCR_E_IO;
	return (long)ub->copied;
}

#define USER_BLOCK_LINE \
	"USER BLOCK: pid %d  uid %u  comm %s  address %016llx  size %llu  copied %u  flags %s\n"

/* bugdump COMPONENT: a readable block's fields, then its contents at its addresses. */
static int print_user_block_fields(FILE *f, const struct bcr_section *it)
{
	struct bcr_user_block ub;
	char flags[160];

	if (bcr_user_block(it, &ub)) {
		/* The caller dumps the raw payload. */
		fprintf(f, "USER BLOCK: MALFORMED: %s\n", ub.malformed);
		return 0;
	}
	fprintf(f, USER_BLOCK_LINE, ub.pid, ub.uid, ub.comm[0] ? ub.comm : "-",
		(unsigned long long)ub.address, (unsigned long long)ub.size,
		ub.copied, bcr_user_block_flags_str(&ub, flags, sizeof(flags)));
	bcr_hexdump(f, ub.contents, ub.copied, ub.address);
	return 1;
}

#define UB_ROW "%7s  %-16s  %-16s  %10s  %10s  %s"

static void print_user_block_row(FILE *f, const struct bcr_user_block *ub)
{
	char pid[16], address[24], size[24], copied[16], flags[160];

	snprintf(pid, sizeof(pid), "%d", ub->pid);
	snprintf(address, sizeof(address), "%016llx",
		 (unsigned long long)ub->address);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)ub->size);
	snprintf(copied, sizeof(copied), "%u", ub->copied);
	fprintf(f, UB_ROW, pid, ub->comm[0] ? ub->comm : "-", address, size,
		copied, bcr_user_block_flags_str(ub, flags, sizeof(flags)));
	if (ub->malformed[0])
		fprintf(f, "  MALFORMED: %s", ub->malformed);
	if (ub->damaged)
		fputs(DAMAGED_MARK, f);
	fputc('\n', f);
}

#define UB_DROPPED_LINE \
	"(the record ran out of room: %u sections, %u bytes dropped in all; blocks not listed did not fit)\n"

/* Blocks that did not fit at all leave no section, only the header's count. */
static void print_user_blocks_dropped(FILE *f, const struct bcr *r)
{
	const struct bugcheck_record_header *h = r->hdr;
	uint32_t i;

	if (!h->dropped_sections)
		return;
	for (i = 0; i < r->nr_callbacks; i++) {
		const struct bugcheck_record_callback *e = bcr_callback(r, i);

		if (e && e->reason == BUGCHECK_RECORD_REASON_USER_BLOCKS &&
		    (e->flags & BUGCHECK_CB_F_NO_SPACE)) {
			fprintf(f, UB_DROPPED_LINE, h->dropped_sections,
				h->dropped_bytes);
			return;
		}
	}
}

int bcr_print_user_blocks(FILE *f, const struct bcr *r, const int32_t *pid,
			  int hexdump)
{
	const struct bugcheck_record_header *h = begin(f, r);
	struct bcr_section it = BCR_SECTION_INIT;
	int any = 0, shown = 0, matched = 0, malformed = 0;
	struct bcr_user_block ub;

	if (!h)
		return no_header(r);
	while (bcr_next_section(r, &it)) {
		int ret, readable;

		if (it.sec->type != BUGCHECK_SECTION_USER_BLOCK)
			continue;
		any = 1;
		ret = bcr_user_block(&it, &ub);
		readable = it.sec->length >= UB_SIZE;
		/* A block too short to have a pid could be anyone's: always shown. */
		if (pid && readable && ub.pid != *pid)
			continue;
		if (!shown++)
			fprintf(f, UB_ROW "\n", "PID", "COMM", "ADDRESS",
				"SIZE", "COPIED", "FLAGS");
		if (ret)
			malformed = 1;
		if (readable) {
			matched++;
			print_user_block_row(f, &ub);
		} else {
			fprintf(f, "(section %u: MALFORMED user block: %s)\n",
				it.index, ub.malformed);
		}
		if (!hexdump)
			continue;
		/* Every block then ends with a blank line, with or without contents. */
		if (ub.contents)
			bcr_hexdump(f, ub.contents, ub.copied, ub.address);
		fputc('\n', f);
	}
	if (!any)
		fprintf(f, "no user blocks in this record%s\n",
			r->error ? " (or in what survived of it)" : "");
	else if (pid && !matched)
		fprintf(f, "no user blocks of pid %d in this record%s\n", *pid,
			r->error ? " (or in what survived of it)" : "");
	print_user_blocks_dropped(f, r);
	if (ferror(f))
		return BCR_E_IO;
	if (malformed)
		return BCR_E_SECTION;
	return pid && !matched ? BCR_E_NOTFOUND : 0;
}
