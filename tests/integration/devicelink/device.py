"""A stand-in device for the forwarder tests: a journal, a broker link and a forwarder,
run in this process or as a child process that a test can SIGKILL."""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from depotclock.forwarder import Forwarder
from depotclock.journal import Journal
from depotclock.mqtt_link import BrokerLink
from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.messages import DeviceState, KioskStatus
from depotclock.wire.topics import kiosk_topic


def status_of(device: str):
    return lambda online: KioskStatus(
        id=uuid.uuid4(), device=device, seq=0, at=datetime.now(timezone.utc),
        state=DeviceState.ONLINE if online else DeviceState.OFFLINE,
    )


def start_device(journal_path: Path, url: str, device: str) -> tuple[Journal, BrokerLink, Forwarder]:
    journal = Journal(journal_path)
    link = BrokerLink(BrokerAddress.from_url(url), device, status_of(device))
    forwarder = Forwarder(journal, link)
    link.start()
    forwarder.start()
    return journal, link, forwarder


def append_punches(journal: Journal, device: str, count: int, topic_device: str | None = None) -> None:
    topic = kiosk_topic(topic_device or device, "punch")
    for _ in range(count):
        journal.append(topic, "punch", lambda seq, id: json.dumps({"id": str(id), "seq": seq}).encode())


if __name__ == "__main__":
    # python -m tests.integration.devicelink.device JOURNAL URL DEVICE COUNT
    journal_path, url, device, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    journal, link, forwarder = start_device(Path(journal_path), url, device)
    link.connected.wait(10)
    for _ in range(count):
        append_punches(journal, device, 1)
        time.sleep(0.002)
    print("appended", flush=True)
    time.sleep(3600)
