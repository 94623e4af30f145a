/*
 * skbuff_data.c - the bytes of an sk_buff (net/core/skbuff.c and
 * include/linux/skbuff.h): moving data/tail in the buffer (skb_reserve,
 * skb_put, skb_push, skb_pull, with skb_over_panic/skb_under_panic),
 * copying bytes out across the frag_list (skb_copy_bits) and the
 * one's-complement sum over them (skb_checksum).  Allocating, freeing,
 * cloning and reallocating the buffer are in skbuff.c.
 *
 * Leaves out: page frags (every byte is in the linear area or on the
 * frag_list), skb_copy_and_csum_bits, csum_partial_copy; an skb_put or
 * skb_push past the buffer is a kernel bug: kpath aborts with a message.
 */
#include "skbuff.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void __attribute__((noreturn))
skb_panic(const struct sk_buff *skb, unsigned int len, const char *msg)
{
	fprintf(stderr,
		"kpath: %s: skb#%u len:%u put:%u head:%p data:%ld tail:%u "
		"end:%u\n",
		msg, skb->kp.id, skb->len, len, (void *)skb->head,
		(long)(skb->data - skb->head), skb->tail, skb->end);
	abort();
}

void skb_reserve(struct sk_buff *skb, int len)
{
	if (len < 0 || skb->tail + (unsigned)len > skb->end)
		skb_panic(skb, (unsigned)len, "skb_reserve");
	skb->data += len;
	skb->tail += (unsigned)len;
}

unsigned char *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb_tail_pointer(skb);
	if (skb_is_nonlinear(skb) || len > skb->end - skb->tail)
		skb_panic(skb, len, "skb_over_panic");
	skb->tail += len;
	skb->len += len;
	return tmp;
}

unsigned char *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headroom(skb))
		skb_panic(skb, len, "skb_under_panic");
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

unsigned char *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headlen(skb))
		return NULL;
	return __skb_pull(skb, len);
}

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	unsigned char *out = to;
	if (offset < 0 || len < 0 || (unsigned)offset + (unsigned)len > skb->len)
		return -EFAULT;
	unsigned int headlen = skb_headlen(skb);
	if ((unsigned)offset < headlen) {
		unsigned int n = headlen - (unsigned)offset;
		if (n > (unsigned)len)
			n = (unsigned)len;
		memcpy(out, skb->data + offset, n);
		out += n;
		len -= (int)n;
		offset = 0;
	} else {
		offset -= (int)headlen;
	}
	for (const struct sk_buff *f = skb->shinfo->frag_list; f && len > 0;
	     f = f->next) {
		if ((unsigned)offset >= f->len) {
			offset -= (int)f->len;
			continue;
		}
		int n = (int)f->len - offset;
		if (n > len)
			n = len;
		if (skb_copy_bits(f, offset, out, n))
			return -EFAULT;
		out += n;
		len -= n;
		offset = 0;
	}
	return len ? -EFAULT : 0;
}

/* One's-complement sum of a byte run that starts at stream position @pos,
 * as Linux sums native 16-bit loads (so the result is in network order
 * once folded, like ip_fast_csum). */
static uint32_t csum_bytes(const unsigned char *p, unsigned int len,
			   unsigned int pos, uint64_t *sum)
{
	unsigned int i = 0;

	/* one byte at a time until the stream position is even ... */
	for (; i < len && (pos & 1); i++, pos++) {
		unsigned char w[2] = { 0, p[i] };
		uint16_t v;
		memcpy(&v, w, 2);
		*sum += v;
	}
	/* ... then 8 at a time: a native 64-bit load is four native 16-bit
	 * words, and 2^16 = 1 in one's complement, so its two halves added
	 * give the same folded sum (RFC 1071 2.(B)) */
	for (; i + 8 <= len; i += 8, pos += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		*sum += (x & 0xffffffffu) + (x >> 32);
	}
	for (; i < len; i++, pos++) {
		unsigned char w[2] = { 0, 0 };
		uint16_t v;
		w[pos & 1] = p[i];
		memcpy(&v, w, 2);
		*sum += v;
	}
	return pos;
}

static unsigned int skb_csum_walk(const struct sk_buff *skb, int offset,
				  int len, unsigned int pos, uint64_t *sum)
{
	unsigned int headlen = skb_headlen(skb);
	if ((unsigned)offset < headlen) {
		unsigned int n = headlen - (unsigned)offset;
		if (n > (unsigned)len)
			n = (unsigned)len;
		pos = csum_bytes(skb->data + offset, n, pos, sum);
		len -= (int)n;
		offset = 0;
	} else {
		offset -= (int)headlen;
	}
	for (const struct sk_buff *f = skb->shinfo->frag_list; f && len > 0;
	     f = f->next) {
		if ((unsigned)offset >= f->len) {
			offset -= (int)f->len;
			continue;
		}
		int n = (int)f->len - offset;
		if (n > len)
			n = len;
		pos = skb_csum_walk(f, offset, n, pos, sum);
		len -= n;
		offset = 0;
	}
	return pos;
}

uint32_t skb_checksum(const struct sk_buff *skb, int offset, int len,
		      uint32_t csum)
{
	uint64_t sum = csum;
	if (offset < 0 || len < 0 || (unsigned)offset + (unsigned)len > skb->len)
		len = offset < 0 || (unsigned)offset > skb->len ?
			      0 : (int)(skb->len - (unsigned)offset);
	if (offset < 0)
		offset = 0;
	skb_csum_walk(skb, offset, len, 0, &sum);
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}
