"""The simulated organisation: sites, teams and agents with their hidden traits."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import world as w


@dataclass
class Roster:
    """One entry per agent in every array; hidden traits drive the simulation, never the files."""

    agent_id: list[str]
    agent_name: list[str]
    team: np.ndarray
    site: np.ndarray
    queue: np.ndarray
    hire_day: np.ndarray  # days since the first generated day (negative: hired before)
    term_day: np.ndarray  # first day no longer employed; a large number for stayers
    employment: list[str]
    part_time: np.ndarray
    handle_factor: np.ndarray
    quality: np.ndarray
    start_minute: np.ndarray  # usual shift start, minutes after local midnight
    days_off: list[frozenset[int]]
    team_queue: np.ndarray
    team_site: np.ndarray
    rushing_agent: int
    new_hires: np.ndarray
    ordinary: np.ndarray
    extras: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.agent_id)

    def team_id(self, t: int) -> str:
        return f"T{t + 1:02d}"

    def team_name(self, t: int) -> str:
        site = w.SITES[self.team_site[t]].name
        queue = w.QUEUES[self.team_queue[t]].name.replace("_", " ").title()
        return f"{site} {queue} {t + 1}"


def build_roster(agents: int, days: int, rng: np.random.Generator) -> Roster:
    """Draw the organisation: every planted truth gets its own team, site or agent."""
    if agents < w.MIN_AGENTS:
        raise ValueError(f"--agents must be at least {w.MIN_AGENTS} to plant every truth")
    n_teams = max(6, round(agents / 14))
    team_queue = np.array([w.TEAM_QUEUE_PATTERN[t % len(w.TEAM_QUEUE_PATTERN)]
                           for t in range(n_teams)])
    team_site = np.array([w.TEAM_SITE_PATTERN[t] if t < len(w.TEAM_SITE_PATTERN) else t % 3
                          for t in range(n_teams)])
    team = np.arange(agents) % n_teams
    queue = team_queue[team]
    site = team_site[team]

    employment_names = [e for e, _ in w.EMPLOYMENT_TYPES]
    employment_idx = rng.choice(len(employment_names), size=agents,
                                p=[p for _, p in w.EMPLOYMENT_TYPES])
    part_time = employment_idx == 1

    handle_factor = np.exp(rng.normal(0.0, 0.10, agents))
    quality = rng.normal(0.0, 0.5, agents)
    quality[team == w.CHAMPION_TEAM] += w.CHAMPION_QUALITY
    handle_factor[team == w.CHAMPION_TEAM] *= w.CHAMPION_HANDLE

    # Tenure: mostly tenured; a cohort hired shortly before the window and several within it.
    hire_day = -rng.integers(365, 8 * 365, agents)
    eligible = np.flatnonzero(team > w.RUSHING_AGENT_TEAM)
    n_new = max(3, round(agents * 0.12))
    new_hires = np.sort(rng.choice(eligible, size=min(n_new, len(eligible)), replace=False))
    cohort_days = np.linspace(-60, max(1, days // 2), 4).round().astype(int)
    hire_day[new_hires] = rng.choice(cohort_days, size=len(new_hires))
    hire_day[new_hires] -= hire_day[new_hires] % 7  # cohorts start on the same weekday

    term_day = np.full(agents, 10**6)
    stayers_only = set(new_hires.tolist())
    rushing_candidates = [a for a in np.flatnonzero(team == w.RUSHING_AGENT_TEAM)
                          if not part_time[a]]
    rushing_agent = int(rushing_candidates[0] if rushing_candidates
                        else np.flatnonzero(team == w.RUSHING_AGENT_TEAM)[0])
    part_time[rushing_agent] = False
    employment_idx[rushing_agent] = 0
    handle_factor[rushing_agent] = 1.0
    quality[rushing_agent] = 0.0
    leaver_pool = [a for a in range(agents) if a not in stayers_only and a != rushing_agent]
    n_leavers = max(1, round(agents * 0.06))
    leavers = rng.choice(leaver_pool, size=n_leavers, replace=False)
    term_day[leavers] = rng.integers(max(2, days // 6), max(3, days), n_leavers)

    start_choices = np.arange(7 * 60, 12 * 60 + 1, 30)
    start_weights = np.linspace(2.0, 0.6, len(start_choices))
    start_minute = rng.choice(start_choices, size=agents, p=start_weights / start_weights.sum())
    email = np.array([w.QUEUES[q].channel == "email" for q in queue])
    start_minute[email] = rng.choice([8 * 60, 8 * 60 + 30, 9 * 60], size=int(email.sum()))

    days_off = []
    for a in range(agents):
        off = {6, int(rng.integers(1, 6))}
        if part_time[a]:
            off.add(int(rng.choice([d for d in range(6) if d not in off])))
        days_off.append(frozenset(off))

    ordinary = np.array([
        a for a in range(agents)
        if team[a] >= w.RUSHING_AGENT_TEAM and a != rushing_agent
        and site[a] != w.POOR_ADHERENCE_SITE
        and a not in stayers_only and term_day[a] > days and abs(quality[a]) < 0.35
        and 0.93 < handle_factor[a] < 1.07
    ], dtype=int)

    names = [f"{w.FIRST_NAMES[rng.integers(len(w.FIRST_NAMES))]} "
             f"{w.LAST_NAMES[rng.integers(len(w.LAST_NAMES))]}" for _ in range(agents)]
    return Roster(
        agent_id=[f"A{a + 1:05d}" for a in range(agents)],
        agent_name=names,
        team=team, site=site, queue=queue, hire_day=hire_day, term_day=term_day,
        employment=[employment_names[i] for i in employment_idx], part_time=part_time,
        handle_factor=handle_factor, quality=quality, start_minute=start_minute,
        days_off=days_off, team_queue=team_queue, team_site=team_site,
        rushing_agent=rushing_agent, new_hires=new_hires, ordinary=ordinary,
    )


def tenure_effect(roster: Roster, day: int, agents: np.ndarray) -> np.ndarray:
    """Share of the new-hire handicap left on ``day``: 1 at hire, decaying to 0 with tenure."""
    tenure = np.maximum(day - roster.hire_day[agents], 0)
    return np.exp(-tenure / w.NEW_HIRE_TAU_DAYS)
