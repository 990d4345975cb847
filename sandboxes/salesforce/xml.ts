/** An XML element with its local name (namespace prefix dropped), children and text; `nil` for xsi:nil. */
export interface XmlElement {
  /** The local name, without its namespace prefix. */
  readonly name: string;
  readonly children: XmlElement[];
  /** The decoded text directly inside the element. */
  text: string;
  readonly nil: boolean;
  /** The `xsi:type` attribute's local name, e.g. `CustomField` for Metadata API components. */
  readonly xsiType?: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

export function encodeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->|([^<]+)/g;

/** Parses the small, well-formed XML of SOAP envelopes (no DTDs, no CDATA); throws on mismatched tags. */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '', nil: false };
  const stack: XmlElement[] = [root];
  for (const match of source.matchAll(TAG)) {
    const [, closing, qname, attributes = '', selfClosing, text] = match;
    const top = stack[stack.length - 1] as XmlElement;
    if (text !== undefined) {
      top.text += decodeXml(text);
      continue;
    }
    if (qname === undefined) continue;
    const name = qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname;
    if (closing) {
      if (top.name !== name || stack.length === 1) throw new Error(`unexpected </${qname}>`);
      stack.pop();
      continue;
    }
    const xsiType = /\btype="(?:[\w.-]+:)?([\w.-]+)"/.exec(attributes)?.[1];
    const element: XmlElement = {
      name,
      children: [],
      text: '',
      nil: /\bnil="true"/.test(attributes),
      ...(xsiType !== undefined ? { xsiType } : {}),
    };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error('unclosed element');
  return root;
}

/** The first descendant path by local names, e.g. `find(doc, 'Envelope', 'Body')`. */
export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((c) => c.name === name);
  return current;
}

/** A child element's text, or undefined when absent or nil. */
export function childText(element: XmlElement, name: string): string | undefined {
  const found = child(element, name);
  return found === undefined || found.nil ? undefined : found.text.trim();
}

/** Serialises a plain value tree: arrays repeat the element, null/undefined are left out. */
export function toXml(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${encodeXml(String(value))}</${name}>`;
}
