# 06-tcp-closed: TCP connect to a closed port: the SYN is answered with
# a RST (tcp_v4_send_reset), the client's connect() fails ECONNREFUSED.
DESC="TCP connect to a closed port (RST)"
PROTO=tcp
SERVER=none
PORT=7001
LEN=0
