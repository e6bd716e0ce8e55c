// Generated from the domain’s vocabulary (services/domain/src/kernel/acts.ts, roles.ts, activity/events.ts and the
// event registry) by `npm run vocabulary -w @yingpan/domain`. Do not edit: a test fails when it is stale.
import type { ActKind, OrganiseActivityKind, TrainingType } from './gql/graphql';

export interface Words {
  readonly zh: string;
  readonly en: string;
}

/** Kinds of countable act (履职事项), as the schema’s ActKind names them. */
export const ACT_KINDS = ['TRAINING', 'INSPECTION', 'RESEARCH', 'LAW_ENFORCEMENT_INSPECTION', 'SPECIAL_INQUIRY', 'REPORT_DELIBERATION', 'COMMITTEE_MEETING_ATTENDANCE', 'CONSULTATION_RECOMMENDATION', 'ABSENCE_WITH_LEAVE', 'ABSENCE_WITHOUT_LEAVE', 'PAIRING_ACTIVITY', 'STATION_VISIT', 'HOME_VISIT', 'VOTER_RECEPTION', 'SUGGESTION', 'MOTION', 'DUTY_REPORT', 'POLICY_PUBLICITY', 'LEGAL_ADVICE', 'DISPUTE_MEDIATION'] as const satisfies readonly ActKind[];

/** Each act kind’s name. */
export const ACT_LABELS = {
  TRAINING: { zh: '培训', en: 'Training' },
  INSPECTION: { zh: '视察', en: 'Inspection visit' },
  RESEARCH: { zh: '调研', en: 'Research visit' },
  LAW_ENFORCEMENT_INSPECTION: { zh: '执法检查', en: 'Law-enforcement inspection' },
  SPECIAL_INQUIRY: { zh: '专题询问', en: 'Special inquiry' },
  REPORT_DELIBERATION: { zh: '报告审议', en: 'Report deliberation' },
  COMMITTEE_MEETING_ATTENDANCE: { zh: '列席常委会会议', en: 'Attending committee meetings' },
  CONSULTATION_RECOMMENDATION: { zh: '推荐参加意见征求会', en: 'Recommended to consultations' },
  ABSENCE_WITH_LEAVE: { zh: '请假缺席', en: 'Absence with leave' },
  ABSENCE_WITHOUT_LEAVE: { zh: '无故缺席', en: 'Absence without leave' },
  PAIRING_ACTIVITY: { zh: '结队帮带活动', en: 'Pairing activity' },
  STATION_VISIT: { zh: '进站履职', en: 'Station visit' },
  HOME_VISIT: { zh: '回家（回选区）履职', en: 'Home visit' },
  VOTER_RECEPTION: { zh: '接待选民', en: 'Voter reception' },
  SUGGESTION: { zh: '提出建议', en: 'Suggestion' },
  MOTION: { zh: '提出议案', en: 'Motion' },
  DUTY_REPORT: { zh: '向选民述职', en: 'Duty report to voters' },
  POLICY_PUBLICITY: { zh: '政策宣传', en: 'Policy publicity' },
  LEGAL_ADVICE: { zh: '法律咨询', en: 'Legal advice' },
  DISPUTE_MEDIATION: { zh: '矛盾调解', en: 'Dispute mediation' },
} as const satisfies Record<ActKind, Words>;

/** The county figures that count act records. */
export const HEADLINES = ['training', 'supervision', 'committee-meeting-attendance', 'consultation-recommendation'] as const;
export type Headline = (typeof HEADLINES)[number];

export const HEADLINE_LABELS = {
  training: { zh: '培训人次', en: 'Training person-times' },
  supervision: { zh: '代表参加调研、视察、执法检查', en: 'Deputies in research, inspection and law-enforcement checks' },
  'committee-meeting-attendance': { zh: '列席常委会会议代表', en: 'Deputies attending committee meetings' },
  'consultation-recommendation': { zh: '推荐参加意见征求会', en: 'Recommended to consultation meetings' },
} as const satisfies Record<Headline, Words>;

/** The act kinds each headline counts (every other kind counts toward none). */
export const HEADLINE_ACTS = {
  training: ['TRAINING'],
  supervision: ['INSPECTION', 'RESEARCH', 'LAW_ENFORCEMENT_INSPECTION'],
  'committee-meeting-attendance': ['COMMITTEE_MEETING_ATTENDANCE'],
  'consultation-recommendation': ['CONSULTATION_RECOMMENDATION'],
} as const satisfies Record<Headline, readonly ActKind[]>;

/** Organised activities other than trainings, as the schema’s OrganiseActivityKind names them; the supervision ones first. */
export const ACTIVITY_KIND_LABELS = {
  INSPECTION: { zh: '视察', en: 'Inspection visit' },
  RESEARCH: { zh: '调研', en: 'Research visit' },
  LAW_ENFORCEMENT_INSPECTION: { zh: '执法检查', en: 'Law-enforcement inspection' },
  SPECIAL_INQUIRY: { zh: '专题询问', en: 'Special inquiry' },
  REPORT_DELIBERATION: { zh: '报告审议', en: 'Report deliberation' },
  COMMITTEE_MEETING: { zh: '常委会会议', en: 'Standing-committee meeting' },
  CONSULTATION_MEETING: { zh: '县委、县政府意见征求会', en: 'County consultation meeting' },
} as const satisfies Record<OrganiseActivityKind, Words>;

/** Kinds of training, as the schema’s TrainingType names them. */
export const TRAINING_TYPE_LABELS = {
  ANNUAL_STUDY_PLAN: { zh: '年度学习计划', en: 'Annual study plan' },
  EXPERT_LECTURE: { zh: '专家讲座', en: 'Expert lecture' },
  STATION_STUDY: { zh: '进站学习', en: 'Study at a station' },
  INDUCTION_CLASS: { zh: '新任干部和代表培训班', en: 'Induction class for new cadres and deputies' },
  COMMITTEE_MEMBER_TRAINING: { zh: '常委会组成人员培训', en: 'Standing-committee member training' },
} as const satisfies Record<TrainingType, Words>;

/** Who may act (a viewer’s role, as the API reports it). */
export const ROLES = ['public', 'deputy', 'station-manager', 'staff', 'committee-member', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS = {
  public: { zh: '公众', en: 'Public' },
  deputy: { zh: '人大代表', en: 'Deputy' },
  'station-manager': { zh: '站点负责人（乡镇人大主席）', en: 'Station manager (township chair)' },
  staff: { zh: '机关工作人员', en: 'Office staff' },
  'committee-member': { zh: '常委会组成人员', en: 'Standing-committee member' },
  auditor: { zh: '审计人员', en: 'Auditor' },
  admin: { zh: '系统管理员', en: 'Administrator' },
} as const satisfies Record<Role, Words>;

/** The roles an account can be granted, as the schema’s GrantRole names them, with their names. */
export const GRANT_ROLE_LABELS = {
  DEPUTY: { zh: '人大代表', en: 'Deputy' },
  STATION_MANAGER: { zh: '站点负责人（乡镇人大主席）', en: 'Station manager (township chair)' },
  STAFF: { zh: '机关工作人员', en: 'Office staff' },
  COMMITTEE_MEMBER: { zh: '常委会组成人员', en: 'Standing-committee member' },
  AUDITOR: { zh: '审计人员', en: 'Auditor' },
  ADMIN: { zh: '系统管理员', en: 'Administrator' },
} as const satisfies Record<string, Words>;

/** Every event type the log holds, by the stream type it lives on. */
export const EVENT_TYPES = {
  person: ['PersonRegistered'],
  term: ['TermOpened', 'TermClosed'],
  mandate: ['MandateStarted', 'MandateEnded'],
  activity: ['TrainingOrganised', 'TrainingAttendanceRecorded', 'ActivityOrganised', 'ParticipationRecorded', 'AbsenceRecorded', 'ActivityCancelled'],
  pairing: ['PairingFormed', 'PairingActivityRecorded', 'PairingHandedOver', 'PairingCarriedOver', 'PairingEnded'],
  station: ['StationEstablished', 'StationManagerAssigned', 'StationManagerEnded', 'ReceptionTimesPublished', 'StationUpgraded', 'DeputyAssignedToStation', 'DeputyUnassignedFromStation', 'StationClosed', 'StationVisitRecorded', 'VoterReceptionHeld', 'ReceptionAttendanceRecorded'],
  'deputy-act': ['HomeVisitRecorded', 'PracticalHelpRecorded'],
  opinion: ['OpinionRegistered', 'OpinionReferred', 'OpinionAnswered', 'OpinionClosed', 'OpinionReopened'],
  suggestion: ['SuggestionDrafted', 'SuggestionSubmitted', 'SuggestionAssigned', 'SuggestionAnswered', 'SuggestionRated', 'SuggestionWithdrawn'],
  'duty-report': ['DutyReportDelivered', 'DutyReportRated'],
  regulation: ['RegulationEnacted', 'RegulationAmended', 'RegulationRepealed'],
  '*': ['RecordApproved', 'RecordRejected', 'RecordCorrected', 'RecordRetracted', 'EvidenceAttached'],
  handover: ['HandoverItemAcknowledged', 'HandoverItemReassigned'],
  account: ['AccountCreated', 'AccountLinkedToPerson', 'RoleGranted', 'RoleRevoked', 'PasswordSet', 'PasswordReset', 'SignInLockedOut', 'TotpEnrolled', 'TotpReset', 'AccountLinkedToIdentityProvider', 'AccountUnlinkedFromIdentityProvider', 'PasskeyRegistered', 'PasskeyRemoved'],
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES][number];
