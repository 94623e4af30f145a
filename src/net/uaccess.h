/*
 * uaccess.h - copies between user memory and kernel memory
 * (arch/x86/include/asm/uaccess.h).  User programs of kpath live in the
 * same address space, so a copy is a real memcpy; each is a step point and
 * is counted, because the seed's point is that every copy costs.  Returns
 * the number of bytes NOT copied, as Linux does (0 on success).
 */
#ifndef KP_NET_UACCESS_H
#define KP_NET_UACCESS_H

#include <stddef.h>

unsigned long copy_to_user(void *to, const void *from, size_t n);
unsigned long copy_from_user(void *to, const void *from, size_t n);

struct msghdr;
/* The first @len bytes of @msg's iovec, gathered into @to with
 * copy_from_user (memcpy_from_msg): 0, or -EFAULT. */
int memcpy_from_msg(void *to, const struct msghdr *msg, size_t len);

#endif
