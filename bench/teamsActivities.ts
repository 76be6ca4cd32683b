import type { Language } from '../src/domain/course/course.js';
import type { ConversationRef } from '../src/domain/conversations/ports.js';

const TENANT_ID = '5b1e6c0a-3f8e-4d2b-9c7a-0e4f2a6b8d10';
const BOT_ID = '28:0b6f2c1e-7a9d-4e3b-8f5c-2d1a0e9b7c64';

/** A simulated employee as Teams presents them to the bot. */
export interface Employee {
  /** The Entra object id, which Postwise keys everything by. */
  readonly userId: string;
  readonly teamsId: string;
  readonly conversationId: string;
  readonly language: Language;
}

/** The `index`th simulated employee; the same index always gives the same ids. */
export function employee(index: number, language: Language): Employee {
  const hex = index.toString(16).padStart(12, '0');
  return {
    userId: `00000000-0000-4000-8000-${hex}`,
    teamsId: `29:1bench${hex}`,
    conversationId: `a:1bench-personal-${hex}`,
    language,
  };
}

/** The conversation reference Postwise stores for this employee's activities. */
export function conversationRefOf(employee: Employee, serviceUrl: string): ConversationRef {
  return {
    serviceUrl,
    channelId: 'msteams',
    conversationId: employee.conversationId,
    botId: BOT_ID,
    tenantId: TENANT_ID,
  };
}

let nextActivityId = 1;

function activity(employee: Employee, serviceUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  const locale = employee.language === 'nl' ? 'nl-NL' : 'en-US';
  return {
    ...fields,
    id: `f:bench-${nextActivityId++}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: employee.teamsId, name: 'Simulated Employee', aadObjectId: employee.userId },
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: employee.conversationId },
    recipient: { id: BOT_ID, name: 'Postwise' },
    entities: [{ locale, country: locale.slice(3), platform: 'Web', timezone: 'Europe/Amsterdam', type: 'clientInfo' }],
    channelData: { tenant: { id: TENANT_ID } },
    locale,
    localTimezone: 'Europe/Amsterdam',
  };
}

/** A typed message, as Teams posts it to /api/messages. */
export function messageActivity(employee: Employee, serviceUrl: string, text: string): Record<string, unknown> {
  return activity(employee, serviceUrl, { type: 'message', text, textFormat: 'plain' });
}

/** A click on an Action.Execute button of a card the bot sent earlier. */
export function cardActionActivity(
  employee: Employee,
  serviceUrl: string,
  verb: string,
  data: Record<string, string>,
): Record<string, unknown> {
  return activity(employee, serviceUrl, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: '1:card',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  });
}
