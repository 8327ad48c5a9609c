/* Each access form of kernel/mmio_decode.h on trapped HPET registers (hpet.c), checked against what
 * the instruction does on memory (Intel SDM): one line per form, "ok" or "WRONG". */
#include <microkit.h>
#include <stdint.h>

uintptr_t hpet; /* setvar_vaddr */
#define GEN_CONF 0x010
#define MAIN_CNT 0x0f0
#define T1_CMP 0x128

static unsigned wrong;
static void check(const char *what, int ok)
{
    microkit_dbg_puts("forms: ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(ok ? ": ok\n" : ": WRONG\n");
    wrong += !ok;
}

void init(void)
{
    volatile uint64_t *cmp = (volatile uint64_t *)(hpet + T1_CMP);
    uint64_t v, r;
    __asm__ volatile("movq %1, (%0)" ::"r"(cmp), "r"(0x8877665544332211ull) : "memory");
    __asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(cmp));
    check("movq store, movq load", v == 0x8877665544332211ull);
    uint32_t l;
    __asm__ volatile("movl 4(%1), %0" : "=r"(l) : "r"(cmp));
    check("movl load of the upper half", l == 0x88776655u);
    uint16_t w;
    __asm__ volatile("movw 2(%1), %0" : "=r"(w) : "r"(cmp));
    check("movw load", w == 0x4433);
    uint8_t b;
    __asm__ volatile("movb 7(%1), %0" : "=q"(b) : "r"(cmp));
    check("movb load", b == 0x88);
    r = 0x1111;
    __asm__ volatile("movb 1(%1), %%ah" : "+a"(r) : "r"(cmp));
    check("movb load into %ah", r == 0x2211);
    r = ~0ull;
    __asm__ volatile("movl (%1), %k0" : "+r"(r) : "r"(cmp));
    check("movl load clears the upper half", r == 0x44332211u);
    r = ~0ull;
    __asm__ volatile("movw (%1), %w0" : "+r"(r) : "r"(cmp));
    check("movw load keeps the rest", r == 0xffffffffffff2211ull);
    __asm__ volatile("movzbl 7(%1), %k0" : "=r"(r) : "r"(cmp));
    check("movzbl", r == 0x88);
    int64_t s;
    __asm__ volatile("movsbq 7(%1), %0" : "=r"(s) : "r"(cmp));
    check("movsbq", s == -120);
    __asm__ volatile("movslq 4(%1), %0" : "=r"(s) : "r"(cmp));
    check("movslq", s == (int32_t)0x88776655u);
    __asm__ volatile("movb $0x5a, 3(%0)\n\tmovw $0x1234, 4(%0)" ::"r"(cmp) : "memory");
    check("movb and movw immediate stores", *cmp == 0x887712345a332211ull);
    __asm__ volatile("movl %1, (%0)" ::"r"(cmp), "r"(0xdeadbeefu) : "memory");
    check("movl store keeps the other half", *cmp == 0x88771234deadbeefull);
    __asm__ volatile("orl $0x100, (%0)\n\tandq $-2, (%0)" ::"r"(cmp) : "memory", "cc");
    check("orl, andq immediate", *cmp == 0x88771234deadbfeeull);
    __asm__ volatile("addl %1, (%0)" ::"r"(cmp), "r"(0x12u) : "memory", "cc");
    check("addl register", *cmp == 0x88771234deadc000ull);
    __asm__ volatile("lock orb $1, (%0)" ::"r"(cmp) : "memory", "cc");
    check("lock orb", *cmp == 0x88771234deadc001ull);
    uint8_t eq, ne, z;
    __asm__ volatile("cmpq %2, (%1)\n\tsete %0" : "=q"(eq) : "r"(cmp), "r"(0x88771234deadc001ull) : "cc");
    __asm__ volatile("cmpl $5, (%1)\n\tsetne %0" : "=q"(ne) : "r"(cmp) : "cc");
    __asm__ volatile("testb $0x2, (%1)\n\tsetz %0" : "=q"(z) : "r"(cmp) : "cc");
    check("cmpq, cmpl, testb set the flags", eq == 1 && ne == 1 && z == 1);
    uint8_t below, above;
    /* cmp r,m subtracts the memory from the register: 5 - big is below; cmp m,r the other way */
    __asm__ volatile("cmpq (%1), %2\n\tsetb %0" : "=q"(below) : "r"(cmp), "r"(5ull) : "cc");
    __asm__ volatile("cmpq %2, (%1)\n\tseta %0" : "=q"(above) : "r"(cmp), "r"(5ull) : "cc");
    check("cmpq r,m and m,r compare in their order", below == 1 && above == 1);
    r = 0x10;
    __asm__ volatile("subq (%1), %0" : "+r"(r) : "r"(cmp) : "cc");
    check("subq into a register", r == 0x10 - 0x88771234deadc001ull);
    /* the counter is read as it is at each access, not as of the last kernel entry */
    volatile uint64_t *gen = (volatile uint64_t *)(hpet + GEN_CONF), *cnt = (volatile uint64_t *)(hpet + MAIN_CNT);
    *gen = 1;
    uint64_t t0 = *cnt, t1;
    for (int k = 0; k < 100000 && (t1 = *cnt) == t0; k++) {
    }
    check("MAIN_CNT counts between two loads in one handler", t1 > t0);
    microkit_dbg_puts(wrong ? "forms: FAIL\n" : "forms: all forms served\n");
}

void notified(microkit_channel ch) { (void)ch; }
