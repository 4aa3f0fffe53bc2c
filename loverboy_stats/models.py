"""Pydantic models at the boundaries: national figures, their sources, stored datasets.

The models are the boundary between files and the rest of the library: a row that does not fit
them never reaches a page. Validation messages are in Dutch because they can reach a user.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_SOURCE_ID = r"^[a-z0-9_]+$"

Topic = Literal["kloof", "schatting", "registratie", "registraties"]


class Source(BaseModel):
    """A published source a figure comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_id: str = Field(pattern=_SOURCE_ID, description="Short stable id, used by figures.")
    publisher: str = Field(min_length=1, description="Who published it.")
    title: str = Field(min_length=1, description="Title of the page or report.")
    year: int | None = Field(
        default=None, ge=1990, le=2100, description="Year of publication, when the source says."
    )
    url: str | None = Field(
        default=None,
        pattern=r"^https?://\S+$",
        description="Where to read it; missing for a report whose address the sources do not "
        "give (the figure then also cites the page it was read on).",
    )

    def citation(self) -> str:
        """Short Dutch citation: 'Publisher (year), Title'."""
        year = f" ({self.year})" if self.year else ""
        return f"{self.publisher}{year}, {self.title}"

    def short(self) -> str:
        """'Publisher (year)', for inside a chart."""
        year = f" ({self.year})" if self.year else ""
        return f"{self.publisher}{year}"


class NationalFigure(BaseModel):
    """One published national figure, as a tidy row of ``data/national/figures.csv``.

    ``value`` is the point value as published; it can be missing only when the source gives a
    range alone (then ``interval_low`` and ``interval_high`` carry it). A fraction such as
    ``1/3`` is accepted because some sources speak of "one in three".
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    figure_id: str = Field(pattern=_SOURCE_ID, description="Stable id of the figure.")
    topic: Topic = Field(description="Which part of the national picture it belongs to.")
    indicator: str = Field(min_length=1, description="What is counted or estimated (Dutch).")
    population_group: str = Field(min_length=1, description="Whom it concerns (Dutch).")
    period: str | None = Field(
        default=None,
        description="Year 'YYYY' or span 'YYYY-YYYY' the figure describes; missing only when the "
        "sources do not say, and then the note says so.",
    )
    value: float | None = Field(default=None, ge=0, description="Published point value.")
    qualifier: Literal["", "ongeveer", "bijna", "gemiddeld"] = Field(
        default="",
        description="How the source words the value ('ongeveer 37'); shown with it, never dropped.",
    )
    interval_low: float | None = Field(default=None, ge=0, description="Published lower bound.")
    interval_high: float | None = Field(default=None, ge=0, description="Published upper bound.")
    unit: str = Field(min_length=1, description="Unit of value and interval (Dutch).")
    series: str = Field(min_length=1, description="Series or publisher of the count/estimate.")
    source_ids: tuple[str, ...] = Field(
        min_length=1, description="Ids in sources.csv of the pages the figure was read on."
    )
    publication_ids: tuple[str, ...] = Field(
        default=(),
        description="Ids in sources.csv of the original publications, when the pages in "
        "source_ids quote them (the citation then reads 'publication, via page').",
    )
    note: str = Field(default="", description="Caveat or wording of the source (Dutch).")

    @field_validator("period")
    @classmethod
    def _period_form(cls, text: str | None) -> str | None:
        if text is None:
            return None
        match = _PERIOD.match(text.strip())
        if not match:
            raise ValueError(f"periode '{text}' heeft niet de vorm JJJJ of JJJJ-JJJJ")
        if match.group(2) and int(match.group(2)) < int(match.group(1)):
            raise ValueError(f"periode '{text}' eindigt vóór het begin")
        return text.strip()

    @field_validator("value", "interval_low", "interval_high", mode="before")
    @classmethod
    def _number(cls, raw: object) -> object:
        if isinstance(raw, str):
            text = raw.strip()
            if text == "":
                return None
            if "/" in text:
                try:
                    return float(Fraction(text))
                except (ValueError, ZeroDivisionError):
                    raise ValueError(f"'{text}' is geen getal") from None
            try:
                return float(text)
            except ValueError:
                raise ValueError(f"'{text}' is geen getal") from None
        return raw

    @field_validator("note", "qualifier", mode="before")
    @classmethod
    def _no_text(cls, raw: object) -> object:
        return "" if raw is None else raw

    @field_validator("source_ids", "publication_ids", mode="before")
    @classmethod
    def _split_sources(cls, raw: object) -> object:
        if isinstance(raw, str):
            return tuple(part.strip() for part in raw.split(";") if part.strip())
        return raw

    @model_validator(mode="after")
    def _period_or_reason(self) -> NationalFigure:
        if self.period is None and not self.note:
            raise ValueError("geen periode en geen toelichting: noem de periode of leg uit waarom")
        return self

    @model_validator(mode="after")
    def _interval_holds_value(self) -> NationalFigure:
        low, high = self.interval_low, self.interval_high
        if (low is None) != (high is None):
            raise ValueError("interval heeft maar één grens; geef onder- én bovengrens")
        if low is not None and high is not None:
            if low > high:
                raise ValueError(f"ondergrens {low:g} ligt boven bovengrens {high:g}")
            if self.value is not None and not (low <= self.value <= high):
                raise ValueError(
                    f"waarde {self.value:g} ligt niet in het interval [{low:g}, {high:g}]"
                )
        elif self.value is None:
            raise ValueError("geen waarde en geen interval: er is niets gepubliceerd")
        return self

    @property
    def start_year(self) -> int | None:
        return int(self.period[:4]) if self.period else None

    @property
    def end_year(self) -> int | None:
        return int(self.period[-4:]) if self.period else None

    def value_text(self, formatter) -> str:
        """The value as the source words it: "ongeveer 37", "1.363"."""
        value = formatter(self.value)
        return f"{self.qualifier} {value}" if self.qualifier else value

    @property
    def has_interval(self) -> bool:
        return self.interval_low is not None


class DatasetInfo(BaseModel):
    """A stored dataset without its rows."""

    id: int = Field(description="Database key.")
    name: str = Field(description="Name the user gave; unique in the store.")
    filename: str = Field(description="Original file name of the upload.")
    sha256: str = Field(description="Hex SHA-256 of the uploaded bytes; unique in the store.")
    uploaded_at: dt.datetime = Field(description="When it was stored (UTC).")
    row_count: int = Field(description="Number of stored rows (municipality-years).")
    organisation_id: int = Field(default=1, description="The organisation it belongs to.")
    organisation: str = Field(default="", description="Name of that organisation.")
    already_present: bool = Field(
        default=False,
        description="True when a save found an identical file and stored nothing new.",
    )
