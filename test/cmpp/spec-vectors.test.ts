import { describe, expect, it } from 'vitest';
import {
  type CmppVersion,
  type CommandName,
  decodePdu,
  decodeReport,
  encodePdu,
  encodeReport,
  type Fields,
  fieldsToJson,
  pduFromJson,
  pduToJson,
  type StatusReport,
} from '../../src/cmpp/index.js';

/*
 * Vectors built by hand from the SPEC3 tables (§8.4.4, §8.4.5, §8.4.6, §8.6). Every expected packet is
 * written out field by field; `z(n)` is n bytes of 0x00 (right padding of an Octet String, SPEC3 §8.1).
 */

const z = (n: number) => '00'.repeat(n);

interface HandVector {
  name: string;
  versions: readonly CmppVersion[];
  command: CommandName;
  sequenceId: number;
  /** The JSON form of the fields, as pduToJson prints them. */
  fields: Record<string, unknown>;
  parts: readonly string[];
  totalLength: number;
}

const BOTH: readonly CmppVersion[] = ['2.0', '3.0'];

// GNS route PDUs share these field groups (SPEC3 §8.6).
const GATEWAY_079101 = [
  '303739313031', // Destination_Id "079101"
  `36372e3232312e3133342e3132${z(2)}`, // Gateway_IP "67.221.134.12" (15)
  '1efa', // Gateway_port 7930
];
const GATEWAY_079101_FIELDS = { Destination_Id: '079101', Gateway_IP: '67.221.134.12', Gateway_port: 7930 };
const MT_RANGE = [
  `31333830303030${z(2)}`, // Start_Id "1380000" (9)
  `31333830393939${z(2)}`, // End_Id "1380999" (9)
  '30373931', // Area_code "0791"
];
const MT_RANGE_FIELDS = { Start_Id: '1380000', End_Id: '1380999', Area_code: '0791' };
const SP_ROUTE = [
  '393030303031', // SP_Id "900001"
  `31303635393030303031${z(11)}`, // SP_Code "1065900001" (21)
  '01', // SP_AcessType 1 (mirror access)
];
const SP_ROUTE_FIELDS = { SP_Id: '900001', SP_Code: '1065900001', SP_AcessType: 1 };
const SERVICE_TPCQ = `54504351${z(6)}`; // Service_Id "TPCQ" (10)
const MO_CODES = [
  '000003e8', // Start_code 1000
  '000007d0', // End_code 2000
];
const MO_CODES_FIELDS = { Start_code: 1000, End_code: 2000 };
const TIME_STAMP = '3230303330313137303134353132'; // Time_stamp "20030117014512" (14)

const VECTORS: readonly HandVector[] = [
  {
    name: 'CMPP_QUERY by Service_Id',
    versions: BOTH,
    command: 'CMPP_QUERY',
    sequenceId: 0x10,
    fields: { Time: '20261121', Query_Type: 1, Query_Code: 'TESTSVC', Reserve: '' },
    parts: [
      '00000027', // Total_Length 39
      '00000006', // Command_Id CMPP_QUERY
      '00000010', // Sequence_Id 16
      '3230323631313231', // Time "20261121"
      '01', // Query_Type 1
      `54455354535643${z(3)}`, // Query_Code "TESTSVC" (10)
      z(8), // Reserve
    ],
    totalLength: 39,
  },
  {
    name: 'CMPP_QUERY_RESP totals',
    versions: BOTH,
    command: 'CMPP_QUERY_RESP',
    sequenceId: 0x10,
    fields: {
      Time: '20261121',
      Query_Type: 0,
      Query_Code: '',
      MT_TLMsg: 1000,
      MT_Tlusr: 900,
      MT_Scs: 850,
      MT_WT: 30,
      MT_FL: 20,
      MO_Scs: 0x12345678,
      MO_WT: 0,
      MO_FL: 0xffffffff,
    },
    parts: [
      '0000003f', // Total_Length 63
      '80000006', // Command_Id CMPP_QUERY_RESP
      '00000010', // Sequence_Id
      '3230323631313231', // Time "20261121"
      '00', // Query_Type 0
      z(10), // Query_Code (empty)
      '000003e8', // MT_TLMsg 1000
      '00000384', // MT_Tlusr 900
      '00000352', // MT_Scs 850
      '0000001e', // MT_WT 30
      '00000014', // MT_FL 20
      '12345678', // MO_Scs
      '00000000', // MO_WT
      'ffffffff', // MO_FL 4294967295 (unsigned)
    ],
    totalLength: 63,
  },
  {
    name: 'CMPP_CANCEL',
    versions: BOTH,
    command: 'CMPP_CANCEL',
    sequenceId: 0x21,
    fields: { Msg_Id: '12878564852733378560' },
    parts: [
      '00000014', // Total_Length 20
      '00000007', // Command_Id CMPP_CANCEL
      '00000021', // Sequence_Id
      'b2b9da8000010000', // Msg_Id 12878564852733378560 (above 2^63)
    ],
    totalLength: 20,
  },
  {
    name: 'CMPP_CANCEL_RESP 2.0 (1-byte Success_Id)',
    versions: ['2.0'],
    command: 'CMPP_CANCEL_RESP',
    sequenceId: 0x21,
    fields: { Success_Id: 1 },
    parts: [
      '0000000d', // Total_Length 13
      '80000007', // Command_Id CMPP_CANCEL_RESP
      '00000021', // Sequence_Id
      '01', // Success_Id 1 = failure
    ],
    totalLength: 13,
  },
  {
    name: 'CMPP_CANCEL_RESP 3.0 (4-byte Success_Id)',
    versions: ['3.0'],
    command: 'CMPP_CANCEL_RESP',
    sequenceId: 0x21,
    fields: { Success_Id: 1 },
    parts: [
      '00000010', // Total_Length 16
      '80000007', // Command_Id CMPP_CANCEL_RESP
      '00000021', // Sequence_Id
      '00000001', // Success_Id 1 = failure
    ],
    totalLength: 16,
  },
  {
    name: 'CMPP_MT_ROUTE',
    versions: BOTH,
    command: 'CMPP_MT_ROUTE',
    sequenceId: 1,
    fields: { Source_Id: '001001', Terminal_Id: '13800138000' },
    parts: [
      '00000027', // Total_Length 39
      '00000010', // Command_Id CMPP_MT_ROUTE
      '00000001', // Sequence_Id
      '303031303031', // Source_Id "001001"
      `3133383030313338303030${z(10)}`, // Terminal_Id "13800138000" (21)
    ],
    totalLength: 39,
  },
  {
    name: 'CMPP_MT_ROUTE_RESP',
    versions: BOTH,
    command: 'CMPP_MT_ROUTE_RESP',
    sequenceId: 1,
    fields: {
      Route_Id: 7,
      ...GATEWAY_079101_FIELDS,
      ...MT_RANGE_FIELDS,
      Result: 0,
      User_type: 1,
      Time_stamp: '20030117014512',
    },
    parts: [
      '0000004d', // Total_Length 77
      '80000010', // Command_Id CMPP_MT_ROUTE_RESP
      '00000001', // Sequence_Id
      '00000007', // Route_Id 7
      ...GATEWAY_079101,
      ...MT_RANGE,
      '00', // Result 0
      '01', // User_type 1
      TIME_STAMP,
    ],
    totalLength: 77,
  },
  {
    name: 'CMPP_MO_ROUTE',
    versions: BOTH,
    command: 'CMPP_MO_ROUTE',
    sequenceId: 2,
    fields: { Source_Id: '001001', SP_Code: '1065900001', Service_Id: 'TPCQ', Service_Code: 1500 },
    parts: [
      '00000035', // Total_Length 53
      '00000011', // Command_Id CMPP_MO_ROUTE
      '00000002', // Sequence_Id
      '303031303031', // Source_Id "001001"
      `31303635393030303031${z(11)}`, // SP_Code "1065900001" (21)
      SERVICE_TPCQ, // Service_Id "TPCQ" (10)
      '000005dc', // Service_Code 1500
    ],
    totalLength: 53,
  },
  {
    name: 'CMPP_MO_ROUTE_RESP',
    versions: BOTH,
    command: 'CMPP_MO_ROUTE_RESP',
    sequenceId: 2,
    fields: {
      Route_Id: 3,
      Destination_Id: '079101',
      Gateway_IP: '10.1.2.3',
      Gateway_port: 7930,
      ...SP_ROUTE_FIELDS,
      ...MO_CODES_FIELDS,
      Result: 0,
      Time_stamp: '20030117014512',
    },
    parts: [
      '0000005a', // Total_Length 90
      '80000011', // Command_Id CMPP_MO_ROUTE_RESP
      '00000002', // Sequence_Id
      '00000003', // Route_Id 3
      '303739313031', // Destination_Id "079101"
      `31302e312e322e33${z(7)}`, // Gateway_IP "10.1.2.3" (15)
      '1efa', // Gateway_port 7930
      ...SP_ROUTE,
      ...MO_CODES,
      '00', // Result 0
      TIME_STAMP,
    ],
    totalLength: 90,
  },
  {
    name: 'CMPP_GET_MT_ROUTE, first request (Last_route_Id = -1)',
    versions: BOTH,
    command: 'CMPP_GET_MT_ROUTE',
    sequenceId: 3,
    fields: { Source_Id: '001001', Route_type: 'MT', Last_route_Id: -1 },
    parts: [
      '0000001a', // Total_Length 26
      '00000012', // Command_Id CMPP_GET_MT_ROUTE
      '00000003', // Sequence_Id
      '303031303031', // Source_Id "001001"
      `4d54${z(2)}`, // Route_type "MT" (4)
      'ffffffff', // Last_route_Id -1 (signed Integer)
    ],
    totalLength: 26,
  },
  {
    name: 'CMPP_GET_MT_ROUTE_RESP',
    versions: BOTH,
    command: 'CMPP_GET_MT_ROUTE_RESP',
    sequenceId: 3,
    fields: {
      Route_Id: 0,
      ...GATEWAY_079101_FIELDS,
      ...MT_RANGE_FIELDS,
      Result: 0,
      User_type: 2,
      Route_total: 120,
      Route_number: 1,
      Time_stamp: '20030117014512',
    },
    parts: [
      '00000055', // Total_Length 85
      '80000012', // Command_Id CMPP_GET_MT_ROUTE_RESP
      '00000003', // Sequence_Id
      '00000000', // Route_Id 0
      ...GATEWAY_079101,
      ...MT_RANGE,
      '00', // Result 0
      '02', // User_type 2 (M-Zone)
      '00000078', // Route_total 120
      '00000001', // Route_number 1
      TIME_STAMP,
    ],
    totalLength: 85,
  },
  {
    name: 'CMPP_GET_MO_ROUTE, later request (Last_route_Id = 41)',
    versions: BOTH,
    command: 'CMPP_GET_MO_ROUTE',
    sequenceId: 4,
    fields: { Source_Id: '001001', Route_type: 'MO', Last_route_Id: 41 },
    parts: [
      '0000001a', // Total_Length 26
      '00000017', // Command_Id CMPP_GET_MO_ROUTE
      '00000004', // Sequence_Id
      '303031303031', // Source_Id "001001"
      `4d4f${z(2)}`, // Route_type "MO" (4)
      '00000029', // Last_route_Id 41
    ],
    totalLength: 26,
  },
  {
    name: 'CMPP_GET_MO_ROUTE, first request (Last_route_Id = -1)',
    versions: BOTH,
    command: 'CMPP_GET_MO_ROUTE',
    sequenceId: 5,
    fields: { Source_Id: '001001', Route_type: 'MO', Last_route_Id: -1 },
    parts: [
      '0000001a', // Total_Length 26
      '00000017', // Command_Id CMPP_GET_MO_ROUTE
      '00000005', // Sequence_Id
      '303031303031', // Source_Id "001001"
      `4d4f${z(2)}`, // Route_type "MO" (4)
      'ffffffff', // Last_route_Id -1
    ],
    totalLength: 26,
  },
  {
    name: 'CMPP_GET_MO_ROUTE_RESP',
    versions: BOTH,
    command: 'CMPP_GET_MO_ROUTE_RESP',
    sequenceId: 4,
    fields: {
      Route_Id: 42,
      ...GATEWAY_079101_FIELDS,
      ...SP_ROUTE_FIELDS,
      Service_Id: 'TPCQ',
      ...MO_CODES_FIELDS,
      Result: 3,
      Route_total: 60,
      Route_number: 60,
      Time_stamp: '20030117014512',
    },
    parts: [
      '0000006c', // Total_Length 108
      '80000017', // Command_Id CMPP_GET_MO_ROUTE_RESP
      '00000004', // Sequence_Id
      '0000002a', // Route_Id 42
      ...GATEWAY_079101,
      ...SP_ROUTE,
      SERVICE_TPCQ, // Service_Id "TPCQ"
      ...MO_CODES,
      '03', // Result 3 (route type error)
      '0000003c', // Route_total 60
      '0000003c', // Route_number 60
      TIME_STAMP,
    ],
    totalLength: 108,
  },
  {
    name: 'CMPP_MT_ROUTE_UPDATE (add)',
    versions: BOTH,
    command: 'CMPP_MT_ROUTE_UPDATE',
    sequenceId: 6,
    fields: { Update_type: 0, Route_Id: 0, ...GATEWAY_079101_FIELDS, ...MT_RANGE_FIELDS, User_type: 0 },
    parts: [
      '0000003f', // Total_Length 63
      '00000013', // Command_Id CMPP_MT_ROUTE_UPDATE
      '00000006', // Sequence_Id
      '00', // Update_type 0 (add)
      '00000000', // Route_Id 0 (zero when adding)
      ...GATEWAY_079101,
      ...MT_RANGE,
      '00', // User_type 0
    ],
    totalLength: 63,
  },
  {
    name: 'CMPP_MT_ROUTE_UPDATE_RESP',
    versions: BOTH,
    command: 'CMPP_MT_ROUTE_UPDATE_RESP',
    sequenceId: 6,
    fields: { Result: 0, Route_Id: 42, Time_stamp: '20030117014512' },
    parts: [
      '0000001f', // Total_Length 31
      '80000013', // Command_Id CMPP_MT_ROUTE_UPDATE_RESP
      '00000006', // Sequence_Id
      '00', // Result 0
      '0000002a', // Route_Id 42 (newly allocated)
      TIME_STAMP,
    ],
    totalLength: 31,
  },
  {
    name: 'CMPP_MO_ROUTE_UPDATE (update)',
    versions: BOTH,
    command: 'CMPP_MO_ROUTE_UPDATE',
    sequenceId: 7,
    fields: {
      Update_type: 2,
      Route_Id: 5,
      ...GATEWAY_079101_FIELDS,
      ...SP_ROUTE_FIELDS,
      Service_Id: 'TPCQ',
      ...MO_CODES_FIELDS,
    },
    parts: [
      '00000056', // Total_Length 86
      '00000014', // Command_Id CMPP_MO_ROUTE_UPDATE
      '00000007', // Sequence_Id
      '02', // Update_type 2 (update)
      '00000005', // Route_Id 5
      ...GATEWAY_079101,
      ...SP_ROUTE,
      SERVICE_TPCQ, // Service_Id "TPCQ"
      ...MO_CODES,
    ],
    totalLength: 86,
  },
  {
    name: 'CMPP_MO_ROUTE_UPDATE_RESP',
    versions: BOTH,
    command: 'CMPP_MO_ROUTE_UPDATE_RESP',
    sequenceId: 7,
    fields: { Result: 19, Route_Id: 5, Time_stamp: '20030117014512' },
    parts: [
      '0000001f', // Total_Length 31
      '80000014', // Command_Id CMPP_MO_ROUTE_UPDATE_RESP
      '00000007', // Sequence_Id
      '13', // Result 19 (SP_Id error)
      '00000005', // Route_Id 5
      TIME_STAMP,
    ],
    totalLength: 31,
  },
  {
    name: 'CMPP_PUSH_MT_ROUTE_UPDATE (delete)',
    versions: BOTH,
    command: 'CMPP_PUSH_MT_ROUTE_UPDATE',
    sequenceId: 8,
    fields: {
      Update_type: 1,
      Route_Id: 9,
      ...GATEWAY_079101_FIELDS,
      ...MT_RANGE_FIELDS,
      User_type: 1,
      Time_stamp: '20030117014512',
    },
    parts: [
      '0000004d', // Total_Length 77
      '00000015', // Command_Id CMPP_PUSH_MT_ROUTE_UPDATE
      '00000008', // Sequence_Id
      '01', // Update_type 1 (delete)
      '00000009', // Route_Id 9
      ...GATEWAY_079101,
      ...MT_RANGE,
      '01', // User_type 1
      TIME_STAMP,
    ],
    totalLength: 77,
  },
  {
    name: 'CMPP_PUSH_MT_ROUTE_UPDATE_RESP',
    versions: BOTH,
    command: 'CMPP_PUSH_MT_ROUTE_UPDATE_RESP',
    sequenceId: 8,
    fields: { Result: 6 },
    parts: [
      '0000000d', // Total_Length 13
      '80000015', // Command_Id CMPP_PUSH_MT_ROUTE_UPDATE_RESP
      '00000008', // Sequence_Id
      '06', // Result 6 (GNS route older than local)
    ],
    totalLength: 13,
  },
  {
    name: 'CMPP_PUSH_MO_ROUTE_UPDATE (add)',
    versions: BOTH,
    command: 'CMPP_PUSH_MO_ROUTE_UPDATE',
    sequenceId: 9,
    fields: {
      Update_type: 0,
      Route_Id: 11,
      ...GATEWAY_079101_FIELDS,
      ...SP_ROUTE_FIELDS,
      Service_Id: 'TPCQ',
      ...MO_CODES_FIELDS,
      Time_stamp: '20030117014512',
    },
    parts: [
      '00000064', // Total_Length 100
      '00000016', // Command_Id CMPP_PUSH_MO_ROUTE_UPDATE
      '00000009', // Sequence_Id
      '00', // Update_type 0 (add)
      '0000000b', // Route_Id 11
      ...GATEWAY_079101,
      ...SP_ROUTE,
      SERVICE_TPCQ, // Service_Id "TPCQ"
      ...MO_CODES,
      TIME_STAMP, // time_stamp
    ],
    totalLength: 100,
  },
  {
    name: 'CMPP_PUSH_MO_ROUTE_UPDATE_RESP',
    versions: BOTH,
    command: 'CMPP_PUSH_MO_ROUTE_UPDATE_RESP',
    sequenceId: 9,
    fields: { Result: 0 },
    parts: [
      '0000000d', // Total_Length 13
      '80000016', // Command_Id CMPP_PUSH_MO_ROUTE_UPDATE_RESP
      '00000009', // Sequence_Id
      '00', // Result 0
    ],
    totalLength: 13,
  },
];

// The status reports (SPEC3 §8.4.5.1, Msg_Content when Registered_Delivery = 1).
const REPORT: StatusReport = {
  Msg_Id: 12878564852733378560n,
  Stat: 'EXPIRED',
  Submit_time: '2611220900',
  Done_time: '2611231000',
  Dest_terminal_Id: '8613900139000',
  SMSC_sequence: 0x00010203,
};
const REPORT_JSON = {
  Msg_Id: '12878564852733378560',
  Stat: 'EXPIRED',
  Submit_time: '2611220900',
  Done_time: '2611231000',
  Dest_terminal_Id: '8613900139000',
  SMSC_sequence: 66051,
};
const REPORT_HEAD = [
  'b2b9da8000010000', // Msg_Id 12878564852733378560
  '45585049524544', // Stat "EXPIRED"
  '32363131323230393030', // Submit_time "2611220900"
  '32363131323331303030', // Done_time "2611231000"
];
const REPORT_71 = [
  ...REPORT_HEAD,
  `38363133393030313339303030${z(19)}`, // Dest_terminal_Id "8613900139000" (32, 3.0)
  '00010203', // SMSC_sequence 66051
].join('');
const REPORT_60 = [
  ...REPORT_HEAD,
  `38363133393030313339303030${z(8)}`, // Dest_terminal_Id "8613900139000" (21, 2.0)
  '00010203', // SMSC_sequence 66051
].join('');

const DELIVER_COMMON_HEAD = [
  'bab8608003e90008', // Msg_Id (the DELIVER's own) 13454609989707038728
  `31303635393030303031${z(11)}`, // Dest_Id "1065900001" (21)
  `54455354535643${z(3)}`, // Service_Id "TESTSVC" (10)
  '00', // TP_pid
  '00', // TP_udhi
  '00', // Msg_Fmt
];
const DELIVER_COMMON_FIELDS = {
  Msg_Id: '13454609989707038728',
  Dest_Id: '1065900001',
  Service_Id: 'TESTSVC',
  TP_pid: 0,
  TP_udhi: 0,
  Msg_Fmt: 0,
  Src_terminal_Id: '8613900139000',
};

const REPORT_DELIVERS: readonly HandVector[] = [
  {
    name: '3.0 CMPP_DELIVER carrying a 71-byte report',
    versions: ['3.0'],
    command: 'CMPP_DELIVER',
    sequenceId: 0x30,
    fields: {
      ...DELIVER_COMMON_FIELDS,
      Src_terminal_type: 0,
      Registered_Delivery: 1,
      Msg_Length: 71,
      Msg_Content: REPORT_71,
      LinkID: 'LINK0123456789ABCDEF',
      Report: REPORT_JSON,
    },
    parts: [
      '000000b4', // Total_Length 180 = 12 + 97 + 71
      '00000005', // Command_Id CMPP_DELIVER
      '00000030', // Sequence_Id
      ...DELIVER_COMMON_HEAD,
      `38363133393030313339303030${z(19)}`, // Src_terminal_Id "8613900139000" (32)
      '00', // Src_terminal_type
      '01', // Registered_Delivery 1 (report)
      '47', // Msg_Length 71
      REPORT_71, // Msg_Content
      '4c494e4b30313233343536373839414243444546', // LinkID "LINK0123456789ABCDEF" (all 20 bytes)
    ],
    totalLength: 180,
  },
  {
    name: '2.0 CMPP_DELIVER carrying a 71-byte report (decoded by its length)',
    versions: ['2.0'],
    command: 'CMPP_DELIVER',
    sequenceId: 0x31,
    fields: {
      ...DELIVER_COMMON_FIELDS,
      Registered_Delivery: 1,
      Msg_Length: 71,
      Msg_Content: REPORT_71,
      Reserve: '',
      Report: REPORT_JSON,
    },
    parts: [
      '0000009c', // Total_Length 156 = 12 + 73 + 71
      '00000005', // Command_Id CMPP_DELIVER
      '00000031', // Sequence_Id
      ...DELIVER_COMMON_HEAD,
      `38363133393030313339303030${z(8)}`, // Src_terminal_Id "8613900139000" (21)
      '01', // Registered_Delivery 1 (report)
      '47', // Msg_Length 71
      REPORT_71, // Msg_Content
      z(8), // Reserve
    ],
    totalLength: 156,
  },
  {
    name: '2.0 CMPP_DELIVER carrying a 60-byte report',
    versions: ['2.0'],
    command: 'CMPP_DELIVER',
    sequenceId: 0x32,
    fields: {
      ...DELIVER_COMMON_FIELDS,
      Registered_Delivery: 1,
      Msg_Length: 60,
      Msg_Content: REPORT_60,
      Reserve: '',
      Report: REPORT_JSON,
    },
    parts: [
      '00000091', // Total_Length 145 = 12 + 73 + 60
      '00000005', // Command_Id CMPP_DELIVER
      '00000032', // Sequence_Id
      ...DELIVER_COMMON_HEAD,
      `38363133393030313339303030${z(8)}`, // Src_terminal_Id "8613900139000" (21)
      '01', // Registered_Delivery 1 (report)
      '3c', // Msg_Length 60
      REPORT_60, // Msg_Content
      z(8), // Reserve
    ],
    totalLength: 145,
  },
];

function encodeFromJson(version: CmppVersion, v: HandVector): Buffer {
  const parsed = pduFromJson({ version, command: v.command, sequenceId: v.sequenceId, fields: v.fields });
  return encodePdu(parsed.version, parsed.command, parsed.sequenceId, parsed.fields);
}

describe.each([...VECTORS, ...REPORT_DELIVERS].map((v) => [v.name, v] as const))('%s', (_name, v) => {
  const hex = v.parts.join('');

  it('is as long as its Total_Length says', () => {
    expect(hex.length / 2).toBe(v.totalLength);
    expect(Number.parseInt(hex.slice(0, 8), 16)).toBe(v.totalLength);
  });

  it.each(v.versions)('decodes to the expected fields (%s)', (version) => {
    const frame = Buffer.from(hex, 'hex');
    const pdu = decodePdu(frame, version);
    expect(pdu.version).toBe(version);
    expect(pdu.command).toBe(v.command);
    expect(pdu.sequenceId).toBe(v.sequenceId);
    const json = pduToJson(pdu);
    expect(json.fields).toEqual(v.fields);
  });

  it.each(v.versions)('encodes to the exact bytes (%s)', (version) => {
    const frame = encodeFromJson(version, v);
    expect(frame.length).toBe(v.totalLength);
    expect(frame.toString('hex')).toBe(hex);
  });
});

describe('GNS route PDUs are the same in 2.0 and 3.0', () => {
  it('encodes every route PDU to the same bytes in both versions', () => {
    const routes = VECTORS.filter((v) => v.command.includes('ROUTE'));
    expect(routes.length).toBe(17);
    for (const v of routes) {
      expect(encodeFromJson('2.0', v).equals(encodeFromJson('3.0', v))).toBe(true);
    }
  });
});

describe('encodeReport / decodeReport', () => {
  it('encodes the 2.0 layout in 60 bytes', () => {
    const body = encodeReport(REPORT, '2.0');
    expect(body.length).toBe(60);
    expect(body.toString('hex')).toBe(REPORT_60);
  });

  it('encodes the 3.0 layout in 71 bytes', () => {
    const body = encodeReport(REPORT, '3.0');
    expect(body.length).toBe(71);
    expect(body.toString('hex')).toBe(REPORT_71);
  });

  it.each([
    ['60', REPORT_60],
    ['71', REPORT_71],
  ])('decodes a %s-byte report by its length', (_len, hex) => {
    const report = decodeReport(Buffer.from(hex, 'hex'));
    expect(report).toEqual(REPORT);
    expect(fieldsToJson(report as unknown as Fields)).toEqual(REPORT_JSON);
  });

  it('rejects a report that is neither 60 nor 71 bytes', () => {
    expect(() => decodeReport(Buffer.alloc(65))).toThrow(expect.objectContaining({ code: 'BAD_FIELD' }));
  });
});
