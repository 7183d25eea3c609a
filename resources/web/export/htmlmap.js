/* Draws the members of a standalone HTML map (io/formats/htmlmap.py).
 *
 * Data comes from the JSON island #cd-data, never from script text. Every member text is put
 * in the page with textContent (tooltips and popups are DOM nodes built on demand), so a name
 * or a note is only ever shown, never parsed as HTML or run. When done, the number of drawn
 * members is written to <html data-cd-drawn="N"> (tests read it).
 */
(function () {
  'use strict';

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function styleFor(m, colours, grey) {
    var colour = Object.prototype.hasOwnProperty.call(colours, m.kind) ? colours[m.kind] : '#888888';
    var s = {radius: 6, color: '#ffffff', weight: 1, opacity: 1, fillColor: colour, fillOpacity: 0.9};
    if (m.status === 'candidate') {  // hollow, dashed: "not in yet" (as in the app)
      s.color = colour; s.weight = 2; s.fillOpacity = 0.15; s.dashArray = '3 2';
    } else if (m.status === 'former') {
      s.fillColor = grey; s.color = grey; s.fillOpacity = 0.35; s.opacity = 0.5;
    }
    return s;
  }

  function textNode(tag, cls, text) {
    var el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;  // text, never HTML
    return el;
  }

  function popupFor(m, labels) {
    var box = document.createElement('div');
    box.className = 'cd-popup';
    box.appendChild(textNode('div', 'cd-name', m.name));
    Object.keys(labels).forEach(function (field) {
      var value = m.show[field];
      if (value === undefined || value === null || value === '') { return; }
      var row = document.createElement('div');
      row.className = 'cd-row';
      row.appendChild(textNode('span', 'cd-label', labels[field] + ': '));
      row.appendChild(textNode('span', 'cd-value cd-' + field, String(value)));
      box.appendChild(row);
    });
    return box;
  }

  function drawWorld(map) {
    var world = readJson('cd-world');
    if (!world || typeof topojson === 'undefined') { return; }
    var land = topojson.feature(world, world.objects.countries);
    L.geoJSON(land, {
      interactive: false,
      style: {color: '#9a9a9a', weight: 0.6, fillColor: '#f2efe9', fillOpacity: 1},
    }).addTo(map);
  }

  window.cdDrawMembers = function (map, groups) {
    var data = readJson('cd-data');
    drawWorld(map);
    var renderer = L.canvas({padding: 0.5});
    var drawn = 0;
    data.members.forEach(function (m) {
      var group = Object.prototype.hasOwnProperty.call(groups, m.kind) ? groups[m.kind] : null;
      if (!group) { return; }
      var options = styleFor(m, data.colours, data.formerGrey);
      options.renderer = renderer;
      var marker = L.circleMarker([m.lat, m.lon], options);
      marker.bindTooltip(function () { return textNode('span', 'cd-tip', m.name); },
                         {direction: 'top', offset: [0, -6]});
      marker.bindPopup(function () { return popupFor(m, data.labels); }, {minWidth: 220, maxWidth: 340});
      marker.addTo(group);
      drawn += 1;
    });
    document.documentElement.setAttribute('data-cd-drawn', String(drawn));
  };
}());
