// The place page's additions, the page being complete without them: copying its address, printing it, and the small
// map (MapLibre is large; most visitors read the hours first).
const link = document.getElementById('lien-page');
const status = document.getElementById('partage-etat');

const copy = document.getElementById('copier');
if (navigator.clipboard && link) {
  copy.hidden = false;
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(link.href);
      status.textContent = 'Lien copié : vous pouvez le coller dans un message.';
    } catch {
      status.textContent = "La copie n'a pas été possible : sélectionnez l'adresse ci-dessus pour la copier.";
    }
  });
}

const print = document.getElementById('imprimer');
print.hidden = false;
print.addEventListener('click', () => window.print());

// The small map: on a wide screen, drawn once it comes into view; on a phone, where it would cost the first visit most
// of its time, behind a button (the address and the OpenStreetMap link say where the place is meanwhile).
const container = document.getElementById('carte-lieu');
const toggle = document.getElementById('afficher-carte');
let drawing = null;
function draw() {
  drawing ??= drawMap().catch(() => {
    container.hidden = true;
    toggle.hidden = true;
    document.body.dataset.mapState = 'failed';
  });
  return drawing;
}
if (container && matchMedia('(min-width: 56rem)').matches) {
  container.hidden = false;
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    draw();
  }, { rootMargin: '200px' });
  observer.observe(container);
} else if (container) {
  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    const show = container.hidden;
    container.hidden = !show;
    toggle.setAttribute('aria-expanded', String(show));
    toggle.textContent = show ? 'Masquer la carte' : 'Afficher la carte';
    if (show) draw();
  });
}

async function drawMap() {
  const [{ Map, Marker, NavigationControl }, { loadMapStyles, credits, LOCALE }, { baseStyle }] = await Promise.all([
    import('/vendor/maplibre-gl/maplibre-gl.mjs'), import('./map.js'), import('./basemap.js')]);
  const [, background] = await Promise.all([loadMapStyles(), baseStyle()]);
  const centre = [Number(container.dataset.longitude), Number(container.dataset.latitude)];
  const map = new Map({
    container, center: centre, zoom: 14, maxZoom: 18, style: background.style,
    locale: { ...LOCALE, 'Map.Title': 'Position du lieu' },
    attributionControl: { compact: true, customAttribution: credits('IGN, ANCT, La MedNum', background.attribution) },
  });
  container.dataset.basemap = background.basemap ? 'configured' : 'communes';
  map.addControl(new NavigationControl({ showCompass: false }));
  const marker = document.createElement('div');
  marker.className = 'marqueur';
  marker.setAttribute('aria-hidden', 'true'); // the address and the figure's caption say where the place is
  new Marker({ element: marker }).setLngLat(centre).addTo(map);
  map.once('idle', () => { document.body.dataset.mapReady = 'true'; });
}

document.body.dataset.ready = 'true';
