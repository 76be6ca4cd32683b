/** Where to reach an employee proactively: the parts of a Bot Framework conversation reference. */
export interface ConversationRef {
  readonly serviceUrl: string;
  readonly channelId: string;
  readonly conversationId: string;
  readonly botId: string;
  readonly tenantId?: string;
  /** The day (YYYY-MM-DD, UTC) the person last did something in the chat; absent when not known. */
  readonly lastTurn?: string;
}

/** Each employee's personal chat with the bot, by user id. */
export interface ConversationStore {
  get(userId: string): Promise<ConversationRef | undefined>;
  /**
   * Stores the reference, keeping the later of its `lastTurn` and the stored one; writes nothing when that changes
   * nothing (so a person's turns cost at most one write a day).
   */
  put(userId: string, ref: ConversationRef): Promise<void>;
  /** Every personal chat with its user id, about `size` at a time, read as the pages are taken. */
  chats?(size: number): AsyncIterable<readonly (readonly [string, ConversationRef])[]>;
}

/**
 * Where the bot reaches Teams for people it has no conversation with yet, and where their personal
 * chats are created: the tenant is required, the bot id known once a personal chat has told it.
 */
export interface TeamsPlace {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly botId?: string;
}

export interface TeamsPlaceStore {
  /** The last place a personal chat came from; unchanged places are not written again. */
  teamsPlace(): Promise<TeamsPlace | undefined>;
  setTeamsPlace(place: TeamsPlace): Promise<void>;
}

/** Which personal chats were welcomed a moment ago, shared by every instance. */
export interface WelcomeStore {
  /**
   * True when nobody welcomed the chat in the `windowMs` before `at` (or it was ended since);
   * then it is welcomed at `at`.
   */
  claimWelcome(conversationId: string, at: number, windowMs: number): Promise<boolean>;
  /** The person did something: a later announcement is welcomed again. */
  endWelcome(conversationId: string): Promise<void>;
}
