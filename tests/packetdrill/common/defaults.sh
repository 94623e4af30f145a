#!/bin/sh
# kpath's test settings in the shape of packetdrill's common/defaults.sh:
# the runner reads the sysctl lines (tcp_rmem/tcp_wmem triples map to
# kpath's _min/_default/_max tunables, $((...)) is evaluated) and ignores
# what kpath does not have (tcp_frto, tc, ip tcp_metrics).
ip tcp_metrics flush all > /dev/null 2>&1
sysctl -q net.ipv4.tcp_rmem="4096 540000 $((15*1024*1024))"
sysctl -q net.ipv4.tcp_wmem="4096 $((256*1024)) 4194304"
sysctl -q net.ipv4.tcp_timestamps=1
sysctl -q net.ipv4.tcp_sack=1
sysctl -q net.ipv4.tcp_frto=2
sysctl -q net.ipv4.tcp_congestion_control=cubic
tc qdisc add dev tun0 root pfifo
