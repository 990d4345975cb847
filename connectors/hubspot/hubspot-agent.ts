import http from 'node:http';
import https from 'node:https';
import { AnswerTooLarge } from '../../src/connector/answer-limit.ts';

/**
 * The HTTP agent the HubSpot SDK sends every call through (its `httpAgent`): connections kept alive, and every
 * answer counted as it arrives, so that one larger than `limit` bytes is refused before it is held whole. The SDK
 * buffers each answer's body itself; a refused one ends its call with `AnswerTooLarge`.
 */
export function limitedAgent(basePath: string, limit: number): http.Agent {
  const base = new URL(basePath).protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new base({ keepAlive: true });
  // `addRequest` is how every request of an agent reaches it (Node's own and the proxy agents hook it the same way).
  const withAdd = agent as unknown as { addRequest: (req: http.ClientRequest, options: unknown) => void };
  const addRequest = withAdd.addRequest.bind(agent);
  withAdd.addRequest = (req, options) => {
    req.once('response', (response: http.IncomingMessage) => {
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) response.destroy(new AnswerTooLarge('HubSpot', limit));
      });
    });
    addRequest(req, options);
  };
  return agent;
}
