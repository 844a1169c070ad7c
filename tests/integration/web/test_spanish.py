"""The technician's pages in Spanish (issue 19): the browser's Accept-Language by default,
the technician's own choice on the account page over it; no English left on a page."""

from __future__ import annotations

import subprocess

import pytest

from hub.store.models import Technician
from tests.integration.web.company import stored
from tests.translated import shown_text, untranslated, untranslated_lines

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
PAGES = ("/me/", "/me/?day=2026-03-02", "/me/week?week=2026-03-02", "/me/account?day=2026-03-04", "/me/manual", "/me/timer/",
         "/me/hours/?day=2026-03-03", "/account/", "/me/corrections/?day=2026-03-02", "/me/corrections/?day=2026-03-04")


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)  # words, not the store
def test_every_page_a_technician_sees_reads_in_spanish(client, auth, seeded):
    login_en, login_es = (client.get("/login", headers=h).data.decode() for h in (ENGLISH, SPANISH))
    assert untranslated(login_en, login_es, ("DepotClock",)) == [] and "Iniciar sesión" in login_es
    auth.login("maria")
    for path in PAGES:
        english, spanish = (client.get(path, headers=h).data.decode() for h in (ENGLISH, SPANISH))
        assert untranslated(english, spanish, DATA) == [], path
    monday = client.get("/me/?day=2026-03-02", headers=SPANISH).data.decode()
    assert "Maria Lopez · lun 02 mar" in monday and '<html lang="es">' in monday
    assert "Trabajado" in monday and "Hasta ahora" in monday
    today = client.get("/me/", headers=SPANISH).data.decode()
    assert "pendiente de envío" in shown_text(today)  # what the page's script says of a request kept offline


DATA = ("DepotClock", "Maria Lopez", "maria", "America/Chicago", "WO-…", "WO-7", "WO-8", "Lakeview Dental", "Rooftop unit",
        "Pilsen Bakery", "Cooler alarm", "Admin", "Shop", "Training", "English", "Español")  # each language in its own words


def test_the_technicians_own_choice_wins_over_the_browser(client, auth, seeded):
    auth.login("maria")
    assert "My day" in client.get("/me/", headers=ENGLISH).data.decode()
    response = client.post("/account/", data={"language": "es", "email": "maria@example.com"}, headers=ENGLISH)
    assert response.status_code == 302
    assert {t.id: t.language for t in stored(seeded[0], Technician)}["T-100"] == "es"
    assert "Mi día" in client.get("/me/", headers=ENGLISH).data.decode()
    refused = client.post("/account/", data={"language": "fr", "email": "maria@example.com"}, headers=ENGLISH)
    assert refused.status_code == 422 and b'data-field="language"' in refused.data
    client.post("/account/", data={"language": "", "email": "maria@example.com"})
    assert "My day" in client.get("/me/", headers=ENGLISH).data.decode()  # the browser's again


def _pdf_lines(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout.decode()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)
def test_the_printed_week_is_in_the_technicians_spanish_whoever_prints_it(client, auth, seeded):
    auth.login("maria")
    english = _pdf_lines(client.get("/me/week.pdf?week=2026-03-02", headers=ENGLISH))
    assert client.post("/account/", data={"language": "es", "email": "maria@example.com"}).status_code == 302
    spanish = _pdf_lines(client.get("/me/week.pdf?week=2026-03-02", headers=ENGLISH))
    assert untranslated_lines(english, spanish, (*DATA, "T-100")) == []
    said = "\n".join(spanish)
    assert "Hoja de horas · Maria Lopez (T-100) · semana del 02 mar 2026" in said
    assert "Técnico: Maria Lopez · firma y fecha" in said and "página 1 de 1" in said
    auth.logout()
    auth.login("sam")  # she signs it: in her language, though the office's pages are in English
    assert _pdf_lines(client.get("/technicians/T-100/week/2026-03-02.pdf")) == spanish
