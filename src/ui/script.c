/*
 * script.c - running scripts (.kp files, batch input, -c commands): one
 * command per line, blank lines and "#" comment lines skipped, errors
 * reported as FILE:LINE and counted.  An error ends the script (and the
 * scripts that sourced it), as in gdb; a failed expect does not.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "session.h"

#define KP_MAX_SOURCE_DEPTH 16

int kp_script_exec_line(struct kp_session *s, const char *file, int line,
			const char *text)
{
	const char *saved_file = s->file;
	int saved_line = s->line;

	while (*text == ' ' || *text == '\t')
		text++;
	if (!*text || *text == '#')
		return 0;
	s->file = file;
	s->line = line;
	if (s->echo_commands)
		kp_printf(kp_session_out(s), "(kpath) %s\n", text);
	int ret = kp_session_exec(s, text);
	if (ret < 0)
		s->errors++;
	s->file = saved_file;
	s->line = saved_line;
	return ret;
}

int kp_script_run_stream(struct kp_session *s, FILE *f, const char *name,
			 const char *dir)
{
	const char *saved_dir = s->dir;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, ret = 0;

	s->dir = dir;
	while (!s->quit && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		ret = kp_script_exec_line(s, name, lineno, line);
		if (ret < 0)
			break;
		ret = 0;
	}
	free(line);
	s->dir = saved_dir;
	return ret;
}

/* @path as seen from the running script's directory. */
static char *resolve(const struct kp_session *s, const char *path)
{
	char *full;
	if (path[0] == '/' || !s->dir || !s->dir[0])
		return strdup(path);
	if (asprintf(&full, "%s/%s", s->dir, path) < 0)
		return NULL;
	return full;
}

int kp_script_source(struct kp_session *s, const char *path,
		     struct kp_out *out)
{
	if (s->source_depth >= KP_MAX_SOURCE_DEPTH)
		return kp_cmd_error(s, out,
				    "source: scripts nested %d deep; does "
				    "'%s' source itself?",
				    KP_MAX_SOURCE_DEPTH, path);
	char *full = resolve(s, path);
	if (!full)
		return -ENOMEM;
	FILE *f = fopen(full, "r");
	if (!f) {
		int err = kp_cmd_error(s, out, "source: cannot open '%s': %s",
				       full, strerror(errno));
		free(full);
		return err;
	}
	/* the script's own directory, for the sources it contains */
	char *dir = strdup(full);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (slash)
		*slash = '\0';
	else if (dir)
		dir[0] = '\0';

	s->source_depth++;
	int ret = kp_script_run_stream(s, f, full, dir);
	s->source_depth--;
	fclose(f);
	free(dir);
	free(full);
	return ret;
}
