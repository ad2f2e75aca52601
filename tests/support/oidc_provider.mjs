// A real OpenID Connect provider for the single sign-on browser tests: the certified `oidc-provider`
// package on a loopback port, with three test people and their groups.
//
// Usage: node tests/support/oidc_provider.mjs PORT BALISE_BASE_URL
// Its development sign-in form accepts any password for a known login (alice, bob, carol).
import Provider from "oidc-provider";

const [port, balise] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const PEOPLE = {
  alice: { email: "alice@sso.example", name: "Alice Admin", groups: ["balise-admins", "tous"] },
  bob: { email: "bob@sso.example", name: "Bob Employé", groups: ["balise-staff"] },
  carol: { email: "carol@sso.example", name: "Carol Sans-Rôle", groups: ["comptabilite"] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "balise",
      client_secret: "secret-de-test-sso",
      redirect_uris: [`${balise}/sso/retour`],
      post_logout_redirect_uris: [`${balise}/connexion`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  scopes: ["openid", "email", "profile", "groups", "offline_access"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["balise-test-cookie-key"] },
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return { accountId: id, async claims() { return { sub: id, email_verified: true, ...person }; } };
  },
  // Consent is taken as given, as a municipality's provider does for its own applications.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile groups");
    grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
