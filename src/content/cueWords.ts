import type { Language } from '../domain/course/course.js';

/**
 * The surface cues a test-wise reader looks for, per language. Entries match whole words,
 * case-insensitive; a phrase matches its words in a row, `…` stands for one to four words
 * (`let … know`), and a trailing `*` matches any word that starts so (`wacht*`: wacht, wachten).
 */
export interface CueWords {
  /** Absolute words: wrong choices overstate ("always", "never", "just post it anyway"). */
  readonly absolute: readonly string[];
  /** A choice that waits, holds back or checks first rather than acting now. */
  readonly cautious: readonly string[];
  /** A choice that asks or tells someone; the contact's name is added when the texts are filled. */
  readonly consulting: readonly string[];
  /** Words that make a choice a "no" (nothing of these makes it a "yes"). */
  readonly negation: readonly string[];
  /** A choice that opens with one of these is a "yes", whatever follows. */
  readonly affirmation: readonly string[];
}

/** The cue words of each course language. */
export const CUE_WORDS: Readonly<Record<Language, CueWords>> = {
  en: {
    absolute: [
      'always', 'never', 'just', 'anyway', 'all', 'every', 'everyone', 'everything', 'nothing', 'nobody',
      'no one', 'only', 'any', 'completely', 'totally', 'whatever', 'definitely', 'certainly', 'simply', 'surely',
    ],
    cautious: [
      'wait*', 'first', 'hold off', 'hold back', 'hold on', "don't post", 'do not post', 'not post', 'not yet',
      'not now', 'leave it', 'check*', 'before', 'pause', 'think*', 'later', 'sleep on', "don't share",
      "don't publish", "don't reply",
    ],
    consulting: [
      'communications', 'manager', 'ask*', 'check with', 'tell', 'let … know', 'the person concerned',
      'point of contact', 'talk to', 'speak to', 'inform', 'consult', 'discuss', 'report', 'hr',
    ],
    negation: [
      'no', 'not', "don't", "doesn't", "didn't", 'never', "can't", 'cannot', "won't", "isn't", "aren't",
      "shouldn't", 'nothing', 'nobody', 'no one', 'none',
    ],
    affirmation: ['yes'],
  },
  nl: {
    absolute: [
      'altijd', 'nooit', 'gewoon', 'toch', 'alle', 'alles', 'iedereen', 'niets', 'niks', 'niemand', 'alleen',
      'helemaal', 'elke', 'ieder', 'sowieso', 'zeker', 'gewoonweg', 'hoe dan ook',
    ],
    cautious: [
      'wacht*', 'eerst', 'niet plaatsen', 'niet posten', 'niet delen', 'nog niet', 'laat het', 'check*',
      'controle*', 'even', 'voordat', 'denk*', 'nadenk*', 'later', 'pas als', 'slaap er',
    ],
    consulting: [
      'vraag*', 'overleg*', 'meld*', 'communicatie*', 'leidinggevende', 'laat … weten', 'contactpersoon',
      'aanspreekpunt', 'bespreek*', 'informeer', 'vertel*', 'betrokkene', 'hr',
    ],
    negation: ['nee', 'niet', 'geen', 'nooit', 'niets', 'niks', 'niemand', 'nergens'],
    affirmation: ['ja'],
  },
};
