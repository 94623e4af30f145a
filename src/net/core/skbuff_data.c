/*
 * skbuff_data.c - the bytes of an sk_buff (net/core/skbuff.c and
 * include/linux/skbuff.h): skb_over_panic/skb_under_panic for the
 * data/tail moves (skb_reserve, skb_put, skb_push, skb_pull, inline in
 * skbuff.h), copying bytes out across the frag_list (skb_copy_bits) and
 * the one's-complement sum over them (skb_checksum).  Allocating, freeing,
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

void skb_panic(const struct sk_buff *skb, unsigned int len, const char *msg)
{
	fprintf(stderr,
		"kpath: %s: skb#%u len:%u put:%u head:%p data:%ld tail:%u "
		"end:%u\n",
		msg, skb->kp.id, skb->len, len, (void *)skb->head,
		(long)(skb->data - skb->head), skb->tail, skb->end);
	abort();
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
	/* summed in a local: *sum could alias the bytes, and reloading it
	 * at each step cost a third of the loop */
	uint64_t acc = *sum;
	unsigned int i = 0;

	/* one byte if the stream position is odd ... */
	if (len && (pos & 1)) {
		unsigned char w[2] = { 0, p[0] };
		uint16_t v;
		memcpy(&v, w, 2);
		acc += v;
		i++;
		pos++;
	}
	/* ... then 8 at a time: a native 64-bit load is four native 16-bit
	 * words, and 2^16 = 1 in one's complement, so its two halves added
	 * give the same folded sum (RFC 1071 2.(B)) */
	for (; i + 8 <= len; i += 8, pos += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		acc += (x & 0xffffffffu) + (x >> 32);
	}
	/* the rest a native 16-bit word at a time (the position is even
	 * here), the same sum as byte by byte; an odd last byte alone */
	for (; i + 2 <= len; i += 2, pos += 2) {
		uint16_t v;
		memcpy(&v, p + i, 2);
		acc += v;
	}
	if (i < len) {
		unsigned char w[2] = { p[i], 0 };
		uint16_t v;
		memcpy(&v, w, 2);
		acc += v;
		pos++;
	}
	*sum = acc;
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
	if ((unsigned)offset + (unsigned)len <= skb_headlen(skb))
		csum_bytes(skb->data + offset, (unsigned)len, 0, &sum);
	else /* into the frag_list */
		skb_csum_walk(skb, offset, len, 0, &sum);
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}
