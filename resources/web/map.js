// Cluster Desk map page. Talks to Python only through the QWebChannel object "bridge":
// Python -> page: bridge.command(jsonString) carrying {"op": ..., "seq": n, ...};
// page -> Python: bridge.<message>(jsonString). See ARCHITECTURE.md, "The map bridge".
// Untrusted text (member and town names) only ever goes through textContent or canvas fillText.
// Why ~2,600 lines: one page script holds the member layer, the towns layer and the
// map's own parts (tooltip, clicks and drag, circle, fit, basemap, tiles, the command table,
// the outside rings, highlight and fade named by rows of the members' blob as well as by ids),
// which share the map, the slot arrays and send(). The next split is the towns layer into its own
// file, as links.js was split out (an extension registered before this script).
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
  // Units and the decimal mark follow the interface language (setLanguage): "300 км" in Russian.
  const UNITS = { en: { km: 'km', m: 'm', point: '.' }, ru: { km: 'км', m: 'м', point: ',' } };
  let units = UNITS.en;
  const Scale = L.Control.Scale.extend({
    _updateMetric(maxMeters) {
      const meters = this._getRoundNum(maxMeters);
      const label = meters < 1000 ? meters + ' ' + units.m : (meters / 1000) + ' ' + units.km;
      this._updateScale(this._mScale, label, meters / maxMeters);
    },
  });
  const scaleControl = new Scale({ imperial: false, position: 'bottomleft', maxWidth: 140 }).addTo(map);

  function makePane(name, zIndex, interactive) {
    const pane = map.createPane(name);
    pane.style.zIndex = String(zIndex);
    if (!interactive) pane.style.pointerEvents = 'none';
    return pane;
  }
  makePane('cd-basemap', 150, false); // under the (optional) online tiles in tilePane (200)
  makePane('cd-pack', 180, false); // an offline MBTiles pack: over the outlines, under online tiles
  makePane('cd-circle', 380, false);
  makePane('cd-towns', 390, false); // offline towns: over the circle's fill, under the members
  makePane('cd-members', 420, true);
  makePane('cd-selection', 440, false);

  // Water, rivers, federal-subject borders and names (basemap.js): pane cd-regional, z 160.
  const regional = window.CdRegional ? window.CdRegional.attach(map) : null;

  const basemapRenderer = L.canvas({ pane: 'cd-basemap', padding: 0.5 });
  const circleRenderer = L.svg({ pane: 'cd-circle' });
  // The selected member and its ring are drawn here, over the member canvas: moving or
  // restyling the selected member (a drag, its upsert) repaints only this small SVG.
  const selectionRenderer = L.svg({ pane: 'cd-selection' });

  // ---- state ---------------------------------------------------------------------------
  let bridge = null;
  let kindColours = {};
  let kindLabels = {};
  let statusLabels = {};
  let mode = 'browse';
  let outside = new Set(); // member ids drawn with the red "outside the radius" outline
  let highlighted = new Set(); // member ids emphasised (drawn last, on top): read highlightSet()
  let highlightedLater = null; // or a function making that set (a check's rows: made when asked)
  let highlightSlots = null; // their slots in draw order, while known (see highlightedSlots)
  let fadeKeep = null; // null: nothing faded; else the ids the roster shows (all others fade): read keepSet()
  let fadeKeepLater = null; // or a function making that set (a check's rows: made when asked)
  let selectedId = null;
  let selectionDot = null; // the selected member itself (SVG, pane cd-selection)
  let selectionRing = null;
  let basemapLayers = [];
  let basemapState = 'loading';
  let tileLayer = null;
  let packLayer = null;
  let packId = null;
  const packStats = { loaded: 0, errors: 0 };
  const stats = {
    commands: 0, fullDraws: 0, crowdsMadeAhead: 0, highlightsMadeAhead: 0, upserts: 0, removes: 0, restyles: 0, acks: 0, canvasDraws: 0, canvasFullDraws: 0,
    townDraws: 0, pixelDraws: 0, blobMs: {}, blobAt: {}, opMs: {}, opAt: {}, ackAt: 0, trace: [],
    blobsPushed: 0, blobsFetched: 0, outsideRejected: 0, rowsRejected: 0,
  };
  // The last TRACE_KEEP steps of the command path (received, blob fetched, ran, frame, ack) at
  // epoch ms: bench_open lines them up with Python's clock to show where an open's time goes.
  const TRACE_KEEP = 80;
  function traceStep(what) {
    if (stats.trace.length >= TRACE_KEEP) stats.trace.shift();
    stats.trace.push([what, performance.timeOrigin + performance.now()]);
  }

  function send(name, payload) {
    if (bridge) bridge[name](JSON.stringify(payload));
  }

  function wrapped(latlng) {
    const w = latlng.wrap(); // clicks on a world copy east/west of 180° come back to [-180, 180]
    return { lat: w.lat, lon: w.lng };
  }

  // ---- members: one slot per member in typed arrays --------------------------------------
  // 100,000 L.circleMarker objects took seconds to create, and every canvas redraw (even for
  // one moved member) walked all of them. Here a member is a slot in these columns, and the
  // MemberLayer below draws them itself: a full draw stamps one pre-rendered sprite per
  // member, an incremental change repaints only the few pixels it touched.
  const ALIVE = 1;
  const OUTSIDE = 2;
  const HIGHLIGHT = 4;
  const FADED = 8; // filtered out of the roster: drawn faint
  const MAX_LATITUDE = 85.0511287798; // Leaflet's spherical Mercator clamp

  let count = 0; // slots used, removed ones included (compacted now and then)
  let aliveCount = 0;
  let latA = new Float64Array(0);
  let lonA = new Float64Array(0);
  let mxA = new Float64Array(0); // Web Mercator x in [0, 1]: layer x = round(mx * 256 * 2^zoom) - origin.x
  let myA = new Float64Array(0);
  let kindA = new Uint16Array(0); // interned kind (sprite key)
  let statusA = new Uint8Array(0); // 0 member (or unknown), 1 candidate, 2 former
  let flagA = new Uint8Array(0); // ALIVE | OUTSIDE | HIGHLIGHT
  let idA = [];
  let nameA = [];
  let kindS = [];
  let statusS = [];
  let slotOf = new Map(); // member id -> slot
  // Members an as-of step took off the map, as they were drawn (id -> memberAt object): a later
  // step or Back to Today names them by id instead of sending them again (ui/map/view.py show_day).
  let parked = new Map();
  let coordsVersion = 0; // bumped whenever a slot's mx, my may change (or slots are renumbered)
  // The seq of the members' blob whose rows are the slots (row i is slot i), until anything
  // renumbers them: the links layer's blob names link ends by those rows (memberRows).
  let memberRowsSeq = -1;
  // The ids of that blob's rows (setMemberTexts: the first rowCount of idA, which addSlot extends),
  // its seq, kept while slots are renumbered: an outside set may come as those rows (setOutsideRows).
  let rowIds = null;
  let rowCount = 0;
  let rowIdsSeq = -1;
  const kindCodes = new Map(); // kind string -> small integer

  function allocate(capacity) {
    const grow = (old, Type) => {
      const a = new Type(capacity);
      a.set(old.subarray(0, Math.min(count, capacity)));
      return a;
    };
    latA = grow(latA, Float64Array);
    lonA = grow(lonA, Float64Array);
    mxA = grow(mxA, Float64Array);
    myA = grow(myA, Float64Array);
    kindA = grow(kindA, Uint16Array);
    statusA = grow(statusA, Uint8Array);
    flagA = grow(flagA, Uint8Array);
  }

  function ensureCapacity(extra) {
    if (count + extra > latA.length) allocate(Math.max(64, Math.ceil((count + extra) * 1.5)));
  }

  function clearMembers(capacity) {
    highlightSet(); // (made from the slots' ids and flags before they go)
    highlightSlots = null;
    coordsVersion += 1;
    count = 0;
    aliveCount = 0;
    latA = new Float64Array(0);
    lonA = new Float64Array(0);
    mxA = new Float64Array(0);
    myA = new Float64Array(0);
    kindA = new Uint16Array(0);
    statusA = new Uint8Array(0);
    flagA = new Uint8Array(0);
    allocate(Math.max(64, capacity));
    idA = [];
    nameA = [];
    kindS = [];
    statusS = [];
    slotOf = new Map();
    parked = new Map();
    memberRowsSeq = -1;
    rowIds = null;
    rowCount = 0;
    rowIdsSeq = -1;
    outside = new Set();
    memberLayer.forgetHover();
  }

  function kindCode(kind) {
    let c = kindCodes.get(kind);
    if (c === undefined) {
      c = kindCodes.size;
      kindCodes.set(kind, c);
    }
    return c;
  }

  function statusCode(status) {
    if (status === 'candidate' || status === 'draft') return 1; // a draft looks like a candidate
    if (status === 'former') return 2;
    return 0;
  }

  function setCoords(i, lat, lon) {
    coordsVersion += 1;
    latA[i] = lat;
    lonA[i] = lon;
    mxA[i] = lon / 360 + 0.5; // as L.Projection.SphericalMercator + EPSG3857's transformation
    const s = Math.sin(Math.max(Math.min(MAX_LATITUDE, lat), -MAX_LATITUDE) * Math.PI / 180);
    myA[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  function addSlot(id, name, kind, status, lat, lon, isOutside) {
    ensureCapacity(1);
    const i = count;
    count += 1;
    aliveCount += 1;
    idA[i] = id;
    nameA[i] = name;
    kindS[i] = kind;
    statusS[i] = status;
    setCoords(i, lat, lon);
    kindA[i] = kindCode(kind);
    statusA[i] = statusCode(status);
    const lit = highlightSet().has(id);
    if (lit) highlightSlots = null; // (one more to draw on top)
    const keep = keepSet();
    flagA[i] = ALIVE | (isOutside ? OUTSIDE : 0) | (lit ? HIGHLIGHT : 0)
      | (keep !== null && !keep.has(id) ? FADED : 0);
    slotOf.set(id, i);
    if (isOutside) outside.add(id);
    return i;
  }

  function compact() {
    // Removed members leave holes; squeeze them out once they outnumber the living.
    coordsVersion += 1;
    const keep = [];
    for (let i = 0; i < count; i += 1) if (flagA[i] & ALIVE) keep.push(i);
    const cols = [latA, lonA, mxA, myA, kindA, statusA, flagA];
    const next = cols.map((a) => new a.constructor(Math.max(64, keep.length)));
    const ids = new Array(keep.length);
    const names = new Array(keep.length);
    const kinds = new Array(keep.length);
    const statuses = new Array(keep.length);
    highlightSet(); // (made from the slots before they are renumbered)
    highlightSlots = null;
    slotOf = new Map();
    keep.forEach((old, j) => {
      for (let c = 0; c < cols.length; c += 1) next[c][j] = cols[c][old];
      ids[j] = idA[old];
      names[j] = nameA[old];
      kinds[j] = kindS[old];
      statuses[j] = statusS[old];
      slotOf.set(ids[j], j);
    });
    [latA, lonA, mxA, myA, kindA, statusA, flagA] = next;
    idA = ids;
    nameA = names;
    kindS = kinds;
    statusS = statuses;
    count = keep.length;
    memberRowsSeq = -1; // slots renumbered
    memberLayer.forgetHover();
  }

  // Member objects from payload columns (ui/map/messages.py payload_columns); [] if malformed.
  function memberRows(c) {
    const keys = ['id', 'name', 'kind', 'status', 'lat', 'lon', 'outside'];
    if (c === null || typeof c !== 'object' || !keys.every((k) => Array.isArray(c[k]) && c[k].length === c.id.length)) {
      return [];
    }
    const rows = new Array(c.id.length);
    for (let j = 0; j < rows.length; j += 1) {
      rows[j] = { id: c.id[j], name: c.name[j], kind: c.kind[j], status: c.status[j], lat: c.lat[j], lon: c.lon[j],
        outside: c.outside[j] === 1 };
    }
    return rows;
  }

  function isValidMember(d) {
    return d !== null && typeof d === 'object' && typeof d.id === 'string' && typeof d.name === 'string' &&
      Number.isFinite(d.lat) && Number.isFinite(d.lon);
  }

  function memberAt(i) {
    return { id: idA[i], name: nameA[i], kind: kindS[i], status: statusS[i], lat: latA[i], lon: lonA[i] };
  }

  function styleFor(kind, status, isOutside, isHighlighted, isFaded) {
    const colour = Object.prototype.hasOwnProperty.call(kindColours, kind) ? kindColours[kind] : FALLBACK_COLOUR;
    const s = {
      radius: 6, color: '#ffffff', weight: 1, opacity: 1, fillColor: colour, fillOpacity: 0.9, dashArray: null,
    };
    if (status === 'candidate' || status === 'draft') {
      // hollow, dashed outline in the kind's colour: "not in yet"
      s.color = colour;
      s.weight = 2;
      s.fillOpacity = 0.15;
      s.dashArray = '3 2';
    } else if (status === 'former') {
      s.fillColor = FORMER_GREY;
      s.color = FORMER_GREY;
      s.fillOpacity = 0.35;
      s.opacity = 0.5;
    }
    if (isOutside) {
      s.color = OUTSIDE_RED;
      s.weight = 2.5;
      s.opacity = 1;
      s.radius += 1;
    }
    if (isHighlighted) {
      s.color = HIGHLIGHT_INK;
      s.weight = 3;
      s.opacity = 1;
      s.radius += 3;
    }
    if (isFaded && !isHighlighted) {
      s.opacity *= 0.25;
      s.fillOpacity *= 0.2;
    }
    return s;
  }

  function slotStyle(i) {
    return styleFor(kindS[i], statusS[i], (flagA[i] & OUTSIDE) !== 0, (flagA[i] & HIGHLIGHT) !== 0,
      (flagA[i] & FADED) !== 0);
  }

  // One pre-rendered circle per style (kind x status x outside x highlight), drawn exactly as
  // Leaflet's canvas draws a circleMarker (fill, then the stroke, dashed for candidates).
  let sprites = [];
  const SPRITE_SCALE = L.Browser.retina ? 2 : 1;

  function styleCode(i) {
    return ((kindA[i] * 3 + statusA[i]) << 3) | ((flagA[i] >> 1) & 7);
  }

  function makeSprite(s) {
    const c = Math.ceil(s.radius + s.weight / 2 + 1); // centre on a pixel corner, like Leaflet
    const size = 2 * c;
    // An ImageBitmap (from an OffscreenCanvas, synchronously): drawImage stamps one in less than
    // half the time of a canvas element here (100,000 stamps: 0.32 s against 0.73 s).
    const offscreen = typeof OffscreenCanvas === 'function';
    const canvas = offscreen ? new OffscreenCanvas(size * SPRITE_SCALE, size * SPRITE_SCALE) : document.createElement('canvas');
    canvas.width = size * SPRITE_SCALE;
    canvas.height = size * SPRITE_SCALE;
    const ctx = canvas.getContext('2d');
    ctx.scale(SPRITE_SCALE, SPRITE_SCALE);
    ctx.beginPath();
    ctx.arc(c, c, Math.max(Math.round(s.radius), 1), 0, Math.PI * 2, false);
    ctx.globalAlpha = s.fillOpacity;
    ctx.fillStyle = s.fillColor;
    ctx.fill('evenodd');
    ctx.setLineDash(s.dashArray ? s.dashArray.split(' ').map(Number) : []);
    ctx.globalAlpha = s.opacity;
    ctx.lineWidth = s.weight;
    ctx.strokeStyle = s.color;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.stroke();
    const img = offscreen ? canvas.transferToImageBitmap() : canvas;
    return { img, c, size, hit: s.radius + s.weight / 2 };
  }

  function spriteOf(i) {
    const code = styleCode(i);
    let sp = sprites[code];
    if (sp === undefined) {
      sp = makeSprite(slotStyle(i));
      sprites[code] = sp;
    }
    return sp;
  }

  // What decides the picture of a crowd drawn all faint (see fadedCrowd): each member's
  // place and look, in drawing order, hashed (two 32-bit FNV-like hashes; ~1 ms at 100,000).
  function crowdState(slots, n, px, py) {
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    for (let k = 0; k < n; k += 1) {
      const i = slots[k];
      const look = ((kindA[i] * 3 + statusA[i]) << 1) | ((flagA[i] & OUTSIDE) >> 1);
      h1 = Math.imul(Math.imul(Math.imul(h1 ^ px[i], 16777619) ^ py[i], 16777619) ^ look, 16777619);
      h2 = Math.imul(Math.imul(Math.imul(h2 ^ look, 2246822519) ^ px[i], 3266489917) ^ py[i], 668265263);
    }
    return `${h1} ${h2} ${n} `;
  }

  // Slot i's sprite highlighted, whether it is or not (a check's rings made ahead: see
  // keptHighlights; a highlighted member is one the check's filter shows, not faded).
  function litSpriteOf(i) {
    return spriteWithFlags(i, (flagA[i] & ~FADED) | HIGHLIGHT);
  }

  // Slot i's sprite as if its flags were f (its kind, status and place as they are).
  function spriteWithFlags(i, f) {
    const code = ((kindA[i] * 3 + statusA[i]) << 3) | ((f >> 1) & 7);
    let sp = sprites[code];
    if (sp === undefined) {
      sp = makeSprite(styleFor(kindS[i], statusS[i], (f & OUTSIDE) !== 0, (f & HIGHLIGHT) !== 0, (f & FADED) !== 0));
      sprites[code] = sp;
    }
    return sp;
  }

  // Slot i's sprite faded by the roster's filters, whether it is, highlighted or not (a check's
  // crowd kept all faint: see fadedCrowd).
  function faintSpriteOf(i) {
    return spriteWithFlags(i, (flagA[i] & ~HIGHLIGHT) | FADED);
  }

  // The object Leaflet fires member events on (click, mousedown, mouseover, mouseout); `slot`
  // says which member. getLatLng makes Leaflet report the member's position, as for a marker.
  const MemberTarget = L.Evented.extend({
    options: { bubblingMouseEvents: false, interactive: true },
    getLatLng() { return L.latLng(latA[this.slot], lonA[this.slot]); },
  });
  const hit = new MemberTarget();
  hit.slot = -1;

  const MAX_DIRTY_RECTS = 16;
  const MAX_SPRITE_C = 14; // no member sprite reaches further from its centre (highlighted: 13)

  const MemberLayer = L.Canvas.extend({
    initialize(options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._hoveredSlot = -1;
      this._dirty = []; // [x0, y0, x1, y1] rectangles in layer pixels to repaint
      this._dirtyAll = false;
      this._origin = null; // the map's pixel origin when the canvas was last placed
    },

    _update() {
      if (this._map._animatingZoom && this._bounds) return;
      this._origin = this._map.getPixelOrigin(); // the canvas is placed for this origin
      L.Canvas.prototype._update.call(this); // resizes (clears) the canvas, then fires 'update'
    },

    _updatePaths() {
      if (this._postponeUpdatePaths) return;
      this.redrawAll(); // on the next animation frame, with anything else that changed
    },

    redrawAll() {
      this._dirtyAll = true;
      this._dirty = [];
      this._schedule();
    },

    // Repaint where slot i is drawn now (call before and after changing it). Each change keeps
    // its own small rectangle: a member moved across the map repaints two spots, not the box
    // spanning both (which is what Leaflet's canvas does, and in a dense map that box holds
    // thousands of members).
    redrawSlot(i) {
      if (!this._map || !this._origin || !(flagA[i] & ALIVE) || this._dirtyAll) return;
      const scale = 256 * Math.pow(2, this._zoom);
      const x = Math.round(mxA[i] * scale) - this._origin.x;
      const y = Math.round(myA[i] * scale) - this._origin.y;
      const r = spriteOf(i).c + 1;
      const rect = [x - r, y - r, x + r, y + r];
      const rects = this._dirty;
      for (const d of rects) {
        if (rect[0] <= d[2] && rect[2] >= d[0] && rect[1] <= d[3] && rect[3] >= d[1]) { // touching: merge
          d[0] = Math.min(d[0], rect[0]);
          d[1] = Math.min(d[1], rect[1]);
          d[2] = Math.max(d[2], rect[2]);
          d[3] = Math.max(d[3], rect[3]);
          this._schedule();
          return;
        }
      }
      if (rects.length >= MAX_DIRTY_RECTS) {
        this.redrawAll(); // a burst of scattered changes: one full draw
        return;
      }
      rects.push(rect);
      this._schedule();
    },

    _schedule() {
      if (this._map && !this._redrawRequest) this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
    },

    // Draw now what is pending (the ack's animation frame calls this before acknowledging).
    flush() {
      if (this._redrawRequest) {
        L.Util.cancelAnimFrame(this._redrawRequest);
        this._redraw();
      }
    },

    _redraw() {
      this._redrawRequest = null;
      if (!this._map || !this._ctx || !this._bounds) return;
      const all = this._dirtyAll;
      const b = this._bounds;
      const rects = [];
      for (const d of this._dirty) {
        const r = [Math.max(Math.floor(d[0]), b.min.x), Math.max(Math.floor(d[1]), b.min.y),
          Math.min(Math.ceil(d[2]), b.max.x), Math.min(Math.ceil(d[3]), b.max.y)];
        if (r[0] < r[2] && r[1] < r[3]) rects.push(r); // else off the canvas
      }
      this._dirty = [];
      this._dirtyAll = false;
      if (all) this._paint(null);
      else if (rects.length) this._paint(rects);
    },

    _draw() { // L.Canvas.onAdd calls this
      this._paint(null);
    },

    // rects: null for the whole canvas, else the rectangles to clear and draw again
    _paint(rects) {
      if (!this._map || !this._ctx || !this._bounds || !this._origin) return;
      const t0 = performance.now();
      const ctx = this._ctx;
      const b = this._bounds;
      ctx.save();
      if (rects === null) {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this._container.width, this._container.height);
        ctx.restore();
        ctx.save();
        stats.canvasFullDraws += 1;
      } else {
        ctx.beginPath();
        for (const r of rects) {
          ctx.clearRect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
          ctx.rect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
        }
        ctx.clip();
      }
      const pixels = rects === null ? memberPixels(this._container.width, this._container.height, b) : null;
      const drawn = drawMembers(ctx, this._zoom, this._origin, rects || [[b.min.x, b.min.y, b.max.x, b.max.y]], pixels);
      ctx.restore();
      stats.canvasDraws += 1;
      stats.lastDrawMs = performance.now() - t0;
      stats.lastDrawCount = drawn;
      if (rects === null) {
        stats.lastFullDrawMs = stats.lastDrawMs;
        traceStep('full member draw (' + stats.lastDrawMs.toFixed(1) + ' ms)');
      }
    },

    // A check's faint crowd for the view as it is, drawn and kept ahead of the first check
    // clicked (fadedCrowd; at 100,000 members ~150-200 ms of that click's draw otherwise).
    // Not when the last full draw took over PREPARE_UP_TO_MS (a million members in view): the
    // crowd in order costs ~2x that, a wait for any pan begun meanwhile.
    prepareCrowd() {
      if (!this._map || !this._ctx || !this._bounds || !this._origin || stats.lastFullDrawMs > PREPARE_UP_TO_MS) return;
      const t0 = performance.now();
      const b = this._bounds;
      const pixels = memberPixels(this._container.width, this._container.height, b);
      if (pixels !== null) drawMembers(this._ctx, this._zoom, this._origin, [[b.min.x, b.min.y, b.max.x, b.max.y]], pixels, true);
      traceStep('crowd made ahead (' + (performance.now() - t0).toFixed(1) + ' ms)');
    },

    // A check's many rings (`order`: its members' slots in drawing order) stamped for the view
    // as it is and kept (keptHighlights), ahead of the click that may show it; nothing when kept
    // already, or when the points of this view are not made (prepareCrowd makes them first).
    prepareHighlights(order) {
      if (!this._map || !this._bounds || !this._origin || stats.lastFullDrawMs > PREPARE_UP_TO_MS) return;
      const scale = 256 * Math.pow(2, this._zoom);
      const { x: ox, y: oy } = this._origin;
      if (projected.version !== coordsVersion || projected.count !== count || projected.scale !== scale ||
          projected.ox !== ox || projected.oy !== oy) return;
      const t0 = performance.now();
      const b = this._bounds;
      const [x0, y0, x1, y1] = [b.min.x, b.min.y, b.max.x, b.max.y];
      const slots = highlightsInView(order, projected.x, projected.y, x0, y0, x1, y1);
      if (slots.length < pixelBlend.UNDER_OVER) return;
      const key = crowdState(slots, slots.length, projected.x, projected.y) + [scale, ox, oy, x0, y0, x1, y1].join(' ');
      const kept = keptHighlights.get(key);
      if (kept !== undefined && kept.sprites === sprites) return;
      const pixels = memberPixels(this._container.width, this._container.height, b); // (between draws: empty)
      if (pixels === null) return;
      const keep = {};
      const skips = pixelBlend.stampUnder(pixels, slots, projected.x, projected.y, litSpriteOf, keep);
      pixelBlend.clear(pixels);
      if (skips < 0) return;
      keepHighlights(key, { layer: keep.layer, sprites, skips });
      stats.highlightsMadeAhead += 1;
      traceStep('rings made ahead (' + (performance.now() - t0).toFixed(1) + ' ms)');
    },

    // ---- mouse: hit testing on the slots instead of Leaflet's walk over layers ----
    _onClick(e) {
      const slot = hitSlot(this._map.mouseEventToLayerPoint(e), this);
      let targets = false;
      if (slot >= 0 && (!(e.type === 'click' || e.type === 'preclick') || !this._map._draggableMoved(hit))) {
        hit.slot = slot;
        targets = [hit];
      }
      this._fireEvent(targets, e);
    },

    _handleMouseHover(e, point) {
      if (this._mouseHoverThrottled) {
        // Keep the last move: the one that leaves a marker must not be lost (or its tooltip
        // stays until the pointer moves again). It runs when the throttle ends.
        this._pendingHover = [e, point];
        return;
      }
      this._pendingHover = null;
      const slot = hitSlot(point, this);
      if (slot !== this._hoveredSlot) {
        this._handleMouseOut(e);
        if (slot >= 0) {
          L.DomUtil.addClass(this._container, 'leaflet-interactive'); // pointer cursor
          hit.slot = slot;
          this._fireEvent([hit], e, 'mouseover');
          this._hoveredSlot = slot;
        }
      }
      hit.slot = this._hoveredSlot;
      this._fireEvent(this._hoveredSlot >= 0 ? [hit] : false, e);
      this._mouseHoverThrottled = true;
      setTimeout(() => {
        this._mouseHoverThrottled = false;
        const pending = this._pendingHover;
        this._pendingHover = null;
        if (pending && this._map) this._handleMouseHover(pending[0], pending[1]);
      }, 32);
    },

    _handleMouseOut(e) {
      if (this._hoveredSlot < 0) return;
      L.DomUtil.removeClass(this._container, 'leaflet-interactive');
      hit.slot = this._hoveredSlot;
      this._hoveredSlot = -1;
      this._fireEvent([hit], e, 'mouseout');
      this._mouseHoverThrottled = false;
      this._pendingHover = null;
    },

    forgetHover() {
      this._hoveredSlot = -1;
      if (this._container) L.DomUtil.removeClass(this._container, 'leaflet-interactive');
    },
  });

  function selectedSlot() {
    if (selectedId === null) return -1;
    const s = slotOf.get(selectedId);
    return s === undefined ? -1 : s;
  }

  // Every slot's layer point as the last full draw projected it (for `scale` and the origin ox,
  // oy, while coordsVersion is `version`): the town labels' member count reads it instead of
  // projecting every member again in the same frame.
  const projected = { x: new Int32Array(0), y: new Int32Array(0), scale: 0, ox: 0, oy: 0, version: -1, count: 0 };
  let inView = new Int32Array(0); // a full draw's slots in view, in drawing order
  // How many members a full draw has drawn centred in each STAMP_CELL x STAMP_CELL pixel cell,
  // front to back: where STAMP_CAP lie over it already, one more is left out.
  const STAMP_CELL = 2;
  const STAMP_CAP = 2;
  let stampGrid = new Uint8Array(0);
  // A check's crowd drawn all faint in the last view it was drawn in (its pixels, kept by
  // pixels.js keep; `key` what decided them), or null.
  let fadedCrowd = null;

  // A full draw of many members writes the sprites' pixels into one ImageData and puts it on
  // the canvas once (pixels.js): 100,000 drawImage calls cost ~0.3 s of recording and
  // rasterising here (no GPU), the same blend in typed-array loops a tenth of that.
  const PIXEL_DRAW_OVER = 5000; // fewer members: drawImage each, as a partial redraw does
  const PREPARE_UP_TO_MS = 250; // see MemberLayer.prepareCrowd
  // Limits a test may change (window.__clusterDesk.tuning) to take the other way.
  const tuning = {
    // A see-through ring's crowd drawn again (unfaintUnder) for each so many layer pixels of the
    // member canvas, at most: at 1400 x 900 (its canvas 2240 x 1440), 161 rings. Over 100,000
    // members at zoom 8, 150 rings took ~180 ms of the draw, the crowd drawn afresh ~270, 300 ~350.
    viewPerSeeThrough: 20000,
    highlightLayersKept: 4, // see keptHighlights
  };
  const pixelBlend = window.__clusterDeskPixels;

  // The full draw's pixel target for a canvas of w x h device pixels whose top left is layer
  // point b.min (null: draw with drawImage).
  function memberPixels(w, h, b) {
    if (aliveCount <= PIXEL_DRAW_OVER || w <= 0 || h <= 0) return null;
    return pixelBlend.target(w, h, b.min.x, b.min.y, SPRITE_SCALE);
  }

  function putPixels(ctx, t) {
    const t0 = performance.now();
    if (pixelBlend.put(ctx, t)) stats.pixelDraws += 1;
    stats.lastPutMs = performance.now() - t0;
  }

  // Draw order: members in slot order, then the highlighted ones on top; the selected member
  // is not on this canvas (see selectionRenderer). A partial redraw uses the same order.
  // pixels: a full draw's pixel target (memberPixels), or null to drawImage each member.
  // crowdOnly: a check's faint crowd made ahead for this view (prepareCrowd): every member
  // counted faint, the crowd drawn into `pixels` and kept, nothing put on the canvas.
  function drawMembers(ctx, zoom, origin, rects, pixels, crowdOnly = false) {
    const scale = 256 * Math.pow(2, zoom);
    const ox = origin.x;
    const oy = origin.y;
    let [x0, y0, x1, y1] = rects[0]; // the box around all rectangles: a cheap first test
    for (const r of rects) {
      x0 = Math.min(x0, r[0]);
      y0 = Math.min(y0, r[1]);
      x1 = Math.max(x1, r[2]);
      y1 = Math.max(y1, r[3]);
    }
    const several = rects.length > 1;
    const sel = selectedSlot();
    let drawn = 0;
    let highlightsDrawn = false;
    const one = (i) => {
      const x = Math.round(mxA[i] * scale) - ox;
      const y = Math.round(myA[i] * scale) - oy;
      if (x + MAX_SPRITE_C < x0 || x - MAX_SPRITE_C > x1 || y + MAX_SPRITE_C < y0 || y - MAX_SPRITE_C > y1) return;
      const sp = spriteOf(i);
      const c = sp.c;
      if (x + c < x0 || x - c > x1 || y + c < y0 || y - c > y1) return;
      if (several && !rects.some((r) => x + c >= r[0] && x - c <= r[2] && y + c >= r[1] && y - c <= r[3])) return;
      ctx.drawImage(sp.img, x - c, y - c, sp.size, sp.size);
      drawn += 1;
    };
    if (rects.length === 1 && aliveCount > 5000) {
      // A full draw: every member projected once (the highlight and the town labels read the
      // points), those in view in slot order into the pixel target.
      if (projected.x.length < count) {
        projected.x = new Int32Array(latA.length);
        projected.y = new Int32Array(latA.length);
      }
      if (inView.length < count) inView = new Int32Array(latA.length);
      const px = projected.x;
      const py = projected.y;
      let n = 0;
      let faint = 0;
      let lit = 0; // highlighted in view (listed too: see allFaint)
      const thru = []; // of them, rings that show what lies under them (see unfaintUnder)
      const thruUpTo = Math.floor((x1 - x0) * (y1 - y0) / tuning.viewPerSeeThrough);
      for (let i = 0; i < count; i += 1) {
        const x = Math.round(mxA[i] * scale) - ox;
        const y = Math.round(myA[i] * scale) - oy;
        px[i] = x;
        py[i] = y;
        const f = flagA[i];
        if (!(f & ALIVE) || i === sel) continue;
        if (x + MAX_SPRITE_C < x0 || x - MAX_SPRITE_C > x1 || y + MAX_SPRITE_C < y0 || y - MAX_SPRITE_C > y1) continue;
        if (crowdOnly) faint += 1;
        else if (f & HIGHLIGHT) {
          lit += 1;
          if (statusA[i] !== 0 && thru.length <= thruUpTo) thru.push(i);
        } else if (f & FADED) faint += 1;
        inView[n] = i;
        n += 1;
      }
      if (crowdOnly) Object.assign(projected, { scale, ox, oy, version: coordsVersion, count }); // (px, py: all of them)
      // Every member in view faint or highlighted (a check clicked): the crowd is drawn all faint,
      // the highlighted among it too, under their rings, and kept; the next check clicked in the
      // same view lays that copy instead of drawing the crowd again (issue 17: ~50-90 ms of a
      // click at 100,000 members). The crowd then looks the same whichever check is shown: what
      // lies under a member's highlighted ring (0.9 of it opaque) is its own faint ring (at most
      // ~7 of 255 off the old picture there); a candidate's or former member's ring shows through,
      // so the crowd under those is drawn again without the highlighted (unfaintUnder), or, with
      // more of them than thruUpTo, the crowd is drawn without the highlighted, as before.
      const allFaint = pixels !== null && n > 0 && faint + lit === n && thru.length <= thruUpTo;
      const under = allFaint && thru.length > 0 ? boxesUnder(thru, px, py, x0, y0, x1, y1) : null;
      if (!allFaint && lit > 0) { // the crowd without the highlighted (drawn on top below)
        let k = 0;
        for (let j = 0; j < n; j += 1) if (!(flagA[inView[j]] & HIGHLIGHT)) inView[k++] = inView[j];
        n = k;
      }
      const crowdKey = allFaint ? crowdState(inView, n, px, py) + [scale, ox, oy, x0, y0, x1, y1].join(' ') : '';
      const kept = allFaint && fadedCrowd !== null && fadedCrowd.key === crowdKey && fadedCrowd.sprites === sprites;
      if (crowdOnly && (kept || !allFaint)) return 0; // (kept already, or nothing to draw)
      const reuse = kept && pixelBlend.restore(pixels, fadedCrowd.kept);
      if (!crowdOnly) stats.lastFadedCrowd = allFaint ? (reuse ? 'laid' : 'drawn') : 'none';
      if (reuse) stats.lastCoverSkips = -1;
      const crowdSprite = allFaint ? faintSpriteOf : spriteOf;
      let skipped = 0;
      if (!reuse) {
        // Members whose centre's STAMP_CELL cell already holds STAMP_CAP drawn over them are
        // left out (in a dense cluster at a low zoom several lie on each pixel: those on top show).
        const w = Math.ceil((x1 - x0 + 1) / STAMP_CELL);
        const h = Math.ceil((y1 - y0 + 1) / STAMP_CELL);
        if (stampGrid.length < w * h) stampGrid = new Uint8Array(w * h);
        else stampGrid.fill(0, 0, w * h);
        let m = n; // inView[m, n): those drawn, in drawing order
        for (let k = n - 1; k >= 0; k -= 1) {
          const i = inView[k];
          const x = px[i];
          const y = py[i];
          if (x >= x0 && x <= x1 && y >= y0 && y <= y1) {
            const cell = ((y - y0) >> 1) * w + ((x - x0) >> 1); // STAMP_CELL 2
            if (stampGrid[cell] >= STAMP_CAP) continue;
            stampGrid[cell] += 1;
          }
          m -= 1;
          inView[m] = i;
        }
        // A crowd (a tenth of them or more left out so) and most of it opaque: front to back
        // (pixels.js stampUnder), one under complete cover skipped too (at zoom 6-7 on 100,000
        // members most are). Else in order: a crowd faint (a check's) or sparse is seldom under
        // complete cover, and the blend with no cover to track is the quicker.
        skipped = pixels !== null && n - m >= pixelBlend.UNDER_OVER && m * 10 >= n && !allFaint && faint * 2 < n
          ? pixelBlend.stampUnder(pixels, inView.subarray(m, n), px, py, crowdSprite) : -1;
        stats.lastCoverSkips = skipped; // -1: drawn in order
        if (skipped < 0) {
          skipped = 0;
          for (let k = m; k < n; k += 1) {
            const i = inView[k];
            const sp = crowdSprite(i);
            if (pixels !== null && !pixelBlend.stamp(pixels, sp, px[i] - sp.c, py[i] - sp.c)) {
              if (crowdOnly) { // (unreadable sprite pixels: the click's own draw will tell)
                pixelBlend.clear(pixels);
                return 0;
              }
              putPixels(ctx, pixels); // unreadable sprite pixels: drawImage from here on, over these
              pixels = null;
            }
            if (pixels === null) ctx.drawImage(sp.img, px[i] - sp.c, py[i] - sp.c, sp.size, sp.size);
          }
        }
        skipped += m;
        if (allFaint && pixels !== null) {
          fadedCrowd = { key: crowdKey, sprites, kept: pixelBlend.keep(pixels), order: inView.slice(m, n) };
        }
        if (crowdOnly) {
          pixelBlend.clear(pixels);
          stats.crowdsMadeAhead += 1;
          return 0;
        }
      }
      if (allFaint && pixels !== null && under !== null) unfaintUnder(pixels, under, fadedCrowd.order, px, py);
      stats.lastSeeThroughRedrawn = allFaint ? thru.length : 0;
      drawn += n;
      // The highlighted ones on top, in their order, into the same pixels (a check's ~80,000
      // members drawn one drawImage each took ~0.27 s of the click's frame): many through the
      // front-to-back layer (pixels.js stampUnder), a few stamped over as the others are.
      if (pixels !== null) {
        const tHl = performance.now();
        const slots = highlightsInView(highlightedSlots(), px, py, x0, y0, x1, y1);
        const skips = slots.length >= pixelBlend.UNDER_OVER
          ? stampHighlights(pixels, slots, px, py, [scale, ox, oy, x0, y0, x1, y1].join(' ')) : -1;
        if (skips >= 0) {
          stats.lastHighlightSkips = skips;
          drawn += slots.length;
        } else {
          for (const i of slots) {
            const sp = spriteOf(i);
            const x = px[i] - sp.c;
            const y = py[i] - sp.c;
            if (pixels !== null && !pixelBlend.stamp(pixels, sp, x, y)) {
              putPixels(ctx, pixels);
              pixels = null;
            }
            if (pixels === null) ctx.drawImage(sp.img, x, y, sp.size, sp.size);
            drawn += 1;
          }
        }
        highlightsDrawn = true;
        stats.lastHighlightStampMs = performance.now() - tHl;
      }
      if (pixels !== null) putPixels(ctx, pixels);
      stats.lastStampSkips = skipped;
      Object.assign(projected, { scale, ox, oy, version: coordsVersion, count });
    } else {
      for (let i = 0; i < count; i += 1) {
        if ((flagA[i] & (ALIVE | HIGHLIGHT)) === ALIVE && i !== sel) one(i);
      }
    }
    if (!highlightsDrawn) {
      for (const i of highlightedSlots()) if (i !== sel && (flagA[i] & ALIVE)) one(i);
    }
    return drawn;
  }

  // The members of `order` a full draw's highlight stamps (x0, y0, x1, y1: the view's box, layer
  // pixels; px, py: the members' points), in their order: living, in view, not the selected one
  // (on a canvas of its own).
  function highlightsInView(order, px, py, x0, y0, x1, y1) {
    const sel = selectedSlot();
    const slots = [];
    for (const i of order) {
      if (i === sel || !(flagA[i] & ALIVE)) continue;
      const x = px[i];
      const y = py[i];
      if (x + MAX_SPRITE_C < x0 || x - MAX_SPRITE_C > x1 || y + MAX_SPRITE_C < y0 || y - MAX_SPRITE_C > y1) continue;
      slots.push(i);
    }
    return slots;
  }

  // A check's many highlighted rings (pixels.js stampUnder's front-to-back layer) kept by what
  // decides their picture (their places and looks in order, and the view: `key`), the last few
  // checks shown or made ahead (prepareHighlights): a check clicked again lays its layer (~10 ms)
  // instead of stamping them (~30-130 ms of a click at 100,000 members). Each is one Int32Array
  // of the canvas's size (13 MB at 1400 x 900, its canvas 2240 x 1440): tuning.highlightLayersKept.
  const keptHighlights = new Map(); // key -> { layer, sprites, skips }, the oldest first

  // The rings of `slots` (highlightsInView) stamped into the pixel target t, or their kept layer
  // laid; as pixels.js stampUnder, how many were under complete cover or -1.
  function stampHighlights(t, slots, px, py, viewKey) {
    const key = crowdState(slots, slots.length, px, py) + viewKey;
    keepHighlights(null);
    const kept = keptHighlights.get(key);
    if (kept !== undefined && kept.sprites === sprites && pixelBlend.layKept(t, kept.layer)) {
      keptHighlights.delete(key); // (the newest now)
      keptHighlights.set(key, kept);
      stats.lastHighlightLayer = 'laid';
      return kept.skips;
    }
    const keep = {};
    const skips = pixelBlend.stampUnder(t, slots, px, py, litSpriteOf, keep);
    if (skips >= 0) keepHighlights(key, { layer: keep.layer, sprites, skips });
    stats.lastHighlightLayer = 'stamped';
    return skips;
  }

  // (key null: only the oldest let go, down to tuning.highlightLayersKept)
  function keepHighlights(key, kept) {
    if (key !== null) {
      keptHighlights.delete(key);
      keptHighlights.set(key, kept);
    }
    while (keptHighlights.size > tuning.highlightLayersKept) keptHighlights.delete(keptHighlights.keys().next().value);
  }

  // A see-through ring (a candidate's, draft's or former member's) highlighted over the crowd
  // drawn all faint would show the faint rings under it of itself and of the highlighted near it:
  // there the crowd is drawn again without the highlighted (unfaintUnder), as a crowd drawn
  // without them looks. boxesUnder: the rings' boxes (layer pixels), those that overlap merged
  // into one (each pixel cleared and drawn once), and `near(i)`: the boxes slot i's sprite may
  // reach (undefined: none; a grid of UNDER_CELL px cells, one of margin round the view box
  // x0, y0, x1, y1).
  const UNDER_CELL = 16;
  function boxesUnder(thru, px, py, x0, y0, x1, y1) {
    let boxes = thru.map((i) => {
      const sp = spriteOf(i);
      return [px[i] - sp.c, py[i] - sp.c, px[i] - sp.c + sp.size, py[i] - sp.c + sp.size];
    });
    for (let merged = true; merged;) {
      merged = false;
      const out = [];
      for (const b of boxes) {
        const a = out.find((o) => o[0] < b[2] && b[0] < o[2] && o[1] < b[3] && b[1] < o[3]);
        if (a === undefined) {
          out.push(b);
          continue;
        }
        [a[0], a[1], a[2], a[3]] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
        merged = true;
      }
      boxes = out;
    }
    const w = Math.ceil((x1 - x0 + 1) / UNDER_CELL) + 2;
    const h = Math.ceil((y1 - y0 + 1) / UNDER_CELL) + 2;
    const cx = (x) => Math.min(w - 1, Math.max(0, Math.floor((x - x0) / UNDER_CELL) + 1));
    const cy = (y) => Math.min(h - 1, Math.max(0, Math.floor((y - y0) / UNDER_CELL) + 1));
    const marked = new Uint8Array(w * h);
    const lists = new Map(); // cell -> the boxes a sprite centred in it may reach
    for (const b of boxes) {
      for (let y = cy(b[1] - MAX_SPRITE_C); y <= cy(b[3] + MAX_SPRITE_C); y += 1) {
        for (let x = cx(b[0] - MAX_SPRITE_C); x <= cx(b[2] + MAX_SPRITE_C); x += 1) {
          const c = y * w + x;
          if (marked[c] === 0) lists.set(c, []);
          marked[c] = 1;
          lists.get(c).push(b);
        }
      }
    }
    return {
      boxes,
      near(i) {
        const c = cy(py[i]) * w + cx(px[i]);
        return marked[c] === 0 ? undefined : lists.get(c);
      },
    };
  }

  // The crowd (`order`: the kept crowd's members in drawing order) drawn again in the boxes,
  // the highlighted left out: a few hundred sprites clipped to the boxes instead of the crowd's
  // 100,000 (~130 ms of a click at 100,000 members).
  function unfaintUnder(t, under, order, px, py) {
    pixelBlend.clearBoxes(t, under.boxes);
    for (let k = 0; k < order.length; k += 1) {
      const i = order[k];
      const near = under.near(i);
      if (near === undefined || (flagA[i] & HIGHLIGHT)) continue;
      const sp = faintSpriteOf(i);
      const x = px[i] - sp.c;
      const y = py[i] - sp.c;
      for (const b of near) {
        if (x < b[2] && b[0] < x + sp.size && y < b[3] && b[1] < y + sp.size) pixelBlend.stampClipped(t, sp, x, y, b);
      }
    }
  }

  // The member under a layer point, topmost first (selected, highlighted, then the last drawn),
  // within its radius + half its stroke + the layer's tolerance (as Leaflet's circleMarker).
  function hitSlot(p, layer) {
    if (aliveCount === 0 || !layer._origin) return -1;
    const scale = 256 * Math.pow(2, layer._zoom);
    const ox = layer._origin.x;
    const oy = layer._origin.y;
    const tol = layer.options.tolerance || 0;
    const within = (i) => {
      const dx = Math.round(mxA[i] * scale) - ox - p.x;
      const dy = Math.round(myA[i] * scale) - oy - p.y;
      const r = spriteOf(i).hit + tol;
      return dx * dx + dy * dy <= r * r;
    };
    const sel = selectedSlot();
    if (sel >= 0 && within(sel)) return sel;
    const hl = highlightedSlots();
    for (let k = hl.length - 1; k >= 0; k -= 1) {
      const i = hl[k];
      if ((flagA[i] & ALIVE) && within(i)) return i;
    }
    const reach = (12 + tol) / scale; // no plain member is larger than 12 px: cheap reject first
    const qx = (p.x + ox) / scale;
    const qy = (p.y + oy) / scale;
    for (let i = count - 1; i >= 0; i -= 1) {
      if ((flagA[i] & (ALIVE | HIGHLIGHT)) !== ALIVE) continue;
      const ax = mxA[i] - qx;
      const ay = myA[i] - qy;
      if (ax > reach || ax < -reach || ay > reach || ay < -reach) continue;
      if (within(i)) return i;
    }
    return -1;
  }

  const memberLayer = new MemberLayer({ pane: 'cd-members', padding: 0.3, tolerance: 3 });
  memberLayer.addTo(map);

  // ---- towns: an offline reference layer (GeoNames places) on its own canvas ---------------
  // Sent once as columns, largest first. Each paint (a view change, new towns, the toggle) walks
  // them in that order: dot and label are kept when the label fits where no earlier label is
  // (a 32 px grid of placed boxes), on the side covering the fewest members. Only this canvas
  // is repainted: members are never redrawn for the towns. Names are drawn with fillText (text).
  const TOWN_DOT = '#6b6b6b';
  const TOWN_INK = '#505050';
  const TOWN_HALO = 'rgba(255, 255, 255, 0.9)';
  const TOWN_FAMILY = 'system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif';
  const TOWN_FONTS = ['11px ' + TOWN_FAMILY, '600 11px ' + TOWN_FAMILY]; // towns, cities >= 1M
  const TOWN_BIG = 1000000;
  const TOWN_MAX_LABELS = 500; // a paint never grows beyond this, whatever the zoom
  const TOWN_MAX_NAME = 60;
  const TOWN_CELL = 32; // label collision grid (px)
  const OCC_CELL = 8; // member occupancy grid (px)
  // [highest zoom, smallest population shown up to that zoom]; all towns sent from zoom 9.
  // Zoom 6 is a 200 km cluster circle in a small map: towns of 50,000 (Yelabuga) still show.
  const TOWN_THRESHOLDS = [[4, 1000000], [5, 100000], [6, 50000], [8, 20000]];

  let townCount = 0;
  let townMx = new Float64Array(0);
  let townMy = new Float64Array(0);
  let townPop = new Float64Array(0);
  let townWidth = new Float32Array(0); // label width in px, measured once (-1: not yet)
  let townName = [];
  let townsVisible = true;
  let townsReceived = 0; // setTowns ops received (tests: the payload comes once)
  let townsPlaced = []; // [[town, layer x, layer y, label x, label y]] of the last paint

  function townMinPopulation(zoom) {
    for (const [z, p] of TOWN_THRESHOLDS) if (zoom <= z) return p;
    return 0;
  }

  function setTowns(msg) {
    const t0 = performance.now();
    townsReceived += 1;
    const c = msg.columns;
    const keys = ['lat', 'lon', 'name', 'pop'];
    const ok = c && typeof c === 'object' && Array.isArray(c.lat) &&
      keys.every((k) => Array.isArray(c[k]) && c[k].length === c.lat.length);
    const n = ok ? c.lat.length : 0;
    const order = [];
    for (let i = 0; i < n; i += 1) {
      const lat = c.lat[i];
      const lon = c.lon[i];
      const name = c.name[i];
      const pop = c.pop[i];
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 ||
          typeof name !== 'string' || !name || !Number.isFinite(pop)) continue;
      order.push(i);
    }
    // Largest first (Python sends them so; a stable sort keeps that order cheaply).
    order.sort((a, b) => c.pop[b] - c.pop[a]);
    townCount = order.length;
    townMx = new Float64Array(townCount);
    townMy = new Float64Array(townCount);
    townPop = new Float64Array(townCount);
    townWidth = new Float32Array(townCount).fill(-1);
    townName = new Array(townCount);
    order.forEach((i, j) => {
      const lat = c.lat[i];
      townMx[j] = c.lon[i] / 360 + 0.5;
      const s = Math.sin(Math.max(Math.min(MAX_LATITUDE, lat), -MAX_LATITUDE) * Math.PI / 180);
      townMy[j] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
      townPop[j] = c.pop[i];
      townName[j] = c.name[i].length > TOWN_MAX_NAME ? c.name[i].slice(0, TOWN_MAX_NAME - 1) + '…' : c.name[i];
    });
    stats.setTownsMs = performance.now() - t0;
    townLayer.redraw();
  }

  function showTowns(on) {
    const v = on !== false;
    if (v === townsVisible) return;
    townsVisible = v;
    townLayer.redraw();
  }

  // Members per 8 px cell of the town canvas (labels prefer the side where fewer members are).
  // Each member counts in every cell its 7 px box touches: summed as a 2-D difference grid (four
  // writes a member, then one prefix-sum pass) instead of 4-9 saturating increments each; the
  // counts are the same (capped at 65535).
  function memberOccupancy(layer, zoom, ox, oy, b) {
    const cols = Math.ceil((b.max.x - b.min.x) / OCC_CELL) + 1;
    const rows = Math.ceil((b.max.y - b.min.y) / OCC_CELL) + 1;
    const W = cols + 1;
    const diff = new Int32Array(W * (rows + 1));
    const scale = 256 * Math.pow(2, zoom);
    const mark = (x, y, r, weight) => { // x, y relative to the canvas' top left
      const cx0 = Math.max(0, Math.floor((x - r) / OCC_CELL));
      const cx1 = Math.min(cols - 1, Math.floor((x + r) / OCC_CELL));
      const cy0 = Math.max(0, Math.floor((y - r) / OCC_CELL));
      const cy1 = Math.min(rows - 1, Math.floor((y + r) / OCC_CELL));
      if (cx0 > cx1 || cy0 > cy1) return;
      diff[cy0 * W + cx0] += weight;
      diff[cy0 * W + cx1 + 1] -= weight;
      diff[(cy1 + 1) * W + cx0] -= weight;
      diff[(cy1 + 1) * W + cx1 + 1] += weight;
    };
    // Members whose box misses the canvas are skipped before mark(): once zoomed in, most are.
    const x0 = ox + b.min.x;
    const y0 = oy + b.min.y;
    const xEnd = cols * OCC_CELL + 7;
    const yEnd = rows * OCC_CELL + 7;
    const p = projected;
    stats.lastTownOccShared = p.version === coordsVersion && p.count === count && p.scale === scale && p.ox === ox &&
      p.oy === oy;
    if (stats.lastTownOccShared) {
      const px = p.x; // this frame's member draw projected them: x - x0 is px - b.min.x
      const py = p.y;
      for (let i = 0; i < count; i += 1) {
        if (!(flagA[i] & ALIVE)) continue;
        const x = px[i] - b.min.x;
        if (x < -7 || x >= xEnd) continue;
        const y = py[i] - b.min.y;
        if (y < -7 || y >= yEnd) continue;
        mark(x, y, 7, 1);
      }
    } else {
      for (let i = 0; i < count; i += 1) {
        if (!(flagA[i] & ALIVE)) continue;
        const x = Math.round(mxA[i] * scale) - x0;
        if (x < -7 || x >= xEnd) continue;
        const y = Math.round(myA[i] * scale) - y0;
        if (y < -7 || y >= yEnd) continue;
        mark(x, y, 7, 1);
      }
    }
    if (circle) { // the centre and radius handles count as several members
      for (const m of [circle.centreMarker, circle.handle]) {
        const p = map.latLngToLayerPoint(m.getLatLng());
        mark(p.x - b.min.x, p.y - b.min.y, 10, 8);
      }
    }
    const occ = new Uint16Array(cols * rows);
    for (let cy = 0; cy < rows; cy += 1) {
      for (let cx = 0; cx < cols; cx += 1) {
        const k = cy * W + cx;
        let v = diff[k];
        if (cy > 0) v += diff[k - W];
        if (cx > 0) v += diff[k - 1];
        if (cy > 0 && cx > 0) v -= diff[k - W - 1];
        diff[k] = v;
        occ[cy * cols + cx] = v > 65535 ? 65535 : v;
      }
    }
    return { occ, cols, rows, x0: b.min.x, y0: b.min.y };
  }

  function occupied(o, r) {
    const cx0 = Math.max(0, Math.floor((r[0] - o.x0) / OCC_CELL));
    const cy0 = Math.max(0, Math.floor((r[1] - o.y0) / OCC_CELL));
    const cx1 = Math.min(o.cols - 1, Math.floor((r[2] - o.x0) / OCC_CELL));
    const cy1 = Math.min(o.rows - 1, Math.floor((r[3] - o.y0) / OCC_CELL));
    let n = 0;
    for (let y = cy0; y <= cy1; y += 1) for (let x = cx0; x <= cx1; x += 1) n += o.occ[y * o.cols + x];
    return n;
  }

  const TownLayer = L.Canvas.extend({
    _update() {
      if (this._map._animatingZoom && this._bounds) return;
      this._origin = this._map.getPixelOrigin();
      L.Canvas.prototype._update.call(this); // resizes (clears) the canvas, then fires 'update'
    },
    _updatePaths() { this.redraw(); },
    _draw() { this._paint(); },
    redraw() {
      if (this._map && !this._redrawRequest) this._redrawRequest = L.Util.requestAnimFrame(this._redrawNow, this);
    },
    flush() {
      if (this._redrawRequest) {
        L.Util.cancelAnimFrame(this._redrawRequest);
        this._redrawNow();
      }
    },
    _redrawNow() {
      this._redrawRequest = null;
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
      townsPlaced = [];
      stats.townDraws += 1;
      if (!townsVisible || townCount === 0) {
        stats.lastTownDrawMs = performance.now() - t0;
        return;
      }
      const b = this._bounds;
      const zoom = this._zoom;
      const scale = 256 * Math.pow(2, zoom);
      const ox = this._origin.x;
      const oy = this._origin.y;
      const minPop = townMinPopulation(zoom);
      let occ = null; // built for the first label that needs it (a view without towns: never)
      stats.lastTownOccMs = 0;
      stats.lastTownMeasured = 0;
      const grid = new Map(); // collision cell -> placed boxes
      const cellsOf = (r, fn) => {
        for (let cy = Math.floor(r[1] / TOWN_CELL); cy <= Math.floor(r[3] / TOWN_CELL); cy += 1) {
          for (let cx = Math.floor(r[0] / TOWN_CELL); cx <= Math.floor(r[2] / TOWN_CELL); cx += 1) {
            if (fn(cx + ',' + cy) === false) return false;
          }
        }
        return true;
      };
      const free = (r) => cellsOf(r, (k) => {
        const boxes = grid.get(k);
        if (boxes) for (const q of boxes) if (r[0] < q[2] && r[2] > q[0] && r[1] < q[3] && r[3] > q[1]) return false;
        return true;
      });
      const take = (r) => cellsOf(r, (k) => {
        const boxes = grid.get(k);
        if (boxes) boxes.push(r);
        else grid.set(k, [r]);
      });
      let font = -1;
      for (let i = 0; i < townCount && townsPlaced.length < TOWN_MAX_LABELS; i += 1) {
        if (townPop[i] < minPop) break; // largest first: the rest are smaller still
        let x = Math.round(townMx[i] * scale) - ox;
        const y = Math.round(townMy[i] * scale) - oy;
        if (x < b.min.x) x += scale; // a world copy east or west of this one
        else if (x > b.max.x) x -= scale;
        if (x < b.min.x || x > b.max.x || y < b.min.y || y > b.max.y) continue;
        const dot = [x - 3, y - 3, x + 3, y + 3];
        if (!free(dot)) continue; // before measuring: a name never shown is never measured
        const big = townPop[i] >= TOWN_BIG ? 1 : 0;
        if (font !== big) {
          ctx.font = TOWN_FONTS[big];
          font = big;
        }
        if (townWidth[i] < 0) {
          townWidth[i] = Math.ceil(ctx.measureText(townName[i]).width);
          stats.lastTownMeasured += 1;
        }
        const w = townWidth[i];
        // Right, left, above, below, then the corners: of the spots no earlier label takes, the
        // first one covering the fewest members (the cluster's own towns sit among members).
        const spots = [[x + 5, y - 7, x + 6 + w, y + 7], [x - 6 - w, y - 7, x - 5, y + 7],
          [x - w / 2 - 1, y - 19, x + w / 2 + 1, y - 5], [x - w / 2 - 1, y + 5, x + w / 2 + 1, y + 19],
          [x + 3, y - 17, x + 4 + w, y - 3], [x + 3, y + 3, x + 4 + w, y + 17],
          [x - 4 - w, y - 17, x - 3, y - 3], [x - 4 - w, y + 3, x - 3, y + 17]];
        let best = null;
        let bestCost = Infinity;
        for (const r of spots) {
          if (!free(r)) continue;
          if (occ === null) {
            const tOcc = performance.now();
            occ = memberOccupancy(this, zoom, ox, oy, b);
            stats.lastTownOccMs = performance.now() - tOcc;
          }
          const cost = occupied(occ, r);
          if (cost < bestCost) {
            best = r;
            bestCost = cost;
            if (cost === 0) break;
          }
        }
        if (best === null) continue;
        take(dot);
        take(best);
        townsPlaced.push([i, x, y, best[0] + 1, (best[1] + best[3]) / 2]);
      }
      // Dots, then every halo, then every name: halos never cover a neighbour's letters.
      const tInk = performance.now();
      stats.lastTownPlaceMs = tInk - t0;
      ctx.save();
      ctx.fillStyle = TOWN_DOT;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const [i, x, y] of townsPlaced) {
        const r = townPop[i] >= 100000 ? 3 : 2.25;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, Math.PI * 2);
      }
      ctx.fill();
      ctx.stroke();
      ctx.textBaseline = 'middle';
      ctx.lineJoin = 'round';
      ctx.miterLimit = 2;
      ctx.lineWidth = 3;
      ctx.strokeStyle = TOWN_HALO;
      ctx.fillStyle = TOWN_INK;
      for (const pass of [0, 1]) {
        for (const f of [0, 1]) {
          ctx.font = TOWN_FONTS[f];
          for (const [i, , , lx, ly] of townsPlaced) {
            if ((townPop[i] >= TOWN_BIG ? 1 : 0) !== f) continue;
            if (pass === 0) ctx.strokeText(townName[i], lx, ly);
            else ctx.fillText(townName[i], lx, ly);
          }
        }
      }
      ctx.restore();
      stats.lastTownInkMs = performance.now() - tInk;
      stats.lastTownDrawMs = performance.now() - t0;
    },
  });

  const townLayer = new TownLayer({ pane: 'cd-towns', padding: 0.3 });
  townLayer.addTo(map);

  // A typed array from base64 of its little-endian bytes (ui/map/messages.py b64); an empty
  // array if the text is not base64 or not a whole number of elements.
  function typedArray(text, Type) {
    let bin;
    try {
      bin = atob(text);
    } catch (err) {
      return new Type(0);
    }
    if (bin.length % Type.BYTES_PER_ELEMENT !== 0) return new Type(0);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i += 1) bytes[i] = bin.charCodeAt(i);
    return new Type(bytes.buffer);
  }

  // An opened project's members as one blob (ui/map/view.py set_member_columns): float64
  // coordinates, uint8 kind and status codes with their tables. Row i is slot i (a row that
  // does not fit stays a dead slot, so the rows keep their numbers for the links' blob). Ids
  // and names come next in setMemberTexts: the first paint needs none of them.
  function setMemberBlob(msg) {
    const codes = msg.codes !== null && typeof msg.codes === 'object' ? msg.codes : {};
    const table = (t) => (Array.isArray(t) ? t.map((v) => (typeof v === 'string' ? v : '')) : []);
    const kinds = table(codes.kind);
    const statuses = table(codes.status);
    const lats = blobPart(msg, 'lat');
    const lons = blobPart(msg, 'lon');
    const kc = blobPart(msg, 'kind');
    const sc = blobPart(msg, 'status');
    const ok = lats instanceof Float64Array && lons instanceof Float64Array && kc instanceof Uint8Array &&
      sc instanceof Uint8Array && [lons, kc, sc].every((a) => a.length === lats.length);
    const n = ok ? lats.length : 0;
    clearMembers(n);
    const kindOf = kinds.map(kindCode);
    const statusOf = statuses.map(statusCode);
    idA = new Array(n);
    nameA = new Array(n);
    kindS = new Array(n);
    statusS = new Array(n);
    for (let i = 0; i < n; i += 1) {
      const lat = lats[i];
      const lon = lons[i];
      const k = kc[i];
      const st = sc[i];
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || k >= kinds.length || st >= statuses.length) continue;
      setCoords(i, lat, lon);
      kindA[i] = kindOf[k];
      statusA[i] = statusOf[st];
      kindS[i] = kinds[k];
      statusS[i] = statuses[st];
      flagA[i] = ALIVE;
      aliveCount += 1;
    }
    count = n;
    if (Number.isInteger(msg.seq)) memberRowsSeq = msg.seq;
  }

  // The ids and names of the members' blob's rows (ui/map/view.py _send_texts): a blob of two
  // text parts, or JSON lists. Highlight and fade flags that name them apply from now on.
  function setMemberTexts(msg) {
    const ids = msg.blob ? blobPart(msg, 'id') : msg.ids;
    const names = msg.blob ? blobPart(msg, 'name') : msg.names;
    if (msg.rows !== memberRowsSeq || !Array.isArray(ids) || !Array.isArray(names) ||
        ids.length !== count || names.length !== count) {
      console.error('setMemberTexts: not the rows on the page');
      return;
    }
    let restyled = false;
    const texts = msg.blob !== undefined; // split from text: strings (JSON lists: checked)
    const lit = highlightSet();
    highlightSlots = null; // (members named only now may be among them)
    const keep = keepSet();
    const marks = lit.size > 0 || keep !== null;
    idA = ids;
    rowIds = ids;
    rowCount = ids.length;
    rowIdsSeq = msg.rows;
    nameA = names;
    for (let i = 0; i < count; i += 1) {
      if (!(flagA[i] & ALIVE)) continue;
      const id = ids[i];
      if (!texts && (typeof id !== 'string' || typeof names[i] !== 'string')) { // cannot be named
        flagA[i] = 0;
        aliveCount -= 1;
        restyled = true;
        continue;
      }
      slotOf.set(id, i); // ids are unique (the members table's key)
      if (!marks) continue;
      const flags = (lit.has(id) ? HIGHLIGHT : 0) | (keep !== null && !keep.has(id) ? FADED : 0);
      if (flags) {
        flagA[i] |= flags;
        restyled = true;
      }
    }
    if (restyled) memberLayer.redrawAll();
    updateSelection();
  }

  function setMembers(msg) {
    stats.fullDraws += 1;
    const t0 = performance.now();
    closeTip();
    if (Array.isArray(msg.members)) {
      const list = msg.members;
      clearMembers(list.length);
      for (const d of list) {
        if (!isValidMember(d) || slotOf.has(d.id)) continue;
        addSlot(d.id, d.name, d.kind, d.status, d.lat, d.lon, d.outside === true);
      }
    } else {
      // Columns (id, name, kind, status, lat, lon, outside arrays): about 40 % less JSON than
      // one object per member, and no object per member here either.
      // Coordinates may come as base64 float64 arrays (an opened project: no number parsing);
      // no outside column means none is outside.
      if (msg.blob) {
        setMemberBlob(msg);
        stats.prof = [performance.now() - t0];
        memberLayer.redrawAll();
        townLayer.redraw(); // labels step aside from where members are
        updateSelection();
        return;
      }
      const c = msg.columns && typeof msg.columns === 'object' ? msg.columns : {};
      const lats = typeof c.lat === 'string' ? typedArray(c.lat, Float64Array) : c.lat;
      const lons = typeof c.lon === 'string' ? typedArray(c.lon, Float64Array) : c.lon;
      const outs = c.outside === undefined ? null : c.outside;
      const len = Array.isArray(c.id) ? c.id.length : -1;
      const same = (a) => a !== null && typeof a === 'object' && a.length === len;
      const ok = len >= 0 && ['name', 'kind', 'status'].every((k) => Array.isArray(c[k]) && c[k].length === len) &&
        same(lats) && same(lons) && (outs === null || (Array.isArray(outs) && outs.length === len));
      const n = ok ? len : 0;
      clearMembers(n);
      for (let i = 0; i < n; i += 1) {
        const id = c.id[i];
        const lat = lats[i];
        const lon = lons[i];
        if (typeof id !== 'string' || typeof c.name[i] !== 'string' || !Number.isFinite(lat) ||
            !Number.isFinite(lon) || slotOf.has(id)) continue;
        addSlot(id, c.name[i], c.kind[i], c.status[i], lat, lon, outs !== null && (outs[i] === 1 || outs[i] === true));
      }
      // Every row a slot (Python sends valid, distinct rows): row i is slot i, named by c.id,
      // as a blob's rows are once their texts came (a check's marks name members by them).
      if (n > 0 && count === n && Number.isInteger(msg.seq)) {
        memberRowsSeq = msg.seq;
        rowIds = c.id;
        rowCount = n;
        rowIdsSeq = msg.seq;
      }
    }
    stats.prof = [performance.now() - t0];
    memberLayer.redrawAll();
    townLayer.redraw(); // labels step aside from where members are
    updateSelection();
  }

  function upsertMember(d) {
    if (!isValidMember(d)) return;
    stats.upserts += 1;
    if (dragProbe !== null && dragProbe.id === d.id) dragProbe.answered = true;
    const i = slotOf.get(d.id);
    const isSelected = d.id === selectedId;
    if (i === undefined) {
      const isOutside = d.outside === true;
      const j = addSlot(d.id, d.name, d.kind, d.status, d.lat, d.lon, isOutside);
      if (!isSelected) memberLayer.redrawSlot(j);
    } else {
      if (!isSelected) memberLayer.redrawSlot(i); // where it was drawn
      const before = styleCode(i);
      if (d.outside === true) outside.add(d.id);
      else if (d.outside === false) outside.delete(d.id);
      nameA[i] = d.name;
      kindS[i] = d.kind;
      statusS[i] = d.status;
      kindA[i] = kindCode(d.kind);
      statusA[i] = statusCode(d.status);
      flagA[i] = (flagA[i] & ~OUTSIDE) | (outside.has(d.id) ? OUTSIDE : 0);
      if (latA[i] !== d.lat || lonA[i] !== d.lon) setCoords(i, d.lat, d.lon);
      if (styleCode(i) !== before) stats.restyles += 1;
      if (!isSelected) memberLayer.redrawSlot(i); // where it is now
    }
    if (isSelected) updateSelection();
  }

  function removeMembers(ids) {
    for (const id of ids) {
      const i = slotOf.get(id);
      if (i === undefined) continue;
      stats.removes += 1;
      if (i === memberLayer._hoveredSlot) {
        closeTip();
        memberLayer.forgetHover();
      }
      memberLayer.redrawSlot(i);
      flagA[i] = 0;
      slotOf.delete(id);
      aliveCount -= 1;
      outside.delete(id);
      if (highlightedLater === null) highlighted.delete(id); // (else made without the dead slots)
      if (id === selectedId) selectedId = null;
    }
    if (count - aliveCount > 4096 && count - aliveCount > aliveCount) compact();
    updateSelection();
  }

  function replaceSet(oldSet, ids) {
    const next = new Set(ids.filter((x) => typeof x === 'string'));
    const changed = [];
    for (const id of oldSet) if (!next.has(id)) changed.push(id);
    for (const id of next) if (!oldSet.has(id)) changed.push(id);
    return [next, changed];
  }

  // Set one flag on the members whose membership changed; repaint where they are.
  function applyFlag(changed, set, flag) {
    const slots = [];
    const on = [];
    for (const id of changed) {
      const i = slotOf.get(id);
      if (i === undefined) continue;
      slots.push(i);
      on.push(set.has(id));
    }
    applyFlagSlots(slots, on, flag);
  }

  // `flag` set on slots[k] where on[k], cleared elsewhere; each redrawn (or all at once).
  function applyFlagSlots(slots, on, flag) {
    const many = slots.length > 2000; // then one full redraw is cheaper than a huge union
    if (many) memberLayer.redrawAll();
    const sel = selectedSlot();
    slots.forEach((i, k) => {
      if (!many && i !== sel) memberLayer.redrawSlot(i);
      flagA[i] = on[k] ? (flagA[i] | flag) : (flagA[i] & ~flag);
      if (!many && i !== sel) memberLayer.redrawSlot(i);
      stats.restyles += 1;
    });
    if (sel >= 0 && slots.includes(sel)) updateSelection();
  }

  // Ids with no marker are passed over (Python does not look them up: a million members' ids
  // held its GUI thread 280 ms; only a result made before a delete can hold one).
  function setOutside(ids) {
    let changed;
    [outside, changed] = replaceSet(outside, ids.filter((id) => slotOf.has(id)));
    applyFlag(changed, outside, OUTSIDE);
  }

  // Members named as rows of the page's member rows (rowIds, of the members message `rows`;
  // `count` of them) rather than by id (ui/map/marks.py): null unless they are those rows. With
  // no slot renumbered since, a living row's slot is the row itself; otherwise, or for a row
  // whose member left and came back, its id's slot (undefined: not on the map).
  function rowsFit(msg) {
    return rowIds !== null && rowIdsSeq >= 0 && msg.rows === rowIdsSeq && msg.count === rowCount &&
      (msg.ids === undefined || (Array.isArray(msg.ids) && msg.ids.every((id) => typeof id === 'string')));
  }

  function rowSlot(r, direct) {
    return direct && (flagA[r] & ALIVE) ? r : slotOf.get(rowIds[r]);
  }

  // A bit per row (base64, little bit order), or null as rowsFit says or when bits pass the rows.
  function rowBits(msg) {
    const n = msg.count;
    const bits = rowsFit(msg) && typeof msg.mask === 'string' ? typedArray(msg.mask, Uint8Array) : null;
    if (bits === null || bits.length !== ((n + 7) >> 3)) return null;
    if ((n & 7) !== 0 && (bits[bits.length - 1] >> (n & 7)) !== 0) return null; // bits past the rows
    return bits;
  }

  // Calls fn(row) for each row whose bit is set, in row order.
  function eachRow(bits, fn) {
    for (let b = 0; b < bits.length; b += 1) {
      const byte = bits[b];
      if (byte === 0) continue;
      for (let k = 0; k < 8; k += 1) if (byte & (1 << k)) fn((b << 3) | k);
    }
  }

  // A big outside set (an opened project's first result; ui/map/view.py set_outside) as a bit
  // per row of the members' blob `rows` (base64), each named by that blob's ids (a million
  // members' 120,000 ids were 1.3 MB of JSON, parsed twice, then four lookups each), and the ids
  // of members with no such row. While the slots are still that blob's rows, a row's slot is
  // itself. Anything that does not fit those rows rejects the command: the rings stay as they were.
  function setOutsideRows(msg) {
    const bits = rowBits(msg);
    if (bits === null) {
      stats.outsideRejected += 1;
      console.error('setOutside: not rows of the members on the page');
      return;
    }
    const extra = msg.ids === undefined ? [] : msg.ids;
    const direct = memberRowsSeq === rowIdsSeq; // (no slot renumbered since)
    const want = new Uint8Array(count);
    const next = new Set();
    const mark = (id, s) => {
      if (s === undefined || want[s]) return;
      want[s] = 1;
      next.add(id);
    };
    eachRow(bits, (r) => mark(rowIds[r], rowSlot(r, direct)));
    for (const id of extra) mark(id, slotOf.get(id));
    const changed = flagChanges(want, OUTSIDE);
    outside = next;
    applyFlagSlots(changed, changed.map((s) => want[s] === 1), OUTSIDE);
  }

  // The slots whose `flag` a new set of members changes: those flagged and no longer wanted,
  // and the wanted ones (`want`: 1 a slot) that lack it. The flags are read, not the old set's
  // ids (a check's 80,000 looked up one by one: ~8 ms of the next click).
  function flagChanges(want, flag) {
    const changed = [];
    for (let s = 0; s < count; s += 1) if ((want[s] === 1) !== ((flagA[s] & flag) !== 0)) changed.push(s);
    return changed;
  }

  // The difference only: {add: [ids], remove: [ids]}.
  function changeOutside(add, remove) {
    const changed = [];
    for (const id of add) {
      if (typeof id === 'string' && !outside.has(id) && slotOf.has(id)) {
        outside.add(id);
        changed.push(id);
      }
    }
    for (const id of remove) {
      if (typeof id === 'string' && outside.delete(id)) changed.push(id);
    }
    applyFlag(changed, outside, OUTSIDE);
  }

  function keepSet() {
    if (fadeKeepLater !== null) {
      fadeKeep = fadeKeepLater();
      fadeKeepLater = null;
    }
    return fadeKeep;
  }

  function highlightSet() {
    if (highlightedLater !== null) {
      highlighted = highlightedLater();
      highlightedLater = null;
    }
    return highlighted;
  }

  // The highlighted members' slots in draw order (dead ones among them: callers check ALIVE).
  function highlightedSlots() {
    if (highlightSlots === null) {
      const slots = [];
      for (const id of highlightSet()) {
        const i = slotOf.get(id);
        if (i !== undefined) slots.push(i);
      }
      highlightSlots = slots;
    }
    return highlightSlots;
  }

  // The members named (ids not on the map are kept: highlighted if they come); the slots that
  // change are read off the flags (the highlight of a check's 80,000 cleared: ~15 ms less).
  function highlight(ids) {
    const want = new Uint8Array(count);
    const next = new Set();
    const slots = [];
    for (const id of ids) {
      if (typeof id !== 'string' || next.has(id)) continue;
      next.add(id);
      const s = slotOf.get(id);
      if (s === undefined) continue;
      want[s] = 1;
      slots.push(s);
    }
    const changed = flagChanges(want, HIGHLIGHT);
    highlighted = next;
    highlightedLater = null;
    highlightSlots = slots;
    applyFlagSlots(changed, changed.map((s) => want[s] === 1), HIGHLIGHT);
  }

  // A check's members as rows (ui/map/view.py highlight_rows): `order`, int32 base64, a row of
  // the page's member rows each, or -1-k for ids[k] (a member with no row), in the check's own
  // order (the order highlighted members are drawn on top in). Members not on the map are
  // passed over, as Python passes them over for the ids form.
  // The members named by `msg` (rows fitting this page: rowsFit) as rows of the page's member rows
  // in `order`, -1 - k for the k-th of `ids` (members with no row), as their slots in that order,
  // each once (those not on the map left out); null when they are not such rows.
  function namedSlots(msg, order) {
    const extra = msg.ids === undefined ? [] : msg.ids;
    if (order === null || !Array.isArray(extra) || !order.every((r) => r < rowCount && -1 - r < extra.length)) {
      return null;
    }
    const direct = memberRowsSeq === rowIdsSeq;
    const seen = new Uint8Array(count);
    const slots = new Int32Array(order.length);
    let n = 0;
    for (let k = 0; k < order.length; k += 1) {
      const r = order[k];
      const s = r >= 0 ? rowSlot(r, direct) : slotOf.get(extra[-1 - r]);
      if (s === undefined || seen[s]) continue;
      seen[s] = 1;
      slots[n++] = s;
    }
    return slots.subarray(0, n);
  }

  function highlightRows(msg) {
    const order = rowsFit(msg) && typeof msg.order === 'string' ? typedArray(msg.order, Int32Array) : null;
    const inOrder = namedSlots(msg, order);
    if (inOrder === null) {
      stats.rowsRejected += 1;
      console.error('highlight: not rows of the members on the page');
      return;
    }
    const want = new Uint8Array(count);
    for (const s of inOrder) want[s] = 1;
    const changed = flagChanges(want, HIGHLIGHT);
    // The set of ids only when something asks for it (a check's 80,000 ids: ~10 ms a click):
    // each slot keeps its id until a compact or a reset, which make the set first; members
    // removed meanwhile are left out, as removeMembers takes them out of a set already made.
    const ids = idA;
    highlightedLater = () => {
      const set = new Set();
      for (const i of inOrder) if (flagA[i] & ALIVE) set.add(ids[i]);
      return set;
    };
    highlightSlots = inOrder;
    applyFlagSlots(changed, changed.map((s) => want[s] === 1), HIGHLIGHT);
  }

  // The checks' members whose rings are made ahead (prepareCheckView), as slots in drawing order:
  // `highlights` each as highlightRows' message ({order, ids}), of the rows `msg` names.
  let ringsAhead = [];
  function ringsAheadOf(msg) {
    const fit = rowsFit(msg) && Array.isArray(msg.highlights);
    return (fit ? msg.highlights : []).map((h) => {
      const ok = h !== null && typeof h === 'object' && typeof h.order === 'string';
      const slots = ok ? namedSlots(h, typedArray(h.order, Int32Array)) : null;
      if (slots === null) stats.rowsRejected += 1;
      return slots === null ? new Int32Array(0) : slots;
    });
  }

  // Fade the members the roster's filter hides (keep: the ids it shows, or null for none faded).
  function setFaded(keep) {
    fadeKeep = keep === null ? null : new Set(keep.filter((x) => typeof x === 'string'));
    fadeKeepLater = null;
    const changed = [];
    for (let i = 0; i < count; i += 1) {
      if (!(flagA[i] & ALIVE)) continue;
      const want = fadeKeep !== null && !fadeKeep.has(idA[i]) ? FADED : 0;
      if ((flagA[i] & FADED) !== want) changed.push(i);
    }
    flipFaded(changed);
  }

  // The keep set as a bit per row of the page's member rows and the ids of members with no row
  // (ui/map/view.py fade_rows): a check's filter at 100,000 members without ~80,000 ids in JSON.
  function setFadedRows(msg) {
    const bits = rowBits(msg);
    if (bits === null) {
      stats.rowsRejected += 1;
      console.error('setFaded: not rows of the members on the page');
      return;
    }
    const direct = memberRowsSeq === rowIdsSeq;
    const kept = new Uint8Array(count);
    eachRow(bits, (r) => {
      const s = rowSlot(r, direct);
      if (s !== undefined) kept[s] = 1;
    });
    const extra = msg.ids === undefined ? [] : msg.ids;
    for (const id of extra) {
      const s = slotOf.get(id);
      if (s !== undefined) kept[s] = 1;
    }
    // The ids kept only when something asks for them (a check's 80,000: ~10 ms a click); the
    // rows' ids are those of this rowIds (replaced, never changed, by a later members message).
    const ids = rowIds;
    fadeKeep = null;
    fadeKeepLater = () => {
      const keep = new Set(extra);
      eachRow(bits, (r) => keep.add(ids[r]));
      return keep;
    };
    const changed = [];
    for (let i = 0; i < count; i += 1) {
      if (!(flagA[i] & ALIVE)) continue;
      if (((flagA[i] & FADED) === 0) !== (kept[i] === 1)) changed.push(i);
    }
    flipFaded(changed);
  }

  // The filter's change only (a date step: a few thousand ids, not the 70,000 kept): add are
  // now kept unfaded, remove fade. Python sends it only while a keep set is on the page.
  function changeFaded(add, remove) {
    const keep = keepSet();
    if (keep === null) return;
    const changed = [];
    const mark = (ids, on) => {
      for (const id of ids) {
        if (typeof id !== 'string' || keep.has(id) === on) continue;
        if (on) keep.add(id);
        else keep.delete(id);
        const i = slotOf.get(id);
        if (i !== undefined && (flagA[i] & ALIVE) && ((flagA[i] & FADED) === 0) !== on) changed.push(i);
      }
    };
    mark(remove, false);
    mark(add, true);
    flipFaded(changed);
  }

  function flipFaded(changed) {
    // A few changed (the as-of view's newcomers): repaint where they are, not all 100,000.
    const few = changed.length <= 2000;
    if (!few) memberLayer.redrawAll();
    for (const i of changed) {
      if (few) memberLayer.redrawSlot(i);
      flagA[i] ^= FADED;
      if (few) memberLayer.redrawSlot(i);
    }
    if (changed.length) {
      updateSelection();
      stats.restyles += changed.length;
    }
  }

  function fadedCount() {
    let n = 0;
    for (let i = 0; i < count; i += 1) if ((flagA[i] & ALIVE) && (flagA[i] & FADED)) n += 1;
    return n;
  }

  function updateSelection() {
    const i = selectedSlot();
    if (i < 0) {
      if (selectionDot) map.removeLayer(selectionDot);
      if (selectionRing) map.removeLayer(selectionRing);
      selectionDot = null;
      selectionRing = null;
      return;
    }
    const ll = L.latLng(latA[i], lonA[i]);
    const s = slotStyle(i);
    if (!selectionDot) {
      selectionDot = L.circleMarker(ll, Object.assign({
        renderer: selectionRenderer, pane: 'cd-selection', interactive: false,
      }, s)).addTo(map);
      selectionRing = L.circleMarker(ll, {
        renderer: selectionRenderer, pane: 'cd-selection', interactive: false,
        radius: 11, color: SELECTION_ORANGE, weight: 3, opacity: 1, fill: false,
      }).addTo(map);
    } else {
      selectionDot.setLatLng(ll);
      selectionDot.setRadius(s.radius);
      selectionDot.setStyle(s);
      selectionRing.setLatLng(ll);
    }
  }

  function moveSelectionTo(ll) {
    if (selectionDot) selectionDot.setLatLng(ll);
    if (selectionRing) selectionRing.setLatLng(ll);
  }

  function select(id, pan) {
    const before = selectedSlot();
    selectedId = typeof id === 'string' ? id : null;
    const now = selectedSlot();
    if (before !== now) {
      if (before >= 0) memberLayer.redrawSlot(before); // back onto the canvas
      if (now >= 0) memberLayer.redrawSlot(now); // off it: the selection layer draws it
    }
    updateSelection();
    if (now >= 0 && pan) {
      refit = null;
      map.panTo([latA[now], lonA[now]]);
    }
  }

  // Move one member on the page (a drag the user made, before Python confirms it).
  function placeSlot(i, lat, lon) {
    const isSelected = i === selectedSlot();
    if (!isSelected) memberLayer.redrawSlot(i);
    setCoords(i, lat, lon);
    if (isSelected) updateSelection();
    else memberLayer.redrawSlot(i);
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

  function onMarkerOver() {
    if (drag || hit.slot < 0 || typeof nameA[hit.slot] !== 'string') return; // named yet
    const d = memberAt(hit.slot);
    tip.setContent(tooltipContent(d));
    tip.setLatLng([d.lat, d.lon]);
    if (!map.hasLayer(tip)) map.openTooltip(tip);
  }

  function onMarkerOut() {
    closeTip();
  }

  // ---- clicks, place mode and member drag ----------------------------------------------
  let drag = null; // {id, startX, startY, moved}
  let suppressClick = false;
  let dragProbe = null; // {id, t0, answered}: markerMoved sent -> its upsert painted (stats)

  function onMarkerClick(e) {
    if (suppressClick) return;
    if (mode === 'place') {
      send('mapClicked', wrapped(e.latlng)); // in place mode a click anywhere places
      return;
    }
    if (hit.slot >= 0 && typeof idA[hit.slot] === 'string') send('markerClicked', { id: idA[hit.slot] }); // named yet
  }

  map.on('click', (e) => {
    if (suppressClick) return;
    if (mode === 'place') send('mapClicked', wrapped(e.latlng));
  });

  // Members cannot be dragged in Leaflet's canvas: the selected member is dragged by hand.
  // Only the selected one, so that panning over a dense map never moves a member by accident.
  function onMarkerMouseDown(e) {
    const i = hit.slot;
    if (mode !== 'browse' || i < 0 || idA[i] !== selectedId || e.originalEvent.button !== 0) return;
    map.dragging.disable(); // before Leaflet's map Draggable sees this mousedown
    drag = { id: idA[i], startX: e.originalEvent.clientX, startY: e.originalEvent.clientY, moved: false };
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
    if (drag.id === selectedId) moveSelectionTo(map.mouseEventToLatLng(ev)); // SVG only
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
    const i = slotOf.get(d.id);
    if (i === undefined) return; // removed meanwhile
    const ll = map.mouseEventToLatLng(ev);
    placeSlot(i, ll.lat, ll.lng);
    dragProbe = { id: d.id, t0: performance.now(), answered: false };
    send('markerMoved', Object.assign({ id: d.id }, wrapped(ll)));
  }

  hit.on('click', onMarkerClick);
  hit.on('mousedown', onMarkerMouseDown);
  hit.on('mouseover', onMarkerOver);
  hit.on('mouseout', onMarkerOut);

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
    el.textContent = (km >= 100 ? km.toFixed(0) : km.toFixed(1)).replace('.', units.point) + ' ' + units.km;
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
  // Whether the view has come to rest (no pan or zoom animation under way): tests wait for it
  // instead of guessing how long an animated fit takes.
  let settled = true;
  map.on('movestart zoomstart', () => { settled = false; });
  map.on('moveend', () => { settled = true; });

  // A view set while Leaflet's zoom animation runs would be overridden when it ends (Leaflet
  // moves to the animation's target then): it waits for that end instead. An animated fit
  // starts its animation on the next frame, so until that frame it counts as running too.
  let fitStarting = false;
  function whenStill(fn) {
    if (map._animatingZoom) map.once('zoomend', fn);
    else if (fitStarting) requestAnimationFrame(() => whenStill(fn)); // after Leaflet's frame
    else fn();
  }

  // The last fit is made again when the map's size changes before the user moves the view:
  // the opening fit is sent while the window is still taking its size (it clipped ~30 px of
  // the circle's west edge). Any pointer or key use of the map, or another view op, ends that.
  let refit = null;
  let boxRefit = null; // refit when it is fitBounds' box (refitPadding may redo it)
  let fitBox = null;
  map.on('resize', () => { if (refit) refit(); });
  for (const ev of ['mousedown', 'wheel', 'touchstart', 'keydown']) {
    map.getContainer().addEventListener(ev, () => { refit = null; }, { capture: true, passive: true });
  }

  function fitAll() {
    const b = L.latLngBounds([]);
    if (aliveCount > 0) {
      let s = Infinity;
      let w = Infinity;
      let n = -Infinity;
      let e = -Infinity;
      for (let i = 0; i < count; i += 1) {
        if (!(flagA[i] & ALIVE)) continue;
        if (latA[i] < s) s = latA[i];
        if (latA[i] > n) n = latA[i];
        if (lonA[i] < w) w = lonA[i];
        if (lonA[i] > e) e = lonA[i];
      }
      b.extend(L.latLngBounds([s, w], [n, e]));
    }
    if (circle) b.extend(circle.polygon.getBounds());
    if (!b.isValid()) return;
    whenStill(() => {
      map.fitBounds(b, { padding: [30, 30], maxZoom: 12 });
      fitStarting = true;
      requestAnimationFrame(() => { fitStarting = false; });
    });
    refit = () => whenStill(() => map.fitBounds(b, { padding: [30, 30], maxZoom: 12, animate: false }));
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
    const tiled = []; // for basemap.js: canvas tiles drawn once each, not re-projected per zoom step
    for (const f of fc.features) {
      const g = f.geometry;
      if (!g) continue;
      let polys;
      if (g.type === 'Polygon') polys = [g.coordinates];
      else if (g.type === 'MultiPolygon') polys = g.coordinates;
      else continue;
      const ll = polys.map((poly) => poly.map(unwrapRing));
      if (window.CdRegional) {
        tiled.push(...ll);
        continue;
      }
      for (const dLon of [-360, 0, 360]) {
        layers.push(L.polygon(dLon === 0 ? ll : shifted(ll, dLon), style));
      }
    }
    if (window.CdRegional) layers.push(window.CdRegional.countriesLayer(tiled, style));
    basemapLayers = layers;
    for (const l of layers) l.addTo(map); // under the online tiles too: shows where one is missing
    basemapState = 'ready';
  }

  // A page reloaded (or closed) while the basemap is on its way cancels the fetch: not an error.
  let leaving = false;
  window.addEventListener('pagehide', () => { leaving = true; });
  fetch('maps/countries-50m.json')
    .then((r) => {
      if (!r.ok) throw new Error('basemap: HTTP ' + r.status);
      return r.json();
    })
    .then(drawBasemap)
    .catch((err) => {
      basemapState = 'failed';
      if (!leaving) console.error('basemap failed to load: ' + err);
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
    if (typeof url === 'string' && url.startsWith('cdesk://app/online/') && url.includes('{z}') && url.includes('{x}') &&
        url.includes('{y}')) {
      tileLayer = L.tileLayer(url, { maxZoom: 19 }).addTo(map);
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
    refit = boxRefit = () => whenStill(() => map.fitBounds(L.latLngBounds([s, w], [n, e]), {
      paddingTopLeft: [p[0], p[1]], paddingBottomRight: [p[2], p[3]], maxZoom: 15, animate: false,
    }));
    fitBox = [s, w, n, e];
    refit();
  }

  // The floating legend moved (it collapses or opens by the map's size once the window has
  // its size): the box fit made at opening is made again with the new padding, unless the
  // user has moved the map since (refit is then null) or another fit replaced it.
  function refitPadding(padding) {
    if (refit && refit === boxRefit && fitBox) fitBounds(...fitBox, padding);
  }

  function centreOn(lat, lon, zoom) {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
    refit = null;
    whenStill(() => map.setView([lat, lon], Number.isInteger(zoom) ? zoom : map.getZoom(), { animate: false }));
  }

  // ---- commands from Python ------------------------------------------------------------
  // fn when the page has nothing else to do (at most 100 ms later: a click may follow soon).
  function whenIdle(fn) {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 100 });
    else setTimeout(fn, 0);
  }

  const handlers = {
    // A check may be clicked soon (CheckMarks.prepare_view: an open's first checks are in, or
    // the pointer came over the cards): a check's faint crowd (and links.js: its faint lines)
    // made for this view while the page is idle, ahead of the click, then the rings of the
    // checks with many members, one check an idle turn. `highlights` (when they changed): each
    // such check's members as rows of the page's member rows (as highlightRows' order), kept.
    prepareCheckView(msg) {
      if (msg.highlights !== undefined) ringsAhead = ringsAheadOf(msg);
      const orders = ringsAhead;
      whenIdle(() => {
        memberLayer.prepareCrowd();
        const next = (k) => {
          if (k >= orders.length || orders !== ringsAhead) return;
          memberLayer.prepareHighlights(orders[k]);
          whenIdle(() => next(k + 1));
        };
        next(0);
      });
    },
    configure(msg) {
      if (msg.kindColours && typeof msg.kindColours === 'object') {
        kindColours = msg.kindColours;
        sprites = []; // drawn in the old colours
        memberLayer.redrawAll();
        updateSelection();
      }
      if (typeof msg.nextBlob === 'string' && BLOB_TOKEN.test(msg.nextBlob)) {
        nextSecret = msg.nextBlob;
        askNext();
      }
      handlers.setLanguage(msg);
    },
    setLanguage(msg) {
      if (typeof msg.lang === 'string') {
        document.documentElement.lang = msg.lang;
        units = Object.prototype.hasOwnProperty.call(UNITS, msg.lang) ? UNITS[msg.lang] : UNITS.en;
        scaleControl._update();
        if (circle && circle.handle && circle.handle.getTooltip()) {
          circle.handle.setTooltipContent(radiusLabel(circle.radiusKm));
        }
      }
      if (regional) regional.setTexts(msg.lang, msg.basemapTexts);
      if (msg.kindLabels && typeof msg.kindLabels === 'object') kindLabels = msg.kindLabels;
      if (msg.statusLabels && typeof msg.statusLabels === 'object') statusLabels = msg.statusLabels;
    },
    setMembers(msg) { setMembers(msg); },
    setMemberTexts(msg) { setMemberTexts(msg); },
    upsertMember(msg) {
      if (msg.member !== null && typeof msg.member === 'object') parked.delete(msg.member.id);
      upsertMember(msg.member);
    },
    // The as-of view's step (ui/timeline/past_map.py) in one message, so the page paints it once:
    // members leaving the map, members coming back or drawn with that day's status, and the
    // links.js mask of the links that did not count that day.
    // Members coming back are that day's participants, whom the roster's filter of the day
    // shows: they are kept unfaded now rather than drawn faded until its setFaded arrives
    // (a timer later: a second full draw per step, and a flash).
    // upsert: members as objects, or as columns ({id: [], name: [], ..., outside: [0/1]}).
    // The members leaving are parked as drawn; ``restore`` names parked members coming back as
    // they were, ``restoreAll`` brings back every one (``restoreOutside``: those of them ringed
    // as outside now).
    showDay(msg) {
      const remove = Array.isArray(msg.remove) ? msg.remove : [];
      for (const id of remove) {
        const i = slotOf.get(id);
        if (i !== undefined) parked.set(id, memberAt(i));
      }
      removeMembers(remove);
      const upsert = Array.isArray(msg.upsert) ? msg.upsert : memberRows(msg.upsert);
      for (const d of upsert) if (d !== null && typeof d === 'object') parked.delete(d.id);
      const ringed = new Set(Array.isArray(msg.restoreOutside) ? msg.restoreOutside : []);
      // restoreAll: every member parked comes back (Back to Today), none named
      const back = msg.restoreAll === true ? [...parked.keys()] : Array.isArray(msg.restore) ? msg.restore : [];
      for (const id of back) {
        const d = parked.get(id);
        if (d === undefined) continue;
        parked.delete(id);
        d.outside = ringed.has(id);
        upsert.push(d);
      }
      const keep = keepSet();
      if (keep !== null) for (const d of upsert) if (isValidMember(d)) keep.add(d.id);
      for (const d of upsert) upsertMember(d);
      if (keep !== null) { // one already on the map (its status that day) kept unfaded too
        const unfade = [];
        for (const d of upsert) {
          const i = isValidMember(d) ? slotOf.get(d.id) : undefined;
          if (i !== undefined && (flagA[i] & FADED)) unfade.push(i);
        }
        flipFaded(unfade);
      }
      if (msg.links && typeof handlers.maskLinks === 'function') handlers.maskLinks(msg.links, true);
    },
    removeMembers(msg) {
      const ids = Array.isArray(msg.ids) ? msg.ids : [];
      for (const id of ids) parked.delete(id);
      removeMembers(ids);
    },
    setCircle(msg) { setCircle(msg); },
    clearCircle() { clearCircle(); },
    highlight(msg) {
      if (msg.order !== undefined) highlightRows(msg);
      else highlight(Array.isArray(msg.ids) ? msg.ids : []);
    },
    // Several commands in one message (ui/map/view.py held(): an as-of step), run in one task so
    // the page paints them in one frame; each is acknowledged as if sent alone.
    // They go first in line (before any message that came after the batch), blobs fetched.
    batch(msg) {
      const inner = (Array.isArray(msg.commands) ? msg.commands : [])
        .filter((c) => c !== null && typeof c === 'object' && c.op !== 'batch');
      inner.forEach(fetchBlob);
      waiting.unshift(...inner);
    },
    setFaded(msg) {
      if (msg.mask !== undefined) setFadedRows(msg);
      else setFaded(Array.isArray(msg.keep) ? msg.keep : null);
    },
    changeFaded(msg) {
      changeFaded(Array.isArray(msg.add) ? msg.add : [], Array.isArray(msg.remove) ? msg.remove : []);
    },
    setOutside(msg) {
      if (msg.mask !== undefined) setOutsideRows(msg);
      else setOutside(Array.isArray(msg.ids) ? msg.ids : []);
    },
    changeOutside(msg) {
      changeOutside(Array.isArray(msg.add) ? msg.add : [], Array.isArray(msg.remove) ? msg.remove : []);
    },
    select(msg) { select(msg.id, msg.pan !== false); },
    setMode(msg) { setMode(msg.mode); },
    fitAll() { fitAll(); },
    setOnlineTiles(msg) { setOnlineTiles(msg.url, msg.attribution); },
    setTilePack(msg) { setTilePack(msg.pack); },
    centreOn(msg) { centreOn(msg.lat, msg.lon, msg.zoom); },
    fitBounds(msg) { fitBounds(msg.south, msg.west, msg.north, msg.east, msg.padding); },
    refitPadding(msg) { refitPadding(msg.padding); },
    setTowns(msg) { setTowns(msg); },
    showTowns(msg) { showTowns(msg.show); },
  };

  // Extensions (links.js) add layers and command handlers; their canvases flush before an ack.
  const flushers = [];
  for (const ext of window.__cdMapExtensions || []) {
    try {
      ext({ map, L, send, handlers, stats, typedArray, blobPart, memberSlots, makePane, traceStep, whenIdle,
        addFlusher: (f) => flushers.push(f) });
    } catch (err) {
      console.error('map extension failed: ' + err);
    }
  }

  // Tell Python a command is on screen: on the next animation frame the member canvas draws
  // what is pending (flush), and the ack goes out in a task after that frame was painted.
  // Acks coalesce: one per frame, carrying the latest seq.
  let ackSeq = null;
  function scheduleAck(seq) {
    const pending = ackSeq !== null;
    ackSeq = seq;
    if (pending) return;
    const t0 = performance.now();
    requestAnimationFrame(() => {
      traceStep('frame');
      memberLayer.flush();
      townLayer.flush();
      traceStep('members drawn');
      for (const f of flushers) f();
      traceStep('layers drawn');
      const s = ackSeq;
      ackSeq = null;
      const probe = dragProbe !== null && dragProbe.answered ? dragProbe : null;
      if (probe) dragProbe = null;
      setTimeout(() => {
        const now = performance.now();
        stats.lastFrameWaitMs = now - t0;
        if (probe) stats.dragRoundTripMs = now - probe.t0;
        stats.acks += 1;
        stats.ackAt = Date.now();
        traceStep('ack ' + s);
        send('drawn', { seq: s });
      }, 0);
    });
  }

  // Commands run in the order Python sent them. One whose columns come as a binary blob
  // (ui/map/blobs.py) waits for its fetch from our own scheme (cdesk://app/data/<token>, served
  // by Python on this machine) and holds back those after it; their own fetches start at once.
  const waiting = [];
  const BLOB_TOKEN = /^[0-9a-f]{32}$/;

  function onCommand(text) {
    let msg;
    const tParse = performance.now();
    try {
      msg = JSON.parse(text);
      stats.lastParseMs = performance.now() - tParse;
    } catch (err) {
      console.error('bridge: not JSON: ' + err);
      return;
    }
    if (msg === null || typeof msg !== 'object') return;
    if (msg.blob) traceStep('got ' + msg.op);
    fetchBlob(msg);
    waiting.push(msg);
    runWaiting();
  }

  // Requests kept waiting for the next blob (ui/map/scheme.py push): Python answers one the
  // moment it has a blob, naming it in a header, so an open's data needs no request made after
  // it exists. A command says `pushed` when its blob comes that way; one that arrives before
  // its command waits here. If a waiting request fails (Python refused it), no new one is made
  // and the blobs promised that way are fetched by their tokens instead.
  const NEXT_WAITING = 2; // as scheme.py NEXT_WAITING
  let nextSecret = null;
  let nextOut = 0;
  const pushedEarly = new Map(); // token -> ArrayBuffer pushed before its command came
  const pushWaiters = new Map(); // token -> resolve(ArrayBuffer | null) of a command's promise
  function askNext() {
    while (nextSecret !== null && nextOut < NEXT_WAITING) {
      nextOut += 1;
      fetch('cdesk://app/data/next/' + nextSecret)
        .then((r) => {
          const token = r.headers.get('X-Cdesk-Blob');
          if (!r.ok || typeof token !== 'string' || !BLOB_TOKEN.test(token)) throw new Error('no blob');
          traceStep('headers ' + token.slice(0, 6) + ' (pushed)');
          return r.arrayBuffer().then((buf) => [token, buf]);
        })
        .then(([token, buf]) => {
          nextOut -= 1;
          stats.blobsPushed += 1;
          const resolve = pushWaiters.get(token);
          if (resolve) {
            pushWaiters.delete(token);
            resolve(buf);
          } else {
            if (pushedEarly.size >= NEXT_WAITING) pushedEarly.delete(pushedEarly.keys().next().value);
            pushedEarly.set(token, buf);
          }
          askNext();
        })
        .catch(() => {
          nextOut -= 1;
          nextSecret = null; // no more waiting requests; promised blobs go by token
          for (const [token, resolve] of pushWaiters) {
            pushWaiters.delete(token);
            fetchByToken(token).then(resolve);
          }
        });
    }
  }
  function pushedBlob(token) {
    const early = pushedEarly.get(token);
    if (early !== undefined) {
      pushedEarly.delete(token);
      return Promise.resolve(early);
    }
    if (nextSecret === null) return fetchByToken(token);
    return new Promise((resolve) => pushWaiters.set(token, resolve));
  }
  function fetchByToken(token) {
    traceStep('fetch ' + token.slice(0, 6));
    stats.blobsFetched += 1;
    return fetch('cdesk://app/data/' + token)
      .then((r) => {
        traceStep('headers ' + token.slice(0, 6));
        return r.ok ? r.arrayBuffer() : null;
      })
      .catch(() => null);
  }

  // A command's blob, if it has one, fetched (or pushed); the command waits in line until it
  // is here. Commands sent in one go share one blob (ui/map/view.py send_blob): one transfer
  // for all of them. Python sends it only once it has sent them all, so they are all here by then.
  const fetching = new Map(); // token -> promise of its ArrayBuffer (or null), until it comes
  function fetchBlob(msg) {
    if (msg.blob !== null && typeof msg.blob === 'object' && typeof msg.blob.token === 'string' &&
        BLOB_TOKEN.test(msg.blob.token)) {
      const t0 = performance.now();
      const at0 = Date.now(); // epoch ms: the bench lines the fetch up with Python's clock
      const token = msg.blob.token;
      msg.blobData = null;
      msg.blobLoading = true;
      let got = fetching.get(token);
      if (got === undefined) {
        got = (msg.blob.pushed === true ? pushedBlob(token) : fetchByToken(token))
          .then((buf) => {
            traceStep('fetched ' + token.slice(0, 6));
            fetching.delete(token);
            return buf;
          });
        fetching.set(token, got);
      }
      got.then((buf) => {
        msg.blobData = buf instanceof ArrayBuffer ? buf : null;
        msg.blobLoading = false;
        stats.blobMs[msg.op] = performance.now() - t0;
        stats.blobAt[msg.op] = [at0, Date.now()];
        runWaiting();
      });
    }
  }

  function runWaiting() {
    while (waiting.length && !waiting[0].blobLoading) run(waiting.shift());
  }

  // The links layer's view of the member slots when they are the rows of members' blob `seq`
  // (setMemberBlob), else null: Web Mercator x, y and flags by slot, and how many.
  function memberSlots(seq) {
    if (seq !== memberRowsSeq || memberRowsSeq < 0) return null;
    return { mx: mxA, my: myA, alive: flagA, count, ALIVE };
  }

  // One part of a command's blob: a typed array view (no copy), a list of strings for a text
  // part, or null when the blob or the part is missing or does not fit.
  const BLOB_TYPES = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u8: Uint8Array, u16: Uint16Array };
  const utf8 = new TextDecoder('utf-8');
  function blobPart(msg, name) {
    const buf = msg.blobData;
    const parts = msg.blob && msg.blob.parts;
    const spec = parts && Object.prototype.hasOwnProperty.call(parts, name) ? parts[name] : null;
    if (!(buf instanceof ArrayBuffer) || !Array.isArray(spec)) return null;
    const [offset, size, type, count] = spec;
    if (!Number.isInteger(offset) || !Number.isInteger(size) || offset < 0 || size < 0) return null;
    if (type === 'text') {
      if (offset + size > buf.byteLength || !Number.isInteger(count) || count < 0) return null;
      if (count === 0) return [];
      const list = utf8.decode(new Uint8Array(buf, offset, size)).split('\u0000');
      return list.length === count ? list : null;
    }
    const Type = Object.prototype.hasOwnProperty.call(BLOB_TYPES, type) ? BLOB_TYPES[type] : null;
    if (Type === null || offset % Type.BYTES_PER_ELEMENT !== 0 ||
        offset + size * Type.BYTES_PER_ELEMENT > buf.byteLength) return null;
    return new Type(buf, offset, size);
  }

  function run(msg) {
    stats.commands += 1;
    const op = typeof msg.op === 'string' ? msg.op : '';
    const t0 = performance.now();
    stats.opAt[op] = Date.now(); // when it ran (epoch ms: the bench lines it up with Python's clock)
    if (Object.prototype.hasOwnProperty.call(handlers, op)) {
      handlers[op](msg);
    } else {
      console.warn('bridge: unknown op ' + op);
    }
    traceStep('ran ' + op + ' (' + (performance.now() - t0).toFixed(1) + ' ms)');
    stats.lastOp = op;
    stats.lastOpMs = performance.now() - t0; // JS work only (diagnostics, bench)
    stats.opMs[op] = stats.lastOpMs;
    if (Number.isInteger(msg.seq)) scheduleAck(msg.seq);
  }

  // ---- debugging and test hooks (read-only but `tuning`; the same drag message a user sends)
  function containerPoint(lat, lon) {
    const p = map.latLngToContainerPoint([lat, lon]);
    return { x: p.x, y: p.y };
  }

  window.__clusterDesk = Object.freeze({
    tuning, // (the one writable hook: limits a test changes)
    stats() {
      return Object.assign({
        members: aliveCount, onMap: aliveCount, mode, selectedId, basemap: basemapState, basemapLayers: basemapLayers.length,
        outside: outside.size, parked: parked.size, highlighted: highlightSet().size, faded: fadedCount(), circle: circle !== null, tiles: tileLayer !== null,
        zoom: map.getZoom(), settled, pack: packId, packLoaded: packStats.loaded, packErrors: packStats.errors,
        centre: [map.getCenter().lat, map.getCenter().lng],
        towns: townCount, townsShown: townsVisible, townsReceived, townLabels: townsPlaced.length,
        regional: regional ? regional.stats() : null, basemapNote: regional ? regional.noteText() : null,
      }, stats);
    },
    memberPoint(id) {
      const i = slotOf.get(id);
      return i === undefined ? null : containerPoint(latA[i], lonA[i]);
    },
    member(id) {
      const i = slotOf.get(id);
      if (i === undefined) return null;
      return {
        lat: latA[i], lon: lonA[i], name: nameA[i], kind: kindS[i], status: statusS[i], style: slotStyle(i),
        faded: (flagA[i] & FADED) !== 0,
      };
    },
    // The highlight and the fade as the page has them (tests compare them with ids): the
    // highlighted ids in draw order, the living members flagged highlighted, flagged faint, and
    // the keep set (null: nothing faded).
    marks() {
      const flagged = (flag) => {
        const out = [];
        for (let i = 0; i < count; i += 1) if ((flagA[i] & (ALIVE | flag)) === (ALIVE | flag)) out.push(idA[i]);
        return out.sort();
      };
      const alive = [];
      for (let i = 0; i < count; i += 1) if (flagA[i] & ALIVE) alive.push(idA[i]);
      return { highlighted: Array.from(highlightSet()), flagged: flagged(HIGHLIGHT), faded: flagged(FADED),
        keep: keepSet() === null ? null : Array.from(keepSet()).sort(), alive: alive.sort() };
    },
    point: containerPoint,
    regionalNames() { return regional ? regional.labelNames() : []; },
    regionalColourAt(x, y) { return regional ? regional.colourAt(x, y) : null; },
    // The town labels of the last paint: name (as text), dot and label position (container px).
    towns() {
      if (!townLayer._map) return [];
      return townsPlaced.map(([i, x, y, lx, ly]) => {
        const p = map.layerPointToContainerPoint([x, y]);
        const q = map.layerPointToContainerPoint([lx, ly]);
        return { name: townName[i], pop: townPop[i], x: p.x, y: p.y, labelX: q.x, labelY: q.y, width: townWidth[i] };
      });
    },
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
    view(lat, lon, zoom) {
      refit = null;
      whenStill(() => map.setView([lat, lon], zoom, { animate: false }));
    },
    simulateDrag(id, lat, lon) {
      const i = slotOf.get(id);
      if (i === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) return false;
      placeSlot(i, lat, lon);
      dragProbe = { id, t0: performance.now(), answered: false };
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
