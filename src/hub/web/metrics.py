"""/metrics for Prometheus: what the store holds, read from the database at scrape time by
a custom collector, so every gunicorn worker answers alike without prometheus-client's
multiprocess mode.

A scraper cannot log in with a form, so /metrics takes either a request from an address
in `[monitoring] metrics_allow`, or `Authorization: Bearer <API token>` of an active admin
(`depotclock hub create-token`; hashed and revocable like every API token).
"""

from __future__ import annotations

from datetime import datetime
from ipaddress import ip_address

from flask import Blueprint, Response, jsonify, request
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.rules.device_presence import Presence, PresencePolicy, presence
from hub.services.accounts import user_of_token
from hub.store.devices_heard import devices_heard
from hub.store.models import DeadLetter, Punch, TelemetryEvent, UnknownBadgeRead
from hub.web.auth import now, settings
from hub.web.db import get_session

bp = Blueprint("metrics", __name__)
STORED = {"punch": Punch, "telemetry_item": TelemetryEvent, "unknown_badge_read": UnknownBadgeRead}
DEVICE_LABELS = ["kind", "device", "depot"]


class StoreCollector(Collector):
    """Counts of stored events and dead letters, and each kiosk's and van's last word."""

    def __init__(self, session: Session, policy: PresencePolicy, at: datetime):
        self.session, self.policy, self.at = session, policy, at

    def collect(self):
        stored = CounterMetricFamily("depotclock_stored_events", "Raw events kept in the store, by kind "
                                     "(a telemetry message carries several items)", labels=["kind"])
        for kind, model in STORED.items():
            stored.add_metric([kind], self.session.scalar(select(func.count()).select_from(model)) or 0)  # count() has a row
        dead = CounterMetricFamily("depotclock_dead_letters", "Messages the hub could not accept, kept "
                                   "whole, by the message kind that failed (topic: not a topic of ours)",
                                   labels=["kind"])
        for failed_kind, count in self.session.execute(
                select(DeadLetter.kind, func.count()).group_by(DeadLetter.kind).order_by(DeadLetter.kind)):
            dead.add_metric([failed_kind or "unparsed"], count)
        last_seen = GaugeMetricFamily("depotclock_device_last_seen_timestamp_seconds",
                                      "When the hub last heard of the kiosk or van (its own clock)",
                                      labels=DEVICE_LABELS)
        online = GaugeMetricFamily("depotclock_device_online", "1 while the kiosk or van is online "
                                   "([monitoring] *_offline_after_s); a parked van is 0", labels=DEVICE_LABELS)
        parked = GaugeMetricFamily("depotclock_vehicle_parked", "1 for a van silent with its ignition off",
                                   labels=DEVICE_LABELS)
        backlog = GaugeMetricFamily("depotclock_device_backlog", "Entries waiting in the device's journal, "
                                    "as its latest status says", labels=DEVICE_LABELS)
        for device in devices_heard(self.session):
            labels = [device.kind, device.device_id, device.depot_id]
            state = presence(device.heard, self.policy, self.at)
            if device.heard.last_seen is not None:
                last_seen.add_metric(labels, device.heard.last_seen.timestamp())
            online.add_metric(labels, 1 if state is Presence.ONLINE else 0)
            if device.kind == "vehicle":
                parked.add_metric(labels, 1 if state is Presence.PARKED else 0)
            backlog.add_metric(labels, device.backlog)
        yield from (stored, dead, last_seen, online, parked, backlog)


def _refused():
    """None when the scraper may read the metrics, else the answer it gets."""
    allowed = settings().monitoring.metrics_allow
    if allowed and request.remote_addr:
        address = ip_address(request.remote_addr)
        if any(address in network for network in allowed):
            return None
    header = request.headers.get("Authorization", "")
    user = user_of_token(get_session(), header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") \
        else None
    if user is None:
        response = jsonify(error="unauthorized", message="send Authorization: Bearer <token> with an admin's "
                           "API token, or scrape from an address in [monitoring] metrics_allow")
        response.headers["WWW-Authenticate"] = 'Bearer realm="depotclock"'
        return response, 401
    if user.role != "admin":
        return jsonify(error="forbidden", message="only an admin's API token may read the metrics"), 403
    return None


@bp.route("/metrics")
def metrics():
    refused = _refused()
    if refused is not None:
        return refused
    registry = CollectorRegistry()
    registry.register(StoreCollector(get_session(), settings().monitoring.presence_policy(), now()))
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))  # the text format the scraper asks for
    return Response(encode(registry), content_type=content_type)
