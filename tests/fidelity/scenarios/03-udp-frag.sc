# 03-udp-frag: UDP datagrams larger than the MTU (1500): the sender
# fragments each 3000-byte datagram into 3 fragments (1480 + 1480 + 48
# bytes of IP payload); the receiver reassembles (ReasmReqds counts
# fragments, ReasmOKs datagrams) and a socket reads them.  kpath's side
# injects the same fragments as raw frames built by tools/mkfrags.c.
DESC="UDP datagrams larger than the MTU (reassembly)"
PROTO=udp
SERVER=read
PORT=7000
SRC_PORT=4000
LEN=3000
COUNT=2
