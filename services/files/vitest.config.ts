import { packageTestConfig } from '../test-config/vitest.ts';

export default packageTestConfig();
