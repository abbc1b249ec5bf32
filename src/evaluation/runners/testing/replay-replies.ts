import { seededRandom } from '../../../random/seeded-random.js';

/**
 * The deterministic "model" behind the Ollama and OpenAI replay servers: replies and embeddings
 * are functions of the request only, so a test can compute what a runner must return.
 */

/** The content of the last user message, or the prompt. */
export function lastUserText(messages: unknown, prompt?: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(messages)) {
    for (let index = messages.length - 1; index >= 0; index--) {
      const message = messages[index] as { role?: unknown; content?: unknown } | null;
      if (message?.role === 'user' && typeof message.content === 'string') return message.content;
    }
  }
  return '';
}

/** The reply to `text`: `'echo: ' + text`. */
export function replyTo(text: string): string {
  return `echo: ${text}`;
}

/** How the replay servers split a reply into streamed tokens: one word (with its trailing space) per token. */
export function replyTokens(reply: string): string[] {
  return reply.match(/\S+\s*|\s+/g) ?? [];
}

/** Words of `text`, as the replay servers count prompt tokens. */
export function promptTokenCount(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** The embedding of `text`: 8 numbers drawn from a generator seeded by the text, unit length. */
export function replayEmbedding(text: string): number[] {
  const random = seededRandom(`replay-embedding:${text}`);
  const vector = Array.from({ length: 8 }, () => random.next() * 2 - 1);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/** The name of the first tool of a request, when it offers tools. */
export function firstToolName(tools: unknown): string | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const name = (tools[0] as { function?: { name?: unknown } } | null)?.function?.name;
  return typeof name === 'string' ? name : undefined;
}
