/*
 * script.h - a packetdrill script parsed into events (packetdrill's
 * gtests/net/packetdrill/script.h, parser.y, much reduced): each
 * statement is a time, then a TCP packet in (`<`) or out (`>`), a system
 * call with its expected result, a backtick shell command or a `%{ }%`
 * python snippet.  Statements may span lines (open brackets, backticks,
 * snippets).  Option lines (`--tolerance_usecs=N`) may open the script.
 * kpath's own parser (parser.c); the runner is run.c.  Left out: IPv6,
 * UDP/ICMP packets, tcpdump-style IP headers, encapsulation, --wire modes.
 */
#ifndef KP_PACKETDRILL_SCRIPT_H
#define KP_PACKETDRILL_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>

#define PD_MAX_ARGS 8
#define PD_MAX_OPTS 10
#define PD_MAX_SACK 4
#define PD_ARG_LEN 320
#define PD_CMD_LEN 1024

enum pd_time_kind { PD_TIME_ABS, PD_TIME_REL, PD_TIME_ANY };

enum pd_event_kind { PD_PACKET, PD_SYSCALL, PD_COMMAND, PD_CODE };

enum pd_tcp_opt_kind {
	PD_OPT_NOP = 1, PD_OPT_MSS = 2, PD_OPT_WSCALE = 3,
	PD_OPT_SACKOK = 4, PD_OPT_SACK = 5, PD_OPT_TS = 8, PD_OPT_EOL = 0,
};

struct pd_tcp_opt {
	enum pd_tcp_opt_kind kind;
	uint32_t a, b; /* mss; wscale; TS val, ecr */
	int nr_blocks; /* sack: blocks start:end, relative seq numbers */
	uint32_t blocks[PD_MAX_SACK][2];
};

struct pd_packet {
	bool inbound;        /* '<' */
	uint8_t flags;       /* TCP flag bits as on the wire */
	uint32_t seq, end;   /* start:end(len) */
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint32_t win;
	bool opts_any;       /* <...> */
	bool has_opts;
	int nr_opts;
	struct pd_tcp_opt opts[PD_MAX_OPTS];
};

struct pd_syscall {
	char name[24];
	int argc;
	char args[PD_MAX_ARGS][PD_ARG_LEN]; /* raw text, "..." for any */
	bool ret_any;        /* = ... isn't packetdrill; kept for errors */
	long ret;
	char err_name[24];   /* "ECONNREFUSED" or "" */
};

struct pd_event {
	int line;
	enum pd_time_kind time_kind;
	double t, t_end;     /* seconds; t_end > t for a range */
	bool range;
	bool end_rel;        /* "+a~+b": the end is relative to the start */
	enum pd_event_kind kind;
	struct pd_packet pkt;
	struct pd_syscall sc;
	char cmd[PD_CMD_LEN]; /* backtick text, or the %{ }% code */
};

/* A "--name=value" option line at the top of a script. */
#define PD_MAX_SCRIPT_OPTS 8
struct pd_script_opt {
	char name[40];
	char value[88];
	int line;
};

struct pd_script {
	const char *file;
	int nr, cap;
	struct pd_event *ev;
	int nr_opts;
	struct pd_script_opt opts[PD_MAX_SCRIPT_OPTS];
};

/* Parse the file @path; 0, or -1 with "FILE:LINE: ..." in @err. */
int pd_parse_file(const char *path, struct pd_script *s, char *err,
		  int errlen);
/* Parse one statement (newlines allowed inside brackets, backticks and
 * snippets) into @ev; 1 an event, 0 blank or comment, -1 an error in
 * @err. */
int pd_parse_line(const char *text, int line, struct pd_event *ev,
		  char *err, int errlen);
void pd_script_free(struct pd_script *s);

/*
 * Struct-like arguments ("{events=EPOLLIN, fd=4}", "[{fd=3, events=
 * POLLIN, revents=0}]", "{msg_iov(1)=[{iov_base=..., iov_len=10}]}"):
 * the value of field @name ("iov_len" is found inside nested brackets
 * too) copied to @out; true if found.
 */
bool pd_field(const char *text, const char *name, char *out, int outlen);

#endif
