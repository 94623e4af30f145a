/*
 * man_page.h - kpath's manual pages as `man`, `man run` and `apropos`
 * use them: finding a page and listing the pages there are
 * (man_find.c), and rendering a page's roff as plain text (man_roff.c).
 */
#ifndef KP_UI_MAN_PAGE_H
#define KP_UI_MAN_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "complete.h"
#include "out.h"

/* Open the page of @topic ("kpath-rx", or "rx" for it) in $KPATH_MANDIR,
 * ./man, beside the binary (../man, ../share/man/manN) or
 * /usr/local/share/man/manN; its file name goes to @path.  NULL when
 * there is none (or @topic is not a plain name). */
FILE *kp_man_open(const char *topic, char *path, size_t size);

/* Every page's name, sorted, joined by ", " into @buf ("" if none). */
void kp_man_names(char *buf, size_t size);

/* Topics as 'man' takes them: "kpath-rx" and its short "rx". */
void kp_man_complete_topics(struct kp_completions *c);

/* `apropos WORD` over the pages: a "man PAGE -- PAGE(N): what it is"
 * line for each page whose name or NAME line has WORD; how many. */
int kp_man_apropos(const char *word, struct kp_out *out);

/* One line of roff text with its escapes (fonts, \- \e \& \(em \(bu
 * "\ ") turned into plain text. */
void kp_man_unescape(const char *in, char *out, size_t size);

/* The whole page as plain text, 78 columns. */
void kp_man_render(FILE *f, struct kp_out *out);

#endif
