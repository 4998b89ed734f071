// /embed?commune=35238&services=…&limit=…&map=off : the widget, full page, for sites that can only add an iframe. Every
// attribute of the widget but its height (the iframe's) is a parameter of the same name.
const params = new URLSearchParams(location.search);
const widget = document.getElementById('widget');
for (const name of ['services', 'programmes', 'limit', 'map', 'color', 'background', 'target']) {
  if (params.get(name)) widget.setAttribute(name, params.get(name));
}
widget.setAttribute('commune', params.get('commune') ?? '');
