import { graphql } from '$lib/gql';

/** What a list shows of each evidence file (the `evidence` fields of records, receptions and opinions). */
export const EvidenceFileFieldsFragment = graphql(`
  fragment EvidenceFileFields on EvidenceFile {
    name
    mediaType
    size
    attachedAt
    url
    thumbnailUrl
    sha256
  }
`);
