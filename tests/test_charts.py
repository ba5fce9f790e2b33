"""Chart builders: valid Vega-Lite, offline HTML output, every label translated, live controls present."""

import json

import altair as alt
import pytest

from pairing_assistance import charts, data, i18n, summaries
from pairing_assistance.charts import render


@pytest.fixture(scope="module")
def built():
    charts.setup()
    findings, studies = data.load_table("findings"), data.load_table("studies")
    return {
        "timeline": charts.timeline_chart(data.load_table("timeline")),
        "equalisation": charts.equalisation_chart(),
        "two_wheel": charts.two_wheel_chart(),
        "evidence": charts.evidence_map_chart(findings, studies, domains=["growth", "industry"]),
        "problems": charts.problems_chart(data.load_table("problems"), studies),
        "pairing_map": charts.pairing_map_chart(data.load_table("pairings"), data.load_table("programmes"),
                                                data.load_table("regions"), data.load_geometry()),
        "pairing_table": charts.pairing_table_chart(data.load_table("pairings"), data.load_table("programmes")),
        "mechanism": charts.mechanism_chart(data.load_table("programmes"), data.load_table("pairings")),
        **_estimate_charts(),
    }


def _estimate_charts():
    import pandas as pd

    from pairing_assistance.estimate import convergence, report, specs

    panel, pairings, regions = (data.load_table(n) for n in ("panel_provinces", "pairings", "regions"))
    paths, summary = report.gap_paths(panel, pairings, regions)
    milestones = pd.DataFrame({"year": [1994, 2010], "label": ["援藏", "援疆"]})
    return {
        "convergence": charts.convergence_chart(convergence.sigma(panel), convergence.sigma(panel, weight="population_10k"),
                                                convergence.theil(panel), milestones),
        "synth_gap": charts.synth_gap_chart(paths, summary),
        "specification": charts.specification_chart(specs.run_grid(panel, pairings, regions)),
    }


ALL_CHARTS = ["timeline", "equalisation", "two_wheel", "evidence", "problems", "pairing_map", "pairing_table", "mechanism",
              "convergence", "synth_gap", "specification"]


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_chart_is_valid_and_has_a_bound_control(built, name):
    spec = built[name].to_dict()  # validates against the Vega-Lite schema
    params = json.dumps(spec.get("params", [])) + json.dumps(spec)
    assert '"bind"' in params, f"{name} has no control bound to an input"


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_renderer_emits_offline_deterministic_html(built, name):
    bundle = alt.renderers.get()(built[name].to_dict())
    html = bundle["text/html"]
    assert "vegaEmbed" in html and "application/vnd.vegalite" not in bundle
    assert "cdn." not in html and "<script src" not in html
    assert html == alt.renderers.get()(built[name].to_dict())["text/html"]
    assert render.chart_id(built[name].to_dict()) in html


def test_chart_data_stays_small(built):
    sizes = {name: len(json.dumps(chart.to_dict(), ensure_ascii=False).encode()) for name, chart in built.items()}
    assert max(sizes.values()) < 400_000, sizes


def test_every_label_has_both_languages():
    for key, labels in i18n.LABELS.items():
        assert set(labels) == set(i18n.LANGUAGES) and all(labels.values()), key
    with pytest.raises(KeyError):
        i18n.t("no.such.label")
    with pytest.raises(KeyError):
        i18n.t("year", "fr")


LABEL_PREFIXES = {  # (table, column) -> i18n prefix of the labels charts show for its codes
    ("timeline", "stage"): "stage", ("timeline", "kind"): "kind", ("findings", "domain"): "domain",
    ("findings", "direction"): "direction", ("findings", "programme"): "programme", ("findings", "horizon"): "horizon",
    ("findings", "method"): "method", ("problems", "dimension"): "dimension", ("problems", "phase"): "phase",
    ("problems", "remedy"): "remedy", ("programmes", "field"): "db.field", ("programmes", "direction"): "db.direction",
    ("programmes", "stage"): "stage", ("pairings", "confidence"): "db.conf",
}


def test_every_enum_code_in_the_data_has_a_label():
    descriptor = json.loads((data.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    checked = 0
    for resource in descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            prefix = LABEL_PREFIXES.get((resource["name"], field["name"]))
            if prefix:
                for code in field["constraints"]["enum"]:
                    for lang in i18n.LANGUAGES:
                        assert i18n.t(f"{prefix}.{code}", lang)
                        checked += 1
    assert checked >= 2 * 60


def test_english_edition_charts_build():
    assert "Stage" in json.dumps(charts.timeline_chart(data.load_table("timeline"), lang="en").to_dict())


def test_unknown_domain_is_rejected():
    with pytest.raises(ValueError, match="no findings coded"):
        charts.evidence_map_chart(data.load_table("findings"), data.load_table("studies"), domains=["weather"])


def test_key_number_tables():
    per_stage = summaries.events_per_stage(data.load_table("timeline"))
    assert per_stage.iloc[:, 0].tolist() == [2, 9, 5, 4]
    findings = data.load_table("findings")
    table = summaries.findings_by(findings, ["growth", "industry"])
    chosen = findings.query("domain in ['growth', 'industry']")
    # directions belong to empirical findings only: the table counts exactly those
    assert table.loc["合计", "合计"] == (chosen["direction"] != "").sum() < len(chosen)
    assert set(table.columns) <= {"正向", "负向", "混合或因对象而异", "未发现效应", "合计"}


def test_live_jupyter_charts_carry_the_vega_bundle_once(monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "classroom.ipynb")
    renderer = render._JupyterRenderer()
    spec = charts.timeline_chart(data.load_table("timeline")).to_dict()
    first, second = renderer(spec)["text/html"], renderer(spec)["text/html"]
    assert "window.vegaEmbed=" in first.replace(" ", "") and len(first) > 500_000
    assert "window.vegaEmbed=" not in second.replace(" ", "") and "vegaEmbed(" in second
    assert render.in_live_jupyter()
    monkeypatch.delenv("JPY_SESSION_NAME")
    assert not render.in_live_jupyter()


@pytest.mark.parametrize("programme, year, expected", [
    ("tibet_1994", 1992, "所选项目在1992年没有生效的结对（数据库中的结对见于1994年至今）"),
    ("covid_hubei_2020", 2024, "所选项目在2024年没有生效的结对（数据库中的结对见于2020年）"),
    ("xinjiang_2010", 2012, None),
])
def test_the_pairing_map_says_when_a_programme_has_no_pair_in_force(programme, year, expected):
    """Moving the year or the programme to a year without pairs writes so (the drawing never stays unchanged)."""
    import re

    vl_convert = pytest.importorskip("vl_convert")
    spec = charts.pairing_map_chart(data.load_table("pairings"), data.load_table("programmes"),
                                    data.load_table("regions"), data.load_geometry(), programme=programme,
                                    year=year).to_dict()
    found = [x for x in re.findall(r"<text[^>]*>([^<]*)</text>", vl_convert.vegalite_to_svg(spec)) if "没有生效" in x]
    assert found == ([expected] if expected else [])
