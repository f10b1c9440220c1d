/* Results map: numbered markers for the in-person results, drawn with the vendored Leaflet.
   The basemap ships with the app: Census state outlines (and county lines when zoomed in) from
   the vendored us-atlas TopoJSON, decoded by the vendored topojson-client. A deployment with
   MAP_TILE_URL gets its tiles instead; no other server is ever contacted. One marker per place
   (clinicians at the same address share it); places close on screen are clustered into one
   marker that lists their numbers, which match the list. The list stays the primary view: the
   markers repeat it, so they are not in the tab order, and the map fails quietly without
   Leaflet. On small screens a List / Map switch shows one at a time. */
(function () {
  "use strict";
  var element = document.getElementById("results-map");
  var data = document.getElementById("map-data");
  if (!element || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent || "[]");
  if (!points.length) { return; }
  var CLUSTER_PIXELS = 40;  // a marker is 28 px tall and about as wide: closer ones overlap
  var COUNTY_ZOOM = 7;

  var places = [];
  var byKey = {};
  points.forEach(function (p) {
    var key = p.lat.toFixed(5) + "," + p.lon.toFixed(5);
    if (!byKey[key]) { byKey[key] = { lat: p.lat, lon: p.lon, items: [] }; places.push(byKey[key]); }
    byKey[key].items.push(p);
  });

  var tiles = element.getAttribute("data-tile-url");
  var map = L.map(element, { scrollWheelZoom: false, keyboard: false, maxZoom: tiles ? 18 : 12 });
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" })
      .addTo(map);
  } else {
    basemap(map, element);
  }

  function numbersOf(group) {
    var numbers = [];
    group.forEach(function (place) { place.items.forEach(function (p) { numbers.push(p.n); }); });
    return numbers.sort(function (a, b) { return a - b; });
  }

  function label(numbers) {
    return numbers.length <= 3 ? numbers.join(",") : numbers.slice(0, 2).join(",") + " +" + (numbers.length - 2);
  }

  function clusters() {
    var found = [];
    places.forEach(function (place) {
      var at = map.latLngToLayerPoint([place.lat, place.lon]);
      for (var i = 0; i < found.length; i++) {
        if (found[i].at.distanceTo(at) < CLUSTER_PIXELS) { found[i].places.push(place); return; }
      }
      found.push({ at: at, places: [place] });
    });
    return found;
  }

  var markers = L.layerGroup().addTo(map);
  function draw() {
    markers.clearLayers();
    clusters().forEach(function (cluster) {
      var numbers = numbersOf(cluster.places);
      var text = label(numbers);
      var names = [];
      cluster.places.forEach(function (place) {
        place.items.forEach(function (p) { names.push(p.n + ". " + p.name); });
      });
      var width = 14 + 9 * text.length;
      var icon = L.divIcon({
        className: "",
        html: '<span class="map-marker' + (cluster.places.length > 1 ? " map-cluster" : "") + '">' + text + "</span>",
        iconSize: [width, 28],
        iconAnchor: [width / 2, 14]
      });
      var first = cluster.places[0];
      var marker = L.marker([first.lat, first.lon], { icon: icon, keyboard: false, title: names.join("; ") });
      marker.on("click", function () {
        if (cluster.places.length > 1 && map.getZoom() < map.getMaxZoom()) {
          var bounds = cluster.places.map(function (p) { return [p.lat, p.lon]; });
          map.fitBounds(bounds, { padding: [40, 40], maxZoom: map.getZoom() + 3 });
          return;
        }
        var card = document.getElementById("result-" + numbers[0]);
        if (card) { showList(); card.scrollIntoView({ block: "start" }); }
      });
      markers.addLayer(marker);
    });
  }

  map.on("zoomend", draw);
  map.fitBounds(places.map(function (p) { return [p.lat, p.lon]; }), { padding: [30, 30], maxZoom: tiles ? 13 : 12 });
  draw();

  /* The basemap: land and state borders at once, county lines once zoomed in far enough. */
  function basemap(map, element) {
    var statesUrl = element.getAttribute("data-states");
    var countiesUrl = element.getAttribute("data-counties");
    if (!statesUrl || typeof topojson === "undefined" || !window.fetch) { return; }
    map.attributionControl.addAttribution(element.getAttribute("data-basemap-credit") || "");
    var land = map.createPane("land");
    land.style.zIndex = 200;
    fetch(statesUrl).then(function (r) { return r.json(); }).then(function (us) {
      L.geoJSON(topojson.feature(us, us.objects.states), {
        pane: "land", interactive: false,
        style: { color: "#8a939c", weight: 1, fillColor: "#fbfaf6", fillOpacity: 1 }
      }).addTo(map);
    }).catch(function () { /* the markers still show on the plain background */ });
    var counties = null;
    function maybeCounties() {
      if (counties || !countiesUrl || map.getZoom() < COUNTY_ZOOM) { return; }
      counties = fetch(countiesUrl).then(function (r) { return r.json(); }).then(function (us) {
        var inner = topojson.mesh(us, us.objects.counties, function (a, b) { return a !== b; });
        L.geoJSON(inner, {
          pane: "land", interactive: false,
          style: { color: "#c2c7cc", weight: 0.8, dashArray: "3 3", fill: false }
        }).addTo(map);
      }).catch(function () { counties = null; });
    }
    map.on("zoomend", maybeCounties);
    map.whenReady(maybeCounties);
  }

  /* List / Map on small screens: one view at a time, the list first. */
  var toggle = document.getElementById("view-toggle");
  var layout = document.querySelector(".results-layout");
  var small = window.matchMedia ? window.matchMedia("(max-width: 63.99rem)") : null;
  function press(which) {
    toggle.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === which));
    });
    layout.setAttribute("data-view", which);
    if (which === "map") { map.invalidateSize(); }
  }
  function showList() { if (toggle && !toggle.hidden) { press("list"); } }
  if (toggle && layout && small) {
    var apply = function () {
      toggle.hidden = !small.matches;
      if (small.matches) { press(layout.getAttribute("data-view") || "list"); }
      else { layout.removeAttribute("data-view"); map.invalidateSize(); }
    };
    toggle.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-view]");
      if (button) { press(button.getAttribute("data-view")); }
    });
    if (small.addEventListener) { small.addEventListener("change", apply); }
    apply();
  }
})();
