import { packageTestConfig } from '../test-config/vitest.ts';

// The domain's tests are pure (deciders, schemas, wording; no database): its files share each
// worker's modules instead of importing the domain afresh per file, which halves the suite's CPU
// (111 s → 58 s of user time for 37 files). A file that changes the clock restores it.
export default packageTestConfig({ isolate: false });
