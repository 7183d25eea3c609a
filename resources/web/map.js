// Cluster Desk map page. Talks to Python only through the QWebChannel object "bridge":
// Python -> page: bridge.command(jsonString) carrying {"op": ..., "seq": n, ...};
// page -> Python: bridge.<message>(jsonString). See ARCHITECTURE.md, "The map bridge".
// Untrusted text (member names) only ever goes through textContent.
'use strict';

(function () {
  const LAND = '#f6f3ec';
  const BORDER = '#aaa69c';
  const FALLBACK_COLOUR = '#607d8b';
  const FORMER_GREY = '#9e9e9e';
  const OUTSIDE_RED = '#d32f2f';
  const HIGHLIGHT_INK = '#212121';
  const SELECTION_ORANGE = '#ff6f00';
  const CIRCLE_BLUE = '#1565c0';
  const DRAG_THRESHOLD_PX = 3;
  const CURSOR_INTERVAL_MS = 50; // about 20 cursor messages a second at most

  const map = L.map('map', {
    center: [55.79, 49.11],
    zoom: 5,
    minZoom: 2,
    maxZoom: 18,
    worldCopyJump: false,
    attributionControl: false, // Leaflet's control writes innerHTML; ours uses textContent
    zoomControl: true,
  });
  L.control.scale({ imperial: false, position: 'bottomleft', maxWidth: 140 }).addTo(map);

  function makePane(name, zIndex, interactive) {
    const pane = map.createPane(name);
    pane.style.zIndex = String(zIndex);
    if (!interactive) pane.style.pointerEvents = 'none';
    return pane;
  }
  makePane('cd-basemap', 150, false); // under the (optional) online tiles in tilePane (200)
  makePane('cd-pack', 180, false); // an offline MBTiles pack: over the outlines, under online tiles
  makePane('cd-circle', 380, false);
  makePane('cd-members', 420, true);
  makePane('cd-selection', 440, false);

  const basemapRenderer = L.canvas({ pane: 'cd-basemap', padding: 0.5 });
  // One canvas for all members: 100,000 circleMarkers stay fast (no DOM node per member).
  const memberRenderer = L.canvas({ pane: 'cd-members', padding: 0.3, tolerance: 3 });
  const circleRenderer = L.svg({ pane: 'cd-circle' });
  const selectionRenderer = L.svg({ pane: 'cd-selection' });

  // ---- state ---------------------------------------------------------------------------
  let bridge = null;
  let kindColours = {};
  let kindLabels = {};
  let statusLabels = {};
  let mode = 'browse';
  const markers = new Map(); // id -> L.CircleMarker (marker.cd holds the member payload)
  let memberGroup = L.featureGroup().addTo(map);
  let outside = new Set();
  let highlighted = new Set();
  let selectedId = null;
  let selectionRing = null;
  let basemapLayers = [];
  let basemapState = 'loading';
  let tileLayer = null;
  let packLayer = null;
  let packId = null;
  const packStats = { loaded: 0, errors: 0 };
  const stats = { commands: 0, fullDraws: 0, upserts: 0, removes: 0, restyles: 0, acks: 0 };

  function send(name, payload) {
    if (bridge) bridge[name](JSON.stringify(payload));
  }

  function wrapped(latlng) {
    const w = latlng.wrap(); // clicks on a world copy east/west of 180° come back to [-180, 180]
    return { lat: w.lat, lon: w.lng };
  }

  // ---- members -------------------------------------------------------------------------
  function isValidMember(d) {
    return d !== null && typeof d === 'object' && typeof d.id === 'string' && typeof d.name === 'string' &&
      Number.isFinite(d.lat) && Number.isFinite(d.lon);
  }

  function styleFor(d) {
    const colour = Object.prototype.hasOwnProperty.call(kindColours, d.kind) ? kindColours[d.kind] : FALLBACK_COLOUR;
    const s = {
      radius: 6, color: '#ffffff', weight: 1, opacity: 1, fillColor: colour, fillOpacity: 0.9, dashArray: null,
    };
    if (d.status === 'candidate') {
      // hollow, dashed outline in the kind's colour: "not in yet"
      s.color = colour;
      s.weight = 2;
      s.fillOpacity = 0.15;
      s.dashArray = '3 2';
    } else if (d.status === 'former') {
      s.fillColor = FORMER_GREY;
      s.color = FORMER_GREY;
      s.fillOpacity = 0.35;
      s.opacity = 0.5;
    }
    if (outside.has(d.id)) {
      s.color = OUTSIDE_RED;
      s.weight = 2.5;
      s.opacity = 1;
      s.radius += 1;
    }
    if (highlighted.has(d.id)) {
      s.color = HIGHLIGHT_INK;
      s.weight = 3;
      s.opacity = 1;
      s.radius += 3;
    }
    return s;
  }

  function createMarker(d) {
    const m = L.circleMarker([d.lat, d.lon], Object.assign({
      renderer: memberRenderer, pane: 'cd-members', bubblingMouseEvents: false,
    }, styleFor(d)));
    m.cd = d;
    m.cdStyleKey = styleKey(d);
    return m;
  }

  function styleKey(d) {
    return d.kind + '|' + d.status + '|' + outside.has(d.id) + '|' + highlighted.has(d.id);
  }

  function restyle(id) {
    const m = markers.get(id);
    if (!m) return;
    const key = styleKey(m.cd);
    if (m.cdStyleKey === key) return; // unchanged: no canvas redraw (it walks every member)
    m.cdStyleKey = key;
    const s = styleFor(m.cd);
    m.setRadius(s.radius);
    m.setStyle(s);
    stats.restyles += 1;
  }

  function newMemberGroup() {
    const g = L.featureGroup();
    g.on('click', onMarkerClick);
    g.on('mousedown', onMarkerMouseDown);
    g.on('mouseover', onMarkerOver);
    g.on('mouseout', onMarkerOut);
    return g;
  }

  function setMembers(list) {
    stats.fullDraws += 1;
    const t0 = performance.now();
    closeTip();
    map.removeLayer(memberGroup);
    markers.clear();
    const layers = [];
    for (const d of list) {
      if (!isValidMember(d) || markers.has(d.id)) continue;
      if (d.outside === true) outside.add(d.id);
      const m = createMarker(d);
      markers.set(d.id, m);
      layers.push(m);
    }
    const t1 = performance.now();
    memberGroup = newMemberGroup();
    for (const m of layers) memberGroup.addLayer(m); // not on the map yet: just bookkeeping
    const t2 = performance.now();
    memberGroup.addTo(map); // one batch onto the canvas
    stats.prof = [t1 - t0, t2 - t1, performance.now() - t2];
    updateSelectionRing();
  }

  function upsertMember(d) {
    if (!isValidMember(d)) return;
    stats.upserts += 1;
    if (d.outside === true) outside.add(d.id);
    else if (d.outside === false) outside.delete(d.id);
    const m = markers.get(d.id);
    if (m) {
      m.cd = d;
      const ll = m.getLatLng();
      if (ll.lat !== d.lat || ll.lng !== d.lon) m.setLatLng([d.lat, d.lon]);
      restyle(d.id);
    } else {
      const nm = createMarker(d);
      markers.set(d.id, nm);
      memberGroup.addLayer(nm);
    }
    if (d.id === selectedId) updateSelectionRing();
  }

  function removeMembers(ids) {
    for (const id of ids) {
      const m = markers.get(id);
      if (!m) continue;
      stats.removes += 1;
      memberGroup.removeLayer(m);
      markers.delete(id);
      outside.delete(id);
      highlighted.delete(id);
      if (id === selectedId) selectedId = null;
    }
    updateSelectionRing();
  }

  function replaceSet(oldSet, ids) {
    const next = new Set(ids.filter((x) => typeof x === 'string'));
    const changed = [];
    for (const id of oldSet) if (!next.has(id)) changed.push(id);
    for (const id of next) if (!oldSet.has(id)) changed.push(id);
    return [next, changed];
  }

  function setOutside(ids) {
    let changed;
    [outside, changed] = replaceSet(outside, ids);
    for (const id of changed) restyle(id);
  }

  function highlight(ids) {
    let changed;
    [highlighted, changed] = replaceSet(highlighted, ids);
    for (const id of changed) restyle(id);
    for (const id of highlighted) {
      const m = markers.get(id);
      if (m) m.bringToFront();
    }
  }

  function updateSelectionRing() {
    const m = selectedId === null ? null : markers.get(selectedId);
    if (!m) {
      if (selectionRing) map.removeLayer(selectionRing);
      selectionRing = null;
      return;
    }
    if (!selectionRing) {
      selectionRing = L.circleMarker(m.getLatLng(), {
        renderer: selectionRenderer, pane: 'cd-selection', interactive: false,
        radius: 11, color: SELECTION_ORANGE, weight: 3, opacity: 1, fill: false,
      }).addTo(map);
    } else {
      selectionRing.setLatLng(m.getLatLng());
    }
  }

  function select(id, pan) {
    selectedId = typeof id === 'string' ? id : null;
    updateSelectionRing();
    const m = selectedId === null ? null : markers.get(selectedId);
    if (m && pan) map.panTo(m.getLatLng());
  }

  // ---- tooltip (one shared tooltip; content is a DOM tree built with textContent) -------
  const tip = L.tooltip({ direction: 'top', offset: [0, -7], className: 'cd-tooltip', opacity: 0.95 });

  function tooltipContent(d) {
    const root = document.createElement('div');
    const name = document.createElement('div');
    name.className = 'cd-tip-name';
    name.textContent = d.name;
    const meta = document.createElement('div');
    meta.className = 'cd-tip-meta';
    const kind = Object.prototype.hasOwnProperty.call(kindLabels, d.kind) ? kindLabels[d.kind] : String(d.kind);
    const status = Object.prototype.hasOwnProperty.call(statusLabels, d.status) ? statusLabels[d.status] : String(d.status);
    meta.textContent = kind + ' · ' + status;
    root.append(name, meta);
    return root;
  }

  function closeTip() {
    if (map.hasLayer(tip)) map.closeTooltip(tip);
  }

  function onMarkerOver(e) {
    if (drag) return;
    const m = e.propagatedFrom || e.layer;
    if (!m || !m.cd) return;
    tip.setContent(tooltipContent(m.cd));
    tip.setLatLng(m.getLatLng());
    if (!map.hasLayer(tip)) map.openTooltip(tip);
  }

  function onMarkerOut() {
    closeTip();
  }

  // ---- clicks, place mode and member drag ----------------------------------------------
  let drag = null; // {marker, id, startX, startY, moved}
  let suppressClick = false;

  function onMarkerClick(e) {
    if (suppressClick) return;
    const m = e.propagatedFrom || e.layer;
    if (mode === 'place') {
      send('mapClicked', wrapped(e.latlng)); // in place mode a click anywhere places
      return;
    }
    if (m && m.cd) send('markerClicked', { id: m.cd.id });
  }

  map.on('click', (e) => {
    if (suppressClick) return;
    if (mode === 'place') send('mapClicked', wrapped(e.latlng));
  });

  // circleMarkers cannot be dragged in Leaflet: the selected member is dragged by hand.
  // Only the selected one, so that panning over a dense map never moves a member by accident.
  function onMarkerMouseDown(e) {
    const m = e.propagatedFrom || e.layer;
    if (mode !== 'browse' || !m || !m.cd || m.cd.id !== selectedId || e.originalEvent.button !== 0) return;
    map.dragging.disable(); // before Leaflet's map Draggable sees this mousedown
    drag = { marker: m, id: m.cd.id, startX: e.originalEvent.clientX, startY: e.originalEvent.clientY, moved: false };
    document.addEventListener('mousemove', onDragMove, true);
    document.addEventListener('mouseup', onDragEnd, true);
  }

  function onDragMove(ev) {
    if (!drag) return;
    if (!drag.moved) {
      const dx = ev.clientX - drag.startX;
      const dy = ev.clientY - drag.startY;
      if (dx * dx + dy * dy < DRAG_THRESHOLD_PX * DRAG_THRESHOLD_PX) return;
      drag.moved = true;
      closeTip();
      map.getContainer().classList.add('cd-moving');
    }
    const ll = map.mouseEventToLatLng(ev);
    drag.marker.setLatLng(ll);
    if (selectionRing) selectionRing.setLatLng(ll);
  }

  function onDragEnd(ev) {
    document.removeEventListener('mousemove', onDragMove, true);
    document.removeEventListener('mouseup', onDragEnd, true);
    map.dragging.enable();
    const d = drag;
    drag = null;
    if (!d || !d.moved) return;
    map.getContainer().classList.remove('cd-moving');
    suppressClick = true; // the click that follows mouseup is not a click on the map
    setTimeout(() => { suppressClick = false; }, 0);
    const ll = map.mouseEventToLatLng(ev);
    d.marker.setLatLng(ll);
    send('markerMoved', Object.assign({ id: d.id }, wrapped(ll)));
  }

  function setMode(m) {
    mode = m === 'place' ? 'place' : 'browse';
    map.getContainer().classList.toggle('cd-place', mode === 'place');
  }

  // ---- cursor position (throttled) -----------------------------------------------------
  let lastCursor = null;
  let cursorTimer = null;
  map.on('mousemove', (e) => {
    lastCursor = e.latlng;
    if (cursorTimer === null) {
      cursorTimer = setTimeout(() => {
        cursorTimer = null;
        if (lastCursor) send('cursorMoved', wrapped(lastCursor));
      }, CURSOR_INTERVAL_MS);
    }
  });

  // ---- cluster circle: geodesic outline from Python; centre and radius handles ------------
  let circle = null; // {centre: L.LatLng, radiusKm, polygon, centreMarker, handle, preview}

  function eastmost(outline) {
    let best = outline[0];
    for (const p of outline) if (p[1] > best[1]) best = p;
    return best;
  }

  function clearCircle() {
    if (!circle) return;
    for (const layer of [circle.polygon, circle.centreMarker, circle.handle, circle.preview]) {
      if (layer) map.removeLayer(layer);
    }
    circle = null;
  }

  function showPreview(centre, radiusM) {
    if (!circle.preview) {
      circle.preview = L.circle(centre, {
        renderer: circleRenderer, pane: 'cd-circle', interactive: false, radius: radiusM,
        color: CIRCLE_BLUE, weight: 2, dashArray: '6 4', fillOpacity: 0.03,
      }).addTo(map);
    } else {
      circle.preview.setLatLng(centre);
      circle.preview.setRadius(radiusM);
    }
    circle.polygon.setStyle({ opacity: 0.25, fillOpacity: 0 });
  }

  function radiusLabel(km) {
    const el = document.createElement('span');
    el.className = 'cd-radius-label';
    el.textContent = (km >= 100 ? km.toFixed(0) : km.toFixed(1)) + ' km';
    return el;
  }

  function setCircle(msg) {
    const c = msg.centre;
    const outline = Array.isArray(msg.outline) ? msg.outline.filter(
      (p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])) : [];
    if (!Array.isArray(c) || !Number.isFinite(c[0]) || !Number.isFinite(c[1]) || outline.length < 3 ||
        !Number.isFinite(msg.radiusKm)) {
      clearCircle();
      return;
    }
    clearCircle();
    const centre = L.latLng(c[0], c[1]);
    const polygon = L.polygon(outline, {
      renderer: circleRenderer, pane: 'cd-circle', interactive: false,
      color: CIRCLE_BLUE, weight: 2, opacity: 0.9, fillColor: '#64b5f6', fillOpacity: 0.12,
    }).addTo(map);
    const centreMarker = L.marker(centre, {
      icon: L.divIcon({ className: 'cd-centre', iconSize: [18, 18], html: '' }),
      draggable: true, keyboard: false, zIndexOffset: 1000,
    }).addTo(map);
    const handle = L.marker(eastmost(outline), {
      icon: L.divIcon({ className: 'cd-radius-handle', iconSize: [12, 12], html: '' }),
      draggable: true, keyboard: false, zIndexOffset: 900,
    }).addTo(map);
    circle = { centre, radiusKm: msg.radiusKm, polygon, centreMarker, handle, preview: null };

    centreMarker.on('drag', () => {
      handle.setOpacity(0);
      showPreview(centreMarker.getLatLng(), circle.radiusKm * 1000);
    });
    centreMarker.on('dragend', () => {
      send('centreMoved', wrapped(centreMarker.getLatLng()));
    });
    handle.on('dragstart', () => {
      handle.bindTooltip(radiusLabel(circle.radiusKm), { permanent: true, direction: 'right', offset: [8, 0] });
    });
    handle.on('drag', () => {
      // Spherical distance: only for the live preview; Python sends the geodesic outline back.
      const r = map.distance(circle.centre, handle.getLatLng());
      showPreview(circle.centre, r);
      handle.setTooltipContent(radiusLabel(r / 1000));
    });
    handle.on('dragend', () => {
      handle.unbindTooltip();
      const km = map.distance(circle.centre, handle.getLatLng()) / 1000;
      if (km > 0) send('radiusDragged', { radiusKm: km });
    });
  }

  // ---- fit -----------------------------------------------------------------------------
  function fitAll() {
    const b = L.latLngBounds([]);
    for (const m of markers.values()) b.extend(m.getLatLng());
    if (circle) b.extend(circle.polygon.getBounds());
    if (b.isValid()) map.fitBounds(b, { padding: [30, 30], maxZoom: 12 });
  }

  // ---- basemap: Natural Earth countries (world-atlas TopoJSON) from our own scheme --------
  // Rings that cross 180° are unwrapped (continuous longitudes), rings around a pole are closed
  // along the pole, and the world is drawn three times (-360, 0, +360) so the Bering Strait
  // and Fiji look whole from either side.
  function unwrapRing(ring) {
    const out = [];
    let offset = 0;
    let prev = null;
    for (const p of ring) {
      let lon = p[0] + offset;
      if (prev !== null) {
        while (lon - prev > 180) { offset -= 360; lon -= 360; }
        while (lon - prev < -180) { offset += 360; lon += 360; }
      }
      out.push([p[1], lon]);
      prev = lon;
    }
    if (out.length > 1) {
      const first = out[0];
      const last = out[out.length - 1];
      if (Math.abs(last[1] - first[1]) > 180) {
        // An odd number of crossings: the ring goes round a pole. Close it along that pole.
        const meanLat = out.reduce((s, q) => s + q[0], 0) / out.length;
        const pole = meanLat < 0 ? -90 : 90;
        const steps = Math.ceil(Math.abs(first[1] - last[1]) / 90);
        for (let i = 0; i <= steps; i += 1) {
          out.push([pole, last[1] + (first[1] - last[1]) * (i / steps)]);
        }
      }
    }
    let min = Infinity;
    let max = -Infinity;
    for (const q of out) {
      if (q[1] < min) min = q[1];
      if (q[1] > max) max = q[1];
    }
    const shift = -360 * Math.round((min + max) / 2 / 360);
    if (shift !== 0) for (const q of out) q[1] += shift;
    return out;
  }

  function shifted(polys, dLon) {
    return polys.map((poly) => poly.map((ring) => ring.map((q) => [q[0], q[1] + dLon])));
  }

  function drawBasemap(topo) {
    const fc = topojson.feature(topo, topo.objects.countries);
    const style = {
      renderer: basemapRenderer, pane: 'cd-basemap', interactive: false,
      color: BORDER, weight: 0.7, opacity: 1, fillColor: LAND, fillOpacity: 1, smoothFactor: 1.2,
    };
    const layers = [];
    for (const f of fc.features) {
      const g = f.geometry;
      if (!g) continue;
      let polys;
      if (g.type === 'Polygon') polys = [g.coordinates];
      else if (g.type === 'MultiPolygon') polys = g.coordinates;
      else continue;
      const ll = polys.map((poly) => poly.map(unwrapRing));
      for (const dLon of [-360, 0, 360]) {
        layers.push(L.polygon(dLon === 0 ? ll : shifted(ll, dLon), style));
      }
    }
    basemapLayers = layers;
    if (!tileLayer) for (const l of layers) l.addTo(map);
    basemapState = 'ready';
  }

  fetch('maps/countries-50m.json')
    .then((r) => {
      if (!r.ok) throw new Error('basemap: HTTP ' + r.status);
      return r.json();
    })
    .then(drawBasemap)
    .catch((err) => {
      basemapState = 'failed';
      console.error('basemap failed to load: ' + err);
    });

  // ---- optional online tiles (only when Python asks; off by default) ----------------------
  const attribution = L.control({ position: 'bottomright' });
  let attributionText = '';
  attribution.onAdd = function () {
    const el = L.DomUtil.create('div', 'leaflet-control-attribution');
    el.textContent = attributionText;
    return el;
  };

  function setOnlineTiles(url, text) {
    if (tileLayer) {
      map.removeLayer(tileLayer);
      tileLayer = null;
      attribution.remove();
    }
    if (typeof url === 'string' && url.startsWith('https://') && url.includes('{z}') && url.includes('{x}') &&
        url.includes('{y}')) {
      tileLayer = L.tileLayer(url, { maxZoom: 19 }).addTo(map);
      for (const l of basemapLayers) map.removeLayer(l);
      attributionText = typeof text === 'string' ? text : '';
      if (attributionText) attribution.addTo(map);
    } else {
      for (const l of basemapLayers) l.addTo(map);
    }
  }

  // ---- offline tile pack (MBTiles served by our scheme) ------------------------------------
  // Tiles come from cdesk://app/tiles/<id>/{z}/{x}/{y}. A tile the pack lacks is "not found":
  // Leaflet keeps that tile hidden, so the world outlines underneath show through.
  const packAttribution = L.control({ position: 'bottomright' });
  let packAttributionText = '';
  packAttribution.onAdd = function () {
    const el = L.DomUtil.create('div', 'leaflet-control-attribution cd-pack-attribution');
    el.textContent = packAttributionText;
    return el;
  };

  function setTilePack(p) {
    if (packLayer) {
      map.removeLayer(packLayer);
      packLayer = null;
      packId = null;
      packAttribution.remove();
    }
    if (!p || typeof p !== 'object' || typeof p.id !== 'string' || !/^[a-z0-9]{1,40}$/.test(p.id)) return;
    const minZ = Number.isInteger(p.minZoom) ? p.minZoom : 0;
    const maxZ = Number.isInteger(p.maxZoom) ? p.maxZoom : 18;
    const opts = {
      pane: 'cd-pack', minNativeZoom: minZ, maxNativeZoom: maxZ, maxZoom: 19, keepBuffer: 1,
    };
    const b = p.bounds;
    if (Array.isArray(b) && b.length === 4 && b.every(Number.isFinite)) {
      opts.bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]); // no requests outside the pack
    }
    packLayer = L.tileLayer('tiles/' + p.id + '/{z}/{x}/{y}', opts);
    packLayer.on('tileload', () => { packStats.loaded += 1; });
    packLayer.on('tileerror', () => { packStats.errors += 1; });
    packLayer.addTo(map);
    packId = p.id;
    packAttributionText = typeof p.attribution === 'string' ? p.attribution : '';
    if (packAttributionText) packAttribution.addTo(map);
  }

  // Fit a box (south, west, north, east; longitudes may be unwrapped past ±180°), e.g. the
  // cluster circle's outline when a project opens. Bad numbers are ignored.
  // padding: [left, top, right, bottom] pixels kept clear (e.g. where the legend floats).
  function fitBounds(s, w, n, e, padding) {
    if (![s, w, n, e].every(Number.isFinite) || s > n || w > e || s < -90 || n > 90) return;
    const p = Array.isArray(padding) && padding.length === 4 && padding.every(Number.isFinite)
      ? padding : [24, 24, 24, 24];
    map.fitBounds(L.latLngBounds([s, w], [n, e]), {
      paddingTopLeft: [p[0], p[1]], paddingBottomRight: [p[2], p[3]], maxZoom: 15, animate: false,
    });
  }

  function centreOn(lat, lon, zoom) {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
    map.setView([lat, lon], Number.isInteger(zoom) ? zoom : map.getZoom(), { animate: false });
  }

  // ---- commands from Python ------------------------------------------------------------
  const handlers = {
    configure(msg) {
      if (msg.kindColours && typeof msg.kindColours === 'object') kindColours = msg.kindColours;
      handlers.setLanguage(msg);
    },
    setLanguage(msg) {
      if (typeof msg.lang === 'string') document.documentElement.lang = msg.lang;
      if (msg.kindLabels && typeof msg.kindLabels === 'object') kindLabels = msg.kindLabels;
      if (msg.statusLabels && typeof msg.statusLabels === 'object') statusLabels = msg.statusLabels;
    },
    setMembers(msg) { setMembers(Array.isArray(msg.members) ? msg.members : fromColumns(msg.columns)); },
    upsertMember(msg) { upsertMember(msg.member); },
    removeMembers(msg) { removeMembers(Array.isArray(msg.ids) ? msg.ids : []); },
    setCircle(msg) { setCircle(msg); },
    clearCircle() { clearCircle(); },
    highlight(msg) { highlight(Array.isArray(msg.ids) ? msg.ids : []); },
    setOutside(msg) { setOutside(Array.isArray(msg.ids) ? msg.ids : []); },
    select(msg) { select(msg.id, msg.pan !== false); },
    setMode(msg) { setMode(msg.mode); },
    fitAll() { fitAll(); },
    setOnlineTiles(msg) { setOnlineTiles(msg.url, msg.attribution); },
    setTilePack(msg) { setTilePack(msg.pack); },
    centreOn(msg) { centreOn(msg.lat, msg.lon, msg.zoom); },
    fitBounds(msg) { fitBounds(msg.south, msg.west, msg.north, msg.east, msg.padding); },
  };

  // setMembers may come as columns (id, name, kind, status, lat, lon, outside arrays): about
  // 40 % less JSON than one object per member, which matters at 100,000 members.
  function fromColumns(c) {
    if (!c || typeof c !== 'object' || !Array.isArray(c.id)) return [];
    const names = ['id', 'name', 'kind', 'status', 'lat', 'lon', 'outside'];
    if (!names.every((k) => Array.isArray(c[k]) && c[k].length === c.id.length)) return [];
    const out = new Array(c.id.length);
    for (let i = 0; i < c.id.length; i += 1) {
      out[i] = {
        id: c.id[i], name: c.name[i], kind: c.kind[i], status: c.status[i], lat: c.lat[i], lon: c.lon[i],
        outside: c.outside[i] === 1 || c.outside[i] === true,
      };
    }
    return out;
  }

  // Tell Python a command is on screen: Leaflet's canvas redraw is queued on the next animation
  // frame before this callback, so by the time it runs the frame has been drawn.
  let ackSeq = null;
  function scheduleAck(seq) {
    const pending = ackSeq !== null;
    ackSeq = seq;
    if (pending) return;
    const t0 = performance.now();
    requestAnimationFrame(() => {
      stats.lastFrameWaitMs = performance.now() - t0;
      const s = ackSeq;
      ackSeq = null;
      stats.acks += 1;
      send('drawn', { seq: s });
    });
  }

  function onCommand(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (err) {
      console.error('bridge: not JSON: ' + err);
      return;
    }
    stats.commands += 1;
    const op = msg && typeof msg.op === 'string' ? msg.op : '';
    const t0 = performance.now();
    if (Object.prototype.hasOwnProperty.call(handlers, op)) {
      handlers[op](msg);
    } else {
      console.warn('bridge: unknown op ' + op);
    }
    stats.lastOp = op;
    stats.lastOpMs = performance.now() - t0; // JS work only (diagnostics, bench)
    if (Number.isInteger(msg.seq)) scheduleAck(msg.seq);
  }

  // ---- debugging and test hooks (read-only, plus the same drag message a user would send) --
  function containerPoint(lat, lon) {
    const p = map.latLngToContainerPoint([lat, lon]);
    return { x: p.x, y: p.y };
  }

  window.__clusterDesk = Object.freeze({
    stats() {
      let onMap = 0;
      for (const m of markers.values()) if (map.hasLayer(m)) onMap += 1;
      return Object.assign({
        members: markers.size, onMap, mode, selectedId, basemap: basemapState, basemapLayers: basemapLayers.length,
        outside: outside.size, highlighted: highlighted.size, circle: circle !== null, tiles: tileLayer !== null,
        zoom: map.getZoom(), pack: packId, packLoaded: packStats.loaded, packErrors: packStats.errors,
        centre: [map.getCenter().lat, map.getCenter().lng],
      }, stats);
    },
    memberPoint(id) {
      const m = markers.get(id);
      return m ? containerPoint(m.getLatLng().lat, m.getLatLng().lng) : null;
    },
    member(id) {
      const m = markers.get(id);
      if (!m) return null;
      const o = m.options;
      const style = {
        radius: o.radius, color: o.color, weight: o.weight, opacity: o.opacity, fillColor: o.fillColor,
        fillOpacity: o.fillOpacity, dashArray: o.dashArray,
      };
      return { lat: m.getLatLng().lat, lon: m.getLatLng().lng, style };
    },
    point: containerPoint,
    bounds() {
      const b = map.getBounds();
      return { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    },
    tooltip() {
      const el = tip.getElement();
      if (!map.hasLayer(tip) || !el) return null;
      const name = el.querySelector('.cd-tip-name');
      return { name: name ? name.textContent : null, text: el.textContent, elements: el.querySelectorAll('*').length };
    },
    circleHandles() {
      if (!circle) return null;
      const c = circle.centreMarker.getLatLng();
      const h = circle.handle.getLatLng();
      return { centre: containerPoint(c.lat, c.lng), handle: containerPoint(h.lat, h.lng) };
    },
    basemapMaxJump() {
      let maxJump = 0;
      const walk = (a) => {
        if (a.length && a[0] instanceof L.LatLng) {
          for (let i = 0; i < a.length; i += 1) {
            const j = Math.abs(a[i].lng - a[(i + a.length - 1) % a.length].lng); // incl. closing edge
            if (j > maxJump) maxJump = j;
          }
        } else {
          for (const x of a) walk(x);
        }
      };
      for (const l of basemapLayers) walk(l.getLatLngs());
      return maxJump;
    },
    view(lat, lon, zoom) { map.setView([lat, lon], zoom, { animate: false }); },
    simulateDrag(id, lat, lon) {
      const m = markers.get(id);
      if (!m) return false;
      m.setLatLng([lat, lon]);
      send('markerMoved', { id, lat, lon });
      return true;
    },
  });

  // ---- handshake -----------------------------------------------------------------------
  new QWebChannel(qt.webChannelTransport, (channel) => {
    bridge = channel.objects.bridge;
    bridge.command.connect(onCommand);
    send('ready', { version: 1 });
  });
})();
