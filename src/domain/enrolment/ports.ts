import type { EnrolmentRule } from './enrolment.js';

/** Keeps HR's one standing enrolment rule. */
export interface EnrolmentRuleStore {
  enrolmentRule(): Promise<EnrolmentRule | undefined>;
  /** Applies `change` atomically; undefined from `change` writes nothing. Returns the rule as stored afterwards. */
  updateEnrolmentRule(
    change: (current: EnrolmentRule | undefined) => EnrolmentRule | undefined,
  ): Promise<EnrolmentRule | undefined>;
}
