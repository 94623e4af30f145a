# 08-tcp-bulk: a TCP bulk transfer: the client writes LEN bytes and
# shuts down; the server reads and discards them, then closes.
DESC="TCP bulk transfer (1 MiB)"
PROTO=tcp
SERVER=sink
PORT=7003
LEN=1048576
# Segment counts depend on ACK timing, TSO/GSO and GRO on the veth: they
# change from run to run; they match when both sides moved.
VARIES="IpInReceives IpInDelivers IpOutRequests IpOutTransmits TcpInSegs TcpOutSegs TcpExt* IpExtInOctets IpExtOutOctets IpExtInNoECTPkts"
