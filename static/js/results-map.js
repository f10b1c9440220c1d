/* Results map: numbered markers for the in-person results, drawn with the vendored Leaflet.
   Tiles come only from the configured MAP_TILE_URL; without one the markers sit on a plain
   background. The list stays the primary view: markers repeat it, so they are not in the tab
   order, and the map fails quietly when Leaflet is missing. */
(function () {
  "use strict";
  var element = document.getElementById("results-map");
  var data = document.getElementById("map-data");
  if (!element || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent || "[]");
  if (!points.length) { return; }

  // Clinicians at the same address share one marker labelled with all their numbers.
  var places = {};
  var order = [];
  points.forEach(function (p) {
    var key = p.lat.toFixed(5) + "," + p.lon.toFixed(5);
    if (!places[key]) { places[key] = { lat: p.lat, lon: p.lon, items: [] }; order.push(key); }
    places[key].items.push(p);
  });

  var map = L.map(element, { scrollWheelZoom: false, keyboard: false });
  var tiles = element.getAttribute("data-tile-url");
  if (tiles) {
    L.tileLayer(tiles, {
      maxZoom: 18,
      attribution: element.getAttribute("data-attribution") || ""
    }).addTo(map);
  }
  var bounds = [];
  order.forEach(function (key) {
    var place = places[key];
    var numbers = place.items.map(function (p) { return p.n; });
    var title = place.items.map(function (p) { return p.n + ". " + p.name; }).join("; ");
    var width = 12 + 16 * numbers.join(",").length;
    var icon = L.divIcon({
      className: "",
      html: '<span class="map-marker">' + numbers.join(",") + "</span>",
      iconSize: [width, 28],
      iconAnchor: [width / 2, 14]
    });
    var marker = L.marker([place.lat, place.lon], { icon: icon, keyboard: false, title: title });
    marker.on("click", function () {
      var card = document.getElementById("result-" + numbers[0]);
      if (card) { card.scrollIntoView({ block: "start" }); }
    });
    marker.addTo(map);
    bounds.push([place.lat, place.lon]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
})();
