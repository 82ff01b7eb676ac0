import { expect } from 'vitest';
import { type CmppTextErrorCode, parseUdh, type Segment } from '../../../src/cmpp/text/index.js';

/** Matches a thrown CmppTextError with the given code. */
export const textError = (code: CmppTextErrorCode) =>
  expect.objectContaining({ name: 'CmppTextError', code });

/** A segment's user data without its UDH. */
export const payloadOf = (s: Segment): Buffer => (s.tpUdhi ? parseUdh(s.content).payload : s.content);

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
