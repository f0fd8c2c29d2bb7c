/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bugcheck_guard_call() - run fn(arg) so that it can be abandoned
 *
 *	int bugcheck_guard_call(struct bugcheck_guard *g, void (*fn)(void *), void *arg);
 *
 * Returns 0 when fn returns.  When fn faults or panics instead, guard.c
 * points the trap frame of that fault at .Lreturn with the stack and frame
 * pointers saved here and %rbx = g, and sets g->faulted: the trap returns
 * here as if fn had returned, its frames are discarded, and the call
 * returns 1.  Nothing below the saved stack pointer is used again, so a
 * fault costs no stack, however many follow.
 *
 * The layout of the first members of struct bugcheck_guard is fixed:
 * guard.c checks these offsets at build time.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#define G_SP		0
#define G_BP		8
#define G_IP		16
#define G_FAULTED	24

	.text
SYM_FUNC_START(bugcheck_guard_call)
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$8, %rsp
	mov	%rdi, %rbx
	movl	$0, G_FAULTED(%rbx)
	lea	.Lreturn(%rip), %rax
	mov	%rax, G_IP(%rbx)
	mov	%rsp, G_SP(%rbx)
	mov	%rbp, G_BP(%rbx)
	mov	%rdx, %rdi
	CALL_NOSPEC rsi
.Lreturn:
	movl	G_FAULTED(%rbx), %eax
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	RET
SYM_FUNC_END(bugcheck_guard_call)
