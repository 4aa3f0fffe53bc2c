"""Accessibility checks in the browser: axe-core from the npm registry, the page's language,
English words in what a user sees or hears, and content wider than a phone screen.

axe-core is installed with ``npm ci`` from tests/e2e/axe/package-lock.json on first use (npm
comes from Debian's ``npm`` package; ``.ci/run`` installs it). The English-word check uses
Debian's word lists (``wamerican``, ``wdutch``): a word counts as English when the American
list has it and the Dutch list does not, or when it is one of the interface words in
:data:`ENGLISH_ALSO_IN_DUTCH_LIST` (loan words the Dutch list accepts, but which in this app
can only come from an untranslated Streamlit or plotly text).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.npm import installed as npm_installed

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_FILE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ENGLISH_WORDS = Path("/usr/share/dict/american-english")
DUTCH_WORDS = Path("/usr/share/dict/dutch")

#: Interface words that the Dutch list accepts as loan words; in this app's texts they can only
#: come from an untranslated Streamlit or plotly text.
ENGLISH_ALSO_IN_DUTCH_LIST = {
    "upload", "file", "files", "skip", "main", "content", "progress", "help", "show", "limit",
    "page", "pages", "browse", "drop", "zoom", "pan", "reset", "plot", "autoscale", "remove",
    "choose", "option", "options", "empty", "none", "true", "false", "day", "month", "year",
    "search", "sidebar", "fullscreen", "columns", "close", "clear", "running", "rerun", "add",
}  # fmt: skip
#: Names and terms that stay as they are in Dutch texts (they are not translated in Dutch
#: either): organisations, file formats, publication titles as published.
ALLOWED = {
    "csv", "tsv", "txt", "xlsx", "xls", "ods", "pdf", "html", "png", "json", "geojson",
    "nji", "nrm", "igj", "cbs", "ggd", "wodc", "unodc", "mse", "lbs", "comensha", "statline",
    "excel", "wilson", "garwood", "poisson", "python", "sha",
    "dd",  # dd-mm-jjjj, the Dutch date pattern
    "utc",  # the audit trail keeps world time, unambiguous across summer and winter time
}  # fmt: skip
#: Phrases that are quoted as published (the name of a method and the title of the one
#: English-language page among the sources); removed before the word check.
ALLOWED_PHRASES = (
    "Multiple Systems Estimation",
    "Reliable estimate reflects true numbers of victims of human trafficking",
)

#: Visible text and accessible names of the page, as a screen reader or a reader meets them:
#: text of elements that are not hidden, plus aria-label, title, placeholder, alt, the value
#: texts of widgets, and the document title. Icons drawn from a ligature font are no words.
COLLECT_TEXT = """() => {
  const parts = [document.title];
  const hidden = (el) => el.closest('[aria-hidden="true"], [data-testid="stIconMaterial"], \
script, style, noscript, [hidden]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || hidden(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (node.nodeValue.trim()) parts.push(node.nodeValue.trim());
  }
  const names = ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext',
                 'aria-description', 'aria-roledescription'];
  for (const el of document.querySelectorAll('*')) {
    if (el.closest('[aria-hidden="true"]')) continue;
    for (const name of names) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts;
}"""


def _require(tool: str, package: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {tool} is missing: apt-get install {package}")
    pytest.skip(f"{tool} is missing (apt-get install {package})")


@functools.cache
def axe_source() -> str:
    """The axe-core script, installed from the lock file (see tests/e2e/npm.py)."""
    npm = shutil.which("npm")
    if npm is None:
        _require("npm", "npm")
    npm_installed(AXE_DIR, npm)
    return AXE_FILE.read_text(encoding="utf-8")


def axe_violations(page, context: str = "document") -> list[dict]:
    """Every axe-core violation on ``page`` (all rules of WCAG 2.0/2.1 A and AA and axe's best
    practices, every impact level), with the elements that break each rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        """async (context) => {
          const result = await axe.run(context === 'document' ? document : context, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'best-practice']},
            resultTypes: ['violations'],
          });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                      why: n.failureSummary}))}));
        }""",
        context,
    )


def describe(violations: list[dict]) -> str:
    """A readable list of violations for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}  {node['html'][:140]}")
    return "\n".join(lines)


@functools.cache
def _word_list(path: Path) -> frozenset[str]:
    if not path.is_file():
        _require(str(path), "wamerican wdutch")
    return frozenset(
        line.strip().lower() for line in path.read_text(encoding="utf-8", errors="ignore").split()
    )


_URL = re.compile(r"(https?://|www\.)\S+|\S+@\S+|\S+\.(csv|xlsx|html|py|md|geojson)\b")
_WORD = re.compile(r"(?<![0-9A-Za-zÀ-ÿ])[A-Za-zÀ-ÿ]+(?:'[a-z]+)?(?![0-9A-Za-zÀ-ÿ])")


def english_words(texts: list[str], extra_allowed: set[str] = frozenset()) -> set[str]:
    """The words in ``texts`` that are English and not Dutch (see the module doc)."""
    english, dutch = _word_list(ENGLISH_WORDS), _word_list(DUTCH_WORDS)
    found = set()
    for text in texts:
        for phrase in ALLOWED_PHRASES:
            text = text.replace(phrase, " ")
        text = _URL.sub(" ", text)
        for word in _WORD.findall(text):
            lower = word.lower()
            if len(lower) < 2 or lower in ALLOWED or lower in extra_allowed:
                continue
            if lower in ENGLISH_ALSO_IN_DUTCH_LIST or (lower in english and lower not in dutch):
                found.add(word)
    return found


def page_texts(page) -> list[str]:
    return page.evaluate(COLLECT_TEXT)


#: Elements wider than the screen: their right edge past the viewport, outside any element
#: that scrolls sideways on purpose (tables).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.closest('[data-testid="stDataFrame"], [data-testid="stTable"], .stDataFrame')) continue;
    // Inside something that scrolls or clips sideways on purpose (a row of tabs): fine when
    // that container itself fits.
    let scroller = el.parentElement, scrolls = false;
    while (scroller && scroller !== main) {
      const overflowX = getComputedStyle(scroller).overflowX;
      if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') {
        const outer = scroller.getBoundingClientRect();
        scrolls = outer.right <= width + 1 && outer.left >= -1;
        break;
      }
      scroller = scroller.parentElement;
    }
    if (scrolls) continue;
    if (box.right > width + 1 || box.left < -1) {
      out.push({tag: el.tagName, testid: el.getAttribute('data-testid'),
                cls: String(el.className).slice(0, 60), left: box.left, right: box.right,
                text: (el.innerText || el.textContent || '').slice(0, 60)});
    }
  }
  return {page: Math.max(document.documentElement.scrollWidth - width,
                         main.scrollWidth - main.clientWidth),
          elements: out.slice(0, 10)};
}"""

#: Chart titles and axis titles cut off at the chart's edge, or hidden under another element.
CHART_TEXT_CLIPPED = """() => {
  const out = [];
  for (const graph of document.querySelectorAll('.js-plotly-plot')) {
    const frame = graph.getBoundingClientRect();
    for (const text of graph.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, \
.annotation-text, .legendtext, .cbtitle text')) {
      const box = text.getBoundingClientRect();
      if (box.width === 0) continue;
      if (box.left < frame.left - 1 || box.right > frame.right + 1) {
        out.push({text: text.textContent.slice(0, 60), left: box.left - frame.left,
                  right: box.right - frame.left, width: frame.width});
      }
    }
  }
  return out;
}"""


#: Pairs of chart parts that lie on top of each other: title, source line, legend, axis titles,
#: tick labels and annotations must each have their own place, at any screen width.
CHART_OVERLAPS = """() => {
  // Each part is one or more elements; tick labels count one by one (their groups' boxes
  // overlap at the corner of the axes even when no two labels touch).
  const parts = {
    titel: '.gtitle', bron: '.gtitle-subtitle', legenda: 'g.legend',
    'x-as': '.g-xtitle', 'y-as': '.g-ytitle', 'x-waarden': '.xaxislayer-above text',
    'y-waarden': '.yaxislayer-above text', plot: '.xy .nsewdrag',
  };
  const out = new Set();
  const axisPart = (n) => n.startsWith('x-') || n.startsWith('y-');
  document.querySelectorAll('.js-plotly-plot').forEach((graph, number) => {
    const boxes = [];
    for (const [name, selector] of Object.entries(parts)) {
      graph.querySelectorAll(selector).forEach((el) => {
        const b = el.getBoundingClientRect();
        if (b.width > 0 && b.height > 0) boxes.push([name, b]);
      });
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [n1, a] = boxes[i], [n2, b] = boxes[j];
        if (n1 === n2) continue;
        // Tick labels sit against the plot area and axis titles beside them by design.
        if ([n1, n2].includes('plot') && [n1, n2].some(axisPart)) continue;
        const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (dx > 2 && dy > 2) out.add(`grafiek ${number + 1}: ${n1} over ${n2}`);
      }
    }
  });
  return [...out];
}"""
