"""The planted truths, written next to the data so later stages can be checked against them."""

from __future__ import annotations

import numpy as np

from . import world as w
from .emit import Clock
from .roster import Roster


def planted_truths(roster: Roster, clock: Clock) -> dict:
    """What the generator hid in the data, with the size of each effect."""
    ids = roster.agent_id
    new_hires = {}
    for a in roster.new_hires:
        new_hires.setdefault(clock.date(int(roster.hire_day[a])).isoformat(), []).append(ids[a])
    handicap_left = 0.05  # proficiency: within 5% of the tenured handle time
    proficiency_days = w.NEW_HIRE_TAU_DAYS * np.log(w.NEW_HIRE_HANDLE_AT_HIRE / handicap_left)
    peers = [roster.team_id(t) for t in range(len(roster.team_queue))
             if roster.team_queue[t] == roster.team_queue[w.CHAMPION_TEAM]]
    return {
        "knowledge_gap": {
            "team_id": roster.team_id(w.KNOWLEDGE_GAP_TEAM),
            "contact_reason": w.KNOWLEDGE_GAP_REASON,
            "unresolved_odds_multiplier": w.KNOWLEDGE_GAP_ODDS,
            "qa_resolution_section_logit_shift": -1.3,
            "meaning": "this team leaves far more issues of this reason open, so its repeat "
                       "contacts concentrate there; its other reasons are ordinary",
        },
        "rushing_agent": {
            "agent_id": ids[roster.rushing_agent],
            "team_id": roster.team_id(int(roster.team[roster.rushing_agent])),
            "handle_time_multiplier": w.RUSHING_HANDLE,
            "acw_multiplier": w.RUSHING_ACW,
            "unresolved_odds_multiplier": w.RUSHING_ODDS,
            "satisfaction_shift": w.RUSHING_SATISFACTION,
            "meaning": "short handle time and low CSAT: the composite 'rushing' signal",
        },
        "poor_adherence_site": {
            "site_id": w.SITES[w.POOR_ADHERENCE_SITE].site_id,
            "late_start": {"chance": w.LATE_START["poor"][0],
                           "mean_minutes": w.LATE_START["poor"][1]},
            "break_overrun_mean_minutes": w.BREAK_OVERRUN["poor"],
            "not_ready_per_day": w.NOT_READY_PER_DAY["poor"],
            "baseline": {"late_start": {"chance": w.LATE_START["normal"][0],
                                        "mean_minutes": w.LATE_START["normal"][1]},
                         "break_overrun_mean_minutes": w.BREAK_OVERRUN["normal"],
                         "not_ready_per_day": w.NOT_READY_PER_DAY["normal"]},
        },
        "champion_team": {
            "team_id": roster.team_id(w.CHAMPION_TEAM),
            "peer_teams": peers,
            "quality_shift": w.CHAMPION_QUALITY,
            "handle_time_multiplier": w.CHAMPION_HANDLE,
            "meaning": "fewer repeat contacts, higher CSAT and QA than its peer teams",
        },
        "new_hire_learning_curve": {
            "handle_time_multiplier": f"1 + {w.NEW_HIRE_HANDLE_AT_HIRE} * exp(-tenure_days / "
                                      f"{w.NEW_HIRE_TAU_DAYS})",
            "proficiency_days": round(float(proficiency_days)),
            "cohorts": dict(sorted(new_hires.items())),
        },
        "ordinary_agents": [ids[a] for a in roster.ordinary],
    }
