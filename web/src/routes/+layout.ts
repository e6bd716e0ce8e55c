// The app renders in the browser: all data comes from /graphql, nothing to render on the server.
export const ssr = false;
export const prerender = false;
