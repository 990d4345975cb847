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
    /**
     * The tier's client-side budget, changed for a portal whose limits are not its tier's (HubSpot's API limit
     * increase pack: 250 per 10 s). A portal whose answers report a lower limit is still held to that one.
     */
    limits: z
      .strictObject({
        /** Calls per rolling 10 s. */
        burst: z.int().min(1).optional(),
        /** Search calls per second. */
        searchPerSecond: z.int().min(1).optional(),
      })
      .optional(),
  })
  .meta({ title: 'HubSpot connection' });
export type HubSpotConnection = z.infer<typeof HubSpotConnection>;
