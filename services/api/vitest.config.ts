import { packageTestConfig } from '../test-config/vitest.ts';

// The files take turns in each worker and share its modules (the schema, the projections, the
// drivers) instead of importing them again per file. No state may cross files: whatever a file
// opens (runtime, projector, database) it closes, and what a module remembers is kept per runtime,
// app or database (e.g. test/graphql-client.ts keeps the position read-your-writes waits for per app).
export default packageTestConfig({ isolate: false });
