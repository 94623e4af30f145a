/*
 * linktype.h - turn a captured frame of a supported link type into an
 * Ethernet frame, so everything above the reader sees one format.
 *
 * Supported: Ethernet (DLT_EN10MB, copied as is), Linux cooked capture
 * v1 and v2 (DLT_LINUX_SLL 113, DLT_LINUX_SLL2 276), raw IP (DLT_RAW,
 * LINKTYPE_RAW 101 which libpcap reports as DLT_RAW 12, DLT_IPV4 228,
 * DLT_IPV6 229) and BSD loopback (DLT_NULL 0, DLT_LOOP 108).
 *
 * The synthesized Ethernet header takes:
 *   - the EtherType from the SLL protocol field when it is one (>= 0x0600),
 *     else from the IP version nibble (4 -> 0x0800, 6 -> 0x86dd; anything
 *     else -> 0x0800, so the decoder reports the bad version);
 *   - the source MAC from the SLL address when it is 6 bytes long, else
 *     KP_CAP_SYNTH_SRC (02:00:00:00:00:01);
 *   - the destination MAC ff:ff:ff:ff:ff:ff for SLL broadcast packets, else
 *     KP_CAP_SYNTH_DST (02:00:00:00:00:02).
 * Both synthetic addresses are locally administered unicast addresses.
 * Lengths: the link header is replaced by 14 bytes, in caplen and wirelen.
 * Left out: 802.11, PPP, other link types (the reader refuses them).
 */
#ifndef KP_CAPTURE_LINKTYPE_H
#define KP_CAPTURE_LINKTYPE_H

#include <stdbool.h>
#include <stdint.h>

#define KP_CAP_ETH_HLEN 14
#define KP_CAP_SYNTH_SRC { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }
#define KP_CAP_SYNTH_DST { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 }

/* libpcap values, defined here too so the header needs no pcap.h */
#define KP_DLT_NULL 0
#define KP_DLT_EN10MB 1
#define KP_DLT_RAW 12
#define KP_DLT_LOOP 108
#define KP_DLT_LINUX_SLL 113
#define KP_DLT_IPV4 228
#define KP_DLT_IPV6 229
#define KP_DLT_LINUX_SLL2 276
#define KP_LINKTYPE_RAW 101 /* in files; libpcap maps it to DLT_RAW */

bool kp_cap_linktype_supported(int dlt);
/* Length of the link-layer header that is replaced, 0 for raw IP. */
unsigned int kp_cap_linktype_hlen(int dlt);

/*
 * Convert one frame.  @out must have room for @caplen + 14 bytes.  Returns
 * 0, or -EINVAL with *why set to a short phrase when the frame is too
 * short to hold its link-layer header.
 */
int kp_cap_to_ethernet(int dlt, const uint8_t *in, uint32_t caplen,
		       uint32_t wirelen, uint8_t *out, uint32_t *out_caplen,
		       uint32_t *out_wirelen, const char **why);

#endif
