/**
 * The one vocabulary of what happened to an item at a term change, in the words a clerk reads: each
 * event type a handover history shows, and the fields of an item's state. Pages and exports take
 * their labels from here (through the API), never the event type or field name itself.
 */
export const EVENT_LABELS: Record<string, { zh: string; en: string }> = {
  OpinionRegistered: { zh: '意见登记', en: 'Opinion registered' },
  OpinionReferred: { zh: '交办', en: 'Referred' },
  OpinionAnswered: { zh: '答复', en: 'Answered' },
  OpinionClosed: { zh: '办结', en: 'Closed' },
  OpinionReopened: { zh: '重新办理', en: 'Reopened' },
  SuggestionDrafted: { zh: '起草', en: 'Drafted' },
  SuggestionSubmitted: { zh: '提交', en: 'Submitted' },
  SuggestionAssigned: { zh: '交办承办单位', en: 'Assigned to an agency' },
  SuggestionAnswered: { zh: '承办单位答复', en: 'Answered' },
  SuggestionRated: { zh: '代表评价', en: 'Rated by the deputy' },
  SuggestionWithdrawn: { zh: '撤回', en: 'Withdrawn' },
  PairingFormed: { zh: '结对', en: 'Pairing formed' },
  PairingHandedOver: { zh: '更换帮带人', en: 'Handed over to a new mentor' },
  PairingCarriedOver: { zh: '换届衔接', en: 'Carried over at the term change' },
  PairingEnded: { zh: '结对结束', en: 'Pairing ended' },
  StationEstablished: { zh: '家站设立', en: 'Station set up' },
  StationManagerAssigned: { zh: '指定负责人', en: 'Manager assigned' },
  StationManagerEnded: { zh: '负责人卸任', en: 'Manager left' },
  StationClosed: { zh: '家站撤销', en: 'Station closed' },
  DeputyAssignedToStation: { zh: '代表进站', en: 'Deputy assigned' },
  DeputyUnassignedFromStation: { zh: '代表离站', en: 'Deputy left' },
  MandateStarted: { zh: '任职', en: 'Mandate started' },
  MandateEnded: { zh: '任职终止', en: 'Mandate ended' },
  TermOpened: { zh: '届期开始', en: 'Term opened' },
  TermClosed: { zh: '换届', en: 'Term closed' },
  HandoverItemAcknowledged: { zh: '确认接收', en: 'Acknowledged' },
  HandoverItemReassigned: { zh: '重新指定接收人', en: 'Reassigned' },
};

/** The fields of an item's state a handover shows, in words (ids are never shown). */
export const ITEM_FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  category: { zh: '类别', en: 'Category' },
  agency: { zh: '承办单位', en: 'Agency' },
  deadline: { zh: '办理期限', en: 'Deadline' },
  registeredOn: { zh: '登记日期', en: 'Registered' },
  draftedOn: { zh: '起草日期', en: 'Drafted' },
  title: { zh: '标题', en: 'Title' },
  kind: { zh: '类型', en: 'Kind' },
  outcome: { zh: '答复结果', en: 'Outcome' },
  rating: { zh: '评价', en: 'Rating' },
  satisfaction: { zh: '满意度', en: 'Satisfaction' },
  reason: { zh: '原因', en: 'Reason' },
  startsOn: { zh: '开始日期', en: 'Started' },
  endedOn: { zh: '结束日期', en: 'Ended' },
  carriedOverOn: { zh: '衔接日期', en: 'Carried over' },
  managerSince: { zh: '负责人任职起', en: 'Manager since' },
  managerEndedOn: { zh: '负责人卸任日', en: 'Manager left on' },
  name: { zh: '名称', en: 'Name' },
  establishedOn: { zh: '设立日期', en: 'Set up' },
  closedOn: { zh: '撤销日期', en: 'Closed' },
};

/** An event type in words; the type itself only when the vocabulary lacks it. */
export const eventLabel = (type: string): { zh: string; en: string } => EVENT_LABELS[type] ?? { zh: type, en: type };
