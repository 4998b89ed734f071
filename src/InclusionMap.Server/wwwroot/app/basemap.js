// The background of every map (residents, place page, coordinators, partner widget): the instance's MapLibre style
// when one is configured (InclusionMap:Map, read from /maps/basemap.json) and reachable; otherwise — unset, offline,
// or not a style — the commune outlines of our own vector tiles. Each map then adds its own layers on top.
// Imported across origins by the widget: no side effect on import.

const TIMEOUT_MS = 5000;

/** Our own background: a plain colour and, unless `communes` is false, the communes' outlines. */
export function communesStyle(base, { communes = true } = {}) {
  const style = {
    version: 8,
    sources: {},
    layers: [{ id: 'fond', type: 'background', paint: { 'background-color': '#e8ecf2' } }],
  };
  if (communes) {
    style.sources.communes = { type: 'vector', tiles: [`${base}/tiles/communes/{z}/{x}/{y}.mvt`], minzoom: 5, maxzoom: 14 };
    style.layers.push(
      { id: 'communes', type: 'fill', source: 'communes', 'source-layer': 'communes', paint: { 'fill-color': '#ffffff' } },
      { id: 'limites', type: 'line', source: 'communes', 'source-layer': 'communes',
        paint: { 'line-color': '#b6bfcc', 'line-width': 0.5 } });
  }
  return style;
}

async function fetchJson(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: controller.signal, credentials: 'omit' });
    if (!response.ok) throw new Error(`${response.status}`);
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The style to start a map with: { style, attribution, basemap } where `basemap` says whether the configured style
 * was loaded. The style object is the map's own copy: add sources and layers to it freely.
 */
export async function baseStyle(base = location.origin, options = {}) {
  const fallback = () => ({ style: communesStyle(base, options), attribution: null, basemap: false });
  let settings;
  try {
    settings = await fetchJson(`${base}/maps/basemap.json`);
  } catch {
    return fallback();
  }
  if (!settings?.styleUrl) return fallback();
  try {
    const style = await fetchJson(settings.styleUrl);
    if (style?.version !== 8 || typeof style.sources !== 'object' || !Array.isArray(style.layers)) return fallback();
    return { style, attribution: settings.attribution, basemap: true };
  } catch {
    return fallback();
  }
}
