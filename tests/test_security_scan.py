"""Security: the scanner that looks for clear PII and the PII key in files, and its proofs.

DuckDB and Parquet compress strings (dictionary, FSST, snappy) and SQLite splits long values over
overflow pages, so a byte scan alone can miss a value that is there. Every file is therefore
scanned three ways by one function, ``scan_file``: (a) its raw bytes; (b) a DuckDB or SQLite file
is opened read-only and every column that can hold text is read back, joined against a
registered Arrow table of the values and searched for them inside longer strings; (c) a Parquet
file is read with pyarrow, column by column, and its metadata searched. Known-bad fixtures prove
each way fails when a value is planted. tests/test_security_leaks.py runs it over everything the
pipeline wrote.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from parity.ingest.tables import ident

MIN_LEN = 8
"""Shortest value searched for. Every PII value of the generated extracts is at least 8 bytes
(the shortest are names such as "Lena Ito"; customer ids are 9, phones 10, emails 20, comments
12), and test_security_leaks.py fails if that changes. Shorter needles (a 2-letter surname, a
3-digit fragment) match by chance inside compressed pages and ordinary words, so a hit would
prove nothing; 8 bytes of a given text occur at random with odds of 2^-64 a position. It is also
the width of the machine word the scan compares at every offset."""

DUCKDB_MAGIC, PARQUET_MAGIC, SQLITE_MAGIC = b"DUCK", b"PAR1", b"SQLite format 3\x00"
NOT_TEXT = ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
            "DOUBLE", "FLOAT", "DECIMAL", "DATE", "TIME", "TIMESTAMP", "BOOLEAN", "INTERVAL",
            "UUID")


class Needles:
    """Values to find, indexed by their first 8 bytes so one pass over a file finds them all."""

    def __init__(self, values) -> None:
        self.values = sorted({v.encode() if isinstance(v, str) else v for v in values})
        short = [v for v in self.values if len(v) < MIN_LEN]
        assert not short, f"needles shorter than {MIN_LEN} bytes: {short[:5]}"
        self.by_prefix: dict[int, list[bytes]] = defaultdict(list)
        for v in self.values:
            self.by_prefix[int.from_bytes(v[:8], "little")].append(v)
        self.keys = np.array(sorted(self.by_prefix), dtype=np.uint64)
        self.arrow = pa.table({"value": pa.array([v.decode("utf-8", "replace")
                                                  for v in self.values], pa.string())})

    def find(self, data: bytes) -> set[bytes]:
        """Every value occurring in ``data``: the 8-byte word at each offset is looked up among
        the prefixes (vectorized), and each candidate is then compared in full."""
        found: set[bytes] = set()
        for offset in range(8):
            count = (len(data) - offset) // 8
            if count <= 0:
                continue
            words = np.frombuffer(data, dtype="<u8", count=count, offset=offset)
            at = np.minimum(np.searchsorted(self.keys, words), len(self.keys) - 1)
            for hit in np.flatnonzero(self.keys[at] == words):
                pos = offset + 8 * int(hit)
                for value in self.by_prefix[int(words[hit])]:
                    if data.startswith(value, pos) and _whole(data, pos, value):
                        found.add(value)
        return found


def _whole(data: bytes, pos: int, value: bytes) -> bool:
    """A value of digits only (a phone as written or normalized) counts only when no digit
    touches it: long digit runs (nanosecond times, row counts) would otherwise contain a phone
    number by chance. Other values count wherever they occur."""
    if not value.isdigit():
        return True
    before = data[pos - 1:pos] if pos else b""
    after = data[pos + len(value):pos + len(value) + 1]
    return not before.isdigit() and not after.isdigit()


@dataclass
class Finding:
    path: Path
    where: str  # bytes | duckdb:<schema.table.column> | sqlite:<table.column> | parquet:<column>
    values: set[bytes] = field(default_factory=set)

    def __str__(self) -> str:
        sample = sorted(self.values)[:3]
        return f"{self.path} [{self.where}]: {len(self.values)} value(s), e.g. {sample}"


def _text_blob(values) -> bytes:
    return b"\n".join(v.encode("utf-8", "surrogatepass") for v in values if v is not None)


def _scan_duckdb(path: Path, needles: Needles) -> list[Finding]:
    out = []
    # Read-only: the scan never changes what it inspects (a WAL is replayed in memory).
    with duckdb.connect(str(path), read_only=True) as con:
        con.register("pii_values", needles.arrow)
        columns = con.execute("""
            select c.schema_name, c.table_name, c.column_name, c.data_type
            from duckdb_columns() c join duckdb_tables() t
              on t.database_name = c.database_name and t.schema_name = c.schema_name
             and t.table_name = c.table_name
            where c.database_name = current_database() and not c.internal
            order by all""").fetchall()
        for schema, table, column, data_type in columns:
            if data_type.startswith(NOT_TEXT):
                continue
            name = f"{ident(schema)}.{ident(table)}"
            text = f"cast(t.{ident(column)} as varchar)"
            exact = con.execute(f"select distinct p.value from {name} t join pii_values p "
                                f"on {text} = p.value").fetchall()
            inside = needles.find(_text_blob(v for (v,) in con.execute(
                f"select distinct {text} from {name} t").fetchall()))
            hits = {v.encode() for (v,) in exact} | inside
            if hits:
                out.append(Finding(path, f"duckdb:{schema}.{table}.{column}", hits))
        catalog = con.execute("""
            select sql from duckdb_views() where not internal
            union all select sql from duckdb_tables()
            union all select comment from duckdb_columns() where comment is not null
            union all select comment from duckdb_tables() where comment is not null""").fetchall()
        hits = needles.find(_text_blob(r[0] for r in catalog))
        if hits:
            out.append(Finding(path, "duckdb:catalog", hits))
    return out


def _scan_sqlite(path: Path, needles: Needles) -> list[Finding]:
    out = []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            for row in con.execute(f"pragma table_info({ident(table)})").fetchall():
                column = ident(row[1])
                values = [v if isinstance(v, str) else bytes(v).decode("utf-8", "replace")
                          for (v,) in con.execute(f"select distinct {column} from {ident(table)} "
                                                  f"where typeof({column}) in ('text', 'blob')")]
                hits = needles.find(_text_blob(values))
                if hits:
                    out.append(Finding(path, f"sqlite:{table}.{row[1]}", hits))
    finally:
        con.close()
    return out


def _strings(array: pa.ChunkedArray) -> list[str]:
    """Every string inside a column, nested lists and structs included."""
    kind = array.type
    if pa.types.is_dictionary(kind) or pa.types.is_string_view(kind):
        return _strings(array.cast(pa.string()))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pc.unique(array.drop_null()).to_pylist()
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return [v.decode("utf-8", "replace") for v in pc.unique(array.drop_null()).to_pylist()]
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _strings(pa.chunked_array([c.flatten() for c in array.chunks], kind.value_type))
    if pa.types.is_struct(kind):
        return [s for i in range(kind.num_fields)
                for s in _strings(pa.chunked_array([c.field(i) for c in array.chunks],
                                                   kind.field(i).type))]
    return []


def _scan_parquet(path: Path, needles: Needles) -> list[Finding]:
    out = []
    parquet = pq.ParquetFile(path)
    meta = parquet.schema_arrow.metadata or {}
    hits = needles.find(_text_blob([str(parquet.schema_arrow)] +
                                   [(k + b"=" + v).decode("utf-8", "replace")
                                    for k, v in meta.items()]))
    if hits:
        out.append(Finding(path, "parquet:metadata", hits))
    table = parquet.read()
    values = pa.array([v.decode("utf-8", "replace") for v in needles.values], pa.string())
    for name in table.column_names:
        strings = _strings(table[name])
        exact = {s.encode() for s in pc.filter(pa.array(strings, pa.string()),
                                               pc.is_in(pa.array(strings, pa.string()),
                                                        value_set=values)).to_pylist()}
        hits = exact | needles.find(_text_blob(strings))
        if hits:
            out.append(Finding(path, f"parquet:{name}", hits))
    return out


def scan_file(path: Path, needles: Needles) -> list[Finding]:
    """Every way ``path`` may hold a value: its bytes, then its decoded contents by format."""
    data = path.read_bytes()
    out = []
    hits = needles.find(data)
    if hits:
        out.append(Finding(path, "bytes", hits))
    if data[:2] == b"\x1f\x8b":
        hits = needles.find(gzip.decompress(data))
        if hits:
            out.append(Finding(path, "gzip", hits))
    if data[8:12] == DUCKDB_MAGIC:
        out += _scan_duckdb(path, needles)
    elif data[:4] == PARQUET_MAGIC and data[-4:] == PARQUET_MAGIC:
        out += _scan_parquet(path, needles)
    elif data.startswith(SQLITE_MAGIC):
        out += _scan_sqlite(path, needles)
    return out


def scan_tree(paths, needles: Needles) -> tuple[list[Finding], list[Path]]:
    """(findings, files scanned) of every file under ``paths``."""
    files = sorted({f for p in paths for f in ([p] if p.is_file() else p.rglob("*"))
                    if f.is_file() and not f.is_symlink()})
    return [hit for f in files for hit in scan_file(f, needles)], files



def key_forms(key: str) -> list[bytes]:
    """The key as text, hex and base64, and the HMAC pads derived from it (either pad gives the
    key away)."""
    raw = key.encode()
    block = (hashlib.sha256(raw).digest() if len(raw) > 64 else raw).ljust(64, b"\0")
    forms = [raw, raw.hex().encode(), raw.hex().upper().encode(), base64.b64encode(raw),
             base64.urlsafe_b64encode(raw), hashlib.sha256(raw).hexdigest().encode()]
    for pad in (bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)):
        forms += [pad, pad.hex().encode()]
    return forms


# --- the scanner fails when it should ------------------------------------------------------------

PLANTED = "Dmitri Evans-Castillo"
DECOYS = [f"value {i:06d} of a filler column" for i in range(20_000)]


def test_scanner_finds_a_value_in_plain_text_and_gzip(tmp_path):
    needles = Needles([PLANTED, "5554435761"])
    (tmp_path / "run.log").write_text(f"step ok\nloaded {PLANTED}\n")
    (tmp_path / "log.gz").write_bytes(gzip.compress(f"x {PLANTED} y".encode() * 50))
    (tmp_path / "digits.txt").write_text("mtime 17648600005554435761123 and 5554435761.\n")
    found = defaultdict(set)
    for f in scan_tree([tmp_path], needles)[0]:
        found[f.path.name].add(f.where)
    assert "bytes" in found["run.log"] and "gzip" in found["log.gz"]
    assert found["digits.txt"] == {"bytes"}
    (tmp_path / "digits.txt").write_text("mtime 17648600005554435761123\n")  # inside a number
    assert not scan_file(tmp_path / "digits.txt", needles)


@pytest.mark.parametrize("compression", ["snappy", "zstd"])
def test_scanner_finds_a_value_in_a_compressed_parquet_column(tmp_path, compression):
    needles = Needles([PLANTED])
    rows = DECOYS + [PLANTED] * 3 + [f"note: {PLANTED}!"]
    table = pa.table({"id": range(len(rows)), "text": rows,
                      "tags": [[r] for r in rows]})
    pq.write_table(table, tmp_path / "export.parquet", compression=compression)
    found = {f.where for f in scan_file(tmp_path / "export.parquet", needles)}
    assert {"parquet:text", "parquet:tags"} <= found
    pq.write_table(table.slice(0, len(DECOYS)), tmp_path / "clean.parquet",
                   compression=compression)
    assert not scan_file(tmp_path / "clean.parquet", needles)


def test_scanner_finds_a_value_duckdb_compresses(tmp_path):
    needles = Needles([PLANTED, "C00012345"])
    path = tmp_path / "wh.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        # Many near-identical strings: DuckDB stores the column FSST- or dictionary-compressed.
        con.register("rows", pa.table({"id": range(len(DECOYS) + 1),
                                       "comment": DECOYS + [f"call {PLANTED} back"],
                                       "customer": ["p_0"] * len(DECOYS) + ["C00012345"]}))
        con.execute("create table marts.fct as select * from rows")
        con.execute("checkpoint")
    found = {f.where: f.values for f in scan_file(path, needles)}
    assert found["duckdb:marts.fct.comment"] == {PLANTED.encode()}
    # FSST hides it from the bytes: why the scan reads the tables back.
    assert PLANTED.encode() not in found.get("bytes", set())
    assert found["duckdb:marts.fct.customer"] == {b"C00012345"}
    with duckdb.connect(str(path)) as con:
        con.execute("update marts.fct set comment = 'none', customer = 'p_1'")
        con.execute("checkpoint")
    assert not [f for f in scan_file(path, needles) if f.where != "bytes"]


def test_scanner_finds_a_value_in_sqlite_storage(tmp_path):
    needles = Needles([PLANTED])
    con = sqlite3.connect(tmp_path / "runs.db")
    con.execute("create table event_logs (id integer, event text)")
    con.executemany("insert into event_logs values (?, ?)",
                    [(i, "x" * 5000 + (PLANTED if i == 7 else "")) for i in range(20)])
    con.commit()
    con.close()
    found = {f.where for f in scan_file(tmp_path / "runs.db", needles)}
    assert "sqlite:event_logs.event" in found


def test_key_scan_finds_a_planted_key(tmp_path):
    key = "planted-key-0123456789"
    needles = Needles(key_forms(key))
    (tmp_path / "compute.err").write_text(f"env PARITY_PII_KEY={key}\n")
    (tmp_path / "b64.log").write_text(f"secret={base64.b64encode(key.encode()).decode()}\n")
    pad = bytes(b ^ 0x36 for b in key.encode().ljust(64, b"\0"))  # HMAC inner pad
    (tmp_path / "params.json").write_text('{"ipad": "' + pad.hex() + '"}')
    con = sqlite3.connect(tmp_path / "runs.db")
    con.execute("create table runs (run_body text)")
    con.execute("insert into runs values (?)", ["{'run_config': {'key': '" + key + "'}}"])
    con.commit()
    con.close()
    (tmp_path / "clean.log").write_text("key id 1a2b3c4d5e6f\n")
    found = {f.path.name for f in scan_tree([tmp_path], needles)[0]}
    assert found == {"compute.err", "b64.log", "params.json", "runs.db"}
