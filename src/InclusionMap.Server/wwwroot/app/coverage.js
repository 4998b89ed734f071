// Coordinators' page: one département's people in need, their distance to help, the gaps and where to open a site.
import { graphql, element } from './api.js';

const select = document.getElementById('departement');
const threshold = document.getElementById('seuil');
const indicator = document.getElementById('indicateur');
const status = document.getElementById('etat');
const table = document.getElementById('tableau');
const summary = document.getElementById('resume');
const SCALES = {
  taux: { property: 'illectronism', label: 'Illectronisme estimé', steps: [[0, '#fef0d9'], [0.12, '#fdcc8a'], [0.16, '#fc8d59'], [0.20, '#e34a33'], [0.25, '#b30000']], format: (v) => `${Math.round(v * 100)} %` },
  personnes: { property: 'people_in_need', label: 'Personnes en difficulté', steps: [[0, '#f2f0f7'], [50, '#cbc9e2'], [200, '#9e9ac8'], [1000, '#756bb1'], [5000, '#54278f']], format: (v) => v.toLocaleString('fr-FR') },
};
const fr = (n, digits = 0) => Number(n).toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: digits });
let map = null;
let current = null;

const { departements } = await graphql('{ departements { code name } }');
select.append(...departements.map((d) => element('option', { value: d.code }, `${d.code} — ${d.name}`)));
const params = new URLSearchParams(location.search);
if (params.get('seuil')) threshold.value = params.get('seuil');
if (params.get('carte')) indicator.value = params.get('carte');
legend();

select.addEventListener('change', () => show(select.value));
threshold.addEventListener('change', () => show(select.value));
indicator.addEventListener('change', () => { legend(); remember(); if (current) map?.show(current); });
if (params.get('departement')) { select.value = params.get('departement'); await show(select.value); }
document.body.dataset.ready = 'true';

function remember() {
  history.replaceState(null, '', `?departement=${encodeURIComponent(select.value)}&seuil=${threshold.value}&carte=${indicator.value}`);
}

function legend() {
  const scale = SCALES[indicator.value];
  document.getElementById('legende').replaceChildren(...scale.steps.map(([from, color], i) =>
    element('li', {}, element('span', { style: { background: color } }),
      i + 1 < scale.steps.length ? `${scale.format(from)} à ${scale.format(scale.steps[i + 1][0])}` : `${scale.format(from)} et plus`)),
  element('li', {}, element('span', { class: 'legende-lacune' }), 'commune éloignée de l\'aide'),
  element('li', {}, element('span', { class: 'legende-suggestion' }), 'lieu suggéré'));
}

async function pages(query, variables, pick) {
  const rows = [];
  let after = null;
  do {
    const page = pick(await graphql(query, { ...variables, after }));
    rows.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return rows;
}

async function show(code) {
  if (!code) return;
  remember();
  status.textContent = 'Chargement…';
  const seuil = Number(threshold.value);
  const [{ coverage }, communes, sites] = await Promise.all([
    graphql(`query($d: String!, $t: Float!) { coverage(departementCode: $d, maxDistanceMeters: $t, suggest: 3) {
      summary { communes population peopleInNeed peopleInNeedBeyond shareBeyond sites sitesPer10000InNeed medianDistanceMeters coveredBefore coveredAfter }
      communes(first: 1000) { code name population peopleInNeed illectronismRate nearestDistanceMeters beyond accessibility }
      suggestions { rank communeCode communeName peopleNewlyCovered coveredAfter location } } }`, { d: code, t: seuil }),
    pages(`query($d: String!, $after: String) { communes(departementCode: $d, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { code siteCount illectronism { low high } } } }`, { d: code }, (r) => r.communes),
    pages(`query($d: String!, $after: String) { sites(departementCode: $d, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { id nom adresse codePostal communeName latitude longitude services } } }`, { d: code }, (r) => r.sites),
  ]);
  const extra = new Map(communes.map((c) => [c.code, c]));
  const rows = coverage.communes.map((c) => ({ ...c, ...extra.get(c.code) }));
  // Gaps first (most people in need beyond the threshold), then every other commune by people in need.
  rows.sort((a, b) => (b.beyond - a.beyond) || (b.peopleInNeed - a.peopleInNeed));
  const s = coverage.summary;
  summary.textContent = `${fr(s.communes)} communes, ${fr(s.population)} habitants, ${fr(sites.length)} lieux. `
    + `Environ ${fr(s.peopleInNeed)} personnes en difficulté avec le numérique (estimation) ; `
    + `${fr(s.peopleInNeedBeyond)} (${fr(s.shareBeyond * 100, 1)} %) vivent à plus de ${fr(seuil / 1000)} km d'un lieu. `
    + `${fr(s.sitesPer10000InNeed, 1)} lieux pour 10 000 personnes en difficulté ; distance médiane au lieu le plus proche : ${fr(s.medianDistanceMeters / 1000, 1)} km. `
    + `${fr(rows.filter((c) => c.siteCount === 0).length)} communes sans lieu.`;
  document.getElementById('suggestions').replaceChildren(...(coverage.suggestions.length ? coverage.suggestions.map((p) =>
    element('li', {}, `${p.communeName} (${p.communeCode}) : ${fr(p.peopleNewlyCovered)} personnes en difficulté de plus à moins de ${fr(seuil / 1000)} km`))
    : [element('li', {}, 'Aucun nouveau lieu ne rapprocherait davantage de personnes.')]));
  table.replaceChildren(element('table', {},
    element('caption', { class: 'visuellement-cache' }, 'Communes : d\'abord celles éloignées de l\'aide, par nombre de personnes en difficulté'),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, 'Commune'), element('th', { scope: 'col', class: 'nombre' }, 'Habitants'),
      element('th', { scope: 'col', class: 'nombre' }, 'Illectronisme estimé'), element('th', { scope: 'col', class: 'nombre' }, 'Personnes en difficulté'),
      element('th', { scope: 'col', class: 'nombre' }, 'Lieu le plus proche'), element('th', { scope: 'col', class: 'nombre' }, 'Lieux'))),
    element('tbody', {}, rows.slice(0, 200).map((c) => element('tr', c.beyond ? { class: 'lacune' } : {},
      element('th', { scope: 'row' }, `${c.name} (${c.code})`),
      element('td', { class: 'nombre' }, fr(c.population)),
      element('td', { class: 'nombre', title: c.illectronism ? `entre ${fr(c.illectronism.low * 100, 1)} et ${fr(c.illectronism.high * 100, 1)} %` : '' },
        c.illectronismRate == null ? '—' : `${fr(c.illectronismRate * 100, 1)} %`),
      element('td', { class: 'nombre' }, fr(c.peopleInNeed)),
      element('td', { class: 'nombre' }, c.nearestDistanceMeters == null ? '—' : `${fr(c.nearestDistanceMeters / 1000, 1)} km${c.beyond ? ' (trop loin)' : ''}`),
      element('td', { class: 'nombre' }, String(c.siteCount ?? 0)))))));
  if (rows.length > 200) table.append(element('p', {}, `Les 200 premières communes sur ${rows.length} ; le fichier CSV les contient toutes.`));
  exportLinks(code, sites, seuil);
  status.textContent = `Département ${code} : ${rows.length} communes et ${sites.length} lieux.`;
  current = { code, sites, gaps: rows.filter((c) => c.beyond).map((c) => c.code), suggestions: coverage.suggestions };
  if (!map) await loadMap();
  map?.show(current);
}

function exportLinks(code, sites, seuil) {
  // The table comes from the server's CSV writer, which neutralises cells a spreadsheet would run as formulas.
  const geojson = { type: 'FeatureCollection', features: sites.filter((s) => s.longitude != null).map((s) => ({
    type: 'Feature', geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] },
    properties: { id: s.id, nom: s.nom, adresse: s.adresse, code_postal: s.codePostal, commune: s.communeName, services: s.services } })) };
  const csvLink = document.getElementById('export-csv');
  csvLink.href = `/coverage/${encodeURIComponent(code)}.csv?maxDistance=${seuil}`;
  csvLink.download = `couverture-${code}.csv`;
  const geoLink = document.getElementById('export-geojson');
  geoLink.href = URL.createObjectURL(new Blob([JSON.stringify(geojson)], { type: 'application/geo+json' }));
  geoLink.download = `lieux-${code}.geojson`;
  const analysis = document.getElementById('export-analyse');
  analysis.href = `/coverage/${encodeURIComponent(code)}.geojson?maxDistance=${seuil}`;
  analysis.download = `analyse-${code}.geojson`;
  const png = document.getElementById('export-png');
  png.href = `/maps/coverage/${encodeURIComponent(code)}.png?maxDistance=${seuil}`;
  png.download = `carte-couverture-${code}.png`;
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
      show({ code, sites, gaps, suggestions }) {
        for (const id of ['choroplethe', 'limites', 'lacunes', 'lieux', 'suggestions']) if (m.getLayer(id)) m.removeLayer(id);
        for (const id of ['communes', 'lieux', 'suggestions']) if (m.getSource(id)) m.removeSource(id);
        const scale = SCALES[indicator.value];
        m.addSource('communes', { type: 'vector', tiles: [`${origin}/tiles/communes/{z}/{x}/{y}.mvt?departement=${encodeURIComponent(code)}`], minzoom: 0, maxzoom: 14 });
        m.addLayer({ id: 'choroplethe', type: 'fill', source: 'communes', 'source-layer': 'communes',
          paint: { 'fill-color': ['step', ['coalesce', ['get', scale.property], 0], ...scale.steps.flatMap(([from, color], i) => (i === 0 ? [color] : [from, color]))], 'fill-opacity': 0.85 } });
        m.addLayer({ id: 'limites', type: 'line', source: 'communes', 'source-layer': 'communes', paint: { 'line-color': '#ffffff', 'line-width': 0.6 } });
        m.addLayer({ id: 'lacunes', type: 'line', source: 'communes', 'source-layer': 'communes', filter: ['in', ['get', 'code'], ['literal', gaps]],
          paint: { 'line-color': '#1b1b1b', 'line-width': 2 } });
        m.addSource('lieux', { type: 'geojson', data: { type: 'FeatureCollection', features: sites.filter((s) => s.longitude != null)
          .map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] }, properties: { nom: s.nom } })) } });
        m.addLayer({ id: 'lieux', type: 'circle', source: 'lieux', paint: { 'circle-radius': 4, 'circle-color': '#0b6e4f', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } });
        m.addSource('suggestions', { type: 'geojson', data: { type: 'FeatureCollection', features: suggestions.map((p) => ({ type: 'Feature', geometry: p.location, properties: { rang: p.rank } })) } });
        m.addLayer({ id: 'suggestions', type: 'circle', source: 'suggestions', paint: { 'circle-radius': 8, 'circle-color': '#ffffff', 'circle-stroke-color': '#6a1b9a', 'circle-stroke-width': 3 } });
        const located = sites.filter((s) => s.longitude != null);
        if (located.length) {
          const bounds = new LngLatBounds();
          located.forEach((s) => bounds.extend([s.longitude, s.latitude]));
          m.fitBounds(bounds, { padding: 30, duration: 0 });
        }
        m.once('idle', () => { document.body.dataset.mapReady = 'true'; });
        document.getElementById('carte-etat').textContent = `${scale.label} par commune, ${located.length} lieux (points verts), `
          + `${gaps.length} communes éloignées de l'aide (contour noir) et ${suggestions.length} lieux suggérés (cercles violets).`;
      },
    };
  } catch {
    document.body.dataset.mapState = 'failed';
    document.getElementById('carte-etat').textContent = "La carte n'est pas disponible sur cet appareil ; le tableau reste complet.";
  }
}
