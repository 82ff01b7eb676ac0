/** JSON schemas of the API: Fastify validates requests with them and they make the OpenAPI document. */

const phone = { type: 'string', minLength: 1, maxLength: 21 } as const;

export const sendRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['to'],
  properties: {
    to: { anyOf: [phone, { type: 'array', items: phone, minItems: 1, maxItems: 1000 }] },
    text: { type: 'string', maxLength: 65_536 },
    binary: { type: 'string', description: 'hex', maxLength: 131_072 },
    from: { type: 'string', maxLength: 20, description: 'extension appended to the service code' },
    account: { type: 'string' },
    encoding: { type: 'string', enum: ['auto', 'ucs2', 'gb18030', 'ascii', 'binary'] },
    report: { type: 'boolean' },
    clientRef: { type: 'string', minLength: 1, maxLength: 128, description: 'idempotency key' },
    callbackUrl: { type: 'string', format: 'uri' },
    validUntil: { type: 'string', format: 'date-time' },
    sendAt: { type: 'string', format: 'date-time' },
    priority: { type: 'integer', minimum: 0, maximum: 9 },
  },
} as const;

export const acceptedSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    segments: { type: 'integer' },
    to: { type: 'string' },
  },
} as const;

export const segmentSchema = {
  type: 'object',
  properties: {
    index: { type: 'integer' },
    msgId: { type: ['string', 'null'] },
    status: { type: 'string' },
    result: { type: ['integer', 'null'] },
    stat: { type: ['string', 'null'] },
    submittedAt: { type: ['string', 'null'] },
    reportedAt: { type: ['string', 'null'] },
  },
} as const;

export const messageSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    account: { type: 'string' },
    clientRef: { type: ['string', 'null'] },
    to: { type: 'string' },
    from: { type: 'string' },
    text: { type: ['string', 'null'] },
    binary: { type: ['string', 'null'] },
    encoding: { type: 'string' },
    report: { type: 'boolean' },
    status: { type: 'string' },
    error: { type: ['string', 'null'] },
    priority: { type: 'integer' },
    callbackUrl: { type: ['string', 'null'] },
    validUntil: { type: ['string', 'null'] },
    sendAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    pushId: { type: ['string', 'null'] },
    segments: { type: 'array', items: segmentSchema },
  },
} as const;

export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
    },
  },
} as const;

export const wapPushSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['to', 'type', 'href'],
  properties: {
    to: { anyOf: [phone, { type: 'array', items: phone, minItems: 1, maxItems: 1000 }] },
    type: { type: 'string', enum: ['si', 'sl'] },
    href: { type: 'string', minLength: 1, maxLength: 2048 },
    text: { type: 'string', maxLength: 4096 },
    action: { type: 'string' },
    siId: { type: 'string', maxLength: 256 },
    created: { type: 'string', format: 'date-time' },
    expires: { type: 'string', format: 'date-time' },
    pushId: { type: 'string', minLength: 1, maxLength: 256 },
    notifyUrl: { type: 'string', format: 'uri' },
    deliverBefore: { type: 'string', format: 'date-time' },
    deliverAfter: { type: 'string', format: 'date-time' },
    sourceReference: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      description: "PAP source-reference: the PI's name for the content's source, kept with the push",
    },
  },
} as const;
