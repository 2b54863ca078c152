"""Pseudonymization: keyed, normalized, identical in Python and in DuckDB."""

from __future__ import annotations

import hashlib
import hmac
import logging

import duckdb
import pytest

from parity.ingest.pii import DEVELOPMENT_KEY, Pseudonymizer, normalize

VALUES = {
    "customer_phone": ["+1 (555) 443-5761", "555.443.5761", "5554435761", " +1-555-443-5761 "],
    "customer_email": [" Ana.Baker12@Example.com", "ana.baker12@example.com "],
    "agent_name": ["  Zoë   García ", "zoë garcía"],
    "customer_id": [" C00012345", "C00012345 "],
}


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_spellings_of_one_value_share_one_pseudonym(kind):
    p = Pseudonymizer(b"k")
    assert len({p.token(kind, v) for v in VALUES[kind]}) == 1


def test_token_is_an_hmac_of_the_normalized_value_under_the_key():
    p = Pseudonymizer(b"key-1")
    expected = hmac.new(b"key-1", b"customer_email:ana@example.com", hashlib.sha256)
    assert p.token("customer_email", "ANA@example.com ") == "p_" + expected.hexdigest()[:32]
    assert Pseudonymizer(b"key-2").token("customer_email", "ana@example.com") != \
        p.token("customer_email", "ana@example.com")
    assert normalize("customer_phone", "+44 20 7946 0958") == "442079460958"


@pytest.mark.parametrize("key", [b"short", b"x" * 100])
def test_duckdb_expression_matches_python(key):
    p = Pseudonymizer(key)
    con = duckdb.connect()
    for kind, values in VALUES.items():
        for v in values + ["Ünïcödé ß  x", "\t tab\n"]:
            sql = f"select {p.sql(kind, '$v')}"
            got = con.execute(sql, {**p.sql_parameters([kind]), "v": v}).fetchone()[0]
            assert got == p.token(kind, v), (kind, v)


def test_missing_key_warns_and_uses_the_labelled_development_key(monkeypatch, caplog):
    monkeypatch.delenv("PARITY_PII_KEY", raising=False)
    with caplog.at_level(logging.WARNING):
        p = Pseudonymizer()
    assert p.development and "DEVELOPMENT key" in caplog.text
    monkeypatch.setenv("PARITY_PII_KEY", "from-the-environment")
    q = Pseudonymizer()
    assert not q.development
    assert q.token("customer_id", "C1") != Pseudonymizer(DEVELOPMENT_KEY).token("customer_id",
                                                                                "C1")
    assert "from-the-environment" not in q.key_id
