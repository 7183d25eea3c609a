// Cluster Desk map page: pixel blends for the member and link canvases (issue 17). Loaded
// before map.js, whose full draw of many members writes the sprites' pixels into one ImageData
// (target, stamp, put) instead of one drawImage each and lays a dense crowd and a check's many
// highlighted rings front to back (stampUnder), and before links.js, whose full paint of many 1 px lines draws
// them here (lineInk, line) instead of Skia's canvas raster. Pure functions over typed arrays:
// no map, no page state, no text.
'use strict';

window.__clusterDeskPixels = (function () {
  const buffers = new Map(); // one per canvas that draws this way ('members', 'links')

  // The pixel target for a canvas of w x h device pixels whose top left is layer point (x, y),
  // `scale` device pixels a layer pixel (null: no ImageData could be made; draw with drawImage).
  function target(w, h, x, y, scale, key = 'members') {
    let px = buffers.get(key);
    if (px === undefined || px.img.width !== w || px.img.height !== h) {
      try {
        const img = new ImageData(w, h);
        px = { img, d32: new Int32Array(img.data.buffer) }; // int32: no float loads
        buffers.set(key, px);
      } catch (err) {
        buffers.delete(key);
        return null;
      }
    }
    px.x = x;
    px.y = y;
    px.m = scale;
    px.bx0 = w; // the box of what was written (device pixels)
    px.by0 = h;
    px.bx1 = -1;
    px.by1 = -1;
    return px;
  }

  // A sprite's visible pixels, premultiplied and packed as the ImageData's bytes read as
  // little-endian int32 (0xAABBGGRR), with 255 - alpha (each pixel's offset in a target
  // `width` wide), read once. scale: device pixels a layer pixel.
  function spritePixels(sp, width, scale) {
    if (sp.px === undefined) {
      const w = sp.size * scale;
      sp.px = null;
      try {
        const c = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(w, w) : document.createElement('canvas');
        c.width = w;
        c.height = w;
        const x = c.getContext('2d', { willReadFrequently: true });
        x.drawImage(sp.img, 0, 0);
        const d = x.getImageData(0, 0, w, w).data;
        let k = 0;
        for (let j = 3; j < d.length; j += 4) if (d[j] > 0) k += 1;
        const px = { w, n: k, row: new Int16Array(k), col: new Int16Array(k), colour: new Int32Array(k),
          inv: new Int32Array(k), off: new Int32Array(k), width: -1 };
        k = 0;
        for (let j = 0; j < d.length; j += 4) {
          const a = d[j + 3];
          if (a === 0) continue;
          const pre = (v) => Math.round(v * a / 255);
          px.row[k] = Math.floor(j / 4 / w);
          px.col[k] = (j / 4) % w;
          px.colour[k] = (a << 24) | (pre(d[j + 2]) << 16) | (pre(d[j + 1]) << 8) | pre(d[j]);
          px.inv[k] = 255 - a + ((255 - a) >> 7); // x * inv >> 8 is x * (255 - a) / 255 within one
          k += 1;
        }
        sp.px = px;
      } catch (err) {
        sp.px = null;
      }
    }
    const px = sp.px;
    if (px !== null && px.width !== width) {
      for (let k = 0; k < px.n; k += 1) px.off[k] = px.row[k] * width + px.col[k];
      // The same pixels as runs along a row (offset of the first, how many): one load of the
      // offset a run, not a pixel. A disc has one run a row.
      const runs = [];
      for (let k = 0; k < px.n; k += 1) {
        if (k > 0 && px.off[k] === px.off[k - 1] + 1 && px.row[k] === px.row[k - 1]) runs[runs.length - 1] += 1;
        else runs.push(px.off[k], 1);
      }
      px.runs = Int32Array.from(runs);
      px.width = width;
    }
    return px;
  }

  // One pixel of the target (packed premultiplied, int32) under a source pixel: source-over,
  // each channel dst * inv / 256 added to the source's. Math.imul keeps it in int32 (the
  // products stay below 2^32, so their low 32 bits are exact) and needs no branch: an opaque
  // source (inv 0) or an empty target gives the source's pixel as it is.
  function over(dst, colour, inv) {
    const rb = (Math.imul(dst & 0xff00ff, inv) >>> 8) & 0xff00ff;
    const ag = Math.imul((dst >>> 8) & 0xff00ff, inv) & 0xff00ff00; // (.. >>> 8 & 0xff00ff) << 8
    return (colour + (rb | ag)) | 0; // no carry: each channel stays within 255
  }

  // Blend a sprite whose top left is layer point (lx, ly) into the pixel target (source-over,
  // premultiplied); false if its pixels cannot be read (then drawImage it).
  function stampPixels(t, sp, lx, ly) {
    const W = t.img.width;
    const H = t.img.height;
    const px = spritePixels(sp, W, t.m);
    if (px === null) return false;
    const dx = (lx - t.x) * t.m;
    const dy = (ly - t.y) * t.m;
    const d = t.d32;
    const colour = px.colour;
    const inv = px.inv;
    const n = px.n;
    if (dx >= 0 && dy >= 0 && dx + px.w <= W && dy + px.w <= H) {
      const base = dy * W + dx;
      const runs = px.runs;
      let k = 0;
      for (let r = 0; r < runs.length; r += 2) {
        const end = base + runs[r] + runs[r + 1];
        for (let o = base + runs[r]; o < end; o += 1, k += 1) d[o] = over(d[o], colour[k], inv[k]);
      }
    } else { // over an edge: only the pixels on the canvas
      const rows = px.row;
      const cols = px.col;
      for (let k = 0; k < n; k += 1) {
        const xx = dx + cols[k];
        const yy = dy + rows[k];
        if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
        const o = yy * W + xx;
        d[o] = over(d[o], colour[k], inv[k]);
      }
    }
    if (dx < t.bx0) t.bx0 = dx;
    if (dy < t.by0) t.by0 = dy;
    if (dx + px.w > t.bx1) t.bx1 = dx + px.w;
    if (dy + px.w > t.by1) t.by1 = dy + px.w;
    return true;
  }

  // The highlighted members of a full pixel draw, when there are many: a check's ~80,000 rings
  // one on another, each pixel of the dense core written dozens of times back to front (the
  // registry check at 100,000 members: ~0.1 s of the click's frame). Blended front to back
  // instead (the last one drawn first, each under what is there) into a layer of their own, a
  // pixel whose cover is complete takes nothing more and a ring whose every tile is complete is
  // skipped whole; the layer then goes over the other members' pixels once. Source-over is
  // associative, so the picture is the same within the rounding of 8-bit blends. A few
  // highlighted (under UNDER_OVER) are stamped over as the other members are: no layer to lay.
  // The other members of a dense, mostly opaque crowd go the same way, before the highlight.
  const UNDER_OVER = 2000;
  const TILE_SHIFT = 3; // tiles of 8 x 8 pixels
  const DONE_ALPHA = 254; // from here on a source's share rounds to nothing (rem <= 1)

  // The front-to-back layer of the pixel target t: cleared, every tile's count of pixels still open.
  function underLayer(t) {
    const W = t.img.width;
    const H = t.img.height;
    if (t.under === undefined || t.under.h.length !== W * H) {
      const tw = (W + (1 << TILE_SHIFT) - 1) >> TILE_SHIFT;
      const th = (H + (1 << TILE_SHIFT) - 1) >> TILE_SHIFT;
      const full = new Int8Array(tw * th); // each tile's pixels on the canvas
      for (let k = 0; k < full.length; k += 1) {
        const x = (k % tw) << TILE_SHIFT;
        const y = Math.floor(k / tw) << TILE_SHIFT;
        full[k] = Math.min(1 << TILE_SHIFT, W - x) * Math.min(1 << TILE_SHIFT, H - y);
      }
      t.under = { h: new Int32Array(W * H), W, H, tw, full, left: new Int8Array(full.length),
        x0: new Int32Array(H), x1: new Int32Array(H) }; // each row's span written
    }
    const u = t.under;
    u.left.set(u.full);
    u.x0.fill(W);
    u.x1.fill(0);
    return u;
  }

  // Whether a tile under the box [cx0, cx1) x [cy0, cy1) is not yet complete.
  function underOpen(u, cx0, cy0, cx1, cy1) {
    for (let ty = cy0 >> TILE_SHIFT; ty <= (cy1 - 1) >> TILE_SHIFT; ty += 1) {
      for (let tx = cx0 >> TILE_SHIFT; tx <= (cx1 - 1) >> TILE_SHIFT; tx += 1) {
        if (u.left[ty * u.tw + tx] > 0) return true;
      }
    }
    return false;
  }

  // One sprite's pixels (spritePixels px, top left at device pixel dx, dy) under the layer.
  function stampUnder(u, px, dx, dy) {
    const { h, W, H, tw, left } = u;
    const colour = px.colour;
    const rows = px.row;
    const cols = px.col;
    if (dx >= 0 && dy >= 0 && dx + px.w <= W && dy + px.w <= H) { // all on the canvas: by runs
      const base = dy * W + dx;
      const runs = px.runs;
      let j = 0;
      for (let r = 0; r < runs.length; r += 2) {
        const start = base + runs[r];
        const end = start + runs[r + 1];
        for (let o = start; o < end; o += 1, j += 1) {
          const acc = h[o];
          if (acc >>> 24 >= DONE_ALPHA) continue;
          const v = under(acc, colour[j]);
          h[o] = v;
          if (v >>> 24 >= DONE_ALPHA) left[((dy + rows[j]) >> TILE_SHIFT) * tw + ((dx + cols[j]) >> TILE_SHIFT)] -= 1;
        }
      }
      return;
    }
    for (let j = 0; j < px.n; j += 1) { // over an edge: only the pixels on the canvas
      const xx = dx + cols[j];
      const yy = dy + rows[j];
      if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
      const o = yy * W + xx;
      const acc = h[o];
      if (acc >>> 24 >= DONE_ALPHA) continue;
      const v = under(acc, colour[j]);
      h[o] = v;
      if (v >>> 24 >= DONE_ALPHA) left[(yy >> TILE_SHIFT) * tw + (xx >> TILE_SHIFT)] -= 1;
    }
  }

  // A source pixel (packed premultiplied, as over's) under the pixel acc: acc plus the source
  // times acc's transparency (rem as over's inv: x * rem >> 8 is x * (255 - a) / 255 within one).
  function under(acc, colour) {
    const t = 255 - (acc >>> 24);
    const rem = t + (t >> 7);
    const rb = (Math.imul(colour & 0xff00ff, rem) >>> 8) & 0xff00ff;
    const ag = Math.imul((colour >>> 8) & 0xff00ff, rem) & 0xff00ff00;
    return (acc + (rb | ag)) | 0;
  }

  // The layer over the pixel target's pixels along each row's written span, and cleared (unless
  // `kept`: a layer stampUnderAll kept, laid again as it is).
  function layUnder(t, u, kept = false) {
    const { h, W, H, x0, x1 } = u;
    const d = t.d32;
    for (let y = 0; y < H; y += 1) {
      if (x0[y] >= x1[y]) continue;
      const end = y * W + x1[y];
      for (let o = y * W + x0[y]; o < end; o += 1) {
        const v = h[o];
        if (v === 0) continue;
        const a = v >>> 24;
        d[o] = over(d[o], v, 255 - a + ((255 - a) >> 7));
        if (!kept) h[o] = 0;
      }
      if (x0[y] < t.bx0) t.bx0 = x0[y];
      if (x1[y] > t.bx1) t.bx1 = x1[y];
      if (y < t.by0) t.by0 = y;
      if (y + 1 > t.by1) t.by1 = y + 1;
    }
  }

  // The slots (in drawing order; xs, ys: their layer points; spriteOf(slot) their sprites) into
  // the pixel target t, front to back: how many sprites were under complete cover,
  // or -1 if a sprite's pixels cannot be read (nothing is left written: the caller stamps them
  // one by one). keep: an object given the layer as `layer` before it is laid (layKept lays it
  // again; one Int32Array of the target's size).
  function stampUnderAll(t, slots, xs, ys, spriteOf, keep = null) {
    const u = underLayer(t);
    let skipped = 0;
    for (let k = slots.length - 1; k >= 0; k -= 1) {
      const i = slots[k];
      const sp = spriteOf(i);
      const px = spritePixels(sp, u.W, t.m);
      if (px === null) {
        for (let y = 0; y < u.H; y += 1) if (u.x0[y] < u.x1[y]) u.h.fill(0, y * u.W + u.x0[y], y * u.W + u.x1[y]);
        return -1;
      }
      const dx = (xs[i] - sp.c - t.x) * t.m;
      const dy = (ys[i] - sp.c - t.y) * t.m;
      const cx0 = Math.max(0, dx);
      const cy0 = Math.max(0, dy);
      const cx1 = Math.min(u.W, dx + px.w);
      const cy1 = Math.min(u.H, dy + px.w);
      if (cx0 >= cx1 || cy0 >= cy1) continue;
      if (!underOpen(u, cx0, cy0, cx1, cy1)) {
        skipped += 1; // under complete cover
        continue;
      }
      stampUnder(u, px, dx, dy);
      for (let y = cy0; y < cy1; y += 1) {
        if (cx0 < u.x0[y]) u.x0[y] = cx0;
        if (cx1 > u.x1[y]) u.x1[y] = cx1;
      }
    }
    if (keep !== null) keep.layer = { h: u.h.slice(), x0: u.x0.slice(), x1: u.x1.slice(), W: u.W, H: u.H };
    layUnder(t, u);
    return skipped;
  }

  // A layer kept by stampUnderAll laid over t's pixels as it was then (false when t is not of
  // its size: nothing written).
  function layKept(t, layer) {
    if (layer.W !== t.img.width || layer.H !== t.img.height) return false;
    layUnder(t, layer, true);
    return true;
  }

  // A copy of what the pixel target t holds (map.js keeps a check's faint crowd so), and that
  // copy written into t again (false when t is not of its size: nothing written).
  function keep(t) {
    return { d32: t.d32.slice(), w: t.img.width, h: t.img.height, box: [t.bx0, t.by0, t.bx1, t.by1] };
  }

  function restore(t, kept) {
    if (kept.w !== t.img.width || kept.h !== t.img.height) return false;
    t.d32.set(kept.d32);
    [t.bx0, t.by0, t.bx1, t.by1] = kept.box;
    return true;
  }

  // ---- a few boxes drawn again --------------------------------------------------------------
  // map.js lays a check's crowd kept all faint, then draws it again under each see-through ring
  // (a candidate's, draft's or former member's): the boxes cleared (clearBoxes), the crowd over
  // them stamped again in order, each sprite clipped to a box (stampClipped).

  // A box of layer pixels (x0, y0, x1, y1) as device pixels of t, within the canvas.
  function deviceBox(t, b) {
    return [Math.max(0, (b[0] - t.x) * t.m), Math.max(0, (b[1] - t.y) * t.m),
      Math.min(t.img.width, (b[2] - t.x) * t.m), Math.min(t.img.height, (b[3] - t.y) * t.m)];
  }

  function clearBoxes(t, boxes) {
    const W = t.img.width;
    for (const b of boxes) {
      const [x0, y0, x1, y1] = deviceBox(t, b);
      for (let y = y0; y < y1; y += 1) t.d32.fill(0, y * W + x0, y * W + x1);
    }
  }

  // stampPixels within a box of layer pixels only, a row's run at a time; false as stampPixels.
  function stampClipped(t, sp, lx, ly, box) {
    const W = t.img.width;
    const px = spritePixels(sp, W, t.m);
    if (px === null) return false;
    const [cx0, cy0, cx1, cy1] = deviceBox(t, box);
    const dx = (lx - t.x) * t.m;
    const dy = (ly - t.y) * t.m;
    const d = t.d32;
    const { runs, colour, inv } = px;
    let k = 0; // the run's first pixel among the sprite's
    for (let r = 0; r < runs.length; k += runs[r + 1], r += 2) {
      const row = Math.floor(runs[r] / W);
      const y = dy + row;
      if (y < cy0 || y >= cy1) continue;
      const x = dx + runs[r] - row * W;
      const from = Math.max(x, cx0);
      const to = Math.min(x + runs[r + 1], cx1);
      for (let xx = from, j = k + from - x; xx < to; xx += 1, j += 1) {
        const o = y * W + xx;
        d[o] = over(d[o], colour[j], inv[j]);
      }
    }
    return true;
  }

  // The pixel target onto the canvas (straight alpha, as ImageData holds it), then cleared;
  // false if nothing was written.
  function put(ctx, t) {
    const W = t.img.width;
    const H = t.img.height;
    const x0 = Math.max(0, t.bx0);
    const y0 = Math.max(0, t.by0);
    const x1 = Math.min(W, t.bx1);
    const y1 = Math.min(H, t.by1);
    if (x0 >= x1 || y0 >= y1) return false;
    const d = t.d32;
    const bytes = t.img.data;
    for (let y = y0; y < y1; y += 1) {
      const end = y * W + x1;
      for (let o = y * W + x0; o < end; o += 1) {
        const v = d[o];
        const a = v >>> 24;
        if (a === 0 || a === 255) continue;
        const f = 255 / a;
        const b = 4 * o;
        bytes[b] = bytes[b] * f;
        bytes[b + 1] = bytes[b + 1] * f;
        bytes[b + 2] = bytes[b + 2] * f;
      }
    }
    ctx.putImageData(t.img, 0, 0, x0, y0, x1 - x0, y1 - y0);
    clear(t);
    return true;
  }

  // What was written into t cleared (as put leaves it), not put anywhere.
  function clear(t) {
    const W = t.img.width;
    const [x0, y0] = [Math.max(0, t.bx0), Math.max(0, t.by0)];
    const [x1, y1] = [Math.min(W, t.bx1), Math.min(t.img.height, t.by1)];
    for (let y = y0; y < y1; y += 1) t.d32.fill(0, y * W + x0, y * W + x1);
    t.bx0 = W;
    t.by0 = t.img.height;
    t.bx1 = -1;
    t.by1 = -1;
  }

  // ---- 1 px lines ------------------------------------------------------------------------------
  // A full paint of the links at zoom 10 on a 100,000-member map strokes ~20,000 long lines
  // across the view: Skia's software raster of them took ~0.25 s of every pan and zoom (after
  // ~40 ms of script), the map left at the old view meanwhile. Here each is stepped along its
  // major axis, two pixels a step weighted by the distance to the line (Xiaolin Wu's lines:
  // the antialiased 1 px look of a hairline), into the target, source-over as the canvas blends.

  // A CSS colour ('#rrggbb' or 'rgba(r, g, b, a)') as 256 packed premultiplied pixels, one per
  // coverage, with their inverse alphas (as over takes them); null if it cannot be read.
  function lineInk(css) {
    let rgb;
    let a = 1;
    const hex = /^#([0-9a-f]{6})$/i.exec(css);
    const rgba = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(css);
    if (hex) {
      const v = parseInt(hex[1], 16);
      rgb = [v >> 16, (v >> 8) & 255, v & 255];
    } else if (rgba) {
      rgb = [Number(rgba[1]), Number(rgba[2]), Number(rgba[3])].map((v) => Math.min(255, v));
      if (rgba[4] !== undefined) a = Math.min(1, Number(rgba[4]));
    } else {
      return null;
    }
    const colour = new Int32Array(256);
    const inv = new Int32Array(256);
    for (let cov = 0; cov < 256; cov += 1) {
      const al = Math.round(a * cov);
      const [r, g, b] = rgb.map((v) => Math.round(v * al / 255));
      colour[cov] = (al << 24) | (b << 16) | (g << 8) | r;
      inv[cov] = 255 - al + ((255 - al) >> 7);
    }
    return { colour, inv };
  }

  // The line from (x0, y0) to (x1, y1) (device pixels, the canvas's own: pixel (i, j) covers
  // [i, i + 1) x [j, j + 1)) in `ink` (lineInk) into the target t, clipped to it.
  function line(t, x0, y0, x1, y1, ink) {
    const W = t.img.width;
    const H = t.img.height;
    // Pixel centres at integers from here on; clipped to a pixel around the target (Liang-Barsky).
    let ax = x0 - 0.5;
    let ay = y0 - 0.5;
    let bx = x1 - 0.5;
    let by = y1 - 0.5;
    const dx = bx - ax;
    const dy = by - ay;
    let u0 = 0;
    let u1 = 1;
    for (let e = 0; e < 4; e += 1) {
      const p = e === 0 ? -dx : e === 1 ? dx : e === 2 ? -dy : dy;
      const q = e === 0 ? ax + 1 : e === 1 ? W - ax : e === 2 ? ay + 1 : H - ay;
      if (p === 0) {
        if (q < 0) return;
        continue;
      }
      const u = q / p;
      if (p < 0) {
        if (u > u1) return;
        if (u > u0) u0 = u;
      } else {
        if (u < u0) return;
        if (u < u1) u1 = u;
      }
    }
    bx = ax + u1 * dx;
    by = ay + u1 * dy;
    ax += u0 * dx;
    ay += u0 * dy;
    const steep = Math.abs(by - ay) > Math.abs(bx - ax);
    if (steep) [ax, ay, bx, by] = [ay, ax, by, bx];
    if (ax > bx) [ax, ay, bx, by] = [bx, by, ax, ay];
    const grad = bx - ax === 0 ? 0 : (by - ay) / (bx - ax);
    const major = steep ? H : W; // the stepped axis's size, and the other's
    const minor = steep ? W : H;
    const xs = Math.max(0, Math.round(ax));
    const xe = Math.min(major - 1, Math.round(bx));
    if (xs > xe) return;
    const d = t.d32;
    const colour = ink.colour;
    const inv = ink.inv;
    // The minor coordinate in 16.16 fixed point (pixel centres at integers): its integer part
    // the upper pixel, the top byte of its fraction the share of the one below.
    let yf = Math.round((ay + grad * (xs - ax)) * 65536);
    const step = Math.round(grad * 65536);
    const yEnd = yf + step * (xe - xs);
    const ylo = Math.max(0, Math.min(yf, yEnd) >> 16);
    const yhi = Math.min(minor, (Math.max(yf, yEnd) >> 16) + 2);
    // One pixel a step and its neighbour below: offsets along the line (o) and across it (across).
    const along = steep ? W : 1;
    const across = steep ? 1 : W;
    for (let x = xs; x <= xe; x += 1, yf += step) {
      const y = yf >> 16;
      const far = (yf >> 8) & 255;
      const o = x * along + y * across;
      if (y >= 0 && y < minor) d[o] = over(d[o], colour[255 - far], inv[255 - far]);
      if (far !== 0 && y + 1 >= 0 && y + 1 < minor) d[o + across] = over(d[o + across], colour[far], inv[far]);
    }
    if (ylo >= yhi) return;
    const [x0b, x1b, y0b, y1b] = steep ? [ylo, yhi, xs, xe + 1] : [xs, xe + 1, ylo, yhi];
    if (x0b < t.bx0) t.bx0 = x0b;
    if (x1b > t.bx1) t.bx1 = x1b;
    if (y0b < t.by0) t.by0 = y0b;
    if (y1b > t.by1) t.by1 = y1b;
  }

  return {
    target, stamp: stampPixels, stampClipped, stampUnder: stampUnderAll, layKept, keep, restore, put, clear, clearBoxes,
    lineInk, line, UNDER_OVER,
  };
})();
