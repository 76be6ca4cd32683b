import type { EnrolmentRule } from '../domain/enrolment/enrolment.js';
import type { EnrolmentRuleStore } from '../domain/enrolment/ports.js';
import type { Table } from './table.js';

const KEY = 'enrolmentRule';

/** The standing enrolment rule, one named value in the settings table. */
export class TableEnrolmentRuleStore implements EnrolmentRuleStore {
  constructor(private readonly table: Table<unknown>) {}

  async enrolmentRule(): Promise<EnrolmentRule | undefined> {
    return (await this.table.get(KEY)) as EnrolmentRule | undefined;
  }

  async updateEnrolmentRule(
    change: (current: EnrolmentRule | undefined) => EnrolmentRule | undefined,
  ): Promise<EnrolmentRule | undefined> {
    const written = await this.table.update(KEY, (current) => {
      const next = change(current as EnrolmentRule | undefined);
      return next === undefined ? undefined : { ...next };
    });
    return (written as EnrolmentRule | undefined) ?? this.enrolmentRule();
  }
}
