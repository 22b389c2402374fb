// C helpers for what Swift cannot call directly: posix_spawn with a new session and default
// signal dispositions (Glibc's Swift overlay hides POSIX_SPAWN_SETSID and closefrom), and pidfd.
#ifndef DISTRUN_SHIM_H
#define DISTRUN_SHIM_H

#include <sys/types.h>

/// Spawns argv[0] (searched in PATH) in a new session, so it leads its own process group,
/// with all signals at their default action and an empty mask. stdin/stdout/stderr become the
/// given descriptors; every other descriptor is closed in the child.
/// Returns 0 and sets *pid, or an errno value (exec failures included).
int drs_spawn(const char *const argv[], const char *const envp[], int stdin_fd, int stdout_fd,
              int stderr_fd, pid_t *pid);

/// Spawns argv[0] like drs_spawn, but on a new pseudo-terminal of cols x rows that becomes the
/// command's controlling terminal (it is opened after setsid) and its stdin, stdout and stderr.
/// The parent keeps only the master, returned in *master (non-blocking, close-on-exec).
/// Returns 0, or an errno value.
int drs_spawn_pty(const char *const argv[], const char *const envp[], unsigned short cols, unsigned short rows,
                  pid_t *pid, int *master);

/// TIOCSWINSZ on a pseudo-terminal master: the command gets SIGWINCH. 0 or -1 and errno.
int drs_set_window_size(int master, unsigned short cols, unsigned short rows);

/// prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to this process
/// (so they can be reaped and killed) instead of to init. 0 or -1 and errno.
int drs_become_subreaper(void);

/// The pid of a child that has exited and not been reaped (left reapable), or 0 if none.
pid_t drs_peek_exited_child(void);

/// FIONREAD: bytes waiting to be read on `fd` (a pipe or terminal), or -1.
int drs_readable_bytes(int fd);

/// F_SETPIPE_SZ: makes the pipe `fd` hold `bytes` (rounded up to pages); its new size, or -1 and errno.
int drs_set_pipe_size(int fd, int bytes);

/// pidfd_open(2): a descriptor that becomes readable when the process exits; -1 and errno.
int drs_pidfd_open(pid_t pid);

/// pipe2(2) with O_CLOEXEC (and O_NONBLOCK when nonblocking != 0); 0 or -1 and errno.
int drs_pipe(int fds[2], int nonblocking);

/// Makes SIGINT, SIGTERM and SIGHUP write their number as one byte to `write_fd` (a
/// non-blocking pipe), so a poll loop can end cleanly and restore the terminal.
int drs_forward_exit_signals(int write_fd);

/// Makes each of `signals` write its number as one byte to `write_fd` (one pipe for the process),
/// and unblocks them in the calling thread.
int drs_forward_signals(int write_fd, const int *signals, int count);

/// TIOCGWINSZ: the size of the terminal on `fd`; 0, or -1 when `fd` is not a terminal.
int drs_get_window_size(int fd, unsigned short *cols, unsigned short *rows);

/// glibc's allocator: allocations of `mmap_threshold_bytes` and more get their own mappings,
/// returned to the system when freed (instead of a threshold that grows with use and a heap
/// that keeps what a burst left behind). For a process whose large buffers come and go in
/// bursts, such as the dashboard's network reads. 0 on success.
int drs_return_large_allocations(int mmap_threshold_bytes);

#endif
