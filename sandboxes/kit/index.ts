export { type Fault, FaultInjector, type FaultRates } from './faults.ts';
export { type Random, seededRandom } from './random.ts';
export {
  type Handler,
  type SandboxRequest,
  type SandboxResponse,
  SandboxServer,
  type SandboxServerOptions,
} from './server.ts';
