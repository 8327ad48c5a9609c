/* test_mmio_decode.c — the x86-64 decoder of trapped device accesses (src/kernel/mmio_decode.c,
 * included whole: it has no state), on instruction bytes as the Intel SDM encodes them (and as
 * gcc and clang emit them for volatile accesses), and its arithmetic's flags. The end-to-end test
 * of the same forms on a trapped device is tests/systems/mmio_forms (test_devices.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/mmio_decode.c"

struct form {
    const char *what;
    uint8_t bytes[16];
    unsigned n;
    unsigned len, size;
    bool reads, writes, to_reg;
    enum hk_mmio_op op;
    int reg;
    bool high8;
    uint64_t imm;
    unsigned reg_size;
    int extend;
};

static const struct form forms[] = {
    /* mov stores and loads, every size */
    {"mov %al,(%rdi)", {0x88, 0x07}, 2, 2, 1, false, true, false, HK_OP_MOV, 0, false, 0, 1, 0},
    {"mov %ax,(%rdi)", {0x66, 0x89, 0x07}, 3, 3, 2, false, true, false, HK_OP_MOV, 0, false, 0, 2, 0},
    {"mov %eax,0x10(%rdi)", {0x89, 0x47, 0x10}, 3, 3, 4, false, true, false, HK_OP_MOV, 0, false, 0, 4, 0},
    {"mov %r9,0x100(%rdi)", {0x4c, 0x89, 0x8f, 0x00, 0x01, 0x00, 0x00}, 7, 7, 8, false, true, false, HK_OP_MOV, 9, false, 0, 8, 0},
    {"mov (%rsi),%dl", {0x8a, 0x16}, 2, 2, 1, true, false, true, HK_OP_MOV, 2, false, 0, 1, 0},
    {"mov 1(%rdi),%ah", {0x8a, 0x67, 0x01}, 3, 3, 1, true, false, true, HK_OP_MOV, 0, true, 0, 1, 0},
    {"mov 1(%rdi),%spl", {0x40, 0x8a, 0x67, 0x01}, 4, 4, 1, true, false, true, HK_OP_MOV, 4, false, 0, 1, 0},
    {"mov (%rax,%rbx,8),%ecx", {0x8b, 0x0c, 0xd8}, 3, 3, 4, true, false, true, HK_OP_MOV, 1, false, 0, 4, 0},
    {"mov 0xf0(%rax),%rax", {0x48, 0x8b, 0x80, 0xf0, 0x00, 0x00, 0x00}, 7, 7, 8, true, false, true, HK_OP_MOV, 0, false, 0, 8, 0},
    {"mov 0x12345678(%rip),%r15", {0x4c, 0x8b, 0x3d, 0x78, 0x56, 0x34, 0x12}, 7, 7, 8, true, false, true, HK_OP_MOV, 15, false, 0, 8, 0},
    {"mov 0x50000000,%eax (SIB, no base)", {0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x50}, 7, 7, 4, true, false, true, HK_OP_MOV, 0, false, 0, 4, 0},
    /* mov immediates */
    {"movb $0x5a,(%rdi)", {0xc6, 0x07, 0x5a}, 3, 3, 1, false, true, false, HK_OP_MOV, -1, false, 0x5a, 1, 0},
    {"movw $0x1234,2(%rdi)", {0x66, 0xc7, 0x47, 0x02, 0x34, 0x12}, 6, 6, 2, false, true, false, HK_OP_MOV, -1, false, 0x1234, 2, 0},
    {"movq $-1,(%rdi)", {0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff}, 7, 7, 8, false, true, false, HK_OP_MOV, -1, false, ~0ull, 8, 0},
    /* widening loads */
    {"movzbl (%rdi),%eax", {0x0f, 0xb6, 0x07}, 3, 3, 1, true, false, true, HK_OP_MOV, 0, false, 0, 4, 1},
    {"movzwq (%rdi),%r8", {0x4c, 0x0f, 0xb7, 0x07}, 4, 4, 2, true, false, true, HK_OP_MOV, 8, false, 0, 8, 1},
    {"movsbw (%rdi),%ax", {0x66, 0x0f, 0xbe, 0x07}, 4, 4, 1, true, false, true, HK_OP_MOV, 0, false, 0, 2, 2},
    {"movswl (%rdi),%ecx", {0x0f, 0xbf, 0x0f}, 3, 3, 2, true, false, true, HK_OP_MOV, 1, false, 0, 4, 2},
    {"movslq (%rdi),%rdx", {0x48, 0x63, 0x17}, 3, 3, 4, true, false, true, HK_OP_MOV, 2, false, 0, 8, 2},
    /* read-modify-write and compares */
    {"orl $0x100,(%rdi)", {0x81, 0x0f, 0x00, 0x01, 0x00, 0x00}, 6, 6, 4, true, true, false, HK_OP_OR, -1, false, 0x100, 4, 0},
    {"andq $-2,0x10(%rdi)", {0x48, 0x83, 0x67, 0x10, 0xfe}, 5, 5, 8, true, true, false, HK_OP_AND, -1, false, ~1ull, 8, 0},
    {"lock orb $1,(%rdi)", {0xf0, 0x80, 0x0f, 0x01}, 4, 4, 1, true, true, false, HK_OP_OR, -1, false, 1, 1, 0},
    {"add %eax,(%rdi)", {0x01, 0x07}, 2, 2, 4, true, true, false, HK_OP_ADD, 0, false, 0, 4, 0},
    {"sub (%rdi),%rcx", {0x48, 0x2b, 0x0f}, 3, 3, 8, true, false, true, HK_OP_SUB, 1, false, 0, 8, 0},
    {"xor (%rdi),%bl", {0x32, 0x1f}, 2, 2, 1, true, false, true, HK_OP_XOR, 3, false, 0, 1, 0},
    {"cmpq $0,(%rdi)", {0x48, 0x83, 0x3f, 0x00}, 4, 4, 8, true, false, false, HK_OP_CMP, -1, false, 0, 8, 0},
    {"cmp (%rdi),%eax", {0x3b, 0x07}, 2, 2, 4, true, false, false, HK_OP_CMP, 0, false, 0, 4, 0},
    {"test %edx,(%rdi)", {0x85, 0x17}, 2, 2, 4, true, false, false, HK_OP_TEST, 2, false, 0, 4, 0},
    {"testb $2,(%rbx)", {0xf6, 0x03, 0x02}, 3, 3, 1, true, false, false, HK_OP_TEST, -1, false, 2, 1, 0},
    {"testl $0x10000,8(%rbx)", {0xf7, 0x43, 0x08, 0x00, 0x00, 0x01, 0x00}, 7, 7, 4, true, false, false, HK_OP_TEST, -1, false, 0x10000, 4, 0},
    {"mov %fs:(%rdi),%eax (segment prefix)", {0x64, 0x8b, 0x07}, 3, 3, 4, true, false, true, HK_OP_MOV, 0, false, 0, 4, 0},
};

static void every_form_decodes_with_its_length_and_operands(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
        const struct form *f = &forms[k];
        struct hk_mmio_insn in;
        if (hk_mmio_decode(f->bytes, f->n, &in) < 0)
            fail_msg("%s: not decoded", f->what);
        if (in.len != f->len || in.size != f->size || in.reads != f->reads || in.writes != f->writes ||
            in.to_reg != f->to_reg || in.op != f->op || in.reg != f->reg || in.high8 != f->high8 ||
            (f->reg < 0 && in.imm != f->imm) || in.reg_size != f->reg_size || in.extend != f->extend)
            fail_msg("%s: len %u size %u reads %d writes %d to_reg %d op %d reg %d high8 %d imm 0x%llx reg_size %u extend %d",
                     f->what, in.len, in.size, in.reads, in.writes, in.to_reg, in.op, in.reg, in.high8,
                     (unsigned long long)in.imm, in.reg_size, in.extend);
        /* one byte short of the instruction: not decoded (the bytes past the code are not read) */
        if (hk_mmio_decode(f->bytes, f->len - 1, &in) == 0)
            fail_msg("%s: decoded from %u of its %u bytes", f->what, f->len - 1, f->len);
    }
}

/* Which operand comes first matters to sub and cmp: r,m forms (opcode bit 1 set) put the register
 * first, m,r and m,imm forms memory. */
static void operand_order(void **state)
{
    (void)state;
    static const struct {
        uint8_t bytes[4];
        unsigned n;
        bool reg_first;
    } cases[] = {
        {{0x3b, 0x07}, 2, true},        /* cmp (%rdi),%eax: eax - mem */
        {{0x39, 0x07}, 2, false},       /* cmp %eax,(%rdi): mem - eax */
        {{0x48, 0x2b, 0x0f}, 3, true},  /* sub (%rdi),%rcx */
        {{0x29, 0x07}, 2, false},       /* sub %eax,(%rdi) */
        {{0x83, 0x3f, 0x05}, 3, false}, /* cmpl $5,(%rdi): mem - 5 */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct hk_mmio_insn in;
        assert_int_equal(hk_mmio_decode(cases[k].bytes, cases[k].n, &in), 0);
        if (in.reg_first != cases[k].reg_first)
            fail_msg("case %zu: reg_first %d", k, in.reg_first);
    }
}

static void other_instructions_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint8_t bytes[8];
        unsigned n;
    } refused[] = {
        {"mov %eax,%ebx (no memory operand)", {0x89, 0xc3}, 2},
        {"adc %eax,(%rdi)", {0x11, 0x07}, 2},
        {"movaps (%rdi),%xmm0", {0x0f, 0x28, 0x07}, 3},
        {"rep movsb", {0xf3, 0xa4}, 2},
        {"xchg %eax,(%rdi)", {0x87, 0x07}, 2},
        {"mov /1 (not an immediate move)", {0xc7, 0x0f, 0, 0, 0, 0}, 6},
        {"notb (%rdi) (F6 /2)", {0xf6, 0x17}, 2},
        {"nothing", {0}, 0},
    };
    for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
        struct hk_mmio_insn in;
        if (hk_mmio_decode(refused[k].bytes, refused[k].n, &in) == 0)
            fail_msg("%s: decoded", refused[k].what);
    }
}

static void arithmetic_sets_the_flags_x86_sets(void **state)
{
    (void)state;
    enum { CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128, OF = 2048 };
    uint64_t f, m;
    assert_int_equal(hk_mmio_alu(HK_OP_ADD, 0xff, 1, 1, &f, &m), 0);
    assert_int_equal(f, CF | ZF | PF | AF);
    assert_int_equal(hk_mmio_alu(HK_OP_ADD, 0x7fffffff, 1, 4, &f, &m), 0x80000000u);
    assert_int_equal(f, SF | OF | AF | PF);
    assert_int_equal(hk_mmio_alu(HK_OP_SUB, 1, 2, 8, &f, &m), ~0ull);
    assert_int_equal(f, CF | SF | PF | AF);
    /* cmp leaves the memory operand as it was */
    assert_int_equal(hk_mmio_alu(HK_OP_CMP, 5, 5, 4, &f, &m), 5);
    assert_int_equal(f & ZF, ZF);
    assert_int_equal(hk_mmio_alu(HK_OP_OR, 0x100, 0x001, 2, &f, &m), 0x101);
    assert_int_equal(f, 0); /* 0x01 has odd parity; OR clears CF and OF */
    assert_int_equal(m & AF, 0); /* AF undefined after OR: left alone */
    assert_int_equal(hk_mmio_alu(HK_OP_TEST, 0xf0, 0x0f, 1, &f, &m), 0xf0);
    assert_int_equal(f, ZF | PF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_form_decodes_with_its_length_and_operands),
        cmocka_unit_test(operand_order),
        cmocka_unit_test(other_instructions_are_refused),
        cmocka_unit_test(arithmetic_sets_the_flags_x86_sets),
    };
    return cmocka_run_group_tests_name("mmio_decode", tests, NULL, NULL);
}
