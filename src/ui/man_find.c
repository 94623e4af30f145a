/*
 * man_find.c - where kpath's manual pages are: opening the page of a
 * topic (`man rx` is man/kpath-rx.7), listing the pages there are (for
 * completion and the error that names them), and `apropos` over their
 * NAME lines.  The roff itself is rendered by man_roff.c.
 *
 * Pages are looked up in $KPATH_MANDIR, ./man, the directory beside the
 * kpath binary (../man, ../share/man/manN) and /usr/local/share/man/manN,
 * in that order; sections 1, 5 and 7 only.  Not man(1)'s MANPATH or
 * man.conf, no compressed pages.
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "man_page.h"

#define MAN_SECTIONS "157"
#define MAN_DIRS_MAX 5

/* The places pages are looked for, in order; a place "by section" has
 * them in DIR/manN/, the others in DIR/ itself. */
struct man_dirs {
	const char *dir[MAN_DIRS_MAX];
	bool by_section[MAN_DIRS_MAX];
	int n;
	char beside[PATH_MAX + 32]; /* the binary's ../man */
	char share[PATH_MAX + 64];  /* the binary's ../share/man */
};

static void man_dir_add(struct man_dirs *m, const char *dir, bool by_section)
{
	m->dir[m->n] = dir;
	m->by_section[m->n] = by_section;
	m->n++;
}

static void man_dirs(struct man_dirs *m)
{
	char exe[PATH_MAX];
	m->n = 0;
	const char *env = getenv("KPATH_MANDIR");
	if (env && *env)
		man_dir_add(m, env, false);
	man_dir_add(m, "man", false);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		snprintf(m->beside, sizeof(m->beside), "%s/../man", exe);
		man_dir_add(m, m->beside, false);
		snprintf(m->share, sizeof(m->share), "%s/../share/man", exe);
		man_dir_add(m, m->share, true);
	}
	man_dir_add(m, "/usr/local/share/man", true);
}

/* ---- finding a page ---- */

static bool try_open(char *path, size_t size, const char *dir,
		     bool by_section, const char *name, FILE **f)
{
	for (const char *sec = MAN_SECTIONS; *sec; sec++) {
		int n;
		if (by_section)
			n = snprintf(path, size, "%s/man%c/%s.%c", dir, *sec,
				     name, *sec);
		else
			n = snprintf(path, size, "%s/%s.%c", dir, name, *sec);
		if (n < 0 || (size_t)n >= size)
			continue;
		*f = fopen(path, "r");
		if (*f)
			return true;
	}
	return false;
}

FILE *kp_man_open(const char *topic, char *path, size_t size)
{
	struct man_dirs m;
	char name[128];
	FILE *f = NULL;

	if (strchr(topic, '/') || strlen(topic) > 64)
		return NULL;
	man_dirs(&m);
	for (int pass = 0; pass < 2; pass++) {
		/* "rx" is kpath-rx; "kpath-rx" and "kpath" are themselves */
		if (pass == 0)
			snprintf(name, sizeof(name), "%s", topic);
		else
			snprintf(name, sizeof(name), "kpath-%s", topic);
		for (int i = 0; i < m.n; i++)
			if (try_open(path, size, m.dir[i], m.by_section[i],
				     name, &f))
				return f;
	}
	return NULL;
}

/* ---- the pages there are (completion, apropos) ---- */

struct page_list {
	char names[32][48]; /* "kpath-rx", sorted, unique */
	int n;
};

static void page_add(struct page_list *l, const char *file)
{
	char name[48];
	size_t len = strlen(file);
	/* kpath*.1, kpath*.5, kpath*.7 */
	if (strncmp(file, "kpath", 5) || len < 3 || len >= sizeof(name) ||
	    file[len - 2] != '.' || !strchr(MAN_SECTIONS, file[len - 1]))
		return;
	memcpy(name, file, len - 2);
	name[len - 2] = 0;
	int i = 0;
	while (i < l->n && strcmp(l->names[i], name) < 0)
		i++;
	if ((i < l->n && strcmp(l->names[i], name) == 0) || l->n == 32)
		return;
	memmove(l->names[i + 1], l->names[i],
		(size_t)(l->n - i) * sizeof(l->names[0]));
	memcpy(l->names[i], name, len - 1);
	l->n++;
}

static void page_scan(struct page_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)))
		page_add(l, e->d_name);
	closedir(d);
}

/* Every page in the places open_page looks, by name. */

/* Every page in the places kp_man_open looks, by name. */
static void page_list(struct page_list *l)
{
	struct man_dirs m;
	char dir[PATH_MAX + 80];
	l->n = 0;
	man_dirs(&m);
	for (int i = 0; i < m.n; i++) {
		if (!m.by_section[i]) {
			page_scan(l, m.dir[i]);
			continue;
		}
		for (const char *sec = MAN_SECTIONS; *sec; sec++) {
			snprintf(dir, sizeof(dir), "%s/man%c", m.dir[i], *sec);
			page_scan(l, dir);
		}
	}
}

void kp_man_names(char *buf, size_t size)
{
	struct page_list l;
	size_t o = 0;
	page_list(&l);
	if (size)
		buf[0] = 0;
	for (int i = 0; i < l.n && o < size; i++) {
		int n = snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
				 l.names[i]);
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

void kp_man_complete_topics(struct kp_completions *c)
{
	struct page_list l;
	page_list(&l);
	for (int i = 0; i < l.n; i++) {
		kp_complete_add(c, l.names[i]);
		if (strncmp(l.names[i], "kpath-", 6) == 0)
			kp_complete_add(c, l.names[i] + 6);
	}
}

int kp_man_apropos(const char *word, struct kp_out *out)
{
	struct page_list l;
	char path[PATH_MAX + 64], line[1024], text[1024];
	int found = 0;
	page_list(&l);
	for (int i = 0; i < l.n; i++) {
		FILE *f = kp_man_open(l.names[i], path, sizeof(path));
		if (!f)
			continue;
		/* the line after .SH NAME: "kpath-rx \- how a ..." */
		bool name = false;
		text[0] = 0;
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			if (name && line[0] != '.') {
				kp_man_unescape(line, text, sizeof(text));
				break;
			}
			name = strncmp(line, ".SH NAME", 8) == 0;
		}
		fclose(f);
		const char *dash = strstr(text, " - ");
		const char *what = dash ? dash + 3 : text;
		if (!strcasestr(l.names[i], word) &&
		    !strcasestr(what, word))
			continue;
		char sec = path[strlen(path) - 1];
		kp_printf(out, "man %s -- %s(%c): %s\n", l.names[i], l.names[i],
			  sec, what);
		found++;
	}
	return found;
}
