# dtb.py — the device tree of hostkit's sdfgen (DeviceTree in __init__.py): a flattened device tree
# blob read as the Devicetree Specification (v0.4) lays it out in chapter 5, "Flattened Devicetree
# (DTB) Format": the header (5.2), the structure block's tokens FDT_BEGIN_NODE, FDT_END_NODE,
# FDT_PROP, FDT_NOP and FDT_END (5.4), property names from the strings block (5.5). A node is found
# by its path from the root ("pl011@9000000", "soc/serial@10000000"); its `reg` is decoded with its
# parent's #address-cells and #size-cells (2.3.5, 2.3.6), its `interrupts` with its interrupt
# parent's #interrupt-cells (2.4): three cells are an Arm GIC's (type 0 SPI: IRQ 32 + N, 1 PPI:
# 16 + N; flags 1 edge, 4 level, as the GIC binding says), one cell the IRQ number itself (RISC-V's
# PLIC).
from __future__ import annotations

import struct
from typing import Dict, List, Optional, Tuple

_MAGIC = 0xD00DFEED
_BEGIN_NODE, _END_NODE, _PROP, _NOP, _END = 1, 2, 3, 4, 9


class DtbNode:
    def __init__(self, tree: "Dtb", name: str, parent: Optional["DtbNode"]):
        self.tree, self.name, self.parent = tree, name, parent
        self.props: Dict[str, bytes] = {}
        self.children: List[DtbNode] = []

    @property
    def path(self) -> str:
        if self.parent is None:
            return "/"
        up = self.parent.path
        return (up if up != "/" else "") + "/" + self.name

    def prop(self, name: str) -> Optional[bytes]:
        return self.props.get(name)

    def cells(self, name: str) -> List[int]:
        v = self.props.get(name, b"")
        return list(struct.unpack(f">{len(v) // 4}I", v[: len(v) // 4 * 4]))

    def strings(self, name: str) -> List[str]:
        v = self.props.get(name)
        return [s.decode() for s in v.split(b"\0")[:-1]] if v else []

    def _cell_count(self, name: str, default: int) -> int:
        c = self.cells(name)
        return c[0] if c else default

    @property
    def compatible(self) -> List[str]:
        return self.strings("compatible")

    def reg(self) -> List[Tuple[int, int]]:
        """(address, size) pairs, with the parent's #address-cells and #size-cells."""
        ac = self.parent._cell_count("#address-cells", 2) if self.parent else 2
        sc = self.parent._cell_count("#size-cells", 1) if self.parent else 1
        c, out = self.cells("reg"), []
        step = ac + sc
        for i in range(0, len(c) - step + 1, step):
            addr = 0
            for x in c[i : i + ac]:
                addr = addr << 32 | x
            size = 0
            for x in c[i + ac : i + step]:
                size = size << 32 | x
            out.append((addr, size))
        return out

    def _interrupt_parent(self) -> Optional["DtbNode"]:
        n: Optional[DtbNode] = self
        while n is not None:
            ph = n.cells("interrupt-parent")
            if ph:
                return self.tree.by_phandle(ph[0])
            n = n.parent
        return None

    def interrupts(self) -> List[Tuple[int, Optional[int]]]:
        """(IRQ number, trigger: 0 edge, 1 level, None unsaid) of each interrupt."""
        ip = self._interrupt_parent()
        ncells = ip._cell_count("#interrupt-cells", 1) if ip else 1
        c, out = self.cells("interrupts"), []
        for i in range(0, len(c) - ncells + 1, ncells):
            spec = c[i : i + ncells]
            if ncells == 3:  # Arm GIC: type, number, flags
                base = 32 if spec[0] == 0 else 16
                out.append((base + spec[1], 0 if spec[2] & 3 else 1))
            else:
                out.append((spec[0], None))
        return out


class Dtb:
    def __init__(self, data: bytes):
        if len(data) < 40 or struct.unpack_from(">I", data, 0)[0] != _MAGIC:
            raise Exception("not a flattened device tree (no 0xd00dfeed magic)")
        _, total, off_struct, off_strings, _, _, _, _, size_strings, size_struct = struct.unpack_from(">10I", data, 0)
        strings = data[off_strings : off_strings + size_strings]
        self._phandles: Dict[int, DtbNode] = {}
        self.root: Optional[DtbNode] = None
        pos, end = off_struct, off_struct + size_struct
        stack: List[DtbNode] = []
        while pos < end:
            (tok,) = struct.unpack_from(">I", data, pos)
            pos += 4
            if tok == _BEGIN_NODE:
                nul = data.index(b"\0", pos)
                node = DtbNode(self, data[pos:nul].decode(), stack[-1] if stack else None)
                pos = (nul + 1 + 3) // 4 * 4
                if stack:
                    stack[-1].children.append(node)
                else:
                    self.root = node
                stack.append(node)
            elif tok == _END_NODE:
                stack.pop()
            elif tok == _PROP:
                length, nameoff = struct.unpack_from(">II", data, pos)
                pos += 8
                name = strings[nameoff : strings.index(b"\0", nameoff)].decode()
                stack[-1].props[name] = data[pos : pos + length]
                if name in ("phandle", "linux,phandle") and length == 4:
                    self._phandles[struct.unpack_from(">I", data, pos)[0]] = stack[-1]
                pos = (pos + length + 3) // 4 * 4
            elif tok == _NOP:
                continue
            elif tok == _END:
                break
            else:
                raise Exception(f"device tree: unknown token {tok:#x} at offset {pos - 4:#x}")
        if self.root is None:
            raise Exception("device tree: no root node")

    def by_phandle(self, ph: int) -> Optional[DtbNode]:
        return self._phandles.get(ph)

    def node(self, path: str) -> Optional[DtbNode]:
        n = self.root
        for part in [p for p in path.split("/") if p]:
            n = next((c for c in n.children if c.name == part), None)
            if n is None:
                return None
        return n
