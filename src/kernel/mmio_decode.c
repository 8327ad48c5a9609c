/* mmio_decode.c — the x86-64 instruction forms of mmio_decode.h, decoded as the Intel SDM (vol. 2,
 * chapter 2, "Instruction Format") lays them out: legacy prefixes, REX, the opcode, ModRM, SIB,
 * displacement, immediate. The memory operand's address is not computed: the fault gives it. */
#include "kernel/mmio_decode.h"

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
    if (bytes >= 8)
        return v;
    uint64_t sign = 1ull << (8 * bytes - 1);
    v &= (sign << 1) - 1;
    return (v ^ sign) - sign;
}

/* ModRM, SIB and displacement from P; the ModRM byte into *MODRM. Returns their length, or -1 for
 * a register (not memory) operand or bytes missing. */
static int modrm_len(const uint8_t *p, size_t avail, uint8_t *modrm)
{
    if (avail < 1)
        return -1;
    uint8_t m = p[0], mod = m >> 6, rm = m & 7;
    *modrm = m;
    if (mod == 3)
        return -1;
    int n = 1;
    if (rm == 4) { /* SIB */
        if (avail < 2)
            return -1;
        n++;
        if (mod == 0 && (p[1] & 7) == 5)
            n += 4; /* no base: disp32 */
    } else if (mod == 0 && rm == 5) {
        n += 4; /* RIP-relative */
    }
    if (mod == 1)
        n += 1;
    else if (mod == 2)
        n += 4;
    return (size_t)n <= avail ? n : -1;
}

static uint64_t read_imm(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        v |= (uint64_t)p[k] << (8 * k);
    return v;
}

int hk_mmio_decode(const uint8_t *code, size_t avail, struct hk_mmio_insn *in)
{
    *in = (struct hk_mmio_insn){0};
    size_t i = 0;
    bool opsize16 = false;
    uint8_t rex = 0;
    for (; i < avail && i < 14; i++) { /* legacy prefixes */
        uint8_t b = code[i];
        if (b == 0x66)
            opsize16 = true;
        else if (b == 0xf0 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65 || b == 0x67)
            continue;
        else
            break;
    }
    if (i < avail && (code[i] & 0xf0) == 0x40)
        rex = code[i++];
    if (i >= avail)
        return -1;
    bool w = rex & 8;
    unsigned opsize = w ? 8 : opsize16 ? 2 : 4;
    uint8_t op = code[i++];
    bool twobyte = false;
    if (op == 0x0f) {
        if (i >= avail)
            return -1;
        twobyte = true;
        op = code[i++];
    }
    uint8_t modrm;
    int ml = modrm_len(code + i, avail - i, &modrm);
    if (ml < 0)
        return -1;
    unsigned reg = (modrm >> 3 & 7) | (rex & 4 ? 8 : 0), digit = modrm >> 3 & 7;
    size_t imm_at = i + (size_t)ml;
    in->reg = (int)reg;
    in->reg_size = opsize;
    unsigned imm_bytes = 0;
    if (twobyte) {
        if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
            return -1;
        in->size = op & 1 ? 2 : 1;
        in->reads = in->to_reg = true;
        in->extend = op >= 0xbe ? 2 : 1;
    } else if (op == 0x63) { /* movsxd */
        in->size = 4;
        in->reads = in->to_reg = true;
        in->extend = w ? 2 : 0;
    } else if (op >= 0x88 && op <= 0x8b) { /* mov */
        in->size = op & 1 ? opsize : 1;
        in->reads = in->to_reg = op >= 0x8a;
        in->writes = op < 0x8a;
    } else if (op == 0xc6 || op == 0xc7) { /* mov m, imm */
        if (digit != 0)
            return -1;
        in->size = op & 1 ? opsize : 1;
        imm_bytes = in->size == 8 ? 4 : in->size;
        in->writes = true;
        in->reg = -1;
    } else if (op == 0xf6 || op == 0xf7) { /* test m, imm (F6/F7 /0) */
        if (digit != 0)
            return -1;
        in->size = op & 1 ? opsize : 1;
        imm_bytes = in->size == 8 ? 4 : in->size;
        in->reads = in->sets_flags = true;
        in->op = HK_OP_TEST;
        in->reg = -1;
    } else if (op == 0x84 || op == 0x85) { /* test m, r */
        in->size = op & 1 ? opsize : 1;
        in->reads = in->sets_flags = true;
        in->op = HK_OP_TEST;
    } else if (op <= 0x3b && (op & 7) <= 3) { /* add/or/and/sub/xor/cmp with a register */
        /* groups 2 and 3 (adc, sbb) are refused below */
        static const enum hk_mmio_op ops[8] = {HK_OP_ADD, HK_OP_OR, HK_OP_MOV, HK_OP_MOV, HK_OP_AND, HK_OP_SUB, HK_OP_XOR, HK_OP_CMP};
        unsigned group = op >> 3;
        if (group == 2 || group == 3) /* adc, sbb */
            return -1;
        in->op = ops[group];
        in->size = op & 1 ? opsize : 1;
        in->reads = in->sets_flags = true;
        in->reg_first = op & 2;
        in->to_reg = in->reg_first && in->op != HK_OP_CMP;
        in->writes = !in->reg_first && in->op != HK_OP_CMP;
    } else if (op == 0x80 || op == 0x81 || op == 0x83) { /* arithmetic m, imm */
        static const enum hk_mmio_op ops[8] = {HK_OP_ADD, HK_OP_OR, HK_OP_MOV, HK_OP_MOV, HK_OP_AND, HK_OP_SUB, HK_OP_XOR, HK_OP_CMP};
        if (digit == 2 || digit == 3)
            return -1;
        in->op = ops[digit];
        in->size = op == 0x80 ? 1 : opsize;
        imm_bytes = op == 0x81 ? (in->size == 8 ? 4 : in->size) : 1;
        in->reads = in->sets_flags = true;
        in->writes = in->op != HK_OP_CMP;
        in->reg = -1;
    } else {
        return -1;
    }
    if (imm_at + imm_bytes > avail)
        return -1;
    if (imm_bytes)
        in->imm = sign_extend(read_imm(code + imm_at, imm_bytes), imm_bytes) &
                  (in->size == 8 ? ~0ull : (1ull << (8 * in->size)) - 1);
    /* a byte register without REX is ah, ch, dh, bh for 4-7 */
    if (in->reg >= 0 && !in->extend && in->size == 1 && !rex && reg >= 4) {
        in->high8 = true;
        in->reg = (int)reg - 4;
    }
    if (!in->extend)
        in->reg_size = in->size;
    in->len = (unsigned)(imm_at + imm_bytes);
    return 0;
}

static unsigned parity_even(uint64_t v)
{
    return !__builtin_parity((unsigned)(v & 0xff));
}

uint64_t hk_mmio_alu(enum hk_mmio_op op, uint64_t a, uint64_t b, unsigned size, uint64_t *flags, uint64_t *mask)
{
    enum { CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128, OF = 2048 };
    uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1, sign = 1ull << (8 * size - 1);
    a &= m, b &= m;
    uint64_t r = 0, f = 0;
    switch (op) {
    case HK_OP_ADD:
        r = (a + b) & m;
        if (r < a)
            f |= CF;
        if (~(a ^ b) & (a ^ r) & sign)
            f |= OF;
        if ((a ^ b ^ r) & 16)
            f |= AF;
        break;
    case HK_OP_SUB:
    case HK_OP_CMP:
        r = (a - b) & m;
        if (a < b)
            f |= CF;
        if ((a ^ b) & (a ^ r) & sign)
            f |= OF;
        if ((a ^ b ^ r) & 16)
            f |= AF;
        break;
    case HK_OP_OR: r = a | b; break;
    case HK_OP_AND:
    case HK_OP_TEST: r = a & b; break;
    case HK_OP_XOR: r = a ^ b; break;
    case HK_OP_MOV: r = b; break;
    }
    if (!r)
        f |= ZF;
    if (r & sign)
        f |= SF;
    if (parity_even(r))
        f |= PF;
    *flags = f;
    /* the logical operations leave AF undefined: it is left as it was */
    *mask = op == HK_OP_MOV ? 0 : (CF | PF | ZF | SF | OF | (op == HK_OP_ADD || op == HK_OP_SUB || op == HK_OP_CMP ? AF : 0));
    return op == HK_OP_CMP || op == HK_OP_TEST ? a : r;
}
