"""Public holidays from the `holidays` library, by country and subdivision, as the rules
take them (plain `Holiday` values). The one place that library is called."""

from __future__ import annotations

from datetime import date

import holidays as library

from hub.rules.holidays import Holiday


def check_region(country: str, subdivision: str | None) -> None:
    """Raise ValueError naming the choices when the library has no such country or
    subdivision."""
    supported = library.list_supported_countries()
    if country not in supported:
        raise ValueError(f"no public holidays known for country {country!r}; use an ISO 3166 code "
                         f"such as US or CA")
    if subdivision is not None and subdivision not in supported[country]:
        raise ValueError(f"{country} has no subdivision {subdivision!r}; choose one of "
                         f"{', '.join(supported[country])}")


def public_holidays(country: str | None, subdivision: str | None, start: date, end: date) -> list[Holiday]:
    """The public holidays from `start` to `end` (inclusive), in date order; none without a
    country. Observed days (a Sunday holiday's Monday) are listed as the library has them."""
    if country is None or end < start:
        return []
    days = library.country_holidays(country, subdiv=subdivision, years=range(start.year, end.year + 1))
    return [Holiday(day, name) for day, name in sorted(days.items()) if start <= day <= end]
