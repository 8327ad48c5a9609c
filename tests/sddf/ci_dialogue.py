#!/usr/bin/env python3
# ci_dialogue.py — sDDF's CI dialogue with a board's serial console (its ci/examples/NAME.py), as a
# file of steps, one a line (tests/sddf/NAME.ci; blank lines and # comments skipped):
#   wait TEXT          the output, from where the last step ended, contains TEXT (ts_ci's
#                      wait_for_output); the next step starts after it
#   expect TEXT        the output goes on with exactly TEXT (ts_ci's expect_output)
#   send TEXT          the input typed (ts_ci's send_input)
#   number PREFIX      the next line (up to CR LF) is PREFIX and a decimal number, collected
#   match REGEX        the rest of the line (up to CR LF) has a match of the regular expression
#                      REGEX (Python's re.search, as echo_server.py looks for an IP address in it)
#   drift SPAN FRACTION  each collected number is SPAN after the one before, give or take FRACTION
#                      of SPAN (timer.py's check of its timeouts)
#   count N            N numbers were collected
# TEXT has C escapes: \r \n \t \e (ESC) \s (space) \\ \xHH.
#
#   ci_dialogue.py --input NAME.ci    prints the input script for hostkit's UART (`--device
#                                     com1,script=FILE`: docs/devices.md), each wait and expect
#                                     an `expect`, each send a `send`
#   ci_dialogue.py NAME.ci OUTPUT     checks the run's OUTPUT; exit 0 when every step holds, else 1
#                                     with the first that does not, and where the output was
import re
import sys


def unescape(text):
    out, i = bytearray(), 0
    while i < len(text):
        c = text[i]
        i += 1
        if c != "\\":
            out += c.encode()
            continue
        e = text[i]
        i += 1
        if e == "x":
            out.append(int(text[i:i + 2], 16))
            i += 2
        else:
            out += {"r": b"\r", "n": b"\n", "t": b"\t", "e": b"\x1b", "s": b" ", "\\": b"\\"}[e]
    return bytes(out)


def steps(path):
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, _, arg = line.partition(" ")
        yield no, word, arg


def show(b):
    return repr(b)[1:]


def check(path, output):
    pos, numbers = 0, []
    for no, word, arg in steps(path):
        where = f"{path}:{no}: {word} {arg}"
        if word == "wait":
            t = unescape(arg)
            at = output.find(t, pos)
            if at < 0:
                return f"{where}: not in the output after byte {pos} ({show(output[pos:pos + 80])}...)"
            pos = at + len(t)
        elif word == "expect":
            t = unescape(arg)
            if output[pos:pos + len(t)] != t:
                return f"{where}: the output goes on with {show(output[pos:pos + len(t) + 20])}"
            pos += len(t)
        elif word == "number":
            prefix = unescape(arg)
            end = output.find(b"\r\n", pos)
            if end < 0:
                return f"{where}: no line after byte {pos}"
            line = output[pos:end]
            m = re.fullmatch(re.escape(prefix) + rb"(\d+)", line)
            if not m:
                return f"{where}: the line is {show(line)}"
            numbers.append(int(m.group(1)))
            pos = end + 2
        elif word == "match":
            end = output.find(b"\r\n", pos)
            if end < 0:
                return f"{where}: no line end after byte {pos}"
            line = output[pos:end]
            if not re.search(arg.encode(), line):
                return f"{where}: no match in the line {show(line)}"
            pos = end + 2
        elif word == "drift":
            span, frac = (float(v) for v in arg.split())
            for i in range(1, len(numbers)):
                delta = numbers[i] - numbers[i - 1]
                if abs(delta - span) > frac * span:
                    return f"{where}: {numbers[i]} - {numbers[i - 1]} = {delta}, more than {frac:.0%} off {span:.0f}"
        elif word == "count":
            if len(numbers) != int(arg):
                return f"{where}: {len(numbers)} numbers collected"
        elif word != "send":
            return f"{where}: not a step"
    return None


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--input":
        for _, word, arg in steps(sys.argv[2]):
            if word in ("wait", "expect"):
                print(f"expect {arg}")
            elif word == "send":
                print(f"send {arg}")
        return 0
    if len(sys.argv) != 3:
        sys.exit("usage: ci_dialogue.py --input NAME.ci | ci_dialogue.py NAME.ci OUTPUT")
    with open(sys.argv[2], "rb") as f:
        output = f.read()
    err = check(sys.argv[1], output)
    if err:
        print(err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
