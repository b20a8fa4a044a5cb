"""Dutch dates as documents and users write them, in the manifest's form."""
import pytest

from assistant.dutch import first_date, manifest_date


@pytest.mark.parametrize("text,expected", [
    ("Den Haag, 25 september 2025", "2025-09-25"),
    ("Datum november 2025, kenmerk 12345", "2025-11"),
    ("peildatum 1 okt. 2025", "2025-10-01"),
    ("31 februari 2025 bestaat niet, 3 mei 2024 wel", "2024-05-03"),
    ("geen datum, alleen 2025", None),
])
def test_first_date(text, expected):
    assert first_date(text) == expected


@pytest.mark.parametrize("value,expected", [
    ("2025-09-25", "2025-09-25"), ("2025-09", "2025-09"), ("2025", "2025"), ("25-09-2025", "2025-09-25"),
    ("9/2025", "2025-09"), ("25 september 2025", "2025-09-25"), ("November 2025", "2025-11"), ("1 okt 2025", "2025-10-01"),
    ("2025-13", None), ("2025-02-30", None), ("morgen", None), ("", None),
])
def test_manifest_date(value, expected):
    assert manifest_date(value) == expected
