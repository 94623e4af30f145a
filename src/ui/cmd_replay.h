/*
 * cmd_replay.h - replay's receiver mode, the part of `replay
 * --as-receiver` that sets the host up before the first frame
 * (cmd_replay_receiver.c), and the tap registration it shares with
 * tcpdump (cmd_tcpdump.c).
 */
#ifndef KP_UI_CMD_REPLAY_H
#define KP_UI_CMD_REPLAY_H

#include <stddef.h>

struct kp_host;
struct kp_out;
struct kp_session;
struct kp_tap;

/*
 * Play the receiver of @path on @h's @ifname: its address on the device,
 * a udp-server on each UDP port and a tcp-bulk-recv on each TCP port it
 * receives on, a route and a permanent neighbour entry for each peer;
 * then run until they are bound.  0, or a negative errno with @err set.
 */
int kp_replay_become_receiver(struct kp_session *s, struct kp_out *out,
			      struct kp_host *h, const char *ifname,
			      const char *path, char *err, size_t errlen);
/* A tap on ptype_all of @h's @ifname that keeps what the host sends,
 * installed now (before the replay starts); NULL if it cannot be made. */
struct kp_tap *kp_replay_collect_responses(struct kp_session *s,
					   struct kp_out *out,
					   struct kp_host *h,
					   const char *ifname);

/* A kp_net_cmd_call function: on the host's CPU 0, put the struct
 * kp_tap @info on ptype_all (dev_add_pack), as packet_do_bind ->
 * register_prot_hook does for tcpdump's socket (cmd_tcpdump.c). */
int kp_tcpdump_tap_add(void *info);

#endif
