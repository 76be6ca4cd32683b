import { createHash } from 'node:crypto';

/** The namespace Postwise's statement ids are made in (a fixed, random UUID). */
const NAMESPACE = Buffer.from('3f6c2d1e8a4b4c7d9e0f1a2b3c4d5e6f', 'hex');

/** A UUID version 5 (SHA-1, RFC 4122) of `name`: the same name always gives the same statement id. */
export function statementId(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
