"""An MFRC522 on a fake Raspberry Pi's SPI bus, with an ISO 14443A card to put in its field.

In the spirit of gpiozero's MockSPIDevice, the chip's side of SPI is emulated register by
register, so the unmodified `mfrc522` library runs against it. `FakePi.install` puts fake
`spidev`, `RPi` and `RPi.GPIO` modules in sys.modules and drops any cached `mfrc522`.
Time is not emulated: a frame is answered the moment StartSend is set, and a frame nobody
answers raises TimerIRq at once (the library still counts its 2,000 register reads).
Sources: NXP MFRC522 datasheet rev. 3.9 (registers, commands); ISO/IEC 14443-3 (card
states, REQA/WUPA, anticollision, SELECT, HLTA, CRC_A).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import Enum
from types import ModuleType

import pytest

VERSION_2_0 = 0x92  # VersionReg of an NXP MFRC522 v2.0
REQA, WUPA, HLTA = 0x26, 0x52, 0x50
CASCADE = (0x93, 0x95, 0x97)  # SEL codes of cascade levels 1, 2, 3
CASCADE_TAG = 0x88
NVB_ANTICOLL, NVB_SELECT = 0x20, 0x70
SAK_UID_INCOMPLETE = 0x04
SAK_MIFARE_CLASSIC_1K = 0x08

# registers the emulator gives meaning to (datasheet table 20)
COMMAND, COMM_IRQ, DIV_IRQ, ERROR, STATUS1, STATUS2 = 0x01, 0x04, 0x05, 0x06, 0x07, 0x08
FIFO_DATA, FIFO_LEVEL, CONTROL, BIT_FRAMING = 0x09, 0x0A, 0x0C, 0x0D
MODE, TX_CONTROL, CRC_RESULT_MSB, CRC_RESULT_LSB = 0x11, 0x14, 0x21, 0x22
T_MODE, VERSION = 0x2A, 0x37
IDLE, CALC_CRC, TRANSCEIVE, MF_AUTHENT, SOFT_RESET = 0x0, 0x3, 0xC, 0xE, 0xF
TX_IRQ, RX_IRQ, IDLE_IRQ, TIMER_IRQ, CRC_IRQ = 0x40, 0x20, 0x10, 0x01, 0x04
BUFFER_OVFL, MF_CRYPTO1_ON, CRC_READY = 0x10, 0x08, 0x20
FIFO_SIZE = 64
CRC_PRESETS = (0x0000, 0x6363, 0xA671, 0xFFFF)  # ModeReg CRCPreset bits
RESET_VALUES = {
    0x01: 0x20, 0x02: 0x80, 0x04: 0x14, 0x07: 0x21, 0x0B: 0x08, 0x0C: 0x10, 0x0E: 0xA0,
    0x11: 0x3F, 0x14: 0x80, 0x16: 0x10, 0x17: 0x84, 0x18: 0x84, 0x19: 0x4D, 0x1C: 0x62,
    0x1F: 0xEB, 0x21: 0xFF, 0x22: 0xFF, 0x24: 0x26, 0x26: 0x48, 0x27: 0x88, 0x28: 0x20,
    0x29: 0x20, 0x37: VERSION_2_0,
}


def crc_a(data: bytes | list[int], preset: int = 0x6363) -> bytes:
    """ISO/IEC 14443-3 annex B CRC_A, low byte first as it goes on air."""
    crc = preset
    for byte in data:
        byte = (byte ^ crc) & 0xFF
        byte = (byte ^ (byte << 4)) & 0xFF
        crc = (crc >> 8) ^ (byte << 8) ^ (byte << 3) ^ (byte >> 4)
    return bytes([crc & 0xFF, crc >> 8])


HLTA_FRAME = bytes([HLTA, 0x00]) + crc_a([HLTA, 0x00])


def bcc(part: bytes) -> int:
    """The check byte that follows 4 UID bytes: their XOR."""
    return part[0] ^ part[1] ^ part[2] ^ part[3]


class CardState(Enum):
    IDLE = "idle"
    READY = "ready"
    ACTIVE = "active"
    HALT = "halt"


@dataclass
class Card:
    """An ISO 14443A card (MIFARE Classic 1K by default) with a 4-, 7- or 10-byte UID.

    `bad_bcc` makes it send a wrong check byte in every anticollision answer.
    """

    uid: bytes
    sak: int = SAK_MIFARE_CLASSIC_1K
    bad_bcc: bool = False
    state: CardState = field(default=CardState.IDLE, init=False)
    _from_halt: bool = field(default=False, init=False)  # READY*/ACTIVE*: woken from HALT
    _level: int = field(default=0, init=False)  # cascade level being resolved, 0-based

    def __post_init__(self) -> None:
        if len(self.uid) not in (4, 7, 10):
            raise ValueError(f"a card UID has 4, 7 or 10 bytes, not {len(self.uid)}")

    @property
    def parts(self) -> list[bytes]:
        """UID CLn per cascade level: cascade tag + 3 bytes, until the last 4."""
        uid, parts = self.uid, []
        while len(uid) > 4:
            parts.append(bytes([CASCADE_TAG]) + uid[:3])
            uid = uid[3:]
        return [*parts, uid]

    def power_off(self) -> None:
        self.state, self._from_halt, self._level = CardState.IDLE, False, 0

    def answer(self, frame: bytes, bits: int) -> tuple[bytes, int] | None:
        """The card's answer and the valid bits of its last byte (0: all); None: silent."""
        if bits == 7:
            return self._short_frame(frame[0])
        resolving = self.state is CardState.READY and frame[0] == CASCADE[self._level]
        if resolving and bits % 8 == 0:
            return self._anticollision(frame)
        if self.state is CardState.ACTIVE and frame == HLTA_FRAME:
            self.state = CardState.HALT
            return None
        self._fall_back()  # MIFARE commands (READ, WRITE...) are not modelled
        return None

    def _short_frame(self, command: int) -> tuple[bytes, int] | None:
        wakes = {CardState.IDLE} if command == REQA else {CardState.IDLE, CardState.HALT}
        if command in (REQA, WUPA) and self.state in wakes:
            self._from_halt = self.state is CardState.HALT
            self.state, self._level = CardState.READY, 0
            size = (len(self.parts) - 1) << 6  # ATQA bits 8-7: single, double, triple
            return bytes([0x04 | size, 0x00]), 0
        self._fall_back()
        return None

    def _anticollision(self, frame: bytes) -> tuple[bytes, int] | None:
        part = self.parts[self._level]
        check = bcc(part) ^ (0xFF if self.bad_bcc else 0)
        if frame[1:] == bytes([NVB_ANTICOLL]):
            return part + bytes([check]), 0
        selected = bytes([frame[0], NVB_SELECT]) + part + bytes([bcc(part)])
        if len(frame) == 9 and frame[:7] == selected and _crc_ok(frame):
            if self._level + 1 < len(self.parts):
                self._level += 1
                sak = SAK_UID_INCOMPLETE
            else:
                self.state, sak = CardState.ACTIVE, self.sak & ~SAK_UID_INCOMPLETE
            return bytes([sak]) + crc_a([sak]), 0
        self._fall_back()  # bit-oriented anticollision (one card never needs it), bad CRC
        return None

    def _fall_back(self) -> None:
        """ISO 14443-3: an unexpected frame sends READY and ACTIVE back to IDLE or HALT."""
        if self.state in (CardState.READY, CardState.ACTIVE):
            self.state = CardState.HALT if self._from_halt else CardState.IDLE


def _crc_ok(frame: bytes) -> bool:
    return crc_a(frame[:-2]) == frame[-2:]


class Mfrc522Chip:
    """The chip's side of SPI: registers, 64-byte FIFO, CRC coprocessor, the RF field."""

    def __init__(self, version: int = VERSION_2_0):
        self.version = version
        self.card: Card | None = None
        self.answering = True  # False: unplugged, MISO reads 0x00 and writes go nowhere
        self.frames: list[tuple[bytes, int]] = []  # what went on air: frame, bits
        self.power_on_reset()

    # the test's hands
    def present(self, uid: bytes | str, *, bad_bcc: bool = False) -> Card:
        """Put a card in the field (it powers up IDLE if the antenna is on)."""
        uid = bytes.fromhex(uid) if isinstance(uid, str) else uid
        self.card = Card(uid, bad_bcc=bad_bcc)
        return self.card

    def remove(self) -> None:
        self.card = None

    def unplug(self) -> None:
        self.answering = False

    def plug_in(self) -> None:
        """Connect the chip again: it comes back from power-on reset, antenna off."""
        self.answering = True
        self.power_on_reset()

    @property
    def field_on(self) -> bool:
        return bool(self.regs[TX_CONTROL] & 0x03)  # Tx1RFEn, Tx2RFEn

    # SPI, datasheet 8.1.2: address byte (addr << 1) & 0x7E, bit 7 set to read
    def transfer(self, data: list[int]) -> list[int]:
        if not self.answering or not data:
            return [0] * len(data)
        address = (data[0] >> 1) & 0x3F
        if not data[0] & 0x80:
            for value in data[1:]:
                self.write(address, value)
            return [0] * len(data)
        out = [0]
        for byte in data[1:]:  # each byte clocks out the register the previous one named
            out.append(self.read(address))
            address = (byte >> 1) & 0x3F
        return out

    def power_on_reset(self) -> None:
        self.regs = [0] * 64
        for address, value in RESET_VALUES.items():
            self.regs[address] = value
        self.regs[VERSION] = self.version
        self.fifo: list[int] = []
        self.comm_irq, self.div_irq, self.error, self.rx_last_bits = 0x14, 0x00, 0x00, 0
        self.command = IDLE
        if self.card is not None:
            self.card.power_off()

    def read(self, address: int) -> int:
        if address == COMM_IRQ:
            return self.comm_irq
        if address == DIV_IRQ:
            return self.div_irq
        if address == ERROR:
            return self.error
        if address == FIFO_DATA:
            return self.fifo.pop(0) if self.fifo else 0
        if address == FIFO_LEVEL:
            return len(self.fifo)
        if address == CONTROL:
            return (self.regs[CONTROL] & 0xF8) | self.rx_last_bits
        return self.regs[address]

    def write(self, address: int, value: int) -> None:
        if address == COMMAND:
            self.regs[COMMAND] = value & 0x30  # RcvOff, PowerDown
            self._start(value & 0x0F)
        elif address in (COMM_IRQ, DIV_IRQ):  # bit 7 Set1/Set2: set, or clear, bits marked
            bits = self.comm_irq if address == COMM_IRQ else self.div_irq
            bits = bits | (value & 0x7F) if value & 0x80 else bits & ~value & 0x7F
            setattr(self, "comm_irq" if address == COMM_IRQ else "div_irq", bits)
        elif address == FIFO_DATA:
            if len(self.fifo) == FIFO_SIZE:
                self.error |= BUFFER_OVFL
            else:
                self.fifo.append(value)
        elif address == FIFO_LEVEL:
            if value & 0x80:  # FlushBuffer
                self.fifo.clear()
                self.error &= ~BUFFER_OVFL
        elif address == BIT_FRAMING:
            self.regs[BIT_FRAMING] = value & 0x7F  # StartSend reads back 0
            if value & 0x80 and self.command == TRANSCEIVE:
                self._transceive()
        elif address == TX_CONTROL:
            was_on = self.field_on
            self.regs[TX_CONTROL] = value
            if was_on and not self.field_on and self.card is not None:
                self.card.power_off()
        elif address == STATUS2:
            self.regs[STATUS2] = value & 0xC8  # only MFCrypto1On and the I2C/temp bits
        elif address not in (STATUS1, CRC_RESULT_MSB, CRC_RESULT_LSB, VERSION):
            self.regs[address] = value

    def _start(self, command: int) -> None:
        if command == 0x7:  # NoCmdChange
            return
        self.command = command
        if command == SOFT_RESET:
            self.power_on_reset()
        elif command == CALC_CRC:
            preset = CRC_PRESETS[self.regs[MODE] & 0x03]
            crc, self.fifo = crc_a(self.fifo, preset), []
            self.regs[CRC_RESULT_LSB], self.regs[CRC_RESULT_MSB] = crc[0], crc[1]
            self.regs[STATUS1] |= CRC_READY
            self.div_irq |= CRC_IRQ
        elif command == MF_AUTHENT:
            self._authenticate()

    def _transceive(self) -> None:
        frame, self.fifo = bytes(self.fifo), []
        last_bits = self.regs[BIT_FRAMING] & 0x07  # TxLastBits: 7 for REQA/WUPA
        bits = (len(frame) - 1) * 8 + (last_bits or 8) if frame else 0
        self.frames.append((frame, bits))
        self.error = 0  # errors are those of the latest frame
        self.comm_irq |= TX_IRQ
        card = self.card if self.field_on else None
        answer = card.answer(frame, bits) if card is not None and frame else None
        if answer is None:
            if self.regs[T_MODE] & 0x80:  # TAuto: the timer ran out waiting
                self.comm_irq |= TIMER_IRQ
            return
        data, self.rx_last_bits = answer
        self.fifo = list(data)
        self.comm_irq |= RX_IRQ

    def _authenticate(self) -> None:
        """MFAuthent, enough for the library's own calls: succeeds for a selected card."""
        request, self.fifo = bytes(self.fifo), []
        card = self.card if self.field_on else None
        if card is not None and card.state is CardState.ACTIVE and len(request) == 12:
            self.regs[STATUS2] |= MF_CRYPTO1_ON
            self.command, self.comm_irq = IDLE, self.comm_irq | IDLE_IRQ
        elif self.regs[T_MODE] & 0x80:
            self.comm_irq |= TIMER_IRQ  # no answer: the command never ends by itself


_GPIO_NAMES = (
    *("BOARD", "BCM", "OUT", "IN", "LOW", "HIGH", "PUD_OFF", "PUD_DOWN", "PUD_UP"),
    *("setmode", "getmode", "setwarnings", "setup", "output", "input", "cleanup"),
)


class FakeGpio:
    """The RPi.GPIO calls the library makes, with RPi.GPIO's own refusals."""

    BOARD, BCM, OUT, IN, LOW, HIGH = 10, 11, 0, 1, 0, 1
    PUD_OFF, PUD_DOWN, PUD_UP = 20, 21, 22

    def __init__(self) -> None:
        self.mode: int | None = None
        self.directions: dict[int, int] = {}
        self.levels: dict[int, int] = {}

    def setmode(self, mode: int) -> None:
        if mode not in (self.BOARD, self.BCM):
            raise ValueError("An invalid mode was passed to setmode()")
        if self.mode is not None and mode != self.mode:
            raise ValueError("A different mode has already been set!")
        self.mode = mode

    def getmode(self) -> int | None:
        return self.mode

    def setwarnings(self, flag: bool) -> None:
        pass

    def setup(
        self, channel: int, direction: int, pull_up_down: int = PUD_OFF, initial: int = -1
    ) -> None:
        if self.mode is None:
            raise RuntimeError(
                "Please set pin numbering mode using GPIO.setmode(GPIO.BOARD) or "
                "GPIO.setmode(GPIO.BCM)"
            )
        self.directions[channel] = direction
        self.levels[channel] = initial if direction == self.OUT and initial != -1 else 0

    def output(self, channel: int, value: int) -> None:
        if self.directions.get(channel) != self.OUT:
            raise RuntimeError("The GPIO channel has not been set up as an OUTPUT")
        self.levels[channel] = int(bool(value))

    def input(self, channel: int) -> int:
        if channel not in self.directions:
            raise RuntimeError("You must setup() the GPIO channel first")
        return self.levels[channel]

    def cleanup(self, channel: int | list[int] | None = None) -> None:
        if channel is None:
            self.directions.clear()
            self.levels.clear()
            self.mode = None
            return
        for pin in [channel] if isinstance(channel, int) else channel:
            self.directions.pop(pin, None)
            self.levels.pop(pin, None)

    def module(self) -> ModuleType:
        module = ModuleType("RPi.GPIO")
        for name in _GPIO_NAMES:
            setattr(module, name, getattr(self, name))
        return module


class FakePi:
    """A Raspberry Pi's SPI buses and GPIO header, with MFRC522 chips wired to them."""

    def __init__(self) -> None:
        self.chips: dict[tuple[int, int], Mfrc522Chip] = {}
        self.locked: set[tuple[int, int]] = set()  # device nodes without permission
        self.gpio = FakeGpio()

    def wire_mfrc522(self, bus: int = 0, device: int = 0) -> Mfrc522Chip:
        chip = Mfrc522Chip()
        self.chips[(bus, device)] = chip
        return chip

    def lock(self, bus: int = 0, device: int = 0) -> None:
        """/dev/spidevB.D exists but is not ours to open (user not in the spi group)."""
        self.locked.add((bus, device))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Fake spidev, RPi and RPi.GPIO for the test; `mfrc522` imports against them."""
        rpi = ModuleType("RPi")
        rpi.__path__ = []
        rpi.GPIO = self.gpio.module()
        monkeypatch.setitem(sys.modules, "spidev", self._spidev_module())
        monkeypatch.setitem(sys.modules, "RPi", rpi)
        monkeypatch.setitem(sys.modules, "RPi.GPIO", rpi.GPIO)
        for name in ("mfrc522", "mfrc522.MFRC522", "mfrc522.SimpleMFRC522"):
            # set, then delete: undoing both puts back what was there before (or nothing),
            # so the mfrc522 imported against these fakes does not outlive the test
            monkeypatch.setitem(sys.modules, name, None)
            monkeypatch.delitem(sys.modules, name)

    def _spidev_module(self) -> ModuleType:
        pi = self

        class SpiDev:
            """spidev.SpiDev: open(bus, device), xfer2 and xfer, close."""

            def __init__(self) -> None:
                self.max_speed_hz, self.mode, self.bits_per_word = 125_000_000, 0, 8
                self._chip: Mfrc522Chip | None = None

            def open(self, bus: int, device: int) -> None:
                if (bus, device) in pi.locked:
                    raise PermissionError(13, "Permission denied")
                if (bus, device) not in pi.chips:
                    raise FileNotFoundError(2, "No such file or directory")
                self._chip = pi.chips[(bus, device)]

            def xfer2(self, data: list[int]) -> list[int]:
                if self._chip is None:
                    raise OSError(9, "Bad file descriptor")
                return self._chip.transfer(list(data))

            xfer = xfer2  # chip select held for the whole transfer either way here

            def close(self) -> None:
                self._chip = None

        module = ModuleType("spidev")
        module.SpiDev = SpiDev
        return module
