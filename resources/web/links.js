// Cluster Desk map page: the links layer (issue 12). Loaded before map.js, which calls the
// extension registered here with its map, its command handlers and its send(). Links are slots
// in typed arrays drawn on one canvas (no DOM node per link), like the members. Python owns the
// slot numbers: it sends coordinates per slot, and a click on a line answers linkClicked({slot}).
// Nothing here touches text: the layer draws lines only.
// Why ~1,400 lines: the slot arrays, the per-kind canvases, thinning at low zoom, the focus and
// fade masks, hit testing and the commands all work on the same arrays and canvases; split them
// and each would need the others' internals.
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
    const { map, L, send, handlers, stats, addFlusher, typedArray, blobPart, memberSlots, makePane, whenIdle } = api;
    const traceStep = api.traceStep || (() => {});
    makePane('cd-links', 400, false); // over the towns (390), under the members (420)

    let n = 0; // slots used (dead ones included)
    let alive = 0;
    // A link's two ends are points: endA/endB index px/py (Web Mercator x, y in [0, 1)). An
    // opened project's links (setLinkRows) share the points of the member slots (the first
    // sharedPoints points, a copy of the members' own made once): no coordinates per link. A
    // link put on its own (upsertLinks, JSON setLinks) gets a pair of points of its own, which
    // it keeps when put again (the points grow with the slots, never with the edits). Dead
    // slots of setLinkRows have ends -1.
    let px = new Float64Array(0);
    let py = new Float64Array(0);
    let points = 0; // points used
    let sharedPoints = 0;
    let endA = new Int32Array(0);
    let endB = new Int32Array(0);
    let kindA = new Uint8Array(0);
    let flagA = new Uint8Array(0);
    // 1 = not drawn: the link did not count on the date the window shows (maskLinks). Apart from
    // flagA, which upserts and fades rewrite; setLinks (new slot numbers) clears it.
    let maskedA = new Uint8Array(0);
    let masked = 0;
    const paths = new Map(); // slot -> Float64Array [mx, my, mx, my, ...] of a geodesic line
    // 1 where paths has the slot: the draws ask this of every link (a Map lookup each cost more)
    let pathA = new Uint8Array(0);
    function setPath(slot, p) {
      paths.set(slot, p);
      pathA[slot] = 1;
      linesVersion += 1;
    }
    function dropPath(slot) {
      if (pathA[slot]) linesVersion += 1;
      paths.delete(slot);
      pathA[slot] = 0;
    }
    // Bumped by every change to which lines a paint draws or where (points, paths, slots, kinds,
    // masks): a view's drawn lines and their faint base are kept while it stays the same.
    let linesVersion = 0;
    let kinds = []; // [{kind, colour, directed}] by code
    let hidden = new Set(); // kind codes not drawn
    let focus = new Set(); // slots of the selected member's links (drawn on top, thick)
    let selected = -1; // selected link slot
    let mode = 'browse';
    const linkStats = {
      linkDraws: 0, lastLinkDrawMs: 0, linksDrawn: 0, setLinksMs: 0, linkAppends: 0, lastAppendMs: 0, kindDraws: 0,
      focusDraws: 0, composites: 0, lastPaintMs: 0, share: 1, kindFills: 0, pixelPaints: 0,
      faintBaseBuilds: 0, faintBaseUses: 0,
    };

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
      endA = grow(endA, Int32Array);
      endB = grow(endB, Int32Array);
      kindA = grow(kindA, Uint8Array);
      flagA = grow(flagA, Uint8Array);
      maskedA = grow(maskedA, Uint8Array);
      pathA = grow(pathA, Uint8Array);
    }

    // Room for `more` points after those used; the first of them.
    function newPoints(more) {
      if (points + more > px.length) {
        const size = Math.max(64, Math.ceil((points + more) * 1.5));
        const grown = (old) => {
          const a = new Float64Array(size);
          a.set(old.subarray(0, points));
          return a;
        };
        px = grown(px);
        py = grown(py);
      }
      points += more;
      return points - more;
    }

    // Every slot and point gone (a setLinks).
    function resetSlots() {
      n = 0;
      alive = 0;
      paths.clear();
      endA = new Int32Array(0); endB = endA;
      kindA = new Uint8Array(0); flagA = kindA; maskedA = kindA; pathA = kindA;
      masked = 0;
      px = new Float64Array(0); py = px;
      points = 0;
      sharedPoints = 0;
      pointsMoved();
      Object.assign(faintBase, { key: '', canvas: null, pixels: null }); // (another set's: let go)
    }

    function num(v) { return typeof v === 'number' && Number.isFinite(v); }

    function put(slot, lat1, lon1, lat2, lon2, kind, faded, path) {
      if (!Number.isInteger(slot) || slot < 0 || slot > 10000000) return;
      if (!(num(lat1) && num(lon1) && num(lat2) && num(lon2)) || !Number.isInteger(kind)) return;
      if (slot >= endA.length) allocate(Math.max(64, Math.ceil((slot + 1) * 1.5)));
      if (slot >= n) n = slot + 1;
      if (!(flagA[slot] & ALIVE)) {
        alive += 1;
        if (maskedA[slot]) { // a reused slot starts unmasked (the as-of view sends its mask again)
          maskedA[slot] = 0;
          masked -= 1;
        }
      }
      let p = endA[slot];
      if (!(p >= sharedPoints && p + 1 < points && endB[slot] === p + 1)) { // no pair of its own yet
        p = newPoints(2);
        endA[slot] = p;
        endB[slot] = p + 1;
      }
      px[p] = mx(lon1);
      py[p] = my(lat1);
      px[p + 1] = mx(lon2);
      py[p + 1] = my(lat2);
      pointsMoved();
      if (kindA[slot] !== kind || !(flagA[slot] & ALIVE)) slotsChanged();
      kindA[slot] = kind;
      flagA[slot] = ALIVE | (faded ? FADED : 0);
      if (Array.isArray(path) && path.length >= 4 && path.length % 2 === 0 && path.every(num)) {
        const p = new Float64Array(path.length);
        for (let k = 0; k < path.length; k += 2) {
          p[k] = mx(path[k + 1]);
          p[k + 1] = my(path[k]);
        }
        setPath(slot, p);
      } else {
        dropPath(slot);
      }
    }

    function remove(slot) {
      if (!Number.isInteger(slot) || slot < 0 || slot >= n || !(flagA[slot] & ALIVE)) return;
      flagA[slot] = 0;
      dropPath(slot);
      alive -= 1;
      slotsChanged();
      if (selected === slot) selected = -1;
    }

    // ---- the canvases: one per kind, and one for the focused and selected links ----------------
    // Each kind is painted on a canvas of its own, kept off the page; the page shows their
    // composite (drawImage of each shown kind) on one canvas whose CSS opacity gives the
    // see-through look, and the focus canvas over it. A kind hidden is a new composite (a few
    // blits), a kind shown again one blit on top, a member's links standing out a CSS opacity
    // and a repaint of the focus canvas: none repaints 300,000 lines. A deleted link repaints
    // its own kind only.
    // (Stacking the kinds' canvases in the page instead made every frame cost the compositor
    // ten full-size layers.) Lines are stroked opaque in batches of STROKE_BATCH (one huge path
    // costs far more than its parts: 300k segments took seconds); the alpha comes with the
    // composite, applied once per kind. At a low zoom at most LINE_BUDGET
    // lines in view are drawn: a fixed pseudo-random share of every kind (zooming in adds
    // lines, never swaps them), so a dense network reads as density, not as a solid hairball.
    const STROKE_BATCH = 2000;
    const LINE_BUDGET = 20000;
    // Lines are 1 px when many are in view: Skia draws those as hairlines, each segment on its
    // own. A wider line is a stroke turned into a filled outline, and a batch of 2,000 long lines
    // crossing the view is one path with thousands of edges on every scanline: at zoom 10 on a
    // 100k map that raster took 2-4 s on the page's main thread (the map frozen at the old view),
    // against ~0.3 s for the same lines as hairlines (issue 17; tests/ui/test_link_hairlines.py).
    // A few lines zoomed in (a cluster's own network) stay 1.6 px: cheap, and easier to follow.
    const WIDE_UP_TO = 1000;
    function lineWidth(zoom) {
      return zoom >= 8 && drawnInView <= WIDE_UP_TO ? 1.6 : 1;
    }
    const ARROW_INK = '#37474f';
    const FADED_STROKE = 'rgba(120, 120, 120, 0.25)';

    // A link's fixed place in [0, 1): drawn while place < share (the share of lines in view).
    function place(i) {
      let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return (h >>> 0) / 4294967296;
    }

    const LinkLayer = L.Renderer.extend({
      initialize(options) {
        L.Renderer.prototype.initialize.call(this, options);
        this._kindCanvases = [];
        this._kindDrawn = []; // lines on each kind's canvas (0: nothing to blit)
        this._focusCanvas = null;
        this._display = null;
        this._focusDrawn = 0;
        this._recompose = false; // the composite is made again on the next frame
        this._onTop = new Set(); // kinds shown again: blitted over the composite as it is
        this._dirty = new Set(); // kind codes to repaint on the next frame
        this._dirtyFocus = false;
        this._recount = true; // the share of lines drawn is worked out again on the next paint
        this._stale = new Set(); // hidden kinds not painted for the current view
        // Kinds drawn straight on the display by the last full paint, their own canvases not
        // painted for this view yet: filled in the background after it, or at once when a
        // change needs them (a composite, a line on top).
        this._lazy = new Set();
        this._filling = null;
        // The last full paint drew its lines as pixels (many long lines: linePixels): the
        // kinds' canvases are left unpainted, and any change paints the display in full again.
        this._pixelMode = false;
        this._request = null;
        this.share = 1;
      },
      _initContainer() {
        this._container = L.DomUtil.create('div', 'cd-link-stack');
        this._display = this._newCanvas();
        this._focusCanvas = this._newCanvas();
        this._container.append(this._display, this._focusCanvas);
        this.setKinds(kinds.length);
      },
      _destroyContainer() {
        L.DomUtil.remove(this._container);
        delete this._container;
      },
      _newCanvas() {
        const c = document.createElement('canvas');
        c.className = 'cd-link-canvas';
        if (this._size) this._fit(c);
        return c;
      },
      // One (off-page) canvas per kind code.
      setKinds(count) {
        if (!this._container) return;
        while (this._kindCanvases.length < count) {
          this._kindCanvases.push(this._newCanvas());
          this._kindDrawn.push(0);
        }
        this.redraw();
      },
      _fit(c) {
        const b = this._bounds;
        const m = L.Browser.retina ? 2 : 1;
        c.width = m * this._size.x; // also clears it
        c.height = m * this._size.y;
        c.style.width = this._size.x + 'px';
        c.style.height = this._size.y + 'px';
        c.getContext('2d').setTransform(m, 0, 0, m, -m * b.min.x, -m * b.min.y);
      },
      _update() {
        if (this._map._animatingZoom && this._bounds) return;
        L.Renderer.prototype._update.call(this);
        this._origin = this._map.getPixelOrigin();
        this._size = this._bounds.getSize();
        L.DomUtil.setPosition(this._container, this._bounds.min);
        for (const c of this._kindCanvases) this._fit(c);
        this._kindDrawn.fill(0);
        this._fit(this._focusCanvas);
        this._fit(this._display);
        this.fire('update');
      },
      onAdd() {
        L.Renderer.prototype.onAdd.call(this);
        this._paintNow();
      },
      _updatePaths() { this.redraw(); }, // the view moved: every canvas was cleared
      // Everything again, with a new share of lines for what is now in view.
      redraw() {
        this._recount = true;
        kinds.forEach((_k, code) => this._dirty.add(code));
        this._dirtyFocus = true;
        this._schedule();
      },
      // recount: the links in view changed (a mask): the share drawn is worked out again, and
      // if it moves every kind is painted with it.
      redrawKinds(codes, recount) {
        if (recount) this._recount = true;
        for (const k of codes) if (k < kinds.length) this._dirty.add(k);
        this._dirtyFocus = true; // a focused or selected link may be among them
        this._schedule();
      },
      redrawFocus() {
        this._dirtyFocus = true;
        this._schedule();
      },
      // Kinds shown or hidden, the focus dimming the rest: a new composite on the next frame (a
      // kind shown again is painted first if the view moved while it was hidden).
      restyle(shownAgain) {
        for (const code of this._stale) if (!hidden.has(code)) this._dirty.add(code);
        if (shownAgain) for (const code of shownAgain) this._onTop.add(code);
        else this._recompose = true;
        this._schedule();
      },
      // codes: the kinds to blit over the composite as it is; null: the composite from scratch.
      _composite(codes) {
        const t0 = performance.now();
        const d = this._display;
        const ctx = d.getContext('2d');
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        if (codes === null) ctx.clearRect(0, 0, d.width, d.height);
        this._kindCanvases.forEach((c, code) => {
          if (codes !== null && !codes.has(code)) return;
          if (code < kinds.length && !hidden.has(code) && this._kindDrawn[code] > 0) ctx.drawImage(c, 0, 0);
        });
        ctx.restore();
        d.style.opacity = String(focus.size ? 0.18 : this._zoom < 8 ? 0.45 : 0.7);
        linkStats.composites += 1;
        linkStats.lastCompositeMs = performance.now() - t0;
      },
      _schedule() {
        if (this._map && !this._request) this._request = L.Util.requestAnimFrame(this._paintNow, this);
      },
      flush() {
        if (this._request) {
          L.Util.cancelAnimFrame(this._request);
          this._paintNow();
        }
      },
      _paintNow() {
        this._request = null;
        if (!this._map || !this._bounds || !this._origin) return;
        const t0 = performance.now();
        let counted = false; // shareInView listed the lines drawn for this very paint
        if (this._recount) {
          const ts = performance.now();
          const share = shareInView(this._zoom, this._origin, this._bounds);
          linkStats.lastShareMs = performance.now() - ts;
          if (share !== this.share) kinds.forEach((_k, code) => this._dirty.add(code));
          this.share = share;
          this._recount = false;
          counted = true;
          tellThinned();
        }
        if (this._pixelMode) { // (no kinds' canvases to blit, but the ones shown again)
          const onTopOnly = !this._recompose && this._onTop.size > 0 && [...this._dirty].every((c) => this._onTop.has(c));
          if (onTopOnly) {
            for (const code of this._onTop) this._kindDrawn[code] = this._paintKindPixels(code);
            this._dirty.clear();
          } else if (this._dirty.size || this._recompose || this._onTop.size) {
            kinds.forEach((_k, code) => this._dirty.add(code));
          }
        }
        const all = this._dirty.size >= kinds.length && kinds.length > 0;
        let drawn = 0;
        if (all) { // every kind: straight on the display, no blits (the kinds' canvases later)
          drawn = this._paintDisplay(counted ? drawnInViewByKind() : null);
          linkStats.linkDraws += 1;
          linkStats.linksDrawn = drawn;
          linkStats.lastLinkDrawMs = performance.now() - t0;
          linkStats.lastPaintMs = linkStats.lastLinkDrawMs;
          traceStep('full link draw (' + linkStats.lastLinkDrawMs.toFixed(1) + ' ms, share ' +
            (linkStats.lastShareMs || 0).toFixed(1) + ' ms)');
          linkStats.share = this.share;
          return;
        }
        this.fillKinds();
        for (const code of this._dirty) {
          const c = this._kindCanvases[code];
          if (!c) continue;
          clear(c);
          this._kindDrawn[code] = 0;
          if (hidden.has(code)) {
            this._stale.add(code);
            continue;
          }
          this._stale.delete(code);
          this._kindDrawn[code] = this._paintKindOn(c, code);
          drawn += this._kindDrawn[code];
          linkStats.kindDraws += 1;
        }
        const repainted = this._dirty.size > 0;
        this._dirty.clear();
        if (this._dirtyFocus) {
          clear(this._focusCanvas);
          this._focusDrawn = paintFocus(this._focusCanvas.getContext('2d'), this._zoom, this._origin);
          linkStats.focusDraws += 1;
          this._dirtyFocus = false;
        }
        if (repainted || this._recompose) this._composite(null);
        else if (this._onTop.size) this._composite(this._onTop);
        else this._display.style.opacity = String(focus.size ? 0.18 : this._zoom < 8 ? 0.45 : 0.7);
        this._recompose = false;
        this._onTop.clear();
        if (all) {
          linkStats.linkDraws += 1;
          linkStats.linksDrawn = drawn;
          linkStats.lastLinkDrawMs = performance.now() - t0;
        }
        linkStats.lastPaintMs = performance.now() - t0;
        linkStats.share = this.share;
      },
      // Every kind on the display canvas in code order (the composite's order), and the focus
      // canvas; the kinds' own canvases are left to fillKinds. picked: per kind the lines to
      // draw (shareInView's, just counted for this view), or null to pick them here.
      _paintDisplay(picked) {
        const d = this._display;
        const ctx = d.getContext('2d');
        clear(d);
        const pix = linePixels(d, this._zoom, this._origin, this._bounds); // every kind's lines, then put once
        this._pixelMode = pix !== null;
        let drawn = 0;
        this._lazy.clear();
        const shown = [];
        kinds.forEach((_k, code) => {
          this._kindDrawn[code] = 0;
          if (hidden.has(code)) {
            this._stale.add(code);
            return;
          }
          this._stale.delete(code);
          if (!this._pixelMode) this._lazy.add(code);
          shown.push(code);
        });
        const key = linesKey(d, this._zoom, this._origin, this._bounds, this.share);
        const lines = this._shownLines(key, shown, picked);
        if (paintOverFaintBase(ctx, shown, lines, key, this._zoom, this._origin, this._bounds, pix)) {
          drawn = lines.reduce((sum, l) => sum + l.length, 0);
        } else {
          shown.forEach((code, k) => {
            ctx.save();
            drawn += paintKind(ctx, code, this._zoom, this._origin, this._bounds, this.share, lines[k], pix);
            ctx.restore();
          });
        }
        if (pix) { // the lines, then every kind's arrowheads over them
          putLinePixels(ctx, pix);
          const scale = 256 * Math.pow(2, this._zoom);
          pix.arrows.forEach((slots) => paintArrows(ctx, slots, scale, this._origin.x, this._origin.y));
        }
        this._dirty.clear();
        clear(this._focusCanvas);
        this._focusDrawn = paintFocus(this._focusCanvas.getContext('2d'), this._zoom, this._origin);
        linkStats.focusDraws += 1;
        this._dirtyFocus = false;
        this._recompose = false;
        this._onTop.clear();
        d.style.opacity = String(focus.size ? 0.18 : this._zoom < 8 ? 0.45 : 0.7);
        if (this._lazy.size && this._filling === null) this._filling = setTimeout(() => this._fillSome(), 120);
        return drawn;
      },
      // One kind's canvas a task, after a full paint (the page stays responsive meanwhile).
      _fillSome() {
        this._filling = null;
        const code = this._lazy.values().next();
        if (code.done) return;
        this._fillKind(code.value);
        if (this._lazy.size) this._filling = setTimeout(() => this._fillSome(), 0);
      },
      // A kind shown again while the display is drawn as pixels: its lines (and arrowheads) on
      // its own canvas, as pixels, to be blitted over the display (a full paint at zoom 10:
      // ~0.18 s).
      _paintKindPixels(code) {
        const c = this._kindCanvases[code];
        if (!c) return 0;
        clear(c);
        const ctx = c.getContext('2d');
        const pix = linePixels(c, this._zoom, this._origin, this._bounds);
        if (pix === null) return this._paintKindOn(c, code);
        const drawn = paintKind(ctx, code, this._zoom, this._origin, this._bounds, this.share, undefined, pix);
        putLinePixels(ctx, pix);
        if (pix.arrows[code]) paintArrows(ctx, pix.arrows[code], 256 * Math.pow(2, this._zoom), this._origin.x, this._origin.y);
        this._stale.delete(code);
        return drawn;
      },
      // One kind on its own (cleared) canvas.
      _paintKindOn(c, code) {
        return paintKind(c.getContext('2d'), code, this._zoom, this._origin, this._bounds, this.share);
      },
      _fillKind(code) {
        this._lazy.delete(code);
        const c = this._kindCanvases[code];
        if (!c || !this._map || !this._bounds || !this._origin) return;
        clear(c);
        this._kindDrawn[code] = 0;
        if (hidden.has(code)) {
          this._stale.add(code);
          return;
        }
        this._kindDrawn[code] = this._paintKindOn(c, code);
        linkStats.kindFills += 1; // not kindDraws: those count the repaints a change asked for
      },
      // The kinds' canvases painted for the current view before anything reads them (those
      // about to be repainted anyway are left to that).
      fillKinds() {
        for (const code of Array.from(this._lazy)) {
          if (this._dirty.has(code)) this._lazy.delete(code);
          else this._fillKind(code);
        }
      },
      // The lines a full paint draws, by shown kind (linesOf): `picked` when just counted, else
      // those kept under `key` (a fade alone draws the same lines again), else picked here.
      _shownLines(key, shown, picked) {
        if (picked || key !== shownLines.key) {
          shownLines.lines = shown.map((code) => linesOf(code, this._zoom, this._origin, this._bounds, this.share, picked && picked[code]));
          shownLines.key = key;
        }
        return shownLines.lines;
      },
      // A check's faint base for the view as it is (the lines its last full paint drew), made
      // ahead of the first check clicked (at 100,000 members ~70 ms of that click otherwise).
      prepareFaintBase() {
        if (this._request || !this._map || !this._bounds || !this._origin || !kinds.length) return; // (a paint to come)
        const t0 = performance.now();
        const d = this._display;
        const key = linesKey(d, this._zoom, this._origin, this._bounds, this.share);
        const lines = this._shownLines(key, kinds.map((_k, code) => code).filter((code) => !hidden.has(code)));
        const pix = linePixels(d, this._zoom, this._origin, this._bounds);
        const base = `${pix ? 'pixels' : 'strokes'} ${key}`;
        if (base !== faintBase.key) makeFaintBase(d, null, lines, base, this._zoom, this._origin, this._bounds, pix);
        if (pix) window.__clusterDeskPixels.clear(pix.t); // (nothing of it to put)
        traceStep('faint base made ahead (' + (performance.now() - t0).toFixed(1) + ' ms)');
      },
      // Draw these (new) slots over their kinds' canvases as they are; false when only a
      // repaint will do (one is pending, or a new link is focused or selected).
      drawOnTop(slots) {
        if (this._request || this._pixelMode || !this._map || !this._bounds || !this._origin) return false;
        if (slots.some((i) => focus.has(i) || i === selected)) return false;
        const t0 = performance.now();
        this.fillKinds();
        const shown = this._display.getContext('2d');
        for (const i of slots) {
          const k = kindA[i];
          if (hidden.has(k) || k >= kinds.length || !this._kindCanvases[k]) continue;
          const ctx = this._kindCanvases[k].getContext('2d');
          ctx.save();
          appendLink(ctx, i, this._zoom, this._origin);
          ctx.restore();
          this._kindDrawn[k] += 1;
          shown.save(); // and on the composite as it is
          appendLink(shown, i, this._zoom, this._origin);
          shown.restore();
        }
        linkStats.linkAppends += 1;
        linkStats.lastAppendMs = performance.now() - t0;
        return true;
      },
    });

    function clear(c) {
      const ctx = c.getContext('2d');
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, c.width, c.height);
      ctx.restore();
    }

    // Per kind, the slots of that kind (rebuilt after slots or kinds change; a counting sort).
    let byKind = null;
    function slotsByKind() {
      if (byKind !== null) return byKind;
      const counts = new Int32Array(kinds.length + 1);
      for (let i = 0; i < n; i += 1) if ((flagA[i] & ALIVE) && kindA[i] < kinds.length) counts[kindA[i]] += 1;
      byKind = kinds.map((_k, code) => new Int32Array(counts[code]));
      const fill = new Int32Array(kinds.length);
      for (let i = 0; i < n; i += 1) {
        const k = kindA[i];
        if ((flagA[i] & ALIVE) && k < kinds.length) byKind[k][fill[k]++] = i;
      }
      return byKind;
    }
    function slotsChanged() {
      byKind = null;
      linesVersion += 1;
    }

    // Each point's side of the view (bits: left, right, above, below of the bounds b), kept for
    // one view while no point moves: a line's box misses the view exactly when both its ends
    // are past one side, (code a & code b) != 0. One pass over the points (the members), then
    // two byte reads a link, where each link's four coordinates were read and projected.
    let sides = new Uint8Array(0);
    let sidesKey = '';
    function pointsMoved() {
      sidesKey = '';
      linesVersion += 1;
    }
    function viewSides(scale, ox, oy, b) {
      const key = `${scale} ${ox} ${oy} ${b.min.x} ${b.min.y} ${b.max.x} ${b.max.y}`;
      if (key === sidesKey) return sides;
      if (sides.length < points) sides = new Uint8Array(px.length);
      const [x0, y0, x1, y1] = [b.min.x, b.min.y, b.max.x, b.max.y];
      for (let p = 0; p < points; p += 1) {
        const x = px[p] * scale - ox;
        const y = py[p] * scale - oy;
        sides[p] = (x < x0 ? 1 : 0) | (x > x1 ? 2 : 0) | (y < y0 ? 4 : 0) | (y > y1 ? 8 : 0);
      }
      sidesKey = key;
      return sides;
    }
    // Whether link i may be in view (its box meets it; a geodesic line always counts).
    function inView(i, side) {
      return pathA[i] === 1 || (side[endA[i]] & side[endB[i]]) === 0;
    }

    // The share of lines drawn so that at most LINE_BUDGET of those in view are (every kind
    // counted, hidden ones too: showing a kind again never changes what the others draw).
    // Also counts what the note under the legend says (thinned: [lines drawn, lines in view]).
    let inViewSlots = new Int32Array(0);
    function shareInView(zoom, origin, b) {
      const scale = 256 * Math.pow(2, zoom);
      if (inViewSlots.length < n) inViewSlots = new Int32Array(n);
      const side = viewSides(scale, origin.x, origin.y, b);
      let seen = 0;
      for (let i = 0; i < n; i += 1) {
        if ((flagA[i] & ALIVE) && !maskedA[i] && inView(i, side)) inViewSlots[seen++] = i;
      }
      const share = seen > LINE_BUDGET ? LINE_BUDGET / seen : 1;
      let drawn = seen;
      if (share < 1) { // keep those drawn at the share, in slot order
        drawn = 0;
        for (let j = 0; j < seen; j += 1) {
          const i = inViewSlots[j];
          if (place(i) < share) inViewSlots[drawn++] = i;
        }
      }
      drawnInView = drawn;
      thinned = share < 1 ? [drawn, seen] : [0, 0];
      return share;
    }

    // The last shareInView's lines drawn, by kind (slot order kept): a full paint right after
    // it draws these instead of walking every link of every kind again. 300,000 links thinned
    // to 20,000 lines: that walk needed the kinds' counting sort first (10-30 ms on a first
    // open, now left to the kinds' canvases filled after the paint) and a second hash and view
    // test of every link (a repaint's picking 17 -> 11 ms).
    let drawnInView = 0;
    function drawnInViewByKind() {
      const counts = new Int32Array(kinds.length);
      for (let j = 0; j < drawnInView; j += 1) {
        const k = kindA[inViewSlots[j]];
        if (k < kinds.length) counts[k] += 1;
      }
      const out = kinds.map((_k, code) => new Int32Array(counts[code]));
      counts.fill(0);
      for (let j = 0; j < drawnInView; j += 1) {
        const i = inViewSlots[j];
        const k = kindA[i];
        if (k < kinds.length) out[k][counts[k]++] = i;
      }
      return out;
    }

    // Python shows a note while lines are thinned (ui/map/legend.py); told only of changes.
    let thinned = [0, 0];
    let told = [0, 0];
    function tellThinned() {
      if (thinned[0] === told[0] && thinned[1] === told[1]) return;
      told = thinned;
      send('linksThinned', { shown: thinned[0], inView: thinned[1] });
    }

    // Whether a link is drawn (and clickable) at the current share.
    function drawnAtShare(i) {
      return layer.share >= 1 || focus.has(i) || i === selected || place(i) < layer.share;
    }

    function segment(ctx, i, scale, ox, oy) {
      const p = paths.get(i);
      if (p) {
        ctx.moveTo(p[0] * scale - ox, p[1] * scale - oy);
        for (let k = 2; k < p.length; k += 2) ctx.lineTo(p[k] * scale - ox, p[k + 1] * scale - oy);
        return;
      }
      ctx.moveTo(px[endA[i]] * scale - ox, py[endA[i]] * scale - oy);
      ctx.lineTo(px[endB[i]] * scale - ox, py[endB[i]] * scale - oy);
    }

    // A kind's lines a paint draws, in slot order: `chosen` (already picked for this view and
    // share: drawnInViewByKind) or, when null or undefined, those of its links in view, shown on
    // the date the window shows and within the share.
    function linesOf(code, zoom, origin, b, share, chosen) {
      if (chosen) return chosen;
      const slots = slotsByKind()[code];
      const side = viewSides(256 * Math.pow(2, zoom), origin.x, origin.y, b);
      const out = new Int32Array(slots.length);
      let k = 0;
      for (let j = 0; j < slots.length; j += 1) {
        const i = slots[j];
        if (maskedA[i] || (share < 1 && place(i) >= share) || !inView(i, side)) continue;
        out[k++] = i;
      }
      return out.subarray(0, k);
    }

    // Lines slots[from], slots[from + step] ... up to (not with) slots[to], stroked in batches
    // in the context's current style.
    function strokeLines(ctx, slots, from, to, step, scale, ox, oy) {
      let batch = 0;
      ctx.beginPath();
      for (let j = from; j !== to; j += step) {
        segment(ctx, slots[j], scale, ox, oy);
        batch += 1;
        if (batch === STROKE_BATCH) {
          ctx.stroke();
          ctx.beginPath();
          batch = 0;
        }
      }
      ctx.stroke();
    }

    // ---- a check's faint base ------------------------------------------------------------------
    // A check shown fades most links (all but those between its members), and each check clicked
    // stroked them all again: 15-30 ms of script and 25-30 ms of Skia's raster a click at 100,000
    // members. A full paint with most lines faded now draws every line in view faint first
    // (faded or not: the same picture for every check), keeps a copy of that canvas, and strokes
    // the coloured lines over it; the next full paint with links faded in the same view (the
    // same lines at the same places) blits the copy and strokes its coloured lines only. (A
    // coloured line has its own faint line under it, hidden but for the anti-aliased edge, and
    // every kind's coloured lines lie over every kind's faint ones.)
    const faintBase = { key: '', canvas: null, pixels: null }; // (a canvas, or a pixel target's copy)
    // What a full paint's lines are and where: the canvas, the view, the share, the kinds hidden
    // and linesVersion (the faint base and the lines themselves are kept while it stays).
    function linesKey(d, zoom, origin, b, share) {
      return `${d.width}x${d.height} ${zoom} ${origin.x} ${origin.y} ${b.min.x} ${b.min.y} ${b.max.x} ${b.max.y} ` +
        `${share} ${Array.from(hidden).sort()} ${kinds.length} v${linesVersion}`;
    }
    const shownLines = { key: '', lines: [] }; // the last full paint's, by shown kind
    // Every shown kind's lines (lines[k] those of kind shown[k]) on the display over the faint
    // base, made now when it is not kept for these lines; false (nothing drawn) when no line is
    // faded, or when under half are and no base is kept (each drawn in its kind's colour or
    // faint, as paintKind draws them, costs less then).
    function paintOverFaintBase(ctx, shown, lines, key, zoom, origin, b, pix) {
      let faded = 0;
      let total = 0;
      for (const slots of lines) {
        total += slots.length;
        for (let j = 0; j < slots.length; j += 1) if (flagA[slots[j]] & FADED) faded += 1;
      }
      if (faded === 0) return false;
      key = `${pix ? 'pixels' : 'strokes'} ${key}`;
      let kept = key === faintBase.key;
      if (!kept && 2 * faded < total) return false;
      if (kept && pix) kept = window.__clusterDeskPixels.restore(pix.t, faintBase.pixels);
      else if (kept) drawUntransformed(ctx, faintBase.canvas);
      if (kept) linkStats.faintBaseUses += 1;
      else makeFaintBase(ctx.canvas, ctx, lines, key, zoom, origin, b, pix);
      shown.forEach((code, k) => {
        ctx.save();
        paintKind(ctx, code, zoom, origin, b, 1, lines[k], pix, true);
        ctx.restore();
      });
      return true;
    }

    // The faint base of these lines (key: paintOverFaintBase's) for display canvas d: drawn on
    // d through ctx (which then holds them) and copied, or with no ctx on the kept canvas alone
    // (made ahead: LinkLayer.prepareFaintBase); into pix and copied when lines are pixels.
    function makeFaintBase(d, ctx, lines, key, zoom, origin, b, pix) {
      const scale = 256 * Math.pow(2, zoom);
      if (pix) {
        const faint = inkOf(FADED_STROKE);
        const sx = pix.m * scale;
        const tx = -pix.m * (origin.x + b.min.x);
        const ty = -pix.m * (origin.y + b.min.y);
        for (const slots of lines) for (let j = 0; j < slots.length; j += 1) segmentPixels(pix.t, slots[j], sx, tx, ty, faint);
        faintBase.pixels = window.__clusterDeskPixels.keep(pix.t);
        faintBase.canvas = null;
      } else {
        const c = faintBase.canvas || document.createElement('canvas');
        c.width = d.width; // (also clears it)
        c.height = d.height;
        const on = ctx || c.getContext('2d');
        on.save();
        if (!ctx) on.setTransform(d.getContext('2d').getTransform()); // (the display's)
        on.lineCap = zoom < 8 ? 'butt' : 'round';
        on.lineJoin = 'round';
        on.lineWidth = 1;
        on.strokeStyle = FADED_STROKE;
        for (const slots of lines) strokeLines(on, slots, 0, slots.length, 1, scale, origin.x, origin.y);
        on.restore();
        if (ctx) c.getContext('2d').drawImage(d, 0, 0);
        faintBase.canvas = c;
        faintBase.pixels = null;
      }
      faintBase.key = key;
      linkStats.faintBaseBuilds += 1;
    }

    // Canvas c onto ctx's canvas, pixel for pixel, whatever ctx's transform.
    function drawUntransformed(ctx, c) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(c, 0, 0);
      ctx.restore();
    }

    let picked = new Int32Array(0); // paintKind's scratch: the slots it draws
    // One kind: its faded links, its lines, its arrows (supply-like kinds, zoomed in). chosen:
    // as linesOf's. pix: a pixel target (linePixels) the lines are drawn into instead of
    // stroked, their arrowheads left in pix.arrows for later. colouredOnly: the faded links are
    // left out (they are on the faint base already: faintBase).
    function paintKind(ctx, code, zoom, origin, b, share, chosen, pix, colouredOnly) {
      const scale = 256 * Math.pow(2, zoom);
      const ox = origin.x;
      const oy = origin.y;
      const slots = linesOf(code, zoom, origin, b, share, chosen);
      const thin = zoom < 8;
      const arrows = kinds[code].directed && zoom >= 7;
      // One pass splits the lines: faded ones to the front of `picked`, the others to its back
      // (in slot order read backwards from the end); each group is drawn after.
      if (picked.length < slots.length) picked = new Int32Array(slots.length);
      let faded = 0;
      let rest = slots.length;
      for (let j = 0; j < slots.length; j += 1) {
        const i = slots[j];
        if (flagA[i] & FADED) picked[faded++] = i;
        else picked[--rest] = i;
      }
      if (colouredOnly) faded = 0;
      const drawn = faded + slots.length - rest;
      if (pix) { // 1 px lines into the pixel target; the arrowheads once it is put
        const ink = inkOf(kinds[code].colour);
        const sx = pix.m * scale;
        const tx = -pix.m * (ox + b.min.x);
        const ty = -pix.m * (oy + b.min.y);
        const faint = inkOf(FADED_STROKE);
        for (let j = 0; j < faded; j += 1) segmentPixels(pix.t, picked[j], sx, tx, ty, faint);
        for (let j = slots.length - 1; j >= rest; j -= 1) segmentPixels(pix.t, picked[j], sx, tx, ty, ink);
        if (arrows) pix.arrows[code] = picked.slice(rest, slots.length);
        return drawn;
      }
      ctx.lineCap = thin ? 'butt' : 'round';
      ctx.lineJoin = 'round';
      ctx.lineWidth = 1;
      ctx.strokeStyle = FADED_STROKE;
      if (faded) strokeLines(ctx, picked, 0, faded, 1, scale, ox, oy);
      ctx.lineWidth = lineWidth(zoom);
      ctx.strokeStyle = kinds[code].colour;
      strokeLines(ctx, picked, slots.length - 1, rest - 1, -1, scale, ox, oy);
      if (arrows) paintArrows(ctx, picked.subarray(rest, slots.length), scale, ox, oy);
      return drawn;
    }

    // The arrowheads of these (directed, drawn) slots' lines, far enough apart.
    function paintArrows(ctx, slots, scale, ox, oy) {
      ctx.beginPath();
      for (let j = slots.length - 1; j >= 0; j -= 1) {
        const i = slots[j];
        if (pathA[i]) continue;
        const xa = px[endA[i]] * scale - ox;
        const ya = py[endA[i]] * scale - oy;
        const xb = px[endB[i]] * scale - ox;
        const yb = py[endB[i]] * scale - oy;
        const dx = xb - xa;
        const dy = yb - ya;
        if (dx * dx + dy * dy > 40 * 40) arrowAt(ctx, xa, ya, xb, yb, 5);
      }
      ctx.fillStyle = ARROW_INK;
      ctx.fill();
    }

    // ---- many 1 px lines as pixels (pixels.js line: Skia's raster of them was most of a pan) ----
    const PIXEL_LINES_OVER = 2000; // lines in view; fewer are stroked on the canvas
    const LONG_LINE_PX = 150; // the mean length in view from which lines are drawn as pixels

    // The mean length in layer pixels of (a sample of up to 256 of) the last count's lines in
    // view, each cut to the view's diagonal.
    function meanLength(zoom, b) {
      const scale = 256 * Math.pow(2, zoom);
      const most = Math.hypot(b.max.x - b.min.x, b.max.y - b.min.y);
      const every = Math.max(1, Math.floor(drawnInView / 256));
      let sum = 0;
      let k = 0;
      for (let j = 0; j < drawnInView; j += every, k += 1) {
        const i = inViewSlots[j];
        if (endA[i] < 0 || endB[i] < 0) continue; // (gone since the count)
        sum += Math.min(most, Math.hypot(px[endB[i]] - px[endA[i]], py[endB[i]] - py[endA[i]]) * scale);
      }
      return k ? sum / k : 0;
    }
    const inks = new Map(); // CSS colour -> pixels.js lineInk (null: not readable, stroked)
    let pixelLinesOn = true; // (tests compare the two ways: linesAsPixels)

    function inkOf(css) {
      if (!inks.has(css)) inks.set(css, window.__clusterDeskPixels ? window.__clusterDeskPixels.lineInk(css) : null);
      return inks.get(css);
    }

    // The pixel target for a full paint of `canvas` (null: stroke on the canvas): many lines in
    // view, all 1 px, long on average (Skia's raster of short ones is the quicker: a check's
    // fade at the cluster's zoom took 30-40 ms here against ~20 ms). arrows: per kind code, the
    // slots whose arrowheads go over the lines.
    function linePixels(canvas, zoom, origin, b) {
      const blend = window.__clusterDeskPixels;
      if (!blend || !pixelLinesOn || drawnInView < PIXEL_LINES_OVER || lineWidth(zoom) !== 1) return null;
      if (inkOf(FADED_STROKE) === null || kinds.some((k) => inkOf(k.colour) === null)) return null; // (all or none)
      if (meanLength(zoom, b) < LONG_LINE_PX) return null;
      const m = L.Browser.retina ? 2 : 1;
      const t = blend.target(canvas.width, canvas.height, 0, 0, m, 'links');
      return t === null ? null : { t, m, arrows: [] };
    }

    // What paintKind left in `pix` onto its canvas (the arrowheads are the caller's).
    function putLinePixels(ctx, pix) {
      window.__clusterDeskPixels.put(ctx, pix.t);
      linkStats.pixelPaints += 1;
    }

    // One line (a path's pieces, or end to end) into the target: device x = layer x * sx + tx.
    function segmentPixels(t, i, sx, tx, ty, ink) {
      const line = window.__clusterDeskPixels.line;
      const p = paths.get(i);
      if (p) {
        for (let k = 2; k < p.length; k += 2) line(t, p[k - 2] * sx + tx, p[k - 1] * sx + ty, p[k] * sx + tx, p[k + 1] * sx + ty, ink);
        return;
      }
      line(t, px[endA[i]] * sx + tx, py[endA[i]] * sx + ty, px[endB[i]] * sx + tx, py[endB[i]] * sx + ty, ink);
    }

    // The focused member's links (thick, full colour) and the selected link, over everything.
    function paintFocus(ctx, zoom, origin) {
      const scale = 256 * Math.pow(2, zoom);
      let drawn = 0;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      for (const i of focus) {
        if (i >= n || !(flagA[i] & ALIVE) || maskedA[i] || hidden.has(kindA[i]) || i === selected) continue;
        const colour = kindA[i] < kinds.length ? kinds[kindA[i]].colour : '#607d8b';
        ctx.beginPath();
        segment(ctx, i, scale, origin.x, origin.y);
        ctx.lineWidth = FOCUS_WIDTH;
        ctx.strokeStyle = colour;
        ctx.stroke();
        drawn += 1;
        if (kindA[i] < kinds.length && kinds[kindA[i]].directed) {
          ctx.beginPath();
          arrowAt(ctx, px[endA[i]] * scale - origin.x, py[endA[i]] * scale - origin.y, px[endB[i]] * scale - origin.x,
            py[endB[i]] * scale - origin.y, 7);
          ctx.fillStyle = colour;
          ctx.fill();
        }
      }
      if (selected >= 0 && selected < n && (flagA[selected] & ALIVE) && !maskedA[selected] && !hidden.has(kindA[selected])) {
        ctx.beginPath();
        segment(ctx, selected, scale, origin.x, origin.y);
        ctx.lineWidth = FOCUS_WIDTH + 3;
        ctx.strokeStyle = SELECTED_INK;
        ctx.stroke();
        ctx.lineWidth = FOCUS_WIDTH - 1;
        ctx.strokeStyle = kindA[selected] < kinds.length ? kinds[kindA[selected]].colour : '#607d8b';
        ctx.stroke();
        drawn += 1;
      }
      return drawn;
    }

    // A new link in the style paintKind gives it, over its kind's canvas.
    function appendLink(ctx, i, zoom, origin) {
      const scale = 256 * Math.pow(2, zoom);
      const thin = zoom < 8;
      const k = kindA[i];
      ctx.lineCap = thin ? 'butt' : 'round';
      ctx.lineJoin = 'round';
      ctx.beginPath();
      segment(ctx, i, scale, origin.x, origin.y);
      if (flagA[i] & FADED) {
        ctx.lineWidth = 1;
        ctx.strokeStyle = FADED_STROKE;
        ctx.stroke();
        return;
      }
      ctx.lineWidth = lineWidth(zoom);
      ctx.strokeStyle = kinds[k].colour;
      ctx.stroke();
      const xa = px[endA[i]] * scale - origin.x;
      const ya = py[endA[i]] * scale - origin.y;
      const xb = px[endB[i]] * scale - origin.x;
      const yb = py[endB[i]] * scale - origin.y;
      const dx = xb - xa;
      const dy = yb - ya;
      if (kinds[k].directed && !pathA[i] && zoom >= 7 && dx * dx + dy * dy > 40 * 40) {
        ctx.beginPath();
        arrowAt(ctx, xa, ya, xb, yb, 5);
        ctx.fillStyle = ARROW_INK;
        ctx.fill();
      }
    }

    // A small filled arrowhead at 60 % of the way from the supplier to the buyer (adds to the
    // current path of ctx, a canvas context or a Path2D).
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
    function distToSegment(cx, cy, xa, ya, xb, yb) {
      const dx = xb - xa;
      const dy = yb - ya;
      const l2 = dx * dx + dy * dy;
      let t = l2 > 0 ? ((cx - xa) * dx + (cy - ya) * dy) / l2 : 0;
      t = Math.max(0, Math.min(1, t));
      const ex = xa + t * dx - cx;
      const ey = ya + t * dy - cy;
      return ex * ex + ey * ey;
    }

    function hitLink(point) {
      const zoom = map.getZoom();
      const scale = 256 * Math.pow(2, zoom);
      const o = map.getPixelOrigin();
      const cx = point.x + o.x; // (the click, in the map's pixels)
      const cy = point.y + o.y;
      let best = -1;
      let bestD = HIT_PX * HIT_PX;
      for (let i = 0; i < n; i += 1) {
        if (!(flagA[i] & ALIVE) || maskedA[i] || hidden.has(kindA[i]) || !drawnAtShare(i)) continue;
        const p = paths.get(i);
        if (p) {
          for (let k = 2; k < p.length; k += 2) {
            const d = distToSegment(cx, cy, p[k - 2] * scale, p[k - 1] * scale, p[k] * scale, p[k + 1] * scale);
            if (d <= bestD) { bestD = d; best = i; }
          }
          continue;
        }
        const xa = px[endA[i]] * scale;
        const xb = px[endB[i]] * scale;
        if (Math.min(xa, xb) - HIT_PX > cx || Math.max(xa, xb) + HIT_PX < cx) continue;
        const ya = py[endA[i]] * scale;
        const yb = py[endB[i]] * scale;
        if (Math.min(ya, yb) - HIT_PX > cy || Math.max(ya, yb) + HIT_PX < cy) continue;
        const d = distToSegment(cx, cy, xa, ya, xb, yb);
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
    const prepareCheckView = handlers.prepareCheckView;
    handlers.prepareCheckView = (msg) => {
      prepareCheckView(msg);
      whenIdle(() => layer.prepareFaintBase());
    };
    handlers.configureLinks = (msg) => {
      if (Array.isArray(msg.kinds)) {
        kinds = msg.kinds.map((k) => ({
          kind: String(k.kind), colour: /^#[0-9a-fA-F]{6}$/.test(k.colour) ? k.colour : '#607d8b', directed: k.directed === true,
        }));
      }
      slotsChanged();
      layer.setKinds(kinds.length);
      layer.redraw();
    };
    // Columns are JSON lists, or base64 typed arrays (an opened project: coordinates float32,
    // kinds uint8, no faded column) that need no number parsing.
    const typedColumn = (v, Type) => (typeof v === 'string' && typedArray ? typedArray(v, Type) : v);
    // A blob's geodesic lines (ui/links/map_layer.py geodesic_paths): slot -> [lat, lon, ...].
    function blobPaths(msg) {
      const out = {};
      const slots = blobPart(msg, 'pathSlot');
      const sizes = blobPart(msg, 'pathSize');
      const coords = blobPart(msg, 'pathCoords');
      if (!slots || !sizes || !coords || slots.length !== sizes.length) return out;
      let at = 0;
      for (let j = 0; j < slots.length; j += 1) {
        const size = 2 * sizes[j];
        if (size < 0 || at + size > coords.length) break;
        out[slots[j]] = Array.from(coords.subarray(at, at + size));
        at += size;
      }
      return out;
    }
    // An opened project's links whose ends are rows of the members' blob just sent (ui/links/
    // map_layer.py): each end is its member slot's point (a copy of the slots' projected points
    // made once), so no coordinates per link are made or read here.
    function setLinkRows(msg) {
      const rows = memberSlots ? memberSlots(msg.memberRows) : null;
      const src = blobPart(msg, 'src');
      const dst = blobPart(msg, 'dst');
      const kc = blobPart(msg, 'kind');
      if (rows === null) console.error('setLinks: the member rows it names are gone');
      const ok = rows !== null && src instanceof Int32Array && dst instanceof Int32Array && kc instanceof Uint8Array &&
        dst.length === src.length && kc.length === src.length;
      const len = ok ? src.length : 0;
      allocate(Math.max(64, len));
      const { mx: mxs, my: mys, alive: live, count, ALIVE: LIVE } = rows || {};
      const members = ok ? count : 0;
      px = new Float64Array(members + 64); // (room for a few links' own points)
      py = new Float64Array(members + 64);
      if (members) {
        px.set(mxs.subarray(0, members));
        py.set(mys.subarray(0, members));
      }
      points = members;
      sharedPoints = members;
      pointsMoved();
      endA.set(src.subarray(0, len));
      endB.set(dst.subarray(0, len));
      kindA.set(kc.subarray(0, len));
      const [ends1, ends2, flags] = [endA, endB, flagA]; // locals in the hot loop
      // Every member slot alive (as an open's blob gives them): a link's ends need only be
      // rows, one unsigned compare each (a negative row is past any count), and no byte read
      // per end (issue 17: 300,000 links, ~half the loop's time on a first paint).
      let everyLive = true;
      for (let p = 0; p < members && everyLive; p += 1) everyLive = (live[p] & LIVE) !== 0;
      let living = 0;
      if (everyLive) {
        flags.fill(ALIVE, 0, len);
        for (let i = 0; i < len; i += 1) {
          if ((src[i] >>> 0) < members && (dst[i] >>> 0) < members) {
            living += 1;
          } else { // (as below)
            flags[i] = 0;
            ends1[i] = -1;
            ends2[i] = -1;
          }
        }
      } else {
        for (let i = 0; i < len; i += 1) {
          const a = src[i];
          const b = dst[i];
          if (a >= 0 && a < members && b >= 0 && b < members && (live[a] & LIVE) !== 0 && (live[b] & LIVE) !== 0) {
            flags[i] = ALIVE;
            living += 1;
          } else { // (an end that is no live member slot: not drawn, and no points of its own)
            ends1[i] = -1;
            ends2[i] = -1;
          }
        }
      }
      alive += living;
      n = len;
      setBlobPaths(msg);
    }
    // The blob's geodesic lines of drawn links, read straight from its typed arrays: the slots
    // come ascending (ui/links/map_layer.py), so each line is taken in the order and with the
    // checks blobPaths and setPaths give it, without an array and a keyed entry made per line
    // first (issue 17: ~1,100 lines at 100,000 members, a few ms of the first paint). Any other
    // order goes through those two (a slot named twice: its last line).
    function setBlobPaths(msg) {
      const slots = blobPart(msg, 'pathSlot');
      const sizes = blobPart(msg, 'pathSize');
      const coords = blobPart(msg, 'pathCoords');
      if (!slots || !sizes || !coords || slots.length !== sizes.length) return;
      for (let j = 1; j < slots.length; j += 1) {
        if (!(slots[j] > slots[j - 1])) {
          setPaths(blobPaths(msg));
          return;
        }
      }
      let at = 0;
      for (let j = 0; j < slots.length; j += 1) {
        const size = 2 * sizes[j];
        if (size < 0 || at + size > coords.length) break;
        const slot = slots[j];
        const start = at;
        at += size;
        if (!(slot < n && (flagA[slot] & ALIVE)) || size < 4) continue;
        let finite = true;
        for (let k = start; k < at && finite; k += 1) finite = Number.isFinite(coords[k]);
        if (!finite) continue;
        const p = new Float64Array(size);
        for (let k = 0; k < size; k += 2) {
          p[k] = mx(coords[start + k + 1]);
          p[k + 1] = my(coords[start + k]);
        }
        setPath(slot, p);
      }
    }
    // Geodesic lines by slot ({slot: [lat, lon, ...]}) of drawn links, each checked.
    function setPaths(extra) {
      for (const key of Object.keys(extra)) {
        const slot = Number(key);
        const path = extra[key];
        if (!(slot < n && (flagA[slot] & ALIVE)) || path.length < 4 || path.length % 2 !== 0 || !path.every(num)) continue;
        const p = new Float64Array(path.length);
        for (let k = 0; k < path.length; k += 2) {
          p[k] = mx(path[k + 1]);
          p[k + 1] = my(path[k]);
        }
        setPath(slot, p);
      }
    }

    handlers.setLinks = (msg) => {
      const t0 = performance.now();
      if (msg.blob && blobPart && msg.memberRows !== undefined) {
        resetSlots();
        setLinkRows(msg);
        if (selected >= n) selected = -1;
        slotsChanged();
        linkStats.setLinksMs = performance.now() - t0;
        layer.redraw();
        return;
      }
      const raw = msg.columns && typeof msg.columns === 'object' ? msg.columns : {};
      const c = msg.blob && blobPart ? { // an opened project: one blob of typed arrays (ui/map/blobs.py)
        lat1: blobPart(msg, 'lat1'), lon1: blobPart(msg, 'lon1'), lat2: blobPart(msg, 'lat2'),
        lon2: blobPart(msg, 'lon2'), kind: blobPart(msg, 'kind'), faded: [],
      } : {
        lat1: typedColumn(raw.lat1, Float32Array), lon1: typedColumn(raw.lon1, Float32Array),
        lat2: typedColumn(raw.lat2, Float32Array), lon2: typedColumn(raw.lon2, Float32Array),
        kind: typedColumn(raw.kind, Uint8Array), faded: raw.faded === undefined ? [] : raw.faded,
      };
      const sized = (a) => a !== null && typeof a === 'object' && typeof a.length === 'number';
      const len = ['lat1', 'lon1', 'lat2', 'lon2', 'kind'].every((k) => sized(c[k]) && c[k].length === c.lat1.length) &&
        sized(c.faded) ? c.lat1.length : 0;
      resetSlots();
      allocate(Math.max(64, len));
      const extra = msg.blob && blobPart ? blobPaths(msg) : msg.paths && typeof msg.paths === 'object' ? msg.paths : {};
      for (let i = 0; i < len; i += 1) {
        if (c.kind[i] < 0) continue; // a free slot
        put(i, c.lat1[i], c.lon1[i], c.lat2[i], c.lon2[i], c.kind[i], c.faded[i] === 1, extra[i]);
      }
      if (selected >= n) selected = -1;
      slotsChanged();
      linkStats.setLinksMs = performance.now() - t0;
      layer.redraw();
    };
    // New links are drawn on top of what the canvas shows (one line each, no full redraw); a
    // changed one needs the canvas drawn again (its old line must go).
    // a changed or removed one repaints its kind's canvas only (its old line must go).
    handlers.upsertLinks = (msg) => {
      const added = [];
      const touched = new Set(); // kinds to repaint
      for (const r of Array.isArray(msg.rows) ? msg.rows : []) {
        if (!Array.isArray(r) || r.length < 7) continue;
        const fresh = Number.isInteger(r[0]) && r[0] >= 0 && !(r[0] < n && (flagA[r[0]] & ALIVE));
        if (!fresh && Number.isInteger(r[0]) && r[0] >= 0 && r[0] < n) touched.add(kindA[r[0]]);
        put(r[0], r[1], r[2], r[3], r[4], r[5], r[6] === 1, r[7]);
        if (!(Number.isInteger(r[0]) && r[0] >= 0 && r[0] < n && (flagA[r[0]] & ALIVE))) continue;
        if (fresh) added.push(r[0]);
        else touched.add(kindA[r[0]]);
      }
      if (added.length && !layer.drawOnTop(added)) for (const i of added) touched.add(kindA[i]);
      if (touched.size) layer.redrawKinds(touched);
    };
    handlers.removeLinks = (msg) => {
      const touched = new Set();
      for (const s of Array.isArray(msg.slots) ? msg.slots : []) {
        if (Number.isInteger(s) && s >= 0 && s < n && (flagA[s] & ALIVE)) touched.add(kindA[s]);
        remove(s);
      }
      if (touched.size) layer.redrawKinds(touched);
    };
    // Hidden kinds: CSS only (a kind shown again repaints if the view moved meanwhile). Focus
    // and selection: the kinds dim by CSS and the small focus canvas is painted again.
    handlers.linkStyle = (msg) => {
      const was = hidden;
      if (Array.isArray(msg.hidden)) hidden = new Set(msg.hidden.filter(Number.isInteger));
      if (Array.isArray(msg.focus)) focus = new Set(msg.focus.filter(Number.isInteger));
      if (Number.isInteger(msg.selected)) selected = msg.selected;
      if (Array.from(was).some((k) => !hidden.has(k))) { // shown again: one blit each on top
        layer.restyle(Array.from(was).filter((k) => !hidden.has(k)));
      }
      if (Array.from(hidden).some((k) => !was.has(k))) layer.restyle(); // hidden: composite again
      layer.redrawFocus();
    };
    // The as-of view (ui/timeline/past_map.py): links that did not count on the date shown are
    // neither drawn nor clickable. {hide: slots, show: slots, clear: bool}, the slots as base64 of
    // int32 (or a list): clear first shows every link; a slider step sends only the links that
    // changed (~40,000 a year at 300,000 links: a list was ~300 KB of JSON to write and parse).
    // Only the kinds with a link masked or unmasked are painted again. unfadeShown (the as-of
    // view's step): a link shown again counts that day, so both its ends are participants the
    // day's roster filter shows: it is drawn unfaded now, not faded until that filter's
    // fadeLinks arrives (a timer later: a second paint per step, and a flash).
    handlers.maskLinks = (msg, unfadeShown) => {
      const touched = new Set();
      if (msg.clear === true && masked > 0) {
        for (let i = 0; i < n; i += 1) if (maskedA[i]) touched.add(kindA[i]);
        maskedA.fill(0);
        masked = 0;
        linesVersion += 1;
      }
      const slotsOf = (v) => {
        if (typeof v === 'string' && typedArray) return typedArray(v, Int32Array);
        return Array.isArray(v) ? v : [];
      };
      const mark = (slots, on) => {
        for (const s of slotsOf(slots)) {
          if (!Number.isInteger(s) || s < 0 || s >= maskedA.length || maskedA[s] === on) continue;
          maskedA[s] = on;
          masked += on ? 1 : -1;
          if (!on && unfadeShown === true) flagA[s] &= ~FADED;
          linesVersion += 1;
          if (flagA[s] & ALIVE) touched.add(kindA[s]);
        }
      };
      mark(msg.show, 0);
      mark(msg.hide, 1);
      if (touched.size) layer.redrawKinds(touched, true);
    };
    // {bits}: base64 of a bitmask over the slots (bit i of byte i >> 3 set: slot i faded),
    // 37 KB for 300,000 links; or {slots, invert}: the faded slots (invert: the kept ones).
    handlers.fadeLinks = (msg) => {
      const bits = typeof msg.bits === 'string' && typedArray ? typedArray(msg.bits, Uint8Array) : null;
      const set = bits ? null : new Set(Array.isArray(msg.slots) ? msg.slots : []);
      const invert = msg.invert === true; // slots lists the links kept, not the faded ones
      // The kinds with a link changed, a flag each, not a Set add per changed link (up to 300,000
      // as a check's fade comes or goes; with the bits' own loop: 10-20 -> 5-15 ms a fade).
      const changedKind = new Uint8Array(256);
      const flip = (i, faded) => {
        const want = faded ? ALIVE | FADED : ALIVE;
        if (flagA[i] === want) return;
        if (!maskedA[i]) changedKind[kindA[i]] = 1; // a masked link is not drawn
        flagA[i] = want;
      };
      if (bits) {
        const end = Math.min(n, bits.length * 8);
        for (let i = 0; i < end; i += 1) if (flagA[i] & ALIVE) flip(i, (bits[i >> 3] & (1 << (i & 7))) !== 0);
        for (let i = end; i < n; i += 1) if (flagA[i] & ALIVE) flip(i, false);
      } else {
        for (let i = 0; i < n; i += 1) if (flagA[i] & ALIVE) flip(i, set.has(i) !== invert);
      }
      const touched = new Set();
      changedKind.forEach((on, k) => { if (on) touched.add(k); });
      if (!touched.size) return;
      // With links faded, every kind in full on the display (over the faint base when it can)
      // rather than the touched kinds' canvases and a composite.
      let faded = false;
      for (let i = 0; i < n && !faded; i += 1) faded = (flagA[i] & (ALIVE | FADED)) === (ALIVE | FADED);
      layer.redrawKinds(faded ? kinds.map((_k, code) => code) : touched);
    };

    window.__clusterDeskLinks = Object.freeze({
      stats() {
        let faded = 0;
        let shown = 0; // alive and not masked by the as-of view
        for (let i = 0; i < n; i += 1) {
          if ((flagA[i] & (ALIVE | FADED)) === (ALIVE | FADED)) faded += 1;
          if ((flagA[i] & ALIVE) && !maskedA[i]) shown += 1;
        }
        return Object.assign({
          links: alive, shown, masked, slots: n, hidden: Array.from(hidden), focus: focus.size, selected, faded,
          geodesic: paths.size, kinds: kinds.length, thinned: thinned.slice(), points, sharedPoints,
          kindsToFill: layer._lazy ? layer._lazy.size : 0, // kinds' canvases still to fill after a paint
        }, linkStats);
      },
      // Many long lines drawn as pixels (true, the default) or stroked on the canvas (tests
      // compare the two); the links painted again either way.
      linesAsPixels(on) {
        pixelLinesOn = on !== false;
        layer.redraw();
      },
      // Slots drawn when in view: alive and not masked by the as-of view (tests read them).
      shownSlots() {
        const out = [];
        for (let i = 0; i < n; i += 1) if ((flagA[i] & ALIVE) && !maskedA[i]) out.push(i);
        return out;
      },
      // Slots alive and faded by the roster's filter (tests read them).
      fadedSlots() {
        const out = [];
        for (let i = 0; i < n; i += 1) if ((flagA[i] & (ALIVE | FADED)) === (ALIVE | FADED)) out.push(i);
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
          x = (px[endA[slot]] + px[endB[slot]]) / 2;
          y = (py[endA[slot]] + py[endB[slot]]) / 2;
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
