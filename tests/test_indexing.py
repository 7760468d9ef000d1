"""A value typed into search finds the term stored for it, whatever kind it was stored as."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.domain.identifiers import IDENTIFIER_KINDS, normalize_account, normalize_identifier
from intake_app.domain.indexing import query_terms

VALUES = st.text(
    alphabet=string.ascii_letters + string.digits + "@.-_ +:/?#%&=~王芳１２．＠＋",
    min_size=1,
    max_size=24,
)


@settings(max_examples=400)
@given(kind=st.sampled_from(sorted(IDENTIFIER_KINDS)), value=VALUES)
def test_an_identifier_is_found_by_its_value_as_typed(kind, value):
    stored = normalize_identifier(kind, value)
    if stored:
        assert stored in query_terms(value)


@given(value=VALUES)
def test_an_account_is_found_by_its_value_as_typed(value):
    stored = normalize_account(value)
    if stored:
        assert stored in query_terms(value)


def test_a_wechat_id_with_digits_does_not_search_its_digits_as_a_phone():
    assert "37629" not in query_terms("mktci37629")
    assert "13005185335" in query_terms("+86 130 0518 5335")
