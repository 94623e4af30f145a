/*
 * coro.h - coroutine contexts: one mmap'd stack per emulated task, as each
 * Linux task has its own kernel stack.
 *
 * Stacks are KP_STACK_SIZE bytes and aligned to KP_STACK_SIZE, with a guard
 * page at the bottom and a struct kp_thread_info just above it, exactly as
 * 3.10-era Linux kept thread_info at the bottom of the kernel stack: the
 * running context finds itself from its stack pointer
 * (kp_current_thread_info), so emulated kernel code needs no global
 * "current" variable.
 *
 * The switch is a few instructions of hand-written assembly on x86-64 and
 * aarch64; building with KP_CORO_UCONTEXT=1 selects swapcontext instead.
 * Switches are annotated for AddressSanitizer so `make check` works.
 */
#ifndef KP_ENGINE_CORO_H
#define KP_ENGINE_CORO_H

#include <stddef.h>
#include <stdint.h>

#if defined(KP_CORO_UCONTEXT) || (!defined(__x86_64__) && !defined(__aarch64__))
#define KP_CORO_USE_UCONTEXT 1
#include <ucontext.h>
#endif

#define KP_STACK_SIZE (256u * 1024u)
#define KP_GUARD_SIZE 4096u

struct kp_thread_info;

struct kp_coro {
	void *sp;                 /* saved stack pointer (asm switch) */
	void *stack;              /* KP_STACK_SIZE-aligned mapping, or NULL */
	void (*fn)(void *arg);    /* entry; must never return */
	void *arg;
	const void *asan_bottom;  /* stack bounds for ASan fiber switches */
	size_t asan_size;
	void *asan_fake_stack;
#ifdef KP_CORO_USE_UCONTEXT
	ucontext_t uc;
#endif
};

/* Make @c a coroutine that will run fn(arg) on its own stack. */
int kp_coro_init(struct kp_coro *c, void (*fn)(void *), void *arg);
/* The engine's own context: no stack of its own, only a save area. */
void kp_coro_init_main(struct kp_coro *c);
void kp_coro_free(struct kp_coro *c);
/* The asm switch with no sanitizer to tell: inline (CPUs hand over to
 * each other at nearly every probe when several are busy). */
#define KP_CORO_INLINE_SWITCH 1
#if defined(KP_CORO_USE_UCONTEXT) || defined(__SANITIZE_ADDRESS__)
#undef KP_CORO_INLINE_SWITCH
#define KP_CORO_INLINE_SWITCH 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#undef KP_CORO_INLINE_SWITCH
#define KP_CORO_INLINE_SWITCH 0
#endif
#endif

/* Save the running context in @from and run @to. */
#if KP_CORO_INLINE_SWITCH
void kp_coro_swap(void **save_sp, void *new_sp);
static inline void kp_coro_switch(struct kp_coro *from, struct kp_coro *to)
{
	kp_coro_swap(&from->sp, to->sp);
}
#else
void kp_coro_switch(struct kp_coro *from, struct kp_coro *to);
#endif

/* The thread_info at the bottom of @c's stack. */
static inline struct kp_thread_info *kp_coro_thread_info(const struct kp_coro *c)
{
	return (struct kp_thread_info *)((char *)c->stack + KP_GUARD_SIZE);
}

/* Only valid on a coroutine stack: all emulated kernel code runs on one. */
static inline struct kp_thread_info *kp_current_thread_info(void)
{
	/* The stack pointer itself where it can be read: taking the frame
	 * address would make every function that asks keep a frame
	 * pointer (three instructions in each probed function). */
	uintptr_t sp;
#if defined(__x86_64__)
	__asm__("movq %%rsp, %0" : "=r"(sp));
#elif defined(__aarch64__)
	__asm__("mov %0, sp" : "=r"(sp));
#else
	sp = (uintptr_t)__builtin_frame_address(0);
#endif
	return (struct kp_thread_info *)((sp & ~(uintptr_t)(KP_STACK_SIZE - 1)) +
					 KP_GUARD_SIZE);
}

#endif
