"""Where a device or the hub finds the broker, as one URL: mqtt[s]://user:password@host:port,
with TLS optionally `?cafile=/path/ca.crt`: the CA to check the broker's certificate
against instead of the system's CA store (a private CA, kept beside the login)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool
    ca_file: str | None = None  # None: the system's CA store

    @classmethod
    def from_url(cls, url: str) -> BrokerAddress:
        """Parse an MQTT URL; ValueError names what is wrong."""
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            raise ValueError(f"{url!r}: the scheme must be mqtt:// or mqtts://")
        if not parts.hostname:
            raise ValueError(f"{url!r}: no host")
        return cls(
            host=parts.hostname,
            port=parts.port or DEFAULT_PORTS[parts.scheme],
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=parts.scheme == "mqtts",
            ca_file=_ca_file(url, parts.scheme, parts.query),
        )

    @property
    def query(self) -> str:
        """The URL's `?cafile=...`, or nothing."""
        return f"?cafile={quote(self.ca_file)}" if self.ca_file else ""


def _ca_file(url: str, scheme: str, query: str) -> str | None:
    try:
        options = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ValueError(f"{url!r}: the query must be ?cafile=/path/to/ca.crt") from None
    unknown = sorted(set(options) - {"cafile"})
    if unknown:
        raise ValueError(f"{url!r}: unknown option {unknown[0]!r}; the only one is cafile")
    if "cafile" not in options:
        return None
    if len(options["cafile"]) > 1 or not options["cafile"][0]:
        raise ValueError(f"{url!r}: give cafile once, with the path of the CA certificate")
    if scheme != "mqtts":
        raise ValueError(f"{url!r}: cafile needs mqtts:// (TLS)")
    return options["cafile"][0]
