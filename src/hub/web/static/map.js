// DepotClock maps (Leaflet): a day's drive legs with their stops and geofences, and the
// geofence editor on the admin's depot and work-order forms. Data comes from the page:
// <script type="application/json" id="map-data"> and the map element's data-* attributes.
(function () {
  "use strict";

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
    return map;
  }

  function text(parts) {  // a popup's lines as DOM text, never as HTML
    var box = document.createElement("div");
    parts.forEach(function (line, i) {
      if (i) box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }

  function fence(map, f) {
    return L.circle([f.lat, f.lon], {
      radius: f.radius_m, weight: 1, color: f.kind === "depot" ? "#0d2238" : "#7a3e00", fillOpacity: 0.1,
      className: "fence fence-" + f.kind
    }).addTo(map).bindPopup(text([f.name, (f.kind === "depot" ? "Depot" : "Work-order site") +
      " geofence, " + Math.round(f.radius_m) + " m"]));
  }

  function dayMap(element) {
    var data = JSON.parse(document.getElementById("map-data").textContent);
    var map = baseMap(element), bounds = L.latLngBounds([]);
    data.fences.forEach(function (f) { bounds.extend(L.latLng(f.lat, f.lon).toBounds(2 * f.radius_m)); });
    data.legs.forEach(function (leg) { if (leg.path.length) bounds.extend(L.latLngBounds(leg.path)); });
    (data.punches || []).forEach(function (p) { bounds.extend(L.latLng(p.lat, p.lon)); });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    else map.setView([0, 0], 1);
    data.fences.forEach(function (f) { fence(map, f); });
    data.legs.forEach(function (leg) {
      if (!leg.path.length) return;
      var line = L.polyline(leg.path, { weight: 5, color: "#1f6fb2", className: "leg" }).addTo(map);
      line.getElement().setAttribute("data-leg", leg.id);
      line.bindPopup(text([
        "Drive " + leg.start + "–" + leg.end + " (" + data.zone + ")",
        leg.km + " km in " + leg.vehicle,
        "Driver: " + leg.driver + " (" + leg.driver_how + ")",
        "Work order: " + leg.work_order + " (" + leg.work_order_how + ")"
      ]));
    });
    data.stops.forEach(function (stop) {
      L.circleMarker([stop.lat, stop.lon], { radius: 6, color: "#0d2238", className: "stop" }).addTo(map)
        .bindPopup(text(["Stopped " + stop.at + "–" + stop.until + " (" + data.zone + ")"]));
    });
    (data.punches || []).forEach(function (p) {  // where a phone punched, and how sure it was
      if (p.accuracy_m) L.circle([p.lat, p.lon], { radius: p.accuracy_m, weight: 1, color: "#8a4b00", className: "punch-accuracy" }).addTo(map);
      L.circleMarker([p.lat, p.lon], { radius: 7, color: "#8a4b00", className: "punch" }).addTo(map)
        .bindPopup(text(["Punch: " + p.action + " at " + p.at + " (" + data.zone + ") from the " + p.source,
                         p.accuracy_m ? "accurate to " + Math.round(p.accuracy_m) + " m" : "no accuracy given"]));
    });
  }

  function fenceEditor(element) {  // circle: centre from a click or a drag, radius from the field or its handle
    var lat = document.querySelector("input[name=lat]"), lon = lat.form.querySelector("input[name=lon]");
    var radius = lat.form.querySelector("input[name=" + element.dataset.radiusField + "]");
    var map = baseMap(element), circle = null, centre = null, handle = null;

    function handleAt() {
      var c = circle.getLatLng(), r = circle.getRadius();
      return L.latLng(c.lat, c.lng + r / (111320 * Math.cos(c.lat * Math.PI / 180)));
    }
    function draw() {
      var at = L.latLng(parseFloat(lat.value), parseFloat(lon.value)), r = parseFloat(radius.value);
      if (isNaN(at.lat) || isNaN(at.lng) || isNaN(r)) return;
      if (!circle) {
        map.fitBounds(at.toBounds(4 * r));
        circle = L.circle(at, { radius: r, className: "fence-edit" }).addTo(map);
        centre = L.marker(at, { draggable: true, title: "Centre: drag to move", alt: "geofence centre" }).addTo(map);
        handle = L.marker(handleAt(), { draggable: true, title: "Edge: drag to resize", alt: "geofence edge" }).addTo(map);
        centre.on("drag", function () { set(centre.getLatLng(), circle.getRadius()); });
        handle.on("drag", function () { set(circle.getLatLng(), circle.getLatLng().distanceTo(handle.getLatLng())); });
      }
      circle.setLatLng(at).setRadius(r);
      centre.setLatLng(at);
      handle.setLatLng(handleAt());
    }
    function set(at, r) {
      lat.value = at.lat.toFixed(6);
      lon.value = at.lng.toFixed(6);
      radius.value = Math.max(1, Math.round(r));
      draw();
    }
    map.on("click", function (e) { set(e.latlng, parseFloat(radius.value) || 100); });
    [lat, lon, radius].forEach(function (input) { input.addEventListener("input", draw); });
    draw();
    if (!circle) map.setView([parseFloat(element.dataset.lat) || 0, parseFloat(element.dataset.lon) || 0],
                             element.dataset.lat ? 13 : 2);
  }

  document.querySelectorAll(".day-map").forEach(dayMap);
  document.querySelectorAll(".fence-map").forEach(fenceEditor);
})();
