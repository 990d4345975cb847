import type { SandboxResponse } from '../kit/index.ts';
import type { SandboxContext } from './context.ts';
import { convertLead, type LeadConvert, type LeadConvertResult } from './convert.ts';
import { child, childText, encodeXml, parseXml, toXml, type XmlElement } from './xml.ts';

/** The most leads one convertLead call takes. */
export const MAX_CONVERT = 100;

const PARTNER = 'urn:partner.soap.sforce.com';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

/** A SOAP response envelope around `body`, in the partner API's namespace unless told. */
export function soapResponse(body: string, status = 200, namespace = PARTNER): SandboxResponse {
  const open =
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ` xmlns="${namespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`;
  return { status, body: `${open}${body}${ENVELOPE_CLOSE}`, contentType: 'text/xml; charset=utf-8' };
}

/** A SOAP fault, e.g. `sf:INVALID_SESSION_ID` (which clients take as "refresh the session"). */
export function soapFault(code: string, message: string): SandboxResponse {
  const fault = `<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${encodeXml(`${code}: ${message}`)}</faultstring></soapenv:Fault>`;
  return soapResponse(fault, 500);
}

/** The call in a SOAP envelope (the first element of its Body), or the fault for a body that is no XML. */
export function soapCall(text: string): XmlElement | undefined | SandboxResponse {
  try {
    return child(parseXml(text), 'Envelope', 'Body')?.children[0];
  } catch (error) {
    return soapFault('INVALID_XML', String(error));
  }
}

/** The partner SOAP endpoint; only convertLead is served. */
export function soapRoutes(ctx: SandboxContext): void {
  ctx.route('POST', '/services/Soap/u/:version', 'soap', (request) => {
    const call = soapCall(request.text);
    if (call !== undefined && 'status' in call) return call;
    if (call?.name !== 'convertLead')
      return soapFault('INVALID_OPERATION', `unsupported call ${call?.name ?? ''}`);
    const requests = call.children.filter((c) => c.name === 'leadConverts');
    if (requests.length > MAX_CONVERT) {
      return soapFault(
        'LIMIT_EXCEEDED',
        `Too many leadConverts: ${requests.length}; the limit is ${MAX_CONVERT}`,
      );
    }
    const results = requests.map((r) => convertLead(ctx.store, readConvert(r)));
    return convertResponse(results);
  });
}

export function convertResponse(results: readonly LeadConvertResult[]): SandboxResponse {
  const xml = results.map((r) =>
    toXml('result', {
      accountId: r.accountId,
      contactId: r.contactId,
      errors: r.errors.map((e) => ({ fields: e.fields, message: e.message, statusCode: e.statusCode })),
      leadId: r.leadId,
      opportunityId: r.opportunityId,
      success: r.success,
    }),
  );
  return soapResponse(`<convertLeadResponse>${xml.join('')}</convertLeadResponse>`);
}

function readConvert(element: XmlElement): LeadConvert {
  const accountId = childText(element, 'accountId');
  const convertedStatus = childText(element, 'convertedStatus');
  const opportunityName = childText(element, 'opportunityName');
  return {
    leadId: childText(element, 'leadId') ?? '',
    doNotCreateOpportunity: childText(element, 'doNotCreateOpportunity') === 'true',
    ...(accountId ? { accountId } : {}),
    ...(convertedStatus ? { convertedStatus } : {}),
    ...(opportunityName ? { opportunityName } : {}),
  };
}
