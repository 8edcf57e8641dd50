"""The verifiable lot of the organising meeting (järjestäytymiskokous), version 1.

Described for people in docs/lottery.md; the result page shows the same description. Pure
functions of text: anyone can recompute every value with a SHA-256 tool (e.g. `sha256sum`).

1. The candidate list of a category is frozen as a canonical text (list_text) and its SHA-256
   is published before the draw.
2. At the meeting, named witnesses roll dice and the time is recorded; the seed is the SHA-256
   of the canonical text of these inputs (seed_text).
3. Each candidate's lot is SHA-256("<seed>:<list digest>:<candidate number>") in hexadecimal.
   Candidates are ordered by their lot, smallest first; the first ones up to the number of
   seats are elected.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

CURRENT_VERSION = "1"
TIME_ZONE = ZoneInfo("Europe/Helsinki")
DICE = re.compile(r"^[1-6]( [1-6])*$")


def _clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_text(*, category: str, seats: int, candidates: list[tuple[str, str]]) -> str:
    """The canonical text of a frozen list: candidates (name, represents) in list order."""
    lines = [
        "Kokemustoimintaverkosto candidate list v1",
        f"category: {category}",
        f"seats: {seats}",
    ]
    lines += [
        f"{number}. {_clean(name)} | {_clean(represents)}"
        for number, (name, represents) in enumerate(candidates, start=1)
    ]
    return "\n".join(lines) + "\n"


def witness_key(name: str) -> str:
    """A witness's name compared with the others: the same person however spaced or cased."""
    return _clean(name).casefold()


def clean_dice(value: str) -> str:
    """Dice as digits 1–6 separated by single spaces ("3 5 1"); ValueError otherwise."""
    dice = " ".join(re.split(r"[\s,;]+", (value or "").strip()))
    if not DICE.match(dice):
        raise ValueError(value)
    return dice


def seed_text(*, drawn_at: datetime.datetime, witnesses: list[tuple[str, str]]) -> str:
    """The canonical text of the inputs recorded at the meeting: the time (Finnish time, to
    the minute) and each witness's name and dice in the order recorded."""
    local = drawn_at.astimezone(TIME_ZONE).replace(second=0, microsecond=0)
    lines = ["Kokemustoimintaverkosto draw inputs v1", f"time: {local.isoformat()}"]
    lines += [f"witness: {_clean(name)} | dice: {clean_dice(dice)}" for name, dice in witnesses]
    return "\n".join(lines) + "\n"


def _draw_v1(*, digest: str, seed: str, count: int) -> list[int]:
    def lot(number: int) -> str:
        return sha256(f"{seed}:{digest}:{number}")

    return sorted(range(1, count + 1), key=lambda number: (lot(number), number))


ALGORITHMS = {"1": _draw_v1}


def lots(*, digest: str, seed: str, count: int) -> dict[int, str]:
    """Each candidate's lot (version 1), for showing beside the order."""
    return {number: sha256(f"{seed}:{digest}:{number}") for number in range(1, count + 1)}


def draw(*, digest: str, seed: str, count: int, version: str = CURRENT_VERSION) -> list[int]:
    """The candidate numbers (1-based) in the order drawn: deterministic from the list digest,
    the seed and the algorithm version."""
    return ALGORITHMS[version](digest=digest, seed=seed, count=count)


@dataclass(frozen=True)
class Verification:
    digest: str
    seed: str
    order: list[int]
    list_matches: bool
    seed_matches: bool
    order_matches: bool

    @property
    def ok(self) -> bool:
        return self.list_matches and self.seed_matches and self.order_matches


def verify(
    *,
    list_text_: str,
    published_digest: str,
    seed_text_: str,
    published_seed: str,
    published_order: list[int],
    count: int,
    version: str,
) -> Verification:
    """Recompute the digest, the seed and the order from the published texts and compare."""
    digest = sha256(list_text_)
    seed = sha256(seed_text_)
    order = draw(digest=digest, seed=seed, count=count, version=version)
    return Verification(
        digest=digest,
        seed=seed,
        order=order,
        list_matches=digest == published_digest,
        seed_matches=seed == published_seed,
        order_matches=order == list(published_order),
    )
