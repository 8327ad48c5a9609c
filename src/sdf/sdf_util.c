/* sdf_util.c — small helpers for the system-description parser: error messages worded as the
 * Microkit tool words them, number parsing with the tool's (Rust's) rules, growable arrays and
 * hash sets that keep the whole-system checks linear. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdf/sdf_priv.h"

static void vfail(struct sdf_err *e, const char *fmt, va_list ap)
{
    if (e->set)
        return;
    vsnprintf(e->buf, e->len, fmt, ap);
    e->set = true;
}

int sdf_fail(struct sdf_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(e, fmt, ap);
    va_end(ap);
    return -1;
}

const char *sdf_loc_str(const struct sdf_err *e, struct sdf_loc l, char *buf, size_t n)
{
    snprintf(buf, n, "%s:%d:%d", e->file, l.line, l.col);
    return buf;
}

int sdf_value_error(struct sdf_err *e, const struct sdf_el *el, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sdf_fail(e, "%s on element '%s': %s:%d:%d", msg, el->name, e->file, el->loc.line,
                    el->loc.col);
}

const char *sdf_attr(const struct sdf_el *el, const char *name)
{
    for (size_t i = 0; i < el->nattrs; i++)
        if (!strcmp(el->attrs[i].name, name))
            return el->attrs[i].value;
    return NULL;
}

int sdf_check_attrs(struct sdf_err *e, const struct sdf_el *el, const char *const *allowed)
{
    for (size_t i = 0; i < el->nattrs; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(*a, el->attrs[i].name)) {
                ok = true;
                break;
            }
        if (!ok)
            return sdf_value_error(e, el, "invalid attribute '%s'", el->attrs[i].name);
    }
    return 0;
}

int sdf_required(struct sdf_err *e, const struct sdf_el *el, const char *name, const char **out)
{
    *out = sdf_attr(el, name);
    if (*out)
        return 0;
    return sdf_fail(e, "Missing required attribute '%s' on element '%s': %s:%d:%d", name, el->name,
                    e->file, el->loc.line, el->loc.col);
}

static int digit_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* Rust's from_str_radix: optional sign, then at least one digit of BASE, nothing else. */
static const char *parse_mag(const char *s, unsigned base, bool *neg, uint64_t *mag)
{
    *neg = false;
    *mag = 0;
    if (!*s)
        return "cannot parse integer from empty string";
    if ((s[0] == '+' || s[0] == '-') && !s[1])
        return "invalid digit found in string";
    if (*s == '+')
        s++;
    else if (*s == '-') {
        *neg = true;
        s++;
    }
    bool overflow = false;
    for (; *s; s++) {
        int d = digit_val(*s);
        if (d >= (int)base)
            return "invalid digit found in string";
        if (*mag > (UINT64_MAX - (uint64_t)d) / base)
            overflow = true;
        else
            *mag = *mag * base + (uint64_t)d;
    }
    return overflow ? "" : NULL; /* "" marks overflow, worded by the caller */
}

const char *sdf_parse_u64(const char *s, unsigned base, uint64_t *out)
{
    bool neg;
    const char *err = parse_mag(s, base, &neg, out);
    if (err && *err)
        return err;
    if (neg)
        return "invalid digit found in string";
    if (err)
        return "number too large to fit in target type";
    return NULL;
}

const char *sdf_parse_i64(const char *s, unsigned base, int64_t *out)
{
    bool neg;
    uint64_t mag;
    const char *err = parse_mag(s, base, &neg, &mag);
    if (err && *err)
        return err;
    if (err || (!neg && mag > (uint64_t)INT64_MAX) || (neg && mag > (uint64_t)INT64_MAX + 1))
        return neg ? "number too small to fit in target type" : "number too large to fit in target type";
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return NULL;
}

int sdf_number(struct sdf_err *e, const struct sdf_el *el, const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    char *t = malloc(n + 1), *p = t;
    if (!t)
        return sdf_fail(e, "out of memory");
    for (const char *q = s; *q; q++)
        if (*q != '_')
            *p++ = *q;
    *p = 0;
    const char *body = t;
    unsigned base = 10;
    if (t[0] == '0' && t[1] == 'x') {
        body = t + 2;
        base = 16;
    }
    const char *err = sdf_parse_u64(body, base, out);
    free(t);
    if (err)
        return sdf_fail(e, "failed to parse integer '%s' on element '%s': %s: %s:%d:%d", s, el->name,
                        err, e->file, el->loc.line, el->loc.col);
    return 0;
}

int sdf_int(struct sdf_err *e, const struct sdf_el *el, const char *s, int64_t *out)
{
    const char *err = sdf_parse_i64(s, 10, out);
    if (err)
        return sdf_fail(e, "failed to parse integer '%s' on element '%s': %s: %s:%d:%d", s, el->name,
                        err, e->file, el->loc.line, el->loc.col);
    return 0;
}

int sdf_uint(struct sdf_err *e, const struct sdf_el *el, const char *s, uint64_t *out)
{
    const char *err = sdf_parse_u64(s, 10, out);
    if (err)
        return sdf_fail(e, "failed to parse integer '%s' on element '%s': %s: %s:%d:%d", s, el->name,
                        err, e->file, el->loc.line, el->loc.col);
    return 0;
}

int sdf_bool(const char *s)
{
    if (!strcmp(s, "true")) return 1;
    if (!strcmp(s, "false")) return 0;
    return -1;
}

void *sdf_grow(void *arr, size_t n, size_t elem)
{
    /* capacity is 4 up to 4 elements, then the next power of two */
    if (n == 0 || (n >= 4 && !(n & (n - 1)))) {
        size_t nc = n ? n * 2 : 4;
        arr = realloc(arr, nc * elem);
        if (!arr) {
            fputs("hostkit: out of memory\n", stderr);
            abort();
        }
    }
    memset((char *)arr + n * elem, 0, elem);
    return arr;
}

char *sdf_strdup(const char *s)
{
    if (!s)
        return NULL;
    char *p = strdup(s);
    if (!p) {
        fputs("hostkit: out of memory\n", stderr);
        abort();
    }
    return p;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static uint64_t hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

long sdf_strmap_get(const struct sdf_strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return -1;
        if (!strcmp(m->keys[i], key))
            return m->vals[i];
    }
}

long sdf_strmap_put(struct sdf_strmap *m, const char *key, long val)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct sdf_strmap nm = { 0 };
        nm.cap = m->cap ? m->cap * 2 : 16;
        nm.keys = calloc(nm.cap, sizeof *nm.keys);
        nm.vals = calloc(nm.cap, sizeof *nm.vals);
        if (!nm.keys || !nm.vals) {
            fputs("hostkit: out of memory\n", stderr);
            abort();
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = hash_str(m->keys[i]) & (nm.cap - 1);
                while (nm.keys[j])
                    j = (j + 1) & (nm.cap - 1);
                nm.keys[j] = m->keys[i];
                nm.vals[j] = m->vals[i];
            }
        nm.n = m->n;
        free(m->keys);
        free(m->vals);
        *m = nm;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (!strcmp(m->keys[i], key))
            return m->vals[i];
    m->keys[i] = sdf_strdup(key);
    m->vals[i] = val;
    m->n++;
    return -1;
}

void sdf_strmap_free(struct sdf_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

bool sdf_u64set_add(struct sdf_u64set *s, uint64_t key)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct sdf_u64set ns = { 0 };
        ns.cap = s->cap ? s->cap * 2 : 16;
        ns.keys = calloc(ns.cap, sizeof *ns.keys);
        ns.used = calloc(ns.cap, 1);
        if (!ns.keys || !ns.used) {
            fputs("hostkit: out of memory\n", stderr);
            abort();
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->used[i]) {
                size_t j = hash_u64(s->keys[i]) & (ns.cap - 1);
                while (ns.used[j])
                    j = (j + 1) & (ns.cap - 1);
                ns.used[j] = 1;
                ns.keys[j] = s->keys[i];
            }
        ns.n = s->n;
        free(s->keys);
        free(s->used);
        *s = ns;
    }
    size_t i = hash_u64(key) & (s->cap - 1);
    for (; s->used[i]; i = (i + 1) & (s->cap - 1))
        if (s->keys[i] == key)
            return true;
    s->used[i] = 1;
    s->keys[i] = key;
    s->n++;
    return false;
}

void sdf_u64set_free(struct sdf_u64set *s)
{
    free(s->keys);
    free(s->used);
    memset(s, 0, sizeof *s);
}

uint64_t sdf_user_top(const struct sdf_options *opt)
{
    switch (opt->arch) {
    case SDF_AARCH64:
        if (!opt->hypervisor)
            return 0x800000000000ULL;
        return opt->arm_pa_bits == 44 ? 0x100000000000ULL : 0x10000000000ULL;
    case SDF_RISCV64:
        return 0x3ffffff000ULL;
    case SDF_X86_64:
        return 0x7ffffffff000ULL;
    }
    return 0;
}

/* The PD's stack sits at the top of its address space, below a guard; maps must stay under it.
 * (The tool reports 0xffffffc000 for an 8 KiB stack on a 40-bit AArch64 hypervisor build.) */
uint64_t sdf_pd_map_max_vaddr(const struct sdf_options *opt, uint64_t stack_size)
{
    return sdf_user_top(opt) - stack_size - 0x2000;
}
