// Cluster Desk map page: the links layer (issue 12). Loaded before map.js, which calls the
// extension registered here with its map, its command handlers and its send(). Links are slots
// in typed arrays drawn on one canvas (no DOM node per link), like the members. Python owns the
// slot numbers: it sends coordinates per slot, and a click on a line answers linkClicked({slot}).
// Nothing here touches text: the layer draws lines only.
'use strict';

(function () {
  const ALIVE = 1;
  const FADED = 2;
  const MAX_LATITUDE = 85.0511287798;
  const HIT_PX = 5; // a click this close to a line selects it
  const FOCUS_WIDTH = 3;
  const SELECTED_INK = '#ff6f00';
  const FADED_INK = 'rgba(120, 120, 120, 0.10)';

  function register(api) {
    const { map, L, send, handlers, stats, addFlusher, typedArray } = api;
    map.createPane('cd-links').style.zIndex = '400'; // over the towns (390), under the members (420)
    map.getPane('cd-links').style.pointerEvents = 'none';

    let n = 0; // slots used (dead ones included)
    let alive = 0;
    let ax = new Float64Array(0);
    let ay = new Float64Array(0);
    let bx = new Float64Array(0);
    let by = new Float64Array(0);
    let kindA = new Uint8Array(0);
    let flagA = new Uint8Array(0);
    // 1 = not drawn: the link did not count on the date the window shows (maskLinks). Apart from
    // flagA, which upserts and fades rewrite; setLinks (new slot numbers) clears it.
    let maskedA = new Uint8Array(0);
    let masked = 0;
    const paths = new Map(); // slot -> Float64Array [mx, my, mx, my, ...] of a geodesic line
    let kinds = []; // [{kind, colour, directed}] by code
    let hidden = new Set(); // kind codes not drawn
    let focus = new Set(); // slots of the selected member's links (drawn on top, thick)
    let selected = -1; // selected link slot
    let mode = 'browse';
    const linkStats = { linkDraws: 0, lastLinkDrawMs: 0, linksDrawn: 0, setLinksMs: 0, linkAppends: 0, lastAppendMs: 0 };

    function mx(lon) { return (lon + 180) / 360; }
    function my(lat) {
      const la = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
      const s = Math.sin((la * Math.PI) / 180);
      return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }

    function allocate(capacity) {
      const grow = (old, Type) => {
        const a = new Type(capacity);
        a.set(old.subarray(0, Math.min(n, capacity)));
        return a;
      };
      ax = grow(ax, Float64Array);
      ay = grow(ay, Float64Array);
      bx = grow(bx, Float64Array);
      by = grow(by, Float64Array);
      kindA = grow(kindA, Uint8Array);
      flagA = grow(flagA, Uint8Array);
      maskedA = grow(maskedA, Uint8Array);
    }

    function num(v) { return typeof v === 'number' && Number.isFinite(v); }

    function put(slot, lat1, lon1, lat2, lon2, kind, faded, path) {
      if (!Number.isInteger(slot) || slot < 0 || slot > 10000000) return;
      if (!(num(lat1) && num(lon1) && num(lat2) && num(lon2)) || !Number.isInteger(kind)) return;
      if (slot >= ax.length) allocate(Math.max(64, Math.ceil((slot + 1) * 1.5)));
      if (slot >= n) n = slot + 1;
      if (!(flagA[slot] & ALIVE)) {
        alive += 1;
        if (maskedA[slot]) { // a reused slot starts unmasked (the as-of view sends its mask again)
          maskedA[slot] = 0;
          masked -= 1;
        }
      }
      ax[slot] = mx(lon1);
      ay[slot] = my(lat1);
      bx[slot] = mx(lon2);
      by[slot] = my(lat2);
      kindA[slot] = kind;
      flagA[slot] = ALIVE | (faded ? FADED : 0);
      if (Array.isArray(path) && path.length >= 4 && path.length % 2 === 0 && path.every(num)) {
        const p = new Float64Array(path.length);
        for (let k = 0; k < path.length; k += 2) {
          p[k] = mx(path[k + 1]);
          p[k + 1] = my(path[k]);
        }
        paths.set(slot, p);
      } else {
        paths.delete(slot);
      }
    }

    function remove(slot) {
      if (!Number.isInteger(slot) || slot < 0 || slot >= n || !(flagA[slot] & ALIVE)) return;
      flagA[slot] = 0;
      paths.delete(slot);
      alive -= 1;
      if (selected === slot) selected = -1;
    }

    // ---- the canvas -------------------------------------------------------------------------
    const LinkLayer = L.Canvas.extend({
      _update() {
        if (this._map._animatingZoom && this._bounds) return;
        this._origin = this._map.getPixelOrigin();
        L.Canvas.prototype._update.call(this);
      },
      _updatePaths() { this.redraw(); },
      redraw() {
        if (this._map && !this._request) this._request = L.Util.requestAnimFrame(this._redrawNow, this);
      },
      flush() {
        if (this._request) {
          L.Util.cancelAnimFrame(this._request);
          this._redrawNow();
        }
      },
      _draw() { this._paint(); },
      // Draw these (new) slots over the canvas as it is; false when only a full draw will do.
      drawOnTop(slots) {
        if (this._request || !this._map || !this._ctx || !this._bounds || !this._origin) return false;
        const t0 = performance.now();
        const ctx = this._ctx;
        ctx.save();
        appendLinks(ctx, slots, this._zoom, this._origin);
        ctx.restore();
        linkStats.linkAppends += 1;
        linkStats.lastAppendMs = performance.now() - t0;
        return true;
      },
      _redrawNow() {
        this._request = null;
        this._paint();
      },
      _paint() {
        if (!this._map || !this._ctx || !this._bounds || !this._origin) return;
        const t0 = performance.now();
        const ctx = this._ctx;
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this._container.width, this._container.height);
        ctx.restore();
        linkStats.linksDrawn = drawLinks(ctx, this._zoom, this._origin, this._bounds);
        linkStats.linkDraws += 1;
        linkStats.lastLinkDrawMs = performance.now() - t0;
      },
    });

    // Lines by kind (one path per kind, stroked once); faded links first, then the kinds, then
    // the focused member's links and the selected link on top. Low zoom: thin and see-through,
    // so that a dense cluster reads as colour, not as a hairball.
    function drawLinks(ctx, zoom, origin, b) {
      if (alive === 0) return 0;
      const scale = 256 * Math.pow(2, zoom);
      const ox = origin.x;
      const oy = origin.y;
      const x0 = b.min.x;
      const y0 = b.min.y;
      const x1 = b.max.x;
      const y1 = b.max.y;
      const byKind = kinds.map(() => new Path2D());
      const arrows = new Path2D();
      const faded = new Path2D();
      const focused = [];
      let drawn = 0;
      const seg = (path, i) => {
        const p = paths.get(i);
        if (p) {
          path.moveTo(p[0] * scale - ox, p[1] * scale - oy);
          for (let k = 2; k < p.length; k += 2) path.lineTo(p[k] * scale - ox, p[k + 1] * scale - oy);
          return;
        }
        path.moveTo(ax[i] * scale - ox, ay[i] * scale - oy);
        path.lineTo(bx[i] * scale - ox, by[i] * scale - oy);
      };
      for (let i = 0; i < n; i += 1) {
        const f = flagA[i];
        if (!(f & ALIVE) || maskedA[i] || hidden.has(kindA[i])) continue;
        const xa = ax[i] * scale - ox;
        const ya = ay[i] * scale - oy;
        const xb = bx[i] * scale - ox;
        const yb = by[i] * scale - oy;
        if (!paths.has(i) && (Math.max(xa, xb) < x0 || Math.min(xa, xb) > x1 || Math.max(ya, yb) < y0 || Math.min(ya, yb) > y1)) continue;
        if (focus.has(i)) {
          focused.push(i);
          continue;
        }
        if (i === selected) continue;
        if (f & FADED) {
          seg(faded, i);
        } else {
          const k = kindA[i];
          if (k < byKind.length) seg(byKind[k], i);
          const dx = xb - xa;
          const dy = yb - ya;
          if (k < kinds.length && kinds[k].directed && zoom >= 7 && dx * dx + dy * dy > 40 * 40) arrowAt(arrows, xa, ya, xb, yb, 5);
        }
        drawn += 1;
      }
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.strokeStyle = FADED_INK;
      ctx.lineWidth = 1;
      ctx.stroke(faded);
      const thin = zoom < 8;
      ctx.globalAlpha = focus.size ? 0.18 : thin ? 0.45 : 0.7;
      ctx.lineWidth = thin ? 1 : 1.6;
      kinds.forEach((k, code) => {
        ctx.strokeStyle = k.colour;
        ctx.stroke(byKind[code]);
      });
      ctx.globalAlpha = focus.size ? 0.3 : 0.8;
      ctx.fillStyle = '#37474f';
      ctx.fill(arrows);
      ctx.globalAlpha = 1;
      for (const i of focused) {
        const p = new Path2D();
        seg(p, i);
        ctx.lineWidth = FOCUS_WIDTH;
        ctx.strokeStyle = kindA[i] < kinds.length ? kinds[kindA[i]].colour : '#607d8b';
        ctx.stroke(p);
        if (kindA[i] < kinds.length && kinds[kindA[i]].directed) {
          const a = new Path2D();
          arrowAt(a, ax[i] * scale - ox, ay[i] * scale - oy, bx[i] * scale - ox, by[i] * scale - oy, 7);
          ctx.fillStyle = ctx.strokeStyle;
          ctx.fill(a);
        }
        drawn += 1;
      }
      if (selected >= 0 && (flagA[selected] & ALIVE)) {
        const p = new Path2D();
        seg(p, selected);
        ctx.lineWidth = FOCUS_WIDTH + 3;
        ctx.strokeStyle = SELECTED_INK;
        ctx.stroke(p);
        ctx.lineWidth = FOCUS_WIDTH - 1;
        ctx.strokeStyle = kindA[selected] < kinds.length ? kinds[kindA[selected]].colour : '#607d8b';
        ctx.stroke(p);
        drawn += 1;
      }
      return drawn;
    }

    // New links in the style drawLinks gives them (focused and selected ones come with a
    // linkStyle command, which draws everything again).
    function appendLinks(ctx, slots, zoom, origin) {
      const scale = 256 * Math.pow(2, zoom);
      const thin = zoom < 8;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      for (const i of slots) {
        const k = kindA[i];
        if (hidden.has(k) || k >= kinds.length) continue;
        const path = new Path2D();
        const p = paths.get(i);
        const xa = ax[i] * scale - origin.x;
        const ya = ay[i] * scale - origin.y;
        const xb = bx[i] * scale - origin.x;
        const yb = by[i] * scale - origin.y;
        if (p) {
          path.moveTo(p[0] * scale - origin.x, p[1] * scale - origin.y);
          for (let j = 2; j < p.length; j += 2) path.lineTo(p[j] * scale - origin.x, p[j + 1] * scale - origin.y);
        } else {
          path.moveTo(xa, ya);
          path.lineTo(xb, yb);
        }
        if (flagA[i] & FADED) {
          ctx.globalAlpha = 1;
          ctx.strokeStyle = FADED_INK;
          ctx.lineWidth = 1;
          ctx.stroke(path);
          continue;
        }
        ctx.globalAlpha = focus.size ? 0.18 : thin ? 0.45 : 0.7;
        ctx.lineWidth = thin ? 1 : 1.6;
        ctx.strokeStyle = kinds[k].colour;
        ctx.stroke(path);
        const dx = xb - xa;
        const dy = yb - ya;
        if (kinds[k].directed && zoom >= 7 && dx * dx + dy * dy > 40 * 40) {
          const arrow = new Path2D();
          arrowAt(arrow, xa, ya, xb, yb, 5);
          ctx.globalAlpha = focus.size ? 0.3 : 0.8;
          ctx.fillStyle = '#37474f';
          ctx.fill(arrow);
        }
      }
    }

    // A small filled arrowhead at 60 % of the way from the supplier to the buyer.
    function arrowAt(path, xa, ya, xb, yb, size) {
      const len = Math.hypot(xb - xa, yb - ya);
      if (len < 1) return;
      const ux = (xb - xa) / len;
      const uy = (yb - ya) / len;
      const tx = xa + (xb - xa) * 0.6;
      const ty = ya + (yb - ya) * 0.6;
      path.moveTo(tx + ux * size, ty + uy * size);
      path.lineTo(tx - ux * size - uy * size * 0.7, ty - uy * size + ux * size * 0.7);
      path.lineTo(tx - ux * size + uy * size * 0.7, ty - uy * size - ux * size * 0.7);
      path.closePath();
    }

    const layer = new LinkLayer({ pane: 'cd-links', padding: 0.3 });
    layer.addTo(map);
    addFlusher(() => layer.flush());

    // ---- clicks: the nearest visible line within HIT_PX selects the link ----------------------
    function distToSegment(px, py, xa, ya, xb, yb) {
      const dx = xb - xa;
      const dy = yb - ya;
      const l2 = dx * dx + dy * dy;
      let t = l2 > 0 ? ((px - xa) * dx + (py - ya) * dy) / l2 : 0;
      t = Math.max(0, Math.min(1, t));
      const ex = xa + t * dx - px;
      const ey = ya + t * dy - py;
      return ex * ex + ey * ey;
    }

    function hitLink(point) {
      const zoom = map.getZoom();
      const scale = 256 * Math.pow(2, zoom);
      const o = map.getPixelOrigin();
      const px = point.x + o.x;
      const py = point.y + o.y;
      let best = -1;
      let bestD = HIT_PX * HIT_PX;
      for (let i = 0; i < n; i += 1) {
        if (!(flagA[i] & ALIVE) || maskedA[i] || hidden.has(kindA[i])) continue;
        const p = paths.get(i);
        if (p) {
          for (let k = 2; k < p.length; k += 2) {
            const d = distToSegment(px, py, p[k - 2] * scale, p[k - 1] * scale, p[k] * scale, p[k + 1] * scale);
            if (d <= bestD) { bestD = d; best = i; }
          }
          continue;
        }
        const xa = ax[i] * scale;
        const xb = bx[i] * scale;
        if (Math.min(xa, xb) - HIT_PX > px || Math.max(xa, xb) + HIT_PX < px) continue;
        const ya = ay[i] * scale;
        const yb = by[i] * scale;
        if (Math.min(ya, yb) - HIT_PX > py || Math.max(ya, yb) + HIT_PX < py) continue;
        const d = distToSegment(px, py, xa, ya, xb, yb);
        if (d <= bestD) { bestD = d; best = i; }
      }
      return best;
    }

    map.on('click', (e) => {
      if (mode !== 'browse') return;
      const slot = hitLink(map.latLngToLayerPoint(e.latlng));
      if (slot >= 0) send('linkClicked', { slot });
    });

    // ---- commands ----------------------------------------------------------------------------
    const setMode = handlers.setMode;
    handlers.setMode = (msg) => {
      setMode(msg);
      mode = msg.mode === 'place' ? 'place' : 'browse';
    };
    handlers.configureLinks = (msg) => {
      if (Array.isArray(msg.kinds)) {
        kinds = msg.kinds.map((k) => ({
          kind: String(k.kind), colour: /^#[0-9a-fA-F]{6}$/.test(k.colour) ? k.colour : '#607d8b', directed: k.directed === true,
        }));
      }
      layer.redraw();
    };
    // Columns are JSON lists, or base64 typed arrays (an opened project: coordinates float32,
    // kinds uint8, no faded column) that need no number parsing.
    const typedColumn = (v, Type) => (typeof v === 'string' && typedArray ? typedArray(v, Type) : v);
    handlers.setLinks = (msg) => {
      const t0 = performance.now();
      const raw = msg.columns && typeof msg.columns === 'object' ? msg.columns : {};
      const c = {
        lat1: typedColumn(raw.lat1, Float32Array), lon1: typedColumn(raw.lon1, Float32Array),
        lat2: typedColumn(raw.lat2, Float32Array), lon2: typedColumn(raw.lon2, Float32Array),
        kind: typedColumn(raw.kind, Uint8Array), faded: raw.faded === undefined ? [] : raw.faded,
      };
      const sized = (a) => a !== null && typeof a === 'object' && typeof a.length === 'number';
      const len = ['lat1', 'lon1', 'lat2', 'lon2', 'kind'].every((k) => sized(c[k]) && c[k].length === c.lat1.length) &&
        sized(c.faded) ? c.lat1.length : 0;
      n = 0;
      alive = 0;
      paths.clear();
      ax = new Float64Array(0); ay = ax; bx = ax; by = ax; kindA = new Uint8Array(0); flagA = kindA; maskedA = kindA;
      masked = 0;
      allocate(Math.max(64, len));
      const extra = msg.paths && typeof msg.paths === 'object' ? msg.paths : {};
      for (let i = 0; i < len; i += 1) {
        if (c.kind[i] < 0) continue; // a free slot
        put(i, c.lat1[i], c.lon1[i], c.lat2[i], c.lon2[i], c.kind[i], c.faded[i] === 1, extra[i]);
      }
      if (selected >= n) selected = -1;
      linkStats.setLinksMs = performance.now() - t0;
      layer.redraw();
    };
    // New links are drawn on top of what the canvas shows (one line each, no full redraw); a
    // changed one needs the canvas drawn again (its old line must go).
    handlers.upsertLinks = (msg) => {
      const added = [];
      let changed = false;
      for (const r of Array.isArray(msg.rows) ? msg.rows : []) {
        if (!Array.isArray(r) || r.length < 7) continue;
        const fresh = Number.isInteger(r[0]) && r[0] >= 0 && !(r[0] < n && (flagA[r[0]] & ALIVE));
        put(r[0], r[1], r[2], r[3], r[4], r[5], r[6] === 1, r[7]);
        if (fresh && r[0] < n && (flagA[r[0]] & ALIVE)) added.push(r[0]);
        else changed = true;
      }
      if (changed || !layer.drawOnTop(added)) layer.redraw();
    };
    handlers.removeLinks = (msg) => {
      for (const s of Array.isArray(msg.slots) ? msg.slots : []) remove(s);
      layer.redraw();
    };
    handlers.linkStyle = (msg) => {
      if (Array.isArray(msg.hidden)) hidden = new Set(msg.hidden.filter(Number.isInteger));
      if (Array.isArray(msg.focus)) focus = new Set(msg.focus.filter(Number.isInteger));
      if (Number.isInteger(msg.selected)) selected = msg.selected;
      layer.redraw();
    };
    // The as-of view (ui/timeline/past_map.py): links that did not count on the date shown are
    // neither drawn nor clickable. {hide: [slots], show: [slots], clear: bool}: clear first shows
    // every link; a slider step sends only the links that changed.
    handlers.maskLinks = (msg) => {
      if (msg.clear === true) {
        maskedA.fill(0);
        masked = 0;
      }
      const mark = (slots, on) => {
        for (const s of Array.isArray(slots) ? slots : []) {
          if (!Number.isInteger(s) || s < 0 || s >= maskedA.length || maskedA[s] === on) continue;
          maskedA[s] = on;
          masked += on ? 1 : -1;
        }
      };
      mark(msg.show, 0);
      mark(msg.hide, 1);
      layer.redraw();
    };
    handlers.fadeLinks = (msg) => {
      const set = new Set(Array.isArray(msg.slots) ? msg.slots : []);
      const invert = msg.invert === true; // slots lists the links kept, not the faded ones
      for (let i = 0; i < n; i += 1) {
        if (!(flagA[i] & ALIVE)) continue;
        flagA[i] = ALIVE | ((set.has(i) !== invert) ? FADED : 0);
      }
      layer.redraw();
    };

    window.__clusterDeskLinks = Object.freeze({
      stats() {
        let faded = 0;
        let shown = 0; // alive and not masked by the as-of view
        for (let i = 0; i < n; i += 1) {
          if ((flagA[i] & (ALIVE | FADED)) === (ALIVE | FADED)) faded += 1;
          if ((flagA[i] & ALIVE) && !maskedA[i]) shown += 1;
        }
        return Object.assign({ links: alive, shown, masked, slots: n, hidden: Array.from(hidden), focus: focus.size, selected, faded, geodesic: paths.size, kinds: kinds.length }, linkStats);
      },
      // Slots drawn when in view: alive and not masked by the as-of view (tests read them).
      shownSlots() {
        const out = [];
        for (let i = 0; i < n; i += 1) if ((flagA[i] & ALIVE) && !maskedA[i]) out.push(i);
        return out;
      },
      // Container point of a link's middle (tests click there).
      midpoint(slot) {
        if (!(flagA[slot] & ALIVE)) return null;
        const p = paths.get(slot);
        let x;
        let y;
        if (p) {
          const k = Math.floor(p.length / 4) * 2;
          x = p[k];
          y = p[k + 1];
        } else {
          x = (ax[slot] + bx[slot]) / 2;
          y = (ay[slot] + by[slot]) / 2;
        }
        const scale = 256 * Math.pow(2, map.getZoom());
        const o = map.getPixelOrigin();
        const q = map.layerPointToContainerPoint([x * scale - o.x, y * scale - o.y]);
        return { x: q.x, y: q.y };
      },
    });
    void stats;
  }

  window.__cdMapExtensions = (window.__cdMapExtensions || []).concat([register]);
})();
