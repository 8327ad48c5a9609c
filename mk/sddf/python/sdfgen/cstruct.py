# cstruct.py — the C structures of sDDF's configuration headers (include/sddf/*/config.h,
# resources/*.h ...), read from the headers themselves, laid out as a 64-bit C compiler lays them
# out (LP64: natural alignment, the structure padded to its largest member), and packed into the
# bytes sDDF's Makefiles patch into a PD's image (`objcopy --update-section .NAME=FILE.data`).
#
# It reads what those headers use: `#define NAME NUMBER` (and arithmetic of defined names),
# `typedef struct TAG { members } NAME;` (members `TYPE NAME;` and `TYPE NAME[N]...;`, with
# TYPE a fixed-width integer, bool, char, a pointer, or an earlier typedef), `typedef OLD NEW;`,
# `__attribute__((__packed__))`, and the magic arrays `static char NAME[N] = { 's', ... };`.
# Anything else in a header is skipped. `python3 -m sdfgen.cstruct --probe SDDF` prints a C file
# that asserts every size and offset computed here, for the compiler to check
# (tests/sddf/test_sddf.sh compiles it).
import os
import re
import struct as _struct
import sys

_SCALARS = {
    "char": 1, "signed char": 1, "unsigned char": 1, "bool": 1, "_Bool": 1,
    "int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2, "short": 2, "unsigned short": 2,
    "int32_t": 4, "uint32_t": 4, "int": 4, "unsigned int": 4, "unsigned": 4, "float": 4,
    "int64_t": 8, "uint64_t": 8, "long": 8, "unsigned long": 8, "long long": 8,
    "unsigned long long": 8, "uintptr_t": 8, "intptr_t": 8, "size_t": 8, "double": 8,
    "seL4_Word": 8, "microkit_channel": 4,
}


class CType:
    """A C type: its size and alignment, and for a structure its members (name, type, offset)."""

    def __init__(self, name, size, align, members=None, elem=None, count=None):
        self.name, self.size, self.align = name, size, align
        self.members = members   # [(name, CType, offset)] for a structure
        self.elem, self.count = elem, count  # for an array

    def __repr__(self):
        return f"CType({self.name}, size={self.size})"


class LayoutError(Exception):
    pass


def _strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


class Headers:
    """The typedefs, defines and magic arrays of a set of headers and what they include."""

    def __init__(self, include_dirs):
        self.include_dirs = list(include_dirs)
        self.defines = {}
        self.types = {k: CType(k, v, v) for k, v in _SCALARS.items()}
        self.arrays = {}
        self.seen = set()
        self.unread = {}  # typedef name -> why it could not be laid out

    def load(self, name):
        """Reads the header NAME (as #include names it), and what it includes, once."""
        for d in self.include_dirs:
            path = os.path.join(d, name)
            if os.path.isfile(path):
                break
        else:
            return False  # a system header (stdint.h ...): the scalars above stand for it
        path = os.path.realpath(path)
        if path in self.seen:
            return True
        self.seen.add(path)
        with open(path, encoding="utf-8") as f:
            text = _strip_comments(f.read())
        for inc in re.findall(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', text, flags=re.M):
            self.load(inc)
        self._parse(text, path)
        return True

    # ---- parsing ----
    def _parse(self, text, path):
        text = re.sub(r"\\\n", " ", text)
        for m in re.finditer(r"^\s*#\s*define\s+(\w+)\s+([^\n]+)$", text, flags=re.M):
            name, value = m.group(1), m.group(2).strip()
            try:
                self.defines[name] = self.value(value)
            except LayoutError:
                pass  # not a number: a macro we do not need
        body = re.sub(r"^\s*#[^\n]*$", " ", text, flags=re.M)
        for m in re.finditer(r"static\s+(?:const\s+)?char\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{([^}]*)\}\s*;", body):
            self.arrays[m.group(1)] = bytes(self._char(v.strip()) for v in m.group(2).split(",") if v.strip())
        pos = 0
        while True:
            m = re.compile(r"\btypedef\s+struct\s*(\w*)\s*(__attribute__\s*\(\(.*?\)\))?\s*\{").search(body, pos)
            if not m:
                break
            depth, i = 1, m.end()
            while depth and i < len(body):
                depth += {"{": 1, "}": -1}.get(body[i], 0)
                i += 1
            tail = re.match(r"\s*(__attribute__\s*\(\(.*?\)\))?\s*(\w+)\s*;", body[i:])
            if not tail:
                raise LayoutError(f"{path}: cannot read the typedef of struct {m.group(1)}")
            packed = "packed" in (m.group(2) or "") + (tail.group(1) or "")
            name = tail.group(2)
            try:
                t = self._struct(name, body[m.end():i - 1], packed)
                self.types[name] = t
                if m.group(1):
                    self.types["struct " + m.group(1)] = t
            except LayoutError as e:
                self.unread[name] = f"{path}: {e}"  # not needed unless asked for
            pos = i + tail.end()
        for m in re.finditer(r"\btypedef\s+(?!struct\b|enum\b|union\b)([\w\s]+?)\s+(\w+)\s*;", body):
            old = " ".join(m.group(1).split())
            if old in self.types and m.group(2) not in self.types:
                self.types[m.group(2)] = self.types[old]

    def _char(self, v):
        if re.fullmatch(r"'\\?.'", v):
            return ord(v[-2])
        return self.value(v)

    def value(self, expr):
        """An integer constant expression of numbers and defined names (+ - * / << >> | & ())."""
        e = expr.strip()
        e = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", e)

        def name(m):
            n = m.group(0)
            if n in self.defines:
                return str(self.defines[n])
            raise LayoutError(f"'{n}' is not a defined number")

        e = re.sub(r"\b[A-Za-z_]\w*\b", name, e)
        if not re.fullmatch(r"[\d\sxXa-fA-F+\-*/()<>|&]+", e):
            raise LayoutError(f"'{expr}' is not a number")
        try:
            return int(eval(e.replace("/", "//"), {"__builtins__": {}}))
        except Exception:
            raise LayoutError(f"'{expr}' is not a number")

    def _type(self, spelled):
        spelled = " ".join(spelled.replace("const ", " ").replace("volatile ", " ").split())
        if spelled.endswith("*"):
            return CType(spelled, 8, 8)
        if spelled in self.types:
            return self.types[spelled]
        if spelled in self.unread:
            raise LayoutError(f"'{spelled}' is not laid out ({self.unread[spelled]})")
        raise LayoutError(f"unknown type '{spelled}'")

    def _struct(self, name, body, packed):
        members, offset, align = [], 0, 1
        for decl in body.split(";"):
            decl = " ".join(decl.split())
            if not decl:
                continue
            m = re.fullmatch(r"(.+?)\s*(\*?)\s*(\w+)\s*((?:\[[^\]]+\]\s*)*)", decl)
            if not m:
                raise LayoutError(f"struct {name}: cannot read member '{decl}'")
            t = self._type(m.group(1) + ("*" if m.group(2) else ""))
            for dim in reversed(re.findall(r"\[([^\]]+)\]", m.group(4))):
                n = self.value(dim)
                t = CType(f"{t.name}[{n}]", t.size * n, t.align, elem=t, count=n)
            a = 1 if packed else t.align
            offset = (offset + a - 1) // a * a
            members.append((m.group(3), t, offset))
            offset += t.size
            align = max(align, a)
        size = (offset + align - 1) // align * align
        return CType(name, size, align, members=members)

    def struct(self, name):
        t = self.types.get(name)
        if t is None and name in self.unread:
            raise LayoutError(f"cannot lay out '{name}': {self.unread[name]}")
        if t is None or t.members is None:
            raise LayoutError(f"no structure '{name}' in the headers read ({', '.join(sorted(self.seen))})")
        return t

    def magic(self, name):
        if name not in self.arrays:
            raise LayoutError(f"no magic array '{name}' in the headers")
        return self.arrays[name]


def pack(t, value, where=None):
    """VALUE as the bytes of C type T: a dict for a structure (members not named are zero), a
    list for an array (the rest zero), bytes or str for a char array (NUL-padded), an int."""
    where = where or t.name
    if value is None:
        return bytes(t.size)
    if t.members is not None:
        if not isinstance(value, dict):
            raise LayoutError(f"{where}: a structure wants a dict, not {value!r}")
        out = bytearray(t.size)
        names = {m[0] for m in t.members}
        for k in value:
            if k not in names:
                raise LayoutError(f"{where}: {t.name} has no member '{k}' (it has {', '.join(m[0] for m in t.members)})")
        for n, mt, off in t.members:
            b = pack(mt, value.get(n), f"{where}.{n}")
            out[off:off + len(b)] = b
        return bytes(out)
    if t.elem is not None:
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, (bytes, bytearray)) and t.elem.size == 1:
            if len(value) > t.count:
                raise LayoutError(f"{where}: {len(value)} bytes do not fit {t.name}")
            return bytes(value) + bytes(t.count - len(value))
        if len(value) > t.count:
            raise LayoutError(f"{where}: {len(value)} elements do not fit {t.name}")
        return b"".join(pack(t.elem, v, f"{where}[{i}]") for i, v in enumerate(value)) + \
            bytes(t.elem.size * (t.count - len(value)))
    v = int(value)
    if v < 0:
        v += 1 << (8 * t.size)
    if v >> (8 * t.size):
        raise LayoutError(f"{where}: {value} does not fit {t.name}")
    return v.to_bytes(t.size, "little")


def probe(headers, names, includes):
    """A C file asserting the size of each structure NAMES and the offset of each member."""
    lines = [f"#include <{i}>" for i in includes] + ["#include <stddef.h>", ""]

    def walk(c, t, path, base):
        for n, mt, off in t.members:
            at = base + off
            lines.append(f"_Static_assert(offsetof({c}, {path}{n}) == {at}, \"{c}.{path}{n} at {at}\");")
            if mt.members is not None:
                walk(c, mt, f"{path}{n}.", at)

    for n in names:
        t = headers.struct(n)
        lines.append(f"_Static_assert(sizeof({n}) == {t.size}, \"sizeof({n}) == {t.size}\");")
        walk(n, t, "", 0)
    return "\n".join(lines) + "\n"


# The configuration headers and the structures each example's data files are.
CONFIG_HEADERS = ["sddf/resources/device.h", "sddf/serial/config.h", "sddf/timer/config.h",
                  "sddf/blk/config.h", "sddf/network/config.h", "sddf/network/lib_sddf_lwip.h"]
CONFIG_STRUCTS = ["device_resources_t", "serial_driver_config_t", "serial_virt_rx_config_t",
                  "serial_virt_tx_config_t", "serial_client_config_t", "timer_client_config_t",
                  "blk_driver_config_t", "blk_virt_config_t", "blk_client_config_t",
                  "net_driver_config_t", "net_virt_tx_config_t", "net_virt_rx_config_t",
                  "net_copy_config_t", "net_client_config_t", "lib_sddf_lwip_config_t"]


def sddf_headers(sddf, extra_dirs=()):
    h = Headers([os.path.join(sddf, "include"), os.path.join(sddf, "include", "microkit"), *extra_dirs])
    for name in CONFIG_HEADERS:
        h.load(name)
    return h


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "--probe":
        sys.exit("usage: python3 -m sdfgen.cstruct --probe SDDF_DIR [INCLUDE_DIR...]")
    h = sddf_headers(sys.argv[2], sys.argv[3:])
    sys.stdout.write(probe(h, CONFIG_STRUCTS, CONFIG_HEADERS))
