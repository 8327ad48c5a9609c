/* sdf_xml.c — the XML reader under the system-description parser: streams a file through expat
 * (no DOM, so time is linear and memory does not grow with the file) and refuses what a system
 * description never needs and an attacker would use: DTDs and entity declarations, NUL bytes,
 * invalid UTF-8, and nesting deeper than SDF_MAX_DEPTH. It reports elements, element ends and
 * stray text to the handlers in sdf.c. */
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdf/sdf_priv.h"

#define CHUNK (256 * 1024)
#define MAX_ATTRS 64
/* Longest single piece of markup (a tag with its attributes, a comment, a CDATA section): expat
 * rescans an unfinished one from its start at every chunk, so without a bound a 100 MB attribute
 * or comment costs quadratic time. A system description needs nowhere near this much. */
#define MAX_MARKUP (1024 * 1024)

struct reader {
    XML_Parser p;
    const struct sdf_xml_handler *h;
    struct sdf_err *e;
    int depth;
    bool text_seen[SDF_MAX_DEPTH + 2];  /* non-whitespace text already reported at this depth */
    bool failed;                /* a reader-level error is recorded in e */
};

static struct sdf_loc here(XML_Parser p)
{
    struct sdf_loc l = { (int)XML_GetCurrentLineNumber(p), (int)XML_GetCurrentColumnNumber(p) + 1 };
    return l;
}

static void stop(struct reader *r, const char *what)
{
    if (r->failed)
        return;
    struct sdf_loc l = here(r->p);
    sdf_fail(r->e, "Could not parse '%s': %s: %s:%d:%d", r->e->file, what, r->e->file, l.line, l.col);
    r->failed = true;
    XML_StopParser(r->p, XML_FALSE);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct reader *r = ud;
    if (r->failed)
        return;
    if (r->depth >= SDF_MAX_DEPTH) {
        char msg[96];
        snprintf(msg, sizeof msg, "elements are nested more than %d deep", SDF_MAX_DEPTH);
        stop(r, msg);
        return;
    }
    struct sdf_attr attrs[MAX_ATTRS];
    size_t n = 0;
    for (; atts[2 * n]; n++) {
        if (n == MAX_ATTRS) {
            stop(r, "too many attributes on one element");
            return;
        }
        attrs[n].name = atts[2 * n];
        attrs[n].value = atts[2 * n + 1];
    }
    struct sdf_el el = { name, here(r->p), attrs, n };
    r->depth++;
    r->text_seen[r->depth] = false;
    r->h->start(r->h->ctx, &el, r->depth);
}

static void on_end(void *ud, const XML_Char *name)
{
    struct reader *r = ud;
    if (r->failed)
        return;
    r->h->end(r->h->ctx, name, r->depth);
    r->depth--;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct reader *r = ud;
    if (r->failed || r->depth == 0 || r->text_seen[r->depth])
        return;
    for (int i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
            /* the position of this first non-blank character */
            struct sdf_loc at = here(r->p);
            for (int j = 0; j < i; j++) {
                if (s[j] == '\n')
                    at.line++, at.col = 1;
                else if (((unsigned char)s[j] & 0xc0) != 0x80)
                    at.col++;
            }
            r->text_seen[r->depth] = true;
            r->h->text(r->h->ctx, r->depth, at);
            return;
        }
}



static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    stop(ud, "XML with DTD detected (DTDs and entity declarations are not allowed)");
}

static void on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int vlen,
                      const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
                      const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)vlen, (void)base, (void)sysid, (void)pubid,
        (void)notation;
    stop(ud, "entity declarations are not allowed");
}

/* Validates UTF-8 and refuses NUL across chunk boundaries, tracking line and column. */
struct scan {
    int need;                   /* continuation bytes still expected */
    unsigned char lo, hi;       /* allowed range of the next continuation byte */
    int line, col;
};

/* Returns the offset of the first bad byte in buf[0..n) or n; sets *why. */
static size_t scan_bytes(struct scan *s, const unsigned char *b, size_t n, const char **why)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = b[i];
        if (s->need) {
            if (c < s->lo || c > s->hi) {
                s->col--; /* report the character's first byte */
                *why = "invalid UTF-8";
                return i;
            }
            s->lo = 0x80, s->hi = 0xbf;
            s->need--;
            continue;
        }
        if (c == 0) {
            *why = "NUL byte in the file";
            return i;
        }
        if (c == '\n') {
            s->line++;
            s->col = 1;
            continue;
        }
        s->col++;
        if (c < 0x80)
            continue;
        s->lo = 0x80, s->hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            s->need = 1;
        else if (c >= 0xe0 && c <= 0xef) {
            s->need = 2;
            if (c == 0xe0) s->lo = 0xa0;
            if (c == 0xed) s->hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            s->need = 3;
            if (c == 0xf0) s->lo = 0x90;
            if (c == 0xf4) s->hi = 0x8f;
        } else {
            s->col--;
            *why = "invalid UTF-8";
            return i;
        }
    }
    return n;
}

static int xml_error(struct reader *r)
{
    if (r->failed)
        return -1;
    enum XML_Error code = XML_GetErrorCode(r->p);
    struct sdf_loc l = here(r->p);
    return sdf_fail(r->e, "Could not parse '%s': %s: %s:%d:%d", r->e->file, XML_ErrorString(code),
                    r->e->file, l.line, l.col);
}

int sdf_xml_parse(const char *path, const struct sdf_xml_handler *h, struct sdf_err *e)
{
    const char *file = e->file;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sdf_fail(e, "Could not read '%s': %s", path, strerror(errno));
    struct reader r = { .h = h, .e = e };
    r.p = XML_ParserCreate("UTF-8");
    if (!r.p) {
        fclose(f);
        return sdf_fail(e, "out of memory");
    }
    XML_SetUserData(r.p, &r);
    XML_SetElementHandler(r.p, on_start, on_end);
    XML_SetCharacterDataHandler(r.p, on_text);
    XML_SetStartDoctypeDeclHandler(r.p, on_doctype);
    XML_SetEntityDeclHandler(r.p, on_entity);
    XML_SetParamEntityParsing(r.p, XML_PARAM_ENTITY_PARSING_NEVER);

    unsigned char *buf = malloc(CHUNK);
    struct scan sc = { .line = 1, .col = 1 };
    int rc = 0;
    long long fed = 0;
    for (;;) {
        size_t n = buf ? fread(buf, 1, CHUNK, f) : 0;
        if (!buf) {
            rc = sdf_fail(e, "out of memory");
            break;
        }
        if (ferror(f)) {
            rc = sdf_fail(e, "Could not read '%s': %s", path, strerror(errno));
            break;
        }
        const char *why = NULL;
        size_t good = scan_bytes(&sc, buf, n, &why);
        bool last = n < CHUNK && !why;
        if (XML_Parse(r.p, (const char *)buf, (int)good, last) == XML_STATUS_ERROR) {
            rc = xml_error(&r);
            break;
        }
        fed += (long long)good;
        XML_Index at = XML_GetCurrentByteIndex(r.p); /* where the unfinished markup starts */
        if (at >= 0 && fed - at > MAX_MARKUP) {
            char msg[128];
            snprintf(msg, sizeof msg, "markup (a tag, attribute value or comment) longer than %d bytes",
                     MAX_MARKUP);
            stop(&r, msg);
            rc = -1;
            break;
        }
        if (why) {
            rc = sdf_fail(e, "Could not parse '%s': %s: %s:%d:%d", file, why, file, sc.line, sc.col);
            break;
        }
        if (last) {
            if (sc.need) {
                rc = sdf_fail(e, "Could not parse '%s': invalid UTF-8: %s:%d:%d", file, file, sc.line,
                              sc.col - 1);
            }
            break;
        }
    }
    free(buf);
    XML_ParserFree(r.p);
    fclose(f);
    return rc;
}
