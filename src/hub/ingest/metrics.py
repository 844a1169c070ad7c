"""The ingest process's own Prometheus metrics (`depotclock hub ingest --metrics-port N`):
read at scrape time from the consumer's counters and inbox by a custom collector, so the
storing loop does no extra work for them.

Messages the broker still queues for the hub are invisible to a client; what ingest can
see of its lag is the messages it received but has not yet handed to a store, and how
long the oldest of them has waited. The web's /metrics adds each device's last seen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from depotclock.errors import DepotClockError
from hub.ingest.consumer import IngestConsumer


class MetricsError(DepotClockError):
    """The metrics endpoint cannot be served where the settings say."""


class IngestCollector(Collector):
    def __init__(self, consumer: IngestConsumer, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.consumer, self.clock = consumer, clock

    def collect(self):
        totals = self.consumer.totals
        for name, value, about in (
            ("depotclock_ingest_stored", totals.stored, "Punches, telemetry items and unknown badge reads stored"),
            ("depotclock_ingest_duplicates", totals.duplicates, "Events received again and stored once"),
            ("depotclock_ingest_dead_letters", totals.dead_letters, "Messages kept as dead letters"),
            ("depotclock_ingest_legs_built", totals.legs, "Drive legs written from van telemetry and the web's changes"),
        ):
            yield CounterMetricFamily(name, f"{about} since this ingest process started", value=value)
        waiting, oldest = self.consumer.waiting()
        yield GaugeMetricFamily("depotclock_ingest_waiting_messages",
                                "Messages received from the broker, not yet handed to a store", value=waiting)
        age = 0.0 if oldest is None else max(0.0, (self.clock() - oldest).total_seconds())
        yield GaugeMetricFamily("depotclock_ingest_oldest_waiting_seconds",
                                "How long the oldest message received but not yet stored has waited", value=age)
        yield GaugeMetricFamily("depotclock_ingest_broker_connected", "1 while connected to the broker",
                                value=1 if self.consumer.client.is_connected() else 0)
        unavailable = self.consumer.unavailable
        yield GaugeMetricFamily("depotclock_ingest_store_unavailable",
                                "1 while the database cannot take a batch (it is retried, unacknowledged)",
                                value=1 if unavailable else 0)
        yield GaugeMetricFamily("depotclock_ingest_disk_full", "1 while the database cannot store for a full disk",
                                value=1 if unavailable and unavailable.disk_full else 0)
        yield GaugeMetricFamily("depotclock_ingest_subscribed", "1 once the broker granted the subscriptions",
                                value=1 if self.consumer.subscribed.is_set() else 0)


def serve_metrics(consumer: IngestConsumer, host: str, port: int) -> WSGIServer:
    """Serve /metrics (any path answers) from a daemon thread; returns the server."""
    registry = CollectorRegistry()
    registry.register(IngestCollector(consumer))
    try:
        server, _ = start_http_server(port, host, registry)
    except OSError as exc:
        raise MetricsError(f"cannot serve ingest metrics on {host}:{port}: {exc.strerror or exc}; "
                           "pick another --metrics-port or [monitoring] ingest_metrics_port") from None
    return server
