/* host.h — host-side probes for the reliability tests' PDs (not portable to seL4: these PDs use
 * Linux calls on purpose, to look at the processes and memory that hostkit manages). */
#ifndef TEST_HOST_H
#define TEST_HOST_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A field ("PPid:", "VmRSS:", "State:") of /proc/PID/status as a number; State gives its letter. */
static inline long host_status_field(long pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n)) {
            const char *p = line + n;
            while (*p == ' ' || *p == '\t')
                p++;
            v = (*p >= '0' && *p <= '9') ? strtol(p, NULL, 10) : (long)*p;
            break;
        }
    fclose(f);
    return v;
}

/* Processes whose parent is PPID, and how many of them are zombies. */
static inline void host_children(long ppid, int *all, int *zombies)
{
    *all = *zombies = 0;
    DIR *d = opendir("/proc");
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        long pid = strtol(e->d_name, NULL, 10);
        if (host_status_field(pid, "PPid:") == ppid) {
            (*all)++;
            if (host_status_field(pid, "State:") == 'Z')
                (*zombies)++;
        }
    }
    closedir(d);
}

/* Resident memory (KiB) of process PPID and of its children. */
static inline long host_rss_with_children(long ppid)
{
    long kb = host_status_field(ppid, "VmRSS:");
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        long pid = strtol(e->d_name, NULL, 10);
        if (pid > 0 && host_status_field(pid, "PPid:") == ppid)
            kb += host_status_field(pid, "VmRSS:");
    }
    if (d)
        closedir(d);
    return kb;
}

/* Open file descriptors of process PID. */
static inline int host_fd_count(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

#endif
