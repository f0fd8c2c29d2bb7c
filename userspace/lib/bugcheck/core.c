// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * core.c - an ELF core of another process, of one of the report dump types
 * (micro, mini, heap), with its registered memory blocks, that gdb opens.
 *
 * Two sources.  A running process is stopped with PTRACE_SEIZE +
 * PTRACE_INTERRUPT on every thread, its registers are read with ptrace and
 * its memory with process_vm_readv() (/proc/PID/mem for what that cannot
 * read), and it is let go with PTRACE_DETACH, any signal that arrived
 * meanwhile handed back: it runs on as if nothing happened.  A process the
 * kernel is dumping (a core_pattern pipe) cannot be stopped any more: its
 * registers come from the notes of the kernel's own core and its memory from
 * /proc/PID/mem, which stays readable while the kernel waits on the pipe.
 *
 * The list of registered blocks comes from the kernel's registry
 * (BUGCHECK_IOC_LIST_PROCESS), never from the target's heap; their bytes are
 * read at the listed addresses like the rest of the memory, so the core
 * shows what the process saw (docs/error-reports.md says why).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/procfs.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <uapi/bugcheck_dev.h>

#include "internal.h"

#define PG 4096ULL
#define PG_DOWN(x) ((x) & ~(PG - 1))
#define PG_UP(x) (((x) + PG - 1) & ~(PG - 1))
#define RED_ZONE 128 /* x86-64 ABI: below the stack pointer */
#define CHUNK (1U << 20) /* bytes read and written at a time */
#define XSTATE_MAX 16384
#define FX_SW_OFFSET 464 /* sw_reserved in the FXSAVE area */
#define FP_XSTATE_MAGIC1 0x46505853U

struct vma {
	uint64_t start, end, pgoff, inode;
	char perms[5];
	char *path;
	bool dontdump;
	bool written; /* has private (anonymous, COW) pages */
};

struct thr {
	pid_t tid;
	bool seized;
	int sig; /* to hand back at detach */
	struct user_regs_struct regs;
	struct user_fpregs_struct fp;
	uint8_t *xs;
	size_t xs_len;
};

struct range {
	uint64_t start, end;
};

struct seg {
	uint64_t start, end;
	uint32_t flags;
	bool data;
	bool file;
	uint64_t offset;
};

struct tgt {
	const struct bc_dump_spec *spec;
	pid_t pid;
	char comm[17];
	char state;
	int ppid, pgrp, sid, nice;
	unsigned int uid, gid;
	char exe[PATH_MAX];
	char psargs[ELF_PRARGSZ];
	struct thr *thr;
	size_t nthr;
	struct vma *vma;
	size_t nvma;
	uint8_t *auxv;
	size_t auxv_len;
	struct bugcheck_block_info *blk;
	size_t nblk;
	char blk_why[128];
	uint8_t *blk_state; /* per block: 0 not dumped, 1 dumped */
	uint8_t siginfo[128];
	bool have_siginfo;
	int cursig;
	int mem_fd;
	bool vanished; /* the address space went away while we read it */
	/* kernel-core mode: the kernel's notes, and the crashing thread's */
	const uint8_t *knotes;
	size_t knotes_len;
	size_t knotes_first; /* bytes of the first thread's notes */
	struct range *inc; /* included ranges, page aligned */
	size_t ninc, capinc;
	struct seg *seg;
	size_t nseg;
	char *msg;
	size_t msglen;
};

void bugcheck__msg(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

/* Say why into @t's message; returns -@err. */
__attribute__((format(printf, 3, 4))) static int FAIL(struct tgt *t, int err,
						      const char *fmt, ...)
{
	va_list ap;

	if (t->msg && t->msglen) {
		va_start(ap, fmt);
		vsnprintf(t->msg, t->msglen, fmt, ap);
		va_end(ap);
	}
	return -err;
}

/* The whole of a /proc file into a NUL-terminated malloc'ed buffer. */
static int slurp(const char *path, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;
	int fd;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		if (cap - n < 2) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				close(fd);
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			close(fd);
			free(buf);
			return (int)r;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

static int proc_path(char *buf, size_t len, pid_t pid, const char *what)
{
	return snprintf(buf, len, "/proc/%d/%s", (int)pid, what);
}

/*
 * A name the process chose (comm, the path of its binary) goes into text
 * files and the note, one key=value a line: no control characters.
 */
static void sanitize(char *str)
{
	for (; *str; str++)
		if ((unsigned char)*str < 0x20 || *str == 0x7f)
			*str = '?';
}

/* /proc/PID/stat and status: state, parents, name, ids. */
static int read_stat(struct tgt *t)
{
	char path[64], *s, *p, *q;
	int ret;

	proc_path(path, sizeof(path), t->pid, "stat");
	ret = slurp(path, &s, NULL);
	if (ret == -ENOENT || ret == -ESRCH)
		return FAIL(t, ESRCH, "no process %d", t->pid);
	if (ret)
		return FAIL(t, -ret, "cannot read %s: %s", path,
			    strerror(-ret));
	p = strchr(s, '(');
	q = strrchr(s, ')');
	if (!p || !q || q < p) {
		free(s);
		return FAIL(t, EIO, "cannot parse %s", path);
	}
	snprintf(t->comm, sizeof(t->comm), "%.*s", (int)(q - p - 1), p + 1);
	sanitize(t->comm);
	if (sscanf(q + 2,
		   "%c %d %d %d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
		   &t->state, &t->ppid, &t->pgrp, &t->sid, &t->nice) != 5) {
		free(s);
		return FAIL(t, EIO, "cannot parse %s", path);
	}
	free(s);

	proc_path(path, sizeof(path), t->pid, "status");
	if (slurp(path, &s, NULL) == 0) {
		p = strstr(s, "\nUid:");
		if (p)
			sscanf(p + 5, "%u", &t->uid);
		p = strstr(s, "\nGid:");
		if (p)
			sscanf(p + 5, "%u", &t->gid);
		free(s);
	}
	return 0;
}

static void read_misc(struct tgt *t)
{
	char path[64], *s;
	size_t n, i;
	ssize_t l;

	proc_path(path, sizeof(path), t->pid, "exe");
	l = readlink(path, t->exe, sizeof(t->exe) - 1);
	t->exe[l > 0 ? l : 0] = 0;
	sanitize(t->exe);
	proc_path(path, sizeof(path), t->pid, "cmdline");
	if (slurp(path, &s, &n) == 0) {
		for (i = 0; i < n && i < sizeof(t->psargs) - 1; i++)
			t->psargs[i] = s[i] ? s[i] : ' ';
		while (i && t->psargs[i - 1] == ' ')
			i--;
		t->psargs[i] = 0;
		free(s);
	}
	proc_path(path, sizeof(path), t->pid, "auxv");
	if (slurp(path, &s, &n) == 0) {
		t->auxv = (uint8_t *)s;
		t->auxv_len = n;
	}
}

/* /proc/PID/smaps: the mappings, and which have VM_DONTDUMP ("dd"). */
static int read_maps(struct tgt *t)
{
	char path[64], *s, *line, *next;
	size_t cap = 0;
	int ret;

	proc_path(path, sizeof(path), t->pid, "smaps");
	ret = slurp(path, &s, NULL);
	if (ret)
		return FAIL(t, ret == -ENOENT ? ESRCH : -ret,
			    "cannot read %s: %s", path, strerror(-ret));
	for (line = s; line && *line; line = next) {
		unsigned long long a, b, off, ino;
		char perms[5];
		int pos = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!strncmp(line, "Anonymous:", 10)) {
			if (t->nvma && strtoull(line + 10, NULL, 10))
				t->vma[t->nvma - 1].written = true;
			continue;
		}
		if (!strncmp(line, "VmFlags:", 8)) {
			if (t->nvma && strstr(line + 8, " dd"))
				t->vma[t->nvma - 1].dontdump = true;
			continue;
		}
		if (sscanf(line, "%llx-%llx %4s %llx %*s %llu %n", &a, &b,
			   perms, &off, &ino, &pos) < 5 ||
		    !pos)
			continue;
		if (t->nvma == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct vma *nv = realloc(t->vma, nc * sizeof(*nv));

			if (!nv) {
				free(s);
				return FAIL(t, ENOMEM, "out of memory");
			}
			t->vma = nv;
			cap = nc;
		}
		t->vma[t->nvma] = (struct vma){
			.start = a, .end = b, .pgoff = off, .inode = ino
		};
		memcpy(t->vma[t->nvma].perms, perms, 5);
		t->vma[t->nvma].path = strdup(line + pos);
		if (!t->vma[t->nvma].path) {
			free(s);
			return FAIL(t, ENOMEM, "out of memory");
		}
		t->nvma++;
	}
	free(s);
	if (!t->nvma)
		return FAIL(t, ESRCH,
			    "process %d has no memory mappings (exiting?)",
			    t->pid);
	return 0;
}

static bool in_task_dir(pid_t pid, pid_t tid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, (int)tid);
	return stat(path, &st) == 0;
}

#define TOO_OLD "bugcheck.ko is too old for BUGCHECK_IOC_LIST_PROCESS"
#define YAMA_3 \
	"kernel.yama.ptrace_scope is 3 (ptrace disabled until reboot); boot without it to make reports"
#define YAMA_USER "run the reporter as that user or as root"
#define YAMA_ROOT "run the reporter as root (CAP_SYS_PTRACE), "
#define YAMA_ALLOW "have the target allow it with prctl(PR_SET_PTRACER) "
#define YAMA_HANDLER "(bugcheck_install_crash_handler does), "
#define YAMA_SYSCTL "or set the sysctl kernel.yama.ptrace_scope=0"
#define NEED_CAP "a reporter needs CAP_SYS_PTRACE over it "
#define NEED_CAP_CONTAINER "(in a container: add the capability)"

/* Why ptrace failed, and what to change, into the message. */
static int ptrace_error(struct tgt *t, pid_t tid, int err)
{
	char *scope = NULL;
	int s = -1;

	if (err == ESRCH)
		return FAIL(t, ESRCH, "process %d is gone (or is a zombie)",
			    t->pid);
	if (slurp("/proc/sys/kernel/yama/ptrace_scope", &scope, NULL) == 0) {
		s = atoi(scope);
		free(scope);
	}
	if (s == 3)
		return FAIL(t, EPERM,
			    "cannot ptrace thread %d of process %d: %s", tid,
			    t->pid, YAMA_3);
	if (geteuid() != 0 && geteuid() != t->uid)
		return FAIL(t, EPERM,
			    "cannot ptrace process %d: %s %u %s %u; %s", t->pid,
			    "it belongs to uid", t->uid, "and we are uid",
			    (unsigned int)geteuid(), YAMA_USER);
	if (s >= 1)
		return FAIL(t, EPERM,
			    "cannot ptrace process %d: %s %d; %s%s%s%s", t->pid,
			    "kernel.yama.ptrace_scope is", s, YAMA_ROOT,
			    YAMA_ALLOW, YAMA_HANDLER, YAMA_SYSCTL);
	return FAIL(t, err, "cannot ptrace process %d: %s; %s%s", t->pid,
		    strerror(err), NEED_CAP, NEED_CAP_CONTAINER);
}

/* Wait for @th's stop; false if the thread went away. */
static bool wait_stop(struct thr *th)
{
	int st;

	for (;;) {
		if (waitpid(th->tid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return false;
		if (!WIFSTOPPED(st))
			continue;
		if ((st >> 16) != PTRACE_EVENT_STOP)
			th->sig = WSTOPSIG(st); /* a signal-delivery stop */
		return true;
	}
}

static int add_thread(struct tgt *t, pid_t tid, size_t *cap)
{
	if (t->nthr == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct thr *n = realloc(t->thr, nc * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->thr = n;
		*cap = nc;
	}
	t->thr[t->nthr] = (struct thr){ .tid = tid };
	return (int)t->nthr++;
}

static bool have_thread(const struct tgt *t, pid_t tid)
{
	size_t i;

	for (i = 0; i < t->nthr; i++)
		if (t->thr[i].tid == tid)
			return true;
	return false;
}

/* Stop every thread; threads born meanwhile are caught by the next pass. */
static int seize_all(struct tgt *t)
{
	char path[64];
	size_t cap = 0;
	bool added;
	int pass;

	proc_path(path, sizeof(path), t->pid, "task");
	for (pass = 0, added = true; added && pass < 64; pass++) {
		struct dirent *de;
		DIR *d = opendir(path);

		if (!d)
			return FAIL(t, ESRCH, "process %d is gone", t->pid);
		added = false;
		while ((de = readdir(d))) {
			pid_t tid = atoi(de->d_name);
			int i;

			if (tid <= 0 || have_thread(t, tid))
				continue;
			i = add_thread(t, tid, &cap);
			if (i < 0) {
				closedir(d);
				return FAIL(t, ENOMEM, "out of memory");
			}
			added = true;
			if (ptrace(PTRACE_SEIZE, tid, 0, 0) < 0) {
				int e = errno;

				t->nthr--;
				if (e == ESRCH)
					continue; /* the thread exited */
				closedir(d);
				return ptrace_error(t, tid, e);
			}
			t->thr[i].seized = true;
			if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0 ||
			    !wait_stop(&t->thr[i])) {
				ptrace(PTRACE_DETACH, tid, 0, 0);
				t->nthr--;
			}
		}
		closedir(d);
	}
	if (!t->nthr)
		return FAIL(t, ESRCH,
			    "process %d has no threads left (a zombie?)",
			    t->pid);
	return 0;
}

static void detach_all(struct tgt *t)
{
	size_t i;

	for (i = 0; i < t->nthr; i++)
		if (t->thr[i].seized)
			ptrace(PTRACE_DETACH, t->thr[i].tid, 0,
			       (void *)(uintptr_t)t->thr[i].sig);
}

static int read_regs(struct tgt *t)
{
	size_t i;

	for (i = 0; i < t->nthr; i++) {
		struct thr *th = &t->thr[i];
		struct iovec iov;

		if (ptrace(PTRACE_GETREGS, th->tid, 0, &th->regs) < 0)
			return FAIL(t, errno,
				    "cannot read the %s of thread %d: %s",
				    "registers", th->tid, strerror(errno));
		if (ptrace(PTRACE_GETFPREGS, th->tid, 0, &th->fp) < 0)
			memset(&th->fp, 0, sizeof(th->fp));
		th->xs = malloc(XSTATE_MAX);
		if (!th->xs)
			return FAIL(t, ENOMEM, "out of memory");
		iov.iov_base = th->xs;
		iov.iov_len = XSTATE_MAX;
		if (ptrace(PTRACE_GETREGSET, th->tid, (void *)NT_X86_XSTATE,
			   &iov) == 0)
			th->xs_len = iov.iov_len;
	}
	return 0;
}

/* Read @len bytes at @addr of the target; false if it cannot be read. */
static bool peek(struct tgt *t, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (process_vm_readv(t->pid, &l, 1, &r, 1, 0) == (ssize_t)len)
		return true;
	return t->mem_fd >= 0 &&
	       pread(t->mem_fd, buf, len, (off_t)addr) == (ssize_t)len;
}

/*
 * A crash: the thread's registers at the fault are in the ucontext the
 * signal handler got, not where ptrace stopped it (in the handler).
 */
static int use_ucontext(struct tgt *t, struct thr *th)
{
	const struct bc_dump_spec *sp = t->spec;
	struct user_regs_struct *r = &th->regs;
	ucontext_t uc;
	const greg_t *g;
	uint8_t fx[512];
	uint32_t xsize;

	if (sp->siginfo_addr &&
	    peek(t, sp->siginfo_addr, t->siginfo, sizeof(t->siginfo))) {
		t->have_siginfo = true;
		memcpy(&t->cursig, t->siginfo, sizeof(int));
	}
	if (!sp->ucontext_addr)
		return 0;
	if (!peek(t, sp->ucontext_addr, &uc, sizeof(uc)))
		return FAIL(t, EFAULT,
			    "cannot read the signal's ucontext at %#" PRIx64
			    " in process %d",
			    sp->ucontext_addr, t->pid);
	g = uc.uc_mcontext.gregs;
	r->r8 = g[REG_R8];
	r->r9 = g[REG_R9];
	r->r10 = g[REG_R10];
	r->r11 = g[REG_R11];
	r->r12 = g[REG_R12];
	r->r13 = g[REG_R13];
	r->r14 = g[REG_R14];
	r->r15 = g[REG_R15];
	r->rdi = g[REG_RDI];
	r->rsi = g[REG_RSI];
	r->rbp = g[REG_RBP];
	r->rbx = g[REG_RBX];
	r->rdx = g[REG_RDX];
	r->rax = g[REG_RAX];
	r->rcx = g[REG_RCX];
	r->rsp = g[REG_RSP];
	r->rip = g[REG_RIP];
	r->eflags = g[REG_EFL];
	r->cs = g[REG_CSGSFS] & 0xffff;
	r->orig_rax = -1;
	if (!uc.uc_mcontext.fpregs ||
	    !peek(t, (uintptr_t)uc.uc_mcontext.fpregs, fx, sizeof(fx)))
		return 0;
	memcpy(&th->fp, fx, sizeof(th->fp));
	if (th->xs_len < 512)
		return 0;
	/* The legacy area from the frame; sw_reserved (XCR0) stays ptrace's. */
	memcpy(th->xs, fx, FX_SW_OFFSET);
	if (*(uint32_t *)(fx + FX_SW_OFFSET) != FP_XSTATE_MAGIC1)
		return 0;
	memcpy(&xsize, fx + FX_SW_OFFSET + 16, sizeof(xsize));
	if (xsize > 512 && xsize <= th->xs_len) {
		uint8_t *ext = malloc(xsize);

		if (ext &&
		    peek(t, (uintptr_t)uc.uc_mcontext.fpregs, ext, xsize))
			memcpy(th->xs + 512, ext + 512, xsize - 512);
		free(ext);
	}
	return 0;
}

/* --- kernel-core mode: the notes of the kernel's own core ------------------ */

struct note {
	uint32_t type;
	const char *name;
	const uint8_t *desc;
	uint32_t descsz;
	size_t end; /* offset of the next note */
};

static bool next_note(const uint8_t *buf, size_t len, size_t off,
		      struct note *n)
{
	Elf64_Nhdr h;
	size_t name_end, desc_end;

	if (off + sizeof(h) > len)
		return false;
	memcpy(&h, buf + off, sizeof(h));
	name_end = off + sizeof(h) + ((h.n_namesz + 3) & ~3U);
	desc_end = name_end + ((h.n_descsz + 3ULL) & ~3ULL);
	if (name_end > len || desc_end > len || desc_end < name_end)
		return false;
	n->type = h.n_type;
	n->name = h.n_namesz ? (const char *)buf + off + sizeof(h) : "";
	n->desc = buf + name_end;
	n->descsz = h.n_descsz;
	n->end = desc_end;
	return true;
}

static int read_kernel_core(struct tgt *t)
{
	const uint8_t *k = t->spec->kernel_core;
	size_t klen = t->spec->kernel_core_len, cap = 0, off, i;
	const Elf64_Ehdr *eh = (const void *)k;
	struct note n;
	int prstatus = 0;

	if (klen < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > klen)
		return FAIL(t, EINVAL,
			    "the kernel's core is not a 64-bit ELF core");
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, k + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_NOTE)
			continue;
		if (ph.p_offset + ph.p_filesz > klen)
			return FAIL(t, EINVAL,
				    "the kernel's core notes are cut short");
		t->knotes = k + ph.p_offset;
		t->knotes_len = ph.p_filesz;
		break;
	}
	if (!t->knotes)
		return FAIL(t, EINVAL, "the kernel's core has no notes");
	t->knotes_first = t->knotes_len;
	for (off = 0; next_note(t->knotes, t->knotes_len, off, &n);
	     off = n.end) {
		struct elf_prstatus ps;
		int idx;

		if (n.type == NT_SIGINFO && n.descsz == sizeof(t->siginfo) &&
		    !strcmp(n.name, "CORE")) {
			memcpy(t->siginfo, n.desc, sizeof(t->siginfo));
			t->have_siginfo = true;
		}
		if (n.type != NT_PRSTATUS || strcmp(n.name, "CORE") ||
		    n.descsz < sizeof(ps))
			continue;
		if (prstatus++ == 1)
			t->knotes_first = off;
		memcpy(&ps, n.desc, sizeof(ps));
		idx = add_thread(t, ps.pr_pid, &cap);
		if (idx < 0)
			return FAIL(t, ENOMEM, "out of memory");
		memcpy(&t->thr[idx].regs, ps.pr_reg, sizeof(t->thr[idx].regs));
		if (!t->cursig)
			t->cursig = ps.pr_cursig;
	}
	if (!t->nthr)
		return FAIL(t, EINVAL, "the kernel's core has no thread");
	return 0;
}

/* --- what goes in: WER's dump types ------------------------------------------ */

static int include(struct tgt *t, uint64_t start, uint64_t end)
{
	start = PG_DOWN(start);
	end = PG_UP(end);
	if (start >= end)
		return 0;
	if (t->ninc == t->capinc) {
		size_t nc = t->capinc ? t->capinc * 2 : 64;
		struct range *n = realloc(t->inc, nc * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->inc = n;
		t->capinc = nc;
	}
	t->inc[t->ninc++] = (struct range){ start, end };
	return 0;
}

static bool is_file(const struct vma *v)
{
	return v->path[0] == '/';
}

static bool is_private_writable(const struct vma *v)
{
	return v->perms[1] == 'w' && v->perms[3] == 'p';
}

/* Never in a core: not memory the process can be debugged from. */
static bool skipped(const struct vma *v)
{
	return !strncmp(v->path, "[vvar", 5) || !strcmp(v->path, "[vsyscall]");
}

static bool dumped_thread(const struct tgt *t, const struct thr *th)
{
	const struct bc_dump_spec *sp = t->spec;

	if (sp->type == BUGCHECK_DUMP_MICRO || sp->only_this_thread)
		return th == &t->thr[0];
	return true;
}

/* WER's registered-blocks rule: heap dumps, or any type when asked for. */
static bool blocks_wanted(const struct bc_dump_spec *sp)
{
	return sp->type == BUGCHECK_DUMP_HEAP || sp->add_blocks;
}

static int choose(struct tgt *t)
{
	const struct bc_dump_spec *sp = t->spec;
	size_t i, j;
	int ret = 0;

	for (i = 0; i < t->nvma && !ret; i++) {
		const struct vma *v = &t->vma[i],
				 *prev = i ? &t->vma[i - 1] : NULL;
		/* a data segment: written, or writable, private file mappings */
		bool data = is_file(v) && v->perms[3] == 'p' &&
			    (v->perms[1] == 'w' || v->written);
		bool bss = !v->path[0] && is_private_writable(v) && prev &&
			   prev->end == v->start && is_file(prev) &&
			   prev->inode;

		if (sp->type == BUGCHECK_DUMP_MICRO && (data || bss))
			data = !strcmp(data ? v->path : prev->path, t->exe);
		else
			data = data || bss;
		if (data || !strcmp(v->path, "[vdso]") ||
		    (sp->type == BUGCHECK_DUMP_HEAP && is_private_writable(v)))
			ret = include(t, v->start, v->end);
	}
	for (i = 0; i < t->nthr && !ret; i++) {
		uint64_t sp_ = t->thr[i].regs.rsp;

		if (!dumped_thread(t, &t->thr[i]))
			continue;
		for (j = 0; j < t->nvma; j++) {
			const struct vma *v = &t->vma[j];

			if (sp_ - RED_ZONE < v->end && sp_ >= v->start) {
				uint64_t from = sp_ - RED_ZONE;

				ret = include(t,
					      from < v->start ? v->start : from,
					      v->end);
				break;
			}
		}
	}
	if (!blocks_wanted(sp))
		return ret ? FAIL(t, ENOMEM, "out of memory") : 0;
	for (i = 0; i < t->nblk && !ret; i++) {
		const struct bugcheck_block_info *b = &t->blk[i];

		if (!(b->flags & BUGCHECK_BLOCK_F_UNMAPPED))
			ret = include(t, b->addr, b->addr + b->size);
	}
	return ret ? FAIL(t, ENOMEM, "out of memory") : 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int add_seg(struct tgt *t, size_t *cap, uint64_t s, uint64_t e,
		   uint32_t fl, bool data, bool file)
{
	if (s >= e)
		return 0;
	if (t->nseg == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct seg *n = realloc(t->seg, nc * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->seg = n;
		*cap = nc;
	}
	t->seg[t->nseg++] = (struct seg){
		.start = s, .end = e, .flags = fl, .data = data, .file = file
	};
	return 0;
}

/*
 * One PT_LOAD per run of each mapping: with contents where an included range
 * covers it and the mapping may be dumped, else with none (p_filesz 0), so
 * gdb still knows the layout and reads file-backed text from the file.
 */
static int build_segments(struct tgt *t)
{
	size_t i, k = 0, cap = 0;

	qsort(t->inc, t->ninc, sizeof(*t->inc), cmp_range);
	for (i = 0; i < t->nvma; i++) {
		const struct vma *v = &t->vma[i];
		bool dumpable = v->perms[0] == 'r' && !v->dontdump;
		uint32_t fl = (v->perms[0] == 'r' ? PF_R : 0) |
			      (v->perms[1] == 'w' ? PF_W : 0) |
			      (v->perms[2] == 'x' ? PF_X : 0);
		uint64_t at = v->start;

		if (skipped(v))
			continue;
		while (k < t->ninc && t->inc[k].end <= v->start)
			k++;
		while (dumpable && at < v->end) {
			size_t m;
			uint64_t s = 0, e = 0;

			for (m = k; m < t->ninc && t->inc[m].start < v->end;
			     m++) {
				if (t->inc[m].end <= at)
					continue;
				s = t->inc[m].start > at ? t->inc[m].start : at;
				e = t->inc[m].end < v->end ? t->inc[m].end :
							     v->end;
				/* merge overlapping and touching ranges */
				while (m + 1 < t->ninc &&
				       t->inc[m + 1].start <= e &&
				       t->inc[m + 1].start < v->end) {
					m++;
					if (t->inc[m].end > e)
						e = t->inc[m].end < v->end ?
							    t->inc[m].end :
							    v->end;
				}
				break;
			}
			if (!e)
				break;
			if (add_seg(t, &cap, at, s, fl, false, is_file(v)) ||
			    add_seg(t, &cap, s, e, fl, true, is_file(v)))
				return FAIL(t, ENOMEM, "out of memory");
			at = e;
		}
		if (add_seg(t, &cap, at, v->end, fl, false, is_file(v)))
			return FAIL(t, ENOMEM, "out of memory");
	}
	/*
	 * A run without contents stays only where gdb can read the file
	 * instead; elsewhere gdb would show zeros for memory not dumped, so it
	 * is left out and gdb says it cannot access it.
	 */
	for (i = k = 0; i < t->nseg; i++)
		if (t->seg[i].data || t->seg[i].file)
			t->seg[k++] = t->seg[i];
	t->nseg = k;
	if (t->nseg + 1 >= PN_XNUM)
		return FAIL(t, E2BIG,
			    "process %d has too many mappings for one core",
			    t->pid);
	return 0;
}

/* Which registered blocks are whole in the core's contents. */
static void mark_blocks(struct tgt *t)
{
	size_t i, j;

	for (i = 0; i < t->nblk; i++) {
		const struct bugcheck_block_info *b = &t->blk[i];

		t->blk_state[i] = 0;
		if (b->flags & BUGCHECK_BLOCK_F_UNMAPPED)
			continue;
		for (j = 0; j < t->nseg; j++)
			if (t->seg[j].data && t->seg[j].start <= b->addr &&
			    b->addr + b->size <= t->seg[j].end)
				t->blk_state[i] = 1;
	}
}

static void list_blocks(struct tgt *t)
{
	struct bugcheck_process_blocks req = {
		.entry_size = sizeof(struct bugcheck_block_info),
		.pid = t->pid,
	};
	int fd = bugcheck__dev_open(), i;

	if (fd < 0) {
		snprintf(t->blk_why, sizeof(t->blk_why), "unavailable (%s)",
			 fd == -ENODEV ?
				 "no /dev/bugcheck: bugcheck.ko is not loaded" :
				 strerror(-fd));
		return;
	}
	for (i = 0; i < 4; i++) {
		if (ioctl(fd, BUGCHECK_IOC_LIST_PROCESS, &req) < 0) {
			const char *why = errno == ENOTTY ? TOO_OLD :
							    strerror(errno);

			snprintf(t->blk_why, sizeof(t->blk_why),
				 "unavailable (%s)", why);
			break;
		}
		if (req.count <= req.capacity) {
			t->nblk = req.count;
			break;
		}
		free(t->blk);
		t->blk = calloc(req.count, sizeof(*t->blk));
		t->blk_state = realloc(t->blk_state, req.count);
		if (!t->blk || !t->blk_state) {
			snprintf(t->blk_why, sizeof(t->blk_why),
				 "unavailable (out of memory)");
			break;
		}
		req.capacity = req.count;
		req.blocks = (uintptr_t)t->blk;
	}
	close(fd);
}

/* --- the ELF file -------------------------------------------------------------- */

struct out {
	int fd;
	uint64_t off;
	uint8_t *buf;
	size_t len, cap; /* buffered notes */
	struct tgt *t;
};

static int put(struct out *o, const void *p, size_t n)
{
	if (o->len + n > o->cap) {
		size_t nc = (o->len + n) * 2;
		uint8_t *b = realloc(o->buf, nc);

		if (!b)
			return -ENOMEM;
		o->buf = b;
		o->cap = nc;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

static int note(struct out *o, const char *name, uint32_t type,
		const void *desc, size_t len)
{
	static const uint8_t zero[4];
	Elf64_Nhdr h = { .n_namesz = strlen(name) + 1,
			 .n_descsz = len,
			 .n_type = type };

	if (put(o, &h, sizeof(h)) || put(o, name, h.n_namesz) ||
	    put(o, zero, (4 - h.n_namesz % 4) % 4) || put(o, desc, len) ||
	    put(o, zero, (4 - len % 4) % 4))
		return -ENOMEM;
	return 0;
}

static int thread_notes(struct out *o, struct tgt *t, struct thr *th,
			bool first);

static int note_prstatus(struct out *o, struct tgt *t, struct thr *th)
{
	struct elf_prstatus ps;

	memset(&ps, 0, sizeof(ps));
	ps.pr_info.si_signo = t->cursig;
	ps.pr_cursig = t->cursig;
	ps.pr_pid = th->tid;
	ps.pr_ppid = t->ppid;
	ps.pr_pgrp = t->pgrp;
	ps.pr_sid = t->sid;
	memcpy(ps.pr_reg, &th->regs, sizeof(th->regs));
	ps.pr_fpvalid = 1;
	return note(o, "CORE", NT_PRSTATUS, &ps, sizeof(ps));
}

static int note_prpsinfo(struct out *o, struct tgt *t)
{
	static const char states[] = "RSDTZW";
	struct elf_prpsinfo pi;
	const char *s = strchr(states, t->state);

	memset(&pi, 0, sizeof(pi));
	pi.pr_state = s ? s - states : 0;
	pi.pr_sname = t->state;
	pi.pr_zomb = t->state == 'Z';
	pi.pr_nice = t->nice;
	pi.pr_uid = t->uid;
	pi.pr_gid = t->gid;
	pi.pr_pid = t->pid;
	pi.pr_ppid = t->ppid;
	pi.pr_pgrp = t->pgrp;
	pi.pr_sid = t->sid;
	memcpy(pi.pr_fname, t->comm, sizeof(pi.pr_fname));
	memcpy(pi.pr_psargs, t->psargs, sizeof(pi.pr_psargs));
	return note(o, "CORE", NT_PRPSINFO, &pi, sizeof(pi));
}

static int note_file(struct out *o, struct tgt *t)
{
	uint64_t count = 0, pgsz = PG;
	size_t i, len;
	uint8_t *d, *p;
	int ret;

	for (i = 0, len = 16; i < t->nvma; i++)
		if (is_file(&t->vma[i])) {
			count++;
			len += 24 + strlen(t->vma[i].path) + 1;
		}
	d = malloc(len);
	if (!d)
		return -ENOMEM;
	memcpy(d, &count, 8);
	memcpy(d + 8, &pgsz, 8);
	p = d + 16;
	for (i = 0; i < t->nvma; i++) {
		const struct vma *v = &t->vma[i];
		uint64_t e[3] = { v->start, v->end, v->pgoff / PG };

		if (!is_file(v))
			continue;
		memcpy(p, e, sizeof(e));
		p += sizeof(e);
	}
	for (i = 0; i < t->nvma; i++)
		if (is_file(&t->vma[i])) {
			size_t n = strlen(t->vma[i].path) + 1;

			memcpy(p, t->vma[i].path, n);
			p += n;
		}
	ret = note(o, "CORE", NT_FILE, d, len);
	free(d);
	return ret;
}

static const char *dump_type_name(int type)
{
	return type == BUGCHECK_DUMP_MICRO ? "micro" :
	       type == BUGCHECK_DUMP_MINI  ? "mini" :
	       type == BUGCHECK_DUMP_HEAP  ? "heap" :
					     "?";
}

/* The project's own note: the report, in text (docs/error-reports.md). */
static int note_report(struct out *o, struct tgt *t)
{
	const struct bc_dump_spec *sp = t->spec;
	char *txt = NULL, tbuf[32];
	size_t len = 0, i;
	struct tm tm;
	time_t when = sp->time;
	FILE *f = open_memstream(&txt, &len);
	int ret;

	if (!f)
		return -ENOMEM;
	gmtime_r(&when, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f,
		"bugcheck-report 1\nevent=%s\nreport_type=%s\ndump_type=%s\n",
		sp->event ? sp->event : "",
		sp->report_type ? sp->report_type : "",
		dump_type_name(sp->type));
	fprintf(f, "pid=%d\ntid=%d\ncomm=%s\nexe=%s\ntime=%lld\ntime_utc=%s\n",
		t->pid, t->thr[0].tid, t->comm, t->exe, (long long)sp->time,
		tbuf);
	if (t->cursig)
		fprintf(f, "signal=%d\n", t->cursig);
	fprintf(f, "threads=%u\n",
		(unsigned int)(dumped_thread(t, &t->thr[t->nthr - 1]) ?
				       t->nthr :
				       1));
	if (t->blk_why[0]) {
		fprintf(f, "registered_blocks=%s\n", t->blk_why);
	} else {
		fprintf(f, "registered_blocks=%zu\nregistered_rule=%s\n",
			t->nblk,
			blocks_wanted(sp) ? (sp->type == BUGCHECK_DUMP_HEAP ?
						     "heap" :
						     "add-registered") :
					    "not-added");
		for (i = 0; i < t->nblk; i++) {
			const struct bugcheck_block_info *b = &t->blk[i];

			fprintf(f, "block=0x%016llx %llu %u %s\n",
				(unsigned long long)b->addr,
				(unsigned long long)b->size, b->pages,
				b->flags & BUGCHECK_BLOCK_F_UNMAPPED ?
					"unmapped" :
				t->blk_state[i] ?
					"dumped" :
				blocks_wanted(sp) ?
					"not-dumped (dontdump or unreadable)" :
					"not-dumped");
		}
	}
	if (fclose(f)) {
		free(txt);
		return -ENOMEM;
	}
	ret = note(o, BC_NOTE_NAME, BC_NOTE_REPORT, txt, len + 1);
	free(txt);
	return ret;
}

static int thread_notes(struct out *o, struct tgt *t, struct thr *th,
			bool first)
{
	int ret = note_prstatus(o, t, th);

	if (!ret && first) {
		ret = note_prpsinfo(o, t);
		if (!ret && t->have_siginfo)
			ret = note(o, "CORE", NT_SIGINFO, t->siginfo,
				   sizeof(t->siginfo));
		if (!ret && t->auxv_len)
			ret = note(o, "CORE", NT_AUXV, t->auxv, t->auxv_len);
		if (!ret)
			ret = note_file(o, t);
	}
	if (!ret)
		ret = note(o, "CORE", NT_FPREGSET, &th->fp, sizeof(th->fp));
	if (!ret && th->xs_len)
		ret = note(o, "LINUX", NT_X86_XSTATE, th->xs, th->xs_len);
	return ret;
}

static int build_notes(struct out *o, struct tgt *t)
{
	size_t i;
	int ret = 0;

	if (t->knotes) {
		size_t n = dumped_thread(t, &t->thr[t->nthr - 1]) ?
				   t->knotes_len :
				   t->knotes_first;

		ret = put(o, t->knotes, n);
	} else {
		for (i = 0; i < t->nthr && !ret; i++)
			if (dumped_thread(t, &t->thr[i]))
				ret = thread_notes(o, t, &t->thr[i], i == 0);
	}
	if (!ret)
		ret = note_report(o, t);
	return ret ? FAIL(t, ENOMEM, "out of memory") : 0;
}

static int write_all(struct out *o, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(o->fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		b += w;
		n -= w;
		o->off += w;
	}
	return 0;
}

static int write_error(struct tgt *t, int err)
{
	if (err == ENOSPC || err == EDQUOT)
		return FAIL(t, err,
			    "the store is full (%s) while writing the core",
			    strerror(err));
	return FAIL(t, err, "cannot write the core: %s", strerror(err));
}

/* Fill @buf with [@addr, +@len) of the target, unreadable pages as zeros. */
static void copy_range(struct tgt *t, uint64_t addr, uint8_t *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };
	ssize_t got = t->knotes ? -1 :
				  process_vm_readv(t->pid, &l, 1, &r, 1, 0);
	size_t at = got > 0 ? (size_t)got : 0;

	if (got < 0 && errno == ESRCH)
		t->vanished = true;
	while (at < len && !t->vanished) {
		size_t n = len - at < PG ? len - at : PG;
		ssize_t m = t->mem_fd < 0 ? -1 :
					    pread(t->mem_fd, buf + at, n,
						  (off_t)(addr + at));

		/* An unreadable page is EIO; an address space that is gone reads as EOF. */
		if (m == 0)
			t->vanished = true;
		if (m != (ssize_t)n)
			memset(buf + at, 0, n);
		at += n;
	}
}

static int write_core(struct tgt *t, int fd, struct bc_dump_stats *st)
{
	struct out o = { .fd = fd, .t = t };
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uint64_t off;
	uint8_t *buf = NULL;
	size_t i, nph = t->nseg + 1;
	int ret;

	ret = build_notes(&o, t);
	if (ret)
		goto out;
	ph = calloc(nph, sizeof(*ph));
	buf = malloc(CHUNK);
	if (!ph || !buf) {
		free(ph);
		ret = FAIL(t, ENOMEM, "out of memory");
		goto out;
	}
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = nph;

	off = sizeof(eh) + nph * sizeof(*ph);
	ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE,
			      .p_offset = off,
			      .p_filesz = o.len };
	off = PG_UP(off + o.len);
	for (i = 0; i < t->nseg; i++) {
		struct seg *s = &t->seg[i];
		uint64_t sz = s->end - s->start;

		ph[i + 1] = (Elf64_Phdr){ .p_type = PT_LOAD,
					  .p_flags = s->flags,
					  .p_offset = s->data ? off : 0,
					  .p_vaddr = s->start,
					  .p_memsz = sz,
					  .p_filesz = s->data ? sz : 0,
					  .p_align = PG };
		if (s->data) {
			s->offset = off;
			off += sz;
			st->segments++;
		}
	}
	ret = write_all(&o, &eh, sizeof(eh));
	if (!ret)
		ret = write_all(&o, ph, nph * sizeof(*ph));
	if (!ret)
		ret = write_all(&o, o.buf, o.len);
	free(ph);
	if (!ret) {
		size_t pad = PG_UP(o.off) - o.off;

		memset(buf, 0, pad);
		ret = write_all(&o, buf, pad);
	}
	for (i = 0; i < t->nseg && !ret; i++) {
		const struct seg *s = &t->seg[i];
		uint64_t a;

		if (!s->data)
			continue;
		for (a = s->start; a < s->end && !ret; a += CHUNK) {
			size_t n = s->end - a < CHUNK ? s->end - a : CHUNK;

			copy_range(t, a, buf, n);
			ret = write_all(&o, buf, n);
		}
	}
	if (ret)
		ret = write_error(t, -ret);
	else if (t->vanished)
		ret = FAIL(t, ESRCH,
			   "process %d went away while it was being dumped",
			   t->pid);
	st->bytes = o.off;
out:
	free(buf);
	free(o.buf);
	return ret;
}

/* --- the whole dump --------------------------------------------------------------- */

static void tgt_free(struct tgt *t)
{
	size_t i;

	for (i = 0; i < t->nthr; i++)
		free(t->thr[i].xs);
	for (i = 0; i < t->nvma; i++)
		free(t->vma[i].path);
	free(t->thr);
	free(t->vma);
	free(t->auxv);
	free(t->blk);
	free(t->blk_state);
	free(t->inc);
	free(t->seg);
	if (t->mem_fd >= 0)
		close(t->mem_fd);
}

/* The thread the report is about goes first: gdb's thread 1, the notes' lead. */
static int lead_thread(struct tgt *t)
{
	pid_t want = t->spec->tid ? t->spec->tid : t->pid;
	size_t i;

	if (t->knotes)
		return 0; /* the kernel's order: the crashing thread first */
	for (i = 0; i < t->nthr; i++)
		if (t->thr[i].tid == want) {
			struct thr tmp = t->thr[0];

			t->thr[0] = t->thr[i];
			t->thr[i] = tmp;
			return 0;
		}
	if (t->spec->tid)
		return FAIL(t, ESRCH, "thread %d of process %d went away", want,
			    t->pid);
	return 0;
}

int bugcheck__core_write(const struct bc_dump_spec *spec, int fd,
			 struct bc_dump_stats *stats, char *msg, size_t msglen)
{
	struct tgt t = { .spec = spec,
			 .pid = spec->pid,
			 .mem_fd = -1,
			 .msg = msg,
			 .msglen = msglen };
	char path[64];
	int ret;

	memset(stats, 0, sizeof(*stats));
	if (spec->pid <= 0)
		return FAIL(&t, EINVAL, "bad pid %d", spec->pid);
	ret = read_stat(&t);
	if (ret)
		return ret;
	if (t.state == 'Z' || t.state == 'X')
		return FAIL(&t, ESRCH, "process %d (%s) is a zombie: %s", t.pid,
			    t.comm, "it has no memory to dump");
	if (spec->tid && !in_task_dir(spec->pid, spec->tid))
		return FAIL(&t, ESRCH,
			    "thread %d is not a thread of process %d",
			    spec->tid, spec->pid);
	read_misc(&t);
	proc_path(path, sizeof(path), t.pid, "mem");

	if (spec->kernel_core) {
		ret = read_kernel_core(&t);
		t.mem_fd = open(path, O_RDONLY | O_CLOEXEC);
	} else {
		ret = seize_all(&t);
		if (!ret)
			ret = lead_thread(&t);
		if (!ret)
			ret = read_regs(&t);
		t.mem_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (!ret && (spec->ucontext_addr || spec->siginfo_addr))
			ret = use_ucontext(&t, &t.thr[0]);
	}
	if (!ret)
		ret = read_maps(&t);
	if (!ret) {
		list_blocks(&t);
		if (t.nblk && !t.blk_state)
			t.blk_state = calloc(t.nblk, 1);
		if (t.nblk && !t.blk_state)
			ret = FAIL(&t, ENOMEM, "out of memory");
	}
	if (!ret)
		ret = choose(&t);
	if (!ret)
		ret = build_segments(&t);
	if (!ret) {
		mark_blocks(&t);
		ret = write_core(&t, fd, stats);
	}
	detach_all(&t);
	if (!ret) {
		size_t i;

		stats->threads =
			dumped_thread(&t, &t.thr[t.nthr - 1]) ? t.nthr : 1;
		stats->blocks = t.nblk;
		for (i = 0; i < t.nblk; i++)
			stats->blocks_dumped += t.blk_state[i];
	}
	memcpy(stats->comm, t.comm, sizeof(stats->comm));
	tgt_free(&t);
	return ret;
}
