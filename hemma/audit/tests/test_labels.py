"""Each kind of recorded value as a person reads it (hemma.audit.labels)."""

from decimal import Decimal

from django.utils import translation

from hemma.audit.labels import change_lines, field_label, value_text
from hemma.followup.models import Assessment, Measurement, ReportingLink, Round


def test_fields_read_by_their_verbose_name_or_the_explicit_label():
    assert field_label(Round, "state") == "State"
    assert field_label(ReportingLink, "revoked_at") == "Revoked"
    assert field_label(Measurement, "number") == "Value"
    # Not a field, or a field without a translated name: the explicit map
    assert field_label(Round, "reason") == "Reason"
    assert field_label(Assessment, "municipality") == "Municipality"


def test_values_read_by_their_kind():
    number = Measurement._meta.get_field("number")
    done_on = Measurement._meta.get_field("done_on")
    revoked = ReportingLink._meta.get_field("revoked_at")
    assert value_text("3.00", number) == "3"
    assert value_text(2.5, number) == "2.5"
    assert value_text(Decimal("12.50")) == "12.5"
    assert value_text(True) == "Yes" and value_text(False) == "No"
    assert value_text("approved", Round._meta.get_field("state")) == "Approved and locked"
    assert value_text("2024-05-02", done_on) == "May 2, 2024"
    # Stored in UTC, read in Helsinki time
    assert value_text("2026-11-28 01:37:10.012830+00:00", revoked) == "Nov. 28, 2026, 3:37 a.m."
    assert value_text(["sv", "ar"], name="languages") == "Swedish, Arabic"
    assert value_text("598", name="municipality", municipalities={"598": "Jakobstad"}) == (
        "Jakobstad"
    )
    assert value_text(None) == value_text("") == value_text([]) == "—"


def test_choices_read_in_the_active_language():
    with translation.override("sv"):
        lines = change_lines(
            Measurement,
            {"status": ["met", "partly_met"], "source": [None, "file"]},
            language="sv",
        )
    assert [(line.label, line.old, line.new) for line in lines] == [
        ("Status", "Uppfyllt", "Delvis uppfyllt"),
        ("Källa", "—", "Importerat från en fil"),
    ]
