"""One day of agent time: the WFM schedule, the actual states around it, and the free blocks.

Schedules sit on a 15-minute grid as a WFM tool would publish them; the actual states drift from
them the way people do (late log-ins, long breaks, unplanned not-ready time), more so at the
planted poor-adherence site. Contacts are placed later inside the free ("available") blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import world as w
from .roster import Roster

NOT_READY_REASONS = ("personal", "system_issue", "supervisor_request", "follow_up")
EXTRA_ACTIVITIES = (("training", 3600), ("meeting", 1800), ("coaching", 1800))


@dataclass
class DayPlan:
    """Times are seconds after local midnight of the day, in the agent's site timezone."""

    schedule: tuple[list[int], list[str], list[int], list[int]]
    states: tuple[list[int], list[str], list[str], list[int], list[int]]
    block_agent: np.ndarray
    block_start: np.ndarray
    block_end: np.ndarray


def working_agents(roster: Roster, day: int, weekday: int) -> np.ndarray:
    """Agents employed on ``day`` whose weekly pattern has them on shift."""
    employed = (roster.hire_day <= day) & (day < roster.term_day)
    on_shift = np.array([weekday not in off for off in roster.days_off])
    return np.flatnonzero(employed & on_shift)


def plan_day(roster: Roster, day: int, weekday: int, rng: np.random.Generator) -> DayPlan:
    """Schedule and actual non-contact states of every working agent on one day."""
    sched: tuple[list, list, list, list] = ([], [], [], [])
    states: tuple[list, list, list, list, list] = ([], [], [], [], [])
    blocks: tuple[list, list, list] = ([], [], [])
    for a in working_agents(roster, day, weekday):
        kind = "poor" if roster.site[a] == w.POOR_ADHERENCE_SITE else "normal"
        start = int(roster.start_minute[a]) * 60
        if roster.part_time[a]:
            end = start + 5 * 3600
            planned = [("break", start + 9000, start + 9900)]
        else:
            end = start + 8 * 3600 + 1800
            planned = [("break", start + 7200, start + 8100),
                       ("lunch", start + 14400, start + 16200),
                       ("break", start + 23400, start + 24300)]
        if rng.random() < 0.12:
            activity, length = EXTRA_ACTIVITIES[rng.integers(len(EXTRA_ACTIVITIES))]
            at = start + (3600 if roster.part_time[a] else 18000)
            planned.append((activity, at, at + length))
            planned.sort(key=lambda seg: seg[1])
        _append_schedule(sched, a, start, end, planned)

        if rng.random() < w.UNPLANNED_ABSENCE[kind]:
            continue
        p_late, late_mean = w.LATE_START[kind]
        login = start + (int(rng.exponential(late_mean * 60)) if rng.random() < p_late
                         else -int(rng.integers(0, 180)))
        logout = end + int(rng.normal(0, 120))
        if kind == "poor" and rng.random() < 0.2:
            logout -= int(rng.exponential(600))
        actual = []
        for activity, s, e in planned:
            shift = int(rng.normal(0, 90)) + (int(rng.exponential(120)) if kind == "poor" else 0)
            overrun = (int(rng.exponential(w.BREAK_OVERRUN[kind] * 60))
                       if activity in ("break", "lunch") else int(rng.integers(-60, 60)))
            actual.append((activity, "", s + shift, e + shift + overrun))
        for _ in range(rng.poisson(w.NOT_READY_PER_DAY[kind])):
            s = int(rng.integers(login, max(login + 1, logout - 300)))
            length = 30 + int(rng.exponential(420 if kind == "poor" else 240))
            reason = NOT_READY_REASONS[rng.integers(len(NOT_READY_REASONS))]
            actual.append(("not_ready", reason, s, s + length))
        _append_actual(states, blocks, a, login, logout, actual)
    return DayPlan(
        schedule=sched,
        states=states,
        block_agent=np.array(blocks[0], dtype=np.int64),
        block_start=np.array(blocks[1], dtype=np.int64),
        block_end=np.array(blocks[2], dtype=np.int64),
    )


def _append_schedule(out, agent: int, start: int, end: int, planned) -> None:
    cursor = start
    for activity, s, e in planned:
        if s > cursor:
            _push(out, agent, "open", cursor, s)
        _push(out, agent, activity, s, e)
        cursor = e
    if end > cursor:
        _push(out, agent, "open", cursor, end)


def _append_actual(states, blocks, agent: int, login: int, logout: int, actual) -> None:
    """Resolve overlaps in time order; the time no state covers is free for contacts."""
    cursor = login
    for state, reason, s, e in sorted(actual, key=lambda seg: (seg[2], seg[3])):
        s, e = max(s, cursor), min(e, logout)
        if e - s < 30:
            continue
        if s - cursor >= 60:
            for column, value in zip(blocks, (agent, cursor, s)):
                column.append(value)
        elif s > cursor:
            s = cursor
        _push(states, agent, state, s, e, reason)
        cursor = e
    if logout - cursor >= 60:
        for column, value in zip(blocks, (agent, cursor, logout)):
            column.append(value)


def _push(out, agent: int, label: str, start: int, end: int, reason: str | None = None) -> None:
    values = (agent, label, start, end) if reason is None else (agent, label, reason, start, end)
    for column, value in zip(out, values):
        column.append(value)
