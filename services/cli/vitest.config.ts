import { packageTestConfig } from '../test-config/vitest.ts';

// The files share each worker's modules (the API, the projections, the drivers) instead of importing
// them again per file; no state crosses files: each opens and closes its own databases, and
// test/yingpan.ts restores the environment and console after every in-process command.
export default packageTestConfig({ isolate: false });
