# 05-udp-closed-paced: UDP to a closed port, one datagram every 150 ms:
# the per-destination bucket (icmp_ratelimit = 1000 ms per token, at most
# 6 tokens, full for a new inet_peer) refills while it drains.  Tokens
# in ms: 6000 -> sends at 0, 150, ... 750 ms leave 750; 900 ms: 900 <
# 1000, limited; 1050 ms: 1050, sent; 1200 and 1350 ms: limited.  So 7
# port unreachables and 3 IcmpOutRateLimitHost (the nearest boundary is
# 50 ms away, far above the sender's timing noise).
DESC="UDP to a closed port, paced (ICMP rate-limit refill)"
PROTO=udp
SERVER=none
PORT=7009
SRC_PORT=4000
LEN=32
COUNT=10
GAP_US=150000
