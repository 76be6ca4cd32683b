/** The Teams deep link that opens a person's one-to-one chat with the bot (`botId` with or without its `28:`). */
export function chatLink(botId: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${botId.startsWith('28:') ? botId : `28:${botId}`}`;
}
