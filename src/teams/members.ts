import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { AddressLookup } from '../domain/access.js';
import type { Log } from '../log.js';

/** The e-mail address and UPN Teams has for the sender of this activity; throws when Teams cannot say. */
export async function senderAddresses(context: TurnContext): Promise<string[]> {
  const member = await TeamsInfo.getMember(context, context.activity.from.id);
  return [member.email, member.userPrincipalName].filter((a): a is string => typeof a === 'string' && a !== '');
}

/** The access rule's address lookup for this activity's sender: [] (and a log line) when Teams cannot say. */
export function addressLookup(context: TurnContext, log: Log): AddressLookup {
  return async () => {
    try {
      return await senderAddresses(context);
    } catch (error) {
      log.error('member-lookup.failed', error);
      return [];
    }
  };
}
