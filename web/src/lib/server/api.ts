/** Where the API is: `API_URL` (default http://localhost:4000), read at request time. */
import { env } from '$env/dynamic/private';
import { apiPathUrl, graphqlUrl } from './graphql-proxy';

const DEFAULT_API_URL = 'http://localhost:4000';

const base = (): string => env.API_URL || DEFAULT_API_URL;

/** The API's GraphQL endpoint, with `search` (a GET request's operation) appended. */
export const apiGraphqlUrl = (search = ''): string => graphqlUrl(base(), search);

/** Another of the API's routes (`/import/…`, `/files/…`, `/kit`), with `search` appended. */
export const apiUrl = (path: string, search = ''): string => apiPathUrl(base(), path, search);
