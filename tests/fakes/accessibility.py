"""What the browser tests check on every page beyond its content: axe-core's rules
(the copy axe-playwright-python ships, no download) and the layout on a phone."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 390, "height": 844}  # an iPhone 12 to 15, in CSS pixels
BLOCKING = ("serious", "critical")  # axe's impacts that fail a page; minor and moderate are reported, not failed

_axe = Axe()


def axe_violations(page, url: str) -> list[str]:
    """axe-core's serious and critical violations on the page open at `url`, one line each
    with the elements at fault."""
    found = _axe.run(page).response["violations"]
    return [f"{url}: {v['id']} ({v['impact']}): {v['help']}: "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in found if v["impact"] in BLOCKING]


def skip_link_problems(page, url: str) -> list[str]:
    """A "Skip to content" link must be the page's first link and lead to an element of
    the page (WCAG 2.4.1, bypass blocks)."""
    problem = page.evaluate("""() => {
        const first = document.querySelector('a[href]');
        if (!first || first.textContent.trim() !== 'Skip to content') return 'the first link is not "Skip to content"';
        const target = first.getAttribute('href');
        if (!target.startsWith('#') || !document.getElementById(target.slice(1))) return 'the skip link leads nowhere';
        return null; }""")
    return [f"{url}: {problem}"] if problem else []


def phone_problems(page, url: str) -> list[str]:
    """On a phone (a page open at PHONE's size): the page does not scroll sideways (wide tables scroll in their own box)
    and the header takes at most two rows."""
    measured = page.evaluate("""() => {
        const header = document.querySelector('header');
        const centres = [...header.querySelectorAll('.brand, a, header > form')].map(e => {
            const box = e.getBoundingClientRect(); return (box.top + box.bottom) / 2; }).sort((a, b) => a - b);
        let rows = 0, last = -Infinity;
        for (const y of centres) if (y > last + 12) { rows += 1; last = y; }
        return {width: document.scrollingElement.scrollWidth, rows,
                header: header.getBoundingClientRect().height};
    }""")
    problems = []
    if measured["width"] > PHONE["width"]:  # not innerWidth: a phone widens it to show what overflows
        problems.append(f"{url}: the page is {measured['width']} px wide on a {PHONE['width']} px screen")
    if measured["rows"] > 2:
        problems.append(f"{url}: the header takes {measured['rows']} rows ({measured['header']:.0f} px)")
    return problems
