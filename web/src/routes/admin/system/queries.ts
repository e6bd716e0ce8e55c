/** The GraphQL operation of /admin/system (系统状态, administrators). */
import { graphql } from '$lib/gql';

export const SystemStatusQuery = graphql(`
  query SystemStatus {
    systemStatus {
      checkedAt
      engine
      engineVersion
      server
      cluster
      replication {
        standbys
        synchronousStandbys
        commitsWaitForStandby
      }
      logHead
      lastRecordedAt
      readModels {
        name
        position
        lagEvents
        failedAt
        failure
      }
      projectorLeaderPid
      projectorHere
      processId
      host
    }
  }
`);
