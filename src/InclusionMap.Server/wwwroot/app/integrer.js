// /integrer: a partner sets the widget's options, sees it live and copies its snippet (the web component, or the
// /embed iframe). Every option is also in the page's address, so a setting can be shared.
import { graphql, vocabularies, element, contrastRatio } from './api.js';

const form = document.getElementById('options');
const search = document.getElementById('recherche-commune');
const commune = document.getElementById('commune');
const preview = document.getElementById('apercu');
const empty = document.getElementById('apercu-vide');
const contrast = document.getElementById('contraste');
const copied = document.getElementById('copie-etat');
const DEFAULTS = { limit: '6', height: '480', color: '#0b4fa8', background: '#ffffff', target: '_top' };
// Texts the widget draws on the background, and the white of its title bar on the main colour (see widget.js).
const TEXT_COLORS = ['#1b1b1f', '#4a4a55', '#0d6b2e'];
const ORIGIN = location.origin;
let vocab = { labels: {}, services: [], programmes: [] };
const names = new Map(); // commune code → name, for the iframe's title

// ---- The options ----

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

function clamp(value, min, max, fallback) {
  const n = Math.round(Number(value));
  return Number.isFinite(n) && value !== '' ? String(Math.min(max, Math.max(min, n))) : fallback;
}

/** The widget's attributes for the current options, defaults left out, in the order of the docs. */
function attributes() {
  const list = [['commune', commune.value]];
  if (checked('services').length) list.push(['services', checked('services').join(',')]);
  if (checked('programmes').length) list.push(['programmes', checked('programmes').join(',')]);
  const limit = clamp(form.limit.value, 1, 20, DEFAULTS.limit);
  if (limit !== DEFAULTS.limit) list.push(['limit', limit]);
  list.push(['height', clamp(form.height.value, 240, 1200, DEFAULTS.height)]);
  if (!form.map.checked) list.push(['map', 'off']);
  for (const name of ['color', 'background']) {
    if (form[name].value.toLowerCase() !== DEFAULTS[name]) list.push([name, form[name].value.toLowerCase()]);
  }
  const target = form.querySelector('input[name="target"]:checked').value;
  if (target !== DEFAULTS.target) list.push(['target', target]);
  return list;
}

const escape = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function snippets(list) {
  const widget = `<script src="${ORIGIN}/widget.js" defer></script>\n`
    + `<inclusion-map ${list.map(([k, v]) => `${k}="${escape(v)}"`).join(' ')}></inclusion-map>`;
  const query = new URLSearchParams(list.filter(([k]) => k !== 'height'));
  const height = list.find(([k]) => k === 'height')[1];
  const title = `Lieux d'aide au numérique près de ${names.get(commune.value) ?? commune.value}`;
  const iframe = `<iframe src="${escape(`${ORIGIN}/embed?${query}`)}" title="${escape(title)}" width="100%" height="${height}" `
    + 'style="border:0"></iframe>';
  return { widget, iframe };
}

/** Whether every text of the widget stays readable (WCAG AA, 4.5:1) with these colours, as the widget itself checks. */
function readable(color, background) {
  return [[color, '#ffffff'], [color, background], ...TEXT_COLORS.map((t) => [t, background])]
    .every(([a, b]) => (contrastRatio(a, b) ?? 0) >= 4.5);
}

function update() {
  const list = attributes();
  const colours = readable(form.color.value, form.background.value);
  contrast.textContent = colours ? ''
    : 'Ces couleurs ne sont pas assez contrastées pour être lues par tous : le composant gardera ses couleurs par défaut. '
      + 'Choisissez une couleur principale plus foncée ou un fond plus clair.';
  const chosen = commune.value !== '';
  empty.hidden = chosen;
  preview.hidden = !chosen;
  // The preview: the same attributes on the same component; the widget redraws on each change.
  for (const name of ['services', 'programmes', 'limit', 'height', 'map', 'color', 'background', 'target']) {
    const pair = list.find(([k]) => k === name);
    if (pair) preview.setAttribute(name, pair[1]);
    else preview.removeAttribute(name);
  }
  if (chosen) preview.setAttribute('commune', commune.value);
  const { widget, iframe } = chosen ? snippets(list) : { widget: '', iframe: '' };
  document.getElementById('code-widget').value = widget;
  document.getElementById('code-iframe').value = iframe;
  for (const id of ['copier-widget', 'copier-iframe']) document.getElementById(id).disabled = !chosen;
  document.getElementById('services-resume').textContent = checked('services').length + checked('programmes').length
    ? [...checked('services'), ...checked('programmes')].map((v) => vocab.labels[v] ?? v).join(', ') : 'tous les lieux';
  const address = new URLSearchParams(list);
  if (chosen) history.replaceState(null, '', `?${address}`);
}

// ---- The commune: typed, then chosen in the list ----

let typing;
search.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(findCommunes, 200);
});

async function findCommunes() {
  const text = search.value.trim();
  if (text.length < 2) return;
  try {
    const { communeSuggestions } = await graphql(
      'query($q: String!) { communeSuggestions(query: $q, first: 10) { code name codesPostaux departementCode } }', { q: text });
    if (search.value.trim() !== text) return;
    fillCommunes(communeSuggestions);
    if (communeSuggestions.length) commune.value = communeSuggestions[0].code;
    update();
  } catch {
    // The list keeps its previous communes.
  }
}

function fillCommunes(found) {
  for (const c of found) names.set(c.code, c.name);
  commune.replaceChildren(element('option', { value: '' }, found.length ? 'Choisir une commune…' : 'Aucune commune trouvée'),
    ...found.map((c) => element('option', { value: c.code }, `${c.name} (${c.codesPostaux[0] ?? c.departementCode}), code ${c.code}`)));
}

// ---- Copying ----

async function copy(id, what) {
  const text = document.getElementById(id).value;
  try {
    await navigator.clipboard.writeText(text);
    copied.textContent = `${what} copié : collez-le dans votre page.`;
  } catch {
    document.getElementById(id).select();
    copied.textContent = `La copie automatique n'est pas possible : le ${what.toLowerCase()} est sélectionné, copiez-le avec Ctrl+C.`;
  }
}

document.getElementById('copier-widget').addEventListener('click', () => copy('code-widget', 'Code'));
document.getElementById('copier-iframe').addEventListener('click', () => copy('code-iframe', 'Code du cadre'));

// ---- Start: the vocabularies, then the options from the address ----

async function start() {
  vocab = await vocabularies();
  const group = (legend, name, entries) => element('fieldset', {}, element('legend', {}, legend),
    entries.map((e) => element('div', { class: 'choix' },
      element('input', { type: 'checkbox', id: `${name}-${e.value}`, name, value: e.value }),
      element('label', { for: `${name}-${e.value}` }, e.label))));
  document.getElementById('choix-contenu').append(group('Services', 'services', vocab.services),
    group('Dispositifs nationaux', 'programmes', vocab.programmes));

  const params = new URLSearchParams(location.search);
  for (const name of ['services', 'programmes'])
    for (const value of (params.get(name) ?? '').split(',').filter(Boolean)) {
      const box = document.getElementById(`${name}-${value}`);
      if (box) box.checked = true;
    }
  if (checked('services').length + checked('programmes').length) document.getElementById('choix-services').open = true;
  for (const name of ['limit', 'height']) if (params.get(name)) form[name].value = params.get(name);
  for (const name of ['color', 'background']) if (/^#[0-9a-f]{6}$/i.test(params.get(name) ?? '')) form[name].value = params.get(name);
  form.map.checked = params.get('map') !== 'off';
  if (params.get('target') === '_blank') document.getElementById('target-blank').checked = true;
  const code = params.get('commune');
  if (code) {
    const { commune: found } = await graphql('query($c: String!) { commune(code: $c) { code name codesPostaux departementCode } }',
      { c: code });
    if (found) {
      fillCommunes([found]);
      commune.value = found.code;
      search.value = found.name;
    }
  }
  form.addEventListener('input', (event) => { if (event.target !== search) update(); });
  form.addEventListener('change', (event) => { if (event.target !== search) update(); });
  form.addEventListener('submit', (event) => event.preventDefault());
  update();
  document.body.dataset.ready = 'true';
}

start().catch((error) => {
  document.getElementById('apercu-vide').textContent = `La page n'a pas pu se charger : ${error.message}`;
});
