"""The course's website: built as `make site` builds it (course/website.py), then read page by page and
opened in headless Chromium. The lessons' executions are shared with the other tests through the
cache in build/executed/ (course/nbcache.py), so in a warm tree this costs the book build only."""
import functools
import html.parser
import http.server
import os
import pathlib
import re
import threading
import urllib.parse

import pytest

from course import nbrun, website

ROOT = nbrun.ROOT
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-quic"]
GATHER = "04-gather-vs-sequential"

# One xdist group: the book is built once, by one worker (see conftest's lesson groups).
pytestmark = [pytest.mark.kernel, pytest.mark.browser, pytest.mark.xdist_group("site")]


builder = website
OUT = builder.OUT


class Page(html.parser.HTMLParser):
    """The links, ids and the text of every element with a class, of one HTML page."""

    def __init__(self, path: pathlib.Path):
        super().__init__(convert_charrefs=True)
        self.path, self.links, self.ids, self.classes = path, [], set(), []
        self.raw = path.read_text(encoding="utf-8")
        self.feed(self.raw)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img", "iframe"):
                self.links.append((tag, attrs.get("class") or "", attrs[name]))
        if attrs.get("class"):
            self.classes.append((tag, attrs["class"]))

    def hrefs(self, css_class=None):
        return [link for tag, cls, link in self.links
                if tag == "a" and (css_class is None or css_class in cls.split())]


@pytest.fixture(scope="module")
def book(executed):
    """Builds the book through course/website.py's main(), as `make site` does; returns its pages.

    (It asks for `executed` so that a failure here, as in the lessons' tests, makes the cached
    executions run afresh next time: see conftest.py.)"""
    assert builder.main(["--quiet"]) == 0, "the book did not build"
    return {p.relative_to(OUT).as_posix(): Page(p) for p in OUT.rglob("*.html")
            if not p.relative_to(OUT).as_posix().startswith("_static/")}   # theme templates there


def lesson_page(path: pathlib.Path) -> str:
    return f"notebooks/{path.stem}.html"


def target_of(page: str, link: str) -> tuple[str, str]:
    """A relative link of `page`, as (path relative to the book's root, fragment)."""
    url = urllib.parse.urlsplit(link)
    joined = urllib.parse.urljoin(f"http://book/{page}", urllib.parse.unquote(url.path))
    return urllib.parse.urlsplit(joined).path.lstrip("/"), url.fragment


def test_every_lesson_has_a_page_that_links_to_the_next(book):
    lessons = nbrun.lessons()
    order = [lesson_page(p) for p in lessons] + [f"{builder.TABLE_PAGE}.html"]
    assert "index.html" in book
    assert [target_of("index.html", h)[0] for h in book["index.html"].hrefs("right-next")] == [order[0]]
    for here, following in zip(order, order[1:]):
        assert here in book, f"no page for {here}"
        nexts = [target_of(here, h)[0] for h in book[here].hrefs("right-next")]
        assert nexts == [following], f"{here} should link to {following} as next, links to {nexts}"
    home_links = {target_of("index.html", h)[0] for h in book["index.html"].hrefs()}
    assert set(order[:-1]) <= home_links, "the home page does not list every lesson"


def test_solutions_are_not_in_the_book(book):
    assert not [p for p in book if "solutions" in p]


def test_gather_page_shows_three_execution_times_and_a_timeline(book):
    page = book[f"notebooks/{GATHER}.html"].raw
    outputs = re.findall(r'<div class="cell_output.*?</div>\s*</div>', page, flags=re.S)
    printed = [float(t) for t in nbrun.TIME_LINE.findall("".join(outputs))]
    assert len(printed) >= 3, f"expected the three Execution time lines, found {printed}"
    assert sum(t < 1.5 for t in printed) >= 2 and any(1.5 <= t < 3 for t in printed), printed
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert any("<title" in s and "<rect" in s for s in svgs), "no SVG timeline on the page"


def test_no_page_shows_an_error_output(book):
    bad = {name: [cls for _, cls in page.classes if re.search(r"\b(traceback|stderr)\b", cls)]
           for name, page in book.items()}
    assert not {name: found for name, found in bad.items() if found}


def test_no_internal_link_is_broken(book):
    broken = []
    for name, page in book.items():
        for tag, _, link in page.links:
            if re.match(r"[a-z][a-z0-9+.-]*:", link) or link.startswith("//"):
                continue
            path, fragment = target_of(name, link)
            path = path or name
            if path.endswith("/"):
                path += "index.html"
            if not (OUT / path).exists():
                broken.append(f"{name}: {link}")
            elif fragment and path in book and fragment not in book[path].ids:
                broken.append(f"{name}: {link} (no such anchor)")
    assert broken == []


def test_binder_links_open_the_same_notebook(book):
    repo, branch = builder.repository()
    for path in nbrun.lessons():
        links = {h for h in book[lesson_page(path)].hrefs() if "mybinder.org" in h}
        expected = f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/notebooks/{path.name}"
        assert expected == builder.binder_url(path)
        assert links == {expected}, f"{path.name}: Binder links {links}"
        assert (ROOT / "notebooks" / path.name).exists()


def test_asyncio_java_table_has_its_own_page(book):
    page = book[f"{builder.TABLE_PAGE}.html"].raw
    table = re.search(r"<table.*?</table>", page, flags=re.S)
    assert table, "no table on the asyncio ↔ Java page"
    assert re.search(r"<th[^>]*>\s*(<p>)?asyncio", table.group(0))
    assert len(re.findall(r"<tr", table.group(0))) >= 5


@pytest.fixture(scope="module")
def served(book):
    """The built book on 127.0.0.1, as `make serve-site` serves it."""
    handler = functools.partial(QuietHandler, directory=str(OUT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_home_and_a_lesson_in_chromium(served):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = []
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{served}/index.html", wait_until="load")
            assert "Async Java" in page.title()
            page.screenshot(path=str(ARTIFACTS / "site-home.png"))
            page.click("a.right-next")
            page.wait_for_load_state("load")
            assert page.url.endswith(lesson_page(nbrun.lessons()[0]))
            page.goto(f"{served}/notebooks/{GATHER}.html", wait_until="load")
            page.screenshot(path=str(ARTIFACTS / "site-lesson.png"))
            timeline = page.locator(".cell_output svg[role=img][aria-labelledby]").first
            timeline.scroll_into_view_if_needed()
            assert timeline.bounding_box()["width"] > 200, "the timeline is not drawn"
            timeline.screenshot(path=str(ARTIFACTS / "site-timeline.png"))
            page.locator(".dropdown-launch-buttons button").first.click()
            binder = page.locator("a[href*='mybinder.org']").first
            binder.wait_for(state="visible", timeout=5000)
            assert f"notebooks/{GATHER}.ipynb" in binder.get_attribute("href")
            page.screenshot(path=str(ARTIFACTS / "site-launch-menu.png"))
            assert problems == [], f"JavaScript errors: {problems}"
        finally:
            browser.close()
