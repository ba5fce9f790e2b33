"""Charts as readers and screen readers meet them: a named figure, a Chinese menu, no off-site address."""

import json
import re

import csv
import io
from urllib.parse import unquote

import altair as alt
import pandas as pd
import pytest

from pairing_assistance import charts, data, instruments
from pairing_assistance import design_lab as lab
from pairing_assistance import problems_measured as pm
from pairing_assistance.charts import database, design_lab, fair, problems_measured, render, theory, timeline
from pairing_assistance.charts.instruments import describe_scaled, scaled_aid_chart
from pairing_assistance.models import equalisation, growth


@pytest.fixture(scope="module")
def timeline_html():
    charts.setup()
    chart = charts.timeline_chart(data.load_table("timeline"))
    return chart.to_dict(), alt.renderers.get()(chart.to_dict())["text/html"]


def _emitted_spec(html):
    return json.loads(re.search(r"var spec = (\{.*?\});\n", html, re.DOTALL).group(1).replace("<\\/", "</"))


def test_chart_is_a_figure_named_by_its_description(timeline_html):
    spec, html = timeline_html
    element = render.chart_id(spec)
    assert html.startswith(f'<figure class="pairing-figure" aria-labelledby="{element}-name">')
    caption = re.search(rf'<figcaption id="{element}-name"[^>]*>(.*?)</figcaption>', html).group(1)
    assert caption == spec["description"] and "style=" not in html.split("</figcaption>")[0].split("<figcaption")[1]
    assert _emitted_spec(html)["description"] == spec["description"]  # Vega labels its SVG with it


def test_timeline_description_is_computed_from_the_data():
    table = data.load_table("timeline")
    text = timeline.describe(table)
    busiest = table["stage"].value_counts()
    assert f"共列出{len(table)}个事件" in text and f"其中{int(table['in_review_table1'].sum())}个出自综述表1" in text
    assert f"（{busiest.max()}个）" in text and f"{table['year'].min()}—{table['year'].max()}年" in text


def test_chart_without_description_is_named_by_its_title_for_screen_readers_only():
    spec = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q").properties(title="标题甲").to_dict()
    html = render.chart_html(spec)
    assert re.search(r'<figcaption [^>]*style="position:absolute[^"]*">标题甲</figcaption>', html)
    assert render.chart_name({"vconcat": [{"layer": [{"title": {"text": "下层标题"}}]}]}) == "下层标题"
    assert render.chart_name({}) == render.FALLBACK_NAME
    computed = {"title": {"text": {"expr": "'换算：' + pick"}}, "vconcat": [{"title": "下层标题"}]}
    assert render.chart_name(computed) == "下层标题"


def test_menu_is_chinese_and_no_schema_url_is_emitted(timeline_html):
    spec, html = timeline_html
    assert "$schema" in spec and "$schema" not in html and "https://" not in html
    options = json.loads(re.search(r'spec, (\{.*?\})\)\.then', html).group(1))
    assert options["mode"] == "vega-lite"  # needed once $schema is gone
    assert options["i18n"]["SVG_ACTION"] == "保存为 SVG" and options["i18n"]["PNG_ACTION"] == "保存为 PNG"
    assert not any(re.search(r"[A-Za-z]{3}", text.replace("Vega", "").replace("PNG", "").replace("SVG", ""))
                   for text in options["i18n"].values())


def test_code_labels_expression_translates_codes_in_vega():
    import vl_convert

    expression = render.code_labels_expr("datum.label", {"high": "高", "low": "低"})
    spec = {"data": {"values": [{"c": "high"}, {"c": "low"}, {"c": "medium"}]}, "mark": "point",
            "encoding": {"color": {"field": "c", "type": "nominal", "legend": {"labelExpr": expression}}}}
    svg = vl_convert.vegalite_to_svg(spec)
    assert ">高<" in svg and ">低<" in svg and ">medium<" in svg and ">high<" not in svg


# ---- every chart of chapters 2, 3.1, 4 and 6: a description from its data and a table to open and download ----

def _tables():
    return {n: data.load_table(n) for n in ("pairings", "programmes", "regions", "fiscal_2019", "aid_figures",
                                             "panel_provinces", "problems", "studies")}


@pytest.fixture(scope="module")
def chapter_charts():
    charts.setup()
    t = _tables()
    provinces = equalisation.regions_from_table(t["fiscal_2019"])
    scaled = instruments.scaled_figures(t["aid_figures"], t["pairings"], t["regions"], t["panel_provinces"], t["fiscal_2019"])
    stable = pm.stability(t["pairings"], t["programmes"])
    burden = pd.concat([pm.burden(t["pairings"], t["regions"], t["fiscal_2019"], y) for y in (2000, 2020)])
    overlap = pd.concat([pm.overlap(t["pairings"], t["regions"], y) for y in (2000, 2020)])
    return {
        "equalisation": charts.equalisation_chart(provinces),
        "fair": fair.fair_comparison_chart(equalisation.fair_grid(regions=provinces)),
        "two_wheel": charts.two_wheel_chart(),
        "timeline": charts.timeline_chart(data.load_table("timeline")),
        "map": charts.pairing_map_chart(t["pairings"], t["programmes"], t["regions"], data.load_geometry()),
        "pairs": charts.pairing_table_chart(t["pairings"], t["programmes"]),
        "mechanism": charts.mechanism_chart(t["programmes"], t["pairings"]),
        "scaled": scaled_aid_chart(instruments.long_scaled(scaled, t["programmes"])),
        "stability": problems_measured.stability_chart(pm.stability_long(stable)),
        "burden": problems_measured.burden_overlap_chart(burden, overlap),
        "problems": problems_measured.problems_figure(t["problems"], t["studies"]),
    }


def _csv_of(html):
    href = re.search(r'<a class="pairing-chart-csv" download="[^"]+\.csv" href="data:text/csv;charset=utf-8,([^"]*)"', html)
    return list(csv.reader(io.StringIO(unquote(href.group(1)).lstrip("\ufeff"))))


@pytest.mark.parametrize("name", ["equalisation", "fair", "two_wheel", "timeline", "map", "pairs", "mechanism", "scaled",
                                  "stability", "burden", "problems"])
def test_every_chart_has_a_description_a_table_and_a_csv_with_its_source(chapter_charts, name):
    spec = chapter_charts[name].to_dict()
    html = render.chart_html(spec)
    assert re.search(r"[\u3400-\u9fff]", spec.get("description", "")) and re.search(r"\d", spec["description"])
    table = render.chart_table(spec)
    assert table and table["rows"] and all(re.search(r"[\u3400-\u9fff]", h) for h in table["headers"])
    summary = re.search(r'<details class="pairing-chart-data"><summary>([^<]+)</summary>', html).group(1)
    assert summary == f"查看图表数据（{len(table['rows'])} 行）"
    rows = _csv_of(html)
    assert rows[0] == table["headers"] and rows[1:1 + len(table["rows"])] == table["rows"]
    assert rows[-1] == [f"数据来源：{table['source']}"] and table["source"]
    assert f"数据来源：{table['source']}" in html  # the source line is on the page too
    shown = min(len(table["rows"]), render.TABLE_ROWS_SHOWN)
    assert html.count("<tr>") == 1 + shown
    # the attached table travels once (as HTML and CSV), not again inside the Vega spec
    assert render.TABLE_KEY not in _emitted_spec(html).get("usermeta", {})
    assert not re.search(r"\bNaN\b|<NA>|\bNone\b|\bnan\b", "".join(map(str, table["rows"])))


def test_svg_is_named_as_one_image_and_marks_stay_out_of_the_accessibility_tree(timeline_html):
    spec, html = timeline_html
    assert 'svg.setAttribute("role", "img")' in html and spec["config"]["aria"] is False
    assert f'svg.setAttribute("aria-label", {json.dumps(spec["description"], ensure_ascii=False)})' in html


def test_table_from_encoding_titles_when_nothing_is_attached():
    frame = pd.DataFrame({"year": [2000, 2001], "value": [1.5, None], "code": ["a", "b"]})
    chart = alt.Chart(frame).mark_line().encode(x=alt.X("year:Q", title="年份"), y=alt.Y("value:Q", title="数值"),
                                                tooltip=[alt.Tooltip("code:N")])  # no Chinese title: not shown
    table = render.chart_table(chart.to_dict())
    assert table["headers"] == ["年份", "数值"] and table["rows"] == [["2000", "1.5"], ["2001", "—"]]
    assert table["numeric"] == [True, True]


def test_attach_table_refuses_field_names_as_headers():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point()
    with pytest.raises(ValueError, match="valid_to"):
        render.attach_table(chart, pd.DataFrame({"valid_to": [1]}), "来源")


def test_long_tables_show_their_first_rows_and_say_so():
    frame = pd.DataFrame({"年份": range(render.TABLE_ROWS_SHOWN + 5)})
    chart = render.attach_table(alt.Chart(frame).mark_point().encode(x="年份:Q"), frame, "某来源")
    html = render.chart_html(chart.to_dict())
    assert f"表中列出前 {render.TABLE_ROWS_SHOWN} 行，共 {render.TABLE_ROWS_SHOWN + 5} 行" in html
    assert len(_csv_of(html)) == 1 + render.TABLE_ROWS_SHOWN + 5 + 2


# ---- the descriptions say what the data say ----

def test_equalisation_and_growth_descriptions_match_the_models():
    provinces = equalisation.regions_from_table(data.load_table("fiscal_2019"))
    row = equalisation.summarise(equalisation.simulate(0.3, 0.2, 0.1, provinces)).set_index("scenario")
    text = theory.describe_equalisation(provinces)
    assert f"从转移前的 {row.loc['before', 'gini']:.3f} 降到横向规则的 {row.loc['horizontal', 'gini']:.3f}" in text
    assert f"纵向规则只降到 {row.loc['vertical', 'gini']:.3f}" in text and f"{len(provinces.names)}个省级地区" in text
    run = growth.simulate(0.10, 0.20, 10).set_index("year")
    assert f"第 10 年的 {run.loc[10, 'recipient']:.3f}" in theory.describe_growth()
    assert f"第 40 年为 {run.loc[40, 'recipient']:.3f}" in theory.describe_growth()


def test_fair_description_finds_the_first_point_where_the_vertical_rule_catches_up():
    grid = pd.DataFrame({"ch_pct": 10, "theta_pct": [0, 0, 50, 50, 100, 100],
                         "scenario": ["horizontal", "vertical"] * 3, "gini": [0.2, 0.3, 0.2, 0.2, 0.2, 0.1]})
    assert "累进程度达到 50% 时" in fair.describe_fair(grid)
    assert "始终高于横向规则" in fair.describe_fair(grid.assign(gini=[0.2, 0.3] * 3))


def test_database_and_chapter_6_descriptions_count_the_data():
    t = _tables()
    active = t["pairings"][(t["pairings"]["programme_id"] == "xinjiang_2010") & (t["pairings"]["valid_from"] <= 2012)
                           & (t["pairings"]["valid_to"].fillna(9999) >= 2012)]
    assert f"{len(active)} 对结对在实施" in database.describe_map(t["pairings"], t["programmes"], t["regions"])
    assert f"共 {len(t['pairings'])} 条结对记录" in database.describe_table(t["pairings"])
    long = pm.stability_long(pm.stability(t["pairings"], t["programmes"]))
    kept = long[long["status"] == "kept"]["share"]
    assert f"占调整前的 {100 * kept.min():.0f}% 到 {100 * kept.max():.0f}%" in problems_measured.describe_stability(long)
    remedy = t["problems"]["remedy"].value_counts()
    assert f"（{remedy.max()} 个）" in problems_measured.describe_problems(t["problems"])


def test_scaled_and_lab_descriptions_count_the_data():
    t = _tables()
    scaled = instruments.scaled_figures(t["aid_figures"], t["pairings"], t["regions"], t["panel_provinces"], t["fiscal_2019"])
    long = instruments.long_scaled(scaled, t["programmes"])
    share = long[long["scale"] == "donor_revenue"]["value"]
    assert f"下有 {len(share)} 条，占比从 {share.min():.3f}% 到 {share.max():.3f}%" in describe_scaled(long)
    cases = lab.load_cases()
    labels = [lab.case_label(c, t["programmes"]) for c in cases]
    result = lab.evaluate(cases[0], lab.solve(cases[0], {"need": 1.0, "distance": 1.0}, 2))
    _, measures = lab.precompute(cases)
    assert f"重合的受援方占 {100 * result['overlap']:.0f}%" in design_lab.describe_lab(labels, measures)
    table = design_lab.lab_table(labels, measures)
    assert len(table) == len(measures) and table.columns[3] == "权重：支援方财力"


def test_aid_chart_names_donor_groups_in_words(chapter_charts):
    spec = chapter_charts["scaled"].to_dict()
    labels = [row["label"] for rows in spec["datasets"].values() for row in rows if "label" in row]
    # groups written "N (donor) provinces" read as words; other English notations in aid_figures.csv remain (data)
    assert labels and not any(re.search(r"\d+ (?:partner )?(?:donor )?provinces→", label) for label in labels)
    assert any("个省市→" in label for label in labels)
