/*
 * test_step_points.c - the "boot" and "receive" chapters of
 * shared/seed/STEP_POINTS.txt as step points: every name is listed by
 * `info functions`, accepted by `tbreak`, and reached (the temporary
 * breakpoint fires) in the default world by the receive scenario: boot,
 * a UDP reader on server, one datagram seen by tcpdump (whose ptype_all
 * tap makes deliver_skb run), one ICMP echo, and a burst with a squeezed
 * netdev_budget that moves NET_RX work to ksoftirqd.
 *
 * Names that the receive scenario cannot reach yet are listed as pending
 * with the reason; each one must still be in `info functions` if it has
 * a probe.  When ../shared/seed/STEP_POINTS.txt is there (it is beside
 * the work tree in development and CI; KP_STEP_POINTS overrides the
 * path), the test also checks that every name of those two chapters is
 * in one of the lists below, so a name added to the seed list is not
 * forgotten here.
 */
#include <stdbool.h>

#include "kp_test.h"
#include "test_session.h"

static const char *const boot_points[] = {
	"spawn_ksoftirqd",
	"smpboot_register_percpu_thread",
	"ksoftirqd_should_run",
	"run_ksoftirqd",
	"net_dev_init",
	"open_softirq",
	"inet_init",
	"inet_add_protocol",
	"dev_add_pack",
	"igb_init_module",
	"pci_register_driver",
	"igb_probe",
	"__igb_open",
	"igb_setup_all_tx_resources",
	"igb_setup_all_rx_resources",
	"igb_request_irq",
	"napi_enable",
	"netif_tx_start_all_queues",
};

static const char *const receive_points[] = {
	"igb_msix_ring",
	"napi_schedule",
	"__raise_softirq_irqoff",
	"irq_exit",
	"__do_softirq",
	"wakeup_softirqd",
	"net_rx_action",
	"igb_poll",
	"igb_clean_tx_irq",
	"igb_clean_rx_irq",
	"igb_fetch_rx_buffer",
	"igb_is_non_eop",
	"igb_cleanup_headers",
	"igb_process_skb_fields",
	"napi_gro_receive",
	"skb_gro_reset_offset",
	"dev_gro_receive",
	"napi_skb_finish",
	"netif_receive_skb",
	"__netif_receive_skb",
	"__netif_receive_skb_core",
	"deliver_skb",
	"ip_rcv",
	"ip_rcv_finish",
	"ip_route_input_noref",
	"dst_input",
	"ip_local_deliver",
	"ip_local_deliver_finish",
	"udp_rcv",
	"icmp_rcv",
	"skb_set_owner_r",
	"sock_def_readable",
	"sk_wake_async",
};

struct pending {
	const char *name;
	bool has_probe; /* must already be in `info functions` */
	const char *why;
};

static const struct pending pending_points[] = {
	/* TCP receive needs a connection: tests/scenarios/tcp/step_points.kp
	 * reaches these with a bulk transfer */
	{ "tcp_v4_rcv", true, "TCP receive: tcp/step_points.kp" },
	{ "__inet_lookup_skb", true, "TCP receive: tcp/step_points.kp" },
	{ "tcp_v4_do_rcv", true, "TCP receive: tcp/step_points.kp" },
	{ "tcp_rcv_established", true, "TCP receive: tcp/step_points.kp" },
	{ "tcp_queue_rcv", true, "TCP receive: tcp/step_points.kp" },
	{ "tcp_prequeue", true, "TCP receive: tcp/step_points.kp" },
};

#define N_BOOT (sizeof(boot_points) / sizeof(boot_points[0]))
#define N_RECV (sizeof(receive_points) / sizeof(receive_points[0]))
#define N_PENDING (sizeof(pending_points) / sizeof(pending_points[0]))
#define N_ALL (N_BOOT + N_RECV)

struct fixture {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
	bool hit[N_ALL];
};

static const char *point_name(size_t i)
{
	return i < N_BOOT ? boot_points[i] : receive_points[i - N_BOOT];
}

static void setup(struct fixture *f)
{
	memset(f->hit, 0, sizeof(f->hit));
	f->s = test_session_new(&f->sb, &f->out, true);
}

static void teardown(struct fixture *f)
{
	test_session_free(f->s, &f->sb);
}

/* Mark every "Temporary breakpoint N, NAME (" in @text as hit. */
static void note_hits(struct fixture *f, const char *text)
{
	static const char tag[] = "Temporary breakpoint ";
	for (const char *p = strstr(text, tag); p; p = strstr(p + 1, tag)) {
		const char *comma = strchr(p, ',');
		if (!comma || comma[1] != ' ')
			continue;
		const char *name = comma + 2;
		size_t len = strcspn(name, " (\n");
		for (size_t i = 0; i < N_ALL; i++) {
			const char *n = point_name(i);
			if (strlen(n) == len && !strncmp(n, name, len))
				f->hit[i] = true;
		}
	}
}

/* Run one command line; returns its output (valid until the next). */
static const char *run(struct kp_test_state *st, struct fixture *f,
		       const char *line)
{
	kp_strbuf_reset(&f->sb);
	int r = kp_session_exec(f->s, line);
	const char *o = kp_strbuf_str(&f->sb);
	if (r < 0)
		fprintf(stderr, "'%s' failed: %s", line, o);
	KP_CHECK(st, r == 0);
	note_hits(f, o);
	return o;
}

/* Continue until nothing is left to do, noting the breakpoints hit. */
static void run_out(struct kp_test_state *st, struct fixture *f)
{
	for (int i = 0; i < 1000; i++) {
		const char *o = run(st, f, "continue");
		if (strstr(o, "Nothing left to do"))
			return;
	}
	KP_CHECK(st, !"the world never ran out of work");
}

/* Is @name the first word of a line of @text? */
static bool first_word_of_a_line(const char *text, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, name, len) && (p[len] == ' ' || p[len] == '\t'))
			return true;
	}
	return false;
}

KP_TEST(every_point_is_in_info_functions)
{
	struct fixture f;
	setup(&f);
	const char *o = run(st, &f, "info functions");
	char *list = strdup(o);
	for (size_t i = 0; i < N_ALL; i++) {
		if (!first_word_of_a_line(list, point_name(i))) {
			fprintf(stderr, "not in info functions: %s\n",
				point_name(i));
			KP_CHECK(st, !"step point missing");
		}
	}
	for (size_t i = 0; i < N_PENDING; i++) {
		const struct pending *p = &pending_points[i];
		bool there = first_word_of_a_line(list, p->name);
		if (p->has_probe && !there) {
			fprintf(stderr, "pending %s lost its probe\n", p->name);
			KP_CHECK(st, there);
		}
		if (!p->has_probe && there) /* a good surprise: say so */
			fprintf(stderr, "note: pending %s now has a probe (%s); "
					"reach it and move it to the lists\n",
				p->name, p->why);
	}
	free(list);
	teardown(&f);
}

KP_TEST(every_point_is_reached_by_the_receive_scenario)
{
	struct fixture f;
	setup(&f);
	char line[128];
	for (size_t i = 0; i < N_ALL; i++) {
		snprintf(line, sizeof(line), "tbreak %s", point_name(i));
		run(st, &f, line);
	}

	/* boot, then a blocking UDP reader on server */
	run_out(st, &f);
	run(st, &f, "run udp-server 7000 on server");
	run_out(st, &f);
	/* one datagram from the wire to the socket, with tcpdump's tap on
	 * ptype_all so that deliver_skb runs; then one ICMP echo */
	run(st, &f, "tcpdump -i eth0 -n");
	run_out(st, &f);
	run(st, &f, "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 "
		    "data hello");
	run_out(st, &f);
	run(st, &f, "tcpdump stop");
	run(st, &f, "inject server icmp echo 10.0.0.1 > 10.0.0.2");
	run_out(st, &f);
	/* a burst with a tiny budget: __do_softirq gives up after its
	 * restarts and wakes ksoftirqd */
	run(st, &f, "ethtool -G eth0 rx 1024");
	run_out(st, &f);
	run(st, &f, "sysctl -w net.core.netdev_budget=8");
	run(st, &f, "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 "
		    "len 18 count 1000");
	run_out(st, &f);

	for (size_t i = 0; i < N_ALL; i++) {
		if (!f.hit[i]) {
			fprintf(stderr, "never reached: %s\n", point_name(i));
			KP_CHECK(st, f.hit[i]);
		}
	}
	/* every temporary breakpoint fired and went away */
	const char *o = run(st, &f, "info breakpoints");
	KP_CHECK(st, strstr(o, "No breakpoints.") != NULL);
	teardown(&f);
}

static bool listed(const char *name)
{
	for (size_t i = 0; i < N_ALL; i++)
		if (!strcmp(point_name(i), name))
			return true;
	for (size_t i = 0; i < N_PENDING; i++)
		if (!strcmp(pending_points[i].name, name))
			return true;
	return false;
}

/* A section header of STEP_POINTS.txt is a comment after a blank line;
 * its first word names the chapter ("# boot: ...", "# receive: ..."). */
KP_TEST(the_seed_list_is_covered)
{
	const char *path = getenv("KP_STEP_POINTS");
	if (!path)
		path = "../shared/seed/STEP_POINTS.txt";
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "note: %s not found; the lists above are "
				"checked alone\n",
			path);
		return;
	}
	char buf[256];
	bool after_blank = false, in_chapter = false;
	int names = 0;
	while (fgets(buf, sizeof(buf), fp)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		if (!buf[0]) {
			after_blank = true;
			continue;
		}
		if (buf[0] == '#') {
			if (after_blank)
				in_chapter = !strncmp(buf, "# boot", 6) ||
					     !strncmp(buf, "# receive", 9);
			after_blank = false;
			continue;
		}
		after_blank = false;
		if (!in_chapter)
			continue;
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char name[128];
		if (sscanf(buf, "%127s", name) != 1)
			continue;
		names++;
		if (!listed(name)) {
			fprintf(stderr, "%s: %s is in neither list\n", path,
				name);
			KP_CHECK(st, listed(name));
		}
	}
	fclose(fp);
	/* both chapters were found and are no smaller than the lists */
	KP_CHECK(st, names >= (int)(N_ALL + N_PENDING));
}

KP_TEST_MAIN(every_point_is_in_info_functions,
	     every_point_is_reached_by_the_receive_scenario,
	     the_seed_list_is_covered)
