"""Shared links: stable values pin the view; older label links still work; anything else falls
back with a notice that quotes the link as plain text."""

from __future__ import annotations

from loverboy_stats.views.links import link_parameters, resolve

LEVELS = {"gemeente": "Gemeente", "jeugdregio": "Jeugdregio", "provincie": "Provincie"}


def test_a_stable_value_and_an_old_label_both_find_the_option():
    options = list(LEVELS)
    assert resolve({"niveau": "provincie"}, "niveau", options, LEVELS, "gemeente").option == (
        "provincie"
    )
    old = resolve({"niveau": "Jeugdregio"}, "niveau", options, LEVELS, "gemeente")
    assert old.option == "jeugdregio" and old.notice == ""


def test_an_absent_parameter_is_the_default_without_a_notice():
    choice = resolve({"jaar": "2024"}, "niveau", list(LEVELS), LEVELS, "gemeente")
    assert choice.option == "gemeente" and choice.notice == ""


def test_a_value_that_is_not_there_names_itself_and_what_is_shown_instead():
    choice = resolve({"niveau": ["Gemeente", "Wijk"]}, "niveau", list(LEVELS), LEVELS, "gemeente")
    assert choice.option == "gemeente"
    assert choice.notice == (
        "In de link staat voor regioniveau 'Wijk'; die keuze is er hier niet, dus ziet u "
        "'Gemeente'."
    )


def test_years_are_matched_as_text():
    years = [2024, 2023]
    labels = {y: str(y) for y in years}
    assert resolve({"jaar": "2023"}, "jaar", years, labels, 2024).option == 2023


def test_a_dataset_is_found_by_its_number_only_never_by_a_reused_name():
    labels = {"7": "Haaglanden 2023", "demo": "Voorbeelddataset (fictieve voorbeeldcijfers)"}
    options = list(labels)
    assert resolve({"dataset": "7"}, "dataset", options, labels, "7").option == "7"
    by_name = resolve({"dataset": "Haaglanden 2023"}, "dataset", options, labels, "demo")
    assert by_name.option == "demo"
    gone = resolve({"dataset": "12"}, "dataset", options, labels, "demo")
    assert gone.option == "demo"
    assert gone.notice.startswith(
        "De link wijst naar dataset nummer '12', maar die bestaat hier niet (meer) of u mag "
        "hem niet zien. U ziet nu 'Voorbeelddataset (fictieve voorbeeldcijfers)'"
    )


def test_every_choice_is_written_including_defaults():
    assert link_parameters({"dataset": "demo", "jaar": 2024, "gebied": "GM0363"}) == {
        "dataset": "demo",
        "jaar": "2024",
        "gebied": "GM0363",
    }
