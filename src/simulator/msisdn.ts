/** A Chinese mobile number: 11 digits starting with 1, optionally after "86" or "+86" (facts §2, SUBMIT #20). */
const MSISDN = /^(?:\+?86)?(1\d{10})$/;

export function isMsisdn(text: string): boolean {
  return MSISDN.test(text);
}

/** The 11-digit national number, so that 8613800138000, +8613800138000 and 13800138000 compare equal. */
export function nationalNumber(text: string): string {
  return MSISDN.exec(text)?.[1] ?? text;
}
