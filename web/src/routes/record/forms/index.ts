/**
 * The forms of /record, one module per task area, described for the form engine ($lib/forms/engine.ts): each names its
 * fields (with the limits of the GraphQL input: lengths, dates not in the future, counts), the
 * roles that may use it (those the API lets issue every command it sends; see the mutations'
 * "May be issued by" in schema.graphql — a unit test keeps them in step) and the commands it sends.
 */
import type { FormSpec } from '$lib/forms/engine';
import type { Words } from '$lib/i18n';
import { organiseActivity, recordAbsence, recordParticipation } from './activities';
import { correctRecord } from './corrections';
import { pairingActivity, practicalHelp } from './help-and-pairing';
import { answerOpinion, closeOpinion, referOpinion, registerOpinion, reopenOpinion } from './opinions';
import { dutyReport, homeVisit, rateDutyReport, stationVisit, voterReception } from './stations';
import { answerSuggestion, assignSuggestion, rateSuggestion, submitSuggestion, suggestion, withdrawSuggestion } from './suggestions';

export * from './activities';
export * from './corrections';
export * from './help-and-pairing';
export * from './opinions';
export * from './stations';
export * from './suggestions';

/** Every form of the page, grouped as the page lists them. */
export const FORM_GROUPS: readonly { title: Words; forms: readonly FormSpec[] }[] = [
  { title: { zh: '活动', en: 'Activities' }, forms: [organiseActivity, recordParticipation, recordAbsence] },
  { title: { zh: '家站与选民', en: 'Stations and voters' }, forms: [stationVisit, voterReception, homeVisit, dutyReport, rateDutyReport] },
  { title: { zh: '办实事与结队帮带', en: 'Practical help and pairing' }, forms: [practicalHelp, pairingActivity] },
  { title: { zh: '意见处理', en: 'Opinions' }, forms: [registerOpinion, referOpinion, answerOpinion, closeOpinion, reopenOpinion] },
  {
    title: { zh: '建议、议案', en: 'Suggestions' },
    forms: [suggestion, submitSuggestion, assignSuggestion, answerSuggestion, rateSuggestion, withdrawSuggestion],
  },
  { title: { zh: '更正与撤销', en: 'Corrections' }, forms: [correctRecord] },
];

export const ALL_FORMS: readonly FormSpec[] = FORM_GROUPS.flatMap((group) => group.forms);

/** The forms a role may use. */
export const formsFor = (role: string): FormSpec[] => ALL_FORMS.filter((form) => form.roles.includes(role));
