"""A stand-in kiosk that only says how it is: a real broker link publishing its real
`kiosk_status` every 0.2 s, run as a child process that a test can SIGKILL."""

from __future__ import annotations

import sys
import time
import uuid
from datetime import datetime, timezone

from depotclock.mqtt_link import BrokerLink
from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.messages import DeviceState, KioskStatus


def kiosk_status(device: str):
    """The kiosk's status builder, as src/kiosk/terminal.py makes it."""
    seq = iter(range(1, 10**9))

    def status(online: bool) -> KioskStatus:
        return KioskStatus(
            id=uuid.uuid4(), device=device, seq=next(seq), at=datetime.now(timezone.utc),
            state=DeviceState.ONLINE if online else DeviceState.OFFLINE,
        )

    return status


def start_link(url: str, device: str) -> BrokerLink:
    link = BrokerLink(BrokerAddress.from_url(url), device, kiosk_status(device))
    link.start()
    return link


if __name__ == "__main__":
    # python -m tests.integration.devicelink.status_device URL DEVICE
    link = start_link(sys.argv[1], sys.argv[2])
    link.connected.wait(10)
    print("connected", flush=True)
    while True:
        time.sleep(0.2)
        link.publish_status()
