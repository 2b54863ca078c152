"""Customer identities derived from a customer number, so none is ever stored.

Each customer number always yields the same id, phone and email, but the CRM writes the same
phone or email in several formats (and with stray spaces and capitals), as real exports do:
the pseudonymizer must normalize before hashing to map one person to one pseudonym.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_FIRST = ("ana", "ben", "chloe", "dmitri", "elena", "farah", "gustavo", "hana", "ibrahim",
          "jade", "kofi", "lena", "marco", "nadia", "omar", "priya", "quinn", "rosa", "sven",
          "tariq", "uma", "victor", "wen", "ximena", "yusuf", "zoe")
_LAST = ("abbott", "baker", "castillo", "dubois", "evans", "fischer", "garcia", "haddad", "ito",
         "jensen", "kowalski", "lopez", "mensah", "nguyen", "obrien", "patel", "quintero",
         "rossi", "schmidt", "tanaka", "umar", "varga", "weber", "xu", "yilmaz", "zimmermann")
_DOMAINS = ("example.com", "mail.example.org", "inbox.example.net")


def padded(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded number, e.g. ``padded("C", [7], 8)`` -> ``C00000007``."""
    digits = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def customer_ids(customer: np.ndarray) -> pa.Array:
    ids = padded("C", np.maximum(customer, 0), 8)
    return pc.if_else(pa.array(customer < 0), pa.scalar(None, pa.string()), ids)


def phones(customer: np.ndarray, style: np.ndarray) -> pa.Array:
    """One North-American number per customer, in one of four written styles."""
    d = pc.utf8_lpad(pa.array((customer * 2654435761) % 10**7).cast(pa.string()), 7, "0")
    a, b = pc.utf8_slice_codeunits(d, 0, 3), pc.utf8_slice_codeunits(d, 3, 7)
    styles = [
        pc.binary_join_element_wise("+1 (555) ", a, "-", b, ""),
        pc.binary_join_element_wise("555.", a, ".", b, ""),
        pc.binary_join_element_wise("555", a, b, ""),
        pc.binary_join_element_wise(" +1-555-", a, "-", b, " ", ""),
    ]
    return _pick(styles, style)


def emails(customer: np.ndarray, style: np.ndarray) -> pa.Array:
    first = np.array(_FIRST)[customer % len(_FIRST)]
    last = np.array(_LAST)[(customer // len(_FIRST)) % len(_LAST)]
    domain = np.array(_DOMAINS)[customer % len(_DOMAINS)]
    number = (customer % 1000).astype(str)
    plain = pc.binary_join_element_wise(first, ".", last, number, "@", domain, "")
    styles = [plain, plain, pc.utf8_upper(plain),
              pc.binary_join_element_wise(" ", pc.utf8_capitalize(plain), " ", "")]
    return _pick(styles, style)


def _pick(styles: list[pa.Array], style: np.ndarray) -> pa.Array:
    out = styles[0]
    for k in range(1, len(styles)):
        out = pc.if_else(pa.array(style == k), styles[k], out)
    return out
