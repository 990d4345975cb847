import * as z from 'zod';
import { ENV_REF } from '../config/env-ref.ts';

/*
 * The building blocks of a connection's schema, which each connector folder declares for its own CRM.
 */

const SECRET_MESSAGE =
  'expected env:<VARIABLE> (secrets are never written in the config); got a literal value';

/** A secret: only ever a reference to an environment variable. The literal is never echoed in errors. */
export const secretRef = () =>
  z
    .string({ error: 'expected env:<VARIABLE>' })
    .refine((value) => ENV_REF.test(value) || !value.startsWith('env:'), {
      error: 'expected env:<VARIABLE> with VARIABLE in upper case, digits and _',
    })
    .refine((value) => ENV_REF.test(value) || value.startsWith('env:'), { error: SECRET_MESSAGE })
    .meta({ description: 'A secret, given only as env:<VARIABLE>' });

/** A setting that may be written literally or taken from the environment with `env:NAME`. */
export const setting = () =>
  z
    .string()
    .min(1)
    .refine((value) => !value.startsWith('env:') || ENV_REF.test(value), {
      error: 'expected env:<VARIABLE> with VARIABLE in upper case, digits and _',
    });
