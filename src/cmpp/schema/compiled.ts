import { COMMAND_IDS, type CommandName } from '../commands.js';
import { type CmppVersion, VERSIONS } from '../version.js';
import { codecFor, type FieldCodec } from './compile-codec.js';
import { type FieldSpec, fieldsFor } from './field.js';
import { PDU_TABLES, REPORT_TABLE } from './pdus.js';

/** One PDU's layout in one version, ready for the encoder and decoder. */
export interface PduSchema {
  readonly command: CommandName;
  readonly commandId: number;
  readonly version: CmppVersion;
  readonly fields: readonly FieldSpec[];
  /** Body length when no field is variable, else null. */
  readonly fixedLength: number | null;
  readonly codec: FieldCodec;
}

function fixedLength(fields: readonly FieldSpec[]): number | null {
  let total = 0;
  for (const f of fields) {
    if (f.lengthFrom || f.countFrom) return null;
    total += f.size;
  }
  return total;
}

function compile(version: CmppVersion): Map<number, PduSchema> {
  const byId = new Map<number, PduSchema>();
  for (const [command, rows] of Object.entries(PDU_TABLES) as [
    CommandName,
    typeof PDU_TABLES.CMPP_SUBMIT,
  ][]) {
    const fields = fieldsFor(rows, version);
    const commandId = COMMAND_IDS[command];
    byId.set(commandId, {
      command,
      commandId,
      version,
      fields,
      fixedLength: fixedLength(fields),
      codec: codecFor(fields),
    });
  }
  return byId;
}

const SCHEMAS: Readonly<Record<CmppVersion, Map<number, PduSchema>>> = {
  '2.0': compile('2.0'),
  '3.0': compile('3.0'),
};

export function schemaFor(version: CmppVersion, commandId: number): PduSchema | undefined {
  return SCHEMAS[version].get(commandId);
}

export function otherVersion(version: CmppVersion): CmppVersion {
  return version === '2.0' ? '3.0' : '2.0';
}

/** Status-report layouts keyed by their length: 60 bytes = 2.0, 71 bytes = 3.0 (facts §3). */
export const REPORT_LAYOUTS: ReadonlyMap<number, { version: CmppVersion; fields: readonly FieldSpec[] }> =
  new Map(
    VERSIONS.map((version) => {
      const fields = fieldsFor(REPORT_TABLE, version);
      return [fixedLength(fields) as number, { version, fields }];
    }),
  );
