"""Plotly figures for checklist completion: per theme, across areas, against the signalling gap.

Same conventions as every chart (:mod:`loverboy_stats.charts.style`): Dutch number notation,
Okabe-Ito colours, the source inside the figure, user text through
:func:`~loverboy_stats.charts.style.plain`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from loverboy_stats.charts.frozen import freeze
from loverboy_stats.charts.style import PALETTE, finish, plain, set_axes
from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.formatting import format_percent
from loverboy_stats.frameworks import Framework, load_frameworks

#: Colour scale of the heat table: light (little done) to dark blue (all done).
HEAT_SCALE = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]


def framework_source(framework: Framework) -> str:
    """'Checklist: <title> (<publisher>)' for inside a figure."""
    return f"Checklist: {framework.short_title} ({framework.publisher}); eigen invulling"


def completion_heatmap(matrix: pd.DataFrame, framework: Framework) -> go.Figure:
    """Heat table: one row per area, one column per theme plus "totaal", Dutch percentages.

    ``matrix`` is :func:`loverboy_stats.checklist.completion_matrix`. Empty cells (nothing
    applicable) stay blank.
    """
    columns = [t.label for t in framework.themes] + ["totaal"]
    values = matrix[columns].astype("float64") * 100
    texts = [[format_percent(v / 100) if pd.notna(v) else "" for v in row] for row in values.values]
    fig = go.Figure(
        go.Heatmap(
            z=values.values,
            x=[plain(c) for c in columns],
            y=[plain(n) for n in matrix["naam"]],
            text=texts,
            texttemplate="%{text}",
            colorscale=HEAT_SCALE,
            zmin=0,
            zmax=100,
            colorbar=dict(title="%", ticksuffix=" %"),
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    set_axes(fig, "y", autorange="reversed", automargin=True)
    set_axes(fig, "x", side="top", automargin=True)
    return finish(
        fig,
        title=f"Voltooiing van de checklist {framework.short_title} per thema",
        source=framework_source(framework),
        height=max(260, 60 + 34 * len(matrix)),
    )


def completion_vs_ratio_chart(
    points: pd.DataFrame, framework: Framework, *, source: str, label: str = ""
) -> go.Figure:
    """Scatter of overall checklist completion (x, %) against the signalling ratio (y).

    ``points`` columns: naam, totaal (fraction), signaleringsratio (missing ratios are left
    out). ``source`` names where the ratio comes from; ``label`` (e.g. the demo notice) is put
    in the title so a saved image still carries it.
    """
    shown = points.dropna(subset=["totaal", "signaleringsratio"])
    fig = go.Figure(
        go.Scatter(
            x=shown["totaal"] * 100,
            y=shown["signaleringsratio"],
            mode="markers+text",
            text=[plain(n) for n in shown["naam"]],
            textposition="top center",
            marker=dict(size=11, color=PALETTE[0]),
            hovertemplate="%{text}<br>checklist %{x:.1f} %<br>signaleringsratio %{y:.2f}"
            "<extra></extra>",
        )
    )
    set_axes(fig, "x", title="checklist voltooid (%)", range=[-5, 105], ticksuffix=" %")
    set_axes(fig, "y", title="signaleringsratio (gesignaleerd ÷ verwacht)", rangemode="tozero")
    title = f"Checklist {framework.short_title} tegenover de signaleringsratio"
    if label:
        title += f" ({label})"
    return finish(fig, title=title, source=f"{source}; {framework_source(framework)}")


@dataclass(frozen=True)
class ChecklistBlock:
    """One chart for the "Vergelijken" page, ready for the page's chart block."""

    title: str
    fig: go.Figure
    csv: bytes
    source: str
    file_name: str


#: Fewer areas than this with a filled-in checklist: nothing to compare, no section.
MIN_AREAS = 2


def comparison_blocks(
    matrices: dict[str, pd.DataFrame], gap_rows: pd.DataFrame, *, ratio_source: str, label: str = ""
) -> list[ChecklistBlock]:
    """Heat table and scatter per framework, for the areas of ``gap_rows`` that filled it in.

    ``matrices``: framework id -> :func:`loverboy_stats.checklist.completion_matrix` of the
    latest saved checklists.
    ``gap_rows`` is a (published) gap table at one level (columns code, naam,
    signaleringsratio), e.g. ``CompareView.table``; only checklists of those areas are shown.
    A framework appears only when at least :data:`MIN_AREAS` of them filled it in; the
    scatter only when at least that many also have a signalling ratio. ``label`` (e.g. the
    demo notice) goes into the scatter's title, since its ratios come from ``gap_rows``.
    The figures are frozen (:mod:`loverboy_stats.charts.frozen`): pages keep them.
    """
    blocks: list[ChecklistBlock] = []
    ratios = gap_rows[["code", "signaleringsratio"]].copy()
    ratios["signaleringsratio"] = pd.to_numeric(ratios["signaleringsratio"], errors="coerce")
    for framework_id, framework in load_frameworks().items():
        matrix = matrices.get(framework_id)
        if matrix is None:
            continue
        matrix = matrix[matrix["code"].isin(ratios["code"])].reset_index(drop=True)
        if len(matrix) < MIN_AREAS:
            continue
        source = framework_source(framework)
        blocks.append(
            ChecklistBlock(
                title=f"Checklist {framework.short_title} per thema",
                fig=freeze(completion_heatmap(matrix, framework)),
                csv=to_spreadsheet_csv(matrix),
                source=source,
                file_name=f"checklist_{framework_id}_per_thema.csv",
            )
        )
        points = matrix[["code", "naam", "totaal"]].merge(ratios, on="code", how="left")
        if points[["totaal", "signaleringsratio"]].notna().all(axis=1).sum() >= MIN_AREAS:
            blocks.append(
                ChecklistBlock(
                    title=f"Checklist {framework.short_title} en signaleringsratio",
                    fig=freeze(
                        completion_vs_ratio_chart(
                            points, framework, source=ratio_source, label=label
                        )
                    ),
                    csv=to_spreadsheet_csv(points.assign(cijfers=label) if label else points),
                    source=f"{ratio_source}; {source}",
                    file_name=f"checklist_{framework_id}_en_ratio.csv",
                )
            )
    return blocks
