/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-heap-scan.so: a test allocator, loaded with LD_PRELOAD, that
 * looks at every block a program gives back to the allocator (free(), and
 * the old block of every realloc()) for test patterns.  It shows whether a
 * secret stays behind in freed memory, from where it reaches a core dump
 * or the next user of the block.
 *
 *   NM_L2TP_HEAP_SCAN_PATTERNS  what to look for, one pattern per line
 *                               (test fixtures, not real secrets)
 *   NM_L2TP_HEAP_SCAN_REPORT    a file the result is appended to at exit:
 *                               "heap-scan pid P frees F hits H", then
 *                               "pattern N: H hits" for each pattern, then
 *                               the first hits of each pattern (block
 *                               size, backtrace of the free)
 *
 * Both variables and LD_PRELOAD are removed from the environment when the
 * library loads, so that the programs this one starts (charon, say) run
 * without it.
 *
 * realloc() always moves the block here (new block, copy, the old one
 * scanned and freed): glibc may move a block whenever it grows, and a test
 * must not pass because this time it grew in place.  GLib allocates with
 * the system allocator, so g_free() is seen too; set G_SLICE=always-malloc
 * so that GSlice's chunks are as well.
 *
 * For tests only; nothing that is installed loads it. */

#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's own entry points, so that no dlsym() (which allocates) is needed
 * to reach the real allocator. */
extern void *__libc_malloc(size_t size);
extern void  __libc_free(void *ptr);

#define MAX_PATTERNS 8
#define MAX_PATTERN  256
#define MAX_HITS     8 /* logged per pattern; all are counted */
#define MAX_FRAMES   24

static char   report_path[4096];
static char   patterns[MAX_PATTERNS][MAX_PATTERN];
static size_t pattern_len[MAX_PATTERNS];
static int    n_patterns;

static unsigned long frees;
static unsigned long hits;
static unsigned long pattern_hits[MAX_PATTERNS];

typedef struct {
    int    pattern;
    size_t size;
    int    n_frames;
    void  *frames[MAX_FRAMES];
} Hit;

static Hit hit_log[MAX_PATTERNS][MAX_HITS];

/* Set while a hook runs: backtrace() may allocate and free. */
static __thread int in_hook;

unsigned long nm_l2tp_heap_scan_hits(void);
unsigned long nm_l2tp_heap_scan_frees(void);

unsigned long
nm_l2tp_heap_scan_hits(void)
{
    return __atomic_load_n(&hits, __ATOMIC_SEQ_CST);
}

unsigned long
nm_l2tp_heap_scan_frees(void)
{
    return __atomic_load_n(&frees, __ATOMIC_SEQ_CST);
}

/* A block with a hit is cleared afterwards: otherwise the next block
 * carved from the same memory would report the same leak again. */
static void
scan(void *ptr)
{
    size_t size  = malloc_usable_size(ptr);
    int    found = 0;

    __atomic_fetch_add(&frees, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < n_patterns; i++) {
        unsigned long n;

        if (!memmem(ptr, size, patterns[i], pattern_len[i]))
            continue;
        found = 1;
        __atomic_fetch_add(&hits, 1, __ATOMIC_SEQ_CST);
        n = __atomic_fetch_add(&pattern_hits[i], 1, __ATOMIC_SEQ_CST);
        if (n < MAX_HITS) {
            Hit *h = &hit_log[i][n];

            h->pattern  = i + 1;
            h->size     = size;
            h->n_frames = backtrace(h->frames, MAX_FRAMES);
        }
    }
    if (found)
        memset(ptr, 0, size);
}

void
free(void *ptr)
{
    if (ptr && n_patterns > 0 && !in_hook) {
        in_hook = 1;
        scan(ptr);
        in_hook = 0;
    }
    __libc_free(ptr);
}

void *
realloc(void *ptr, size_t size)
{
    void  *moved;
    size_t old;

    if (!ptr)
        return __libc_malloc(size);
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    moved = __libc_malloc(size);
    if (!moved)
        return NULL;
    old = malloc_usable_size(ptr);
    memcpy(moved, ptr, old < size ? old : size);
    free(ptr);
    return moved;
}

__attribute__((constructor)) static void
heap_scan_init(void)
{
    const char *list   = getenv("NM_L2TP_HEAP_SCAN_PATTERNS");
    const char *report = getenv("NM_L2TP_HEAP_SCAN_REPORT");
    void       *frame;

    /* backtrace() loads libgcc on its first call; not from inside free(). */
    in_hook = 1;
    backtrace(&frame, 1);
    in_hook = 0;
    while (list && *list && n_patterns < MAX_PATTERNS) {
        const char *end = strchr(list, '\n');
        size_t      len = end ? (size_t)(end - list) : strlen(list);

        if (len > 0 && len < MAX_PATTERN) {
            memcpy(patterns[n_patterns], list, len);
            pattern_len[n_patterns++] = len;
        }
        list += len + (end ? 1 : 0);
    }
    if (report && strlen(report) < sizeof report_path)
        strcpy(report_path, report);
    unsetenv("NM_L2TP_HEAP_SCAN_PATTERNS");
    unsetenv("NM_L2TP_HEAP_SCAN_REPORT");
    unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void
heap_scan_report(void)
{
    unsigned long n = nm_l2tp_heap_scan_hits();
    int           fd;

    if (!report_path[0] || n_patterns == 0)
        return;
    in_hook = 1;
    fd      = open(report_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    dprintf(
        fd, "heap-scan pid %d frees %lu hits %lu\n", (int)getpid(), nm_l2tp_heap_scan_frees(), n);
    for (int i = 0; i < n_patterns; i++)
        dprintf(fd, "pattern %d: %lu hits\n", i + 1, pattern_hits[i]);
    for (int i = 0; i < n_patterns; i++) {
        for (unsigned long j = 0; j < pattern_hits[i] && j < MAX_HITS; j++) {
            dprintf(fd,
                    "hit %lu of pattern %d, in a freed block of %zu bytes, freed at:\n",
                    j + 1,
                    i + 1,
                    hit_log[i][j].size);
            backtrace_symbols_fd(hit_log[i][j].frames, hit_log[i][j].n_frames, fd);
        }
    }
    close(fd);
}
