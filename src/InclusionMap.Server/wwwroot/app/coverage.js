// Coordinators' page: one département's people in need, their distance to help, the gaps and where to open a site, for
// what the coordinator counts as help (services, national programmes); the département's figures beside its région's
// and France's. Every figure says what it is and where it comes from, where it appears. The whole state is in the URL.
import { graphql, element, vocabularies } from './api.js';

const select = document.getElementById('departement');
const threshold = document.getElementById('seuil');
const indicator = document.getElementById('indicateur');
const status = document.getElementById('etat');
const table = document.getElementById('tableau');
const summary = document.getElementById('resume');
const helpChoice = document.getElementById('aide-choix');

const fr = (n, digits = 0) => Number(n).toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percent = (v, digits = 1) => `${fr(v * 100, digits)} %`;

const SOURCE_ESTIMATE = "Source : estimation InclusionMap d'après le recensement de l'INSEE, calée sur le taux national publié par "
  + "l'INSEE (15,4 % en 2021).";
const SOURCE_IFN = 'Source : Indice de Fragilité Numérique — La Mednum.';

/** The map's indicators: where the value is read, its colours, and what it means. */
const SCALES = {
  taux: {
    property: 'illectronism', label: 'Illectronisme estimé',
    steps: [[0, '#fef0d9'], [0.12, '#fdcc8a'], [0.16, '#fc8d59'], [0.20, '#e34a33'], [0.25, '#b30000']],
    format: (v) => `${Math.round(v * 100)} %`,
    definition: "Part des habitants de 15 ans et plus qui n'utilisent pas internet ou n'ont aucune compétence numérique de base. "
      + SOURCE_ESTIMATE,
  },
  personnes: {
    property: 'people_in_need', label: 'Personnes en difficulté',
    steps: [[0, '#f2f0f7'], [50, '#cbc9e2'], [200, '#9e9ac8'], [1000, '#756bb1'], [5000, '#54278f']],
    format: (v) => fr(v),
    definition: 'Nombre estimé de personnes de 15 ans et plus en difficulté avec le numérique dans la commune. ' + SOURCE_ESTIMATE,
  },
  ifn: {
    property: 'ifn', label: 'Indice de fragilité numérique',
    steps: [[0, '#edf8fb'], [4, '#b3cde3'], [6, '#8c96c6'], [7.5, '#8856a7'], [9, '#810f7c']],
    format: (v) => `${fr(v, 1)} sur 10`,
    definition: 'Note de 0 à 10 du risque de fragilité numérique de la commune (couverture internet, pauvreté, âge, diplôme) ; '
      + "10 = le plus fragile. Ce n'est pas une part de personnes, et il ne se mélange pas à notre estimation. " + SOURCE_IFN,
  },
  acces: {
    // Not in the tiles: computed by the analysis for what counts as help, coloured by commune code.
    analysis: 'accessibility', label: "Accessibilité de l'aide",
    steps: [[0, '#b30000'], [10, '#e34a33'], [20, '#fc8d59'], [30, '#fdcc8a'], [40, '#fef0d9']],
    format: (v) => `${fr(v)} h`,
    definition: "Heures d'ouverture par semaine des lieux à portée (jusqu'à 20 km, les plus proches comptant davantage) pour "
      + "1 000 personnes en difficulté : plus c'est bas, moins l'aide disponible suffit aux besoins. Source : calcul InclusionMap "
      + "(méthode E2SFCA, celle de la DREES pour l'accès aux médecins) sur les horaires des lieux et l'estimation de l'illectronisme.",
  },
};

/** The figures of a territory (GraphQL TerritoryFigures), in the order shown, each with its definition and source. */
const FIGURES = [
  { field: 'population', label: 'Habitants', format: (v) => fr(v),
    definition: 'Population municipale (INSEE, populations légales), additionnée sur les communes.' },
  { field: 'peopleInNeed', label: 'Personnes en difficulté avec le numérique', format: (v) => fr(v),
    definition: 'Estimation du nombre de personnes de 15 ans et plus en illectronisme. ' + SOURCE_ESTIMATE },
  { field: 'illectronismRate', label: 'Illectronisme estimé', format: (v) => percent(v),
    definition: 'Les personnes en difficulté rapportées aux habitants de 15 ans et plus. ' + SOURCE_ESTIMATE },
  { field: 'sites', label: "Lieux d'aide au numérique", format: (v) => fr(v),
    definition: "Tous les lieux du catalogue sur le territoire. Source : ANCT (France Services, conseillers numériques), La MedNum "
      + 'et producteurs régionaux.' },
  { field: 'sitesPer10000InNeed', label: 'Lieux pour 10 000 personnes en difficulté', format: (v) => fr(v, 1),
    definition: 'Le nombre de lieux rapporté aux personnes en difficulté : plus il est élevé, plus l\'offre est dense.' },
  { field: 'ifnMean', label: 'Indice de fragilité numérique moyen', format: (v) => `${fr(v, 1)} sur 10`,
    definition: 'La note de 0 à 10 des communes (10 = le plus fragile), pondérée par leur population. ' + SOURCE_IFN },
];
const FIGURE_FIELDS = `code name ${FIGURES.map((f) => f.field).join(' ')}`;

/** The columns of the communes' table, explained below it. */
const COLUMNS = [
  ['Habitants', 'Population municipale de la commune (INSEE).'],
  ['Illectronisme estimé', SCALES.taux.definition + " Le survol de la cellule donne l'intervalle plausible."],
  ['Personnes en difficulté', SCALES.personnes.definition],
  ['Lieu le plus proche', "Distance à vol d'oiseau du centre de la commune au lieu qui compte comme aide le plus proche, même dans un "
    + 'autre département ; « trop loin » au-delà de la distance choisie.'],
  ['Accessibilité (h / 1 000)', SCALES.acces.definition],
  ['Lieux', 'Nombre de lieux du catalogue dans la commune (tous les lieux).'],
];

let map = null;
let current = null;
let generation = 0;
let vocab = null;

// ---- What counts as help ----

async function buildHelpChoice() {
  vocab = await vocabularies();
  const group = (legendText, name, entries) => element('fieldset', {}, element('legend', {}, legendText),
    entries.map((e) => element('div', { class: 'choix' },
      element('input', { type: 'checkbox', id: `${name}-${e.value}`, name, value: e.value }),
      element('label', { for: `${name}-${e.value}` }, e.label))));
  document.getElementById('aide-contenu').append(
    group('Services', 'services', vocab.services), group('Dispositifs nationaux', 'programmes', vocab.programmes));
}

function checked(name) {
  return [...document.querySelectorAll(`#aide-contenu input[name="${name}"]:checked`)].map((i) => i.value);
}

function helpText() {
  const names = (values) => values.map((v) => vocab?.labels[v] ?? v).join(', ');
  const services = checked('services');
  const programmes = checked('programmes');
  if (!services.length && !programmes.length) return 'tous les lieux';
  return [services.length ? `lieux offrant ${names(services)}` : 'tous les lieux',
    programmes.length ? `relevant de ${names(programmes)}` : null].filter(Boolean).join(', ');
}

function describeHelp() {
  document.getElementById('aide-resume').textContent = helpText();
}

function helpQuery() {
  const query = new URLSearchParams();
  for (const name of ['services', 'programmes']) if (checked(name).length) query.set(name, checked(name).join(','));
  return query;
}

function remember() {
  const query = new URLSearchParams({ departement: select.value, seuil: threshold.value, carte: indicator.value });
  for (const [k, v] of helpQuery()) query.set(k, v);
  history.replaceState(null, '', `?${query}`);
}

// ---- The legend and the indicator's definition ----

function legend() {
  const scale = SCALES[indicator.value];
  document.getElementById('indicateur-definition').textContent = `${scale.label} : ${scale.definition}`;
  document.getElementById('legende').replaceChildren(...scale.steps.map(([from, color], i) =>
    element('li', {}, element('span', { style: { background: color } }),
      i + 1 < scale.steps.length ? `${scale.format(from)} à ${scale.format(scale.steps[i + 1][0])}` : `${scale.format(from)} et plus`)),
  element('li', {}, element('span', { class: 'legende-lacune' }), 'commune éloignée de l\'aide'),
  element('li', {}, element('span', { class: 'legende-suggestion' }), 'lieu suggéré'));
}

function colourOf(scale, value) {
  let colour = scale.steps[0][1];
  for (const [from, c] of scale.steps) if (value >= from) colour = c;
  return colour;
}

// ---- The analysis ----

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

const COVERAGE = `query($d: String!, $t: Float!, $services: [Service!], $programmes: [DispositifProgrammeNational!]) {
  coverage(departementCode: $d, maxDistanceMeters: $t, suggest: 3, services: $services, programmes: $programmes) {
    summary { communes population peopleInNeed peopleInNeedBeyond shareBeyond sites sitesPer10000InNeed medianDistanceMeters
      coveredBefore coveredAfter }
    communes(first: 1000) { code name population peopleInNeed illectronismRate nearestDistanceMeters beyond accessibility }
    suggestions { rank communeCode communeName peopleNewlyCovered coveredAfter location } }
  departement(code: $d) { name figures { ${FIGURE_FIELDS} } regionFigures { ${FIGURE_FIELDS} } }
  franceFigures { ${FIGURE_FIELDS} } }`;

async function show(code) {
  if (!code) return;
  const mine = ++generation;
  remember();
  status.textContent = 'Chargement…';
  const seuil = Number(threshold.value);
  const services = checked('services');
  const programmes = checked('programmes');
  try {
    const [data, communes, sites] = await Promise.all([
      graphql(COVERAGE, { d: code, t: seuil, services: services.length ? services : null,
        programmes: programmes.length ? programmes : null }),
      pages(`query($d: String!, $after: String) { communes(departementCode: $d, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { code siteCount illectronism { low high } } } }`, { d: code }, (r) => r.communes),
      pages(`query($d: String!, $after: String) { sites(departementCode: $d, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { id nom adresse codePostal communeName latitude longitude services } } }`,
      { d: code }, (r) => r.sites),
    ]);
    if (mine !== generation) return; // a later choice is on its way
    render(code, seuil, data, communes, sites);
  } catch (error) {
    if (mine !== generation) return;
    status.textContent = `L'analyse n'a pas abouti : ${error.message}`;
    return;
  }
  if (!map) await loadMap();
  if (mine === generation) map?.show(current);
}

function render(code, seuil, { coverage, departement, franceFigures }, communes, sites) {
  const extra = new Map(communes.map((c) => [c.code, c]));
  const rows = coverage.communes.map((c) => ({ ...c, ...extra.get(c.code) }));
  // Gaps first (most people in need beyond the threshold), then every other commune by people in need.
  rows.sort((a, b) => (b.beyond - a.beyond) || (b.peopleInNeed - a.peopleInNeed));
  const s = coverage.summary;
  summary.textContent = `${fr(s.communes)} communes, ${fr(s.population)} habitants, ${fr(sites.length)} lieux. `
    + `Environ ${fr(s.peopleInNeed)} personnes en difficulté avec le numérique (estimation) ; `
    + `${fr(s.peopleInNeedBeyond)} (${fr(s.shareBeyond * 100, 1)} %) vivent à plus de ${fr(seuil / 1000)} km `
    + "d'un lieu qui compte comme aide. "
    + `${fr(s.sitesPer10000InNeed, 1)} lieux qui comptent pour 10 000 personnes en difficulté ; distance médiane au plus proche : `
    + `${fr(s.medianDistanceMeters / 1000, 1)} km. ${fr(rows.filter((c) => c.siteCount === 0).length)} communes sans lieu.`;
  document.getElementById('suggestions').replaceChildren(...(coverage.suggestions.length ? coverage.suggestions.map((p) =>
    element('li', {}, `${p.communeName} (${p.communeCode}) : ${fr(p.peopleNewlyCovered)} personnes en difficulté de plus à moins de `
      + `${fr(seuil / 1000)} km`))
    : [element('li', {}, 'Aucun nouveau lieu ne rapprocherait davantage de personnes.')]));
  figures(departement, franceFigures);
  communesTable(rows);
  exportLinks(code, sites, seuil);
  document.getElementById('criteres-impression').textContent = `${departement?.name ?? code} (${code}) — distance jugée trop grande : `
    + `${fr(seuil / 1000)} km — ce qui compte comme aide : ${helpText()} — analyse du ${new Date().toLocaleDateString('fr-FR')}.`;
  status.textContent = `Département ${code} : ${rows.length} communes et ${sites.length} lieux.`;
  current = {
    code, sites, gaps: rows.filter((c) => c.beyond).map((c) => c.code), suggestions: coverage.suggestions,
    accessibility: rows.map((c) => [c.code, c.accessibility]),
  };
}

function figures(departement, france) {
  const section = document.getElementById('chiffres');
  if (!departement) { section.hidden = true; return; }
  const territories = [departement.figures, departement.regionFigures, france];
  const value = (t, f) => (t[f.field] == null ? '—' : f.format(t[f.field]));
  document.getElementById('chiffres-tableau').replaceChildren(element('table', { class: 'chiffres' },
    element('caption', { class: 'visuellement-cache' }, `${departement.name} comparé à sa région et à la France`),
    element('thead', {}, element('tr', {}, element('th', { scope: 'col' }, 'Chiffre'),
      territories.map((t) => element('th', { scope: 'col', class: 'nombre' }, t.code === 'FR' ? 'France' : t.name)))),
    element('tbody', {}, FIGURES.map((f) => element('tr', { 'data-figure': f.field },
      element('th', { scope: 'row' }, f.label, element('span', { class: 'definition' }, f.definition)),
      territories.map((t) => element('td', { class: 'nombre' }, value(t, f))))))));
  section.hidden = false;
}

function communesTable(rows) {
  table.replaceChildren(element('table', {},
    element('caption', { class: 'visuellement-cache' },
      "Communes : d'abord celles éloignées de l'aide, par nombre de personnes en difficulté"),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, 'Commune'),
      COLUMNS.map(([name]) => element('th', { scope: 'col', class: 'nombre' }, name)))),
    element('tbody', {}, rows.slice(0, 200).map((c) => element('tr', c.beyond ? { class: 'lacune' } : {},
      element('th', { scope: 'row' }, `${c.name} (${c.code})`),
      element('td', { class: 'nombre' }, fr(c.population)),
      element('td', {
        class: 'nombre', title: c.illectronism ? `entre ${percent(c.illectronism.low)} et ${percent(c.illectronism.high)}` : '' },
        c.illectronismRate == null ? '—' : percent(c.illectronismRate)),
      element('td', { class: 'nombre' }, fr(c.peopleInNeed)),
      element('td', { class: 'nombre' },
        c.nearestDistanceMeters == null ? '—' : `${fr(c.nearestDistanceMeters / 1000, 1)} km${c.beyond ? ' (trop loin)' : ''}`),
      element('td', { class: 'nombre acces' }, fr(c.accessibility, 1)),
      element('td', { class: 'nombre' }, String(c.siteCount ?? 0)))))));
  if (rows.length > 200) {
    table.append(element('p', {}, `Les 200 premières communes sur ${rows.length} ; le fichier CSV les contient toutes.`));
  }
  const definitions = document.getElementById('definitions');
  definitions.replaceChildren(...COLUMNS.flatMap(([name, text]) => [element('dt', {}, name), element('dd', {}, text)]));
  definitions.hidden = false;
}

function exportLinks(code, sites, seuil) {
  // The table comes from the server's CSV writer, which neutralises cells a spreadsheet would run as formulas.
  const geojson = { type: 'FeatureCollection', features: sites.filter((s) => s.longitude != null).map((s) => ({
    type: 'Feature', geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] },
    properties: { id: s.id, nom: s.nom, adresse: s.adresse, code_postal: s.codePostal, commune: s.communeName, services: s.services },
  })) };
  const query = helpQuery();
  query.set('maxDistance', String(seuil));
  const files = {
    'export-csv': [`/coverage/${encodeURIComponent(code)}.csv?${query}`, `couverture-${code}.csv`],
    'export-analyse': [`/coverage/${encodeURIComponent(code)}.geojson?${query}`, `analyse-${code}.geojson`],
    'export-png': [`/maps/coverage/${encodeURIComponent(code)}.png?${query}`, `carte-couverture-${code}.png`],
    'export-geojson': [URL.createObjectURL(new Blob([JSON.stringify(geojson)], { type: 'application/geo+json' })),
      `lieux-${code}.geojson`],
  };
  for (const [id, [href, name]] of Object.entries(files)) {
    const link = document.getElementById(id);
    link.href = href;
    link.download = name;
  }
  document.getElementById('exports').hidden = false;
}

/**
 * The print layout for élus: the criteria, the figures, the suggestions and the table, with the server's printable map
 * (a WebGL canvas does not print reliably).
 */
async function printForElected() {
  const image = document.getElementById('carte-impression');
  const source = document.getElementById('export-png').href;
  if (image.getAttribute('src') !== source) {
    status.textContent = 'Préparation de la carte à imprimer…';
    await new Promise((resolve) => {
      image.onload = resolve;
      image.onerror = resolve;
      image.src = source;
    });
    image.alt = "Carte : personnes en difficulté avec le numérique par commune (estimation), lieux, communes éloignées de l'aide "
      + 'et lieux suggérés.';
    status.textContent = '';
  }
  window.print();
}

// ---- The map ----

async function loadMap() {
  try {
    const [{ Map, NavigationControl, LngLatBounds }, { loadMapStyles, credits, LOCALE }, { baseStyle }] = await Promise.all([
      import('/vendor/maplibre-gl/maplibre-gl.mjs'), import('./map.js'), import('./basemap.js')]);
    // Under the choropleth: the configured background map, else a plain colour (the choropleth draws the communes).
    const [, background] = await Promise.all([loadMapStyles(), baseStyle(location.origin, { communes: false })]);
    const container = document.getElementById('carte');
    const m = new Map({
      container, center: [2.4, 46.6], zoom: 5,
      attributionControl: { compact: true, customAttribution: credits('IGN, INSEE, ANCT, La Mednum', background.attribution) },
      locale: { ...LOCALE, 'Map.Title': 'Carte du département' },
      style: background.style,
    });
    container.dataset.basemap = background.basemap ? 'configured' : 'communes';
    const opacity = background.basemap ? 0.7 : 0.85;
    m.addControl(new NavigationControl({ showCompass: false }));
    await new Promise((resolve) => m.once('load', resolve));
    map = {
      show({ code, sites, gaps, suggestions, accessibility }) {
        for (const id of ['choroplethe', 'limites', 'lacunes', 'lieux', 'suggestions']) if (m.getLayer(id)) m.removeLayer(id);
        for (const id of ['communes', 'lieux', 'suggestions']) if (m.getSource(id)) m.removeSource(id);
        const scale = SCALES[indicator.value];
        const fill = scale.analysis
          ? ['match', ['get', 'code'], ...accessibility.flatMap(([c, v]) => [c, colourOf(scale, v)]), '#cccccc']
          : ['step', ['coalesce', ['get', scale.property], 0],
            ...scale.steps.flatMap(([from, color], i) => (i === 0 ? [color] : [from, color]))];
        const tiles = `${location.origin}/tiles/communes/{z}/{x}/{y}.mvt?departement=${encodeURIComponent(code)}`;
        m.addSource('communes', { type: 'vector', tiles: [tiles], minzoom: 0, maxzoom: 14 });
        m.addLayer({ id: 'choroplethe', type: 'fill', source: 'communes', 'source-layer': 'communes',
          paint: { 'fill-color': fill, 'fill-opacity': opacity } });
        m.addLayer({ id: 'limites', type: 'line', source: 'communes', 'source-layer': 'communes',
          paint: { 'line-color': '#ffffff', 'line-width': 0.6 } });
        m.addLayer({ id: 'lacunes', type: 'line', source: 'communes', 'source-layer': 'communes',
          filter: ['in', ['get', 'code'], ['literal', gaps]], paint: { 'line-color': '#1b1b1b', 'line-width': 2 } });
        const located = sites.filter((s) => s.longitude != null);
        const points = located.map((s) => ({
          type: 'Feature', geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] }, properties: { nom: s.nom } }));
        m.addSource('lieux', { type: 'geojson', data: { type: 'FeatureCollection', features: points } });
        m.addLayer({ id: 'lieux', type: 'circle', source: 'lieux',
          paint: { 'circle-radius': 4, 'circle-color': '#0b6e4f', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } });
        const picks = suggestions.map((p) => ({ type: 'Feature', geometry: p.location, properties: { rang: p.rank } }));
        m.addSource('suggestions', { type: 'geojson', data: { type: 'FeatureCollection', features: picks } });
        m.addLayer({ id: 'suggestions', type: 'circle', source: 'suggestions',
          paint: { 'circle-radius': 8, 'circle-color': '#ffffff', 'circle-stroke-color': '#6a1b9a', 'circle-stroke-width': 3 } });
        if (located.length) {
          const bounds = new LngLatBounds();
          located.forEach((s) => bounds.extend([s.longitude, s.latitude]));
          m.fitBounds(bounds, { padding: 30, duration: 0 });
        }
        container.dataset.indicator = indicator.value;
        delete document.body.dataset.mapReady;
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

// ---- Start: the départements and what counts as help, then the choice in the address ----

const { departements } = await graphql('{ departements { code name } }');
select.append(...departements.map((d) => element('option', { value: d.code }, `${d.code} — ${d.name}`)));
await buildHelpChoice().catch(() => { helpChoice.hidden = true; });
const params = new URLSearchParams(location.search);
if (params.get('seuil')) threshold.value = params.get('seuil');
if (params.get('carte') && SCALES[params.get('carte')]) indicator.value = params.get('carte');
for (const name of ['services', 'programmes'])
  for (const value of (params.get(name) ?? '').split(',').filter(Boolean)) {
    const box = document.getElementById(`${name}-${value}`);
    if (box) box.checked = true;
  }
if (checked('services').length + checked('programmes').length) helpChoice.open = true;
describeHelp();
legend();

select.addEventListener('change', () => show(select.value));
threshold.addEventListener('change', () => show(select.value));
helpChoice.addEventListener('change', () => { describeHelp(); show(select.value); });
indicator.addEventListener('change', () => { legend(); remember(); if (current) map?.show(current); });
document.getElementById('imprimer').addEventListener('click', printForElected);
if (params.get('departement')) { select.value = params.get('departement'); await show(select.value); }
document.body.dataset.ready = 'true';
