/*
 * Process and context-switch latencies in the manner of lmbench's lat_proc
 * and lat_pipe, run inside dom0 on Mica, inside dom0 on Xen and on bare
 * Linux by the bench initramfs (bench/linux/init). Built static with the
 * host's gcc so it needs nothing from the initramfs but the kernel.
 *
 * Each measurement first finds a batch size that takes at least
 * BATCH_SECONDS (doubling from one), then times RUNS batches of that size
 * and reports the median and the fastest batch, per operation, in
 * microseconds. Under software emulation a run is noisy (the host's cores
 * are shared), and the median of several batches is what survives that.
 *
 * Output, one line per figure, parsed by bench/linux/boot.py:
 *
 *   mica-bench: result <name> <median us> <min us> <ops per batch>
 *   mica-bench: clock <seconds on the guest's CLOCK_MONOTONIC>
 *
 * The clock line lets the driver compare the guest's clock with the
 * host's over the whole program: the figures are only as good as the
 * guest's idea of time, and a paravirtual clock could drift.
 *
 * `lmbench exit` exits at once: the image the exec benchmark runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH_SECONDS 0.2
#define RUNS          5
#define MAX_BATCH     (1L << 24)

static const char *self_path;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    printf("mica-bench: error %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

/* lmbench's "null call": the cheapest round trip into the kernel. */
static void op_null_syscall(long n)
{
    for ( long i = 0; i < n; i++ )
        syscall(SYS_getppid);
}

static void reap(pid_t pid)
{
    int status;

    if ( waitpid(pid, &status, 0) != pid )
        die("waitpid");
    if ( !WIFEXITED(status) || WEXITSTATUS(status) != 0 )
    {
        errno = ECHILD;
        die("child status");
    }
}

/* lat_proc fork: create a process that exits at once, and wait for it. */
static void op_fork_exit(long n)
{
    for ( long i = 0; i < n; i++ )
    {
        pid_t pid = fork();

        if ( pid < 0 )
            die("fork");
        if ( pid == 0 )
            _exit(0);
        reap(pid);
    }
}

/* lat_proc exec: the same, but the child replaces itself with a program. */
static void op_fork_exec_exit(long n)
{
    char *argv[] = {(char *)self_path, "exit", NULL};
    char *envp[] = {NULL};

    for ( long i = 0; i < n; i++ )
    {
        pid_t pid = fork();

        if ( pid < 0 )
            die("fork");
        if ( pid == 0 )
        {
            execve(self_path, argv, envp);
            _exit(127);
        }
        reap(pid);
    }
}

/*
 * lat_pipe: a word goes to the child through one pipe and comes back
 * through another; each round trip is two writes, two reads and two
 * switches between the processes (one CPU).
 */
static int pipe_to_child[2], pipe_to_parent[2];
static pid_t echo_pid;

static void echo_child(void)
{
    long word;

    while ( read(pipe_to_child[0], &word, sizeof(word)) == sizeof(word) )
        if ( write(pipe_to_parent[1], &word, sizeof(word)) != sizeof(word) )
            _exit(1);
    _exit(0);
}

static void pipe_setup(void)
{
    if ( pipe(pipe_to_child) || pipe(pipe_to_parent) )
        die("pipe");
    echo_pid = fork();
    if ( echo_pid < 0 )
        die("fork");
    if ( echo_pid == 0 )
    {
        close(pipe_to_child[1]);
        close(pipe_to_parent[0]);
        echo_child();
    }
    close(pipe_to_child[0]);
    close(pipe_to_parent[1]);
}

static void pipe_teardown(void)
{
    close(pipe_to_child[1]); /* the child reads EOF and exits */
    reap(echo_pid);
    close(pipe_to_parent[0]);
}

static void op_pipe_round_trip(long n)
{
    long word = 0;

    for ( long i = 0; i < n; i++ )
    {
        if ( write(pipe_to_child[1], &word, sizeof(word)) != sizeof(word) ||
             read(pipe_to_parent[0], &word, sizeof(word)) != sizeof(word) )
            die("pipe round trip");
        word++;
    }
}

static double time_batch(void (*op)(long), long n)
{
    double start = now();

    op(n);
    return now() - start;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static void measure(const char *name, void (*op)(long))
{
    double per_op[RUNS];
    long n = 1;

    op(1); /* warm caches and page tables */
    while ( n < MAX_BATCH && time_batch(op, n) < BATCH_SECONDS )
        n *= 2;
    for ( int r = 0; r < RUNS; r++ )
        per_op[r] = time_batch(op, n) * 1e6 / n;
    qsort(per_op, RUNS, sizeof(per_op[0]), compare_doubles);
    printf("mica-bench: result %s %.3f %.3f %ld\n", name, per_op[RUNS / 2],
           per_op[0], n);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double start = now();

    if ( argc > 1 && strcmp(argv[1], "exit") == 0 )
        _exit(0);
    self_path = argv[0];
    if ( argv[0][0] != '/' )
    {
        fprintf(stderr, "lmbench: run me by absolute path (exec needs it)\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("mica-bench: lmbench start\n");
    measure("null_syscall", op_null_syscall);
    measure("fork_exit", op_fork_exit);
    measure("fork_exec_exit", op_fork_exec_exit);
    pipe_setup();
    measure("pipe_round_trip", op_pipe_round_trip);
    pipe_teardown();
    printf("mica-bench: clock %.3f\n", now() - start);
    return 0;
}
