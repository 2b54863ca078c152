"""The simulated contact center's fixed vocabulary and the size of every planted effect.

Everything the generator draws from lives here, so a reader can see at a glance what the demo
center looks like and how strong each planted truth is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GENERATOR_VERSION = "2"
"""Bump when a change to the generator changes its output for the same arguments."""

MIN_AGENTS = 24
"""Below this there are not enough teams to plant every truth in its own team."""


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    timezone: str


SITES = (
    Site("S1", "Harbor Point", "America/New_York"),
    Site("S2", "Riverside", "America/Chicago"),
    Site("S3", "Summit Ridge", "America/Denver"),
)
POOR_ADHERENCE_SITE = 2  # index into SITES


@dataclass(frozen=True)
class Queue:
    name: str
    channel: str
    reason_mix: dict[str, float]


QUEUES = (
    Queue("voice_general", "voice", {
        "billing_question": 0.26, "payment_arrangement": 0.14, "order_status": 0.16,
        "address_change": 0.08, "cancellation": 0.10, "complaint": 0.08, "password_reset": 0.10,
        "technical_issue": 0.08,
    }),
    Queue("voice_technical", "voice", {
        "technical_issue": 0.50, "password_reset": 0.25, "order_status": 0.10, "complaint": 0.15,
    }),
    Queue("chat_general", "chat", {
        "billing_question": 0.22, "order_status": 0.28, "password_reset": 0.18,
        "address_change": 0.10, "technical_issue": 0.12, "cancellation": 0.10,
    }),
    Queue("email_general", "email", {
        "billing_question": 0.25, "complaint": 0.20, "address_change": 0.15,
        "order_status": 0.20, "cancellation": 0.10, "payment_arrangement": 0.10,
    }),
)
QUEUE_INDEX = {q.name: i for i, q in enumerate(QUEUES)}
# Queue of each team by team index; the first three are voice_general so the champion, the
# knowledge-gap team and the rushing agent's team are peers doing comparable work.
TEAM_QUEUE_PATTERN = (0, 0, 0, 1, 2, 3, 0, 0, 1, 2, 0, 3, 1, 2)
TEAM_SITE_PATTERN = (0, 1, 0, 2, 1, 2)  # then team index modulo 3
CHAMPION_TEAM, KNOWLEDGE_GAP_TEAM, RUSHING_AGENT_TEAM = 0, 1, 2


@dataclass(frozen=True)
class Reason:
    name: str
    difficulty: str
    handle_factor: float  # multiplies the channel's median handle time
    unresolved: float  # chance a contact leaves the issue open, for an average tenured agent


REASONS = (
    Reason("password_reset", "easy", 0.55, 0.05),
    Reason("order_status", "easy", 0.70, 0.08),
    Reason("address_change", "easy", 0.80, 0.06),
    Reason("billing_question", "medium", 1.00, 0.12),
    Reason("payment_arrangement", "medium", 1.25, 0.14),
    Reason("cancellation", "hard", 1.30, 0.16),
    Reason("technical_issue", "hard", 1.55, 0.22),
    Reason("complaint", "hard", 1.60, 0.25),
)
REASON_INDEX = {r.name: i for i, r in enumerate(REASONS)}
KNOWLEDGE_GAP_REASON = "payment_arrangement"

CHANNELS = ("voice", "chat", "email")


@dataclass(frozen=True)
class ChannelShape:
    talk_median: float  # seconds of talk (chat: session length; email: work time)
    talk_sigma: float  # log-normal shape: heavy right tail
    hold_share: float  # share of contacts with any hold
    hold_median: float
    acw_median: float
    idle_mean: float  # seconds an agent waits between contacts at average load
    streams: int  # concurrent contacts an agent works (chat concurrency)
    wait_mean: float  # mean queue wait of answered contacts at average load
    abandon_rate: float  # abandoned / answered at average load


CHANNEL_SHAPES = {
    "voice": ChannelShape(300, 0.55, 0.30, 45, 40, 55, 1, 12, 0.07),
    "chat": ChannelShape(600, 0.50, 0.0, 0, 25, 150, 2, 15, 0.05),
    "email": ChannelShape(420, 0.60, 0.0, 0, 60, 40, 1, 4 * 3600, 0.0),
}

# Load by hour of the local day (0-23) and by weekday (Mon=0): two intraday peaks.
HOURLY_LOAD = np.array(
    [0.3] * 7 + [0.7, 1.0, 1.25, 1.35, 1.2, 1.0, 1.1, 1.3, 1.25, 1.05, 0.85, 0.7, 0.6, 0.5]
    + [0.3] * 3
)
WEEKDAY_LOAD = np.array([1.20, 1.05, 1.00, 0.95, 0.90, 0.60, 0.0])
OPEN_WEEKDAYS = 6  # Sunday closed

# Planted effects.
CHAMPION_QUALITY = 0.9  # added to the latent quality of every champion-team agent
CHAMPION_HANDLE = 0.93
KNOWLEDGE_GAP_ODDS = 5.0  # odds multiplier of an unresolved contact in the gap reason
RUSHING_HANDLE = 0.55
RUSHING_ACW = 0.35
RUSHING_ODDS = 2.2
RUSHING_SATISFACTION = -1.3
NEW_HIRE_HANDLE_AT_HIRE = 0.65  # +65% handle time on day one, decaying exponentially
NEW_HIRE_TAU_DAYS = 35.0
NEW_HIRE_ODDS_AT_HIRE = 1.8
NEW_HIRE_QUALITY_AT_HIRE = -1.0
LATE_START = {"normal": (0.25, 3.0), "poor": (0.65, 9.0)}  # (chance, mean minutes)
BREAK_OVERRUN = {"normal": 1.5, "poor": 6.0}  # mean minutes
NOT_READY_PER_DAY = {"normal": 1.2, "poor": 3.0}
UNPLANNED_ABSENCE = {"normal": 0.025, "poor": 0.06}

EMPLOYMENT_TYPES = (("full_time", 0.75), ("part_time", 0.20), ("contractor", 0.05))

FIRST_NAMES = (
    "Ana", "Ben", "Chloé", "Dmitri", "Elena", "Farah", "Gustavo", "Hana", "Ibrahim", "Jade",
    "Kofi", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
    "Uma", "Víctor", "Wen", "Ximena", "Yusuf", "Zoë", "Aiden", "Beatriz", "Carlos", "Dana",
)
LAST_NAMES = (
    "Abbott", "Baker", "Castillo", "Dubois", "Evans", "Fischer", "García", "Haddad", "Ito",
    "Jensen", "Kowalski", "López", "Mensah", "Nguyen", "O'Brien", "Patel", "Quintero", "Rossi",
    "Schmidt", "Tanaka", "Umar", "Varga", "Weber", "Xu", "Yilmaz", "Zimmermann",
)

EVALUATORS = (("QA01", -0.35), ("QA02", -0.10), ("QA03", 0.0), ("QA04", 0.15), ("QA05", 0.40))
"""Evaluator id and leniency (added to the log-odds of a passing item)."""

QA_EVALUATIONS_PER_AGENT_DAY = 0.28  # about six evaluations per agent per month
QA_CALIBRATION_SHARE = 0.08  # evaluated contacts scored a second time by another evaluator
SCORECARD_NAME = "core_service"


@dataclass(frozen=True)
class Item:
    section: str
    item: str
    max_score: int
    weight: int
    critical: bool
    base: float  # log-odds of a passing point for an average agent
    na_when: str = ""  # the contact fact that makes the item not applicable


SCORECARD_V1 = (
    Item("opening", "greeting", 5, 5, False, 2.2),
    Item("opening", "identity_verification", 1, 10, True, 4.0, "email"),
    Item("discovery", "needs_identified", 5, 15, False, 1.4),
    Item("discovery", "active_listening", 5, 10, False, 1.5),
    Item("resolution", "accurate_information", 5, 20, False, 1.6),
    Item("resolution", "issue_resolved", 5, 15, False, 1.3),
    Item("resolution", "hold_etiquette", 5, 5, False, 1.8, "no_hold"),
    Item("compliance", "required_disclosure", 1, 10, True, 4.2),
    Item("soft_skills", "empathy", 5, 5, False, 1.5),
    Item("wrap_up", "summary_and_next_steps", 5, 5, False, 1.2),
    Item("wrap_up", "transfer_procedure", 5, 5, False, 1.6, "not_transferred"),
)
SCORECARD_V2 = SCORECARD_V1 + (Item("resolution", "self_service_offered", 5, 5, False, 0.8),)
SCORECARD_V2_FROM_DAY = 45  # the form changes version mid-period, as real ones do

SURVEY_RESPONSE_RATE = {"voice": 0.09, "chat": 0.14, "email": 0.07}
COMMENTS = {
    "negative": (
        "Still not fixed, I had to call again.", "Waited far too long.",
        "The agent rushed me off the phone.", "Nobody could explain the charge.",
    ),
    "neutral": ("It was okay.", "Took a while but fine.", "Average experience."),
    "positive": (
        "Very helpful, thank you!", "Quick and friendly.", "Solved my problem first time.",
        "Great service from the agent.",
    ),
}
