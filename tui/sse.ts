/** The console reads `/events` with the client's SSE reader: one parser for both. */
export { SseParser, type SseMessage } from '../src/api/sse-reader.js';
