/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bugcheck_record.h - layout of the bugcheck record, as found in a vmcore.
 *
 * Shared by bugcheck.ko (the writer) and every reader.  All fields are
 * little-endian; every structure is 8-byte aligned with no padding holes.
 * docs/record-format.md is the prose version of this file.
 *
 * The record is one contiguous byte stream [0, used):
 *
 *   struct bugcheck_record_header
 *   struct bugcheck_record_callback[nr_callbacks]   at callbacks_offset
 *   sections, each a struct bugcheck_record_section followed by its payload,
 *   padded to 8 bytes; the first at sections_offset, the next at +size
 *
 * followed (outside the stream and its CRC) by nr_io_status
 * struct bugcheck_record_io_status at io_status_offset.
 */
#ifndef _UAPI_BUGCHECK_RECORD_H
#define _UAPI_BUGCHECK_RECORD_H

#include <linux/types.h>

#define BUGCHECK_RECORD_MAGIC "BUGCHECK" /* 8 bytes, no NUL */
#define BUGCHECK_RECORD_VERSION 1

/*
 * bugcheck_record_header.bugcheck_code: what brought the system down.  The
 * kernel's enum bugcheck_code (bugcheck.h) has the same values; module/
 * record_abi.c checks that they agree.
 */
/* clang-format off */
#define BUGCHECK_RECORD_CODE_PANIC	0x1	/* panic() */
#define BUGCHECK_RECORD_CODE_OOPS	0x2	/* an oops that ended in panic */
#define BUGCHECK_RECORD_CODE_DIE	0x3	/* the same, raised in interrupt context */
#define BUGCHECK_RECORD_CODE_SIMULATED	0x4	/* debugfs simulate */
/* clang-format on */

/* bugcheck_record_header.dump_type (BUGCHECK_DUMP_TYPE_* in bugcheck.h) */
/* clang-format off */
#define BUGCHECK_RECORD_DUMP_KDUMP	1	/* real bugcheck, capture kernel loaded */
#define BUGCHECK_RECORD_DUMP_NONE	2	/* real bugcheck, no capture kernel */
#define BUGCHECK_RECORD_DUMP_SIMULATED	3	/* debugfs simulate */
/* clang-format on */

/* bugcheck_record_header.flags */
/* clang-format off */
#define BUGCHECK_RECORD_F_COMPLETE	0x0001	/* finished; crc32 is valid */
#define BUGCHECK_RECORD_F_TRUNCATED	0x0002	/* something did not fit */
#define BUGCHECK_RECORD_F_SIMULATED	0x0004	/* from debugfs simulate */
#define BUGCHECK_RECORD_F_REENTERED	0x0008	/* a callback faulted or panicked */
#define BUGCHECK_RECORD_F_LIST_CORRUPT	0x0010	/* a registration failed validation */
#define BUGCHECK_RECORD_F_TABLE_FULL	0x0020	/* more callbacks than table slots */
#define BUGCHECK_RECORD_F_NESTED_PANIC	0x0040	/* a panic came after the record was complete */
/* clang-format on */

/**
 * struct bugcheck_record_header - start of the record
 * @magic: BUGCHECK_RECORD_MAGIC
 * @version: BUGCHECK_RECORD_VERSION
 * @header_size: sizeof(struct bugcheck_record_header) of the writer
 * @area_size: bytes reserved for the record in memory
 * @used: length of the stream, header included
 * @flags: BUGCHECK_RECORD_F_*
 * @crc32: CRC-32 (IEEE, as crc32_le(~0, ...) ^ ~0) of [0, used) computed with
 *	this field set to 0; valid only with BUGCHECK_RECORD_F_COMPLETE
 * @bugcheck_code: BUGCHECK_RECORD_CODE_*
 * @panic_cpu: CPU that ran the bugcheck
 * @bugcheck_parameter: the code's four parameters
 * @time_ns: CLOCK_REALTIME at the bugcheck, in ns
 * @dump_type: BUGCHECK_RECORD_DUMP_*
 * @nr_callbacks: entries used in the callback table
 * @callbacks_offset: offset of the callback table
 * @callback_size: sizeof(struct bugcheck_record_callback) of the writer
 * @sections_offset: offset of the first section
 * @nr_sections: number of sections
 * @dropped_sections: sections that did not fit and are not in the record
 * @dropped_bytes: payload bytes clamped or dropped for lack of space
 * @io_status_offset: offset of the dump-I/O status table (past @used)
 * @nr_io_status: entries in that table
 * @reentries: times the bugcheck was re-entered by a failing callback
 * @reserved: 0
 * @message: the panic message, NUL-terminated, cut to fit
 * @release: the crashed kernel's release string
 */
struct bugcheck_record_header {
	__u8 magic[8];
	__u32 version;
	__u32 header_size;
	__u32 area_size;
	__u32 used;
	__u32 flags;
	__u32 crc32;
	__u32 bugcheck_code;
	__u32 panic_cpu;
	__u64 bugcheck_parameter[4];
	__u64 time_ns;
	__u32 dump_type;
	__u32 nr_callbacks;
	__u32 callbacks_offset;
	__u32 callback_size;
	__u32 sections_offset;
	__u32 nr_sections;
	__u32 dropped_sections;
	__u32 dropped_bytes;
	__u32 io_status_offset;
	__u32 nr_io_status;
	__u32 reentries;
	__u32 reserved;
	char message[128];
	char release[64];
};

/*
 * bugcheck_record_callback.reason: the kernel's enum
 * bugcheck_callback_reason (bugcheck.h) for 1 to 6, then the reasons only
 * the record knows.
 */
/* clang-format off */
#define BUGCHECK_RECORD_REASON_SECONDARY	1	/* SECONDARY_DUMP_DATA */
#define BUGCHECK_RECORD_REASON_DUMP_IO		2	/* DUMP_IO */
#define BUGCHECK_RECORD_REASON_ADD_PAGES	3	/* ADD_PAGES */
#define BUGCHECK_RECORD_REASON_MULTIPART	4	/* SECONDARY_MULTIPART_DUMP_DATA */
#define BUGCHECK_RECORD_REASON_REMOVE_PAGES	5	/* REMOVE_PAGES */
#define BUGCHECK_RECORD_REASON_TRIAGE		6	/* TRIAGE_DUMP_DATA */
/* clang-format on */
/* The legacy buffer interface, recorded as a seventh reason. */
#define BUGCHECK_RECORD_REASON_LEGACY 7
/* bugcheck's own crash-dump device power-on, recorded as an eighth. */
#define BUGCHECK_RECORD_REASON_DEVICES 8
/* User processes' memory blocks (/dev/bugcheck), recorded as a ninth. */
#define BUGCHECK_RECORD_REASON_USER_BLOCKS 9

/*
 * bugcheck_record_callback.state and bugcheck_record_io_status.state: the
 * kernel's enum bugcheck_callback_state (bugcheck.h).
 */
/* clang-format off */
#define BUGCHECK_RECORD_STATE_NONE		0	/* not reached */
#define BUGCHECK_RECORD_STATE_INSERTED		1	/* registered, not run */
#define BUGCHECK_RECORD_STATE_STARTED		2	/* running, or never returned */
#define BUGCHECK_RECORD_STATE_FINISHED		3	/* ran, all its data is in */
#define BUGCHECK_RECORD_STATE_INCOMPLETE	4	/* ran, data cut */
#define BUGCHECK_RECORD_STATE_FAILED		5	/* faulted, re-panicked, garbage */
#define BUGCHECK_RECORD_STATE_SKIPPED		6	/* not run */
/* clang-format on */

/* bugcheck_record_callback.flags and bugcheck_record_section.flags */
/* clang-format off */
#define BUGCHECK_CB_F_CLAMPED		0x0001	/* asked for more than allowed */
#define BUGCHECK_CB_F_OVERRUN		0x0002	/* wrote past in_buffer (guard hit) */
#define BUGCHECK_CB_F_NO_SPACE		0x0004	/* record area ran out */
#define BUGCHECK_CB_F_READ_ERROR	0x0008	/* some memory could not be read/scrubbed */
#define BUGCHECK_CB_F_BAD_RESULT	0x0010	/* invalid flags, pointers or lengths */
#define BUGCHECK_CB_F_DUPLICATE_GUID	0x0020	/* GUID already used by an earlier block */
#define BUGCHECK_CB_F_TOO_MANY_CALLS	0x0040	/* asked to be called again too often */
#define BUGCHECK_CB_F_NOT_SCRUBBED	0x0080	/* simulate: range recorded, not scrubbed */
#define BUGCHECK_CB_F_FAULTED		0x0100	/* faulted or panicked: see its FAULT section */
#define BUGCHECK_CB_F_REFUSED		0x0200	/* range left alone: not RAM, dump's, over budget */
#define BUGCHECK_CB_F_OWNER_GONE	0x0400	/* its module was unloading: not called */
/* clang-format on */

/**
 * struct bugcheck_record_callback - one registration, in run order
 * @component: the component name given at registration, NUL-terminated
 * @module: the owning module's name ("" for built-in callers)
 * @reason: BUGCHECK_RECORD_REASON_*
 * @state: BUGCHECK_RECORD_STATE_*
 * @flags: BUGCHECK_CB_F_*
 * @bytes: payload bytes this callback put in the record
 * @sections: sections this callback put in the record
 * @calls: times it was called during this bugcheck
 * @callback: kernel address of the callback function
 */
struct bugcheck_record_callback {
	char component[32];
	char module[56];
	__u32 reason;
	__u32 state;
	__u32 flags;
	__u32 bytes;
	__u32 sections;
	__u32 calls;
	__u64 callback;
};

/* bugcheck_record_section.type */
/* clang-format off */
#define BUGCHECK_SECTION_SECONDARY	1	/* a tagged block */
#define BUGCHECK_SECTION_MULTIPART	2	/* one part of a tagged multipart blob */
#define BUGCHECK_SECTION_ADDED_PAGES	3	/* copied page range */
#define BUGCHECK_SECTION_REMOVED_PAGES	4	/* scrubbed range, no payload */
#define BUGCHECK_SECTION_TRIAGE		5	/* one triage block */
#define BUGCHECK_SECTION_LEGACY		6	/* a legacy callback's buffer */
#define BUGCHECK_SECTION_DEVICE		7	/* a crash-dump device's power-on */
#define BUGCHECK_SECTION_USER_BLOCK	8	/* a user process's memory block */
#define BUGCHECK_SECTION_FAULT		9	/* how a callback faulted or panicked */
/* clang-format on */

/* Extra section flags (besides BUGCHECK_CB_F_*) */
/* clang-format off */
#define BUGCHECK_SECTION_F_PHYSICAL	0x1000	/* address is physical */
#define BUGCHECK_SECTION_F_VIRTUAL	0x2000	/* address is kernel virtual */
/* clang-format on */

/**
 * struct bugcheck_record_section - header of one section
 * @type: BUGCHECK_SECTION_*
 * @flags: BUGCHECK_CB_F_* and BUGCHECK_SECTION_F_*
 * @size: bytes from this header to the next section (8-byte multiple)
 * @length: payload bytes following this header
 * @callback: index of the producing callback in the callback table
 * @part: part number (multipart) or call number (pages, triage)
 * @payload_crc32: CRC-32 of the payload, as for the header's crc32
 * @reserved: 0
 * @guid: the tag (SECONDARY, MULTIPART), zero otherwise
 * @address: original address of the data (pages, triage, legacy buffer)
 * @count: pages described (ADDED_PAGES, REMOVED_PAGES), else @length
 */
struct bugcheck_record_section {
	__u32 type;
	__u32 flags;
	__u32 size;
	__u32 length;
	__u32 callback;
	__u32 part;
	__u32 payload_crc32;
	__u32 reserved;
	__u8 guid[16];
	__u64 address;
	__u64 count;
};

/* bugcheck_record_device.method */
/* clang-format off */
#define BUGCHECK_DEVICE_METHOD_NONE	0	/* not attempted (see result) */
#define BUGCHECK_DEVICE_METHOD_RUNTIME_PM 1	/* irq-safe runtime-PM resume */
#define BUGCHECK_DEVICE_METHOD_HOOK	2	/* the driver's power_on hook */
#define BUGCHECK_DEVICE_METHOD_ALREADY_ON 3	/* was active: nothing to do */
#define BUGCHECK_DEVICE_METHOD_NOT_REQUESTED 4	/* not opted in: described only */
#define BUGCHECK_DEVICE_METHOD_BUSY	5	/* busy, skipped (result says why) */
/* clang-format on */

/* bugcheck_record_device.before / after: the device's runtime-PM status */
/* clang-format off */
#define BUGCHECK_DEVICE_RPM_ACTIVE	0
#define BUGCHECK_DEVICE_RPM_RESUMING	1
#define BUGCHECK_DEVICE_RPM_SUSPENDED	2
#define BUGCHECK_DEVICE_RPM_SUSPENDING	3
/* clang-format on */

/**
 * struct bugcheck_record_device - payload of a DEVICE section
 * @name: dev_name(), NUL-terminated, cut to fit
 * @driver: the bound driver's name, or ""
 * @parent: the parent's dev_name(), or ""
 * @result: 0 or -errno of the power-on
 * @method: BUGCHECK_DEVICE_METHOD_*
 * @before: runtime-PM status before (BUGCHECK_DEVICE_RPM_*)
 * @after: runtime-PM status after
 * @usage_count: runtime-PM usage count after
 * @depth: distance from the device-tree root (parents power on first)
 * @irq_safe: 1 if the device's runtime PM is irq-safe
 * @runtime_enabled: 1 if runtime PM is enabled for it
 */
struct bugcheck_record_device {
	char name[64];
	char driver[32];
	char parent[64];
	__s32 result;
	__u32 method;
	__u32 before;
	__u32 after;
	__u32 usage_count;
	__u32 depth;
	__u32 irq_safe;
	__u32 runtime_enabled;
};

/* bugcheck_record_user_block.flags */
/* clang-format off */
#define BUGCHECK_USER_BLOCK_F_UNMAPPED	0x1	/* unmapped after registration: no contents */
/* clang-format on */

/**
 * struct bugcheck_record_user_block - payload of a USER_BLOCK section
 * @address: start of the block in the process's address space
 * @size: bytes registered
 * @pid: the registering process (thread-group id, initial pid namespace)
 * @uid: its real uid (initial user namespace) at registration
 * @flags: BUGCHECK_USER_BLOCK_F_*
 * @copied: bytes of contents that follow this structure: @size, or fewer when
 *	the record ran out of room (the section then has BUGCHECK_CB_F_NO_SPACE)
 *	or the block was unmapped (0)
 * @comm: the process's name at registration, NUL-terminated
 *
 * The section's address is @address, its count @size, its part the block's
 * index within the user-blocks entry.
 */
struct bugcheck_record_user_block {
	__u64 address;
	__u64 size;
	__s32 pid;
	__u32 uid;
	__u32 flags;
	__u32 copied;
	char comm[16];
};

/* bugcheck_record_fault.trap when the callback called panic() itself */
#define BUGCHECK_FAULT_TRAP_PANIC 0xffffffff

/**
 * struct bugcheck_record_fault - payload of a FAULT section
 * @ip: address of the faulting instruction (0 for a panic() call)
 * @trap: the x86 trap number (14 page fault, 13 general protection,
 *	6 invalid opcode from BUG(), ...), or BUGCHECK_FAULT_TRAP_PANIC
 * @error_code: the trap's error code (for a page fault: read/write, ...)
 * @what: the die() string or the panic message, NUL-terminated, cut to fit
 *
 * The section's callback field names the callback that was abandoned, or
 * is 0xffffffff for a fault in bugcheck's own code.  The callback's state is
 * FAILED; whatever it had committed before stays in the record.  A page
 * fault's address is not handed to die notifiers: it is in the oops in the
 * kernel log.
 */
struct bugcheck_record_fault {
	__u64 ip;
	__u32 trap;
	__u32 error_code;
	char what[48];
};

/**
 * struct bugcheck_record_io_status - how one dump-I/O callback fared
 * @callback: index in the callback table
 * @state: BUGCHECK_RECORD_STATE_*
 * @writes: writes delivered (COMPLETE included)
 * @bytes: bytes delivered
 */
struct bugcheck_record_io_status {
	__u32 callback;
	__u32 state;
	__u32 writes;
	__u32 bytes;
};

/*
 * The locator: how a reader without the crashed kernel's symbols or page
 * tables (the capture-side save tool reading /proc/vmcore) finds the record.
 * One physically contiguous, page-aligned block allocated at load; its
 * physical address is in /sys/module/bugcheck/parameters/locator, meant for
 * the capture kernel's command line as bugcheck_locator=<address>, and a
 * reader may also scan page starts for the magic.  It lists the physical
 * page frames of the (virtually contiguous) record area in order.
 */
#define BUGCHECK_LOCATOR_MAGIC "BCLOCATR" /* 8 bytes, no NUL */
#define BUGCHECK_LOCATOR_VERSION 1

/**
 * struct bugcheck_locator - header of the locator block
 * @magic: BUGCHECK_LOCATOR_MAGIC
 * @version: BUGCHECK_LOCATOR_VERSION
 * @size: bytes of header plus @pfn array
 * @crc32: CRC-32 of those @size bytes with this field as 0
 * @page_size: size of one page frame
 * @area_size: bytes of the record area (nr_pages * page_size)
 * @nr_pages: entries in @pfn
 * @area_vaddr: the area's kernel virtual address in the crashed kernel
 * @pfn: page frame numbers of the area, in order
 */
struct bugcheck_locator {
	__u8 magic[8];
	__u32 version;
	__u32 size;
	__u32 crc32;
	__u32 page_size;
	__u32 area_size;
	__u32 nr_pages;
	__u64 area_vaddr;
	__u64 pfn[];
};

#endif /* _UAPI_BUGCHECK_RECORD_H */
