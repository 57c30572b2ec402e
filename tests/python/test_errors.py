"""Bad input gets a clear error that says what is wrong and where."""

from __future__ import annotations

import ospo
import pytest


def test_malformed_expression_says_where() -> None:
    with pytest.raises(ospo.ExpressionError) as e:
        ospo.check("MIT AND (GPL-2.0-only", "Apache-2.0")
    assert e.value.column == 9
    assert e.value.expression == "MIT AND (GPL-2.0-only"
    assert "never closed" in str(e.value) and "column 9" in str(e.value)
    assert isinstance(e.value, ospo.InputError) and isinstance(e.value, ospo.OspoError)


def test_misspelt_id_gets_the_closest() -> None:
    with pytest.raises(ospo.ExpressionError) as e:
        ospo.check("GPL-2.0-onyl", "Apache-2.0", strict=True)
    assert e.value.suggestion == "GPL-2.0-only"
    assert "did you mean 'GPL-2.0-only'?" in str(e.value)


def test_unknown_licence() -> None:
    with pytest.raises(ospo.UnknownLicenceError) as e:
        ospo.licence("GPL-3.0-onl")
    assert e.value.id == "GPL-3.0-onl" and e.value.suggestion == "GPL-3.0-only"
    assert "not on the SPDX licence list" in str(e.value)


def test_misspelt_outbound() -> None:
    with pytest.raises(ospo.ExpressionError) as e:
        ospo.check("MIT", "Apache-2.O")
    assert e.value.suggestion == "Apache-2.0" and e.value.expression == "Apache-2.O"


def test_unknown_use_lists_the_uses() -> None:
    with pytest.raises(ospo.InputError, match="unknown use 'linked': expected one of merged"):
        ospo.check("MIT", "Apache-2.0", use="linked")
    with pytest.raises(ospo.InputError, match="unknown use"):
        ospo.audit_environment(use="linked", path=[])


def test_no_inbound() -> None:
    with pytest.raises(ospo.InputError, match="no inbound licence"):
        ospo.check([], "MIT")
    with pytest.raises(ospo.InputError, match="expected an expression or a list"):
        ospo.check([1], "MIT")  # type: ignore[list-item]


def test_bad_preference_and_kind() -> None:
    with pytest.raises(ospo.InputError, match="weak-copyleft"):
        ospo.recommend("MIT", prefer="free")
    with pytest.raises(ospo.InputError, match="software or hardware"):
        ospo.recommend("MIT", kind="firmware")
