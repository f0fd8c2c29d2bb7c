// SPDX-License-Identifier: GPL-2.0
/*
 * bugcheckctl: is this machine set up so that a panic puts a bugcheck record
 * in the vmcore (status), what would the record hold now (simulate), and
 * turn on what it needs (setup).
 *
 *   bugcheckctl status
 *   bugcheckctl simulate [-o FILE] [-x] [P0 [P1 P2 P3]]
 *   bugcheckctl setup
 *
 * simulate goes through /dev/bugcheck (BUGCHECK_IOC_SIMULATE), not debugfs,
 * so it works where the kernel refuses debugfs writes (lockdown).
 * Exit status: status: 0 a panic WILL put a record in the vmcore, 1 it WILL
 * NOT; simulate: 0 a valid record, 1 a damaged one; setup: 0 everything a
 * record needs is on, 1 something could not be turned on; every command:
 * 2 usage, 3 cannot (not root, no module, I/O error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bcr.h"
#include "uapi/bugcheck_dev.h"

#define PROG "bugcheckctl"

#define SYS_MODULE "/sys/module/bugcheck"
#define SYS_LOCATOR SYS_MODULE "/parameters/locator"
#define SYS_POST_NOTIFIERS \
	"/sys/module/kernel/parameters/crash_kexec_post_notifiers"
#define SYS_CRASH_LOADED "/sys/kernel/kexec_crash_loaded"
#define PROC_PANIC_ON_OOPS "/proc/sys/kernel/panic_on_oops"
#define SAVE_UNIT "bugcheck-save.service"
#define SAVE_UNIT_WANTS \
	"/etc/systemd/system/kdump-tools-dump.service.wants/" SAVE_UNIT
/* kdump-config writes the kexec command it loaded here (KDUMP_COREDIR default). */
#define KDUMP_KEXEC_CMD "/var/crash/kexec_cmd"
#define KDUMP_APPEND_DEFAULT \
	"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"

#define NO_CRASH_KERNEL \
	"no crash kernel is loaded (run kdump-config load; check crashkernel= on the boot line)"
#define POST_OFF \
	"crash_kexec_post_notifiers is off: the capture kernel starts before bugcheck runs (bugcheckctl setup)"
#define LOCATOR_OFF \
	"not on the capture command line (set KDUMP_CMDLINE_APPEND below): bugcheck-save will scan"

enum { EXIT_NO = 1, EXIT_USAGE = 2, EXIT_CANNOT = 3 };

static const char usage_text[] =
	"usage: bugcheckctl status\n"
	"       bugcheckctl simulate [-o FILE] [-x] [P0 [P1 P2 P3]]\n"
	"       bugcheckctl setup\n"
	"       bugcheckctl -h | --help | -V | --version\n"
	"\n"
	"status    what a panic now would leave: module, crash kernel,\n"
	"          crash_kexec_post_notifiers, panic_on_oops, record area,\n"
	"          callbacks, devices, user blocks, the capture-side save, and\n"
	"          one verdict line\n"
	"simulate  run every callback into a scratch record (root; through\n"
	"          /dev/bugcheck, so it works under kernel lockdown) and print\n"
	"          it; the Pn (hexadecimal) become its parameters\n"
	"  -o FILE write the record to FILE instead (bugcheck-record reads it)\n"
	"  -x      the tagged blocks without their data (as bugcheck-record tags -x)\n"
	"setup     (root) load bugcheck.ko, turn on crash_kexec_post_notifiers\n"
	"          and panic_on_oops, enable " SAVE_UNIT ", and print what\n"
	"          makes it permanent\n"
	"\n"
	"exit: status 0 WILL, 1 WILL NOT; simulate 0 valid, 1 damaged;\n"
	"      setup 0 all on, 1 not all; 2 usage; 3 cannot (root, module, I/O)\n";

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs(PROG ": ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* The first line of @path into @buf without its newline; 0 or -errno. */
static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(val))
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* 1 on, 0 off, -errno unreadable: a bool parameter ("Y"/"N") or an integer. */
static int read_flag(const char *path)
{
	char buf[32];
	int ret = read_line(path, buf, sizeof(buf));

	if (ret)
		return ret;
	if (buf[0] == 'Y' || buf[0] == 'y')
		return 1;
	if (buf[0] == 'N' || buf[0] == 'n')
		return 0;
	return strtol(buf, NULL, 10) != 0;
}

static int module_loaded(void)
{
	struct stat st;

	return stat(SYS_MODULE "/parameters", &st) == 0;
}

static int dev_open(void)
{
	int fd = open(BUGCHECK_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int get_status(struct bugcheck_status *st)
{
	int fd = dev_open(), ret = 0;

	if (fd < 0)
		return fd;
	memset(st, 0, sizeof(*st));
	if (ioctl(fd, BUGCHECK_IOC_STATUS, st))
		ret = -errno;
	close(fd);
	return ret;
}

/* The value of bugcheck_locator= in the kexec command kdump-config loaded. */
static int kdump_locator(char *buf, size_t size)
{
	static const char key[] = "bugcheck_locator=";
	char line[8192];
	const char *p;
	size_t n;
	int ret;

	ret = read_line(KDUMP_KEXEC_CMD, line, sizeof(line));
	if (ret)
		return ret;
	p = strstr(line, key);
	if (!p)
		return -ENOENT;
	p += sizeof(key) - 1;
	n = strspn(p, "0123456789xabcdefABCDEF");
	if (!n || n >= size)
		return -ENOENT;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

static int unit_enabled(void)
{
	struct stat st;

	return stat(SAVE_UNIT_WANTS, &st) == 0;
}

/*
 * Whether the capture side will save the record: the unit that runs
 * bugcheck-save before kdump-tools' dump, and the locator on the loaded
 * capture command line (without it bugcheck-save scans the whole vmcore).
 */
static void print_capture(void)
{
	char have[64], want[64];
	int ret;

	printf("%-16s %s\n", "capture save",
	       unit_enabled() ? SAVE_UNIT
		       " enabled (saves the record before kdump-tools' dump)" :
				SAVE_UNIT
		       " not enabled: only the vmcore will hold the record (bugcheckctl setup enables it)");
	ret = read_line(SYS_LOCATOR, want, sizeof(want));
	if (ret) {
		printf("%-16s unknown (%s: %s)\n", "locator", SYS_LOCATOR,
		       strerror(-ret));
		return;
	}
	ret = kdump_locator(have, sizeof(have));
	if (ret == 0 && strtoull(have, NULL, 0) == strtoull(want, NULL, 0))
		printf("%-16s %s, on the capture command line\n", "locator",
		       want);
	else if (ret == 0)
		printf("%-16s %s, but the capture command line has %s %s\n",
		       "locator", want, have,
		       "(stale: run kdump-config try-reload)");
	else
		printf("%-16s %s, not on the capture command line (%s): bugcheck-save will scan\n",
		       "locator", want, KDUMP_KEXEC_CMD);
}

static const char *const reason_label[BUGCHECK_STATUS_REASONS] = {
	[1] = "secondary",
	[2] = "dump-io",
	[3] = "add-pages",
	[4] = "multipart",
	[5] = "remove-pages",
	[6] = "triage",
	[BUGCHECK_STATUS_LEGACY] = "legacy",
};

static int cmd_status(int argc, char **argv)
{
	const char *why = NULL;
	struct bugcheck_status st;
	char ver[64] = "?";
	int crash, post, oops, ret, i;
	uint32_t total = 0;

	(void)argv;
	if (argc > 1)
		return usage_error("status: no arguments");

	if (!module_loaded()) {
		printf("%-16s not loaded\n", "module");
		why = "bugcheck.ko is not loaded (modprobe bugcheck, or bugcheckctl setup)";
	} else {
		read_line(SYS_MODULE "/version", ver, sizeof(ver));
		ret = get_status(&st);
		if (ret) {
			printf("%-16s bugcheck %s loaded; %s: %s\n", "module",
			       ver, BUGCHECK_DEV_PATH, strerror(-ret));
		} else {
			printf("%-16s bugcheck %s loaded, record area %" PRIu64
			       " bytes\n",
			       "module", ver, (uint64_t)st.record_area);
			printf("%-16s", "callbacks");
			for (i = 1; i < BUGCHECK_STATUS_REASONS; i++) {
				printf(" %s %u%s", reason_label[i],
				       st.callbacks[i],
				       i + 1 < BUGCHECK_STATUS_REASONS ? "," :
									 "");
				total += st.callbacks[i];
			}
			printf("\n%-16s %u\n", "devices", st.devices);
			printf("%-16s %u\n", "user blocks", st.user_blocks);
			if (st.sim_record_size)
				printf("%-16s %" PRIu64 " of %" PRIu64
				       " bytes used (%.1f%%)%s\n",
				       "last simulate", (uint64_t)st.sim_used,
				       (uint64_t)st.record_area,
				       100.0 * (double)st.sim_used /
					       (double)st.record_area,
				       st.sim_flags & BUGCHECK_RECORD_F_TRUNCATED ?
					       ", TRUNCATED: raise record_size" :
					       "");
			else
				printf("%-16s none yet (bugcheckctl simulate)\n",
				       "last simulate");
			if (!total && !st.devices && !st.user_blocks)
				printf("%-16s nothing is registered: %s\n",
				       "note",
				       "the record will hold only its header");
		}
	}

	crash = read_flag(SYS_CRASH_LOADED);
	printf("%-16s %s\n", "crash kernel",
	       crash > 0  ? "loaded" :
	       crash == 0 ? "not loaded" :
			    "unknown (no kexec support?)");
	if (!why && crash <= 0)
		why = NO_CRASH_KERNEL;

	post = read_flag(SYS_POST_NOTIFIERS);
	printf("%-16s %s\n", "post notifiers",
	       post > 0	 ? "on (crash_kexec_post_notifiers)" :
	       post == 0 ? "off (crash_kexec_post_notifiers)" :
			   "unknown");
	if (!why && post <= 0)
		why = POST_OFF;

	oops = read_flag(PROC_PANIC_ON_OOPS);
	printf("%-16s %s\n", "panic_on_oops",
	       oops > 0	 ? "1" :
	       oops == 0 ? "0: an oops that does not panic leaves no dump" :
			   "unknown");

	if (module_loaded())
		print_capture();

	if (why) {
		printf("verdict: a panic now WILL NOT put a bugcheck record in the vmcore: %s\n",
		       why);
		return EXIT_NO;
	}
	printf("verdict: a panic now WILL put a bugcheck record in the vmcore\n");
	return 0;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	const char *p = buf;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return (int)n;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) || close(fd))
		return -errno;
	return 0;
}

static int cmd_simulate(int argc, char **argv)
{
	struct bugcheck_simulate req = {};
	struct bugcheck_status st;
	const char *out = NULL;
	int c, fd, ret, i, no_data = 0;
	struct bcr r;
	void *buf;

	optind = 1;
	while ((c = getopt(argc, argv, "+o:x")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'x':
			no_data = 1;
			break;
		default:
			return usage_error(NULL);
		}
	}
	if (argc - optind != 0 && argc - optind != 1 && argc - optind != 4)
		return usage_error("simulate: give no parameter, one or four");
	for (i = 0; optind + i < argc; i++) {
		char *end;

		errno = 0;
		req.param[i] = strtoull(argv[optind + i], &end, 16);
		if (errno || !*argv[optind + i] || *end)
			return usage_error("simulate: \"%s\" is not %s",
					   argv[optind + i],
					   "a hexadecimal number");
	}

	ret = get_status(&st);
	if (ret) {
		fprintf(stderr, PROG ": %s: %s%s\n", BUGCHECK_DEV_PATH,
			strerror(-ret),
			module_loaded() ? "" : " (bugcheck.ko is not loaded)");
		return EXIT_CANNOT;
	}
	buf = malloc(st.record_area);
	if (!buf) {
		fprintf(stderr, PROG ": no memory for %" PRIu64 " bytes\n",
			(uint64_t)st.record_area);
		return EXIT_CANNOT;
	}
	req.buf = (uintptr_t)buf;
	req.buf_size = st.record_area;
	fd = dev_open();
	if (fd < 0 || ioctl(fd, BUGCHECK_IOC_SIMULATE, &req)) {
		ret = errno;
		fprintf(stderr, PROG ": simulate: %s%s\n", strerror(ret),
			ret == EPERM ? " (needs root: CAP_SYS_ADMIN)" : "");
		if (fd >= 0)
			close(fd);
		free(buf);
		return EXIT_CANNOT;
	}
	close(fd);

	if (out) {
		ret = write_file(out, buf, req.record_size);
		if (ret) {
			fprintf(stderr, PROG ": %s: %s\n", out, strerror(-ret));
			free(buf);
			return EXIT_CANNOT;
		}
		fprintf(stderr,
			PROG ": simulated record of %" PRIu64
			     " bytes written to %s\n",
			(uint64_t)req.record_size, out);
	}
	ret = bcr_open(&r, buf, req.record_size);
	if (!out) {
		bcr_print_summary(stdout, &r);
		if (r.hdr)
			bcr_print_tags(stdout, &r, NULL, no_data);
	} else if (ret) {
		fprintf(stderr, PROG ": the record is damaged: %s\n",
			bcr_strerror(ret));
	}
	bcr_close(&r);
	free(buf);
	if (fflush(stdout))
		return EXIT_CANNOT;
	return ret ? EXIT_NO : 0;
}

/* Run @argv (a NULL-terminated list) and wait; its exit status or -errno. */
static int run(char *const argv[])
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int have_cmd(const char *name)
{
	static const char *const dirs[] = { "/usr/local/sbin", "/usr/local/bin",
					    "/usr/sbin",       "/usr/bin",
					    "/sbin",	       "/bin" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if (access(path, X_OK) == 0)
			return 1;
	}
	return 0;
}

/* Where make install and packages put units; systemd searches all of them. */
static int unit_installed(void)
{
	static const char *const dirs[] = { "/etc/systemd/system",
					    "/usr/local/lib/systemd/system",
					    "/usr/lib/systemd/system",
					    "/lib/systemd/system" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], SAVE_UNIT);
		if (access(path, R_OK) == 0)
			return 1;
	}
	return 0;
}

static void print_permanent(void)
{
	printf("\nTo make it permanent:\n"
	       "  boot line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub):\n"
	       "      crashkernel=384M-:256M crash_kexec_post_notifiers\n"
	       "  sysctl (/etc/sysctl.d/90-bugcheck.conf):\n"
	       "      kernel.panic_on_oops = 1\n"
	       "  module at boot (/etc/modules-load.d/bugcheck.conf):\n"
	       "      bugcheck\n"
	       "  kdump-tools (/etc/default/kdump-tools, read as shell at every load: the\n"
	       "  locator of the module loaded then; the defaults repeated, since setting\n"
	       "  the variable replaces them):\n"
	       "      KDUMP_CMDLINE_APPEND=\"" KDUMP_APPEND_DEFAULT
	       " $(sed 's/^/bugcheck_locator=/' " SYS_LOCATOR
	       " 2>/dev/null)\"\n"
	       "  and after every reload of bugcheck.ko: kdump-config try-reload\n");
}

static int cmd_setup(int argc, char **argv)
{
	static char *const modprobe[] = { "modprobe", "bugcheck", NULL };
	static char *const enable[] = { "systemctl", "enable", SAVE_UNIT,
					NULL };
	static char *const reload[] = { "kdump-config", "try-reload", NULL };
	char have[64], want[64];
	int ret, failed = 0;
	int on;

	(void)argv;
	if (argc > 1)
		return usage_error("setup: no arguments");
	if (geteuid() != 0) {
		fprintf(stderr, PROG
			" setup: must run as root: it loads bugcheck.ko, writes " SYS_POST_NOTIFIERS
			" and " PROC_PANIC_ON_OOPS ", and enables " SAVE_UNIT
			"\n");
		return EXIT_CANNOT;
	}

	if (module_loaded()) {
		printf("bugcheck.ko: loaded\n");
	} else {
		ret = run(modprobe);
		printf("bugcheck.ko: %s\n",
		       ret == 0 ?
			       "loaded now (modprobe bugcheck)" :
			       "modprobe bugcheck FAILED (is it installed? make install or make dkms-install)");
		failed |= ret != 0;
	}

	ret = read_flag(SYS_POST_NOTIFIERS);
	if (ret == 0)
		ret = write_str(SYS_POST_NOTIFIERS, "Y") ? -1 : 2;
	printf("crash_kexec_post_notifiers: %s\n",
	       ret == 1 ? "already on" :
	       ret == 2 ? "turned on now" :
			  "could NOT be turned on (" SYS_POST_NOTIFIERS ")");
	failed |= ret < 0;
	if (ret > 0)
		printf("  cost: %s;\n  %s\n",
		       "panic notifiers and kmsg dumpers now run before the capture kernel",
		       "one that hangs or faults on a broken kernel can prevent the capture");

	ret = read_flag(PROC_PANIC_ON_OOPS);
	if (ret == 0)
		ret = write_str(PROC_PANIC_ON_OOPS, "1") ? -1 : 2;
	printf("panic_on_oops: %s\n",
	       ret == 1 ? "already 1" :
	       ret == 2 ? "set to 1 now (an oops panics, so it is dumped)" :
			  "could NOT be set (" PROC_PANIC_ON_OOPS ")");
	failed |= ret < 0;

	if (unit_enabled()) {
		printf(SAVE_UNIT ": enabled\n");
	} else if (!unit_installed() || !have_cmd("systemctl")) {
		printf(SAVE_UNIT
		       ": not installed (make install), or no systemd: the vmcore alone holds the record\n");
	} else {
		ret = run(enable);
		printf(SAVE_UNIT ": %s\n",
		       ret == 0 ? "enabled now" : "systemctl enable FAILED");
		failed |= ret != 0;
	}

	/* The locator changes at every load of the module: hand the new one over. */
	if (module_loaded() &&
	    read_line(SYS_LOCATOR, want, sizeof(want)) == 0 &&
	    (kdump_locator(have, sizeof(have)) ||
	     strtoull(have, NULL, 0) != strtoull(want, NULL, 0)) &&
	    have_cmd("kdump-config") && read_flag(SYS_CRASH_LOADED) == 1) {
		ret = run(reload);
		printf("kdump-config try-reload: %s\n",
		       ret == 0 ? "done" : "FAILED");
	}
	if (module_loaded() &&
	    read_line(SYS_LOCATOR, want, sizeof(want)) == 0) {
		ret = kdump_locator(have, sizeof(have));
		on = ret == 0 &&
		     strtoull(have, NULL, 0) == strtoull(want, NULL, 0);
		printf("locator: %s\n",
		       on ? "on the capture command line" : LOCATOR_OFF);
	}
	if (read_flag(SYS_CRASH_LOADED) != 1)
		printf("crash kernel: NOT loaded: %s\n",
		       "install kdump-tools, boot with crashkernel=, kdump-config load");

	print_permanent();
	return failed ? EXIT_NO : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf(PROG " " BUGCHECK_VERSION "\n");
		return 0;
	}
	if (!strcmp(argv[1], "status"))
		return cmd_status(argc - 1, argv + 1);
	if (!strcmp(argv[1], "simulate"))
		return cmd_simulate(argc - 1, argv + 1);
	if (!strcmp(argv[1], "setup"))
		return cmd_setup(argc - 1, argv + 1);
	return usage_error("unknown command \"%s\"", argv[1]);
}
