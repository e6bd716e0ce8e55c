/**
 * 系统状态 (administrators): the running system as health.ts reads it — the database and whether an
 * acknowledged record is on a second machine, how far each read model has applied the log, and which
 * API process runs the projector. Read anew on every request; nothing here is cached.
 */
import type { ReadModelState, Replication, SystemStatus } from '../health.ts';
import { builder } from './builder.ts';

const ReplicationRef = builder.objectRef<Replication>('Replication').implement({
  description: 'The standbys of the database server the API writes to, as it sees them (pg_stat_replication).',
  fields: (t) => ({
    standbys: t.exposeInt('standbys', { description: 'Standbys streaming from the server.' }),
    synchronousStandbys: t.exposeInt('synchronousStandbys', {
      nullable: true,
      description: 'Of them, those a commit waits for; null where the API’s database role may not see their states (pg_monitor).',
    }),
    commitsWaitForStandby: t.exposeBoolean('commitsWaitForStandby', {
      description: 'A commit waits for a standby (synchronous_standby_names is set): false while a cluster’s primary commits alone.',
    }),
  }),
});

const ReadModelStateRef = builder.objectRef<ReadModelState>('ReadModelState').implement({
  description: 'One read model: how far it has applied the log, and the event it stopped at, if any.',
  fields: (t) => ({
    name: t.exposeString('name'),
    position: t.exposeInt('position', { description: 'The last log position applied.' }),
    lagEvents: t.exposeInt('lagEvents', { description: 'Events of the log not yet applied.' }),
    lagSeconds: t.exposeFloat('lagSeconds', { description: 'How long the oldest event not yet applied has waited, in seconds.' }),
    failedAt: t.int({
      nullable: true,
      description: 'The position of the event it cannot apply (it stopped there).',
      resolve: (state) => state.failure?.position ?? null,
    }),
    failure: t.string({
      nullable: true,
      description: 'Why it stopped.',
      resolve: (state) => (state.failure ? `${state.failure.eventType}: ${state.failure.message}` : null),
    }),
  }),
});

const SystemStatusRef = builder.objectRef<SystemStatus>('SystemStatus').implement({
  description: 'The running system as one API process sees it.',
  fields: (t) => ({
    checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
    engine: t.string({ description: '`PostgreSQL` or `PGlite` (embedded).', resolve: (status) => status.database.engine }),
    engineVersion: t.string({ resolve: (status) => status.database.version }),
    server: t.string({
      nullable: true,
      description: 'The server written to, address:port (null over a socket, and for PGlite).',
      resolve: (status) => status.database.server,
    }),
    cluster: t.boolean({ description: 'DATABASE_URL names a cluster: a synchronous standby is expected.', resolve: (status) => status.database.cluster }),
    replication: t.field({
      type: ReplicationRef,
      nullable: true,
      description: 'Null for PGlite, and where the server cannot say.',
      resolve: (status) => status.replication,
    }),
    logHead: t.int({ description: 'Events in the log.', resolve: (status) => status.log.head }),
    lastRecordedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the last event was appended.',
      resolve: (status) => status.log.lastRecordedAt,
    }),
    readModels: t.field({ type: [ReadModelStateRef], resolve: (status) => status.readModels }),
    projectorLeaderPid: t.int({
      nullable: true,
      description: 'The process id of the API process that runs the projector; null when none does.',
      resolve: (status) => status.projector.leaderPid,
    }),
    projectorHere: t.boolean({ description: 'The process that answered runs the projector.', resolve: (status) => status.projector.thisProcess }),
    processId: t.int({ description: 'The process id of the API process that answered.', resolve: (status) => status.process.pid }),
    host: t.string({ description: 'The host name of the machine it runs on.', resolve: (status) => status.process.host }),
  }),
});

builder.queryFields((t) => ({
  systemStatus: t.field({
    type: SystemStatusRef,
    authScopes: { systemStatus: true },
    description: 'The running system: the database and its standbys, the log, the read models and the projector (administrators).',
    resolve: (_, __, context) => context.system(),
  }),
}));
