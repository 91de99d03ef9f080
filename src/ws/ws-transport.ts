import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';

export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/**
 * Hands one frame to the socket without waiting for its write. A subscriber that stops
 * reading is closed instead (graphql-ws's 4429-style code would be wrong here; 1013
 * "try again later" is the WebSocket code for it).
 */
export function sendFrame(socket: WebSocket, data: string, maxBufferedBytes: number): void {
  if (socket.readyState !== socket.OPEN) return;
  // A client this far behind is dropped rather than buffered without end.
  if (socket.bufferedAmount > maxBufferedBytes) return socket.close(1013, 'Too slow: messages piled up');
  socket.send(data);
}

/**
 * graphql-ws on `ws`, through graphql-ws's own `makeServer`. It differs from the stock
 * `useServer` in one way that matters for fan-out: a frame is handed to the socket
 * without waiting for its write callback, so one busy subscriber does not hold up the
 * next message to every other one (see `sendFrame`).
 */
export interface WsLimits {
  pingMs: number;
  /** Bytes a socket may have unsent before it is closed (GAVEL_WS_MAX_BUFFERED_BYTES). */
  maxBufferedBytes: number;
}

export function serveGraphqlWs(options: ServerOptions<Record<string, unknown>, WsExtra>, wss: WebSocketServer, { pingMs, maxBufferedBytes }: WsLimits) {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('connection', (socket, request) => {
    socket.once('error', () => socket.close(CloseCode.InternalServerError, 'Internal server error'));
    // Ping every pingMs; a client that misses a pong is gone. A socket may close at any
    // moment, between a ping's timer and its write too: ping only an open one.
    let alive = true;
    socket.on('pong', () => (alive = true));
    const keepAlive = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, pingMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => sendFrame(socket, data, maxBufferedBytes),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (data) => {
            try {
              await cb(String(data));
            } catch {
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners('connection');
    },
  };
}
