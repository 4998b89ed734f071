// Evaluates OSM opening_hours values with opening_hours.js (the OSM community's reference implementation).
// Input (stdin, JSON): { "values": [string], "instants": [ISO 8601 string] }. Run with TZ=Europe/Paris.
// Output (stdout, JSON): [{ "value", "error" } | { "value", "open": [bool per instant] }].
import opening_hours from 'opening_hours';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

// Guéret, France: French public holidays.
const nominatim = { lat: 46.17, lon: 1.87, address: { country_code: 'fr', state: 'Nouvelle-Aquitaine' } };
const instants = input.instants.map((s) => new Date(s));

const results = input.values.map((value) => {
  try {
    const oh = new opening_hours(value, nominatim);
    return { value, open: instants.map((d) => oh.getState(d)) };
  } catch (e) {
    return { value, error: String(e).split('\n')[0] };
  }
});
process.stdout.write(JSON.stringify(results));
