import type { Handler } from '../kit/index.ts';

/** Registers one sandbox route under an endpoint name (the key its calls are counted under). */
export type Register = (method: string, path: string, endpoint: string, handler: Handler) => void;

/** A JSON object body, or an empty one. */
export function bodyOf(json: unknown): Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : {};
}

export function arrayOf<T = Record<string, unknown>>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
