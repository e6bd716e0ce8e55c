/** The GraphQL operations of a person's page (/people/[id]). Every one reads at the header's `asOf`. */
import { graphql } from '$lib/gql';

export const PersonProfileQuery = graphql(`
  query PersonProfile($id: ID!, $asOf: AsOfInput) {
    person(id: $id) {
      personId
      name
      publicServant
      mandates(asOf: $asOf) {
        mandateId
        termId
        termNumber
        kind
        team
        level
        township
        district
        portfolio
        publicServant
        byElection
        startsOn
        plannedEndOn
        validTo
        endedOn
        endReason
      }
    }
    scoringRules(asOf: $asOf) {
      regulationId
      version
      title
      effectiveFrom
      repealedOn
    }
  }
`);

export const PersonScorecardQuery = graphql(`
  query PersonScorecard($personId: ID!, $year: Int!, $asOf: AsOfInput) {
    scorecard(personId: $personId, year: $year, asOf: $asOf) {
      personId
      year
      splitYears {
        year
        kind
        level
        township
        total
        band
        provisional
        bandWithheld
        dutiesMet
        dutiesMissed
        held {
          from
          to
          days
          share
        }
        rules {
          regulationId
          version
          title
        }
        subtotals {
          base
          parts
          proRata
          clamp
        }
        explanation {
          kind
          label
          points
          act
          dutyId
          period
          mandateId
          records {
            recordId
            position
            date
            points
          }
        }
        parts {
          mandateId
          termNumber
          label
          score {
            held {
              from
              to
              days
            }
          }
        }
      }
      mandates {
        mandateId
        kind
        level
        termNumber
        township
        score
        band
        provisional
        years {
          year
          total
          band
          provisional
          bandWithheld
          dutiesMet
          dutiesMissed
          held {
            from
            to
            share
            days
          }
          rules {
            regulationId
            version
            title
          }
          subtotals {
            base
            points
            deductions
            penalties
            proRata
            clamp
          }
          duties {
            id
            label
            core
            frequency
            met
            missed
            pending
            periods {
              period
              label
              met
              pending
              count
              required
              penalty
            }
          }
          explanation {
            kind
            label
            points
            act
            dutyId
            period
            records {
              recordId
              position
              date
              points
            }
          }
        }
      }
    }
  }
`);

/** The same year under a chosen rules version, for the side-by-side comparison. */
export const ComparedScorecardQuery = graphql(`
  query ComparedScorecard($personId: ID!, $year: Int!, $asOf: AsOfInput, $rulesVersion: RulesVersionInput!) {
    scorecard(personId: $personId, year: $year, asOf: $asOf, rulesVersion: $rulesVersion) {
      rulesVersion {
        regulationId
        version
      }
      mandates {
        mandateId
        score
        band
        dutiesMet
        dutiesMissed
        years {
          year
          total
          band
          subtotals {
            base
            points
            deductions
            penalties
            clamp
          }
        }
      }
    }
  }
`);

/** A mandate's approved records (履职记录), oldest first, a page at a time, with its counts by act. */
export const ActHistoryQuery = graphql(`
  query ActHistory($mandateId: ID!, $asOf: AsOfInput, $after: String, $from: Date, $to: Date) {
    predecessorRecord(mandateId: $mandateId, asOf: $asOf) {
      counts {
        act
        count
      }
      records(first: 50, after: $after, order: NEWEST_FIRST, from: $from, to: $to) {
        totalCount
        edges {
          node {
            ...RecordEntryFields
            evidence(asOf: $asOf) {
              ...EvidenceFileFields
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
