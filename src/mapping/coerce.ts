import type { FieldType } from '../model/index.ts';
import { toDate, toDatetime } from './dates.ts';
import { inboundLink, inboundLinkList, outboundLink, outboundLinkList } from './links.ts';
import { toBoolean, toEmail, toInteger, toNumber, toText, toTextList } from './scalars.ts';
import type { Step } from './step.ts';

const SCALAR_COERCION: Record<Exclude<FieldType, 'link' | 'linkList'>, Step> = {
  string: toText,
  email: toEmail,
  integer: toInteger,
  number: toNumber,
  boolean: toBoolean,
  date: toDate,
  datetime: toDatetime,
  stringList: toTextList,
};

/** The step that turns an external value into the unified field's type. */
export function inboundCoercion(type: FieldType, connection: string): Step {
  if (type === 'link') return inboundLink(connection);
  if (type === 'linkList') return inboundLinkList(connection);
  return SCALAR_COERCION[type];
}

/** The step that checks a unified value against its type and gives it the shape written out (links → ids). */
export function outboundCoercion(type: FieldType, connection: string): Step {
  if (type === 'link') return outboundLink(connection);
  if (type === 'linkList') return outboundLinkList(connection);
  return SCALAR_COERCION[type];
}
