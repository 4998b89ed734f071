// GraphQL reads over GET (cacheable by the browser and by proxies), French formatting helpers, and safeHref.
// Imported by our pages and, across origins, by the partner widget (/widget.js): no side effect on import.

export async function graphql(query, variables = {}, base = '') {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const response = await fetch(`${base}/graphql?${params}`, { headers: { Accept: 'application/graphql-response+json' } });
  const body = await response.json();
  if (body.errors?.length) {
    const error = new Error(body.errors.map((e) => e.message).join(' '));
    error.codes = body.errors.map((e) => e.extensions?.code);
    throw error;
  }
  return body.data;
}

const VOCABULARIES = `{ vocabularies {
  services { value label } publics { value label } modalitesAccompagnement { value label }
  fraisACharge { value label } priseEnChargeSpecifique { value label } } }`;

export async function vocabularies(base = '') {
  const { vocabularies: v } = await graphql(VOCABULARIES, {}, base);
  const map = (list) => Object.fromEntries(list.map((e) => [e.value, e.label]));
  return {
    services: v.services, publics: v.publics, modalites: v.modalitesAccompagnement,
    labels: { ...map(v.services), ...map(v.publics), ...map(v.modalitesAccompagnement), ...map(v.fraisACharge), ...map(v.priseEnChargeSpecifique) },
  };
}

export const SITE_FIELDS = `id nom adresse codePostal communeName latitude longitude telephone siteWeb services fraisACharge
  priseEnChargeSpecifique ficheAccesLibre priseRdv modalitesAccompagnement dateMaj lastConfirmed
  openingHours { known isOpenAt(at: $now) nextOpening(after: $now) }`;

export function formatDistance(meters) {
  if (meters == null) return '';
  if (meters < 1000) return `À ${Math.round(meters / 10) * 10} m`;
  return `À ${(meters / 1000).toLocaleString('fr-FR', { maximumFractionDigits: meters < 10000 ? 1 : 0 })} km`;
}

/** +33555510000 → 05 55 51 00 00 (how French readers write it); other numbers unchanged. */
export function formatPhone(e164) {
  const m = /^\+33(\d{9})$/.exec(e164 ?? '');
  if (!m) return e164;
  return ('0' + m[1]).replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** 2024-04-02 or an ISO instant → « 2 avril 2024 » (the day in Paris). */
export function formatDay(iso) {
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

export function formatNextOpening(iso) {
  const date = new Date(iso);
  const day = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/Paris' }).format(date);
  const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(date);
  return `ouvre le ${day} à ${time.replace(':', ' h ')}`;
}

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'tel:', 'mailto:']);

/**
 * The address to put in an href when it is an absolute http, https, tel or mailto URL, else null. Every value that
 * comes from the data goes through it: a javascript: or data: address from a source file must never become a link.
 */
export function safeHref(value) {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = new URL(value); // no base: a relative address throws
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** A DOM element; `style` takes an object, set through the CSSOM (the Content-Security-Policy refuses style attributes). */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'style') Object.assign(node.style, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child != null && child !== false) node.append(child);
  return node;
}
