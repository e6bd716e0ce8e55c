/** The GraphQL operations of a station's page (/stations/[id]). Every one reads at the header's `asOf`. */
import { graphql } from '$lib/gql';

export const StationOverviewQuery = graphql(`
  query StationOverview($stationId: ID!, $asOf: AsOfInput) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      from
      to
      day
      station {
        summary {
          stationId
          name
          township
          type
          address
          establishedOn
          closedOn
          manager {
            personId
            name
            fromOn
          }
          counts {
            deputies
            receptions
            votersReceived
            opinions
            openOpinions
            stationVisits
            upgrades
            upgradeYuan
          }
        }
        schedules {
          fromOn
          toOn
          note
          slots {
            day
            repeat
            startTime
            endTime
          }
        }
        managers {
          personId
          name
          fromOn
          toOn
        }
      }
      roster {
        mandateId
        personId
        name
        level
        termNumber
        fromOn
        toOn
        endReason
      }
      duty {
        personId
        name
        counts {
          stationVisits
          homeVisits
          voterReceptions
          dutyReports
        }
      }
    }
  }
`);

/** Where a book's page ends (every book is paged the same way). */
export const BookPageInfoFragment = graphql(`
  fragment BookPageInfo on PageInfo {
    hasNextPage
    endCursor
  }
`);

export const ReceptionBookQuery = graphql(`
  query ReceptionBook($stationId: ID!, $asOf: AsOfInput, $after: String, $from: Date, $to: Date) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      receptions(first: 20, after: $after, order: NEWEST_FIRST, from: $from, to: $to) {
        totalCount
        edges {
          node {
            receptionId
            heldOn
            lead {
              personId
              name
            }
            deputies {
              personId
              name
              status
            }
            votersReceived
            opinionCount
            topics
            evidence(asOf: $asOf) {
              ...EvidenceFileFields
            }
          }
        }
        pageInfo {
          ...BookPageInfo
        }
      }
    }
  }
`);

export const OpinionBookQuery = graphql(`
  query OpinionBook($stationId: ID!, $asOf: AsOfInput, $after: String, $from: Date, $to: Date) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      opinions(first: 20, after: $after, order: NEWEST_FIRST, from: $from, to: $to) {
        totalCount
        edges {
          node {
            opinionId
            registeredOn
            category
            receivedBy {
              personId
              name
            }
            agency
            deadline
            status
            satisfaction
            evidence(asOf: $asOf) {
              ...EvidenceFileFields
            }
          }
        }
        pageInfo {
          ...BookPageInfo
        }
      }
    }
  }
`);

export const HandlingBookQuery = graphql(`
  query HandlingBook($stationId: ID!, $asOf: AsOfInput, $after: String, $from: Date, $to: Date) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      handling(first: 20, after: $after, order: NEWEST_FIRST, from: $from, to: $to) {
        totalCount
        edges {
          node {
            opinionId
            category
            agency
            status
            deadline
            late
            overdue
            steps {
              stepNo
              on
              status
              agency
              answer
              note
              satisfaction
            }
          }
        }
        pageInfo {
          ...BookPageInfo
        }
      }
    }
  }
`);

/** A page of the 活动簿 or 学习簿 (both are lists of records). */
export const BookRecordPageFragment = graphql(`
  fragment BookRecordPage on BookRecordConnection {
    totalCount
    edges {
      node {
        recordId
        date
        act
        personId
        name
        summary
        status
        corrected
        streamId
        evidence(asOf: $asOf) {
          ...EvidenceFileFields
        }
      }
    }
    pageInfo {
      ...BookPageInfo
    }
  }
`);

export const ActivityBookQuery = graphql(`
  query ActivityBook($stationId: ID!, $asOf: AsOfInput, $after: String, $from: Date, $to: Date) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      activities(first: 20, after: $after, order: NEWEST_FIRST, from: $from, to: $to) {
        ...BookRecordPage
      }
    }
  }
`);

export const StudyBookQuery = graphql(`
  query StudyBook($stationId: ID!, $asOf: AsOfInput, $after: String, $from: Date, $to: Date) {
    stationBooks(stationId: $stationId, asOf: $asOf) {
      study(first: 20, after: $after, order: NEWEST_FIRST, from: $from, to: $to) {
        ...BookRecordPage
      }
    }
  }
`);

export const StationComplianceQuery = graphql(`
  query StationCompliance($stationId: ID!, $year: Int!, $asOf: AsOfInput, $after: String) {
    stationCompliance(stationId: $stationId, year: $year, asOf: $asOf) {
      year
      day
      periods {
        period
        dutyLabel
        act
      }
      deputies(first: 100, after: $after) {
        totalCount
        edges {
          node {
            personId
            name
            level
            met
            missed
            cells {
              period
              dutyLabel
              status
              required
              recordIds
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** The receptions held in a month (the reception calendar): the days only. */
export const ReceptionDaysQuery = graphql(`
  query ReceptionDays($stationId: ID!, $asOf: AsOfInput, $from: Date!, $to: Date!, $after: String) {
    stationBooks(stationId: $stationId, asOf: $asOf, from: $from, to: $to) {
      receptions(first: 100, after: $after) {
        edges {
          node {
            receptionId
            heldOn
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** Who could read the voter behind an opinion on a day (auditors and administrators; VoterReaders.svelte). */
export const VoterReadersQuery = graphql(`
  query VoterReaders($opinionId: ID!, $on: Date) {
    voterReaders(opinionId: $opinionId, on: $on) {
      account {
        accountId
        username
        displayName
        personName
      }
      roleLabelZh
      reasonZh
      grants {
        id
        roleLabelZh
        scopeKind
        township
        stationName
        from
        until
      }
    }
  }
`);
