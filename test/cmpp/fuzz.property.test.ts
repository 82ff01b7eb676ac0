import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CmppProtocolError,
  type CmppVersion,
  COMMAND_IDS,
  type CommandName,
  Deframer,
  decodePdu,
  encodePdu,
  type Fields,
  type FieldValue,
  fieldsToJson,
  pduToJson,
  VERSIONS,
} from '../../src/cmpp/index.js';
import { schemaFor } from '../../src/cmpp/schema/compiled.js';
import type { FieldSpec } from '../../src/cmpp/schema/field.js';

const COMMANDS = Object.keys(COMMAND_IDS) as CommandName[];

/** Printable ASCII without trailing spaces (the decoder trims them, facts §7), at most `size` bytes. */
const octetString = (size: number) =>
  fc
    .string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: size,
      size: 'max',
    })
    .map((s) => s.trimEnd());

const bytesOf = (min: number, max: number) =>
  fc.uint8Array({ minLength: min, maxLength: max, size: 'max' }).map((a) => Buffer.from(a));

function fieldArbitrary(spec: FieldSpec): fc.Arbitrary<FieldValue> {
  switch (spec.kind) {
    case 'uint':
      return fc.integer({ min: 0, max: 2 ** (8 * spec.size) - 1 });
    case 'int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'msgid':
      return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    case 'string':
      return octetString(spec.size);
    case 'bytes':
      // Msg_Length is one byte, so Msg_Content is at most 255 bytes; fixed fields are exactly their size.
      return spec.lengthFrom ? bytesOf(0, 255) : bytesOf(spec.size, spec.size);
    case 'strings':
      // DestUsr_tl: fewer than 100 recipients.
      return fc.array(octetString(spec.size), { maxLength: 99, size: 'max' });
  }
}

/** Random fields for one schema; count fields are left out (the encoder computes them). */
function fieldsArbitrary(specs: readonly FieldSpec[]): fc.Arbitrary<Fields> {
  const model: Record<string, fc.Arbitrary<FieldValue>> = {};
  for (const spec of specs) if (!spec.countOf) model[spec.name] = fieldArbitrary(spec);
  return fc.record(model) as fc.Arbitrary<Fields>;
}

/** What the decoder should give back: the generated fields plus the computed counts. */
function expectedFields(specs: readonly FieldSpec[], fields: Fields): Fields {
  const out: Fields = {};
  for (const spec of specs) {
    out[spec.name] = spec.countOf
      ? (fields[spec.countOf] as Uint8Array | string[]).length
      : fields[spec.name];
  }
  return out;
}

const CASES = VERSIONS.flatMap((version) =>
  COMMANDS.map((command) => {
    const schema = schemaFor(version, COMMAND_IDS[command]);
    if (!schema) throw new Error(`no schema for ${command} ${version}`);
    return { version, command, specs: schema.fields };
  }),
);

/** Any valid packet of any command in either version. */
const validPacket = fc
  .constantFrom(...CASES)
  .chain(({ version, command, specs }) =>
    fc
      .tuple(fieldsArbitrary(specs), fc.nat({ max: 0xffffffff }))
      .map(([fields, seq]) => encodePdu(version, command, seq, fields)),
  );

const VECTOR_FRAMES: Buffer[] = (
  JSON.parse(readFileSync('/work/shared/vectors/cmpp-gocmpp.json', 'utf8')) as {
    command: string;
    hex: string;
  }[]
)
  .filter((v) => v.command !== 'MSG_ID')
  .map((v) => Buffer.from(v.hex, 'hex'));

type Mutation =
  | { op: 'flip'; at: number; mask: number }
  | { op: 'insert'; at: number; byte: number }
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; byte: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(frame: Buffer, mutations: readonly Mutation[], patchLength: boolean): Buffer {
  const bytes = [...frame];
  for (const m of mutations) {
    if (m.op === 'insert') {
      bytes.splice(m.at % (bytes.length + 1), 0, m.byte);
    } else if (bytes.length > 0) {
      const at = m.at % bytes.length;
      if (m.op === 'flip') bytes[at] ^= m.mask;
      else if (m.op === 'set') bytes[at] = m.byte;
      else bytes.splice(at, 1);
    }
  }
  const out = Buffer.from(bytes);
  if (patchLength && out.length >= 4) out.writeUInt32BE(out.length, 0);
  return out;
}

const mutatedPacket = fc
  .tuple(
    fc.oneof(fc.constantFrom(...VECTOR_FRAMES), validPacket),
    fc.array(mutation, { minLength: 1, maxLength: 6 }),
    fc.boolean(),
  )
  .map(([frame, mutations, patch]) => mutate(frame, mutations, patch));

/** Random bodies behind a header that is right about its length and names a real command. */
const plausiblePacket = fc
  .tuple(fc.constantFrom(...Object.values(COMMAND_IDS)), fc.nat({ max: 0xffffffff }), bytesOf(0, 388))
  .map(([commandId, seq, body]) => {
    const head = Buffer.alloc(12);
    head.writeUInt32BE(12 + body.length, 0);
    head.writeUInt32BE(commandId, 4);
    head.writeUInt32BE(seq, 8);
    return Buffer.concat([head, body]);
  });

const anyBytes = fc.oneof(bytesOf(0, 400), plausiblePacket, mutatedPacket);

/** Runs fn; anything thrown must be a CmppProtocolError. Returns what fn returned, or undefined. */
function onlyProtocolErrors<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CmppProtocolError);
    return undefined;
  }
}

describe('round trip of random valid PDUs', () => {
  it('covers every command in both versions', () => {
    expect(CASES.length).toBe(2 * 32);
  });

  it.each(CASES.map((c) => [c.command, c.version, c] as const))(
    '%s (%s): encode → decode → encode',
    (_command, _version, { version, command, specs }) => {
      fc.assert(
        fc.property(fieldsArbitrary(specs), fc.nat({ max: 0xffffffff }), (fields, seq) => {
          const frame = encodePdu(version, command, seq, fields);
          expect(frame.readUInt32BE(0)).toBe(frame.length);
          const pdu = decodePdu(frame, version);
          expect(pdu.command).toBe(command);
          expect(pdu.version).toBe(version);
          expect(pdu.sequenceId).toBe(seq);
          expect(fieldsToJson(pdu.fields)).toEqual(fieldsToJson(expectedFields(specs, fields)));
          expect(encodePdu(pdu.version, pdu.command, pdu.sequenceId, pdu.fields).equals(frame)).toBe(true);
        }),
        { numRuns: 100 },
      );
    },
  );
});

describe('garbage in, CmppProtocolError out', () => {
  it.each(VERSIONS.map((v) => [v] as const))('decodePdu throws nothing else (%s)', (version: CmppVersion) => {
    fc.assert(
      fc.property(anyBytes, (frame) => {
        onlyProtocolErrors(() => decodePdu(frame, version));
      }),
      { numRuns: 2000 },
    );
  });

  it('actually decodes some of the mutated packets', () => {
    let decoded = 0;
    let rejected = 0;
    fc.assert(
      fc.property(mutatedPacket, (frame) => {
        if (onlyProtocolErrors(() => decodePdu(frame, '3.0')) === undefined) rejected++;
        else decoded++;
      }),
      { numRuns: 500 },
    );
    expect(decoded).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });

  it.each(VERSIONS.map((v) => [v] as const))(
    'Deframer.push throws nothing else (%s)',
    (version: CmppVersion) => {
      fc.assert(
        fc.property(
          fc.array(anyBytes, { minLength: 1, maxLength: 4 }),
          fc.array(fc.nat({ max: 400 }), { maxLength: 4 }),
          fc.integer({ min: 12, max: 5000 }),
          (pieces, cuts, maxFrame) => {
            const stream = Buffer.concat(pieces);
            const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
            const chunks: Buffer[] = [];
            let from = 0;
            for (const p of points) {
              chunks.push(stream.subarray(from, p));
              from = p;
            }
            chunks.push(stream.subarray(from));
            const deframer = new Deframer(maxFrame);
            onlyProtocolErrors(() => {
              for (const chunk of chunks) {
                deframer.push(chunk, (frame) => {
                  onlyProtocolErrors(() => decodePdu(frame, version));
                });
              }
            });
          },
        ),
        { numRuns: 2000 },
      );
    },
  );

  it.each(VERSIONS.map((v) => [v] as const))(
    'pduToJson of whatever decodes throws nothing but CmppProtocolError (%s)',
    (version: CmppVersion) => {
      fc.assert(
        fc.property(fc.oneof(plausiblePacket, mutatedPacket), (frame) => {
          const pdu = onlyProtocolErrors(() => decodePdu(frame, version));
          if (pdu) onlyProtocolErrors(() => pduToJson(pdu));
        }),
        { numRuns: 1000 },
      );
    },
  );
});
