// The community map: markers from the GeoJSON endpoint (the same filters as the list),
// clustered, reachable by keyboard. The list beneath holds everything the map shows, so
// the page works without the map, without JavaScript and without map tiles.
const element = document.querySelector('[data-module="app-asset-map"]');

function popupFor(properties) {
  const box = document.createElement("div");
  const title = document.createElement("p");
  title.className = "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1";
  title.textContent = properties.name;
  const meta = document.createElement("p");
  meta.className = "govuk-body-s govuk-!-margin-bottom-1";
  meta.textContent = `${properties.category_label} · ${properties.area}`;
  const link = document.createElement("a");
  link.className = "govuk-link govuk-body-s";
  link.href = `#${properties.anchor}`;
  link.textContent = "Details in the list";
  link.addEventListener("click", () => {
    const item = document.getElementById(properties.anchor);
    if (item) window.setTimeout(() => item.focus(), 0);
  });
  box.append(title, meta, link);
  return box;
}

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
  const outer = document.createElement("div");
  const inner = document.createElement("span");
  inner.textContent = String(count);
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = " places here: press Enter to zoom in";
  inner.append(hidden);
  outer.append(inner);
  return window.L.divIcon({
    html: outer.outerHTML,
    className: `marker-cluster marker-cluster-${size}`,
    iconSize: window.L.point(40, 40),
  });
}

async function start() {
  const L = window.L;
  if (!element || !L) return;
  const map = L.map(element, { keyboard: true, scrollWheelZoom: false }).setView([54.0, -2.0], 6);
  L.tileLayer(element.dataset.tileUrl, {
    attribution: element.dataset.tileAttribution,
    maxZoom: 19,
  }).addTo(map);
  const clusters = L.markerClusterGroup({ iconCreateFunction: clusterIcon });
  const response = await fetch(element.dataset.geojsonUrl, {
    headers: { Accept: "application/geo+json" },
    credentials: "same-origin",
  });
  if (!response.ok) return;
  const data = await response.json();
  const positions = [];
  for (const feature of data.features) {
    const [longitude, latitude] = feature.geometry.coordinates;
    positions.push([latitude, longitude]);
    const marker = L.marker([latitude, longitude], {
      title: feature.properties.name,
      alt: `${feature.properties.name}, ${feature.properties.category_label}`,
      keyboard: true,
    });
    marker.bindPopup(() => popupFor(feature.properties));
    clusters.addLayer(marker);
  }
  element.dataset.markers = String(data.features.length);
  if (positions.length) {
    // Zoom first, then add the markers: a cluster group on the map animates its re-clustering
    // after a zoom and replaces its icons a moment later, taking a keyboard's focus with them.
    // Padding wider than a cluster icon, so that none is clipped at the map's edge (a clipped
    // icon is a target too small to press).
    map.fitBounds(L.latLngBounds(positions), { padding: [56, 56], maxZoom: 16, animate: false });
  }
  map.addLayer(clusters);
  element.dataset.ready = "true";
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
