"""What customers and QA evaluators said about the handled contacts."""

from __future__ import annotations

import numpy as np

from . import world as w
from .roster import Roster

_CES_SCALE, _CES_VERSION = "1-7", "CES2.0"


def surveys(c: dict[str, np.ndarray], roster: Roster, rng: np.random.Generator):
    """Responses for a minority of final legs; unhappy customers answer more often."""
    final = np.flatnonzero(c["final"])
    agent = c["agent"][final]
    z = (1.6 + 0.55 * roster.quality[agent] - 1.6 * c["unresolved"][final]
         - 0.5 * ((c["answered"] - c["offered"])[final] > 60) - 0.4 * c["leg2"][final]
         + w.RUSHING_SATISFACTION * (agent == roster.rushing_agent)
         - 0.4 * c["newness"][final] + rng.normal(0, 1, len(final)))
    rate = np.array([w.SURVEY_RESPONSE_RATE[ch] for ch in w.CHANNELS])[c["channel"][final]]
    respond = rng.random(len(final)) < rate * (1 + 1.5 * (z < 0) + 0.2 * (z > 2))
    idx, z = final[respond], z[respond]
    n = len(idx)
    csat = 1 + np.searchsorted([-1.0, -0.3, 0.3, 1.2], z)
    nps = np.clip(np.rint(7 + 1.5 * z + rng.normal(0, 1.2, n)), 0, 10).astype(np.int64)
    ces = np.clip(np.rint(5 + 1.0 * z - 0.5 * c["leg2"][idx] + rng.normal(0, 1, n)), 1, 7)
    says_yes = np.where(c["unresolved"][idx], rng.random(n) < 0.2, rng.random(n) < 0.96)
    resolved = np.where(rng.random(n) < 0.12, "", np.where(says_yes, "yes", "no"))
    delay = np.minimum(np.exp(rng.normal(np.log(3 * 3600), 1.0, n)), 47 * 3600)
    responded = c["ended"][idx] + c["acw"][idx] + np.rint(delay).astype(np.int64)
    sentiment = np.where(csat <= 2, "negative", np.where(csat == 3, "neutral", "positive"))
    comment = np.full(n, "", dtype=object)
    has_comment = np.flatnonzero(rng.random(n) < 0.35)
    for i in has_comment:
        options = w.COMMENTS[sentiment[i]]
        comment[i] = options[rng.integers(len(options))]
    return {
        "contact": idx, "responded": responded, "csat": csat.astype(np.int64), "nps": nps,
        "ces": ces.astype(np.int64), "resolved": resolved, "comment": comment,
        "pii_in_comment": has_comment[rng.random(len(has_comment)) < 0.08],
        "ces_scale": _CES_SCALE, "ces_version": _CES_VERSION,
    }


def qa_evaluations(c: dict[str, np.ndarray], roster: Roster, day: int,
                   rng: np.random.Generator):
    """About six scored contacts per agent a month, a few scored twice for calibration."""
    agents = np.unique(c["agent"])
    picked_agents = agents[rng.random(len(agents)) < w.QA_EVALUATIONS_PER_AGENT_DAY]
    contact = np.array([rng.choice(np.flatnonzero(c["agent"] == a)) for a in picked_agents],
                       dtype=np.int64)
    n_eval = len(contact)
    evaluator = rng.integers(len(w.EVALUATORS), size=n_eval)
    second = np.flatnonzero(rng.random(n_eval) < w.QA_CALIBRATION_SHARE)
    contact = np.concatenate((contact, contact[second]))
    other = (evaluator[second] + rng.integers(1, len(w.EVALUATORS), len(second)))
    evaluator = np.concatenate((evaluator, other % len(w.EVALUATORS)))
    eval_day = day + rng.integers(1, 6, len(contact))
    eval_time = rng.integers(9 * 3600, 17 * 3600, len(contact))
    rows: dict[str, list] = {k: [] for k in (
        "evaluation", "contact", "evaluator", "eval_day", "eval_time", "version", "item",
        "score", "na")}
    leniency = np.array([lenient for _, lenient in w.EVALUATORS])
    for e, (k, ev) in enumerate(zip(contact, evaluator)):
        agent = c["agent"][k]
        version = "v2" if eval_day[e] >= w.SCORECARD_V2_FROM_DAY else "v1"
        items = w.SCORECARD_V2 if version == "v2" else w.SCORECARD_V1
        gap = (roster.team[agent] == w.KNOWLEDGE_GAP_TEAM
               and w.REASONS[c["reason"][k]].name == w.KNOWLEDGE_GAP_REASON)
        rushing = agent == roster.rushing_agent
        for i, item in enumerate(items):
            na = ((item.na_when == "email" and c["channel"][k] == 2)
                  or (item.na_when == "no_hold" and c["hold"][k] == 0)
                  or (item.na_when == "not_transferred" and not c["transferred"][k]))
            logit = (item.base + 0.9 * roster.quality[agent] + leniency[ev]
                     + w.NEW_HIRE_QUALITY_AT_HIRE * c["newness"][k]
                     - 1.2 * (rushing and item.section in ("discovery", "wrap_up"))
                     - 1.3 * (gap and item.section == "resolution")
                     - 1.0 * (bool(c["unresolved"][k]) and item.item == "issue_resolved"))
            p = 1 / (1 + np.exp(-logit))
            score = 0 if na else int(rng.binomial(item.max_score, p))
            for key, value in (("evaluation", e), ("contact", k), ("evaluator", ev),
                               ("eval_day", eval_day[e]), ("eval_time", eval_time[e]),
                               ("version", version), ("item", i), ("score", score),
                               ("na", na)):
                rows[key].append(value)
    return {k: np.array(v) for k, v in rows.items()}
