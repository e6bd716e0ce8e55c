/** The GraphQL operations of /public/checkpoints (日志检查点): the signing key and the checkpoints issued, for everyone. */
import { graphql } from '$lib/gql';

/** Checkpoints a page. */
export const CHECKPOINTS_PAGE = 20;

export const CheckpointsQuery = graphql(`
  query PublicCheckpoints($first: Int!, $before: Int) {
    checkpointPublicKey {
      name
      keyId
      verifierKey
    }
    checkpoints(first: $first, before: $before) {
      id
      issuedAt
      treeSize
      rootHash
      note
    }
  }
`);
