"""Chinese citation conventions for sphinxcontrib-bibtex.

* In the text: 王磊（2021） and （王磊，2021；谷成 等，2017）.
* In bibliographies: each study is labelled with the review's reference number
  (taken from the "综述参考文献[n]" note in references.bib), so labels are
  unique across the book and match the numbers the review prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sphinxcontrib.bibtex.plugin
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import join, node, sentence
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

REVIEW_NUMBER = re.compile(r"综述参考文献\[(\d+)\]")


def review_number(entry) -> int:
    """The review's reference number of a study; 0 for the review itself."""
    found = REVIEW_NUMBER.search(entry.fields.get("note", ""))
    return int(found.group(1)) if found else 0


class ReviewNumberLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield str(review_number(entry) or "综述")


class ReviewNumberSorting(BaseSortingStyle):
    def sorting_key(self, entry):
        return review_number(entry)


@node
def chinese_names(children, context, role):
    """Names joined with 、; a trailing "others" becomes 等."""
    persons = context["entry"].persons[role]
    style = context["style"]
    named = [style.format_name(p, style.abbreviate_names) for p in persons if str(p) != "others"]
    text = join(sep="、")[named].format_data(context)
    return Text(text, " 等") if len(named) < len(persons) else text


class PairingBibliographyStyle(PlainStyle):
    default_label_style = "review_number"
    default_sorting_style = "review_number"

    def format_names(self, role, as_sentence=True):
        formatted = chinese_names(role)
        return sentence[formatted] if as_sentence else formatted


def _round_brackets() -> BracketStyle:
    return BracketStyle(left="（", right="）", sep="；", sep2="；", last_sep="；")


def _chinese_persons() -> PersonStyle:
    return PersonStyle(style="last", abbreviate=False, sep="、", sep2="、", last_sep="、", other=" 等")


@dataclass
class ChineseAuthorYearStyle(AuthorYearReferenceStyle):
    bracket_textual: BracketStyle = field(default_factory=_round_brackets)
    bracket_parenthetical: BracketStyle = field(default_factory=_round_brackets)
    bracket_author: BracketStyle = field(default_factory=_round_brackets)
    bracket_label: BracketStyle = field(default_factory=_round_brackets)
    bracket_year: BracketStyle = field(default_factory=_round_brackets)
    person: PersonStyle = field(default_factory=_chinese_persons)
    author_year_sep: str = "，"
    text_reference_sep: str = ""


def setup(app):
    register_plugin("pybtex.style.labels", "review_number", ReviewNumberLabels)
    register_plugin("pybtex.style.sorting", "review_number", ReviewNumberSorting)
    register_plugin("pybtex.style.formatting", "pairing", PairingBibliographyStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_zh", ChineseAuthorYearStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
