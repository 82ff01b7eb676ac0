/*
 * Typed views of the PDUs the SP side uses most. The tables in schema/pdus.ts are the truth; these only
 * name the fields for TypeScript. Fields that exist in one version only are optional; the encoder writes
 * 0 or empty for a field that is missing.
 */

export interface ConnectFields {
  Source_Addr: string;
  AuthenticatorSource: Uint8Array;
  Version: number;
  Timestamp: number;
}

export interface ConnectRespFields {
  Status: number;
  AuthenticatorISMG: Uint8Array;
  Version: number;
}

export interface SubmitFields {
  Msg_Id?: bigint;
  Pk_total: number;
  Pk_number: number;
  Registered_Delivery: number;
  Msg_level?: number;
  Service_Id?: string;
  Fee_UserType?: number;
  Fee_terminal_Id?: string;
  Fee_terminal_type?: number;
  TP_pId?: number;
  TP_udhi: number;
  Msg_Fmt: number;
  Msg_src?: string;
  FeeType?: string;
  FeeCode?: string;
  ValId_Time?: string;
  At_Time?: string;
  Src_Id: string;
  DestUsr_tl?: number;
  Dest_terminal_Id: readonly string[];
  Dest_terminal_type?: number;
  Msg_Length?: number;
  Msg_Content: Uint8Array;
  Reserve?: string;
  LinkID?: string;
}

export interface MsgIdResultFields {
  Msg_Id: bigint;
  Result: number;
}

export interface DeliverFields {
  Msg_Id: bigint;
  Dest_Id: string;
  Service_Id: string;
  TP_pid: number;
  TP_udhi: number;
  Msg_Fmt: number;
  Src_terminal_Id: string;
  Src_terminal_type?: number;
  Registered_Delivery: number;
  Msg_Length?: number;
  Msg_Content: Uint8Array;
  Reserve?: string;
  LinkID?: string;
}

export interface QueryFields {
  Time: string;
  Query_Type: number;
  Query_Code: string;
  Reserve?: string;
}

export interface CancelFields {
  Msg_Id: bigint;
}

export interface CancelRespFields {
  Success_Id: number;
}
