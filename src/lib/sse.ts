import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';

/** Reads a `text/event-stream` body as parsed events: agents' and providers' replies, and our own streams. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const text = body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>);
  const events = text.pipeThrough(new EventSourceParserStream());
  for await (const event of events as unknown as AsyncIterable<EventSourceMessage>) yield event;
}
