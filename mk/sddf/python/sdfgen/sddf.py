# sddf.py — the sDDF device classes of hostkit's sdfgen (see __init__.py): each makes the regions,
# maps and channels that connect a driver, its virtualisers and clients, and writes each
# component's configuration as the C structure sDDF's header declares (cstruct.py).
from __future__ import annotations

import json
import os
from typing import List, Optional

from . import cstruct
from . import SystemDescription as _SD
from . import _round_up

Pd = _SD.ProtectionDomain


def _region(vaddr: int, size: int) -> dict:
    return {"vaddr": vaddr, "size": size}


class Sddf:
    """sDDF at PATH: its configuration headers are read from PATH/include."""

    _headers: Optional[cstruct.Headers] = None
    _path: Optional[str] = None

    def __init__(self, path: str):
        Sddf._path = path
        if not os.path.isfile(os.path.join(path, "include", "sddf", "resources", "device.h")):
            raise Exception(f"'{path}' is not an sDDF source tree (no include/sddf/resources/device.h)")
        from . import _hostkit_include
        Sddf._headers = cstruct.sddf_headers(path, _hostkit_include())

    @staticmethod
    def _h() -> cstruct.Headers:
        if Sddf._headers is None:
            raise Exception("create Sddf(PATH) before an sDDF device class")
        return Sddf._headers

    @staticmethod
    def _write(prefix: str, name: str, struct: str, value: dict):
        data = cstruct.pack(Sddf._h().struct(struct), value, struct)
        with open(os.path.join(prefix, name + ".data"), "wb") as f:
            f.write(data)

    @staticmethod
    def _device_resources(prefix: str, driver: Pd, resources: Optional[dict] = None):
        """A driver's device resources: those _bind_device made, none on a board without a device
        tree (x86_64)."""
        value = {"magic": Sddf._h().magic("DEVICE_MAGIC")}
        if resources:
            value.update(resources)
        Sddf._write(prefix, f"{driver.name}_device_resources", "device_resources_t", value)

    @staticmethod
    def _driver_config(device, cls: str) -> dict:
        """The config.json of the sDDF driver of class CLS (drivers/CLS/*/) that is compatible with
        DEVICE, as sdfgen chooses it: the first of the node's compatible strings a driver lists."""
        root = os.path.join(Sddf._path or ".", "drivers", cls)
        configs = []
        for dirpath, _, files in sorted(os.walk(root)):
            if "config.json" in files:
                with open(os.path.join(dirpath, "config.json")) as f:
                    configs.append(json.load(f))
        for compat in device.compatible:
            for c in configs:
                if compat in c.get("compatible", []):
                    return c
        raise Exception(f"no sDDF {cls} driver under {root} is compatible with device tree node {device.path} "
                        f"({', '.join(device.compatible) or 'no compatible'})")

    @staticmethod
    def _bind_device(sdf: _SD, device, driver: Pd, cls: str) -> dict:
        """DEVICE's regions and IRQs, as its driver's config.json names them, given to DRIVER: a
        region with a dt_index is the node's reg of that index, mapped uncached at its physical
        address; one without is memory of its size at a physical address of its own (DMA). Returns
        the device_resources_t members."""
        cfg = Sddf._driver_config(device, cls).get("resources", {})
        regions, irqs = [], []
        reg = device.reg()
        for r in cfg.get("regions", []):
            size = r["size"]
            name = f"{driver.name}/device/{r['name']}"
            if "dt_index" in r:
                if r["dt_index"] >= len(reg):
                    raise Exception(f"device tree node {device.path} has no reg {r['dt_index']}")
                paddr = reg[r["dt_index"]][0]
                base = paddr // 0x1000 * 0x1000
                mr = _SD.MemoryRegion(sdf, name, _round_up(paddr - base + size, 0x1000), paddr=base)
                cached = False
            else:
                paddr = None
                mr = _SD.MemoryRegion(sdf, name, _round_up(size, 0x1000), physical=True)
                base, cached = mr.paddr, True
            sdf.add_mr(mr)
            m = _SD.Map(mr, driver.get_map_vaddr(mr), r.get("perms", "rw"), cached=cached)
            driver.add_map(m)
            at = (paddr if paddr is not None else base) - base
            regions.append({"region": _region(m.vaddr + at, size), "io_addr": base + at})
        ints = device.interrupts()
        for i in cfg.get("irqs", []):
            k = i.get("dt_index", 0)
            if k >= len(ints):
                raise Exception(f"device tree node {device.path} has no interrupt {k}")
            number, trigger = ints[k]
            irqs.append({"id": driver.add_irq(_SD.IrqConventional(number, trigger=trigger))})
        return {"num_regions": len(regions), "num_irqs": len(irqs), "regions": regions, "irqs": irqs}

    @staticmethod
    def _check_device(device, what: str):
        if device is not None:
            raise Exception(f"hostkit's sdfgen: {what} from a device tree node is not supported yet (serial only)")

    # ---------------------------------------------------------------- serial
    class Serial:
        BEGIN_STR = "Begin input\r\n"

        def __init__(self, sdf: _SD, device, driver: Pd, virt_tx: Pd, *, virt_rx: Optional[Pd] = None,
                     enable_color: Optional[bool] = None, baud_rate: Optional[int] = None,
                     begin_str: Optional[str] = None):
            self.device = device  # a device tree node, or None (x86_64: I/O ports the meta.py adds)
            if driver.name == virt_tx.name or (virt_rx is not None and virt_rx.name in (driver.name, virt_tx.name)):
                raise Exception("invalid serial virtualiser: the same PD as the driver or the other virtualiser")
            self.sdf, self.driver, self.virt_tx, self.virt_rx = sdf, driver, virt_tx, virt_rx
            self.enable_color = True if enable_color is None else enable_color
            self.baud_rate = 115200 if baud_rate is None else baud_rate
            self.begin_str = self.BEGIN_STR if begin_str is None else begin_str
            self.clients: List[Pd] = []
            self.data_size, self.queue_size = 0x10000, 0x1000
            self.connected = False

        def add_client(self, client: Pd):
            if any(c.name == client.name for c in self.clients):
                raise Exception(f"serial: duplicate client '{client.name}'")
            self.clients.append(client)

        def _connect(self, server: Pd, client: Pd, data_size: int):
            conns = []
            for kind, size in (("queue", self.queue_size), ("data", data_size)):
                mr = _SD.MemoryRegion(self.sdf, f"generic/serial/{kind}/{server.name}/{client.name}", size)
                self.sdf.add_mr(mr)
                ends = []
                for pd in (server, client):
                    m = _SD.Map(mr, pd.get_map_vaddr(mr), "rw")
                    pd.add_map(m)
                    ends.append(_region(m.vaddr, size))
                conns.append(ends)
            ch = _SD.Channel(server, client)
            self.sdf.add_channel(ch)
            server_end = {"queue": conns[0][0], "data": conns[1][0], "id": ch.pd_a_id}
            client_end = {"queue": conns[0][1], "data": conns[1][1], "id": ch.pd_b_id}
            return server_end, client_end

        def connect(self) -> bool:
            self.resources = None
            if self.device is not None:
                self.resources = Sddf._bind_device(self.sdf, self.device, self.driver, "serial")
            magic = Sddf._h().magic("SDDF_SERIAL_MAGIC")
            self.driver_cfg = {"magic": magic, "default_baud": self.baud_rate}
            self.virt_rx_cfg = {"magic": magic}
            self.virt_tx_cfg = {"magic": magic}
            self.client_cfgs = [{"magic": magic} for _ in self.clients]
            if self.virt_rx is not None:
                self.driver_cfg["rx"], self.virt_rx_cfg["driver"] = self._connect(self.driver, self.virt_rx,
                                                                                 self.data_size)
                clients = []
                for i, c in enumerate(self.clients):
                    server, self.client_cfgs[i]["rx"] = self._connect(self.virt_rx, c, self.data_size)
                    clients.append(server)
                self.virt_rx_cfg.update(clients=clients, num_clients=len(self.clients), switch_char=28,
                                        terminate_num_char=ord("\r"))
                self.driver_cfg["rx_enabled"] = 1
                self.virt_tx_cfg["enable_rx"] = 1
            driver_data = self.data_size * (2 if self.enable_color else 1)
            self.driver_cfg["tx"], self.virt_tx_cfg["driver"] = self._connect(self.driver, self.virt_tx, driver_data)
            clients = []
            for i, c in enumerate(self.clients):
                server, self.client_cfgs[i]["tx"] = self._connect(self.virt_tx, c, self.data_size)
                clients.append({"conn": server, "name": c.name})
            self.virt_tx_cfg.update(clients=clients, num_clients=len(self.clients), begin_str=self.begin_str,
                                    enable_colour=1 if self.enable_color else 0)
            self.connected = True
            return True

        def serialise_config(self, prefix: str) -> bool:
            if not self.connected:
                raise Exception("serial: serialise_config before connect")
            Sddf._device_resources(prefix, self.driver, self.resources)
            Sddf._write(prefix, "serial_driver_config", "serial_driver_config_t", self.driver_cfg)
            Sddf._write(prefix, "serial_virt_rx", "serial_virt_rx_config_t", self.virt_rx_cfg)
            Sddf._write(prefix, "serial_virt_tx", "serial_virt_tx_config_t", self.virt_tx_cfg)
            for c, cfg in zip(self.clients, self.client_cfgs):
                Sddf._write(prefix, f"serial_client_{c.name}", "serial_client_config_t", cfg)
            return True

    # ---------------------------------------------------------------- timer
    class Timer:
        def __init__(self, sdf: _SD, device, driver: Pd):
            Sddf._check_device(device, "a timer device")
            self.sdf, self.driver = sdf, driver
            driver.passive = True  # every timer driver is passive: its clients call it
            self.clients: List[Pd] = []
            self.connected = False

        def add_client(self, client: Pd):
            if any(c.name == client.name for c in self.clients) or client.name == self.driver.name:
                raise Exception(f"timer: invalid client '{client.name}'")
            if (client.priority or 100) >= (self.driver.priority or 100):
                raise Exception(f"timer: driver '{self.driver.name}' must have a greater priority than client "
                                f"'{client.name}'")
            self.clients.append(client)

        def connect(self) -> bool:
            magic = Sddf._h().magic("SDDF_TIMER_MAGIC")
            self.client_cfgs = []
            for c in self.clients:
                ch = _SD.Channel(self.driver, c, pp_b=True, notify_b=False)
                self.sdf.add_channel(ch)
                self.client_cfgs.append({"magic": magic, "driver_id": ch.pd_b_id})
            self.connected = True
            return True

        def serialise_config(self, prefix: str) -> bool:
            if not self.connected:
                raise Exception("timer: serialise_config before connect")
            Sddf._device_resources(prefix, self.driver)
            for c, cfg in zip(self.clients, self.client_cfgs):
                Sddf._write(prefix, f"timer_client_{c.name}", "timer_client_config_t", cfg)
            return True

    # ---------------------------------------------------------------- block
    class Blk:
        STORAGE_INFO_SIZE = 0x1000
        DRIVER_DATA_SIZE = 10 * 0x1000  # the virtualiser reads the partition table through it

        def __init__(self, sdf: _SD, device, driver: Pd, virt: Pd):
            Sddf._check_device(device, "a block device")
            if driver.name == virt.name:
                raise Exception("invalid blk virtualiser: the same PD as the driver")
            self.sdf, self.driver, self.virt = sdf, driver, virt
            self.clients: List[tuple] = []
            self.connected = False

        def add_client(self, client: Pd, *, partition: int, queue_capacity: int = 128,
                       data_size: int = 128 * 1024 * 1024):
            if any(c[0].name == client.name for c in self.clients) or client.name in (self.driver.name, self.virt.name):
                raise Exception(f"blk: invalid client '{client.name}'")
            self.clients.append((client, partition, queue_capacity, data_size))

        def _region(self, name: str, size: int, maps, physical: bool = False):
            """A region NAME mapped into each (PD, perms) of MAPS; the maps' regions, in order."""
            mr = _SD.MemoryRegion(self.sdf, name, size, physical=physical or None)
            self.sdf.add_mr(mr)
            out = []
            for pd, perms in maps:
                m = _SD.Map(mr, pd.get_map_vaddr(mr), perms)
                pd.add_map(m)
                out.append({"vaddr": m.vaddr, "size": size})
            return mr, out

        def _conn(self, server: Pd, client: Pd, prefix: str, capacity: int, info_perms):
            """Storage info, request and response queues and a channel between SERVER (pd_a) and
            CLIENT; INFO_PERMS the two ends' perms on the storage info (its writer has rw)."""
            queue_size = capacity * 128
            _, info = self._region(f"{prefix}_storage_info", self.STORAGE_INFO_SIZE,
                                   [(server, info_perms[0]), (client, info_perms[1])])
            _, req = self._region(f"{prefix}_request", queue_size, [(server, "rw"), (client, "rw")])
            _, resp = self._region(f"{prefix}_response", queue_size, [(server, "rw"), (client, "rw")])
            ch = _SD.Channel(server, client)
            self.sdf.add_channel(ch)
            ends = []
            for i, ident in ((0, ch.pd_a_id), (1, ch.pd_b_id)):
                ends.append({"storage_info": info[i], "req_queue": req[i], "resp_queue": resp[i],
                             "num_buffers": capacity, "id": ident})
            return ends

        def connect(self) -> bool:
            magic = Sddf._h().magic("SDDF_BLK_MAGIC")
            capacity = sum(c[2] for c in self.clients)
            # the driver writes its storage info, the virtualiser reads it
            virt_end, drv_end = self._conn(self.virt, self.driver, "blk_driver", capacity, ("r", "rw"))
            mr, (data,) = self._region("blk_driver_data", self.DRIVER_DATA_SIZE, [(self.virt, "rw")], physical=True)
            self.driver_cfg = {"magic": magic, "virt": drv_end}
            virt_cfg = {"magic": magic, "num_clients": len(self.clients),
                        "driver": {"conn": virt_end, "data": {"region": data, "io_addr": mr.paddr}}, "clients": []}
            self.client_cfgs = []
            for client, partition, cap, size in self.clients:
                v_end, c_end = self._conn(self.virt, client, f"blk_client_{client.name}", cap, ("rw", "r"))
                mr, (vdata, cdata) = self._region(f"blk_client_{client.name}_data", size,
                                                  [(self.virt, "rw"), (client, "rw")], physical=True)
                virt_cfg["clients"].append({"conn": v_end, "data": {"region": vdata, "io_addr": mr.paddr},
                                            "partition": partition})
                self.client_cfgs.append({"magic": magic, "virt": c_end, "data": cdata})
            self.virt_cfg = virt_cfg
            self.connected = True
            return True

        def serialise_config(self, prefix: str) -> bool:
            if not self.connected:
                raise Exception("blk: serialise_config before connect")
            Sddf._device_resources(prefix, self.driver)
            Sddf._write(prefix, "blk_driver", "blk_driver_config_t", self.driver_cfg)
            Sddf._write(prefix, "blk_virt", "blk_virt_config_t", self.virt_cfg)
            for (client, *_), cfg in zip(self.clients, self.client_cfgs):
                Sddf._write(prefix, f"blk_client_{client.name}", "blk_client_config_t", cfg)
            return True

    # ---------------------------------------------------------------- network
    class Net:
        """A network driver, its two virtualisers and clients (each with a copier, which copies
        received frames out of the driver's DMA buffers into the client's own). Every connection
        is a free and an active queue (sDDF's net_queue_t: 8 bytes of indices, 16 per buffer) and a
        channel; frames live in buffers of NET_BUFFER_SIZE bytes. The DMA regions (the driver's
        receive buffers, each client's transmit buffers) have physical addresses, which are what
        the queues carry to the driver (sDDF's network/components read `io_addr` for them)."""
        BUFFER_SIZE = 2048       # NET_BUFFER_SIZE, include/sddf/network/constants.h
        CAPACITY = 512           # buffers per queue

        def __init__(self, sdf: _SD, device, driver: Pd, virt_tx: Pd, virt_rx: Pd, rx_dma: Optional[_SD.MemoryRegion] = None):
            Sddf._check_device(device, "a network device")
            if len({driver.name, virt_tx.name, virt_rx.name}) != 3:
                raise Exception("invalid net virtualisers: the driver and the two virtualisers must be three PDs")
            self.sdf, self.driver, self.virt_tx, self.virt_rx = sdf, driver, virt_tx, virt_rx
            self.rx_dma = rx_dma
            self.clients: List[tuple] = []  # (client, copier or None, mac)
            self.connected = False

        @staticmethod
        def _queue_size(capacity: int) -> int:
            return _round_up(8 + 16 * capacity, 0x1000)

        def _mac(self, client: Pd, mac: Optional[str]) -> List[int]:
            if mac is not None:
                parts = [int(p, 16) for p in mac.split(":")]
                if len(parts) != 6:
                    raise Exception(f"net: client '{client.name}': '{mac}' is not a MAC address")
                return parts
            # locally administered, unicast, one per client in the order they were added
            return [0x52, 0x54, 0x01, 0x00, 0x00, 0x10 + len(self.clients)]

        def add_client_with_copier(self, client: Pd, copier: Optional[Pd] = None, *, mac_addr: Optional[str] = None,
                                   rx: bool = True, tx: bool = True):
            names = {self.driver.name, self.virt_tx.name, self.virt_rx.name}
            if client.name in names or any(c[0].name == client.name for c in self.clients):
                raise Exception(f"net: invalid client '{client.name}'")
            if copier is not None and (copier.name in names or copier.name == client.name):
                raise Exception(f"net: invalid copier '{copier.name}' for client '{client.name}'")
            self.clients.append((client, copier, self._mac(client, mac_addr)))

        def add_client(self, client: Pd, **kw):
            self.add_client_with_copier(client, None, **kw)

        def _map(self, mr, pd: Pd, perms: str) -> dict:
            m = _SD.Map(mr, pd.get_map_vaddr(mr), perms)
            pd.add_map(m)
            return {"vaddr": m.vaddr, "size": mr.size}

        def _mr(self, name: str, size: int, physical: bool = False):
            mr = _SD.MemoryRegion(self.sdf, name, size, physical=physical or None)
            self.sdf.add_mr(mr)
            return mr

        def _conn(self, a: Pd, b: Pd, capacity: int, name: str):
            """Free and active queues between A and B and a channel: A's end, B's end."""
            ends = [{"num_buffers": capacity}, {"num_buffers": capacity}]
            for kind in ("free", "active"):
                mr = self._mr(f"net_{kind}_{name}", self._queue_size(capacity))
                ends[0][f"{kind}_queue"] = self._map(mr, a, "rw")
                ends[1][f"{kind}_queue"] = self._map(mr, b, "rw")
            ch = _SD.Channel(a, b)
            self.sdf.add_channel(ch)
            ends[0]["id"], ends[1]["id"] = ch.pd_a_id, ch.pd_b_id
            return ends[0], ends[1]

        def connect(self) -> bool:
            cap = self.CAPACITY
            rx_size = cap * self.BUFFER_SIZE
            drv_rx, virt_rx_drv = self._conn(self.driver, self.virt_rx, cap, f"{self.driver.name}_{self.virt_rx.name}")
            tx_cap = cap * max(1, len(self.clients))
            drv_tx, virt_tx_drv = self._conn(self.driver, self.virt_tx, tx_cap, f"{self.driver.name}_{self.virt_tx.name}")
            self.driver_cfg = {"virt_rx": drv_rx, "virt_tx": drv_tx}
            dma = self.rx_dma or self._mr(f"net_rx_dma_{self.virt_rx.name}", rx_size, physical=True)
            meta = self._mr(f"net_rx_buffer_metadata_{self.virt_rx.name}", _round_up(cap, 0x1000))
            self.virt_rx_cfg = {"driver": virt_rx_drv,
                                "data": {"region": self._map(dma, self.virt_rx, "rw"), "io_addr": dma.paddr},
                                "buffer_metadata": self._map(meta, self.virt_rx, "rw"), "clients": []}
            self.virt_tx_cfg = {"driver": virt_tx_drv, "clients": []}
            self.copy_cfgs, self.client_cfgs = [], []
            for client, copier, mac in self.clients:
                rx_peer = copier or client
                v_end, p_end = self._conn(self.virt_rx, rx_peer, cap, f"{self.virt_rx.name}_{rx_peer.name}")
                self.virt_rx_cfg["clients"].append({"conn": v_end, "mac_addrs": [{"addr": mac}], "num_macs": 1})
                cfg = {"mac_addr": {"addr": mac}}
                if copier is not None:
                    cp_end, c_end = self._conn(copier, client, cap, f"{copier.name}_{client.name}")
                    data = self._mr(f"net_rx_data_{client.name}", rx_size)
                    self.copy_cfgs.append((copier, {"rx": p_end, "rx_data": [self._map(dma, copier, "r")],
                                                    "client": cp_end, "client_data": self._map(data, copier, "rw")}))
                    cfg.update(rx=c_end, rx_data=self._map(data, client, "rw"))
                else:
                    cfg.update(rx=p_end, rx_data=self._map(dma, client, "r"))
                t_end, c_end = self._conn(self.virt_tx, client, cap, f"{self.virt_tx.name}_{client.name}")
                tx_data = self._mr(f"net_tx_data_{client.name}", cap * self.BUFFER_SIZE, physical=True)
                self.virt_tx_cfg["clients"].append({"conn": t_end, "num_regions": 1, "regions": [
                    {"data": {"region": self._map(tx_data, self.virt_tx, "r"), "io_addr": tx_data.paddr},
                     "num_buffers": cap}]})
                cfg.update(tx=c_end, tx_data=self._map(tx_data, client, "rw"))
                self.client_cfgs.append((client, cfg))
            self.virt_rx_cfg["num_clients"] = len(self.clients)
            self.virt_tx_cfg["num_clients"] = len(self.clients)
            self.connected = True
            return True

        def serialise_config(self, prefix: str) -> bool:
            if not self.connected:
                raise Exception("net: serialise_config before connect")
            magic = Sddf._h().magic("SDDF_NET_MAGIC")
            Sddf._device_resources(prefix, self.driver)
            Sddf._write(prefix, "net_driver", "net_driver_config_t", dict(self.driver_cfg, magic=magic))
            Sddf._write(prefix, "net_virt_rx", "net_virt_rx_config_t", dict(self.virt_rx_cfg, magic=magic))
            Sddf._write(prefix, "net_virt_tx", "net_virt_tx_config_t", dict(self.virt_tx_cfg, magic=magic))
            for copier, cfg in self.copy_cfgs:
                Sddf._write(prefix, f"net_copy_{copier.name}", "net_copy_config_t", dict(cfg, magic=magic))
            for client, cfg in self.client_cfgs:
                Sddf._write(prefix, f"net_client_{client.name}", "net_client_config_t", dict(cfg, magic=magic))
            return True

    # ---------------------------------------------------------------- lwIP
    class Lwip:
        """sDDF's lwIP library in CLIENT of NET: its pool of pbufs, one per receive buffer and as
        many again (lib_sddf_lwip.c asserts at least the receive queue's capacity)."""
        PBUF_SIZE = 64  # bytes per pbuf: pbuf_custom_offset_t is 40 bytes on LP64 (lwIP's pbuf, 24; its free function, 8; the offset, 8)

        def __init__(self, sdf: _SD, net: "Sddf.Net", client: Pd):
            if not any(c[0].name == client.name for c in net.clients):
                raise Exception(f"lwip: '{client.name}' is not a client of the network system")
            self.sdf, self.net, self.client = sdf, net, client
            self.connected = False

        @staticmethod
        def _magic() -> bytes:
            # the magic is in the library's source (network/lib_sddf_lwip/lib_sddf_lwip.c), not a header
            import re
            path = os.path.join(Sddf._h().include_dirs[0], "..", "network", "lib_sddf_lwip", "lib_sddf_lwip.c")
            with open(path) as f:
                m = re.search(r"SDDF_LIB_SDDF_LWIP_MAGIC\[[^]]*\]\s*=\s*\{([^}]*)\}", f.read())
            if not m:
                raise Exception(f"{path}: no SDDF_LIB_SDDF_LWIP_MAGIC")
            return bytes(Sddf._h()._char(v.strip()) for v in m.group(1).split(","))

        def connect(self) -> bool:
            self.num_pbufs = 2 * self.net.CAPACITY
            mr = _SD.MemoryRegion(self.sdf, f"{self.client.name}_lib_sddf_lwip_pbuf_pool",
                                  _round_up(self.num_pbufs * self.PBUF_SIZE, 0x1000))
            self.sdf.add_mr(mr)
            m = _SD.Map(mr, self.client.get_map_vaddr(mr), "rw")
            self.client.add_map(m)
            self.cfg = {"magic": self._magic(), "pbuf_pool": {"vaddr": m.vaddr, "size": mr.size},
                        "num_pbufs": self.num_pbufs}
            self.connected = True
            return True

        def serialise_config(self, prefix: str) -> bool:
            if not self.connected:
                raise Exception("lwip: serialise_config before connect")
            Sddf._write(prefix, f"lib_sddf_lwip_config_{self.client.name}", "lib_sddf_lwip_config_t", self.cfg)
            return True
