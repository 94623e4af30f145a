/*
 * coro.c - coroutine stacks and the context switch.
 */
#include "coro.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define KP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KP_ASAN 1
#endif
#endif

#ifdef KP_ASAN
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#ifndef KP_CORO_USE_UCONTEXT
/*
 * kp_coro_swap(void **save_sp, void *new_sp): push the callee-saved
 * registers, save the stack pointer, load the other one, pop, return into
 * the other context.  A new context "returns" into kp_coro_boot, which
 * calls kp_coro_entry(coro) with the coroutine pointer left in a
 * callee-saved register.
 */
void kp_coro_swap(void **save_sp, void *new_sp);
void kp_coro_boot(void);

#if defined(__x86_64__)
__asm__(".text\n"
	".globl kp_coro_swap\n"
	".type kp_coro_swap,@function\n"
	"kp_coro_swap:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size kp_coro_swap,.-kp_coro_swap\n"
	".globl kp_coro_boot\n"
	".type kp_coro_boot,@function\n"
	"kp_coro_boot:\n"
	"	movq %r12, %rdi\n"
	"	call *%r13\n"
	"	ud2\n"
	".size kp_coro_boot,.-kp_coro_boot\n");
#define SAVED_WORDS 6
#elif defined(__aarch64__)
__asm__(".text\n"
	".globl kp_coro_swap\n"
	".type kp_coro_swap,%function\n"
	"kp_coro_swap:\n"
	"	sub sp, sp, #176\n"
	"	stp x19, x20, [sp, #0]\n"
	"	stp x21, x22, [sp, #16]\n"
	"	stp x23, x24, [sp, #32]\n"
	"	stp x25, x26, [sp, #48]\n"
	"	stp x27, x28, [sp, #64]\n"
	"	stp x29, x30, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n"
	"	stp d10, d11, [sp, #112]\n"
	"	stp d12, d13, [sp, #128]\n"
	"	stp d14, d15, [sp, #144]\n"
	"	mov x9, sp\n"
	"	str x9, [x0]\n"
	"	mov sp, x1\n"
	"	ldp x19, x20, [sp, #0]\n"
	"	ldp x21, x22, [sp, #16]\n"
	"	ldp x23, x24, [sp, #32]\n"
	"	ldp x25, x26, [sp, #48]\n"
	"	ldp x27, x28, [sp, #64]\n"
	"	ldp x29, x30, [sp, #80]\n"
	"	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n"
	"	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	add sp, sp, #176\n"
	"	ret\n"
	".size kp_coro_swap,.-kp_coro_swap\n"
	".globl kp_coro_boot\n"
	".type kp_coro_boot,%function\n"
	"kp_coro_boot:\n"
	"	mov x0, x19\n"
	"	blr x20\n"
	"	brk #0\n"
	".size kp_coro_boot,.-kp_coro_boot\n");
#endif
#endif /* !KP_CORO_USE_UCONTEXT */

static void kp_coro_entry(void *p)
{
	struct kp_coro *c = p;
#ifdef KP_ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	c->fn(c->arg);
	abort(); /* a coroutine must switch away for good, never return */
}

#ifdef KP_CORO_USE_UCONTEXT
static void kp_coro_uc_entry(unsigned hi, unsigned lo)
{
	uintptr_t p = ((uintptr_t)hi << 32) | lo;
	kp_coro_entry((void *)p);
}
#endif

static void *map_aligned_stack(void)
{
	size_t len = 2 * KP_STACK_SIZE;
	char *raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	uintptr_t start = ((uintptr_t)raw + KP_STACK_SIZE - 1) &
			  ~(uintptr_t)(KP_STACK_SIZE - 1);
	char *aligned = (char *)start;
	if (aligned > raw)
		munmap(raw, (size_t)(aligned - raw));
	char *end = aligned + KP_STACK_SIZE;
	if (end < raw + len)
		munmap(end, (size_t)(raw + len - end));
	mprotect(aligned, KP_GUARD_SIZE, PROT_NONE);
	return aligned;
}

void kp_coro_init_main(struct kp_coro *c)
{
	memset(c, 0, sizeof(*c));
#ifdef KP_ASAN
	pthread_attr_t attr;
	void *addr;
	size_t size;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
			c->asan_bottom = addr;
			c->asan_size = size;
		}
		pthread_attr_destroy(&attr);
	}
#endif
}

int kp_coro_init(struct kp_coro *c, void (*fn)(void *), void *arg)
{
	memset(c, 0, sizeof(*c));
	c->stack = map_aligned_stack();
	if (!c->stack)
		return -ENOMEM;
	c->fn = fn;
	c->arg = arg;
	c->asan_bottom = (char *)c->stack + KP_GUARD_SIZE;
	c->asan_size = KP_STACK_SIZE - KP_GUARD_SIZE;
	char *top = (char *)c->stack + KP_STACK_SIZE;
#ifdef KP_CORO_USE_UCONTEXT
	getcontext(&c->uc);
	/* Keep the thread_info area out of the usable stack. */
	c->uc.uc_stack.ss_sp = (char *)c->stack + KP_GUARD_SIZE + 16384;
	c->uc.uc_stack.ss_size = KP_STACK_SIZE - KP_GUARD_SIZE - 16384;
	c->uc.uc_link = NULL;
	uintptr_t p = (uintptr_t)c;
	makecontext(&c->uc, (void (*)(void))kp_coro_uc_entry, 2,
		    (unsigned)(p >> 32), (unsigned)p);
	(void)top;
#elif defined(__x86_64__)
	/* Six callee-saved registers, then the return address kp_coro_boot;
	 * after the pops and ret, rsp is 16-byte aligned for the call. */
	uintptr_t *sp = (uintptr_t *)(top - 72);
	memset(sp, 0, 72);
	sp[0] = 0;                        /* r15 */
	sp[1] = 0;                        /* r14 */
	sp[2] = (uintptr_t)kp_coro_entry; /* r13 */
	sp[3] = (uintptr_t)c;             /* r12 */
	sp[4] = 0;                        /* rbx */
	sp[5] = 0;                        /* rbp */
	sp[6] = (uintptr_t)kp_coro_boot;  /* return address */
	c->sp = sp;
#elif defined(__aarch64__)
	uintptr_t *sp = (uintptr_t *)(top - 176 - 16);
	memset(sp, 0, 176);
	sp[0] = (uintptr_t)c;              /* x19 */
	sp[1] = (uintptr_t)kp_coro_entry;  /* x20 */
	sp[11] = (uintptr_t)kp_coro_boot;  /* x30 */
	c->sp = sp;
#endif
	return 0;
}

void kp_coro_free(struct kp_coro *c)
{
#ifdef KP_ASAN
	/* A coroutine that never returned (a task that exited, or slept at
	 * teardown) leaves its frames' redzones poisoned; the next stack
	 * mapped here must not inherit them. */
	if (c->stack)
		__asan_unpoison_memory_region((char *)c->stack + KP_GUARD_SIZE,
					      KP_STACK_SIZE - KP_GUARD_SIZE);
#endif
	if (c->stack)
		munmap(c->stack, KP_STACK_SIZE);
	c->stack = NULL;
}

#if !KP_CORO_INLINE_SWITCH
void kp_coro_switch(struct kp_coro *from, struct kp_coro *to)
{
#ifdef KP_ASAN
	__sanitizer_start_switch_fiber(&from->asan_fake_stack, to->asan_bottom,
				       to->asan_size);
#endif
#ifdef KP_CORO_USE_UCONTEXT
	swapcontext(&from->uc, &to->uc);
#else
	kp_coro_swap(&from->sp, to->sp);
#endif
#ifdef KP_ASAN
	__sanitizer_finish_switch_fiber(from->asan_fake_stack, NULL, NULL);
#endif
}
#endif
