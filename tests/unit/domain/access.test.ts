import { describe, expect, it } from 'vitest';
import { AccessRule } from '../../../src/domain/access.js';
import { RosterService } from '../../../src/domain/roster/rosterService.js';
import type { Clock } from '../../../src/domain/time/clock.js';
import { memoryStores } from '../../../src/storage/memory.js';

const clock: Clock = { now: () => new Date('2026-11-02T09:00:00Z') };
const HR_ID = '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';
const ADMIN_ID = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';

/** Counts the Teams lookups, and answers with these addresses. */
function teams(...addresses: string[]) {
  const lookup = async () => {
    lookup.calls += 1;
    return addresses;
  };
  lookup.calls = 0;
  return lookup;
}

async function rule(lists: { hr?: string[]; contactAdmins?: string[] }) {
  const stores = memoryStores();
  const roster = new RosterService(stores.roster, clock);
  return {
    roster,
    access: new AccessRule({ hr: lists.hr ?? [], contactAdmins: lists.contactAdmins ?? [] }, stores.roster),
  };
}

describe('the access rule', () => {
  it('knows HR and contact admins listed by Entra object id, without asking Teams; HR may choose the contact channel too', async () => {
    const { access } = await rule({ hr: [HR_ID], contactAdmins: [ADMIN_ID] });
    const lookup = teams('someone@contoso.example');
    expect(await access.isHr(HR_ID.toUpperCase(), lookup)).toBe(true);
    expect(await access.isContactAdmin(HR_ID, lookup)).toBe(true);
    expect(await access.isContactAdmin(ADMIN_ID, lookup)).toBe(true);
    expect(await access.isHr(ADMIN_ID, lookup)).toBe(false);
    expect(await access.isHr('someone-else', lookup)).toBe(false);
    expect(lookup.calls).toBe(0);
  });

  it('knows people listed by e-mail through Teams, and through the roster when Teams is not there (a download link)', async () => {
    const { access, roster } = await rule({ hr: ['hr@contoso.example'], contactAdmins: ['admin@contoso.example'] });
    expect(await access.isHr('u-hr', teams('HR@Contoso.example'))).toBe(true);
    expect(await access.isContactAdmin('u-admin', teams('admin@contoso.example'))).toBe(true);
    expect(await access.isHr('u-admin', teams('admin@contoso.example'))).toBe(false);
    expect(await access.isHr('u-other', teams('other@contoso.example'))).toBe(false);
    expect(await access.isHr('u-silent', teams())).toBe(false);
    // Without Teams: whom Teams confirmed before, or whom the roster lists under that address.
    expect(await access.isHr('u-hr')).toBe(true);
    expect(await access.isHr('u-roster')).toBe(false);
    await roster.apply(
      [{ name: 'Hanna', email: 'hr@contoso.example', department: 'HR', role: 'HR advisor', aadObjectId: 'u-roster' }],
      'csv',
    );
    expect(await access.isHr('u-roster')).toBe(true);
    expect(await access.isHr('U-ROSTER')).toBe(true);
    await roster.apply([], 'csv');
    expect(await access.isHr('u-roster')).toBe(false);
  });

  it('asks Teams only when a list has an e-mail address, and once a person is confirmed', async () => {
    const byId = await rule({ hr: [HR_ID] });
    const lookup = teams('hr@contoso.example');
    expect(await byId.access.isHr('u-1', lookup)).toBe(false);
    expect(lookup.calls).toBe(0);
    const byMail = await rule({ hr: ['hr@contoso.example'] });
    expect(await byMail.access.isHr('u-1', lookup)).toBe(true);
    expect(await byMail.access.isHr('u-1', lookup)).toBe(true);
    expect(lookup.calls).toBe(1);
  });
});
