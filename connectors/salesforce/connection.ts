import * as z from 'zod';
import { secretRef, setting } from '../../src/connector/settings.ts';

/** A Salesforce connection in the config: where the org is and how to log in, secrets as `env:` references. */
export const SalesforceConnection = z
  .strictObject({
    system: z.literal('salesforce'),
    instanceUrl: setting().default('env:SALESFORCE_INSTANCE_URL'),
    loginUrl: setting().default('env:SALESFORCE_LOGIN_URL'),
    apiVersion: z
      .string()
      .regex(/^\d{2}\.0$/, { error: 'expected an API version such as "62.0"' })
      .default('62.0'),
    accessToken: secretRef().optional(),
    refreshToken: secretRef().optional(),
    clientId: setting().optional(),
    clientSecret: secretRef().optional(),
    username: setting().optional(),
    password: secretRef().optional(),
    privateKeyFile: setting().optional(),
    /** Stop starting new work when less than this share of the daily API allocation is left. */
    dailyReserve: z.number().min(0).max(0.9).default(0.1),
  })
  .meta({ title: 'Salesforce connection' });
export type SalesforceConnection = z.infer<typeof SalesforceConnection>;
