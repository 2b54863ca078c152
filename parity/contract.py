"""The extract contract: the six landing sources and their columns, in file order.

One place names every source and column so the generator, the loaders and the docs agree.
Types are the logical types of the contract: ``string``, ``timestamp`` (ISO-8601 with offset),
``date``, ``int``, ``bool`` (``true`` / ``false``).
"""

from __future__ import annotations

from typing import Final

CRM_INTERACTIONS: Final = "crm_interactions"
QA_EVALUATIONS: Final = "qa_evaluations"
WFM_SCHEDULES: Final = "wfm_schedules"
WFM_AGENT_STATES: Final = "wfm_agent_states"
SURVEYS: Final = "surveys"
AGENTS: Final = "agents"

COLUMNS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    CRM_INTERACTIONS: (
        ("interaction_id", "string"),
        ("case_id", "string"),
        ("customer_id", "string"),
        ("customer_phone", "string"),
        ("customer_email", "string"),
        ("channel", "string"),
        ("direction", "string"),
        ("queue", "string"),
        ("contact_reason", "string"),
        ("priority", "string"),
        ("agent_id", "string"),
        ("offered_at", "timestamp"),
        ("answered_at", "timestamp"),
        ("ended_at", "timestamp"),
        ("queue_seconds", "int"),
        ("talk_seconds", "int"),
        ("hold_seconds", "int"),
        ("acw_seconds", "int"),
        ("abandoned", "bool"),
        ("transferred", "bool"),
        ("agent_resolved", "bool"),
    ),
    QA_EVALUATIONS: (
        ("evaluation_id", "string"),
        ("interaction_id", "string"),
        ("agent_id", "string"),
        ("evaluator_id", "string"),
        ("evaluated_at", "timestamp"),
        ("scorecard_name", "string"),
        ("scorecard_version", "string"),
        ("section", "string"),
        ("item", "string"),
        ("score", "int"),
        ("max_score", "int"),
        ("weight", "int"),
        ("critical", "bool"),
        ("not_applicable", "bool"),
    ),
    WFM_SCHEDULES: (
        ("agent_id", "string"),
        ("activity", "string"),
        ("start_at", "timestamp"),
        ("end_at", "timestamp"),
    ),
    WFM_AGENT_STATES: (
        ("agent_id", "string"),
        ("state", "string"),
        ("reason_code", "string"),
        ("start_at", "timestamp"),
        ("end_at", "timestamp"),
    ),
    SURVEYS: (
        ("survey_id", "string"),
        ("interaction_id", "string"),
        ("responded_at", "timestamp"),
        ("csat", "int"),
        ("nps", "int"),
        ("ces", "int"),
        ("ces_scale", "string"),
        ("ces_version", "string"),
        ("customer_resolved", "string"),
        ("comment", "string"),
    ),
    AGENTS: (
        ("agent_id", "string"),
        ("agent_name", "string"),
        ("team_id", "string"),
        ("team_name", "string"),
        ("site_id", "string"),
        ("site_name", "string"),
        ("site_timezone", "string"),
        ("supervisor_id", "string"),
        ("skill", "string"),
        ("hire_date", "date"),
        ("termination_date", "date"),
        ("employment_type", "string"),
    ),
}

SOURCES: Final[tuple[str, ...]] = tuple(COLUMNS)
"""The six sources in load order (the roster last only by convention of the table)."""

DAILY_SOURCES: Final[tuple[str, ...]] = tuple(s for s in SOURCES if s != AGENTS)
"""Sources delivered as one file per business date; the roster is a snapshot."""


def column_names(source: str) -> list[str]:
    """The contract's column names of ``source``, in file order."""
    return [name for name, _ in COLUMNS[source]]
