import type { WelcomeStore } from '../domain/conversations/ports.js';

/** How long a welcome stands: announcements of the same install within it are not greeted again. */
const WELCOME_WINDOW_MS = 10_000;

/**
 * Teams announces a personal install twice (conversationUpdate and installationUpdate), maybe
 * to two instances: one welcome, claimed in the store when instances share one. Anything the
 * person does ends that, so a later announcement (reinstalling, or reloading the Agents
 * Playground) is greeted again; the chats this instance welcomed lately are held here, so other
 * turns cost no store write.
 */
export class Welcomes {
  private readonly recent = new Map<string, number>();

  /** `shared`: where instances sharing one store claim welcomes; absent when this process is the only one. */
  constructor(private readonly shared?: WelcomeStore) {}

  /** True when the chat may be welcomed now: nobody welcomed it a moment ago. */
  async claim(conversationId: string): Promise<boolean> {
    const now = Date.now();
    if (now - (this.recent.get(conversationId) ?? 0) < WELCOME_WINDOW_MS) return false;
    if (this.shared && !(await this.shared.claimWelcome(conversationId, now, WELCOME_WINDOW_MS))) return false;
    this.recent.set(conversationId, now);
    for (const [id, at] of this.recent) if (now - at >= WELCOME_WINDOW_MS) this.recent.delete(id);
    return true;
  }

  /** The person did something in the chat: a later announcement is welcomed again. */
  async end(conversationId: string): Promise<void> {
    if (this.recent.delete(conversationId)) await this.shared?.endWelcome(conversationId);
  }
}
