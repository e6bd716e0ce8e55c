/**
 * The cached demo counties (template databases, see county-cache.ts):
 *
 *   npm run bench:county-cache -w @yingpan/bench                      lists them, and the name the current code wants
 *   npm run bench:county-cache -w @yingpan/bench -- --drop            drops every one
 *   npm run bench:county-cache -w @yingpan/bench -- --build [--scale county] [--seed 1] [--rebuild-county]
 *                                                                     builds one now (if missing, or again)
 */
import { parseArgs } from 'node:util';
import type { ScaleName } from '@yingpan/seed';
import { countyDatabase, countyFingerprint, dropTemplates, listTemplates, templateName } from './county-cache.ts';
import { databaseUrl } from './options.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    drop: { type: 'boolean' },
    build: { type: 'boolean' },
    scale: { type: 'string' },
    seed: { type: 'string' },
    'rebuild-county': { type: 'boolean' },
  },
});
databaseUrl();
const scale = (values.scale ?? 'county') as ScaleName;
if (!['small', 'county'].includes(scale)) throw new Error(`--scale must be small or county, got ${scale}`);
const seed = Number(values.seed ?? 1);

if (values.drop) {
  const dropped = await dropTemplates();
  console.log(dropped.length > 0 ? `dropped ${dropped.join(', ')}` : 'no cached county to drop');
} else if (values.build) {
  const database = await countyDatabase({ scale, seed, rebuild: values['rebuild-county'] ?? false });
  await database.drop();
  console.log(`${templateName(scale, seed)}: ${database.county.events.toLocaleString('en-US')} events`);
} else {
  const templates = await listTemplates();
  for (const template of templates) {
    console.log(
      `${template.name}  ${template.size}  ${template.summary ? `${template.summary.events.toLocaleString('en-US')} events, ${template.summary.people} people` : '(no summary)'}`,
    );
  }
  if (templates.length === 0) console.log('no cached county');
  console.log(
    `the current code (fingerprint ${countyFingerprint()}) uses ${templateName('county', 1)} for the county, ${templateName('small', 1)} for the small one`,
  );
}
