// Cluster Desk map page: the circles Fit Smallest Circle shows (issue 13), drawn apart from the
// cluster's norm circle, which they never replace: the smallest circle holding every located
// participant (dashed purple) and the one holding 90 % of them (dotted teal). Loaded before
// map.js, which calls the extension registered here. Python sends each circle as its geodesic
// ring (core.geodesy.circle_outline via ui.map.fit_circles); nothing here touches text.
'use strict';

(function () {
  // Colours and dashes also drawn by the legend (cluster_desk/ui/map/legend.py: swatch).
  const STYLES = {
    smallest: { color: '#7b1fa2', weight: 2, dashArray: '10 6' },
    smallest90: { color: '#00897b', weight: 2, dashArray: '2 6' },
  };
  const MAX_POINTS = 1000;

  function validRing(ring) {
    return Array.isArray(ring) && ring.length >= 3 && ring.length <= MAX_POINTS && ring.every(
      (p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])
        && Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 540);
  }

  function register(api) {
    const { map, L, handlers, stats } = api;
    const renderer = L.svg({ pane: 'cd-circle' }); // the norm circle's pane: under the members
    let layers = [];
    stats.fitCircles = [];

    function clear() {
      for (const layer of layers) map.removeLayer(layer);
      layers = [];
      stats.fitCircles = [];
    }

    handlers.setFitCircles = (msg) => {
      clear();
      const circles = msg && Array.isArray(msg.circles) ? msg.circles : [];
      for (const c of circles) {
        if (!c || typeof c.style !== 'string' || !Object.prototype.hasOwnProperty.call(STYLES, c.style)
          || !validRing(c.ring)) continue;
        const options = Object.assign(
          { renderer, pane: 'cd-circle', interactive: false, fill: false, opacity: 0.95 }, STYLES[c.style]);
        layers.push(L.polygon(c.ring, options).addTo(map));
        stats.fitCircles.push(c.style);
      }
    };
    handlers.clearFitCircles = () => clear();
  }

  window.__cdMapExtensions = (window.__cdMapExtensions || []).concat([register]);
})();
