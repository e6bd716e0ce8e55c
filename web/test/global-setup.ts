/**
 * Starts, once for every end-to-end file, the API on a copy of the demo county (built once per
 * source digest, see startApi) and the built web server, and tells the files where they are
 * (`inject('webUrl')`, `inject('apiUrl')`). The files take turns (the e2e project has no file
 * parallelism), so one file's writes never land between another's reading and comparing.
 */
import type { TestProject } from 'vitest/node';
import { assertBuilt, assertChromium, startApi, startWeb } from './servers';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    webUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertChromium();
  assertBuilt();
  const api = await startApi();
  let web: Awaited<ReturnType<typeof startWeb>>;
  try {
    web = await startWeb(api.url);
  } catch (error) {
    await api.dispose();
    throw error;
  }
  project.provide('apiUrl', api.url);
  project.provide('webUrl', web.url);
  return async () => {
    await web.stop();
    await api.dispose();
  };
}
