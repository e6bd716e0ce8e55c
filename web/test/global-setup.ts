/**
 * Starts, once for every end-to-end file, the API on a copy of the demo county (built once per
 * source digest, see startApi), with a single sign-on provider of its own (`oidc-provider`, in this
 * process: @yingpan/api/oidc-testing), and the built web server, and tells the files where they are
 * (`inject('webUrl')`, `inject('apiUrl')`). The files take turns (the e2e project has no file
 * parallelism), so one file's writes never land between another's reading and comparing.
 * A port is kept for a web server at `http://localhost:<port>` (`inject('passkeyWebPort')`), the
 * origin the API accepts passkeys from: passkeys.e2e.spec.ts starts it when it runs.
 */
import { startTestIdentityProvider } from '@yingpan/api/oidc-testing';
import type { TestProject } from 'vitest/node';
import { assertBuilt, assertChromium, freePort, startApi, startWeb } from './servers';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    webUrl: string;
    /** The single sign-on provider the API accepts (oidc-provider, in this process). */
    oidcIssuer: string;
    passkeyWebPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertChromium();
  assertBuilt();
  // The single sign-on provider sends browsers back to the web's callback: the web's port is chosen first.
  const webPort = await freePort();
  const provider = await startTestIdentityProvider({ redirectUrl: `http://127.0.0.1:${webPort}/login/sso/callback` });
  let api: Awaited<ReturnType<typeof startApi>>;
  // Passkeys are made on a web server at http://localhost:<port> (WebAuthn refuses an IP address such as 127.0.0.1).
  const passkeyWebPort = await freePort();
  let web: Awaited<ReturnType<typeof startWeb>>;
  try {
    api = await startApi({ env: { ...provider.env(), YINGPAN_PASSKEY_ORIGINS: `http://localhost:${passkeyWebPort}` } });
  } catch (error) {
    await provider.close();
    throw error;
  }
  try {
    web = await startWeb(api.url, { port: webPort });
  } catch (error) {
    await api.dispose();
    await provider.close();
    throw error;
  }
  project.provide('apiUrl', api.url);
  project.provide('webUrl', web.url);
  project.provide('oidcIssuer', provider.issuer);
  project.provide('passkeyWebPort', passkeyWebPort);
  return async () => {
    await web.stop();
    await api.dispose();
    await provider.close();
  };
}
