// Cluster Desk: the built-in regional basemap (lakes, reservoirs, rivers, federal-subject
// borders and their names) and the "built-in map ends here" note. map.js calls
// CdRegional.attach(map) once the map exists.
//
// Why canvas tiles: Leaflet re-projects every vertex of every GeoJSON layer on each zoom step
// (0.3-1.4 s for Russia-wide layers), so the data comes as small vector tiles
// (cdesk://app/basemap/z/x/y, zooms 4-9, made at build time by maps/build_basemap.py) and each
// 256 px tile is drawn once on its own canvas; past the file's last zoom its tile is drawn magnified.
// The world's countries (map.js hands over the Natural Earth polygons) are canvas tiles too:
// projected once, each tile drawing only the vertices near it. A tile Leaflet lets go of after a
// zoom step is kept (80 per layer), so stepping back shows it again without drawing.
// Subject names are drawn into the tiles too (each tile draws the part of every label that
// crosses it), so panning costs nothing and labels never split at tile seams.
// Names are text from our own data file, drawn with fillText: nothing here builds HTML.
// View > Regional Map turns the parts on and off (water, rivers, borders with names): the
// window sends setRegionalParts, a command this file adds to map.js's through __cdMapExtensions.
// Why ~730 lines: the tile fetch and cache, the path tracing, the label layout and the countries'
// layer share one tile grid and its canvases (the labels are drawn into the water and border
// tiles they cross); split apart, each would reach into the others' cache and projection.
'use strict';

window.CdRegional = (function () {
  const WATER = '#bcd8ec';
  const WATER_EDGE = '#9cc3df';
  const RIVER = '#86b6d9';
  const BORDER = '#a08cb0';
  const LABEL_INK = '#6e5a80';
  const LABEL_HALO = 'rgba(250, 248, 243, 0.9)';
  const NOTE_WIDTH_M = 2500; // the note shows when the view is narrower than this
  const EXTENT = 4096;
  const CACHE_TILES = 300;
  const CACHE_CANVASES = 80; // drawn tiles kept per layer (256 KB each: ~3 zoom levels of a view)
  const FONT_FAMILY = 'system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif';

  let attached = null; // the API of the layer on this page (bench and tests reach it here)
  let countryCanvases = null; // the countries layer's kept canvases (their count is in stats())
  const forgetters = []; // clear() of every layer's kept canvases (the bench's cold steps)
  const countryStats = { polygons: 0, tilesDrawn: 0, tilesReused: 0, drawMsTotal: 0, maxDrawMs: 0 };

  // Canvases of tiles Leaflet let go of (a zoom step away), most recently used last: a step
  // back shows them again without drawing.
  const spareCanvases = []; // canvases let go of for good: the next new tiles are drawn on them
  function newCanvas(className, size, ratio) {
    const c = spareCanvases.pop();
    if (!c) {
      const fresh = L.DomUtil.create('canvas', className);
      fresh.width = size * ratio;
      fresh.height = size * ratio;
      return fresh;
    }
    c.className = className;
    delete c.cdNames;
    delete c.cdDone;
    c.style.opacity = '';
    if (c.width !== size * ratio) {
      c.width = size * ratio;
      c.height = size * ratio;
    } else {
      const ctx = c.getContext('2d');
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, c.width, c.height);
    }
    return c;
  }

  function canvasCache(limit) {
    const kept = new Map();
    const drop = (c) => { if (spareCanvases.length < 32) spareCanvases.push(c); };
    return {
      take(key) {
        const c = kept.get(key);
        if (c) kept.delete(key);
        return c || null;
      },
      put(key, canvas) {
        kept.delete(key);
        kept.set(key, canvas);
        if (kept.size > limit) {
          const oldest = kept.keys().next().value;
          drop(kept.get(oldest));
          kept.delete(oldest);
        }
      },
      clear() {
        for (const c of kept.values()) drop(c);
        kept.clear();
      },
      get size() { return kept.size; },
    };
  }

  // Leaflet drops the previous zoom's tiles 250 ms after the new ones have loaded, or in a fade
  // frame that finds a tile already opaque. On a busy page every new tile can turn opaque in one
  // late frame, after that timer: then neither happens, and the old tiles stay (unkept for a step
  // back, still in the page) until the next move. So one prune follows the frame a tile turned
  // opaque in (Leaflet 1.9's GridLayer hook; our vendored copy).
  const pruneWhenOpaque = {
    _onOpaqueTile() {
      if (this._cdPrune) return;
      this._cdPrune = L.Util.requestAnimFrame(() => {
        this._cdPrune = null;
        if (this._map && !this._noPrune) this._pruneTiles();
      });
    },
  };

  // The key of a tile as createTile sees it (tileunload gives coords unwrapped across 180°).
  function tileKey(layer, coords) {
    const c = layer._wrapCoords(coords);
    return c.z + '/' + c.x + '/' + c.y;
  }

  // One ring, at scale s and offset (dx, dy), into a tile of `size` px. A run of vertices beyond
  // the same edge of the tile (with a margin) is drawn as its first and last vertex only: the
  // run and that one segment both lie in the half-plane beyond the edge, so the tile looks the
  // same, and Russia's outline costs a tile only the vertices near it. Vertices within half a
  // pixel of the last one drawn are skipped.
  function traceRing(ctx, flat, s, dx, dy, size) {
    const lo = -4;
    const hi = size + 4;
    const n = flat.length;
    let side = -1; // 0 inside; 1-4 beyond the left, right, top, bottom edge
    let runX = 0;
    let runY = 0; // the last vertex of the current run beyond an edge
    let lx = NaN;
    let ly = NaN;
    const to = (x, y, first) => {
      if (first) ctx.moveTo(x, y);
      else if (Math.abs(x - lx) + Math.abs(y - ly) < 0.5) return;
      else ctx.lineTo(x, y);
      lx = x;
      ly = y;
    };
    for (let i = 0; i < n; i += 2) {
      const x = flat[i] * s + dx;
      const y = flat[i + 1] * s + dy;
      const code = x < lo ? 1 : x > hi ? 2 : y < lo ? 3 : y > hi ? 4 : 0;
      if (code !== 0 && code === side) { // still beyond the same edge: only its last one counts
        runX = x;
        runY = y;
        continue;
      }
      if (side > 0) to(runX, runY, false); // the end of the run before this vertex
      to(x, y, i === 0);
      side = code;
      runX = x;
      runY = y;
    }
    if (side > 0) to(runX, runY, false);
    ctx.closePath();
  }

  // ---- the world's countries as canvas tiles ------------------------------------------------
  // map.js gives the Natural Earth polygons (rings unwrapped, as [lat, lon]). Leaflet would
  // re-project every vertex of every polygon on each zoom step; here they are projected once
  // (Web Mercator pixels at zoom 0), and each tile draws only the polygons whose box meets it,
  // skipping vertices closer than half a pixel to the last one drawn.
  function countriesLayer(polygons, style) {
    const R = 256 / (2 * Math.PI);
    const shapes = [];
    for (const poly of polygons) {
      const rings = [];
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      for (const ring of poly) {
        const flat = new Float64Array(ring.length * 2);
        ring.forEach((q, i) => {
          const lat = Math.max(-85.0511, Math.min(85.0511, q[0])) * Math.PI / 180;
          const x = 128 + q[1] * 256 / 360;
          const y = 128 - R * Math.log(Math.tan(Math.PI / 4 + lat / 2));
          flat[2 * i] = x;
          flat[2 * i + 1] = y;
          if (x < box[0]) box[0] = x;
          if (y < box[1]) box[1] = y;
          if (x > box[2]) box[2] = x;
          if (y > box[3]) box[3] = y;
        });
        if (ring.length > 2) rings.push(flat);
      }
      if (rings.length) shapes.push({ rings, box });
    }
    countryStats.polygons = shapes.length;
    const kept = canvasCache(CACHE_CANVASES);
    forgetters.push(() => kept.clear());
    countryCanvases = kept;

    function draw(ctx, coords, size) {
      const s = Math.pow(2, coords.z);
      const world = 256 * s;
      const ox = coords.x * size;
      const oy = coords.y * size;
      const m = 2; // px: strokes reaching over the tile's edge
      ctx.fillStyle = style.fillColor;
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.weight;
      ctx.lineJoin = 'round';
      for (const shape of shapes) {
        const [x0, y0, x1, y1] = shape.box;
        if (y1 * s < oy - m || y0 * s > oy + size + m) continue;
        for (const wrap of [-world, 0, world]) {
          if (x1 * s + wrap < ox - m || x0 * s + wrap > ox + size + m) continue;
          ctx.beginPath();
          for (const flat of shape.rings) traceRing(ctx, flat, s, wrap - ox, -oy, size);
          ctx.fill('evenodd');
          ctx.stroke();
        }
      }
    }

    const CountriesLayer = L.GridLayer.extend({
      ...pruneWhenOpaque,
      createTile(coords) {
        const key = coords.z + '/' + coords.x + '/' + coords.y;
        const again = kept.take(key);
        if (again) {
          countryStats.tilesReused += 1;
          return again;
        }
        const size = this.getTileSize();
        const ratio = window.devicePixelRatio || 1;
        const tile = newCanvas('cd-country-tile', size.x, ratio);
        const t0 = performance.now();
        const ctx = tile.getContext('2d');
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        draw(ctx, coords, size.x);
        const ms = performance.now() - t0;
        countryStats.tilesDrawn += 1;
        countryStats.drawMsTotal += ms;
        if (ms > countryStats.maxDrawMs) countryStats.maxDrawMs = ms;
        return tile;
      },
    });
    const layer = new CountriesLayer({
      pane: style.pane, minZoom: 0, maxZoom: 19, updateWhenZooming: false, keepBuffer: 2,
    });
    // As L.Polygon's: the rings the tiles are drawn from (map.js's test of the 180° unwrapping).
    layer.getLatLngs = () => polygons.map((poly) => poly.map((ring) => ring.map((q) => L.latLng(q[0], q[1]))));
    layer.on('tileunload', (e) => kept.put(tileKey(layer, e.coords), e.tile));
    return layer;
  }

  function attach(map) {
    const pane = map.createPane('cd-regional');
    pane.style.zIndex = '160'; // over the country outlines (150), under packs (180) and online tiles
    pane.style.pointerEvents = 'none';

    const stats = {
      tilesDrawn: 0, tilesReused: 0, drawMsTotal: 0, tileErrors: 0, fetches: 0, labelsDrawn: 0, loads: 0, lastDrawMs: 0, maxDrawMs: 0,
      labels: 'loading', note: false, lastLoadMs: null, lastPaintedMs: null, lastFrameMs: null,
    };
    let lang = 'en';
    const parts = { water: true, rivers: true, borders: true }; // View > Regional Map
    let texts = { note: '' };
    let labels = []; // {code, en, ru, lat, lon, area} largest first
    let dataMinZoom = 4; // the zooms the tile file holds (basemap/meta.json)
    let dataMaxZoom = 9;
    const cache = new Map(); // "z/x/y" -> Promise<tile|null>, most recently used last
    const drawnNames = new Set(); // subject names drawn since the last zoom or language change (tests)

    function dataTile(z, x, y) {
      const key = z + '/' + x + '/' + y;
      let p = cache.get(key);
      if (p) {
        cache.delete(key);
        cache.set(key, p);
        return p;
      }
      stats.fetches += 1;
      p = fetch('basemap/' + key)
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null); // no tile: nothing of ours there
      cache.set(key, p);
      if (cache.size > CACHE_TILES) cache.delete(cache.keys().next().value);
      return p;
    }

    // Draw one flat delta-coded line ([x0, y0, dx, dy, ...] from index `from`) as a path. A
    // magnified data tile (past z9) holds far more than the tile shows: a run of vertices beyond
    // one edge of the tile is drawn as its first and last vertex only (see traceRing).
    function tracePath(ctx, flat, from, k, ox, oy) {
      const lo = -8;
      const hi = 256 + 8;
      let x = 0;
      let y = 0;
      let side = -1;
      let runX = 0;
      let runY = 0;
      let drawnLast = true; // the run's last vertex is the last one drawn
      for (let i = from; i + 1 < flat.length; i += 2) {
        x += flat[i];
        y += flat[i + 1];
        const px = x * k - ox;
        const py = y * k - oy;
        const code = px < lo ? 1 : px > hi ? 2 : py < lo ? 3 : py > hi ? 4 : 0;
        if (code !== 0 && code === side) {
          runX = px;
          runY = py;
          drawnLast = false;
          continue;
        }
        if (!drawnLast) ctx.lineTo(runX, runY);
        if (i === from) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
        side = code;
        drawnLast = true;
      }
      if (!drawnLast) ctx.lineTo(runX, runY);
    }

    function riverWidth(cls, z) {
      const base = cls <= 1 ? 1.5 : cls === 2 ? 1.2 : cls === 3 ? 0.9 : 0.7;
      return base * (z >= 9 ? 1.3 : z <= 5 ? 0.8 : 1);
    }

    function drawData(ctx, data, k, ox, oy, z) {
      if (data.w && parts.water) {
        ctx.fillStyle = WATER;
        ctx.strokeStyle = WATER_EDGE;
        ctx.lineWidth = 0.6;
        ctx.beginPath();
        for (const poly of data.w) {
          for (const ring of poly) {
            tracePath(ctx, ring, 0, k, ox, oy);
            ctx.closePath();
          }
        }
        ctx.fill('evenodd');
        if (z >= 8) ctx.stroke();
      }
      if (data.r && parts.rivers) {
        ctx.strokeStyle = RIVER;
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';
        const byClass = new Map();
        for (const line of data.r) {
          const cls = line[0];
          if (!byClass.has(cls)) byClass.set(cls, []);
          byClass.get(cls).push(line);
        }
        for (const [cls, lines] of byClass) {
          ctx.lineWidth = riverWidth(cls, z);
          ctx.beginPath();
          for (const line of lines) tracePath(ctx, line, 1, k, ox, oy);
          ctx.stroke();
        }
      }
      if (data.b && parts.borders) {
        ctx.strokeStyle = BORDER;
        ctx.lineWidth = z >= 9 ? 1.6 : 1.2;
        ctx.setLineDash([5, 3]);
        ctx.beginPath();
        for (const line of data.b) tracePath(ctx, line, 0, k, ox, oy);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }

    // ---- subject labels --------------------------------------------------------------------
    function labelLines(name) {
      if (name.length <= 16) return [name];
      // Two lines, split at the space (or hyphen) nearest the middle.
      let best = -1;
      for (let i = 0; i < name.length; i += 1) {
        if ((name[i] === ' ' || name[i] === '-') && (best < 0 || Math.abs(i - name.length / 2) < Math.abs(best - name.length / 2))) best = i;
      }
      if (best < 0) return [name];
      const cut = name[best] === '-' ? best + 1 : best;
      return [name.slice(0, cut).trim(), name.slice(cut).trim()];
    }

    function labelFont(z) {
      return (z >= 7 ? '600 13px ' : '600 12px ') + FONT_FAMILY;
    }

    // A subject's name shows once it is big enough on screen to hold it, and until it is so
    // large that its label point is rarely in view anyway (then the borders speak for it).
    function labelShown(lab, z) {
      const side = Math.sqrt(lab.area) * 1000; // metres
      const mpp = 156543 * Math.cos(lab.lat * Math.PI / 180) / Math.pow(2, z);
      const px = side / mpp;
      return px >= 150 && px <= 40000;
    }

    const measured = new Map(); // font + text -> width
    function textWidth(ctx, text) {
      const key = ctx.font + '\u0000' + text;
      let w = measured.get(key);
      if (w === undefined) {
        w = ctx.measureText(text).width;
        measured.set(key, w);
      }
      return w;
    }

    // The labels shown at zoom z in the page language, placed in that zoom's pixels: laid out
    // once per zoom and language, so a tile only tests their boxes.
    let layoutKey = '';
    let layout = [];
    function labelLayout(ctx, z) {
      const key = z + '|' + lang;
      if (key === layoutKey) return layout;
      layout = [];
      const lh = z >= 7 ? 16 : 15;
      for (const lab of labels) {
        if (!labelShown(lab, z)) continue;
        const p = map.project([lab.lat, lab.lon], z);
        const name = (lang === 'ru' ? lab.ru : lab.en) || lab.en;
        const lines = labelLines(name);
        let w = 0;
        for (const t of lines) w = Math.max(w, textWidth(ctx, t));
        layout.push({ name, lines, x: p.x, y: p.y, w, h: lh * lines.length, lh });
      }
      layoutKey = key;
      return layout;
    }

    function drawLabels(ctx, coords, size, tile) {
      const z = coords.z;
      const tileX = coords.x * size;
      const tileY = coords.y * size;
      ctx.font = labelFont(z);
      let n = 0;
      for (const lab of labelLayout(ctx, z)) {
        const x0 = lab.x - tileX;
        const y0 = lab.y - tileY;
        const { w, h, lh } = lab;
        if (x0 + w / 2 + 4 < 0 || x0 - w / 2 - 4 > size || y0 + h / 2 + 4 < 0 || y0 - h / 2 - 4 > size) continue;
        if (n === 0) {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'middle';
          ctx.lineJoin = 'round';
          ctx.strokeStyle = LABEL_HALO;
          ctx.fillStyle = LABEL_INK;
          ctx.lineWidth = 3;
        }
        lab.lines.forEach((t, i) => {
          const y = y0 - h / 2 + lh * (i + 0.5);
          ctx.strokeText(t, x0, y);
          ctx.fillText(t, x0, y);
        });
        drawnNames.add(lab.name);
        (tile.cdNames = tile.cdNames || []).push(lab.name);
        n += 1;
      }
      return n;
    }

    // ---- the tile layer --------------------------------------------------------------------
    const drawn = canvasCache(CACHE_CANVASES); // tiles drawn before: a zoom step back reuses them
    const RegionalLayer = L.GridLayer.extend({
      ...pruneWhenOpaque,
      createTile(coords, done) {
        const key = coords.z + '/' + coords.x + '/' + coords.y;
        const again = drawn.take(key);
        if (again) {
          stats.tilesReused += 1;
          for (const name of again.cdNames || []) drawnNames.add(name);
          Promise.resolve().then(() => done(null, again)); // after Leaflet has filed the tile
          return again;
        }
        const size = this.getTileSize();
        const ratio = window.devicePixelRatio || 1;
        const tile = newCanvas('cd-regional-tile', size.x, ratio);
        if (coords.z < dataMinZoom) {
          setTimeout(() => done(null, tile), 0);
          return tile;
        }
        const dz = Math.min(coords.z, dataMaxZoom);
        const shift = coords.z - dz;
        const dx = coords.x >> shift;
        const dy = coords.y >> shift;
        const n = Math.pow(2, dz);
        dataTile(dz, ((dx % n) + n) % n, dy).then((data) => {
          const t0 = performance.now();
          const ctx = tile.getContext('2d');
          ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
          if (data) {
            // Tile units -> pixels of this tile: a data tile magnified 2^shift times, offset to
            // the part this tile shows.
            const k = (size.x / EXTENT) * Math.pow(2, shift);
            const ox = (coords.x - (dx << shift)) * size.x;
            const oy = (coords.y - (dy << shift)) * size.y;
            drawData(ctx, data, k, ox, oy, coords.z);
          }
          if (parts.borders) stats.labelsDrawn += drawLabels(ctx, coords, size.x, tile);
          const ms = performance.now() - t0;
          stats.tilesDrawn += 1;
          stats.drawMsTotal += ms;
          stats.lastDrawMs = ms;
          if (ms > stats.maxDrawMs) stats.maxDrawMs = ms;
          tile.cdDone = true;
          done(null, tile);
        }).catch((err) => {
          stats.tileErrors += 1;
          done(err, tile);
        });
        return tile;
      },
    });

    const layer = new RegionalLayer({
      pane: 'cd-regional', minZoom: 0, maxZoom: 19, updateWhenZooming: false, keepBuffer: 2,
    });
    let keepUnloaded = true; // false while a redraw (language, parts) drops the tiles for good
    layer.on('tileunload', (e) => { if (keepUnloaded && e.tile.cdDone) drawn.put(tileKey(layer, e.coords), e.tile); });
    const redraw = () => {
      drawn.clear();
      keepUnloaded = false;
      layer.redraw();
      keepUnloaded = true;
    };
    // View change -> every tile of the new view drawn (and the frame after it painted): the
    // figures bench/bench_basemap.py reports for a zoom step and a pan.
    let viewChangeAt = null;
    let frameAt = null; // the same view change: until the first frame after it (all layers' sync work)
    map.on('zoomstart movestart', () => {
      if (viewChangeAt === null) viewChangeAt = performance.now();
      if (frameAt === null) frameAt = performance.now();
    });
    map.on('moveend', () => {
      const t0 = frameAt;
      frameAt = null;
      if (t0 !== null) requestAnimationFrame(() => { stats.lastFrameMs = performance.now() - t0; });
      // After the grid layer's own moveend: nothing new to load (or no layer) -> no 'load' event.
      setTimeout(() => {
        if (viewChangeAt === null || (layer._map && layer._loading)) return;
        const t1 = viewChangeAt;
        viewChangeAt = null;
        if (layer._map) requestAnimationFrame(() => { stats.lastPaintedMs = performance.now() - t1; });
      }, 0);
    });
    map.on('zoomstart', () => drawnNames.clear());
    layer.on('load', () => {
      stats.loads += 1;
      if (viewChangeAt === null) return;
      const t0 = viewChangeAt;
      viewChangeAt = null;
      stats.lastLoadMs = performance.now() - t0;
      requestAnimationFrame(() => { stats.lastPaintedMs = performance.now() - t0; });
    });

    const meta = fetch('basemap/meta.json')
      .then((r) => (r.ok ? r.json() : null))
      .then((m) => {
        if (m && Number.isInteger(m.minzoom) && Number.isInteger(m.maxzoom) && m.minzoom <= m.maxzoom) {
          dataMinZoom = m.minzoom;
          dataMaxZoom = m.maxzoom;
        }
      })
      .catch(() => null); // no tile file: the defaults; every tile is then simply missing
    const names = fetch('maps/basemap/russia-subject-labels.json')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
      .then((list) => {
        layoutKey = '';
        labels = Array.isArray(list) ? list.filter((d) => d && typeof d.en === 'string' &&
          Number.isFinite(d.lat) && Number.isFinite(d.lon) && Number.isFinite(d.area)) : [];
        stats.labels = 'ready';
      })
      .catch((err) => {
        stats.labels = 'failed';
        console.error('regional labels failed to load: ' + err);
      });
    let started = false; // the tile file's zooms and the names are known
    const anyPart = () => parts.water || parts.rivers || parts.borders;
    Promise.all([meta, names]).finally(() => {
      started = true;
      if (anyPart()) layer.addTo(map);
    });

    // View > Regional Map: {water, rivers, borders} (booleans; a missing one keeps its state).
    function setParts(next) {
      if (!next || typeof next !== 'object') return;
      let changed = false;
      for (const key of Object.keys(parts)) {
        if (typeof next[key] === 'boolean' && next[key] !== parts[key]) {
          parts[key] = next[key];
          changed = true;
        }
      }
      if (!changed || !started) return;
      drawnNames.clear();
      if (!anyPart()) layer.remove();
      else if (!layer._map) layer.addTo(map);
      else redraw(); // the tiles' data is cached: only the drawing is done again
    }

    // ---- "the built-in map ends here" ---------------------------------------------------------
    const note = L.control({ position: 'bottomleft' }); // the window's legend floats top right
    let noteEl = null;
    note.onAdd = function () {
      noteEl = L.DomUtil.create('div', 'cd-basemap-note');
      noteEl.textContent = texts.note;
      return noteEl;
    };

    // Another source shows detail here: an online layer, or a tile pack covering the view.
    function detailShown() {
      let covered = false;
      map.eachLayer((l) => {
        if (covered || !(l instanceof L.TileLayer) || typeof l._url !== 'string') return;
        if (l._url.startsWith('cdesk://app/online/')) covered = true;
        else if (l._url.startsWith('tiles/')) {
          const b = l.options.bounds;
          covered = !b || L.latLngBounds(b).contains(map.getCenter());
        }
      });
      return covered;
    }

    function updateNote() {
      const size = map.getSize();
      const c = map.getCenter();
      const west = map.containerPointToLatLng([0, size.y / 2]);
      const east = map.containerPointToLatLng([size.x, size.y / 2]);
      const widthM = map.distance(L.latLng(c.lat, west.lng), L.latLng(c.lat, east.lng));
      const show = widthM < NOTE_WIDTH_M && texts.note !== '' && !detailShown();
      if (show && !stats.note) note.addTo(map);
      else if (!show && stats.note) note.remove();
      else if (show && noteEl) noteEl.textContent = texts.note;
      stats.note = show;
    }
    map.on('zoomend moveend resize layeradd layerremove', updateNote);

    attached = {
      setTexts(newLang, newTexts) {
        const oldLang = lang;
        if (typeof newLang === 'string') lang = newLang;
        if (newTexts && typeof newTexts === 'object' && typeof newTexts.note === 'string') texts = { note: newTexts.note };
        if (lang !== oldLang && layer._map) { // labels in the other language
          drawnNames.clear();
          redraw();
        }
        if (noteEl) noteEl.textContent = texts.note;
        updateNote();
      },
      stats() {
        return Object.assign({
          shown: !!layer._map, parts: Object.assign({}, parts), countries: Object.assign({ kept: countryCanvases ? countryCanvases.size : 0 }, countryStats), kept: drawn.size, loading: !!layer._loading, cached: cache.size, labelCount: labels.length,
          zooms: [dataMinZoom, dataMaxZoom],
        }, stats);
      },
      noteText() { return stats.note && noteEl ? noteEl.textContent : null; },
      labelNames() { return Array.from(drawnNames); },
      // bench/bench_basemap.py: forget the last figures, pan without animation.
      resetTiming() {
        stats.lastLoadMs = null;
        stats.lastPaintedMs = null;
        stats.lastFrameMs = null;
        stats.drawMsTotal = 0;
        stats.tilesDrawn = 0;
        stats.tilesReused = 0;
        countryStats.tilesDrawn = 0;
        countryStats.drawMsTotal = 0;
      },
      setParts,
      // bench/bench_basemap.py: ms to draw each part of the view's tiles again, `times` times,
      // into one spare canvas (what a zoom step's drawing costs, part by part).
      async profileParts(times) {
        const out = { water: 0, rivers: 0, borders: 0, labels: 0, countries: 0, canvases: 0, tiles: 0 };
        const spare = document.createElement('canvas');
        spare.width = 256;
        spare.height = 256;
        const ctx = spare.getContext('2d');
        const saved = Object.assign({}, parts);
        const z = map.getZoom();
        const coordsList = Object.values(layer._tiles || {}).filter((t) => t.coords.z === z).map((t) => t.coords);
        out.tiles = coordsList.length;
        for (let r = 0; r < times; r += 1) {
          for (const coords of coordsList) {
            const dz = Math.min(coords.z, dataMaxZoom);
            const shift = coords.z - dz;
            const dx = coords.x >> shift;
            const dy = coords.y >> shift;
            const n = Math.pow(2, dz);
            const data = await dataTile(dz, ((dx % n) + n) % n, dy);
            const k = (256 / EXTENT) * Math.pow(2, shift);
            const ox = (coords.x - (dx << shift)) * 256;
            const oy = (coords.y - (dy << shift)) * 256;
            for (const part of ['water', 'rivers', 'borders']) {
              for (const q of Object.keys(parts)) parts[q] = q === part;
              const t0 = performance.now();
              if (data) drawData(ctx, data, k, ox, oy, coords.z);
              out[part] += performance.now() - t0;
            }
            let t0 = performance.now();
            if (r === 0) layoutKey = ''; // once per run: laying out is part of a zoom step
            drawLabels(ctx, coords, 256, {});
            out.labels += performance.now() - t0;
            t0 = performance.now();
            const c = newCanvas('cd-spare', 256, 1);
            c.getContext('2d').fillRect(0, 0, 1, 1);
            spareCanvases.push(c);
            out.canvases += performance.now() - t0;
          }
        }
        Object.assign(parts, saved);
        for (const key of Object.keys(out)) if (key !== 'tiles') out[key] /= times;
        return out;
      },
      // bench/bench_basemap.py: drop the kept canvases, so the next zoom step draws every tile.
      forgetDrawn() {
        drawn.clear();
        for (const forget of forgetters) forget();
      },
      setShown(on) { if (on) layer.addTo(map); else layer.remove(); },
      panBy(dx, dy) { map.panBy([dx, dy], { animate: false }); },
      // The colour a regional tile has under a container point: [r, g, b, a] (0 where none).
      colourAt(x, y) {
        const host = map.getContainer().getBoundingClientRect();
        for (const t of Object.values(layer._tiles || {})) {
          if (!t.current || !t.loaded || t.coords.z !== map.getZoom()) continue;
          const c = t.el;
          const r = c.getBoundingClientRect();
          const px = host.left + x - r.left;
          const py = host.top + y - r.top;
          if (px < 0 || py < 0 || px >= r.width || py >= r.height) continue;
          const k = c.width / r.width;
          return Array.from(c.getContext('2d').getImageData(Math.floor(px * k), Math.floor(py * k), 1, 1).data);
        }
        return [0, 0, 0, 0];
      },
    };
    return attached;
  }

  // The window's command (map.js's bridge): which parts of the layer to draw.
  window.__cdMapExtensions = (window.__cdMapExtensions || []).concat([({ handlers }) => {
    handlers.setRegionalParts = (msg) => { if (attached) attached.setParts(msg.parts); };
  }]);

  return Object.freeze({ attach, countriesLayer, api: () => attached });
})();
