// An OpenID Connect provider on 127.0.0.1 for the sign-in tests of loverboy_stats.
//
// It is panva's certified `oidc-provider` (exact version in package.json and package-lock.json)
// with what the tests need around it:
//   - one confidential client and the accounts, read from a JSON file the test writes:
//     {"client": {client_id, client_secret, redirect_uris}, "accounts": [{email, password,
//      sub, name, id_token_ttl?, email_verified?}]};
//   - a username/password form in Dutch (the provider's own development pages would fetch
//     fonts from Google, and would accept anyone);
//   - PKCE (S256) required, and the `select_account` prompt that Streamlit always sends;
//   - an ID-token lifetime per account (`id_token_ttl`, seconds), so a test can let a sign-in
//     expire;
//   - e-mail and name inside the ID token: Streamlit's st.user holds the ID token's claims only.
// It listens on 127.0.0.1 only and contacts nobody.
//
// Usage: node server.js --port PORT --config FILE

import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { interactionPolicy } from 'oidc-provider';

const HOST = '127.0.0.1';
const HOUR = 3600;

const { values: args } = parseArgs({
  options: { port: { type: 'string' }, config: { type: 'string' } },
});
const port = Number(args.port);
if (!Number.isInteger(port) || port <= 0 || !args.config) {
  console.error('usage: node server.js --port PORT --config FILE');
  process.exit(2);
}
const config = JSON.parse(readFileSync(args.config, 'utf8'));
const byEmail = new Map(config.accounts.map((a) => [a.email.toLowerCase(), a]));
const bySub = new Map(config.accounts.map((a) => [a.sub, a]));

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

const page = (title, body) => `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}
label{display:block;margin-top:1rem}input{width:100%;padding:.4rem}
button{margin-top:1rem;padding:.5rem 1rem}.fout{color:#a00}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

function loginForm(uid, login = '', problem = '') {
  const safeUid = escapeHtml(uid);
  return page('Inloggen bij de regio', `
<form method="post" action="/interaction/${safeUid}/login" autocomplete="off">
  ${problem ? `<p class="fout" role="alert">${escapeHtml(problem)}</p>` : ''}
  <label for="login">E-mailadres</label>
  <input id="login" name="login" type="text" required value="${escapeHtml(login)}">
  <label for="password">Wachtwoord</label>
  <input id="password" name="password" type="password" required>
  <button type="submit">Inloggen</button>
</form>`);
}

// The default policy plus a requestable `select_account`: Streamlit asks for it in every
// authorization request, and the default policy would refuse the request.
const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(`http://${HOST}:${port}`, {
  clients: [{
    ...config.client,
    post_logout_redirect_uris: config.client.redirect_uris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  pkce: { methods: ['S256'], required: () => true },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false,
  async findAccount(ctx, sub) {
    const account = bySub.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const claims = { sub, email: account.email, name: account.name };
        // Like Microsoft Entra ID, an account with "email_verified": false in the config
        // gets no email_verified claim at all.
        if (account.email_verified !== false) claims.email_verified = true;
        return claims;
      },
    };
  },
  // A first-party client: no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Afmelden', `${form}<p>Ook afmelden bij de inlogdienst?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, afmelden</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Afgemeld', '<p>U bent afgemeld.</p>');
      },
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Fout bij de inlogdienst', `<p>${escapeHtml(out.error)}</p>`);
  },
  ttl: {
    AccessToken: HOUR,
    AuthorizationCode: 60,
    Grant: HOUR,
    Interaction: 600,
    Session: HOUR,
    IdToken: (ctx, token) => bySub.get(token.available?.sub)?.id_token_ttl || HOUR,
  },
});

async function formOf(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res, html, status = 200) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function passwordMatches(account, given) {
  const expected = Buffer.from(account ? account.password : '');
  const offered = Buffer.from(given || '');
  return Boolean(account) && expected.length === offered.length
    && crypto.timingSafeEqual(expected, offered);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, page('Fout', '<p>Onbekende aanvraag.</p>'), 400);
  if (action === 'login' && req.method === 'POST') {
    const form = await formOf(req);
    const login = (form.get('login') || '').trim().toLowerCase();
    const account = byEmail.get(login);
    if (!passwordMatches(account, form.get('password'))) {
      return send(res, loginForm(uid, login, 'Onbekend e-mailadres of onjuist wachtwoord.'));
    }
    return provider.interactionFinished(
      req, res, { select_account: {}, login: { accountId: account.sub } },
      { mergeWithLastSubmission: false },
    );
  }
  return send(res, loginForm(uid));
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const found = /^\/interaction\/([\w-]+)(?:\/(login))?\/?$/.exec(req.url.split('?')[0]);
  if (!found) return callback(req, res);
  try {
    return await interaction(req, res, found[1], found[2]);
  } catch (err) {
    console.error('interaction failed:', err.message);
    if (!res.headersSent) send(res, page('Fout', `<p>${escapeHtml(err.message)}</p>`), 400);
  }
  return undefined;
});

server.listen(port, HOST, () => console.log(`provider ready on http://${HOST}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { server.closeAllConnections?.(); process.exit(0); });
}
