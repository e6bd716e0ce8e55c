/**
 * Regulations (制度): enacted (立), amended (改) into new versions, repealed (废). Each version
 * takes effect after the previous one; a `scoring` regulation's every version carries scoring
 * rules and no other category's does. The versions in the state feed `rulesInForce`.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError, type ErrorCode } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { RegulationCategory, RegulationEvent } from './events.ts';
import type { VersionInForce } from './in-force.ts';
import type { ScoringRules } from './scoring.ts';

export const regulationStream = (regulationId: string) => `regulation:${regulationId}`;

export type RegulationCommand =
  | Command<
      'EnactRegulation',
      { regulationId: string; title: string; category: RegulationCategory; effectiveFrom: string; summary: string; scoringRules: ScoringRules | null }
    >
  | Command<'AmendRegulation', { regulationId: string; effectiveFrom: string; changes: string; scoringRules: ScoringRules | null }>
  | Command<'RepealRegulation', { regulationId: string; repealedOn: string; reason: string }>;

export interface RegulationVersion extends VersionInForce {
  version: number;
  /** The summary (version 1) or the changes (later versions). */
  text: string;
  scoringRules: ScoringRules | null;
}

export type RegulationState =
  | { status: 'none' }
  | {
      status: 'in-force' | 'repealed';
      regulationId: string;
      title: string;
      category: RegulationCategory;
      versions: RegulationVersion[];
      repealedOn: string | null;
    };

const error = (code: ErrorCode, zh: string, en: string, field: string | null) => new DomainError(code, { zh, en }, field);

function checkRulesMatchCategory(category: RegulationCategory, scoringRules: ScoringRules | null) {
  if (category === 'scoring' && scoringRules === null) {
    throw error('scoring-rules-required', '履职量化评价类制度必须包含评分规则', 'A scoring regulation must carry its scoring rules', 'scoringRules');
  }
  if (category !== 'scoring' && scoringRules !== null) {
    throw error('scoring-rules-not-allowed', '只有履职量化评价类制度可以包含评分规则', 'Only a scoring regulation can carry scoring rules', 'scoringRules');
  }
}

function inForce(state: RegulationState) {
  if (state.status === 'none') throw error('regulation-not-found', '找不到该制度', 'No such regulation', 'regulationId');
  if (state.status === 'repealed')
    throw error('regulation-repealed', `该制度已于 ${state.repealedOn} 废止`, `This regulation was repealed on ${state.repealedOn}`, 'regulationId');
  return { ...state, latest: state.versions.at(-1)! };
}

export const regulationDecider: Decider<RegulationCommand, RegulationEvent, RegulationState> = {
  category: 'regulation',
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'EnactRegulation':
        if (state.status !== 'none') throw error('regulation-exists', '该制度已经制定', 'This regulation already exists', 'regulationId');
        checkRulesMatchCategory(command.data.category, command.data.scoringRules);
        return [{ type: 'RegulationEnacted', data: { ...command.data, version: 1 } }];
      case 'AmendRegulation': {
        const { category, latest } = inForce(state);
        if (command.data.effectiveFrom <= latest.effectiveFrom) {
          throw error(
            'effective-date-order',
            `修订版本的施行日期须晚于上一版本（${latest.effectiveFrom}）`,
            `An amendment must take effect after the previous version (${latest.effectiveFrom})`,
            'effectiveFrom',
          );
        }
        checkRulesMatchCategory(category, command.data.scoringRules);
        return [{ type: 'RegulationAmended', data: { ...command.data, version: latest.version + 1 } }];
      }
      case 'RepealRegulation': {
        const { latest } = inForce(state);
        if (command.data.repealedOn <= latest.effectiveFrom) {
          throw error(
            'effective-date-order',
            `废止日期须晚于现行版本的施行日期（${latest.effectiveFrom}）`,
            `A repeal must take effect after the current version (${latest.effectiveFrom})`,
            'repealedOn',
          );
        }
        return [{ type: 'RegulationRepealed', data: command.data }];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'RegulationEnacted': {
        const { regulationId, title, category, version, effectiveFrom, summary, scoringRules } = event.data;
        return {
          status: 'in-force',
          regulationId,
          title,
          category,
          versions: [{ version, effectiveFrom, text: summary, scoringRules, repealedOn: null }],
          repealedOn: null,
        };
      }
      case 'RegulationAmended': {
        if (state.status === 'none') return state;
        const { version, effectiveFrom, changes, scoringRules } = event.data;
        return { ...state, versions: [...state.versions, { version, effectiveFrom, text: changes, scoringRules, repealedOn: null }] };
      }
      case 'RegulationRepealed': {
        if (state.status === 'none') return state;
        const { repealedOn } = event.data;
        return { ...state, status: 'repealed', repealedOn, versions: state.versions.map((version) => ({ ...version, repealedOn })) };
      }
      default:
        return assertNever(event);
    }
  },
};
