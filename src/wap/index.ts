export { PapParseError, WapDecodeError, WapTooLargeError, WapTransformError } from './errors.js';
export { type ContentType, parseContentType } from './mime.js';
export { buildMultipart, type MultipartPart, parseMultipart } from './multipart.js';
export { formatPapAddress, type PapAddress, parsePapAddress } from './pap-address.js';
export { buildPap } from './pap-build.js';
export { PapClient, PapResponseError, type PushRequest } from './pap-client.js';
export { PAP_CODES } from './pap-codes.js';
export { parsePap } from './pap-parse.js';
export { readPapRequest } from './pap-request.js';
export { MESSAGE_STATES } from './pap-schema.js';
export type {
  BadMessageResponse,
  CancelMessage,
  CancelResponse,
  CancelResult,
  CcqMessage,
  CcqResponse,
  MessageState,
  PapMessage,
  PapMessageType,
  ProgressNote,
  PushMessage,
  PushResponse,
  QualityOfService,
  ResponseResult,
  ResultNotificationMessage,
  ResultNotificationResponse,
  StatusQueryMessage,
  StatusQueryResponse,
  StatusQueryResult,
} from './pap-types.js';
export { compilePushContent, mediaType, type PushContentType } from './push-content.js';
export { decodeWbxml, type WbxmlDocument } from './wbxml-decode.js';
export { compileSi, compileSl } from './wbxml-encode.js';
export { WAP_PUSH_PORTS, type WapSegment, wapPushSegments } from './wdp.js';
export { type ReceivedPush, readPushSms } from './wdp-decode.js';
export { PushReassembler, type PushReassemblyOptions } from './wdp-reassembly.js';
export { decodeWspPush } from './wsp-decode.js';
export { encodeWspPush, type WspPush } from './wsp-encode.js';
export type { XmlElement, XmlNode } from './xml.js';
