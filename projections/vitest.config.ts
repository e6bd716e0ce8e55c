import { packageTestConfig } from '../services/test-config/vitest.ts';

// The files share each worker's modules (the domain, the drivers, PGlite's compiled WebAssembly)
// instead of importing them again per file; no state crosses files: each opens and closes its own
// databases, and a file that moves the clock restores it (the suite's CPU time: 207 → 186 s).
// The replay property's random case is drawn once per run for both engines (test/global-setup.ts).
export default packageTestConfig({ isolate: false, globalSetup: ['test/global-setup.ts'] });
