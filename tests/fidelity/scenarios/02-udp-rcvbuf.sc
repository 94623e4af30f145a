# 02-udp-rcvbuf: UDP overflowing a small SO_RCVBUF.
# The server sets SO_RCVBUF=RCVBUF (sk_rcvbuf = 2 * RCVBUF = 8192), binds
# and reads nothing until the sender is done, then drains the queue.
# What fits is decided by skb->truesize: on veth a 100-byte datagram's
# skb (allocated by the sender's ip_make_skb) has truesize 832, so 9 fit
# (9 * 832 = 7488; a 10th would make 8320 > 8192) and 11 are dropped
# with RcvbufErrors (Linux >= 6.15: rmem + truesize > rcvbuf drops unless
# the queue is empty).  kpath's igb copies the 142-byte frame into a
# netdev_alloc_skb whose truesize is also 832, so the numbers must agree.
DESC="UDP overflowing a small SO_RCVBUF (RcvbufErrors)"
PROTO=udp
SERVER=hold         # hold: read nothing until the sender is done, then drain
RCVBUF=4096
PORT=7000
SRC_PORT=4000
LEN=100
COUNT=20
TRUESIZE=1          # also print each side's skb truesize
