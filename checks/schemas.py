"""pandera schemas of the raw boundary (polars backend), built from the extract contract.

Column checks come from the contract (required, allowed values, ranges, code pattern, nothing in
the future); the rules that relate columns to each other are listed per source below. Keys are
checked in SQL by the loader, across chunks and files (pandera sees one chunk at a time).
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from parity.contract import (AGENTS, CODE_PATTERN, CRM_INTERACTIONS, FIELDS, QA_EVALUATIONS,
                             SURVEYS, WFM_AGENT_STATES, WFM_SCHEDULES)
from parity.ingest.transform import POLARS_TYPES

FUTURE_TOLERANCE = dt.timedelta(days=1)
MESSAGES: dict[str, str] = {}
"""Plain-words message of each cross-column check, by check name."""


def _row_check(name: str, rule: pl.Expr, message: str) -> pa.Check:
    """Rows where ``rule`` is false fail; a rule that cannot be decided (nulls) passes."""
    MESSAGES[name] = message

    def check(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(rule.fill_null(True).alias(name))

    return pa.Check(check, name=name)


def _ordered(first: str, second: str) -> pa.Check:
    return _row_check(f"{second}_not_before_{first}", pl.col(second) >= pl.col(first),
                      f"{second} is before {first}")


def _cross_column_checks(source: str) -> list[pa.Check]:
    if source == CRM_INTERACTIONS:
        return [
            _ordered("offered_at", "answered_at"),
            _ordered("answered_at", "ended_at"),
            _ordered("offered_at", "ended_at"),
            _row_check("abandoned_has_no_agent",
                       ~pl.col("abandoned") | (pl.col("agent_id").is_null()
                                               & pl.col("answered_at").is_null()),
                       "an abandoned contact has an agent or an answer time"),
            _row_check("handled_has_agent_and_answer",
                       pl.col("abandoned") | (pl.col("agent_id").is_not_null()
                                              & pl.col("answered_at").is_not_null()),
                       "a contact that was not abandoned has no agent or no answer time"),
        ]
    if source == QA_EVALUATIONS:
        return [_row_check("score_within_max", pl.col("score") <= pl.col("max_score"),
                           "score is above max_score")]
    if source in (WFM_SCHEDULES, WFM_AGENT_STATES):
        return [
            _row_check("end_after_start", pl.col("end_at") > pl.col("start_at"),
                       "end_at is not after start_at"),
            _row_check("segment_under_24_hours",
                       pl.col("end_at") - pl.col("start_at") <= pl.duration(hours=24),
                       "segment is longer than 24 hours"),
        ]
    if source == SURVEYS:
        scale_max = pl.col("ces_scale").replace_strict({"1-5": 5, "1-7": 7}, default=None,
                                                       return_dtype=pl.Int64)
        version_scale = pl.col("ces_version").replace_strict(
            {"CES1.0": "1-5", "CES2.0": "1-7"}, default=None, return_dtype=pl.String)
        return [
            _row_check("ces_within_its_scale", pl.col("ces") <= scale_max,
                       "ces is outside the scale given in ces_scale"),
            _row_check("ces_version_matches_scale", version_scale == pl.col("ces_scale"),
                       "ces_version and ces_scale disagree (CES1.0 is 1-5, CES2.0 is 1-7)"),
        ]
    if source == AGENTS:
        return [_ordered("hire_date", "termination_date")]
    return []


def build_schema(source: str, now: dt.datetime | None = None) -> pa.DataFrameSchema:
    """The raw-boundary schema of ``source``; ``now`` bounds timestamps (nothing in the future)."""
    limit = (now or dt.datetime.now(dt.timezone.utc)) + FUTURE_TOLERANCE
    columns = {}
    for f in FIELDS[source]:
        checks = []
        if f.allowed:
            checks.append(pa.Check.isin(list(f.allowed)))
        if f.code:
            checks.append(pa.Check.str_matches(CODE_PATTERN))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum))
        if f.type == "timestamp":
            checks.append(pa.Check.le(limit))
        if f.type == "date":
            checks.append(pa.Check.le(limit.date()))
        columns[f.name] = pa.Column(POLARS_TYPES[f.type], checks=checks,
                                    nullable=not f.required)
    return pa.DataFrameSchema(columns, checks=_cross_column_checks(source), strict=True,
                              name=source)


def _column_message(source: str, column: str, check: str, value) -> str:
    """The failure in plain words, keeping the check's own name for the exact rule."""
    kind = next((f.type for f in FIELDS[source] if f.name == column), None)
    bound = check[check.find("(") + 1:-1] if check.endswith(")") else ""
    if check == "not_nullable":
        return f"{column}: required value is empty"
    if check.startswith("less_than_or_equal_to") and kind in ("timestamp", "date"):
        return f"{column}: {value} is in the future (latest allowed {bound})"
    if check.startswith("less_than_or_equal_to"):
        return f"{column}: {value} is above the maximum {bound} ({check})"
    if check.startswith("greater_than_or_equal_to"):
        return f"{column}: {value} is below the minimum {bound} ({check})"
    if check.startswith("isin"):
        return f"{column}: {value!r} is not one of the allowed values {bound}"
    if check.startswith("str_matches"):
        return (f"{column}: {value!r} is not a valid id or code (it must start with a letter "
                "or digit, so it cannot start a spreadsheet formula)")
    return f"{column}: {check} failed for {value!r}"


def failing_rows(schema: pa.DataFrameSchema, frame: pl.DataFrame):
    """Every failure of every row (lazy validation): (row index, column, check, message)."""
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    out, seen = [], set()
    for row in cases.iter_rows(named=True):
        if row["index"] is None:
            raise ValueError(f"{schema.name}: schema-level failure {row['check']}: "
                             f"{row['failure_case']}")
        check = str(row["check"])
        if check in MESSAGES:
            column, message = None, MESSAGES[check]
        else:
            column = row["column"]
            message = _column_message(schema.name, column, check, row["failure_case"])
        if (row["index"], check) not in seen:
            seen.add((row["index"], check))
            out.append((int(row["index"]), column, check, message))
    return out
