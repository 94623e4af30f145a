# 09-udp-rcvbuf-min: SO_RCVBUF below the minimum.
# SO_RCVBUF=1000 asks for sk_rcvbuf 2000, under SOCK_MIN_RCVBUF
# (TCP_SKB_MIN_TRUESIZE = 2048 + the aligned struct sk_buff = 2304), which
# sock_setsockopt keeps instead: 2 datagrams of truesize 832 fit (1664;
# a third would make 2496 > 2304) and 18 are RcvbufErrors.  kpath used
# 2 * TCP_SKB_MIN_TRUESIZE (SOCK_MIN_SNDBUF) here until session 7.
DESC="UDP with SO_RCVBUF under SOCK_MIN_RCVBUF"
PROTO=udp
SERVER=hold
RCVBUF=1000
PORT=7000
SRC_PORT=4000
LEN=100
COUNT=20
