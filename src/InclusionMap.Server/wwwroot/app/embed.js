// /embed?commune=35238&services=…&limit=…&map=off : the widget, full page, for sites that can only add an iframe.
const params = new URLSearchParams(location.search);
const widget = document.getElementById('widget');
for (const name of ['services', 'limit', 'map']) if (params.get(name)) widget.setAttribute(name, params.get(name));
widget.setAttribute('commune', params.get('commune') ?? '');
