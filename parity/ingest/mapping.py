"""Source mappings: how a vendor's export maps onto the extract contract, read from YAML.

A user onboards a new export by writing a mapping, not code. The default mapping of every
source is the identity on the contract (``default_mapping``). A mapping file is
``<mappings dir>/<source>.yaml``; see docs/mappings.md for every key.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from parity.contract import FIELDS, SOURCES

_DERIVE = re.compile(r"^\s*([a-z_]+)\s*([+-])\s*([a-z_]+)\s*$")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the key."""


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    column: str
    values: list[str] = Field(alias="in")


class FieldMap(BaseModel):
    """How one contract field is filled from the source row."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    source: str | list[str] | None = Field(default=None, alias="from")
    constant: str | None = None
    derive: list[str] | None = None
    map: dict[str, str | None] | None = None
    null_values: list[str] = []
    null_when: Condition | None = None
    format: str | None = None
    unit: Literal["seconds", "minutes", "milliseconds", "hms"] = "seconds"
    decimal: Literal[".", ","] = "."

    @field_validator("source", mode="before")
    @classmethod
    def _columns_as_text(cls, value):
        return [str(v) for v in value] if isinstance(value, list) else value

    @field_validator("constant", mode="before")
    @classmethod
    def _constant_as_text(cls, value):
        return None if value is None else str(value).lower() if isinstance(value, bool) \
            else str(value)

    @field_validator("map", mode="before")
    @classmethod
    def _codes_as_text(cls, value):
        if value is None:
            return None
        return {str(k): (None if v is None else str(v).lower() if isinstance(v, bool)
                         else str(v)) for k, v in value.items()}

    @field_validator("derive", mode="before")
    @classmethod
    def _derive_list(cls, value):
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_origin(self):
        if self.source is None and self.constant is None and not self.derive:
            raise ValueError("give one of: from, constant, derive")
        if self.source is not None and self.constant is not None:
            raise ValueError("from and constant exclude each other")
        for expr in self.derive or []:
            if not _DERIVE.match(expr):
                raise ValueError(f"derive {expr!r}: use '<timestamp field> + <seconds field>'")
        return self

    @property
    def columns(self) -> list[str]:
        if self.source is None:
            return []
        return self.source if isinstance(self.source, list) else [self.source]


class DropRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    when: Condition
    reason: str


class FileOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patterns: list[str] = ["*.csv", "*.parquet"]
    delimiter: str = ","
    business_date_from: str | None = None


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    file: FileOptions = FileOptions()
    timezone: str | None = None
    drop_rows: list[DropRule] = []
    fields: dict[str, FieldMap]

    @field_validator("source")
    @classmethod
    def _known_source(cls, value):
        if value not in SOURCES:
            raise ValueError(f"unknown source {value!r}; one of {', '.join(SOURCES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value):
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _fields_match_contract(self):
        contract = {f.name: f for f in FIELDS[self.source]}
        unknown = sorted(set(self.fields) - set(contract))
        if unknown:
            raise ValueError(f"fields not in the {self.source} contract: {', '.join(unknown)}")
        missing = [f.name for f in contract.values() if f.required and f.name not in self.fields]
        if missing:
            raise ValueError(f"required contract fields not mapped: {', '.join(missing)}")
        for name, spec in self.fields.items():
            for expr in spec.derive or []:
                a, _, b = _DERIVE.match(expr).groups()
                if contract[name].type != "timestamp" or a not in contract or b not in contract \
                        or contract[a].type != "timestamp" or contract[b].type != "int":
                    raise ValueError(f"{name}: derive {expr!r} must add an int field (seconds) "
                                     "to a timestamp field")
        if self.file.business_date_from and self.file.business_date_from not in self.fields:
            raise ValueError("file.business_date_from must name a mapped field")
        return self

    @property
    def source_columns(self) -> set[str]:
        cols = {c for spec in self.fields.values() for c in spec.columns}
        cols |= {spec.null_when.column for spec in self.fields.values() if spec.null_when}
        cols |= {rule.when.column for rule in self.drop_rows}
        return cols

    def required_columns(self) -> set[str]:
        """Source columns that must be in the header: those feeding required fields."""
        contract = {f.name: f for f in FIELDS[self.source]}
        cols = {c for name, spec in self.fields.items() if contract[name].required
                for c in spec.columns}
        cols |= {rule.when.column for rule in self.drop_rows}
        return cols

    def fingerprint(self) -> str:
        """Changes whenever the mapping would load a file differently."""
        text = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def default_mapping(source: str) -> Mapping:
    """The identity on the contract: every field read from the column of the same name."""
    return Mapping(source=source,
                   fields={f.name: FieldMap(source=f.name) for f in FIELDS[source]})


def load_mapping(source: str, mappings_dir: Path | None) -> Mapping:
    """``<mappings_dir>/<source>.yaml`` if it exists, else the identity mapping."""
    if mappings_dir is None:
        return default_mapping(source)
    path = Path(mappings_dir) / f"{source}.yaml"
    if not path.is_file():
        return default_mapping(source)
    return parse_mapping(path.read_text(encoding="utf-8"), source, str(path))


def parse_mapping(text: str, source: str, origin: str = "<mapping>") -> Mapping:
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(f"{origin}: expected a mapping of keys, got {type(data).__name__}")
    data.setdefault("source", source)
    if data["source"] != source:
        raise MappingError(f"{origin}: declares source {data['source']!r}, expected {source!r}")
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in exc.errors())
        raise MappingError(f"{origin}: {problems}") from exc
    return mapping


def derive_parts(expr: str) -> tuple[str, int, str]:
    """``"answered_at + talk_seconds"`` -> ``("answered_at", 1, "talk_seconds")``."""
    a, sign, b = _DERIVE.match(expr).groups()
    return a, (1 if sign == "+" else -1), b
