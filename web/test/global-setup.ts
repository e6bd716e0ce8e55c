/**
 * Starts, once for every end-to-end file, the API on a fresh demo county (building it takes most
 * of the suite's time) and the built web server, and tells the files where they are
 * (`inject('webUrl')`, `inject('apiUrl')`). The files take turns (the e2e project has no file
 * parallelism), so one file's writes never land between another's reading and comparing.
 * A port is kept for a web server at `http://localhost:<port>` (`inject('passkeyWebPort')`), the
 * origin the API accepts passkeys from: passkeys.e2e.spec.ts starts it when it runs.
 */
import type { TestProject } from 'vitest/node';
import { assertBuilt, assertChromium, freePort, startApi, startWeb } from './servers';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    webUrl: string;
    passkeyWebPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertChromium();
  assertBuilt();
  const passkeyWebPort = await freePort();
  const api = await startApi({ passkeyOrigins: `http://localhost:${passkeyWebPort}` });
  let web: Awaited<ReturnType<typeof startWeb>>;
  try {
    web = await startWeb(api.url);
  } catch (error) {
    await api.dispose();
    throw error;
  }
  project.provide('apiUrl', api.url);
  project.provide('webUrl', web.url);
  project.provide('passkeyWebPort', passkeyWebPort);
  return async () => {
    await web.stop();
    await api.dispose();
  };
}
