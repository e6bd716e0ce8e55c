/**
 * 系统状态: what the page says about where an acknowledged record is kept, from the API's
 * `systemStatus` (services/api/src/health.ts). One server, a protected cluster, or a cluster whose
 * primary commits alone — the state users cannot notice, as every save still succeeds.
 */
import type { Words } from '$lib/i18n';

export interface ReplicationFacts {
  engine: string;
  cluster: boolean;
  replication: { standbys: number; synchronousStandbys: number | null; commitsWaitForStandby: boolean } | null;
}

export type Protection = 'protected' | 'alone' | 'async' | 'single' | 'embedded' | 'unknown';

export function protectionOf(facts: ReplicationFacts): Protection {
  if (facts.engine === 'PGlite') return 'embedded';
  const replication = facts.replication;
  if (!replication || replication.synchronousStandbys === null) return 'unknown';
  if (replication.commitsWaitForStandby && replication.synchronousStandbys > 0) return 'protected';
  if (facts.cluster) return 'alone';
  return replication.standbys > 0 ? 'async' : 'single';
}

export const PROTECTION_TONE: Record<Protection, 'ok' | 'info' | 'warn' | 'bad'> = {
  protected: 'ok',
  alone: 'bad',
  async: 'warn',
  single: 'info',
  embedded: 'info',
  unknown: 'warn',
};

/** The headline and what it means, per state; `{n}` is the number of standbys. */
export const PROTECTION_WORDS: Record<Protection, { headline: Words; detail: Words }> = {
  protected: {
    headline: { zh: '双机保存', en: 'Kept on two machines' },
    detail: {
      zh: '每条记录在主库和 {n} 台同步备用机上都写好后，才向用户显示“已保存”。主库故障时备用机在几秒内接替，已确认的记录一条不丢。',
      en: 'A record is reported saved only once the primary and {n} synchronous standby(s) hold it. If the primary fails, a standby takes over within seconds and no acknowledged record is lost.',
    },
  },
  alone: {
    headline: { zh: '只有主库在保存', en: 'The primary is saving alone' },
    detail: {
      zh: '同步备用机已离线或磁盘已满，此刻确认的记录只在一台服务器上。用户照常保存，察觉不到；但主库若再出故障，这段时间的记录会丢失。请尽快恢复备用机（处理办法见运维手册 docs/operations.md）。',
      en: 'The synchronous standby is down or its disk is full: records acknowledged now are on one server only. Users notice nothing, but if the primary failed too they would be lost. Bring the standby back (docs/operations.md).',
    },
  },
  async: {
    headline: { zh: '备用机异步复制', en: 'Standbys copy asynchronously' },
    detail: {
      zh: '有 {n} 台备用机在复制，但提交不等待它们：主库故障时，最后几秒确认的记录可能不在备用机上。',
      en: '{n} standby(s) copy the primary, but commits do not wait for them: the last seconds of acknowledged records may be missing from them if the primary fails.',
    },
  },
  single: {
    headline: { zh: '单机运行', en: 'A single server' },
    detail: {
      zh: '已确认的记录只保存在这一台数据库服务器上（没有配置备用机）。请确保每天备份；需要不停机时，按运维手册（docs/operations.md）部署双机集群。',
      en: 'Acknowledged records are on this one database server (no standby is configured). Keep daily backups; for uninterrupted service, run the two-machine cluster of docs/operations.md.',
    },
  },
  embedded: {
    headline: { zh: '嵌入式数据库（试用）', en: 'Embedded database (trial)' },
    detail: {
      zh: '数据保存在本机的一个文件夹中，只有这一份，适合试用和演示。正式使用请接 PostgreSQL（设置 DATABASE_URL，见运维手册 docs/operations.md）。',
      en: 'The data is one folder on this machine, in one copy: for trials and demonstrations. For real use, connect PostgreSQL (DATABASE_URL, see docs/operations.md).',
    },
  },
  unknown: {
    headline: { zh: '无法确认备用机状态', en: 'Standbys cannot be checked' },
    detail: {
      zh: '数据库账号看不到备用机的状态（需要 pg_monitor 权限），无法判断记录是否已在第二台服务器上。',
      en: 'The database role cannot see the standbys’ states (it needs pg_monitor): whether records are on a second server cannot be told.',
    },
  },
};

/** The read models, as the office calls what they hold. */
export const READ_MODEL_NAMES: Record<string, Words> = {
  directory: { zh: '人员名录', en: 'Directory' },
  training_stats: { zh: '培训统计', en: 'Training statistics' },
  mandates: { zh: '代表任职', en: 'Mandates' },
  facts: { zh: '履职记录', en: 'Duty records' },
  scoring_rules: { zh: '评分与考核', en: 'Scores' },
  county_registry: { zh: '全县统计', en: 'County statistics' },
  handover: { zh: '换届交接', en: 'Handover' },
  stations: { zh: '家站台账', en: 'Station books' },
  accounts: { zh: '账户与授权', en: 'Accounts' },
  evidence: { zh: '佐证材料', en: 'Evidence' },
};
