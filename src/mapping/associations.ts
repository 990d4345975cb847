/**
 * A mapped external name `@<type>` reads the record's associations of that type instead of a field: the ids of
 * the records of `<type>` it is associated with (`@Contact` on a Salesforce Opportunity: its contact roles; `@contacts`
 * on a HubSpot deal: its associated contacts). They are read with each page, never asked for as fields, never written
 * (a mapping of one has `rule: none`), and never created by `crm-bridge setup`.
 */
export const ASSOCIATION_PREFIX = '@';

/** Whether a mapped external name reads associations rather than a field. */
export const isAssociation = (name: string): boolean => name.startsWith(ASSOCIATION_PREFIX);

/** The associated object type an `@<type>` name reads. */
export const associationType = (name: string): string => name.slice(ASSOCIATION_PREFIX.length);
