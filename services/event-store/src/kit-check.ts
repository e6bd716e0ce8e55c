/**
 * What checks an auditor's kit, and nothing else: no store, no database driver. The CLI's kit page
 * bundles this entry for the browser.
 */
export { checkKit, KIT_FORMAT, type AuditKit, type KitCheck, type KitEntry, type KitEntryCheck, type KitSelection } from './kit.ts';
export { NoteError, verifierFromKey, type NoteVerifier } from './note.ts';
