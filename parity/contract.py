"""The extract contract: the six landing sources, their fields, and what each field may hold.

One place defines every source and field (type, required, meaning, allowed values, example,
PII), so the generator, the mappings, the pandera schemas and docs/extract-contract.md agree.
Types: ``string``, ``timestamp`` (an instant: ISO-8601 with offset, or local time in the
source's declared timezone), ``date``, ``int``, ``bool``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CRM_INTERACTIONS: Final = "crm_interactions"
QA_EVALUATIONS: Final = "qa_evaluations"
WFM_SCHEDULES: Final = "wfm_schedules"
WFM_AGENT_STATES: Final = "wfm_agent_states"
SURVEYS: Final = "surveys"
AGENTS: Final = "agents"

CODE_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9_.:/ -]*$"
"""Ids and codes: start with a letter or digit, so no value can start a spreadsheet formula."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    meaning: str
    example: str
    allowed: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    pii: bool = False
    code: bool = False  # an id or code: must match CODE_PATTERN


def _f(name, type_, required, meaning, example, **kw) -> Field:
    return Field(name, type_, required, meaning, example, **kw)


FIELDS: Final[dict[str, tuple[Field, ...]]] = {
    CRM_INTERACTIONS: (
        _f("interaction_id", "string", True, "unique id of the contact leg", "IX0000000001",
           code=True),
        _f("case_id", "string", False, "case / ticket id shared by the legs of one contact",
           "CS000000001", code=True),
        _f("customer_id", "string", False, "the customer's id in the CRM (PII); empty when "
           "the caller was not identified", "C00012345", pii=True),
        _f("customer_phone", "string", False, "customer phone number (PII)",
           "+1 (555) 443-5761", pii=True),
        _f("customer_email", "string", False, "customer email address (PII)",
           "ana.baker12@example.com", pii=True),
        _f("channel", "string", True, "contact channel", "voice",
           allowed=("voice", "chat", "email")),
        _f("direction", "string", True, "who started the contact", "inbound",
           allowed=("inbound", "outbound")),
        _f("queue", "string", True, "queue or skill the contact was routed to",
           "voice_general", code=True),
        _f("contact_reason", "string", True, "why the customer got in touch (IVR choice or "
           "disposition code)", "billing_question", code=True),
        _f("priority", "string", True, "routing priority", "normal",
           allowed=("low", "normal", "high")),
        _f("agent_id", "string", False, "agent who handled the leg; empty when abandoned",
           "A00001", code=True),
        _f("offered_at", "timestamp", True, "when the contact entered the queue",
           "2026-01-05T07:01:02-05:00"),
        _f("answered_at", "timestamp", False, "when an agent connected; empty when abandoned",
           "2026-01-05T07:01:05-05:00"),
        _f("ended_at", "timestamp", True, "end of the conversation (before after-contact "
           "work), or when the customer abandoned", "2026-01-05T07:02:23-05:00"),
        _f("queue_seconds", "int", False, "seconds waited in queue (answered - offered, or "
           "until abandon)", "3", minimum=0),
        _f("talk_seconds", "int", True, "seconds of conversation, hold excluded", "78",
           minimum=0),
        _f("hold_seconds", "int", True, "seconds the customer was on hold", "0", minimum=0),
        _f("acw_seconds", "int", True, "after-contact work seconds", "85", minimum=0),
        _f("abandoned", "bool", True, "the customer left the queue before an agent answered",
           "false"),
        _f("transferred", "bool", True, "this leg was handed to another agent", "false"),
        _f("agent_resolved", "bool", False, "the agent marked the issue resolved", "true"),
    ),
    QA_EVALUATIONS: (
        _f("evaluation_id", "string", True, "id of the evaluation (one per scored contact "
           "and evaluator)", "EV00000001", code=True),
        _f("interaction_id", "string", True, "the contact leg evaluated", "IX0000002545",
           code=True),
        _f("agent_id", "string", True, "agent evaluated", "A00027", code=True),
        _f("evaluator_id", "string", True, "QA evaluator", "QA01", code=True),
        _f("evaluated_at", "timestamp", True, "when the evaluation was completed",
           "2026-01-07T14:27:16-05:00"),
        _f("scorecard_name", "string", True, "scorecard (form) name", "core_service",
           code=True),
        _f("scorecard_version", "string", True, "form version; scores of different versions "
           "are never averaged together", "v1", code=True),
        _f("section", "string", True, "scorecard section", "opening", code=True),
        _f("item", "string", True, "scorecard item (question)", "greeting", code=True),
        _f("score", "int", True, "points given, 0..max_score (0 when not applicable)", "4",
           minimum=0),
        _f("max_score", "int", True, "points possible", "5", minimum=1),
        _f("weight", "int", True, "item weight, > 0", "5", minimum=1),
        _f("critical", "bool", True, "failing this item fails the whole evaluation", "false"),
        _f("not_applicable", "bool", True, "item did not apply; excluded from the score",
           "false"),
    ),
    WFM_SCHEDULES: (
        _f("agent_id", "string", True, "scheduled agent", "A00001", code=True),
        _f("activity", "string", True, "scheduled activity", "open",
           allowed=("open", "break", "lunch", "training", "meeting", "coaching", "off",
                    "leave")),
        _f("start_at", "timestamp", True, "segment start", "2026-01-05T10:30:00-05:00"),
        _f("end_at", "timestamp", True, "segment end, after start", "2026-01-05T12:30:00-05:00"),
    ),
    WFM_AGENT_STATES: (
        _f("agent_id", "string", True, "agent", "A00001", code=True),
        _f("state", "string", True, "actual state", "on_contact",
           allowed=("available", "on_contact", "acw", "not_ready", "break", "lunch",
                    "training", "meeting", "coaching", "logged_out")),
        _f("reason_code", "string", False, "reason of a not_ready state", "personal",
           code=True),
        _f("start_at", "timestamp", True, "segment start", "2026-01-05T10:30:51-05:00"),
        _f("end_at", "timestamp", True, "segment end, after start", "2026-01-05T10:32:15-05:00"),
    ),
    SURVEYS: (
        _f("survey_id", "string", True, "survey response id", "SV000000014", code=True),
        _f("interaction_id", "string", True, "the contact leg the survey is about",
           "IX0000002736", code=True),
        _f("responded_at", "timestamp", True, "when the customer answered",
           "2026-01-06T05:01:36-07:00"),
        _f("csat", "int", False, "satisfaction, 1 (very dissatisfied) to 5 (very satisfied)",
           "4", minimum=1, maximum=5),
        _f("nps", "int", False, "likelihood to recommend, 0 to 10", "9", minimum=0,
           maximum=10),
        _f("ces", "int", False, "customer effort score on the scale in ces_scale", "6",
           minimum=1, maximum=7),
        _f("ces_scale", "string", False, "the CES scale, e.g. 1-7", "1-7",
           allowed=("1-5", "1-7")),
        _f("ces_version", "string", False, "CES question version: CES2.0 (1-7, higher is "
           "easier) or CES1.0 (1-5, lower is easier)", "CES2.0",
           allowed=("CES1.0", "CES2.0")),
        _f("customer_resolved", "string", False, "customer says the issue was resolved",
           "yes", allowed=("yes", "no")),
        _f("comment", "string", False, "free-text comment (PII risk: pseudonymized)",
           "Quick and friendly.", pii=True),
    ),
    AGENTS: (
        _f("agent_id", "string", True, "agent id, unique in a roster file", "A00001",
           code=True),
        _f("agent_name", "string", False, "agent's name (PII)", "Dmitri Evans", pii=True),
        _f("team_id", "string", True, "team", "T01", code=True),
        _f("team_name", "string", False, "team display name", "Harbor Point Voice General 1"),
        _f("site_id", "string", True, "site", "S1", code=True),
        _f("site_name", "string", False, "site display name", "Harbor Point"),
        _f("site_timezone", "string", False, "IANA timezone of the site: defines the local "
           "business date", "America/New_York"),
        _f("supervisor_id", "string", False, "the team's supervisor", "SUP01", code=True),
        _f("skill", "string", False, "primary queue / skill", "voice_general", code=True),
        _f("hire_date", "date", True, "first day employed", "2019-10-30"),
        _f("termination_date", "date", False, "last day employed; empty while employed",
           "2026-02-14"),
        _f("employment_type", "string", True, "employment type", "full_time",
           allowed=("full_time", "part_time", "contractor", "temporary")),
    ),
}

COLUMNS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    source: tuple((f.name, f.type) for f in fields) for source, fields in FIELDS.items()
}

SOURCES: Final[tuple[str, ...]] = tuple(FIELDS)
"""The six sources."""

KEYS: Final[dict[str, tuple[str, ...]]] = {
    CRM_INTERACTIONS: ("interaction_id",),
    QA_EVALUATIONS: ("evaluation_id", "item"),
    WFM_SCHEDULES: ("agent_id", "start_at"),
    WFM_AGENT_STATES: ("agent_id", "start_at"),
    SURVEYS: ("survey_id",),
    AGENTS: ("agent_id",),
}
"""The columns that identify a row: unique within a file and, but for the roster, across files."""


def column_names(source: str) -> list[str]:
    """The contract's column names of ``source``, in file order."""
    return [f.name for f in FIELDS[source]]


def field(source: str, name: str) -> Field:
    return next(f for f in FIELDS[source] if f.name == name)


EXTERNAL_BENCHMARK_FIELDS: Final[tuple[Field, ...]] = (
    _f("metric", "string", True, "catalogue metric the figure refers to", "fcr_survey",
       code=True),
    _f("industry", "string", True, "industry segment, or all", "banking", code=True),
    _f("channel", "string", True, "voice, chat, email or all", "voice", code=True),
    _f("region", "string", True, "region the figure covers", "north_america", code=True),
    _f("statistic", "string", True, "what the figure is", "average",
       allowed=("average", "median", "p25", "p75", "top_quartile", "world_class",
                "regulatory_floor", "regulatory_ceiling")),
    _f("value", "string", True, "the figure, in unit", "0.71"),
    _f("unit", "string", True, "ratio, seconds, score ...", "ratio", code=True),
    _f("source", "string", True, "who published it, with the address", "SQM Group, ..."),
    _f("publication_year", "int", True, "year published (drives the stale flag)", "2022"),
    _f("source_type", "string", True, "independent, vendor (marketing), regulatory, "
       "government", "independent",
       allowed=("independent", "vendor", "regulatory", "government", "practitioner")),
    _f("definition_notes", "string", False, "how the source defines the metric, and when it "
       "is not comparable", "post-call survey; top-box"),
)
"""The shipped industry reference table (issue 5 fills it): users may add rows."""
