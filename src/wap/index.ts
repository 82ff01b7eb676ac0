export { PapParseError, WapDecodeError, WapTransformError } from './errors.js';
export { compilePushContent, mediaType, type PushContentType } from './push-content.js';
export { decodeWbxml, type WbxmlDocument } from './wbxml-decode.js';
export { compileSi, compileSl } from './wbxml-encode.js';
export { WAP_PUSH_PORTS, type WapSegment, wapPushSegments } from './wdp.js';
export { decodeWspPush } from './wsp-decode.js';
export { encodeWspPush, type WspPush } from './wsp-encode.js';
export type { XmlElement, XmlNode } from './xml.js';
