/* report.c — writes the cases verdict.c made of a run (one per expectation) as a report a CI
 * reads: TAP (--tap, on standard output after the run's output, which is then TAP comments) or
 * JUnit XML (--junit FILE), in the layout Ant's JUnit task writes and Jenkins, GitLab and GitHub
 * read: <testsuites> holding one <testsuite> per run (the system), a <testcase> per case with a
 * <failure> when it failed, the run's output in <system-out>. tests/junit.xsd is that layout as
 * an XML schema; tests/test_reports.py validates the report against it. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "monitor/report.h"

/* TAP: a case name must not hold '#' (a directive) and stays on one line. */
static void tap_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '#' ? '_' : *s == '\n' ? ' ' : *s, f);
}

void report_tap(FILE *f, const struct report_case *cases, size_t n)
{
    fprintf(f, "TAP version 13\n1..%zu\n", n);
    for (size_t k = 0; k < n; k++) {
        fprintf(f, "%sok %zu - ", cases[k].passed ? "" : "not ", k + 1);
        tap_text(f, cases[k].name);
        fputc('\n', f);
        if (!cases[k].passed && cases[k].message) {
            fputs("  ---\n  message: \"", f);
            for (const char *s = cases[k].message; *s; s++) {
                if (*s == '"' || *s == '\\')
                    fputc('\\', f);
                fputc(*s == '\n' ? ' ' : *s, f);
            }
            fputs("\"\n  ...\n", f);
        }
    }
    fflush(f);
}

/* Text as XML character data (ATTR: an attribute value, whose newlines are escaped). Characters
 * XML 1.0 cannot hold (control characters a PD may print, bytes that are not UTF-8) become U+FFFD. */
static void xml_chars(FILE *f, const char *s, size_t n, bool attr)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        switch (c) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\n': fputs(attr ? "&#10;" : "\n", f); break;
        case '\t': fputs("&#9;", f); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fputs("\xef\xbf\xbd", f);
            } else if (c < 0x80) {
                fputc(c, f);
            } else {
                /* a well-formed UTF-8 sequence goes as it is; any other byte becomes U+FFFD */
                size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
                bool ok = len && k + len <= n;
                for (size_t j = 1; ok && j < len; j++)
                    ok = ((unsigned char)s[k + j] & 0xc0) == 0x80;
                if (ok) {
                    fwrite(s + k, 1, len, f);
                    k += len - 1;
                } else {
                    fputs("\xef\xbf\xbd", f);
                }
            }
        }
    }
}

static void xml_str(FILE *f, const char *s) { xml_chars(f, s, strlen(s), true); }

int report_junit(const char *path, const struct report_suite *suite, const struct report_case *cases, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    size_t failures = 0;
    for (size_t k = 0; k < n; k++)
        failures += !cases[k].passed;
    char stamp[32], host[256] = "localhost";
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", gmtime_r(&now, &tm));
    if (gethostname(host, sizeof host - 1) < 0)
        strcpy(host, "localhost");
    host[sizeof host - 1] = 0;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hostkit\" tests=\"%zu\" failures=\"%zu\" "
               "errors=\"0\" time=\"%.3f\">\n",
            n, failures, suite->seconds);
    fputs("  <testsuite name=\"", f);
    xml_str(f, suite->name);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"%.3f\" timestamp=\"%s\" hostname=\"",
            n, failures, suite->seconds, stamp);
    xml_str(f, host);
    fputs("\">\n    <properties>\n      <property name=\"system\" value=\"", f);
    xml_str(f, suite->path);
    fprintf(f, "\"/>\n      <property name=\"exit_status\" value=\"%d\"/>\n    </properties>\n", suite->exit_status);
    for (size_t k = 0; k < n; k++) {
        fputs("    <testcase name=\"", f);
        xml_str(f, cases[k].name);
        fputs("\" classname=\"hostkit.", f);
        xml_str(f, suite->name);
        fprintf(f, "\" time=\"%.3f\"", cases[k].seconds);
        if (cases[k].passed) {
            fputs("/>\n", f);
            continue;
        }
        fputs(">\n      <failure type=\"hostkit\" message=\"", f);
        xml_str(f, cases[k].message ? cases[k].message : "failed");
        fputs("\">", f);
        xml_str(f, cases[k].message ? cases[k].message : "failed");
        fputs("</failure>\n    </testcase>\n", f);
    }
    fputs("    <system-out>", f);
    xml_chars(f, suite->output ? suite->output : "", suite->output ? suite->output_len : 0, false);
    fputs("</system-out>\n  </testsuite>\n</testsuites>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}
