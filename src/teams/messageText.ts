/** The text with every @mention (`<at>…</at>`) replaced by a space. */
export function withoutMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/gi, ' ');
}

/** A channel message as words: mentions of the bot and HTML formatting removed. */
export function plainText(html: string): string {
  return withoutMentions(html)
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
