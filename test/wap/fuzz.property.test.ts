import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileSi,
  decodeWbxml,
  decodeWspPush,
  PapParseError,
  parseMultipart,
  parsePap,
  WapDecodeError,
} from '../../src/wap/index.js';

/** Calls fn and checks that whatever it throws is an instance of `type`. */
function onlyThrows(type: new (...args: never[]) => Error, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
  }
}

const SI = compileSi(
  '<si><indication href="http://www.example.com/a" created="2024-01-15T10:30:00Z">Hi</indication></si>',
);

describe('decoders on hostile input throw only their typed errors', () => {
  it('decodeWbxml: random bytes and mutated SI documents', () => {
    const mutated = fc
      .tuple(fc.integer({ min: 0, max: SI.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat(SI.length))
      .map(([at, byte, cut]) => {
        const b = Buffer.from(SI);
        b[at] = byte;
        return b.subarray(0, cut);
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)),
          mutated,
        ),
        (b) => {
          onlyThrows(WapDecodeError, () => decodeWbxml(b));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('decodeWspPush: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (u) => {
        onlyThrows(WapDecodeError, () => decodeWspPush(Buffer.from(u)));
      }),
      { numRuns: 3000 },
    );
  });

  it('parsePap and parseMultipart: random text', () => {
    const markup = fc.string({
      unit: fc.constantFrom('<', '>', '/', '"', '=', ' ', 'pap', 'push-message', 'a', '-', '\r\n', '--x'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(markup, (s) => {
        onlyThrows(PapParseError, () => parsePap(s));
        onlyThrows(PapParseError, () => parseMultipart(Buffer.from(s), 'multipart/related; boundary=x'));
      }),
      // `<pap/` passed fast-xml-parser's validator and then made its parser throw a plain Error.
      { numRuns: 2000, examples: [['<pap/']] },
    );
  });
});
