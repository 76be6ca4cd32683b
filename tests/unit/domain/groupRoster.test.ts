import { describe, expect, it } from 'vitest';
import { groupOnRoster } from '../../../src/domain/groups/groupRoster.js';

const roster = [
  { key: 'ann@contoso.example', aadObjectId: 'aaaa-1' },
  { key: 'bob@contoso.example' },
  { key: 'cas@contoso.example' },
  { key: 'dee@contoso.example', aadObjectId: 'dddd-1' },
];

describe('matching a group to the roster', () => {
  it('finds roster members by Entra object id whatever its case, else by e-mail address or UPN', () => {
    const matched = groupOnRoster(
      [
        { id: 'AAAA-1', name: 'Ann', mail: 'someone.else@contoso.example' },
        { id: 'bbbb-1', name: 'Bob', mail: 'Bob@Contoso.example' },
        { id: 'cccc-1', name: 'Cas', userPrincipalName: 'CAS@contoso.example' },
      ],
      roster,
    );
    expect([...matched.keys].sort()).toEqual(['ann@contoso.example', 'bob@contoso.example', 'cas@contoso.example']);
    expect(matched.outside).toEqual([]);
  });

  it('does not take an e-mail match for a roster member whose object id is another account', () => {
    const matched = groupOnRoster([{ id: 'other-1', name: 'Dee (old account)', mail: 'dee@contoso.example' }], roster);
    expect(matched.keys.size).toBe(0);
    expect(matched.outside).toEqual(['Dee (old account)']);
  });

  it('names those not on the roster in alphabetical order', () => {
    const matched = groupOnRoster(
      [
        { id: 'x-2', name: 'Zoë Guest', mail: 'zoe@partner.example' },
        { id: 'x-1', name: 'Ézra Visitor' },
        { id: 'aaaa-1', name: 'Ann' },
        { id: 'x-3', name: 'Bram Extern', userPrincipalName: 'bram@partner.example' },
      ],
      roster,
    );
    expect([...matched.keys]).toEqual(['ann@contoso.example']);
    expect(matched.outside).toEqual(['Bram Extern', 'Ézra Visitor', 'Zoë Guest']);
  });
});
