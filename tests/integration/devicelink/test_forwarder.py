"""Nothing lost: the journal is the truth, whatever happens to the broker or the device."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from depotclock.journal import Journal
from depotclock.wire.topics import kiosk_topic
from tests.integration.devicelink.device import append_punches, start_device
from tests.integration.devicelink.hub_side import HubSubscriber
from tests.waiting import eventually

pytestmark = pytest.mark.broker


def test_every_entry_arrives_once_in_order(broker, tmp_path):
    hub = HubSubscriber(broker.port)
    journal, link, forwarder = start_device(tmp_path / "kiosk.db", broker.url("kiosk-1"), "kiosk-1")
    append_punches(journal, "kiosk-1", 1000)
    assert len(hub.wait_for(1000)) == 1000
    assert eventually(lambda: forwarder.backlog == 0)
    seqs = [d["seq"] for d in hub.deliveries]
    assert seqs == sorted(seqs) and len(seqs) == 1000
    forwarder.stop()
    link.close()
    hub.close()


def test_broker_stopped_and_restarted_mid_stream(broker, tmp_path):
    """The broker goes away with the device's messages in flight. Stopped, not SIGKILLed:
    a SIGKILLed mosquitto also loses what it had acknowledged but not yet delivered to the
    hub's session or saved (every autosave_interval), a limit of the broker that no device
    journal can cover (the hub sees such a loss as a gap in the device's seq)."""
    hub = HubSubscriber(broker.port)
    journal, link, forwarder = start_device(tmp_path / "kiosk.db", broker.url("kiosk-1"), "kiosk-1")
    append_punches(journal, "kiosk-1", 300)
    broker.process.stop()
    append_punches(journal, "kiosk-1", 300)  # badges keep being tapped while it is down
    assert forwarder.backlog > 0
    time.sleep(2)
    broker.process.start()
    append_punches(journal, "kiosk-1", 300)
    received = hub.wait_for(900)
    assert len(received) == 900, f"missing {900 - len(received)}"
    assert eventually(lambda: forwarder.backlog == 0)
    duplicates = len(hub.deliveries) - len(received)
    print(f"delivered {len(hub.deliveries)} messages for 900 entries ({duplicates} repeats)")
    forwarder.stop()
    link.close()
    hub.close()


def test_device_killed_mid_stream_loses_nothing(broker, tmp_path):
    hub = HubSubscriber(broker.port)
    path = tmp_path / "kiosk.db"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.devicelink.device", str(path),
         broker.url("kiosk-1"), "kiosk-1", "500"],
        stdout=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "appended"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert eventually(lambda: hub.states.get(kiosk_topic("kiosk-1", "status")) == "offline", 10)
    journal, link, forwarder = start_device(path, broker.url("kiosk-1"), "kiosk-1")
    assert len(hub.wait_for(500)) == 500
    assert eventually(lambda: forwarder.backlog == 0)
    assert eventually(lambda: hub.states.get(kiosk_topic("kiosk-1", "status")) == "online", 10)
    forwarder.stop()
    link.close()
    hub.close()


def test_a_publish_the_acl_refuses_is_not_marked_sent(broker, tmp_path):
    journal, link, forwarder = start_device(tmp_path / "kiosk.db", broker.url("kiosk-1"), "kiosk-1")
    append_punches(journal, "kiosk-1", 3, topic_device="kiosk-2")
    assert eventually(lambda: forwarder.last_error is not None, 10)
    assert "Not authorized" in forwarder.last_error
    assert journal.backlog() == 3
    forwarder.stop()
    link.close()


def test_the_journal_keeps_what_append_returned_even_after_sigkill(tmp_path):
    path = tmp_path / "j.db"
    script = (
        "import sys; from pathlib import Path; from depotclock.journal import Journal\n"
        "j = Journal(Path(sys.argv[1]))\n"
        "for n in range(50):\n"
        "    e = j.append('t', 'punch', lambda seq, id: b'p%d' % seq)\n"
        "    print(e.seq, flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True)
    lines = [child.stdout.readline() for _ in range(50)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    journal = Journal(path)
    assert [e.seq for e in journal.pending(100)] == [int(line) for line in lines] == list(range(1, 51))
    assert journal.append("t", "punch", lambda seq, id: b"x").seq == 51


def test_sequence_is_never_reused_and_state_survives(tmp_path):
    journal = Journal(tmp_path / "j.db")
    entries = [journal.append("t", "punch", lambda seq, id: b"%d" % seq) for _ in range(5)]
    assert [e.payload for e in entries] == [b"1", b"2", b"3", b"4", b"5"]
    journal.mark_sent([1, 2, 3, 4, 5])
    from datetime import timedelta

    from depotclock.wire.receipt_ranges import seq_ranges

    assert journal.prune(timedelta(0)) == 0  # sent, but not confirmed by the hub
    journal.confirm(seq_ranges({(e.seq, e.id.bytes) for e in entries}))
    assert journal.prune(timedelta(0)) == 5
    journal.set_state("roster", b"{}")
    journal.close()
    journal = Journal(tmp_path / "j.db")
    assert journal.append("t", "punch", lambda seq, id: b"").seq == 6
    assert journal.get_state("roster") == b"{}" and journal.backlog() == 1
