"""Charts as readers and screen readers meet them: a named figure, a Chinese menu, no off-site address."""

import json
import re

import altair as alt
import pytest

from pairing_assistance import charts, data
from pairing_assistance.charts import render, timeline


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
    options = json.loads(re.search(r'spec, (\{.*?\})\)\.catch', html).group(1))
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
