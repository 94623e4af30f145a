/*
 * file.c - struct file, reference counts and fd tables (fs/file.c,
 * fs/file_table.c, fs/anon_inodes.c).  What a file *is* comes from its
 * file_operations: sockets and eventpolls provide theirs.
 */
#include "file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "eventpoll.h"
#include "sched/host.h"
#include "sched/sched.h"

static void fs_free(struct kp_host *h)
{
	struct kp_fs *fs = h->fs;
	struct files_struct *t, *tn;
	list_for_each_entry_safe(t, tn, &fs->tables, host_link) {
		free(t->fd);
		free(t);
	}
	/* Files still open at teardown: their objects belong to the layers
	 * that made them (sockets, eventpolls) and are freed there. */
	struct file *f, *fn;
	list_for_each_entry_safe(f, fn, &fs->files, f_host_link) {
		if (kp_file_eventpoll(f))
			kp_eventpoll_teardown(f);
		free(f);
	}
	free(fs);
	h->fs = NULL;
}

static struct kp_fs *host_fs(struct kp_host *h)
{
	if (!h->fs) {
		struct kp_fs *fs = calloc(1, sizeof(*fs));
		if (!fs)
			abort();
		INIT_LIST_HEAD(&fs->files);
		INIT_LIST_HEAD(&fs->tables);
		INIT_LIST_HEAD(&fs->tfile_check_list);
		fs->next_ino = 10000;
		h->fs = fs;
		h->fs_free = fs_free;
	}
	return h->fs;
}

static void exit_files(struct task_struct *t)
{
	struct files_struct *files = t->files;
	if (!files)
		return;
	for (int fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd])
			__close_fd(files, fd);
	list_del_init(&files->host_link);
	free(files->fd);
	free(files);
	t->files = NULL;
}

struct files_struct *current_files(void)
{
	struct task_struct *t = current;
	if (t->files)
		return t->files;
	struct files_struct *files = calloc(1, sizeof(*files));
	if (!files)
		return NULL;
	files->max_fds = KP_NR_OPEN_DEFAULT;
	files->fd = calloc((size_t)files->max_fds, sizeof(*files->fd));
	/* 0, 1 and 2 are the terminal in a real process: start at 3 */
	files->next_fd = 3;
	list_add_tail(&files->host_link, &host_fs(t->host)->tables);
	t->files = files;
	t->exit_files = exit_files;
	return files;
}

int kp_files_dup(struct task_struct *child, struct task_struct *parent)
{
	struct files_struct *old = parent->files;
	if (!old)
		return 0;
	struct files_struct *files = calloc(1, sizeof(*files));
	if (!files)
		return -ENOMEM;
	files->fd = calloc((size_t)old->max_fds, sizeof(*files->fd));
	if (!files->fd) {
		free(files);
		return -ENOMEM;
	}
	files->max_fds = old->max_fds;
	files->next_fd = old->next_fd;
	for (int fd = 0; fd < old->max_fds; fd++) {
		files->fd[fd] = old->fd[fd];
		if (files->fd[fd])
			files->fd[fd]->f_count++;
	}
	list_add_tail(&files->host_link, &host_fs(child->host)->tables);
	child->files = files;
	child->exit_files = exit_files;
	return 0;
}

struct file *alloc_file(const struct file_operations *fop, void *private_data,
			unsigned int flags)
{
	struct kp_host *h = current_host();
	struct kp_fs *fs = host_fs(h);
	struct file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	kp_obj_assign(&h->world->ids, &f->kp, KP_OBJ_FILE);
	f->f_op = fop;
	f->private_data = private_data;
	f->f_flags = flags;
	f->f_count = 1;
	f->f_ino = fs->next_ino++;
	f->host = h;
	INIT_LIST_HEAD(&f->f_ep_links);
	INIT_LIST_HEAD(&f->f_tfile_llink);
	list_add_tail(&f->f_host_link, &fs->files);
	return f;
}

struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops, void *priv,
				int flags)
{
	KP_FUNC0(anon_inode_getfile);
	(void)name;
	return alloc_file(fops, priv, (unsigned int)flags);
}

int get_unused_fd_flags(unsigned int flags)
{
	KP_FUNC0(get_unused_fd_flags);
	(void)flags;
	struct files_struct *files = current_files();
	if (!files)
		return -ENOMEM;
	for (int fd = files->next_fd; fd < files->max_fds; fd++) {
		if (!files->fd[fd]) {
			files->next_fd = fd + 1;
			return fd;
		}
	}
	/* expand_files: double the table, up to fs.nr_open */
	if (files->max_fds >= KP_NR_OPEN_MAX)
		return -EMFILE;
	int nr = files->max_fds * 2;
	struct file **fdt = realloc(files->fd, (size_t)nr * sizeof(*fdt));
	if (!fdt)
		return -EMFILE;
	memset(fdt + files->max_fds, 0,
	       (size_t)(nr - files->max_fds) * sizeof(*fdt));
	int fd = files->max_fds;
	files->fd = fdt;
	files->max_fds = nr;
	files->next_fd = fd + 1;
	return fd;
}

void put_unused_fd(int fd)
{
	struct files_struct *files = current_files();
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void fd_install(int fd, struct file *file)
{
	KP_FUNC_ARG(fd_install, file, fd);
	current_files()->fd[fd] = file;
}

struct file *fget(int fd)
{
	KP_FUNC_ARG(fget, KP_NOOBJ, fd);
	struct files_struct *files = current_files();
	if (!files || fd < 0 || fd >= files->max_fds || !files->fd[fd])
		return NULL;
	struct file *f = files->fd[fd];
	f->f_count++;
	return f;
}

void fput(struct file *file)
{
	KP_FUNC(fput, file);
	if (--file->f_count > 0)
		return;
	/* __fput(): epoll lets go first, then the file's owner */
	eventpoll_release(file);
	if (file->f_op->release)
		file->f_op->release(file);
	list_del_init(&file->f_host_link);
	free(file);
}

int __close_fd(struct files_struct *files, int fd)
{
	if (fd < 0 || fd >= files->max_fds || !files->fd[fd])
		return -EBADF;
	struct file *f = files->fd[fd];
	files->fd[fd] = NULL;
	if (fd < files->next_fd)
		files->next_fd = fd;
	fput(f);
	return 0;
}

int sys_close(int fd)
{
	KP_FUNC_ARG(sys_close, KP_NOOBJ, fd);
	struct files_struct *files = current_files();
	return files ? __close_fd(files, fd) : -EBADF;
}

int kp_fd_of(const struct files_struct *files, const struct file *file)
{
	if (!files)
		return -1;
	for (int fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd] == file)
			return fd;
	return -1;
}
