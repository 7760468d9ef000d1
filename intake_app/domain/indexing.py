"""What a case is found by: normalized terms for exact look-ups and text for substring search."""

from __future__ import annotations

import re
import unicodedata

from intake_app.domain.identifiers import (
    check_phone,
    normalize_account,
    normalize_identifier,
    to_ascii,
)
from intake_app.domain.model import CaseReport, Person


def _name_term(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _person_terms(person: Person) -> list[tuple[str, str]]:
    terms = []
    if person.name.strip():
        terms.append(("name", _name_term(person.name)))
    if person.id_number.strip():
        terms.append(("id_number", to_ascii(person.id_number).replace(" ", "").upper()))
    if person.phone.strip():
        terms.append(("phone", check_phone(person.phone).normalized))
    return terms


def search_terms(report: CaseReport) -> list[tuple[str, str]]:
    """(kind, normalized term) pairs, without duplicates, in a stable order."""
    terms = _person_terms(report.reporter)
    if report.victim is not None:
        terms += _person_terms(report.victim)
    for tx in report.transactions:
        for kind, value in (
            ("payee_account", tx.payee_account),
            ("payer_account", tx.payer_account),
            ("serial_no", tx.serial_no),
        ):
            if value.strip():
                terms.append((kind, normalize_account(value)))
        if tx.payee_name.strip():
            terms.append(("name", _name_term(tx.payee_name)))
    for ident in report.identifiers:
        if ident.value.strip():
            terms.append((ident.kind, normalize_identifier(ident.kind, ident.value)))
    seen: set[tuple[str, str]] = set()
    unique = []
    for kind, term in terms:
        if term and (kind, term) not in seen:
            seen.add((kind, term))
            unique.append((kind, term))
    return unique


def query_terms(query: str) -> list[str]:
    """The normalized forms a typed query may take, to look up in the term index."""
    q = query.strip()
    if not q:
        return []
    plain = to_ascii(q)
    forms = {_name_term(q), plain.replace(" ", "").upper(), normalize_account(q)}
    # Skip the forms a query cannot take (each normalizer costs microseconds, typed queries
    # are searched on every keystroke).
    if any(ch in _ASCII_DIGITS for ch in plain):
        phone = check_phone(q)
        if phone.error is None:
            forms.add(phone.normalized)
    # email and alipay forms are always the phone form or the wechat form: no need to compute.
    # The url form differs from the wechat form only around punctuation ("." "/" "@" "?" ...).
    kinds = ("url", "wechat", "app") if _PUNCTUATION.search(plain) else ("wechat", "app")
    for kind in kinds:
        forms.add(normalize_identifier(kind, q))
    return sorted(f for f in forms if f)


_ASCII_DIGITS = frozenset("0123456789")
_PUNCTUATION = re.compile(r"[^\w\s]")


def fts_fields(report: CaseReport) -> tuple[str, str, str]:
    """(names, narrative, identifiers) text for the trigram index."""
    people = [report.reporter] + ([report.victim] if report.victim is not None else [])
    names = [p.name for p in people] + [t.payee_name for t in report.transactions]
    narrative = "\n".join(
        part for part in (report.incident.narrative, report.incident.place) if part
    )
    idents: list[str] = []
    for p in people:
        idents += [p.id_number, p.phone]
    for t in report.transactions:
        idents += [t.payee_account, t.payer_account, t.serial_no, t.payee_bank]
    for i in report.identifiers:
        idents += [i.value, normalize_identifier(i.kind, i.value), i.note]
    return (
        " ".join(n for n in names if n),
        narrative,
        " ".join(v for v in idents if v),
    )
