# 01-udp-listen: UDP to a listening socket that reads.
# 10.0.0.1 sends COUNT datagrams of LEN bytes from port SRC_PORT to
# 10.0.0.2:PORT, where a socket bound to 0.0.0.0:PORT reads them all.
DESC="UDP to a listening socket that reads"
PROTO=udp
SERVER=read         # read: recv() every datagram
PORT=7000
SRC_PORT=4000
LEN=100
COUNT=20
