"""Which landed files belong to which business date."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from zoneinfo import ZoneInfo

from .mapping import Mapping
from .reader import FileRejected, iter_chunks, read_header
from .transform import map_chunk

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")


@dataclass(frozen=True)
class LandedFile:
    source: str
    path: Path
    business_date: dt.date | None  # None: no date could be found (the file is reported)


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """Streamed, so a multi-gigabyte extract never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def date_in_name(name: str) -> dt.date | None:
    for pattern in (_ISO_DATE, _COMPACT_DATE):
        match = pattern.search(name)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                continue
    return None


def date_from_content(path: Path, mapping: Mapping) -> dt.date | None:
    """The local date of ``file.business_date_from`` in the first readable record."""
    name = mapping.file.business_date_from
    if name is None:
        return None
    try:
        header = read_header(path, mapping)
        for chunk in iter_chunks(path, header, mapping.file.delimiter, chunk_rows=50):
            mapped = map_chunk(chunk.rows, header.columns, mapping)
            values = mapped.frame[name].drop_nulls()
            if len(values):
                value = values[0]
                if mapping.timezone:
                    value = value.astimezone(ZoneInfo(mapping.timezone))
                return value.date()
    except (FileRejected, OSError, KeyError):
        return None
    return None


def landed_files(root: Path, source: str, mapping: Mapping) -> list[LandedFile]:
    """Files of ``source`` under ``root/<source>/`` matching the mapping's patterns, oldest first.

    Ordered by (business date, modification time, name): when several files cover one date the
    last one is the correction that wins.
    """
    folder = root / source
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not path.is_file() or not any(fnmatch(path.name, p) for p in mapping.file.patterns):
            continue
        date = date_in_name(path.name) or date_from_content(path, mapping)
        found.append(LandedFile(source, path, date))
    return sorted(found, key=lambda f: (f.business_date or dt.date.min,
                                        f.path.stat().st_mtime_ns, f.path.name))
