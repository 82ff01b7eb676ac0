/** Well-known content types, `0x80 | code` on the wire (WAP-230 Table 40; facts §9). */
export const WSP_CONTENT_TYPES: Record<string, number> = {
  'text/plain': 0x03,
  'text/vnd.wap.wml': 0x08,
  'application/vnd.wap.wmlc': 0x14,
  'application/vnd.wap.wbxml': 0x29,
  'text/vnd.wap.si': 0x2d,
  'application/vnd.wap.sic': 0x2e,
  'text/vnd.wap.sl': 0x2f,
  'application/vnd.wap.slc': 0x30,
  'application/vnd.wap.coc': 0x32,
  'application/vnd.wap.mms-message': 0x3e,
};

/** Header field codes (WAP-230 Table 39; facts §9), keyed by lower-case name. */
export const WSP_HEADERS = {
  'content-length': 0x0d,
  'x-wap-application-id': 0x2f,
  'x-wap-content-uri': 0x30,
  'x-wap-initiator-uri': 0x31,
  'push-flag': 0x34,
  'encoding-version': 0x43,
} as const;

/** Canonical spelling of the headers decodeWspPush reports by name. */
export const WSP_HEADER_NAMES: Record<number, string> = {
  48: 'X-Wap-Content-URI',
  49: 'X-Wap-Initiator-URI',
  52: 'Push-Flag',
};

/** X-Wap-Application-Id codes (facts §9). */
export const WAP_APPLICATION_IDS: Record<string, number> = {
  '*': 0x00,
  'push.sia': 0x01,
  'wml.ua': 0x02,
  'wta.ua': 0x03,
  'mms.ua': 0x04,
  'push.syncml': 0x05,
  'loc.ua': 0x06,
  'syncml.dm': 0x07,
  'drm.ua': 0x08,
  'emn.ua': 0x09,
  'wv.ua': 0x0a,
};

export const WML_UA = WAP_APPLICATION_IDS['wml.ua'];

/** Charset parameter values as MIBenum (IANA). */
export const CHARSET_MIBS: Record<string, number> = {
  'us-ascii': 3,
  'iso-8859-1': 4,
  'utf-8': 106,
  'iso-10646-ucs-2': 1000,
};

export const WSP_PDU_PUSH = 0x06;
export const WSP_PDU_CONFIRMED_PUSH = 0x07;
/** Well-known parameter Charset (WAP-230 Table 38). */
export const WSP_PARAM_CHARSET = 0x01;
/** Encoding-Version 1.3 as a Version-value short integer: `0x80 | 1 << 4 | 3` (facts §9). */
export const ENCODING_VERSION_1_3 = 0x93;
