import { descriptorOf } from '../../connectors/index.ts';
import type { BridgeConfig } from '../config/schema.ts';
import type { SystemProfile } from '../connector/descriptor.ts';

/*
 * What the engine knows of a connection's CRM comes from its system's profile, never from a system or object name
 * written here: which objects split a person into a lead and a contact, how it converts, its batch size.
 */

/** The profile of a connection's system. */
export function profileOf(config: BridgeConfig, connection: string): SystemProfile {
  const system = config.connections[connection]?.system;
  if (system === undefined) throw new Error(`no connection ${connection} in the config`);
  return descriptorOf(system);
}

/** The lead and contact objects of a connection whose CRM splits people, among the objects the config maps. */
export function personSplit(
  config: BridgeConfig,
  connection: string,
): { readonly lead: string; readonly contact: string } | undefined {
  const split = profileOf(config, connection).personSplit;
  const mapped = config.objects.person?.[connection];
  const objects = typeof mapped === 'string' ? [mapped] : Array.isArray(mapped) ? mapped : [];
  return split !== undefined && objects.includes(split.lead) && objects.includes(split.contact)
    ? split
    : undefined;
}

/** Whether `object` is the lead object of its connection's CRM (Salesforce's Lead). */
export function isLeadObject(config: BridgeConfig, connection: string, object: string): boolean {
  return profileOf(config, connection).personSplit?.lead === object;
}

/** The contact object a converted lead becomes in `connection`, if its CRM splits people. */
export function contactObject(config: BridgeConfig, connection: string): string | undefined {
  return profileOf(config, connection).personSplit?.contact;
}

/** The lead object of `connection`, if its CRM splits people. */
export function leadObject(config: BridgeConfig, connection: string): string | undefined {
  return profileOf(config, connection).personSplit?.lead;
}

/**
 * Orders records by connection, and within a connection the one that represents the person first: a contact
 * before the lead it came from.
 */
export function representativeFirst(config: BridgeConfig) {
  return (a: { connection: string; object: string }, b: { connection: string; object: string }): number => {
    if (a.connection !== b.connection) return a.connection < b.connection ? -1 : 1;
    const lead = (x: typeof a) => (isLeadObject(config, x.connection, x.object) ? 1 : 0);
    return lead(a) - lead(b);
  };
}

/** The record that represents a unified record in `connection` among these: not a lead when there is another. */
export function representativeIn<T extends { connection: string; object: string }>(
  config: BridgeConfig,
  records: readonly T[],
  connection: string,
): T | undefined {
  const there = records.filter((r) => r.connection === connection);
  return there.find((r) => !isLeadObject(config, connection, r.object)) ?? there[0];
}
