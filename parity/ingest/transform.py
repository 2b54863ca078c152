"""Applying a mapping to one chunk of records: contract columns, typed, plus per-cell errors.

Built on polars expressions so a chunk costs milliseconds, not per-row Python. Nothing here
raises on bad data: a value that cannot be read becomes null in the typed frame and an entry in
``errors`` naming the row, the contract column, the check and the raw value, so the loader can
quarantine the row with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from parity.contract import FIELDS

from .mapping import FieldMap, Mapping, derive_parts

_HAS_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_AWARE = ("%Y-%m-%dT%H:%M:%S%#z", "%Y-%m-%dT%H:%M:%S%.f%#z")
_NAIVE = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M")
_TRUE = ["true", "t", "1", "yes", "y"]
_FALSE = ["false", "f", "0", "no", "n"]
POLARS_TYPES = {"string": pl.String, "int": pl.Int64, "bool": pl.Boolean,
                "timestamp": pl.Datetime("us", "UTC"), "date": pl.Date}


@dataclass
class Mapped:
    frame: pl.DataFrame  # contract columns, typed; row i = record i of the chunk
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(position, contract column, check, message)"""
    dropped: list[tuple[int, str]] = field(default_factory=list)
    """(position, reason) of rows the mapping drops on purpose (e.g. phantom calls)."""


def map_chunk(rows: list[list[str]], columns: list[str], mapping: Mapping) -> Mapped:
    raw = pl.DataFrame(dict(zip(columns, map(list, zip(*rows)))) if rows else
                       {c: [] for c in columns}, schema={c: pl.String for c in columns})
    contract = FIELDS[mapping.source]
    texts = raw.select([_text(raw, mapping.fields.get(f.name)).alias(f"__text_{f.name}")
                        for f in contract])
    helpers, typed, checks = {}, [], []
    for f in contract:
        spec = mapping.fields.get(f.name)
        text = pl.col(f"__text_{f.name}")
        value, problems = _typed(text, f.type, spec, mapping.timezone, f.name, helpers)
        typed.append(value.alias(f.name))
        for i, (check, message, bad) in enumerate(problems):
            checks.append(pl.when(bad).then(pl.format("{}: {}", pl.lit(message), text))
                          .alias(f"__{f.name}__{check}__{i}"))
    texts = texts.with_columns(**helpers) if helpers else texts
    frame = texts.select(typed + checks + [pl.lit(False).alias("__dropped")])
    for rule in mapping.drop_rows:
        hit = raw.select(pl.col(rule.when.column).str.strip_chars()
                         .is_in(rule.when.values).fill_null(False)).to_series()
        frame = frame.with_columns(pl.col("__dropped") | hit)
    out = Mapped(frame=frame)
    for name, spec in mapping.fields.items():
        for expr in spec.derive or []:
            a, sign, b = derive_parts(expr)
            out.frame = out.frame.with_columns(pl.coalesce(
                pl.col(name), pl.col(a) + pl.duration(seconds=pl.col(b)) * sign).alias(name))
    error_columns = [c for c in out.frame.columns if c.startswith("__") and c != "__dropped"]
    any_error = out.frame.select(pl.any_horizontal(
        [pl.col(c).is_not_null() for c in error_columns] or [pl.lit(False)]).any()).item()
    for column in error_columns if any_error else []:
        _, name, check, _ = column.split("__")
        bad = out.frame.select(pl.arg_where(pl.col(column).is_not_null())).to_series()
        messages = out.frame[column].gather(bad).to_list() if len(bad) else []
        out.errors.extend((int(i), name, check, m) for i, m in zip(bad, messages))
    for rule in mapping.drop_rows:
        hit = raw.select(pl.arg_where(pl.col(rule.when.column).str.strip_chars()
                                      .is_in(rule.when.values))).to_series()
        out.dropped.extend((int(i), rule.reason) for i in hit)
    out.frame = out.frame.select([f.name for f in contract])
    return out


def _text(raw: pl.DataFrame, spec: FieldMap | None) -> pl.Expr:
    if spec is None:
        return pl.lit(None, dtype=pl.String)
    if spec.constant is not None:
        return pl.lit(spec.constant, dtype=pl.String)
    columns = spec.columns
    if not columns or any(c not in raw.columns for c in columns):
        return pl.lit(None, dtype=pl.String)
    text = pl.concat_str([pl.col(c).str.strip_chars() for c in columns], separator=" ")
    nulls = (text == "") | text.is_in(spec.null_values)
    if spec.null_when is not None:
        nulls = nulls | pl.col(spec.null_when.column).str.strip_chars().is_in(
            spec.null_when.values)
    text = pl.when(nulls).then(None).otherwise(text)
    if spec.map:
        text = text.replace(spec.map)
    return text


def _typed(text: pl.Expr, kind: str, spec: FieldMap | None, timezone: str | None,
           name: str, helpers: dict):
    """(typed expression, [(check, message, bad-row expression)]).

    Costly parses go into ``helpers`` (computed once, as columns) and are referred to by name.
    """
    present = text.is_not_null()
    if kind == "string":
        return text, []
    if kind == "bool":
        lowered = text.str.to_lowercase()
        value = pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)) \
            .then(False).otherwise(None)
        return value, [("type_bool", "not a boolean (true/false)", present & value.is_null())]
    if kind == "int":
        return _seconds(text, spec)
    if kind == "date":
        value = text.str.to_date(spec.format if spec and spec.format else "%Y-%m-%d",
                                 strict=False)
        return value, [("type_date", "not a date", present & value.is_null())]
    return _instants(text, spec, timezone, name, helpers)


def _seconds(text: pl.Expr, spec: FieldMap | None):
    unit = spec.unit if spec else "seconds"
    present = text.is_not_null()
    if unit == "hms":
        parts = text.str.extract_groups(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})$")
        hours = parts.struct.field("1").cast(pl.Float64).fill_null(0)
        value = (hours * 3600 + parts.struct.field("2").cast(pl.Float64) * 60
                 + parts.struct.field("3").cast(pl.Float64))
        message = "not a duration (HH:MM:SS expected)"
    else:
        comma = spec is not None and spec.decimal == ","
        cleaned = text.str.replace_all(",", ".", literal=True) if comma else text
        scale = {"seconds": 1.0, "minutes": 60.0, "milliseconds": 0.001}[unit]
        value = cleaned.cast(pl.Float64, strict=False) * scale
        if unit != "seconds":
            value = value.round(0)
        message = f"not a number of {unit}"
    unread = present & value.is_null()
    fractional = value.is_not_null() & (value != value.round(0))
    problems = [("type_int", "not a whole number of seconds", present & fractional)]
    if unit == "hms":
        problems.append(("type_int", message, unread))
    else:  # the two usual vendor spellings get a hint at the mapping key that reads them
        clock = text.str.contains(r"^\d+:\d{1,2}(?::\d{1,2})?$")
        comma_number = text.str.contains(r"^[+-]?\d+,\d+$") & pl.lit(not comma)
        problems += [
            ("type_int", f"{message} (a duration written HH:MM:SS: declare `unit: hms` in "
             "the mapping)", unread & clock),
            ("type_int", f"{message} (a decimal comma: declare `decimal: \",\"` in the "
             "mapping)", unread & comma_number),
            ("type_int", message, unread & ~clock & ~comma_number)]
    return pl.when(fractional).then(None).otherwise(value).cast(pl.Int64), problems


def _instants(text: pl.Expr, spec: FieldMap | None, timezone: str | None, name: str,
              helpers: dict):
    present = text.is_not_null()
    fmt = spec.format if spec and spec.format else None
    if fmt is None:  # ISO-8601 allows a space for the T: one spelling, half the formats
        text = text.str.replace(r"^(\d{4}-\d{2}-\d{2}) ", "${1}T")
    if fmt is not None:
        aware = present & pl.lit("%z" in fmt or "%#z" in fmt)
        aware_formats, naive_formats = [fmt], [fmt]
    else:
        aware = present & text.str.contains(_HAS_OFFSET)
        aware_formats, naive_formats = list(_AWARE), list(_NAIVE)
    helpers[f"__aware_{name}"] = pl.coalesce([
        text.str.to_datetime(f, strict=False, time_unit="us", time_zone="UTC")
        for f in aware_formats])
    parsed_aware = pl.col(f"__aware_{name}")
    problems = [("type_timestamp", "not an ISO-8601 timestamp" if fmt is None
                 else f"does not match {fmt!r}", aware & parsed_aware.is_null())]
    naive = present & ~aware
    helpers[f"__local_{name}"] = pl.coalesce([
        text.str.to_datetime(f, strict=False, time_unit="us") for f in naive_formats])
    local = pl.col(f"__local_{name}")
    unreadable = ("type_timestamp", "not a timestamp" if fmt is None
                  else f"does not match {fmt!r}", naive & local.is_null())
    if timezone is None:
        value = pl.when(aware).then(parsed_aware).otherwise(None)
        problems += [unreadable, ("timestamp_without_offset", "timestamp has no UTC offset "
                                  "and the mapping declares no timezone",
                                  naive & local.is_not_null())]
        return value, problems
    placed = local.dt.replace_time_zone(timezone, ambiguous="null", non_existent="null") \
        .dt.convert_time_zone("UTC")
    value = pl.when(aware).then(parsed_aware).otherwise(placed)
    problems += [
        unreadable,
        ("dst_local_time", f"local time does not exist or is ambiguous in {timezone} "
         "(daylight-saving change)", naive & local.is_not_null() & placed.is_null()),
    ]
    return value, problems
