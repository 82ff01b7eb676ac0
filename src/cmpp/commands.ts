/** Command_Id values, SPEC3 §8.7.1. A response id is the request id with the top bit set. */
export const RESP_BIT = 0x80000000;

const REQUEST_IDS = {
  CMPP_CONNECT: 0x00000001,
  CMPP_TERMINATE: 0x00000002,
  CMPP_SUBMIT: 0x00000004,
  CMPP_DELIVER: 0x00000005,
  CMPP_QUERY: 0x00000006,
  CMPP_CANCEL: 0x00000007,
  CMPP_ACTIVE_TEST: 0x00000008,
  CMPP_FWD: 0x00000009,
  CMPP_MT_ROUTE: 0x00000010,
  CMPP_MO_ROUTE: 0x00000011,
  CMPP_GET_MT_ROUTE: 0x00000012,
  CMPP_MT_ROUTE_UPDATE: 0x00000013,
  CMPP_MO_ROUTE_UPDATE: 0x00000014,
  CMPP_PUSH_MT_ROUTE_UPDATE: 0x00000015,
  CMPP_PUSH_MO_ROUTE_UPDATE: 0x00000016,
  CMPP_GET_MO_ROUTE: 0x00000017,
} as const;

export type RequestName = keyof typeof REQUEST_IDS;
export type CommandName = RequestName | `${RequestName}_RESP`;

const ids: Record<string, number> = {};
for (const [name, id] of Object.entries(REQUEST_IDS)) {
  ids[name] = id;
  ids[`${name}_RESP`] = (id | RESP_BIT) >>> 0;
}

/** Command name → Command_Id, for every request and response. */
export const COMMAND_IDS = ids as Readonly<Record<CommandName, number>>;

const names = new Map<number, CommandName>(
  Object.entries(COMMAND_IDS).map(([name, id]) => [id, name as CommandName]),
);

export function commandName(commandId: number): CommandName | undefined {
  return names.get(commandId);
}

export function isResponse(commandId: number): boolean {
  return (commandId & RESP_BIT) !== 0;
}

/** The response Command_Id for a request id. */
export function responseId(requestId: number): number {
  return (requestId | RESP_BIT) >>> 0;
}
