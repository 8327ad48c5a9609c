# sdfgen — hostkit's stand-in for sDDF's system generator (the `sdfgen` Python package, 0.35, which
# is built with Zig and cannot be installed here). It has the part of sdfgen's Python API that
# sDDF's example meta.py scripts use, so they run unchanged: SystemDescription (protection domains,
# memory regions, maps, channels, IRQs, I/O ports; render() writes the .system file) and the sDDF
# device classes Sddf.Serial, Sddf.Timer, Sddf.Blk, Sddf.Net and Sddf.Lwip, each connect()ing its
# driver, virtualisers and clients with shared regions and channels, and serialise_config(DIR)
# writing the `*.data` files sDDF's Makefiles patch into the images. Their bytes are sDDF's own
# configuration structures, laid out from sDDF's headers (cstruct.py), never from a copy of them.
#
# What it decides as sdfgen documents it: regions of 0x1000 (queues) and 0x10000 (data; the
# driver's transmit data twice that with colour) for serial, its begin string and switch
# characters; a passive timer driver that its clients call; channel ids the lowest free one of each
# PD; a map's vaddr the first page after the PD's highest map from 0x10000000 on. A device tree
# node (DeviceTree, dtb.py) gives a serial driver its device as sdfgen does: the regions and IRQs
# its driver's config.json names, at the node's reg and interrupts (sddf.py).
# docs/sddf.md describes how to use it.
from __future__ import annotations

import enum
import os
from typing import List, Optional

from . import cstruct

__version__ = "0.35.0+hostkit"

_PAGE = 0x1000


def _round_up(v: int, a: int) -> int:
    return (v + a - 1) // a * a


def _hostkit_include() -> List[str]:
    """hostkit's own headers (microkit.h names MICROKIT_PD_NAME_LENGTH, which sDDF uses)."""
    here = os.path.dirname(os.path.abspath(__file__))
    found = []
    env = os.environ.get("HOSTKIT_INCLUDE")
    if env:
        found.append(env)
    # installed in an SDK tree: SDK/lib/python/sdfgen; in the source tree: mk/sddf/python/sdfgen
    sdk = os.path.normpath(os.path.join(here, "..", "..", ".."))
    for cand in (os.path.join(sdk, "board", "hostkit", "debug", "include"),
                 os.path.normpath(os.path.join(here, "..", "..", "..", "..", "include"))):
        if os.path.isfile(os.path.join(cand, "microkit.h")):
            found.append(cand)
    return found


class DeviceTree:
    """sdfgen's device tree: a DTB (dtb.py reads it); node(PATH) is the node at PATH or None."""

    def __init__(self, data: bytes):
        from .dtb import Dtb
        self._dtb = Dtb(data)

    def node(self, path: str):
        return self._dtb.node(path)


class SystemDescription:
    class Arch(enum.IntEnum):
        AARCH32 = 0
        AARCH64 = 1
        RISCV32 = 2
        RISCV64 = 3
        X86 = 4
        X86_64 = 5

    class MemoryRegion:
        def __init__(self, sdf: "SystemDescription", name: str, size: int, *, physical: Optional[bool] = None,
                     paddr: Optional[int] = None, page_size: Optional[int] = None):
            self.name, self.size, self.paddr, self.page_size = name, size, paddr, page_size
            if (physical or paddr is not None) and paddr is None:
                paddr = sdf._alloc_paddr(size)
                self.paddr = paddr

    class Map:
        def __init__(self, mr: "SystemDescription.MemoryRegion", vaddr: int, perms: str, *, cached: bool = True,
                     setvar_vaddr: Optional[str] = None, setvar_size: Optional[str] = None):
            self.mr, self.vaddr, self.perms, self.cached = mr, vaddr, perms, cached
            self.setvar_vaddr, self.setvar_size = setvar_vaddr, setvar_size

    class Irq:
        id: Optional[int] = None

    class IrqConventional(Irq):
        class Trigger(enum.IntEnum):
            EDGE = 0
            LEVEL = 1

        def __init__(self, irq: int, *, trigger=None, id: Optional[int] = None, setvar_id: Optional[str] = None):
            self.irq, self.trigger, self.id, self.setvar_id = irq, trigger, id, setvar_id

        def _xml(self):
            trig = f' trigger="{"edge" if self.trigger == 0 else "level"}"' if self.trigger is not None else ""
            return f'<irq irq="{self.irq}" id="{self.id}"{trig}{_setvar(self.setvar_id)} />'

    class IrqIoapic(Irq):
        class Trigger(enum.IntEnum):
            EDGE = 0
            LEVEL = 1

        class Polarity(enum.IntEnum):
            ACTIVELOW = 0
            ACTIVEHIGH = 1

        def __init__(self, ioapic_id: int, pin: int, vector: int, trigger=None, polarity=None,
                     id: Optional[int] = None, setvar_id: Optional[str] = None):
            self.ioapic, self.pin, self.vector = ioapic_id, pin, vector
            self.trigger, self.polarity, self.id, self.setvar_id = trigger, polarity, id, setvar_id

        def _xml(self):
            extra = ""
            if self.trigger is not None:
                extra += f' trigger="{"edge" if self.trigger == 0 else "level"}"'
            if self.polarity is not None:
                extra += f' polarity="{"low" if self.polarity == 0 else "high"}"'
            return (f'<irq ioapic="{self.ioapic}" pin="{self.pin}" vector="{self.vector}" id="{self.id}"'
                    f'{extra}{_setvar(self.setvar_id)} />')

    class IrqMsi(Irq):
        def __init__(self, pci_bus: int, pci_device: int, pci_func: int, vector: int, handle: int,
                     id: Optional[int] = None, setvar_id: Optional[str] = None):
            self.bus, self.dev, self.func, self.vector, self.handle = pci_bus, pci_device, pci_func, vector, handle
            self.id, self.setvar_id = id, setvar_id

        def _xml(self):
            return (f'<irq pcidev="{self.bus}:{self.dev}.{self.func}" vector="{self.vector}" handle="{self.handle}" '
                    f'id="{self.id}"{_setvar(self.setvar_id)} />')

    class IoPort:
        def __init__(self, addr: int, size: int, id: Optional[int] = None):
            self.addr, self.size, self.id = addr, size, id

    class ProtectionDomain:
        def __init__(self, name: str, program_image: str, priority: Optional[int] = None,
                     budget: Optional[int] = None, period: Optional[int] = None, passive: Optional[bool] = None,
                     stack_size: Optional[int] = None, cpu: Optional[int] = None):
            self.name, self.program_image = name, program_image
            self.priority, self.budget, self.period = priority, budget, period
            self.passive, self.stack_size, self.cpu = passive, stack_size, cpu
            self.maps: List[SystemDescription.Map] = []
            self.irqs: List[SystemDescription.Irq] = []
            self.ioports: List[SystemDescription.IoPort] = []
            self.children: List[tuple] = []
            self.used_ids = set()  # channel and IRQ ids, and child ids
            self.used_ioport_ids = set()

        def _alloc_id(self, want: Optional[int] = None) -> int:
            if want is not None:
                if want in self.used_ids:
                    raise Exception(f"PD '{self.name}': id {want} is already used")
                self.used_ids.add(want)
                return want
            for i in range(62):
                if i not in self.used_ids:
                    self.used_ids.add(i)
                    return i
            raise Exception(f"PD '{self.name}' has no channel id left")

        def add_map(self, map: "SystemDescription.Map"):
            self.maps.append(map)

        def get_map_vaddr(self, mr: "SystemDescription.MemoryRegion") -> int:
            page = mr.page_size or _PAGE
            top = 0x10000000
            for m in self.maps:
                if m.vaddr + m.mr.size > top:
                    top = m.vaddr + m.mr.size
            return _round_up(top, page)

        def add_irq(self, irq: "SystemDescription.Irq") -> int:
            irq.id = self._alloc_id(irq.id)
            self.irqs.append(irq)
            return irq.id

        def add_ioport(self, ioport: "SystemDescription.IoPort") -> int:
            if ioport.id is None:
                ioport.id = min(set(range(64)) - self.used_ioport_ids)
            self.used_ioport_ids.add(ioport.id)
            self.ioports.append(ioport)
            return ioport.id

        def add_child_pd(self, child: "SystemDescription.ProtectionDomain", child_id: Optional[int] = None) -> int:
            cid = self._alloc_id(child_id)
            self.children.append((cid, child))
            return cid

        def _xml(self, indent: str, child_id: Optional[int] = None) -> List[str]:
            attrs = f'name="{self.name}"'
            if child_id is not None:
                attrs += f' id="{child_id}"'
            for k in ("priority", "budget", "period", "stack_size", "cpu"):
                v = getattr(self, k)
                if v is not None:
                    attrs += f' {k}="{hex(v) if k == "stack_size" else v}"'
            if self.passive is not None:
                attrs += f' passive="{"true" if self.passive else "false"}"'
            out = [f"{indent}<protection_domain {attrs}>", f'{indent}    <program_image path="{self.program_image}" />']
            for m in self.maps:
                sv = _setvar(m.setvar_vaddr, "setvar_vaddr") + _setvar(m.setvar_size, "setvar_size")
                out.append(f'{indent}    <map mr="{m.mr.name}" vaddr="0x{m.vaddr:x}" perms="{m.perms}" '
                           f'cached="{"true" if m.cached else "false"}"{sv} />')
            for irq in self.irqs:
                out.append(f"{indent}    {irq._xml()}")
            for io in self.ioports:
                out.append(f'{indent}    <ioport id="{io.id}" addr="0x{io.addr:x}" size="{io.size}" />')
            for cid, child in self.children:
                out += child._xml(indent + "    ", cid)
            out.append(f"{indent}</protection_domain>")
            return out

        def __repr__(self):
            return f"ProtectionDomain({self.name})"

    class Channel:
        def __init__(self, a: "SystemDescription.ProtectionDomain", b: "SystemDescription.ProtectionDomain", *,
                     a_id: Optional[int] = None, b_id: Optional[int] = None, pp_a: Optional[bool] = None,
                     pp_b: Optional[bool] = None, notify_a: Optional[bool] = None, notify_b: Optional[bool] = None,
                     pd_a_setvar_id: Optional[str] = None, pd_b_setvar_id: Optional[str] = None):
            if pp_a and pp_b:
                raise Exception("attempting to create channel with PP on both ends")
            self.a, self.b = a, b
            self.pd_a_id, self.pd_b_id = a._alloc_id(a_id), b._alloc_id(b_id)
            self.pp_a, self.pp_b, self.notify_a, self.notify_b = pp_a, pp_b, notify_a, notify_b
            self.setvar_a, self.setvar_b = pd_a_setvar_id, pd_b_setvar_id

        def _xml(self, indent: str) -> List[str]:
            def end(pd, i, pp, notify, sv):
                e = f'{indent}    <end pd="{pd.name}" id="{i}"'
                if pp:
                    e += ' pp="true"'
                if notify is not None:
                    e += f' notify="{"true" if notify else "false"}"'
                return e + _setvar(sv) + " />"

            return [f"{indent}<channel>", end(self.a, self.pd_a_id, self.pp_a, self.notify_a, self.setvar_a),
                    end(self.b, self.pd_b_id, self.pp_b, self.notify_b, self.setvar_b), f"{indent}</channel>"]

    def __init__(self, arch: "SystemDescription.Arch", paddr_top: int):
        self.arch, self.paddr_top = arch, paddr_top
        self.pds: List[SystemDescription.ProtectionDomain] = []
        self.mrs: List[SystemDescription.MemoryRegion] = []
        self.channels: List[SystemDescription.Channel] = []
        self._next_paddr = paddr_top

    def _alloc_paddr(self, size: int) -> int:
        """A physical address for a region that asks for one (DMA), downwards from paddr_top."""
        self._next_paddr = (self._next_paddr - size) // _PAGE * _PAGE
        return self._next_paddr

    def add_pd(self, pd: "SystemDescription.ProtectionDomain"):
        self.pds.append(pd)

    def add_mr(self, mr: "SystemDescription.MemoryRegion"):
        if any(m.name == mr.name for m in self.mrs):
            raise Exception(f"memory region '{mr.name}' is added twice")
        self.mrs.append(mr)

    def add_channel(self, ch: "SystemDescription.Channel"):
        self.channels.append(ch)

    def render(self) -> str:
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               "<!-- Written by hostkit's sdfgen (mk/sddf/python), for hostkit or seL4. -->", "<system>"]
        for mr in self.mrs:
            extra = f' page_size="0x{mr.page_size:x}"' if mr.page_size else ""
            if mr.paddr is not None:
                extra += f' phys_addr="0x{mr.paddr:x}"'
            out.append(f'    <memory_region name="{mr.name}" size="0x{mr.size:x}"{extra} />')
        for pd in self.pds:
            out += pd._xml("    ")
        for ch in self.channels:
            out += ch._xml("    ")
        out.append("</system>")
        return "\n".join(out) + "\n"


def _setvar(name: Optional[str], attr: str = "setvar_id") -> str:
    return f' {attr}="{name}"' if name else ""


Sdf = SystemDescription
Pd = SystemDescription.ProtectionDomain
Mr = SystemDescription.MemoryRegion
Map = SystemDescription.Map
Channel = SystemDescription.Channel

from .sddf import Sddf  # noqa: E402  (the device classes use the classes above)

__all__ = ["SystemDescription", "Sddf", "DeviceTree"]
