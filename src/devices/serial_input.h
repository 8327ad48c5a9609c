/* serial_input.h — what a UART model receives: nothing, the run's standard input, a file, or a
 * script of input that waits for output and for time (serial_input.c; docs/devices.md gives the
 * script's form). The UART takes bytes when it has room for them, so nothing typed is lost. */
#ifndef HOSTKIT_SERIAL_INPUT_H
#define HOSTKIT_SERIAL_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum serial_input_kind { SERIAL_IN_NONE, SERIAL_IN_STDIN, SERIAL_IN_FILE, SERIAL_IN_SCRIPT };

struct serial_step;
struct serial_input {
    enum serial_input_kind kind;
    char *path;                 /* the file or script */
    int fd;                     /* stdin or the file, -1 when closed */
    bool eof, started, raw_tty;
    bool pollable;              /* fd is read only when poll() says so (stdin, a pipe) */
    /* the script: its steps, the one running, when a wait ends */
    struct serial_step *steps;
    size_t nsteps, step;
    uint64_t wait_until;
    /* bytes to type, from the file or the script's send steps */
    char pending[4096];
    size_t pending_len, pending_pos;
    /* the run's output not yet matched by an expect step */
    char *seen;
    size_t seen_len, seen_cap;
};

/* Sets IN up as KIND (PATH for a file or a script; a script is read and checked now). Returns -1
 * with a message in ERR naming the file and line. */
int serial_input_open(struct serial_input *in, enum serial_input_kind kind, const char *path, char *err,
                      size_t errlen);
/* The UART's receiver is in use from NOW on: input starts to flow (a terminal on stdin is put in
 * raw mode: typed characters, Ctrl-\ and Ctrl-Z too, go straight to the UART; Ctrl-C still stops
 * the run). */
void serial_input_start(struct serial_input *in, uint64_t now);
/* Up to MAX bytes that are to be received by NOW. */
size_t serial_input_take(struct serial_input *in, uint64_t now, char *buf, size_t max);
/* The descriptor to poll before taking (stdin, the file), -1 when there is none now. */
int serial_input_fd(const struct serial_input *in);
/* When the script's current wait ends (UINT64_MAX: not waiting for time). */
uint64_t serial_input_next(const struct serial_input *in);
/* Bytes are ready to be taken without polling (typed by a script, read from a file). */
bool serial_input_ready(const struct serial_input *in);
/* More input is to come. */
bool serial_input_more(const struct serial_input *in);
/* Bytes of the run's output at NOW, for the script's expect steps. */
void serial_input_output(struct serial_input *in, uint64_t now, const char *bytes, size_t n);
/* The script step it still waits at, as "LINE: TEXT", or NULL. */
const char *serial_input_waiting(const struct serial_input *in);
void serial_input_close(struct serial_input *in);

#endif
