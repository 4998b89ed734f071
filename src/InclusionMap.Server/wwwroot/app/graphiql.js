// GraphiQL on /graphql, from our own files (no CDN); a static script, so the page needs no inline script.
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
const defaultQuery = `# Les 5 lieux les plus proches de Guéret
{
  sites(near: { latitude: 46.1703, longitude: 1.8717 }, first: 5) {
    totalCount
    edges {
      distanceMeters
      node { nom adresse communeName services openingHours { osm } }
    }
  }
}
`;
// The schema's description and the deprecation of arguments are part of the introspection the server answers.
ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, {
  fetcher, defaultQuery, defaultEditorToolsVisibility: true, schemaDescription: true, inputValueDeprecation: true,
}));
