#!/usr/bin/env python3
"""Kooperator's journeys in a real browser: headless Chromium driven by selenium, every page
checked by axe-core against WCAG 2.1 A and AA.

    python3 Tests/Browser/journeys.py --base-url http://127.0.0.1:8080 \
        --user demo-officer --password PW --results Tests/Browser/results [--only NAME]

Tests/Browser/run.sh starts a host with the demo story and runs this; `make test` runs that.

Each journey is a function registered with @journey("name") and run in the order of this file,
all in one browser. A journey that needs a signed-in user calls `s.sign_in()` (which signs in
only when the browser is signed out), so any journey also runs on its own with --only. To add
one:

    @journey("person-search")
    def person_search(s: Session) -> None:
        s.sign_in()
        s.visit("/registry/people?q=lindqvist")           # screenshot + axe + page checks
        rows = s.find_all("table tbody tr")
        if not rows:
            s.fail("no search results for 'lindqvist'")

What the pages must have for the four journeys below:
  /login    a <form> with input[name=username], input[name=password] and a button[type=submit];
            a good sign-in redirects to /, a refused one may show its reason in [role=alert]
  /         an <h1> with text and <nav aria-label="Huvudmeny"> with <a href> links
  every page  <html lang="sv"> (or sv-SE), an HTTP status below 400, no axe violation of
            wcag2a, wcag2aa, wcag21a or wcag21aa
  /registry/organisations  an <a class="csv-download" href> to a GET that answers 200,
            Content-Type text/csv, UTF-8, a header row of at least two named columns
            (, ; or tab), with the browser's cookies
  sign-out  form[action="/logout"] (exactly that attribute) with a submit button, reachable on /;
            it ends at /login, and / afterwards leads to /login again

Every page `visit` (or `page_loaded`) sees is saved as a PNG in the results folder and checked
by axe (each URL once); any axe violation fails the journey that saw it, after the journey has
finished its steps. The results folder gets report.txt and report.json (journeys, pages, every
axe violation and what axe could not decide). Exit 0 when every journey passed, 1 otherwise,
2 on a usage error.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import datetime
import io
import json
import re
import sys
import time
import traceback
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn

import requests
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--headless=new",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
    "--lang=sv-SE",
    "--no-first-run",
    "--disable-extensions",
]
MAIN_NAV = 'nav[aria-label="Huvudmeny"]'
WAIT_SECONDS = 15
MAX_SCREENSHOT_HEIGHT = 8000
# A4 in points (1/72 inch), as a PDF's media box gives it; Chromium's is 595.92 × 841.92.
A4_POINTS = (595.0, 842.0)
# What every page of the site has around its content (layout.mustache): the site's name in the
# header, the signed-in user and the sign-out button in the footer. A printed letter has none.
SITE_CHROME = ["Kooperator", "Inloggad som", "Logga ut"]


class JourneyFailed(Exception):
    """A journey's step did not do what it should; the message says what and where."""


@dataclass
class Journey:
    name: str
    fn: Callable[["Session"], None]
    description: str = ""


JOURNEYS: list[Journey] = []


def journey(name: str) -> Callable[[Callable[["Session"], None]], Callable[["Session"], None]]:
    """Registers the decorated function as the journey `name` (run in the order of this file)."""

    def register(fn: Callable[["Session"], None]) -> Callable[["Session"], None]:
        if any(j.name == name for j in JOURNEYS):
            raise ValueError(f"two journeys named {name}")
        doc = (fn.__doc__ or "").strip().splitlines()
        JOURNEYS.append(Journey(name, fn, doc[0] if doc else ""))
        return fn

    return register


@dataclass
class PageResult:
    journey: str
    label: str
    url: str
    screenshot: str
    status: int | None = None
    title: str = ""
    axe_engine: str = ""
    violations: list[dict[str, Any]] = field(default_factory=list)
    incomplete: list[dict[str, Any]] = field(default_factory=list)
    passes: int = 0
    axe_error: str = ""
    console_errors: list[str] = field(default_factory=list)
    axe_checked: bool = False


@dataclass
class JourneyResult:
    name: str
    passed: bool = False
    seconds: float = 0.0
    reasons: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


class Session:
    """One browser and what the journeys saw in it."""

    def __init__(
        self, driver: webdriver.Chrome, base_url: str, user: str, password: str, results: Path,
        coordinator: tuple[str, str] | None = None, admin_password: str = "", municipality: str = "Kommunen",
    ):
        self.driver = driver
        self.municipality = municipality
        self.coordinator = coordinator
        self.admin_password = admin_password
        self.base_url = base_url.rstrip("/")
        self.origin = _origin(self.base_url)
        self.user = user
        self.password = password
        self.results = results
        self.pages: list[PageResult] = []
        self.current: JourneyResult | None = None
        self._axe = Axe(driver)
        self._axe_checked: set[str] = set()
        self._shots = 0

    # --- navigation -------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base_url + "/", path)

    def path(self) -> str:
        """The current page's path (no query)."""
        return urllib.parse.urlsplit(self.driver.current_url).path or "/"

    def visit(self, path_or_url: str, label: str | None = None, axe: bool = True) -> PageResult:
        """GET a page, wait for it, then `page_loaded`."""
        self.driver.get(self.url(path_or_url))
        self.wait_ready()
        return self.page_loaded(label or _label(path_or_url), axe=axe)

    def wait_ready(self) -> None:
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def submit(self, button: WebElement, old_page: WebElement | None = None) -> None:
        """Clicks a submit button and waits until the next page has replaced `old_page` (the
        button's form unless given)."""
        old = old_page or button
        button.click()
        self.wait_replaced(old, "submitting")

    def wait_replaced(self, old: WebElement, after: str) -> None:
        """Waits until the next page has replaced the one `old` is on, then until it is ready;
        fails saying what came before (`after`) when it does not within WAIT_SECONDS."""

        def gone(driver: webdriver.Chrome) -> bool:
            try:
                return EC.staleness_of(old)(driver)
            except WebDriverException:
                return True  # Chromium lost the node with its document in the middle of the check

        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(gone)
        except TimeoutException:
            self.fail(f"the page at {self.driver.current_url} did not change within {WAIT_SECONDS} s of {after}")
        self.wait_ready()

    def page_loaded(self, label: str, axe: bool = True, check_status: bool = True) -> PageResult:
        """The page now in the browser: screenshot, HTTP status, language, console errors and
        (once per URL) axe. Fails the journey at once on an HTTP error status (if `check_status`)."""
        url = self.driver.current_url
        page = PageResult(self.current.name if self.current else "", label, url, self.screenshot(label))
        page.title = self.driver.title
        page.status = self.driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return n && n.responseStatus ? n.responseStatus : null;"
        )
        page.console_errors = self._console_errors()
        self.pages.append(page)
        if self.current:
            self.current.pages.append(url)
        for message in page.console_errors:
            print(f"  {page.journey}: console error on {url}: {message[:300]}")
        if check_status and page.status is not None and page.status >= 400:
            self.fail(f"{url} answered HTTP {page.status} ({page.title!r})")
        lang = self.driver.execute_script("return document.documentElement.lang || ''")
        if not lang.lower().startswith("sv"):
            self.note(f'{url}: <html lang="{lang}">, expected Swedish (sv or sv-SE)')
        key = _strip_fragment(url)
        if axe and key not in self._axe_checked:
            self._axe_checked.add(key)
            self._run_axe(page)
        return page

    # --- finding things ----------------------------------------------------------------------

    def find(self, css: str, within: WebElement | None = None, what: str | None = None) -> WebElement:
        """The first element matching `css`, or the journey fails naming what is missing."""
        found = (within or self.driver).find_elements(By.CSS_SELECTOR, css)
        if not found:
            self.fail(f"{what or css} not found on {self.driver.current_url} (selector {css})")
        return found[0]

    def find_all(self, css: str, within: WebElement | None = None) -> list[WebElement]:
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    # --- the keyboard alone -------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Sends keys to whatever has the focus, as a person at the keyboard would."""
        ActionChains(self.driver).send_keys(*keys).perform()

    def tab_to(self, css: str, what: str, limit: int = 80) -> WebElement:
        """Presses Tab until the focus is on an element matching `css`; fails naming `what` when
        it is not reached within `limit` presses (the element is not in the tab order)."""
        for _ in range(limit):
            if self.driver.execute_script("return document.activeElement.matches(arguments[0])", css):
                return self.driver.switch_to.active_element
            self.press(Keys.TAB)
        self.fail(f"{what} ({css}) was not reached with Tab within {limit} presses on {self.driver.current_url}")

    # --- forms --------------------------------------------------------------------------------

    def submit_refused(self, form: WebElement, label: str, summary: list[str], inline: list[str], what: str) -> None:
        """Submits `form` with its button and expects it back refused (422): the error summary
        links to each field of `summary`, and each field of `inline` shows its error beside it;
        fails saying `what` was expected otherwise."""
        self.submit(self.find("div.form-actions button[type=submit]", form, "the form's button"), form)
        self.page_loaded(label, check_status=False)
        if not all(self.find_all(f".error-summary a[href='#f-{name}']") for name in summary) or not all(
            self.find_all(f"#f-{name}-error") for name in inline
        ):
            self.fail(what)

    def choose_by_name(self, form: WebElement, typed: str, what: str, expected: str | None = None) -> None:
        """Types `typed` into the form's record combobox (emptied first, as a user replaces a
        prefilled choice) and picks the first match, which must hold `expected` when given."""
        box = self.find('div.field.reference input[role="combobox"]', form, f"the {what} combobox")
        box.clear()
        box.send_keys(typed)
        option = self.wait_for('ul[role="listbox"] li[role="option"]', f"the {what}s whose name holds {typed!r}")
        if expected is not None and expected not in option.text:
            self.fail(f"the {what} combobox offered {option.text!r}, not {expected}")
        option.click()

    def arrow_to(self, value: str, what: str, limit: int = 15) -> None:
        """Presses the down arrow on the focused select until `value` is chosen; fails naming `what`."""
        for _ in range(limit):
            if self.driver.execute_script("return document.activeElement.value") == value:
                return
            self.press(Keys.ARROW_DOWN)
        if self.driver.execute_script("return document.activeElement.value") != value:
            self.fail(f"the arrow keys did not reach {what} ({value})")

    def press_and_wait(self, *keys: str) -> None:
        """Sends keys that leave the page (Enter on a link or button), and waits for the next page."""
        old = self.find("body")
        self.press(*keys)
        self.wait_replaced(old, f"pressing {keys!r}")

    def wait_for(self, css: str, what: str) -> WebElement:
        """The first visible element matching `css`, once the page's script has shown it."""
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(
                lambda d: any(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, css))
            )
        except TimeoutException:
            self.fail(f"{what} ({css}) did not appear on {self.driver.current_url} within {WAIT_SECONDS} s")
        return [e for e in self.find_all(css) if e.is_displayed()][0]

    # --- signing in -----------------------------------------------------------------------------

    def follow(self, css: str, label: str, what: str, text: str | None = None) -> PageResult:
        """Opens the first link matching `css` (and containing `text`); fails naming `what` when there is none."""
        links = [a for a in self.find_all(css) if text is None or text in a.text]
        if not links:
            self.fail(f"{what} is not on {self.driver.current_url}")
        self.driver.get(links[0].get_attribute("href"))
        self.wait_ready()
        return self.page_loaded(label)

    def signed_in(self) -> bool:
        """Whether the browser has a session: GET / does not end at /login."""
        self.driver.get(self.url("/"))
        self.wait_ready()
        return self.path() != "/login"

    def sign_in(self, check: bool = False) -> None:
        """Signs in through the login form unless already signed in (or always when `check`,
        which is the sign-in journey's full set of checks)."""
        if not check and self.signed_in():
            return
        user, password = self.user, self.password
        self.visit("/login", "login")
        form = self.find("form:has(input[name=password])", what="the sign-in form")
        self.find("input[name=username]", form).send_keys(user)
        self.find("input[name=password]", form).send_keys(password)
        self.submit(self.find("button[type=submit]", form, "the sign-in form's submit button"), form)
        if self.path() != "/":
            problem = self._page_message()
            page = self.page_loaded("sign-in-refused", check_status=False)
            self.fail(
                f"signing in as {user} ended at {self.driver.current_url} (HTTP {page.status or '?'}), not /"
                + (f"; the page says: {problem!r}" if problem else "")
            )
        self.page_loaded("home")

    @contextlib.contextmanager
    def signed_in_as(self, user: str, password: str) -> Iterator[None]:
        """A part of a journey as another user; afterwards the browser is signed out, so the
        next journey signs in as the run's user again."""
        saved = (self.user, self.password)
        self.driver.delete_all_cookies()
        self.user, self.password = user, password
        try:
            self.sign_in()
            yield
        finally:
            self.driver.delete_all_cookies()
            self.user, self.password = saved

    def cookie_header(self) -> str:
        return "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())

    # --- outcomes ---------------------------------------------------------------------------------

    def fail(self, reason: str) -> NoReturn:
        raise JourneyFailed(reason)

    def note(self, reason: str) -> None:
        """A failure that lets the journey go on; the journey fails at its end."""
        if self.current:
            self.current.reasons.append(reason)

    def screenshot(self, label: str) -> str:
        """A full-page PNG in the results folder; returns its file name."""
        self._shots += 1
        journey_name = self.current.name if self.current else "run"
        name = f"{self._shots:02d}-{_slug(journey_name)}-{_slug(label)}.png"
        path = self.results / name
        try:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            clip = {
                "x": 0,
                "y": 0,
                "width": max(1, int(size["width"])),
                "height": max(1, min(int(size["height"]), MAX_SCREENSHOT_HEIGHT)),
                "scale": 1,
            }
            shot = self.driver.execute_cdp_cmd(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
            )
            path.write_bytes(base64.b64decode(shot["data"]))
        except WebDriverException:
            self.driver.save_screenshot(str(path))
        return name

    def print_pdf(self, label: str) -> bytes:
        """Prints the page as the browser's print to PDF does on A4 (21.0 × 29.7 cm, backgrounds
        off); saves the PDF in the results folder and returns it."""
        options = PrintOptions()
        options.page_width, options.page_height = 21.0, 29.7
        options.background = False
        pdf = base64.b64decode(self.driver.print_page(options))
        journey_name = self.current.name if self.current else "run"
        (self.results / f"{_slug(journey_name)}-{_slug(label)}.pdf").write_bytes(pdf)
        return pdf

    # --- private ------------------------------------------------------------------------------

    def _run_axe(self, page: PageResult) -> None:
        # The package's Axe.inject() loads its bundled axe.min.js; axe.run is called here rather
        # than with Axe.run() so that a rejected run is reported instead of timing out.
        try:
            self._axe.inject()
            outcome = self.driver.execute_async_script(
                """
                const done = arguments[arguments.length - 1];
                const options = arguments[0];
                const nodes = (list) => list.map((n) => ({
                    target: n.target, html: n.html, failureSummary: n.failureSummary || "" }));
                axe.run(document, options).then(
                    (r) => done({ ok: true,
                        engine: r.testEngine.name + " " + r.testEngine.version,
                        passes: r.passes.length,
                        violations: r.violations.map((v) => ({ id: v.id, impact: v.impact,
                            help: v.help, helpUrl: v.helpUrl, tags: v.tags, nodes: nodes(v.nodes) })),
                        incomplete: r.incomplete.map((v) => ({ id: v.id, impact: v.impact,
                            help: v.help, nodes: nodes(v.nodes) })) }),
                    (e) => done({ ok: false, error: String((e && e.stack) || e) }));
                """,
                {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations", "incomplete"]},
            )
        except WebDriverException as error:
            outcome = {"ok": False, "error": f"{type(error).__name__}: {error.msg or error}"}
        page.axe_checked = True
        if not outcome.get("ok"):
            page.axe_error = outcome.get("error", "unknown error")
            self.note(f"axe could not check {page.url}: {page.axe_error}")
            return
        page.axe_engine = outcome["engine"]
        page.passes = outcome["passes"]
        page.violations = outcome["violations"]
        page.incomplete = outcome["incomplete"]
        for v in page.violations:
            targets = ", ".join(_target(n["target"]) for n in v["nodes"][:3])
            more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
            self.note(f"axe {v['id']} ({v['impact']}) on {page.url}: {v['help']}; at {targets}{more}")

    def _console_errors(self) -> list[str]:
        try:
            return [e["message"] for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]
        except WebDriverException:
            return []

    def _page_message(self) -> str:
        for css in ("[role=alert]", ".error", "h1"):
            for element in self.find_all(css):
                text = element.text.strip()
                if text:
                    return text[:200]
        return ""


# --- the journeys ------------------------------------------------------------------------------


@journey("sign-in")
def sign_in(s: Session) -> None:
    """Sign in through /login; land on / with an <h1> and the main menu."""
    s.driver.delete_all_cookies()
    s.sign_in(check=True)
    heading = s.find_all("h1")
    if not heading or not heading[0].text.strip():
        s.note(f"{s.driver.current_url} has no <h1> with text")
    nav = s.find(MAIN_NAV, what='the main menu (<nav aria-label="Huvudmeny">)')
    if not s.find_all("a[href]", nav):
        s.fail(f"the main menu on {s.driver.current_url} has no links")


@journey("main-menu")
def main_menu(s: Session) -> None:
    """Follow every link in the main menu; each page answers, stays signed in, passes axe."""
    s.sign_in()
    if s.path() != "/":
        s.visit("/", "home")
    nav = s.find(MAIN_NAV, what='the main menu (<nav aria-label="Huvudmeny">)')
    links: list[tuple[str, str]] = []
    for a in s.find_all("a[href]", nav):
        href = a.get_attribute("href") or ""
        name = (a.text or a.get_attribute("aria-label") or "").strip()
        if _origin(href) != s.origin:
            print(f"  main-menu: skipping {name!r} -> {href} (not this host)")
            continue
        if _strip_fragment(href) not in [u for u, _ in links]:
            links.append((_strip_fragment(href), name))
    if not links:
        s.fail(f"the main menu on {s.driver.current_url} has no links to this host")
    print(f"  main-menu: {len(links)} links: " + ", ".join(f"{n or '?'} ({urllib.parse.urlsplit(u).path})" for u, n in links))
    for href, name in links:
        s.driver.get(href)
        s.wait_ready()
        if s.path() == "/login" and urllib.parse.urlsplit(href).path != "/login":
            s.page_loaded(f"menu-{name or 'link'}-login")
            s.fail(f"following {name!r} ({href}) ended at /login: the session was lost")
        s.page_loaded(f"menu-{name or urllib.parse.urlsplit(href).path}")


@journey("csv-download")
def csv_download(s: Session) -> None:
    """On /registry/organisations, a.csv-download gives text/csv with a header row."""
    s.sign_in()
    s.visit("/registry/organisations", "organisations")
    link = s.find("a.csv-download", what="the CSV download link (a.csv-download)")
    href = link.get_attribute("href") or ""
    if _origin(href) != s.origin:
        s.fail(f"the CSV link points to {href!r}, not to this host")
    response = requests.get(
        href, headers={"Cookie": s.cookie_header(), "User-Agent": "kooperator-browser-journeys"},
        allow_redirects=False, timeout=WAIT_SECONDS,
    )
    if response.status_code != 200:
        where = response.headers.get("Location", "")
        s.fail(f"GET {href} with the browser's cookies answered {response.status_code}" + (f" -> {where}" if where else ""))
    content_type = response.headers.get("Content-Type", "")
    if content_type.split(";")[0].strip().lower() != "text/csv":
        s.fail(f"GET {href} answered Content-Type {content_type!r}, not text/csv")
    (s.results / f"{_slug(urllib.parse.urlsplit(href).path)}.csv").write_bytes(response.content)
    try:
        text = response.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        s.fail(f"the CSV from {href} is not UTF-8: {error}")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        s.fail(f"the CSV from {href} is empty or starts with an empty line")
    delimiter = max(",;\t", key=lines[0].count)
    header = next(csv.reader(io.StringIO(lines[0]), delimiter=delimiter))
    if len(header) < 2 or any(not h.strip() for h in header) or all(re.fullmatch(r"[\d\s.,:-]+", h) for h in header):
        s.fail(f"the CSV from {href} has no header row: first line {lines[0][:200]!r}")
    disposition = response.headers.get("Content-Disposition", "")
    print(f"  csv-download: {href}: {content_type}; {disposition or 'no Content-Disposition'}; "
          f"{len(lines) - 1} rows; columns {header}")


def _csv_from(s: Session, link: WebElement) -> list[str]:
    """Fetches a download link with the browser's cookies; fails unless it is text/csv with a header row."""
    href = link.get_attribute("href") or ""
    response = requests.get(href, headers={"Cookie": s.cookie_header()}, allow_redirects=False, timeout=WAIT_SECONDS)
    if response.status_code != 200 or not response.headers.get("Content-Type", "").startswith("text/csv"):
        s.fail(f"GET {href} answered {response.status_code} {response.headers.get('Content-Type', '')!r}, not a CSV")
    lines = response.content.decode("utf-8-sig").splitlines()
    # A page's download is for Excel: `;` between fields in Swedish, `,` in English.
    if not lines or not any(separator in lines[0] for separator in ",;"):
        s.fail(f"the CSV from {href} has no header row")
    return lines


@journey("story")
def story(s: Session) -> None:
    """The start page lists what needs attention; a cooperative's page shows every feature's section."""
    s.sign_in()
    s.visit("/", "start")
    if not s.find_all("section.attention li a[href]"):
        s.fail("the start page lists nothing that needs attention, though the demo story has overdue items")
    s.visit("/registry/organisations?q=gl%C3%A4ntan", "find-cafe")
    s.follow("table tbody a[href]", "cafe-glantan", "Café Gläntan in the organisation list")
    sections = s.find_all(".sections section h2")
    print(f"  story: Café Gläntan's page has the sections {[h.text for h in sections]}")
    if not sections:
        s.fail("the cooperative's page shows no feature's section")


@journey("log-session")
def log_session(s: Session) -> None:
    """From the supervision list to Café Gläntan; log a session with the form; the page says it is saved."""
    s.sign_in()
    s.visit("/supervision", "cooperatives")
    s.follow('table tbody a[href^="/supervision/cooperatives/"]', "cooperative", "Café Gläntan (the cooperative with its own supervisor)", "Gläntan")
    form = s.find("form#session-form", what="the session form (form#session-form)")
    # A day within the demo's assignment in force (its own supervisor, 2016-02-01 – 2017-07-31).
    s.driver.execute_script("arguments[0].value = '2017-01-10'", s.find('input[name="date"]', form, "the date field"))
    minutes = s.find('input[name="minutes"]', form, "the minutes field")
    minutes.clear()
    minutes.send_keys("90")
    topic = s.find('select[name="topic"]', form, "the topic choice")
    Select(topic).select_by_index(1)  # the first real topic after "Välj ämne"
    notes = s.find_all('textarea[name="notes"]', form)
    if notes:
        notes[0].send_keys("Genomgång av månadens ekonomi och nästa styrelsemöte.")
    s.submit(s.find("button[type=submit]", form, "the session form's button"), form)
    s.page_loaded("session-logged")
    if not s.find_all("p.notice"):
        s.fail(f"after logging a session, {s.driver.current_url} shows no notice that it was saved")


@journey("supervision-forms")
def supervision_forms(s: Session) -> None:
    """On Café Gläntan's page: a new funding pot through its form, refused once (errors at their
    fields), then saved with an amount in kronor and naming the officer; a pot's caseworker chosen
    by name; a goal moved on; every form page checked by axe."""
    s.sign_in()
    s.visit("/supervision", "cooperatives")
    s.follow('table tbody a[href^="/supervision/cooperatives/"]', "cooperative-forms", "Café Gläntan", "Gläntan")
    s.follow('a[href^="/supervision/forms/createPot"]', "pot-form", "the link to a new funding pot")
    form = s.find('form[action^="/supervision/forms/createPot"]', what="the pot form")
    s.find('input[name="amount"]', form, "the amount field").send_keys("tolv tusen")
    s.submit_refused(form, "pot-refused", ["purpose"], ["amount"], "the refused pot form shows no error at the purpose and the amount")
    form = s.find('form[action^="/supervision/forms/createPot"]', what="the refused pot form")
    s.find('input[name="purpose"]', form, "the purpose field").send_keys("Handledning hösten 2017")
    amount = s.find('input[name="amount"]', form, "the amount field")
    amount.clear()
    amount.send_keys("12 500,50")
    share = s.find('input[name="sharePercent"]', form, "the share field")
    share.clear()
    share.send_keys("50")
    s.driver.execute_script("arguments[0].value = '2017-08-01'", s.find('input[name="from"]', form, "the first day"))
    s.driver.execute_script("arguments[0].value = '2017-12-31'", s.find('input[name="to"]', form, "the last day"))
    s.submit(s.find("div.form-actions button[type=submit]", form, "the pot form's button"), form)
    s.page_loaded("pot-saved")
    if not s.find_all("p.notice") or "12\u00a0500,50\u00a0kr" not in s.find("main").text.replace(" ", "\u00a0"):
        s.fail(f"after saving the pot, {s.driver.current_url} shows no notice or not the amount 12 500,50 kr")
    # The pot names the caseworker who set it up (the signed-in officer); who answers for a pot
    # is chosen by name on a form of its own.
    if "Birgitta Nordström" not in s.find("main").text:
        s.fail(f"{s.driver.current_url} does not name the new pot's caseworker, the officer who set it up")
    s.follow('a[href^="/supervision/forms/setPotResponsible"]', "pot-responsible-form", "the link to a pot's responsible caseworker")
    form = s.find('form[action^="/supervision/forms/setPotResponsible"]', what="the responsible caseworker form")
    s.choose_by_name(form, "Birgitta", "caseworker", expected="Birgitta Nordström")
    s.submit(s.find("div.form-actions button[type=submit]", form, "the responsible form's button"), form)
    s.page_loaded("pot-responsible-saved")
    if "Ansvarig handläggare är sparad." not in s.find("main").text:
        s.fail(f"after naming the pot's caseworker, {s.driver.current_url} shows no notice")
    # Only goals still open or in progress have the link; each moves to its next state.
    rows = s.find_all('tr:has(a[href^="/supervision/forms/changeGoalState"])')
    if rows:
        target = "inProgress" if "Öppet" in rows[0].text else "met"
        s.follow('a[href^="/supervision/forms/changeGoalState"]', "goal-state-form", "a goal's state link")
        form = s.find('form[action^="/supervision/forms/changeGoalState"]', what="the goal state form")
        Select(s.find('select[name="state"]', form, "the state choice")).select_by_value(target)
        s.submit(s.find("div.form-actions button[type=submit]", form, "the goal form's button"), form)
        s.page_loaded("goal-moved")


@journey("esf-forms")
def esf_forms(s: Session) -> None:
    """As the ESF coordinator, on the project's page: a participant's entry through its form,
    refused once (errors at their fields), then saved with the person found by name; the
    participant's exit with a result; a cost in kronor shown with a decimal comma."""
    if not s.coordinator:
        s.fail("the journey needs the coordinator's sign-in (--coordinator-user, --coordinator-password)")
    with s.signed_in_as(*s.coordinator):
        s.visit("/esf", "esf-forms-projects")
        s.follow("a.project-link", "esf-forms-project", "a project link (a.project-link)")
        project = s.path()
        s.follow('a[href^="/esf/forms/enterParticipation"]', "entry-form", "the link to a new participant")
        form = s.find('form[action^="/esf/forms/enterParticipation"]', what="the entry form")
        if not s.find_all('input[name="specialCategories.disability"]', form):
            s.note("the coordinator's entry form has no special-category fields")
        s.submit_refused(
            form, "entry-refused", ["personId"], ["from"], "the refused entry form shows no error at the person and the first day"
        )
        form = s.find('form[action^="/esf/forms/enterParticipation"]', what="the refused entry form")
        s.choose_by_name(form, "Mehmet", "person", expected="Mehmet")
        s.page_loaded("entry-person-chosen", check_status=False)
        s.driver.execute_script("arguments[0].value = '2017-03-01'", s.find('input[name="from"]', form, "the first day"))
        Select(s.find('select[name="entryStatus"]', form, "the status at entry")).select_by_value("unemployed")
        s.submit(s.find("div.form-actions button[type=submit]", form, "the entry form's button"), form)
        s.page_loaded("participant-entered")
        if not s.find_all("p.notice"):
            s.fail(f"after the entry, {s.driver.current_url} shows no notice")
        s.visit(s.path() + "?q=Mehmet", "participant-found")
        if "Mehmet" not in s.find("main").text:
            s.fail(f"{s.driver.current_url} does not list the participant entered")
        s.follow('table a[href^="/esf/forms/exitParticipation"]', "exit-form", "the participant's exit link")
        form = s.find('form[action^="/esf/forms/exitParticipation"]', what="the exit form")
        s.driver.execute_script("arguments[0].value = '2017-06-30'", s.find('input[name="on"]', form, "the last day"))
        s.find('input[name="results"][value="employed"]', form, "the result 'in employment'").click()
        s.driver.execute_script("arguments[0].value = '2017-07-05'", s.find('input[name="recordedOn"]', form, "the day measured"))
        s.submit(s.find("div.form-actions button[type=submit]", form, "the exit form's button"), form)
        s.page_loaded("participant-exited")
        if not s.find_all("p.notice"):
            s.fail(f"after the exit, {s.driver.current_url} shows no notice")
        s.visit(project, "esf-forms-project-again")
        s.follow('a[href^="/esf/forms/bookCost"]', "cost-form", "the link that books a cost")
        form = s.find('form[action^="/esf/forms/bookCost"]', what="the cost form")
        Select(s.find('select[name="category"]', form, "the cost category")).select_by_value("travelAndLodging")
        s.driver.execute_script("arguments[0].value = '2017-05-02'", s.find('input[name="on"]', form, "the day"))
        s.find('input[name="amount"]', form, "the amount").send_keys("1 234,50")
        s.find('[name="description"]', form, "the description").send_keys("Tågresa till Umeå")
        s.submit(s.find("div.form-actions button[type=submit]", form, "the cost form's button"), form)
        s.page_loaded("cost-booked")
        if not s.find_all("p.notice") or "1\u00a0234,50\u00a0kr" not in s.find("main").text.replace(" ", "\u00a0"):
            s.fail(f"after booking the cost, {s.driver.current_url} shows no notice or not 1 234,50 kr")


@journey("register-person")
def register_person(s: Session) -> None:
    """From the people list: register a person with a role, the organisation found by name with
    the search beside its field (no script needed), then change the person's e-mail."""
    s.sign_in()
    s.visit("/registry/people", "people-forms")
    s.follow('a[href^="/registry/forms/createPerson"]', "person-form", "the link that registers a person")
    form = s.find('form[action^="/registry/forms/createPerson"]', what="the person form")
    s.find('input[name="name"]', form, "the name field").send_keys("Maja Lind")
    Select(s.find('select[name="gender"]', form, "the gender choice")).select_by_value("female")
    s.choose_by_name(form, "gläntan", "organisation", expected="Gläntan")
    s.page_loaded("person-form-chosen")
    Select(s.find('select[name="roles.0.role"]', form, "the role choice")).select_by_value("cooperator")
    s.driver.execute_script("arguments[0].value = '2017-09-01'", s.find('input[name="roles.0.from"]', form, "the role's first day"))
    s.submit(s.find("div.form-actions button[type=submit]", form, "the person form's button"), form)
    s.page_loaded("person-registered")
    if "Maja Lind" not in s.find("main").text:
        s.fail(f"{s.driver.current_url} is not Maja Lind's page")
    s.follow('a[href^="/registry/forms/updatePerson"]', "person-change-form", "the link that changes the person")
    form = s.find('form[action^="/registry/forms/updatePerson"]', what="the change form")
    email = s.find('input[name="contact.email"]', form, "the e-mail field")
    email.clear()
    email.send_keys("maja.lind@example.se")
    s.submit(s.find("div.form-actions button[type=submit]", form, "the change form's button"), form)
    s.page_loaded("person-changed")
    if "maja.lind@example.se" not in s.find("main").text:
        s.fail("the person's page does not show the new e-mail")


@journey("keyboard-person")
def keyboard_person(s: Session) -> None:
    """The keyboard alone (Tab, Enter, Space, arrow keys; no clicks): from the people list to the
    form, a person registered with a role in an organisation picked in the combobox with the arrow
    keys; the person's page is where Enter ends up."""
    s.sign_in()
    s.visit("/registry/people", "keyboard-people")
    s.tab_to('a[href^="/registry/forms/createPerson"]', "the link that registers a person")
    s.press_and_wait(Keys.ENTER)
    s.page_loaded("keyboard-person-form")
    s.tab_to('input[name="name"]', "the name field")
    s.press("Tove Ek")
    s.tab_to('select[name="gender"]', "the gender choice")
    # A closed select moves through its options with the arrow keys.
    s.arrow_to("female", "'Kvinna' in the gender choice")
    s.tab_to('input[role="combobox"]', "the organisation combobox")
    s.press("gläntan")
    s.wait_for('ul[role="listbox"] li[role="option"]', "the combobox's matches")
    s.press(Keys.ARROW_DOWN)
    active = s.driver.execute_script("return document.activeElement.getAttribute('aria-activedescendant')")
    if not active:
        s.fail("ArrowDown in the combobox marked no option (aria-activedescendant)")
    s.press(Keys.ENTER)
    chosen = s.driver.execute_script("return document.querySelector('select[name=\"roles.0.organisationId\"]').value")
    if not chosen:
        s.fail("Enter in the combobox chose no organisation")
    s.tab_to('select[name="roles.0.role"]', "the role choice")
    s.arrow_to("cooperator", "'Kooperatör' in the role choice")
    s.tab_to('input[name="roles.0.from"]', "the role's first day")
    # A date field shows its parts in the browser's locale's order (headless Chromium: month, day,
    # year); each part is typed whole and the field moves on by itself.
    order = s.driver.execute_script(
        "return new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2017, 8, 1))"
        ".map(p => p.type).filter(t => ['year', 'month', 'day'].includes(t))"
    )
    s.press(*[{"year": "2017", "month": "09", "day": "01"}[part] for part in order])
    typed = s.driver.execute_script("return document.activeElement.value")
    if typed != "2017-09-01":
        s.fail(f"typing 2017, 09 and 01 into the role's first day gave {typed!r}")
    s.tab_to('div.form-actions button[type=submit]', "the form's button")
    s.press_and_wait(Keys.SPACE)
    s.page_loaded("keyboard-person-registered")
    if "Tove Ek" not in s.find("main").text or "Gläntan" not in s.find("main").text:
        s.fail(f"{s.driver.current_url} is not Tove Ek's page with her role at Café Gläntan")


@journey("tick-attendance")
def tick_attendance(s: Session) -> None:
    """The circle running now: tick the last meeting's attendance and save it; the rule check shows."""
    s.sign_in()
    s.visit("/education", "circles")
    s.follow('table tbody a[href^="/education/circles/"]', "circle", "the demo's running circle (Bokföring och moms för arbetskooperativ)", "Bokföring")
    form = s.find("form#attendance-form", what="the attendance grid (form#attendance-form)")
    boxes = [b for b in s.find_all('input[type="checkbox"][name="present"]', form) if not b.is_selected()]
    if not boxes:
        s.fail("the attendance grid has no unticked box to tick")
    for box in boxes[:3]:
        box.click()
    s.submit(s.find("button[type=submit]", form, "the attendance form's button"), form)
    s.page_loaded("attendance-saved")
    if not s.find_all("p.notice"):
        s.fail(f"after saving the attendance, {s.driver.current_url} shows no notice that it was saved")
    checks = s.find_all(".rule-check .pass, .rule-check .fail")
    if not checks:
        s.fail("the circle's page shows no rule check (.rule-check with .pass/.fail)")


@journey("education-forms")
def education_forms(s: Session) -> None:
    """On the running circle's page: a meeting through its form, refused once (errors at their
    fields), then saved; the circle's other forms (enrol, complete, reject) are linked from it."""
    s.sign_in()
    s.visit("/education", "circles-forms")
    s.follow('table tbody a[href^="/education/circles/"]', "circle-forms", "the demo's running circle", "Bokföring")
    for css, what in [
        ('a[href^="/education/forms/enrol"]', "the link that enrols a participant"),
        ('a[href^="/education/forms/changeCircleState"]', "a link that changes the circle's state"),
    ]:
        s.find(css, what=what)
    s.follow('a[href^="/education/forms/addMeeting"]', "meeting-form", "the link that adds a meeting")
    form = s.find('form[action^="/education/forms/addMeeting"]', what="the meeting form")
    s.find('input[name="minutes"]', form, "the length field").send_keys("0")
    s.submit_refused(form, "meeting-refused", ["startsAt"], ["minutes"], "the refused meeting form shows no error at the start and the length")
    form = s.find('form[action^="/education/forms/addMeeting"]', what="the refused meeting form")
    when = time.strftime("%Y-%m-%d 18:00", time.localtime(time.time() + 7 * 86400))
    s.find('input[name="startsAt"]', form, "the start field").send_keys(when)
    minutes = s.find('input[name="minutes"]', form, "the length field")
    minutes.clear()
    minutes.send_keys("135")
    s.submit(s.find("div.form-actions button[type=submit]", form, "the meeting form's button"), form)
    s.page_loaded("meeting-saved")
    if not s.find_all("p.notice") or when not in s.find("main").text:
        s.fail(f"after saving the meeting, {s.driver.current_url} shows no notice or not the meeting at {when}")


@journey("esf-progress")
def esf_progress(s: Session) -> None:
    """The ESF project's page shows its jobs toward the target as a chart, and its indicators."""
    s.sign_in()
    s.visit("/esf", "esf-projects")
    s.follow("a.project-link", "esf-project", "a project link (a.project-link)")
    chart = s.find("svg#jobs-chart", what="the jobs chart (svg#jobs-chart)")
    if not s.find_all("title", chart) or not s.find_all(".target-line", chart):
        s.fail("the jobs chart has no <title> or no target line")
    if not s.find_all("table#indicators tbody tr"):
        s.fail("the project's page has no indicator rows (table#indicators)")


@journey("esf-progress-report")
def esf_progress_report(s: Session) -> None:
    """The ESF progress report from the navigation: the story project's first year picked, its
    five charts (each SVG with <title> and <desc>, its figures in a table beside it) and the CSV
    download of the same figures."""
    s.sign_in()
    s.visit("/", "esf-report-start")
    s.follow('nav a[href="/esf/progress-report"]', "esf-report", "the progress report in the navigation")
    form = s.find('form[action="/esf/progress-report"]', what="the report's project and period picker")
    period = s.find("select#report-period", form, "the period picker")
    choices = [o for o in s.find_all("option", period) if o.get_attribute("value").startswith("2015-10-01..")]
    if not choices:
        s.fail("the period picker offers no period from the story project's start (2015-10-01)")
    choices[0].click()
    s.submit(s.find("button[type=submit]", form, "the picker's button"), form)
    s.page_loaded("esf-report-period")
    for chart in ("indicators-chart", "targets-chart", "budget-chart", "cofinancing-chart"):
        svg = s.find(f"svg#{chart}", what=f"the chart svg#{chart}")
        if not s.find_all("title", svg) or not s.find_all("desc", svg):
            s.fail(f"the chart {chart} has no <title> or no <desc>")
        if not s.find_all(f"table#{chart}-table tbody tr"):
            s.fail(f"the chart {chart} has no table of its figures beside it")
    rows = _csv_from(s, s.find('a[href*="format=csv"]', what="the report's CSV download"))
    if not any(re.search(r"[;,]budget[;,]staff[;,]", row) for row in rows):
        s.fail("the report's CSV has no budget line for staff costs")


@journey("reports")
def reports(s: Session) -> None:
    """The reports from the navigation: each of the four opens with its chart (an SVG with <title>
    and <desc>) and the same figures in a table; Café Gläntan's fourteen years show the unit's
    closing marked; before and after chooses its unit in its form (chart, table and CSV follow);
    where the money went offers the form of the unit's yearly cost."""
    s.sign_in()
    s.visit("/", "reports-start")
    s.follow('nav a[href="/reports"]', "reports", "the reports in the navigation")
    links = [a.get_attribute("href") for a in s.find_all('main a[href^="/reports/"]')]
    if len(links) < 4:
        s.fail(f"the reports' list links to {len(links)} reports, not 4")
    for path, chart in (("support", "hours-chart"), ("before-and-after", "people-chart"), ("money", "money-chart"), ("provider", "provider-chart")):
        s.visit(f"/reports/{path}", f"report-{path}")
        svg = s.find(f"svg#{chart}", what=f"the chart svg#{chart}")
        if not s.find_all("title", svg) or not s.find_all("desc", svg):
            s.fail(f"the chart {chart} has no <title> or no <desc>")
        if not s.find_all(f"table#{chart}-table tbody tr"):
            s.fail(f"the chart {chart} has no table of its figures beside it")
    _before_and_after_unit(s)
    s.visit("/reports/money", "report-money-again", axe=False)
    s.find('a[href^="/registry/forms/setUnitCost"]', what="the form of the unit's yearly cost")
    s.visit("/reports/support?from=2001&to=2020", "report-support-years")
    if not s.find_all("table tr.break"):
        s.fail("the year the unit closed is not marked in the tables (tr.break)")


def _before_and_after_unit(s: Session) -> None:
    """Before and after chooses its unit in the page's form: the municipal unit first, then
    Café Gläntan (which had its own supervisor) shows Café Gläntan alone, in the table and the
    CSV, whose link keeps the choice."""
    s.visit("/reports/before-and-after?from=2001&to=2020", "report-before-and-after-years", axe=False)
    form = s.find('form[action="/reports/before-and-after"]', what="the report's form")
    unit = Select(s.find("select#report-provider", form, "the unit picker (select#report-provider)"))
    if "Enheten" not in unit.first_selected_option.text:
        s.fail(f"the unit picker starts at {unit.first_selected_option.text!r}, not the municipal unit")
    before = s.find("table#people-chart-table", what="the people chart's table").text
    choices = [o for o in unit.options if "Gläntan" in o.text]
    if not choices:
        s.fail(f"the unit picker does not offer Café Gläntan: {[o.text for o in unit.options]}")
    cafe = choices[0].get_attribute("value")
    unit.select_by_value(cafe)
    s.submit(s.find("button[type=submit]", form, "the report's button"), form)
    s.page_loaded("report-before-and-after-cafe")
    if f"provider={cafe}" not in s.driver.current_url:
        s.fail(f"the form did not carry the unit: {s.driver.current_url}")
    chosen = Select(s.find("select#report-provider", what="the unit picker")).first_selected_option.text
    if "Gläntan" not in chosen:
        s.fail(f"after choosing Café Gläntan the picker shows {chosen!r}")
    if s.find("table#people-chart-table", what="the people chart's table").text == before:
        s.fail("another unit gave the same figures")
    link = s.find('a.csv-download[href*="format=csv"]', what="the report's CSV download")
    if f"provider={cafe}" not in (link.get_attribute("href") or ""):
        s.fail(f"the CSV link {link.get_attribute('href')!r} does not keep the unit")
    rows = _csv_from(s, link)
    names = {row.split(";")[2] for row in rows[1:] if row.count(";") >= 2}
    if names != {"Café Gläntan ek. för."}:
        s.fail(f"the CSV for Café Gläntan's own supervision names {sorted(names)}")


@journey("letters")
def letters(s: Session) -> None:
    """A decision letter of each feature from the demo story, opened from its record's page as a
    user would (a grant's decision among the agreement's documents; a pot's re-examination on
    Café Gläntan's page), prints to one clean A4 PDF: one page, an A4 media box, the case number
    and the municipality's name in its text, nothing of the site's header or footer."""
    s.sign_in()
    last_year = datetime.date.today().year - 1
    s.visit("/partnerships?q=Cykelverkstan", "letters-agreements")
    s.follow("a.agreement-link", "letters-grant", f"the demo's {last_year} grant to Cykelverkstan Hjulet", f"Verksamhetsbidrag {last_year}")
    number = s.driver.execute_script(
        "const dt = [...document.querySelectorAll('main dl.facts dt')].find((e) => e.textContent.trim() === 'Diarienummer');"
        "return dt && dt.nextElementSibling ? dt.nextElementSibling.textContent.trim() : '';"
    )
    if not number:
        s.fail(f"the grant's page {s.driver.current_url} shows no case number (Diarienummer)")
    s.follow('main a[href^="/partnerships/letters/"]', "letter-grant", "the link to the grant's decision letter")
    _check_letter_pdf(s, "grant", number)

    s.visit("/supervision?q=Gl%C3%A4ntan", "letters-cooperatives")
    s.follow('main table a[href^="/supervision/cooperatives/"]', "letters-cafe", "Café Gläntan in the supervision list", "Gläntan")
    row = s.find('main tr:has(a[href^="/supervision/letters/"])', what="a decision letter on Café Gläntan's page")
    cells = s.find_all("td", row)
    number = cells[3].text.strip() if len(cells) > 3 else ""
    if not number:
        s.fail("the letters' table on Café Gläntan's page shows no case number")
    s.follow('main a[href^="/supervision/letters/"]', "letter-pot", "the link to the pot's decision letter")
    _check_letter_pdf(s, "pot", number)


def _check_letter_pdf(s: Session, label: str, case_number: str) -> None:
    """Prints the letter in the browser and checks the PDF: one page, A4, the case number and the
    municipality's name in its text, none of the site's header and footer."""
    pdf = s.print_pdf(f"letter-{label}")
    pages = _pdf_pages(pdf)
    if pages != 1:
        s.note(f"the {label} letter ({s.driver.current_url}) prints to {pages} pages, not one")
    boxes = [[float(n) for n in box.split()] for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)]
    sizes = {(round(b[2] - b[0], 2), round(b[3] - b[1], 2)) for b in boxes if len(b) == 4}
    if not sizes or any(abs(w - A4_POINTS[0]) > 1 or abs(h - A4_POINTS[1]) > 1 for w, h in sizes):
        s.note(f"the {label} letter's PDF is not A4 ({A4_POINTS[0]:.0f} × {A4_POINTS[1]:.0f} pt): media boxes {sorted(sizes)}")
    text = _pdf_text(pdf)
    # Chromium writes a line's glyphs in several runs, a word sometimes split between two: the
    # text is compared without its spaces.
    squeezed = re.sub(r"\s+", "", text)
    for expected, what in ((case_number, "the case number"), (s.municipality, "the municipality's name")):
        if re.sub(r"\s+", "", expected) not in squeezed:
            s.note(f"the {label} letter's PDF does not hold {what} {expected!r}; its text begins {text[:200]!r}")
    printed = [chrome for chrome in SITE_CHROME if re.sub(r"\s+", "", chrome) in squeezed]
    if printed:
        s.note(f"the {label} letter's PDF prints the site's header or footer: {printed}")
    print(f"  letters: {label} letter {case_number}: {pages} page(s), media box {sorted(sizes)}, {len(text)} characters of text")


def _pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """The PDF's objects by number: each its dictionary and its stream (inflated when it is
    FlateDecode), as Chromium's printing (Skia) writes them, uncompressed object by object."""
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S):
        body = match.group(2)
        stream = None
        found = re.match(rb"(.*?)stream\r?\n(.*)\r?\nendstream", body, re.S)
        if found:
            body, stream = found.group(1), found.group(2)
            if b"/FlateDecode" in body:
                try:
                    stream = zlib.decompress(stream)
                except zlib.error:
                    stream = None  # not a stream this reads (a font file cut at a stray "endstream")
        objects[int(match.group(1))] = (body, stream)
    return objects


def _pdf_pages(pdf: bytes) -> int:
    """The number of page objects (`/Type /Page`, not the page tree's `/Pages`)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def _pdf_text(pdf: bytes) -> str:
    """The text the PDF's pages show: each content stream's strings (Tj, TJ), their glyph codes
    read through their font's ToUnicode map (a run holds its own spaces)."""
    objects = _pdf_objects(pdf)

    def ref(body: bytes, key: bytes) -> int | None:
        found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
        return int(found.group(1)) if found else None

    def cmap(number: int | None) -> dict[int, str]:
        codes: dict[int, str] = {}
        stream = objects.get(number or -1, (b"", None))[1] or b""
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for source, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                codes[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for low, high, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
                targets = re.findall(rb"<([0-9A-Fa-f]+)>", target)
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    if target.startswith(b"["):
                        if offset < len(targets):
                            codes[code] = bytes.fromhex(targets[offset].decode()).decode("utf-16-be")
                    else:
                        first = int(targets[0], 16) + offset
                        codes[code] = chr(first)
        return codes

    runs: list[str] = []
    for body, _ in objects.values():
        if not re.search(rb"/Type\s*/Page(?![A-Za-z])", body):
            continue
        fonts = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        maps = {
            name: cmap(ref(objects.get(int(number), (b"", None))[0], b"ToUnicode"))
            for name, number in re.findall(rb"/([A-Za-z0-9_.+-]+)\s+(\d+) 0 R", fonts.group(1) if fonts else b"")
        }
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body)
        for number in re.findall(rb"(\d+) 0 R", contents.group(1) if contents else b""):
            stream = objects.get(int(number), (b"", None))[1] or b""
            font: dict[int, str] = {}
            for token in re.finditer(rb"/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|(\[(?:[^\]]*)\])\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", stream):
                if token.group(1):
                    font = maps.get(token.group(1), {})
                    continue
                strings = re.findall(rb"<([0-9A-Fa-f]*)>", token.group(2)) if token.group(2) else [token.group(3)]
                hexes = b"".join(strings).decode()
                runs.append("".join(font.get(int(hexes[i:i + 4], 16), "") for i in range(0, len(hexes) - 3, 4)))
    return "".join(runs)


@journey("agreements")
def agreements(s: Session) -> None:
    """The agreements list downloads as CSV; an agreement and the grant ledger open."""
    s.sign_in()
    s.visit("/partnerships", "agreements")
    lines = _csv_from(s, s.find("a.csv-download", what="the agreements' CSV link"))
    print(f"  agreements: CSV with {len(lines) - 1} rows, columns {lines[0]}")
    s.follow("a.agreement-link", "agreement", "an agreement link (a.agreement-link)")
    s.visit("/partnerships/ledger", "ledger")
    s.find("table#ledger", what="the grant ledger (table#ledger)")


@journey("partnership-forms")
def partnership_forms(s: Session) -> None:
    """On last year's grant to Cykelverkstan Hjulet (the demo's report a week overdue): the grantee's
    report through its form, refused once (the error at its field), then saved; a document uploaded
    on the page and its download link shown."""
    s.sign_in()
    last_year = datetime.date.today().year - 1
    s.visit("/partnerships?q=Cykelverkstan", "agreements-forms")
    s.follow("a.agreement-link", "grant-forms", f"the demo's {last_year} grant to Cykelverkstan Hjulet", f"Verksamhetsbidrag {last_year}")
    s.follow('a[href^="/partnerships/forms/submitGrantReport"]', "report-form", "the link to the grantee's report")
    form = s.find('form[action^="/partnerships/forms/submitGrantReport"]', what="the report form")
    s.submit_refused(form, "report-refused", ["summary"], ["summary"], "the refused report form shows no error at the summary")
    form = s.find('form[action^="/partnerships/forms/submitGrantReport"]', what="the refused report form")
    s.driver.execute_script(f"arguments[0].value = '{datetime.date.today().isoformat()}'", s.find('input[name="submittedOn"]', form, "the day it came in"))
    s.find('textarea[name="summary"], input[name="summary"]', form, "the summary").send_keys("Bidraget gick till handledning och lokalhyra.")
    s.submit(s.find("div.form-actions button[type=submit]", form, "the report form's button"), form)
    s.page_loaded("report-saved")
    if not s.find_all("p.notice") or "handledning och lokalhyra" not in s.find("main").text:
        s.fail(f"after saving the report, {s.driver.current_url} shows no notice or not the report")
    upload = s.find('form[enctype="multipart/form-data"]', what="the document upload form")
    path = s.results / "redovisning.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    s.find('input[type="file"][name="content"]', upload, "the file field").send_keys(str(path.resolve()))
    s.submit(s.find("button[type=submit]", upload, "the upload button"), upload)
    s.page_loaded("document-uploaded")
    if not s.find_all('a[href^="/partnerships/documents/"]') or "redovisning.pdf" not in s.find("main").text:
        s.fail(f"after the upload, {s.driver.current_url} lists no download link for redovisning.pdf")


@journey("my-settings")
def my_settings(s: Session) -> None:
    """The signed-in user opens their settings from the menu, gives an e-mail address for the
    daily reminder digest in the prefilled form, and sees it saved."""
    s.sign_in()
    s.visit("/", "home")
    s.follow('nav a[href="/admin/settings"]', "my-settings", "the settings in the navigation")
    s.follow('a[href^="/admin/forms/changeMySettings"]', "my-settings-form", "the link that changes the settings")
    form = s.find('form[action^="/admin/forms/changeMySettings"]', what="the settings form")
    email = s.find('input[name="email"]', form, "the e-mail address")
    email.clear()
    email.send_keys("handlaggare@kommun.example.se")
    s.submit(s.find("div.form-actions button[type=submit]", form, "the save button"), form)
    s.page_loaded("my-settings-saved")
    if "handlaggare@kommun.example.se" not in s.find("main").text:
        s.fail(f"{s.driver.current_url} does not show the saved address")


@journey("admin-users")
def admin_users(s: Session) -> None:
    """The administrator adds a user (refused once, the role picked in the combobox), issues the
    user an API token shown once, and revokes it after the confirmation page; then signs out."""
    if not s.admin_password:
        s.note("no --admin-password given: the administrator's journey is skipped")
        return
    with s.signed_in_as("demo-admin", s.admin_password):
        s.visit("/admin/users", "admin-users")
        s.follow('a[href^="/admin/forms/addUser"]', "admin-add-user", "the link that adds a user")
        form = s.find('form[action^="/admin/forms/addUser"]', what="the add-user form")
        s.find('input[name="name"]', form, "the user name").send_keys("lisa berg")
        s.find('input[name="displayName"]', form, "the name").send_keys("Lisa Berg")
        s.choose_by_name(form, "handl", "role")
        s.submit_refused(form, "admin-add-user-refused", ["name"], [], "a user name with a space was not refused at its field")
        form = s.find('form[action^="/admin/forms/addUser"]', what="the refused add-user form")
        name = s.find('input[name="name"]', form, "the user name")
        name.clear()
        name.send_keys("lisa.berg")
        s.submit(s.find("div.form-actions button[type=submit]", form, "the add-user button"), form)
        s.page_loaded("admin-user-added")
        if "Lisa Berg" not in s.find("main").text:
            s.fail(f"{s.driver.current_url} is not Lisa Berg's page")
        s.follow('a[href^="/admin/forms/issueToken"]', "admin-issue-token", "the link that issues a token")
        form = s.find('form[action^="/admin/forms/issueToken"]', what="the token form")
        s.find('input[name="label"]', form, "what the token is for").send_keys("rapportskript")
        s.submit(s.find("div.form-actions button[type=submit]", form, "the issue button"), form)
        s.page_loaded("admin-token-shown")
        if not re.search(r"kop_[A-Za-z0-9_-]+", s.find("main").text):
            s.fail("the issued token is not shown")
        s.follow('main a.button', "admin-user-tokens", "the link on from the token")
        s.follow('a[href^="/admin/forms/revokeToken"]', "admin-revoke-token", "the link that revokes the token")
        form = s.find('form[action^="/admin/forms/revokeToken"]', what="the revoke form")
        s.submit(s.find("div.form-actions button[type=submit]", form, "the revoke button"), form)
        s.page_loaded("admin-revoke-confirm")
        confirm = s.find(".confirm form", what="the confirmation")
        s.submit(s.find("button[type=submit]", confirm, "the confirm button"), confirm)
        s.page_loaded("admin-token-revoked")
        if "Återkallad" not in s.find("main").text:
            s.fail("the revoked token is not shown as revoked")


@journey("sign-out")
def sign_out(s: Session) -> None:
    """Submit form[action="/logout"]; back at /login, and / then asks to sign in again."""
    s.sign_in()
    if s.path() != "/":
        s.visit("/", "home")
    form = s.find('form[action="/logout"]', what='the sign-out form (form[action="/logout"])')
    button = s.find("button[type=submit], input[type=submit]", form, "the sign-out form's submit button")
    s.submit(button, form)
    if s.path() != "/login":
        s.page_loaded("after-sign-out")
        s.fail(f"signing out ended at {s.driver.current_url}, not /login")
    s.page_loaded("signed-out")
    if s.signed_in():
        s.fail(f"after signing out, GET / still shows {s.driver.current_url}: the session lives on")


# --- the run -------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=False, help="the host, e.g. http://127.0.0.1:8080")
    parser.add_argument("--user", help="the user to sign in as")
    parser.add_argument("--password", help="that user's password")
    parser.add_argument("--admin-password", default="", help="demo-admin's password, for the administrator's journey")
    parser.add_argument("--coordinator-user", help="the ESF coordinator, for the journeys that record participants")
    parser.add_argument("--coordinator-password", help="the coordinator's password")
    parser.add_argument("--municipality", default="Kommunen", help="the host's letters.municipality, which every decision letter names")
    parser.add_argument("--results", type=Path, default=Path("Tests/Browser/results"), help="screenshots and reports go here")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this journey (repeat or comma-separate for more)")
    parser.add_argument("--list", action="store_true", help="list the journeys and exit")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args(argv)

    if args.list:
        for j in JOURNEYS:
            print(f"{j.name:20} {j.description}")
        return 0
    missing = [f"--{n}" for n in ("base_url", "user", "password") if not getattr(args, n)]
    if missing:
        parser.error("missing " + ", ".join(m.replace("_", "-") for m in missing))
    only = [n.strip() for value in args.only for n in value.split(",") if n.strip()]
    unknown = [n for n in only if n not in {j.name for j in JOURNEYS}]
    if unknown:
        parser.error(f"no journey named {', '.join(unknown)}; there are: {', '.join(j.name for j in JOURNEYS)}")
    selected = [j for j in JOURNEYS if not only or j.name in only]

    args.results.mkdir(parents=True, exist_ok=True)
    for old in list(args.results.glob("*.png")) + list(args.results.glob("*.csv")) + list(args.results.glob("*.pdf")):
        old.unlink()

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=args.chromedriver, log_output=str(args.results / "chromedriver.log"))
    started = time.monotonic()
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except WebDriverException as error:
        print(f"browser journeys: could not start {args.chromium} through {args.chromedriver}: {error.msg or error}", file=sys.stderr)
        return 1
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(30)
    print(f"browser journeys: {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}, "
          f"{args.base_url}, as {args.user}, results in {args.results}")

    coordinator = (args.coordinator_user, args.coordinator_password) if args.coordinator_user and args.coordinator_password else None
    session = Session(driver, args.base_url, args.user, args.password, args.results, coordinator, args.admin_password, args.municipality)
    results: list[JourneyResult] = []
    try:
        for j in selected:
            result = JourneyResult(j.name)
            session.current = result
            begun = time.monotonic()
            try:
                j.fn(session)
            except JourneyFailed as failure:
                result.reasons.insert(0, str(failure))
            except Exception as error:  # a crash of the journey is its failure too
                result.reasons.insert(0, f"{type(error).__name__} at {_safe_url(driver)}: {_one_line(error)}")
                traceback.print_exc()
            if result.reasons:
                try:
                    session.screenshot("failed")
                except WebDriverException:
                    pass
            result.passed = not result.reasons
            result.seconds = time.monotonic() - begun
            results.append(result)
            if result.passed:
                print(f"PASS {j.name} ({result.seconds:.1f} s, {len(result.pages)} pages)")
            else:
                print(f"FAIL {j.name} ({result.seconds:.1f} s): {result.reasons[0]}")
                for reason in result.reasons[1:]:
                    print(f"     {j.name}: {reason}")
            session.current = None
    finally:
        try:
            driver.quit()
        except WebDriverException:
            pass
        _write_reports(args.results, session, results, time.monotonic() - started)

    failed = [r for r in results if not r.passed]
    checked = [p for p in session.pages if p.axe_checked]
    violations = sum(len(p.violations) for p in checked)
    print(f"browser journeys: {len(results) - len(failed)} of {len(results)} passed"
          f"{' (failed: ' + ', '.join(r.name for r in failed) + ')' if failed else ''}; "
          f"axe on {len(checked)} pages, {violations} violations; {time.monotonic() - started:.1f} s; "
          f"report in {args.results / 'report.txt'}")
    return 1 if failed else 0


def _write_reports(results_dir: Path, session: Session, results: list[JourneyResult], seconds: float) -> None:
    engines = sorted({p.axe_engine for p in session.pages if p.axe_engine})
    data = {
        "baseUrl": session.base_url,
        "seconds": round(seconds, 1),
        "axe": {"engine": engines, "tags": AXE_TAGS},
        "journeys": [r.__dict__ for r in results],
        "pages": [p.__dict__ for p in session.pages],
    }
    (results_dir / "report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out = [f"browser journeys against {session.base_url}, {seconds:.1f} s; axe {', '.join(engines) or '-'}, tags {' '.join(AXE_TAGS)}", ""]
    for r in results:
        out.append(f"{'PASS' if r.passed else 'FAIL'} {r.name} ({r.seconds:.1f} s)")
        out.extend(f"    {reason}" for reason in r.reasons)
    out.append("")
    for p in session.pages:
        axe = (f"axe error: {p.axe_error}" if p.axe_error else
               f"{len(p.violations)} violations, {len(p.incomplete)} to review, {p.passes} rules passed" if p.axe_checked else "axe: checked earlier")
        out.append(f"{p.screenshot}  {p.url}  [{p.status or '-'}] {p.title!r}  {axe}")
        for v in p.violations:
            out.append(f"    VIOLATION {v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}")
            for n in v["nodes"]:
                out.append(f"        {_target(n['target'])}: {n['html'][:160]}")
                out.extend(f"            {line}" for line in n["failureSummary"].splitlines())
        for v in p.incomplete:
            out.append(f"    review {v['id']} ({v['impact']}): {v['help']}; {', '.join(_target(n['target']) for n in v['nodes'][:3])}")
        out.extend(f"    console: {message[:300]}" for message in p.console_errors)
    (results_dir / "report.txt").write_text("\n".join(out) + "\n", encoding="utf-8")


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _strip_fragment(url: str) -> str:
    return urllib.parse.urldefrag(url)[0]


def _target(target: list[Any]) -> str:
    # axe gives a list of selectors (more than one across iframes or shadow roots).
    return " >> ".join(t if isinstance(t, str) else " >>> ".join(t) for t in target)


def _label(path: str) -> str:
    return urllib.parse.urlsplit(path).path.strip("/") or "home"


def _slug(text: str) -> str:
    text = text.lower().translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "page"


def _one_line(error: BaseException) -> str:
    text = getattr(error, "msg", None) or str(error) or type(error).__name__
    return " ".join(text.split())[:500]


def _safe_url(driver: webdriver.Chrome) -> str:
    try:
        return driver.current_url
    except WebDriverException:
        return "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
