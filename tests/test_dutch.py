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


def test_a_quarter_is_not_another_month_of_the_year():
    from assistant.dutch import find_dates, same_date
    q2, october, may = (find_dates(t)[0] for t in ("7,3% (Q2 2025)", "op 1 okt 2025 was", "in mei 2025 was"))
    assert q2.quarter == 2
    assert not same_date(q2, october)
    assert same_date(q2, may)


def test_a_figure_after_an_elided_verb_counts_its_own_subject():
    from assistant.measures import mentions
    found = mentions("Het personeelsverloop in de jeugdbescherming bedraagt 16% en het ziekteverzuim 7,6%.")
    assert [(m.value, m.label) for m in found] == [("16", None), ("7,6", "het ziekteverzuim")]
    # a series of the same measure keeps one subject
    series = mentions("Het aantal is toegenomen van 1.358 kinderen op 1 april 2025 naar 1.499 kinderen op 1 okt 2025.")
    assert all(m.label is None for m in series)


def test_the_date_of_an_old_value_is_not_the_new_values():
    from assistant.measures import mentions
    found = mentions("Het aantal aanbieders is gegroeid: van enkele honderden in 2015 naar zo'n 6.000 organisaties.")
    assert [(m.value, m.date) for m in found] == [("6.000", None)]
    other = mentions("Van 24 organisaties kwamen cijfers. Bij het merendeel is de wachtlijst gedaald sinds 2019.")
    assert other[0].date is None
