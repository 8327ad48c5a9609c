/* symbolize.c — names the code addresses of a fault's backtrace: "function+0xOFFSET at
 * FILE:LINE", from the PD image's symbol table and its DWARF line table (PDs are built with -g),
 * read with elfutils' libdwfl (Debian's libdw-dev) as addr2line does. The image is reported to
 * libdwfl "offline", at its link-time addresses: the backtrace's addresses are link-time ones
 * (monitor_faults.c takes the load address off). One image stays open between calls (a report
 * names a few frames of one PD). */
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor.h"

static const Dwfl_Callbacks offline_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
};

static Dwfl *dwfl;
static Dwfl_Module *module;
static char *open_image;

static Dwfl_Module *module_of(const char *image)
{
    if (open_image && strcmp(open_image, image) == 0)
        return module;
    symbolize_done();
    dwfl = dwfl_begin(&offline_callbacks);
    if (!dwfl)
        return NULL;
    module = dwfl_report_offline(dwfl, "pd", image, -1);
    dwfl_report_end(dwfl, NULL, NULL);
    open_image = strdup(image);
    return module;
}

int symbolize(const char *image, uint64_t addr, bool return_address, char *out, size_t len)
{
    Dwfl_Module *mod = module_of(image);
    out[0] = 0;
    if (!mod)
        return -1;
    /* a return address points after the call: the call's line is the byte before it */
    GElf_Addr at = return_address ? addr - 1 : addr, off = 0, bias = 0;
    dwfl_module_getelf(mod, &bias);
    at += bias;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(mod, at, &off, &sym, NULL, NULL, NULL);
    if (!name)
        return -1;
    int n = snprintf(out, len, "%s+0x%" PRIx64, name, (uint64_t)(off + (return_address ? 1 : 0)));
    Dwfl_Line *line = dwfl_module_getsrc(mod, at);
    int lineno = 0;
    const char *file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
    if (file && n > 0 && (size_t)n < len)
        snprintf(out + n, len - (size_t)n, " at %s:%d", file, lineno);
    return 0;
}

void symbolize_done(void)
{
    if (dwfl)
        dwfl_end(dwfl);
    dwfl = NULL;
    module = NULL;
    free(open_image);
    open_image = NULL;
}
