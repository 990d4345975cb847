import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../kit/index.ts';

/** A per-input failure, in the shape HubSpot puts in a 207 `errors[]` entry (and, alone, in a 4xx body). */
export interface RecordError {
  /** The HTTP status the error would have alone (400, 404, 409). */
  readonly status: number;
  /** HubSpot's category: VALIDATION_ERROR, CONFLICT, OBJECT_NOT_FOUND. */
  readonly category: string;
  readonly message: string;
  /** Per-property details: HubSpot's `errors[{message, code, in}]`. */
  readonly errors?: readonly { readonly message: string; readonly code: string; readonly in?: string }[];
  /** Which input failed (ids, objectWriteTraceId). */
  readonly context?: Readonly<Record<string, readonly string[]>>;
}

/** A whole-call error response in HubSpot's shape. */
export function errorResponse(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  return {
    status,
    body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
  };
}

/** One failed input as a whole-call error (single-object endpoints, non-traced batches). */
export function recordErrorResponse(error: RecordError): SandboxResponse {
  return errorResponse(error.status, error.category, error.message, {
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.context ? { context: error.context } : {}),
  });
}

/** A failure of one input, without per-property details. */
export function recordError(status: number, category: string, message: string): RecordError {
  return { status, category, message };
}

export function invalidProperty(name: string, code: string, message: string): RecordError {
  return {
    status: 400,
    category: 'VALIDATION_ERROR',
    message: `Property values were not valid: ${JSON.stringify([{ isValid: false, message, error: code, name }])}`,
    errors: [{ message, code, in: name }],
  };
}

export function notFound(type: string, id: string): RecordError {
  return {
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    message: `Object not found. objectId are usually numeric.`,
    context: { ids: [id] },
    errors: [{ message: `No ${type} with id ${id}`, code: 'OBJECT_NOT_FOUND' }],
  };
}

export function contactExists(existingId: string): RecordError {
  return {
    status: 409,
    category: 'CONFLICT',
    message: `Contact already exists. Existing ID: ${existingId}`,
    errors: [
      { message: `Contact already exists. Existing ID: ${existingId}`, code: 'CONFLICT', in: 'email' },
    ],
  };
}

export const validationError = (message: string): SandboxResponse =>
  errorResponse(400, 'VALIDATION_ERROR', message);
