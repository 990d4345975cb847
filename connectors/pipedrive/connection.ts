import * as z from 'zod';
import { secretRef, setting } from '../../src/connector/settings.ts';

/**
 * A Pipedrive connection in the config: the company account's API address (`baseUrl`, or its `companyDomain`)
 * and its API token, the token only as an `env:` reference. The plan sets the burst limit the connector keeps to
 * until the account's answers report their own.
 */
export const PipedriveConnection = z
  .strictObject({
    system: z.literal('pipedrive'),
    /** `https://<company>.pipedrive.com`; default `env:PIPEDRIVE_BASE_URL`. */
    baseUrl: setting().default('env:PIPEDRIVE_BASE_URL'),
    /** The company's subdomain (`acme` for acme.pipedrive.com), used when `baseUrl` resolves to nothing. */
    companyDomain: setting().optional(),
    apiToken: secretRef().default('env:PIPEDRIVE_API_TOKEN'),
    /** The account's plan; it sets the default burst limit per 2 seconds. */
    plan: z.enum(['essential', 'advanced', 'professional', 'enterprise']).default('essential'),
  })
  .meta({ title: 'Pipedrive connection' });
export type PipedriveConnection = z.infer<typeof PipedriveConnection>;
