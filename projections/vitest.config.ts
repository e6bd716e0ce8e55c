import { packageTestConfig } from '../services/test-config/vitest.ts';

export default packageTestConfig();
