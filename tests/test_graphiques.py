"""alacarte.graphiques: the accessible plotly defaults (template, palette, source line, French numbers)."""

from __future__ import annotations

import re

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from alacarte import graphiques
from alacarte.graphiques import OKABE_ITO, TEMPLATE, nombre, sourcer, theme, utiliser_theme


@pytest.fixture
def defaut_restaure():
    avant = pio.templates.default
    yield
    pio.templates.default = avant


def _sources(fig) -> list:
    return [a for a in fig.layout.annotations if a.name == graphiques.NOM_SOURCE]


def test_okabe_ito_is_eight_distinct_hex_colours_with_yellow_last():
    assert len(OKABE_ITO) == 8 and len(set(OKABE_ITO)) == 8
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in OKABE_ITO)
    assert OKABE_ITO[-1] == "#F0E442"


def test_template_is_registered_on_import():
    assert TEMPLATE in pio.templates
    mise_en_page = pio.templates[TEMPLATE].layout
    assert list(mise_en_page.colorway) == OKABE_ITO[:-1]  # no pale yellow for lines and points
    assert mise_en_page.separators == ", "  # 1 234,5
    assert mise_en_page.plot_bgcolor == "white" and mise_en_page.paper_bgcolor == "white"
    assert mise_en_page.font.size >= 14 and mise_en_page.title.font.size > mise_en_page.font.size
    assert mise_en_page.xaxis.exponentformat == "none"  # 1 000 000 rather than 1M
    assert mise_en_page.coloraxis.colorscale  # a sequential scale (viridis) for quantities


def test_theme_returns_a_fresh_template():
    assert theme() is not theme()
    assert isinstance(theme(), go.layout.Template)


def test_utiliser_theme_makes_it_the_default(defaut_restaure):
    pio.templates.default = "plotly"
    utiliser_theme()
    assert pio.templates.default == TEMPLATE
    fig = px.bar(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]}), x="a", y="b")
    assert list(fig.layout.template.layout.colorway) == OKABE_ITO[:-1]


def test_categories_get_okabe_ito_colours_in_order():
    table = pd.DataFrame({"x": [1, 2, 1, 2], "y": [3, 4, 5, 6], "groupe": ["A", "A", "B", "B"]})
    fig = px.line(table, x="x", y="y", color="groupe", template=TEMPLATE)
    assert [t.line.color for t in fig.data] == OKABE_ITO[:2]


def test_sourcer_adds_one_source_line_under_the_plot_and_returns_the_figure():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    assert sourcer(fig, "INSEE, populations légales 2026") is fig
    (source,) = _sources(fig)
    assert source.text == "Source : INSEE, populations légales 2026"
    assert (source.xref, source.yref, source.x, source.y) == ("paper", "paper", 0, 0)
    assert source.yanchor == "top" and source.yshift < 0 and source.showarrow is False
    assert fig.layout.margin.b >= -source.yshift + 20  # room for it below the axis title


def test_sourcer_replaces_its_line_and_keeps_other_annotations():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.add_annotation(text="médiane", x="a", y=1)
    sourcer(fig, "première source")
    sourcer(fig, "Source : seconde source")
    assert [a.text for a in _sources(fig)] == ["Source : seconde source"]  # « Source » not written twice
    assert "médiane" in [a.text for a in fig.layout.annotations]


def test_sourcer_wraps_long_texts_and_keeps_a_larger_margin():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(margin_b=300)
    sourcer(fig, "mot " * 60, largeur=50)
    (source,) = _sources(fig)
    lignes = source.text.split("<br>")
    assert len(lignes) > 3 and all(len(ligne) <= 50 for ligne in lignes)
    assert fig.layout.margin.b == 300


def test_sourcer_refuses_an_empty_text():
    with pytest.raises(ValueError):
        sourcer(go.Figure(), "   ")


def test_figure_with_source_renders_to_standalone_html(tmp_path):
    fig = sourcer(px.bar(pd.DataFrame({"a": ["x"], "b": [1]}), x="a", y="b", template=TEMPLATE), "test")
    chemin = tmp_path / "figure.html"
    fig.write_html(chemin, include_plotlyjs=True)
    html = chemin.read_text(encoding="utf-8")
    assert "Source : test" in html and "cdn.plot.ly" not in html.split("<body>")[0]


@pytest.mark.parametrize(("valeur", "arguments", "attendu"), [
    (8205557, {}, "8\u00a0205\u00a0557"),
    (2.0213, {"decimales": 1}, "2,0"),
    (2.0213, {"decimales": 1, "signe": True}, "+2,0"),
    (-0.8, {"decimales": 1, "signe": True}, "\u22120,8"),
    (-0.01, {"decimales": 1}, "0,0"),
    (float("nan"), {}, "non disponible"),
    (None, {}, "non disponible"),
    ("abc", {}, "non disponible"),
])
def test_nombre_writes_numbers_the_french_way(valeur, arguments, attendu):
    assert nombre(valeur, **arguments) == attendu
