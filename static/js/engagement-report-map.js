// The report form's optional map: a click (or the "use the centre" button, for keyboard
// users) fills the hidden latitude and longitude fields. The postcode and description
// fields always work without it; without JavaScript the map stays hidden.
import "../leaflet/leaflet.js";

const DEFAULT_CENTRE = [54.5236, -1.5595];

for (const container of document.querySelectorAll('[data-module="app-report-map"]')) {
  const form = container.closest("form");
  const lat = form.querySelector('input[name="latitude"]');
  const lng = form.querySelector('input[name="longitude"]');
  const status = container.querySelector("[data-map-status]");
  container.hidden = false;
  // The council's own area (the middle of its postcodes) when it is known.
  const centre = container.dataset.centre ? container.dataset.centre.split(",").map(Number) : DEFAULT_CENTRE;
  const start = lat.value && lng.value ? [Number(lat.value), Number(lng.value)] : centre;
  const map = window.L.map(container.querySelector("#report-map"), { keyboard: true }).setView(start, 15);
  if (container.dataset.tileUrl) {
    window.L.tileLayer(container.dataset.tileUrl, {
      attribution: container.dataset.tileAttribution,
      maxZoom: 19,
    }).addTo(map);
  }
  let marker = null;
  const choose = (point) => {
    const latitude = point.lat.toFixed(6);
    const longitude = point.lng.toFixed(6);
    lat.value = latitude;
    lng.value = longitude;
    if (marker) marker.setLatLng(point);
    else marker = window.L.marker(point, { keyboard: false }).addTo(map);
    status.textContent = `Point chosen on the map: ${latitude}, ${longitude}.`;
  };
  if (lat.value && lng.value) choose(window.L.latLng(start));
  map.on("click", (event) => choose(event.latlng));
  container.querySelector("[data-map-centre]").addEventListener("click", () => choose(map.getCenter()));
}
