/* sdf_priv.h — internals shared by the system-description parser (sdf.c), its XML reader
 * (sdf_xml.c), its whole-system checks (sdf_check.c) and helpers (sdf_util.c). Not for other users. */
#ifndef HOSTKIT_SDF_PRIV_H
#define HOSTKIT_SDF_PRIV_H

#include <stdarg.h>
#include "sdf/sdf.h"

#define SDF_MAX_DEPTH 64              /* deepest element nesting accepted */
#define SDF_CAP_MAX_SLOT 128          /* cspace slots 1..127 */
#define SDF_X86_VECTOR_MAX 107
#define SDF_MAX_IOVA 0x7fffffffffULL  /* last valid x86 IOMMU address */
#define SDF_STACK_MIN 0x1000ULL
#define SDF_STACK_MAX (16ULL * 1024 * 1024)
#define SDF_STACK_DEFAULT 0x2000ULL
#define SDF_BUDGET_DEFAULT 1000ULL
#define SDF_MAX_SCHED_ENTRIES 100     /* KernelNumDomainSchedules */

/* One XML element as the handlers see it: its name, where it starts, its attributes. */
struct sdf_attr { const char *name, *value; };
struct sdf_el {
    const char *name;
    struct sdf_loc loc;
    const struct sdf_attr *attrs;
    size_t nattrs;
};

/* ---- error reporting (sdf_util.c) ---- */
struct sdf_err {
    char *buf; size_t len;
    const char *file;
    bool set;
};
/* Formats the message into err->buf unless an error is already recorded; returns -1. */
int sdf_fail(struct sdf_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "MSG on element 'NAME': FILE:LINE:COL" */
int sdf_value_error(struct sdf_err *e, const struct sdf_el *el, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "invalid attribute 'X' on element ..." for the first attribute not in the NULL-terminated list. */
int sdf_check_attrs(struct sdf_err *e, const struct sdf_el *el, const char *const *allowed);
const char *sdf_attr(const struct sdf_el *el, const char *name);
/* The attribute's value, or "Missing required attribute 'X' on element 'E': FILE:L:C". */
int sdf_required(struct sdf_err *e, const struct sdf_el *el, const char *name, const char **out);

/* ---- numbers, as the Microkit tool reads them ---- */
/* Decimal or 0x hex, underscores ignored (sdf_parse_number in the tool). */
int sdf_number(struct sdf_err *e, const struct sdf_el *el, const char *s, uint64_t *out);
/* Plain signed decimal (the attributes the tool reads with str::parse::<i64>). */
int sdf_int(struct sdf_err *e, const struct sdf_el *el, const char *s, int64_t *out);
int sdf_uint(struct sdf_err *e, const struct sdf_el *el, const char *s, uint64_t *out);
/* Rust's u64/i64::from_str_radix; returns NULL or the Rust error text. */
const char *sdf_parse_u64(const char *s, unsigned base, uint64_t *out);
const char *sdf_parse_i64(const char *s, unsigned base, int64_t *out);
/* "true"/"false" -> 1/0, else -1 */
int sdf_bool(const char *s);

/* ---- growable arrays ---- */
/* Appends a zeroed element to ARR (N elements, capacity implied by N) and returns it. */
void *sdf_grow(void *arr, size_t n, size_t elem);
#define SDF_PUSH(arr, n) ((arr) = sdf_grow((arr), (n), sizeof *(arr)), &(arr)[(n)++])
char *sdf_strdup(const char *s);

/* ---- string and number sets/maps (open addressing, for linear-time checks) ---- */
struct sdf_strmap { char **keys; long *vals; size_t cap, n; };
/* Returns the value stored for KEY or -1. */
long sdf_strmap_get(const struct sdf_strmap *m, const char *key);
/* Inserts KEY->VAL unless present; returns the old value, or -1 when inserted. */
long sdf_strmap_put(struct sdf_strmap *m, const char *key, long val);
void sdf_strmap_free(struct sdf_strmap *m);

struct sdf_u64set { uint64_t *keys; unsigned char *used; size_t cap, n; };
/* Returns true when KEY was already present. */
bool sdf_u64set_add(struct sdf_u64set *s, uint64_t key);
void sdf_u64set_free(struct sdf_u64set *s);

/* ---- the XML reader (sdf_xml.c) ---- */
struct sdf_xml_handler {
    void *ctx;
    void (*start)(void *ctx, const struct sdf_el *el, int depth);
    void (*end)(void *ctx, const char *name, int depth);
    /* non-whitespace text directly inside the element at DEPTH, starting AT (called once per
     * element) */
    void (*text)(void *ctx, int depth, struct sdf_loc at);
};
/* Streams FILE through the handlers. Returns 0, or -1 with a "Could not parse" message in e
 * (XML errors take precedence over everything the handlers found). */
int sdf_xml_parse(const char *file, const struct sdf_xml_handler *h, struct sdf_err *e);

/* ---- whole-system checks (sdf_check.c) ---- */
struct sdf_parse_state;
int sdf_check_system(struct sdf_system *sys, const struct sdf_options *opt, struct sdf_err *e);

/* Architecture facts */
uint64_t sdf_user_top(const struct sdf_options *opt);
uint64_t sdf_pd_map_max_vaddr(const struct sdf_options *opt, uint64_t stack_size);
const char *sdf_loc_str(const struct sdf_err *e, struct sdf_loc l, char *buf, size_t n);

#endif
