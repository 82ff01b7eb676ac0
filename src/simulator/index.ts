export {
  DEMO_ACCOUNT,
  parseSimulatorConfig,
  type SimulatorConfig,
  type SimulatorConfigInput,
} from './config.js';
export { readSimulatorConfigFile } from './config-file.js';
export { SimulatorConfigError } from './config-reader.js';
export { ControlError } from './control-error.js';
export type { FaultSettings } from './fault-settings.js';
export type { MoRequest } from './mo-request.js';
export type { MoOutcome } from './mo-sender.js';
export { type SessionJson, Simulator, type SimulatorOptions } from './simulator.js';
export type { AccountStats, StatsJson } from './stats.js';
export type { SubmitJson } from './submit-log.js';
