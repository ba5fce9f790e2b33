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

  function draw(chart) {
    var options = Object.assign({}, chart.options);
    options.patch = withPatch(chart.options.patch);
    chart.dark = pageIsDark();
    if (chart.dark) options.config = Object.assign({}, DARK, chart.options.config || {});
    var previous = chart.view, state = null;
    if (previous) {
      try { state = previous.getState({ data: function () { return false; } }); } catch (error) { state = null; }
    }
    return embed(chart.element, chart.spec, options).then(function (result) {
      if (previous) previous.finalize();
      chart.view = result.view;
      if (state) { try { result.view.setState(state); } catch (error) { /* a control the new view lacks */ } }
      chart.element.dataset.chartTheme = chart.dark ? "dark" : "light";
      // vega-embed's menu button is a <summary> holding only an icon: give it the menu's (Chinese) title
      var menu = chart.element.querySelector("details[title] > summary");
      if (menu) menu.setAttribute("aria-label", menu.parentElement.getAttribute("title"));
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
  if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", follow);
})();
