/** `npm start` (through turbo): serves the built client and says where. */
const port = process.env.PORT || '3000';
process.env.PORT = port;
process.env.API_URL ||= `http://localhost:${process.env.API_PORT || 4000}`;
await import('../build/index.js');
console.log(`yingpan web  http://localhost:${port}  (forwarding /graphql to ${process.env.API_URL})`);
