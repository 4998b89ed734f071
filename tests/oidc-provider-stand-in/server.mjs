// A real OpenID Connect provider (oidc-provider 9) playing ProConnect for InclusionMap's tests, on 127.0.0.1 and a free port.
//   node server.mjs CLIENT_ID CLIENT_SECRET
// Prints one JSON line once listening: {"issuer":"http://127.0.0.1:PORT"}. Stops on SIGTERM or when stdin closes.
// The client is "native" so that its redirect URI http://127.0.0.1/connexion/oidc/retour matches any loopback port
// (RFC 8252), the InclusionMap server under test being on a port chosen by the OS.
// Signing in: /interaction/UID shows a form (sub, email, email_verified); the test posts it. Consent is implied.
import http from 'node:http';
import Provider from 'oidc-provider';

const [clientId, clientSecret] = process.argv.slice(2);
if (!clientId || !clientSecret) {
  console.error('usage: node server.mjs CLIENT_ID CLIENT_SECRET');
  process.exit(2);
}

const identities = new Map();

function page(uid) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>ProConnect (test)</title></head><body>
<h1>ProConnect (test)</h1>
<form method="post" action="/interaction/${uid}/login">
<label for="sub">Identifiant</label> <input id="sub" name="sub">
<label for="email">Adresse</label> <input id="email" name="email">
<label for="email_verified">Adresse vérifiée</label> <input id="email_verified" name="email_verified" value="true">
<button type="submit">Se connecter</button></form></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/connexion/oidc/retour'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    cookies: { keys: ['inclusionmap-tests-only-cookie-key'] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const identity = identities.get(sub);
      if (!identity) return undefined;
      return { accountId: sub, async claims() { return { sub, email: identity.email, email_verified: identity.emailVerified }; } };
    },
    // First-party test client: consent is implied.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email');
      grant.addOIDCClaims(['email', 'email_verified']);
      await grant.save();
      return grant;
    },
  });
  provider.proxy = false;
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    try {
      const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(new URL(req.url, issuer).pathname);
      if (!match) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page(details.uid));
      }
      const form = await readForm(req);
      const sub = form.get('sub');
      identities.set(sub, { email: form.get('email'), emailVerified: form.get('email_verified') === 'true' });
      await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  console.log(JSON.stringify({ issuer }));
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
