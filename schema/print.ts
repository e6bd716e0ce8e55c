/**
 * Prints the API's SDL to schema.graphql. With --check it writes nothing and fails when the
 * committed file differs from what the code defines (run `npm run print -w @yingpan/schema`).
 */
import { printSdl } from '@yingpan/api/schema';
import { writeOrCheck } from '../scripts/generated-file.mts';

writeOrCheck('schema/schema.graphql', printSdl(), 'npm run print -w @yingpan/schema');
