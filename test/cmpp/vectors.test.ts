import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  authenticatorIsmg,
  authenticatorSource,
  type CmppVersion,
  decodeFields,
  decodePdu,
  encodePdu,
  HEADER_LENGTH,
  inferVersion,
  packMsgId,
  pduFromJson,
  pduToJson,
  unpackMsgId,
  VERSIONS,
  versionFromByte,
} from '../../src/cmpp/index.js';
import { schemaFor } from '../../src/cmpp/schema/compiled.js';

interface Vector {
  name: string;
  version: CmppVersion;
  command: string;
  sequence_id: number | null;
  fields: Record<string, unknown>;
  inputs?: Record<string, string>;
  note?: string;
  hex: string;
}

const VECTORS: Vector[] = JSON.parse(readFileSync('/work/shared/vectors/cmpp-gocmpp.json', 'utf8'));
const PACKETS = VECTORS.filter((v) => v.command !== 'MSG_ID');
const MSG_IDS = VECTORS.filter((v) => v.command === 'MSG_ID');

const frameOf = (v: Vector) => Buffer.from(v.hex, 'hex');
const isQuirk = (v: Vector) => (v.note ?? '').includes('NOT SPEC-CORRECT');

/** The versions whose table the body fits exactly, found by trying each one. */
function versionsThatFit(frame: Buffer): CmppVersion[] {
  const commandId = frame.readUInt32BE(4);
  return VERSIONS.filter((version) => {
    const schema = schemaFor(version, commandId);
    if (!schema) return false;
    try {
      decodeFields(schema.fields, frame, HEADER_LENGTH, frame.length);
      return true;
    } catch {
      return false;
    }
  });
}

describe('shared vectors (gocmpp)', () => {
  it('has packet and Msg_Id vectors', () => {
    expect(PACKETS.length).toBeGreaterThan(40);
    expect(MSG_IDS.length).toBeGreaterThanOrEqual(2);
  });

  describe.each(PACKETS.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    it('decodes to the vector fields', () => {
      const frame = frameOf(v);
      const json = pduToJson(decodePdu(frame, v.version));
      expect(json.version).toBe(v.version);
      expect(json.command).toBe(v.command);
      expect(json.sequenceId).toBe(v.sequence_id);
      expect(json.fields).toEqual(v.fields);
      expect(frame.readUInt32BE(0)).toBe(frame.length);
    });

    it('re-encodes from its JSON form to the same bytes', () => {
      const json = pduToJson(decodePdu(frameOf(v), v.version));
      const { version, command, sequenceId, fields } = pduFromJson(JSON.parse(JSON.stringify(json)));
      expect(encodePdu(version, command, sequenceId, fields).toString('hex')).toBe(v.hex);
    });

    it('is encoded to the same bytes straight from the vector fields', () => {
      const { version, command, sequenceId, fields } = pduFromJson({
        version: v.version,
        command: v.command,
        sequenceId: v.sequence_id,
        fields: v.fields,
      });
      expect(encodePdu(version, command, sequenceId, fields).toString('hex')).toBe(v.hex);
    });

    it('has its version inferred when only one layout fits', () => {
      const frame = frameOf(v);
      const fits = versionsThatFit(frame);
      expect(fits).toContain(v.version);
      if (v.command === 'CMPP_CONNECT') {
        // Same layout in both versions: the Version byte decides.
        expect(inferVersion(frame)).toBe(versionFromByte(v.fields.Version as number));
        expect(inferVersion(frame)).toBe(v.version);
      } else if (fits.length === 1) {
        expect(inferVersion(frame)).toBe(v.version);
      } else {
        expect(fits).toEqual(['2.0', '3.0']);
      }
    });
  });

  it('infers the version for at least the commands whose layouts differ', () => {
    const differing = PACKETS.filter((v) => versionsThatFit(frameOf(v)).length === 1).map((v) => v.command);
    for (const c of ['CMPP_CONNECT_RESP', 'CMPP_SUBMIT', 'CMPP_SUBMIT_RESP', 'CMPP_DELIVER', 'CMPP_FWD']) {
      expect(differing).toContain(c);
    }
    const both = PACKETS.filter((v) => versionsThatFit(frameOf(v)).length === 2).map((v) => v.command);
    expect(both).toContain('CMPP_TERMINATE');
  });
});

describe('authenticators of the login vectors', () => {
  const connects = PACKETS.filter((v) => v.command === 'CMPP_CONNECT' && v.inputs);
  const resps = PACKETS.filter((v) => v.command === 'CMPP_CONNECT_RESP' && v.inputs);

  it('covers the CONNECT and CONNECT_RESP vectors', () => {
    expect(connects.length).toBeGreaterThanOrEqual(5);
    expect(resps.filter((v) => !isQuirk(v)).length).toBeGreaterThanOrEqual(2);
    expect(resps.filter(isQuirk).length).toBeGreaterThanOrEqual(1);
  });

  it.each(connects.map((v) => [v.name, v] as const))('%s: AuthenticatorSource', (_name, v) => {
    const f = v.fields as { Source_Addr: string; Timestamp: number; AuthenticatorSource: string };
    const inputs = v.inputs as { shared_secret: string; timestamp_string: string };
    expect(String(f.Timestamp).padStart(10, '0')).toBe(inputs.timestamp_string);
    expect(authenticatorSource(f.Source_Addr, inputs.shared_secret, f.Timestamp).toString('hex')).toBe(
      f.AuthenticatorSource,
    );
  });

  it.each(resps.map((v) => [v.name, v] as const))('%s: AuthenticatorISMG', (_name, v) => {
    const f = v.fields as { Status: number; AuthenticatorISMG: string };
    const inputs = v.inputs as { shared_secret: string; AuthenticatorSource: string };
    const computed = authenticatorIsmg(
      f.Status,
      Buffer.from(inputs.AuthenticatorSource, 'hex'),
      inputs.shared_secret,
      v.version,
    ).toString('hex');
    if (isQuirk(v)) {
      // What a strict client detects: the quirky server did not hash Status ‖ AuthenticatorSource ‖ secret.
      expect(computed).not.toBe(f.AuthenticatorISMG);
    } else {
      expect(computed).toBe(f.AuthenticatorISMG);
    }
  });
});

describe('Msg_Id vectors', () => {
  it.each(MSG_IDS.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const { Msg_Id, ...parts } = v.fields as { Msg_Id: string } & Record<string, number>;
    const id = BigInt(Msg_Id);
    expect(unpackMsgId(id)).toEqual(parts);
    expect(packMsgId(unpackMsgId(id))).toBe(id);
    expect(packMsgId(parts as unknown as Parameters<typeof packMsgId>[0])).toBe(id);
    const be = Buffer.alloc(8);
    be.writeBigUInt64BE(id);
    expect(be.toString('hex')).toBe(v.hex);
  });
});

describe('text of the SUBMIT/DELIVER vectors', () => {
  const withText = PACKETS.filter(
    (v) => (v.command === 'CMPP_SUBMIT' || v.command === 'CMPP_DELIVER') && v.inputs?.text !== undefined,
  );

  it('covers the text vectors', () => {
    expect(withText.length).toBeGreaterThanOrEqual(10);
  });

  it.each(withText.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const json = pduToJson(decodePdu(frameOf(v), v.version));
    expect(json.text).toBe(v.inputs?.text);
    if (v.inputs?.udh !== undefined) {
      expect(json.udh).toBe(v.inputs.udh);
    } else {
      expect(json.udh).toBeUndefined();
    }
  });

  it('leaves binary content (Msg_Fmt 4) as hex without text', () => {
    const v = PACKETS.find((x) => x.name === 'submit-v3-wap-push-si') as Vector;
    const json = pduToJson(decodePdu(frameOf(v), v.version));
    expect(json.text).toBeUndefined();
    expect(json.fields.Msg_Content).toBe(v.fields.Msg_Content);
  });
});
