/* Charts follow the page's light or dark theme (added to pages with charts by book/_ext/reader_views.py).
 *
 * Loaded after the Vega bundle and before the charts' own scripts: it wraps window.vegaEmbed so that a chart
 * drawn while the page is dark gets a dark Vega-Lite config (transparent background, light text and axes),
 * and redraws every chart, keeping the values of its controls, when the reader switches the theme or the
 * browser's setting changes. The spec's own config still wins over this one (vega-embed merges it under).
 *
 * Every chart's SVG is one image named by its caption (role="img", set by the chart's own script). Vega-Lite's
 * config.aria=false hides axes and legends but not the marks, nor the rectangles of an interval selection
 * (e.g. "years_brush"): each stays a "graphics-symbol" without a name (axe svg-img-alt, serious). So the compiled
 * Vega spec is patched before it is parsed: every mark, axis, legend and title, at any depth, gets aria=false
 * (Vega then writes aria-hidden="true" on it). One place, every chart of the site.
 *
 * Narrow screens: a chart drawn wider than its column is drawn again with narrower plot areas (the widths of
 * its views, not its text: labels keep their size), so that it fits, or is only slightly scaled down as a
 * picture by phone.css. Views laid out in pixels (the map, list columns) keep their width, and a chart whose
 * narrower plots would win back under a third of the overflow is drawn as designed. Drawn again when the
 * column's width changes (a phone turned, a window resized), keeping the values of its controls. The fit is
 * done when the chart's element has data-chart-factor (tests and benchmarks wait for it).
 */
(function () {
  "use strict";
  var embed = window.vegaEmbed;
  if (!embed) return;
  var TEXT = "#e3e6ea", MUTED = "#b4bcc6", LINE = "#8a939d", GRID = "#3b424a";
  var DARK = {
    background: "transparent",
    title: { color: TEXT, subtitleColor: MUTED },
    axis: { domainColor: LINE, tickColor: LINE, gridColor: GRID, labelColor: MUTED, titleColor: TEXT },
    legend: { labelColor: MUTED, titleColor: TEXT },
    header: { labelColor: MUTED, titleColor: TEXT },
    text: { color: TEXT },
    view: { stroke: null },
    style: { "guide-label": { fill: MUTED }, "guide-title": { fill: TEXT }, "group-title": { fill: TEXT } }
  };
  var charts = [];

  function hideFromAccessibilityTree(vgSpec) {
    (function walk(group) {
      ["marks", "axes", "legends"].forEach(function (key) {
        (group[key] || []).forEach(function (item) { item.aria = false; if (key === "marks") walk(item); });
      });
      if (typeof group.title === "string" || Array.isArray(group.title)) group.title = { text: group.title };
      if (group.title && typeof group.title === "object") group.title.aria = false;
    })(vgSpec);
    return vgSpec;
  }

  function withPatch(patch) {  // a chart's own patch function still runs, first
    if (typeof patch !== "function") return hideFromAccessibilityTree;
    return function (vgSpec) { return hideFromAccessibilityTree(patch(vgSpec)); };
  }

  // pydata-sphinx-theme writes the reader's choice (light, dark or auto) into <html data-mode> in the head
  function pageIsDark() {
    var mode = document.documentElement.dataset.mode;
    if (mode === "dark" || mode === "light") return mode === "dark";
    return !!window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  var NARROWEST = 0.45;  // plot areas keep at least this share of their designed width

  // Views laid out in pixels keep their width: maps (the inset and borders are placed for the frame) and
  // views that put marks at fixed x positions away from the left edge (a list's right column, a centred note),
  // which would not move with a narrower width. Text at the left edge (x up to 50 px) moves with nothing.
  var LEFT_EDGE = 50;
  function keepsWidth(view) {
    var encoding = view.encoding || {};
    var placed = ["x", "x2"].some(function (channel) {
      var value = encoding[channel] && encoding[channel].value;
      return typeof value === "number" && value > LEFT_EDGE;
    });
    return !!view.projection || placed || (view.layer || []).some(keepsWidth);
  }

  // The horizontal extent of the plot areas that can be narrowed (pixels), read from the Vega-Lite spec.
  function plotWidth(view) {
    if (keepsWidth(view)) return 0;
    if (view.hconcat) return view.hconcat.reduce(function (sum, child) { return sum + plotWidth(child); }, 0);
    var children = view.vconcat || view.concat || view.layer;
    var own = typeof view.width === "number" ? view.width : 0;
    if (!children) return own;
    return Math.max.apply(null, [own].concat(children.map(plotWidth)));
  }

  // The spec with every plot width multiplied by factor; data, encodings and config untouched. Step widths
  // (a band per category, with its label under it) keep their step: narrower bands only crowd the labels.
  function narrowed(view, factor) {
    if (keepsWidth(view)) return view;
    var copy = Object.assign({}, view);
    if (typeof view.width === "number") copy.width = Math.max(Math.min(view.width, 60), Math.round(view.width * factor));
    ["hconcat", "vconcat", "concat", "layer"].forEach(function (key) {
      if (view[key]) copy[key] = view[key].map(function (child) { return narrowed(child, factor); });
    });
    if (view.spec) copy.spec = narrowed(view.spec, factor);
    return copy;
  }

  // The room a chart has: its column minus vega-embed's padding for the menu button.
  function room(chart) {
    var style = window.getComputedStyle(chart.element);
    return chart.element.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
  }

  // The factor that makes a chart drawn at natural width fit the room: the text and legends (natural - plot)
  // keep their size, the plot areas give up the rest.
  function fitFactor(chart, natural) {
    var plot = plotWidth(chart.spec), fixed = natural - plot;
    if (!plot || natural <= chart.room + 1) return 1;
    return Math.max(NARROWEST, Math.min(1, (chart.room - fixed) / plot));
  }

  // A control's value is reader state; the sizes of views are not (they follow the room).
  function withoutSizes(state) {
    if (!state) return state;
    Object.keys(state.signals || {}).forEach(function (name) {
      if (/(^|_)(width|height)$/.test(name)) delete state.signals[name];
    });
    (state.subcontext || []).forEach(withoutSizes);
    return state;
  }

  function draw(chart) {
    var options = Object.assign({}, chart.options);
    options.patch = withPatch(chart.options.patch);
    chart.dark = pageIsDark();
    if (chart.dark) options.config = Object.assign({}, DARK, chart.options.config || {});
    var previous = chart.view, state = null;
    if (previous) {
      try { state = withoutSizes(previous.getState({ data: function () { return false; } })); } catch (error) { state = null; }
    }
    var spec = chart.factor < 1 ? narrowed(chart.spec, chart.factor) : chart.spec;
    return embed(chart.element, spec, options).then(function (result) {
      if (previous) previous.finalize();
      chart.view = result.view;
      if (state) { try { result.view.setState(state); } catch (error) { /* a control the new view lacks */ } }
      chart.element.dataset.chartTheme = chart.dark ? "dark" : "light";
      // vega-embed's menu button is a <summary> holding only an icon: give it the menu's (Chinese) title
      var menu = chart.element.querySelector("details[title] > summary");
      if (menu) menu.setAttribute("aria-label", menu.parentElement.getAttribute("title"));
      chart.room = room(chart);
      var svg = chart.element.querySelector("svg"), drawn = svg ? parseFloat(svg.getAttribute("width")) || 0 : 0;
      if (chart.factor === undefined) {  // first drawing at this room: at natural width
        chart.natural = drawn;
        chart.refits = 2;
        chart.factor = fitFactor(chart, drawn);
        if (chart.factor < 0.98) return draw(chart);
      } else if (chart.factor < 1 && chart.natural - drawn < (chart.natural - chart.room) / 3) {
        // views that keep their width set the chart's width: narrower plots won back under a third of the
        // overflow, so draw it as designed (cramped plots would buy too little)
        chart.factor = 1;
        return draw(chart);
      } else if (chart.refits > 0 && chart.factor > NARROWEST && drawn > chart.room + 1 && chart.natural > drawn) {
        // text that does not shrink made the first guess too wide: the two drawings give the true slope
        chart.refits -= 1;
        var slope = (chart.natural - drawn) / (1 - chart.factor);
        chart.factor = Math.max(NARROWEST, chart.factor - (drawn - chart.room) / slope);
        return draw(chart);
      }
      chart.element.dataset.chartFactor = chart.factor.toFixed(2);
      return result;
    });
  }

  window.vegaEmbed = function (element, spec, options) {
    var target = typeof element === "string" ? document.querySelector(element) : element;
    var chart = { element: target, spec: spec, options: options || {} };
    charts.push(chart);
    return draw(chart);
  };
  Object.keys(embed).forEach(function (key) { window.vegaEmbed[key] = embed[key]; });

  function follow() {
    charts.forEach(function (chart) {
      if (chart.view && chart.dark !== pageIsDark()) draw(chart).catch(console.error);
    });
  }
  new MutationObserver(follow).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-mode"] });

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      charts.forEach(function (chart) {
        if (chart.view && Math.abs(room(chart) - chart.room) > 8) {
          chart.factor = undefined;
          draw(chart).catch(console.error);
        }
      });
    }, 200);
  });
  if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", follow);
})();
