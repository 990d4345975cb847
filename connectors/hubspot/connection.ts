import * as z from 'zod';
import { secretRef, setting } from '../../src/connector/settings.ts';

/** A HubSpot connection in the config: the portal's API address and its token, secrets as `env:` references. */
export const HubSpotConnection = z
  .strictObject({
    system: z.literal('hubspot'),
    baseUrl: setting().default('env:HUBSPOT_BASE_URL'),
    accessToken: secretRef().optional(),
    clientId: setting().optional(),
    clientSecret: secretRef().optional(),
    refreshToken: secretRef().optional(),
    /** The portal's subscription tier; it sets the default rate limits. */
    tier: z.enum(['free', 'starter', 'professional', 'enterprise']).default('professional'),
  })
  .meta({ title: 'HubSpot connection' });
export type HubSpotConnection = z.infer<typeof HubSpotConnection>;
