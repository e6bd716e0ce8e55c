/**
 * Writes the web's copy of the domain vocabulary (src/vocabulary.ts); `--check` only compares and exits 1
 * when the committed file is stale.
 */
import { writeOrCheck } from '../../../scripts/generated-file.mts';
import { registry } from '../src/registry.ts';
import { renderWebVocabulary, WEB_VOCABULARY_PATH } from '../src/vocabulary.ts';

writeOrCheck(WEB_VOCABULARY_PATH, renderWebVocabulary(registry), 'npm run vocabulary -w @yingpan/domain');
