// Coordinators' page: one département's communes (population, density, places) as a table and a choropleth.
import { graphql, element } from './api.js';

const select = document.getElementById('departement');
const status = document.getElementById('etat');
const table = document.getElementById('tableau');
const summary = document.getElementById('resume');
const DENSITY = [[0, '#f1eef6'], [20, '#bdc9e1'], [50, '#74a9cf'], [150, '#2b8cbe'], [500, '#045a8d']];
let map = null;

const { departements } = await graphql('{ departements { code name } }');
select.append(...departements.map((d) => element('option', { value: d.code }, `${d.code} — ${d.name}`)));
document.getElementById('legende').append(...DENSITY.map(([from, color], i) =>
  element('li', {}, element('span', { style: `background:${color}` }),
    i + 1 < DENSITY.length ? `${from} à ${DENSITY[i + 1][0]}` : `${from} et plus`)));

select.addEventListener('change', () => show(select.value));
const initial = new URLSearchParams(location.search).get('departement');
if (initial) { select.value = initial; await show(initial); }
document.body.dataset.ready = 'true';

async function allCommunes(code) {
  const rows = [];
  let after = null;
  do {
    const { communes } = await graphql(`query($d: String!, $after: String) { communes(departementCode: $d, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { code name population density siteCount } } }`, { d: code, after });
    rows.push(...communes.nodes);
    after = communes.pageInfo.hasNextPage ? communes.pageInfo.endCursor : null;
  } while (after);
  return rows;
}

async function allSites(code) {
  const sites = [];
  let after = null;
  do {
    const { sites: page } = await graphql(`query($d: String!, $after: String) { sites(departementCode: $d, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { id nom adresse codePostal communeName latitude longitude services } } }`, { d: code, after });
    sites.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return sites;
}

async function show(code) {
  if (!code) return;
  history.replaceState(null, '', `?departement=${encodeURIComponent(code)}`);
  status.textContent = 'Chargement…';
  const [communes, sites] = await Promise.all([allCommunes(code), allSites(code)]);
  communes.sort((a, b) => (a.siteCount > 0) - (b.siteCount > 0) || (b.population ?? 0) - (a.population ?? 0));
  const population = communes.reduce((s, c) => s + (c.population ?? 0), 0);
  const without = communes.filter((c) => c.siteCount === 0);
  const withoutPopulation = without.reduce((s, c) => s + (c.population ?? 0), 0);
  summary.textContent = `${communes.length.toLocaleString('fr-FR')} communes, ${population.toLocaleString('fr-FR')} habitants, ${sites.length.toLocaleString('fr-FR')} lieux. `
    + `${without.length.toLocaleString('fr-FR')} communes sans lieu, où vivent ${withoutPopulation.toLocaleString('fr-FR')} habitants.`;
  table.replaceChildren(element('table', {},
    element('caption', { class: 'visuellement-cache' }, 'Communes du département : les communes sans lieu d\'abord, puis par population'),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, 'Commune'), element('th', { scope: 'col', class: 'nombre' }, 'Habitants'),
      element('th', { scope: 'col', class: 'nombre' }, 'Habitants au km²'), element('th', { scope: 'col', class: 'nombre' }, 'Lieux'))),
    element('tbody', {}, communes.slice(0, 200).map((c) => element('tr', {},
      element('th', { scope: 'row' }, `${c.name} (${c.code})`),
      element('td', { class: 'nombre' }, (c.population ?? 0).toLocaleString('fr-FR')),
      element('td', { class: 'nombre' }, c.density == null ? '—' : Math.round(c.density).toLocaleString('fr-FR')),
      element('td', { class: 'nombre' }, String(c.siteCount)))))));
  if (communes.length > 200) table.append(element('p', {}, `Les 200 premières communes sur ${communes.length} ; le fichier CSV les contient toutes.`));
  exportLinks(code, communes, sites);
  status.textContent = `Département ${code} : ${communes.length} communes et ${sites.length} lieux.`;
  if (!map) await loadMap();
  map?.show(code, sites);
}

function exportLinks(code, communes, sites) {
  const csv = ['code_insee,commune,population,habitants_km2,lieux']
    .concat(communes.map((c) => [c.code, `"${c.name.replaceAll('"', '""')}"`, c.population ?? '', c.density == null ? '' : c.density.toFixed(1), c.siteCount].join(',')))
    .join('\r\n');
  const geojson = { type: 'FeatureCollection', features: sites.filter((s) => s.longitude != null).map((s) => ({
    type: 'Feature', geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] },
    properties: { id: s.id, nom: s.nom, adresse: s.adresse, code_postal: s.codePostal, commune: s.communeName, services: s.services } })) };
  const csvLink = document.getElementById('export-csv');
  csvLink.href = URL.createObjectURL(new Blob(['\uFEFF' + csv], { type: 'text/csv;charset=utf-8' }));
  csvLink.download = `communes-${code}.csv`;
  const geoLink = document.getElementById('export-geojson');
  geoLink.href = URL.createObjectURL(new Blob([JSON.stringify(geojson)], { type: 'application/geo+json' }));
  geoLink.download = `lieux-${code}.geojson`;
  document.getElementById('exports').hidden = false;
}

async function loadMap() {
  try {
    const [{ Map, NavigationControl, LngLatBounds }, { loadMapStyles }] = await Promise.all([
      import('/vendor/maplibre-gl/maplibre-gl.mjs'), import('./map.js')]);
    await loadMapStyles();
    const origin = location.origin;
    const m = new Map({
      container: 'carte', center: [2.4, 46.6], zoom: 5, attributionControl: { compact: true, customAttribution: 'IGN, INSEE, ANCT' },
      locale: { 'NavigationControl.ZoomIn': 'Zoomer', 'NavigationControl.ZoomOut': 'Dézoomer', 'Map.Title': 'Carte du département' },
      style: { version: 8, sources: {}, layers: [{ id: 'fond', type: 'background', paint: { 'background-color': '#e8ecf2' } }] },
    });
    m.addControl(new NavigationControl({ showCompass: false }));
    await new Promise((resolve) => m.once('load', resolve));
    map = {
      show(code, sites) {
        for (const id of ['densite', 'limites', 'lieux']) if (m.getLayer(id)) m.removeLayer(id);
        for (const id of ['communes', 'lieux']) if (m.getSource(id)) m.removeSource(id);
        m.addSource('communes', { type: 'vector', tiles: [`${origin}/tiles/communes/{z}/{x}/{y}.mvt?departement=${encodeURIComponent(code)}`], minzoom: 0, maxzoom: 14 });
        m.addLayer({ id: 'densite', type: 'fill', source: 'communes', 'source-layer': 'communes',
          paint: { 'fill-color': ['step', ['coalesce', ['get', 'density'], 0], ...DENSITY.flatMap(([from, color], i) => (i === 0 ? [color] : [from, color]))], 'fill-opacity': 0.85 } });
        m.addLayer({ id: 'limites', type: 'line', source: 'communes', 'source-layer': 'communes', paint: { 'line-color': '#ffffff', 'line-width': 0.6 } });
        m.addSource('lieux', { type: 'geojson', data: { type: 'FeatureCollection', features: sites.filter((s) => s.longitude != null)
          .map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] }, properties: { nom: s.nom } })) } });
        m.addLayer({ id: 'lieux', type: 'circle', source: 'lieux', paint: { 'circle-radius': 4, 'circle-color': '#a4161a', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } });
        const located = sites.filter((s) => s.longitude != null);
        if (located.length) {
          const bounds = new LngLatBounds();
          located.forEach((s) => bounds.extend([s.longitude, s.latitude]));
          m.fitBounds(bounds, { padding: 30, duration: 0 });
        }
        m.once('idle', () => { document.body.dataset.mapReady = 'true'; });
        document.getElementById('carte-etat').textContent = `Densité de population par commune et ${located.length} lieux (points rouges).`;
      },
    };
  } catch {
    document.body.dataset.mapState = 'failed';
    document.getElementById('carte-etat').textContent = "La carte n'est pas disponible sur cet appareil ; le tableau reste complet.";
  }
}
