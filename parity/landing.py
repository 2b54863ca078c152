"""The landing area: which extract files are there, what they hold, and their fingerprints."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from parity.contract import SOURCES

EXTENSIONS = {".csv": "csv", ".parquet": "parquet"}
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class LandedFile:
    source: str
    path: Path
    file_format: str
    business_date: str | None
    size_bytes: int
    sha256: str


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """Streamed, so a multi-gigabyte extract never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def scan_landing(root: Path) -> list[LandedFile]:
    """Every extract file under ``root/<source>/``, in a stable order."""
    found = []
    for source in SOURCES:
        folder = root / source
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            fmt = EXTENSIONS.get(path.suffix.lower())
            if fmt is None or not path.is_file():
                continue
            match = _DATE_IN_NAME.search(path.name)
            found.append(LandedFile(source, path, fmt, match.group(1) if match else None,
                                    path.stat().st_size, sha256_of(path)))
    return found


def count_rows(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> int:
    """Data rows of one file, read by DuckDB (quoted newlines are handled, not miscounted)."""
    if landed.file_format == "parquet":
        sql = "select count(*) from read_parquet($path)"
    else:
        sql = "select count(*) from read_csv($path, header = true, all_varchar = true)"
    return con.execute(sql, {"path": str(landed.path)}).fetchone()[0]
