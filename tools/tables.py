"""The curated tables under ``data/`` and their schema: a typed reader that fails on a bad row.

Every table is a UTF-8 TSV file with one header row and one row per thing (``data/README.md``
describes each table, column and allowed value).  Each table has a dataclass below; its
``COLUMNS`` give the column names in order, their types and their allowed values.  A bad row
raises :class:`TableError` with ``file:line: column X: what is wrong (allowed: ...)``.

:func:`load` reads every table and checks what can be checked without the guide's text: types,
allowed values, duplicate ids, references to unknown entities or sections.  ``build_kb.py``
then checks the quotes against the guide itself.

Cells are split on tabs only (no CSV quoting): a cell may hold any character but a tab or a
line break.  Lists inside a cell are separated by spaces (ids) or by `` | `` (synonyms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

from relaxgraph.errors import RelaxgraphError

# ------------------------------------------------------------------------------------------
# Vocabularies (allowed values)
# ------------------------------------------------------------------------------------------
EVIDENCE_KINDS = (
    "GeneralStatement",
    "HypotheticalExample",
    "CaseStudy",
    "Testimonial",
    "ExpertOpinion",
    "UnattributedStatistic",
    "StudyCitedWithoutReference",
    "SectionHeading",
)
FLAG_KINDS = (
    "InternalContradiction",
    "PharmacologicallyUnsupported",
    "UnsupportedStatistic",
    "MissingReference",
    "ClassListDisagreement",
    "TruncatedText",
    "Unverifiable",
)
ENTITY_TYPES = (
    "AdministrationRoute",
    "AnatomicalSite",
    "BrandName",
    "CaseStudy",
    "CitedStudy",
    "ClassList",
    "ClassListEntry",
    "ComplementaryTherapy",
    "Condition",
    "Disease",
    "DosageForm",
    "Drug",
    "DrugClass",
    "Expert",
    "Journal",
    "MechanismOfAction",
    "Neurotransmitter",
    "Person",
    "Price",
    "Program",
    "Receptor",
    "SideEffect",
    "Statistic",
    "Symptom",
    "Testimonial",
    "TherapeuticEffect",
    "Tolerance",
    "ToleranceSign",
    "TreatmentAdjustment",
    "WithdrawalSymptom",
    "owl:Class",
)
# predicates whose object is a literal, with its datatype
LITERAL_PREDICATES = {
    "age": "integer",
    "position": "integer",
    "supplyDays": "integer",
    "percentage": "decimal",
    "minPrice": "decimal",
    "maxPrice": "decimal",
    "referenceGiven": "boolean",
    "referenceForm": "string",
    "percentageQualifier": "string",
    "currency": "string",
    "tableRow": "string",
    "tableColumn": "string",
    "studyDesign": "string",
    "quoteText": "string",
}
# predicates whose object is an entity ("type" is rdf:type, "subClassOf" rdfs:subClassOf)
ENTITY_PREDICATES = (
    "aboutDrug",
    "actsAt",
    "actsOnMuscleType",
    "addressedBy",
    "administrationRoute",
    "associatedWith",
    "brandOf",
    "claimedFigure",
    "conductedBy",
    "covers",
    "hasCondition",
    "hasDosageForm",
    "hasMechanism",
    "hasSideEffect",
    "hasSign",
    "hasTherapeuticEffect",
    "hasWithdrawalSymptom",
    "inList",
    "involvesNeurotransmitter",
    "listedExample",
    "listsClass",
    "measure",
    "population",
    "priceOf",
    "publishedIn",
    "reportsEffect",
    "reportsSideEffect",
    "reportsTolerance",
    "subClassOf",
    "subject",
    "targets",
    "toleranceTo",
    "treats",
    "type",
    "usedWith",
)
PREDICATES = tuple(sorted((*ENTITY_PREDICATES, *LITERAL_PREDICATES)))
DATATYPES = ("string", "integer", "decimal", "boolean")
STUDY_DESIGNS = ("study", "survey", "randomized controlled trial", "meta-analysis")
QUALIFIERS = ("over", "approximately")
REFERENCE_FORMS = ("empty-link", "none")
CURRENCIES = ("USD",)
MATCHES = ("closeMatch", "relatedMatch")
MAX_QUOTE = 200

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# a flag's target: an entity id, or a statement id, which may hold a predicate ("st-x-hasSign-y")
REF = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")


# ------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------
class TableError(RelaxgraphError, ValueError):
    """A table breaks its schema; the message names file, line and column."""

    exit_code = 2

    def __init__(
        self, where: str, message: str, column: str | None = None, allowed: str | None = None
    ) -> None:
        self.where = where
        self.column = column
        text = f"{where}: "
        if column:
            text += f"column {column}: "
        text += message
        if allowed:
            text += f" (allowed: {allowed})"
        super().__init__(text)


# ------------------------------------------------------------------------------------------
# Column types
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column: its name, its type, whether it may be empty and its allowed values.

    Types: ``text``; ``id`` (a lower-case kebab slug); ``ids`` (ids separated by spaces);
    ``choice`` (one of ``allowed``); ``choices`` (several, separated by spaces);
    ``names`` (free text separated by `` | ``); ``integer``; ``decimal``; ``boolean``
    (``yes`` / ``no``); ``section`` (a section number); ``url`` (http or https).
    """

    name: str
    kind: str
    required: bool = True
    allowed: tuple[str, ...] = ()


def _allowed_text(col: Column) -> str:
    if col.allowed:
        return ", ".join(col.allowed)
    return {
        "id": "lower-case words joined by '-', such as 'muscle-spasms'",
        "ids": "entity or statement ids (st-...) separated by spaces",
        "integer": "a whole number such as 40",
        "decimal": "a number such as 80 or 12.5",
        "boolean": "yes, no",
        "section": "a section number from sections.tsv",
        "url": "an http:// or https:// address",
    }.get(col.kind, "")


def parse_cell(col: Column, raw: str, where: str) -> Any:
    """Parse one cell according to its column, or raise :class:`TableError`."""
    value = raw.strip()
    if raw != value:
        raise TableError(where, f"{raw!r} has leading or trailing spaces", col.name)
    if not value:
        if col.required:
            raise TableError(where, "is empty", col.name, _allowed_text(col) or None)
        return {"ids": (), "choices": (), "names": ()}.get(col.kind)
    bad = TableError(where, f"{value!r} is not valid", col.name, _allowed_text(col))
    if col.kind == "text":
        return value
    if col.kind == "id":
        if SLUG.fullmatch(value) is None:
            raise bad
        return value
    if col.kind == "ids":
        items = tuple(value.split(" "))
        for item in items:
            if REF.fullmatch(item) is None:
                raise TableError(where, f"{item!r} is not an id", col.name, _allowed_text(col))
        return items
    if col.kind == "choice":
        if value not in col.allowed:
            raise TableError(where, f"unknown value {value!r}", col.name, _allowed_text(col))
        return value
    if col.kind == "choices":
        items = tuple(value.split(" "))
        for item in items:
            if item not in col.allowed:
                raise TableError(where, f"unknown value {item!r}", col.name, _allowed_text(col))
        return items
    if col.kind == "names":
        names = tuple(v.strip() for v in value.split("|"))
        if any(not n for n in names):
            raise TableError(where, "has an empty name between '|'", col.name)
        return names
    if col.kind in ("integer", "section"):
        if re.fullmatch(r"-?[0-9]+", value) is None:
            raise TableError(
                where, f"{value!r} is not a whole number", col.name, _allowed_text(col)
            )
        return int(value)
    if col.kind == "decimal":
        return parse_decimal(value, where, col.name)
    if col.kind == "boolean":
        if value not in ("yes", "no"):
            raise TableError(where, f"{value!r} is not yes or no", col.name, "yes, no")
        return value == "yes"
    if col.kind == "url":
        if not value.startswith(("https://", "http://")) or " " in value:
            raise bad
        return value
    raise AssertionError(f"unknown column kind {col.kind}")


def parse_decimal(value: str, where: str, column: str) -> Decimal:
    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) is None:
        raise TableError(where, f"{value!r} is not a number", column, "a number such as 80 or 12.5")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise TableError(where, f"{value!r} is not a number", column) from exc


def parse_literal(datatype: str, value: str, where: str, column: str) -> Lit:
    """A literal of ``datatype`` written as ``value`` in a table cell."""
    if datatype == "integer":
        if re.fullmatch(r"-?[0-9]+", value) is None:
            raise TableError(
                where, f"{value!r} is not a whole number", column, "a whole number such as 40"
            )
        return Lit(int(value))
    if datatype == "decimal":
        return Lit(parse_decimal(value, where, column))
    if datatype == "boolean":
        if value not in ("yes", "no"):
            raise TableError(where, f"{value!r} is not yes or no", column, "yes, no")
        return Lit(value == "yes")
    return Lit(value)


# ------------------------------------------------------------------------------------------
# Values shared with the builder
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quote:
    """A verbatim fragment of the guide, looked up within ``section``.

    ``where`` and ``column`` say which cell it came from (for error messages); they take no
    part in equality, so the same fragment cited twice is one quote.
    """

    section: int
    text: str
    where: str = field(default="", compare=False)
    column: str = field(default="quote", compare=False)


@dataclass(frozen=True)
class Lit:
    """A literal object; its datatype follows from the predicate (``LITERAL_PREDICATES``)."""

    value: str | int | Decimal | bool


# ------------------------------------------------------------------------------------------
# One dataclass per table
# ------------------------------------------------------------------------------------------
def _kind_col() -> Column:
    return Column("evidence_kind", "choice", allowed=EVIDENCE_KINDS)


@dataclass(frozen=True)
class Row:
    """Base of every table's row: ``where`` is ``file:line``."""

    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    where: str

    def check(self) -> None:
        """Checks across the columns of one row (the single cells are checked on reading)."""


@dataclass(frozen=True)
class DocumentRow(Row):
    COLUMNS: ClassVar[tuple[Column, ...]] = (Column("file", "text"), Column("title", "text"))
    file: str
    title: str


@dataclass(frozen=True)
class SectionRow(Row):
    """A section of the guide; an untitled one (the closing paragraph) has no heading but a note.

    ``parent`` is the section a sub-heading belongs under (its number), if any.
    """

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("section", "integer"),
        Column("heading", "text", required=False),
        Column("parent", "integer", required=False),
        Column("note", "text", required=False),
    )
    section: int
    heading: str | None
    parent: int | None
    note: str | None

    def check(self) -> None:
        if self.heading is None and self.note is None:
            raise TableError(
                self.where, "an untitled section needs a note saying what it is", "note"
            )
        if self.parent is not None and not 1 <= self.parent < self.section:
            raise TableError(
                self.where, f"parent {self.parent} must be an earlier section", "parent"
            )


@dataclass(frozen=True)
class EntityRow(Row):
    """An entity the guide names, with the first place it names it."""

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("types", "choices", allowed=ENTITY_TYPES),
        Column("label", "text"),
        Column("synonyms", "names", required=False),
        _kind_col(),
        Column("section", "section"),
        Column("quote", "text"),
    )
    id: str
    types: tuple[str, ...]
    label: str
    synonyms: tuple[str, ...]
    evidence_kind: str
    section: int
    quote: str


@dataclass(frozen=True)
class MentionRow(Row):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("entity", "id"),
        Column("section", "section"),
        Column("quote", "text"),
    )
    entity: str
    section: int
    quote: str


@dataclass(frozen=True)
class ClaimRow(Row):
    """One claim of the guide: a triple, the quote that states it, and how far to trust it."""

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("subject", "id"),
        Column("predicate", "choice", allowed=PREDICATES),
        Column("object", "id", required=False),
        Column("value", "text", required=False),
        Column("datatype", "choice", required=False, allowed=DATATYPES),
        _kind_col(),
        Column("section", "section"),
        Column("quote", "text"),
    )
    subject: str
    predicate: str
    object: str | None
    value: str | None
    datatype: str | None
    evidence_kind: str
    section: int
    quote: str

    def check(self) -> None:
        expected = LITERAL_PREDICATES.get(self.predicate)
        if expected is None:
            if self.object is None:
                raise TableError(self.where, f"{self.predicate} needs an entity id", "object")
            if self.value is not None or self.datatype is not None:
                raise TableError(
                    self.where, f"{self.predicate} takes an entity, not a value", "value"
                )
            return
        if self.object is not None:
            raise TableError(self.where, f"{self.predicate} takes a value, not an entity", "object")
        if self.value is None:
            raise TableError(self.where, f"{self.predicate} needs a value", "value")
        if self.datatype != expected:
            raise TableError(
                self.where,
                f"{self.predicate} takes a {expected}, not {self.datatype or 'nothing'}",
                "datatype",
                expected,
            )
        parse_literal(expected, self.value, self.where, "value")

    def literal(self) -> Lit:
        assert self.value is not None and self.datatype is not None
        return parse_literal(self.datatype, self.value, self.where, "value")


# Wide tables: one row per entity, a column per property.  A property column's claim is quoted
# by the row's ``quote`` or by its own quote column; its evidence kind and section are the row's.
@dataclass(frozen=True)
class Prop:
    column: str
    predicate: str
    quote: str  # the column holding the quote: "quote" (the row's), another column, or itself


@dataclass(frozen=True)
class WideRow(Row):
    """A row of a wide table: an entity and claims about it."""

    TYPES: ClassVar[tuple[str, ...]] = ()
    PROPS: ClassVar[tuple[Prop, ...]] = ()
    id: str
    label: str
    evidence_kind: str
    section: int
    quote: str

    def entity_types(self) -> tuple[str, ...]:
        return self.TYPES

    def entity_synonyms(self) -> tuple[str, ...]:
        return ()

    def check(self) -> None:
        quote_cols = {p.quote for p in self.PROPS if p.quote not in ("quote", p.column)}
        for qc in sorted(quote_cols):
            users = [p for p in self.PROPS if p.quote == qc]
            if getattr(self, qc) is not None and all(
                getattr(self, p.column) is None for p in users
            ):
                raise TableError(self.where, "a quote for an empty value", qc)
        for p in self.PROPS:
            if getattr(self, p.column) is not None and getattr(self, p.quote) is None:
                raise TableError(self.where, f"{p.column} is given without its quote", p.quote)


@dataclass(frozen=True)
class PersonRow(WideRow):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("types", "choices", allowed=("Person", "Expert")),
        Column("label", "text"),
        Column("synonyms", "names", required=False),
        _kind_col(),
        Column("section", "section"),
        Column("quote", "text"),
        Column("age", "integer", required=False),
    )
    PROPS: ClassVar[tuple[Prop, ...]] = (Prop("age", "age", "quote"),)
    types: tuple[str, ...]
    synonyms: tuple[str, ...]
    age: int | None

    def entity_types(self) -> tuple[str, ...]:
        return self.types

    def entity_synonyms(self) -> tuple[str, ...]:
        return self.synonyms


@dataclass(frozen=True)
class CaseStudyRow(WideRow):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("types", "choices", allowed=("CaseStudy", "Testimonial")),
        Column("label", "text"),
        _kind_col(),
        Column("section", "section"),
        Column("quote", "text"),
        Column("person", "id", required=False),
        Column("person_quote", "text", required=False),
        Column("drug", "id", required=False),
        Column("drug_quote", "text", required=False),
        Column("words", "text", required=False),
    )
    PROPS: ClassVar[tuple[Prop, ...]] = (
        Prop("person", "subject", "person_quote"),
        Prop("drug", "aboutDrug", "drug_quote"),
        Prop("words", "quoteText", "words"),
    )
    types: tuple[str, ...]
    person: str | None
    person_quote: str | None
    drug: str | None
    drug_quote: str | None
    words: str | None

    def entity_types(self) -> tuple[str, ...]:
        return self.types


@dataclass(frozen=True)
class StudyRow(WideRow):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("label", "text"),
        _kind_col(),
        Column("section", "section"),
        Column("quote", "text"),
        Column("design", "choice", required=False, allowed=STUDY_DESIGNS),
        Column("journal", "id", required=False),
        Column("conducted_by", "id", required=False),
        Column("drug", "id", required=False),
        Column("drug_quote", "text", required=False),
        Column("reference_given", "boolean", required=False),
        Column("reference_form", "choice", required=False, allowed=REFERENCE_FORMS),
        Column("reference_quote", "text", required=False),
        Column("figure", "id", required=False),
        Column("figure_quote", "text", required=False),
    )
    TYPES: ClassVar[tuple[str, ...]] = ("CitedStudy",)
    PROPS: ClassVar[tuple[Prop, ...]] = (
        Prop("design", "studyDesign", "quote"),
        Prop("journal", "publishedIn", "quote"),
        Prop("conducted_by", "conductedBy", "quote"),
        Prop("drug", "aboutDrug", "drug_quote"),
        Prop("reference_given", "referenceGiven", "reference_quote"),
        Prop("reference_form", "referenceForm", "reference_quote"),
        Prop("figure", "claimedFigure", "figure_quote"),
    )
    design: str | None
    journal: str | None
    conducted_by: str | None
    drug: str | None
    drug_quote: str | None
    reference_given: bool | None
    reference_form: str | None
    reference_quote: str | None
    figure: str | None
    figure_quote: str | None


@dataclass(frozen=True)
class StatisticRow(WideRow):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("label", "text"),
        _kind_col(),
        Column("section", "section"),
        Column("quote", "text"),
        Column("percentage", "decimal", required=False),
        Column("qualifier", "choice", required=False, allowed=QUALIFIERS),
        Column("population", "id", required=False),
        Column("table_row", "text", required=False),
        Column("drug", "id", required=False),
        Column("drug_quote", "text", required=False),
        Column("measure", "id", required=False),
        Column("table_column", "text", required=False),
        Column("measure_quote", "text", required=False),
    )
    TYPES: ClassVar[tuple[str, ...]] = ("Statistic",)
    PROPS: ClassVar[tuple[Prop, ...]] = (
        Prop("percentage", "percentage", "quote"),
        Prop("qualifier", "percentageQualifier", "quote"),
        Prop("population", "population", "quote"),
        Prop("table_row", "tableRow", "quote"),
        Prop("drug", "aboutDrug", "drug_quote"),
        Prop("measure", "measure", "measure_quote"),
        Prop("table_column", "tableColumn", "measure_quote"),
    )
    percentage: Decimal | None
    qualifier: str | None
    population: str | None
    table_row: str | None
    drug: str | None
    drug_quote: str | None
    measure: str | None
    table_column: str | None
    measure_quote: str | None


@dataclass(frozen=True)
class PriceRow(WideRow):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("label", "text"),
        _kind_col(),
        Column("section", "section"),
        Column("quote", "text"),
        Column("price_of", "id", required=False),
        Column("min_price", "decimal", required=False),
        Column("max_price", "decimal", required=False),
        Column("currency", "choice", required=False, allowed=CURRENCIES),
        Column("supply_days", "integer", required=False),
    )
    TYPES: ClassVar[tuple[str, ...]] = ("Price",)
    PROPS: ClassVar[tuple[Prop, ...]] = (
        Prop("price_of", "priceOf", "quote"),
        Prop("min_price", "minPrice", "quote"),
        Prop("max_price", "maxPrice", "quote"),
        Prop("currency", "currency", "quote"),
        Prop("supply_days", "supplyDays", "quote"),
    )
    price_of: str | None
    min_price: Decimal | None
    max_price: Decimal | None
    currency: str | None
    supply_days: int | None


@dataclass(frozen=True)
class CuratedEntityRow(Row):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("types", "choices", allowed=ENTITY_TYPES),
        Column("label", "text"),
        Column("source", "url"),
    )
    id: str
    types: tuple[str, ...]
    label: str
    source: str


@dataclass(frozen=True)
class CuratedStatementRow(Row):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("subject", "id"),
        Column("predicate", "choice", allowed=ENTITY_PREDICATES),
        Column("object", "id"),
        Column("source", "url"),
        Column("comment", "text"),
    )
    subject: str
    predicate: str
    object: str
    source: str
    comment: str


@dataclass(frozen=True)
class ClassMatchRow(Row):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("class", "id"),
        Column("match", "choice", allowed=MATCHES),
        Column("other_class", "id"),
    )
    cls: str
    match: str
    other_class: str


@dataclass(frozen=True)
class FlagRow(Row):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("id", "id"),
        Column("kind", "choice", allowed=FLAG_KINDS),
        Column("targets", "ids", required=False),
        Column("quote_section", "section", required=False),
        Column("quote", "text", required=False),
        Column("reason", "text"),
        Column("source", "url", required=False),
    )
    id: str
    kind: str
    targets: tuple[str, ...]
    quote_section: int | None
    quote: str | None
    reason: str
    source: str | None

    def check(self) -> None:
        if (self.quote_section is None) != (self.quote is None):
            column = "quote" if self.quote is None else "quote_section"
            raise TableError(self.where, "a flagged quote needs both its section and text", column)
        if not self.targets and self.quote is None:
            raise TableError(self.where, "a flag needs at least one target or quote", "targets")


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------
def display(path: Path, root: Path) -> str:
    """The path as shown in messages: relative to ``root``'s parent (``data/guide/x.tsv``)."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.name


def split_lines(path: Path, shown: str) -> Iterator[tuple[int, str]]:
    """The file's lines with their numbers (1-based), without line ends."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise TableError(shown, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise TableError(shown, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    for number, line in enumerate(text.split("\n"), start=1):
        if line.endswith("\r"):
            raise TableError(f"{shown}:{number}", "Windows line end (\\r\\n); save with \\n")
        yield number, line


def read_rows(
    lines: Sequence[tuple[int, str]], cls: type[Row], shown: str, columns: Sequence[Column]
) -> list[Any]:
    """Parse header and rows of a table whose lines are given."""
    it = iter(lines)
    try:
        number, header_line = next(it)
    except StopIteration:
        raise TableError(shown, "empty file; it needs a header row") from None
    names = tuple(c.name for c in columns)
    header = tuple(header_line.split("\t"))
    if header != names:
        raise TableError(
            f"{shown}:{number}", f"header must be {' | '.join(names)}, not {' | '.join(header)}"
        )
    rows = []
    attrs = [f.name for f in fields(cls) if f.name != "where"]
    for number, line in it:
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        cells = line.split("\t")
        if len(cells) > len(columns):
            raise TableError(where, f"{len(cells)} cells, more than the {len(columns)} columns")
        cells += [""] * (len(columns) - len(cells))
        values = {
            c.name: parse_cell(c, cell, where) for c, cell in zip(columns, cells, strict=True)
        }
        if "class" in values:
            values["cls"] = values.pop("class")
        assert sorted(values) == sorted(attrs), (cls, sorted(values), sorted(attrs))
        row = cls(where=where, **values)
        row.check()
        rows.append(row)
    return rows


def read_table(path: Path, cls: type[Row], root: Path) -> list[Any]:
    """Read ``path`` as a table of ``cls`` rows; ``root`` is the data folder (for messages)."""
    shown = display(path, root)
    return read_rows(list(split_lines(path, shown)), cls, shown, cls.COLUMNS)


# ------------------------------------------------------------------------------------------
# The whole data set
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entity:
    id: str
    types: tuple[str, ...]
    label: str
    synonyms: tuple[str, ...]
    kind: str
    quotes: tuple[Quote, ...]
    where: str


@dataclass(frozen=True)
class Claim:
    subject: str
    predicate: str
    object: str | Lit
    kind: str
    quote: Quote
    where: str
    column: str  # the cell that holds the object (for messages)


@dataclass
class Dataset:
    """Everything the tables say, checked against each other (not yet against the guide)."""

    document: DocumentRow
    sections: list[SectionRow]
    entities: list[Entity]
    claims: list[Claim]
    curated_entities: list[CuratedEntityRow]
    curated: list[CuratedStatementRow]
    matches: list[ClassMatchRow]
    flags: list[FlagRow]


GUIDE_TABLES: tuple[tuple[str, type[WideRow]], ...] = (
    ("people.tsv", PersonRow),
    ("case-studies.tsv", CaseStudyRow),
    ("studies.tsv", StudyRow),
    ("statistics.tsv", StatisticRow),
    ("prices.tsv", PriceRow),
)


def wide_claims(row: WideRow) -> Iterator[Claim]:
    """The claims a wide row makes, one per filled property column."""
    for p in row.PROPS:
        value = getattr(row, p.column)
        if value is None:
            continue
        quote_text = getattr(row, p.quote)
        quote = Quote(row.section, quote_text, row.where, p.quote)
        obj: str | Lit = value if p.predicate not in LITERAL_PREDICATES else Lit(value)
        yield Claim(row.id, p.predicate, obj, row.evidence_kind, quote, row.where, p.column)


def load(root: Path) -> Dataset:
    """Read every table under ``root`` (``data/``) and check them against each other."""
    guide, curation = root / "guide", root / "curation"
    documents = read_table(guide / "document.tsv", DocumentRow, root)
    if len(documents) != 1:
        raise TableError(display(guide / "document.tsv", root), "needs exactly one row")
    sections: list[SectionRow] = read_table(guide / "sections.tsv", SectionRow, root)
    for n, sec in enumerate(sections, start=1):
        if sec.section != n:
            raise TableError(sec.where, f"sections are numbered 1, 2, ...: expected {n}", "section")
        if sec.parent is not None and sections[sec.parent - 1].heading is None:
            raise TableError(sec.where, f"parent {sec.parent} is untitled", "parent")

    entities: list[Entity] = []
    claims: list[Claim] = []
    for row in read_table(guide / "entities.tsv", EntityRow, root):
        quote = Quote(row.section, row.quote, row.where)
        entities.append(
            Entity(
                row.id, row.types, row.label, row.synonyms, row.evidence_kind, (quote,), row.where
            )
        )
    for name, cls in GUIDE_TABLES:
        for wide in read_table(guide / name, cls, root):
            quote = Quote(wide.section, wide.quote, wide.where)
            entities.append(
                Entity(
                    wide.id,
                    wide.entity_types(),
                    wide.label,
                    wide.entity_synonyms(),
                    wide.evidence_kind,
                    (quote,),
                    wide.where,
                )
            )
            claims += wide_claims(wide)
    first: dict[str, Entity] = {}
    for e in entities:
        if e.id in first:
            raise TableError(e.where, f"duplicate id {e.id!r} (first at {first[e.id].where})", "id")
        first[e.id] = e
    for m in read_table(guide / "mentions.tsv", MentionRow, root):
        if m.entity not in first:
            raise TableError(m.where, f"unknown entity {m.entity!r}", "entity")
        e = first[m.entity]
        first[m.entity] = Entity(
            e.id,
            e.types,
            e.label,
            e.synonyms,
            e.kind,
            (*e.quotes, Quote(m.section, m.quote, m.where)),
            e.where,
        )
    entities = [first[e.id] for e in entities]

    for c in read_table(guide / "claims.tsv", ClaimRow, root):
        obj: str | Lit = c.object if c.object is not None else c.literal()
        column = "object" if c.object is not None else "value"
        quote = Quote(c.section, c.quote, c.where)
        claims.append(Claim(c.subject, c.predicate, obj, c.evidence_kind, quote, c.where, column))

    curated_entities: list[CuratedEntityRow] = read_table(
        curation / "entities.tsv", CuratedEntityRow, root
    )
    curated: list[CuratedStatementRow] = read_table(
        curation / "statements.tsv", CuratedStatementRow, root
    )
    matches: list[ClassMatchRow] = read_table(curation / "class-matches.tsv", ClassMatchRow, root)
    flags: list[FlagRow] = read_table(curation / "flags.tsv", FlagRow, root)

    data = Dataset(
        documents[0], sections, entities, claims, curated_entities, curated, matches, flags
    )
    check_references(data)
    return data


def check_references(data: Dataset) -> None:
    """Unknown sections and entities, duplicate curated entities and flags."""
    n_sections = len(data.sections)
    allowed_sections = f"1 to {n_sections} (sections.tsv)"

    def section(number: int | None, where: str, column: str) -> None:
        if number is not None and not 1 <= number <= n_sections:
            raise TableError(where, f"no section {number}", column, allowed_sections)

    for e in data.entities:
        for q in e.quotes:
            section(q.section, q.where, "section")
    known = {e.id for e in data.entities}
    for c in data.claims:
        section(c.quote.section, c.where, "section")
        if c.subject not in known:
            raise TableError(
                c.where,
                f"unknown entity {c.subject!r}",
                "subject" if c.column in ("object", "value") else "id",
            )
        if isinstance(c.object, str) and c.object not in known:
            raise TableError(c.where, f"unknown entity {c.object!r}", c.column)
    curated_ids: dict[str, str] = {}
    for ce in data.curated_entities:
        if ce.id in known or ce.id in curated_ids:
            raise TableError(ce.where, f"duplicate id {ce.id!r}", "id")
        curated_ids[ce.id] = ce.where
    everything = known | set(curated_ids)
    for cs in data.curated:
        for column, value in (("subject", cs.subject), ("object", cs.object)):
            if value not in everything:
                raise TableError(cs.where, f"unknown entity {value!r}", column)
    for m in data.matches:
        for column, value in (("class", m.cls), ("other_class", m.other_class)):
            if value not in known:
                raise TableError(m.where, f"unknown entity {value!r}", column)
    flag_ids: dict[str, str] = {}
    for f in data.flags:
        if f.id in flag_ids:
            raise TableError(f.where, f"duplicate id {f.id!r} (first at {flag_ids[f.id]})", "id")
        flag_ids[f.id] = f.where
        section(f.quote_section, f.where, "quote_section")
