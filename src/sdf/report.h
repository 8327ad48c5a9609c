/* report.h — the text report of a checked system (`hostkit check SYSTEM --report FILE`). */
#ifndef HOSTKIT_REPORT_H
#define HOSTKIT_REPORT_H

#include <stdio.h>

#include "sdf/sdf.h"

/* Writes the report of SYS to OUT: every protection domain (scheduling parameters, channels with
 * both ids, maps, IRQs), then every memory region with the PDs that map it. The ordering is stable
 * (PDs and regions in the order of the file, channels and IRQs by id, maps by address) so two
 * reports can be diffed. Returns 0, or -1 when writing failed. */
int sdf_write_report(const struct sdf_system *sys, FILE *out);

#endif
