/*
 * sysargs.h - the argument language of packetdrill's system call lines,
 * shared by syscalls.c and sysresult.c (see sysargs.c).
 */
#ifndef KP_PACKETDRILL_SYSARGS_H
#define KP_PACKETDRILL_SYSARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pd_run;

/* Script fd @text -> the task's fd in @fd (and r->last_fd); 0 or -1. */
int pd_fd_arg(struct pd_run *r, const char *text, int *fd);
/* The inside of the next "{...}" at or after *@p; false at the end. */
bool pd_next_group(const char **p, char *out, size_t n);
/* Field @name of a struct argument as a number (@found says if there). */
int pd_field_expr(struct pd_run *r, const char *text, const char *name,
		  long *v, bool *found);
/* Bytes of an iovec list or a msghdr's msg_iov. */
int pd_iov_total(struct pd_run *r, const char *text, long *total);
/* epoll_data given as fd=, u32=, u64= or ptr=. */
int pd_epoll_data(struct pd_run *r, const char *text, uint64_t *data);
struct pd_tcp_info;
/* Compare the tcpi_ fields named in struct argument @text with @ti;
 * 0, or -1 with "@what: Bad FIELD: expected: N actual: M" in r->err. */
int pd_check_tcp_info(struct pd_run *r, const char *what, const char *text,
		      const struct pd_tcp_info *ti);

#endif
