import type { CmppVersion } from '../version.js';

/**
 * How a field is laid out on the wire:
 * - `uint`: big-endian unsigned integer of `size` bytes (1, 2 or 4)
 * - `int`: big-endian signed 32-bit integer (Last_route_Id, SPEC3 §8.6.5.1: -1 on the first request)
 * - `msgid`: the 8-byte Msg_Id, read as a bigint (values above 2^63 occur, §5 of the facts)
 * - `string`: fixed-length Octet String, right-padded with 0x00 (SPEC3 §8.1)
 * - `bytes`: raw octets, fixed `size` or `lengthFrom` an earlier field
 * - `strings`: `countFrom` an earlier field, each item a fixed-length Octet String
 */
export type FieldKind = 'uint' | 'int' | 'msgid' | 'string' | 'bytes' | 'strings';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** Bytes on the wire; per item for `strings`; 0 for `bytes` sized by `lengthFrom`. */
  readonly size: number;
  readonly lengthFrom?: string;
  readonly countFrom?: string;
  /** A count/length field whose value the encoder computes from the named field. */
  readonly countOf?: string;
  /** The last field, which real peers send short or omit (facts §7: short LinkID, empty ACTIVE_TEST_RESP). */
  readonly tail?: boolean;
}

type Sizes = number | readonly [v2: number | null, v3: number | null];
type Extra = Partial<Pick<FieldSpec, 'lengthFrom' | 'countFrom' | 'countOf' | 'tail'>>;

/** A row of a PDU table: one field with its size in each version (null = absent in that version). */
export interface VersionedField {
  readonly base: Omit<FieldSpec, 'size'>;
  readonly sizes: Readonly<Record<CmppVersion, number | null>>;
}

function row(name: string, kind: FieldKind, sizes: Sizes, extra: Extra = {}): VersionedField {
  const [v2, v3] = typeof sizes === 'number' ? [sizes, sizes] : sizes;
  return { base: { name, kind, ...extra }, sizes: { '2.0': v2, '3.0': v3 } };
}

export const uint = (name: string, sizes: Sizes, extra?: Extra) => row(name, 'uint', sizes, extra);
export const int32 = (name: string) => row(name, 'int', 4);
export const msgId = (name: string) => row(name, 'msgid', 8);
export const str = (name: string, sizes: Sizes, extra?: Extra) => row(name, 'string', sizes, extra);
export const bytes = (name: string, sizes: Sizes, extra?: Extra) => row(name, 'bytes', sizes, extra);
export const strs = (name: string, sizes: Sizes, countFrom: string) =>
  row(name, 'strings', sizes, { countFrom });

/** The field list of one version, dropping the rows that version does not have. */
export function fieldsFor(rows: readonly VersionedField[], version: CmppVersion): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const r of rows) {
    const size = r.sizes[version];
    if (size !== null) out.push({ ...r.base, size });
  }
  return out;
}
