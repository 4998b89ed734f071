// The map beside the list: MapLibre GL JS over the instance's background (basemap.js: a configured style, else the
// communes of our own vector tiles), every site as a dot from our tiles (grouped at low zoom), and numbered markers for
// the results. Without a configured style no external server is needed.
import { Map, Marker, NavigationControl, Popup, LngLatBounds } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { baseStyle } from './basemap.js';

/** Our credits, and the configured background's when there is one. */
export function credits(ours, background) {
  return background ? `${ours} · Fond de carte : ${background}` : ours;
}

/** MapLibre's stylesheet, added only when the map is (the list must not wait for it). */
export function loadMapStyles() {
  if (document.querySelector('link[data-maplibre]')) return Promise.resolve();
  return new Promise((resolve) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/vendor/maplibre-gl/maplibre-gl.css' });
    link.dataset.maplibre = 'true';
    link.onload = link.onerror = resolve;
    document.head.append(link);
  });
}

/** The French labels of MapLibre's controls. */
export const LOCALE = {
  'NavigationControl.ZoomIn': 'Zoomer', 'NavigationControl.ZoomOut': 'Dézoomer',
  'NavigationControl.ResetBearing': 'Réorienter vers le nord',
  'AttributionControl.ToggleAttribution': 'Afficher les sources', 'Map.Title': 'Carte des lieux',
};

export async function createMap(container, { onSelect, onStatus }) {
  const [, background] = await Promise.all([loadMapStyles(), baseStyle()]);
  const origin = location.origin;
  const style = background.style;
  style.sources.sites = { type: 'vector', tiles: [`${origin}/tiles/sites/{z}/{x}/{y}.mvt`], maxzoom: 14 };
  style.layers.push({ id: 'lieux', type: 'circle', source: 'sites', 'source-layer': 'sites',
    paint: {
      'circle-color': '#4a4a55',
      'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 3.5, 10, 7, 100, 13],
      'circle-opacity': 0.75, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
    } });
  const map = new Map({
    container,
    attributionControl: { compact: true, customAttribution: credits('IGN, INSEE, ANCT, La MedNum', background.attribution) },
    center: [2.4, 46.6],
    zoom: 4.6,
    maxZoom: 17,
    locale: LOCALE,
    style,
  });
  container.dataset.basemap = background.basemap ? 'configured' : 'communes';
  map.addControl(new NavigationControl({ showCompass: false }));
  const markers = [];
  let results = [];

  map.on('click', 'lieux', (event) => {
    const feature = event.features?.[0];
    if (!feature) return;
    const id = feature.properties.id;
    if (id != null && results.some((r) => String(r.id) === String(id))) { onSelect(String(id)); return; }
    const count = feature.properties.count;
    const text = count > 1 ? `${count} lieux ici : zoomez pour les voir` : feature.properties.nom;
    new Popup({ closeButton: true }).setLngLat(event.lngLat).setText(text).addTo(map);
  });
  map.on('mouseenter', 'lieux', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'lieux', () => { map.getCanvas().style.cursor = ''; });
  map.on('error', () => onStatus('Une partie des données de la carte n\'a pas pu être chargée.'));

  const ready = new Promise((resolve) => map.once('load', () => map.once('idle', () => {
    document.body.dataset.mapReady = 'true';
    resolve();
  })));

  const api = {
    map,
    showResults(list, centre) {
      results = list;
      for (const m of markers.splice(0)) m.remove();
      for (const site of list) {
        if (site.latitude == null) continue;
        const el = document.createElement('div');
        el.className = 'marqueur';
        el.textContent = String(site.rank);
        el.dataset.id = site.id;
        el.setAttribute('aria-hidden', 'true'); // the list carries the same information for assistive technology
        el.addEventListener('click', (event) => { event.stopPropagation(); onSelect(String(site.id)); });
        markers.push(new Marker({ element: el }).setLngLat([site.longitude, site.latitude]).addTo(map));
      }
      const located = list.filter((s) => s.latitude != null).slice(0, 10);
      if (located.length) {
        const bounds = new LngLatBounds();
        located.forEach((s) => bounds.extend([s.longitude, s.latitude]));
        if (centre?.latitude != null) bounds.extend([centre.longitude, centre.latitude]); // not for a search by name
        map.fitBounds(bounds, { padding: 40, maxZoom: 14, duration: 0 });
      }
      onStatus(`${list.length} lieu${list.length > 1 ? 'x' : ''} numérotés sur la carte.`);
    },
    select(id) {
      for (const m of markers) m.getElement().classList.toggle('choisi', m.getElement().dataset.id === String(id));
      const site = results.find((s) => String(s.id) === String(id));
      if (site?.latitude != null) map.easeTo({ center: [site.longitude, site.latitude], zoom: Math.max(map.getZoom(), 13), duration: 0 });
      container.dataset.selected = String(id);
    },
  };
  return ready.then(() => api);
}
