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


def test_announcements_and_their_timing_as_written():
    from assistant.dutch import announces, timing

    letter = (2025, 11)  # a letter of November 2025
    assert timing("We zullen uw Kamer in het voorjaar van 2026 informeren.", letter) == "in het voorjaar van 2026"
    assert timing("De wet treedt per 1 januari 2026 in werking.", letter) == "per 1 januari 2026"
    assert timing("Hierover gaan we op korte termijn in gesprek.", letter) == "op korte termijn"
    assert timing("De resultaten worden in de loop van 2022 gepubliceerd.", (2022, None)) == "in de loop van 2022"
    assert timing("In 2024 was dit 15,5 procent.", letter) is None  # the past is no promise
    assert timing("De IGJ voerde in de eerste helft van 2025 toezicht uit.", (2025, 9)) is None
    assert announces("We organiseren een ketensessie met gemeenten.", letter)
    assert announces("JZNL streeft ernaar het kader vast te stellen.", letter)
    assert not announces("De IJenV volgt de wachtlijstproblematiek bij de RvdK intensief.", (2022, None))


def test_figures_in_words_and_glued_to_a_word():
    from assistant.dutch import glued_numbers, word_figures

    found = word_figures("In Drenthe vertrok meer dan de helft, in Groningen een derde; Elf organisaties; binnen tien "
                         "dagen; half december")
    assert [(w, share) for _, _, w, share in found] == [("meer dan de helft", True), ("een derde", True),
                                                        ("Elf", False), ("tien", False)]
    found = word_figures("De jongeren verhuisden gemiddeld zes keer; sommigen zelfs tot twintig keer.")
    assert [w for _, _, w, _ in found] == ["gemiddeld zes", "tot twintig"]  # how exact it is, as written
    assert [w for _, _, w in glued_numbers("vanaf de start van de maatregel59 dagen, in Q2 2025")] == ["59"]
    # round numbers, how often, and the other half: they stand alone, what they count is around them
    found = word_figures("verstrekt tientallen van dit soort; van enkele honderden in 2015; toetst elk kwartaal; "
                         "De andere helft van de pleegouders; elk kind; hebben tweemaal zoveel kans om")
    assert [(w, alone) for _, _, w, alone in found] == [("tientallen", True), ("enkele honderden", True),
                                                        ("elk kwartaal", True), ("De andere helft", True),
                                                        ("tweemaal zoveel kans", True)]


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


def test_a_figure_takes_neither_its_date_nor_its_measure_from_the_sentence_before():
    from assistant.conflicts import same_measure
    from assistant.measures import mentions
    earlier, new = mentions("Dit is gedaald tot 12 kinderen in 2025. Het verloop daalde van 20% per jaar (medio 2022) "
                            "naar ongeveer 16% per jaar in de afgelopen jaren.")[1:]
    assert (earlier.date.text, new.date) == ("medio 2022", None)
    turnover, = mentions("Het personeelsverloop bij de GI's is al jaren hoog; in 2024 was dit 15,5 procent. "
                         "Het ziekteverzuim bedraagt 7,6%.")[:1]
    absence = mentions("Het personeelsverloop en ziekteverzuim bedroegen respectievelijk 16,7% en 7,3%.")[1]
    assert absence.label == "ziekteverzuim" and not same_measure(turnover, absence)
    # a sentence that leans on the one before takes what it counts from there
    leaning = mentions("Het personeelsverloop in de sector is hoog. Daarmee doen de GI's het beter (21%, Q2 2025).")[0]
    assert "personeelsverlop" in leaning.context()


def test_the_old_value_of_a_change_does_not_take_the_new_values_date():
    from assistant.measures import mentions
    found = mentions("De cijfers van de GI-monitor van 1 oktober 2025 (zie bijlage) laten een toename zien van 1.358 "
                     "naar 1.499 kinderen op de wachtlijst ten opzichte van peildatum 1 april 2025.")
    assert [(m.value, m.date and m.date.text) for m in found] == [("1.358", None), ("1.499", "1 oktober 2025")]
    dated = mentions("Het aantal is toegenomen van 1.358 kinderen op 1 april 2025 naar 1.499 kinderen op 1 okt 2025.")
    assert [m.date.text for m in dated] == ["1 april 2025", "1 okt 2025"]


def test_verb_forms_meet_their_infinitive_and_other_words_keep_apart():
    from assistant.dutch import STEMMER, stems
    assert stems("gehoord") == stems("horen")
    assert stems("vastgelopen") == stems("vastloopt")
    assert stems("ontbreekt") == stems("ontbreken")
    # the dictionary's other mappings would join what this domain keeps apart
    for word, other in (("meer", "veel"), ("ouder", "oud"), ("eerste", "één"), ("gevallen", "vallen")):
        assert STEMMER.stemWord(word) != STEMMER.stemWord(other)


def test_a_plural_in_z_or_v_meets_its_singular_in_s_or_f():
    from assistant.dutch import stems
    assert stems("verliezen") == stems("verlies") and stems("positieve") == stems("positief")
    assert stems("huizen") == stems("huis") and stems("reizen") == stems("reis")


def test_a_plural_in_ies_meets_its_singular_and_a_singular_in_ies_stays():
    from assistant.dutch import stems
    assert stems("moties") == stems("motie") and stems("inspecties") == stems("inspectie")
    assert stems("jeugdzorgorganisaties") == stems("jeugdzorgorganisatie")  # by its last part, "organisatie"
    assert stems("inkomenscategorieën") == stems("inkomenscategorie")
    assert {stems(w)[0] for w in ("verlies", "advies", "netvlies")} == {"verlies", "advies", "netvlies"}


def test_a_question_in_the_plural_finds_the_sections_named_in_the_singular(assistant):
    from assistant.retrieval import retrieve
    # the letter's sections "4 ii. Motie lid Bruyning ..." and "4 iii. Motie over ..."
    sections = [p.chunk.section for p in retrieve(assistant.index, "Welke moties bespreekt de Kamerbrief?", 8).passages]
    assert sum(s.startswith(("4 ii. Motie", "4 iii. Motie")) for s in sections) == 2


def test_the_lexical_index_stems_as_the_comparisons_do(assistant):
    from assistant.dutch import stems
    # the documents write "vastloopt" and "vastgelopen": the lexical index holds them as the one stem
    assert set(stems("vastgelopen")) <= set(assistant.index.bm25.bm25.vocab_dict)


def test_a_decimal_with_thousands_has_one_spelling():
    from assistant.dutch import canonical_number

    assert canonical_number("2.740,9") == canonical_number("2740,9") == "2740.9"
    assert canonical_number("1.499") == "1499" and canonical_number("16,7") == "16.7"


def test_an_elided_compound_is_read_in_full():
    from assistant.dutch import spelled_out, stems

    assert spelled_out("instellingen voor jeugdbescherming en -reclassering") == \
        "instellingen voor jeugdbescherming en jeugdreclassering"
    assert set(stems("jeugdreclassering")) <= set(stems("alle 13 instellingen voor jeugdbescherming en -reclassering"))
    assert spelled_out("JB Brabant en -Gelderland") == "JB Brabant en -Gelderland"  # names stay as written


def test_a_past_tense_is_told_from_participles_and_adjectives():
    from assistant.dutch import past_tense

    assert past_tense("volgde") and past_tense("vonden")
    assert not any(past_tense(w) for w in ("gesloten", "passende", "kinderen", "jeugdzorg", "wachten"))


def test_pronominal_adverbs_name_nothing():
    from assistant.dutch import stems

    assert stems("wat daarop volgde en waarvan") == stems("wat volgde en")


def test_an_abbreviation_in_the_plural_is_what_is_counted():
    from assistant.measures import mentions

    assert [(m.value, m.unit) for m in mentions("In 2021 voldeden 4 GI’s niet aan de normen.")] == [("4", "GI’s")]


def test_a_promise_needs_someone_who_promises():
    from assistant.dutch import announces

    assert announces("Het ministerie zal komende tijd met betrokken organisaties een verkenning uitvoeren.")
    assert announces("Om meer aanmeldingen te krijgen wordt de campagne aangepast in het eerste kwartaal van 2026.", (2025, 11))
    assert not announces("Dat is de omfloerste term voor het besluit waar het kind zal opgroeien.")
    # what a government does, in the present or the future passive; not an infinitive after "te"
    assert announces("Daarom evalueert JZNL de Handreiking samenwerkingsafspraken, met financiering van VWS en JenV.")
    assert announces("In het kader van het Toekomstscenario zal het certificeringssysteem worden herzien.")
    assert announces("Daarnaast gaat de Nederlandse Zorgautoriteit (NZa) stelselonderzoek uitvoeren.")
    assert not announces("Gemeenten melden dat langdurige trajecten moeilijk te financieren zijn.")
    assert not announces("Binnen de jeugdbescherming gaat het vooral om het inschatten of de ontwikkeling van het kind ernstig wordt bedreigd.")
    assert not announces("Er is sprake van wachtlijsten, terwijl in de tussentijd weinig ondersteuning wordt ingezet.")


def test_a_word_shares_a_compound_part_only_with_a_long_enough_part_that_says_what_it_is():
    from assistant.dutch import compound_words, shares_part

    assert shares_part("personeelsverloop", compound_words("Het verloop is hoog"))
    assert shares_part("jeugdbescherming", compound_words("veertien jeugdbeschermingsorganisaties"))
    assert shares_part("geweld", compound_words("incidenten met wapengeweld"))
    assert shares_part("ziekteverzuim", compound_words("het verzuim is hoog"))
    # the first part only says what kind: a sentence on "gezin" is not about gezinshuizen
    assert not shares_part("gezinshuizen", compound_words("kinderen en hun gezin"))
    assert not shares_part("personeelsverloop", compound_words("Landelijk verlies van personeel"))
    assert not shares_part("jeugdzorg", compound_words("de zorg voor kinderen"))  # "zorg" says too little
    assert not shares_part("organisatie", compound_words("organisaties"))  # an inflection, which the stem covers


def test_counts_in_words_up_to_ninety_and_a_half_year_are_figures():
    from assistant.dutch import FIGURE_IN_TEXT, word_figures

    found = [written for _, _, written, _ in word_figures("Na achttien maanden onderzoek, binnen een half jaar.")]
    assert found == ["achttien", "een half jaar"]
    assert FIGURE_IN_TEXT.search("zestig kinderen") and not FIGURE_IN_TEXT.search("één plan")
    assert FIGURE_IN_TEXT.search("toetst iedere vier jaar") and not FIGURE_IN_TEXT.search("elk kind")


def test_a_preposition_is_no_unit_and_a_decade_no_count():
    from assistant.dutch import find_dates, word_figures
    from assistant.measures import mentions

    assert [m.unit for m in mentions("De kliniek telt 25 plaatsen; daarvan staan er 12 onder toezicht.")] == ["plaatsen", ""]
    assert word_figures("In de jaren tachtig en negentig leidde kritiek tot een herinrichting") == []
    # a year after the report it dates is a date ("Evaluatierapport 2022"); "2022 kinderen" would count
    assert [d.text for d in find_dates("Evaluatierapport 2022 concludeert dat de wet van 2015 …")] == ["2022", "2015"]


def test_a_multiplier_is_part_of_the_number_not_what_it_counts():
    from assistant.measures import mentions, unit_after

    text = "In die groeikernen wonen ruim één miljoen Nederlanders."
    start = text.index("één") + len("één")
    assert unit_after(text, start) == ("miljoen Nederlanders", text.index("."))
    assert [(m.unit, m.written()) for m in mentions("Gemeenten gaven 4 miljard euro uit.")] == [("miljard euro", "4 miljard euro")]
    assert [m.unit for m in mentions("Het tekort loopt op tot circa 10 miljard in 2028.")] == ["miljard"]


def test_a_sentence_opening_with_a_relative_adverb_leans_on_the_one_before():
    from assistant.dutch import leans_back

    # "Veiligheid is een containerbegrip. Waardoor er 40 werkwijzen zijn": what the 40 are about stands before
    assert leans_back("Waardoor er 40 werkwijzen zijn, met enorme verschillen in interpretaties.")
    assert leans_back("Waarmee de helft van de kinderen langer wacht.")
    # a question or another word that opens with the same letters leans on nothing
    assert not leans_back("Waarom de omgeving geen signalen geeft of meldt.") and not leans_back("Wat doen de inspecties?")
    assert not leans_back("Waterschappen en gemeenten werken samen.")


def test_two_adjectives_may_stand_before_what_is_counted():
    from assistant.measures import mentions

    found = mentions("Bij 4 van de 5 bezochte gecertificeerde instellingen zien de inspecties een wijze van bestuur die voldoet.")
    assert [m.unit for m in found] == ["", "bezochte gecertificeerde instellingen"]


def test_an_item_of_a_list_of_measures_is_announced_in_whatever_words():
    from assistant.dutch import announced_where, announces

    letter = ("Deze aanpak behelst het volgende:\n· De GI’s ontwikkelen verbetervoorstellen.\n"
              "· Accounthoudende wethouders nemen de bevindingen mee. Gemeenten bespreken dat ook.\n"
              "· In 2019 stelden de GI’s een plan op.\n\nDe inspecties zien het volgende:\n· De GI’s ontwikkelen zich.\n")
    assert not announces("De GI’s ontwikkelen verbetervoorstellen.")  # on its own, a present tense tells no plan
    def at(sentence: str) -> tuple[int, int]:
        start = letter.index(sentence)
        return start, start + len(sentence)

    assert announced_where(letter, *at("De GI’s ontwikkelen verbetervoorstellen."), "1.2 Aanpak", (2025, 11))
    assert announced_where(letter, *at("Gemeenten bespreken dat ook."), "1.2 Aanpak", (2025, 11))  # the item's second sentence too
    assert not announced_where(letter, *at("In 2019 stelden de GI’s een plan op."), "1.2 Aanpak", (2025, 11))  # dated before the letter
    assert not announced_where(letter, *at("De GI’s ontwikkelen zich."), "1.2 Aanpak", (2025, 11))  # a list of findings
    assert not announced_where(letter, *at("Deze aanpak behelst het volgende:"), "1.2 Aanpak", (2025, 11))  # the introduction is no item


def test_a_section_that_asks_what_someone_does_announces_it():
    from assistant.dutch import announced_where

    report = "Op basis van deze update initiëren de inspecties een bestuurlijk overleg. In 2021 spraken zij de regio’s aan."
    first = report.index(" In")
    assert announced_where(report, 0, first, "Wat doen de inspecties?", (2022, None))
    assert not announced_where(report, 0, first, "Wat de inspecties zagen", (2022, None))
    assert not announced_where(report, first + 1, len(report), "Wat doen de inspecties?", (2022, None))  # dated before the report


def test_what_another_party_expects_or_found_and_a_question_are_no_announcements():
    from assistant.dutch import announces

    letter = (2025, 11)
    assert not announces("De Vereniging van Nederlandse Gemeenten verwacht dat gemeenten in 2028 circa 10 miljard euro kwijt zijn.", letter)
    assert not announces("De inspecties vertrouwen er niet op dat de GI alle afwijkingen op korte termijn zal weten op te heffen.", letter)
    assert not announces("Onderzoek toont dat slechts 5-33% van de kinderen er op korte termijn op vooruitgaat.", letter)
    assert not announces("Waarom zetten we zo veel meer in op aanpak kindermishandeling dan op ouderenmishandeling?", letter)
    assert not announces("De inspecties benadrukken dat de verbeterplannen niet zullen leiden tot het wegnemen van de oorzaken.", letter)
    # a vague time alone foresees; with someone who acts, or a plan in the passive, it announces
    assert not announces("Het tekort aan medewerkers is en blijft de komende jaren een belangrijke uitdaging.", letter)
    assert announces("De IGJ blijft dit de komende tijd volgen.", letter)
    assert announces("Daartoe worden de komende periode verdiepende gesprekken georganiseerd.", letter)
    # what the writers themselves expect or plan still is
    assert announces("We verwachten dat het wetsvoorstel in het voorjaar van 2026 naar de Kamer gaat.", letter)
    assert announces("We zullen uw Kamer in het voorjaar van 2026 informeren over de veranderstrategie.", letter)


def test_in_a_collection_of_what_others_say_a_we_promises_nothing():
    from assistant.dutch import announces

    for sentence in ("We maken het moeilijk voor organisaties om samen te werken.", "We zullen naar de totale context moeten kijken."):
        assert announces(sentence) and not announces(sentence, quoted=True)
    assert announces("Het ministerie zal komende tijd met betrokken organisaties scenario's bespreken.", quoted=True)

