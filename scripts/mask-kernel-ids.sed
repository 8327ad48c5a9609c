# mask-kernel-ids.sed — in a debug kernel's userError lines ("<<seL4(CPU 0) [function/line
# T0xTCB "name" @ip]: text>>"), the thread's TCB and the caller's instruction pointer are addresses
# of that one system (they differ between boards, and between seL4 and hostkit): both are masked,
# so transcripts compare. Used by scripts/sel4-boot.sh, tests/test_differential.sh, tests/test_sel4.sh.
/seL4\(CPU [0-9]+\)/ {
    s/ T0x[0-9a-f]+ "/ T0x* "/
    s/" @[0-9a-f]+\]: /" @*]: /
}
