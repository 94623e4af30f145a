/*
 * tui_layout_store.c - the TUI remembers which panes are shown and which
 * has focus, in $XDG_CONFIG_HOME/kpath/tui (default ~/.config/kpath/tui):
 *
 *	# kpath TUI layout
 *	show CPU Trace Output NIC Sockets epoll Packet
 *	focus Trace
 *
 * Unknown lines and names are ignored, so an old file never breaks a
 * newer kpath.  Nothing is written when there is no home directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tui.h"

/* The file's path into t->config_path; false when there is none. */
static bool config_path(struct tui *t, bool create_dir)
{
	char dir[400];
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0])
		snprintf(dir, sizeof(dir), "%s/kpath", xdg);
	else if (home && home[0])
		snprintf(dir, sizeof(dir), "%s/.config/kpath", home);
	else
		return false;
	if (create_dir) {
		/* mkdir -p of the last two components */
		char *slash = strrchr(dir, '/');
		if (slash) {
			*slash = '\0';
			if (mkdir(dir, 0755) && errno != EEXIST)
				return false;
			*slash = '/';
		}
		if (mkdir(dir, 0755) && errno != EEXIST)
			return false;
	}
	snprintf(t->config_path, sizeof(t->config_path), "%s/tui", dir);
	return true;
}

static int pane_by_name(const char *name)
{
	for (int i = 0; i < TUI_P_NR; i++)
		if (strcasecmp(tui_pane_ops_name(i), name) == 0)
			return i;
	return -1;
}

void tui_layout_load(struct tui *t)
{
	char line[512];
	if (!config_path(t, false))
		return;
	FILE *f = fopen(t->config_path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL;
		char *word = strtok_r(line, " \t\r\n", &save);
		if (!word || word[0] == '#')
			continue;
		if (strcmp(word, "show") == 0) {
			bool show[TUI_P_NR] = { false };
			int n = 0;
			while ((word = strtok_r(NULL, " \t\r\n", &save))) {
				int i = pane_by_name(word);
				if (i >= 0) {
					show[i] = true;
					n++;
				}
			}
			if (n) /* never load a screen with no pane */
				for (int i = 0; i < TUI_P_NR; i++)
					t->panes[i].visible = show[i];
		} else if (strcmp(word, "focus") == 0) {
			word = strtok_r(NULL, " \t\r\n", &save);
			int i = word ? pane_by_name(word) : -1;
			if (i >= 0 && t->panes[i].visible)
				t->focus = t->prev_focus = i;
		}
	}
	fclose(f);
	if (t->focus >= 0 && !t->panes[t->focus].visible)
		for (int i = 0; i < TUI_P_NR; i++)
			if (t->panes[i].visible) {
				t->focus = t->prev_focus = i;
				break;
			}
}

void tui_layout_save(struct tui *t)
{
	if (!config_path(t, true))
		return;
	FILE *f = fopen(t->config_path, "w");
	if (!f)
		return;
	fprintf(f, "# kpath TUI layout\nshow");
	for (int i = 0; i < TUI_P_NR; i++)
		if (t->panes[i].visible)
			fprintf(f, " %s", tui_pane_ops_name(i));
	int focus = t->focus >= 0 ? t->focus : t->prev_focus;
	if (focus >= 0)
		fprintf(f, "\nfocus %s", tui_pane_ops_name(focus));
	fprintf(f, "\n");
	fclose(f);
}
