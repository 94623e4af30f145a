# 04-udp-closed: UDP to a closed port.  Each datagram counts NoPorts and
# asks icmp_send for a port unreachable; icmp_send's limits decide how
# many go out: icmp_global_allow (net.ipv4.icmp_msgs_per_sec = 1000,
# icmp_msgs_burst = 50) and the per-destination inet_peer bucket
# (icmp_ratelimit = 1000 ms, burst 6 tokens: XRLIM_BURST_FACTOR), which
# limits the types in icmp_ratemask (dest unreachable is one).  COUNT
# datagrams back to back: 6 replies, COUNT - 6 IcmpOutRateLimitHost.
DESC="UDP to a closed port (NoPorts, ICMP port unreachable, rate limit)"
PROTO=udp
SERVER=none
PORT=7009
SRC_PORT=4000
LEN=32            # 74-byte frames: above the 60-byte Ethernet minimum (see README)
COUNT=20
