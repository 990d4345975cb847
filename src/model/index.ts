export { Account, type AccountInput } from './account.ts';
export { CUSTOM_TYPES, ENTITY_SCHEMAS, FIELD_CATALOG, type FieldType } from './catalog.ts';
export { Address, CustomValue, Link, SourceRef } from './common.ts';
export { ENTITIES, type EntityName } from './entities.ts';
export { DEAL_CONTACTS, Opportunity, type OpportunityInput } from './opportunity.ts';
export { PERSON_KINDS, Person, type PersonInput } from './person.ts';
