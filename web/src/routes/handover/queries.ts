/** The GraphQL operations of /handover (换届交接). Every one reads at the header's `asOf`. */
import { graphql } from '$lib/gql';

export const OpenItemFieldsFragment = graphql(`
  fragment OpenItemFields on OpenItem {
    key
    itemId
    kind
    flagged
    reason
    reasonZh
    status
    statusAtClose
    atClose
    stationId
    relatedKeys
    predecessor {
      personId
      name
      mandateId
    }
    inheritor {
      personId
      name
      rule
      mandateId
    }
    acknowledgement {
      action
      on
      note
      position
      person {
        personId
        name
      }
    }
    actions {
      action
      on
      note
      position
      recordedAt
      person {
        personId
        name
      }
    }
    history {
      version
      eventType
      eventLabel
      details
      status
      on
      data
      position
      recordedAt
    }
  }
`);

export const ActCountFieldsFragment = graphql(`
  fragment ActCountFields on ActCount {
    act
    count
    labelZh
  }
`);

/** The dossier of a closed term, everything but its open items and seats (paged apart). */
export const DossierQuery = graphql(`
  query HandoverDossier($termId: ID, $asOf: AsOfInput) {
    handoverDossier(termId: $termId, asOf: $asOf) {
      allItems: openItems(first: 1) {
        totalCount
      }
      flaggedItems: openItems(first: 1, flagged: true) {
        totalCount
      }
      term {
        termId
        number
        startsOn
        closedOn
      }
      nextTerm {
        termId
        number
        startsOn
      }
      portfolios {
        portfolio
        flagged
        holders {
          personId
          name
        }
        successors {
          personId
          name
        }
        record {
          ...ActCountFields
        }
        openItemKeys
      }
    }
  }
`);

export const DossierOpenItemsQuery = graphql(`
  query HandoverOpenItems($termId: ID, $asOf: AsOfInput, $after: String, $first: Int, $kind: OpenItemKind, $flagged: Boolean) {
    handoverDossier(termId: $termId, asOf: $asOf) {
      openItems(first: $first, after: $after, kind: $kind, flagged: $flagged) {
        totalCount
        edges {
          node {
            ...OpenItemFields
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

export const DossierSeatsQuery = graphql(`
  query HandoverSeats($termId: ID, $asOf: AsOfInput, $after: String, $first: Int) {
    handoverDossier(termId: $termId, asOf: $asOf) {
      seats(first: $first, after: $after) {
        totalCount
        edges {
          node {
            seat {
              mandateId
              kind
              team
              level
              township
              district
              portfolio
              startsOn
              validTo
              endReason
              endReasonZh
              termNumber
              person {
                personId
                name
              }
            }
            record {
              ...ActCountFields
            }
            openItemKeys
            returnedAs {
              kind
              termNumber
              mandateId
            }
            successor {
              personId
              name
            }
            flagged
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

export const DossierStationsQuery = graphql(`
  query HandoverStations($termId: ID, $asOf: AsOfInput, $after: String, $first: Int) {
    handoverDossier(termId: $termId, asOf: $asOf) {
      stations(first: $first, after: $after) {
        totalCount
        edges {
          node {
            stationId
            name
            township
            statusAtClose
            managerAtClose {
              personId
              name
            }
            managerChanged
            nextManager {
              personId
              name
              since
            }
            record {
              ...ActCountFields
            }
            openItemKeys
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

export const DossierPairingsQuery = graphql(`
  query HandoverPairings($termId: ID, $asOf: AsOfInput, $after: String, $first: Int) {
    handoverDossier(termId: $termId, asOf: $asOf) {
      pairings(first: $first, after: $after) {
        totalCount
        edges {
          node {
            pairingId
            kind
            mentor {
              personId
              name
            }
            mentees {
              personId
              name
            }
            startsOn
            status
            statusAtClose
            openItemKey
            record {
              ...ActCountFields
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

/** "What I inherited". */
export const InheritedQuery = graphql(`
  query Inherited($personId: ID!, $asOf: AsOfInput, $after: String) {
    inherited(personId: $personId, asOf: $asOf, first: 40, after: $after) {
      totalCount
      edges {
        node {
          term {
            termId
            number
            closedOn
          }
          item {
            ...OpenItemFields
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** What is left to complete a closed term's change (换届衔接), step by step (staff and administrators). */
export const TermChangePlanQuery = graphql(`
  query TermChangePlan($termId: ID!) {
    termChangePlan(termId: $termId) {
      __typename
      ... on QueryTermChangePlanSuccess {
        data {
          number
          closedOn
          steps {
            kind
            key
            message
            messageEn
          }
        }
      }
      ... on Rejection {
        code
        messageZh
        messageEn
      }
    }
  }
`);

/** Takes the steps in one confirmed step. */
export const CompleteTermChangeMutation = graphql(`
  mutation CompleteTermChange($termId: ID!) {
    completeTermChange(termId: $termId) {
      __typename
      ... on CompleteTermChangeResult {
        data {
          position
          done {
            key
          }
          refused {
            code
            message
            messageEn
            step {
              key
              message
              messageEn
            }
          }
        }
      }
      ... on Rejection {
        code
        messageZh
        messageEn
      }
    }
  }
`);
