"""Who called, about what, and what happened next: customers, transfers, repeats, abandons.

Works on one day's handled contacts (from ``placement``) as a dict of equal-length arrays.
Repeat contacts are the heart of repeat-contact FCR: an issue left open brings the same customer
back about the same reason a few days later, so an open issue is scheduled as a future contact
and lands on a free contact of the right queue and reason that day.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from . import world as w
from .placement import CHANNEL_OF_QUEUE, draw_reasons, load_at
from .roster import Roster, tenure_effect

FREQUENT_SHARE = 0.12  # share of new contacts from the pool of frequent customers
MAX_CUSTOMER = 99_999_999
_BASE_LOGIT = np.log([r.unresolved / (1 - r.unresolved) for r in w.REASONS])
_HARD = np.array([r.difficulty == "hard" for r in w.REASONS])
_KG_REASON = w.REASON_INDEX[w.KNOWLEDGE_GAP_REASON]
_QUEUES_WITH_REASON = [
    [q for q, queue in enumerate(w.QUEUES) if w.REASONS[r].name in queue.reason_mix]
    for r in range(len(w.REASONS))
]


class RepeatBook:
    """Open issues waiting to come back, by the day they will: (customer, reason, queue)."""

    def __init__(self) -> None:
        self._due: dict[int, list[np.ndarray]] = defaultdict(list)

    def add(self, day: np.ndarray, customer: np.ndarray, reason: np.ndarray,
            queue: np.ndarray) -> None:
        for d in np.unique(day):
            sel = day == d
            self._due[int(d)].append(np.stack((customer[sel], reason[sel], queue[sel])))

    def pop(self, day: int) -> np.ndarray:
        parts = self._due.pop(day, [])
        return np.concatenate(parts, axis=1) if parts else np.zeros((3, 0), dtype=np.int64)


def new_customers(n: int, frequent_pool: int, rng: np.random.Generator) -> np.ndarray:
    frequent = rng.random(n) < FREQUENT_SHARE
    return np.where(frequent, rng.integers(1, frequent_pool, n),
                    rng.integers(frequent_pool, MAX_CUSTOMER, n))


def enrich_day(c: dict[str, np.ndarray], roster: Roster, book: RepeatBook, day: int,
               weekday: int, rng: np.random.Generator) -> None:
    """Add direction, priority, transfers, customers, outcome, repeats and queue waits."""
    n = len(c["agent"])
    voice = c["channel"] == 0
    c["outbound"] = voice & (rng.random(n) < 0.04)
    c["high"] = rng.random(n) < 0.15
    newness = tenure_effect(roster, day, c["agent"])
    c["newness"] = newness
    _transfers(c, rng, newness)

    frequent_pool = roster.size * 40
    customer = np.full(n, -1, dtype=np.int64)
    c["repeat"] = np.zeros(n, dtype=bool)
    fresh = ~c["outbound"] & ~c["leg2"]
    _assign_due_repeats(c, customer, fresh, book.pop(day), book, day, rng)
    unassigned = fresh & (customer < 0)
    customer[unassigned] = new_customers(int(unassigned.sum()), frequent_pool, rng)
    customer[c["outbound"]] = rng.integers(1, frequent_pool, int(c["outbound"].sum()))
    leg2 = np.flatnonzero(c["leg2"])
    customer[leg2] = customer[c["leg1_of"][leg2]]
    c["customer"] = customer

    team = roster.team[c["agent"]]
    logit = (_BASE_LOGIT[c["reason"]] - 0.45 * roster.quality[c["agent"]]
             + np.log(np.where((team == w.KNOWLEDGE_GAP_TEAM) & (c["reason"] == _KG_REASON),
                               w.KNOWLEDGE_GAP_ODDS, 1.0))
             + np.log(np.where(c["agent"] == roster.rushing_agent, w.RUSHING_ODDS, 1.0))
             + np.log1p((w.NEW_HIRE_ODDS_AT_HIRE - 1) * newness))
    own_unresolved = rng.random(n) < 1 / (1 + np.exp(-logit))
    # A transferred leg's outcome is the outcome of the leg that finished the case.
    unresolved = own_unresolved.copy()
    first = np.flatnonzero(c["transferred"])
    unresolved[first] = own_unresolved[c["leg2_of"][first]]
    c["unresolved"] = unresolved
    c["final"] = ~c["transferred"]
    c["agent_resolved"] = np.where(
        c["transferred"], False,
        np.where(unresolved, rng.random(n) < 0.55, rng.random(n) < 0.97))

    ended = c["answered"] + c["talk"] + c["hold"]
    c["ended"] = ended
    opens = c["final"] & ~c["outbound"] & unresolved & (rng.random(n) < 0.85)
    delay = np.floor(rng.exponential(2.2, n)).astype(np.int64)
    _same_day_repeats(c, np.flatnonzero(opens & (delay == 0)), book, day, rng)
    later = np.flatnonzero(opens & (delay > 0))
    queue = c["queue"][later].copy()
    switch = rng.random(len(later)) < 0.2
    for i in np.flatnonzero(switch):
        options = _QUEUES_WITH_REASON[c["reason"][later[i]]]
        queue[i] = options[rng.integers(len(options))]
    book.add(day + delay[later], c["customer"][later], c["reason"][later], queue)

    _queue_waits(c, weekday, rng)


def _transfers(c, rng, newness) -> None:
    """Voice legs handed to another agent: the next free leg a moment later becomes leg 2."""
    n = len(c["agent"])
    c["transferred"] = np.zeros(n, dtype=bool)
    c["leg2"] = np.zeros(n, dtype=bool)
    c["leg1_of"] = np.full(n, -1)
    c["leg2_of"] = np.full(n, -1)
    voice_in = np.flatnonzero((c["channel"] == 0) & ~c["outbound"])
    if len(voice_in) == 0:
        return
    p = 0.05 * np.where(_HARD[c["reason"][voice_in]], 1.6, 1.0) * (1 + newness[voice_in])
    leg1 = voice_in[rng.random(len(voice_in)) < p]
    order = voice_in[np.argsort(c["answered"][voice_in], kind="stable")]
    answered_sorted = c["answered"][order]
    taken = np.zeros(n, dtype=bool)
    taken[leg1] = True
    ended = c["answered"] + c["talk"] + c["hold"]
    for i in leg1[np.argsort(ended[leg1], kind="stable")]:
        j = np.searchsorted(answered_sorted, ended[i] + 10)
        for k in order[j:j + 25]:
            if c["answered"][k] > ended[i] + 240:
                break
            if not taken[k] and c["agent"][k] != c["agent"][i]:
                taken[k] = True
                c["transferred"][i], c["leg2"][k] = True, True
                c["leg1_of"][k], c["leg2_of"][i] = i, k
                c["reason"][k] = c["reason"][i]
                break


def _assign_due_repeats(c, customer, fresh, due, book, day, rng) -> None:
    if due.shape[1] == 0:
        return
    carry = []
    for q, r in sorted({(int(q), int(r)) for r, q in zip(due[1], due[2])}):
        mine = np.flatnonzero((due[2] == q) & (due[1] == r))
        slots = np.flatnonzero(fresh & (customer < 0) & (c["queue"] == q) & (c["reason"] == r))
        k = min(len(mine), len(slots))
        chosen = rng.choice(slots, size=k, replace=False) if k else slots[:0]
        customer[chosen] = due[0, mine[:k]]
        c["repeat"][chosen] = True
        carry.extend(mine[k:].tolist())
    if carry:
        carry_idx = np.array(sorted(carry))
        book.add(np.full(len(carry_idx), day + 1), *due[:, carry_idx])


def _same_day_repeats(c, opens, book, day, rng) -> None:
    """Call-backs later the same day land on a later free contact of the same queue and reason."""
    eligible = ~c["outbound"] & ~c["leg2"] & ~c["transferred"] & ~c["repeat"]
    for i in opens[np.argsort(c["ended"][opens], kind="stable")]:
        group = np.flatnonzero(eligible & (c["queue"] == c["queue"][i])
                               & (c["reason"] == c["reason"][i])
                               & (c["answered"] > c["ended"][i] + 1800))
        if len(group) == 0:
            book.add(np.array([day + 1]), c["customer"][i:i + 1], c["reason"][i:i + 1],
                     c["queue"][i:i + 1])
            continue
        k = group[rng.integers(min(len(group), 5))]
        c["customer"][k] = c["customer"][i]
        c["repeat"][k] = True
        eligible[k] = False


def _queue_waits(c, weekday, rng) -> None:
    n = len(c["agent"])
    wait_mean = np.array([w.CHANNEL_SHAPES[ch].wait_mean for ch in w.CHANNELS])[c["channel"]]
    load = load_at(c["answered"], weekday)
    wait = rng.exponential(wait_mean * load**1.5) * np.where(c["high"], 0.4, 1.0)
    email = c["channel"] == 2
    wait[email] = np.minimum(np.exp(rng.normal(np.log(3 * 3600), 0.8, int(email.sum()))),
                             20 * 3600)
    wait = np.rint(wait).astype(np.int64)
    wait[c["outbound"]] = 0
    offered = c["answered"] - wait
    leg2 = np.flatnonzero(c["leg2"])
    offered[leg2] = c["ended"][c["leg1_of"][leg2]]
    c["offered"] = offered


def abandons(c: dict[str, np.ndarray], roster: Roster, weekday: int,
             rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Callers who hung up in the queue, some of them getting through on a later attempt."""
    ref_pool = np.flatnonzero((c["channel"] < 2) & ~c["outbound"] & ~c["leg2"])
    rate = np.array([w.CHANNEL_SHAPES[ch].abandon_rate for ch in w.CHANNELS])
    p = np.minimum(0.5, rate[c["channel"][ref_pool]] * load_at(c["answered"][ref_pool],
                                                               weekday) ** 2)
    ref = ref_pool[rng.random(len(ref_pool)) < p]
    n = len(ref)
    short = rng.random(n) < 0.25
    wait = np.where(short, rng.integers(1, 5, n), 5 + np.rint(rng.exponential(50, n)))
    wait = wait.astype(np.int64)
    offered = c["offered"][ref] - wait - rng.integers(30, 900, n)
    who = rng.random(n)
    customer = np.where(who < 0.5, c["customer"][ref],
                        np.where(who < 0.7, -1, new_customers(n, roster.size * 40, rng)))
    reason = np.where(who < 0.5, c["reason"][ref], draw_reasons(c["queue"][ref], rng))
    keep = offered >= 0
    return {
        "ref_agent": c["agent"][ref][keep], "queue": c["queue"][ref][keep],
        "channel": CHANNEL_OF_QUEUE[c["queue"][ref][keep]], "reason": reason[keep],
        "customer": customer[keep], "high": c["high"][ref][keep], "offered": offered[keep],
        "ended": (offered + wait)[keep], "wait": wait[keep],
    }
