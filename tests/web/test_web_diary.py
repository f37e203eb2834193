"""The diary through HTTP: one-tap entries, edit and undo, retries, CSV, metrics, DST, access."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from pelvio.accounts.tables import User
from pelvio.diary import Bed, Drink, Event, Leak, Void, Wake, service
from pelvio.diary.tables import DiaryEntry
from tests.web.conftest import csrf_token, log_in

AMS = ZoneInfo("Europe/Amsterdam")


def _user(client: TestClient, email: str) -> User:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.email == email))
        assert isinstance(user, User)
        return user


def _count(client: TestClient, email: str, *, deleted: bool = False) -> int:
    user = _user(client, email)
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        query = select(func.count()).select_from(DiaryEntry).where(DiaryEntry.patient_id == user.id)
        if not deleted:
            query = query.where(DiaryEntry.deleted_at.is_(None))
        return db.scalar(query) or 0


def _seed(client: TestClient, email: str, events: list[Event]) -> None:
    user = _user(client, email)
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        service.add_entries(db, patient=user, events=events)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _mean(html: str, label: str) -> str:
    """The "Mean" cell of the metrics row called ``label``."""
    row = re.search(rf'<th scope="row">{re.escape(label)}<a.*?</tr>', html, re.S)
    assert row, f"no row {label!r}"
    cell = re.search(r'<td class="mean">(.*?)</td>', row.group(0), re.S)
    assert cell
    return cell.group(1).strip()


def worked_example(day: dt.date) -> list[Event]:
    """clinical.md §4: woman 70 y, 65 kg, bed 23:00, rise 07:00 (docs/diary.md, our reading)."""

    def at(clock: str, later: int = 0) -> dt.datetime:
        return dt.datetime.combine(
            day + dt.timedelta(days=later), dt.time.fromisoformat(clock), tzinfo=AMS
        )

    events: list[Event] = [Wake(time=at("07:00")), Void(time=at("07:00"), urgency=0, volume_ml=300)]
    for clock, ml, urgency in (
        ("10:00", 200, 3),
        ("13:00", 250, 0),
        ("16:00", 150, 0),
        ("19:00", 200, 0),
        ("22:45", 150, 0),
    ):
        events.append(Void(time=at(clock), urgency=urgency, volume_ml=ml))
    events.append(Leak(time=at("16:00"), amount="small", trigger="cough"))
    for clock, ml in zip(
        ("08:00", "10:30", "12:30", "15:00", "17:30", "19:30", "21:00"),
        (250, 200, 300, 250, 300, 250, 350),
        strict=True,
    ):
        events.append(Drink(time=at(clock), volume_ml=ml, kind="water"))
    events += [
        Bed(time=at("23:00")),
        Void(time=at("02:30", 1), urgency=0, volume_ml=250),
        Void(time=at("05:00", 1), urgency=0, volume_ml=200),
        Wake(time=at("07:00", 1)),
        Void(time=at("07:00", 1), urgency=0, volume_ml=350),
    ]
    return events


def test_a_preset_tap_adds_a_void_and_the_day_view_shows_it(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page = client.get("/diary")
    assert page.status_code == 200 and "<h1>Plasdagboek</h1>" in page.text
    assert 'aria-label="200 ml plassen"' in page.text
    before = _count(client, DEMO_PATIENT.email)
    token = csrf_token(client, "/diary")
    now = dt.datetime.now(AMS).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/diary/entries",
        data={
            "csrf_token": token,
            "client_id": str(uuid.uuid4()),
            "time": now,
            "time_auto": now,
            "urgency": "2",
            "add": "void:200",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    day = client.get(response.headers["location"])
    assert "Opgeslagen: Plas · 200 ml · matige aandrang" in _text(day.text)
    assert _count(client, DEMO_PATIENT.email) == before + 1
    assert "Vandaag" in client.get("/today").text
    assert re.search(r"<dt>Plassen</dt><dd>1</dd>", client.get("/today").text)


def test_edit_delete_and_undo(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/diary")
    added = client.post(
        "/diary/entries",
        data={
            "csrf_token": token,
            "client_id": str(uuid.uuid4()),
            "add": "drink:250",
            "kind": "thee",
            "time": "2026-01-10T10:00",
        },
        follow_redirects=False,
    )
    entry_id = re.search(r"added=([0-9a-f]{32})", added.headers["location"])
    assert entry_id
    entry = entry_id.group(1)

    edit = client.get(f"/diary/entries/{entry}")
    assert edit.status_code == 200 and 'value="2026-01-10T10:00"' in edit.text
    saved = client.post(
        f"/diary/entries/{entry}",
        data={"csrf_token": token, "time": "2026-01-10T10:30", "volume_ml": "330", "kind": "thee"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    day = client.get("/diary?day=2026-01-10")
    assert "10:30" in day.text and "Drinken · 330 ml · thee" in _text(day.text)

    deleted = client.post(
        f"/diary/entries/{entry}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    page = client.get(deleted.headers["location"])
    assert "Verwijderd: Drinken · 330 ml · thee om 10:30." in _text(page.text)
    assert f"/diary/entries/{entry}/restore" in page.text
    assert f'href="/diary/entries/{entry}"' not in page.text
    assert client.get(f"/diary/entries/{entry}").status_code == 404

    restored = client.post(
        f"/diary/entries/{entry}/restore", data={"csrf_token": token}, follow_redirects=False
    )
    assert f'href="/diary/entries/{entry}"' in client.get(restored.headers["location"]).text


def test_a_retry_with_the_same_client_id_adds_nothing(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/diary")
    before = _count(client, DEMO_PATIENT.email)
    body = {
        "client_id": str(uuid.uuid4()),
        "add": "leak:drops",
        "trigger": "sneeze",
        "time": "2026-01-11T09:15:00+01:00",
        "time_auto": "",
    }
    headers = {"X-CSRF-Token": token, "Accept": "application/json"}
    first = client.post("/diary/entries", data=body, headers=headers)
    second = client.post("/diary/entries", data=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["created"] is False
    assert first.json()["time"] == "2026-01-11T09:15:00+01:00"
    assert _count(client, DEMO_PATIENT.email) == before + 1
    refused = client.post(
        "/diary/entries",
        data={**body, "client_id": str(uuid.uuid4()), "add": "leak:lots"},
        headers=headers,
    )
    assert refused.status_code == 422 and refused.json()["field"] == "amount"


def test_without_a_csrf_token_nothing_is_stored(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    before = _count(client, DEMO_PATIENT.email)
    response = client.post("/diary/entries", data={"add": "pad"}, follow_redirects=False)
    assert response.status_code == 403
    assert _count(client, DEMO_PATIENT.email) == before


def test_a_bad_value_names_the_field_and_stores_nothing(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    before = _count(client, DEMO_PATIENT.email)
    response = client.post(
        "/diary/entries",
        data={"csrf_token": csrf_token(client, "/diary"), "add": "void", "void_ml": "2500"},
    )
    assert response.status_code == 422
    assert "Niet opgeslagen. Kijk naar ‘Hoeveelheid (ml)’" in response.text
    assert _count(client, DEMO_PATIENT.email) == before


CSV_HEADER = "time,event,volume_ml,urgency,amount,trigger,kind,bristol,note\n"


def test_csv_import_errors_name_line_and_field_and_import_nothing(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    before = _count(client, DEMO_PATIENT_2.email)
    text = (
        CSV_HEADER
        + "2025-05-01T07:00:00+02:00,wake,,,,,,,\n"
        + "2025-05-01T07:00:00+02:00,void,300,0,,,,,\n"
        + "2025-05-01T08:00:00+02:00,drink,0.25 l,,,,water,,\n"
        + "2025-05-01T09:00:00,void,200,0,,,,,\n"
    )
    response = client.post(
        "/diary/import",
        data={"csrf_token": csrf_token(client, "/diary/import")},
        files={"file": ("dagboek.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 422
    page = _text(response.text)
    assert "Er is niets ingelezen." in page
    assert "line 4, field volume_ml" in page and "line 5, field time" in page
    assert _count(client, DEMO_PATIENT_2.email) == before

    good = CSV_HEADER + "2025-05-01T07:00:00+02:00,wake,,,,,,,\n"
    ok = client.post(
        "/diary/import",
        data={"csrf_token": csrf_token(client, "/diary/import")},
        files={"file": ("dagboek.csv", good.encode(), "text/csv")},
    )
    assert ok.status_code == 200 and "1 regels ingelezen" in ok.text
    exported = client.get("/diary/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert "2025-05-01T07:00:00+02:00,wake" in exported.text


def test_the_metrics_page_shows_the_worked_example(client: TestClient) -> None:
    """clinical.md §4 worked example: every number as published, to the shown precision."""
    _seed(client, DEMO_PATIENT_2.email, worked_example(dt.date(2025, 6, 10)))
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    client.post(
        "/diary/profile",
        data={
            "csrf_token": csrf_token(client, "/diary/metrics"),
            "age_years": "70",
            "weight_kg": "65",
        },
    )
    page = client.get("/diary/metrics").text
    expected = {
        "Geplast in 24 uur": "1750 ml",
        "Geplast in de nacht": "800 ml",
        "Deel in de nacht (NPi)": "45,7 %",
        "Plassen overdag": "6",
        "Plassen 's nachts (nycturie)": "2",
        "Plassen in 24 uur": "8",
        "Grootste plas": "350 ml",
        "Gemiddelde plas": "218,75 ml",
        "Drinken": "1900 ml",
        "Urineverlies": "1",
        "Sterke aandrang": "1",
        "Nachtindex (Ni)": "2,286",
        "Verwachte nachtplassen (PNV)": "1,286",
        "Index blaasinhoud 's nachts (NBCI)": "0,714",
    }
    assert {label: _mean(page, label) for label in expected} == expected
    text = _text(page)
    assert "Nachtelijke polyurie (veel urine 's nachts): ja." in text
    assert "grens NPi > 33 % omdat leeftijd 70 is 65 of ouder (ICS)" in text.replace("&gt;", ">")
    assert "Polyurie over 24 uur (veel urine per dag): nee." in text
    assert "Grens 2600 ml" in text
    assert "Hashim H, et al. Neurourol Urodyn 2019;38:499–508" in text
    assert 'id="def-npi_pct"' in page


def test_a_dst_night_entered_on_the_web_gives_a_23_hour_period(client: TestClient) -> None:
    """The night of 29 to 30 March 2025 lost an hour in Amsterdam (ICS: FMV to FMV, stated)."""
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    token = csrf_token(client, "/diary")
    entries = [
        ("2025-03-29T07:00", "wake", {}),
        ("2025-03-29T07:00", "void:300", {}),
        ("2025-03-29T12:00", "drink:250", {"kind": "water"}),
        ("2025-03-29T13:00", "void:250", {}),
        ("2025-03-29T22:45", "void:150", {}),
        ("2025-03-29T23:00", "bed", {}),
        ("2025-03-30T03:30", "void:250", {}),
        ("2025-03-30T07:00", "wake", {}),
        ("2025-03-30T07:00", "void:350", {}),
    ]
    for time, add, extra in entries:
        response = client.post(
            "/diary/entries",
            data={
                "csrf_token": token,
                "client_id": str(uuid.uuid4()),
                "time": time,
                "add": add,
                **extra,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    skipped = client.post(
        "/diary/entries",
        data={
            "csrf_token": token,
            "client_id": str(uuid.uuid4()),
            "time": "2025-03-30T02:30",
            "add": "void:100",
        },
    )
    assert skipped.status_code == 422 and "Kijk naar ‘Tijd’" in skipped.text
    page = _text(client.get("/diary/metrics").text)
    assert "Periode 1 29-03 07:00 – 30-03 07:00 23 uur" in page
    # 250 + 150 + 250 + FMV 350; the day-1 FMV opens the period and is not in it (ICS 2019).
    assert "Geplast in 24 uur 1 1000 ml 1000 ml" in page  # mean, then period 1
    assert "duurt 23 uur omdat de klok verzet is" in page
    day = client.get("/diary?day=2025-03-30").text
    assert "de dag duurde 23 uur" in day


def test_another_patients_diary_is_not_found(client: TestClient) -> None:
    kees = _user(client, DEMO_PATIENT_2.email)
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        entry = db.scalar(select(DiaryEntry).where(DiaryEntry.patient_id == kees.id))
        assert entry is not None
        entry_id = entry.public_id
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/diary")
    assert client.get(f"/patients/{kees.public_id}/diary").status_code == 404
    assert client.get(f"/diary/entries/{entry_id}").status_code == 404
    deleted = client.post(f"/diary/entries/{entry_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 404
    assert _count(client, DEMO_PATIENT_2.email) == _count(
        client, DEMO_PATIENT_2.email, deleted=True
    )


def test_the_therapist_sees_the_metrics_and_bowel_summary(client: TestClient) -> None:
    anna, kees = _user(client, DEMO_PATIENT.email), _user(client, DEMO_PATIENT_2.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    page = client.get(f"/patients/{anna.public_id}/diary")
    assert page.status_code == 200
    assert "Dagboek van Anna Jansen" in page.text and "fv-chart" in page.text
    assert 'action="/diary/profile"' not in page.text
    bowel = _text(client.get(f"/patients/{kees.public_id}/diary").text)
    assert "Vergelijking met de Rome IV-criteria" in bowel and "Keer ontlasting 4" in bowel
    assert client.get("/diary").status_code == 403


def test_the_bowel_diary_and_the_rome_iv_check_as_advice(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    page = client.get("/diary/bowel")
    assert page.status_code == 200
    assert page.text.count('class="bristol"') == 7 and "Lewis & Heaton 1997" in page.text
    token = csrf_token(client, "/diary/bowel")
    added = client.post(
        "/diary/bowel",
        data={
            "csrf_token": token,
            "client_id": str(uuid.uuid4()),
            "bristol": "2",
            "straining": "1",
            "time": (dt.datetime.now(AMS) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    missing = client.post(
        "/diary/bowel", data={"csrf_token": token, "client_id": str(uuid.uuid4())}
    )
    assert missing.status_code == 422 and "Soort ontlasting" in missing.text
    checked = _text(
        client.post(
            "/diary/bowel/check",
            data={
                "csrf_token": token,
                "symptoms_3_months": "yes",
                "onset_6_months": "yes",
                "pain_with_bowel": "no",
            },
        ).text
    )
    assert "Dat is geen diagnose" in checked and "huisarts" in checked
