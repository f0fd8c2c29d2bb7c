// SPDX-License-Identifier: GPL-2.0
/*
 * test_print.c - libbcr's names and printers on valid and damaged records (names.c, print.c).
 */
#include <errno.h>

#include "helpers.h"

/* What a printer shows from a damaged section is marked as such. */
static void test_damage_marked(void)
{
	size_t len = build_std(area);
	uint8_t *buf;
	const char *out;
	struct bcr r;
	FILE *f;

	/* The 2nd multipart part and the added pages. */
	((uint8_t *)(sec_at(area, 3) + 1))[0] ^= 0x40;
	((uint8_t *)(sec_at(area, 6) + 1))[5] ^= 0x40;
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_SECTION);
	f = out_open();
	bcr_print_tags(f, &r, NULL, 1);
	out = out_text(f);
	{
		static const char want[] = {
			"multipart, 3 parts  PAYLOAD DAMAGED (CRC mismatch): 1 of 3 parts\n"
		};

		CHECK_STR(out, want);
	}
	CHECK(!strstr(strstr(out, "hello") ? out : out, "secondary  PAYLOAD"));
	f = out_open();
	bcr_print_tags(f, &r, G2, 0);
	{
		static const char want[] = {
			"PAYLOAD DAMAGED (CRC mismatch): 1 of 3 parts\n"
		};

		CHECK_STR(out_text(f), want);
	}
	f = out_open();
	bcr_print_pages(f, &r);
	out = out_text(f);
	{
		static const char want[] = {
			"  phys      2  pages                     READ_ERROR  PAYLOAD DAMAGED (CRC mismatch)\n"
		};

		CHECK_STR(out, want);
	}
	CHECK(!strstr(out, "removed  PAYLOAD"));
	f = out_open();
	CHECK_EQ(bcr_print_page(f, &r, 0x1000000 + 5), 0);
	{
		static const char want[] = {
			"(2 pages, section 6, flags READ_ERROR)  PAYLOAD DAMAGED (CRC mismatch)\n"
		};

		CHECK_STR(out_text(f), want);
	}
	free(buf);
}

/* Strings from the record reach the terminal only through the sanitiser. */
static void test_page_sanitised(void)
{
	size_t len = build_std(area);
	const char *out;
	struct bcr r;
	FILE *f;

	memcpy(cb_at(area, 4)->component, "\x1b[2Jpages", 10);
	rb_recrc(area, len);
	CHECK_EQ(topen(&r, area, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_page(f, &r, 0x1000000 + 64), 0);
	out = out_text(f);
	CHECK(!strchr(out, 0x1b));
	CHECK_STR(out, "?[2Jpages: page 1 of physical range 1000000-100007f");
	CHECK_EQ(bcr_print_page(f, &r, 0x1000000 + 128), BCR_E_NOTFOUND);
}

static void test_flags_str(void)
{
	struct bcr_user_block ub = { 0 };
	char buf[256], small[10];

	CHECK(!strcmp(bcr_flags_str(0, buf, sizeof(buf)), "-"));
	{
		static const char want[] = {
			"CLAMPED|OVERRUN|NO_SPACE|READ_ERROR|BAD_RESULT|DUPLICATE_GUID|TOO_MANY_CALLS|NOT_SCRUBBED|PHYSICAL|VIRTUAL"
		};

		CHECK(!strcmp(bcr_flags_str(0x30ff, buf, sizeof(buf)), want));
	}
	{
		static const char want[] = {
			"CLAMPED|OVERRUN|NO_SPACE|READ_ERROR|BAD_RESULT|DUPLICATE_GUID|TOO_MANY_CALLS|NOT_SCRUBBED|FAULTED|REFUSED|OWNER_GONE|PHYSICAL|VIRTUAL|0xffffc800"
		};

		CHECK(!strcmp(bcr_flags_str(0xffffffff, buf, sizeof(buf)),
			      want));
	}
	CHECK(!strcmp(bcr_flags_str(BUGCHECK_CB_F_OVERRUN | 0x800, buf,
				    sizeof(buf)),
		      "OVERRUN|0x800"));
	CHECK(!strcmp(bcr_flags_str(BUGCHECK_CB_F_FAULTED |
					    BUGCHECK_CB_F_OWNER_GONE,
				    buf, sizeof(buf)),
		      "FAULTED|OWNER_GONE"));
	CHECK(!strcmp(bcr_flags_str(0x30ff, small, sizeof(small)),
		      "CLAMPED|O"));
	CHECK(!strcmp(bcr_flags_str(0x30ff, small, 8), "CLAMPED"));
	CHECK(!strcmp(bcr_flags_str(0x30ff, small, 1), ""));
	CHECK(!strcmp(bcr_flags_str(0, small, 1), ""));
	CHECK(!strcmp(bcr_flags_str(1, NULL, 0), ""));
	CHECK(!strcmp(bcr_record_flags_str(0, buf, sizeof(buf)), "-"));
	{
		static const char want[] = {
			"COMPLETE|TRUNCATED|SIMULATED|REENTERED|LIST_CORRUPT|TABLE_FULL"
		};

		CHECK(!strcmp(bcr_record_flags_str(0x3f, buf, sizeof(buf)),
			      want));
	}
	CHECK(!strcmp(bcr_record_flags_str(0x41, buf, sizeof(buf)),
		      "COMPLETE|NESTED_PANIC"));
	CHECK(!strcmp(bcr_record_flags_str(0x81, buf, sizeof(buf)),
		      "COMPLETE|0x80"));

	ub.flags = BUGCHECK_USER_BLOCK_F_UNMAPPED | 0x80;
	ub.sec_flags = BUGCHECK_CB_F_NO_SPACE | BUGCHECK_CB_F_READ_ERROR |
		       0x4000;
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, buf, sizeof(buf)),
		      "unmapped,0x80,no-space,read-error,section-0x4000"));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, small, sizeof(small)),
		      "unmapped,"));
	ub.flags = 0;
	ub.sec_flags = BUGCHECK_CB_F_NO_SPACE;
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, buf, sizeof(buf)),
		      "no-space"));
	ub.sec_flags = 0;
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, buf, sizeof(buf)), "-"));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, small, 1), ""));
	CHECK(!strcmp(bcr_user_block_flags_str(NULL, buf, sizeof(buf)), ""));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, NULL, 0), ""));
}

static void test_names(void)
{
	CHECK(!strcmp(bcr_reason_name(1), "secondary"));
	CHECK(!strcmp(bcr_reason_name(2), "dump-io"));
	CHECK(!strcmp(bcr_reason_name(3), "add-pages"));
	CHECK(!strcmp(bcr_reason_name(4), "multipart"));
	CHECK(!strcmp(bcr_reason_name(5), "remove-pages"));
	CHECK(!strcmp(bcr_reason_name(6), "triage"));
	CHECK(!strcmp(bcr_reason_name(7), "legacy"));
	CHECK(!strcmp(bcr_reason_name(8), "devices"));
	CHECK(!strcmp(bcr_reason_name(9), "user-blocks"));
	CHECK(!strcmp(bcr_reason_name(0), "unknown"));
	CHECK(!strcmp(bcr_reason_name(10), "unknown"));
	CHECK(!strcmp(bcr_state_name(0), "none"));
	CHECK(!strcmp(bcr_state_name(2), "started"));
	CHECK(!strcmp(bcr_state_name(6), "skipped"));
	CHECK(!strcmp(bcr_state_name(7), "unknown"));
	CHECK(!strcmp(bcr_section_type_name(3), "added-pages"));
	CHECK(!strcmp(bcr_section_type_name(6), "legacy"));
	CHECK(!strcmp(bcr_section_type_name(7), "device"));
	CHECK(!strcmp(bcr_section_type_name(8), "user-block"));
	CHECK(!strcmp(bcr_section_type_name(9), "fault"));
	CHECK(!strcmp(bcr_section_type_name(10), "unknown"));
	CHECK(!strcmp(bcr_dump_type_name(1), "kdump"));
	CHECK(!strcmp(bcr_dump_type_name(0), "unknown"));
	CHECK(!strcmp(bcr_trap_name(14), "page fault"));
	CHECK(!strcmp(bcr_trap_name(13), "general protection"));
	CHECK(!strcmp(bcr_trap_name(6), "invalid opcode"));
	CHECK(!strcmp(bcr_trap_name(BUGCHECK_FAULT_TRAP_PANIC), "panic"));
	CHECK(!strcmp(bcr_trap_name(22), "unknown"));
	CHECK(!strcmp(bcr_trap_name(0xfffffffe), "unknown"));
	CHECK(!strcmp(bcr_device_method_name(5), "busy"));
	CHECK(!strcmp(bcr_device_method_name(6), "unknown"));
	CHECK(!strcmp(bcr_device_status_name(2), "suspended"));
	CHECK(!strcmp(bcr_device_status_name(4), "unknown"));
	CHECK(!strcmp(bcr_section_type_name(0), "unknown"));
	CHECK(!strcmp(bcr_section_type_name(0xffffffff), "unknown"));
	CHECK(!strcmp(bcr_code_name(1), "PANIC"));
	CHECK(!strcmp(bcr_code_name(2), "OOPS"));
	CHECK(!strcmp(bcr_code_name(3), "DIE"));
	CHECK(!strcmp(bcr_code_name(4), "SIMULATED"));
	CHECK(!strcmp(bcr_code_name(5), "UNKNOWN"));
	CHECK(!strcmp(bcr_strerror(BCR_E_SECTION), "damaged section"));
	CHECK(!strcmp(bcr_strerror(0), "success"));
	CHECK(!strcmp(bcr_strerror(-99), "unknown error"));
}

/* Is there a name for @v in its family?  1 when there is. */
static int named_word(const char *name, const char *unknown)
{
	return strcmp(name, unknown) != 0;
}

static int no_hex(const char *text)
{
	return !strstr(text, "0x");
}

static int uapi_named(const char *family, uint32_t v)
{
	struct bcr_user_block ub = { 0 };
	char buf[256];

	if (!strcmp(family, "BUGCHECK_RECORD_CODE_"))
		return named_word(bcr_code_name(v), "UNKNOWN");
	if (!strcmp(family, "BUGCHECK_RECORD_DUMP_"))
		return named_word(bcr_dump_type_name(v), "unknown");
	if (!strcmp(family, "BUGCHECK_RECORD_F_"))
		return no_hex(bcr_record_flags_str(v, buf, sizeof(buf)));
	if (!strcmp(family, "BUGCHECK_RECORD_REASON_"))
		return named_word(bcr_reason_name(v), "unknown");
	if (!strcmp(family, "BUGCHECK_RECORD_STATE_"))
		return named_word(bcr_state_name(v), "unknown");
	if (!strcmp(family, "BUGCHECK_SECTION_"))
		return named_word(bcr_section_type_name(v), "unknown");
	if (!strcmp(family, "BUGCHECK_FAULT_TRAP_"))
		return named_word(bcr_trap_name(v), "unknown");
	if (!strcmp(family, "BUGCHECK_DEVICE_METHOD_"))
		return named_word(bcr_device_method_name(v), "unknown");
	if (!strcmp(family, "BUGCHECK_DEVICE_RPM_"))
		return named_word(bcr_device_status_name(v), "unknown");
	if (!strcmp(family, "BUGCHECK_USER_BLOCK_F_")) {
		ub.flags = v;
		return no_hex(bcr_user_block_flags_str(&ub, buf, sizeof(buf)));
	}
	/* Callback and section flags: as FLAGS words and as user-block words. */
	if (!no_hex(bcr_flags_str(v, buf, sizeof(buf))))
		return 0;
	ub.sec_flags = v;
	return no_hex(bcr_user_block_flags_str(&ub, buf, sizeof(buf)));
}

/*
 * The families of the uapi record header's constants, longest prefix
 * first; versions are numbers, not values a record field takes.
 */
static const char *const uapi_families[] = {
	"BUGCHECK_RECORD_CODE_",  "BUGCHECK_RECORD_DUMP_",
	"BUGCHECK_RECORD_F_",	  "BUGCHECK_RECORD_REASON_",
	"BUGCHECK_RECORD_STATE_", "BUGCHECK_CB_F_",
	"BUGCHECK_SECTION_F_",	  "BUGCHECK_SECTION_",
	"BUGCHECK_FAULT_TRAP_",	  "BUGCHECK_DEVICE_METHOD_",
	"BUGCHECK_DEVICE_RPM_",	  "BUGCHECK_USER_BLOCK_F_",
};

static const char *const uapi_not_values[] = {
	"BUGCHECK_RECORD_VERSION",
	"BUGCHECK_LOCATOR_VERSION",
};

/* One #define of the header: 1 when it is a value and has a name. */
static int uapi_define_named(const char *name, const char *value)
{
	const char *family = NULL;
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(uapi_not_values); i++)
		if (!strcmp(name, uapi_not_values[i]))
			return 1;
	/* The magics are strings. */
	if (value[0] == '"')
		return 1;
	errno = 0;
	v = strtoul(value, &end, 0);
	if (errno || end == value || *end || v > UINT32_MAX) {
		printf("#   %s: value \"%s\" is not a number this test reads\n",
		       name, value);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(uapi_families) && !family; i++)
		if (!strncmp(name, uapi_families[i], strlen(uapi_families[i])))
			family = uapi_families[i];
	if (!family) {
		printf("#   %s = 0x%lx: a family of values libbcr does not name\n",
		       name, v);
		return 0;
	}
	if (!uapi_named(family, (uint32_t)v)) {
		printf("#   %s = 0x%lx has no name in libbcr\n", name, v);
		return 0;
	}
	return 1;
}

/*
 * Every value the uapi record header defines has a name in libbcr.  The
 * header is read as it is (its path is compiled in), so a constant added
 * to it without a name here fails this test, naming the constant.
 */
static void test_uapi_names(void)
{
	char line[512], name[128], value[128];
	unsigned int defines = 0;
	FILE *f = fopen(BCR_UAPI_RECORD_H, "r");

	CHECK(f);
	if (!f) {
		printf("#   %s: %s\n", BCR_UAPI_RECORD_H, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		int n = sscanf(line, " #define %127s %127s", name, value);

		if (n < 1 || strncmp(name, "BUGCHECK_", 9))
			continue;
		defines++;
		if (n < 2) {
			printf("#   %s: no value\n", name);
			checks_failed++;
			continue;
		}
		if (!uapi_define_named(name, value))
			checks_failed++;
	}
	fclose(f);
	/* The header was read, not an empty or wrong file. */
	CHECK(defines >= 60);
}

static void test_hexdump(void)
{
	const char *out;
	FILE *f = out_open();

	bcr_hexdump(f, "0123456789abcdef\x00\x01\x7f\x80 ~", 22,
		    0xffffffffc0001000ULL);
	bcr_hexdump(f, "", 0, 0);
	out = out_text(f);
	{
		static const char want[] = {
			"ffffffffc0001000:  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef\n"
			"ffffffffc0001010:  00 01 7f 80 20 7e                                 .... ~\n"
		};

		CHECK(!strcmp(out, want));
	}
}

static void test_printers(void)
{
	size_t len = build_std(area);
	uint8_t *buf = exact_copy(area, len);
	const char *out;
	struct bcr r;
	FILE *f;

	CHECK_EQ(topen(&r, buf, len), BCR_OK);

	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"BUGCHECK_CODE: PANIC (0x1)   PARAMETERS: ffffffff81a2b3c4 0000000000000000 0000000000003000 0000000000000000\n"
		};

		CHECK(!strncmp(out, want, 100));
	}
	{
		static const char want[] = {
			"MESSAGE: \"sysrq triggered crash\"   CPU: 0   TIME: 2025-11-21T21:32:16.123456789Z   KERNEL: 6.1.0-test\n"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "RECORD: ");
	CHECK_STR(out, " of 16384 bytes, 8 sections, flags COMPLETE, CRC ");
	CHECK_STR(out, " ok, dump type kdump\n");
	{
		static const char want[] = {
			"\n  #  COMPONENT                REASON        STATE       MODULE                    BYTES  FLAGS\n"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"  4  pages                    add-pages     incomplete  bugcheck_sample_pages       128  READ_ERROR\n"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"  3  remove                   remove-pages  finished    -"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "DUMP I/O");
	CHECK_STR(out, "  6  mirror                   finished             4 ");
	CHECK(!strstr(out, "DAMAGED"));
	CHECK(!strstr(out, "DROPPED"));

	f = out_open();
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 0), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f50}  15 bytes  sec-a\n"
			"0000000000000000:  68 65 6c 6c 6f 20 73 65  63 6f 6e 64 61 72 79     hello secondary\n"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"{8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}  12 bytes  mp  multipart, 3 parts\n"
		};

		CHECK_STR(out, want);
	}

	f = out_open();
	CHECK_EQ(bcr_print_pages(f, &r), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"ORIGINAL ADDRESS  KIND  PAGES  COMPONENT                 FLAGS\n"
			"ffff888000100000  virt      2  remove                    removed\n"
			"0000000001000000  phys      2  pages                     READ_ERROR\n"
		};

		CHECK(!strcmp(out, want));
	}

	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "pages"), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"CALLBACK 4: pages  module bugcheck_sample_pages  reason add-pages"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"SECTION 6: added-pages  part 0  guid -  address 0000000001000000  length 128  count 2  flags READ_ERROR|PHYSICAL\n"
			"0000000001000000:  00 01 02 03"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "0000000001000070:  70 71 72");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "mp"), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"SECTION 3: multipart  part 1  guid {8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f52}"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "0000000000000000:  42 42 42");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "nope"), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_print_component(f, &r, "pag"), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_print_component(f, &r, NULL), BCR_E_ARG);
	out_text(f);
	free(buf);
}

static void test_printers_damaged(void)
{
	size_t len = build_std(area);
	uint8_t *buf;
	const char *out;
	struct bcr r;
	FILE *f;

	/* Payload CRC wrong in section 6 (added pages): all eight stay walkable. */
	((uint8_t *)(sec_at(area, 6) + 1))[5] ^= 1;
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_SECTION);

	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: section 6 at offset ", 29));
	CHECK_STR(out, "8 sections (1 damaged)");
	CHECK_STR(out, "sec-a");

	f = out_open();
	bcr_print_tags(f, &r, NULL, 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: ", 9));
	CHECK_STR(out, "hello secondary");

	f = out_open();
	bcr_print_pages(f, &r);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: ", 9));
	CHECK_STR(out, "removed");
	CHECK_STR(out, "phys"); /* the later physical range survives */

	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "legacy"), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: ", 9));
	CHECK_STR(out, "SECTION"); /* the legacy section after the bad one */
	free(buf);

	/* Nothing but "DAMAGED" when even the header is unusable. */
	buf = exact_copy(area, 100);
	CHECK_EQ(topen(&r, buf, 100), BCR_E_SHORT);
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), BCR_E_SHORT);
	CHECK_EQ(bcr_print_tags(f, &r, NULL, 0), BCR_E_SHORT);
	CHECK_EQ(bcr_print_pages(f, &r), BCR_E_SHORT);
	CHECK_EQ(bcr_print_component(f, &r, "x"), BCR_E_SHORT);
	out = out_text(f);
	{
		static const char want[] = {
			"DAMAGED: 100 bytes, shorter than the 320-byte header\n"
			"DAMAGED: 100 bytes, shorter than the 320-byte header\n"
			"DAMAGED: 100 bytes, shorter than the 320-byte header\n"
			"DAMAGED: 100 bytes, shorter than the 320-byte header\n"
		};

		CHECK(!strcmp(out, want));
	}
	free(buf);

	/* Header CRC wrong: everything shown, plus the damage. */
	build_std(area);
	H(area)->crc32 ^= 0x10;
	CHECK_EQ(topen(&r, area, len), BCR_E_CRC);
	f = out_open();
	bcr_print_summary(f, &r);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: header CRC ", 20));
	CHECK_STR(out, "BAD (computed ");
	CHECK_STR(out, "mirror");
}

#define DEV_HEADER                                                                      \
	"DEVICE                   DRIVER                 PARENT     DEPTH  BEFORE     " \
	"AFTER      METHOD      RESULT       USAGE\n"
#define DEV_PMDEV0                                                                      \
	"bugcheck-sample-pmdev.0  bugcheck-sample-pmdev  platform       1  suspended  " \
	"active     runtime-pm  0                1\n"
#define DEV_PMDEV1                                                                      \
	"bugcheck-sample-pmdev.1  bugcheck-sample-pmdev  platform       1  suspended  " \
	"suspended  hook        0                0\n"

static void test_devices(void)
{
	size_t len = build_devices(area);
	uint8_t *buf = exact_copy(area, len);
	const char *out;
	struct bcr r;
	FILE *f;

	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), 0);
	out = out_text(f);
	{
		static const char want[] = {
			DEV_HEADER DEV_PMDEV0 DEV_PMDEV1
			"bare                     -                      -              0  suspended  suspended  none        -EOPNOTSUPP      0\n"
			"odd                      drv                    bus0           5  7          4          9           -1234            3\n"
		};

		CHECK(!strcmp(out, want));
	}

	/* The summary lists bugcheck's own entry like any other. */
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"  0  crashdump-devices        devices       incomplete  bugcheck                    768  -\n"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, ", 5 sections, flags COMPLETE, CRC ");

	/* Its sections, as any component's. */
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "crashdump-devices"), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"CALLBACK 0: crashdump-devices  module bugcheck  reason devices"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"SECTION 3: device  part 3  guid -  address 0000000000000000  length 192"
		};

		CHECK_STR(out, want);
	}
	exercise(devnull, &r);
	free(buf);

	/* A simulated bugcheck powers nothing, and says so. */
	build_devices(area);
	H(area)->flags |= BUGCHECK_RECORD_F_SIMULATED;
	rb_recrc(area, len);
	CHECK_EQ(topen(&r, area, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"(simulated bugcheck: no device was powered)\n" DEV_HEADER
		};

		CHECK(!strncmp(out, want, 44));
	}

	/* No devices: one line, success. */
	len = build_std(area);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), 0);
	out = out_text(f);
	CHECK(!strcmp(out, "no crash-dump devices in this record\n"));
	free(buf);

	/* No record: only the damage. */
	buf = exact_copy(area, 100);
	CHECK_EQ(topen(&r, buf, 100), BCR_E_SHORT);
	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), BCR_E_SHORT);
	out = out_text(f);
	{
		static const char want[] = {
			"DAMAGED: 100 bytes, shorter than the 320-byte header\n"
		};

		CHECK(!strcmp(out, want));
	}
	free(buf);
	CHECK_EQ(bcr_print_devices(devnull, NULL), BCR_E_ARG);
}

/* Device sections shorter than the structure, one of them the last bytes of the buffer. */
static void test_devices_short(void)
{
	struct bugcheck_record_device d[2];
	const char *out;
	uint8_t *buf;
	struct bcr r;
	struct rb b;
	size_t len;
	uint32_t cb;
	FILE *f;

	d[0] = dev_entry("bugcheck-sample-pmdev.0", "bugcheck-sample-pmdev",
			 "platform", 0, BUGCHECK_DEVICE_METHOD_RUNTIME_PM,
			 BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_ACTIVE, 1);
	d[1] = dev_entry("bugcheck-sample-pmdev.1", "bugcheck-sample-pmdev",
			 "platform", 0, BUGCHECK_DEVICE_METHOD_HOOK,
			 BUGCHECK_DEVICE_RPM_SUSPENDED,
			 BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	rb_init(&b, area, 1);
	cb = rb_callback(&b, "crashdump-devices", "bugcheck", R_DEVICES,
			 S_FINISHED, 0);
	rb_device(&b, cb, 0, &d[0], 0);
	rb_device(&b, cb, 1, &d[0], sizeof(d[0]));
	rb_device(&b, cb, 2, &d[1], sizeof(d[1]));
	rb_device(&b, cb, 3, &d[1], sizeof(d[1]) - 1);
	rb_device(&b, cb, 4, &d[1], 100);
	len = rb_finish(&b, 0);
	/* The last payload ends 4 bytes (padding) before the buffer does. */
	CHECK_EQ(len, H(area)->used);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_OK);

	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), BCR_E_SECTION);
	out = out_text(f);
	{
		static const char want[] = {
			DEV_HEADER
			"(section 0: MALFORMED device section, 0 bytes, expected 192)\n" DEV_PMDEV0
				DEV_PMDEV1
			"(section 3: MALFORMED device section, 191 bytes, expected 192)\n"
			"(section 4: MALFORMED device section, 100 bytes, expected 192)\n"
		};

		CHECK(!strcmp(out, want));
	}
	exercise(devnull, &r);
	free(buf);
}

static const char n60[] =
	"NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN";
static const char d32[] = "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD";
static const char p64[] =
	"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP";

#define UNTERMINATED_ROW \
	"NNN?%.60s %.32s %.64s     1  suspended  suspended  hook        0                0  MALFORMED: unterminated string\n"

/* Strings that fill their arrays without a NUL are cut at the array, never run on. */
static void test_devices_unterminated(void)
{
	struct bugcheck_record_device d;
	char want[256];
	const char *out;
	uint8_t *buf;
	struct bcr r;
	struct rb b;
	size_t len;
	uint32_t cb;
	FILE *f;

	d = dev_entry("x", "y", "z", 0, BUGCHECK_DEVICE_METHOD_HOOK,
		      BUGCHECK_DEVICE_RPM_SUSPENDED,
		      BUGCHECK_DEVICE_RPM_SUSPENDED, 0);
	memset(d.name, 'N', sizeof(d.name));
	memset(d.driver, 'D', sizeof(d.driver));
	memset(d.parent, 'P', sizeof(d.parent));
	d.name[3] = '\n'; /* unprintable bytes never reach the terminal */
	rb_init(&b, area, 1);
	cb = rb_callback(&b, "crashdump-devices", "bugcheck", R_DEVICES,
			 S_FINISHED, 0);
	rb_device(&b, cb, 0, &d, sizeof(d));
	d.driver[31] = '\0'; /* only the name and the parent run on */
	rb_device(&b, cb, 1, &d, sizeof(d));
	len = rb_finish(&b, 0);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_OK);

	f = out_open();
	CHECK_EQ(bcr_print_devices(f, &r), BCR_E_SECTION);
	out = out_text(f);
	snprintf(want, sizeof(want), UNTERMINATED_ROW, n60, d32, p64);
	CHECK_STR(out, want);
	/* 31 D's, terminated */
	CHECK_STR(out, "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD PPPP");
	CHECK(!strstr(out, "ND"));
	CHECK(!strstr(out, "DP"));
	CHECK(!strstr(out, "\n "));
	free(buf);
}

#define UB_HEADER \
	"    PID  COMM              ADDRESS                 SIZE      COPIED  FLAGS\n"
#define UB_ROW0 \
	"   1187  bcblock-sample    00007f3a5c021000         100         100  -\n"
#define UB_ROW1 \
	"   1187  bcblock-sample    00007f3a5c030000        4096          40  no-space\n"
#define UB_ROW2 \
	"   1190  bcblock-sample    00007f1e2a400000        8192           0  unmapped\n"
#define UB_ROW3 \
	"   4242  worker            000055d0c0de0000          33          33  -\n"
#define UB_DROPPED \
	"(the record ran out of room: 1 sections, 69592 bytes dropped in all; blocks not listed did not fit)\n"

/* The bytes of @ub as bcr_user_block_write() puts them in a file. */
static size_t written(const struct bcr_user_block *ub, long *ret, uint8_t *out,
		      size_t size)
{
	FILE *f = out_open();
	size_t n;

	*ret = bcr_user_block_write(f, ub);
	rewind(f);
	n = fread(out, 1, size, f);
	fclose(f);
	return n;
}

static void test_user_blocks(void)
{
	size_t len = build_user_blocks(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_section it = { .index = UINT32_MAX };
	struct bcr_user_block ub;
	uint8_t bytes[256];
	int32_t pid;
	const char *out;
	struct bcr r;
	long ret;
	FILE *f;

	CHECK_EQ(topen(&r, buf, len), BCR_OK);

	/* Decoded fields, as the kernel wrote them. */
	while (bcr_next_section(&r, &it) &&
	       it.sec->type != BUGCHECK_SECTION_USER_BLOCK)
		;
	CHECK_EQ(bcr_user_block(&it, &ub), 0);
	CHECK_EQ(ub.index, 1);
	CHECK_EQ(ub.part, 0);
	CHECK_EQ(ub.address, UB_A0);
	CHECK_EQ(ub.size, 100);
	CHECK_EQ(ub.pid, 1187);
	CHECK_EQ(ub.copied, 100);
	CHECK(!strcmp(ub.comm, "bcblock-sample"));
	CHECK(ub.contents ==
	      it.payload + sizeof(struct bugcheck_record_user_block));
	CHECK_EQ(ub.malformed[0], '\0');
	CHECK_EQ(ub.damaged, 0);
	it.index = UINT32_MAX;
	bcr_next_section(&r, &it); /* the secondary block */
	CHECK_EQ(bcr_user_block(&it, &ub), BCR_E_ARG);
	CHECK_EQ(bcr_user_block(NULL, &ub), BCR_E_ARG);

	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 0), 0);
	out = out_text(f);
	CHECK(!strcmp(out,
		      UB_HEADER UB_ROW0 UB_ROW1 UB_ROW2 UB_ROW3 UB_DROPPED));

	/* -p: only that process's blocks, in record order. */
	pid = 1187;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), 0);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER UB_ROW0 UB_ROW1 UB_DROPPED));
	pid = 4242;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), 0);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER UB_ROW3 UB_DROPPED));
	pid = 9999;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_NOTFOUND);
	out = out_text(f);
	{
		static const char want[] = {
			"no user blocks of pid 9999 in this record\n" UB_DROPPED
		};

		CHECK(!strcmp(out, want));
	}

	/* -x: contents at the blocks' own addresses; none for the unmapped one. */
	pid = 1190;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 1), 0);
	out = out_text(f);
	CHECK(!strcmp(out, UB_HEADER UB_ROW2 "\n" UB_DROPPED));
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 1), 0);
	out = out_text(f);
	{
		static const char want[] = {
			UB_HEADER UB_ROW0
			"00007f3a5c021000:  01 04 07 0a 0d 10 13 16  19 1c 1f 22 25 28 2b 2e  ...........\"%(+.\n"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"00007f3a5c021060:  21 24 27 2a                                       !$'*\n\n"
			"   1187  bcblock-sample    00007f3a5c030000        4096          40  no-space\n"
			"00007f3a5c030000:  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP\n"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"00007f3a5c030020:  47 48 49 4a 4b 4c 4d 4e                           GHIJKLMN\n\n"
			"   1190  bcblock-sample    00007f1e2a400000        8192           0  unmapped\n"
			"\n" UB_ROW3
			"000055d0c0de0000:  73 74 61 74 65 3d 52 55  4e 4e 49 4e 47 20 71 75  state=RUNNING qu\n"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"000055d0c0de0020:  0a                                                .\n\n"
			"(the record ran out of room: 1 sections, 69592 bytes dropped in all; blocks not listed did not fit)\n"
		};

		CHECK_STR(out, want);
	}

	/* The summary and bugdump COMPONENT name them. */
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"  1  user-blocks              user-blocks   incomplete  bugcheck                    "
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "DROPPED: 1 sections, 69592 bytes\n");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "user-blocks"), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"CALLBACK 1: user-blocks  module bugcheck  reason user-blocks  state incomplete"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"SECTION 2: user-block  part 1  guid -  address 00007f3a5c030000  length 88  count 4096  flags NO_SPACE\n"
			"USER BLOCK: pid 1187  uid 0  comm bcblock-sample  address 00007f3a5c030000  size 4096  copied 40  flags no-space\n"
			"00007f3a5c030000:  41 42 43"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"USER BLOCK: pid 1190  uid 0  comm bcblock-sample  address 00007f1e2a400000  size 8192  copied 0  flags unmapped\n\nSECTION 4"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "USER BLOCK: pid 4242  uid 1000  comm worker");

	/* Raw contents, byte for byte. */
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), sizeof(ub_a0));
	CHECK_EQ(ret, sizeof(ub_a0));
	CHECK(!memcmp(bytes, ub_a0, sizeof(ub_a0)));
	CHECK_EQ(bcr_find_user_block(&r, 4242, UB_A3, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), sizeof(ub_a3) - 1);
	CHECK(!memcmp(bytes, ub_a3, sizeof(ub_a3) - 1));
	/* Cut by NO_SPACE: what the record holds, and the flags say so. */
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A1, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 40);
	CHECK(!memcmp(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN", 40));
	CHECK(!strcmp(bcr_user_block_flags_str(&ub, (char *)bytes,
					       sizeof(bytes)),
		      "no-space"));
	CHECK_EQ(bcr_find_user_block(&r, 1190, UB_A2, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 0);
	CHECK_EQ(ret, 0);
	/* Selected by pid and start address, nothing else. */
	CHECK_EQ(bcr_find_user_block(&r, 1190, UB_A0, &ub), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0 + 1, &ub), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0 - 1, &ub), BCR_E_NOTFOUND);
	CHECK_EQ(bcr_find_user_block(NULL, 1187, UB_A0, &ub), BCR_E_ARG);
	CHECK_EQ(bcr_user_block_write(NULL, &ub), BCR_E_ARG);
	exercise(devnull, &r);
	free(buf);

	/* No user blocks: one line, success; a pid is then not found. */
	len = build_std(area);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 1), 0);
	out = out_text(f);
	CHECK(!strcmp(out, "no user blocks in this record\n"));
	pid = 1187;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_NOTFOUND);
	out = out_text(f);
	CHECK(!strcmp(out, "no user blocks in this record\n"));
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0, &ub), BCR_E_NOTFOUND);
	free(buf);

	/* No record: only the damage. */
	buf = exact_copy(area, 100);
	CHECK_EQ(topen(&r, buf, 100), BCR_E_SHORT);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 0), BCR_E_SHORT);
	out = out_text(f);
	{
		static const char want[] = {
			"DAMAGED: 100 bytes, shorter than the 320-byte header\n"
		};

		CHECK(!strcmp(out, want));
	}
	free(buf);
	CHECK_EQ(bcr_print_user_blocks(devnull, NULL, NULL, 0), BCR_E_ARG);
}

/*
 * Blocks that do not hold together, each between good ones: every one is
 * shown as MALFORMED with its reason, never its contents, and the walk goes on.
 *  0 good
 *  1 copied 200 > size 100 (and the payload holds the 200)
 *  2 payload of 47 bytes, one short of the block header
 *  3 payload of 0 bytes
 *  4 copied 10, but 12 bytes follow the header
 *  5 comm of 16 bytes without a NUL, one of them a newline
 *  6 section address not the block's
 *  7 unknown flags: shown, not rejected
 *  8 good
 */
static void test_user_blocks_malformed(void)
{
	size_t len = build_user_blocks_malformed(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_user_block ub;
	const char *out;
	uint8_t bytes[64];
	int32_t pid;
	struct bcr r;
	long ret;
	FILE *f;

	/* Malformed payloads are not a damaged record: their CRCs hold. */
	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 1), BCR_E_SECTION);
	out = out_text(f);
	{
		static const char want[] = {
			UB_HEADER
			"    100  good              0000000000001000          16          16  -\n"
			"0000000000001000:  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef\n\n"
			"    101  greedy            0000000000002000         100         200  -  MALFORMED: copied 200, more than the size 100\n\n"
			"(section 2: MALFORMED user block: 47-byte payload, shorter than the 48-byte block header)\n\n"
			"(section 3: MALFORMED user block: 0-byte payload, shorter than the 48-byte block header)\n\n"
			"    104  liar              0000000000004000          64          10  -  MALFORMED: copied 10, but 12 bytes follow the block header\n\n"
			"    105  ABCDEFG?IJKLMNOP  0000000000005000           4           4  -  MALFORMED: comm not NUL-terminated\n\n"
			"    106  moved             0000000000006000           4           4  -  MALFORMED: section address 6100 count 4 are not the block's\n\n"
			"    107  odd               0000000000007000           4           4  unmapped,0x80,read-error,section-0x4000\n"
			"0000000000007000:  77 78 79 7a                                       wxyz\n\n"
			"    108  good2             0000000000008000           2           2  -\n"
			"0000000000008000:  6f 6b                                             ok\n\n"
		};

		CHECK(!strcmp(out, want));
	}

	/* A pid filter still shows the blocks too short to have a pid. */
	pid = 108;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_SECTION);
	out = out_text(f);
	{
		static const char want[] = {
			UB_HEADER
			"(section 2: MALFORMED user block: 47-byte payload, shorter than the 48-byte block header)\n"
			"(section 3: MALFORMED user block: 0-byte payload, shorter than the 48-byte block header)\n"
			"    108  good2             0000000000008000           2           2  -\n"
		};

		CHECK(!strcmp(out, want));
	}
	pid = 100;
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, &pid, 0), BCR_E_SECTION);
	out_text(f);

	/* Malformed blocks are found, never written. */
	CHECK_EQ(bcr_find_user_block(&r, 101, 0x2000, &ub), BCR_E_SECTION);
	CHECK_STR(ub.malformed, "copied 200");
	CHECK(!ub.contents);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 0);
	CHECK_EQ(ret, BCR_E_SECTION);
	CHECK_EQ(bcr_find_user_block(&r, 104, 0x4000, &ub), BCR_E_SECTION);
	CHECK_EQ(bcr_find_user_block(&r, 105, 0x5000, &ub), BCR_E_SECTION);
	CHECK(!strcmp(ub.comm, "ABCDEFG?IJKLMNOP"));
	CHECK_EQ(bcr_find_user_block(&r, 106, 0x6000, &ub), BCR_E_SECTION);
	CHECK_EQ(bcr_find_user_block(&r, 102, 0x3000, &ub), BCR_E_NOTFOUND);
	/* Unknown flags are no reason to refuse. */
	CHECK_EQ(bcr_find_user_block(&r, 107, 0x7000, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 4);
	CHECK(!memcmp(bytes, "wxyz", 4));
	CHECK_EQ(bcr_find_user_block(&r, 108, 0x8000, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 2);
	CHECK(!memcmp(bytes, "ok", 2));

	/* bugdump COMPONENT shows the raw payload of a malformed one. */
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "user-blocks"), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"length 248  count 100  flags -\n"
			"USER BLOCK: MALFORMED: copied 200, more than the size 100\n"
			"0000000000000000:  00 20 00 00 00 00 00 00  64 00 00 00"
		};

		CHECK_STR(out, want);
	}
	{
		static const char want[] = {
			"length 0  count 8  flags -\n"
			"USER BLOCK: MALFORMED: 0-byte payload, shorter than the 48-byte block header\n\nSECTION 4"
		};

		CHECK_STR(out, want);
	}
	exercise(devnull, &r);
	free(buf);
}

/* A user block whose payload CRC is wrong: shown, marked, never written. */
static void test_user_blocks_damaged(void)
{
	size_t len = build_user_blocks(area);
	struct bcr_user_block ub;
	uint8_t bytes[256], *buf;
	const char *out;
	struct bcr r;
	long ret;
	FILE *f;

	/* Section 1 is block 0: flip one byte of its contents. */
	((uint8_t *)(sec_at(area, 1) +
		     1))[sizeof(struct bugcheck_record_user_block) + 5] ^= 1;
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_SECTION);
	f = out_open();
	CHECK_EQ(bcr_print_user_blocks(f, &r, NULL, 0), 0);
	out = out_text(f);
	CHECK(!strncmp(out, "DAMAGED: section 1 at offset ", 29));
	{
		static const char want[] = {
			UB_HEADER
			"   1187  bcblock-sample    00007f3a5c021000         100         100  -  PAYLOAD DAMAGED (CRC mismatch)\n"
			"   1187  bcblock-sample    00007f3a5c030000        4096          40  no-space\n"
			"   1190  bcblock-sample    00007f1e2a400000        8192           0  unmapped\n"
			"   4242  worker            000055d0c0de0000          33          33  -\n"
		};

		CHECK_STR(out, want);
	}
	CHECK_EQ(bcr_find_user_block(&r, 1187, UB_A0, &ub), BCR_E_SECTION);
	CHECK_EQ(ub.damaged, 1);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), 0);
	CHECK_EQ(ret, BCR_E_SECTION);
	/* The others are intact. */
	CHECK_EQ(bcr_find_user_block(&r, 4242, UB_A3, &ub), 0);
	CHECK_EQ(written(&ub, &ret, bytes, sizeof(bytes)), sizeof(ub_a3) - 1);
	exercise(devnull, &r);
	free(buf);
}

/* Each fault under its callback, the others after the table, malformed marked. */
static void test_faults(void)
{
	size_t len = build_faults(area);
	uint8_t *buf = exact_copy(area, len);
	struct bcr_section it = BCR_SECTION_INIT;
	struct bcr_fault ft;
	const char *out;
	struct bcr r;
	FILE *f;

	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	out = out_text(f);
	{
		static const char want[] = {
			"  0  sec-a                    secondary     finished    bugcheck_sample_secondary     15  -\n"
			"  1  test-fault               secondary     failed      bugcheck_test_fault          16  FAULTED\n"
			"     fault: page fault (trap 14, error 0x2) at ffffffffc0a01234 \"Oops\"\n"
			"  2  test-bug                 triage        failed      bugcheck_test_fault           0  FAULTED\n"
			"     fault: invalid opcode (trap 6, error 0x0) at ffffffffc0a02000 \"invalid opcode\"\n"
			"  3  test-panic               secondary     failed      bugcheck_test_fault           0  FAULTED\n"
			"     fault: panic \"test-fault: test-panic gives up\"\n"
			"FAULT in bugcheck's own code: general protection (trap 13, error 0x0) at ffffffff81234567 \"general protection fault\"\n"
		};

		CHECK_STR(out, want);
	}
	CHECK_STR(out, "flags COMPLETE|REENTERED, CRC ");
	CHECK_STR(out, "REENTRIES: 4 (callbacks that faulted or panicked)\n");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "test-panic"), 0);
	CHECK_STR(out_text(f),
		  "\nFAULT: panic \"test-fault: test-panic gives up\"\n");

	/* bcr_fault() itself: the fields, and only FAULT sections. */
	CHECK(bcr_section_at(&r, 2, &it));
	CHECK_EQ(bcr_fault(&it, &ft), 0);
	CHECK_EQ(ft.index, 2);
	CHECK_EQ(ft.callback, 1);
	CHECK(ft.ip == 0xffffffffc0a01234ULL);
	CHECK_EQ(ft.trap, 14);
	CHECK_EQ(ft.error_code, 2);
	CHECK(!strcmp(ft.what, "Oops"));
	CHECK_EQ(ft.damaged, 0);
	CHECK(!ft.malformed[0]);
	CHECK(bcr_section_at(&r, 5, &it));
	CHECK_EQ(bcr_fault(&it, &ft), 0);
	CHECK_EQ(ft.callback, UINT32_MAX);
	CHECK(bcr_section_at(&r, 0, &it));
	CHECK_EQ(bcr_fault(&it, &ft), BCR_E_ARG);
	CHECK_EQ(bcr_fault(NULL, &ft), BCR_E_ARG);
	free(buf);

	/* A damaged fault is shown, and marked. */
	len = build_faults(area);
	((uint8_t *)(sec_at(area, 4) + 1))[20] ^= 0x01;
	rb_recrc(area, len);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_E_SECTION);
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), 0);
	{
		static const char want[] = {
			"     fault: panic \"test,fault: test-panic gives up\"  PAYLOAD DAMAGED (CRC mismatch)\n"
		};

		CHECK_STR(out_text(f), want);
	}
	free(buf);

	len = build_faults_malformed(area);
	buf = exact_copy(area, len);
	CHECK_EQ(topen(&r, buf, len), BCR_OK);
	f = out_open();
	CHECK_EQ(bcr_print_summary(f, &r), BCR_E_SECTION);
	out = out_text(f);
	{
		static const char want[] = {
			"  0  short                    secondary     failed      m                            40  FAULTED\n"
			"     fault: MALFORMED: 40-byte payload, shorter than the 64-byte fault record\n"
			"  1  good                     secondary     failed      m                             0  FAULTED\n"
			"     fault: page fault (trap 14, error 0x0) at 0000000000002000 \"Oops\"\n"
			"  2  unterm                   secondary     failed      m                            64  FAULTED\n"
			"     fault: MALFORMED: what not NUL-terminated\n"
			"  3  moved                    secondary     failed      m                             0  FAULTED\n"
			"     fault: MALFORMED: section address 4001 is not the fault's ip 4000\n"
			"FAULT of callback 1 (section 4, out of run order): invalid opcode (trap 6, error 0x0) at 0000000000002100 \"invalid opcode\"\n"
			"FAULT of callback 9 (not in the table): page fault (trap 14, error 0x0) at 0000000000005000 \"Oops\"\n"
		};

		CHECK_STR(out, want);
	}
	/* Malformed: what could be read is kept, never more. */
	CHECK(bcr_section_at(&r, 0, &it));
	CHECK_EQ(bcr_fault(&it, &ft), BCR_E_SECTION);
	CHECK(ft.ip == 0x1000);
	CHECK_EQ(ft.trap, 0);
	CHECK(bcr_section_at(&r, 2, &it));
	CHECK_EQ(bcr_fault(&it, &ft), BCR_E_SECTION);
	CHECK_EQ(ft.trap, 14);
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "moved"), BCR_E_SECTION);
	CHECK_STR(out_text(f), "\nFAULT: MALFORMED: section address 4001");
	f = out_open();
	CHECK_EQ(bcr_print_component(f, &r, "good"), 0);
	out_text(f);
	free(buf);
}

static const struct test tests[] = {
	{ "damaged sections marked by every printer", test_damage_marked },
	{ "bcpages -a output sanitised", test_page_sanitised },
	{ "flag strings", test_flags_str },
	{ "names", test_names },
	{ "every uapi record value has a name", test_uapi_names },
	{ "hexdump rows", test_hexdump },
	{ "printers on a valid record", test_printers },
	{ "printers on damaged records", test_printers_damaged },
	{ "devices: valid, simulated, none", test_devices },
	{ "devices: short sections", test_devices_short },
	{ "devices: unterminated strings", test_devices_unterminated },
	{ "user blocks: valid, pid filter, contents, none", test_user_blocks },
	{ "user blocks: malformed sections", test_user_blocks_malformed },
	{ "user blocks: damaged payload", test_user_blocks_damaged },
	{ "faults: under their callbacks, stray, malformed", test_faults },
};

int main(void)
{
	return run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
