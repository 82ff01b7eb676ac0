/** WBXML global tokens (WAP-192; facts §11). */
export const WB = {
  SWITCH_PAGE: 0x00,
  END: 0x01,
  ENTITY: 0x02,
  STR_I: 0x03,
  STR_T: 0x83,
  OPAQUE: 0xc3,
  /** Tag flags. */
  HAS_CONTENT: 0x40,
  HAS_ATTRS: 0x80,
} as const;

export const WBXML_VERSION_1_2 = 0x02;
export const CHARSET_UTF8 = 0x6a;

/** An attribute-start token: the attribute name and the value prefix it stands for; `whole` = the entire value. */
export interface AttrStart {
  token: number;
  name: string;
  prefix: string;
  whole?: boolean;
}

/** One document type's code page 0, its DTD rules and its root element. */
export interface WbxmlTable {
  kind: 'si' | 'sl';
  publicId: number;
  root: string;
  tags: Record<string, number>;
  attrStarts: AttrStart[];
  /** Attribute-value tokens, used inside `uriAttrs` values. */
  attrValues: Record<string, number>;
  uriAttrs: ReadonlySet<string>;
  /** Attributes carried as OPAQUE packed BCD (facts §11, Dates). */
  dateAttrs: ReadonlySet<string>;
  /** The child elements each element may hold; absent = text content only. */
  children: Record<string, readonly string[]>;
  requiredChildren: Record<string, readonly string[]>;
  required: Record<string, readonly string[]>;
}

const URI_VALUES = { '.com/': 0x85, '.edu/': 0x86, '.net/': 0x87, '.org/': 0x88 };

const whole = (token: number, name: string, prefix: string): AttrStart => ({
  token,
  name,
  prefix,
  whole: true,
});
const start = (token: number, name: string, prefix = ''): AttrStart => ({ token, name, prefix });

/** SI, WAP-167 (facts §11, SI tokens). */
export const SI_TABLE: WbxmlTable = {
  kind: 'si',
  publicId: 0x05,
  root: 'si',
  tags: { si: 0x05, indication: 0x06, info: 0x07, item: 0x08 },
  attrStarts: [
    whole(0x05, 'action', 'signal-none'),
    whole(0x06, 'action', 'signal-low'),
    whole(0x07, 'action', 'signal-medium'),
    whole(0x08, 'action', 'signal-high'),
    whole(0x09, 'action', 'delete'),
    start(0x0a, 'created'),
    start(0x0b, 'href'),
    start(0x0c, 'href', 'http://'),
    start(0x0d, 'href', 'http://www.'),
    start(0x0e, 'href', 'https://'),
    start(0x0f, 'href', 'https://www.'),
    start(0x10, 'si-expires'),
    start(0x11, 'si-id'),
    start(0x12, 'class'),
  ],
  attrValues: URI_VALUES,
  uriAttrs: new Set(['href']),
  dateAttrs: new Set(['created', 'si-expires']),
  children: { si: ['indication', 'info'], info: ['item'] },
  requiredChildren: { si: ['indication'], info: ['item'] },
  required: { item: ['class'] },
};

/** SL, WAP-168 (facts §11, SL tokens). */
export const SL_TABLE: WbxmlTable = {
  kind: 'sl',
  publicId: 0x06,
  root: 'sl',
  tags: { sl: 0x05 },
  attrStarts: [
    whole(0x05, 'action', 'execute-low'),
    whole(0x06, 'action', 'execute-high'),
    whole(0x07, 'action', 'cache'),
    start(0x08, 'href'),
    start(0x09, 'href', 'http://'),
    start(0x0a, 'href', 'http://www.'),
    start(0x0b, 'href', 'https://'),
    start(0x0c, 'href', 'https://www.'),
  ],
  attrValues: URI_VALUES,
  uriAttrs: new Set(['href']),
  dateAttrs: new Set(),
  children: { sl: [] },
  requiredChildren: {},
  required: { sl: ['href'] },
};

export const WBXML_TABLES: readonly WbxmlTable[] = [SI_TABLE, SL_TABLE];
