export {
  CmppTextError,
  type CmppTextErrorCode,
  chooseFormat,
  decodeText,
  ENCODING_OF_FMT,
  encodeText,
  FMT_OF_ENCODING,
  MsgFmt,
  type TextEncoding,
} from './msg-fmt.js';
export {
  type AddResult,
  type ExpiredMessage,
  type IncomingPart,
  Reassembler,
  type ReassemblerOptions,
} from './reassembly.js';
export { type Segment, type SplitInput, type SplitResult, splitMessage } from './split.js';
export {
  buildConcatUdh,
  buildUdh,
  type ConcatInfo,
  concatIe,
  hasUdhi,
  IEI_CONCAT_8,
  IEI_CONCAT_16,
  IEI_PORTS_8,
  IEI_PORTS_16,
  type ParsedUdh,
  parseUdh,
  type UdhIe,
} from './udh.js';
