/* SPDX-License-Identifier: GPL-2.0 */
/*
 * helpers.h - what the libbcr unit tests share: the CHECK macros and the
 * runner, an in-memory record writer (rb_*) and the records built with it,
 * and the output capture the printer tests compare against.
 *
 * Each test_*.c is one program with its own feature (decode, print, fuzz,
 * dump), as liburing's tests are; every damaged buffer is handed over in a
 * heap block of exactly its length, so valgrind or ASan catch any read past
 * the end.  Output: "ok N - name" / "not ok N - name", then
 * "N passed, N failed"; exit status 1 when anything failed.
 */
#ifndef BCR_TEST_HELPERS_H
#define BCR_TEST_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <zlib.h>

#include "bcr.h"

#define AREA 16384u

/* The record's values, from the uapi header (one definition). */
#define R_SECONDARY BUGCHECK_RECORD_REASON_SECONDARY
#define R_DUMP_IO BUGCHECK_RECORD_REASON_DUMP_IO
#define R_ADD_PAGES BUGCHECK_RECORD_REASON_ADD_PAGES
#define R_MULTIPART BUGCHECK_RECORD_REASON_MULTIPART
#define R_REMOVE_PAGES BUGCHECK_RECORD_REASON_REMOVE_PAGES
#define R_TRIAGE BUGCHECK_RECORD_REASON_TRIAGE
#define R_LEGACY BUGCHECK_RECORD_REASON_LEGACY
#define R_DEVICES BUGCHECK_RECORD_REASON_DEVICES
#define R_USER_BLOCKS BUGCHECK_RECORD_REASON_USER_BLOCKS
#define S_NONE BUGCHECK_RECORD_STATE_NONE
#define S_INSERTED BUGCHECK_RECORD_STATE_INSERTED
#define S_STARTED BUGCHECK_RECORD_STATE_STARTED
#define S_FINISHED BUGCHECK_RECORD_STATE_FINISHED
#define S_INCOMPLETE BUGCHECK_RECORD_STATE_INCOMPLETE
#define S_FAILED BUGCHECK_RECORD_STATE_FAILED
#define S_SKIPPED BUGCHECK_RECORD_STATE_SKIPPED

#define HDR_SIZE sizeof(struct bugcheck_record_header)
#define CB_SIZE sizeof(struct bugcheck_record_callback)
#define SEC_SIZE sizeof(struct bugcheck_record_section)
#define POOL_SLOTS 8
#define POOL_SIZE (256u << 10)
#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, \
			       __LINE__, #cond);                          \
			checks_failed++;                                  \
		}                                                         \
	} while (0)
#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);            \
		if (_a != _b) {                                                \
			printf("#   %s:%d: %s == %lld, expected %s == %lld\n", \
			       __FILE__, __LINE__, #a, _a, #b, _b);            \
			checks_failed++;                                       \
		}                                                              \
	} while (0)
#define CHECK_STR(text, needle)                                          \
	do {                                                             \
		const char *_t = (text), *_n = (needle);                 \
		if (!strstr(_t, _n)) {                                   \
			printf("#   %s:%d: \"%s\" not in output:\n%s\n", \
			       __FILE__, __LINE__, _n, _t);              \
			checks_failed++;                                 \
		}                                                        \
	} while (0)
#define UB_A0 0x7f3a5c021000ULL
#define UB_A1 0x7f3a5c030000ULL
#define UB_A2 0x7f1e2a400000ULL
#define UB_A3 0x55d0c0de0000ULL

struct rb {
	uint8_t *buf;
	uint32_t cursor;
	uint32_t area; /* the area's size: AREA unless rb_init_area() */
};

struct test {
	const char *name;
	void (*fn)(void);
};

/* Run @tests in order; returns the exit status. */
int run_tests(const struct test *tests, size_t nr);

int topen(struct bcr *r, const void *buf, size_t len);
uint32_t ref_crc(uint32_t crc, const uint8_t *p, size_t len);
struct bugcheck_record_header *H(void *buf);
struct bugcheck_record_callback *cb_at(void *buf, uint32_t i);
struct bugcheck_record_section *sec_at(void *buf, uint32_t n);
void rb_init(struct rb *b, void *buf, uint32_t slots);
uint32_t rb_callback(struct rb *b, const char *component, const char *module,
		     uint32_t reason, uint32_t state, uint32_t flags);
uint32_t rb_section(struct rb *b, uint32_t type, uint32_t cb, uint32_t part,
		    const uint8_t *guid, uint32_t flags, uint64_t address,
		    uint64_t count, const void *payload, uint32_t len);
void rb_recrc(void *buf, size_t len);
size_t rb_finish(struct rb *b, uint32_t nr_io);
size_t build_std(void *buf);
void *exact_copy(const void *src, size_t len);
FILE *out_open(void);
const char *out_text(FILE *f);
void exercise(FILE *f, const struct bcr *r);
size_t build_multipart(void *buf);
struct bugcheck_record_device dev_entry(const char *name, const char *driver,
					const char *parent, int32_t result,
					uint32_t method, uint32_t before,
					uint32_t after, uint32_t usage);
void rb_device(struct rb *b, uint32_t cb, uint32_t index,
	       const struct bugcheck_record_device *d, uint32_t len);
size_t build_devices(void *buf);
struct bugcheck_record_user_block ub_entry(uint64_t address, uint64_t size,
					   int32_t pid, uint32_t uid,
					   uint32_t flags, uint32_t copied,
					   const char *comm);
uint32_t rb_user_block(struct rb *b, uint32_t cb, uint32_t part,
		       uint32_t sflags,
		       const struct bugcheck_record_user_block *u,
		       const void *contents, uint32_t clen);
size_t build_user_blocks(void *buf);
size_t build_user_blocks_malformed(void *buf);
uint32_t rb_fault(struct rb *b, uint32_t cb, uint64_t ip, uint32_t trap,
		  uint32_t error_code, const char *what);
size_t build_faults(void *buf);
size_t build_faults_malformed(void *buf);
void rb_init_area(struct rb *b, void *buf, uint32_t slots, uint32_t area);
/*
 * A record of @area bytes at @buf: one multipart blob of @nr parts of
 * @part_len bytes (part i filled with byte i * 7 + 1; with @reversed the
 * parts are written last part first), or with @secondary as many SECONDARY
 * sections with GUIDs of their own.  Returns the record's length.
 */
size_t build_parts(void *buf, uint32_t area, uint32_t nr, uint32_t part_len,
		   int reversed, int secondary);
int write_file(const char *dir, const char *name, const void *data, size_t len);
int write_samples(const char *dir);
extern int checks_failed;
extern const uint8_t G1[16];
extern const uint8_t G2[16];
extern const uint8_t G3[16];
extern uint64_t area[AREA / 8];
extern const char mp_part[3][8];
extern FILE *devnull;
extern char outbuf[1 << 17];
extern uint8_t ub_a0[100];
#define UB_A3_TEXT "state=RUNNING queue=17 last=0x2a\n"
extern const char ub_a3[sizeof(UB_A3_TEXT)];

/* A fake machine: MACHINE_PAGES pages, the record area at scattered pfns. */
#define MACHINE_PAGE 4096u
#define MACHINE_PAGES 64u
#define LOCATOR_PFN 30u
#define STALE_LOCATOR_PFN 5u
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

uint8_t *build_machine(const void *rec, size_t len);
uint32_t area_pfn(uint32_t i);
size_t write_elf_vmcore(const uint8_t *mem, uint8_t **out);
size_t write_kdump_vmcore(const uint8_t *mem, uint8_t **out);
int bcr_test_all_zero(const void *p, size_t len);

#endif /* BCR_TEST_HELPERS_H */
