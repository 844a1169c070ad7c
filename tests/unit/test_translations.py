"""Spanish (issue 19): every string marked in the hub's and the kiosk's sources has its
Spanish in the committed catalog and its compiled .mo; the kiosk's screen and the emails
read in Spanish with no English left outside a gettext call."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from depotclock.wire.messages import Roster, RosterEntry, TechState
from hub import translations as hub_translations
from hub.mail.messages import render
from hub.rules import notices
from hub.rules.findings import Code
from kiosk import translations as kiosk_translations
from kiosk.flow import PunchFlow, Tap
from kiosk.readers.base import BadgeRead
from kiosk.roster import RosterBook
from kiosk.screen import ScreenState, create_screen_app
from kiosk.wording import say, spoken_to, tap_your_badge
from tests.translated import untranslated

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
CATALOGS = {"hub": hub_translations.DIRECTORY, "kiosk": kiosk_translations.DIRECTORY}


def _marked(package: str) -> set[str]:
    """The msgids marked in the package's sources, extracted as scripts/translations.sh does."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {message if isinstance(message, str) else message[0]
            for _, _, message, *_ in extract_from_dir(ROOT / "src" / package, method_map, options_map, KEYWORDS)}


def _text(value):
    """A message's id or string, plural forms as a tuple (read_mo gives lists, read_po tuples)."""
    return value if isinstance(value, str) else tuple(value)


@pytest.mark.parametrize("package", sorted(CATALOGS))
def test_every_marked_string_has_its_spanish_and_the_compiled_catalog_is_current(package):
    with open(CATALOGS[package] / "es/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    spanish = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(i for i in _marked(package) if i not in spanish or not all(
        spanish[i].string if isinstance(spanish[i].string, tuple) else [spanish[i].string]) or spanish[i].fuzzy)
    assert not missing, f"no Spanish for these (scripts/translations.sh update, then translate): {missing}"
    with open(CATALOGS[package] / "es/LC_MESSAGES/messages.mo", "rb") as mo:
        compiled = {_text(m.id): _text(m.string) for m in read_mo(mo) if m.id}
    assert compiled == {_text(m.id): _text(m.string) for m in catalog if m.id}, "stale .mo: run scripts/translations.sh compile"


MORNING = datetime(2026, 3, 2, 13, 2, tzinfo=timezone.utc)  # 07:02 in Chicago


def test_the_kiosk_speaks_the_language_the_roster_gives_the_technician():
    roster = Roster(id=uuid.uuid4(), device="hub", seq=1, at=MORNING - timedelta(hours=1), depot="north", technicians=(
        RosterEntry(tech="T-100", name="María López", badges=("DEADBEEF",), state=TechState.OFF, language="es"),
        RosterEntry(tech="T-101", name="James Carter", badges=("04A1B2C3D4E5F6",), state=TechState.WORKING)))
    flow = PunchFlow(RosterBook(roster))
    local = MORNING.astimezone(ZoneInfo("America/Chicago"))
    (maria,) = flow.tap(Tap(BadgeRead("DEADBEEF", "pcsc", "DEADBEEF"), 0, MORNING))
    assert say(maria, local, spoken_to(maria, "en")) == "Entrada fichada 07:02 - Buenos días, María"
    (james,) = flow.tap(Tap(BadgeRead("04A1B2C3D4E5F6", "pcsc", "04A1B2C3D4E5F6"), 1, MORNING))
    assert say(james, local, spoken_to(james, "en")) == "James: Break or Clock out? (Clock out if you do not choose)"
    assert say(james, local, spoken_to(james, "es")) == "James: ¿Descanso o Fichar salida? (Fichar salida si no eliges)"


def test_the_kiosk_screen_in_spanish_has_no_english_left():
    def page(language: str) -> str:
        state = ScreenState(message=tap_your_badge(language))
        return create_screen_app(state, lambda option: None, "America/Chicago", on_pin=lambda tech, pin: None,
                                 language=language).test_client().get("/").text

    spanish = page("es")
    assert untranslated(page("en"), spanish, data=("DepotClock", "PIN")) == []  # PIN: the same word in Spanish
    assert "Pasa tu tarjeta" in spanish and '<html lang="es">' in spanish
    assert "Sin conexi\\u00f3n - los fichajes se guardan en este quiosco" in spanish  # the words the page's script shows


REASON = "Falta la salida del martes"
NOTICES = {  # each kind with what the notices job gives its template
    "shift_open": {"technician": "María López", "clocked_in_at": MORNING},
    "missing_punch": {"technician": "María López", "at": MORNING, "code": Code.MISSING_CLOCK_OUT, "message": "—"},
    "week_returned": {"technician": "María López", "week_start": date(2026, 3, 2), "returned_at": MORNING,
                      "reason": REASON},
    "weeks_waiting": {"period": (date(2026, 2, 16), date(2026, 3, 1)),
                      "weeks": [notices.WaitingWeek("T-100", "María López", "north", date(2026, 2, 23), "supervisor")]},
    "device_offline": {"device": notices.SilentDevice("kiosk", "kiosk-north", "Front door", "north", MORNING),
                       "depot": "North depot"},
}


@pytest.mark.parametrize("kind", sorted(NOTICES))
def test_each_email_reads_in_spanish(kind):
    context = {**NOTICES[kind], "user": "maria", "zone": "America/Chicago", "hub_url": "https://clock.example.com"}
    english, spanish = render(kind, context, "en"), render(kind, context, "es")
    data = ("María López", "maria", "https://clock.example.com", "America/Chicago", "CST", "Front door", "kiosk-north",
            "North depot", REASON, "DepotClock")
    assert untranslated(f"<p>{english.subject}</p>", f"<p>{spanish.subject}</p>", data) == []
    english_lines = set(english.text.splitlines())
    assert [line for line in spanish.text.splitlines() if line in english_lines and untranslated(
        f"<p>{line}</p>", f"<p>{line}</p>", data)] == []
    if spanish.html is not None:
        assert english.html is not None and untranslated(english.html, spanish.html, data) == []


def test_a_spanish_email_reads_as_written():
    context = {**NOTICES["shift_open"], "user": "maria", "zone": "America/Chicago", "hub_url": ""}
    message = render("shift_open", context, "es")
    assert message.subject == "Sigues con la entrada fichada desde el lunes 2 de marzo, 07:02 CST"
    assert message.text.startswith("Hola, María López:\n\nFichaste la entrada el lunes 2 de marzo, 07:02 CST")
