/*
 * InclusionMap widget for partner websites:
 *   <script src="https://inclusionmap.example/widget.js" defer></script>
 *   <inclusion-map commune="35238" services="AIDE_AUX_DEMARCHES_ADMINISTRATIVES" height="480"></inclusion-map>
 * Attributes: commune (INSEE code, required), services (comma-separated values of the API's Service enum), programmes
 * (values of its DispositifProgrammeNational enum), limit (number of places, 1-20, default 6), height (pixels, default
 * 480), map ("off" to hide the map), color and background (#rrggbb; refused, and the defaults kept, when their contrast
 * is too low to read), target ("_blank" to open links in a new tab; default "_top", the whole window).
 * The page /integrer builds these attributes with a live preview.
 * Styles live in a shadow root, so the partner's CSS and ours never meet. Data comes from our public API (CORS).
 * Under the partner's Content-Security-Policy: no eval, no inline style attribute, styles as constructed style sheets
 * (a <style> element only in browsers without them); what the partner must allow is in docs/embedding.md.
 */
(() => {
  const script = document.currentScript;
  const apiBase = script ? new URL(script.src).origin : location.origin;
  // The helpers of our own pages (GraphQL over GET, safeHref for every link from the data), from our origin.
  const api = import(`${apiBase}/app/api.js`);

  const STYLE = `
    :host { --im-accent: #0b4fa8; --im-fond: #ffffff; display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto,
      "DejaVu Sans", sans-serif; color: #1b1b1f; border: 1px solid #8a8a96; border-radius: 8px; overflow: hidden;
      background: var(--im-fond); line-height: 1.45; }
    .cadre { display: grid; height: 100%; grid-template-rows: auto 1fr auto; }
    h2 { font-size: 1.1rem; margin: 0; padding: 0.6rem 0.8rem; background: var(--im-accent); color: #fff; }
    .corps { display: grid; gap: 0; overflow: hidden; min-height: 0; }
    @media (min-width: 40rem) { .corps.avec-carte { grid-template-columns: 1fr 1fr; } }
    ol { list-style: none; margin: 0; padding: 0; overflow: auto; }
    li { padding: 0.6rem 0.8rem; border-bottom: 1px solid #d5d8de; }
    h3 { font-size: 1rem; margin: 0; }
    p { margin: 0.15rem 0; font-size: 0.92rem; }
    .doux { color: #4a4a55; }
    .ouvert { color: #0d6b2e; font-weight: 600; }
    a { color: var(--im-accent); }
    a:focus-visible { outline: 3px solid #f5b700; outline-offset: 2px; }
    .carte { min-height: 14rem; background: #e8ecf2; }
    .pied { padding: 0.5rem 0.8rem; font-size: 0.9rem; border-top: 1px solid #d5d8de; }
    .num { display: inline-block; min-width: 1.5rem; text-align: center; border-radius: 1rem; background: var(--im-accent); color: #fff;
      margin-right: 0.3rem; font-size: 0.85rem; }
    .marqueur { min-width: 1.5rem; height: 1.5rem; border-radius: 1rem; background: var(--im-accent); color: #fff; border: 2px solid #fff;
      font: 700 0.8rem system-ui, sans-serif; display: flex; align-items: center; justify-content: center; }
    .erreur { padding: 0.8rem; color: #a4161a; }
    .vc { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .liens a + a { margin-left: 0.8rem; }`;

  const QUERY = `query($code: String!) { commune(code: $code) { name centre } }`;
  const NEAR = `query($near: GeoPointInput!, $services: [Service!], $programmes: [DispositifProgrammeNational!], $first: Int!,
    $now: DateTime!) {
    sites(near: $near, radiusMeters: 50000, services: $services, programmes: $programmes, first: $first) {
      edges { distanceMeters node { id nom adresse codePostal communeName latitude longitude telephone siteWeb priseRdv
        openingHours { isOpenAt(at: $now) } } } } }`;

  const sheets = new Map();
  /**
   * The shadow root's styles, in order: constructed style sheets, which a partner's CSP without 'unsafe-inline' styles
   * allows; <style> elements only in browsers that cannot construct them.
   */
  function useStyles(root, ...texts) {
    if ('adoptedStyleSheets' in ShadowRoot.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
      root.adoptedStyleSheets = texts.map((css) => {
        if (!sheets.has(css)) { const sheet = new CSSStyleSheet(); sheet.replaceSync(css); sheets.set(css, sheet); }
        return sheets.get(css);
      });
      return;
    }
    for (const old of root.querySelectorAll('style')) old.remove();
    root.prepend(...texts.map((css) => text('style', css)));
  }

  const DEFAULT_COLORS = { color: '#0b4fa8', background: '#ffffff' };
  // Texts drawn on the background (body, muted, "Ouvert maintenant") and on the main colour (white).
  const TEXT_COLORS = ['#1b1b1f', '#4a4a55', '#0d6b2e'];

  /**
   * The colours asked for when every text stays readable (WCAG AA, 4.5:1): white on the main colour, the main colour
   * (links) and the texts on the background; otherwise the defaults, and refused = true.
   */
  function readableColors(color, background, contrastRatio) {
    const asked = { color: color || DEFAULT_COLORS.color, background: background || DEFAULT_COLORS.background };
    const pairs = [[asked.color, '#ffffff'], [asked.color, asked.background], ...TEXT_COLORS.map((t) => [t, asked.background])];
    const readable = pairs.every(([a, b]) => (contrastRatio(a, b) ?? 0) >= 4.5);
    return readable ? { ...asked, refused: false } : { ...DEFAULT_COLORS, refused: true };
  }

  /** A link of the widget; `where` is the target window ("_top" or "_blank"). */
  function dataLink(label, href, hidden, where) {
    const a = text('a', label);
    a.href = href;
    a.target = where;
    a.rel = 'noopener';
    if (hidden) a.append(text('span', hidden, 'vc'));
    if (where === '_blank') a.append(text('span', ' (nouvel onglet)', 'vc'));
    return a;
  }

  function distance(m) {
    return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} km`;
  }

  function text(tag, value, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value;
    return node;
  }

  class InclusionMapElement extends HTMLElement {
    static get observedAttributes() {
      return ['commune', 'services', 'programmes', 'limit', 'height', 'map', 'color', 'background', 'target'];
    }

    connectedCallback() {
      if (!this.shadowRoot) this.attachShadow({ mode: 'open' });
      this.render();
    }

    attributeChangedCallback() {
      if (this.shadowRoot) this.render();
    }

    async render() {
      // Every attribute set re-renders (an embedding page sets them one by one): only the latest render may finish,
      // or an earlier one, started before the commune was set, could end after it and show its error.
      const generation = this.generation = (this.generation ?? 0) + 1;
      const stale = () => generation !== this.generation;
      delete this.dataset.state;
      const root = this.shadowRoot;
      const code = (this.getAttribute('commune') ?? '').trim();
      const list = (name) => (this.getAttribute(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const services = list('services');
      const programmes = list('programmes');
      const limit = Math.min(20, Math.max(1, Number(this.getAttribute('limit')) || 6));
      const height = Math.max(240, Number(this.getAttribute('height')) || 480);
      const withMap = this.getAttribute('map') !== 'off';
      const where = this.getAttribute('target') === '_blank' ? '_blank' : '_top';
      this.style.height = `${height}px`;
      root.replaceChildren();
      useStyles(root, STYLE);
      const frame = document.createElement('section');
      frame.className = 'cadre';
      frame.setAttribute('aria-label', "Lieux d'aide au numérique");
      root.append(frame);
      const now = new Date().toISOString();
      try {
        const { graphql, safeHref, formatPhone, contrastRatio, placePath } = await api;
        const colors = readableColors(this.getAttribute('color')?.trim(), this.getAttribute('background')?.trim(), contrastRatio);
        this.style.setProperty('--im-accent', colors.color);
        this.style.setProperty('--im-fond', colors.background);
        if (colors.refused) {
          this.dataset.colors = 'refused';
          console.warn('inclusion-map: colours too low in contrast to be read; the default colours are used.');
        } else delete this.dataset.colors;
        const data = await graphql(QUERY, { code }, apiBase);
        if (stale()) return;
        const commune = data.commune;
        if (!commune?.centre) throw new Error(`commune ${code} inconnue`);
        const [lon, lat] = commune.centre.coordinates;
        const near = await graphql(NEAR, { near: { latitude: lat, longitude: lon }, services: services.length ? services : null,
          programmes: programmes.length ? programmes : null, first: limit, now }, apiBase);
        if (stale()) return;
        const sites = near.sites.edges;
        frame.append(text('h2', `Aide au numérique près de ${commune.name}`));
        const body = document.createElement('div');
        body.className = withMap ? 'corps avec-carte' : 'corps';
        const list = document.createElement('ol');
        list.setAttribute('aria-label', `Lieux les plus proches de ${commune.name}`);
        sites.forEach((edge, i) => {
          const site = edge.node;
          const item = document.createElement('li');
          item.dataset.id = site.id;
          const title = document.createElement('h3');
          title.append(text('span', String(i + 1), 'num'), dataLink(site.nom, `${apiBase}${placePath(site.id)}`, null, where));
          item.append(title, text('p', `${site.adresse}, ${site.codePostal} ${site.communeName}`, 'doux'),
            text('p', `À ${distance(edge.distanceMeters)}`, 'doux'));
          if (site.openingHours.isOpenAt) item.append(text('p', 'Ouvert maintenant', 'ouvert'));
          // Links from the data only through safeHref: a source may hold javascript: or data: addresses.
          const phone = site.telephone ? safeHref(`tel:${site.telephone}`) : null;
          const appointment = safeHref(site.priseRdv);
          const web = site.siteWeb.map(safeHref).find(Boolean);
          const links = [
            phone && dataLink(`Appeler le ${formatPhone(site.telephone)}`, phone, null, '_top'),
            appointment && dataLink('Prendre rendez-vous', appointment, ` : ${site.nom}`, where),
            web && dataLink('Site web', web, ` de ${site.nom}`, where),
          ].filter(Boolean);
          if (links.length) {
            const p = document.createElement('p');
            p.className = 'liens';
            p.append(...links);
            item.append(p);
          }
          list.append(item);
        });
        if (!sites.length) list.append(text('li', 'Aucun lieu à moins de 50 km.'));
        body.append(list);
        frame.append(body);
        const footer = document.createElement('p');
        footer.className = 'pied';
        const filter = (services.length ? `&services=${encodeURIComponent(services.join(','))}` : '')
          + (programmes.length ? `&programmes=${encodeURIComponent(programmes.join(','))}` : '');
        const all = `${apiBase}/?commune=${encodeURIComponent(code)}${filter}`;
        footer.append(dataLink('Voir tous les lieux sur InclusionMap', all, null, where));
        frame.append(footer);
        this.dataset.state = 'ready';
        if (withMap) this.drawMap(body, sites, [lon, lat]);
      } catch (error) {
        if (stale()) return;
        frame.append(text('p', `Les lieux ne peuvent pas être affichés : ${error.message}.`, 'erreur'));
        this.dataset.state = 'error';
      }
    }

    async drawMap(body, sites, centre) {
      const container = document.createElement('div');
      container.className = 'carte';
      // A labelled region: MapLibre's canvas and controls are focusable, so the map cannot be hidden from assistive technology.
      container.setAttribute('role', 'region');
      container.setAttribute('aria-label', 'Carte des lieux');
      body.append(container);
      try {
        const [maplibre, css, { baseStyle }] = await Promise.all([
          import(`${apiBase}/vendor/maplibre-gl/maplibre-gl.mjs`),
          fetch(`${apiBase}/vendor/maplibre-gl/maplibre-gl.css`).then((r) => r.text()),
          import(`${apiBase}/app/basemap.js`),
        ]);
        // The instance's background map (a configured style, else our commune outlines).
        const background = await baseStyle(apiBase);
        useStyles(this.shadowRoot, css, STYLE);
        const credits = background.attribution ? `IGN, ANCT · Fond de carte : ${background.attribution}` : 'IGN, ANCT';
        const map = new maplibre.Map({
          container, center: centre, zoom: 11, attributionControl: { compact: true, customAttribution: credits },
          locale: { 'Map.Title': 'Carte des lieux', 'AttributionControl.ToggleAttribution': 'Afficher les sources' },
          style: background.style,
        });
        container.dataset.basemap = background.basemap ? 'configured' : 'communes';
        const bounds = new maplibre.LngLatBounds();
        bounds.extend(centre);
        sites.forEach((edge, i) => {
          const el = text('div', String(i + 1), 'marqueur');
          new maplibre.Marker({ element: el }).setLngLat([edge.node.longitude, edge.node.latitude]).addTo(map);
          bounds.extend([edge.node.longitude, edge.node.latitude]);
        });
        map.fitBounds(bounds, { padding: 30, maxZoom: 14, duration: 0 });
        map.once('idle', () => { this.dataset.map = 'ready'; });
      } catch {
        container.remove();
        this.dataset.map = 'failed';
      }
    }
  }

  if (!customElements.get('inclusion-map')) customElements.define('inclusion-map', InclusionMapElement);
})();
