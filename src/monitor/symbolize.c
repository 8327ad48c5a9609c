/* symbolize.c — names the code addresses of a fault's backtrace: "function+0xOFFSET at
 * FILE:LINE", from the PD image's symbol table and its DWARF line table (PDs are built with -g),
 * read with elfutils' libdwfl (Debian's libdw-dev) as addr2line does; where the address is in
 * code inlined into the function, the line is the call's in the function, followed by the inlined
 * calls down to the address's own line, as "(inlined: callee at FILE:LINE, ...)" (addr2line -i). The image is reported to
 * libdwfl "offline", at its link-time addresses: the backtrace's addresses are link-time ones
 * (monitor_faults.c takes the load address off). One image stays open between calls (a report
 * names a few frames of one PD). */
#include <dwarf.h>
#include <elfutils/libdw.h>
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
    if (!file || n < 0 || (size_t)n >= len)
        return 0;
    /* the inlined calls around the address, innermost first, each with where it was called */
    struct { const char *name, *file; Dwarf_Word line; } inl[8];
    int ninl = 0;
    Dwarf_Addr cu_bias = 0;
    Dwarf_Die *cu = dwfl_module_addrdie(mod, at, &cu_bias), *scopes = NULL;
    Dwarf_Files *files = NULL;
    int nscopes = cu ? dwarf_getscopes(cu, at - cu_bias, &scopes) : 0;
    if (nscopes > 0 && dwarf_getsrcfiles(cu, &files, NULL) == 0)
        for (int k = 0; k < nscopes && ninl < 8; k++) {
            Dwarf_Attribute a;
            Dwarf_Word fileno = 0;
            if (dwarf_tag(&scopes[k]) != DW_TAG_inlined_subroutine)
                continue;
            inl[ninl].name = dwarf_formstring(dwarf_attr_integrate(&scopes[k], DW_AT_name, &a));
            inl[ninl].line = 0;
            dwarf_formudata(dwarf_attr(&scopes[k], DW_AT_call_line, &a), &inl[ninl].line);
            dwarf_formudata(dwarf_attr(&scopes[k], DW_AT_call_file, &a), &fileno);
            inl[ninl].file = dwarf_filesrc(files, fileno, NULL, NULL);
            ninl++;
        }
    free(scopes);
    size_t used = (size_t)n;
    if (ninl == 0 || !inl[ninl - 1].file) {
        snprintf(out + used, len - used, " at %s:%d", file, lineno);
        return 0;
    }
    /* the outermost call's site is the function's own line; then each inlined callee, outer to
     * inner, at the site of the next call in, the innermost at the address's line */
    int w = snprintf(out + used, len - used, " at %s:%llu (inlined:", inl[ninl - 1].file,
                     (unsigned long long)inl[ninl - 1].line);
    for (int k = ninl - 1; k >= 0 && w > 0 && (used += (size_t)w) < len; k--) {
        if (k > 0)
            w = snprintf(out + used, len - used, " %s at %s:%llu,", inl[k].name ? inl[k].name : "?",
                         inl[k - 1].file ? inl[k - 1].file : "?", (unsigned long long)inl[k - 1].line);
        else
            w = snprintf(out + used, len - used, " %s at %s:%d)", inl[k].name ? inl[k].name : "?", file, lineno);
    }
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
