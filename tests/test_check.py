"""The shared input checks and the insert-once helper."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pelvio._check import check_uuid
from pelvio.accounts.tables import Clinic
from pelvio.db import insert_once
from pelvio.errors import InputError


def test_check_uuid_canonicalises_and_names_the_field() -> None:
    assert check_uuid("client_id", "6B1E6F5E3C1A4D8E9A552F0D6C9E7A41") == (
        "6b1e6f5e-3c1a-4d8e-9a55-2f0d6c9e7a41"
    )
    for bad in ("", "not-a-uuid", None, 12):
        with pytest.raises(InputError, match="client_id must be a UUID") as info:
            check_uuid("client_id", bad)
        assert info.value.field == "client_id"


def test_insert_once_returns_the_row_that_won(db: Session) -> None:
    first, created = insert_once(db, Clinic(public_id="a" * 32, name="first"), lambda: None)
    assert created

    def find() -> Clinic | None:
        return db.scalar(select(Clinic).where(Clinic.public_id == "a" * 32))

    again, created_again = insert_once(db, Clinic(public_id="a" * 32, name="retry"), find)
    assert not created_again
    assert again.id == first.id and again.name == "first"


def test_insert_once_reraises_a_clash_it_cannot_explain(db: Session) -> None:
    insert_once(db, Clinic(public_id="b" * 32, name="one"), lambda: None)
    with pytest.raises(IntegrityError):
        insert_once(db, Clinic(public_id="b" * 32, name="two"), lambda: None)
