# 07-tcp-echo: a short TCP echo: connect, send LEN bytes, read them back,
# shut down, close (the server echoes and closes when it reads EOF).
DESC="short TCP echo exchange (segments, passive open)"
PROTO=tcp
SERVER=echo
PORT=7002
LEN=1000
