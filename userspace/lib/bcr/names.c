// SPDX-License-Identifier: GPL-2.0
/*
 * names.c - names and text forms of the record's values (bcr.h): reasons,
 * states, section types, codes, flags, GUIDs, device states, errnos.
 *
 * Every table is indexed by the uapi header's constants; a value this
 * reader does not know is shown as a number, never rejected.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const reason_names[] = {
	[BUGCHECK_RECORD_REASON_SECONDARY] = "secondary",
	[BUGCHECK_RECORD_REASON_DUMP_IO] = "dump-io",
	[BUGCHECK_RECORD_REASON_ADD_PAGES] = "add-pages",
	[BUGCHECK_RECORD_REASON_MULTIPART] = "multipart",
	[BUGCHECK_RECORD_REASON_REMOVE_PAGES] = "remove-pages",
	[BUGCHECK_RECORD_REASON_TRIAGE] = "triage",
	[BUGCHECK_RECORD_REASON_LEGACY] = "legacy",
	[BUGCHECK_RECORD_REASON_DEVICES] = "devices",
	[BUGCHECK_RECORD_REASON_USER_BLOCKS] = "user-blocks",
};

static const char *const state_names[] = {
	[BUGCHECK_RECORD_STATE_NONE] = "none",
	[BUGCHECK_RECORD_STATE_INSERTED] = "inserted",
	[BUGCHECK_RECORD_STATE_STARTED] = "started",
	[BUGCHECK_RECORD_STATE_FINISHED] = "finished",
	[BUGCHECK_RECORD_STATE_INCOMPLETE] = "incomplete",
	[BUGCHECK_RECORD_STATE_FAILED] = "failed",
	[BUGCHECK_RECORD_STATE_SKIPPED] = "skipped",
};

static const char *const section_names[] = {
	[BUGCHECK_SECTION_SECONDARY] = "secondary",
	[BUGCHECK_SECTION_MULTIPART] = "multipart",
	[BUGCHECK_SECTION_ADDED_PAGES] = "added-pages",
	[BUGCHECK_SECTION_REMOVED_PAGES] = "removed-pages",
	[BUGCHECK_SECTION_TRIAGE] = "triage",
	[BUGCHECK_SECTION_LEGACY] = "legacy",
	[BUGCHECK_SECTION_DEVICE] = "device",
	[BUGCHECK_SECTION_USER_BLOCK] = "user-block",
	[BUGCHECK_SECTION_FAULT] = "fault",
};

static const char *const code_names[] = {
	[BUGCHECK_RECORD_CODE_PANIC] = "PANIC",
	[BUGCHECK_RECORD_CODE_OOPS] = "OOPS",
	[BUGCHECK_RECORD_CODE_DIE] = "DIE",
	[BUGCHECK_RECORD_CODE_SIMULATED] = "SIMULATED",
};

static const char *const dump_type_names[] = {
	[BUGCHECK_RECORD_DUMP_KDUMP] = "kdump",
	[BUGCHECK_RECORD_DUMP_NONE] = "none",
	[BUGCHECK_RECORD_DUMP_SIMULATED] = "simulated",
};

/*
 * bugcheck_record_fault.trap: the x86 trap numbers (the kernel's
 * arch/x86/include/asm/trapnr.h, X86_TRAP_*), and the record's own value
 * for a callback that called panic() itself.
 */
static const char *const trap_names[] = {
	[0] = "divide error",
	[1] = "debug",
	[2] = "nmi",
	[3] = "int3",
	[4] = "overflow",
	[5] = "bounds",
	[6] = "invalid opcode",
	[7] = "device not available",
	[8] = "double fault",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS",
	[11] = "segment not present",
	[12] = "stack segment",
	[13] = "general protection",
	[14] = "page fault",
	[15] = "spurious",
	[16] = "coprocessor error",
	[17] = "alignment check",
	[18] = "machine check",
	[19] = "SIMD exception",
	[20] = "virtualization exception",
	[21] = "control protection",
	[29] = "VMM communication",
	[32] = "IRET exception",
};

/* @table[@v], or NULL past its end (or for a hole in it). */
static const char *lookup(const char *const *table, size_t size, uint32_t v)
{
	return v < size ? table[v] : NULL;
}

const char *bcr_reason_name(uint32_t reason)
{
	const char *name =
		lookup(reason_names, ARRAY_SIZE(reason_names), reason);

	return name ? name : "unknown";
}

const char *bcr_state_name(uint32_t state)
{
	const char *name = lookup(state_names, ARRAY_SIZE(state_names), state);

	return name ? name : "unknown";
}

const char *bcr_section_type_name(uint32_t type)
{
	const char *name =
		lookup(section_names, ARRAY_SIZE(section_names), type);

	return name ? name : "unknown";
}

const char *bcr_code_name(uint32_t code)
{
	const char *name = lookup(code_names, ARRAY_SIZE(code_names), code);

	return name ? name : "UNKNOWN";
}

const char *bcr_dump_type_name(uint32_t type)
{
	const char *name = bcr__dump_type(type);

	return name ? name : "unknown";
}

const char *bcr_trap_name(uint32_t trap)
{
	const char *name = bcr__trap(trap);

	return name ? name : "unknown";
}

const char *bcr_device_method_name(uint32_t method)
{
	const char *name = bcr__device_method(method);

	return name ? name : "unknown";
}

const char *bcr_device_status_name(uint32_t status)
{
	const char *name = bcr__device_status(status);

	return name ? name : "unknown";
}

const char *bcr__num(const char *name, uint32_t v, char *buf, size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "%u", v);
	return buf;
}

struct flag_name {
	uint32_t bit;
	const char *name;
};

static const struct flag_name cb_flag_names[] = {
	{ BUGCHECK_CB_F_CLAMPED, "CLAMPED" },
	{ BUGCHECK_CB_F_OVERRUN, "OVERRUN" },
	{ BUGCHECK_CB_F_NO_SPACE, "NO_SPACE" },
	{ BUGCHECK_CB_F_READ_ERROR, "READ_ERROR" },
	{ BUGCHECK_CB_F_BAD_RESULT, "BAD_RESULT" },
	{ BUGCHECK_CB_F_DUPLICATE_GUID, "DUPLICATE_GUID" },
	{ BUGCHECK_CB_F_TOO_MANY_CALLS, "TOO_MANY_CALLS" },
	{ BUGCHECK_CB_F_NOT_SCRUBBED, "NOT_SCRUBBED" },
	{ BUGCHECK_CB_F_FAULTED, "FAULTED" },
	{ BUGCHECK_CB_F_REFUSED, "REFUSED" },
	{ BUGCHECK_CB_F_OWNER_GONE, "OWNER_GONE" },
	{ BUGCHECK_SECTION_F_PHYSICAL, "PHYSICAL" },
	{ BUGCHECK_SECTION_F_VIRTUAL, "VIRTUAL" },
};

static const struct flag_name record_flag_names[] = {
	{ BUGCHECK_RECORD_F_COMPLETE, "COMPLETE" },
	{ BUGCHECK_RECORD_F_TRUNCATED, "TRUNCATED" },
	{ BUGCHECK_RECORD_F_SIMULATED, "SIMULATED" },
	{ BUGCHECK_RECORD_F_REENTERED, "REENTERED" },
	{ BUGCHECK_RECORD_F_LIST_CORRUPT, "LIST_CORRUPT" },
	{ BUGCHECK_RECORD_F_TABLE_FULL, "TABLE_FULL" },
	{ BUGCHECK_RECORD_F_NESTED_PANIC, "NESTED_PANIC" },
};

/* Append "<sep>text" (or "text" at the start) to @buf, cutting at @size. */
void bcr__append(char *buf, size_t size, size_t *pos, char sep,
		 const char *text)
{
	size_t n;

	if (*pos && *pos + 1 < size)
		buf[(*pos)++] = sep;
	n = strlen(text);
	if (*pos + n >= size)
		n = *pos < size - 1 ? size - 1 - *pos : 0;
	memcpy(buf + *pos, text, n);
	*pos += n;
	buf[*pos] = '\0';
}

static const char *flags_str(const struct flag_name *names, size_t nr,
			     uint32_t flags, char *buf, size_t size)
{
	size_t i, pos = 0;

	if (!buf || !size)
		return "";
	buf[0] = '\0';
	if (!flags) {
		bcr__append(buf, size, &pos, '|', "-");
		return buf;
	}
	for (i = 0; i < nr; i++) {
		if (flags & names[i].bit) {
			bcr__append(buf, size, &pos, '|', names[i].name);
			flags &= ~names[i].bit;
		}
	}
	if (flags) {
		char rest[16];

		snprintf(rest, sizeof(rest), "0x%x", flags);
		bcr__append(buf, size, &pos, '|', rest);
	}
	return buf;
}

const char *bcr_flags_str(uint32_t flags, char *buf, size_t size)
{
	return flags_str(cb_flag_names, ARRAY_SIZE(cb_flag_names), flags, buf,
			 size);
}

const char *bcr_record_flags_str(uint32_t flags, char *buf, size_t size)
{
	return flags_str(record_flag_names, ARRAY_SIZE(record_flag_names),
			 flags, buf, size);
}

/* GUIDs: text order of the 16 guid_t bytes (first three fields little-endian). */
static const uint8_t guid_text_order[16] = { 3, 2, 1,  0,  5,  4,  7,  6,
					     8, 9, 10, 11, 12, 13, 14, 15 };

void bcr_guid_str(const uint8_t guid[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, pos = 0;

	for (i = 0; i < 16; i++) {
		uint8_t b = guid[guid_text_order[i]];

		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[pos++] = '-';
		out[pos++] = hex[b >> 4];
		out[pos++] = hex[b & 15];
	}
	out[pos] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", optionally in braces as the printers show it. */
int bcr_guid_parse(const char *text, uint8_t guid[16])
{
	uint8_t g[16];
	size_t len, i, pos = 0;

	if (!text || !guid)
		return BCR_E_ARG;
	len = strlen(text);
	if (len == 38 && text[0] == '{' && text[37] == '}') {
		text++;
		len = 36;
	}
	if (len != 36)
		return BCR_E_ARG;
	for (i = 0; i < 16; i++) {
		int hi, lo;

		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (text[pos++] != '-')
				return BCR_E_ARG;
		}
		hi = hex_value(text[pos++]);
		lo = hex_value(text[pos++]);
		if (hi < 0 || lo < 0)
			return BCR_E_ARG;
		g[guid_text_order[i]] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(guid, g, sizeof(g));
	return 0;
}

/* Crash-dump devices */

static const char *const device_status_names[] = {
	[BUGCHECK_DEVICE_RPM_ACTIVE] = "active",
	[BUGCHECK_DEVICE_RPM_RESUMING] = "resuming",
	[BUGCHECK_DEVICE_RPM_SUSPENDED] = "suspended",
	[BUGCHECK_DEVICE_RPM_SUSPENDING] = "suspending",
};

static const char *const device_method_names[] = {
	[BUGCHECK_DEVICE_METHOD_NONE] = "none",
	[BUGCHECK_DEVICE_METHOD_RUNTIME_PM] = "runtime-pm",
	[BUGCHECK_DEVICE_METHOD_HOOK] = "hook",
	[BUGCHECK_DEVICE_METHOD_ALREADY_ON] = "already-on",
	[BUGCHECK_DEVICE_METHOD_NOT_REQUESTED] = "not-requested",
	[BUGCHECK_DEVICE_METHOD_BUSY] = "busy",
};

/*
 * The crashed kernel's errno values (include/uapi/asm-generic/errno*.h and
 * include/linux/errno.h), spelled out: the host reading the record may have
 * other numbers, and the kernel-internal ones are in no libc.
 */
static const struct {
	int value;
	const char *name;
} kernel_errnos[] = {
	{ 1, "EPERM" },		{ 2, "ENOENT" },	 { 4, "EINTR" },
	{ 5, "EIO" },		{ 6, "ENXIO" },		 { 11, "EAGAIN" },
	{ 12, "ENOMEM" },	{ 13, "EACCES" },	 { 14, "EFAULT" },
	{ 16, "EBUSY" },	{ 19, "ENODEV" },	 { 22, "EINVAL" },
	{ 28, "ENOSPC" },	{ 35, "EDEADLK" },	 { 38, "ENOSYS" },
	{ 61, "ENODATA" },	{ 62, "ETIME" },	 { 95, "EOPNOTSUPP" },
	{ 108, "ESHUTDOWN" },	{ 110, "ETIMEDOUT" },	 { 114, "EALREADY" },
	{ 115, "EINPROGRESS" }, { 121, "EREMOTEIO" },	 { 125, "ECANCELED" },
	{ 512, "ERESTARTSYS" }, { 517, "EPROBE_DEFER" }, { 524, "ENOTSUPP" },
};

const char *bcr__result_str(int32_t result, char *buf, size_t size)
{
	size_t i;

	if (result < 0 && result != INT32_MIN) {
		for (i = 0; i < ARRAY_SIZE(kernel_errnos); i++) {
			if (kernel_errnos[i].value == -result) {
				snprintf(buf, size, "-%s",
					 kernel_errnos[i].name);
				return buf;
			}
		}
	}
	snprintf(buf, size, "%d", result);
	return buf;
}

/* User blocks */

static const struct flag_name user_block_flag_words[] = {
	{ BUGCHECK_USER_BLOCK_F_UNMAPPED, "unmapped" },
};

/* The section flags a user block can carry, in the same style. */
static const struct flag_name section_flag_words[] = {
	{ BUGCHECK_CB_F_CLAMPED, "clamped" },
	{ BUGCHECK_CB_F_OVERRUN, "overrun" },
	{ BUGCHECK_CB_F_NO_SPACE, "no-space" },
	{ BUGCHECK_CB_F_READ_ERROR, "read-error" },
	{ BUGCHECK_CB_F_BAD_RESULT, "bad-result" },
	{ BUGCHECK_CB_F_DUPLICATE_GUID, "duplicate-guid" },
	{ BUGCHECK_CB_F_TOO_MANY_CALLS, "too-many-calls" },
	{ BUGCHECK_CB_F_NOT_SCRUBBED, "not-scrubbed" },
	{ BUGCHECK_CB_F_FAULTED, "faulted" },
	{ BUGCHECK_CB_F_REFUSED, "refused" },
	{ BUGCHECK_CB_F_OWNER_GONE, "owner-gone" },
	{ BUGCHECK_SECTION_F_PHYSICAL, "physical" },
	{ BUGCHECK_SECTION_F_VIRTUAL, "virtual" },
};

/* Known bits of @flags as words after @pos, the rest as @prefix"0x..". */
static void words(char *buf, size_t size, size_t *pos,
		  const struct flag_name *names, size_t nr, uint32_t flags,
		  const char *prefix)
{
	char rest[32];
	size_t i;

	for (i = 0; i < nr; i++) {
		if (flags & names[i].bit) {
			bcr__append(buf, size, pos, ',', names[i].name);
			flags &= ~names[i].bit;
		}
	}
	if (flags) {
		snprintf(rest, sizeof(rest), "%s0x%x", prefix, flags);
		bcr__append(buf, size, pos, ',', rest);
	}
}

const char *bcr_user_block_flags_str(const struct bcr_user_block *ub, char *buf,
				     size_t size)
{
	size_t pos = 0;

	if (!buf || !size)
		return "";
	buf[0] = '\0';
	if (!ub)
		return buf;
	words(buf, size, &pos, user_block_flag_words,
	      ARRAY_SIZE(user_block_flag_words), ub->flags, "");
	words(buf, size, &pos, section_flag_words,
	      ARRAY_SIZE(section_flag_words), ub->sec_flags, "section-");
	if (!pos)
		bcr__append(buf, size, &pos, ',', "-");
	return buf;
}

const char *bcr__reason(uint32_t v)
{
	return lookup(reason_names, ARRAY_SIZE(reason_names), v);
}

const char *bcr__state(uint32_t v)
{
	return lookup(state_names, ARRAY_SIZE(state_names), v);
}

const char *bcr__section_type(uint32_t v)
{
	return lookup(section_names, ARRAY_SIZE(section_names), v);
}

const char *bcr__dump_type(uint32_t v)
{
	return lookup(dump_type_names, ARRAY_SIZE(dump_type_names), v);
}

const char *bcr__trap(uint32_t v)
{
	if (v == BUGCHECK_FAULT_TRAP_PANIC)
		return "panic";
	return lookup(trap_names, ARRAY_SIZE(trap_names), v);
}

const char *bcr__device_status(uint32_t v)
{
	return lookup(device_status_names, ARRAY_SIZE(device_status_names), v);
}

const char *bcr__device_method(uint32_t v)
{
	return lookup(device_method_names, ARRAY_SIZE(device_method_names), v);
}

/* A string field that may lack its NUL, made printable for a table. */
const char *bcr__field(const char *src, size_t size, char *out, size_t out_size)
{
	size_t i;

	for (i = 0; i < size && i + 1 < out_size && src[i]; i++) {
		unsigned char c = (unsigned char)src[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[i] = '\0';
	return out;
}
