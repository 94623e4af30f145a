/*
 * session.c - a session's life cycle and the execution of one command
 * line: tokenize, dispatch, print and capture.
 */
#include "session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console_out.h"
#include "debugger.h"
#include "tokenize.h"

struct kp_session *kp_session_new(const struct kp_world_config *cfg,
				  struct kp_out *out)
{
	struct kp_session *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->out = out;
	s->quit_code = -1;
	kp_strbuf_init(&s->last_output);
	if (kp_session_reboot(s)) {
		free(s);
		return NULL;
	}
	return s;
}

void kp_session_free(struct kp_session *s)
{
	if (!s)
		return;
	kp_world_free(s->world);
	kp_dbg_free(s);
	kp_strbuf_free(&s->last_output);
	while (s->saved) {
		struct kp_saved_output *next = s->saved->next;
		free(s->saved->name);
		free(s->saved->text);
		free(s->saved);
		s->saved = next;
	}
	free(s);
}

void kp_session_print_location(struct kp_session *s, struct kp_out *out)
{
	if (s->file)
		kp_printf(out, "%s:%d: ", s->file, s->line);
}

struct kp_out *kp_session_out(struct kp_session *s)
{
	return s->cur_out ? s->cur_out : s->out;
}

int kp_session_exec_argv(struct kp_session *s, int argc, char **argv)
{
	struct kp_strbuf capture;
	struct kp_out capture_out;
	struct kp_tee tee;

	if (argc == 0)
		return 0;
	kp_strbuf_init(&capture);
	kp_out_init_strbuf(&capture_out, &capture);
	struct kp_out *saved = s->cur_out;
	struct kp_out *out = kp_tee_init(&tee, kp_session_out(s), &capture_out);
	s->cur_out = out;

	const struct kp_cmd *cmd = kp_cmd_lookup(argc, argv, NULL);
	/* the input log notes the commands that change the world */
	struct kp_record_mark mark;
	kp_record_before(s, argc, argv, &mark, out);
	int ret = kp_cmd_dispatch(s, argc, argv, out);
	kp_record_after(s, argc, argv, &mark, ret);
	/* what programs printed while the command ran the world */
	kp_console_flush(s, out);
	s->cur_out = saved;
	/* A failure's message is always the output expect looks at next
	 * (expect error source missing.kp); say and friends keep the
	 * previous one. */
	if (ret < 0 || !cmd || !(cmd->flags & KP_CMD_KEEP_OUTPUT))
		kp_strbuf_move(&s->last_output, &capture);
	kp_strbuf_free(&capture);
	return ret;
}

int kp_session_exec(struct kp_session *s, const char *line)
{
	struct kp_args args;
	char err[128];

	/* "@POS COMMAND": a line of a saved record (cmd_record.c) */
	if (line[strspn(line, " \t")] == '@')
		return kp_record_exec_at(s, line + strspn(line, " \t"),
					 kp_session_out(s));
	if (kp_tokenize(line, &args, err, sizeof(err))) {
		/* the error is this line's output, for expect error */
		struct kp_strbuf capture;
		struct kp_out capture_out;
		struct kp_tee tee;
		kp_strbuf_init(&capture);
		kp_out_init_strbuf(&capture_out, &capture);
		struct kp_out *out =
			kp_tee_init(&tee, kp_session_out(s), &capture_out);
		kp_cmd_error(s, out, "%s", err);
		kp_strbuf_move(&s->last_output, &capture);
		return -EINVAL;
	}
	int ret = kp_session_exec_argv(s, args.argc, args.argv);
	kp_args_free(&args);
	return ret;
}

int kp_session_exit_status(const struct kp_session *s)
{
	if (s->quit && s->quit_code >= 0)
		return s->quit_code;
	if (s->errors)
		return 2;
	if (s->expect_failures)
		return 1;
	return 0;
}

/* ---- remembered outputs ---- */

int kp_session_save_output(struct kp_session *s, const char *name)
{
	char *text = strdup(kp_strbuf_str(&s->last_output));
	if (!text)
		return -ENOMEM;
	for (struct kp_saved_output *o = s->saved; o; o = o->next) {
		if (strcmp(o->name, name) == 0) {
			free(o->text);
			o->text = text;
			return 0;
		}
	}
	struct kp_saved_output *o = calloc(1, sizeof(*o));
	if (!o || !(o->name = strdup(name))) {
		free(o);
		free(text);
		return -ENOMEM;
	}
	o->text = text;
	o->next = s->saved;
	s->saved = o;
	return 0;
}

const char *kp_session_saved_output(const struct kp_session *s,
				    const char *name)
{
	for (const struct kp_saved_output *o = s->saved; o; o = o->next)
		if (strcmp(o->name, name) == 0)
			return o->text;
	return NULL;
}
