import type { CommandName } from '../commands.js';
import { bytes, int32, msgId, str, strs, uint, type VersionedField } from './field.js';

/*
 * One table per PDU. A size written [v2, v3] differs between the versions; null means the field does not
 * exist in that version. Field names are the spec's (SPEC3 §8.4–§8.6), so the two can be read side by side.
 */

const CONNECT = [
  str('Source_Addr', 6),
  bytes('AuthenticatorSource', 16),
  uint('Version', 1),
  uint('Timestamp', 4),
];

// SPEC3 rev 3.0 widens Status to 4 bytes.
const CONNECT_RESP = [uint('Status', [1, 4]), bytes('AuthenticatorISMG', 16), uint('Version', 1)];

// Reserved may be missing: some peers answer with a bare header (facts §7).
const ACTIVE_TEST_RESP = [uint('Reserved', 1, { tail: true })];

/** Reserve (2.0, 8 bytes) became LinkID (3.0, 20 bytes); peers send it short (facts §7, Aspire). */
const RESERVE_OR_LINK_ID = [
  str('Reserve', [8, null], { tail: true }),
  str('LinkID', [null, 20], { tail: true }),
];

const MSG_CONTENT = [
  uint('Msg_Length', 1, { countOf: 'Msg_Content' }),
  bytes('Msg_Content', 0, { lengthFrom: 'Msg_Length' }),
];

const SUBMIT = [
  msgId('Msg_Id'),
  uint('Pk_total', 1),
  uint('Pk_number', 1),
  uint('Registered_Delivery', 1),
  uint('Msg_level', 1),
  str('Service_Id', 10),
  uint('Fee_UserType', 1),
  str('Fee_terminal_Id', [21, 32]),
  uint('Fee_terminal_type', [null, 1]),
  uint('TP_pId', 1),
  uint('TP_udhi', 1),
  uint('Msg_Fmt', 1),
  str('Msg_src', 6),
  str('FeeType', 2),
  str('FeeCode', 6),
  str('ValId_Time', 17),
  str('At_Time', 17),
  str('Src_Id', 21),
  uint('DestUsr_tl', 1, { countOf: 'Dest_terminal_Id' }),
  strs('Dest_terminal_Id', [21, 32], 'DestUsr_tl'),
  uint('Dest_terminal_type', [null, 1]),
  ...MSG_CONTENT,
  ...RESERVE_OR_LINK_ID,
];

const MSG_ID_RESULT = [msgId('Msg_Id'), uint('Result', [1, 4])];

const DELIVER = [
  msgId('Msg_Id'),
  str('Dest_Id', 21),
  str('Service_Id', 10),
  uint('TP_pid', 1),
  uint('TP_udhi', 1),
  uint('Msg_Fmt', 1),
  str('Src_terminal_Id', [21, 32]),
  uint('Src_terminal_type', [null, 1]),
  uint('Registered_Delivery', 1),
  ...MSG_CONTENT,
  ...RESERVE_OR_LINK_ID,
];

const QUERY_KEY = [str('Time', 8), uint('Query_Type', 1), str('Query_Code', 10)];

const QUERY_RESP = [
  ...QUERY_KEY,
  ...['MT_TLMsg', 'MT_Tlusr', 'MT_Scs', 'MT_WT', 'MT_FL', 'MO_Scs', 'MO_WT', 'MO_FL'].map((n) => uint(n, 4)),
];

const FWD = [
  str('Source_Id', 6),
  str('Destination_Id', 6),
  uint('NodesCount', 1),
  uint('Msg_Fwd_Type', 1),
  msgId('Msg_Id'),
  uint('Pk_total', 1),
  uint('Pk_number', 1),
  uint('Registered_Delivery', 1),
  uint('Msg_level', 1),
  str('Service_Id', 10),
  uint('Fee_UserType', 1),
  str('Fee_terminal_Id', 21),
  str('Fee_terminal_Pseudo', [null, 32]),
  uint('Fee_terminal_UserType', [null, 1]),
  uint('TP_pid', 1),
  uint('TP_udhi', 1),
  uint('Msg_Fmt', 1),
  str('Msg_src', 6),
  str('FeeType', 2),
  str('FeeCode', 6),
  str('Valid_Time', 17),
  str('At_Time', 17),
  str('Src_Id', 21),
  str('Src_Pseudo', [null, 32]),
  uint('Src_UserType', [null, 1]),
  uint('Src_type', [null, 1]),
  uint('DestUsr_tl', 1, { countOf: 'Dest_Id' }),
  strs('Dest_Id', 21, 'DestUsr_tl'),
  str('Dest_Pseudo', [null, 32]),
  uint('Dest_UserType', [null, 1]),
  ...MSG_CONTENT,
  ...RESERVE_OR_LINK_ID,
];

const FWD_RESP = [msgId('Msg_Id'), uint('Pk_total', 1), uint('Pk_number', 1), uint('Result', [1, 4])];

// GNS route PDUs, SPEC3 §8.6. Their Result fields stay 1 byte in 3.0.
const GATEWAY = [str('Destination_Id', 6), str('Gateway_IP', 15), uint('Gateway_port', 2)];
const MT_RANGE = [str('Start_Id', 9), str('End_Id', 9), str('Area_code', 4)];
const SP_ROUTE = [str('SP_Id', 6), str('SP_Code', 21), uint('SP_AcessType', 1)];
const MO_CODES = [uint('Start_code', 4), uint('End_code', 4)];
const ROUTE_PAGE = [uint('Route_total', 4), uint('Route_number', 4)];
const TIME_STAMP = str('Time_stamp', 14);
const GET_ROUTE = [str('Source_Id', 6), str('Route_type', 4), int32('Last_route_Id')];
const UPDATE_RESP = [uint('Result', 1), uint('Route_Id', 4), TIME_STAMP];
const RESULT_ONLY = [uint('Result', 1)];
const MT_ROUTE_BODY = [
  uint('Update_type', 1),
  uint('Route_Id', 4),
  ...GATEWAY,
  ...MT_RANGE,
  uint('User_type', 1),
];
const MO_ROUTE_BODY = [
  uint('Update_type', 1),
  uint('Route_Id', 4),
  ...GATEWAY,
  ...SP_ROUTE,
  str('Service_Id', 10),
  ...MO_CODES,
];

export const PDU_TABLES: Readonly<Record<CommandName, readonly VersionedField[]>> = {
  CMPP_CONNECT: CONNECT,
  CMPP_CONNECT_RESP: CONNECT_RESP,
  CMPP_TERMINATE: [],
  CMPP_TERMINATE_RESP: [],
  CMPP_SUBMIT: SUBMIT,
  CMPP_SUBMIT_RESP: MSG_ID_RESULT,
  CMPP_DELIVER: DELIVER,
  CMPP_DELIVER_RESP: MSG_ID_RESULT,
  CMPP_QUERY: [...QUERY_KEY, str('Reserve', 8)],
  CMPP_QUERY_RESP: QUERY_RESP,
  CMPP_CANCEL: [msgId('Msg_Id')],
  // SPEC3 rev 3.0 #16 widens Success_Id to 4 bytes.
  CMPP_CANCEL_RESP: [uint('Success_Id', [1, 4])],
  CMPP_ACTIVE_TEST: [],
  CMPP_ACTIVE_TEST_RESP: ACTIVE_TEST_RESP,
  CMPP_FWD: FWD,
  CMPP_FWD_RESP: FWD_RESP,
  CMPP_MT_ROUTE: [str('Source_Id', 6), str('Terminal_Id', 21)],
  CMPP_MT_ROUTE_RESP: [
    uint('Route_Id', 4),
    ...GATEWAY,
    ...MT_RANGE,
    uint('Result', 1),
    uint('User_type', 1),
    TIME_STAMP,
  ],
  CMPP_MO_ROUTE: [str('Source_Id', 6), str('SP_Code', 21), str('Service_Id', 10), uint('Service_Code', 4)],
  CMPP_MO_ROUTE_RESP: [
    uint('Route_Id', 4),
    ...GATEWAY,
    ...SP_ROUTE,
    ...MO_CODES,
    uint('Result', 1),
    TIME_STAMP,
  ],
  CMPP_GET_MT_ROUTE: GET_ROUTE,
  CMPP_GET_MT_ROUTE_RESP: [
    uint('Route_Id', 4),
    ...GATEWAY,
    ...MT_RANGE,
    uint('Result', 1),
    uint('User_type', 1),
    ...ROUTE_PAGE,
    TIME_STAMP,
  ],
  CMPP_GET_MO_ROUTE: GET_ROUTE,
  CMPP_GET_MO_ROUTE_RESP: [
    uint('Route_Id', 4),
    ...GATEWAY,
    ...SP_ROUTE,
    str('Service_Id', 10),
    ...MO_CODES,
    uint('Result', 1),
    ...ROUTE_PAGE,
    TIME_STAMP,
  ],
  CMPP_MT_ROUTE_UPDATE: MT_ROUTE_BODY,
  CMPP_MT_ROUTE_UPDATE_RESP: UPDATE_RESP,
  CMPP_MO_ROUTE_UPDATE: MO_ROUTE_BODY,
  CMPP_MO_ROUTE_UPDATE_RESP: UPDATE_RESP,
  CMPP_PUSH_MT_ROUTE_UPDATE: [...MT_ROUTE_BODY, TIME_STAMP],
  CMPP_PUSH_MT_ROUTE_UPDATE_RESP: RESULT_ONLY,
  // SPEC3 §8.6.10.1 spells this one "time_stamp"; it is the same field as everywhere else.
  CMPP_PUSH_MO_ROUTE_UPDATE: [...MO_ROUTE_BODY, TIME_STAMP],
  CMPP_PUSH_MO_ROUTE_UPDATE_RESP: RESULT_ONLY,
};

/**
 * The status report carried in a DELIVER's Msg_Content when Registered_Delivery = 1 (SPEC3 §8.4.5.1):
 * 60 bytes in 2.0, 71 in 3.0 (Dest_terminal_Id widened, rev 3.0 #28).
 */
export const REPORT_TABLE: readonly VersionedField[] = [
  msgId('Msg_Id'),
  str('Stat', 7),
  str('Submit_time', 10),
  str('Done_time', 10),
  str('Dest_terminal_Id', [21, 32]),
  uint('SMSC_sequence', 4),
];
