"""The generator's day loop: simulate a day, write its files, carry what belongs to later days."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from parity import contract as k

from . import world as w
from .contacts import RepeatBook, abandons, enrich_day
from .emit import Clock, ExtractWriter, Stamps, to_table
from .feedback import qa_evaluations, surveys
from .identity import customer_ids, emails, padded, phones
from .placement import STATE_NAMES, contact_states, place_contacts
from .roster import Roster, build_roster
from .timeline import plan_day
from .truth import planted_truths

TRUTH_FILE = "truth.json"


@dataclass(frozen=True)
class GenerateOptions:
    agents: int = 200
    days: int = 90
    seed: int = 7
    start: dt.date = dt.date(2026, 1, 5)
    fmt: str = "csv"


def generate(out: Path, options: GenerateOptions, *, force: bool = False,
             progress: bool | None = None) -> dict:
    """Write all six extracts and the truth manifest under ``out``; returns the manifest.

    Skips the work when ``out`` already holds the output of the same options and generator
    version (same seed, same bytes), unless ``force``.
    """
    out = Path(out)
    params = {**asdict(options), "start": options.start.isoformat(),
              "generator_version": w.GENERATOR_VERSION}
    existing = _up_to_date(out, params)
    if existing is not None and not force:
        return existing
    for source in k.SOURCES:
        shutil.rmtree(out / source, ignore_errors=True)
    (out / TRUTH_FILE).unlink(missing_ok=True)

    roster = build_roster(options.agents, options.days,
                          np.random.default_rng([options.seed, 0]))
    clock = Clock(options.start, options.days)
    writer = ExtractWriter(out, options.fmt)
    state = _State(roster, clock, writer, options.fmt)
    for day in tqdm(range(options.days), desc="generate", unit="day", disable=progress is False
                    if progress is not None else None):
        state.simulate(day, np.random.default_rng([options.seed, 1, day]))
        writer.write(k.AGENTS, clock.date(day).isoformat(),
                     _roster_table(roster, clock, options, day))
    manifest = {
        "parameters": params,
        "planted": planted_truths(roster, clock),
        "totals": _totals(writer.files),
        "files": writer.files,
    }
    (out / TRUTH_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _up_to_date(out: Path, params: dict) -> dict | None:
    try:
        manifest = json.loads((out / TRUTH_FILE).read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("parameters") != params:
        return None
    for f in manifest.get("files", []):
        path = out / f["path"]
        if not path.is_file() or path.stat().st_size != f["bytes"]:
            return None
    return manifest


def _totals(files: list[dict]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for f in files:
        t = totals.setdefault(f["source"], {"files": 0, "rows": 0, "bytes": 0})
        t["files"] += 1
        t["rows"] += f["rows"]
        t["bytes"] += f["bytes"]
    return totals


class _State:
    """Everything that outlives one simulated day: counters, open issues, late feedback."""

    def __init__(self, roster: Roster, clock: Clock, writer: ExtractWriter, fmt: str) -> None:
        self.roster, self.clock, self.writer, self.fmt = roster, clock, writer, fmt
        self.book = RepeatBook()
        self.later: dict[str, dict[int, list[pa.Table]]] = {
            k.SURVEYS: defaultdict(list), k.QA_EVALUATIONS: defaultdict(list)}
        self.next_id = {"interaction": 1, "case": 1, "survey": 1, "evaluation": 1}
        self.agent_ids = np.array(roster.agent_id, dtype=object)

    def _ids(self, kind: str, n: int) -> np.ndarray:
        first = self.next_id[kind]
        self.next_id[kind] += n
        return np.arange(first, first + n)

    def simulate(self, day: int, rng: np.random.Generator) -> None:
        date = self.clock.date(day)
        label = date.isoformat()
        plan = plan_day(self.roster, day, date.weekday(), rng)
        c = place_contacts(self.roster, plan, day, date.weekday(), rng)
        if len(c["agent"]):
            enrich_day(c, self.roster, self.book, day, date.weekday(), rng)
            ab = abandons(c, self.roster, date.weekday(), rng)
        else:  # closed day: open issues wait for the next open day
            due = self.book.pop(day)
            self.book.add(np.full(due.shape[1], day + 1), *due)
            ab = None
        crm, interaction = self._crm(c, ab, day, rng)
        self.writer.write(k.CRM_INTERACTIONS, label, crm)
        self.writer.write(k.WFM_SCHEDULES, label, self._schedules(plan, day))
        self.writer.write(k.WFM_AGENT_STATES, label, self._states(plan, c, day))
        if len(c["agent"]):
            self._route(k.SURVEYS, *self._surveys(c, interaction, day, rng))
            self._route(k.QA_EVALUATIONS, *self._qa(c, interaction, day, rng))
        for source in (k.SURVEYS, k.QA_EVALUATIONS):
            parts = self.later[source].pop(day, [])
            table = (pa.concat_tables(parts) if parts
                     else to_table(source, _empty_columns(source), self.fmt))
            self.writer.write(source, label, table)

    def _route(self, source: str, table: pa.Table, target_day: np.ndarray) -> None:
        for d in np.unique(target_day):
            self.later[source][int(d)].append(table.filter(pa.array(target_day == d)))

    def _crm(self, c, ab, day, rng):
        if ab is None:
            return to_table(k.CRM_INTERACTIONS, _empty_columns(k.CRM_INTERACTIONS), self.fmt), None
        roster = self.roster
        n_h, n_a = len(c["agent"]), len(ab["queue"])
        n = n_h + n_a
        handled_site = roster.site[c["agent"]]
        site = np.concatenate((handled_site, roster.site[ab["ref_agent"]]))
        ended = np.concatenate((c["ended"], ab["ended"]))
        order = np.lexsort((np.concatenate((c["answered"], ab["offered"])), ended))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        seq = self._ids("interaction", n)[rank]
        interaction = padded("IX", seq, 10).to_numpy(zero_copy_only=False)

        case = np.zeros(n, dtype=np.int64)
        opens_case = np.flatnonzero(~c["leg2"])
        case[opens_case] = self._ids("case", len(opens_case))
        leg2 = np.flatnonzero(c["leg2"])
        case[leg2] = case[c["leg1_of"][leg2]]
        customer = np.concatenate((c["customer"], ab["customer"]))
        channel = np.concatenate((c["channel"], ab["channel"]))
        known = customer >= 0
        style = rng.integers(0, 4, n)
        phone_on = known & np.where(channel == 0, True, np.where(channel == 1,
                                                                   rng.random(n) < 0.2, False))
        email_on = known & np.where(channel == 0, rng.random(n) < 0.3, True)
        safe = np.maximum(customer, 0)
        handled = np.arange(n) < n_h
        zeros = np.zeros(n_a, dtype=np.int64)
        answered = np.concatenate((c["answered"], zeros))
        offered = np.concatenate((c["offered"], ab["offered"]))
        resolved_known = rng.random(n) >= 0.08
        columns = {
            "interaction_id": interaction,
            "case_id": pc.if_else(pa.array(handled), padded("CS", case, 9),
                                  pa.scalar(None, pa.string())),
            "customer_id": customer_ids(customer),
            "customer_phone": pc.if_else(pa.array(phone_on), phones(safe, style),
                                         pa.scalar(None, pa.string())),
            "customer_email": pc.if_else(pa.array(email_on), emails(safe, style),
                                         pa.scalar(None, pa.string())),
            "channel": np.array(w.CHANNELS)[channel],
            "direction": np.where(np.concatenate((c["outbound"], zeros.astype(bool))),
                                  "outbound", "inbound"),
            "queue": np.array([q.name for q in w.QUEUES])[np.concatenate((c["queue"],
                                                                           ab["queue"]))],
            "contact_reason": np.array([r.name for r in w.REASONS])[
                np.concatenate((c["reason"], ab["reason"]))],
            "priority": np.where(np.concatenate((c["high"], ab["high"])), "high", "normal"),
            "agent_id": np.concatenate((self.agent_ids[c["agent"]], np.full(n_a, ""))),
            "offered_at": self.clock.stamp(day, offered, site),
            "answered_at": self.clock.stamp(day, answered, site, valid=handled),
            "ended_at": self.clock.stamp(day, ended, site),
            "queue_seconds": np.concatenate((c["answered"] - c["offered"], ab["wait"])),
            "talk_seconds": np.concatenate((c["talk"], zeros)),
            "hold_seconds": np.concatenate((c["hold"], zeros)),
            "acw_seconds": np.concatenate((c["acw"], zeros)),
            "abandoned": ~handled,
            "transferred": np.concatenate((c["transferred"], zeros.astype(bool))),
            "agent_resolved": pa.array(
                np.concatenate((c["agent_resolved"], zeros.astype(bool))),
                mask=~(handled & resolved_known)),
        }
        table = to_table(k.CRM_INTERACTIONS, columns, self.fmt).take(pa.array(order))
        return table, interaction[:n_h]

    def _schedules(self, plan, day):
        agent, activity, start, end = (np.array(x) for x in plan.schedule)
        site = self.roster.site[agent] if len(agent) else np.zeros(0, dtype=np.int64)
        return to_table(k.WFM_SCHEDULES, {
            "agent_id": self.agent_ids[agent.astype(np.int64)] if len(agent) else agent,
            "activity": activity,
            "start_at": self.clock.stamp(day, start.astype(np.int64), site),
            "end_at": self.clock.stamp(day, end.astype(np.int64), site),
        }, self.fmt)

    def _states(self, plan, c, day):
        agent, label, reason, start, end = (list(x) for x in plan.states)
        if len(c["agent"]):
            ca, cs, cstart, cend = contact_states(
                plan, c["block"], c["answered"], c["answered"] + c["talk"] + c["hold"],
                c["answered"] + c["talk"] + c["hold"] + c["acw"])
            agent += ca.tolist()
            label += STATE_NAMES[cs].tolist()
            reason += [""] * len(ca)
            start += cstart.tolist()
            end += cend.tolist()
        agent_arr = np.array(agent, dtype=np.int64)
        start_arr, end_arr = np.array(start, dtype=np.int64), np.array(end, dtype=np.int64)
        order = np.lexsort((start_arr, agent_arr))
        site = self.roster.site[agent_arr]
        table = to_table(k.WFM_AGENT_STATES, {
            "agent_id": self.agent_ids[agent_arr], "state": np.array(label, dtype=object),
            "reason_code": np.array(reason, dtype=object),
            "start_at": self.clock.stamp(day, start_arr, site),
            "end_at": self.clock.stamp(day, end_arr, site),
        }, self.fmt)
        return table.take(pa.array(order))

    def _surveys(self, c, interaction, day, rng):
        s = surveys(c, self.roster, rng)
        idx = s["contact"]
        site = self.roster.site[c["agent"][idx]]
        comment = s["comment"]
        customer = c["customer"][idx]
        for i in s["pii_in_comment"]:
            style = int(rng.integers(0, 4))
            contact_by = (phones(customer[i:i + 1], np.array([style]))[0].as_py()
                          if i % 2 else emails(customer[i:i + 1], np.array([style]))[0].as_py())
            comment[i] = f"{comment[i]} Reach me at {contact_by.strip()}."
        table = to_table(k.SURVEYS, {
            "survey_id": padded("SV", self._ids("survey", len(idx)), 9),
            "interaction_id": interaction[idx],
            "responded_at": self.clock.stamp(day, s["responded"], site),
            "csat": s["csat"], "nps": s["nps"], "ces": s["ces"],
            "ces_scale": s["ces_scale"], "ces_version": s["ces_version"],
            "customer_resolved": s["resolved"], "comment": comment,
        }, self.fmt)
        return table, day + s["responded"] // 86400

    def _qa(self, c, interaction, day, rng):
        q = qa_evaluations(c, self.roster, day, rng)
        if len(q["contact"]) == 0:
            return to_table(k.QA_EVALUATIONS, _empty_columns(k.QA_EVALUATIONS), self.fmt), \
                np.zeros(0, dtype=np.int64)
        contact = q["contact"].astype(np.int64)
        agent = c["agent"][contact]
        n_eval = int(q["evaluation"].max()) + 1
        evaluation = self._ids("evaluation", n_eval)[q["evaluation"].astype(np.int64)]
        items = [w.SCORECARD_V2[i] for i in q["item"]]
        table = to_table(k.QA_EVALUATIONS, {
            "evaluation_id": padded("EV", evaluation, 8),
            "interaction_id": interaction[contact],
            "agent_id": self.agent_ids[agent],
            "evaluator_id": np.array([e for e, _ in w.EVALUATORS])[q["evaluator"]],
            "evaluated_at": self.clock.stamp(q["eval_day"], q["eval_time"],
                                             self.roster.site[agent]),
            "scorecard_name": w.SCORECARD_NAME,
            "scorecard_version": q["version"],
            "section": np.array([it.section for it in items], dtype=object),
            "item": np.array([it.item for it in items], dtype=object),
            "score": q["score"].astype(np.int64),
            "max_score": np.array([it.max_score for it in items]),
            "weight": np.array([it.weight for it in items]),
            "critical": np.array([it.critical for it in items]),
            "not_applicable": q["na"].astype(bool),
        }, self.fmt)
        return table, q["eval_day"]


def _hired_by(roster: Roster, as_of: int) -> Roster:
    keep = np.flatnonzero(roster.hire_day <= as_of)
    return replace(
        roster, agent_id=[roster.agent_id[a] for a in keep],
        agent_name=[roster.agent_name[a] for a in keep], team=roster.team[keep],
        site=roster.site[keep], queue=roster.queue[keep], hire_day=roster.hire_day[keep],
        term_day=roster.term_day[keep], employment=[roster.employment[a] for a in keep])


def _empty_columns(source: str) -> dict:
    empty = np.zeros(0, dtype=np.int64)
    cols = {}
    for name, kind in k.COLUMNS[source]:
        if kind == "timestamp":
            cols[name] = Stamps(empty, empty)
        elif kind == "string":
            cols[name] = np.array([], dtype=object)
        elif kind == "bool":
            cols[name] = np.zeros(0, dtype=bool)
        else:
            cols[name] = empty
    return cols


def _roster_table(roster: Roster, clock: Clock, options: GenerateOptions,
                  as_of: int) -> pa.Table:
    """The HR roster as exported at the end of ``as_of``: hired by then, leavers dated."""
    def day_or_none(d: int):
        return clock.date(d - 1) if d - 1 <= as_of else None  # the last day employed

    roster = _hired_by(roster, as_of)

    return to_table(k.AGENTS, {
        "agent_id": np.array(roster.agent_id, dtype=object),
        "agent_name": np.array(roster.agent_name, dtype=object),
        "team_id": np.array([roster.team_id(t) for t in roster.team], dtype=object),
        "team_name": np.array([roster.team_name(t) for t in roster.team], dtype=object),
        "site_id": np.array([w.SITES[s].site_id for s in roster.site], dtype=object),
        "site_name": np.array([w.SITES[s].name for s in roster.site], dtype=object),
        "site_timezone": np.array([w.SITES[s].timezone for s in roster.site], dtype=object),
        "supervisor_id": np.array([f"SUP{t + 1:02d}" for t in roster.team], dtype=object),
        "skill": np.array([w.QUEUES[q].name for q in roster.queue], dtype=object),
        "hire_date": pa.array([clock.date(d) for d in roster.hire_day], pa.date32()),
        "termination_date": pa.array([day_or_none(d) for d in roster.term_day], pa.date32()),
        "employment_type": np.array(roster.employment, dtype=object),
    }, options.fmt)
