/*
 * file.h - open files and file descriptor tables (include/linux/fs.h,
 * fs/file.c, fs/file_table.c, fs/anon_inodes.c), reduced to what sockets
 * and epoll need: a struct file with its file_operations (poll, release),
 * a reference count, the list of epitems watching it (f_ep_links), and a
 * per-task fd table.
 */
#ifndef KP_NET_FILE_H
#define KP_NET_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/ids.h"
#include "engine/list.h"

struct file;
struct kp_host;
struct poll_table_struct;
struct task_struct;

struct file_operations {
	const char *name; /* what ls -l /proc/PID/fd shows: "socket", ... */
	unsigned int (*poll)(struct file *file, struct poll_table_struct *pt);
	int (*release)(struct file *file);
};

#ifndef O_NONBLOCK
#define O_NONBLOCK 04000
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 02000000
#endif

struct file {
	struct kp_obj kp;
	const struct file_operations *f_op;
	void *private_data;
	unsigned int f_flags;
	long f_count;
	unsigned long f_ino;       /* inode number shown as socket:[N] */
	struct list_head f_ep_links;    /* epitems watching this file */
	struct list_head f_tfile_llink; /* on the epoll loop-check list */
	struct list_head f_host_link;   /* every file of the host */
	struct kp_host *host;
};

/* Per-host file state: every open file and every fd table. */
struct kp_fs {
	struct list_head files;
	struct list_head tables;
	unsigned long next_ino;
	struct list_head tfile_check_list; /* epoll_ctl loop checks */
};

#define KP_NR_OPEN_DEFAULT 1024
/* fs.nr_open: the table doubles from KP_NR_OPEN_DEFAULT up to this (kpath
 * has no RLIMIT_NOFILE: a process may open this many) */
#define KP_NR_OPEN_MAX 1048576

struct files_struct {
	struct file **fd;
	int max_fds;
	int next_fd;
	struct list_head host_link;
};

/* The calling task's fd table, created on first use. */
struct files_struct *current_files(void);

struct file *alloc_file(const struct file_operations *fop, void *private_data,
			unsigned int flags);
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops, void *priv,
				int flags);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(int fd);
void fd_install(int fd, struct file *file);
/* Look up @fd of the calling task and take a reference; NULL if none. */
struct file *fget(int fd);
void fput(struct file *file);
/* close(2) */
int __close_fd(struct files_struct *files, int fd);
int sys_close(int fd);

/* fork's dup_fd: @child gets a copy of @parent's fd table, each file
 * with one more reference.  0 or -ENOMEM. */
int kp_files_dup(struct task_struct *child, struct task_struct *parent);

/* The task's fd of @file, or -1 (for display). */
int kp_fd_of(const struct files_struct *files, const struct file *file);

#endif
