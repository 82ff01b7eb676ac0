import type { Fields, FieldValue, Pdu } from './codec.js';
import { COMMAND_IDS, type CommandName } from './commands.js';
import { CmppProtocolError } from './errors.js';
import { decodeReport } from './report.js';
import { schemaFor } from './schema/compiled.js';
import type { FieldSpec } from './schema/field.js';
import { CmppTextError, decodeText, hasUdhi, MsgFmt, parseUdh } from './text/index.js';
import type { CmppVersion } from './version.js';

/*
 * The JSON form of a packet, shared by the inspector CLI and the golden vectors: spec field names,
 * numbers as numbers, Msg_Id as a decimal string, Octet Strings as text, binary fields as lowercase hex.
 */

export type JsonValue = number | string | readonly string[] | JsonFields;
export interface JsonFields {
  [name: string]: JsonValue;
}

export interface PduJson {
  version: CmppVersion;
  command: CommandName;
  commandId: number;
  sequenceId: number;
  totalLength?: number;
  fields: JsonFields;
  text?: string;
  udh?: string;
}

export function valueToJson(value: FieldValue): JsonValue {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  return value as number | string | readonly string[];
}

export function fieldsToJson(fields: Fields): JsonFields {
  const out: JsonFields = {};
  for (const [name, value] of Object.entries(fields)) out[name] = valueToJson(value);
  return out;
}

/** A DELIVER with Registered_Delivery = 1 carries a report; anything else with Msg_Content and a text Msg_Fmt carries text. */
export function pduToJson(pdu: Pdu, totalLength?: number): PduJson {
  const json: PduJson = {
    version: pdu.version,
    command: pdu.command,
    commandId: pdu.commandId,
    sequenceId: pdu.sequenceId,
    ...(totalLength === undefined ? {} : { totalLength }),
    fields: fieldsToJson(pdu.fields),
  };
  const content = pdu.fields.Msg_Content;
  if (!(content instanceof Uint8Array)) return json;
  if (pdu.command === 'CMPP_DELIVER' && pdu.fields.Registered_Delivery === 1) {
    json.fields.Report = fieldsToJson(decodeReport(content) as unknown as Fields);
    return json;
  }
  const fmt = pdu.fields.Msg_Fmt as number;
  if (fmt === MsgFmt.BINARY) return json;
  try {
    const udhi = hasUdhi((pdu.fields.TP_udhi as number) ?? 0);
    const body = udhi ? parseUdh(content) : undefined;
    const text = decodeText(body ? body.payload : content, fmt);
    // UDHL does not count its own length byte.
    if (body) json.udh = Buffer.from(content.subarray(0, 1 + body.udhLength)).toString('hex');
    json.text = text;
  } catch (err) {
    // Content that is not text in its Msg_Fmt (or has a broken UDH) is shown as hex only.
    if (!(err instanceof CmppTextError)) throw err;
  }
  return json;
}

function fieldFromJson(spec: FieldSpec, value: unknown): FieldValue {
  const fail = (what: string) =>
    new CmppProtocolError('BAD_FIELD', `${spec.name}: expected ${what}`, spec.name);
  switch (spec.kind) {
    case 'uint':
    case 'int':
      if (typeof value !== 'number') throw fail('a number');
      return value;
    case 'msgid':
      if (typeof value !== 'string' && typeof value !== 'number') throw fail('a decimal Msg_Id');
      if (!/^\d+$/.test(String(value))) throw fail('a decimal Msg_Id');
      return BigInt(value);
    case 'string':
      if (typeof value !== 'string') throw fail('a string');
      return value;
    case 'bytes':
      if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(value)) throw fail('hex');
      return Buffer.from(value, 'hex');
    case 'strings':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw fail('a list of strings');
      return value as string[];
  }
}

/** Reads the JSON form back into codec fields, checking each value's kind against the table. */
export function pduFromJson(json: unknown): {
  version: CmppVersion;
  command: CommandName;
  sequenceId: number;
  fields: Fields;
} {
  if (typeof json !== 'object' || json === null)
    throw new CmppProtocolError('BAD_FIELD', 'expected a JSON object');
  const { version, command, sequenceId = 0, fields = {} } = json as Record<string, unknown>;
  if (version !== '2.0' && version !== '3.0') {
    throw new CmppProtocolError('BAD_VERSION', 'version must be "2.0" or "3.0"', 'version');
  }
  const commandId = COMMAND_IDS[command as CommandName];
  const schema = commandId === undefined ? undefined : schemaFor(version, commandId);
  if (!schema)
    throw new CmppProtocolError('UNKNOWN_COMMAND', `unknown command ${String(command)}`, 'command');
  if (
    typeof sequenceId !== 'number' ||
    !Number.isInteger(sequenceId) ||
    sequenceId < 0 ||
    sequenceId > 0xffffffff
  ) {
    throw new CmppProtocolError('BAD_FIELD', 'sequenceId must be an unsigned 32-bit integer', 'sequenceId');
  }
  if (typeof fields !== 'object' || fields === null)
    throw new CmppProtocolError('BAD_FIELD', 'fields must be an object', 'fields');
  const given = fields as Record<string, unknown>;
  const out: Fields = {};
  for (const spec of schema.fields) {
    if (given[spec.name] !== undefined) out[spec.name] = fieldFromJson(spec, given[spec.name]);
  }
  return { version, command: schema.command, sequenceId, fields: out };
}
