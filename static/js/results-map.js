/* Results map: numbered markers for the in-person results, drawn with the vendored Leaflet.
   Tiles come only from the configured MAP_TILE_URL; without one the markers sit on a plain
   background. The list stays the primary view, so the map is skipped by keyboard and screen
   readers (it repeats the list) and fails quietly when Leaflet is missing. */
(function () {
  "use strict";
  var element = document.getElementById("results-map");
  var data = document.getElementById("map-data");
  if (!element || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent || "[]");
  if (!points.length) { return; }

  var map = L.map(element, { scrollWheelZoom: false, keyboard: false, attributionControl: true });
  var tiles = element.getAttribute("data-tile-url");
  if (tiles) {
    L.tileLayer(tiles, {
      maxZoom: 18,
      attribution: element.getAttribute("data-attribution") || ""
    }).addTo(map);
  }
  var bounds = [];
  points.forEach(function (p) {
    var icon = L.divIcon({ className: "", html: '<span class="map-marker">' + p.n + "</span>",
                           iconSize: [28, 28], iconAnchor: [14, 14] });
    var marker = L.marker([p.lat, p.lon], { icon: icon, keyboard: false, title: p.n + ". " + p.name,
                                            alt: "" });
    marker.on("click", function () {
      var card = document.getElementById("result-" + p.n);
      if (card) { card.scrollIntoView({ block: "start" }); }
    });
    marker.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
})();
