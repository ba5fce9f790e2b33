"""Chinese citation conventions for sphinxcontrib-bibtex.

* In the text: 王磊（2021） and （王磊，2021；谷成 等，2017）.
* In bibliographies: each study is labelled with the review's reference number
  (taken from the "综述参考文献[n]" note in references.bib), so labels are
  unique across the book and match the numbers the review prints.
* Entries follow GB/T 7714-2015: ``作者. 题名[J]. 刊名, 年, 卷(期): 起止页码.``,
  at most three names then "等". The English working tags that references.bib
  keeps for maintainers ("unverified") are dropped from the reader's text:
  the Chinese note beside them already says what is unverified.
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
from pybtex.style.template import field as bib_field  # not dataclasses.field, used below
from pybtex.style.template import first_of, join, node, optional, sentence
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

REVIEW_NUMBER = re.compile(r"综述参考文献\[(\d+)\]")
MAINTAINER_TAG = re.compile(r"\s*[（(]\s*unverified\s*[)）]", re.IGNORECASE)
MAX_NAMES = 3  # GB/T 7714-2015 8.1.2: list the first three, then 等


def reader_note(note: str) -> str:
    """The note as a reader sees it: maintainers' English tags dropped, a Chinese full stop at the end."""
    note = MAINTAINER_TAG.sub("", note).strip().rstrip("。.")
    return f"{note}。" if note else ""


def gbt_pages(pages) -> Text:
    """BibTeX's ``52--65`` (decoded to an en dash) as GB/T 7714 writes it: ``52-65``."""
    return Text(re.sub(r"\s*[-–—]+\s*", "-", str(pages)))


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
    """GB/T 7714 names: ``甲, 乙, 丙, 等``; "others", a fourth name or a literal "某某 等" becomes ", 等"."""
    persons = context["entry"].persons[role]
    style = context["style"]
    named = [style.format_name(p, style.abbreviate_names).format_data(context).render_as("text")
             for p in persons if str(p) != "others"]
    more = len(named) < len(persons) or len(named) > MAX_NAMES
    named = named[:MAX_NAMES]
    if named and named[-1].endswith(" 等"):
        named[-1], more = named[-1][: -len(" 等")], True
    return Text(", ".join(named + (["等"] if more else [])))


@node
def reader_note_field(children, context):
    note = context["entry"].fields.get("note", "")
    return Text(reader_note(note))


class PairingBibliographyStyle(PlainStyle):
    default_label_style = "review_number"
    default_sorting_style = "review_number"

    def format_names(self, role, as_sentence=True):
        formatted = chinese_names(role)
        return sentence[formatted] if as_sentence else formatted

    def get_article_template(self, e):
        issue = join[bib_field("year"), optional[", ", bib_field("volume")], optional["(", bib_field("number"), ")"],
                     optional[": ", bib_field("pages", apply_func=gbt_pages)]]
        return join(sep=" ")[
            self.format_names("author"),
            sentence[join[bib_field("title"), "[J]"]],
            sentence[join(sep=", ")[bib_field("journal"), issue]],
            reader_note_field,
        ]

    def get_misc_template(self, e):
        # howpublished, when known, already holds the journal, year and pages (e.g. 《刊名》 2017(4): 43--61)
        return join(sep=" ")[
            optional[self.format_names("author")],
            optional[sentence[join[bib_field("title"), "[Z]"]]],
            sentence[first_of[optional[bib_field("howpublished", apply_func=gbt_pages)], bib_field("year")]],
            reader_note_field,
        ]


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


def anchor_of(label: str) -> str:
    """The stable anchor of a bibliography entry: ``ref-12`` for the review's reference [12], ``ref-review`` for
    the review itself (links such as the evidence map's point at it; the ids Sphinx gives are positional)."""
    return f"ref-{label}" if label.isdigit() else "ref-review"


def _stable_anchors(app, doctree, docname) -> None:
    from docutils import nodes

    for citation in doctree.findall(nodes.citation):
        labels = list(citation.findall(nodes.label))
        if labels:
            anchor = anchor_of(labels[0].astext().strip("[]"))
            if anchor not in citation["ids"]:
                citation["ids"].append(anchor)


def setup(app):
    app.connect("doctree-resolved", _stable_anchors)
    register_plugin("pybtex.style.labels", "review_number", ReviewNumberLabels)
    register_plugin("pybtex.style.sorting", "review_number", ReviewNumberSorting)
    register_plugin("pybtex.style.formatting", "pairing", PairingBibliographyStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_zh", ChineseAuthorYearStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
