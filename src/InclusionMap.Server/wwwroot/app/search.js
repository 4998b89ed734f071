// Residents' page: find places near a commune, a postcode or the user's position. The list is the page: the map is
// an addition, loaded afterwards, and the search works without it.
import { graphql, vocabularies, SITE_FIELDS, formatDistance, formatPhone, formatNextOpening, formatDay, element, safeHref } from './api.js';

const form = document.getElementById('recherche');
const input = document.getElementById('lieu');
const listbox = document.getElementById('suggestions');
const status = document.getElementById('etat');
const list = document.getElementById('liste');
const none = document.getElementById('aucun');
const more = document.getElementById('plus');
const PAGE = 20;

let vocab = { labels: {}, services: [], publics: [], modalites: [] };
let suggestions = [];
let active = -1;
let chosen = null;           // { code, name, latitude, longitude } or { latitude, longitude, name: 'votre position' }
let results = [];
let endCursor = null;
let map = null;
let selectedId = null;

const SEARCH = `query($near: GeoPointInput!, $services: [Service!], $publics: [Public!], $modalites: [ModaliteAccompagnement!],
  $frais: [FraisACharge!], $openAt: DateTime, $now: DateTime!, $first: Int!, $after: String) {
  sites(near: $near, services: $services, publics: $publics, modalites: $modalites, frais: $frais, openAt: $openAt,
        radiusMeters: 100000, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { distanceMeters node { ${SITE_FIELDS} } }
  }
}`;

// ---- Filters, built from the national vocabularies (official labels) ----

function checkboxGroup(legend, name, entries) {
  return element('fieldset', {}, element('legend', {}, legend),
    entries.map((e) => element('div', { class: 'choix' },
      element('input', { type: 'checkbox', id: `${name}-${e.value}`, name, value: e.value }),
      element('label', { for: `${name}-${e.value}` }, e.label))));
}

async function buildFilters() {
  vocab = await vocabularies();
  const container = document.getElementById('filtres-contenu');
  container.prepend(
    checkboxGroup('Services', 'services', vocab.services),
    checkboxGroup('Publics', 'publics', vocab.publics),
    checkboxGroup("Modalités d'accompagnement", 'modalites', vocab.modalites));
}

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

// ---- Commune combobox (ARIA 1.2 pattern) ----

let typing;
input.addEventListener('input', () => {
  chosen = null;
  clearTimeout(typing);
  typing = setTimeout(suggest, 180);
});

async function suggest() {
  const text = input.value.trim();
  if (text.length < 2) return closeSuggestions();
  try {
    const data = await graphql('query($q: String!) { communeSuggestions(query: $q, first: 8) { code name departementCode codesPostaux latitude longitude } }', { q: text });
    if (input.value.trim() !== text) return;
    suggestions = data.communeSuggestions;
    renderSuggestions();
  } catch {
    closeSuggestions();
  }
}

function renderSuggestions() {
  listbox.replaceChildren(...suggestions.map((s, i) => element('li', {
    id: `suggestion-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false',
    onmousedown: (event) => { event.preventDefault(); pick(i); },
  }, `${s.name} (${s.codesPostaux[0] ?? s.departementCode})`)));
  const open = suggestions.length > 0;
  listbox.hidden = !open;
  input.setAttribute('aria-expanded', String(open));
  if (active >= 0) input.setAttribute('aria-activedescendant', `suggestion-${active}`);
  else input.removeAttribute('aria-activedescendant');
}

function closeSuggestions() {
  suggestions = [];
  active = -1;
  renderSuggestions();
}

function pick(index) {
  const s = suggestions[index];
  chosen = { code: s.code, name: s.name, latitude: s.latitude, longitude: s.longitude };
  input.value = s.name;
  closeSuggestions();
  search();
}

input.addEventListener('keydown', (event) => {
  if (listbox.hidden && event.key !== 'ArrowDown') return;
  if (event.key === 'ArrowDown') { event.preventDefault(); if (listbox.hidden) suggest(); else { active = (active + 1) % suggestions.length; renderSuggestions(); } }
  else if (event.key === 'ArrowUp') { event.preventDefault(); active = (active - 1 + suggestions.length) % suggestions.length; renderSuggestions(); }
  else if (event.key === 'Enter' && active >= 0) { event.preventDefault(); pick(active); }
  else if (event.key === 'Escape') closeSuggestions();
});
input.addEventListener('blur', () => setTimeout(closeSuggestions, 150));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!chosen) {
    const text = input.value.trim();
    if (text.length < 2) { status.textContent = 'Indiquez une commune ou un code postal (au moins 2 caractères).'; input.focus(); return; }
    const data = await graphql('query($q: String!) { communeSuggestions(query: $q, first: 1) { code name latitude longitude } }', { q: text });
    if (!data.communeSuggestions.length) { status.textContent = `Aucune commune ne correspond à « ${text} ».`; input.focus(); return; }
    const s = data.communeSuggestions[0];
    chosen = { code: s.code, name: s.name, latitude: s.latitude, longitude: s.longitude };
    input.value = s.name;
  }
  closeSuggestions();
  search();
});

document.getElementById('autour').addEventListener('click', () => {
  if (!navigator.geolocation) { status.textContent = "Votre navigateur ne permet pas de vous localiser : indiquez votre commune."; return; }
  status.textContent = 'Localisation en cours…';
  navigator.geolocation.getCurrentPosition(
    (position) => {
      chosen = { name: 'votre position', latitude: position.coords.latitude, longitude: position.coords.longitude };
      input.value = '';
      search();
    },
    () => { status.textContent = "Vous localiser n'a pas été possible : indiquez votre commune ou votre code postal."; },
    { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
});

form.addEventListener('change', (event) => { if (event.target.type === 'checkbox' && chosen) search(); });

// ---- Search and results ----

function variables(after) {
  const now = new Date().toISOString();
  return {
    near: { latitude: chosen.latitude, longitude: chosen.longitude },
    services: checked('services'), publics: checked('publics'), modalites: checked('modalites'),
    frais: form.gratuit.checked ? ['GRATUIT'] : null,
    openAt: form.ouvert.checked ? now : null,
    now, first: PAGE, after,
  };
}

async function search(after = null) {
  if (!chosen) return;
  status.textContent = 'Recherche en cours…';
  try {
    const data = await graphql(SEARCH, variables(after));
    const page = data.sites;
    const start = after ? results.length : 0;
    const found = page.edges.map((e, i) => ({ ...e.node, distanceMeters: e.distanceMeters, rank: start + i + 1 }));
    results = after ? results.concat(found) : found;
    endCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    if (!after) list.replaceChildren();
    list.append(...found.map(card));
    none.hidden = results.length > 0;
    if (!results.length) none.textContent = 'Aucun lieu ne correspond à ces critères dans un rayon de 100 km. Essayez avec moins de filtres.';
    more.hidden = !endCursor;
    status.textContent = `${page.totalCount.toLocaleString('fr-FR')} lieu${page.totalCount > 1 ? 'x' : ''} à moins de 100 km de ${chosen.name}, du plus proche au plus lointain.`;
    saveInAddress();
    map?.showResults(results, chosen);
    if (!map) loadMap();
  } catch (error) {
    status.textContent = `La recherche n'a pas abouti : ${error.message}`;
  }
}

more.addEventListener('click', () => {
  const next = results.length;
  search(endCursor).then(() => list.children[next]?.querySelector('h3')?.focus());
});

function card(site) {
  const hours = site.openingHours;
  let opening;
  if (!hours.known) opening = element('p', { class: 'inconnu' }, 'Horaires non renseignés');
  else if (hours.isOpenAt) opening = element('p', { class: 'ouvert' }, 'Ouvert maintenant');
  else opening = element('p', { class: 'ferme' }, hours.nextOpening ? `Fermé — ${formatNextOpening(hours.nextOpening)}` : 'Fermé');
  const free = site.fraisACharge.includes('GRATUIT') ? 'Gratuit'
    : site.fraisACharge.includes('GRATUIT_SOUS_CONDITION') ? 'Gratuit sous condition'
      : site.fraisACharge.includes('PAYANT') ? 'Payant' : null;
  const needs = site.priseEnChargeSpecifique.map((v) => vocab.labels[v] ?? v);
  const directions = `https://www.openstreetmap.org/directions?route=%3B${site.latitude}%2C${site.longitude}`;
  // Links from the data only through safeHref: a source may hold javascript: or data: addresses.
  const phone = site.telephone && safeHref(`tel:${site.telephone}`);
  const web = site.siteWeb.map(safeHref).find(Boolean);
  const appointment = safeHref(site.priseRdv);
  const accessibility = safeHref(site.ficheAccesLibre);
  const titleId = `nom-${site.id}`;
  return element('li', { class: 'lieu', id: `lieu-${site.id}`, 'data-id': site.id },
    element('article', { 'aria-labelledby': titleId },
      element('h3', { id: titleId, tabindex: '-1' }, element('span', { class: 'num', 'aria-hidden': 'true' }, String(site.rank)),
        element('span', { class: 'visuellement-cache' }, `${site.rank}. `), site.nom),
      element('p', { class: 'distance' }, formatDistance(site.distanceMeters)),
      element('p', { class: 'adresse' }, `${site.adresse}, ${site.codePostal} ${site.communeName}`),
      opening,
      free && element('p', { class: 'frais' }, free),
      site.services.length > 0 && element('ul', { class: 'etiquettes', 'aria-label': 'Services' },
        site.services.map((s) => element('li', {}, vocab.labels[s] ?? s))),
      needs.length > 0 && element('p', { class: 'besoins' }, `Accompagnement adapté : ${needs.join(', ')}.`),
      // The producer's date, and the last time a source still listed the place.
      site.dateMaj && element('p', { class: 'maj' }, `Informations mises à jour le ${formatDay(site.dateMaj)}`
        + (site.lastConfirmed ? `, confirmées par la source le ${formatDay(site.lastConfirmed)}.` : '.')),
      element('p', { class: 'actions' },
        phone && element('a', { href: phone }, `Appeler le ${formatPhone(site.telephone)}`),
        web && element('a', { href: web, rel: 'noopener' }, 'Site web',
          element('span', { class: 'visuellement-cache' }, ` de ${site.nom}`)),
        appointment && element('a', { href: appointment, rel: 'noopener' }, 'Prendre rendez-vous'),
        accessibility && element('a', { href: accessibility, rel: 'noopener' }, 'Accessibilité du bâtiment'),
        site.latitude != null && element('a', { href: directions, rel: 'noopener' }, 'Itinéraire', element('span', { class: 'visuellement-cache' }, ` vers ${site.nom}`)),
        site.latitude != null && element('button', { type: 'button', class: 'voir', onclick: () => select(site.id, { fromList: true }) },
          'Voir sur la carte', element('span', { class: 'visuellement-cache' }, ` : ${site.nom}`)))));
}

/** One place selected: highlighted in the list and on the map, whichever side the choice came from. */
function select(id, { fromList = false } = {}) {
  selectedId = String(id);
  for (const item of list.children) item.setAttribute('aria-current', item.dataset.id === selectedId ? 'true' : 'false');
  document.body.dataset.selected = selectedId;
  map?.select(selectedId);
  if (!fromList) {
    const heading = document.getElementById(`nom-${selectedId}`);
    heading?.scrollIntoView({ block: 'nearest' });
    heading?.focus({ preventScroll: true });
  }
}

// ---- Shareable address: the search and its filters live in the URL ----

function saveInAddress() {
  const params = new URLSearchParams();
  if (chosen.code) { params.set('commune', chosen.code); params.set('q', chosen.name); }
  else { params.set('lat', chosen.latitude.toFixed(5)); params.set('lon', chosen.longitude.toFixed(5)); }
  for (const name of ['services', 'publics', 'modalites']) { const values = checked(name); if (values.length) params.set(name, values.join(',')); }
  if (form.gratuit.checked) params.set('gratuit', '1');
  if (form.ouvert.checked) params.set('ouvert', '1');
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

async function restoreFromAddress() {
  const params = new URLSearchParams(location.search);
  for (const name of ['services', 'publics', 'modalites'])
    for (const value of (params.get(name) ?? '').split(',').filter(Boolean)) {
      const box = document.getElementById(`${name}-${value}`);
      if (box) box.checked = true;
    }
  form.gratuit.checked = params.get('gratuit') === '1';
  form.ouvert.checked = params.get('ouvert') === '1';
  if ([...form.querySelectorAll('#filtres input:checked')].length) document.getElementById('filtres').open = true;
  if (params.get('commune')) {
    const data = await graphql('query($c: String!) { commune(code: $c) { code name centre } }', { c: params.get('commune') });
    const c = data.commune;
    if (c?.centre) { chosen = { code: c.code, name: c.name, latitude: c.centre.coordinates[1], longitude: c.centre.coordinates[0] }; input.value = c.name; }
  } else if (params.get('lat') && params.get('lon')) {
    chosen = { name: 'la position indiquée', latitude: Number(params.get('lat')), longitude: Number(params.get('lon')) };
  }
  if (chosen) await search();
}

// ---- The map: loaded after the list is usable; its failure never breaks the search ----

let mapLoading = null;
function loadMap() {
  mapLoading ??= createTheMap();
  return mapLoading;
}

async function createTheMap() {
  const mapStatus = document.getElementById('carte-etat');
  try {
    const { createMap } = await import('./map.js');
    map = await createMap(document.getElementById('carte'), { onSelect: (id) => select(id), onStatus: (text) => { mapStatus.textContent = text; } });
    map.showResults(results, chosen);
    if (selectedId) map.select(selectedId);
  } catch (error) {
    document.body.dataset.mapState = 'failed';
    mapStatus.textContent = "La carte n'est pas disponible sur cet appareil ; la liste des lieux reste complète.";
  }
}

await buildFilters().catch(() => { status.textContent = 'Les filtres ne sont pas disponibles pour le moment.'; });
document.body.dataset.ready = 'true';
await restoreFromAddress();
// Before any search, the map only shows France. On a wide screen it sits beside the form: load it once the page is
// idle. On a phone it sits below the list: it loads with the first results, keeping the first visit light.
if (!chosen && matchMedia('(min-width: 56rem)').matches) (window.requestIdleCallback ?? setTimeout)(() => { if (!map) loadMap(); });
