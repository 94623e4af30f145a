/*
 * test_tui.c - the TUI's panes and layout without a terminal: every pane
 * title fits at 80x24 and the columns fill the screen, the CPU pane
 * shows each CPU's ksoftirqd after boot, the trace pane marks the stop
 * as its current line and a step moves it, a step gives the state panes
 * a baseline to mark changes against, output lines reach the output
 * pane (also what programs print during a sliced continue), and a
 * datagram's skb is followed to the socket's queue.
 */
#include "kernel/kernel.h"
#include "kp_test.h"
#include "test_session.h"
#include "ui/tui/tui.h"

struct fixture {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
	struct tui t;
};

static void setup(struct fixture *f)
{
	f->s = test_session_new(&f->sb, &f->out, false);
	tui_init(&f->t, f->s);
}

static void teardown(struct fixture *f)
{
	tui_fini(&f->t);
	test_session_free(f->s, &f->sb);
}

/* Does some line of pane @id contain @text? */
static bool pane_has(struct tui *t, int id, const char *text)
{
	const struct tui_lines *l = &t->panes[id].cur;
	for (int i = 0; i < l->n; i++)
		if (strstr(l->v[i], text))
			return true;
	return false;
}

/* The current ('>') line of the trace pane, or NULL. */
static const char *current(struct tui *t)
{
	const struct tui_lines *l = &t->panes[TUI_P_TRACE].cur;
	for (int i = 0; i < l->n; i++)
		if (l->v[i][0] == '>')
			return l->v[i];
	return NULL;
}

KP_TEST(layout_fits_80x24)
{
	struct fixture f;
	setup(&f);
	tui_layout(&f.t, 24, 80);
	int left = 0, right = 0;
	for (int i = 0; i < TUI_P_NR; i++) {
		struct tui_pane *p = &f.t.panes[i];
		KP_CHECK(st, p->h >= 1);   /* the title row at least */
		KP_CHECK(st, p->y + p->h <= 22);
		KP_CHECK(st, p->x + p->w <= 80);
		if (p->x == 0)
			left += p->h;
		else
			right += p->h;
	}
	KP_CHECK_EQ(st, left, 22);
	KP_CHECK_EQ(st, right, 22);
	teardown(&f);
}

KP_TEST(cpu_pane_shows_ksoftirqd_after_boot)
{
	struct fixture f;
	setup(&f);
	tui_layout(&f.t, 40, 120);
	tui_render(&f.t);
	KP_CHECK(st, pane_has(&f.t, TUI_P_CPU, "(not spawned yet)"));
	tui_exec(&f.t, "continue");
	KP_CHECK(st, f.t.running); /* the main loop runs it in slices */
	f.t.running = false;
	kp_session_exec(f.s, "continue");
	tui_mark_stop(&f.t);
	tui_render(&f.t);
	KP_CHECK(st, pane_has(&f.t, TUI_P_CPU, "ksoftirqd: ksoftirqd/0[2] S"));
	KP_CHECK(st, pane_has(&f.t, TUI_P_CPU, "ksoftirqd: ksoftirqd/1[3] S"));
	KP_CHECK(st, pane_has(&f.t, TUI_P_NIC, "NIC") ||
			     pane_has(&f.t, TUI_P_NIC, "eth0"));
	teardown(&f);
}

KP_TEST(step_moves_the_current_line)
{
	struct fixture f;
	char first[512];
	setup(&f);
	tui_layout(&f.t, 40, 120);
	tui_exec(&f.t, "step");
	tui_render(&f.t);
	const char *c = current(&f.t);
	KP_CHECK(st, c && strstr(c, "start_kernel"));
	snprintf(first, sizeof(first), "%s", c ? c : "");
	KP_CHECK(st, !f.t.panes[TUI_P_CPU].has_base);
	tui_exec(&f.t, "step");
	tui_render(&f.t);
	c = current(&f.t);
	KP_CHECK(st, c && strcmp(c, first) != 0);
	/* the previous stop's CPU pane is the baseline for marking */
	KP_CHECK(st, f.t.panes[TUI_P_CPU].has_base);
	KP_CHECK(st, strstr(f.t.status, "#seq 1") != NULL);
	teardown(&f);
}

KP_TEST(commands_print_to_the_output_pane)
{
	struct fixture f;
	setup(&f);
	tui_layout(&f.t, 40, 200); /* ps lines fit unwrapped */
	tui_exec(&f.t, "ps");
	tui_render(&f.t);
	KP_CHECK(st, pane_has(&f.t, TUI_P_OUTPUT, "(kpath) ps"));
	KP_CHECK(st, pane_has(&f.t, TUI_P_OUTPUT, "WCHAN"));
	KP_CHECK(st, pane_has(&f.t, TUI_P_OUTPUT, "ksoftirqd/1"));
	KP_CHECK(st, f.sb.len == 0); /* nothing went around the pane */
	teardown(&f);
}

/* The attribute of the first line of pane @id containing @text, or -1. */
static int pane_attr(struct tui *t, int id, const char *text)
{
	const struct tui_lines *l = &t->panes[id].cur;
	for (int i = 0; i < l->n; i++)
		if (strstr(l->v[i], text))
			return l->attr[i];
	return -1;
}

/* A datagram to a blocked reader: the device hands the descriptor to
 * the driver, the skb lands on the receive queue - followed, so
 * bracketed and highlighted even with the packet pane hidden - and the
 * wake-up takes the reader's entry off sk_sleep. */
KP_TEST(skb_followed_to_the_socket)
{
	struct fixture f;
	setup(&f);
	f.t.panes[TUI_P_PACKET].visible = false;
	tui_layout(&f.t, 50, 160);
	kp_session_exec(f.s, "run udp-server 7000 on server");
	kp_session_exec(f.s, "continue");
	kp_session_exec(f.s, "inject server udp 10.0.0.1:4000 > "
			     "10.0.0.2:7000 data \"hi\"");
	kp_session_exec(f.s, "break e1000_rx_frame");
	kp_session_exec(f.s, "break skb_set_owner_r");
	kp_session_exec(f.s, "break autoremove_wake_function");
	kp_session_exec(f.s, "continue");
	tui_mark_stop(&f.t);
	tui_render(&f.t);
	KP_CHECK(st, pane_has(&f.t, TUI_P_NIC, "[*."));
	KP_CHECK(st, pane_has(&f.t, TUI_P_SOCK,
			      "udp-server[4] autoremove_wake_function"));
	kp_session_exec(f.s, "step");
	tui_mark_stop(&f.t);
	tui_render(&f.t);
	KP_CHECK(st, pane_has(&f.t, TUI_P_NIC, "[D."));
	KP_CHECK(st, f.t.skb_sel == 0);

	kp_session_exec(f.s, "continue"); /* skb_set_owner_r (skb#1) */
	tui_mark_stop(&f.t);
	tui_render(&f.t); /* the stop's skb becomes the followed one */
	KP_CHECK_EQ(st, f.t.skb_sel, 1u);
	KP_CHECK(st, pane_has(&f.t, TUI_P_SOCK, "sk_receive_queue: -"));
	kp_session_exec(f.s, "step");
	tui_mark_stop(&f.t);
	tui_render(&f.t);
	KP_CHECK_EQ(st, f.t.skb_sel, 1u);
	KP_CHECK_EQ(st, pane_attr(&f.t, TUI_P_SOCK,
				  "sk_receive_queue: [skb#1] (1)"),
		    TUI_A_SEL);

	kp_session_exec(f.s, "continue"); /* autoremove_wake_function */
	kp_session_exec(f.s, "finish");
	tui_mark_stop(&f.t);
	tui_render(&f.t);
	KP_CHECK(st, pane_has(&f.t, TUI_P_SOCK, "sk_sleep: -"));
	KP_CHECK(st, pane_has(&f.t, TUI_P_CPU, "rq: udp-server[4]"));
	teardown(&f);
}

/* A continue run in slices shows what programs print as it goes. */
KP_TEST(sliced_continue_prints_the_console)
{
	struct fixture f;
	setup(&f);
	tui_layout(&f.t, 40, 120);
	tui_exec(&f.t, "run udp-server 7000 on server");
	tui_exec(&f.t, "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 "
		       "data \"hi\"");
	tui_exec(&f.t, "continue");
	KP_CHECK(st, f.t.running);
	for (int i = 0; i < 1000 && f.t.running; i++)
		tui_run_slice(&f.t);
	KP_CHECK(st, !f.t.running);
	tui_render(&f.t);
	KP_CHECK(st, pane_has(&f.t, TUI_P_OUTPUT,
			      "udp-server: 2 bytes from 10.0.0.1:4000: hi"));
	KP_CHECK(st, pane_has(&f.t, TUI_P_OUTPUT, "Nothing left to do"));
	teardown(&f);
}

KP_TEST(lines_split_text)
{
	struct tui_lines l;
	tui_lines_init(&l);
	tui_lines_add_text(&l, TUI_A_NORMAL, "a\nbb\n\nc");
	KP_CHECK_EQ(st, l.n, 4);
	KP_CHECK_STR(st, l.v[1], "bb");
	KP_CHECK_STR(st, l.v[2], "");
	tui_lines_printf(&l, TUI_A_HEAD, "x%d", 5);
	KP_CHECK_STR(st, l.v[4], "x5");
	KP_CHECK_EQ(st, l.attr[4], TUI_A_HEAD);
	tui_lines_free(&l);
}

KP_TEST_MAIN(layout_fits_80x24, cpu_pane_shows_ksoftirqd_after_boot,
	     step_moves_the_current_line, commands_print_to_the_output_pane,
	     skb_followed_to_the_socket, sliced_continue_prints_the_console,
	     lines_split_text)
