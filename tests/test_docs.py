"""The README stays true: its commands are the ones CI runs, and every setting is documented."""

import re
from pathlib import Path

from loverboy_stats.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_has_exactly_one_run_and_one_test_command():
    commands = set(_bash_blocks(README))
    run = [c for c in commands if "streamlit run app.py" in c]
    test = [c for c in commands if "pytest" in c]
    assert len(run) == 1 and len(test) == 1, commands
    assert "requirements.txt" in run[0] and "requirements-test.txt" in test[0]


def test_ci_runs_the_readme_test_command():
    test = next(c for c in _bash_blocks(README) if "pytest" in c)
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test in ci_lines


def test_every_setting_is_documented_in_the_readme():
    for name in Settings.model_fields:
        assert f"`LBS_{name.upper()}`" in README, f"LBS_{name.upper()} is not in README.md"


def test_test_dependencies_include_the_runtime_ones():
    lines = (ROOT / "requirements-test.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines


def test_dependencies_are_pinned_exactly():
    for file in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / file).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{file}: {line} is not pinned"


def test_the_method_document_explains_every_column_in_its_glossary():
    from loverboy_stats.schema import DATASET_COLUMNS, EXTRA_COLUMNS, GAP_COLUMNS

    glossary = (
        (ROOT / "docs" / "methode.md").read_text(encoding="utf-8").split("## Woordenlijst")[1]
    )
    named = set(re.findall(r"`([a-z_0-9<>]+)`", glossary))
    # Interval columns are named as "`verwacht` (`_laag`, `_hoog`)".
    wanted = {c.removesuffix("_laag").removesuffix("_hoog") for c in (*GAP_COLUMNS, *EXTRA_COLUMNS)}
    missing = (wanted | set(DATASET_COLUMNS)) - named
    assert not missing, f"not in the glossary of docs/methode.md: {sorted(missing)}"


def test_every_shipped_data_file_has_metadata_beside_it():
    for path in sorted((ROOT / "data").rglob("*")):
        if path.suffix not in {".csv", ".json", ".gz"}:
            continue
        metas = list(path.parent.glob("*.meta.yaml"))
        described = [m for m in metas if path.name in m.read_text(encoding="utf-8")]
        assert described, f"{path.relative_to(ROOT)} has no .meta.yaml beside it that names it"


def test_the_documented_content_security_policy_allows_the_dutch_interface_script():
    """ui/nl.js runs as an inline script; the nginx policy must name its exact hash, or the
    browser blocks it behind the proxy (and the page is English again)."""
    import base64
    import hashlib

    script = (ROOT / "ui" / "nl.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    deployment = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert f"'sha256-{digest}'" in deployment, f"put 'sha256-{digest}' in the policy"
