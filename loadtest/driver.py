"""The load driver: closed-loop clients with no think time, each a browser of its own.

    python -m loadtest.driver PLAN.json RESULT.json --clients 20 --seconds 60 --warmup 10 [--think 0]

Runs in its own process and imports no Django: it only speaks HTTP to the site. Each client
repeats one action after another, chosen by MIX, with no pause between them, or a pause of
random length averaging --think seconds (a person reading the page):

- search: an orderer's search page with one of the plan's query strings;
- profile: an orderer opens an expert's page;
- edit: an organisation contact opens one of their records (GET) and saves it with a changed
  presentation (POST with the form's CSRF token), then lands on the record again;
- feedback: a new listener (a fresh cookie jar, as a phone that scanned the QR code) opens an
  open listener link, answers every question and sends the form, then lands on the thanks page.

Every request is timed from sending to the last byte of the body. A request is an error when
its status is not the expected one (200 for pages, 302 to the page itself for a saved form),
when its body lacks the page's marker, or on a timeout or a refused connection.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from html.parser import HTMLParser
from pathlib import Path

import aiohttp
from yarl import URL

MIX = {"search": 50, "profile": 25, "edit": 10, "feedback": 15}
# The page types reported, in order, with the marker each page's HTML must contain.
PAGES = {
    "search": 'id="result-count"',
    "profile": 'id="h-facts"',
    "record form": 'id="record-heading"',
    "record save": None,
    "feedback form": 'class="answer-form"',
    "feedback answer": None,
    "feedback thanks": None,  # the translated thank-you heading, given in the plan
}
TIMEOUT = 15  # seconds; a slower answer counts as an error
EDITED = " Toimin mielelläni myös etänä."
TEXTS = [
    "Kiitos, puheenvuoro oli selkeä ja koskettava.",
    "Hyviä esimerkkejä arjesta. Lisää aikaa kysymyksille olisi ollut hyvä.",
    "Tack, mycket givande.",
]


class Failed(Exception):
    """A request failed; it is counted already, and the action stops."""


class Forms(HTMLParser):
    """The forms of a page as a browser would submit them: [(action, [(name, value), …],
    {radio or checkbox group: [values]})]. File inputs are left empty, as if no file was
    chosen."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": [], "groups": {}})
            return
        if not self.forms or "name" not in attrs and tag not in ("option",):
            return
        form = self.forms[-1]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                form["groups"].setdefault(attrs["name"], []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form["fields"].append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("file", "submit", "button", "image", "reset"):
                form["fields"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "first": None}
            self._select["chosen"] = []
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            fields.extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # the HTML parser keeps the newline a browser drops after <textarea>
            fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None

    def with_field(self, name: str) -> dict:
        for form in self.forms:
            if any(field == name for field, _value in form["fields"]) or name in form["groups"]:
                return form
        raise LookupError(name)


class Stats:
    """Requests started after the warm-up, by page type. Clients start no new action after
    stop_at, except for their first round of every action (a very short run still opens every
    page type); what is in flight then is finished and counted."""

    def __init__(self, measure_from: float, stop_at: float):
        self.measure_from, self.stop_at = measure_from, stop_at
        self.ended = stop_at
        self.times: dict[str, list[float]] = {page: [] for page in PAGES}
        self.errors: dict[str, int] = dict.fromkeys(PAGES, 0)
        self.examples: list[str] = []
        self.answers_sent = self.answers_confirmed = 0
        self.all_requests = 0  # warm-up included

    def add(self, page: str, started: float, elapsed: float, problem: str | None) -> None:
        self.all_requests += 1
        if started < self.measure_from:
            return
        if problem:
            self.errors[page] += 1
            if len(self.examples) < 20:
                self.examples.append(f"{page}: {problem}")
        else:
            self.times[page].append(elapsed * 1000)


class Client:
    def __init__(self, number: int, plan: dict, stats: Stats, connector, seed: int):
        self.plan, self.stats, self.connector = plan, stats, connector
        self.rng = random.Random(seed * 1000 + number)
        self.base = URL(plan["base_url"])
        self.orderer = self._session({plan["session_cookie"]: plan["orderers"][number]})
        contact = plan["contacts"][number % len(plan["contacts"])]
        self.contact = self._session({plan["session_cookie"]: contact["session"]})
        self.records = contact["records"]

    def _session(self, cookies: dict | None = None) -> aiohttp.ClientSession:
        jar = aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies of an IP address host
        if cookies:
            jar.update_cookies(cookies, self.base)
        return aiohttp.ClientSession(
            base_url=self.base,
            connector=self.connector,
            connector_owner=False,
            cookie_jar=jar,
            timeout=aiohttp.ClientTimeout(total=TIMEOUT),
            headers={"User-Agent": "kotove-load/1"},
        )

    async def close(self):
        await self.orderer.close()
        await self.contact.close()

    async def request(self, session, page, method, url, *, data=None, expect=200, marker=None):
        """Time one request; count it; return its body, or raise Failed."""
        started = time.monotonic()
        problem = None
        body = ""
        try:
            async with session.request(method, url, data=data, allow_redirects=False) as response:
                body = await response.text()
                status, location = response.status, response.headers.get("Location", "")
        except (TimeoutError, aiohttp.ClientError) as exc:
            problem = f"{type(exc).__name__} {method} {url}"
        else:
            if status != expect:
                problem = f"HTTP {status} (expected {expect}) {method} {url}"
            elif expect == 302 and URL(location).path != URL(str(url)).path:
                problem = f"redirected to {location} {method} {url}"
            elif marker and marker not in body:
                problem = f"page without {marker!r} {method} {url}"
        self.stats.add(page, started, time.monotonic() - started, problem)
        if problem:
            raise Failed(problem)
        return body

    async def search(self):
        query = self.rng.choice(self.plan["searches"])
        path = self.plan["paths"]["search"] + (f"?{query}" if query else "")
        await self.request(self.orderer, "search", "GET", path, marker=PAGES["search"])

    async def profile(self):
        pk = self.rng.choice(self.plan["experts"])
        path = self.plan["paths"]["profile"].replace("/0/", f"/{pk}/")
        await self.request(self.orderer, "profile", "GET", path, marker=PAGES["profile"])

    async def edit(self):
        pk = self.rng.choice(self.records)
        path = self.plan["paths"]["record"].replace("/0/", f"/{pk}/")
        html = await self.request(
            self.contact, "record form", "GET", path, marker=PAGES["record form"]
        )
        form = Forms(html).with_field("presentation_fi")
        fields = dict.fromkeys(name for name, _value in form["fields"])
        data = []
        for name, value in form["fields"]:
            if name == "presentation_fi":
                value = value.removesuffix(EDITED) if value.endswith(EDITED) else value + EDITED
            data.append((name, value))
        assert "csrfmiddlewaretoken" in fields
        await self.request(self.contact, "record save", "POST", path, data=data, expect=302)
        await self.request(self.contact, "record form", "GET", path, marker="message-success")

    async def feedback(self):
        """A new listener: a browser of their own, so the session cookie that stops a second
        answer from the same browser does not stop the next listener."""
        token = self.rng.choice(self.plan["tokens"])
        path = self.plan["paths"]["answer"].replace("TOKEN", token)
        async with self._session() as listener:
            html = await self.request(
                listener, "feedback form", "GET", path, marker=PAGES["feedback form"]
            )
            form = Forms(html).with_field("version")
            data = [(n, v) for n, v in form["fields"] if n in ("csrfmiddlewaretoken", "version")]
            for name, values in form["groups"].items():
                data.append((name, self.rng.choice(values)))
            for name, value in form["fields"]:
                if name.startswith("q") and not value and self.rng.random() < 0.3:
                    data.append((name, self.rng.choice(TEXTS)))
            self.stats.answers_sent += 1
            await self.request(listener, "feedback answer", "POST", path, data=data, expect=302)
            self.stats.answers_confirmed += 1
            await self.request(listener, "feedback thanks", "GET", path, marker=self.plan["thanks"])

    async def run(self, stop_at: float, think: float):
        actions, weights = zip(*MIX.items(), strict=True)
        first = list(actions)
        try:
            while first or time.monotonic() < stop_at:
                action = first.pop() if first else self.rng.choices(actions, weights)[0]
                try:
                    await getattr(self, action)()
                except Failed:
                    await asyncio.sleep(0.05)  # a failing server is not hammered in a tight loop
                if think:
                    await asyncio.sleep(self.rng.uniform(0, 2 * think))
        finally:
            await self.close()


async def drive(
    plan: dict, *, clients: int, seconds: float, warmup: float, think: float, seed: int
) -> dict:
    started = time.monotonic()
    stats = Stats(started + warmup, started + warmup + seconds)
    connector = aiohttp.TCPConnector(limit=0)
    try:
        everyone = [Client(n, plan, stats, connector, seed) for n in range(clients)]
        await asyncio.gather(*(client.run(stats.stop_at, think) for client in everyone))
        stats.ended = time.monotonic()
    finally:
        await connector.close()
    return summary(stats)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(stats: Stats) -> dict:
    seconds = stats.ended - stats.measure_from
    pages = {}
    for page in PAGES:
        times = stats.times[page]
        count = len(times) + stats.errors[page]
        pages[page] = {
            "requests": count,
            "per_second": count / seconds,
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "errors": stats.errors[page],
        }
    return {
        "seconds": seconds,
        "pages": pages,
        "error_examples": stats.examples,
        "answers_sent": stats.answers_sent,
        "answers_confirmed": stats.answers_confirmed,
        "all_requests": stats.all_requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--think", type=float, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text())
    result = asyncio.run(
        drive(
            plan,
            clients=args.clients,
            seconds=args.seconds,
            warmup=args.warmup,
            think=args.think,
            seed=args.seed,
        )
    )
    args.result.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
