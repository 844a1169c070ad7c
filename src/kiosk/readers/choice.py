"""Which badge reader a device has, from its settings: one section, one family.

```toml
[reader]
family = "pcsc"          # mfrc522 | pcsc | wedge | simulated
pcsc_name = "ACR122"     # pcsc: part of the reader's name (default: the first one)
spi_bus = 0              # mfrc522: /dev/spidev{bus}.{device}
spi_device = 0
wedge_device = "/dev/input/by-id/usb-...-event-kbd"   # wedge: path or part of its name
wedge_format = "decimal" # decimal | uid_decimal | uid_hex
wedge_byte_order = "big" # uid_decimal: big | little
simulated_feed = "/run/depotclock-kiosk/taps"  # simulated: a FIFO of badge ids, one a line
```
The reader module is imported only for the family chosen, so a kiosk with a PC/SC
reader never needs spidev.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from depotclock.config import ConfigError
from depotclock.wire.badge import ReaderFamily
from kiosk.readers.base import Reader


class ReaderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    family: ReaderFamily = ReaderFamily.PCSC
    pcsc_name: str | None = None
    spi_bus: int = Field(default=0, ge=0)
    spi_device: int = Field(default=0, ge=0)
    wedge_device: str | None = None
    wedge_format: Literal["decimal", "uid_decimal", "uid_hex"] = "decimal"
    wedge_byte_order: Literal["big", "little"] = "big"
    simulated_feed: Path | None = None


def make_reader(settings: ReaderSettings) -> Reader:
    """The reader `settings` describe."""
    family = settings.family
    if family is ReaderFamily.PCSC:
        from kiosk.readers.pcsc import PcscReader

        return PcscReader(settings.pcsc_name)
    if family is ReaderFamily.MFRC522:
        from kiosk.readers.mfrc522 import Mfrc522Reader

        return Mfrc522Reader(bus=settings.spi_bus, device=settings.spi_device)
    if family is ReaderFamily.WEDGE:
        from kiosk.readers.wedge import WedgeReader

        if settings.wedge_device is None:
            raise ConfigError("setting 'reader.wedge_device' is needed for a keyboard-wedge reader")
        return WedgeReader(
            settings.wedge_device, format=settings.wedge_format, byte_order=settings.wedge_byte_order
        )
    from kiosk.readers.simulated import SimulatedReader

    if settings.simulated_feed is None:
        raise ConfigError("setting 'reader.simulated_feed' is needed for a simulated reader")
    return SimulatedReader(settings.simulated_feed)
