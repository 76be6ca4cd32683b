import type { Mention, TurnContext } from 'botbuilder';
import { languageOfLocale } from '../domain/course/course.js';
import type { BotDeps } from './botDeps.js';
import { threadOf } from './conversations.js';
import { addressLookup } from './members.js';
import { plainText } from './messageText.js';
import type { DroppedFile, Scope, Turn } from './turn.js';

/** How Teams hands a bot a file someone dropped into the personal chat. */
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** What Teams said happened: a message, a card button (with what it carried), or an install. */
export type Happening = { readonly data: Record<string, unknown> } | { readonly installed: true };

/** The turn a Teams activity is: who, where, in which language, with what it carried. */
export async function turnOf(context: TurnContext, happening: Happening, deps: BotDeps): Promise<Turn> {
  const { activity } = context;
  const userId = userIdOf(context);
  const scope = scopeOf(context);
  const language = (await deps.course.language(userId)) ?? languageOfLocale(activity.locale) ?? deps.defaultLanguage;
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: string };
    team?: { id?: string };
    channel?: { id?: string };
  };
  const tenantId = activity.conversation.tenantId ?? channelData.tenant?.id;
  const thread = threadOf(activity.conversation.id);
  let identities: Promise<readonly string[]> | undefined;
  const file = scope === 'personal' && activity.type === 'message' ? droppedFile(context) : undefined;
  return {
    userId,
    userName: activity.from.name,
    pack: deps.packs[language],
    scope,
    text: scope === 'personal' ? (activity.text ?? '') : plainText(activity.text ?? ''),
    addressed:
      scope === 'personal' ||
      (activity.entities ?? []).some(
        (e) => e.type === 'mention' && (e as Mention).mentioned?.id === activity.recipient?.id,
      ),
    ...(file ? { file } : {}),
    ...('installed' in happening ? { installed: true } : {}),
    args: [],
    data: 'data' in happening ? happening.data : {},
    conversation: {
      id: activity.conversation.id,
      serviceUrl: activity.serviceUrl,
      ...(tenantId ? { tenantId } : {}),
      ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
      ...(channelData.channel?.id ? { channelId: channelData.channel.id } : {}),
      ...(thread.rootActivityId !== undefined
        ? { thread: { channelId: thread.channelId, rootActivityId: thread.rootActivityId } }
        : {}),
      ...(activity.type === 'invoke' && activity.replyToId ? { cardMessageId: activity.replyToId } : {}),
      ...(activity.recipient?.id ? { botId: activity.recipient.id } : {}),
    },
    isContactAdmin: () => deps.access.isContactAdmin(userId, addressLookup(context, deps.log)),
    isHr: () => deps.access.isHr(userId, addressLookup(context, deps.log)),
    identities: () => (identities ??= deps.access.identities(userId, addressLookup(context, deps.log))),
  };
}

/** The employee's stable id: the Entra object id where Teams gives it. */
export function userIdOf(context: TurnContext): string {
  const from = context.activity.from;
  return from.aadObjectId ?? from.id;
}

/** The personal chat, or anything else (a team channel, a group chat). */
export function scopeOf(context: TurnContext): Scope {
  const type = context.activity.conversation.conversationType;
  return type === undefined || type === 'personal' ? 'personal' : 'channel';
}

/** A file dropped into the chat with the message, as Teams describes it. */
function droppedFile(context: TurnContext): DroppedFile | undefined {
  const file = (context.activity.attachments ?? []).find((a) => a.contentType === FILE_DOWNLOAD_INFO);
  if (!file) return undefined;
  const content = (file.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
  return {
    name: typeof file.name === 'string' ? file.name.slice(0, 200) : '',
    downloadUrl: typeof content.downloadUrl === 'string' ? content.downloadUrl : '',
    fileType: typeof content.fileType === 'string' ? content.fileType : '',
  };
}
