/* mmio.c — trap-and-emulate for the registers of a device the monitor serves access by access
 * (docs/devices.md, "Trapped registers"): the region is mapped without access (vspace.c, the map's
 * `trap`), so the PD's load or store faults; the faulting x86-64 instruction is decoded
 * (mmio_decode.c), the access sent to the monitor as an HK_REQ_MMIO request and served by the
 * device model at once, the result written to the register or the flags the instruction names,
 * and the thread resumed after the instruction — the way a device answers a bus cycle. An
 * instruction hostkit cannot decode, or an access that crosses the map's end, is the VM fault it
 * would be on seL4 with the page unmapped. */
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "kernel/kernel.h"
#include "kernel/mmio_decode.h"


/* The trapped maps, as the monitor gave them (its read-only configuration). */
static struct {
    uint64_t vaddr, size;
} trapped[HK_MAX_MAPS];
static unsigned ntrapped;
static unsigned trapped_map[HK_MAX_MAPS]; /* each one's index among the PD's maps */

void hk_devices_setup(const struct hk_cfg *ctl)
{
    hk_devices_sync = ctl->device_sync != 0;
    for (uint32_t m = 0; m < ctl->nmaps && m < HK_MAX_MAPS; m++)
        if (ctl->maps[m].trap) {
            trapped[ntrapped].vaddr = ctl->maps[m].vaddr;
            trapped[ntrapped].size = ctl->maps[m].size;
            trapped_map[ntrapped++] = m;
        }
}

#if defined(__x86_64__)
static const int gregs_of[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                 REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

static uint64_t size_mask(unsigned bytes) { return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1; }

static uint64_t get_reg(const ucontext_t *uc, const struct hk_mmio_insn *in)
{
    uint64_t v = (uint64_t)uc->uc_mcontext.gregs[gregs_of[in->reg]];
    return in->high8 ? v >> 8 & 0xff : v;
}

/* Writes V (BYTES wide) to the instruction's register as x86-64 does: a 32-bit write clears the
 * upper half, 8- and 16-bit writes keep the rest. */
static void set_reg(ucontext_t *uc, const struct hk_mmio_insn *in, uint64_t v, unsigned bytes)
{
    greg_t *r = &uc->uc_mcontext.gregs[gregs_of[in->reg]];
    uint64_t old = (uint64_t)*r;
    if (in->high8)
        *r = (greg_t)((old & ~0xff00ull) | (v & 0xff) << 8);
    else if (bytes == 8 || bytes == 4)
        *r = (greg_t)(v & size_mask(bytes));
    else
        *r = (greg_t)((old & ~size_mask(bytes)) | (v & size_mask(bytes)));
}

static uint64_t device_access(unsigned map, uint64_t offset, unsigned size, bool write, uint64_t value)
{
    hk_ctl->req_regs[0] = value;
    hk_request(HK_REQ_MMIO, map, offset | (uint64_t)size << 56 | (uint64_t)write << 63);
    return hk_ctl->req_regs[0] & size_mask(size);
}

bool hk_mmio_trap(siginfo_t *si, ucontext_t *uc)
{
    uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
    unsigned k = 0;
    while (k < ntrapped && !(addr >= trapped[k].vaddr && addr - trapped[k].vaddr < trapped[k].size))
        k++;
    if (k == ntrapped)
        return false;
    unsigned map = trapped_map[k];
    const __typeof__(trapped[0]) *m = &trapped[k];
    /* the instruction's bytes, as far as they are the image's code (no fault in here) */
    uint64_t ip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    size_t avail = 0;
    while (avail < 15 && hk_in_image_code(ip + avail))
        avail++;
    struct hk_mmio_insn in;
    if (hk_mmio_decode((const uint8_t *)(uintptr_t)ip, avail, &in) < 0)
        return false;
    uint64_t offset = addr - m->vaddr;
    if (offset + in.size > m->size)
        return false;
    uint64_t operand = in.reg >= 0 ? get_reg(uc, &in) : in.imm;
    uint64_t value = 0;
    if (in.reads)
        value = device_access(map, offset, in.size, false, 0);
    if (in.op == HK_OP_MOV) {
        if (in.writes)
            device_access(map, offset, in.size, true, operand & size_mask(in.size));
        if (in.to_reg) {
            if (in.extend == 2) {
                uint64_t sign = 1ull << (8 * in.size - 1);
                value = (value ^ sign) - sign;
            }
            set_reg(uc, &in, value, in.reg_size);
        }
    } else {
        uint64_t flags, mask;
        /* m,r and m,imm: memory is the first operand; r,m (cmp r,m too): the register is */
        uint64_t a = in.reg_first ? operand : value, b = in.reg_first ? value : operand;
        uint64_t r = hk_mmio_alu(in.op, a, b, in.size, &flags, &mask);
        if (in.writes)
            device_access(map, offset, in.size, true, r);
        else if (in.to_reg)
            set_reg(uc, &in, r, in.size);
        greg_t *efl = &uc->uc_mcontext.gregs[REG_EFL];
        *efl = (greg_t)(((uint64_t)*efl & ~mask) | (flags & mask));
    }
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(ip + in.len);
    return true;
}
#else
bool hk_mmio_trap(siginfo_t *si, ucontext_t *uc)
{
    (void)si, (void)uc;
    return false; /* the decoder is x86-64's: on this host a trapped access is a VM fault */
}
#endif
