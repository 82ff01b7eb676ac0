import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CmppVersion,
  decodePdu,
  decodeReport,
  encodePdu,
  encodeReport,
  pduToJson,
} from '../../src/cmpp/index.js';

/* Real-world quirks that a lenient decoder must accept (protocol facts §7). */

interface Vector {
  name: string;
  version: CmppVersion;
  fields: Record<string, unknown>;
  hex: string;
}

const VECTORS: Vector[] = JSON.parse(readFileSync('/work/shared/vectors/cmpp-gocmpp.json', 'utf8'));
const vector = (name: string): Vector => {
  const v = VECTORS.find((x) => x.name === name);
  if (!v) throw new Error(`no vector ${name}`);
  return v;
};

const z = (n: number) => '00'.repeat(n);

/** A copy of frame with its Total_Length rewritten to its actual length. */
function withTotalLength(frame: Buffer): Buffer {
  const out = Buffer.from(frame);
  out.writeUInt32BE(out.length, 0);
  return out;
}

describe('ACTIVE_TEST_RESP without its Reserved byte', () => {
  const bare = Buffer.from(
    [
      '0000000c', // Total_Length 12
      '80000008', // Command_Id CMPP_ACTIVE_TEST_RESP
      '00000005', // Sequence_Id
    ].join(''),
    'hex',
  );

  it.each(['2.0', '3.0'] as const)('decodes with Reserved 0 (%s)', (version) => {
    const pdu = decodePdu(bare, version);
    expect(pdu.command).toBe('CMPP_ACTIVE_TEST_RESP');
    expect(pdu.sequenceId).toBe(5);
    expect(pdu.fields).toEqual({ Reserved: 0 });
  });

  it('still decodes the normal 13-byte form with its Reserved byte', () => {
    const frame = Buffer.from('0000000d800000080000000507', 'hex');
    expect(decodePdu(frame, '2.0').fields).toEqual({ Reserved: 7 });
  });
});

describe('3.0-shaped CONNECT_RESP on a 2.0 link', () => {
  const frame = Buffer.from(
    [
      '00000021', // Total_Length 33 (3.0 size)
      '80000001', // Command_Id CMPP_CONNECT_RESP
      '00000001', // Sequence_Id
      '00000004', // Status 4 (version too high), 4 bytes
      z(16), // AuthenticatorISMG (empty on error)
      '30', // Version 0x30
    ].join(''),
    'hex',
  );

  it('decodes Status with the 3.0 layout and says so', () => {
    const pdu = decodePdu(frame, '2.0');
    expect(pdu.version).toBe('3.0');
    expect(pdu.fields.Status).toBe(4);
    expect(pdu.fields.Version).toBe(0x30);
    expect(Buffer.from(pdu.fields.AuthenticatorISMG as Uint8Array).equals(Buffer.alloc(16))).toBe(true);
  });

  it('decodes the shared 3.0 vector on a 2.0 link too', () => {
    const v = vector('connect-resp-v3-ok');
    const json = pduToJson(decodePdu(Buffer.from(v.hex, 'hex'), '2.0'));
    expect(json.version).toBe('3.0');
    expect(json.fields).toEqual(v.fields);
  });

  it('keeps the 2.0 layout for a real 2.0 CONNECT_RESP', () => {
    const v = vector('connect-resp-v2-ok');
    expect(decodePdu(Buffer.from(v.hex, 'hex'), '2.0').version).toBe('2.0');
  });
});

describe('4-byte Success_Id CANCEL_RESP on a 2.0 link (SMSGate)', () => {
  it('decodes Success_Id with the 3.0 width', () => {
    const frame = Buffer.from(
      [
        '00000010', // Total_Length 16
        '80000007', // Command_Id CMPP_CANCEL_RESP
        '00000009', // Sequence_Id
        '00000001', // Success_Id 1, 4 bytes
      ].join(''),
      'hex',
    );
    const pdu = decodePdu(frame, '2.0');
    expect(pdu.command).toBe('CMPP_CANCEL_RESP');
    expect(pdu.version).toBe('3.0');
    expect(pdu.fields).toEqual({ Success_Id: 1 });
  });
});

describe('3.0 DELIVER with a short LinkID (Aspire)', () => {
  const spec = vector('deliver-v3-report-delivrd-spec');
  const full = Buffer.from(spec.hex, 'hex');

  it.each([11, 20])('decodes a report whose LinkID is %i bytes short', (short) => {
    const frame = withTotalLength(full.subarray(0, full.length - short));
    expect(frame.length).toBe(full.length - short);
    const json = pduToJson(decodePdu(frame, '3.0'));
    expect(json.version).toBe('3.0');
    expect(json.fields.Report).toEqual(spec.fields.Report);
    expect(json.fields.Msg_Content).toBe(spec.fields.Msg_Content);
    expect(json.fields.LinkID).toBe('');
  });

  it('keeps the bytes of a LinkID that is cut short', () => {
    const frame = Buffer.from(full);
    frame.write('LINK0123456789ABCDEF', frame.length - 20, 'latin1');
    const cut = withTotalLength(frame.subarray(0, frame.length - 11));
    expect(decodePdu(cut, '3.0').fields.LinkID).toBe('LINK01234');
  });

  it('still rejects a DELIVER cut inside Msg_Content', () => {
    const frame = withTotalLength(full.subarray(0, full.length - 30));
    expect(() => decodePdu(frame, '3.0')).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });
});

describe('space-padded Octet Strings', () => {
  it('decodes right-padded spaces (and spaces before 0x00) away', () => {
    const frame = encodePdu('2.0', 'CMPP_SUBMIT', 1, {
      Pk_total: 1,
      Pk_number: 1,
      Service_Id: 'TESTSVC   ', // all 10 bytes, space-padded
      Msg_src: '9001  ',
      FeeType: '1 ',
      FeeCode: '000010',
      Src_Id: '1065900001'.padEnd(21, ' '),
      Dest_terminal_Id: ['13800138000'.padEnd(21, ' '), '13900139000  '],
      Msg_Fmt: 0,
      Msg_Content: Buffer.from('hi'),
      Reserve: '        ',
    });
    // The spaces really are on the wire.
    expect(frame.includes(Buffer.from('TESTSVC   '))).toBe(true);
    const f = decodePdu(frame, '2.0').fields;
    expect(f.Service_Id).toBe('TESTSVC');
    expect(f.Msg_src).toBe('9001');
    expect(f.FeeType).toBe('1');
    expect(f.Src_Id).toBe('1065900001');
    expect(f.Dest_terminal_Id).toEqual(['13800138000', '13900139000']);
    expect(f.Reserve).toBe('');
  });

  it('keeps spaces inside a value', () => {
    const frame = encodePdu('3.0', 'CMPP_QUERY', 1, { Time: '20261121', Query_Code: 'A B  ' });
    expect(decodePdu(frame, '3.0').fields.Query_Code).toBe('A B');
  });

  it('decodes a space-padded report', () => {
    const report = Buffer.from(
      [
        '0000000000000001', // Msg_Id 1
        '44454c49565244', // Stat "DELIVRD"
        '32363131323131343035', // Submit_time "2611211405"
        '32363131323131343036', // Done_time "2611211406"
        `3133383030313338303030${'20'.repeat(10)}`, // Dest_terminal_Id "13800138000" + 10 spaces (21)
        '00000001', // SMSC_sequence 1
      ].join(''),
      'hex',
    );
    expect(report.length).toBe(60);
    expect(decodeReport(report).Dest_terminal_Id).toBe('13800138000');
  });
});

describe('60-byte report on a 3.0 link (gocmpp)', () => {
  const quirk = vector('deliver-v3-report-60byte-gocmpp-quirk');
  const quirkFrame = Buffer.from(quirk.hex, 'hex');

  /** The same DELIVER with the report in the spec's 71-byte 3.0 layout. */
  function specForm(): Buffer {
    const content60 = Buffer.from(quirk.fields.Msg_Content as string, 'hex');
    // Dest_terminal_Id ends at offset 8 + 7 + 10 + 10 + 21 = 56: widen it to 32 bytes.
    const content71 = Buffer.concat([content60.subarray(0, 56), Buffer.alloc(11), content60.subarray(56)]);
    // 3.0 DELIVER: the Msg_Length byte is at 12 + 8 + 21 + 10 + 3 + 32 + 1 + 1 = 88.
    const at = 88;
    expect(quirkFrame[at]).toBe(60);
    return withTotalLength(
      Buffer.concat([quirkFrame.subarray(0, at), Buffer.of(71), content71, quirkFrame.subarray(at + 1 + 60)]),
    );
  }

  it('decodes the 60-byte report', () => {
    const json = pduToJson(decodePdu(quirkFrame, '3.0'));
    expect(json.version).toBe('3.0');
    expect(json.fields.Msg_Length).toBe(60);
    expect(json.fields.Report).toEqual(quirk.fields.Report);
  });

  it('gives the same Report as the 71-byte spec form', () => {
    const spec = specForm();
    expect(spec.length).toBe(quirkFrame.length + 11);
    const specJson = pduToJson(decodePdu(spec, '3.0'));
    expect(specJson.fields.Msg_Length).toBe(71);
    expect(specJson.fields.Report).toEqual(pduToJson(decodePdu(quirkFrame, '3.0')).fields.Report);
    const report = decodeReport(Buffer.from(quirk.fields.Msg_Content as string, 'hex'));
    expect(encodeReport(report, '3.0').toString('hex')).toBe(specJson.fields.Msg_Content);
  });
});

describe('content that is not text', () => {
  const submit = (fields: Record<string, unknown>) =>
    decodePdu(
      encodePdu('3.0', 'CMPP_SUBMIT', 1, {
        Pk_total: 1,
        Pk_number: 1,
        Src_Id: '1065900001',
        Dest_terminal_Id: ['13800138000'],
        ...fields,
      }),
      '3.0',
    );

  it('TP_udhi 0x40 counts as a UDH (facts §7)', () => {
    const content = Buffer.concat([Buffer.from('0500030a0201', 'hex'), Buffer.from('Hello')]);
    const json = pduToJson(submit({ TP_udhi: 0x40, Msg_Fmt: 0, Msg_Content: content }));
    expect(json.text).toBe('Hello');
    expect(json.udh).toBe('0500030a0201');
  });

  it('an undefined Msg_Fmt still gives the JSON form, without text', () => {
    const json = pduToJson(submit({ Msg_Fmt: 5, Msg_Content: Buffer.from('abc') }));
    expect(json.fields.Msg_Content).toBe('616263');
    expect(json.text).toBeUndefined();
  });

  it('a malformed UDH (TP_udhi 1) still gives the JSON form, without text', () => {
    // UDHL 9 points past the 3 content bytes.
    const json = pduToJson(submit({ TP_udhi: 1, Msg_Fmt: 8, Msg_Content: Buffer.from('090003', 'hex') }));
    expect(json.fields.Msg_Content).toBe('090003');
    expect(json.text).toBeUndefined();
  });
});
