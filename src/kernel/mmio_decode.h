/* mmio_decode.h — decoding the x86-64 instruction that touched a trapped device page (mmio.c), so
 * that the access can be served by the device and the thread resumed after the instruction. The
 * forms are the ones compilers emit for volatile loads and stores and drivers write by hand
 * (Intel SDM vol. 2, the MOV, MOVZX, MOVSX, MOVSXD, ADD, OR, AND, SUB, XOR, CMP and TEST entries):
 *   88/89 mov m,r   8A/8B mov r,m   C6/C7 mov m,imm   0F B6/B7 movzx   0F BE/BF movsx   63 movsxd
 *   00/01 08/09 20/21 28/29 30/31 add/or/and/sub/xor m,r    80/81/83 /0 /1 /4 /5 /6 /7 m,imm
 *   02/03 0A/0B 22/23 2A/2B 32/33 add/or/and/sub/xor r,m    38/39/3A/3B cmp   84/85 test m,r
 *   F6/F7 /0 test m,imm
 * with the 66 (16-bit), REX (R, W), LOCK and segment prefixes, every ModRM/SIB/displacement form
 * and every size. Free of the kernel's state, so a test can include it whole. */
#ifndef HOSTKIT_MMIO_DECODE_H
#define HOSTKIT_MMIO_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hk_mmio_op { HK_OP_MOV, HK_OP_ADD, HK_OP_OR, HK_OP_AND, HK_OP_SUB, HK_OP_XOR, HK_OP_CMP, HK_OP_TEST };

struct hk_mmio_insn {
    unsigned len;          /* bytes of the instruction */
    unsigned size;         /* bytes of the memory access: 1, 2, 4 or 8 */
    bool reads, writes;    /* the access reads the device, writes it (both for m,r arithmetic) */
    enum hk_mmio_op op;
    bool to_reg;           /* the result goes to the register (r,m forms); else to memory or flags */
    bool reg_first;        /* the register is the first operand (r,m forms: the result's, or cmp's
                              minuend); else memory is */
    bool sets_flags;       /* arithmetic, cmp, test */
    int reg;               /* the register operand, 0-15 (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi,
                              r8...), -1 for an immediate */
    bool high8;            /* reg is ah, ch, dh or bh (a byte register without REX) */
    uint64_t imm;          /* the immediate, sign-extended to the operand size */
    unsigned reg_size;     /* the register's width: the operand size, the destination's for movzx/movsx */
    int extend;            /* a load into reg_size from size: 0 none, 1 zero, 2 sign */
};

/* Decodes the instruction at CODE (AVAIL bytes readable). 0 when it is one of the forms above
 * with a memory operand, -1 otherwise. */
int hk_mmio_decode(const uint8_t *code, size_t avail, struct hk_mmio_insn *in);

/* The arithmetic of OP on A and B, SIZE bytes: the result, and in *FLAGS the status flags it sets
 * (CF, PF, AF, ZF, SF, OF in EFLAGS positions) with MASK the ones it defines. */
uint64_t hk_mmio_alu(enum hk_mmio_op op, uint64_t a, uint64_t b, unsigned size, uint64_t *flags, uint64_t *mask);

#endif
