/* microkit_msgbytes.h — a bounds-checked byte view over a PD's message registers.
 *
 * The message registers (seL4_GetIPCBuffer()->msg[0..seL4_MsgMaxLength-1]) are words; a PD that
 * sends a structured message (a fixed-layout struct, a serialized protobuf, ...) wants them as
 * bytes. This is the C counterpart of the Rust Microkit crate's with_msg_bytes / with_msg_bytes_mut:
 *
 *     microkit_msg_bytes v = microkit_msg_bytes_mut(1, n);   // n bytes starting at MR 1
 *     if (!microkit_msg_bytes_valid(v)) ...                   // MR 1 + n bytes ran past the end
 *     microkit_msg_bytes_write(v, 0, &s, sizeof s);           // false (nothing written) if out of range
 *     microkit_ppcall(ch, microkit_msginfo_new(label, 1 + microkit_msg_words(n)));
 *
 * A view never reaches past the last message register: making one that would yields an empty,
 * invalid view, and every read/write is checked against the view's length. Byte order inside a
 * word is the machine's, as it is for a struct copied into the IPC buffer on seL4.
 *
 * Header-only and freestanding: it uses only seL4_GetIPCBuffer()->msg, seL4_MsgMaxLength and
 * seL4_Word from microkit.h, so it builds for seL4 as well as for hostkit. */
#ifndef MICROKIT_MSGBYTES_H
#define MICROKIT_MSGBYTES_H

#include <stdbool.h>
#include <stddef.h>

#include <microkit.h>

/* Bytes in all message registers together. */
#define MICROKIT_MSG_BYTES_MAX ((size_t)seL4_MsgMaxLength * sizeof(seL4_Word))

/* A window of `len` bytes over the message registers; `data` is NULL for an invalid view. */
typedef struct {
    unsigned char *data;
    size_t len;
} microkit_msg_bytes;

/* Read-only flavour, for the receiving side. */
typedef struct {
    const unsigned char *data;
    size_t len;
} microkit_msg_bytes_const;

/* Message registers needed to carry `nbytes` bytes (rounded up to whole words). */
static inline size_t microkit_msg_words(size_t nbytes)
{
    return (nbytes + sizeof(seL4_Word) - 1) / sizeof(seL4_Word);
}

/* A writable view of `len` bytes starting at message register `first_mr`.
 * Invalid (data NULL, len 0) if the bytes would not all lie inside the message registers. */
static inline microkit_msg_bytes microkit_msg_bytes_mut(size_t first_mr, size_t len)
{
    microkit_msg_bytes v = { NULL, 0 };
    if (first_mr > (size_t)seL4_MsgMaxLength)
        return v;
    size_t room = ((size_t)seL4_MsgMaxLength - first_mr) * sizeof(seL4_Word);
    if (len > room)
        return v;
    v.data = (unsigned char *)&seL4_GetIPCBuffer()->msg[first_mr];
    v.len = len;
    return v;
}

/* A read-only view of `len` bytes starting at message register `first_mr`; invalid as above. */
static inline microkit_msg_bytes_const microkit_msg_bytes_get(size_t first_mr, size_t len)
{
    microkit_msg_bytes m = microkit_msg_bytes_mut(first_mr, len);
    microkit_msg_bytes_const v = { m.data, m.len };
    return v;
}

static inline bool microkit_msg_bytes_valid(microkit_msg_bytes v)
{
    return v.data != NULL;
}

static inline bool microkit_msg_bytes_const_valid(microkit_msg_bytes_const v)
{
    return v.data != NULL;
}

/* Copies n bytes from src into the view at offset off. Returns false, writing nothing, if
 * [off, off+n) is not inside the view. */
static inline bool microkit_msg_bytes_write(microkit_msg_bytes v, size_t off, const void *src, size_t n)
{
    if (v.data == NULL || off > v.len || n > v.len - off)
        return false;
    const unsigned char *s = (const unsigned char *)src;
    for (size_t i = 0; i < n; i++)
        v.data[off + i] = s[i];
    return true;
}

/* Copies n bytes at offset off of the view into dst. Returns false, reading nothing, if
 * [off, off+n) is not inside the view. */
static inline bool microkit_msg_bytes_read(microkit_msg_bytes_const v, size_t off, void *dst, size_t n)
{
    if (v.data == NULL || off > v.len || n > v.len - off)
        return false;
    unsigned char *d = (unsigned char *)dst;
    for (size_t i = 0; i < n; i++)
        d[i] = v.data[off + i];
    return true;
}

/* with_msg_bytes / with_msg_bytes_mut: call f on the view of `len` bytes from MR `first_mr`.
 * Returns f's result, or -1 without calling f if the view would be out of range. */
typedef int (*microkit_msg_bytes_fn)(microkit_msg_bytes_const bytes, void *ctx);
typedef int (*microkit_msg_bytes_mut_fn)(microkit_msg_bytes bytes, void *ctx);

static inline int microkit_with_msg_bytes(size_t first_mr, size_t len, microkit_msg_bytes_fn f, void *ctx)
{
    microkit_msg_bytes_const v = microkit_msg_bytes_get(first_mr, len);
    return v.data ? f(v, ctx) : -1;
}

static inline int microkit_with_msg_bytes_mut(size_t first_mr, size_t len, microkit_msg_bytes_mut_fn f,
                                              void *ctx)
{
    microkit_msg_bytes v = microkit_msg_bytes_mut(first_mr, len);
    return v.data ? f(v, ctx) : -1;
}

#endif
