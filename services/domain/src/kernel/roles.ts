/** Who may act. The API maps a signed-in caller to one of these. */
export const ROLES = ['public', 'deputy', 'station-manager', 'staff', 'committee-member', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  public: { zh: '公众', en: 'Public' },
  deputy: { zh: '人大代表', en: 'Deputy' },
  'station-manager': { zh: '站点负责人（乡镇人大主席）', en: 'Station manager (township chair)' },
  staff: { zh: '机关工作人员', en: 'Office staff' },
  'committee-member': { zh: '常委会组成人员', en: 'Standing-committee member' },
  auditor: { zh: '审计人员', en: 'Auditor' },
  admin: { zh: '系统管理员', en: 'Administrator' },
};

/** Roles whose records of acts are approved on entry; a deputy's own records are declarations awaiting review. */
export const RECORDING_ROLES: readonly Role[] = ['staff', 'station-manager', 'committee-member', 'admin'];
